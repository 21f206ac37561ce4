//! Broken copies read the same: each shipped plan, rewritten the ways copies out of PDFs
//! and web pages break it, gives the same targets as the original. The variants are made
//! here from the plans, so every plan added to `assets/plans/` is checked the same way.

use planwatch_core::PlanDocument;
use std::collections::BTreeMap;

const PLANS: &[&str] = &["000", "002", "003", "004"];

/// The plan's text without the bookmarks Word's converter left in it: a printed page has
/// none, so a copy out of one is wrapped without them.
pub fn original(prefix: &str) -> String {
    let path = super::plan_path(prefix);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => panic!("{}: {e}", path.display()),
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find("[bookmark:") {
        out.push_str(&rest[..at]);
        rest = rest[at..].find(']').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out
}

/// Every line longer than `width` chars cut into pieces of `width` (table cells too: a
/// cell is a line that starts with a tab and stays one).
pub fn hard_wrap(text: &str, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        if line.starts_with('\t') || line.chars().count() <= width {
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

/// How a page number is printed.
#[derive(Clone, Copy, Debug)]
enum PageStyle {
    Dashes,
    Hyphens,
    Ye,
    Bare,
    /// The plan's name and the number, undecorated: "某某县妇女儿童发展规划  3".
    Named,
}

fn page_line(style: PageStyle, n: usize) -> String {
    match style {
        PageStyle::Dashes => format!("— {n} —"),
        PageStyle::Hyphens => format!("- {n} -"),
        PageStyle::Ye => format!("第{n}页"),
        PageStyle::Bare => format!("{n}"),
        PageStyle::Named => format!("某某县妇女儿童发展规划  {n}"),
    }
}

/// The header lines of each table (after a 专栏 title, up to the first blank line), by the
/// index of the title line.
fn table_headers(lines: &[String]) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.trim_start().starts_with("专栏") {
            let header: Vec<String> = lines[i + 1..]
                .iter()
                .take_while(|l| !l.trim().is_empty())
                .cloned()
                .collect();
            if header.iter().any(|h| h.starts_with('\t')) {
                out.push((i, header));
            }
        }
    }
    out
}

/// A page break after every `page` lines (later when that falls inside a table row: rows
/// do not break across pages): the page's number (as a foot), a running head when given,
/// and, between two rows of a table, the table's header again (as Word repeats it).
fn paginate(lines: &[String], page: usize, style: PageStyle, head: Option<&str>) -> String {
    let headers = table_headers(lines);
    let mut out: Vec<String> = Vec::new();
    if let Some(h) = head {
        out.push(h.to_string());
    }
    let mut n = 1;
    let mut on_page = 0;
    // The current line belongs to a table row (a cell, or a cell's second line).
    let mut in_row = false;
    for (i, line) in lines.iter().enumerate() {
        out.push(line.clone());
        on_page += 1;
        in_row = line.starts_with('\t') || (in_row && !line.is_empty());
        let row_goes_on = in_row && lines.get(i + 1).is_some_and(|l| !l.is_empty());
        if on_page >= page && !row_goes_on {
            on_page = 0;
            out.push(String::new());
            out.push(page_line(style, n));
            out.push(String::new());
            n += 1;
            if let Some(h) = head {
                out.push(h.to_string());
            }
            let between_rows = in_row
                && lines.get(i + 1).is_some_and(|l| l.is_empty())
                && lines.get(i + 2).is_some_and(|l| l.starts_with('\t'));
            if between_rows
                && let Some((t, header)) = headers.iter().rev().find(|(t, _)| *t < i)
                && i > t + header.len()
            {
                out.extend(header.iter().cloned());
                out.push(String::new());
            }
        }
    }
    out.push(page_line(style, n));
    out.join("\n")
}

/// What a statistics bureau compares: every target's identity and value, with how often it
/// occurs, per plan kind.
pub fn targets_of(doc: &PlanDocument) -> BTreeMap<String, usize> {
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

fn read(name: &str, text: &str) -> PlanDocument {
    match planwatch_ingest::decode(name, text.as_bytes())
        .and_then(|s| planwatch_ingest::extract(&s))
    {
        Ok(doc) => doc,
        Err(e) => panic!("{name}: {e}"),
    }
}

/// The differences between two readings, for the failure message.
pub fn differences(a: &BTreeMap<String, usize>, b: &BTreeMap<String, usize>) -> Vec<String> {
    let mut out = Vec::new();
    for (k, n) in a {
        let m = b.get(k).copied().unwrap_or(0);
        if m != *n {
            out.push(format!("original {n}, copy {m}: {k}"));
        }
    }
    for (k, m) in b {
        if !a.contains_key(k) {
            out.push(format!("original 0, copy {m}: {k}"));
        }
    }
    out
}

fn variants(text: &str) -> Vec<(String, String)> {
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let wrapped = hard_wrap(text, 38);
    let head = "某某县人民政府行政规范性文件";
    vec![
        ("wrapped at 38".into(), wrapped.join("\n")),
        (
            "page numbers — n — every 25 lines".into(),
            paginate(&lines, 25, PageStyle::Dashes, None),
        ),
        (
            "wrapped, page numbers - n - every 25 lines".into(),
            paginate(&wrapped, 25, PageStyle::Hyphens, None),
        ),
        (
            "wrapped, 第n页 and a running head every 30 lines".into(),
            paginate(&wrapped, 30, PageStyle::Ye, Some(head)),
        ),
        (
            "wrapped, bare page numbers every 27 lines".into(),
            paginate(&wrapped, 27, PageStyle::Bare, None),
        ),
        (
            "running head and — n — every 25 lines".into(),
            paginate(&lines, 25, PageStyle::Dashes, Some(head)),
        ),
        // Widths where a wrap falls inside a ratio (1:|1.5), a range (0|-6岁), before a
        // word that starts like a heading (表面抗原…), and a narrow column.
        ("wrapped at 14".into(), hard_wrap(text, 14).join("\n")),
        ("wrapped at 24".into(), hard_wrap(text, 24).join("\n")),
        ("wrapped at 32".into(), hard_wrap(text, 32).join("\n")),
        ("wrapped at 39".into(), hard_wrap(text, 39).join("\n")),
        // Short pages: a recurring heading (主要目标) stands near a page break most times,
        // but not in one place as a running head does.
        (
            "page numbers every 8 lines".into(),
            paginate(&lines, 8, PageStyle::Ye, None),
        ),
        (
            "wrapped at 24, a running head like the title every 13 lines".into(),
            paginate(
                &hard_wrap(text, 24),
                13,
                PageStyle::Dashes,
                Some("某某县妇女儿童发展规划（2021—2030年）"),
            ),
        ),
        (
            "wrapped at 30, feet of the plan's name and the number every 22 lines".into(),
            paginate(&hard_wrap(text, 30), 22, PageStyle::Named, None),
        ),
        (
            "the document's title as the running head every 20 lines".into(),
            paginate(
                &wrapped,
                20,
                PageStyle::Dashes,
                Some(
                    text.lines()
                        .map(str::trim)
                        .find(|l| !l.is_empty() && l.chars().count() <= 40)
                        .unwrap_or("规划"),
                ),
            ),
        ),
        (
            "every line indented".into(),
            indented(&hard_wrap(text, 33), "  "),
        ),
    ]
}

/// Every line of prose (not a cell, not blank) with `indent` in front.
pub fn indented(lines: &[String], indent: &str) -> String {
    lines
        .iter()
        .map(|l| {
            if l.starts_with('\t') || l.is_empty() {
                l.clone()
            } else {
                format!("{indent}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn broken_copies_of_each_plan_give_the_same_targets() {
    let mut failures = Vec::new();
    for prefix in PLANS {
        let text = original(prefix);
        let expected = targets_of(&read(prefix, &text));
        for (variant, copy) in variants(&text) {
            // PLANWATCH_DUMP_VARIANTS=dir writes each copy there, to read it with the CLI.
            if let Ok(dir) = std::env::var("PLANWATCH_DUMP_VARIANTS") {
                let name = format!("{prefix} {variant}.txt").replace([' ', ',', '/'], "_");
                let _ = std::fs::write(std::path::Path::new(&dir).join(name), &copy);
            }
            let got = targets_of(&read(&format!("{prefix} {variant}"), &copy));
            let diff = differences(&expected, &got);
            if !diff.is_empty() {
                failures.push(format!(
                    "{prefix} {variant}: {} of {} differ\n  {}",
                    diff.len(),
                    expected.values().sum::<usize>(),
                    diff.iter()
                        .take(8)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join("\n  ")
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_wrapped_target_cites_the_line_its_value_stands_on() {
    let text = "某某县妇女发展规划（2021—2030年）\n一、妇女与健康\n主要目标：\n";
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let body =
        "1.孕产妇死亡率控制在12/10万以下。2.婴儿死亡率、5岁以下儿童死亡率分别控制在5‰和7‰以下。"
            .repeat(6);
    lines.extend(hard_wrap(&body, 38));
    let doc = read("wrapped.txt", &lines.join("\n"));
    let source: Vec<&String> = lines.iter().collect();
    for p in &doc.plans {
        for t in &p.targets {
            let line = source[t.line as usize - 1];
            let value = format!("{}", t.value);
            assert!(
                line.contains(&value[..1]),
                "line {} {line} for {t:?}",
                t.line
            );
        }
    }
}

/// Plans copied out of their PDFs (`tests/data/copied/README.md`): the reader finds the
/// targets of the plan's own text.
#[test]
fn plans_copied_out_of_pdfs_give_the_same_targets() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/copied");
    let mut failures = Vec::new();
    for (file, prefix) in [
        ("000-official.txt", "000"),
        ("003-official.txt", "003"),
        ("004.txt", "004"),
    ] {
        let copy = match std::fs::read(dir.join(file)) {
            Ok(bytes) => bytes,
            Err(e) => panic!("{file}: {e}"),
        };
        let expected = targets_of(&read(prefix, &original(prefix)));
        let got = match planwatch_ingest::decode(file, &copy)
            .and_then(|s| planwatch_ingest::extract(&s))
        {
            Ok(doc) => targets_of(&doc),
            Err(e) => panic!("{file}: {e}"),
        };
        let diff = differences(&expected, &got);
        if !diff.is_empty() {
            failures.push(format!("{file}: {}", diff.join("\n  ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
