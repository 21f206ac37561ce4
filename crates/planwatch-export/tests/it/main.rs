//! Integration tests of planwatch-export: through the public API only.

mod form;
mod report;
mod report_input;
mod report_sheets;
