//! Reports as people receive them: the Word file opened as a zip, the chart pictures
//! decoded, the web page read as text.

use crate::report_input::sample;
use planwatch_core::reporting::{Block, Chart, Report, build};
use planwatch_export::report::chart;

fn report() -> Report {
    build(&sample()).unwrap()
}

fn charts(report: &Report) -> Vec<&Chart> {
    report
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn dump_chart() {
    let r = report();
    for c in charts(&r) {
        std::fs::write(format!("/tmp/wtdocs-{}.svg", c.id), chart::svg(c)).unwrap();
        std::fs::write(
            format!("/tmp/wtdocs-{}.png", c.id),
            chart::png(c, 1200).unwrap(),
        )
        .unwrap();
    }
}

#[test]
fn dump_docx() {
    let r = report();
    std::fs::write(
        "/tmp/wtdocs-report.docx",
        planwatch_export::report::docx::write(&r).unwrap(),
    )
    .unwrap();
}
