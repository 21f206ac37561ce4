//! Any bytes named `plan.pdf` go through the reader as `plan parse` reads a file: decoded,
//! then extracted. A clean error is fine; a panic, a hang or unbounded memory is the finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

static QUIET: std::sync::Once = std::sync::Once::new();

fuzz_target!(|bytes: &[u8]| {
    // The reader catches a panic of the PDF parser and reports a damaged file; only a panic
    // elsewhere is a finding. (libFuzzer's own hook, which aborts, stays for every other thread.)
    QUIET.call_once(planwatch_ingest::quiet_parser_panics);
    if let Ok(source) = planwatch_ingest::decode("plan.pdf", bytes) {
        let _ = planwatch_ingest::extract(&source);
    }
});
