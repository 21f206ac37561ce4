//! A county's annual report (~150 targets in 14 domains, values 2020–2024) written as
//! Word, as a web page and as chart pictures. Prints medians, and ratios against building
//! the report itself (measured in the same run: machines here are shared and noisy).
//!
//! `cargo bench -p planwatch-export --bench report`

#[path = "../tests/it/report_input.rs"]
#[allow(dead_code)]
mod report_input;

use planwatch_core::reporting::build;
use planwatch_export::report::{chart, docx, html};
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The median of `runs` timings of `f`, after one warm-up run.
fn median<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    black_box(f());
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            black_box(f());
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let input = report_input::county(11);
    let report = build(&input).expect("the county report builds");
    let charts = chart::all(&report);
    println!(
        "county report: {} targets, {} blocks, {} charts, {} threads",
        report.rows.len(),
        report.blocks.len(),
        charts.len(),
        rayon::current_num_threads()
    );

    let peer = median(21, || build(&input));
    let docx_time = median(7, || docx::write(&report).expect("docx"));
    let docx_bytes = docx::write(&report).expect("docx").len();
    let html_time = median(21, || html::document(&report));
    let html_bytes = html::document(&report).len();
    let svg_time = median(5, || {
        charts.iter().map(|c| chart::svg(c).len()).sum::<usize>()
    });
    let png_time = median(3, || {
        charts
            .iter()
            .map(|c| chart::png(c, 1280).expect("png").len())
            .sum::<usize>()
    });
    let png_bytes: usize = charts
        .iter()
        .map(|c| chart::png(c, 1280).expect("png").len())
        .sum();
    let per_chart = |d: Duration| ms(d) / charts.len().max(1) as f64;

    println!("peer  build(report)      {:>9.2} ms", ms(peer));
    println!(
        "docx::write              {:>9.2} ms  ({:.0}× build, {:.1} MB, charts in parallel)",
        ms(docx_time),
        ms(docx_time) / ms(peer),
        docx_bytes as f64 / 1e6
    );
    println!(
        "html::document           {:>9.2} ms  ({:.1}× build, {:.1} MB)",
        ms(html_time),
        ms(html_time) / ms(peer),
        html_bytes as f64 / 1e6
    );
    println!("chart::svg   per chart   {:>9.3} ms", per_chart(svg_time));
    println!(
        "chart::png   per chart   {:>9.2} ms  (1280 px wide, one thread, {:.0} KB each)",
        per_chart(png_time),
        png_bytes as f64 / 1e3 / charts.len().max(1) as f64
    );
    println!(
        "font subset              {:>9.2} MB",
        chart::FONT.len() as f64 / 1e6
    );
}
