//! Targets, qualitative targets and baselines in running text.
//!
//! A sentence is split into clauses (at , : ;). In a clause, a value phrase is a quantity
//! (`planwatch_text::number`) with the comparator verb before it and the bound word after it.
//! A quantity is a target value when a verb sets it (达到 98%, 控制在 2% 以下, 下降 20%), or
//! when it ends its clause with 以上/以下; the indicator is the clause's text before the verb,
//! without year phrases, scope words (全县, 我市) and adverbs (分别, 均, 逐步). Years come from
//! the sentence (到2025年), or the plan's end. Numbers inside 《》 titles and quotes, years,
//! ages that define a group (65岁以上老年人) and past values (已达到, 从2010年的8年) are not
//! targets; past values with a year are baselines.

use super::lines::Line;
use planwatch_core::{Baseline, Comparator, Direction, QualitativeTarget, Section, Target};
use planwatch_text::comparator::{Suffix, VerbKind, combine, suffix_at, verb_before};
use planwatch_text::number::parse_quantity_at;
use planwatch_text::year::find_years;

pub struct Context<'a> {
    pub plan_start: i32,
    pub plan_end: i32,
    pub domain: &'a str,
    #[allow(dead_code)]
    pub domains: &'a [String],
}

#[derive(Default)]
pub struct Found {
    pub targets: Vec<Target>,
    pub qualitative: Vec<QualitativeTarget>,
    pub baselines: Vec<Baseline>,
}

/// Verbs whose object follows the number: 设置1所妇幼保健机构.
const OBJECT_VERBS: &[&str] = &[
    "设置",
    "设",
    "建成",
    "建立",
    "建设",
    "新建",
    "建有",
    "设有",
    "设立",
    "新增",
    "配备",
    "拥有",
    "开展",
    "培训",
    "实现",
    "改扩建",
    "培育",
    "培树",
    "打造",
    "创建",
    "扶持",
];
/// Units a relative change is measured in (下降20%, 降低1个百分点).
const CHANGE_UNITS: &[&str] = &["%", "百分点", "‰", "1/10万"];
const COUNT_UNITS: &[&str] = &[
    "个",
    "所",
    "家",
    "人",
    "处",
    "张",
    "项",
    "次",
    "座",
    "间",
    "期",
    "场",
    "户",
    "万人",
    "人次",
    "万人次",
    "册",
    "台",
    "套",
    "条",
    "节",
];
/// Scope words that open an indicator but are not part of it.
const LEADING_NOISE: &[&str] = &[
    "其中",
    "至少",
    "到",
    "至",
    "力争",
    "确保",
    "保证",
    "保障",
    "使",
    "要",
    "全县",
    "全市",
    "全区",
    "全省",
    "全州",
    "全旗",
    "我县",
    "我市",
    "我区",
    "我省",
    "实现",
    "本县",
    "本市",
    "本区",
    "县域内",
    "市域内",
    "区域内",
    "县域",
    "市域",
    "辖区内",
    "全面",
    "进一步",
    "努力",
    "基本",
    "并",
    "且",
    "同时",
    "以及",
    "和",
    "及",
    "的",
    "在",
];
/// "基本养老保险", "基本公共服务": a word of the noise list that is part of a fixed term
/// here, not an adverb (基本实现).
fn opens_a_term(chars: &[char], at: usize) -> bool {
    const TERMS: &[&str] = &["基本养老", "基本医疗", "基本公共", "基本生活", "基本药物"];
    TERMS.iter().any(|t| starts_with_at(chars, at, t))
}

/// Adverbs that close an indicator before its verb.
const TRAILING_NOISE: &[&str] = &[
    "分别",
    "各",
    "均",
    "都",
    "全部",
    "稳步",
    "逐步",
    "持续",
    "要",
    "应",
    "需",
    "基本",
    "总体",
    "力争",
    "始终",
    "继续",
    "进一步",
    "逐年",
    "不断",
    "率先",
    "稳定",
    "努力",
    "以上",
    "达标",
    "确保",
    "保证",
    "必须",
    "要求",
    "将",
    "能",
    "可",
    "平均",
    "显著",
    "明显",
    "大幅",
    "有效",
    "全面",
    "达到并",
    "并",
    "达到",
    "就",
    "累计",
    "大约",
    "约",
    "连续多年",
    "多年",
    "至少",
    "各",
    "均应",
    "应当",
];

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn starts_with_at(chars: &[char], i: usize, word: &str) -> bool {
    (i..)
        .zip(word.chars())
        .all(|(k, w)| chars.get(k) == Some(&w))
}

fn ends_with_at(chars: &[char], end: usize, word: &str) -> bool {
    let mut k = end.min(chars.len());
    for w in word.chars().rev() {
        if k == 0 || chars[k - 1] != w {
            return false;
        }
        k -= 1;
    }
    true
}

/// Splits `range` of `chars` at any of `seps`, keeping commas between digits.
fn split(chars: &[char], start: usize, end: usize, seps: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = start;
    let mut depth = 0i32; // inside 《》 or () the separators do not split
    for i in start..end {
        let c = chars[i];
        match c {
            '《' | '(' | '“' | '[' => depth += 1,
            '》' | ')' | '”' | ']' => depth = (depth - 1).max(0),
            _ => {}
        }
        if depth == 0 && seps.contains(&c) {
            let between_digits = (c == ',' || c == ':')
                && i > 0
                && chars[i - 1].is_ascii_digit()
                && chars.get(i + 1).is_some_and(|c| c.is_ascii_digit());
            if !between_digits {
                if i > s {
                    out.push((s, i));
                }
                s = i + 1;
            }
        }
    }
    if end > s {
        out.push((s, end));
    }
    out
}

/// The longest clause the rules read at once. Real clauses are under 90 chars (the four
/// plans); every rule looks around a number within its clause, so a clause of n chars with
/// n numbers costs n². Longer runs (an unclosed 《, a list of thousands of values, text
/// without punctuation) are read in pieces of this size, which keeps the cost linear.
const MAX_CLAUSE: usize = 200;
/// The longest sentence read at once, for the same reason: its years are looked up for
/// every number in it. Real sentences are under 370 chars.
const MAX_SENTENCE: usize = 800;
/// A target quotes its whole clause when the clause is at most this long, else the clause's
/// head and its own value: each target's text stays short however long the clause.
const MAX_QUOTE: usize = 100;

/// `split`, with pieces longer than `max` cut into pieces of at most `max` chars, each cut
/// after an enumeration comma or a space when there is one in the piece's second half.
fn split_bounded(
    chars: &[char],
    start: usize,
    end: usize,
    seps: &[char],
    max: usize,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (mut s, e) in split(chars, start, end, seps) {
        while e - s > max {
            let hard = s + max;
            let cut = (s + max / 2..hard)
                .rev()
                .find(|&k| matches!(chars[k], '、' | ' ' | ',' | ':'))
                .map_or(hard, |k| k + 1);
            out.push((s, cut));
            s = cut;
        }
        out.push((s, e));
    }
    out
}

/// What a target found in `cs..ce` quotes: the clause, or, when the clause is long, its
/// head up to the value phrase and the phrase itself ("孕产妇死亡率分别达到…7%以上").
fn quote(line: &Line, cs: usize, ce: usize, value: (usize, usize)) -> String {
    if ce - cs <= MAX_QUOTE {
        return line.original_range(cs, ce).trim().to_string();
    }
    let (vs, ve) = (value.0.clamp(cs, ce), value.1.clamp(cs, ce));
    let head_end = vs.min(cs + MAX_QUOTE / 2);
    let tail_start = vs.max(ve.saturating_sub(MAX_QUOTE / 2)).max(head_end);
    let mut text = line.original_range(cs, head_end);
    if tail_start > head_end {
        text.push('…');
    }
    text.push_str(&line.original_range(tail_start, ve));
    text.trim().to_string()
}

/// Char ranges inside 《》 or quotation marks: numbers there are names, not values.
fn quoted_mask(chars: &[char]) -> Vec<bool> {
    let mut mask = vec![false; chars.len()];
    let mut book = 0i32;
    let mut quote = false;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '《' => book += 1,
            '》' => book = (book - 1).max(0),
            '“' => quote = true,
            '”' => quote = false,
            _ => {}
        }
        mask[i] = book > 0 || quote;
    }
    mask
}

/// A year the sentence sets as a deadline (到2025年) rather than describes (2020年的, 比2015年).
#[derive(Debug, Clone, Copy)]
struct SentenceYear {
    year: i32,
    start: usize,
    end: usize,
    past: bool,
}

fn sentence_years(chars: &[char], start: usize, end: usize, ctx: &Context) -> Vec<SentenceYear> {
    let mut out = Vec::new();
    for m in find_years(&chars[start..end]) {
        let (s, e) = (start + m.start, start + m.end);
        let year = m.year.unwrap_or(ctx.plan_end);
        let before: String = chars[s.saturating_sub(2)..s].iter().collect();
        let after: String = chars[e..(e + 4).min(chars.len())].iter().collect();
        let reference = before.ends_with('比')
            || before.ends_with('较')
            || before.ends_with('从')
            || before.ends_with('以')
            || before.ends_with('自')
            || after.starts_with('的')
            || after.starts_with("为基")
            || after.starts_with("相比")
            || after.starts_with("基础");
        let past = year < ctx.plan_start || reference;
        out.push(SentenceYear {
            year,
            start: s,
            end: e,
            past,
        });
    }
    out
}

/// Removes scope words, years and adverbs around an indicator; returns the cleaned range.
fn clean_indicator(
    chars: &[char],
    mut s: usize,
    mut e: usize,
    years: &[SentenceYear],
) -> (usize, usize) {
    loop {
        let before = (s, e);
        while s < e
            && matches!(
                chars[s],
                ' ' | '"' | '“' | '”' | ',' | ':' | '、' | '(' | ')'
            )
        {
            s += 1;
        }
        while e > s && matches!(chars[e - 1], ' ' | '"' | '“' | '”' | ',' | '、' | '(' | ':') {
            e -= 1;
        }
        if let Some(y) = years
            .iter()
            .find(|y| y.start <= s + 1 && y.end > s && y.end <= e)
        {
            s = y.end;
            for tail in ["前", "底", "末", "时", "期间"] {
                if starts_with_at(chars, s, tail) {
                    s += tail.chars().count();
                }
            }
        }
        // "到\"十四五\"末" and similar period ends.
        for lead in [
            "\"十四五\"末",
            "十四五末",
            "\"十四五\"期末",
            "十四五期末",
            "规划期末",
            "期末",
            "\"十四五\"时期",
            "\"十四五\"期间",
        ] {
            if starts_with_at(chars, s, lead) && s + lead.chars().count() <= e {
                s += lead.chars().count();
            }
        }
        for lead in LEADING_NOISE {
            if starts_with_at(chars, s, lead)
                && s + lead.chars().count() <= e
                && !opens_a_term(chars, s)
            {
                s += lead.chars().count();
                break;
            }
        }
        for tail in TRAILING_NOISE {
            if e > s + tail.chars().count() && ends_with_at(chars, e, tail) {
                e -= tail.chars().count();
                break;
            }
        }
        if (s, e) == before {
            return (s, e);
        }
    }
}

fn text_of(chars: &[char], s: usize, e: usize) -> String {
    chars[s.min(e)..e].iter().collect()
}

fn has_cjk(s: &str) -> bool {
    s.chars().filter(|&c| is_cjk(c)).count() >= 2
}

/// Measure nouns that end an indicator name (the longest first).
const HEADS: &[&str] = &[
    "人群筛查率",
    "筛查率",
    "检测率",
    "检查率",
    "治疗率",
    "接种率",
    "死亡率",
    "患病率",
    "发病率",
    "发生率",
    "覆盖率",
    "参保率",
    "入学率",
    "巩固率",
    "普及率",
    "合格率",
    "达标率",
    "管理率",
    "知晓率",
    "服务率",
    "传播率",
    "感染率",
    "就业率",
    "分娩率",
    "利用率",
    "比例",
    "比重",
    "占比",
    "率",
];
const POPULATIONS: &[&str] = &[
    "适龄妇女",
    "孕产妇",
    "育龄妇女",
    "妇女",
    "儿童",
    "农村",
    "城镇",
    "城乡",
    "学生",
    "中小学生",
    "新生儿",
    "婴儿",
    "未成年人",
    "老年人",
    "女职工",
    "青少年",
    "婴幼儿",
];

/// "不低于市定考核目标的87%": the verb before a value that is named first as the target a
/// level above set (…目标的, …指标的); the name says whose target the value is, not what is
/// measured.
fn verb_before_named_target(
    chars: &[char],
    value_start: usize,
) -> Option<planwatch_text::comparator::Verb> {
    let of = value_start.checked_sub(1)?;
    if chars.get(of) != Some(&'的') {
        return None;
    }
    let named: String = chars[of.saturating_sub(2)..of].iter().collect();
    if named != "目标" && named != "指标" {
        return None;
    }
    // The target's name: a few Chinese characters, no list, no number.
    (of.saturating_sub(12)..of.saturating_sub(2))
        .rev()
        .take_while(|&k| is_cjk(chars[k]) && chars[k] != '、')
        .find_map(|k| verb_before(chars, k))
}

/// The group of people a name opens with, up to its population word: "5岁以下儿童贫血患病率"
/// → 5岁以下儿童. None when the name is nothing but the group.
fn population_group(name: &str) -> Option<&str> {
    POPULATIONS
        .iter()
        .filter_map(|p| name.find(p).map(|at| &name[..at + p.len()]))
        .max_by_key(|g| g.len())
        .filter(|g| g.len() < name.len())
}

/// "乳腺癌人群筛查率" after "适龄妇女宫颈癌人群筛查率" → 适龄妇女乳腺癌人群筛查率: a name that
/// names no people and measures what the name before measures (the same ending of four
/// characters or more: 人群筛查率, not a mere 检测率) is of the people that name opens with.
fn with_group_of(previous: &str, name: &str) -> Option<String> {
    if POPULATIONS.iter().any(|p| name.contains(p)) {
        return None;
    }
    let group = population_group(previous).filter(|g| previous.starts_with(g))?;
    let shared = previous
        .chars()
        .rev()
        .zip(name.chars().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let measure = HEADS.iter().any(|h| name.ends_with(h));
    (shared >= 4 && measure && shared < name.chars().count()).then(|| format!("{group}{name}"))
}

/// A measure word with no subject of its own ("低体重率", "患病率"): short, a rate, no group
/// of people in it. Longer names ("低出生体重发生率") say what they measure.
fn is_bare_measure(name: &str) -> bool {
    let n = name.chars().count();
    (2..=5).contains(&n)
        && name.ends_with('率')
        && name.chars().all(is_cjk)
        && !POPULATIONS.iter().any(|p| name.contains(p))
}

/// "宫颈癌和乳腺癌筛查率" → ["宫颈癌筛查率", "乳腺癌筛查率"]; one name when there is no
/// enumeration.
fn distribute(name: &str) -> Vec<String> {
    let segments: Vec<&str> = name
        .split(['、', '和', '及', '与'])
        .filter(|s| !s.is_empty())
        .collect();
    if segments.len() < 2 {
        return vec![name.to_string()];
    }
    if is_complete_list(name) {
        // "刑事案件破案率和结案率": a bare measure word shares the subject of the first.
        let first: Vec<char> = segments[0].chars().collect();
        // "5岁以下儿童贫血患病率、生长迟缓率和低体重率": the group the first part names
        // (up to its population word) is the group of every part that names none.
        let group = population_group(segments[0]);
        return segments
            .iter()
            .enumerate()
            .map(|(k, s)| {
                let n = s.chars().count();
                if n <= 3 && first.len() > n {
                    format!("{}{s}", first[..first.len() - n].iter().collect::<String>())
                } else if let Some(g) = group.filter(|_| k > 0)
                    && !POPULATIONS.iter().any(|p| s.contains(p))
                    && !s.starts_with(|c: char| c.is_ascii_digit())
                {
                    format!("{g}{s}")
                } else {
                    s.to_string()
                }
            })
            .collect();
    }
    let last = segments[segments.len() - 1];
    let Some(head) = shared_tail(last) else {
        return vec![name.to_string()];
    };
    // Parts that already name a whole indicator keep their name; the others take the tail
    // of the next whole one ("药品、化妆品质量抽检合格率" → 药品质量抽检合格率).
    let mut out: Vec<String> = Vec::new();
    let mut parallel = false;
    for (k, seg) in segments.iter().enumerate() {
        let whole = seg.chars().count() >= 4 && HEADS.iter().any(|h| seg.ends_with(h));
        if whole {
            out.push(seg.to_string());
        } else if let Some(tail) = segments
            .get(k + 1)
            .and_then(|next| parallel_tail(seg, next))
        {
            parallel = true;
            out.push(format!("{seg}{tail}"));
        } else {
            let tail = segments[k + 1..]
                .iter()
                .find_map(|s| shared_tail(s))
                .unwrap_or_else(|| head.clone());
            out.push(format!("{seg}{tail}"));
        }
    }
    let complete_parts = segments
        .iter()
        .filter(|s| HEADS.iter().any(|h| s.ends_with(h)))
        .count();
    if complete_parts > 1 || parallel {
        return out;
    }
    let head = head.as_str();
    let mut items: Vec<String> = segments[..segments.len() - 1]
        .iter()
        .map(|s| s.to_string())
        .collect();
    items.push(last[..last.len() - head.len()].to_string());
    let mut prefix = String::new();
    if let Some(p) = POPULATIONS
        .iter()
        .find(|p| items[0].starts_with(*p) && items[0].len() > p.len())
    {
        prefix = p.to_string();
        items[0] = items[0][p.len()..].to_string();
    }
    items
        .iter()
        .map(|item| format!("{prefix}{item}{head}"))
        .collect()
}

/// Words that open the measured part of an indicator's name ("质量抽检合格率", "筛查率").
const TAIL_OPENERS: &[&str] = &[
    "质量", "抽检", "抽查", "检测", "筛查", "检查", "治疗", "接种", "死亡", "患病", "发病", "发生",
    "覆盖", "参保", "入学", "巩固", "普及", "合格", "达标", "管理", "知晓", "服务", "传播", "感染",
    "就业", "分娩", "利用",
];

/// The shared measured part at the end of an enumeration's last item: "乳腺癌筛查率" →
/// "筛查率", "化妆品质量抽检合格率" → "质量抽检合格率".
fn shared_tail(segment: &str) -> Option<String> {
    if !HEADS.iter().any(|h| segment.ends_with(h)) {
        return None;
    }
    let chars: Vec<char> = segment.chars().collect();
    for p in 1..chars.len() {
        let rest: String = chars[p..].iter().collect();
        if TAIL_OPENERS.iter().any(|o| rest.starts_with(o)) {
            return Some(rest);
        }
    }
    HEADS
        .iter()
        .find(|h| segment.ends_with(*h) && segment.len() > h.len())
        .map(|h| h.to_string())
}

/// "城市社区和农村社区家长学校或家庭教育指导服务站点覆盖率": the part names a group of the
/// same kind as the next part opens with (same length, same last word), so it shares
/// all the rest of it, not only the measure (家长学校或家庭教育指导服务站点覆盖率).
fn parallel_tail(segment: &str, next: &str) -> Option<String> {
    let own: Vec<char> = segment.chars().collect();
    let other: Vec<char> = next.chars().collect();
    let n = own.len();
    let measured = |rest: String| HEADS.iter().any(|h| rest.ends_with(h)).then_some(rest);
    if n >= 3 && other.len() >= n + 4 && own[n - 2..] == other[n - 2..n] && own[..] != other[..n] {
        return measured(other[n..].iter().collect());
    }
    // "城市和农村儿童之家覆盖率": a place, and the next part opens with another one.
    let place = |p: &str| names_a_place(p) || POPULATIONS.contains(&p);
    if !place(segment) {
        return None;
    }
    (2..=6.min(other.len().saturating_sub(3)))
        .rev()
        .map(|k| (other[..k].iter().collect::<String>(), k))
        .find(|(p, _)| place(p) && p != segment)
        .and_then(|(_, k)| measured(other[k..].iter().collect()))
}

/// "3岁以下儿童系统管理率和7岁以下儿童健康管理率": every part names a whole indicator.
fn is_complete_list(name: &str) -> bool {
    let segments: Vec<&str> = name
        .split(['、', '和', '及', '与'])
        .filter(|s| !s.is_empty())
        .collect();
    segments.len() >= 2
        && segments[0].chars().count() >= 4
        && segments
            .iter()
            .all(|s| s.chars().count() >= 2 && HEADS.iter().any(|h| s.ends_with(h)))
}

/// An indicator name without what is not part of it: qualifiers (以乡镇为单位的), years
/// (在2020年), stray quotes and openers (尤其是, 其中).
pub fn clean_name(name: &str) -> String {
    let mut out = strip_qualifiers(name);
    out.retain(|c| !matches!(c, '“' | '”' | '"' | '‘' | '’'));
    // Years inside the name: "高中阶段教育女性毛入学率在2020年".
    let chars: Vec<char> = out.chars().collect();
    let years = find_years(&chars);
    if !years.is_empty() {
        let mut kept = String::new();
        let mut last = 0;
        for y in &years {
            let mut s = y.start;
            if s > 0 && matches!(chars[s - 1], '在' | '到' | '至' | '于') {
                s -= 1;
            }
            kept.extend(&chars[last..s.max(last)]);
            last = y.end;
            for tail in ['底', '末', '前'] {
                if chars.get(last) == Some(&tail) {
                    last += 1;
                }
            }
        }
        kept.extend(&chars[last.min(chars.len())..]);
        out = kept;
    }
    for lead in ["尤其是", "特别是", "其中", "的"] {
        if let Some(rest) = out.strip_prefix(lead) {
            out = rest.to_string();
        }
    }
    out.trim().to_string()
}

/// "以乡(镇、街道)为单位", "以2020年为基数": qualifiers inside an indicator's text.
fn strip_qualifiers(name: &str) -> String {
    let mut out = name.to_string();
    for tail in ["为单位", "为基础", "为主体"] {
        while let Some(end) = out.find(tail) {
            match out[..end].rfind('以') {
                Some(start) => out.replace_range(start..end + tail.len(), ""),
                None => break,
            }
        }
    }
    out
}

/// A name that says what is measured but not of what: 覆盖率, 县级覆盖率, 筛查率.
fn is_generic(name: &str) -> bool {
    const SCOPES: &[&str] = &[
        "",
        "县级",
        "市级",
        "省级",
        "乡级",
        "镇级",
        "村级",
        "乡镇级",
        "总体",
        "整体",
        "综合",
        "全县",
        "全市",
    ];
    HEADS.iter().any(|h| {
        name.strip_suffix(h)
            .is_some_and(|scope| SCOPES.contains(&scope))
    })
}

/// The object of the clause before: "推进未成年人救助保护中心建设" → 未成年人救助保护中心,
/// "指导乡镇(街道)设立未成年人保护工作站" → 未成年人保护工作站.
fn object_of(clause: &str) -> Option<String> {
    const VERBS: &[&str] = &[
        "设立", "建立", "建设", "设置", "建成", "推进", "推动", "开展", "加快", "完善", "实施",
        "加强",
    ];
    let mut best: Option<usize> = None;
    for v in VERBS {
        if let Some(p) = clause.rfind(v) {
            let end = p + v.len();
            if end < clause.len() && best.is_none_or(|b| end > b) {
                best = Some(end);
            }
        }
    }
    let mut obj = clause[best?..].to_string();
    for tail in ["建设", "工作", "全覆盖"] {
        if let Some(x) = obj.strip_suffix(tail) {
            obj = x.to_string();
        }
    }
    (obj.chars().count() >= 2 && obj.chars().count() <= 16 && !obj.contains(['(', ')']))
        .then_some(obj)
}

/// "10、9、8小时": a list of values whose unit is written after the last one.
fn list_has_unit(chars: &[char], after: usize, ce: usize) -> bool {
    let mut j = after;
    while j < ce && matches!(chars[j], '、' | '和' | '及' | '与') {
        let Some(q) = parse_quantity_at(chars, j + 1).filter(|q| q.end <= ce) else {
            return false;
        };
        if !q.unit.is_empty() {
            return true;
        }
        j = q.end;
    }
    false
}

/// "小学生、初中生、高中生每天睡眠时间" with three values → 小学生每天睡眠时间,
/// 初中生每天睡眠时间, 高中生每天睡眠时间: groups of one kind (the same last character) listed
/// before what is measured of each, named as people say them.
fn distribute_groups(name: &str, n: usize) -> Option<Vec<String>> {
    let segments: Vec<&str> = name.split(['、', '和', '及', '与']).collect();
    if segments.len() != n || segments.iter().any(|s| s.is_empty()) {
        return None;
    }
    let first: Vec<char> = segments[0].chars().collect();
    let kind = *first.last()?;
    let last: Vec<char> = segments[n - 1].chars().collect();
    let glen = first.len();
    if last.len() <= glen + 1 || last[glen - 1] != kind {
        return None;
    }
    if segments[..n - 1]
        .iter()
        .any(|s| !s.ends_with(kind) || s.chars().count() > 6)
    {
        return None;
    }
    let rest: String = last[glen..].iter().collect();
    let group: String = last[..glen].iter().collect();
    let mut out: Vec<String> = segments[..n - 1]
        .iter()
        .map(|s| format!("{s}{rest}"))
        .collect();
    out.push(format!("{group}{rest}"));
    Some(out)
}

/// "孤儿和事实无人抚养儿童的生存…权益得到有效保障" → 孤儿和事实无人抚养儿童: the group a
/// clause opens with, when it is a group of people.
fn population_subject(clause: &str) -> Option<String> {
    let head = clause.split('的').next()?;
    let head = strip_leading_verbs(head.trim());
    (head.chars().count() <= 16
        && has_cjk(&head)
        && POPULATIONS.iter().any(|p| head.ends_with(p))
        && head != clause)
        .then_some(head)
}

/// "积极推进0-3岁儿童发育监测与筛查工作,监测筛查率达到85%以上": a short name whose words
/// come from the object of the clause before takes that object's subject
/// (0-3岁儿童发育监测筛查率).
fn elided_subject(prev: &str, name: &str) -> Option<String> {
    if name.chars().count() > 6 {
        return None;
    }
    let head = HEADS.iter().find(|h| name.ends_with(*h))?;
    let modifier = &name[..name.len() - head.len()];
    if modifier.chars().count() < 2 {
        return None;
    }
    let object = object_of(prev)?;
    let at = object.find(modifier)?;
    let prefix = &object[..at];
    has_cjk(prefix).then(|| format!("{prefix}{name}"))
}

/// One value of a value phrase.
#[derive(Debug, Clone)]
struct Value {
    /// Where the value's number starts: a target of a long list quotes its own value.
    start: usize,
    comparator: Comparator,
    value: f64,
    unit: String,
    end: usize,
}

/// The bound word after a quantity and the comparator it makes with the verb.
fn bound(
    chars: &[char],
    end: usize,
    verb: Option<Comparator>,
) -> (Comparator, usize, Option<Suffix>) {
    match suffix_at(chars, end) {
        Some((suffix, len)) => (combine(verb, Some(suffix)), end + len, Some(suffix)),
        None => (combine(verb, None), end, None),
    }
}

/// The clause is over after `i`: only punctuation or words that do not start a new noun.
fn clause_ends(chars: &[char], i: usize, end: usize) -> bool {
    let rest: String = chars[i.min(end)..end].iter().collect();
    let rest = rest.trim();
    rest.is_empty()
        || [
            "的目标",
            "目标",
            "水平",
            "的水平",
            "左右",
            "以上",
            "以下",
            "等",
        ]
        .contains(&rest)
        || rest.starts_with('(')
}

fn direction_of(words: &str) -> Option<Direction> {
    const UP: &[&str] = &[
        "提高", "提升", "上升", "增加", "增长", "扩大", "延长", "增强", "改善", "加大",
    ];
    const DOWN: &[&str] = &[
        "降低",
        "下降",
        "减少",
        "缩小",
        "减缓",
        "得到控制",
        "控制",
        "遏制",
    ];
    const KEEP: &[&str] = &["保持", "稳定", "巩固", "趋于平衡", "平衡", "相适应", "合理"];
    let w = words.trim();
    if DOWN.iter().any(|d| w.contains(d)) && !w.contains("上升趋势") {
        return Some(Direction::Down);
    }
    if UP.iter().any(|d| w.contains(d)) {
        return Some(Direction::Up);
    }
    if KEEP.iter().any(|d| w.contains(d)) {
        return Some(Direction::Keep);
    }
    None
}

/// Words a value cell or clause uses for a direction (逐年提高, 明显降低, 保持合理比例).
pub fn direction_words(words: &str) -> Option<Direction> {
    direction_of(words)
}

const QUAL_ENDINGS: &[&str] = &[
    "率",
    "比例",
    "比重",
    "占比",
    "寿命",
    "年限",
    "人数",
    "素养水平",
    "覆盖面",
    "性别比",
    "数量",
    "差距",
    "健康素养",
];
const QUAL_ADVERBS: &[&str] = &[
    "逐步",
    "不断",
    "持续",
    "明显",
    "显著",
    "进一步",
    "稳步",
    "有所",
    "逐年",
    "大幅",
    "全面",
    "稳定",
    "切实",
    "有效",
    "得到",
    "继续",
    "要",
    "均",
    "都",
    "较快",
    "快速",
    "逐届",
    "巩固",
];

/// Clause endings that say a direction in more than a verb, tried before the verbs: a
/// slowing rise is the aim of bringing the rate down; a natural or balanced state is kept.
const QUAL_PHRASES: &[(&str, Direction)] = &[
    ("上升趋势减缓", Direction::Down),
    ("上升趋势得到有效控制", Direction::Down),
    ("上升趋势得到控制", Direction::Down),
    ("稳中有降", Direction::Down),
    ("趋于正常", Direction::Keep),
    ("保持正常", Direction::Keep),
    ("稳中有升", Direction::Up),
    ("保持在自然状态", Direction::Keep),
    ("保持自然状态", Direction::Keep),
    ("趋于合理", Direction::Keep),
    ("趋于平衡", Direction::Keep),
    ("保持均衡", Direction::Keep),
    ("保持合理比例", Direction::Keep),
    ("保持合理水平", Direction::Keep),
];

/// Words before a leading verb ("进一步提高…", "稳步提高…").
const LEADING_ADVERBS: &[&str] = &[
    "进一步",
    "不断",
    "逐步",
    "稳步",
    "大力",
    "努力",
    "着力",
    "切实",
    "有效",
    "全面",
    "持续",
    "积极",
    "继续",
];

/// "人数比例", "收入差距": the name ends with something that can be counted or measured.
/// A gap must say of what: "男女收入差距" is measured, "城乡、区域差距" only names whom.
fn measurable_name(name: &str) -> bool {
    const GROUPS: &[&str] = &[
        "城乡", "区域", "地区", "群体", "两性", "男女", "性别", "之间", "城市", "农村", "不同",
        "的", "、", "和", "与", "及",
    ];
    if !(QUAL_ENDINGS.iter().any(|q| name.ends_with(q)) && has_cjk(name)) {
        return false;
    }
    // A gap in a list of things ("办学条件、师资水平、教育质量上的…差距") or in development
    // as a whole ("群体之间的儿童发展差距") is not one quantity.
    match name.strip_suffix("差距") {
        Some(of) => {
            let measured = of.rsplit('的').next().unwrap_or(of);
            let mut rest = of.to_string();
            for g in GROUPS.iter().chain(POPULATIONS).chain(&["发展", "上"]) {
                rest = rest.replace(g, "");
            }
            has_cjk(&rest) && !(of.contains('的') && measured.contains('、'))
        }
        None => true,
    }
}

/// "参保率和待遇水平", "供给数量和质量": the measurable part of a name that goes on with
/// something that is not measured.
fn measurable_part(name: &str) -> Option<String> {
    if measurable_name(name) {
        return Some(name.to_string());
    }
    let cut = name.rfind(['和', '及', '与'])?;
    let head = &name[..cut];
    measurable_name(head).then(|| head.to_string())
}

/// "乳腺癌人群筛查率逐步提高", "提高妇女经常参加体育锻炼的人数比例". A clause of several
/// statements joined by 、, each with its own direction ("妇女参加失业保险人数逐步提高、
/// 女职工参加工伤保险人数逐步提高"), gives one target per statement.
fn qualitative_in_clause(
    chars: &[char],
    s: usize,
    e: usize,
    years: &[SentenceYear],
) -> Vec<(String, Direction)> {
    let _ = years;
    let clause: String = text_of(chars, s, e);
    let clause = clause.trim().trim_end_matches(['。', '.']);
    let parts: Vec<&str> = clause.split('、').collect();
    if parts.len() >= 2 {
        let each: Vec<(String, Direction)> = parts
            .iter()
            .filter_map(|p| qualitative_in_text(p))
            .collect();
        if each.len() >= 2 {
            return each;
        }
    }
    qualitative_in_text(clause).into_iter().collect()
}

fn qualitative_in_text(clause: &str) -> Option<(String, Direction)> {
    let clause = clause.trim();
    // Indicator then verb.
    let phrases = QUAL_PHRASES.iter().copied();
    let verbs = [
        "提高",
        "提升",
        "上升",
        "增加",
        "增长",
        "扩大",
        "延长",
        "降低",
        "下降",
        "减少",
        "缩小",
        "保持稳定",
        "稳定",
        "改善",
    ]
    .into_iter()
    .filter_map(|v| direction_of(v).map(|d| (v, d)));
    for (verb, direction) in phrases.chain(verbs) {
        if let Some(stem) = clause.strip_suffix(verb) {
            let mut stem = stem.to_string();
            let mut changed = true;
            while changed {
                changed = false;
                for a in QUAL_ADVERBS {
                    if let Some(x) = stem.strip_suffix(a) {
                        stem = x.to_string();
                        changed = true;
                    }
                }
            }
            let stem_chars: Vec<char> = stem.chars().collect();
            let (a, b) = clean_indicator(&stem_chars, 0, stem_chars.len(), &[]);
            let name = text_of(&stem_chars, a, b);
            if let Some(name) = measurable_part(&name).filter(|n| n.chars().count() <= 40) {
                return Some((clean_name(&name), direction));
            }
        }
    }
    // Verb then indicator.
    let mut rest = clause;
    let mut changed = true;
    while changed {
        changed = false;
        for a in LEADING_ADVERBS {
            if let Some(x) = rest.strip_prefix(a) {
                rest = x;
                changed = true;
            }
        }
    }
    for verb in [
        "提高", "提升", "增加", "扩大", "降低", "减少", "缩小", "控制",
    ] {
        if let Some(object) = rest.strip_prefix(verb) {
            let mut object = object.trim();
            let mut direction = direction_of(verb)?;
            // "控制妇女焦虑障碍、抑郁症患病率上升趋势": the rise is what is held down.
            if let Some(x) = object.strip_suffix("上升趋势") {
                object = x;
                direction = Direction::Down;
            }
            if let Some(name) = measurable_part(object).filter(|n| n.chars().count() <= 30) {
                return Some((name, direction));
            }
        }
    }
    None
}

/// Targets, qualitative targets and dated past values in one line of a 主要目标 or measure
/// section.
pub fn targets(line: &Line, ctx: &Context, section: Section) -> Found {
    let mut found = Found::default();
    // How many targets were known when each qualitative target was found.
    let mut qualitative_at: Vec<usize> = Vec::new();
    let chars = &line.folded;
    let mask = quoted_mask(chars);
    let sentences = split_bounded(
        chars,
        line.body_start,
        chars.len(),
        &['。', ';', '!', '?', '；'],
        MAX_SENTENCE,
    );
    // The last indicator named, for a sentence after a semicolon: "到2025年,婴儿死亡率降至4‰以
    // 下;到2030年,降至3‰以下" goes on with the same indicator.
    let mut carried: Option<String> = None;
    for (ss, se) in sentences {
        let years = sentence_years(chars, ss, se, ctx);
        let after_semicolon = ss > 0 && matches!(chars.get(ss - 1), Some(';' | '；'));
        let mut sentence_last_name: Option<String> = carried.take().filter(|_| after_semicolon);
        let target_years: Vec<&SentenceYear> = years.iter().filter(|y| !y.past).collect();
        let clauses = split_bounded(chars, ss, se, &[',', ':'], MAX_CLAUSE);
        let mut previous_clause: Option<(usize, usize)> = None;
        for &(cs, ce) in &clauses {
            let mut i = cs;
            let mut clause_found = false;
            let mut last_phrase_end: Option<usize> = None;
            let mut coverage_only = false;
            while i < ce {
                // "“10分钟急救圈”": a circle may stand in quotes.
                let quoted_circle = mask[i] && i > 0 && chars[i - 1] == '“';
                if mask[i] && !quoted_circle {
                    i += 1;
                    continue;
                }
                let Some(q) =
                    parse_quantity_at(chars, i).or_else(|| half_hour_circle(chars, i, ce))
                else {
                    i += 1;
                    continue;
                };
                if q.end > ce {
                    i = q.end;
                    continue;
                }
                if let Some(special) = special_form(chars, cs, ce, &q, &years) {
                    let clause_text = quote(line, cs, ce, (q.start, special.end));
                    let year = target_years
                        .iter()
                        .filter(|y| y.start < q.start)
                        .map(|y| y.year)
                        .next_back()
                        .unwrap_or(ctx.plan_end);
                    for ((name, comparator, value, unit), at) in
                        special.targets.into_iter().zip(special.starts)
                    {
                        found.targets.push(Target {
                            line: line.no_at(at),
                            section,
                            domain: ctx.domain.to_string(),
                            indicator: name,
                            comparator,
                            value,
                            unit,
                            year,
                            text: clause_text.clone(),
                            owner: None,
                            binding: None,
                        });
                    }
                    clause_found = true;
                    last_phrase_end = Some(special.end);
                    i = special.end.max(i + 1);
                    continue;
                }
                if mask[i] {
                    i += 1;
                    continue;
                }
                let verb = verb_before(chars, q.start)
                    .or_else(|| verb_before_named_target(chars, q.start))
                    .filter(|v| v.start >= cs);
                let (comparator, after, suffix) = bound(chars, q.end, verb.map(|v| v.comparator));
                let verb_text = verb
                    .map(|v| text_of(chars, v.start, v.end))
                    .unwrap_or_default();
                let is_object_verb = OBJECT_VERBS.contains(&verb_text.as_str());
                // 65岁以上老年人, 0—6岁儿童: an age that defines a group.
                let next = chars.get(after).copied();
                let defines_group =
                    q.unit == "岁" && next.is_some_and(is_cjk) && !clause_ends(chars, after, ce);
                let past = {
                    let pre: String = chars[cs..q.start].iter().collect();
                    pre.contains('已')
                        || verb_text.ends_with('了')
                        || chars.get(after) == Some(&'了')
                };
                // "超过1万人次的交通枢纽": a value that describes a noun.
                let describes = matches!(chars.get(after), Some('的' | '或'))
                    && !clause_ends(chars, after + 1, ce);
                let qualifies = match verb {
                    _ if defines_group || describes => false,
                    Some(v) if matches!(v.kind, VerbKind::Change { .. }) => {
                        CHANGE_UNITS.contains(&q.unit.as_str())
                    }
                    Some(_) if is_object_verb => COUNT_UNITS.contains(&q.unit.as_str()),
                    Some(v) if matches!(verb_text.as_str(), "为" | "在") => {
                        !q.unit.is_empty() && clause_ends(chars, after, ce) && v.start > cs
                    }
                    Some(_) => {
                        !q.unit.is_empty()
                            || clause_ends(chars, after, ce)
                            || list_has_unit(chars, after, ce)
                    }
                    None => {
                        suffix.is_some_and(|s| s != Suffix::About)
                            && clause_ends(chars, after, ce)
                            && !q.unit.is_empty()
                    }
                };
                if !qualifies {
                    i = q.end.max(i + 1);
                    continue;
                }
                // Further values: a range (95%—98%) or a 分别 list (80%以上和82%以上).
                let mut values = vec![Value {
                    start: q.start,
                    comparator,
                    value: q.value,
                    unit: q.unit.clone(),
                    end: after,
                }];
                let mut is_range = false;
                let mut j = after;
                while let Some(&sep) = chars.get(j) {
                    let range_sep = matches!(sep, '—' | '-' | '~' | '至' | '到');
                    let list_sep = matches!(sep, '和' | '、' | '及' | '与');
                    if !(range_sep || list_sep) || j + 1 >= ce {
                        break;
                    }
                    let mut k = j + 1;
                    while k < ce && chars[k] == '—' {
                        k += 1;
                    }
                    let Some(q2) = parse_quantity_at(chars, k) else {
                        break;
                    };
                    if q2.end > ce {
                        break;
                    }
                    let (c2, after2, _) = bound(chars, q2.end, verb.map(|v| v.comparator));
                    if range_sep && !is_range && values.len() == 1 {
                        is_range = true;
                        let unit = if q2.unit.is_empty() {
                            q.unit.clone()
                        } else {
                            q2.unit.clone()
                        };
                        values[0].unit = if q.unit.is_empty() {
                            unit.clone()
                        } else {
                            q.unit.clone()
                        };
                        values[0].comparator = Comparator::Ge;
                        values.push(Value {
                            start: q2.start,
                            comparator: Comparator::Le,
                            value: q2.value,
                            unit,
                            end: after2,
                        });
                    } else if list_sep && !is_range {
                        let unit = if q2.unit.is_empty() {
                            q.unit.clone()
                        } else {
                            q2.unit.clone()
                        };
                        values.push(Value {
                            start: q2.start,
                            comparator: c2,
                            value: q2.value,
                            unit,
                            end: after2,
                        });
                    } else {
                        break;
                    }
                    j = after2;
                }
                // "不少于10、9、8小时": the unit written once at the end is every value's.
                if !is_range
                    && let Some(unit) = values
                        .iter()
                        .rev()
                        .find(|v| !v.unit.is_empty())
                        .map(|v| v.unit.clone())
                {
                    for v in values.iter_mut().filter(|v| v.unit.is_empty()) {
                        v.unit = unit.clone();
                    }
                }
                let phrase_end = values.last().map_or(after, |v| v.end);
                // "稳定在2‰、3‰和4‰以下": the last bound word covers the whole list.
                if values.len() > 1 && !is_range {
                    let last_cmp = values.last().map(|v| v.comparator);
                    if let Some(c) = last_cmp {
                        for v in values.iter_mut() {
                            if v.comparator == verb.map_or(Comparator::Eq, |v| v.comparator) {
                                v.comparator = c;
                            }
                        }
                    }
                }
                // The indicator.
                let (name, name_start) = if is_object_verb {
                    let (a, b) = clean_indicator(chars, phrase_end, ce, &years);
                    let object = text_of(chars, a, b);
                    let object = object
                        .split("的目标")
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    // The subject before the verb says where: "纪委领导班子至少配备1名女干部".
                    let vs = verb.map_or(q.start, |v| v.start);
                    let from = last_phrase_end.filter(|&e| e > cs && e < vs).unwrap_or(cs);
                    let (sa, sb) = clean_indicator(chars, from, vs, &years);
                    let subject = text_of(chars, sa, sb);
                    let subject =
                        if subject.chars().count() <= 16 && !subject.contains(['。', '为']) {
                            subject
                        } else {
                            String::new()
                        };
                    (format!("{subject}{object}"), a)
                } else {
                    let vs = verb.map_or(q.start, |v| v.start);
                    // A second target in the clause starts after the first one's value.
                    let from = last_phrase_end.filter(|&e| e > cs && e < vs).unwrap_or(cs);
                    let (a, b) = clean_indicator(chars, from, vs, &years);
                    (text_of(chars, a, b), a)
                };
                let mut name = place_first(clean_name(name.trim()));
                // "示范型儿童之家达到儿童之家总数的15%": a share of a total.
                if name.ends_with("总数的") || name.ends_with("总量的") {
                    name = format!(
                        "{}比例",
                        name.trim_end_matches('的').replacen("达到", "占", 1)
                    );
                }
                // (`found` holds this line's targets only.)
                if let Some(prev) = found.targets.last().filter(|_| name.chars().count() <= 4) {
                    // "小学生每天睡眠时间10小时、初中生9小时": the short name replaces the
                    // group in the name before; "…达标率…,优良率…" the measure. Not a measure
                    // after an age group, whose length says nothing (5岁以下儿童贫血率…,
                    // 低体重率…): that one takes the group below.
                    let after_age_group = is_bare_measure(&name)
                        && population_group(&prev.indicator)
                            .is_some_and(|g| g.starts_with(|c: char| c.is_ascii_digit()));
                    if let Some(swapped) = swap_group(&prev.indicator, &name)
                        .filter(|_| !after_age_group)
                        .or_else(|| swap_place(&prev.indicator, &name))
                    {
                        name = swapped;
                    }
                }
                if name.chars().count() <= 3 && has_cjk(&name) {
                    // "…医生达到1.12名、床位增至3.17张": the short second name shares the subject.
                    if let Some(prev) = found.targets.last()
                        && let Some(p) = prev.indicator.find("拥有")
                    {
                        name = format!("{}{name}", &prev.indicator[..p + "拥有".len()]);
                    }
                }
                if let Some((a, b)) = previous_clause {
                    let prev_text = text_of(chars, a, b);
                    if is_generic(&name) {
                        // "…儿童的生存、发展、安全权益得到有效保障,保障覆盖率达到100%": the
                        // clause before names what is covered.
                        if let Some(obj) =
                            object_of(&prev_text).or_else(|| population_subject(&prev_text))
                        {
                            name = format!("{obj}{name}");
                        }
                    } else if let Some(full) = elided_subject(&prev_text, &name) {
                        name = full;
                    }
                }
                if let Some(VerbKind::Change { up }) = verb.map(|v| v.kind) {
                    name = relative_name(&name, up);
                }
                // "孕产妇系统管理率2025年达到90%,2030年达到92%": the second clause names
                // only its year; the indicator is the one before.
                if name.is_empty()
                    && !is_object_verb
                    && let Some(prev) = &sentence_last_name
                {
                    name = prev.clone();
                }
                if !has_cjk(&name) || name.chars().count() > 40 {
                    i = phrase_end.max(i + 1);
                    continue;
                }
                let clause_text = line.original_range(cs, ce).trim().to_string();
                let value_quote = |v: &Value| quote(line, cs, ce, (v.start, v.end));
                if past {
                    if let Some(y) = years
                        .iter()
                        .rev()
                        .find(|y| y.end <= q.start && y.year < ctx.plan_start)
                    {
                        found.baselines.push(Baseline {
                            line: line.no_at(q.start),
                            indicator: strip_unit_brackets(&name),
                            value: q.value,
                            unit: q.unit.clone(),
                            year: y.year,
                            text: quote(line, cs, ce, (q.start, phrase_end)),
                        });
                    }
                    i = phrase_end.max(i + 1);
                    continue;
                }
                let _ = name_start;
                // 分别 / 各 / 均: who gets which value.
                let before_verb: String = text_of(chars, cs, verb.map_or(q.start, |v| v.start));
                let respectively = before_verb.contains("分别");
                let each = before_verb.ends_with('各')
                    || before_verb.ends_with('均')
                    || before_verb.contains("各达")
                    || before_verb.ends_with("均应");
                let mut names = vec![name.clone()];
                let mut split_names = distribute(&name);
                // "保健食品质量抽检合格率,药品、化妆品…合格率均达98%": a name standing alone
                // in the clause before shares the value.
                if each && let Some((a, b)) = previous_clause {
                    let prev = clean_name(&text_of(chars, a, b));
                    let bare = !(a..b).any(|k| chars[k].is_ascii_digit())
                        && verb_before(chars, b).is_none();
                    if bare
                        && prev.chars().count() <= 20
                        && HEADS.iter().any(|h| prev.ends_with(h))
                        && !split_names.contains(&prev)
                    {
                        split_names.insert(0, prev);
                    }
                }
                if each || is_complete_list(&name) || (values.len() > 1 && !is_range) {
                    if split_names.len() > 1 {
                        names = split_names;
                    } else if each && let Some(prev) = previous_clause {
                        names = borrow_enumeration(chars, prev, &name);
                    }
                }
                if names.len() == 1
                    && values.len() > 1
                    && !is_range
                    && let Some(groups) = distribute_groups(&name, values.len())
                {
                    names = groups;
                }
                // "5岁以下儿童贫血患病率和生长迟缓率分别控制在8%和4%以下,低体重率…均控制在4%以下":
                // the group the clause before gave a list of measures goes on to the bare
                // measures of this one ("孕产妇系统管理率…、产前筛查率…" lists no measures).
                // So does a group bounded by age ("5岁以下儿童生长迟缓率控制在5%以下,低体重率…"):
                // it scopes the sentence.
                let by_age = |prev: &str| {
                    population_group(prev)
                        .is_some_and(|g| g.starts_with(|c: char| c.is_ascii_digit()))
                };
                if let Some(group) = sentence_last_name
                    .as_deref()
                    .filter(|prev| distribute(prev).len() > 1 || by_age(prev))
                    .and_then(population_group)
                {
                    for n in names.iter_mut().filter(|n| is_bare_measure(n)) {
                        *n = format!("{group}{n}");
                    }
                }
                let deadline_years: Vec<i32> = target_years
                    .iter()
                    .filter(|y| y.start < q.start)
                    .map(|y| y.year)
                    .collect();
                let default_year = deadline_years.last().copied().unwrap_or(ctx.plan_end);
                let mut emitted: Vec<(String, Value, i32)> = Vec::new();
                if values.len() > 1 && !is_range {
                    if deadline_years.len() == values.len()
                        && (respectively || names.len() != values.len())
                    {
                        for (v, y) in values.iter().zip(&deadline_years) {
                            emitted.push((name.clone(), v.clone(), *y));
                        }
                    } else if names.len() == values.len() {
                        for (n, v) in names.iter().zip(&values) {
                            emitted.push((n.clone(), v.clone(), default_year));
                        }
                    } else {
                        for v in &values {
                            emitted.push((name.clone(), v.clone(), default_year));
                        }
                    }
                } else {
                    for n in &names {
                        for v in &values {
                            emitted.push((n.clone(), v.clone(), default_year));
                        }
                    }
                }
                // "（约束性指标）" beside a goal.
                let binding = if clause_text.contains("约束性") {
                    Some(true)
                } else if clause_text.contains("预期性") {
                    Some(false)
                } else {
                    None
                };
                for (n, v, year) in emitted {
                    let unit = if v.unit.is_empty() {
                        unit_from_name(&n).unwrap_or_default()
                    } else {
                        v.unit.clone()
                    };
                    // "…男女厕位比例不低于1:1.5,人流量较大地区不低于1:2": a clause that names
                    // only a place bounds the indicator of the clause before, there.
                    let n = match found.targets.last() {
                        Some(prev) if names_a_place(&n) && prev.unit == unit => {
                            format!("{}（{n}）", prev.indicator)
                        }
                        _ => n,
                    };
                    let comparator =
                        planwatch_text::comparator::ratio_comparator(&n, &unit, v.comparator);
                    found.targets.push(Target {
                        line: line.no_at(v.start),
                        section,
                        domain: ctx.domain.to_string(),
                        indicator: strip_unit_brackets(&n),
                        comparator,
                        value: v.value,
                        unit,
                        year,
                        text: value_quote(&v),
                        owner: None,
                        binding,
                    });
                }
                clause_found = true;
                sentence_last_name = Some(name.clone());
                carried = Some(name.clone());
                last_phrase_end = Some(phrase_end);
                i = phrase_end.max(i + 1);
            }
            // "城乡社区儿童之家实现全覆盖": full coverage is 100 %.
            if !clause_found
                && section == Section::Main
                && let Some(name) = full_coverage(chars, cs, ce, &mask)
            {
                coverage_only = true;
                let year = target_years.last().map_or(ctx.plan_end, |y| y.year);
                found.targets.push(Target {
                    line: line.no_at(cs),
                    section,
                    domain: ctx.domain.to_string(),
                    indicator: name,
                    comparator: Comparator::Eq,
                    value: 100.0,
                    unit: "%".into(),
                    year,
                    text: quote(line, cs, ce, (cs, ce)),
                    owner: None,
                    binding: None,
                });
                clause_found = true;
            }
            // "妇女参加基本医疗保险实现全覆盖、妇女参加失业保险人数逐步提高": a full coverage
            // does not hide the directions listed beside it.
            if (!clause_found || coverage_only) && section == Section::Main {
                let has_number = has_value_number(chars, cs, ce, &mask);
                let found_here = if has_number {
                    Vec::new()
                } else {
                    qualitative_in_clause(chars, cs, ce, &years)
                };
                for (name, direction) in found_here {
                    // "提高宫颈癌和乳腺癌的早诊早治率,降低死亡率": a bare measure takes the
                    // subject of the clause before (宫颈癌和乳腺癌死亡率), not a name of its own.
                    let name = match previous_clause {
                        Some((a, b)) if is_generic(&name) => {
                            qualitative_in_clause(chars, a, b, &years)
                                .into_iter()
                                .next()
                                .map(|(prev, _)| prev)
                                .or_else(|| found.targets.last().map(|t| t.indicator.clone()))
                                .and_then(|prev| subject_of(&prev))
                                .map_or(name.clone(), |subject| format!("{subject}{name}"))
                        }
                        _ => name,
                    };
                    // "适龄妇女宫颈癌人群筛查率达到70%以上,乳腺癌人群筛查率逐步提高": the same
                    // measure of the same people.
                    let name = found
                        .targets
                        .last()
                        .and_then(|prev| with_group_of(&prev.indicator, &name))
                        .unwrap_or(name);
                    // "提高利用率和服务质量" with no subject anywhere: nothing to measure.
                    if is_generic(&name) {
                        continue;
                    }
                    // "破案率和结案率逐步提高": each whole indicator of a list is its own target.
                    let names = if is_complete_list(&name) {
                        distribute(&name)
                    } else {
                        vec![name]
                    };
                    for name in names {
                        let near = nearby(&found.targets, found.targets.len());
                        let duplicate = near.iter().any(|t| similar(&t.indicator, &name));
                        if !duplicate {
                            qualitative_at.push(found.targets.len());
                            found.qualitative.push(QualitativeTarget {
                                line: line.no_at(cs),
                                section,
                                domain: ctx.domain.to_string(),
                                indicator: strip_unit_brackets(&name),
                                direction,
                                text: quote(line, cs, ce, (cs, ce)),
                                owner: None,
                                binding: None,
                            });
                        }
                    }
                }
            }
            previous_clause = Some((cs, ce));
        }
    }
    // "（责任单位：县卫生健康局）" after a goal names its owner.
    if let Some(owner) = owner_in(&line.original) {
        found
            .targets
            .iter_mut()
            .for_each(|t| t.owner = Some(owner.clone()));
        found
            .qualitative
            .iter_mut()
            .for_each(|t| t.owner = Some(owner.clone()));
    }
    // A direction clause before its number in the same line ("提高婚前医学检查率。婚前医学检查率达到80%以上") is the same target.
    let targets = &found.targets;
    let mut at = qualitative_at.iter();
    found.qualitative.retain(|q| {
        let near = nearby(targets, at.next().copied().unwrap_or(0));
        !near.iter().any(|t| similar(&t.indicator, &q.indicator))
    });
    found
}

/// A number in the clause that could be a value: not one that only defines a group by age
/// ("提高0—6岁残疾儿童抢救性康复率" is a direction without a number).
fn has_value_number(chars: &[char], cs: usize, ce: usize, mask: &[bool]) -> bool {
    let mut k = cs;
    while k < ce {
        if chars[k].is_ascii_digit() && !mask[k] {
            let mut r = k;
            while r < ce && (chars[r].is_ascii_digit() || matches!(chars[r], '.' | '-' | '—' | '~'))
            {
                r += 1;
            }
            let age = starts_with_at(chars, r, "岁")
                || starts_with_at(chars, r, "周岁")
                || starts_with_at(chars, r, "个月");
            if !age {
                return true;
            }
            k = r;
        } else {
            k += 1;
        }
    }
    false
}

/// The targets a qualitative target found when `at` targets were known is compared with:
/// the line's targets around it. A real line holds a dozen; bounding the window keeps a
/// line of thousands of clauses linear.
fn nearby(targets: &[Target], at: usize) -> &[Target] {
    const WINDOW: usize = 32;
    let at = at.min(targets.len());
    &targets[at.saturating_sub(WINDOW)..(at + WINDOW).min(targets.len())]
}

/// A name that says where, not what: "人流量较大地区", "农村", "城市社区".
fn names_a_place(name: &str) -> bool {
    const PLACES: &[&str] = &[
        "地区", "区域", "地方", "场所", "农村", "城市", "城镇", "乡镇", "街道", "社区", "山区",
        "景区",
    ];
    name.chars().count() <= 10 && PLACES.iter().any(|p| name.ends_with(p))
}

/// The subject of an indicator: what it measures something of. "宫颈癌和乳腺癌的早诊早治率"
/// → 宫颈癌和乳腺癌; "乳腺癌筛查率" → 乳腺癌.
fn subject_of(name: &str) -> Option<String> {
    let subject = match name.rfind('的') {
        Some(p) => name[..p].to_string(),
        None => {
            let tail = shared_tail(name)?;
            name[..name.len() - tail.len()].to_string()
        }
    };
    has_cjk(&subject).then_some(subject)
}

/// "城乡社区儿童之家实现全覆盖" → 城乡社区儿童之家覆盖率 (= 100 %).
fn full_coverage(chars: &[char], cs: usize, ce: usize, mask: &[bool]) -> Option<String> {
    let clause = text_of(chars, cs, ce);
    let pos = clause.find("全覆盖")?;
    if (cs..ce).any(|k| chars[k].is_ascii_digit() && !mask[k]) {
        return None;
    }
    let mut subject = clause[..pos].to_string();
    for verb in ["基本实现", "实现", "达到", "做到", "基本"] {
        if let Some(x) = subject.strip_suffix(verb) {
            subject = x.to_string();
        }
    }
    // "城乡体育健身设施实现社区、行政村全覆盖": what is covered, then where.
    for verb in ["基本实现", "实现", "做到"] {
        if let Some((what, places)) = subject.split_once(verb)
            && places.chars().count() <= 12
            && places
                .split(['、', '和'])
                .all(|p| !p.is_empty() && (names_a_place(p) || p.ends_with('村')))
        {
            subject = format!("{what}{places}");
            break;
        }
    }
    let subject_chars: Vec<char> = subject.chars().collect();
    let (a, b) = clean_indicator(&subject_chars, 0, subject_chars.len(), &[]);
    let subject = strip_leading_verbs(&text_of(&subject_chars, a, b));
    let subject = subject.strip_suffix("建设").unwrap_or(&subject).to_string();
    let n = subject.chars().count();
    let verbal = [
        "实现", "推进", "落实", "包括", "继续", "推动", "加强", "完善", "和",
    ]
    .iter()
    .any(|v| subject.contains(v));
    (has_cjk(&subject) && n <= 16 && !verbal).then(|| format!("{subject}覆盖率"))
}

/// "农村社区“半小时生活圈”": half an hour is 30 minutes when it sizes an access circle.
fn half_hour_circle(chars: &[char], i: usize, ce: usize) -> Option<planwatch_text::Quantity> {
    if !starts_with_at(chars, i, "半小时") {
        return None;
    }
    let end = i + 3;
    let circle = (end..ce.min(end + 10))
        .take_while(|&k| is_cjk(chars[k]))
        .any(|k| chars[k] == '圈');
    circle.then(|| planwatch_text::Quantity {
        value: 30.0,
        unit: "分钟".into(),
        start: i,
        end,
    })
}

/// Targets written in a form of their own, found at a quantity `q` of the clause `cs..ce`.
struct Special {
    targets: Vec<(String, Comparator, f64, String)>,
    /// Where each target's value starts (its line in a wrapped paragraph).
    starts: Vec<usize>,
    end: usize,
}

/// Verbs that close the subject of a share ("95%的城市社区建立…").
const SHARE_VERBS: &[&str] = &[
    "建立", "设有", "建有", "设立", "开展", "实现", "达到", "配备", "建成", "提供", "纳入", "具备",
    "拥有", "开设", "设置",
];

/// Three forms that are targets without a verb before the number:
/// - a share: "95%的城市社区和85%的农村社区建立家长学校" → 城市社区建立家长学校比例 ≥ 95 %;
/// - an access circle: "城乡15分钟健身圈" → 城乡健身圈 ≤ 15 分钟;
/// - time use: "中小学生每天1小时以上体育活动时间" → 中小学生每天体育活动时间 ≥ 1 小时.
fn special_form(
    chars: &[char],
    cs: usize,
    ce: usize,
    q: &planwatch_text::Quantity,
    years: &[SentenceYear],
) -> Option<Special> {
    let (suffix, slen) = suffix_at(chars, q.end).map_or((None, 0), |(s, l)| (Some(s), l));
    let after = q.end + slen;
    // An access circle.
    if q.unit == "分钟" {
        let mut k = after;
        while k < ce && k < after + 10 && is_cjk(chars[k]) && chars[k] != '圈' {
            k += 1;
        }
        if chars.get(k) == Some(&'圈') {
            let noun = text_of(chars, after, k + 1);
            let mut s = q.start;
            while s > cs
                && (is_cjk(chars[s - 1]) || chars[s - 1] == '“')
                && !matches!(chars[s - 1], '、' | '和')
            {
                s -= 1;
            }
            let scope = text_of(chars, s, q.start);
            let scope = scope.trim_matches('“').to_string();
            let scope = strip_leading_verbs(&scope);
            // "建立优质便捷的15分钟生活圈": a circle that names no place it serves is a
            // wish, not something to measure; the clause yields nothing.
            if !has_cjk(&scope) {
                return Some(Special {
                    targets: Vec::new(),
                    starts: Vec::new(),
                    end: k + 1,
                });
            }
            return Some(Special {
                targets: vec![(
                    format!("{scope}{noun}"),
                    Comparator::Le,
                    q.value,
                    "分钟".into(),
                )],
                starts: vec![q.start],
                end: k + 1,
            });
        }
        return None;
    }
    // Time use: 每天/每周 + quantity + 以上 + noun.
    let per = ["每天", "每日", "每周", "每年", "每月"]
        .iter()
        .find(|w| ends_with_at(chars, q.start, w));
    if let (Some(per), Some(Suffix::AtLeast | Suffix::AtMost)) = (per, suffix) {
        let mut k = after;
        while k < ce && is_cjk(chars[k]) {
            k += 1;
        }
        if k > after + 1 {
            let per_start = q.start - per.chars().count();
            let (a, b) = clean_indicator(chars, cs, per_start, years);
            let subject = text_of(chars, a, b);
            let comparator = if suffix == Some(Suffix::AtMost) {
                Comparator::Le
            } else {
                Comparator::Ge
            };
            let name = format!("{subject}{per}{}", text_of(chars, after, k));
            return Some(Special {
                targets: vec![(name, comparator, q.value, q.unit.clone())],
                starts: vec![q.start],
                end: k,
            });
        }
    }
    // A share of a group: "95%的A和85%的B建立C", "70%以上的乡镇、社区设有D".
    if q.unit != "%" || chars.get(after) != Some(&'的') {
        return None;
    }
    // (comparator, value, where the value starts)
    let mut shares: Vec<(Comparator, f64, usize)> = vec![(
        if suffix == Some(Suffix::AtMost) {
            Comparator::Le
        } else {
            Comparator::Ge
        },
        q.value,
        q.start,
    )];
    let mut subjects: Vec<String> = Vec::new();
    let mut k = after + 1;
    let mut subject_start = k;
    let predicate_start = loop {
        if k >= ce {
            return None;
        }
        if let Some(v) = SHARE_VERBS.iter().find(|v| starts_with_at(chars, k, v)) {
            let _ = v;
            subjects.push(text_of(chars, subject_start, k));
            break k;
        }
        // "和85%的农村社区": the next share of the list.
        if matches!(chars[k], '和' | '、' | ',')
            && let Some(q2) = parse_quantity_at(chars, k + 1).filter(|q2| q2.unit == "%")
        {
            let (s2, l2) = suffix_at(chars, q2.end).map_or((None, 0), |(s, l)| (Some(s), l));
            if chars.get(q2.end + l2) == Some(&'的') {
                subjects.push(text_of(chars, subject_start, k));
                shares.push((
                    if s2 == Some(Suffix::AtMost) {
                        Comparator::Le
                    } else {
                        Comparator::Ge
                    },
                    q2.value,
                    q2.start,
                ));
                k = q2.end + l2 + 1;
                subject_start = k;
                continue;
            }
        }
        k += 1;
    };
    let predicate = text_of(chars, predicate_start, ce);
    let predicate = predicate.trim_end_matches(['。', '.', ' ']);
    if subjects.len() != shares.len() || predicate.chars().count() < 2 {
        return None;
    }
    let targets = shares
        .iter()
        .zip(&subjects)
        .map(|(&(comparator, value, _), subject)| {
            let subject = clean_name(subject);
            (
                format!("{subject}{predicate}比例"),
                comparator,
                value,
                "%".to_string(),
            )
        })
        .collect();
    let starts = shares.iter().map(|s| s.2).collect();
    Some(Special {
        targets,
        starts,
        end: ce,
    })
}

/// "积极构建城乡" → "城乡": the verbs before a scope.
fn strip_leading_verbs(text: &str) -> String {
    const VERBS: &[&str] = &[
        "积极",
        "逐步",
        "加快",
        "构建",
        "建立",
        "打造",
        "建设",
        "形成",
        "推进",
        "完善",
        "优质便捷的",
        "便捷的",
    ];
    let mut s = text.to_string();
    let mut changed = true;
    while changed {
        changed = false;
        for v in VERBS {
            if let Some(rest) = s.strip_prefix(v) {
                s = rest.to_string();
                changed = true;
            }
        }
    }
    s
}

/// The responsible unit a line names: "责任单位：县卫生健康局、县妇联", "牵头单位:县教育局".
fn owner_in(original: &[char]) -> Option<String> {
    let text: String = original
        .iter()
        .map(|&c| planwatch_text::fold_char(c))
        .collect();
    let start = ["责任单位", "牵头单位", "责任部门", "牵头部门"]
        .iter()
        .filter_map(|w| text.find(w).map(|p| p + w.len()))
        .min()?;
    let rest = text[start..].trim_start_matches([':', ' ']);
    let end = rest.find([')', '。', ';', ']', '】']).unwrap_or(rest.len());
    let owner = rest[..end].trim().trim_end_matches([',', '、']).to_string();
    (!owner.is_empty() && owner.chars().count() <= 60).then_some(owner)
}

/// Two names for the same indicator: one contains the other, or a part of an enumeration
/// ("婚前、孕前医学检查率") is the other.
fn similar(a: &str, b: &str) -> bool {
    let same = |x: &str, y: &str| x.contains(y) || y.contains(x);
    same(a, b) || distribute(b).iter().any(|part| same(a, part))
}

/// "筛查率各达到80%" after "建立乳腺癌、宫颈癌筛查长效机制": the enumeration of the previous
/// clause names the indicators.
fn borrow_enumeration(chars: &[char], prev: (usize, usize), name: &str) -> Vec<String> {
    let prev_text = text_of(chars, prev.0, prev.1);
    let head2: String = name.chars().take(2).collect();
    if let Some(pos) = prev_text.find(&head2) {
        let before = &prev_text[..pos];
        let parts: Vec<&str> = before.split(['、', '和', '及']).collect();
        if parts.len() >= 2 {
            let last_len = parts[parts.len() - 1].chars().count();
            let mut items: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
            let first: Vec<char> = items[0].chars().collect();
            if first.len() > last_len {
                items[0] = first[first.len() - last_len..].iter().collect();
            }
            if items
                .iter()
                .all(|i| !i.is_empty() && i.chars().count() <= 8)
            {
                return items.iter().map(|i| format!("{i}{name}")).collect();
            }
        }
    }
    vec![name.to_string()]
}

/// "小学生每天睡眠时间" with "初中生" → "初中生每天睡眠时间": a group of the same kind (the
/// same length and last character) at either end of the previous name is replaced.
fn swap_group(previous: &str, group: &str) -> Option<String> {
    let p: Vec<char> = previous.chars().collect();
    let g: Vec<char> = group.chars().collect();
    let n = g.len();
    if n < 2 || p.len() <= n + 1 {
        return None;
    }
    if p[n - 1] == g[n - 1] && p[..n] != g[..] {
        return Some(format!("{group}{}", p[n..].iter().collect::<String>()));
    }
    if p[p.len() - 1] == g[n - 1] && p[p.len() - n..] != g[..] {
        return Some(format!(
            "{}{group}",
            p[..p.len() - n].iter().collect::<String>()
        ));
    }
    None
}

/// A place word alone, or a group of people standing for one ("城市", "农村社区", "农村妇女").
fn is_place_word(word: &str) -> bool {
    word.chars().count() <= 4 && (names_a_place(word) || POPULATIONS.contains(&word))
}

/// "家庭教育指导服务覆盖率城市" → 城市家庭教育指导服务覆盖率: where, said after what is
/// measured, goes first, as indicators are named.
fn place_first(name: String) -> String {
    let chars: Vec<char> = name.chars().collect();
    for k in (2..=4).rev() {
        if chars.len() < k + 4 {
            continue;
        }
        let (what, place): (String, String) = (
            chars[..chars.len() - k].iter().collect(),
            chars[chars.len() - k..].iter().collect(),
        );
        if is_place_word(&place) && HEADS.iter().any(|h| what.ends_with(h)) {
            return format!("{place}{what}");
        }
    }
    name
}

/// "城市家庭教育指导服务覆盖率达到95%,农村达到85%" → 农村家庭教育指导服务覆盖率: another
/// place in place of the one the name before opens with.
fn swap_place(previous: &str, place: &str) -> Option<String> {
    if !is_place_word(place) {
        return None;
    }
    let p: Vec<char> = previous.chars().collect();
    (2..=4.min(p.len().saturating_sub(3)))
        .rev()
        .map(|k| (p[..k].iter().collect::<String>(), k))
        .find(|(opening, _)| is_place_word(opening) && opening != place)
        .map(|(_, k)| format!("{place}{}", p[k..].iter().collect::<String>()))
}

/// "伤害死亡率以2020年为基数" + 下降 → "伤害死亡率较基数年下降幅度"; "每年" → 每年下降幅度.
fn relative_name(name: &str, up: bool) -> String {
    let verb = if up { "提高" } else { "下降" };
    let mut base = name.to_string();
    let mut yearly = false;
    // "5年下降10%": the span of years is not part of the name.
    let without_nian = base.strip_suffix('年').unwrap_or(&base);
    let trimmed_years = without_nian.trim_end_matches(|c: char| c.is_ascii_digit());
    if trimmed_years.len() < without_nian.len() && base.ends_with('年') {
        base = trimmed_years.to_string();
    }
    if ["每年", "年均", "平均每年"]
        .iter()
        .any(|w| base.contains(w))
    {
        yearly = true;
    }
    for marker in ["基础上", "为基数"] {
        if let Some(pos) = base.find(marker) {
            base.truncate(pos);
        }
    }
    let base = base.trim_end_matches(['以', '在', '比', '较']).to_string();
    let mut base = base;
    for marker in ["以", "比", "较", "与", "相比", "在"] {
        if let Some(pos) = base.find(marker) {
            let rest = &base[pos..];
            if rest.chars().any(|c| c.is_ascii_digit())
                || rest.contains("基数")
                || rest.contains("基期")
                || rest.contains("基础")
            {
                base.truncate(pos);
            }
        }
    }
    for w in ["每年", "年均", "平均每年"] {
        if let Some(x) = base.strip_suffix(w) {
            base = x.to_string();
            yearly = true;
        }
        if let Some(pos) = base.find(w) {
            base.truncate(pos);
            yearly = true;
        }
    }
    let mut base = base.trim_end_matches(['要', '应', '的']).to_string();
    // "近视率力争每年降低…": the adverb before 每年 is not part of the name.
    while let Some(tail) = TRAILING_NOISE
        .iter()
        .find(|t| base.ends_with(**t) && base.len() > t.len())
    {
        base.truncate(base.len() - tail.len());
    }
    if yearly {
        format!("{base}每年{verb}幅度")
    } else {
        format!("{base}较基数年{verb}幅度")
    }
}

/// "孕产妇死亡率(1/10万)" → "孕产妇死亡率".
pub fn strip_unit_brackets(name: &str) -> String {
    let trimmed = name.trim();
    if let Some(open) = trimmed.rfind(['(', '（'])
        && trimmed.ends_with([')', '）'])
    {
        let inner = &trimmed[open..];
        let inner = inner
            .trim_start_matches(['(', '（'])
            .trim_end_matches([')', '）']);
        if planwatch_text::unit::normalise(inner).is_some()
            || inner == "%"
            || inner.chars().count() <= 5
        {
            return trimmed[..open].trim().to_string();
        }
    }
    trimmed.to_string()
}

fn unit_from_name(name: &str) -> Option<String> {
    let folded = planwatch_text::fold(name);
    planwatch_text::unit::unit_in_brackets(&folded).map(str::to_string)
}

/// Past values in a 发展基础 / 主要成效 section: "女性平均受教育年限从2010年的8年大幅增加到了
/// 2020年的12.6年". The year is the one the value is stated for, else the year before the
/// plan starts.
pub fn baselines(line: &Line, ctx: &Context) -> Vec<Baseline> {
    let mut out = Vec::new();
    let chars = &line.folded;
    let mask = quoted_mask(chars);
    for (ss, se) in split_bounded(
        chars,
        line.body_start,
        chars.len(),
        &['。', ';', '!', '?'],
        MAX_SENTENCE,
    ) {
        let years = sentence_years(chars, ss, se, ctx);
        let mut sentence_subject: Option<String> = None;
        for (cs, ce) in split_bounded(chars, ss, se, &[',', ':'], MAX_CLAUSE) {
            let mut i = cs;
            while i < ce {
                if mask[i] {
                    i += 1;
                    continue;
                }
                let Some(q) = parse_quantity_at(chars, i) else {
                    i += 1;
                    continue;
                };
                if q.end > ce || q.unit.is_empty() || matches!(q.unit.as_str(), "百分点" | "倍")
                {
                    i = q.end.max(i + 1);
                    continue;
                }
                // The year the value is stated for: "2020年的12.6年", "2020年,…达到".
                let own_year = years
                    .iter()
                    .find(|y| y.end + 1 == q.start && chars.get(y.end) == Some(&'的'));
                // Years that own another value ("2015年的84%") do not date this one.
                let owned = |y: &&SentenceYear| chars.get(y.end) == Some(&'的');
                let verb = verb_before(chars, q.start).filter(|v| v.start >= cs);
                let change = verb.is_some_and(|v| matches!(v.kind, VerbKind::Change { .. }));
                let after = q.end;
                let defines_group = q.unit == "岁"
                    && chars.get(after).is_some_and(|c| is_cjk(*c))
                    && !clause_ends(chars, after, ce);
                // "城镇污水集中处理率96.0%": a rate stated right after its name.
                let adjacent_rate = verb.is_none()
                    && q.start > cs
                    && is_cjk(chars[q.start - 1])
                    && matches!(q.unit.as_str(), "%" | "‰" | "1/10万")
                    && HEADS.iter().any(|h| ends_with_at(chars, q.start, h));
                if change
                    || defines_group
                    || (verb.is_none() && own_year.is_none() && !adjacent_rate)
                {
                    i = q.end.max(i + 1);
                    continue;
                }
                let name_end = {
                    let pre = text_of(chars, cs, q.start);
                    match pre.find('从') {
                        Some(p) => cs + pre[..p].chars().count(),
                        None => verb.map_or(own_year.map_or(q.start, |y| y.start), |v| v.start),
                    }
                };
                let (a, b) = clean_indicator(chars, cs, name_end, &years);
                let mut name = clean_name(&text_of(chars, a, b));
                if is_generic(&name)
                    && let Some(prev) = &sentence_subject
                {
                    name = format!("{prev}{name}");
                }
                for w in ["由", "从"] {
                    if let Some(p) = name.find(w) {
                        name.truncate(p);
                    }
                }
                if !has_cjk(&name) {
                    match &sentence_subject {
                        Some(s) if own_year.is_some() => name = s.clone(),
                        _ => {
                            i = q.end.max(i + 1);
                            continue;
                        }
                    }
                }
                sentence_subject = Some(name.clone());
                let year = own_year.map(|y| y.year).or_else(|| {
                    years
                        .iter()
                        .rev()
                        .filter(|y| !owned(y))
                        .find(|y| y.end <= q.start && y.year < ctx.plan_start)
                        .map(|y| y.year)
                });
                let year = year.unwrap_or(ctx.plan_start - 1);
                if year >= ctx.plan_start || name.chars().count() > 30 {
                    i = q.end.max(i + 1);
                    continue;
                }
                out.push(Baseline {
                    line: line.no_at(q.start),
                    indicator: strip_unit_brackets(&name),
                    value: q.value,
                    unit: q.unit.clone(),
                    year,
                    text: quote(line, cs, ce, (q.start, q.end)),
                });
                i = q.end.max(i + 1);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::lines::prepare;

    fn ctx() -> Context<'static> {
        Context {
            plan_start: 2021,
            plan_end: 2030,
            domain: "妇女与健康",
            domains: &[],
        }
    }

    fn main_targets(text: &str) -> Vec<(String, &'static str, f64, String, i32)> {
        let lines = prepare(&[text.to_string()]);
        targets(&lines[0], &ctx(), Section::Main)
            .targets
            .into_iter()
            .map(|t| (t.indicator, t.comparator.as_str(), t.value, t.unit, t.year))
            .collect()
    }

    fn t(
        i: &str,
        c: &'static str,
        v: f64,
        u: &str,
        y: i32,
    ) -> (String, &'static str, f64, String, i32) {
        (i.to_string(), c, v, u.to_string(), y)
    }

    #[test]
    fn a_simple_bound() {
        assert_eq!(
            main_targets("2.孕产妇死亡率稳定在12/10万以下,区域差距逐步缩小。"),
            vec![t("孕产妇死亡率", "<=", 12.0, "1/10万", 2030)]
        );
    }

    #[test]
    fn respectively_pairs_with_years() {
        assert_eq!(
            main_targets(
                "2.到2025年和2030年,产前筛查率分别达80%以上和82%以上,孕产妇死亡率分别控制到万分之一以下和十万分之九以下,优于全省平均水平。"
            ),
            vec![
                t("产前筛查率", ">=", 80.0, "%", 2025),
                t("产前筛查率", ">=", 82.0, "%", 2030),
                t("孕产妇死亡率", "<=", 10.0, "1/10万", 2025),
                t("孕产妇死亡率", "<=", 9.0, "1/10万", 2030),
            ]
        );
    }

    #[test]
    fn each_distributes_over_an_enumeration() {
        assert_eq!(
            main_targets("宫颈癌和乳腺癌筛查率各达到80%以上。"),
            vec![
                t("宫颈癌筛查率", ">=", 80.0, "%", 2030),
                t("乳腺癌筛查率", ">=", 80.0, "%", 2030)
            ]
        );
        assert_eq!(
            main_targets("——建立适龄妇女乳腺癌、宫颈癌筛查长效机制,筛查率各达到80%以上。"),
            vec![
                t("乳腺癌筛查率", ">=", 80.0, "%", 2030),
                t("宫颈癌筛查率", ">=", 80.0, "%", 2030)
            ]
        );
    }

    #[test]
    fn a_compound_rate_is_one_target() {
        assert_eq!(
            main_targets("孕产妇艾滋病、梅毒和乙肝检测率达98%以上"),
            vec![t("孕产妇艾滋病、梅毒和乙肝检测率", ">=", 98.0, "%", 2030)]
        );
    }

    #[test]
    fn an_age_that_defines_a_group_is_not_a_value() {
        assert_eq!(
            main_targets(
                "12.关爱老年妇女健康,65岁以上老年人城乡社区规范健康管理服务率达到65%以上。"
            ),
            vec![t(
                "65岁以上老年人城乡社区规范健康管理服务率",
                ">=",
                65.0,
                "%",
                2030
            )]
        );
    }

    #[test]
    fn ranges_and_about() {
        assert_eq!(
            main_targets("高中阶段毛入学率保持在95%—98%。"),
            vec![
                t("高中阶段毛入学率", ">=", 95.0, "%", 2030),
                t("高中阶段毛入学率", "<=", 98.0, "%", 2030)
            ]
        );
        assert_eq!(
            main_targets("就业人员中女性比例保持在45%左右"),
            vec![t("就业人员中女性比例", "=", 45.0, "%", 2030)]
        );
        assert_eq!(
            main_targets("剖宫产率控制在35%左右"),
            vec![t("剖宫产率", "<=", 35.0, "%", 2030)]
        );
    }

    #[test]
    fn a_bare_measure_after_an_age_group_is_that_groups() {
        assert_eq!(
            main_targets("5岁以下儿童生长迟缓率控制在5%以下，低体重率降低到5%以下。"),
            vec![
                t("5岁以下儿童生长迟缓率", "<=", 5.0, "%", 2030),
                t("5岁以下儿童低体重率", "<=", 5.0, "%", 2030)
            ]
        );
        assert_eq!(
            main_targets("5岁以下儿童贫血率控制在5%以下，低体重率降低到5%以下。"),
            vec![
                t("5岁以下儿童贫血率", "<=", 5.0, "%", 2030),
                t("5岁以下儿童低体重率", "<=", 5.0, "%", 2030)
            ]
        );
        // A group of people that is no age group does not scope the next measure.
        assert_eq!(
            main_targets("孕产妇系统管理率达到90%以上，产前筛查率达到80%以上。"),
            vec![
                t("孕产妇系统管理率", ">=", 90.0, "%", 2030),
                t("产前筛查率", ">=", 80.0, "%", 2030)
            ]
        );
    }

    #[test]
    fn relative_changes_and_ratios_and_fractions() {
        assert_eq!(
            main_targets("儿童青少年总体近视率力争每年降低0.5个百分点以上。"),
            vec![t(
                "儿童青少年总体近视率每年下降幅度",
                ">=",
                0.5,
                "百分点",
                2030
            )]
        );
        assert_eq!(
            main_targets("儿童伤害死亡率以2020年为基数下降20%。"),
            vec![t("儿童伤害死亡率较基数年下降幅度", ">=", 20.0, "%", 2030)]
        );
        // A ratio is A/B as written; a ratio of the sexes written men first bounds the
        // women's term (连平县 line 184): men per woman at most 1/1.5, so 1:1 fails.
        assert_eq!(
            main_targets("师生比不低于1:3"),
            vec![t("师生比", ">=", 0.333, "比", 2030)]
        );
        assert_eq!(
            main_targets("城镇公共厕所男女厕位比例不低于1:1.5,人流量较大地区不低于1:2。"),
            vec![
                t("城镇公共厕所男女厕位比例", "<=", 0.667, "比", 2030),
                t(
                    "城镇公共厕所男女厕位比例（人流量较大地区）",
                    "<=",
                    0.5,
                    "比",
                    2030
                )
            ]
        );
        assert_eq!(
            main_targets("全县普惠性幼儿园覆盖率力争突破50%。"),
            vec![t("普惠性幼儿园覆盖率", ">", 50.0, "%", 2030)]
        );
        assert_eq!(
            main_targets("村委会成员中女性比例达到三分之一以上"),
            vec![t("村委会成员中女性比例", ">=", 33.33, "%", 2030)]
        );
    }

    #[test]
    fn past_and_titles_are_not_targets() {
        assert!(main_targets("认真贯彻《中华人民共和国妇女权益保障法》第20条").is_empty());
        assert!(main_targets("住院分娩率已达到99%。").is_empty());
    }

    #[test]
    fn a_qualitative_target_of_the_same_measure_keeps_the_people() {
        assert_eq!(
            qualitative_of("适龄妇女宫颈癌人群筛查率达到70%以上，乳腺癌人群筛查率逐步提高。"),
            vec![("适龄妇女乳腺癌人群筛查率".to_string(), Direction::Up)]
        );
        // Another measure keeps its own name.
        assert_eq!(
            qualitative_of("孕产妇系统管理率达到90%以上，产前筛查率逐步提高。"),
            vec![("产前筛查率".to_string(), Direction::Up)]
        );
    }

    #[test]
    fn qualitative_directions() {
        let lines = prepare(&[
            "3.适龄妇女宫颈癌人群筛查率达到70%以上,乳腺癌人群筛查率逐步提高。".to_string(),
        ]);
        let found = targets(&lines[0], &ctx(), Section::Main);
        assert_eq!(found.targets.len(), 1);
        let q: Vec<_> = found
            .qualitative
            .iter()
            .map(|q| (q.indicator.as_str(), q.direction))
            .collect();
        assert_eq!(q, vec![("适龄妇女乳腺癌人群筛查率", Direction::Up)]);
    }

    fn qualitative_of(text: &str) -> Vec<(String, Direction)> {
        let lines = prepare(&[text.to_string()]);
        targets(&lines[0], &ctx(), Section::Main)
            .qualitative
            .into_iter()
            .map(|q| (q.indicator, q.direction))
            .collect()
    }

    fn q(name: &str, d: Direction) -> (String, Direction) {
        (name.to_string(), d)
    }

    #[test]
    fn a_slowing_rise_is_held_down() {
        // 曾都区 line 58, 连平县 line 25.
        assert_eq!(
            qualitative_of(
                "6.妇女心理健康素养水平不断提升。妇女焦虑障碍、抑郁症患病率上升趋势减缓。"
            ),
            vec![
                q("妇女心理健康素养水平", Direction::Up),
                q("妇女焦虑障碍、抑郁症患病率", Direction::Down)
            ]
        );
        // 丽水市 line 62: the verb before the rate.
        assert_eq!(
            qualitative_of("4. 关注妇女心理健康,控制妇女焦虑障碍、抑郁症患病率上升趋势。"),
            vec![q("妇女焦虑障碍、抑郁症患病率", Direction::Down)]
        );
    }

    #[test]
    fn a_gap_of_something_measured_is_a_target_a_gap_between_places_is_not() {
        // 曾都区 lines 108 and 144, 连平县 line 145.
        assert_eq!(
            qualitative_of("6.大力培养女性科技人才,男女两性科学素质水平差距不断缩小。"),
            vec![q("男女两性科学素质水平差距", Direction::Down)]
        );
        assert_eq!(
            qualitative_of("4.保障妇女获得公平的劳动报酬,男女收入差距明显缩小。"),
            vec![q("男女收入差距", Direction::Down)]
        );
        assert_eq!(
            qualitative_of("7.倡导男女共担家务,缩小两性家务劳动时间差距。"),
            vec![q("两性家务劳动时间差距", Direction::Down)]
        );
        assert_eq!(
            qualitative_of("2.孕产妇死亡率稳定在12/10万以下,城乡、区域差距逐步缩小。").len(),
            0
        );
        // 石柱县 lines 557 and 560.
        assert_eq!(
            qualitative_of(
                "儿童优先的社会风尚普遍形成,城乡、区域、群体之间的儿童发展差距明显缩小。"
            )
            .len(),
            0
        );
        assert_eq!(
            qualitative_of("办学条件、师资水平、教育质量上的城乡、区域差距持续缩小。").len(),
            0
        );
    }

    #[test]
    fn a_bare_measure_without_a_subject_is_not_a_target() {
        // 曾都区 line 731.
        assert_eq!(
            qualitative_of(
                "5.增加公益性科技、文化、艺术、体育、娱乐等儿童校外活动场所,提高利用率和服务质量。"
            ),
            vec![]
        );
    }

    #[test]
    fn a_state_kept_is_a_keep_target() {
        // 曾都区 line 386: the only measurable goal of 妇女与法律.
        assert_eq!(
            qualitative_of("9.出生人口性别比保持在自然状态。"),
            vec![q("出生人口性别比", Direction::Keep)]
        );
        // 丽水市 line 895.
        assert_eq!(
            qualitative_of("——依法保障儿童获得出生登记和身份登记。出生人口性别比趋于合理。"),
            vec![q("出生人口性别比", Direction::Keep)]
        );
    }

    #[test]
    fn directions_with_adverbs_and_trailing_words_that_are_not_measured() {
        // 连平县 line 96: 逐届.
        assert_eq!(
            qualitative_of(
                "3.地方人大代表和常委中的女性比例逐届提高,地方政协委员和常委中的女性比例逐届提高。"
            ),
            vec![
                q("地方人大代表和常委中的女性比例", Direction::Up),
                q("地方政协委员和常委中的女性比例", Direction::Up)
            ]
        );
        // 曾都区 line 651, 连平县 line 348.
        assert_eq!(
            qualitative_of("9.城乡社区儿童之家覆盖率进一步巩固提高,服务能力持续提升。"),
            vec![q("城乡社区儿童之家覆盖率", Direction::Up)]
        );
        // 曾都区 lines 739 and 236: an adverb before the verb; "和待遇水平" is not measured.
        assert_eq!(
            qualitative_of("9.减少环境污染对儿童的伤害,稳步提高农村卫生厕所普及率。"),
            vec![q("农村卫生厕所普及率", Direction::Up)]
        );
        assert_eq!(
            qualitative_of(
                "5.完善失业保险和工伤保险制度,提高妇女失业保险和工伤保险的参保率和待遇水平。"
            ),
            vec![q("妇女失业保险和工伤保险的参保率", Direction::Up)]
        );
        // 丽水市 line 727.
        assert_eq!(
            qualitative_of(
                "——保障儿童享有基本医疗和保健服务,进一步提高儿童基本医疗保障覆盖率和保障水平。"
            ),
            vec![q("儿童基本医疗保障覆盖率", Direction::Up)]
        );
        // 丽水市 line 554: 控制 holds a rate down.
        assert_eq!(
            qualitative_of("——控制儿童总体视力不良发生率。"),
            vec![q("儿童总体视力不良发生率", Direction::Down)]
        );
    }

    #[test]
    fn an_age_that_names_the_group_does_not_make_a_direction_a_value() {
        // 丽水市 line 737.
        assert_eq!(
            qualitative_of(
                "——增加孤残儿童养护和残疾儿童康复的专业服务机构数量,提高0—6岁残疾儿童抢救性康复率。"
            ),
            vec![
                q(
                    "孤残儿童养护和残疾儿童康复的专业服务机构数量",
                    Direction::Up
                ),
                q("0—6岁残疾儿童抢救性康复率", Direction::Up)
            ]
        );
    }

    #[test]
    fn statements_joined_by_a_list_comma_each_keep_their_direction_and_subject() {
        // 丽水市 line 248.
        let found = qualitative_of(
            "——持续推动社会保险提质扩面,实现所有妇女应保尽保。妇女参加基本医疗保险实现全覆盖、妇女参加失业保险人数逐步提高、女职工参加工伤保险人数逐步提高、妇女参加基本养老保险基本实现法定人员全覆盖。",
        );
        assert_eq!(
            found,
            vec![
                q("妇女参加失业保险人数", Direction::Up),
                q("女职工参加工伤保险人数", Direction::Up)
            ]
        );
        // 丽水市 line 905: the second rate of a list keeps the subject of the first.
        assert_eq!(
            qualitative_of(
                "——预防未成年人违法犯罪,对未成年违法犯罪试行分级干预。降低未成年人犯罪率与重新犯罪率。"
            ),
            vec![
                q("未成年人犯罪率", Direction::Down),
                q("未成年人重新犯罪率", Direction::Down)
            ]
        );
    }

    #[test]
    fn access_circles_need_the_place_they_serve() {
        // 连平县 line 141: half an hour is 30 minutes.
        let found = main_targets(
            "3.拓展支持家庭与妇女全面发展的公共服务,逐步打造城市社区“15分钟生活圈”、农村社区“半小时生活圈”,千兆宽带网络家庭普及率超过30%。",
        );
        let names: Vec<_> = found
            .iter()
            .map(|(n, c, v, _, _)| format!("{n} {c} {v}"))
            .collect();
        assert_eq!(
            names,
            vec![
                "城市社区生活圈 <= 15",
                "农村社区生活圈 <= 30",
                "千兆宽带网络家庭普及率 > 30"
            ]
        );
        // 连平县 line 159: no place, no target.
        assert!(main_targets("1.推进城乡社区建设,逐步建立优质便捷的15分钟生活圈。").is_empty());
    }

    #[test]
    fn a_short_name_takes_its_subject_from_the_clause_before() {
        // 丽水市 line 560.
        let found = main_targets(
            "——积极推进0-3岁儿童发育监测与筛查工作,监测筛查率达到85%以上。3岁以下婴幼儿健康管理率≥95%。",
        );
        assert_eq!(found[0].0, "0-3岁儿童发育监测筛查率");
        assert_eq!(found[1].0, "3岁以下婴幼儿健康管理率");
        // 曾都区 line 643.
        let found = main_targets(
            "5.孤儿和事实无人抚养儿童的生存、发展、安全权益得到有效保障,保障覆盖率达到100%。",
        );
        assert_eq!(found.len(), 1);
        assert!(
            found[0].0.starts_with("孤儿和事实无人抚养儿童") && found[0].0.ends_with("覆盖率"),
            "{found:?}"
        );
    }

    #[test]
    fn a_group_split_is_named_as_people_say_it() {
        let found = main_targets("保证小学生、初中生、高中生每天睡眠时间分别不少于10、9、8小时。");
        let got: Vec<_> = found
            .iter()
            .map(|(n, c, v, u, _)| format!("{n} {c} {v} {u}"))
            .collect();
        assert_eq!(
            got,
            vec![
                "小学生每天睡眠时间 >= 10 小时",
                "初中生每天睡眠时间 >= 9 小时",
                "高中生每天睡眠时间 >= 8 小时"
            ]
        );
    }

    #[test]
    fn baselines_with_their_years() {
        let lines = prepare(&["我县女性受教育程度不断提高,女性平均受教育年限从2010年的8年大幅增加到了2020年的12.6年。".to_string()]);
        let b: Vec<_> = baselines(&lines[0], &ctx())
            .into_iter()
            .map(|b| (b.indicator, b.value, b.unit, b.year))
            .collect();
        assert_eq!(
            b,
            vec![
                (
                    "女性平均受教育年限".to_string(),
                    8.0,
                    "年".to_string(),
                    2010
                ),
                (
                    "女性平均受教育年限".to_string(),
                    12.6,
                    "年".to_string(),
                    2020
                )
            ]
        );
    }

    /// 渝北区 (004) l.495: the second clause's bare measure takes the group the sentence's
    /// first clause named; an indicator that names its own group does not.
    #[test]
    fn a_bare_measure_takes_the_group_of_the_clause_before() {
        assert_eq!(
            main_targets(
                "5岁以下儿童贫血患病率和生长迟缓率分别控制在8%和4%以下,低体重率和低出生体重发生率均控制在4%以下。"
            ),
            vec![
                t("5岁以下儿童贫血患病率", "<=", 8.0, "%", 2030),
                t("5岁以下儿童生长迟缓率", "<=", 4.0, "%", 2030),
                t("5岁以下儿童低体重率", "<=", 4.0, "%", 2030),
                t("低出生体重发生率", "<=", 4.0, "%", 2030),
            ]
        );
    }

    /// 渝北区 (004) l.324: the target set by the level above is named before its value.
    #[test]
    fn a_value_named_as_the_target_of_the_level_above() {
        assert_eq!(
            main_targets(
                "6.空气质量优良天数比率不低于市定考核目标的87%,重点城市声环境功能区夜间达标率≥80%。"
            ),
            vec![
                t("空气质量优良天数比率", ">=", 87.0, "%", 2030),
                t("重点城市声环境功能区夜间达标率", ">=", 80.0, "%", 2030),
            ]
        );
    }

    /// "优良率" alone is no indicator: it takes the subject of the clause before, whose
    /// measure it replaces.
    #[test]
    fn a_measure_without_its_subject_takes_the_subject_before() {
        assert_eq!(
            main_targets("11.中小学生国家学生体质健康标准达标率达到95%以上,优良率达到60%以上。"),
            vec![
                t("中小学生国家学生体质健康标准达标率", ">=", 95.0, "%", 2030),
                t("中小学生国家学生体质健康标准优良率", ">=", 60.0, "%", 2030),
            ]
        );
    }

    /// 曾都区 (003) l.64: full coverage of named places.
    #[test]
    fn full_coverage_of_named_places() {
        assert_eq!(
            main_targets(
                "5.提高妇女经常参加体育锻炼的人数比例。到2025年,城乡体育健身设施实现社区、行政村全覆盖。"
            ),
            vec![t(
                "城乡体育健身设施社区、行政村覆盖率",
                "=",
                100.0,
                "%",
                2025
            )]
        );
    }
}

#[cfg(test)]
mod owner_tests {
    use super::*;
    use crate::extract::lines::prepare;

    #[test]
    fn an_owner_named_after_the_goal() {
        let lines = prepare(&[
            "3.孕产妇死亡率控制在9/10万以下。（责任单位：县卫生健康局、县妇联）".to_string(),
        ]);
        let ctx = Context {
            plan_start: 2021,
            plan_end: 2030,
            domain: "",
            domains: &[],
        };
        let found = targets(&lines[0], &ctx, Section::Main);
        let owners: Vec<_> = found.targets.iter().map(|t| t.owner.as_deref()).collect();
        assert_eq!(owners, vec![Some("县卫生健康局、县妇联")]);
    }
}

#[cfg(test)]
mod binding_tests {
    use super::*;
    use crate::extract::lines::prepare;

    #[test]
    fn binding_words_beside_a_goal() {
        let lines = prepare(&[
            "孕产妇死亡率控制在9/10万以下（约束性指标），婚前医学检查率达到80%（预期性）。"
                .to_string(),
        ]);
        let ctx = Context {
            plan_start: 2021,
            plan_end: 2030,
            domain: "",
            domains: &[],
        };
        let found = targets(&lines[0], &ctx, Section::Main);
        let got: Vec<_> = found
            .targets
            .iter()
            .map(|t| (t.indicator.as_str(), t.binding))
            .collect();
        assert_eq!(
            got,
            vec![
                ("孕产妇死亡率", Some(true)),
                ("婚前医学检查率", Some(false))
            ]
        );
    }
}

#[cfg(test)]
mod outline_sentences {
    //! Sentences as the national outlines write them, which a plan from any province copies
    //! or adapts: every one read with its subject, value and direction, none tuned to the
    //! four shipped plans.
    use super::*;
    use crate::extract::lines::prepare;

    fn read(sentence: &str) -> (Vec<String>, Vec<String>) {
        let ctx = Context {
            plan_start: 2021,
            plan_end: 2030,
            domain: "妇女与健康",
            domains: &[],
        };
        let lines = prepare(&[sentence.to_string()]);
        let found = targets(&lines[0], &ctx, Section::Main);
        let quantified = found
            .targets
            .iter()
            .map(|t| {
                format!(
                    "{} {} {} {}",
                    t.indicator,
                    t.comparator.as_str(),
                    t.value,
                    t.unit
                )
            })
            .collect();
        let qualitative = found
            .qualitative
            .iter()
            .map(|q| format!("{} {:?}", q.indicator, q.direction))
            .collect();
        (quantified, qualitative)
    }

    #[test]
    fn outline_sentences_read_whole() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "就业人员中的女性比例保持在45%左右。",
                &["就业人员中的女性比例 = 45 %"],
                &[],
            ),
            (
                "村委会成员中女性比例达到30%以上，村委会主任中女性比例逐步提高。",
                &["村委会成员中女性比例 >= 30 %"],
                &["村委会主任中女性比例 Up"],
            ),
            (
                "社区居委会成员中女性比例保持在50%左右，社区居委会主任中女性比例达到40%以上。",
                &[
                    "社区居委会成员中女性比例 = 50 %",
                    "社区居委会主任中女性比例 >= 40 %",
                ],
                &[],
            ),
            (
                "新生儿、婴儿和5岁以下儿童死亡率分别降至3.0‰、5.0‰和6.0‰以下，地区和城乡差距逐步缩小。",
                &[
                    "新生儿死亡率 <= 3 ‰",
                    "婴儿死亡率 <= 5 ‰",
                    "5岁以下儿童死亡率 <= 6 ‰",
                ],
                &[],
            ),
            (
                "适龄儿童免疫规划疫苗接种率以乡（镇、街道）为单位保持在90%以上。",
                &["适龄儿童免疫规划疫苗接种率 >= 90 %"],
                &[],
            ),
            (
                "0～6岁儿童眼保健和视力检查覆盖率达到90%以上。",
                &["0~6岁儿童眼保健和视力检查覆盖率 >= 90 %"],
                &[],
            ),
            (
                "学前教育毛入园率达到并保持在90%以上。",
                &["学前教育毛入园率 >= 90 %"],
                &[],
            ),
            (
                "5岁以下儿童贫血患病率和生长迟缓率分别控制在10%和5%以下，儿童超重、肥胖上升趋势得到有效控制。",
                &[
                    "5岁以下儿童贫血患病率 <= 10 %",
                    "5岁以下儿童生长迟缓率 <= 5 %",
                ],
                &[],
            ),
            (
                "城市社区和农村社区家长学校或家庭教育指导服务站点覆盖率分别达到90%和80%。",
                &[
                    "城市社区家长学校或家庭教育指导服务站点覆盖率 >= 90 %",
                    "农村社区家长学校或家庭教育指导服务站点覆盖率 >= 80 %",
                ],
                &[],
            ),
            (
                "每千人口拥有3岁以下婴幼儿托位数达到4.5个。",
                &["每千人口拥有3岁以下婴幼儿托位数 >= 4.5 个"],
                &[],
            ),
            (
                "适龄妇女宫颈癌人群筛查率达到70%以上，乳腺癌人群筛查率逐步提高。",
                &["适龄妇女宫颈癌人群筛查率 >= 70 %"],
                &["适龄妇女乳腺癌人群筛查率 Up"],
            ),
            (
                "农村自来水普及率达到90%，农村卫生厕所普及率稳步提高。",
                &["农村自来水普及率 >= 90 %"],
                &["农村卫生厕所普及率 Up"],
            ),
            (
                "城乡居民基本养老保险参保率达到95%以上，妇女基本医疗保险参保率稳定在95%以上。",
                &[
                    "城乡居民基本养老保险参保率 >= 95 %",
                    "妇女基本医疗保险参保率 >= 95 %",
                ],
                &[],
            ),
            ("未成年人犯罪率稳中有降。", &[], &["未成年人犯罪率 Down"]),
            (
                "城市和农村儿童之家覆盖率分别达到95%和90%。",
                &["城市儿童之家覆盖率 >= 95 %", "农村儿童之家覆盖率 >= 90 %"],
                &[],
            ),
            (
                "到2025年，婴儿死亡率降至4‰以下；到2030年，降至3‰以下。",
                &["婴儿死亡率 <= 4 ‰", "婴儿死亡率 <= 3 ‰"],
                &[],
            ),
            (
                "18岁以下儿童伤害死亡率以2020年为基数下降20%。",
                &["18岁以下儿童伤害死亡率较基数年下降幅度 >= 20 %"],
                &[],
            ),
            (
                "义务教育阶段适龄残疾儿童少年入学率达到97%以上。",
                &["义务教育阶段适龄残疾儿童少年入学率 >= 97 %"],
                &[],
            ),
            (
                "新生儿访视率保持在95%以上，0-6个月婴儿纯母乳喂养率达到50%以上。",
                &["新生儿访视率 >= 95 %", "0-6个月婴儿纯母乳喂养率 >= 50 %"],
                &[],
            ),
            (
                "女性基本养老保险参保人数持续增加，基本医疗保险参保率达到95%以上。",
                &["基本医疗保险参保率 >= 95 %"],
                &["女性基本养老保险参保人数 Up"],
            ),
            (
                "家庭教育指导服务覆盖率城市达到95%，农村达到85%。",
                &[
                    "城市家庭教育指导服务覆盖率 >= 95 %",
                    "农村家庭教育指导服务覆盖率 >= 85 %",
                ],
                &[],
            ),
            (
                "孕产妇死亡率和婴儿死亡率分别控制在10/10万和5‰以下。",
                &["孕产妇死亡率 <= 10 1/10万", "婴儿死亡率 <= 5 ‰"],
                &[],
            ),
            (
                "各级人大代表和常委会委员中的女性比例逐步提高。",
                &[],
                &["各级人大代表和常委会委员中的女性比例 Up"],
            ),
            (
                "儿童人口性别比逐步趋于正常。",
                &[],
                &["儿童人口性别比 Keep"],
            ),
            (
                "每个县（市、区）至少设有1所未成年人救助保护机构。",
                &["每个县(市、区)未成年人救助保护机构 >= 1 所"],
                &[],
            ),
            (
                "小学生、初中生、高中生每天睡眠时间分别不少于10小时、9小时、8小时。",
                &[
                    "小学生每天睡眠时间 >= 10 小时",
                    "初中生每天睡眠时间 >= 9 小时",
                    "高中生每天睡眠时间 >= 8 小时",
                ],
                &[],
            ),
            (
                "全县中小学生肥胖率控制在10%以内，超重率控制在15%以内。",
                &["中小学生肥胖率 <= 10 %", "中小学生超重率 <= 15 %"],
                &[],
            ),
            // A level relative to another region's is no value to monitor here.
            ("女性平均受教育年限不低于全国平均水平。", &[], &[]),
        ];
        for (sentence, quantified, qualitative) in cases {
            let (q, d) = read(sentence);
            assert_eq!(q, *quantified, "{sentence}");
            assert_eq!(d, *qualitative, "{sentence}");
        }
    }
}
