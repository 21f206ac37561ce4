//! The document's structure: where each plan starts and ends, its title and period, its
//! sections (baselines, main goals, measures) and development domains.

use super::indicator_table;
use super::lines::Line;
use super::prose::{self, Context};
use planwatch_core::{Plan, PlanKind, Section};

/// A plan's extent in the document's lines.
#[derive(Debug, Clone)]
pub struct PlanSpan {
    pub kind: PlanKind,
    /// The title as written, or one made from the region and kind when the document has none.
    pub title: Option<String>,
    pub period: [i32; 2],
    /// Index into the lines (not the 1-based number).
    pub start: usize,
    pub end: usize,
}

/// "妇女发展规划", "儿童发展纲要", "妇女发展“十四五”规划", "妇女事业发展“十四五”规划".
fn title_kind(text: &str) -> Option<PlanKind> {
    let mut found = None;
    for (word, kind) in [("妇女", PlanKind::Women), ("儿童", PlanKind::Children)] {
        let mut rest = text;
        while let Some(pos) = rest.find(word) {
            let after = &rest[pos + word.len()..];
            let window: String = after.chars().take(12).collect();
            // 妇女儿童发展规划: both plans' running head or a notice's title, not one plan's.
            if kind == PlanKind::Women
                && ["儿童发展", "和儿童发展", "、儿童发展", "与儿童发展"]
                    .iter()
                    .any(|w| window.starts_with(w))
                && (window.contains("规划") || window.contains("纲要"))
            {
                return None;
            }
            let is_title = (window.starts_with("发展") || window.starts_with("事业发展"))
                && (window.contains("规划") || window.contains("纲要"));
            if is_title {
                if found.is_some_and(|k| k != kind) {
                    return None; // both kinds: a notice's title, not a plan's
                }
                found = Some(kind);
                break;
            }
            rest = after;
        }
    }
    found
}

fn is_title_line(line: &Line) -> Option<PlanKind> {
    if line.is_cell || line.original.len() > 48 {
        return None;
    }
    let text = line.folded_string();
    let t = text.trim();
    if t.contains('《') || t.ends_with('。') || t.ends_with(',') {
        return None;
    }
    for lead in ["关于", "印发", "现将", "为", "根据", "按照", "依据", "贯彻"] {
        if t.starts_with(lead) || t.contains("关于印发") {
            return None;
        }
    }
    title_kind(t)
}

/// "(2021—2030年)" → [2021, 2030]; "十四五" → [2021, 2025].
pub fn period_in(text: &str) -> Option<[i32; 2]> {
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i + 4 <= chars.len() {
        if chars[i..i + 4].iter().all(|c| c.is_ascii_digit())
            && (i == 0 || !chars[i - 1].is_ascii_digit())
        {
            let a: String = chars[i..i + 4].iter().collect();
            let mut j = i + 4;
            while j < chars.len() && matches!(chars[j], ' ' | '年') {
                j += 1;
            }
            if j < chars.len() && matches!(chars[j], '—' | '-' | '~' | '至' | '到' | '－') {
                while j < chars.len()
                    && matches!(chars[j], '—' | '-' | '~' | '至' | '到' | '－' | ' ')
                {
                    j += 1;
                }
                if j + 4 <= chars.len() && chars[j..j + 4].iter().all(|c| c.is_ascii_digit()) {
                    let b: String = chars[j..j + 4].iter().collect();
                    if let (Ok(a), Ok(b)) = (a.parse::<i32>(), b.parse::<i32>())
                        && (2000..2100).contains(&a)
                        && a < b
                        && b - a <= 15
                    {
                        return Some([a, b]);
                    }
                }
            }
        }
        i += 1;
    }
    if text.contains("十四五") {
        return Some([2021, 2025]);
    }
    if text.contains("十五五") {
        return Some([2026, 2030]);
    }
    None
}

/// Finds the plans: by their titles, or, in documents that give none, by the restart of the
/// top-level numbering (一、) with the plan's subject (妇女 or 儿童) deciding the kind.
pub fn find_plans(lines: &[Line]) -> Vec<PlanSpan> {
    let mut starts: Vec<(usize, PlanKind)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if let Some(kind) = is_title_line(line)
            && !starts.iter().any(|(_, k)| *k == kind)
        {
            starts.push((i, kind));
        }
    }
    let mut spans = Vec::new();
    if !starts.is_empty() {
        // A plan before the first title that has lost its own (a title dropped as a
        // running head, a title set as a picture): found by its numbering, as below.
        let first = starts[0].0;
        let before = &lines[..first];
        let mut untitled = spans_by_numbering(before);
        if untitled.is_empty() {
            // Numbered unevenly (1、 then 二、): the part before the title as a whole.
            untitled = spans_of_segments(before, &[0]);
        }
        for span in untitled {
            let text: String = lines[span.start..span.end]
                .iter()
                .map(Line::folded_string)
                .collect();
            // A notice before the plans numbers its points too: a plan sets 主要目标.
            if text.contains("主要目标") && !starts.iter().any(|(_, k)| *k == span.kind) {
                spans.push(span);
            }
        }
        for (n, &(start, kind)) in starts.iter().enumerate() {
            let end = starts.get(n + 1).map_or(lines.len(), |s| s.0);
            let mut title: String = lines[start]
                .original
                .iter()
                .collect::<String>()
                .trim()
                .to_string();
            let mut period = period_in(&lines[start].folded_string());
            // The period often stands on the next line: "（2021—2030年）".
            if let Some(next) = lines[start + 1..end].iter().find(|l| !l.is_blank()) {
                let folded = next.folded_string();
                let t = folded.trim();
                if period.is_none() && t.starts_with('(') && t.chars().count() <= 16 {
                    period = period_in(t);
                    title.push_str(next.original.iter().collect::<String>().trim());
                }
            }
            let period = period
                .or_else(|| body_period(&lines[start..end]))
                .unwrap_or([2021, 2030]);
            spans.push(PlanSpan {
                kind,
                title: Some(title),
                period,
                start,
                end,
            });
        }
        spans.sort_by_key(|s| s.start);
        return spans;
    }
    spans_by_numbering(lines)
}

/// Plans in a document (or its part before the first title) that gives no titles: the
/// top-level numbering (一、) restarts with each, the subject (妇女 or 儿童) decides the kind.
fn spans_by_numbering(lines: &[Line]) -> Vec<PlanSpan> {
    let mut seg_starts: Vec<usize> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let t = line.folded_string();
        let t = t.trim_start();
        if !line.is_cell && (t.starts_with("一、") || t.starts_with("一.")) {
            // Take in the preamble: unnumbered paragraphs just before.
            let mut s = i;
            while s > 0 {
                let prev = &lines[s - 1];
                if prev.is_blank() {
                    s -= 1;
                    continue;
                }
                if prev.body_start == 0
                    && prev.item_number.is_none()
                    && !prev.is_cell
                    && seg_starts.last().is_none_or(|&l| s - 1 > l)
                {
                    let p = prev.folded_string();
                    if p.starts_with('(') || p.ends_with(':') {
                        break;
                    }
                    s -= 1;
                    continue;
                }
                break;
            }
            seg_starts.push(s);
        }
    }
    spans_of_segments(lines, &seg_starts)
}

/// A plan in each segment (from each start to the next) that speaks of 妇女 or 儿童 and sets
/// targets; one of each kind, the first.
fn spans_of_segments(lines: &[Line], seg_starts: &[usize]) -> Vec<PlanSpan> {
    let mut spans = Vec::new();
    for (n, &start) in seg_starts.iter().enumerate() {
        let end = seg_starts.get(n + 1).copied().unwrap_or(lines.len());
        let text: String = lines[start..end].iter().map(Line::folded_string).collect();
        let women = text.matches("妇女").count();
        let children = text.matches("儿童").count();
        if women + children < 10 || !text.contains("目标") {
            continue;
        }
        let kind = if women >= children {
            PlanKind::Women
        } else {
            PlanKind::Children
        };
        if spans.iter().any(|s: &PlanSpan| s.kind == kind) {
            continue;
        }
        let period = body_period(&lines[start..end]).unwrap_or([2021, 2030]);
        spans.push(PlanSpan {
            kind,
            title: None,
            period,
            start,
            end,
        });
    }
    spans
}

/// The plan period from its body: "(2021—2030年)", or 十四五 when it speaks of that period
/// and names no 2030 goal.
fn body_period(lines: &[Line]) -> Option<[i32; 2]> {
    let text: String = lines
        .iter()
        .map(Line::folded_string)
        .collect::<Vec<_>>()
        .join("\n");
    let text = without_book_titles(&text);
    // A plan of the 14th five-year period speaks of it and sets no goal for 2030.
    let fourteen = text.matches("十四五").count();
    let by_2030 = text.matches("2030年").count();
    if fourteen >= 3 && by_2030 == 0 {
        return Some([2021, 2025]);
    }
    let mut i = 0;
    let chars: Vec<char> = text.chars().collect();
    while i < chars.len() {
        if chars[i] == '(' {
            let inner: String = chars[i..chars.len().min(i + 14)].iter().collect();
            if let Some(p) = period_in(&inner).filter(|_| !inner.contains("十四五")) {
                return Some(p);
            }
        }
        i += 1;
    }
    None
}

/// Text outside 《》: the periods of other plans that a plan cites are not its own.
fn without_book_titles(text: &str) -> String {
    let mut depth = 0;
    text.chars()
        .filter(|&c| {
            match c {
                '《' => depth += 1,
                '》' => depth = (depth - 1).max(0),
                _ => return depth == 0,
            }
            false
        })
        .collect()
}

/// What a heading line switches to.
#[derive(Debug, Clone, PartialEq)]
pub enum Heading {
    Section(Option<SectionKind>),
    Domain(String),
    /// An indicator table (专栏 … 主要指标).
    IndicatorTable,
    /// A numbered heading inside a section (a task, a project box): may name a domain.
    Topic(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    Baseline,
    Main,
    Measure,
}

const MAIN_WORDS: &[&str] = &["主要目标", "发展目标", "具体目标", "主要指标"];
const MEASURE_WORDS: &[&str] = &[
    "策略措施",
    "主要措施",
    "重点任务",
    "主要任务",
    "重点工程",
    "实事项目",
    "重点项目",
    "行动计划",
    "工作措施",
    "具体措施",
    "推进措施",
];
const BASELINE_WORDS: &[&str] = &[
    "发展基础",
    "主要成效",
    "发展成就",
    "取得的成效",
    "主要成就",
    "发展现状",
    "工作成效",
    "取得成效",
    "成效显著",
];
const OTHER_WORDS: &[&str] = &[
    "组织实施",
    "实施保障",
    "保障措施",
    "监测评估",
    "指导思想",
    "基本原则",
    "总体目标",
    "总体思路",
    "机遇和挑战",
    "机遇与挑战",
    "发展环境",
    "面临的",
    "规划实施",
    "组织领导",
    "附件",
    "名词解释",
];

/// A domain heading: "妇女与健康", "儿童与法律保护", "妇女参与决策和管理".
pub fn domain_name(body: &str) -> Option<String> {
    let b = body.trim().trim_end_matches([':', '。']).trim();
    let n = b.chars().count();
    if !(4..=12).contains(&n) || b.contains([',', '、', '。', ' ']) {
        return None;
    }
    let subject = ["妇女", "儿童"].into_iter().find(|s| b.starts_with(s))?;
    let rest = &b[subject.len()..];
    if !(rest.starts_with('与') || rest.starts_with("参与")) {
        return None;
    }
    Some(dedupe_tail(b))
}

/// "妇女与教育教育" (a converter doubled the cell's text) → "妇女与教育".
fn dedupe_tail(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    for len in (1..=chars.len() / 2).rev() {
        let n = chars.len();
        if chars[n - len..] == chars[n - 2 * len..n - len] {
            return chars[..n - len].iter().collect();
        }
    }
    name.to_string()
}

pub fn classify_heading(line: &Line) -> Option<Heading> {
    // Headings are short; most lines are long paragraphs, so this check comes first.
    if line.is_cell || line.folded.len() > 64 {
        return None;
    }
    let body = line.body_string();
    let body = body.trim();
    let full = line.folded_string();
    if full.trim_start().starts_with("专栏") {
        let title = full.trim_start().trim_start_matches("专栏");
        return Some(
            if title.contains("指标") && !title.contains("工程") && !title.contains("项目") {
                Heading::IndicatorTable
            } else {
                Heading::Topic(title.to_string())
            },
        );
    }
    // A table's title without 专栏: "表1 妇女发展主要指标", "附表：儿童发展监测指标".
    let t = full.trim();
    let table_title = (t.starts_with('表')
        || t.starts_with("附表")
        || t.ends_with("主要指标")
        || t.ends_with("指标体系"))
        && t.chars().count() <= 30
        && t.contains("指标")
        && !t.ends_with('。');
    if table_title {
        return Some(Heading::IndicatorTable);
    }
    if let Some(name) = domain_name(body) {
        return Some(Heading::Domain(name));
    }
    let n = body.chars().count();
    let numbered = line.body_start > 0
        && line
            .item_number
            .is_none_or(|_| !full.trim_start().starts_with(|c: char| c.is_ascii_digit()));
    let ends_colon = body.ends_with(':');
    let short = n <= 16;
    if !(numbered || ends_colon || short) || n > 40 || body.trim_end_matches('。').contains('。')
    {
        return None;
    }
    let has = |words: &[&str]| words.iter().any(|w| body.contains(w));
    let (main, measure, base, other) = (
        has(MAIN_WORDS),
        has(MEASURE_WORDS),
        has(BASELINE_WORDS),
        has(OTHER_WORDS),
    );
    if (ends_colon || short || numbered) && n <= 24 {
        if main && measure {
            return Some(Heading::Section(None));
        }
        if main && !other {
            return Some(Heading::Section(Some(SectionKind::Main)));
        }
        if measure && !other {
            return Some(Heading::Section(Some(SectionKind::Measure)));
        }
        if base {
            return Some(Heading::Section(Some(SectionKind::Baseline)));
        }
        if other {
            return Some(Heading::Section(None));
        }
    }
    if base && numbered {
        return Some(Heading::Section(Some(SectionKind::Baseline)));
    }
    if numbered && !body.ends_with('。') && line.body_start > 0 {
        // Top-level "一、…" headings that name no section close the one before.
        let t = full.trim_start();
        let top_level = t
            .chars()
            .next()
            .is_some_and(|c| "一二三四五六七八九十".contains(c));
        if top_level {
            return Some(Heading::Section(None));
        }
        return Some(Heading::Topic(body.to_string()));
    }
    None
}

/// A section word with a colon at the start of a longer line.
fn inline_section(line: &Line) -> Option<(SectionKind, usize)> {
    if line.is_cell {
        return None;
    }
    let body = line.body();
    let colon = body.iter().take(8).position(|&c| c == ':')?;
    if body.len() <= colon + 2 {
        return None;
    }
    let word: String = body[..colon].iter().collect();
    let kind = if MAIN_WORDS.contains(&word.as_str()) {
        SectionKind::Main
    } else if MEASURE_WORDS.contains(&word.as_str()) {
        SectionKind::Measure
    } else {
        return None;
    };
    Some((kind, line.body_start + colon + 1))
}

/// The part of a domain's name that topics mention: 妇女与健康 → 健康,
/// 妇女参与决策和管理 → 决策和管理.
fn domain_key(domain: &str) -> String {
    let mut s = domain;
    for p in ["妇女", "儿童"] {
        s = s.strip_prefix(p).unwrap_or(s);
    }
    for p in ["参与", "与"] {
        s = s.strip_prefix(p).unwrap_or(s);
    }
    s.to_string()
}

/// The domain a topic heading or a sentence speaks of, among the plan's domains.
pub fn match_domain(text: &str, domains: &[String]) -> Option<String> {
    let mut best: Option<(usize, usize, &String)> = None; // (score, position, domain)
    for d in domains {
        let key = domain_key(d);
        let key_plain = key.replace('和', "");
        let (score, pos) = if let Some(p) = text.find(&key) {
            (key.chars().count() * 2, p)
        } else if let Some(p) = text.replace('和', "").find(&key_plain) {
            (key_plain.chars().count() * 2, p)
        } else {
            let head: String = key.chars().take(2).collect();
            match text.rfind(&head) {
                Some(p) if head.chars().count() == 2 => (1, p),
                _ => continue,
            }
        };
        if best.is_none_or(|(s, p, _)| score > s || (score == s && pos > p)) {
            best = Some((score, pos, d));
        }
    }
    best.map(|(_, _, d)| d.clone())
}

/// The development domains of the national outlines (中国妇女/儿童发展纲要 2021—2030), in
/// their order; local plans follow them.
const NATIONAL_DOMAINS_WOMEN: &[&str] = &[
    "妇女与健康",
    "妇女与教育",
    "妇女与经济",
    "妇女参与决策和管理",
    "妇女与社会保障",
    "妇女与家庭建设",
    "妇女与环境",
    "妇女与法律",
];
const NATIONAL_DOMAINS_CHILDREN: &[&str] = &[
    "儿童与健康",
    "儿童与安全",
    "儿童与教育",
    "儿童与福利",
    "儿童与家庭",
    "儿童与环境",
    "儿童与法律保护",
];

/// A second 主要目标 under one domain heading means the document lost the next domain's
/// heading; the next national domain the plan does not name is the one.
fn missing_domain(kind: PlanKind, current: Option<&str>, known: &[String]) -> Option<String> {
    let national = match kind {
        PlanKind::Women => NATIONAL_DOMAINS_WOMEN,
        PlanKind::Children => NATIONAL_DOMAINS_CHILDREN,
    };
    let key = |d: &str| domain_key(d).replace('和', "");
    let position = current.and_then(|c| national.iter().position(|n| key(n) == key(c)))?;
    national[position + 1..]
        .iter()
        .find(|n| !known.iter().any(|k| key(k) == key(n)))
        .map(|n| n.to_string())
}

/// Pass 1 for a plan: the domains in document order (headings and indicator-table rows).
fn collect_domains(lines: &[Line]) -> Vec<String> {
    let mut domains: Vec<String> = Vec::new();
    let mut push = |d: String| {
        if !domains.contains(&d) {
            domains.push(d);
        }
    };
    for line in lines {
        if line.is_cell {
            for cell in line.body_string().split('\t') {
                if let Some(d) = domain_name(cell) {
                    push(d);
                }
            }
        } else if let Some(Heading::Domain(d)) = classify_heading(line) {
            push(d);
        }
    }
    domains
}

/// Extracts one plan from its span of lines.
pub fn extract_plan(lines: &[Line], span: &PlanSpan, region: &str) -> Plan {
    let body = &lines[span.start..span.end];
    let domains = collect_domains(body);
    let title = span.title.clone().unwrap_or_else(|| {
        let base = match span.kind {
            PlanKind::Women => "妇女发展",
            PlanKind::Children => "儿童发展",
        };
        if span.period == [2021, 2025] {
            format!("{region}{base}“十四五”规划")
        } else {
            format!(
                "{region}{base}规划（{}—{}年）",
                span.period[0], span.period[1]
            )
        }
    });
    let mut plan = Plan {
        kind: span.kind,
        title,
        period: span.period,
        domains: domains.clone(),
        targets: Vec::new(),
        qualitative: Vec::new(),
        baselines: Vec::new(),
    };
    let mut section: Option<SectionKind> = None;
    let mut domain: Option<String> = None;
    let mut main_seen_in_domain = false;
    let mut table_budget = 4 * body.len() + 1000;
    let mut i = 0;
    while i < body.len() {
        let line = &body[i];
        if line.is_blank() && !line.is_cell {
            i += 1;
            continue;
        }
        // A table that starts with its header row, without a title line.
        if line.is_cell && table_budget > 0 && line.folded_string().contains("指标") {
            let table = indicator_table::parse(body, i, &domains, span.period);
            // A failed attempt read the cells up to `table.next`, and the next cell line
            // tries again: a run of cells that never makes a table would cost its length
            // squared. Failed attempts share a budget of a few passes over the plan.
            table_budget = table_budget.saturating_sub(table.next.saturating_sub(i) + 1);
            if table.next > i && !(table.targets.is_empty() && table.qualitative.is_empty()) {
                plan.targets.extend(table.targets);
                plan.qualitative.extend(table.qualitative);
                plan.baselines.extend(table.baselines);
                i = table.next;
                continue;
            }
        }
        if line.is_cell && line.is_blank() {
            i += 1;
            continue;
        }
        // "主要目标：孕产妇死亡率控制在…": the heading and the first goal on one line.
        let inline;
        let line = match inline_section(line) {
            Some((kind, body_start)) => {
                section = Some(kind);
                let mut rest = line.clone();
                rest.body_start = body_start;
                inline = rest;
                &inline
            }
            None => line,
        };
        if let Some(h) = classify_heading(line).filter(|_| line.body_start == body[i].body_start) {
            match h {
                Heading::Section(s) => {
                    if s == Some(SectionKind::Main) {
                        if main_seen_in_domain
                            && let Some(d) =
                                missing_domain(span.kind, domain.as_deref(), &plan.domains)
                        {
                            let at = domain
                                .as_ref()
                                .and_then(|c| plan.domains.iter().position(|x| x == c))
                                .map_or(plan.domains.len(), |p| p + 1);
                            plan.domains.insert(at, d.clone());
                            domain = Some(d);
                        }
                        main_seen_in_domain = true;
                    }
                    section = s;
                    let top_level = line
                        .folded_string()
                        .trim_start()
                        .chars()
                        .next()
                        .is_some_and(|c| "一二三四五六七八九十".contains(c));
                    if top_level {
                        domain = None;
                    }
                }
                Heading::Domain(d) => {
                    domain = Some(d);
                    section = None;
                    main_seen_in_domain = false;
                }
                Heading::IndicatorTable => {
                    let table = indicator_table::parse(body, i + 1, &domains, span.period);
                    plan.targets.extend(table.targets);
                    plan.qualitative.extend(table.qualitative);
                    plan.baselines.extend(table.baselines);
                    i = table.next.max(i + 1);
                    continue;
                }
                Heading::Topic(t) => {
                    if let Some(d) = match_domain(&t, &domains) {
                        domain = Some(d);
                    }
                    if t.contains("工程") || t.contains("项目") {
                        section = Some(SectionKind::Measure);
                    }
                }
            }
            i += 1;
            continue;
        }
        if let Some(kind) = section {
            let line_domain = domain
                .clone()
                .or_else(|| {
                    // A bullet names its domain in its first sentence: "——儿童健康水平大幅提升。…"
                    let body = line.body_string();
                    let first = body.split('。').next().unwrap_or_default().to_string();
                    match_domain(&first, &domains).or_else(|| match_domain(&body, &domains))
                })
                .unwrap_or_default();
            let ctx = Context {
                plan_start: span.period[0],
                plan_end: span.period[1],
                domain: &line_domain,
                domains: &domains,
            };
            match kind {
                SectionKind::Baseline => plan.baselines.extend(prose::baselines(line, &ctx)),
                SectionKind::Main | SectionKind::Measure => {
                    let section = if kind == SectionKind::Main {
                        Section::Main
                    } else {
                        Section::Measure
                    };
                    let found = prose::targets(line, &ctx, section);
                    plan.targets.extend(found.targets);
                    plan.qualitative.extend(found.qualitative);
                    plan.baselines.extend(found.baselines);
                }
            }
        }
        i += 1;
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_titles() {
        assert_eq!(title_kind("连平县妇女发展规划"), Some(PlanKind::Women));
        assert_eq!(
            title_kind("曾都区儿童发展规划(2021—2030年)"),
            Some(PlanKind::Children)
        );
        assert_eq!(title_kind("某省妇女发展纲要"), Some(PlanKind::Women));
        assert_eq!(
            title_kind("某市儿童发展“十四五”规划"),
            Some(PlanKind::Children)
        );
        assert_eq!(
            title_kind("关于印发某县妇女发展规划和某县儿童发展规划的通知"),
            None
        );
        // Both plans' running head names no one plan.
        assert_eq!(title_kind("某某县妇女儿童发展规划（2021—2030年）"), None);
        assert_eq!(title_kind("某某县妇女和儿童发展规划"), None);
    }

    #[test]
    fn a_plan_whose_title_is_gone_is_found_before_the_next_title() {
        let text = [
            "（2021—2030年）",
            "1、总体要求",
            "促进妇女全面发展，保障妇女合法权益，妇女事业取得新进展，妇女地位提高。",
            "二、发展领域、主要目标和策略措施",
            "（一）妇女与健康",
            "主要目标：",
            "1.孕产妇死亡率控制在12/10万以下。妇女的健康水平持续提升，妇女的人均预期寿命延长。",
            "2.妇女常见病筛查率达到80%以上。妇女的营养状况改善，妇女的贫血患病率下降。",
            "连平县儿童发展规划",
            "（2021—2030年）",
            "一、总体要求",
            "（一）儿童与健康",
            "主要目标：",
            "1.婴儿死亡率控制在5‰以下。",
        ];
        let raw: Vec<String> = text.iter().map(|t| t.to_string()).collect();
        let lines = super::super::lines::prepare(&raw);
        let spans = find_plans(&lines);
        let kinds: Vec<(PlanKind, usize)> = spans.iter().map(|s| (s.kind, s.start)).collect();
        assert_eq!(kinds, [(PlanKind::Women, 0), (PlanKind::Children, 8)]);
        assert_eq!(spans[0].end, 8);
    }

    #[test]
    fn periods() {
        assert_eq!(period_in("(2021—2030年)"), Some([2021, 2030]));
        assert_eq!(period_in("2021-2025年"), Some([2021, 2025]));
        assert_eq!(period_in("妇女发展“十四五”规划"), Some([2021, 2025]));
        assert_eq!(period_in("2030年"), None);
    }

    #[test]
    fn domain_headings() {
        assert_eq!(domain_name("妇女与健康"), Some("妇女与健康".into()));
        assert_eq!(domain_name("儿童与法律保护"), Some("儿童与法律保护".into()));
        assert_eq!(
            domain_name("妇女参与决策和管理"),
            Some("妇女参与决策和管理".into())
        );
        assert_eq!(domain_name("妇女与教育教育"), Some("妇女与教育".into()));
        assert_eq!(domain_name("妇女与健康水平持续提升,城乡差距缩小"), None);
    }

    #[test]
    fn topics_map_to_domains() {
        let domains: Vec<String> = [
            "妇女与健康",
            "妇女参与决策管理",
            "妇女与社会保障",
            "妇女与家庭建设",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            match_domain(
                "将性别意识纳入社会公共政策,推进妇女广泛参与决策和管理",
                &domains
            )
            .as_deref(),
            Some("妇女参与决策管理")
        );
        assert_eq!(
            match_domain("增强妇幼健康优质服务供给", &domains).as_deref(),
            Some("妇女与健康")
        );
        assert_eq!(
            match_domain("妇女社会保障提升重点工程", &domains).as_deref(),
            Some("妇女与社会保障")
        );
    }
}
