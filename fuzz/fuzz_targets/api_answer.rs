//! Fuzz target: `runbook::fuzzing::api_answer` on arbitrary bytes (see fuzz/README.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    runbook::fuzzing::api_answer(bytes);
});
