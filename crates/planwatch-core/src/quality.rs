//! Data-quality rules of the annual reporting round (规范报送、提高数据质量): what a reported
//! value may be, shown next to the field in Chinese. The same rules serve the command-line
//! import, the web form, the Excel upload and the API.
//!
//! - [`parse_value`] turns what a person typed ("12.5", "12.5%", "１２．５", "1,234") into a
//!   number, or says in Chinese what to fix.
//! - [`check`] judges one reported value with its context ([`Submission`]) and returns
//!   [`Finding`]s: [`Severity::Hard`] ones block; [`Severity::Soft`] ones pass once the
//!   reporter writes an explanation ([`blocks`]).
//!
//! Pure: no I/O, and no input makes it panic.

use std::fmt;
use std::ops::RangeInclusive;

/// Values whose magnitude exceeds this are refused: no indicator of a plan gets near it,
/// and beyond it lie typing slips and overflowed spreadsheets.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// The years a reported value may be for: plans run 2021—2030, baselines go back to about
/// 2010.
pub const YEARS: RangeInclusive<i32> = 2000..=2100;

/// Earlier years needed before a value's own history judges it (as DHIS2's min-max rule).
pub const MIN_HISTORY: usize = 3;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// Blocks the value: it cannot be right.
    Hard,
    /// Unusual: the value passes once the reporter explains it.
    Soft,
}

/// One problem with a reported value.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    /// Which value: `value`, `year`, `numerator`, `denominator`, or a breakdown's group
    /// as `{breakdown}:{group}`, e.g. `性别:女`.
    pub field: String,
    /// What is wrong and what to do, in Chinese.
    pub message: String,
}

impl Finding {
    fn hard(field: impl Into<String>, message: String) -> Finding {
        Finding {
            severity: Severity::Hard,
            field: field.into(),
            message,
        }
    }

    fn soft(field: impl Into<String>, message: String) -> Finding {
        Finding {
            severity: Severity::Soft,
            field: field.into(),
            message,
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Whether `findings` keep a value out: any hard one, or a soft one without an explanation
/// (an explanation of whitespace only is none).
pub fn blocks(findings: &[Finding], explanation: Option<&str>) -> bool {
    let explained = explanation.is_some_and(|e| !e.trim().is_empty());
    findings
        .iter()
        .any(|f| f.severity == Severity::Hard || !explained)
}

/// Why typed text is not a value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ValueError {
    #[error("数值为空，请填写")]
    Empty,
    #[error("请用小数点“.”表示小数，如 12.5（收到“{0}”）")]
    DecimalComma(String),
    #[error("“{0}”不是数值，请只填写数字，如 12.5")]
    NotNumber(String),
    #[error("数值“{0}”过大（绝对值超过 1 万亿），请检查是否多输了数字")]
    TooLarge(String),
}

/// What the rules know of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// `%`: 0—100 unless the caller allows more.
    Percent,
    /// A rate per 1000, 10 000 or 100 000 (`‰`, `1/万`, `1/10万`): 0 up to the base.
    PerBase(u32),
    /// Whole things counted (人, 个, 所, 次 …): whole and ≥ 0.
    Count,
    /// Ages and durations in years (岁, 年): 0—150.
    Years,
    /// `百分点`: a change, −100—100.
    Points,
    /// Anything else that cannot be negative (万人, 元, 小时, 比, 女=100 …).
    NonNegative,
}

impl UnitKind {
    /// The kind of a unit as the catalog writes it; unknown units are
    /// [`UnitKind::NonNegative`].
    pub fn of(unit: &str) -> UnitKind {
        match unit.trim() {
            "%" | "％" => UnitKind::Percent,
            "‰" => UnitKind::PerBase(1_000),
            "1/万" => UnitKind::PerBase(10_000),
            "1/10万" => UnitKind::PerBase(100_000),
            "百分点" => UnitKind::Points,
            "岁" | "周岁" | "年" => UnitKind::Years,
            "个" | "所" | "家" | "处" | "张" | "名" | "人" | "人次" | "户" | "项" | "件" | "次"
            | "座" | "台" | "间" | "条" | "场" | "册" => UnitKind::Count,
            _ => UnitKind::NonNegative,
        }
    }

    fn is_rate(self) -> bool {
        matches!(self, UnitKind::Percent | UnitKind::PerBase(_))
    }

    /// The change from one year to the next beyond which a value needs an explanation,
    /// relative to the earlier value, by default.
    fn default_yoy(self) -> f64 {
        match self {
            UnitKind::Percent | UnitKind::Years => 0.2,
            UnitKind::PerBase(_) => 0.5,
            UnitKind::Count | UnitKind::NonNegative => 0.3,
            UnitKind::Points => f64::INFINITY,
        }
    }
}

/// The unit the range rules judge an indicator's values by. A count unit (名, 张, 个 …) on
/// an indicator that is a ratio of things to people — 每千名儿童儿科执业（助理）医师数,
/// 人均…, 平均… — measures how many per so many, which need not be whole (1.06 医师 per
/// 1000 children): such values are judged as non-negative numbers, not as counts.
pub fn rule_unit<'a>(indicator: &str, unit: &'a str) -> &'a str {
    const RATIO_WORDS: [&str; 8] = [
        "每千",
        "每万",
        "每十万",
        "每百",
        "每平方",
        "人均",
        "平均",
        "每户",
    ];
    if UnitKind::of(unit) == UnitKind::Count && RATIO_WORDS.iter().any(|w| indicator.contains(w)) {
        ""
    } else {
        unit
    }
}

/// Folds full-width digits and punctuation people type in Chinese input methods.
fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' | '。' => '.',
            '，' | '、' => ',',
            '－' | '−' => '-',
            '＋' => '+',
            '％' => '%',
            'ｅ' | 'Ｅ' => 'e',
            '　' => ' ',
            c => c,
        })
        .collect()
}

/// `1,234` or `12,345,678`: commas that group thousands.
fn thousands_grouped(s: &str) -> bool {
    let s = s.trim_start_matches(['+', '-']);
    let int = s.split('.').next().unwrap_or("");
    let mut groups = int.split(',');
    let first = groups.next().unwrap_or("");
    !first.is_empty()
        && first.len() <= 3
        && first.bytes().all(|b| b.is_ascii_digit())
        && groups.all(|g| g.len() == 3 && g.bytes().all(|b| b.is_ascii_digit()))
}

/// The number a person typed for a value in `unit`.
///
/// Accepts "12.5", "12.5%" (the unit written after the number), full-width "１２．５",
/// and for counts a thousands separator "1,234" (also "1，234"). Refuses empty text, words,
/// a comma that may be a decimal mark ("12,5": ambiguous), NaN and infinities, and
/// magnitudes beyond [`MAX_MAGNITUDE`].
pub fn parse_value(text: &str, unit: &str) -> Result<f64, ValueError> {
    let folded = fold(text);
    let mut s = folded.as_str();
    let unit = unit.trim();
    if !unit.is_empty() {
        s = s.strip_suffix(unit).unwrap_or(s).trim_end();
        // "8.2/10万" for a unit of 1/10万.
        if let Some(per) = unit.strip_prefix('1') {
            s = s.strip_suffix(per).unwrap_or(s).trim_end();
        }
    }
    if UnitKind::of(unit) == UnitKind::Percent {
        s = s.strip_suffix('%').unwrap_or(s).trim_end();
    }
    if s.is_empty() {
        return Err(ValueError::Empty);
    }
    let shown = text.trim().to_string();
    let plain: String;
    if s.contains(',') {
        if UnitKind::of(unit) == UnitKind::Count && thousands_grouped(s) {
            plain = s.replace(',', "");
            s = &plain;
        } else {
            return Err(ValueError::DecimalComma(shown));
        }
    }
    let numeric = s
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'+' | b'-' | b'e' | b'E'))
        && s.bytes().any(|b| b.is_ascii_digit());
    if !numeric {
        return Err(ValueError::NotNumber(shown));
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() && v.abs() <= MAX_MAGNITUDE => Ok(v),
        Ok(v) if !v.is_nan() => Err(ValueError::TooLarge(shown)),
        _ => Err(ValueError::NotNumber(shown)),
    }
}

/// A year a value is reported for, refused outside [`YEARS`].
pub fn check_year(year: i32) -> Option<Finding> {
    (!YEARS.contains(&year)).then(|| {
        Finding::hard(
            "year",
            format!(
                "年份应在 {}—{} 之间（规划期 2021—2030 年，基期数据可回溯到约 2010 年），收到 {year}",
                YEARS.start(),
                YEARS.end()
            ),
        )
    })
}

/// What the caller knows of an indicator beyond its unit.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Allowance {
    /// The largest value the indicator may take when its unit's bound is too tight, e.g.
    /// 150 for 毛入学率 (a % that can exceed 100). `None`: the unit's bound.
    pub max: Option<f64>,
    /// The relative change from the previous year beyond which a value needs an
    /// explanation, e.g. 0.2 for ±20%. `None`: a default by unit.
    pub yoy: Option<f64>,
}

/// The hard range rules for one value: finite, at most [`MAX_MAGNITUDE`], and in the range
/// its unit allows (whole for counts).
pub fn check_value(field: &str, value: f64, unit: &str, allow: &Allowance) -> Option<Finding> {
    let shown = crate::evaluation::numfmt::format_g6(value);
    if !value.is_finite() || value.abs() > MAX_MAGNITUDE {
        return Some(Finding::hard(
            field,
            format!("数值必须是绝对值不超过 1 万亿的有限数，收到 {shown}"),
        ));
    }
    let kind = UnitKind::of(unit);
    let (lo, hi, what) = match kind {
        UnitKind::Percent => (0.0, 100.0, "百分比"),
        UnitKind::PerBase(1_000) => (0.0, 1_000.0, "千分率（‰）"),
        UnitKind::PerBase(base) => (0.0, f64::from(base), "比率"),
        UnitKind::Years => (0.0, 150.0, "年龄或年数"),
        UnitKind::Points => (-100.0, 100.0, "百分点"),
        UnitKind::Count => (0.0, f64::INFINITY, "人数、个数等计数"),
        UnitKind::NonNegative => (0.0, f64::INFINITY, "该指标的数值"),
    };
    let hi = allow.max.filter(|m| m.is_finite() && *m > hi).unwrap_or(hi);
    if value < lo || value > hi {
        let message = if hi.is_infinite() {
            format!("{what}不能为负数，收到 {shown}")
        } else {
            format!(
                "{what}应在 {} 到 {} 之间，收到 {shown}",
                crate::evaluation::numfmt::format_g6(lo),
                crate::evaluation::numfmt::format_g6(hi)
            )
        };
        return Some(Finding::hard(field, message));
    }
    if kind == UnitKind::Count && value.fract() != 0.0 {
        return Some(Finding::hard(
            field,
            format!("{what}应为整数，收到 {shown}"),
        ));
    }
    None
}

/// The groups of one breakdown (分组) reported with the total, e.g. 性别 with 女 and 男.
/// The groups are all of the population: together they make the total.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// 性别, 城乡, 年龄组 …
    pub name: String,
    /// Each group's name and value.
    pub groups: Vec<(String, f64)>,
}

/// One reported value with what it is checked against.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Submission<'a> {
    /// The indicator's unit as the catalog writes it: `%`, `1/10万`, `人` …
    pub unit: &'a str,
    pub year: i32,
    /// The value; `None` when not reported.
    pub value: Option<f64>,
    /// The value must be reported this round.
    pub required: bool,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub breakdowns: &'a [Breakdown],
    /// Earlier reported values, (year, value), in any order; later years are ignored.
    pub history: &'a [(i32, f64)],
    pub allowance: Allowance,
}

/// All findings on one submission; empty when it is fine. See [`blocks`] for what they mean.
pub fn check(s: &Submission<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(check_year(s.year));
    for (field, v) in [("numerator", s.numerator), ("denominator", s.denominator)] {
        if let Some(v) = v {
            out.extend(
                check_value(field, v, "人", &Allowance::default()).map(|mut f| {
                    f.message = format!("{}：{}", label(field), f.message);
                    f
                }),
            );
        }
    }
    if let (Some(n), Some(d)) = (s.numerator, s.denominator)
        && n.is_finite()
        && d.is_finite()
        && n > d
    {
        out.push(Finding::hard(
            "numerator",
            format!(
                "分子（{}）不能大于分母（{}），请核对两者是否填反",
                fmt_num(n),
                fmt_num(d)
            ),
        ));
    }
    let Some(value) = s.value else {
        if s.required {
            out.push(Finding::hard(
                "value",
                format!("缺少 {} 年的数值，本轮必须填报", s.year),
            ));
        }
        return out;
    };
    if let Some(f) = check_value("value", value, s.unit, &s.allowance) {
        out.push(f);
        return out;
    }
    let kind = UnitKind::of(s.unit);
    for b in s.breakdowns {
        out.extend(check_breakdown(b, value, kind, s.unit, &s.allowance));
    }
    out.extend(check_history(s, value, kind));
    out
}

fn label(field: &str) -> &str {
    match field {
        "numerator" => "分子",
        "denominator" => "分母",
        other => other,
    }
}

fn fmt_num(v: f64) -> String {
    crate::evaluation::numfmt::format_g6(v)
}

fn check_breakdown(
    b: &Breakdown,
    total: f64,
    kind: UnitKind,
    unit: &str,
    allow: &Allowance,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for (group, v) in &b.groups {
        if let Some(mut f) = check_value(&format!("{}:{group}", b.name), *v, unit, allow) {
            f.message = format!("{}“{group}”：{}", b.name, f.message);
            out.push(f);
        }
    }
    if !out.is_empty() || b.groups.len() < 2 {
        return out;
    }
    let field = format!("{}:{}", b.name, b.groups[0].0);
    let names = b
        .groups
        .iter()
        .map(|(g, _)| g.as_str())
        .collect::<Vec<_>>()
        .join("、");
    if kind.is_rate() || kind == UnitKind::Years {
        // A total rate is a weighted mean of its groups': it lies between them.
        let lo = b.groups.iter().map(|g| g.1).fold(f64::INFINITY, f64::min);
        let hi = b
            .groups
            .iter()
            .map(|g| g.1)
            .fold(f64::NEG_INFINITY, f64::max);
        // Rounding to one decimal on each side, and a little for rounded weights.
        let tol = 0.05 + 0.005 * total.abs().max(hi.abs());
        if total < lo - tol || total > hi + tol {
            out.push(Finding::hard(
                field,
                format!(
                    "合计 {} 应在各{}分组（{names}）的数值 {}—{} 之间，请核对合计或分组数据",
                    fmt_num(total),
                    b.name,
                    fmt_num(lo),
                    fmt_num(hi)
                ),
            ));
        }
    } else {
        let sum: f64 = b.groups.iter().map(|g| g.1).sum();
        let tol = if kind == UnitKind::Count {
            0.5
        } else {
            0.005 * total.abs().max(1.0)
        };
        if (sum - total).abs() > tol {
            out.push(Finding::hard(
                field,
                format!(
                    "各{}分组（{names}）之和 {} 应等于合计 {}，请核对",
                    b.name,
                    fmt_num(sum),
                    fmt_num(total)
                ),
            ));
        }
    }
    out
}

fn check_history(s: &Submission<'_>, value: f64, kind: UnitKind) -> Vec<Finding> {
    let mut out = Vec::new();
    let earlier: Vec<(i32, f64)> = s
        .history
        .iter()
        .copied()
        .filter(|(y, v)| *y < s.year && v.is_finite())
        .collect();
    if earlier.len() >= MIN_HISTORY {
        let n = earlier.len() as f64;
        let mean = earlier.iter().map(|e| e.1).sum::<f64>() / n;
        let var = earlier.iter().map(|e| (e.1 - mean).powi(2)).sum::<f64>() / (n - 1.0);
        let sd = var.sqrt();
        // Values the history cannot tell apart from the mean (a flat series) are not
        // flagged for a last-digit difference.
        let half = (2.0 * sd).max(1e-9 * mean.abs().max(1.0));
        let (lo, hi) = (mean - half, mean + half);
        if value < lo || value > hi {
            out.push(Finding::soft(
                "value",
                format!(
                    "{} 超出往年数据的常见范围 {}—{}（前 {} 年均值 ± 2 倍标准差），请核实；如确实如此，请填写说明",
                    fmt_num(value),
                    fmt_num(lo),
                    fmt_num(hi),
                    earlier.len()
                ),
            ));
        }
    }
    let tol = s
        .allowance
        .yoy
        .filter(|t| *t >= 0.0 && !t.is_nan())
        .unwrap_or_else(|| kind.default_yoy());
    if let Some(&(py, prev)) = earlier
        .iter()
        .find(|(y, _)| Some(*y) == s.year.checked_sub(1))
        && prev != 0.0
    {
        let change = (value - prev) / prev.abs();
        if change.abs() > tol {
            out.push(Finding::soft(
                "value",
                format!(
                    "与 {py} 年（{}）相比变化 {:+.1}%，超过 ±{}%，请核实；如确实如此，请填写说明",
                    fmt_num(prev),
                    change * 100.0,
                    fmt_num(tol * 100.0)
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod rule_unit_tests {
    use super::*;

    #[test]
    fn counts_per_so_many_people_need_not_be_whole() {
        let per_thousand = "每千名儿童儿科执业（助理）医师数";
        let unit = rule_unit(per_thousand, "名");
        assert!(check_value("value", 1.06, unit, &Allowance::default()).is_none());
        assert_eq!(rule_unit("儿童福利机构数", "个"), "个");
        assert!(
            check_value(
                "value",
                2.5,
                rule_unit("儿童福利机构数", "个"),
                &Allowance::default()
            )
            .is_some()
        );
        assert_eq!(rule_unit("每千人口拥有3岁以下婴幼儿托位数", "%"), "%");
    }
}
