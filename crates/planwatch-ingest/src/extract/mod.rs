//! Extraction: decoded lines to the plan's indicator system (`shared/spec/extraction.md`).

pub mod table;

use crate::{IngestError, SourceText};
use planwatch_core::PlanDocument;

pub fn extract(source: &SourceText) -> Result<PlanDocument, IngestError> {
    Err(IngestError::NotAPlan { file: source.name.clone(), reason: "未实现".into() })
}
