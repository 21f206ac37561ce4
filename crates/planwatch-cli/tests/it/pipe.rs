//! `planwatch … | head`: when the reader of standard output goes away, every command ends
//! quietly (exit 0, no panic message) instead of panicking with exit code 101.

use crate::support::{bin, plan};
use std::io::{BufRead, BufReader};
use std::process::{Output, Stdio};

/// Runs `args` with standard output into a pipe that is closed after `lines` lines have
/// been read (0: closed before the command writes anything).
fn closed_early(args: &[&str], lines: usize) -> Output {
    let mut child = bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn planwatch");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut reader = BufReader::new(stdout);
    for _ in 0..lines {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).expect("read a line") > 0);
    }
    drop(reader);
    child.wait_with_output().expect("wait for planwatch")
}

fn assert_quiet(args: &[&str], o: &Output) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(!stderr.contains("错误"), "{args:?}: {stderr}");
    assert_ne!(o.status.code(), Some(101), "{args:?}: {stderr}");
    assert!(o.status.success(), "{args:?}: {:?} {stderr}", o.status);
}

/// The reader is gone before the plan is read: the first write of the ~49 KB of JSON
/// (or the table) fails with a broken pipe.
#[test]
fn plan_parse_into_a_closed_pipe() {
    let file = plan("002_783e6206471bd0e6.txt");
    for format in ["json", "table"] {
        let args = ["plan", "parse", "--format", format, file.as_str()];
        assert_quiet(&args, &closed_early(&args, 0));
    }
    let args = ["indicator", "list"];
    assert_quiet(&args, &closed_early(&args, 0));
}

/// `head -1` on status.csv: a few hundred KB, far more than the pipe holds, so the
/// writer meets the closed pipe in the middle of its batches.
#[test]
fn evaluate_stops_when_the_reader_has_read_one_line() {
    let dir = tempfile::tempdir().expect("dir");
    let set = dir.path().join("set");
    let set_str = set.display().to_string();
    let synth = bin()
        .args([
            "synth",
            "--regions",
            "60",
            "--indicators",
            "40",
            "--out",
            &set_str,
        ])
        .output()
        .expect("run synth");
    assert!(
        synth.status.success(),
        "{}",
        String::from_utf8_lossy(&synth.stderr)
    );
    let obs = set.join("observations.csv").display().to_string();
    let targets = set.join("targets.csv").display().to_string();
    let args = [
        "evaluate",
        "--observations",
        &obs,
        "--targets",
        &targets,
        "--year",
        "2024",
    ];
    // The whole output is much larger than a pipe's buffer.
    let full = bin().args(args).output().expect("run evaluate");
    assert!(full.stdout.len() > 256 << 10, "{} bytes", full.stdout.len());
    assert_quiet(&args, &closed_early(&args, 1));
}
