//! Exchange files of planwatch: bytes in, bytes out. No files, no database, no HTTP.
//!
//! The annual reporting round ([`form`]): a department (成员单位) downloads an .xlsx
//! template of exactly its indicators for the year ([`form::write_template`]) and uploads
//! it filled in ([`form::read_upload`]). An upload with any error is refused as a whole,
//! with every error found (sheet, cell, why in Chinese).
//!
//! What a round still misses ([`gaps`]): the list of expected indicators without a value,
//! as an .xlsx ([`gaps::write_gaps`]). Text cells of every file written here never start a
//! formula ([`text`]).

pub mod form;
pub mod gaps;
pub mod report;
pub mod text;

pub use form::{
    CellError, ExportError, FilledRow, FormRow, FormSpec, TemplateColumn, UploadLimits,
    read_upload, read_upload_with_limits, template_cell, write_template,
};
