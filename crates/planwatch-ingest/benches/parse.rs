//! Parsing speed on the real plans: each document and all four in a row, from bytes in
//! memory (decoding included, file reading excluded). The peer for the ratio is the time to
//! merely decode and split the same bytes into lines, printed by `cargo bench` beside it.

#[path = "../tests/it/hostile_inputs.rs"]
mod hostile_inputs;
#[path = "../tests/it/made.rs"]
mod made;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;

fn plans() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/plans");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "txt"))
                .filter_map(|p| {
                    Some((
                        p.file_name()?.to_string_lossy().into_owned(),
                        std::fs::read(&p).ok()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn parse(c: &mut Criterion) {
    let plans = plans();
    let mut group = c.benchmark_group("plan_parse");
    for (name, bytes) in &plans {
        group.throughput(Throughput::Bytes(bytes.len() as u64));
        group.bench_function(format!("decode_only/{name}"), |b| {
            b.iter(|| planwatch_ingest::decode(name, black_box(bytes)).map(|s| s.lines.len()))
        });
        group.bench_function(format!("parse/{name}"), |b| {
            b.iter(|| {
                planwatch_ingest::decode(name, black_box(bytes))
                    .and_then(|s| planwatch_ingest::extract(&s))
            })
        });
    }
    let total: u64 = plans.iter().map(|(_, b)| b.len() as u64).sum();
    group.throughput(Throughput::Bytes(total));
    group.bench_function("parse/all_four", |b| {
        b.iter(|| {
            plans
                .iter()
                .filter_map(|(name, bytes)| {
                    planwatch_ingest::decode(name, bytes)
                        .and_then(|s| planwatch_ingest::extract(&s))
                        .ok()
                })
                .map(|d| d.plans.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

/// The inputs that once grew with the square of their size, at a plan's size (170 KB) and
/// ten times that: the goal is a plan's size in milliseconds and ten times as much in ten
/// times as long (linear), not seconds. The peer is decoding the same bytes.
fn hostile(c: &mut Criterion) {
    let mut group = c.benchmark_group("hostile");
    group.sample_size(10);
    for size in [170_000, 1_700_000] {
        for (name, text) in hostile_inputs::all(size) {
            let bytes = text.into_bytes();
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_function(format!("decode_only/{name}/{size}"), |b| {
                b.iter(|| {
                    planwatch_ingest::decode("x.txt", black_box(&bytes)).map(|s| s.lines.len())
                })
            });
            group.bench_function(format!("parse/{name}/{size}"), |b| {
                b.iter(|| {
                    planwatch_ingest::decode("x.txt", black_box(&bytes))
                        .and_then(|s| planwatch_ingest::extract(&s))
                })
            });
        }
    }
    group.finish();
}

/// Reading time per plan and format: the .txt, the same lines as .docx and .html (made as
/// the format tests make them), and the PDF fixture made by LibreOffice where there is one.
/// The peer is the .txt of the same plan.
fn formats(c: &mut Criterion) {
    let mut group = c.benchmark_group("formats");
    group.sample_size(10);
    let pdf_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/pdf");
    for (name, bytes) in plans() {
        let prefix: String = name.chars().take(3).collect();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let lines: Vec<&str> = text.lines().collect();
        let mut inputs = vec![
            (format!("{prefix}.txt"), bytes.clone()),
            (format!("{prefix}.docx"), made::docx_of(&lines)),
            (format!("{prefix}.html"), made::html_of(&lines).into_bytes()),
        ];
        if let Ok(pdf) = std::fs::read(pdf_dir.join(format!("{prefix}.pdf"))) {
            inputs.push((format!("{prefix}.pdf"), pdf));
        }
        for (file, input) in inputs {
            group.bench_function(format!("parse/{file}"), |b| {
                b.iter(|| {
                    planwatch_ingest::decode(&file, black_box(&input))
                        .and_then(|s| planwatch_ingest::extract(&s))
                        .map(|d| d.plans.len())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, parse, hostile, formats);
criterion_main!(benches);
