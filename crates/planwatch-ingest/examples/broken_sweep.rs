//! Reads each shipped plan broken in many more ways than the test does (every wrap width
//! from 12 to 80; pages of 8 to 60 lines; page numbers in seven styles, feet of words and a
//! number among them; running heads, one of them the document's own title; tight and loose
//! page breaks; indented, CRLF and double-spaced copies) and prints every copy whose targets
//! differ from the original's. Exploration, not a gate:
//!
//!     cargo run --release -p planwatch-ingest --example broken_sweep [-- PLAN_PREFIX…]
//!
//! PLANWATCH_DUMP_VARIANTS=DIR writes each copy that differs there, to read it with the CLI.

#[path = "../tests/it/broken_copies.rs"]
#[allow(dead_code)]
mod broken_copies;

use broken_copies::{differences, hard_wrap, indented, original, targets_of};
use std::path::PathBuf;

/// The shipped plan whose file name starts with `prefix` (as the tests find it).
pub fn plan_path(prefix: &str) -> PathBuf {
    plan_files()
        .into_iter()
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix))
        })
        .unwrap_or_else(|| PathBuf::from(format!("{prefix}-missing.txt")))
}

fn plan_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/plans");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    files
}

fn page_line(style: usize, n: usize) -> String {
    match style {
        0 => format!("— {n} —"),
        1 => format!("- {n} -"),
        2 => format!("第{n}页"),
        3 => format!("{n}"),
        4 => format!("第 {n} 页 共 40 页"),
        5 => format!("某某县妇女儿童发展规划  {n}"),
        _ => format!("{n}  某某县人民政府办公室印发"),
    }
}

/// A break after every `page` lines: the page's number (with blank lines around it unless
/// `tight`), then the running head.
fn paginate(
    lines: &[String],
    page: usize,
    style: usize,
    head: Option<&str>,
    tight: bool,
) -> String {
    let mut out: Vec<String> = Vec::new();
    out.extend(head.map(str::to_string));
    let mut n = 1;
    for (i, line) in lines.iter().enumerate() {
        out.push(line.clone());
        if (i + 1) % page == 0 {
            if tight {
                out.push(page_line(style, n));
            } else {
                out.extend([String::new(), page_line(style, n), String::new()]);
            }
            n += 1;
            out.extend(head.map(str::to_string));
        }
    }
    out.push(page_line(style, n));
    out.join("\n")
}

fn copies(text: &str) -> Vec<(String, String)> {
    let mut heads = vec![
        None,
        Some("某某县人民政府行政规范性文件"),
        Some("某某县人民政府办公室文件"),
        Some("某某县妇女儿童发展规划"),
        Some("某某县妇女儿童发展规划（2021—2030年）"),
    ];
    heads.push(
        text.lines()
            .map(str::trim)
            .find(|l| l.chars().count() <= 40 && (l.contains("规划") || l.contains("纲要"))),
    );
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut out: Vec<(String, String)> = (12..=80)
        .map(|width| (format!("wrap {width}"), hard_wrap(text, width).join("\n")))
        .collect();
    for width in [0usize, 24, 38] {
        let base = if width == 0 {
            lines.clone()
        } else {
            hard_wrap(text, width)
        };
        for page in [8, 13, 17, 25, 31, 44, 60] {
            for style in 0..7 {
                for (h, head) in heads.iter().enumerate() {
                    for tight in [false, true] {
                        out.push((
                            format!(
                                "wrap {width} page {page} style {style} head {h} tight {tight}"
                            ),
                            paginate(&base, page, style, *head, tight),
                        ));
                    }
                }
            }
        }
    }
    out.push(("crlf".into(), text.replace('\n', "\r\n")));
    out.push(("indented".into(), indented(&lines, "　　")));
    out.push((
        "indented wrapped 33".into(),
        indented(&hard_wrap(text, 33), "  "),
    ));
    out.push(("blank lines doubled".into(), text.replace('\n', "\n\n")));
    out
}

fn main() {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let dump = std::env::var("PLANWATCH_DUMP_VARIANTS").ok();
    let (mut total, mut failed) = (0, 0);
    for path in plan_files() {
        let Some(prefix) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.get(..3))
            .map(str::to_string)
        else {
            continue;
        };
        if !(wanted.is_empty() || wanted.iter().any(|w| prefix.starts_with(w.as_str()))) {
            continue;
        }
        let text = original(&prefix);
        let read = |name: &str, copy: &str| {
            planwatch_ingest::decode(name, copy.as_bytes())
                .and_then(|s| planwatch_ingest::extract(&s))
                .map(|d| targets_of(&d))
        };
        let expected = match read(&prefix, &text) {
            Ok(t) => t,
            Err(e) => {
                println!("{prefix}: {e}");
                continue;
            }
        };
        let n_expected: usize = expected.values().sum();
        let copies = copies(&text);
        let mut differ = 0;
        for (name, copy) in &copies {
            total += 1;
            let found = match read(name, copy) {
                Ok(got) => differences(&expected, &got),
                Err(e) => vec![format!("not read: {e}")],
            };
            if found.is_empty() {
                continue;
            }
            failed += 1;
            differ += 1;
            println!(
                "FAIL {prefix} | {name} | {} of {n_expected} differ",
                found.len()
            );
            for d in found.iter().take(4) {
                println!("    {d}");
            }
            if let Some(dir) = &dump {
                let file = format!("{prefix} {name}.txt").replace(' ', "_");
                let _ = std::fs::write(std::path::Path::new(dir).join(file), copy);
            }
        }
        println!("== {prefix}: {differ} of {} copies differ", copies.len());
    }
    println!("== all: {failed} of {total} copies differ");
}
