//! Line preparation: conversion leftovers out, widths folded, list numbering recognised.

use super::reflow::{Physical, reflow};
use planwatch_text::fold_char;

/// One line of the document, ready for the rules.
#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the source.
    pub no: u32,
    /// The line without conversion leftovers (what `text` fields quote), trimmed.
    pub original: Vec<char>,
    /// `original` folded char for char (full-width digits and punctuation to ASCII).
    pub folded: Vec<char>,
    /// Where the body starts after list numbering or a bullet ("1." "（一）" "——" "①").
    pub body_start: usize,
    /// The list number when the line starts with one ("3." "3、" "(3)").
    pub item_number: Option<u32>,
    /// Cells when the line is a table cell or row (a line that starts with a tab).
    pub is_cell: bool,
    /// (char offset, line number) where each physical line joined into this one begins
    /// (see `reflow`); one entry for a line that was not wrapped.
    pub starts: Vec<(usize, u32)>,
}

impl Line {
    /// The 1-based source line on which the char at `at` stands.
    pub fn no_at(&self, at: usize) -> u32 {
        let k = self.starts.partition_point(|&(offset, _)| offset <= at);
        self.starts
            .get(k.saturating_sub(1))
            .map_or(self.no, |&(_, no)| no)
    }

    pub fn body(&self) -> &[char] {
        &self.folded[self.body_start..]
    }

    pub fn body_string(&self) -> String {
        self.body().iter().collect()
    }

    pub fn folded_string(&self) -> String {
        self.folded.iter().collect()
    }

    pub fn original_range(&self, start: usize, end: usize) -> String {
        let end = end.min(self.original.len());
        let start = start.min(end);
        self.original[start..end].iter().collect()
    }

    pub fn is_blank(&self) -> bool {
        self.folded.iter().all(|c| c.is_whitespace())
    }
}

/// Removes `[bookmark: _Toc…]` and similar bracketed converter leftovers.
fn strip_leftovers(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(pos) = rest.find("[bookmark:") {
        out.push_str(&rest[..pos]);
        match rest[pos..].find(']') {
            Some(end) => rest = &rest[pos + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// A Chinese character or full-width sign (not a space).
fn is_wide(c: char) -> bool {
    ((c as u32) >= 0x2E80 && !c.is_whitespace()) || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…')
}

/// A digit, a Latin letter or a sign that goes with a number.
fn is_narrow(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '%' | '‰' | '.' | '<' | '>' | '=' | '≥' | '≤' | '+')
}

/// The space a typesetter puts between Chinese and Latin text (Word's and LibreOffice's
/// autospace), which text copied out of a PDF keeps as a space: "5 岁以下", "2030 年",
/// "控制在 0.5%以下". A single space there is dropped; spaces between Chinese words
/// (a heading's number and its title) and between numbers stay. Dropped when lines are
/// joined (`reflow`), after the line's width in the copy has been measured with them.
pub(super) fn without_autospace(line: &str) -> String {
    if !line.contains([' ', '\u{a0}']) {
        return line.to_string();
    }
    let chars: Vec<char> = line.chars().collect();
    let single_space = |i: usize| {
        matches!(chars[i], ' ' | '\u{a0}')
            && i > 0
            && i + 1 < chars.len()
            && !matches!(chars[i - 1], ' ' | '\u{a0}')
            && !matches!(chars[i + 1], ' ' | '\u{a0}')
    };
    // A short line spread to the margin (justified) comes out of a PDF with a space
    // between every two characters: "6岁 儿 童 近 视 率 控 制".
    let between_wide = (0..chars.len())
        .filter(|&i| single_space(i) && is_wide(chars[i - 1]) && is_wide(chars[i + 1]))
        .count();
    let spread = between_wide >= 2;
    let mut out = String::with_capacity(line.len());
    for (i, &c) in chars.iter().enumerate() {
        if single_space(i) {
            let (before, after) = (chars[i - 1], chars[i + 1]);
            let mixed =
                (is_wide(before) && is_narrow(after)) || (is_narrow(before) && is_wide(after));
            if mixed || (spread && is_wide(before) && is_wide(after)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
pub fn prepare(raw: &[String]) -> Vec<Line> {
    prepare_with_wraps(raw, &[])
}

/// `prepare`, told which lines (0-based) the layout says continue on the next one.
pub fn prepare_with_wraps(raw: &[String], wraps: &[u32]) -> Vec<Line> {
    let physical: Vec<Physical> = raw
        .iter()
        .enumerate()
        .map(|(i, raw_line)| {
            let page_break = raw_line.contains('\u{c}');
            let raw_line = if page_break {
                raw_line.replace('\u{c}', "")
            } else {
                raw_line.clone()
            };
            let is_cell = raw_line.starts_with('\t');
            let indented = raw_line.starts_with("  ") || raw_line.starts_with('\u{3000}');
            let cleaned = strip_leftovers(&raw_line);
            let text = if is_cell {
                // Cells keep their tabs: they separate the cells of a row-per-line table.
                // Exactly one leading tab marks a cell; the next one is an empty first cell.
                cleaned
                    .strip_prefix('\t')
                    .unwrap_or(&cleaned)
                    .trim_end_matches(|c: char| c.is_whitespace() && c != '\t')
                    .to_string()
            } else {
                cleaned
                    .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .to_string()
            };
            Physical {
                continues: wraps.binary_search(&(i as u32)).is_ok(),
                no: (i + 1) as u32,
                text,
                is_cell,
                indented,
                page_break,
            }
        })
        .collect();
    let logical = reflow(physical);
    let mut out = Vec::with_capacity(logical.len());
    let mut last_item: Option<u32> = None;
    for l in logical {
        let original: Vec<char> = l.text.chars().collect();
        let folded: Vec<char> = original.iter().map(|&c| fold_char(c)).collect();
        let (body_start, item_number) = numbering(&folded, last_item);
        if let Some(n) = item_number {
            last_item = Some(n);
        }
        out.push(Line {
            no: l.starts.first().map_or(1, |s| s.1),
            original,
            folded,
            body_start,
            item_number,
            is_cell: l.is_cell,
            starts: l.starts,
        });
    }
    out
}

fn cn_digit(c: char) -> bool {
    "一二三四五六七八九十".contains(c)
}

/// Recognises list numbering and bullets at the start of a folded line; returns where the
/// body starts and the item number. `8.5岁以下…` after item 7 is item 8 about 5岁以下.
pub fn numbering(chars: &[char], last_item: Option<u32>) -> (usize, Option<u32>) {
    let skip_space = |mut i: usize| {
        while i < chars.len() && (chars[i] == ' ' || chars[i] == '\t') {
            i += 1;
        }
        i
    };
    let n = chars.len();
    let mut i = skip_space(0);
    if i >= n {
        return (i, None);
    }
    let c = chars[i];
    // Bullets.
    if c == '—' || c == '-' || c == '•' || c == '●' || c == '·' || c == '■' || c == '◆' || c == '★'
    {
        while i < n && matches!(chars[i], '—' | '-' | '•' | '●' | '·' | '■' | '◆' | '★')
        {
            i += 1;
        }
        return (skip_space(i), None);
    }
    // Circled numbers ① … ⑳.
    if ('\u{2460}'..='\u{2473}').contains(&c) {
        return (skip_space(i + 1), Some(c as u32 - 0x2460 + 1));
    }
    // (1) (一) （一）
    if c == '(' {
        let mut j = i + 1;
        while j < n && (chars[j].is_ascii_digit() || cn_digit(chars[j])) {
            j += 1;
        }
        if j > i + 1 && j < n && chars[j] == ')' {
            let inner: String = chars[i + 1..j].iter().collect();
            let num = inner.parse::<u32>().ok();
            return (skip_space(j + 1), num);
        }
        return (i, None);
    }
    // 一、 二.
    if cn_digit(c) {
        let mut j = i;
        while j < n && cn_digit(chars[j]) {
            j += 1;
        }
        if j < n && matches!(chars[j], '、' | '.' | ',') && j - i <= 3 {
            return (skip_space(j + 1), None);
        }
        return (i, None);
    }
    // 1. 1、 1) 12．
    if c.is_ascii_digit() {
        let mut j = i;
        while j < n && chars[j].is_ascii_digit() {
            j += 1;
        }
        let digits: String = chars[i..j].iter().collect();
        let num = digits.parse::<u32>().ok();
        if j - i > 2 {
            return (i, None);
        }
        if j < n && matches!(chars[j], '、' | ')') {
            return (skip_space(j + 1), num);
        }
        if j < n && chars[j] == '.' {
            let next_is_digit = chars.get(j + 1).is_some_and(|c| c.is_ascii_digit());
            if !next_is_digit {
                return (skip_space(j + 1), num);
            }
            // "8.5岁…": a decimal, unless it continues the list that came before, or opens
            // a list again with an age group ("1.18岁以下儿童…": no age is written 1.18岁).
            let continues_list =
                matches!((num, last_item), (Some(num), Some(last)) if num == last + 1);
            let age_follows = chars[j + 1..]
                .iter()
                .find(|c| !c.is_ascii_digit())
                .is_some_and(|&c| c == '岁');
            let opens_list = num == Some(1) && age_follows;
            if continues_list || opens_list {
                return (j + 1, num);
            }
            return (i, None);
        }
    }
    (i, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str, last: Option<u32>) -> (String, Option<u32>) {
        let chars: Vec<char> = s.chars().collect();
        let (start, n) = numbering(&chars, last);
        (chars[start..].iter().collect(), n)
    }

    #[test]
    fn numbering_styles() {
        assert_eq!(
            num("1.孕产妇死亡率", None),
            ("孕产妇死亡率".into(), Some(1))
        );
        assert_eq!(num("12、孕产妇", None), ("孕产妇".into(), Some(12)));
        assert_eq!(num("(3) 指导思想", None), ("指导思想".into(), Some(3)));
        assert_eq!(num("(一)妇女与健康", None), ("妇女与健康".into(), None));
        assert_eq!(num("二、发展领域", None), ("发展领域".into(), None));
        assert_eq!(num("——孕产妇死亡率", None), ("孕产妇死亡率".into(), None));
        assert_eq!(num("①婚前", None), ("婚前".into(), Some(1)));
    }

    #[test]
    fn a_list_number_glued_to_a_decimal() {
        assert_eq!(
            num("8.5岁以下儿童贫血率", Some(7)),
            ("5岁以下儿童贫血率".into(), Some(8))
        );
        assert_eq!(
            num("8.5岁以下儿童贫血率", Some(2)),
            ("8.5岁以下儿童贫血率".into(), None)
        );
        assert_eq!(
            num("1.18岁以下儿童伤害死亡率", None),
            ("18岁以下儿童伤害死亡率".into(), Some(1))
        );
        assert_eq!(
            num("1.18岁以下儿童伤害死亡率", Some(6)),
            ("18岁以下儿童伤害死亡率".into(), Some(1))
        );
        assert_eq!(num("1.5个百分点", None), ("1.5个百分点".into(), None));
    }

    #[test]
    fn bookmarks_are_removed() {
        assert_eq!(
            strip_leftovers("1、 [bookmark: _Toc2304][bookmark: _Toc31885]指导思想"),
            "1、 指导思想"
        );
    }

    #[test]
    fn the_space_between_chinese_and_numbers_that_a_pdf_copy_keeps_is_dropped() {
        assert_eq!(
            without_autospace("5 岁以下儿童乙型肝炎病毒表面抗原流行率控制在 0.5%以下。"),
            "5岁以下儿童乙型肝炎病毒表面抗原流行率控制在0.5%以下。"
        );
        assert_eq!(without_autospace("以 2020 年为基数"), "以2020年为基数");
        // Between Chinese words, between numbers, and runs of spaces: kept.
        assert_eq!(without_autospace("一、 总体要求"), "一、 总体要求");
        assert_eq!(without_autospace("第三章 总则"), "第三章 总则");
        assert_eq!(without_autospace("1:1.5 2"), "1:1.5 2");
        assert_eq!(
            without_autospace("县卫生健康委  2030"),
            "县卫生健康委  2030"
        );
        assert_eq!(
            without_autospace("城市社区“ 15 分钟生活圈”"),
            "城市社区“15分钟生活圈”"
        );
        // Lines spread by justification.
        assert_eq!(
            without_autospace("产前筛查率 分 别达 80% 以上和"),
            "产前筛查率分别达80%以上和"
        );
        assert_eq!(
            without_autospace("6 岁 儿 童 近 视 率 控 制"),
            "6岁儿童近视率控制"
        );
    }
}
