//! Integration tests of planwatch-export: through the public API only.

mod form;
mod report_sheets;
