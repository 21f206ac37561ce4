//! Any bytes named `plan.txt` go through the reader as `plan parse` reads a file: decoded,
//! then extracted. A clean error is fine; a panic, a hang or unbounded memory is the finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(source) = planwatch_ingest::decode("plan.txt", bytes) {
        let _ = planwatch_ingest::extract(&source);
    }
});
