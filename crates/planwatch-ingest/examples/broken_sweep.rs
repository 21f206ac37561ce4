//! Reads each shipped plan broken in many more ways than the test does (every wrap width
//! from 12 to 80, pages of 8 to 60 lines, page numbers in five styles, running heads that
//! look like titles, indented and CRLF copies) and prints every variant whose targets differ
//! from the original's. Exploration, not a gate: `cargo run --release -p planwatch-ingest
//! --example broken_sweep [-- PLAN_PREFIX…]`.

use planwatch_core::PlanDocument;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn plans() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/plans");
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let path = entry.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        if !name.ends_with(".txt")
            || !(wanted.is_empty() || wanted.iter().any(|w| name.starts_with(w.as_str())))
        {
            continue;
        }
        if let Ok(text) = std::fs::read_to_string(&path) {
            // Word's bookmarks are left in the text by the converter; a printed page has none.
            let text: String = text
                .lines()
                .map(strip_bookmarks)
                .collect::<Vec<_>>()
                .join("\n");
            out.push((name[..3].to_string(), text));
        }
    }
    out.sort();
    out
}

fn strip_bookmarks(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("[bookmark:") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find(']').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out
}

fn targets_of(doc: &PlanDocument) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for p in &doc.plans {
        for t in &p.targets {
            let key = format!(
                "{:?} {:?} {} {:?} {} {} {}",
                p.kind, t.section, t.indicator, t.comparator, t.value, t.unit, t.year
            );
            *out.entry(key).or_insert(0) += 1;
        }
    }
    out
}

fn read(name: &str, text: &str) -> Result<PlanDocument, String> {
    planwatch_ingest::decode(name, text.as_bytes())
        .and_then(|s| planwatch_ingest::extract(&s))
        .map_err(|e| e.to_string())
}

fn hard_wrap(text: &str, width: usize, cells_too: bool) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        if (!cells_too && line.starts_with('\t')) || line.chars().count() <= width {
            out.push(line.to_string());
            continue;
        }
        let chars: Vec<char> = line.chars().collect();
        for piece in chars.chunks(width) {
            out.push(piece.iter().collect());
        }
    }
    out
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

fn paginate(
    lines: &[String],
    page: usize,
    style: usize,
    head: Option<&str>,
    foot_first: bool,
) -> String {
    let mut out: Vec<String> = Vec::new();
    if let Some(h) = head {
        out.push(h.to_string());
    }
    let mut n = 1;
    for (i, line) in lines.iter().enumerate() {
        out.push(line.clone());
        if (i + 1) % page == 0 {
            if foot_first {
                out.push(page_line(style, n));
            } else {
                out.push(String::new());
                out.push(page_line(style, n));
                out.push(String::new());
            }
            n += 1;
            if let Some(h) = head {
                out.push(h.to_string());
            }
        }
    }
    out.push(page_line(style, n));
    out.join("\n")
}

fn main() {
    let heads = [
        None,
        Some("某某县人民政府行政规范性文件"),
        Some("某某县人民政府办公室文件"),
        Some("某某县妇女儿童发展规划"),
        Some("某某县妇女儿童发展规划（2021—2030年）"),
    ];
    let mut total = 0;
    let mut failed = 0;
    for (prefix, text) in plans() {
        let expected = match read(&prefix, &text) {
            Ok(d) => targets_of(&d),
            Err(e) => {
                println!("{prefix}: {e}");
                continue;
            }
        };
        let n_expected: usize = expected.values().sum();
        let mut variants: Vec<(String, String)> = Vec::new();
        for width in 12..=80 {
            variants.push((
                format!("wrap {width}"),
                hard_wrap(&text, width, false).join("\n"),
            ));
        }
        for width in [15, 22, 30, 38, 45] {
            variants.push((
                format!("wrap {width} cells too"),
                hard_wrap(&text, width, true).join("\n"),
            ));
        }
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        for width in [0usize, 24, 38] {
            let base = if width == 0 {
                lines.clone()
            } else {
                hard_wrap(&text, width, false)
            };
            for page in [8, 13, 17, 25, 31, 44, 60] {
                for style in 0..7 {
                    let own_title = text
                        .lines()
                        .map(str::trim)
                        .find(|l| {
                            l.chars().count() <= 40 && (l.contains("规划") || l.contains("纲要"))
                        })
                        .unwrap_or("某某县人民政府");
                    let mut heads = heads.to_vec();
                    heads.push(Some(own_title));
                    for (h, head) in heads.iter().enumerate() {
                        for foot_first in [false, true] {
                            variants.push((
                                format!("wrap {width} page {page} style {style} head {h} tight {foot_first}"),
                                paginate(&base, page, style, *head, foot_first),
                            ));
                        }
                    }
                }
            }
        }
        variants.push(("crlf".into(), text.replace('\n', "\r\n")));
        variants.push((
            "indented".into(),
            lines
                .iter()
                .map(|l| {
                    if l.starts_with('\t') || l.is_empty() {
                        l.clone()
                    } else {
                        format!("　　{l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ));
        variants.push((
            "indented wrapped 33".into(),
            hard_wrap(&text, 33, false)
                .iter()
                .map(|l| {
                    if l.starts_with('\t') || l.is_empty() {
                        l.clone()
                    } else {
                        format!("  {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        ));
        variants.push(("blank lines doubled".into(), text.replace('\n', "\n\n")));
        let mut bad_here = 0;
        for (name, copy) in &variants {
            total += 1;
            let got = match read(name, copy) {
                Ok(d) => targets_of(&d),
                Err(e) => {
                    failed += 1;
                    bad_here += 1;
                    println!(
                        "FAIL {prefix} | {name} | error {}",
                        e.chars()
                            .rev()
                            .take(40)
                            .collect::<String>()
                            .chars()
                            .rev()
                            .collect::<String>()
                    );
                    if let Ok(dir) = std::env::var("PLANWATCH_DUMP_VARIANTS") {
                        let file = format!("{prefix} {name}.txt").replace(' ', "_");
                        let _ = std::fs::write(std::path::Path::new(&dir).join(file), copy);
                    }
                    continue;
                }
            };
            if got != expected {
                failed += 1;
                bad_here += 1;
                let mut diff = Vec::new();
                for (k, n) in &expected {
                    let m = got.get(k).copied().unwrap_or(0);
                    if m != *n {
                        diff.push(format!("-{}: {k}", n - m.min(*n)));
                    }
                }
                for (k, m) in &got {
                    let n = expected.get(k).copied().unwrap_or(0);
                    if *m > n {
                        diff.push(format!("+{}: {k}", m - n));
                    }
                }
                println!(
                    "FAIL {prefix} | {name} | {} of {n_expected} differ",
                    diff.len()
                );
                if let Ok(dir) = std::env::var("PLANWATCH_DUMP_VARIANTS") {
                    let file = format!("{prefix} {name}.txt").replace(' ', "_");
                    let _ = std::fs::write(std::path::Path::new(&dir).join(file), copy);
                }
                for d in diff.iter().take(4) {
                    println!("    {d}");
                }
            }
        }
        println!(
            "== {prefix}: {bad_here} of {} variants differ",
            variants.len()
        );
    }
    println!("== all: {failed} of {total} variants differ");
}
