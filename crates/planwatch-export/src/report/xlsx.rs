//! The report as an Excel workbook.

use super::ReportWriteError;
use planwatch_core::reporting::Report;

/// The .xlsx bytes.
pub fn write(_report: &Report) -> Result<Vec<u8>, ReportWriteError> {
    Err(ReportWriteError::Write("Excel 报告尚未实现".to_string()))
}
