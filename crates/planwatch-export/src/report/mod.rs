//! A report ([`planwatch_core::reporting::Report`]) as the files people forward: Word
//! ([`docx`]), Excel ([`xlsx`]), a web page ([`html`]), chart pictures ([`chart`]) and
//! the open data of its indicator table ([`open_data`]: CSV, JSON with a data
//! dictionary, SDMX-CSV).

pub mod chart;
pub mod docx;
pub mod html;
pub mod open_data;
pub mod xlsx;

/// A report could not be written (a library refused what it was given).
#[derive(Debug, thiserror::Error)]
pub enum ReportWriteError {
    #[error("报告写入失败：{0}")]
    Write(String),
    /// A chart picture could not be drawn: the chart's id and why.
    #[error("图表{0}绘制失败：{1}")]
    Chart(String, String),
    /// The Excel writer refused a sheet, cell or chart.
    #[error("Excel 报告写入失败：{0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}
