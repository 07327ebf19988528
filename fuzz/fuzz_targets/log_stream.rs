//! Fuzz target: `runbook::fuzzing::log_stream` on arbitrary bytes (see fuzz/README.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    runbook::fuzzing::log_stream(bytes);
});
