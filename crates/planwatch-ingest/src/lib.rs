//! Reads plan documents and extracts their indicator system.
//!
//! The flow: bytes → [`SourceText`] (decoded lines; for .docx one paragraph or table row a
//! line, for .html one block a line, for .pdf one printed line a line) → [`extract`] → [`planwatch_core::PlanDocument`].
//! Line numbers in the result are 1-based indexes into `SourceText::lines`.

mod docx;
mod error;
pub mod extract;
mod html;
mod pdf;
mod source;

pub use error::IngestError;
pub use extract::extract;
pub use pdf::quiet_parser_panics;
pub use source::{MAX_FILE_BYTES, SourceFormat, SourceText};

use planwatch_core::PlanDocument;
use std::path::Path;

/// Reads a file and decodes it into lines.
pub fn load(path: &Path) -> Result<SourceText, IngestError> {
    source::load(path)
}

/// Decodes bytes that came from a file named `name` (the extension picks the format).
pub fn decode(name: &str, bytes: &[u8]) -> Result<SourceText, IngestError> {
    source::decode(name, bytes)
}

/// Reads a plan file and extracts its plans.
pub fn parse_file(path: &Path) -> Result<(SourceText, PlanDocument), IngestError> {
    let source = load(path)?;
    let doc = extract(&source)?;
    Ok((source, doc))
}
