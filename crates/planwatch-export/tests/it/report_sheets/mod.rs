//! The report's workbook and open data (planwatch_export::report::{xlsx, open_data}),
//! written from a report built by planwatch-core and read back.

mod fixture;
mod open_data;
mod xlsx;
