//! Charts as SVG (pages) and PNG (documents), drawn with a bundled CJK font subset so
//! that they never depend on the fonts of the machine.

use super::ReportWriteError;
use planwatch_core::reporting::Chart;

/// The chart as an SVG document.
pub fn svg(_chart: &Chart) -> String {
    String::new()
}

/// The chart as a PNG picture, `width` pixels wide.
pub fn png(_chart: &Chart, _width: u32) -> Result<Vec<u8>, ReportWriteError> {
    Err(ReportWriteError::Write("图表尚未实现".to_string()))
}
