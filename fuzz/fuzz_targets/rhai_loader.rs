//! Fuzz target: `runbook::fuzzing::rhai_runbook` on arbitrary bytes (see fuzz/README.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    runbook::fuzzing::rhai_runbook(bytes);
});
