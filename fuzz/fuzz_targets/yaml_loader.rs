//! Fuzz target: `runbook::fuzzing::yaml_runbook` on arbitrary bytes (see fuzz/README.md).
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    runbook::fuzzing::yaml_runbook(bytes);
});
