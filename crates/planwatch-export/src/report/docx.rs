//! The report as a Word document.

use super::ReportWriteError;
use planwatch_core::reporting::Report;

/// The .docx bytes.
pub fn write(_report: &Report) -> Result<Vec<u8>, ReportWriteError> {
    Err(ReportWriteError::Write("Word 报告尚未实现".to_string()))
}
