use std::path::{Path, PathBuf};
use thiserror::Error;

/// Why a plain file was refused. Every message names the file and, where there is one,
/// the line, so that the statistician can fix it.
#[derive(Debug, Error)]
pub enum PlainFileError {
    #[error("{} 第{line}行：{reason}", file.display())]
    Line {
        file: PathBuf,
        line: u64,
        reason: String,
    },
    #[error("无法读取 {}：{err}", file.display())]
    Read { file: PathBuf, err: std::io::Error },
    #[error("无法写入 {}：{err}", file.display())]
    Write { file: PathBuf, err: std::io::Error },
}

impl PlainFileError {
    /// The I/O error behind a read or write failure (e.g. to tell a closed pipe apart).
    pub fn io_error(&self) -> Option<&std::io::Error> {
        match self {
            PlainFileError::Line { .. } => None,
            PlainFileError::Read { err, .. } | PlainFileError::Write { err, .. } => Some(err),
        }
    }

    pub(crate) fn line(file: &Path, line: u64, reason: impl Into<String>) -> PlainFileError {
        PlainFileError::Line {
            file: file.to_path_buf(),
            line,
            reason: reason.into(),
        }
    }

    pub(crate) fn read(file: &Path, source: std::io::Error) -> PlainFileError {
        PlainFileError::Read {
            file: file.to_path_buf(),
            err: source,
        }
    }

    pub(crate) fn write(file: &Path, source: std::io::Error) -> PlainFileError {
        PlainFileError::Write {
            file: file.to_path_buf(),
            err: source,
        }
    }
}
