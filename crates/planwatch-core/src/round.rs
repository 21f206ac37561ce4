//! The annual reporting round (年度监测数据报送): a region's round for a year, each member
//! unit's submission in it, and what may happen to them. Pure: the store keeps rounds and
//! submissions, the web and the API ask this module what is allowed and what a form holds.
//!
//! A round is open from its opening date to its closing date (截止日期, inclusive, China
//! time). After the closing date nothing more is accepted until the office reopens the
//! round (with a reason); while reopened, submissions are accepted and those after the
//! closing date are marked late (逾期). A closed round accepts nothing.
//!
//! A submission goes 草稿 → 已报送 → 已通过 or 已退回 → (corrected) 已报送 …; an approved one is
//! locked until reopened with a reason, when it is returned to its unit.

use crate::quality::{self, Allowance, Breakdown, Finding, Severity, Submission};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The state people set on a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RoundState {
    /// As opened: accepts from its opening to its closing date.
    Open,
    /// Closed by the office: accepts nothing.
    Closed,
    /// Reopened after closing or after the closing date: accepts, late ones marked.
    Reopened,
}

impl RoundState {
    pub fn code(self) -> &'static str {
        match self {
            RoundState::Open => "open",
            RoundState::Closed => "closed",
            RoundState::Reopened => "reopened",
        }
    }

    pub fn parse(code: &str) -> Option<RoundState> {
        [RoundState::Open, RoundState::Closed, RoundState::Reopened]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A round's dates and state: what decides whether it accepts data on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub state: RoundState,
}

/// Whether a round takes data today, as its pages say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Phase {
    /// Before the opening date.
    NotYet,
    /// Between the opening and the closing date.
    Open,
    /// Reopened and past the closing date: what arrives now is late.
    Late,
    /// Past the closing date, not reopened.
    Overdue,
    /// Closed by the office.
    Closed,
}

impl Phase {
    /// The word the API gives.
    pub fn code(self) -> &'static str {
        match self {
            Phase::NotYet => "not_yet",
            Phase::Open => "open",
            Phase::Late => "late",
            Phase::Overdue => "overdue",
            Phase::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::NotYet => "未开始",
            Phase::Open => "填报中",
            Phase::Late => "已重新开启（逾期补报）",
            Phase::Overdue => "已截止",
            Phase::Closed => "已关闭",
        }
    }

    /// Whether data may be saved and submitted.
    pub fn accepts(self) -> bool {
        matches!(self, Phase::Open | Phase::Late)
    }
}

impl Window {
    /// The phase on `today` (China time: the caller converts).
    pub fn phase(&self, today: NaiveDate) -> Phase {
        match self.state {
            RoundState::Closed => Phase::Closed,
            _ if today < self.opens_on => Phase::NotYet,
            _ if today <= self.closes_on => Phase::Open,
            RoundState::Reopened => Phase::Late,
            RoundState::Open => Phase::Overdue,
        }
    }

    /// Why nothing may be written on `today`, in Chinese; `None` when it may.
    pub fn refusal(&self, today: NaiveDate) -> Option<String> {
        match self.phase(today) {
            Phase::Open | Phase::Late => None,
            Phase::NotYet => Some(format!(
                "本轮填报 {} 开始，届时才能填写和报送",
                day(self.opens_on)
            )),
            Phase::Overdue => Some(format!(
                "本轮填报已于 {} 截止，不能再保存或报送。如需补报，请联系妇儿工委办重新开启本轮填报",
                day(self.closes_on)
            )),
            Phase::Closed => Some(
                "本轮填报已关闭，不能再保存或报送。如需补报，请联系妇儿工委办重新开启本轮填报"
                    .into(),
            ),
        }
    }

    /// Whether a submission on `today` is late.
    pub fn is_late(&self, today: NaiveDate) -> bool {
        today > self.closes_on
    }
}

/// A date as the pages write it: 2025年3月31日.
pub fn day(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// Checks the dates of a new or changed round.
pub fn check_dates(year: i32, opens_on: NaiveDate, closes_on: NaiveDate) -> Result<(), String> {
    if !quality::YEARS.contains(&year) {
        return Err(format!(
            "年度 {year} 不在 {}—{} 之间",
            quality::YEARS.start(),
            quality::YEARS.end()
        ));
    }
    if closes_on < opens_on {
        return Err(format!(
            "截止日期（{}）不能早于开始日期（{}）",
            day(closes_on),
            day(opens_on)
        ));
    }
    use chrono::Datelike;
    if opens_on.year() < year {
        return Err(format!(
            "{year} 年度的数据在 {year} 年结束后才有，开始日期（{}）不能早于 {year} 年",
            day(opens_on)
        ));
    }
    Ok(())
}

/// Where one member unit's data of a round stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SubmissionState {
    /// Nothing saved yet.
    NotStarted,
    /// Saved, not submitted.
    Draft,
    /// Submitted, awaiting review.
    Submitted,
    /// Returned by the bureau (or reopened after approval) for correction.
    Returned,
    /// Approved: its values are the monitoring data.
    Approved,
}

impl SubmissionState {
    pub const ALL: [SubmissionState; 5] = [
        SubmissionState::NotStarted,
        SubmissionState::Draft,
        SubmissionState::Submitted,
        SubmissionState::Returned,
        SubmissionState::Approved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            SubmissionState::NotStarted => "not_started",
            SubmissionState::Draft => "draft",
            SubmissionState::Submitted => "submitted",
            SubmissionState::Returned => "returned",
            SubmissionState::Approved => "approved",
        }
    }

    pub fn parse(code: &str) -> Option<SubmissionState> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            SubmissionState::NotStarted => "未填报",
            SubmissionState::Draft => "草稿",
            SubmissionState::Submitted => "待审核",
            SubmissionState::Returned => "已退回",
            SubmissionState::Approved => "已通过",
        }
    }

    /// Whether the unit may change its values.
    pub fn editable(self) -> bool {
        matches!(
            self,
            SubmissionState::NotStarted | SubmissionState::Draft | SubmissionState::Returned
        )
    }
}

/// Through which channel a value came (填报渠道), kept with every change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Channel {
    /// The web form.
    Form,
    /// An uploaded Excel template.
    Upload,
    /// The JSON API with a token.
    Api,
    /// `planwatch data import`.
    Cli,
    /// Approved in review: the value entered the monitoring data.
    Review,
    /// `planwatch demo` and `planwatch synth`.
    Demo,
}

impl Channel {
    pub const ALL: [Channel; 6] = [
        Channel::Form,
        Channel::Upload,
        Channel::Api,
        Channel::Cli,
        Channel::Review,
        Channel::Demo,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Channel::Form => "form",
            Channel::Upload => "upload",
            Channel::Api => "api",
            Channel::Cli => "cli",
            Channel::Review => "review",
            Channel::Demo => "demo",
        }
    }

    pub fn parse(code: &str) -> Option<Channel> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Channel::Form => "网页填报",
            Channel::Upload => "Excel 上传",
            Channel::Api => "数据接口",
            Channel::Cli => "命令行导入",
            Channel::Review => "审核通过入库",
            Channel::Demo => "演示数据",
        }
    }
}

/// One breakdown (分组) a form asks for beside the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakdownSpec {
    /// 性别, 城乡, 年龄组.
    pub name: String,
    pub groups: Vec<String>,
}

/// The breakdowns a catalog indicator's `disaggregations` ask for, beside the total. Age
/// groups follow the plan: the children's plan counts 0—17, the women's plan adults.
pub fn breakdowns(disaggregations: &[String], children: bool) -> Vec<BreakdownSpec> {
    let spec = |name: &str, groups: &[&str]| BreakdownSpec {
        name: name.into(),
        groups: groups.iter().map(|g| (*g).to_string()).collect(),
    };
    disaggregations
        .iter()
        .filter_map(|d| match d.as_str() {
            "sex" => Some(spec("性别", &["女", "男"])),
            "urban_rural" => Some(spec("城乡", &["城镇", "农村"])),
            "age_group" if children => Some(spec("年龄组", &["0—5岁", "6—14岁", "15—17岁"])),
            "age_group" => Some(spec("年龄组", &["18—44岁", "45—64岁", "65岁及以上"])),
            _ => None,
        })
        .collect()
}

/// The name of a breakdown group's field: `性别:女`.
pub fn part_name(breakdown: &str, group: &str) -> String {
    format!("{breakdown}:{group}")
}

/// The field of the numerator and the denominator.
pub const NUMERATOR: &str = "numerator";
pub const DENOMINATOR: &str = "denominator";

/// One indicator of a unit's form, with everything the reporter sees beside the field.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FormIndicator {
    /// The region's indicator key (catalog code or `local:名称`).
    pub key: String,
    pub name: String,
    /// The catalog's code, shown as a secondary detail.
    pub code: Option<String>,
    pub domain: String,
    pub unit: String,
    pub definition: String,
    /// For rates: what is counted above the line, and below it.
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    pub breakdowns: Vec<BreakdownSpec>,
    /// The approved value of the year before the round's, if any.
    pub last_year: Option<f64>,
    /// The region's targets for the indicator, as the plan states them, with their years.
    pub targets: Vec<TargetLine>,
    /// Earlier approved values (year, value), oldest first: the history checks use them.
    pub history: Vec<(i32, f64)>,
    /// The highest value the indicator allows when above its unit's usual range.
    pub max: Option<f64>,
    /// Whether the round requires the value.
    pub required: bool,
}

/// One target as a form shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetLine {
    /// "≥95%"-like text as the plan writes it.
    pub text: String,
    pub year: i32,
}

/// What a unit entered for one indicator: the total, its parts (numerator, denominator,
/// breakdown groups by [`part_name`]) and an explanation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entry {
    pub value: Option<f64>,
    #[serde(default)]
    pub parts: BTreeMap<String, f64>,
    #[serde(default)]
    pub explanation: Option<String>,
}

impl Entry {
    pub fn is_empty(&self) -> bool {
        self.value.is_none()
            && self.parts.is_empty()
            && self
                .explanation
                .as_deref()
                .is_none_or(|e| e.trim().is_empty())
    }

    /// The explanation without surrounding blanks; `None` when there is nothing.
    pub fn explanation(&self) -> Option<&str> {
        self.explanation
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
    }
}

/// The checks of one entry of a form, for the round's `year`. When `complete` (at
/// submission) a missing required value is a finding; while drafting it is not.
pub fn check_entry(ind: &FormIndicator, year: i32, entry: &Entry, complete: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for name in entry.parts.keys() {
        let known = name == NUMERATOR && ind.numerator.is_some()
            || name == DENOMINATOR && ind.denominator.is_some()
            || ind
                .breakdowns
                .iter()
                .any(|b| b.groups.iter().any(|g| part_name(&b.name, g) == *name));
        if !known {
            out.push(Finding {
                severity: Severity::Hard,
                field: name.clone(),
                message: format!("指标“{}”没有“{name}”这一项", ind.name),
            });
        }
    }
    let groups: Vec<Breakdown> = ind
        .breakdowns
        .iter()
        .filter_map(|b| {
            let groups: Vec<(String, f64)> = b
                .groups
                .iter()
                .filter_map(|g| {
                    entry
                        .parts
                        .get(&part_name(&b.name, g))
                        .map(|v| (g.clone(), *v))
                })
                .collect();
            (!groups.is_empty()).then(|| Breakdown {
                name: b.name.clone(),
                groups,
            })
        })
        .collect();
    for b in &groups {
        let all = ind
            .breakdowns
            .iter()
            .find(|s| s.name == b.name)
            .map_or(0, |s| s.groups.len());
        if b.groups.len() < all && entry.value.is_some() && complete {
            out.push(Finding {
                severity: Severity::Soft,
                field: part_name(&b.name, &b.groups[0].0),
                message: format!(
                    "{}分组只填了一部分（{}），请补全或写明原因",
                    b.name,
                    b.groups
                        .iter()
                        .map(|g| g.0.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
            });
        }
    }
    let breakdowns: Vec<Breakdown> = groups
        .into_iter()
        .filter(|b| {
            let all = ind
                .breakdowns
                .iter()
                .find(|s| s.name == b.name)
                .map_or(0, |s| s.groups.len());
            b.groups.len() == all
        })
        .collect();
    if entry.value.is_none() && !breakdowns.is_empty() {
        out.push(Finding {
            severity: Severity::Hard,
            field: "value".into(),
            message: "填了分组数据，请同时填写合计".into(),
        });
    }
    if complete && ind.required && entry.value.is_none() && breakdowns.is_empty() {
        // A department may truly have no figure for a year (a survey not run): it says
        // so, and the indicator is listed as missing (缺项) rather than blocking the rest.
        out.push(Finding {
            severity: Severity::Soft,
            field: "value".into(),
            message: format!(
                "缺少 {year} 年的数值，本轮必须填报；如本年确无此项数据，请在说明中写明原因（将列为缺项）"
            ),
        });
    }
    let submission = Submission {
        unit: quality::rule_unit(&ind.name, &ind.unit),
        year,
        value: entry.value,
        required: false,
        numerator: entry.parts.get(NUMERATOR).copied(),
        denominator: entry.parts.get(DENOMINATOR).copied(),
        breakdowns: &breakdowns,
        history: &ind.history,
        allowance: Allowance {
            max: ind.max,
            yoy: None,
        },
    };
    out.extend(quality::check(&submission));
    out
}

/// What a form's check says about a whole submission.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormCheck {
    /// Findings by indicator key.
    pub findings: BTreeMap<String, Vec<Finding>>,
}

impl FormCheck {
    /// Whether anything keeps the submission from being submitted: a hard finding, or a
    /// soft one without an explanation.
    pub fn blocking(&self, entries: &BTreeMap<String, Entry>) -> usize {
        self.findings
            .iter()
            .filter(|(key, f)| {
                let explanation = entries.get(*key).and_then(|e| e.explanation());
                quality::blocks(f, explanation)
            })
            .count()
    }

    pub fn is_clean(&self) -> bool {
        self.findings.values().all(Vec::is_empty)
    }
}

/// Checks every indicator of a form.
pub fn check_form(
    indicators: &[FormIndicator],
    year: i32,
    entries: &BTreeMap<String, Entry>,
    complete: bool,
) -> FormCheck {
    let empty = Entry::default();
    let mut out = FormCheck::default();
    for ind in indicators {
        let entry = entries.get(&ind.key).unwrap_or(&empty);
        let found = check_entry(ind, year, entry, complete);
        if !found.is_empty() {
            out.findings.insert(ind.key.clone(), found);
        }
    }
    out
}

/// Counts of a round per member unit (or per sub-region) for the completeness page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Completeness {
    /// Indicators the unit is expected to report.
    pub expected: usize,
    /// Of those, with a value saved (any state).
    pub reported: usize,
    /// Of those, approved.
    pub approved: usize,
}

impl Completeness {
    pub fn add(&mut self, other: Completeness) {
        self.expected += other.expected;
        self.reported += other.reported;
        self.approved += other.approved;
    }

    /// Reported share in percent, one decimal; `None` when nothing is expected.
    pub fn reported_share(&self) -> Option<f64> {
        (self.expected > 0)
            .then(|| (self.reported as f64 * 1000.0 / self.expected as f64).round() / 10.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    fn window(state: RoundState) -> Window {
        Window {
            opens_on: d(2025, 1, 10),
            closes_on: d(2025, 3, 31),
            state,
        }
    }

    #[test]
    fn a_round_accepts_between_its_dates_and_late_only_when_reopened() {
        let open = window(RoundState::Open);
        assert_eq!(open.phase(d(2025, 1, 9)), Phase::NotYet);
        assert_eq!(open.phase(d(2025, 1, 10)), Phase::Open);
        assert_eq!(open.phase(d(2025, 3, 31)), Phase::Open);
        assert_eq!(open.phase(d(2025, 4, 1)), Phase::Overdue);
        assert!(
            open.refusal(d(2025, 4, 1))
                .is_some_and(|m| m.contains("2025年3月31日 截止"))
        );
        let reopened = window(RoundState::Reopened);
        assert_eq!(reopened.phase(d(2025, 4, 1)), Phase::Late);
        assert!(reopened.refusal(d(2025, 4, 1)).is_none());
        assert!(reopened.is_late(d(2025, 4, 1)));
        assert!(!reopened.is_late(d(2025, 3, 31)));
        let closed = window(RoundState::Closed);
        assert_eq!(closed.phase(d(2025, 2, 1)), Phase::Closed);
        assert!(closed.refusal(d(2025, 2, 1)).is_some());
    }

    #[test]
    fn dates_are_checked() {
        assert!(check_dates(2024, d(2025, 1, 1), d(2025, 3, 31)).is_ok());
        assert!(check_dates(2024, d(2025, 3, 1), d(2025, 2, 1)).is_err());
        assert!(check_dates(2024, d(2023, 3, 1), d(2025, 2, 1)).is_err());
        assert!(check_dates(1999, d(2000, 1, 1), d(2000, 2, 1)).is_err());
    }

    fn rate() -> FormIndicator {
        FormIndicator {
            key: "C-EDU-05".into(),
            name: "高中阶段毛入学率".into(),
            code: Some("C-EDU-05".into()),
            domain: "儿童与教育".into(),
            unit: "%".into(),
            definition: String::new(),
            numerator: Some("在校生数".into()),
            denominator: Some("适龄人口".into()),
            breakdowns: breakdowns(&["sex".into()], true),
            last_year: Some(92.0),
            targets: vec![],
            history: vec![(2021, 90.0), (2022, 91.0), (2023, 92.0)],
            max: Some(150.0),
            required: true,
        }
    }

    fn entry(value: Option<f64>, parts: &[(&str, f64)]) -> Entry {
        Entry {
            value,
            parts: parts.iter().map(|(k, v)| ((*k).into(), *v)).collect(),
            explanation: None,
        }
    }

    #[test]
    fn entries_are_checked_with_their_parts() {
        let ind = rate();
        assert!(check_entry(&ind, 2024, &entry(Some(92.5), &[]), true).is_empty());
        // The indicator allows more than 100 (a gross rate).
        let high = check_entry(&ind, 2024, &entry(Some(120.0), &[]), true);
        assert!(
            high.iter().all(|f| f.severity == Severity::Soft),
            "{high:?}"
        );
        assert!(!high.is_empty());
        let over = check_entry(&ind, 2024, &entry(Some(151.0), &[]), true);
        assert!(over.iter().any(|f| f.severity == Severity::Hard));
        let swapped = check_entry(
            &ind,
            2024,
            &entry(Some(92.5), &[(NUMERATOR, 200.0), (DENOMINATOR, 100.0)]),
            true,
        );
        assert!(swapped.iter().any(|f| f.field == NUMERATOR));
        let apart = check_entry(
            &ind,
            2024,
            &entry(Some(92.5), &[("性别:女", 80.0), ("性别:男", 85.0)]),
            true,
        );
        assert!(
            apart
                .iter()
                .any(|f| f.severity == Severity::Hard && f.field.starts_with("性别"))
        );
        let unknown = check_entry(&ind, 2024, &entry(Some(92.5), &[("城乡:城镇", 1.0)]), true);
        assert!(unknown.iter().any(|f| f.field == "城乡:城镇"));
        let missing = check_entry(&ind, 2024, &entry(None, &[]), true);
        assert!(!missing.is_empty());
        assert!(missing.iter().all(|f| f.severity == Severity::Soft));
        let mut explained = entry(None, &[]);
        explained.explanation = Some("本年未开展调查".into());
        assert!(!quality::blocks(&missing, explained.explanation()));
        assert!(quality::blocks(&missing, None));
        assert!(check_entry(&ind, 2024, &entry(None, &[]), false).is_empty());
    }

    #[test]
    fn a_soft_finding_passes_once_explained() {
        let ind = rate();
        let mut entries = BTreeMap::new();
        entries.insert(ind.key.clone(), entry(Some(120.0), &[]));
        let check = check_form(std::slice::from_ref(&ind), 2024, &entries, true);
        assert_eq!(check.blocking(&entries), 1);
        if let Some(e) = entries.get_mut(&ind.key) {
            e.explanation = Some("新建两所高中，招生扩大".into());
        }
        assert_eq!(check.blocking(&entries), 0);
    }
}
