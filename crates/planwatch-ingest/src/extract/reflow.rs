//! Broken copies back into paragraphs: page furniture out, hard-wrapped lines rejoined.
//!
//! Text copied out of a PDF (or a PDF read by us) comes one printed line a line: a
//! paragraph is cut every ~38 characters, mid-sentence and mid-number ("控制在12/10\n万以下"),
//! and every page adds its number (`— 3 —`, `- 3 -`, `第3页`, `3`) and its running head or
//! foot. The rules downstream read a clause within one line, so this pass runs first:
//!
//! 1. **Page numbers**: a decorated page number is furniture wherever it stands; a bare
//!    number alone on a line only when the numbers around it count pages (n−1 or n+1 within
//!    a few pages' lines), so that a table value alone on a line stays.
//! 2. **Running heads and feet**: a short line that recurs at page breaks (next to a page
//!    number or a form feed) is furniture at those places; the same text elsewhere (a plan's
//!    title in its place) is kept.
//! 3. **Wrapped lines**: when most long lines of the document end at one width (the width
//!    of the printed line, in display columns: CJK 2, ASCII 1), a line that reaches that
//!    width and does not end a sentence continues on the next line, unless the next line
//!    starts a list item or is indented.
//!
//! Nothing here is tuned to one document; a document that is not wrapped and has no
//! furniture passes through unchanged (the width test finds no common width). Table cells
//! (lines that start with a tab) are never joined or dropped.
//!
//! Every physical line keeps its number: a logical line records where in its text each
//! physical line begins, so a target cites the line its value stands on.

use super::lines::{numbering, without_autospace};
use planwatch_text::fold_char;
use std::collections::HashMap;

/// One physical line, cleaned (see `lines::prepare`), before joining.
#[derive(Debug, Clone)]
pub struct Physical {
    /// 1-based line number in the source.
    pub no: u32,
    pub text: String,
    pub is_cell: bool,
    /// The raw line started with an indent (two spaces or a full-width space): a paragraph
    /// start in Chinese typesetting.
    pub indented: bool,
    /// The raw line held a form feed: a page break.
    pub page_break: bool,
    /// The layout says the line continues on the next (a PDF line reaching the margin).
    pub continues: bool,
}

/// A line as the rules read it: one or more physical lines joined.
#[derive(Debug, Clone)]
pub struct Logical {
    pub text: String,
    pub is_cell: bool,
    /// (char offset in `text`, line number) of each physical line joined into it; the
    /// first is (0, its own number).
    pub starts: Vec<(usize, u32)>,
}

/// A page number's longest run of digits: no document has 10,000 pages.
const MAX_PAGE_DIGITS: usize = 4;
/// The most lines a printed page holds; page numbers further apart are not one sequence.
const MAX_PAGE_LINES: usize = 120;
/// The widest printed line looked for, in columns.
const MAX_PRINT_WIDTH: usize = 400;
/// The narrowest printed line looked for (a narrow column, a phone's screen), in the
/// measure's units.
const MIN_PRINT_WIDTH: usize = 10;
/// The longest running head or foot.
const MAX_FURNITURE_CHARS: usize = 40;
/// Non-blank lines from a page break within which a running head or foot stands.
const NEAR_BREAK: usize = 3;

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '—' | '–' | '－' | '~' | '一' | '_' | '·')
}

/// The page number a line consists of, and whether it is decorated (`— 3 —`, `第3页`,
/// `3/20`, `- 3 -`) rather than bare (`3`).
fn page_number(text: &str) -> Option<(u32, bool)> {
    let t: String = text
        .chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect();
    if t.is_empty() || t.chars().count() > 16 {
        return None;
    }
    let digits = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= MAX_PAGE_DIGITS && s.chars().all(|c| c.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    // 第3页, 第 3 页 共 20 页
    if let Some(rest) = t.strip_prefix('第')
        && let Some(p) = rest.find('页')
    {
        let tail = &rest[p + '页'.len_utf8()..];
        let tail_ok = tail.is_empty()
            || tail
                .strip_prefix('共')
                .and_then(|x| x.strip_suffix('页'))
                .is_some_and(|x| digits(x).is_some());
        return digits(&rest[..p]).filter(|_| tail_ok).map(|n| (n, true));
    }
    // 3/20, 3 / 20
    if let Some((a, b)) = t.split_once('/') {
        return digits(a).filter(|_| digits(b).is_some()).map(|n| (n, true));
    }
    // — 3 —, - 3 -, 3
    let core = t.trim_matches(is_dash);
    let decorated = core.len() < t.len();
    if decorated {
        // Both sides decorated: "3—" alone is a range's start, not a page.
        let lead = t.chars().next().is_some_and(is_dash);
        let trail = t.chars().last().is_some_and(is_dash);
        if !(lead && trail) {
            return None;
        }
    }
    digits(core).map(|n| (n, decorated))
}

/// Indexes of the physical lines that are page numbers.
fn page_number_lines(lines: &[Physical]) -> Vec<usize> {
    let candidates: Vec<(usize, u32, bool)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.is_cell)
        .filter_map(|(i, l)| page_number(&l.text).map(|(n, d)| (i, n, d)))
        .collect();
    let mut out = Vec::new();
    for (k, &(i, n, decorated)) in candidates.iter().enumerate() {
        // A bare number counts when a neighbour candidate continues its count, a few
        // lines (at least) and at most a page away.
        let counts = |&&(j, m, _): &&(usize, u32, bool)| {
            let gap = i.abs_diff(j);
            (4..=MAX_PAGE_LINES).contains(&gap) && ((j > i && m == n + 1) || (j < i && m + 1 == n))
        };
        let window = &candidates[k.saturating_sub(3)..(k + 4).min(candidates.len())];
        if decorated || window.iter().any(|c| counts(&c)) {
            out.push(i);
        }
    }
    out.extend(counted_lines(lines));
    out.sort_unstable();
    out.dedup();
    out
}

/// Short lines of words and a page's number ("某某县妇女儿童发展规划  3", "3  县政府办公室印发",
/// "第3页 共40页"): the same words each time, one number counting up page by page.
fn counted_lines(lines: &[Physical]) -> Vec<usize> {
    // Grouped by their words (digits masked), with their numbers.
    let mut groups: HashMap<String, Vec<(usize, Vec<u32>)>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.text.trim();
        if l.is_cell || t.is_empty() || t.chars().count() > MAX_FURNITURE_CHARS {
            continue;
        }
        let mut shape = String::new();
        let mut numbers: Vec<u32> = Vec::new();
        let mut run = String::new();
        for c in t.chars().map(fold_char).filter(|c| !c.is_whitespace()) {
            if c.is_ascii_digit() {
                run.push(c);
                continue;
            }
            if !run.is_empty() {
                shape.push('#');
                numbers.push(run.parse().unwrap_or(u32::MAX));
                run.clear();
            }
            shape.push(c);
        }
        if !run.is_empty() {
            shape.push('#');
            numbers.push(run.parse().unwrap_or(u32::MAX));
        }
        let words = shape.chars().any(|c| c.is_alphabetic());
        if words && !numbers.is_empty() {
            groups.entry(shape).or_default().push((i, numbers));
        }
    }
    let mut out = Vec::new();
    for (_, members) in groups {
        if members.len() < 3 {
            continue;
        }
        // Next page: one number one more, the others the same.
        let counts_on = |a: &[u32], b: &[u32]| {
            let changed: Vec<usize> = (0..a.len()).filter(|&k| a[k] != b[k]).collect();
            changed.len() == 1 && a[changed[0]].checked_add(1) == Some(b[changed[0]])
        };
        let mut counted = vec![false; members.len()];
        for k in 1..members.len() {
            let ((i, a), (j, b)) = (&members[k - 1], &members[k]);
            // A page's lines apart; the last page may hold a line or two.
            let min_gap = if k == members.len() - 1 { 1 } else { 4 };
            if (min_gap..=MAX_PAGE_LINES).contains(&(j - i)) && counts_on(a, b) {
                counted[k - 1] = true;
                counted[k] = true;
            }
        }
        let n = counted.iter().filter(|c| **c).count();
        if n >= 3 && n * 10 >= members.len() * 8 {
            out.extend(
                members
                    .iter()
                    .zip(counted)
                    .filter_map(|((i, _), c)| c.then_some(*i)),
            );
        }
    }
    out
}

/// Marks page furniture in `lines`: page numbers, and the running heads and feet that
/// recur next to page breaks.
fn furniture(lines: &[Physical]) -> Vec<bool> {
    let mut drop = vec![false; lines.len()];
    let numbers = page_number_lines(lines);
    for &i in &numbers {
        drop[i] = true;
    }
    // Page breaks: page numbers and form feeds, as positions among non-blank lines.
    let nonblank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].text.trim().is_empty())
        .collect();
    // A line's rank: how many non-blank lines come before it (a form feed's line is
    // blank, and stands where the next page begins).
    let mut rank = vec![0usize; lines.len()];
    let mut seen = 0usize;
    for (i, l) in lines.iter().enumerate() {
        rank[i] = seen;
        if !l.text.trim().is_empty() {
            seen += 1;
        }
    }
    let mut breaks: Vec<usize> = numbers.iter().map(|&i| rank[i]).collect();
    breaks.extend(
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.page_break)
            .map(|(i, _)| rank[i]),
    );
    if breaks.is_empty() {
        return drop;
    }
    breaks.sort_unstable();
    breaks.dedup();
    let last_rank = nonblank.len().saturating_sub(1);
    // Where a line stands against the nearest page break, in non-blank lines: +1 the first
    // line of a page, −1 the last before its number. `None` when no break is near.
    let offset = |r: usize| -> Option<isize> {
        let p = breaks.partition_point(|&b| b < r);
        [p.checked_sub(1), Some(p)]
            .into_iter()
            .flatten()
            .filter_map(|k| breaks.get(k))
            .filter(|&&b| b.abs_diff(r) <= NEAR_BREAK)
            .min_by_key(|&&b| b.abs_diff(r))
            .map(|&b| r as isize - b as isize)
    };
    // The document's first and last lines are a page's edges too (a head that repeats the
    // title goes with it; the plan is then found by its numbering, see `structure`).
    let at_edge = |r: usize| r <= NEAR_BREAK || r + NEAR_BREAK >= last_rank;
    // Heads and feet that carry the page's number or the date ("第3页 共35页", "规划.html
    // 4/35") recur with other digits: grouped with digits and spaces left out.
    let mut groups: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.text.trim();
        if !l.is_cell && !drop[i] && !t.is_empty() && t.chars().count() <= MAX_FURNITURE_CHARS {
            let shape: String = t
                .chars()
                .map(fold_char)
                .filter(|c| !c.is_whitespace())
                .map(|c| if c.is_ascii_digit() { '#' } else { c })
                .collect();
            groups.entry(shape).or_default().push(i);
        }
    }
    for (_, at) in groups {
        if at.len() < 3 {
            continue;
        }
        // A head or foot stands in the same place on every page (the first line, the line
        // before the number); a heading that recurs (主要目标 once per domain) stands near a
        // break now and then, at any distance from it, and on short pages often.
        let offsets: Vec<(usize, Option<isize>)> =
            at.iter().map(|&i| (i, offset(rank[i]))).collect();
        let mut tally: HashMap<isize, usize> = HashMap::new();
        for (_, o) in &offsets {
            if let Some(o) = o {
                *tally.entry(*o).or_default() += 1;
            }
        }
        let Some(place) = tally
            .into_iter()
            .max_by_key(|&(o, n)| (n, std::cmp::Reverse(o.abs())))
            .map(|(o, _)| o)
        else {
            continue;
        };
        let placed: Vec<usize> = offsets
            .iter()
            .filter(|(i, o)| *o == Some(place) || (o.is_none() && at_edge(rank[*i])))
            .map(|(i, _)| *i)
            .collect();
        // Most of its occurrences there: a head or foot, not a heading that happens to
        // recur.
        if placed.len() >= 3 && placed.len() * 10 >= at.len() * 8 {
            for i in placed {
                drop[i] = true;
            }
        }
    }
    drop
}

/// How a line's length is counted: chars, or display columns.
type Measure = fn(&str) -> usize;

/// Display width: CJK and full-width forms take two columns, the rest one.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

/// The width at which the document's lines were wrapped, when they were: the most common
/// width (within a small tolerance) of its long lines, held by a good share of its lines.
/// Returns (width, tolerance) under one measure (chars or display columns).
fn wrap_width(texts: &[&str], measure: Measure) -> Option<(usize, usize, usize)> {
    let sizes: Vec<usize> = texts.iter().map(|t| measure(t)).collect();
    // A printed line is at most a few hundred columns (A3 landscape in small type); the
    // histogram stops there, so a document of one huge line costs no more than its length.
    let longest = sizes.iter().copied().max()?.min(MAX_PRINT_WIDTH);
    if longest < MIN_PRINT_WIDTH {
        return None;
    }
    // below[w] = how many lines measure less than w.
    let mut histogram = vec![0usize; longest + 2];
    for &s in &sizes {
        histogram[s.min(longest + 1)] += 1;
    }
    let mut below = vec![0usize; longest + 3];
    for w in 0..=longest + 1 {
        below[w + 1] = below[w] + histogram[w];
    }
    let mut best: Option<(usize, usize, usize)> = None; // (count, width, tolerance)
    for w in MIN_PRINT_WIDTH..=longest {
        let tol = (w / 12).max(2);
        let count = below[w + 1] - below[w - tol];
        if best.is_none_or(|(c, _, _)| count > c) {
            best = Some((count, w, tol));
        }
    }
    let (count, w, tol) = best?;
    // Longer lines than the width are rare in a wrapped text (a URL, a table row).
    let longer = sizes.iter().filter(|&&s| s > w).count();
    let wrapped = count >= 8 && count * 10 >= texts.len() * 4 && longer * 10 <= texts.len();
    wrapped.then_some((w, tol, count))
}

/// Ends a sentence or a heading: the next line starts anew. A colon after a digit is a
/// ratio cut at the margin ("不低于1:" | "1.5"), not a heading's.
fn ends_paragraph(text: &str) -> bool {
    let mut tail = text.trim_end().chars().rev().map(fold_char);
    match tail.next() {
        None => true,
        Some(':') => !tail.next().is_some_and(|c| c.is_ascii_digit()),
        Some(c) => matches!(c, '。' | '!' | '?' | ';'),
    }
}

/// Starts a list item, a bullet or a heading number: a new line in any layout. `before` is
/// the text the line would continue.
fn starts_item(before: &str, text: &str) -> bool {
    let folded: Vec<char> = text.chars().map(fold_char).collect();
    let Some(&first) = folded.first() else {
        return false;
    };
    // A dash after a digit is a range cut at the margin ("0—" | "6岁"), and a dash before
    // a digit a range's or a negative number's rest: a bullet is followed by words.
    let ends_with_digit = before
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| fold_char(c).is_ascii_digit());
    let dash = matches!(first, '—' | '-' | '~');
    if dash && (ends_with_digit || folded.get(1).is_some_and(|c| c.is_ascii_digit())) {
        return false;
    }
    if numbering(&folded, None).0 > 0 {
        return true;
    }
    // 第三章, 专栏1, 附件2, 表1: the word with its number, not a sentence that happens to
    // start with 表 (表面抗原…) or 第 (第三方评估…) after a wrap.
    let numbered = |rest: &[char]| {
        let digits = rest
            .iter()
            .take_while(|c| c.is_ascii_digit() || is_cn_numeral(**c))
            .count();
        digits > 0
    };
    if folded.len() > 30 {
        return false;
    }
    if let Some(rest) = folded.strip_prefix(&['第']) {
        let n = rest
            .iter()
            .take_while(|c| c.is_ascii_digit() || is_cn_numeral(**c))
            .count();
        return n > 0
            && rest
                .get(n)
                .is_some_and(|c| matches!(c, '章' | '节' | '部' | '条'));
    }
    for word in [&['专', '栏'][..], &['附', '件'][..], &['表'][..]] {
        if let Some(rest) = folded.strip_prefix(word) {
            let rest: Vec<char> = rest.iter().copied().skip_while(|c| *c == ' ').collect();
            return numbered(&rest) || rest.is_empty() || rest[0] == ':';
        }
    }
    false
}

fn is_cn_numeral(c: char) -> bool {
    matches!(
        c,
        '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '〇' | '零'
    )
}

/// The pre-pass: physical lines to the lines the rules read.
pub fn reflow(lines: Vec<Physical>) -> Vec<Logical> {
    let drop = furniture(&lines);
    // Blank lines next to furniture are part of the page break; so is a line that held
    // only a form feed (a paragraph goes on across it).
    let mut skip = drop.clone();
    for (i, l) in lines.iter().enumerate() {
        if l.page_break && l.text.trim().is_empty() {
            skip[i] = true;
        }
    }
    for i in 0..lines.len() {
        if drop[i] || (lines[i].page_break && lines[i].text.trim().is_empty()) {
            let mut j = i;
            while j > 0 && lines[j - 1].text.trim().is_empty() && !lines[j - 1].is_cell {
                j -= 1;
                skip[j] = true;
            }
            let mut j = i + 1;
            while j < lines.len() && lines[j].text.trim().is_empty() && !lines[j].is_cell {
                skip[j] = true;
                j += 1;
            }
        }
    }
    let kept: Vec<Physical> = lines
        .into_iter()
        .zip(skip)
        .filter_map(|(l, s)| (!s).then_some(l))
        .collect();
    let prose: Vec<&str> = kept
        .iter()
        .filter(|l| !l.is_cell && !l.text.trim().is_empty())
        .map(|l| l.text.as_str())
        .collect();
    let by_chars = wrap_width(&prose, |t| t.chars().count());
    let by_columns = wrap_width(&prose, width);
    // Text wrapped by a program counts chars; a printed page counts columns (a digit is
    // half a character wide). The measure under which more lines share one width is the
    // one the text was wrapped by.
    let chars: Measure = |t| t.chars().count();
    // When the layout said which lines reach the margin (a PDF), that is the answer.
    let told = kept.iter().any(|l| l.continues);
    let measure: Option<(Measure, usize, usize)> = match (by_chars, by_columns) {
        _ if told => None,
        (Some((w, tol, a)), Some((_, _, b))) if a > b => Some((chars, w, tol)),
        (_, Some((w, tol, _))) => Some((width, w, tol)),
        (Some((w, tol, _)), None) => Some((chars, w, tol)),
        (None, None) => None,
    };
    // An indent opens a paragraph, unless most lines are indented (a copy that put the
    // margin in front of every line): then it says nothing.
    let indented = kept
        .iter()
        .filter(|l| l.indented && !l.is_cell && !l.text.trim().is_empty())
        .count();
    let indent_opens = indented * 2 <= prose.len();
    let opens_paragraph = |l: &Physical| l.indented && indent_opens;
    let mut out: Vec<Logical> = Vec::with_capacity(kept.len());
    // How far the last physical line fell short of the margin (in the measure's units), when
    // it could go on at all: 0 when it reached it or the layout said so.
    let mut short_by: Option<usize> = None;
    for l in kept {
        let blank = l.text.trim().is_empty();
        // A line also goes on when what the next one starts with did not fit after it: a
        // number or a Latin word is not broken, so the line ends early ("提高到" | "98%。").
        let open = short_by.is_some_and(|short| {
            short == 0 || measure.is_some_and(|(m, _, _)| short <= m(&leading_unbreakable(&l.text)))
        });
        let mut joined = false;
        if open
            && !blank
            && !l.is_cell
            && !opens_paragraph(&l)
            && let Some(last) = out.last_mut()
            && !starts_item(&last.text, &l.text)
        {
            let at = last.text.chars().count();
            last.starts.push((at, l.no));
            last.text.push_str(&without_autospace(&l.text));
            joined = true;
        }
        if !joined {
            out.push(Logical {
                text: without_autospace(&l.text),
                is_cell: l.is_cell,
                starts: vec![(0, l.no)],
            });
        }
        short_by = if l.is_cell || blank || ends_paragraph(&l.text) {
            None
        } else if l.continues {
            Some(0)
        } else {
            measure.map(|(m, w, tol)| {
                // A paragraph's first line is indented by two characters, which a copy
                // out of a PDF does not keep. (A sentence's line: a heading or a title as
                // long is no paragraph.)
                let sentence = l
                    .text
                    .chars()
                    .map(fold_char)
                    .any(|c| matches!(c, ',' | '。' | ';'));
                let indent = if joined || !sentence { 0 } else { m("　　") };
                w.saturating_sub(m(&l.text) + tol + indent)
            })
        };
    }
    out
}

/// What a line starts with that a typesetter does not break: a number with its signs, a
/// Latin word ("98%。" → "98%").
fn leading_unbreakable(text: &str) -> String {
    text.trim_start()
        .chars()
        .map(fold_char)
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '%' | '‰' | '.' | '/' | ':'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn physical(lines: &[&str]) -> Vec<Physical> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| Physical {
                no: i as u32 + 1,
                text: t.to_string(),
                is_cell: false,
                indented: false,
                page_break: false,
                continues: false,
            })
            .collect()
    }

    #[test]
    fn page_numbers() {
        assert_eq!(page_number("— 3 —"), Some((3, true)));
        assert_eq!(page_number("- 12 -"), Some((12, true)));
        assert_eq!(page_number("第3页"), Some((3, true)));
        assert_eq!(page_number("第 3 页 共 20 页"), Some((3, true)));
        assert_eq!(page_number("3/20"), Some((3, true)));
        assert_eq!(page_number("3"), Some((3, false)));
        assert_eq!(page_number("—3"), None);
        assert_eq!(page_number("2025年"), None);
        assert_eq!(page_number("98%"), None);
    }

    #[test]
    fn a_bare_number_is_a_page_only_in_a_count_of_pages() {
        let mut text: Vec<String> = Vec::new();
        for page in 1..=3 {
            for k in 0..10 {
                text.push(format!("第{page}页的第{k}行文字。"));
            }
            text.push(page.to_string());
        }
        text.push("98".into());
        let refs: Vec<&str> = text.iter().map(String::as_str).collect();
        let out = reflow(physical(&refs));
        let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert!(!texts.contains(&"1") && !texts.contains(&"2") && !texts.contains(&"3"));
        assert!(texts.contains(&"98"), "{texts:?}");
    }

    #[test]
    fn wrapped_lines_are_joined_and_keep_their_numbers() {
        let mut lines = vec![
            "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八";
            10
        ];
        lines.push("孕产妇死亡率控制在12/10");
        lines.push("万以下。");
        lines.push("(二)妇女与教育");
        let mut phys = physical(&lines);
        // The sentence cut mid-number on a line of the wrapped width.
        phys[10].text =
            "一二三四五六七八九十一二三四五六七八九十一二三四五六孕产妇死亡率控制在12/10".into();
        let out = reflow(phys);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(out[0].text.ends_with("控制在12/10万以下。"));
        assert_eq!(
            out[0].starts.last(),
            Some(&(out[0].text.chars().count() - 4, 12))
        );
        assert_eq!(out[1].text, "(二)妇女与教育");
    }

    #[test]
    fn a_text_that_is_not_wrapped_passes_unchanged() {
        let lines = [
            "主要目标：",
            "1.孕产妇死亡率控制在12/10万以下。",
            "2.婴儿死亡率控制在5‰以下",
            "策略措施：",
        ];
        let out = reflow(physical(&lines));
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn running_heads_at_page_breaks_are_dropped_but_not_elsewhere() {
        let mut text: Vec<String> = vec!["某县人民政府公报".into()];
        for page in 1..=4 {
            for k in 0..8 {
                text.push(format!("正文第{page}页第{k}行。"));
            }
            text.push(format!("— {page} —"));
            text.push("某县人民政府公报".into());
        }
        text.push("正文提到某县人民政府公报。".into());
        let refs: Vec<&str> = text.iter().map(String::as_str).collect();
        let out = reflow(physical(&refs));
        assert!(out.iter().all(|l| l.text != "某县人民政府公报"), "{out:?}");
        assert!(out.iter().all(|l| !l.text.contains('—')));
        assert_eq!(out.len(), 33);
    }

    /// A browser's print: the pages break with form feeds only, and the foot carries the
    /// date and the file's address with "4/35": the same foot with other digits.
    #[test]
    fn feet_that_differ_only_in_their_digits_are_dropped_at_form_feeds() {
        let mut lines = Vec::new();
        for page in 1..=4 {
            for k in 0..8 {
                lines.push((format!("正文第{page}页第{k}行。"), false));
            }
            lines.push(("12/4/26, 3:51 AM".to_string(), false));
            lines.push((format!("file:///规划.html {page}/35"), false));
            lines.push((String::new(), true));
        }
        let physical: Vec<Physical> = lines
            .iter()
            .enumerate()
            .map(|(i, (t, page_break))| Physical {
                no: i as u32 + 1,
                text: t.clone(),
                is_cell: false,
                indented: false,
                page_break: *page_break,
                continues: false,
            })
            .collect();
        let out = reflow(physical);
        assert!(
            out.iter().all(|l| l.text.starts_with("正文")),
            "{:?}",
            out.iter().map(|l| &l.text).collect::<Vec<_>>()
        );
        assert_eq!(out.len(), 32);
    }

    fn joined(lines: &[&str]) -> Vec<String> {
        // Ten full lines first, so that the document has a width to be wrapped at.
        let mut all =
            vec!["一二三四五六七八九十一二三四五六七八九十一二三。"; 10];
        all.extend_from_slice(lines);
        reflow(physical(&all))
            .into_iter()
            .skip(10)
            .map(|l| l.text)
            .collect()
    }

    #[test]
    fn a_ratio_a_range_and_a_word_like_a_heading_go_on_across_the_margin() {
        // 24 chars each: the margin cuts a ratio after its colon, a range after its
        // first number, a sentence before 表面 (not a 表1 heading) and before 第三方.
        let out = joined(&[
            "城镇公共厕所男女厕位比例在新建和改建时不低于1:",
            "1.5。",
            "加强视力检查工作，提高眼保健和视力检查覆盖率0",
            "—6岁儿童达到90%以上。",
            "有效防治疾病。5岁以下儿童乙型肝炎病毒病毒病毒病毒",
            "表面抗原流行率控制在0.5%以下。",
            "定期开展监测评估工作，委托独立开展评估的机构为",
            "第三方评估机构。",
            "表1",
            "专栏2 主要指标",
        ]);
        assert_eq!(
            out,
            [
                "城镇公共厕所男女厕位比例在新建和改建时不低于1:1.5。",
                "加强视力检查工作，提高眼保健和视力检查覆盖率0—6岁儿童达到90%以上。",
                "有效防治疾病。5岁以下儿童乙型肝炎病毒病毒病毒病毒表面抗原流行率控制在0.5%以下。",
                "定期开展监测评估工作，委托独立开展评估的机构为第三方评估机构。",
                "表1",
                // The space between a number and Chinese is a typesetter's, not the text's.
                "专栏2主要指标",
            ]
        );
    }

    #[test]
    fn a_heading_that_recurs_near_short_pages_breaks_is_kept() {
        // Pages of four lines: 主要目标 stands within a few lines of a page number every
        // time, but at a different place on each page; the running head always first.
        let mut text: Vec<String> = Vec::new();
        let mut page = 1;
        for domain in 0..6 {
            for k in 0..(3 + domain % 3) {
                text.push(format!("第{domain}领域正文第{k}行。"));
                if text.len().is_multiple_of(4) {
                    text.push(format!("— {page} —"));
                    text.push("某县妇女儿童发展规划".into());
                    page += 1;
                }
            }
            text.push("主要目标：".into());
            if text.len().is_multiple_of(4) {
                text.push(format!("— {page} —"));
                text.push("某县妇女儿童发展规划".into());
                page += 1;
            }
        }
        let refs: Vec<&str> = text.iter().map(String::as_str).collect();
        let out = reflow(physical(&refs));
        let kept = |t: &str| out.iter().filter(|l| l.text == t).count();
        assert_eq!(kept("主要目标："), 6);
        assert_eq!(kept("某县妇女儿童发展规划"), 0);
    }

    #[test]
    fn an_indent_on_every_line_says_nothing() {
        let mut phys = physical(&["一二三四五六七八九十一二三四五六七八九十一二三四"; 10]);
        phys.extend(physical(&[
            "孕产妇死亡率控制在每十万人十二人以下并逐步降低到",
            "九以下。",
        ]));
        for (i, p) in phys.iter_mut().enumerate() {
            p.no = i as u32 + 1;
            p.indented = true;
        }
        let out = reflow(phys);
        assert_eq!(out.len(), 1, "{out:?}");
        assert!(out[0].text.ends_with("逐步降低到九以下。"));
    }

    #[test]
    fn feet_of_words_and_a_counted_number_are_dropped() {
        let mut text: Vec<String> = Vec::new();
        for page in 1..=4 {
            for k in 0..6 {
                text.push(format!("正文第{page}页第{k}行。"));
            }
            text.push(format!("某某县妇女儿童发展规划  {page}"));
        }
        // The last page holds one line; a list of places numbered in the text stays.
        text.push("最后一行。".into());
        text.push("某某县妇女儿童发展规划  5".into());
        for n in 1..=3 {
            text.push(format!("第{n}中学"));
        }
        let refs: Vec<&str> = text.iter().map(String::as_str).collect();
        let out: Vec<String> = reflow(physical(&refs))
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert!(out.iter().all(|l| !l.starts_with("某某县")), "{out:?}");
        assert_eq!(out.iter().filter(|l| l.ends_with("中学")).count(), 3);
        assert_eq!(out.len(), 4 * 6 + 1 + 3);
    }

    #[test]
    fn a_line_short_by_the_number_after_it_or_by_a_lost_indent_goes_on() {
        let out = joined(&[
            // Short by a character and a half: "98%" did not fit after it.
            "适龄残疾儿童义务教育入学率应当逐步地提高到",
            "98%。",
            // A paragraph's first line, short by its indent of two characters.
            "4.女童平等接受义务教育，九年义务教育巩固",
            "率提升到96%以上。",
            // A heading as short is no paragraph: it stays a line of its own.
            "某某县儿童发展规划（2021—2030年）",
            "本规划所称儿童是指未满十八周岁的未成年人。",
        ]);
        assert_eq!(
            out,
            [
                "适龄残疾儿童义务教育入学率应当逐步地提高到98%。",
                "4.女童平等接受义务教育，九年义务教育巩固率提升到96%以上。",
                "某某县儿童发展规划（2021—2030年）",
                "本规划所称儿童是指未满十八周岁的未成年人。",
            ]
        );
    }
}
