//! Indicator tables (专栏 … 主要指标): 类别 / 序号 / 指标名称 / 目标值 / 指标属性 / 责任单位.
//!
//! Converted documents lay a table out either one cell per line (each cell a line that
//! starts with a tab, rows one after another) or one row per line (cells separated by tabs,
//! as our .docx and .html readers write them). Both become one stream of cells, cut into
//! rows by the header's width. A line without a tab inside the table continues the cell
//! before it (a second 责任单位), unless it names a domain (a merged 类别 cell repeated after
//! a page break).

use super::lines::Line;
use super::prose::{clean_name, direction_words, strip_unit_brackets};
use super::structure::{classify_heading, domain_name, match_domain};
use planwatch_core::{Baseline, Comparator, Direction, QualitativeTarget, Section, Target};
use planwatch_text::comparator::{combine, suffix_at, verb_before};
use planwatch_text::number::parse_quantity_at;
use planwatch_text::{fold, unit};

pub struct TableResult {
    pub targets: Vec<Target>,
    pub qualitative: Vec<QualitativeTarget>,
    pub baselines: Vec<Baseline>,
    /// Index of the first line after the table.
    pub next: usize,
}

#[derive(Debug, Clone)]
struct Cell {
    folded: String,
    original: String,
    line_no: u32,
}

enum Item {
    Cell(Cell),
    /// The end of a line that held a whole row (.docx, .html, tab-separated text).
    RowEnd,
    /// A line without a tab: continues the previous cell, or names the next rows' domain.
    Continuation(Cell),
}

#[derive(Debug, Default)]
struct Columns {
    category: Option<usize>,
    name: Option<usize>,
    targets: Vec<(usize, Option<i32>)>,
    /// Columns of past values (现状, 基期, 2020年) with the year they describe.
    baselines: Vec<(usize, i32)>,
    binding: Option<usize>,
    owner: Option<usize>,
}

const HEADER_WORDS: &[&str] = &[
    "类别", "领域", "序号", "指标", "名称", "目标", "规划", "属性", "单位", "现状", "基期", "基数",
    "年", "备注", "值",
];

fn is_header_cell(text: &str) -> bool {
    let t = text.trim();
    !t.is_empty()
        && t.chars().count() <= 12
        && HEADER_WORDS.iter().any(|w| t.contains(w))
        && domain_name(t).is_none()
        && !t.chars().all(|c| c.is_ascii_digit())
}

fn columns(header: &[Cell], plan_start: i32, plan_end: i32) -> Columns {
    let mut cols = Columns::default();
    for (i, cell) in header.iter().enumerate() {
        let t = cell.folded.replace([' ', '\n'], "");
        if t.contains("类别") || t.contains("领域") || t == "类型" {
            cols.category = Some(i);
        } else if t.contains("属性") || t.contains("性质") {
            cols.binding = Some(i);
        } else if t.contains("责任") || t.contains("牵头") || t.contains("部门") || t == "单位"
        {
            cols.owner = Some(i);
        } else if t.contains("指标名称")
            || t == "指标"
            || t == "名称"
            || (t.contains("指标") && cols.name.is_none() && !t.contains("值"))
        {
            cols.name = Some(i);
        } else if t.contains("序号") {
            // numbering carries no values
        } else {
            let year = planwatch_text::find_years(&t.chars().collect::<Vec<_>>())
                .first()
                .and_then(|y| y.year);
            let past = ["现状", "基期", "基数", "基线"]
                .iter()
                .any(|w| t.contains(w))
                || year.is_some_and(|y| y < plan_start);
            if past {
                cols.baselines.push((i, year.unwrap_or(plan_start - 1)));
                continue;
            }
            let is_target = t.contains("目标")
                || t.contains("规划")
                || t.contains("值")
                || year.is_some_and(|y| y > 2020);
            if is_target {
                cols.targets.push((i, year.or(Some(plan_end))));
            }
        }
    }
    cols
}

pub fn parse(lines: &[Line], start: usize, domains: &[String], period: [i32; 2]) -> TableResult {
    let [plan_start, plan_end] = period;
    let mut items: Vec<Item> = Vec::new();
    let mut next = start;
    while next < lines.len() {
        let line = &lines[next];
        if line.is_blank() && !line.is_cell {
            next += 1;
            continue;
        }
        if line.is_cell {
            let folded: String = line.folded.iter().collect();
            let original: String = line.original.iter().collect();
            let cells = folded.split('\t').count();
            for (f, o) in folded.split('\t').zip(original.split('\t')) {
                items.push(Item::Cell(Cell {
                    folded: f.trim().to_string(),
                    original: o.trim().to_string(),
                    line_no: line.no,
                }));
            }
            if cells > 1 {
                items.push(Item::RowEnd);
            }
            next += 1;
            continue;
        }
        let text = line.folded_string();
        let t = text.trim();
        let names_domain = domain_name(t).is_some() && !items.is_empty();
        if !names_domain && classify_heading(line).is_some()
            || t.chars().count() > 24
            || t.ends_with('。')
            || items.is_empty()
        {
            break;
        }
        let original: String = line.original.iter().collect();
        items.push(Item::Continuation(Cell {
            folded: t.to_string(),
            original: original.trim().to_string(),
            line_no: line.no,
        }));
        next += 1;
    }
    let mut result = TableResult {
        targets: Vec::new(),
        qualitative: Vec::new(),
        baselines: Vec::new(),
        next,
    };
    // The header: leading cells with header words (and their continuation lines).
    let mut header: Vec<Cell> = Vec::new();
    let mut k = 0;
    // A header that is one line of a row-per-line table takes its empty cells along (a
    // name spanning two columns leaves one).
    let first_row_end = items.iter().position(|i| matches!(i, Item::RowEnd));
    if let Some(end) = first_row_end {
        let cells: Vec<&Cell> = items[..end]
            .iter()
            .filter_map(|i| match i {
                Item::Cell(c) => Some(c),
                _ => None,
            })
            .collect();
        let headerish = cells
            .iter()
            .filter(|c| !c.folded.is_empty())
            .all(|c| is_header_cell(&c.folded));
        if headerish && cells.iter().any(|c| !c.folded.is_empty()) && cells.len() == end {
            header = cells.into_iter().cloned().collect();
            k = end + 1;
        }
    }
    let header_from_row = !header.is_empty();
    while !header_from_row && k < items.len() {
        match &items[k] {
            Item::Cell(c) if is_header_cell(&c.folded) => header.push(c.clone()),
            Item::Cell(c) if c.folded.is_empty() && header.is_empty() => {}
            Item::RowEnd if !header.is_empty() => {
                k += 1;
                break;
            }
            Item::RowEnd => {}
            Item::Continuation(c) if !header.is_empty() && domain_name(&c.folded).is_none() => {
                if let Some(last) = header.last_mut() {
                    last.folded.push_str(&c.folded);
                    last.original.push_str(&c.original);
                }
            }
            _ => break,
        }
        k += 1;
    }
    let cols = columns(&header, plan_start, plan_end);
    let width = header.len();
    let Some(name_col) = cols.name else {
        return result;
    };
    if width < 3 || cols.targets.is_empty() {
        return result;
    }
    // Rows.
    let mut rows: Vec<Vec<Cell>> = Vec::new();
    let mut row: Vec<Cell> = Vec::new();
    let mut pending_category: Option<String> = None;
    let mut categories: Vec<Option<String>> = Vec::new();
    for item in items.into_iter().skip(k) {
        match item {
            Item::Cell(c) => {
                row.push(c);
                if row.len() == width {
                    rows.push(std::mem::take(&mut row));
                    categories.push(pending_category.take());
                }
            }
            // A row-per-line row shorter than the header (merged cells, a missing trailing
            // cell) is padded; one with extra trailing cells was cut at the width above.
            Item::RowEnd => {
                if row.iter().all(|c| c.folded.is_empty()) {
                    row.clear();
                } else {
                    let line_no = row[0].line_no;
                    while row.len() < width {
                        row.push(Cell {
                            folded: String::new(),
                            original: String::new(),
                            line_no,
                        });
                    }
                    rows.push(std::mem::take(&mut row));
                    categories.push(pending_category.take());
                }
            }
            Item::Continuation(c) => {
                if let Some(d) = domain_name(&c.folded) {
                    pending_category = Some(d);
                    continue;
                }
                let target = if row.is_empty() {
                    rows.last_mut().and_then(|r| r.last_mut())
                } else {
                    row.last_mut()
                };
                if let Some(cell) = target {
                    let sep = if cell.folded.is_empty() { "" } else { "、" };
                    cell.folded = format!("{}{sep}{}", cell.folded, c.folded);
                    cell.original = format!("{}{sep}{}", cell.original, c.original);
                }
            }
        }
    }
    // A table broken across pages repeats its header on the next page: a row that reads
    // as the header is not a row of values.
    let key = |c: &Cell| -> String {
        c.folded
            .chars()
            .filter(|ch| !ch.is_whitespace() && *ch != '、')
            .collect()
    };
    let header_key: Vec<String> = header.iter().map(key).collect();
    let mut category = String::new();
    for (row, pending) in rows.iter().zip(categories) {
        if row.iter().map(key).eq(header_key.iter().cloned()) {
            continue;
        }
        if let Some(c) = cols
            .category
            .and_then(|i| row.get(i))
            .filter(|c| !c.folded.is_empty())
        {
            category = domain_name(&c.folded).unwrap_or_else(|| c.folded.clone());
        } else if let Some(p) = pending {
            category = p;
        }
        let domain = match_domain(&category, domains)
            .filter(|_| !domains.contains(&category))
            .unwrap_or_else(|| category.clone());
        let Some(name_cell) = row.get(name_col) else {
            continue;
        };
        if name_cell.folded.is_empty() {
            continue;
        }
        let indicator = clean_name(&strip_unit_brackets(&name_cell.original));
        let name_unit = unit::unit_in_brackets(&name_cell.folded).map(str::to_string);
        let binding = cols.binding.and_then(|i| row.get(i)).and_then(|c| {
            if c.folded.contains("约束") {
                Some(true)
            } else if c.folded.contains("预期") {
                Some(false)
            } else {
                None
            }
        });
        let owner = cols
            .owner
            .and_then(|i| row.get(i))
            .map(|c| c.original.trim().to_string())
            .filter(|o| !o.is_empty());
        for &(col, year) in &cols.baselines {
            let Some(cell) = row.get(col) else { continue };
            if let Some((_, value, value_unit)) = cell_values(&cell.folded).first().cloned() {
                let unit = if value_unit.is_empty() {
                    name_unit.clone().unwrap_or_default()
                } else {
                    value_unit
                };
                result.baselines.push(Baseline {
                    line: cell.line_no,
                    indicator: indicator.clone(),
                    value,
                    unit,
                    year,
                    text: format!("{} {}", name_cell.original, cell.original),
                });
            }
        }
        for &(col, year) in &cols.targets {
            let Some(value_cell) = row.get(col) else {
                continue;
            };
            let text = format!("{} {}", name_cell.original, value_cell.original);
            let year = year.unwrap_or(plan_end);
            let values = cell_values(&value_cell.folded);
            if values.is_empty() {
                if let Some(direction) = cell_direction(&value_cell.folded) {
                    result.qualitative.push(QualitativeTarget {
                        line: value_cell.line_no,
                        section: Section::Main,
                        domain: domain.clone(),
                        indicator: indicator.clone(),
                        direction,
                        text,
                        owner: owner.clone(),
                        binding,
                    });
                }
                continue;
            }
            for (comparator, value, value_unit) in values {
                let unit = if value_unit.is_empty() {
                    name_unit.clone().unwrap_or_default()
                } else {
                    value_unit
                };
                let comparator =
                    planwatch_text::comparator::ratio_comparator(&indicator, &unit, comparator);
                result.targets.push(Target {
                    line: value_cell.line_no,
                    section: Section::Main,
                    domain: domain.clone(),
                    indicator: indicator.clone(),
                    comparator,
                    value,
                    unit,
                    year,
                    text: text.clone(),
                    owner: owner.clone(),
                    binding,
                });
            }
        }
    }
    result
}

/// "≥ 92", "< 8", "100", "45左右", "不低于2:3", "95-98" → comparators, values, units.
fn cell_values(cell: &str) -> Vec<(Comparator, f64, String)> {
    let chars: Vec<char> = fold(cell).chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if let Some(q) = parse_quantity_at(&chars, i) {
            let verb = verb_before(&chars, q.start).map(|v| v.comparator);
            let (suffix, len) = suffix_at(&chars, q.end).map_or((None, 0), |(s, l)| (Some(s), l));
            let after = q.end + len;
            if let Some(&sep) = chars.get(after)
                && matches!(sep, '—' | '-' | '~' | '至')
                && let Some(q2) = parse_quantity_at(&chars, after + 1)
            {
                let unit = if q2.unit.is_empty() {
                    q.unit.clone()
                } else {
                    q2.unit.clone()
                };
                return vec![
                    (Comparator::Ge, q.value, unit.clone()),
                    (Comparator::Le, q2.value, unit),
                ];
            }
            return vec![(combine(verb, suffix), q.value, q.unit)];
        }
        i += 1;
    }
    Vec::new()
}

fn cell_direction(cell: &str) -> Option<Direction> {
    let t = fold(cell);
    let t = t.trim();
    if t.is_empty() || t == "-" || t == "—" || t == "/" {
        return None;
    }
    if let Some(d) = direction_words(t) {
        return Some(d);
    }
    if t.starts_with(['≥', '>']) || t.starts_with("不低于") {
        return Some(Direction::Up);
    }
    if t.starts_with(['≤', '<']) || t.starts_with("不高于") {
        return Some(Direction::Down);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_cells() {
        assert_eq!(
            cell_values("≥82.3"),
            vec![(Comparator::Ge, 82.3, String::new())]
        );
        assert_eq!(
            cell_values("< 8"),
            vec![(Comparator::Lt, 8.0, String::new())]
        );
        assert_eq!(
            cell_values("100"),
            vec![(Comparator::Eq, 100.0, String::new())]
        );
        assert_eq!(
            cell_values("45左右"),
            vec![(Comparator::Eq, 45.0, String::new())]
        );
        assert_eq!(
            cell_values("不低于2:3"),
            vec![(Comparator::Ge, 0.667, "比".to_string())]
        );
        assert!(cell_values("逐年提高").is_empty());
    }

    #[test]
    fn direction_cells() {
        assert_eq!(cell_direction("逐年提高"), Some(Direction::Up));
        assert_eq!(cell_direction("明显降低"), Some(Direction::Down));
        assert_eq!(cell_direction("保持合理比例"), Some(Direction::Keep));
        assert_eq!(cell_direction("≥县党员总数中女性比例"), Some(Direction::Up));
        assert_eq!(cell_direction("得到控制"), Some(Direction::Down));
    }
}

#[cfg(test)]
mod layout_tests {
    use super::*;
    use crate::extract::lines::prepare;

    #[test]
    fn a_header_row_with_a_spanned_name_column() {
        let raw: Vec<String> = [
            "\t类别\t指标名称\t\t2030年目标值\t责任单位",
            "\t妇女与健康\t孕产妇死亡率（1/10万）\t\t≤9\t县卫生健康局",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let lines = prepare(&raw);
        let table = parse(&lines, 0, &[], [2021, 2030]);
        let got: Vec<_> = table
            .targets
            .iter()
            .map(|t| {
                (
                    t.indicator.as_str(),
                    t.comparator.as_str(),
                    t.value,
                    t.unit.as_str(),
                    t.owner.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![("孕产妇死亡率", "<=", 9.0, "1/10万", Some("县卫生健康局"))]
        );
    }
}
