//! Running the `planwatch` binary as a person would, shared by the test modules.

use std::path::PathBuf;
use std::process::{Command, Output};

/// The binary with no database or data directory from the environment: every test names
/// its own.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_planwatch"));
    cmd.env_remove("PLANWATCH_DATABASE_URL")
        .env_remove("PLANWATCH_DATA_DIR");
    cmd
}

pub fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("run planwatch")
}

/// Standard output of a run that must succeed.
pub fn ok(o: &Output) -> String {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Standard error of a run that must fail.
pub fn err(o: &Output) -> String {
    assert!(
        !o.status.success(),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Standard output of a run that must succeed, as JSON.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_str(&ok(o)).expect("json")
}

/// The path of a plan shipped in assets/plans.
pub fn plan(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../assets/plans")
        .join(name)
        .display()
        .to_string()
}
