//! Integration tests of the plain-file form: the crate's boundary (files in, files out).

mod errors;
mod evaluate;
mod synth;

use std::path::{Path, PathBuf};

/// A temporary directory with the given files in it.
pub fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("tempdir: {e}"),
    };
    for (name, text) in files {
        if let Err(e) = std::fs::write(dir.path().join(name), text) {
            panic!("write {name}: {e}");
        }
    }
    dir
}

pub fn p(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}
