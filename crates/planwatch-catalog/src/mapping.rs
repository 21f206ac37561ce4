//! Mapping a plan's target onto the catalog: indicator text (+ unit, plan kind, domain)
//! → catalog code with a confidence in [0, 1], or `None` (a region-local indicator,
//! listed for review).
//!
//! The steps, each tried only when the previous one finds nothing:
//! 1. **exact**: the [`normalize`]d text equals a normalised name (confidence 1.0) or
//!    alias (0.97) of an entry;
//! 2. **plan-scoped**: the text names no population and the plan's population makes it
//!    exact (in a women's plan 生态文明教育普及率 is 妇女生态文明教育普及率; in a children's
//!    plan it is 儿童生态文明教育普及率), or a redundant population word dropped makes it
//!    exact (0.93);
//! 3. **rewritten**: the same words in the order the catalog writes them (基本养老保险女性参保率
//!    → 女性基本养老保险参保率; 女性占就业人员的比例 → 就业人员中女性比例) or without a bracketed
//!    qualifier that names nothing distinguishing (学前教育毛入园率（学前三年）), is exact (0.9);
//! 4. **fuzzy**: character-bigram similarity (Dice) of the normalised texts, only against
//!    entries of the plan's kind whose unit is compatible, and only when every
//!    *distinguishing feature* agrees ([`features`]: 宫颈癌/乳腺癌, 新生儿/婴儿/5岁以下,
//!    城镇/农村, 男, 小学/初中/高中, the measure word 死亡率/患病率/发生率 …). A best
//!    candidate closer than [`AMBIGUITY_MARGIN`] to a different runner-up is refused.
//!
//! The guard rails are there because a wrong code is worse than none: an unmapped
//! target goes to the statistics bureau for review, a wrongly mapped one silently
//! compares a region's 乳腺癌筛查率 with another's 宫颈癌筛查率.

use crate::{Catalog, Indicator};
use planwatch_core::PlanKind;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// Fuzzy matches below this similarity are not matches.
pub const FUZZY_THRESHOLD: f64 = 0.72;
/// A fuzzy winner must beat a different runner-up by this much.
pub const AMBIGUITY_MARGIN: f64 = 0.04;

/// What is known of a target when it is mapped.
#[derive(Debug, Clone, Copy)]
pub struct Query<'a> {
    /// The indicator as the plan writes it (the extractor's `indicator`).
    pub indicator: &'a str,
    /// The target's unit when it has one (quantitative targets).
    pub unit: Option<&'a str>,
    pub kind: PlanKind,
    /// The plan's domain label (妇女与健康), used only to break ties.
    pub domain: Option<&'a str>,
}

/// How a mapping was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Name,
    Alias,
    PlanScoped,
    /// A rewriting of the text (word order, a bracketed qualifier dropped) is exact.
    Variant,
    Fuzzy,
    Context,
}

/// A target mapped to a catalog entry.
#[derive(Debug, Clone, Copy)]
pub struct Mapping<'c> {
    pub indicator: &'c Indicator,
    /// In [0, 1]: 1.0 exact name, 0.97 alias, 0.93 plan-scoped, 0.9 rewritten, below for
    /// fuzzy.
    pub confidence: f64,
    pub method: Method,
}

/// Maps one target. `None`: no catalog entry has this meaning (or none can be told
/// apart with confidence); the target becomes a region-local indicator for review.
pub fn map<'c>(catalog: &'c Catalog, q: &Query<'_>) -> Option<Mapping<'c>> {
    let key = normalize(q.indicator);
    if key.is_empty() {
        return None;
    }
    if let Some(m) = exact(catalog, q, &key) {
        return Some(m);
    }
    fuzzy(catalog, q, &key)
}

/// Like [`map`], and when the indicator is only a generic measure word that the reader
/// cut from its subject (死亡率, 覆盖率, 监测筛查率), finds the subject in the target's
/// sentence: the catalog entry whose name ends with that measure word and whose other
/// words (bigrams) appear in `text`, when exactly one entry does (confidence ≤ 0.75).
pub fn map_with_text<'c>(catalog: &'c Catalog, q: &Query<'_>, text: &str) -> Option<Mapping<'c>> {
    map(catalog, q).or_else(|| context(catalog, q, text))
}

/// Names this short are a measure word, not an indicator.
const GENERIC_MAX_CHARS: usize = 6;
/// Share of the entry's subject bigrams that must occur in the sentence.
const CONTEXT_THRESHOLD: f64 = 0.8;

fn context<'c>(catalog: &'c Catalog, q: &Query<'_>, text: &str) -> Option<Mapping<'c>> {
    let key = normalize(q.indicator);
    let n = key.chars().count();
    if !(2..=GENERIC_MAX_CHARS).contains(&n) {
        return None;
    }
    let sentence = normalize(text);
    let sentence_bigrams = bigrams(&sentence);
    let unit = q.unit.map(str::trim).filter(|u| !u.is_empty());
    let mut scored: Vec<(f64, &Indicator)> = Vec::new();
    for (k, ind) in catalog.keys() {
        if ind.retired || !ind.serves(q.kind) || k == key {
            continue;
        }
        let Some(subject) = k.strip_suffix(key.as_str()) else {
            continue;
        };
        if subject.chars().count() < 2 {
            continue;
        }
        if let Some(u) = unit
            && !units_compatible(u, &ind.unit)
        {
            continue;
        }
        let sb = bigrams(subject);
        let found = sb
            .iter()
            .filter(|b| sentence_bigrams.binary_search(b).is_ok())
            .count();
        let share = found as f64 / sb.len() as f64;
        if share >= CONTEXT_THRESHOLD {
            scored.push((share, ind));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (best, ind) = *scored.first()?;
    if scored.iter().any(|(_, other)| other.code != ind.code) {
        return None;
    }
    Some(Mapping {
        indicator: ind,
        confidence: ((0.75 * best * unit_factor(q, ind)) * 1000.0).round() / 1000.0,
        method: Method::Context,
    })
}

fn unit_factor(q: &Query<'_>, ind: &Indicator) -> f64 {
    match q.unit.map(str::trim).filter(|u| !u.is_empty()) {
        None => 1.0,
        Some(u) if u == ind.unit => 1.0,
        Some(u) if units_compatible(u, &ind.unit) => 0.95,
        Some(_) => 0.6,
    }
}

fn exact<'c>(catalog: &'c Catalog, q: &Query<'_>, key: &str) -> Option<Mapping<'c>> {
    let usable = |ind: &&Indicator| !ind.retired;
    // 1. the text as written
    if let Some(ind) = catalog.by_normalized(key).filter(usable) {
        let base = if normalize(&ind.name) == key {
            1.0
        } else {
            0.97
        };
        let method = if base == 1.0 {
            Method::Name
        } else {
            Method::Alias
        };
        return Some(Mapping {
            indicator: ind,
            confidence: base * unit_factor(q, ind),
            method,
        });
    }
    // 2. the plan's population added, or a population word dropped
    let pops: &[&str] = match q.kind {
        PlanKind::Women => &["妇女", "女性"],
        PlanKind::Children => &["儿童", "未成年人"],
    };
    let mut variants: Vec<String> = pops.iter().map(|p| format!("{p}{key}")).collect();
    for p in ["妇女", "女性", "儿童", "全体"] {
        if let Some(rest) = key.strip_prefix(p)
            && rest.chars().count() >= 3
        {
            variants.push(rest.to_string());
        }
    }
    for v in variants {
        if let Some(ind) = catalog.by_normalized(&v).filter(usable)
            && ind.serves(q.kind)
            && features(&v) == features(key)
        {
            return Some(Mapping {
                indicator: ind,
                confidence: 0.93 * unit_factor(q, ind),
                method: Method::PlanScoped,
            });
        }
    }
    // 3. the words reordered, or a bracketed qualifier dropped; never a rewriting that
    //    changes the distinguishing features
    let qf = distinguishing(key);
    let unit = q.unit.map(str::trim).filter(|u| !u.is_empty());
    for v in rewritings(q.indicator, key) {
        if let Some(ind) = catalog.by_normalized(&v).filter(usable)
            && ind.serves(q.kind)
            && unit.is_none_or(|u| units_compatible(u, &ind.unit))
            && distinguishing(&v) == qf
        {
            return Some(Mapping {
                indicator: ind,
                confidence: 0.9 * unit_factor(q, ind),
                method: Method::Variant,
            });
        }
    }
    None
}

/// Population words a plan may write anywhere in a name (基本养老保险女性参保率) where the
/// catalog writes them first (女性基本养老保险参保率).
const MOVABLE_POPULATIONS: &[&str] = &["妇女", "女性"];

/// Other spellings of a normalised name `key` (of the raw text `raw`) that mean the same:
/// - a population word moved to the front;
/// - 女性占X的比例 / 女性在X中的比例 written X中女性比例;
/// - the name without its bracketed qualifiers (学前教育毛入园率（学前三年）).
///
/// The caller accepts a rewriting only when its [`distinguishing`] features equal the
/// original's, so a dropped （城镇） or （0—17岁） never maps onto the total.
pub fn rewritings(raw: &str, key: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in MOVABLE_POPULATIONS {
        if let Some(at) = key.find(p)
            && at > 0
        {
            let rest = format!("{}{}", &key[..at], &key[at + p.len()..]);
            out.push(format!("{p}{rest}"));
        }
        // 女性占X比例, 女性在X中比例 (的 is gone already) → X女性比例
        for verb in ["占", "在"] {
            if let Some(body) = key
                .strip_prefix(p)
                .and_then(|r| r.strip_prefix(verb))
                .and_then(|r| r.strip_suffix("比例"))
            {
                let body = body.strip_suffix('中').unwrap_or(body);
                if body.chars().count() >= 2 {
                    out.push(format!("{body}女性比例"));
                }
            }
        }
    }
    let folded: String = raw.nfkc().collect();
    if folded.contains(['(', '[']) {
        let (bare, dropped) = drop_brackets(&folded);
        let narrows = dropped
            .iter()
            .any(|d| NARROWING.iter().any(|w| d.contains(w)));
        let bare = normalize(&bare);
        if !narrows && !bare.is_empty() && bare != key {
            out.push(bare);
        }
    }
    out.retain(|v| v != key);
    out.dedup();
    out
}

/// Words that make a bracketed qualifier restrict the places or people measured
/// (男女厕位比例（人流量较大地区）is a standard of its own): never dropped.
const NARROWING: &[&str] = &[
    "地区", "区域", "地方", "山区", "场所", "重点", "部分", "其中",
];

/// The text without its bracket groups, and the groups' contents; an unclosed bracket is
/// kept.
fn drop_brackets(s: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(s.len());
    let mut dropped = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find(['(', '[']) {
        let close_char = if rest[open..].starts_with('(') {
            ')'
        } else {
            ']'
        };
        let after = &rest[open + 1..];
        match after.find(close_char) {
            Some(close) => {
                out.push_str(&rest[..open]);
                dropped.push(after[..close].to_string());
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    (out, dropped)
}

fn fuzzy<'c>(catalog: &'c Catalog, q: &Query<'_>, key: &str) -> Option<Mapping<'c>> {
    let qf = features(key);
    let qb = bigrams(key);
    let unit = q.unit.map(str::trim).filter(|u| !u.is_empty());
    let mut scored: Vec<(f64, &Indicator)> = Vec::new();
    for (k, ind) in catalog.indexed() {
        if ind.retired || !ind.serves(q.kind) {
            continue;
        }
        if let Some(u) = unit
            && !units_compatible(u, &ind.unit)
        {
            continue;
        }
        if k.features != qf {
            continue;
        }
        let mut s = dice(&qb, &k.bigrams);
        if let Some(d) = q.domain
            && d == ind.domain_label()
        {
            s += 0.01;
        }
        scored.push((s, ind));
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (best, ind) = *scored.first()?;
    if best < FUZZY_THRESHOLD {
        return None;
    }
    if let Some((second, _)) = scored.iter().find(|(_, other)| other.code != ind.code)
        && best - second < AMBIGUITY_MARGIN
    {
        return None;
    }
    let confidence = (0.5 + 0.45 * best.min(1.0)) * unit_factor(q, ind);
    Some(Mapping {
        indicator: ind,
        confidence: (confidence * 1000.0).round() / 1000.0,
        method: Method::Fuzzy,
    })
}

/// A target whose indicator text names several catalog indicators at once
/// (村党组织成员、村党组织书记中女性比例; 新生儿、婴儿和5岁以下儿童死亡率 left unsplit).
/// The extraction contract asks the reader to split such targets; until it does, the
/// parts are mapped so that a reviewer sees which indicators the target means.
#[derive(Debug, Clone)]
pub struct CompoundPart<'c> {
    /// The part's indicator as reconstructed (村党组织书记中女性比例).
    pub indicator: String,
    pub mapping: Mapping<'c>,
}

/// Separators of an enumeration inside an indicator name.
const ENUM_SEPARATORS: &[&str] = &["以及", "、", "和", "及", "与", ","];

/// Maps the parts of a compound indicator: `Some` only when the text is an enumeration
/// whose every part, completed with the shared prefix and suffix, is exactly (by name,
/// alias or plan scope, never fuzzily) a catalog indicator, and the parts are different
/// indicators.
pub fn map_compound<'c>(catalog: &'c Catalog, q: &Query<'_>) -> Option<Vec<CompoundPart<'c>>> {
    let folded: String = q.indicator.nfkc().collect();
    let folded = strip_brackets(&folded);
    let mut parts: Vec<String> = vec![folded];
    for sep in ENUM_SEPARATORS {
        parts = parts
            .iter()
            .flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>())
            .collect();
    }
    let parts: Vec<Vec<char>> = parts
        .iter()
        .map(|p| p.trim().chars().collect::<Vec<char>>())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 || parts.len() > 6 {
        return None;
    }
    let first = &parts[0];
    let last = &parts[parts.len() - 1];
    let mut best: Option<(f64, usize, Vec<CompoundPart<'c>>)> = None;
    // r: length of the prefix of the first part shared by the others;
    // t: length of the suffix of the last part shared by the others
    let try_map = |text: String| -> Option<CompoundPart<'c>> {
        let key = normalize(&text);
        let sub = Query {
            indicator: &text,
            ..*q
        };
        let mapping = exact(catalog, &sub, &key)?;
        Some(CompoundPart {
            indicator: text,
            mapping,
        })
    };
    let last_body: String = last.iter().collect();
    let first_body: String = first.iter().collect();
    // the last part depends only on r, the first only on t: try each once
    let lasts: Vec<Option<CompoundPart<'c>>> = (0..first.len())
        .map(|r| {
            try_map(format!(
                "{}{last_body}",
                first[..r].iter().collect::<String>()
            ))
        })
        .collect();
    for t in 0..last.len() {
        let suf: String = last[last.len() - t..].iter().collect();
        let Some(head) = try_map(format!("{first_body}{suf}")) else {
            continue;
        };
        for (r, tail) in lasts.iter().enumerate() {
            let Some(tail) = tail else { continue };
            let pre: String = first[..r].iter().collect();
            let mut out = vec![head.clone()];
            let mut ok = true;
            for p in &parts[1..parts.len() - 1] {
                let body: String = p.iter().collect();
                match try_map(format!("{pre}{body}{suf}")) {
                    Some(m) => out.push(m),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if !ok {
                continue;
            }
            out.push(tail.clone());
            let mut codes: Vec<&str> = out
                .iter()
                .map(|o| o.mapping.indicator.code.as_str())
                .collect();
            codes.sort_unstable();
            codes.dedup();
            if codes.len() != out.len() {
                continue;
            }
            let total: f64 = out.iter().map(|o| o.mapping.confidence).sum();
            let better = match &best {
                None => true,
                Some((bt, bl, _)) => {
                    total > *bt + 1e-9 || ((total - *bt).abs() < 1e-9 && r + t < *bl)
                }
            };
            if better {
                best = Some((total, r + t, out));
            }
        }
    }
    best.map(|(_, _, parts)| parts)
}

/// One part of an unsplit enumeration, as reported.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartMapping {
    pub indicator: String,
    pub code: String,
    pub name: String,
    pub confidence: f64,
}

/// The mapping of one target of a plan document (quantitative or qualitative, main or
/// measure), as `planwatch plan map` reports it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetMapping {
    pub line: u32,
    /// The indicator as the plan writes it.
    pub indicator: String,
    /// `None`: a region-local indicator, listed for review.
    pub code: Option<String>,
    /// In [0, 1]; 0 when unmapped.
    pub confidence: f64,
    /// The catalog name of `code`.
    pub name: Option<String>,
    pub method: Option<Method>,
    pub plan: PlanKind,
    pub section: planwatch_core::Section,
    pub domain: String,
    /// When the indicator is an enumeration the reader left unsplit: its parts' codes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartMapping>,
    /// `"female"` when the target is the female value of an indicator reported by sex
    /// (女童九年义务教育巩固率; 九年义务教育巩固率 in a women's plan): evaluation compares
    /// the target with that breakdown, not the total.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sex: Option<&'static str>,
}

/// Whether a target mapped to `ind` means its female breakdown.
pub fn female_breakdown(ind: &Indicator, kind: PlanKind, indicator_text: &str) -> bool {
    if !ind.disaggregations.iter().any(|d| d == "sex") || ind.name.contains('女') {
        return false;
    }
    let text = normalize(indicator_text).replace("男女", "");
    kind == PlanKind::Women
        || ["女童", "女生", "女性", "妇女"]
            .iter()
            .any(|w| text.contains(w))
}

/// The part of a source line that can name a target's subject: the sentence (up to
/// 。；) holding the target's indicator, cut before the indicator.
pub fn subject_context<'s>(line: &'s str, indicator: &str) -> &'s str {
    let Some(at) = line.find(indicator) else {
        return line;
    };
    let start = line[..at].rfind(['。', '；', ';']).map_or(0, |i| {
        i + line[i..].chars().next().map_or(1, char::len_utf8)
    });
    &line[start..at]
}

/// Maps every target of a document, in line order. `lines` are the source's lines
/// (1-based `line` indexes them); they give a generic indicator (覆盖率) its subject.
/// Pass an empty slice when the source is not at hand.
pub fn map_document(
    catalog: &Catalog,
    doc: &planwatch_core::PlanDocument,
    lines: &[String],
) -> Vec<TargetMapping> {
    let mut out = Vec::new();
    for plan in &doc.plans {
        let quantitative = plan.targets.iter().map(|t| {
            let unit = Some(t.unit.as_str());
            (
                t.line,
                t.section,
                t.indicator.as_str(),
                unit,
                t.domain.as_str(),
                t.text.as_str(),
            )
        });
        let qualitative = plan.qualitative.iter().map(|t| {
            (
                t.line,
                t.section,
                t.indicator.as_str(),
                None,
                t.domain.as_str(),
                t.text.as_str(),
            )
        });
        for (line, section, indicator, unit, domain, text) in quantitative.chain(qualitative) {
            let q = Query {
                indicator,
                unit,
                kind: plan.kind,
                domain: Some(domain),
            };
            let source_line = (line as usize)
                .checked_sub(1)
                .and_then(|i| lines.get(i))
                .map(|l| subject_context(l, indicator));
            let m = map_with_text(catalog, &q, source_line.unwrap_or(text));
            let parts = match m {
                Some(_) => Vec::new(),
                None => map_compound(catalog, &q)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|p| PartMapping {
                        code: p.mapping.indicator.code.clone(),
                        name: p.mapping.indicator.name.clone(),
                        confidence: p.mapping.confidence,
                        indicator: p.indicator,
                    })
                    .collect(),
            };
            out.push(TargetMapping {
                line,
                indicator: indicator.to_string(),
                code: m.map(|m| m.indicator.code.clone()),
                confidence: m.map_or(0.0, |m| m.confidence),
                name: m.map(|m| m.indicator.name.clone()),
                method: m.map(|m| m.method),
                plan: plan.kind,
                section,
                domain: domain.to_string(),
                parts,
                sex: m
                    .filter(|m| female_breakdown(m.indicator, plan.kind, indicator))
                    .map(|_| "female"),
            });
        }
    }
    out.sort_by_key(|t| t.line);
    out
}

/// Coverage of a document's main targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub main: usize,
    /// Main targets mapped to one code.
    pub mapped: usize,
    /// Main targets that are unsplit enumerations with every part mapped.
    pub enumerations: usize,
    /// Main targets with no mapping: region-local indicators for review.
    pub unmapped: usize,
}

pub fn coverage(mappings: &[TargetMapping]) -> Coverage {
    let main: Vec<&TargetMapping> = mappings
        .iter()
        .filter(|t| t.section == planwatch_core::Section::Main)
        .collect();
    let mapped = main.iter().filter(|t| t.code.is_some()).count();
    let enumerations = main
        .iter()
        .filter(|t| t.code.is_none() && !t.parts.is_empty())
        .count();
    Coverage {
        main: main.len(),
        mapped,
        enumerations,
        unmapped: main.len() - mapped - enumerations,
    }
}

/// A normalised catalog key with what the fuzzy step compares, computed once.
#[derive(Debug, Clone)]
pub(crate) struct IndexedKey {
    pub(crate) key: String,
    pub(crate) entry: usize,
    pub(crate) features: Vec<Vec<String>>,
    pub(crate) bigrams: Vec<(char, char)>,
}

impl IndexedKey {
    pub(crate) fn new(key: &str, entry: usize) -> IndexedKey {
        IndexedKey {
            key: key.to_string(),
            entry,
            features: features(key),
            bigrams: bigrams(key),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Normalisation

/// Region words that prefix an indicator without changing its meaning (全县孕产妇死亡率).
const REGION_PREFIXES: &[&str] = &[
    "本地区",
    "全省",
    "全市",
    "全县",
    "全区",
    "全州",
    "全旗",
    "全镇",
    "我省",
    "我市",
    "我县",
    "我区",
    "我州",
    "本省",
    "本市",
    "本县",
    "本区",
    "省级",
    "市级",
    "县级",
    "区级",
    "各级",
    "各类",
    "各镇",
    "各乡镇",
    "省市县三级",
    "县乡村三级",
    "市县两级",
    "县乡两级",
    "每个市",
    "每个县",
    "每个区",
    "镇街道管委会",
    "乡镇街道",
    "镇街道",
];

/// One-character region words, stripped only before an organ (县人大代表 → 人大代表).
const REGION_CHARS: &[char] = &['省', '市', '县', '区', '州', '镇', '乡'];
const ORGANS: &[&str] = &["党", "人大", "政协", "政府", "妇联"];

/// Unit words that, in brackets after a name, only state the unit: 孕产妇死亡率（1/10万）.
fn is_unit_text(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty() {
        return true;
    }
    if crate::UNITS.contains(&s) {
        return true;
    }
    let s = s.strip_prefix("单位:").unwrap_or(s);
    matches!(
        s,
        "%" | "‰"
            | "1/10万"
            | "1/万"
            | "10万分之"
            | "/10万"
            | "张"
            | "名"
            | "个"
            | "人"
            | "万人"
            | "户"
            | "岁"
            | "年"
            | "小时"
            | "分钟"
            | "元"
            | "天"
            | "所"
            | "项"
            | "次"
            | "人次"
            | "家"
            | "处"
            | "件"
            | "平方米"
            | "个百分点"
            | "百分点"
            | "女=100"
            | "万元"
    )
}

/// The matching key of an indicator name: NFKC-folded, without spaces, quotes, list
/// numbering, unit brackets, region prefixes and words that do not change the meaning
/// (的, 适龄, 人群, list separators); 占比/比重/人数比例/人口比例 written 比例, 及以上 written
/// 以上, 少年儿童/儿童少年 written 儿童.
///
/// Only for matching: never apply it to a document before extraction (NFKC turns ① into 1).
pub fn normalize(s: &str) -> String {
    // circled and parenthesised numbers are numbering; drop them before NFKC turns them
    // into digits
    let s: String = s
        .chars()
        .filter(|c| {
            !('\u{2460}'..='\u{249B}').contains(c) && !('\u{2776}'..='\u{2793}').contains(c)
        })
        .collect();
    let folded: String = s.nfkc().collect();
    let mut t = String::with_capacity(folded.len());
    for c in folded.chars() {
        match c {
            c if c.is_whitespace() => {}
            '《' | '》' | '“' | '”' | '‘' | '’' | '"' | '\'' | '「' | '」' | '<' | '>' | '·' =>
                {}
            '—' | '–' | '~' | '～' | '‐' | '−' => t.push('-'),
            '【' | '〔' => t.push('['),
            '】' | '〕' => t.push(']'),
            '、' | ',' | ';' | ':' => t.push('、'),
            c => t.push(c.to_ascii_lowercase()),
        }
    }
    let t = strip_numbering(&t);
    let t = strip_brackets(&t);
    let t = chinese_ages(&t);
    let t = strip_integrating_clause(&t);
    let t = t.trim_matches(|c: char| c == '、' || c == '-' || c == '.' || c == '。');
    let mut t = strip_region(&t.replace('、', ""));
    for (from, to) in [
        ("以及", ""),
        ("、", ""),
        ("和", ""),
        ("的", ""),
        ("适龄", ""),
        ("人群", ""),
        ("及以上", "以上"),
        ("所占比例", "比例"),
        ("人数比例", "比例"),
        ("人口比例", "比例"),
        ("占比", "比例"),
        ("比重", "比例"),
        ("中国共产党", "中共"),
        ("乙型肝炎", "乙肝"),
    ] {
        if t.contains(from) {
            t = t.replace(from, to);
        }
    }
    let t = children_word(&t);
    // X中女性比例 → X女性比例 (but keep 高中/初中 女生)
    let mut out = String::with_capacity(t.len());
    let chars: Vec<char> = t.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c == '中'
            && chars.get(i + 1) == Some(&'女')
            && i > 0
            && !matches!(chars[i - 1], '高' | '初' | '集')
        {
            continue;
        }
        out.push(c);
    }
    out
}

/// 少年儿童 and 儿童少年 are 儿童 (残疾儿童少年义务教育入学率); 青少年 and 少年宫 stay.
fn children_word(s: &str) -> String {
    if !s.contains("少年") {
        return s.to_string();
    }
    s.replace("青少年", "\u{1}")
        .replace("少年宫", "\u{2}")
        .replace("少年儿童", "儿童")
        .replace("儿童少年", "儿童")
        .replace('\u{1}', "青少年")
        .replace('\u{2}', "少年宫")
}

/// Drops a descriptive "集……于一体(的)" clause (集宣教、培训、维权于一体的活动中心 is an
/// 活动中心): it describes the facility, not the measured quantity.
fn strip_integrating_clause(s: &str) -> String {
    let Some(start) = s.find('集') else {
        return s.to_string();
    };
    let Some(end) = s[start..].find("于一体") else {
        return s.to_string();
    };
    let mut after = start + end + "于一体".len();
    if s[after..].starts_with('的') {
        after += '的'.len_utf8();
    }
    format!("{}{}", &s[..start], &s[after..])
}

/// Ages written in Chinese numerals as digits: 三岁 → 3岁, 十二岁 → 12岁, 六个月 → 6个月
/// (一 to 九十九 before 岁 or 个月).
fn chinese_ages(s: &str) -> String {
    const DIGITS: &str = "零一二三四五六七八九";
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| DIGITS.contains(**c) || **c == '十' || **c == '两')
            .count();
        let rest: String = chars[i + run..].iter().take(2).collect();
        if run > 0 && (rest.starts_with('岁') || rest.starts_with("个月")) {
            let digit = |c: char| match c {
                '两' => Some(2),
                c => DIGITS.chars().position(|d| d == c).map(|p| p as u32),
            };
            let word = &chars[i..i + run];
            let value = match word.iter().position(|&c| c == '十') {
                None if run == 1 => digit(word[0]),
                None => None,
                Some(p) => {
                    let tens = if p == 0 {
                        Some(1)
                    } else if p == 1 {
                        digit(word[0])
                    } else {
                        None
                    };
                    let units = match &word[p + 1..] {
                        [] => Some(0),
                        [u] => digit(*u),
                        _ => None,
                    };
                    tens.zip(units).map(|(t, u)| t * 10 + u)
                }
            };
            if let Some(v) = value {
                out.push_str(&v.to_string());
                i += run;
                continue;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

/// Leading list numbering: 1. 1、 (1) （一） 一、 —— ; also numbering glued to an age
/// (8.5岁以下儿童贫血率 is item 8 about 5岁以下).
fn strip_numbering(s: &str) -> String {
    let mut s = s.trim_start_matches(['-', '、', '.', '。']).to_string();
    loop {
        let chars: Vec<char> = s.chars().collect();
        let mut cut = 0;
        // (1) (一)
        if chars.first() == Some(&'(')
            && let Some(close) = chars.iter().position(|&c| c == ')')
        {
            let inner: String = chars[1..close].iter().collect();
            if !inner.is_empty()
                && close <= 4
                && inner
                    .chars()
                    .all(|c| c.is_ascii_digit() || "一二三四五六七八九十".contains(c))
            {
                cut = close + 1;
            }
        }
        // 一、
        if cut == 0 {
            let n = chars
                .iter()
                .take_while(|c| "一二三四五六七八九十".contains(**c))
                .count();
            if n > 0 && matches!(chars.get(n), Some('、') | Some('.')) {
                cut = n + 1;
            }
        }
        // 1. 1、 1)
        if cut == 0 {
            let n = chars.iter().take_while(|c| c.is_ascii_digit()).count();
            if (1..=2).contains(&n) {
                match chars.get(n) {
                    Some('、') | Some(')') => cut = n + 1,
                    Some('.') => {
                        let next = chars.get(n + 1);
                        let glued_age = next.is_some_and(|c| c.is_ascii_digit())
                            && chars.get(n + 2) == Some(&'岁');
                        if next.is_some_and(|c| !c.is_ascii_digit()) || glued_age {
                            cut = n + 1;
                        }
                    }
                    _ => {}
                }
            }
        }
        if cut == 0 {
            return s;
        }
        s = chars[cut..].iter().collect::<String>();
        s = s.trim_start_matches(['-', '、', '.']).to_string();
    }
}

/// Removes bracket groups that only state a unit; keeps the words of other groups
/// without their brackets (村（社区） → 村社区).
fn strip_brackets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find(['(', '[']) {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let close_char = if rest[open..].starts_with('(') {
            ')'
        } else {
            ']'
        };
        match after.find(close_char) {
            Some(close) => {
                let inner = &after[..close];
                if !is_unit_text(inner) {
                    out.push_str(inner);
                }
                rest = &after[close + 1..];
            }
            None => {
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace([')', ']'], "")
}

fn strip_region(s: &str) -> String {
    let mut t = s.to_string();
    loop {
        let before = t.len();
        for p in REGION_PREFIXES {
            if let Some(rest) = t.strip_prefix(p)
                && !rest.starts_with("以上")
                && !rest.starts_with("以下")
                && !rest.is_empty()
            {
                t = rest.to_string();
            }
        }
        let mut chars = t.chars();
        if let Some(c) = chars.next() {
            let rest = chars.as_str();
            if REGION_CHARS.contains(&c) && ORGANS.iter().any(|o| rest.starts_with(o)) {
                t = rest.to_string();
            }
        }
        if t.len() == before {
            return t;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Distinguishing features

/// Groups of words that tell indicators apart: two names can only be the same indicator
/// when, for every group, they mention the same members. Within a group longer words are
/// matched first and consume their text (中小学 is not 小学; 婴幼儿 is not 婴儿).
/// A pair `(word, canonical)` lets synonyms agree.
pub(crate) const GROUPS: &[&[(&str, &str)]] = &[
    &[("宫颈癌", "宫颈癌"), ("乳腺癌", "乳腺癌"), ("两癌", "两癌")],
    &[
        ("艾滋病", "艾滋病"),
        ("hiv", "艾滋病"),
        ("梅毒", "梅毒"),
        ("乙肝", "乙肝"),
        ("结核", "结核"),
    ],
    &[
        ("新生儿", "新生儿"),
        ("婴幼儿", "婴幼儿"),
        ("婴儿", "婴儿"),
        ("孕产妇", "孕产妇"),
        ("孕妇", "孕妇"),
        ("产妇", "产妇"),
        ("老年", "老年"),
        ("青少年", "青少年"),
        ("幼儿", "幼儿"),
        ("残疾", "残疾"),
        ("孤儿", "孤儿"),
        ("流动", "流动"),
        ("留守", "留守"),
        ("未成年", "未成年"),
        ("随迁", "随迁"),
        ("职工", "职工"),
        ("大学生", "大学生"),
        ("高校毕业生", "大学生"),
    ],
    &[
        ("城镇", "城镇"),
        ("城市", "城市"),
        ("农村", "农村"),
        ("乡村", "农村"),
        ("城乡", "城乡"),
    ],
    &[
        ("中小学", "中小学"),
        ("小学", "小学"),
        ("初中", "初中"),
        ("高中", "高中"),
        ("学前", "学前"),
        ("义务教育", "义务教育"),
        ("高等教育", "高等教育"),
        ("中等职业", "中职"),
        ("中职", "中职"),
        ("幼儿园", "幼儿园"),
    ],
    &[
        ("村党组织", "村党组织"),
        ("社区党组织", "社区党组织"),
        ("村社区党组织", "村社区党组织"),
        ("村民委员会", "村委会"),
        ("村委员会", "村委会"),
        ("村委会", "村委会"),
        ("居民委员会", "居委会"),
        ("居委会", "居委会"),
        ("党代会", "党代会"),
        ("党代表", "党代会"),
        ("党员代表大会", "党代会"),
        ("人大", "人大"),
        ("政协", "政协"),
        ("董事会", "董事会"),
        ("监事会", "监事会"),
        ("教职工代表大会", "教代会"),
        ("职工代表大会", "职代会"),
        ("事业单位", "事业单位"),
        ("工作部门", "工作部门"),
        ("社会组织", "社会组织"),
        ("纪委", "纪委"),
    ],
    &[
        ("主任", "主任"),
        ("书记", "书记"),
        ("正职", "正职"),
        ("常委", "常委"),
        ("负责人", "负责人"),
        ("配备率", "配备率"),
        ("成员", "成员"),
    ],
    &[("劳动合同", "劳动合同"), ("集体合同", "集体合同")],
    &[("心理", "心理"), ("精神", "精神")],
    &[("副", "副")],
    &[
        ("中高级", "中高级"),
        ("高级", "高级"),
        ("中级", "中级"),
        ("初级", "初级"),
    ],
    &[("新发", "新发")],
    &[("无害化", "无害化")],
    &[
        ("自来水", "自来水"),
        ("卫生厕所", "卫生厕所"),
        ("集中供水", "集中供水"),
        ("水质", "水质"),
        ("饮用水", "饮用水"),
    ],
    &[("焦虑", "焦虑"), ("抑郁", "抑郁")],
    &[("意外", "意外")],
    &[
        ("溺水", "溺水"),
        ("道路交通", "道路交通"),
        ("跌倒", "跌倒"),
        ("烧烫伤", "烧烫伤"),
        ("中毒", "中毒"),
        ("自杀", "自杀"),
        ("自伤", "自伤"),
        ("暴力", "暴力"),
        ("欺凌", "欺凌"),
    ],
    &[
        ("婚前", "婚前"),
        ("孕前", "孕前"),
        ("产前", "产前"),
        ("孕早期", "孕早期"),
    ],
    &[
        ("遗传代谢", "遗传代谢"),
        ("听力", "听力"),
        ("先天性心脏病", "先心病"),
    ],
    &[
        ("生育保险", "生育保险"),
        ("医疗保险", "医疗保险"),
        ("医疗保障", "医疗保险"),
        ("养老保险", "养老保险"),
        ("失业保险", "失业保险"),
        ("工伤保险", "工伤保险"),
    ],
    &[
        ("保健食品", "保健食品"),
        ("食品", "食品"),
        ("药品", "药品"),
        ("化妆", "化妆品"),
        ("卫生用品", "卫生用品"),
        ("消费品", "消费品"),
        ("用品", "用品"),
    ],
    &[("法官", "法官"), ("检察官", "检察官"), ("律师", "律师")],
    &[("强奸", "强奸"), ("拐卖", "拐卖"), ("重新犯罪", "重新犯罪")],
    &[("乳牙", "乳牙")],
    &[
        ("床位", "床位"),
        ("医师", "医师"),
        ("医生", "医师"),
        ("托位", "托位"),
    ],
    &[("破案", "破案"), ("结案", "结案"), ("发案", "发案")],
    &[
        ("基数", "较基数"),
        ("幅度", "较基数"),
        ("降幅", "较基数"),
        ("每年降低", "较基数"),
        ("下降", "较基数"),
    ],
    &[("系统管理", "系统管理"), ("健康管理", "健康管理")],
    &[("纯母乳", "纯母乳")],
    &[("低出生体重", "低出生体重"), ("低体重", "低体重")],
    &[("普惠", "普惠")],
    &[("公办", "公办"), ("民办", "民办")],
    &[("示范", "示范")],
    &[("人数", "人数"), ("数量", "人数"), ("参保率", "参保率")],
    &[("专业技术", "专业技术")],
    &[("就业", "就业")],
    &[("预期寿命", "预期寿命")],
    &[("健康预期", "健康预期")],
    &[("女童", "女童"), ("女生", "女童")],
    &[("集中养育", "集中养育"), ("散居", "散居")],
];

/// The distinguishing features of a normalised name: for every group the sorted set of
/// canonical members it mentions, plus any age or age range (5岁, 0-6岁, 6个月), a male
/// marker (男 outside 男女) and the head word (死亡率, 患病率, 比例 …).
pub fn features(key: &str) -> Vec<Vec<String>> {
    let mut out = Vec::with_capacity(GROUPS.len() + 3);
    for group in GROUPS {
        let mut rest = key.to_string();
        let mut words: Vec<(&str, &str)> = group.to_vec();
        words.sort_by_key(|(w, _)| std::cmp::Reverse(w.chars().count()));
        let mut found: Vec<String> = Vec::new();
        for (w, canon) in words {
            if rest.contains(w) {
                rest = rest.replace(w, "\u{0}");
                if !found.iter().any(|f| f == canon) {
                    found.push(canon.to_string());
                }
            }
        }
        found.sort();
        out.push(found);
    }
    out.push(ages(key));
    let male = key.replace("男女", "").contains('男');
    out.push(if male { vec!["男".into()] } else { vec![] });
    out.push(vec![head(key)]);
    out
}

/// [`features`] without the head word: what a rewriting must keep. A qualifier at the end
/// (婴儿死亡率（按常住人口）) changes the last characters, not what is measured.
pub fn distinguishing(key: &str) -> Vec<Vec<String>> {
    let mut f = features(key);
    f.pop();
    f
}

/// Ages and age ranges named in the text: 5岁, 0-6岁, 6个月, 65岁以上 → "65岁".
fn ages(key: &str) -> Vec<String> {
    let chars: Vec<char> = key.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit() || chars[i] == '-' || chars[i] == '.')
            {
                i += 1;
            }
            let num: String = chars[start..i].iter().collect();
            let tail: String = chars[i..].iter().take(2).collect();
            if tail.starts_with('岁') {
                out.push(format!("{num}岁"));
            } else if tail.starts_with("个月") || tail.starts_with('月') {
                out.push(format!("{num}个月"));
            }
        } else {
            i += 1;
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The head word of a name: the rate (…率 with the two characters before it), 比例,
/// or the last two characters.
fn head(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let n = chars.len();
    if n == 0 {
        return String::new();
    }
    if chars[n - 1] == '率' {
        return chars[n.saturating_sub(3)..].iter().collect();
    }
    // a count is named with or without 数/数量 (床位 / 床位数)
    let mut end = n;
    if key.ends_with("数量") && n > 3 {
        end -= 2;
    } else if chars[n - 1] == '数' && n > 2 {
        end -= 1;
    }
    chars[end.saturating_sub(2)..end].iter().collect()
}

// ---------------------------------------------------------------------------------------
// Similarity and units

pub(crate) fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() == 1 {
        return vec![(chars[0], '\u{0}')];
    }
    let mut v: Vec<(char, char)> = chars.windows(2).map(|w| (w[0], w[1])).collect();
    v.sort();
    v
}

/// Sørensen–Dice coefficient over bigram multisets (both sorted).
pub(crate) fn dice(a: &[(char, char)], b: &[(char, char)]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    2.0 * common as f64 / (a.len() + b.len()) as f64
}

/// The class of a unit: values in units of the same class measure the same kind of
/// quantity and can be converted (‰ and 1/10万 are both rates; 张 and 个 both counts).
pub fn unit_class(unit: &str) -> Option<&'static str> {
    let class = match unit.trim() {
        "%" | "‰" | "1/万" | "1/10万" => "rate",
        "百分点" => "points",
        "比" => "ratio",
        "女=100" => "sex_ratio",
        "岁" | "年" => "years",
        "天" | "小时" | "分钟" => "duration",
        "个" | "所" | "家" | "处" | "张" | "名" | "人" | "万人" | "人次" | "户" | "项" | "件" => {
            "count"
        }
        "平方米" => "area",
        "元" | "万元" => "money",
        _ => return None,
    };
    Some(class)
}

/// Whether a target in `target_unit` can be a value of an indicator in `catalog_unit`.
/// An unknown target unit says nothing, so it is compatible; a ratio written 比 may be
/// a share (2:3 is 66.7%).
pub fn units_compatible(target_unit: &str, catalog_unit: &str) -> bool {
    let t = target_unit.trim();
    if t.is_empty() || t == catalog_unit {
        return true;
    }
    match (unit_class(t), unit_class(catalog_unit)) {
        (None, _) => true,
        (Some(a), Some(b)) if a == b => true,
        (Some("ratio"), Some("rate")) | (Some("rate"), Some("ratio")) => true,
        (Some("ratio"), Some("sex_ratio")) | (Some("sex_ratio"), Some("ratio")) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_strips_what_does_not_change_meaning() {
        assert_eq!(normalize("孕产妇死亡率（1/10万）"), "孕产妇死亡率");
        assert_eq!(normalize("全县孕产妇死亡率"), "孕产妇死亡率");
        assert_eq!(normalize("3.孕产妇系统管理率（%）"), "孕产妇系统管理率");
        assert_eq!(normalize("8.5岁以下儿童贫血率"), "5岁以下儿童贫血率");
        assert_eq!(normalize("①婴儿死亡率"), "婴儿死亡率");
        assert_eq!(
            normalize("适龄妇女宫颈癌人群筛查率（%）"),
            "妇女宫颈癌筛查率"
        );
        assert_eq!(normalize("县人大代表中女性比例（%）"), "人大代表女性比例");
        assert_eq!(
            normalize("村（社区）党组织成员中女性比例"),
            "村社区党组织成员女性比例"
        );
        assert_eq!(
            normalize("0—6岁儿童眼保健和视力检查覆盖率"),
            "0-6岁儿童眼保健视力检查覆盖率"
        );
        assert_eq!(normalize("６５岁及以上老年人"), "65岁以上老年人");
        assert_eq!(normalize("高中女生毛入学率"), "高中女生毛入学率");
        assert_eq!(normalize("三岁以下儿童系统管理率"), "3岁以下儿童系统管理率");
        assert_eq!(normalize("十二岁儿童龋患率"), "12岁儿童龋患率");
        assert_eq!(
            normalize("六个月内婴儿纯母乳喂养率"),
            "6个月内婴儿纯母乳喂养率"
        );
        assert_eq!(normalize("三十五岁"), "35岁");
        assert_eq!(
            normalize("建立集宣教、培训、维权于一体的多功能妇女活动中心比例"),
            "建立多功能妇女活动中心比例"
        );
    }

    #[test]
    fn normalize_folds_population_and_share_words() {
        // 的, 人数比例/人口比例/占比/比重 are 比例
        assert_eq!(
            normalize("城镇单位就业人员中的女性比例"),
            normalize("城镇单位就业人员中女性比例")
        );
        assert_eq!(
            normalize("妇女经常参加体育锻炼的人数比例"),
            "妇女经常参加体育锻炼比例"
        );
        assert_eq!(
            normalize("妇女经常参加体育锻炼人口比例"),
            "妇女经常参加体育锻炼比例"
        );
        assert_eq!(
            normalize("女性高级专业技术人员占比"),
            "女性高级专业技术人员比例"
        );
        // 少年儿童, 儿童少年 → 儿童; 青少年 and 少年宫 untouched
        assert_eq!(normalize("少年儿童伤害死亡率"), "儿童伤害死亡率");
        assert_eq!(
            normalize("残疾儿童少年义务教育入学率"),
            "残疾儿童义务教育入学率"
        );
        assert_eq!(normalize("儿童青少年总体近视率"), "儿童青少年总体近视率");
        assert_eq!(normalize("青少年儿童近视率"), "青少年儿童近视率");
        assert_eq!(normalize("儿童少年宫数量"), "儿童少年宫数量");
    }

    #[test]
    fn rewritings_reorder_and_drop_qualifiers() {
        let r = |s: &str| rewritings(s, &normalize(s));
        // a population word moved to the front
        assert!(r("基本养老保险妇女参保率").contains(&"妇女基本养老保险参保率".to_string()));
        // 女性占X的比例, 女性在X中的比例 → X女性比例
        assert!(r("女性占就业人员的比例").contains(&"就业人员女性比例".to_string()));
        assert!(
            r("女性在城镇单位就业人员中的比例").contains(&"城镇单位就业人员女性比例".to_string())
        );
        // a bracketed qualifier dropped; the caller checks the features
        assert!(r("学前教育毛入园率（学前三年）").contains(&"学前教育毛入园率".to_string()));
        let rural = r("孕产妇死亡率（农村）");
        assert!(rural.contains(&"孕产妇死亡率".to_string()));
        assert_ne!(
            features(&normalize("孕产妇死亡率（农村）")),
            features("孕产妇死亡率")
        );
        // nothing to rewrite
        assert!(r("孕产妇死亡率").is_empty());
        // an unclosed bracket keeps its text
        assert_eq!(drop_brackets("婴儿死亡率(‰").0, "婴儿死亡率(‰");
        // a qualifier that restricts the places measured stays
        assert!(
            !r("城镇公共厕所男女厕位比例（人流量较大地区）")
                .contains(&"城镇公共厕所男女厕位比例".to_string())
        );
    }

    #[test]
    fn features_tell_apart_what_must_stay_apart() {
        let f = |s: &str| features(&normalize(s));
        assert_ne!(f("宫颈癌筛查率"), f("乳腺癌筛查率"));
        assert_ne!(f("婴儿死亡率"), f("5岁以下儿童死亡率"));
        assert_ne!(f("新生儿死亡率"), f("婴儿死亡率"));
        assert_ne!(f("城镇单位就业人员中女性比例"), f("就业人员中女性比例"));
        assert_ne!(f("小学生近视率"), f("初中生近视率"));
        assert_ne!(f("中小学生近视率"), f("小学生近视率"));
        assert_ne!(f("孕产妇死亡率"), f("孕产妇贫血患病率"));
        assert_ne!(f("男性就业人员比例"), f("女性就业人员比例"));
        assert_eq!(f("男女收入差距"), f("两性收入差距"));
        assert_ne!(f("村委会成员中女性比例"), f("村委会主任中女性比例"));
        assert_eq!(
            f("孕产妇艾滋病、梅毒和乙肝检测率"),
            f("孕产妇艾滋病梅毒乙型肝炎检测率")
        );
    }

    #[test]
    fn units_compatible_by_class() {
        assert!(units_compatible("‰", "1/10万"));
        assert!(units_compatible("张", "个"));
        assert!(units_compatible("", "%"));
        assert!(!units_compatible("%", "个"));
        assert!(!units_compatible("岁", "小时"));
        assert!(units_compatible("比", "%"));
    }

    #[test]
    fn dice_is_symmetric_and_bounded() {
        let a = bigrams("孕产妇系统管理率");
        let b = bigrams("孕产妇系统管理");
        let d = dice(&a, &b);
        assert!(d > 0.8 && d < 1.0);
        assert_eq!(d, dice(&b, &a));
        assert_eq!(dice(&a, &a), 1.0);
    }
}
