//! Prints the lines the extraction rules see for a plan file, numbered as targets cite
//! them: for finding out why a PDF, Word or web copy reads differently from its text.
//!
//!     cargo run -p planwatch-ingest --example source_lines -- plan.pdf [--joined]
//!
//! `--joined` prints the lines after page furniture is dropped and wrapped lines are joined.

use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: source_lines FILE");
        return ExitCode::FAILURE;
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    match planwatch_ingest::decode(&path, &bytes) {
        Ok(source) => {
            if std::env::args().any(|a| a == "--joined") {
                for (no, line) in planwatch_ingest::extract::logical_lines(&source) {
                    println!("{no}\t{line}");
                }
            } else {
                for (i, line) in source.lines.iter().enumerate() {
                    println!("{}\t{line:?}", i + 1);
                }
            }
            for warning in &source.warnings {
                eprintln!("{warning}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
