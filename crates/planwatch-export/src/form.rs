//! The annual reporting form: the .xlsx template a department fills in, and its upload.
//!
//! # The template
//! Sheet [`SHEET_FORM`] ("填报表"): a title row, an instructions row, a frozen header row
//! (序号, 指标, 单位, 定义, 上年数值, 目标, 本年数值, one column per breakdown label,
//! 说明(如数值变化较大请说明)), then one row per indicator. Only the value, breakdown and
//! explanation cells are unlocked; value and breakdown cells carry a decimal (≥ 0) data
//! validation with a Chinese input message and error.
//!
//! The sheet is protected **without a password**: the lock keeps people from overwriting
//! headers and names by accident, it is not a security boundary (the upload is checked
//! cell by cell anyway), and a password would either be printed somewhere or be lost the
//! day someone needs to fix a template by hand.
//!
//! Sheet [`SHEET_META`] ("说明信息"), hidden and protected, carries what an upload is
//! matched back with: region, year and unit (names and ids), and each data row's
//! indicator key and row number. An upload of another year, region or unit is refused with
//! one error naming both templates.
//!
//! # The upload
//! [`read_upload`] checks the bytes before any xlsx parsing ([`UploadLimits`]: size, zip
//! magic, zip entries' sizes and compression ratios, actually decompressed with a cap so a
//! lying header does not help), then reads the cells with calamine. Every error is
//! collected; one error refuses the whole upload.

mod cell;
mod guard;
mod read;
pub(crate) mod write;

pub use guard::UploadLimits;
pub use read::{read_upload, read_upload_with_limits};
pub use write::{template_cell, write_template};

/// Name of the sheet the department fills in.
pub const SHEET_FORM: &str = "填报表";
/// Name of the hidden sheet that identifies the template.
pub const SHEET_META: &str = "说明信息";

/// What one department reports for one year.
#[derive(Debug, Clone, PartialEq)]
pub struct FormSpec {
    /// Region name, e.g. "杭州市".
    pub region: String,
    pub region_id: i64,
    /// The year reported on (the values of this year are asked for).
    pub year: i32,
    /// Department name, e.g. "市卫生健康委".
    pub unit_name: String,
    pub unit_id: i64,
    /// One row per indicator, in the order shown.
    pub rows: Vec<FormRow>,
}

/// One indicator on the form.
#[derive(Debug, Clone, PartialEq)]
pub struct FormRow {
    /// Indicator key, e.g. `W-HEA-03` or `local:名称`; never shown, kept in the hidden sheet.
    pub key: String,
    pub name: String,
    pub unit: String,
    pub definition: String,
    /// The last value known: (year, value).
    pub last_year: Option<(i32, f64)>,
    /// The target as text, e.g. "2030年 9/10万以下".
    pub target: String,
    /// Labels of extra value columns (女, 男, 城镇, 农村, age groups). The template has
    /// one column per label used by any row; cells of labels a row lacks stay locked.
    pub breakdowns: Vec<String>,
}

/// A fillable column of a template's data row, for [`template_cell`]. Numerator and
/// denominator have no column: the template asks for the total and breakdowns only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateColumn<'a> {
    /// 本年数值.
    Value,
    /// The column of a breakdown label (女, 城镇 …).
    Breakdown(&'a str),
    /// 说明.
    Explanation,
}

/// One indicator row of an accepted upload.
#[derive(Debug, Clone, PartialEq)]
pub struct FilledRow {
    pub key: String,
    /// `None`: the cell was left empty (not reported).
    pub value: Option<f64>,
    /// (label, value) of each breakdown cell filled in, in column order.
    pub breakdowns: Vec<(String, f64)>,
    pub explanation: Option<String>,
}

/// Why an upload was refused, at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellError {
    /// Sheet name; empty when the error is about the file as a whole.
    pub sheet: String,
    /// Cell in A1 notation ("G5"); empty when the error is about the file or a sheet.
    pub cell: String,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
}

impl CellError {
    pub(crate) fn file(message: impl Into<String>) -> Self {
        CellError {
            sheet: String::new(),
            cell: String::new(),
            message: message.into(),
        }
    }
    pub(crate) fn at(sheet: &str, row: u32, col: u32, message: impl Into<String>) -> Self {
        CellError {
            sheet: sheet.to_owned(),
            cell: cell::a1(row, col),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.sheet.is_empty(), self.cell.is_empty()) {
            (true, _) => write!(f, "{}", self.message),
            (false, true) => write!(f, "工作表“{}”：{}", self.sheet, self.message),
            (false, false) => write!(
                f,
                "工作表“{}”单元格 {}：{}",
                self.sheet, self.cell, self.message
            ),
        }
    }
}

/// Writing a template failed (a bug or an impossible spec, never the user's input).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("writing the xlsx failed: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("the form has no indicator rows")]
    Empty,
}
