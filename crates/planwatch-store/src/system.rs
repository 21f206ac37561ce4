//! A region's indicator system as people maintain it (根据需要调整扩充): the targets an
//! import seeded, plus what people added, adjusted, remapped or retired since.
//!
//! Every change is a new numbered version of the target with who, when and why; older
//! versions stay ([`crate::Store::target_history`]). Imported plan versions are never
//! touched: they stay what the document said.
//!
//! A target's *indicator key* is its catalog code, or `local:{name}` for a region-local
//! indicator. Reported data (`observations`) is keyed by region and indicator key, so an
//! edit that would leave a region's observations without any live target for their key
//! (retiring the last one, moving it to another code) is refused with
//! [`StoreError::WouldOrphan`].

use crate::StoreError;
use chrono::{DateTime, Utc};
use planwatch_core::quality;
use planwatch_core::{Comparator, Plan, PlanKind};
use serde::Serialize;

/// How a target's catalog code was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        description = "指标编码的来源：auto（自动映射，待审核）、confirmed（已确认）、corrected（已更正）、local（地方指标）"
    )
)]
#[serde(rename_all = "lowercase")]
pub enum MappingState {
    /// Mapped by `plan import`, not yet reviewed.
    Auto,
    /// A person confirmed the automatic code.
    Confirmed,
    /// A person set another code.
    Corrected,
    /// No catalog code: a region-local indicator, listed for review.
    Local,
}

impl MappingState {
    pub fn as_str(self) -> &'static str {
        match self {
            MappingState::Auto => "auto",
            MappingState::Confirmed => "confirmed",
            MappingState::Corrected => "corrected",
            MappingState::Local => "local",
        }
    }

    pub fn parse(s: &str) -> Option<MappingState> {
        Some(match s {
            "auto" => MappingState::Auto,
            "confirmed" => MappingState::Confirmed,
            "corrected" => MappingState::Corrected,
            "local" => MappingState::Local,
            _ => return None,
        })
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            MappingState::Auto => "自动映射",
            MappingState::Confirmed => "已确认",
            MappingState::Corrected => "已更正",
            MappingState::Local => "地方指标（待审核）",
        }
    }
}

/// What a version of a target did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(
        description = "该版本所做的修改：import（导入）、add（新增）、edit（调整）、map（映射）、retire（停用）、restore（恢复）"
    )
)]
#[serde(rename_all = "lowercase")]
pub enum ChangeAction {
    /// Seeded from an imported plan.
    Import,
    /// Added by a person.
    Add,
    /// Value, year, owner, binding flag … changed.
    Edit,
    /// Catalog code confirmed or corrected.
    Map,
    Retire,
    Restore,
}

impl ChangeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Import => "import",
            ChangeAction::Add => "add",
            ChangeAction::Edit => "edit",
            ChangeAction::Map => "map",
            ChangeAction::Retire => "retire",
            ChangeAction::Restore => "restore",
        }
    }

    pub fn parse(s: &str) -> Option<ChangeAction> {
        Some(match s {
            "import" => ChangeAction::Import,
            "add" => ChangeAction::Add,
            "edit" => ChangeAction::Edit,
            "map" => ChangeAction::Map,
            "retire" => ChangeAction::Retire,
            "restore" => ChangeAction::Restore,
            _ => return None,
        })
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            ChangeAction::Import => "导入",
            ChangeAction::Add => "新增",
            ChangeAction::Edit => "调整",
            ChangeAction::Map => "映射",
            ChangeAction::Retire => "停用",
            ChangeAction::Restore => "恢复",
        }
    }
}

/// Who made a change and why. Both are required for every change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub by: String,
    pub why: String,
}

impl Change {
    pub fn new(by: &str, why: &str) -> Result<Change, StoreError> {
        let (by, why) = (by.trim(), why.trim());
        if by.is_empty() {
            return Err(StoreError::EditRefused(
                "请填写修改人（--by / \"by\"）".into(),
            ));
        }
        if why.is_empty() {
            return Err(StoreError::EditRefused(
                "请填写修改原因（--why / \"why\"）".into(),
            ));
        }
        Ok(Change {
            by: by.to_string(),
            why: why.to_string(),
        })
    }
}

/// The editable content of a target, as one version holds it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "目标在某一版本的可编辑内容")
)]
pub struct TargetState {
    pub domain: String,
    /// The indicator as the plan (or the person) names it.
    pub indicator: String,
    /// The catalog code; `None` for a region-local indicator.
    pub code: Option<String>,
    /// The mapper's confidence in [0, 1]; 1 once a person set the code.
    pub confidence: f64,
    pub mapping: MappingState,
    pub comparator: Comparator,
    pub value: f64,
    pub unit: String,
    pub year: i32,
    pub owner: Option<String>,
    pub binding: Option<bool>,
    /// The target's wording (the plan's text, or what the person wrote).
    pub text: String,
    pub retired: bool,
    /// The baseline year the target names (基期), from the plan or set by a person; with
    /// [`TargetState::baseline_value`] (both or neither). The evaluation then takes `t0`
    /// from it (shared/spec/evaluation.md); without it, the earliest reported value.
    pub baseline_year: Option<i32>,
    /// The value the plan states for the baseline year; used when no value is reported
    /// for that year.
    pub baseline_value: Option<f64>,
}

impl TargetState {
    /// "12.5（2020年）" — the baseline with its year and no unit; `None` without one.
    pub fn baseline_zh(&self) -> Option<String> {
        match (self.baseline_year, self.baseline_value) {
            (Some(year), Some(value)) => Some(format!("{}（{year}年）", plain_number(value))),
            _ => None,
        }
    }

    /// The key reported data is filed under: the code, or `local:{indicator}`.
    pub fn indicator_key(&self) -> String {
        indicator_key(self.code.as_deref(), &self.indicator)
    }

    /// A region-local target the mapper left (confidence below 1) that no person has yet
    /// mapped or confirmed as local: the review list's entries.
    pub fn awaiting_review(&self) -> bool {
        !self.retired && self.mapping == MappingState::Local && self.confidence < 1.0
    }

    /// What the database would refuse, said in Chinese.
    pub fn check(&self) -> Result<(), StoreError> {
        if self.indicator.trim().is_empty() {
            return Err(StoreError::EditRefused("指标名称不能为空".into()));
        }
        if !self.value.is_finite() {
            return Err(StoreError::EditRefused("目标值必须是有限的数".into()));
        }
        if !(1900..=2200).contains(&self.year) {
            return Err(StoreError::EditRefused(format!(
                "目标年份 {} 不在 1900—2200 之间",
                self.year
            )));
        }
        if !(0.0..=1.0).contains(&self.confidence) {
            return Err(StoreError::EditRefused("置信度应在 0 到 1 之间".into()));
        }
        if self.code.is_none() != (self.mapping == MappingState::Local) {
            return Err(StoreError::EditRefused(
                "映射状态与指标编码不一致：地方指标没有编码，有编码的不是地方指标".into(),
            ));
        }
        match (self.baseline_year, self.baseline_value) {
            (None, None) => {}
            (None, Some(_)) => {
                return Err(StoreError::EditRefused("基线值须注明基线年份".into()));
            }
            (Some(_), None) => {
                return Err(StoreError::EditRefused("基线年份须有对应的基线值".into()));
            }
            (Some(year), Some(value)) => {
                if !(1900..=2200).contains(&year) {
                    return Err(StoreError::EditRefused(format!(
                        "基线年份 {year} 不在 1900—2200 之间"
                    )));
                }
                if year > self.year {
                    return Err(StoreError::EditRefused(format!(
                        "基线年份 {year} 晚于目标年份 {}",
                        self.year
                    )));
                }
                if !value.is_finite() {
                    return Err(StoreError::EditRefused("基线值必须是有限的数".into()));
                }
            }
        }
        Ok(())
    }
}

/// A number as people write it: 12, 92.5.
fn plain_number(v: f64) -> String {
    let s = format!("{v}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// The key reported data is filed under.
pub fn indicator_key(code: Option<&str>, indicator: &str) -> String {
    match code {
        Some(code) => code.to_string(),
        None => format!("local:{indicator}"),
    }
}

/// A target of a region's indicator system at one version (the current one, or one from
/// its history).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "openapi",
    derive(utoipa::ToSchema),
    schema(description = "地区指标体系中的一个目标（当前版本或历史版本）")
)]
pub struct SystemTarget {
    pub id: i64,
    pub region_id: i64,
    pub region_path: String,
    pub kind: PlanKind,
    /// The plan it was imported from, and the line of that plan's source (none for a
    /// target a person added).
    pub plan_id: Option<i64>,
    pub plan_version: Option<u32>,
    pub line: Option<u32>,
    pub version: u32,
    pub action: ChangeAction,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
    pub why: String,
    #[serde(flatten)]
    pub state: TargetState,
}

/// A target as an import seeds it.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetSeed {
    pub kind: PlanKind,
    pub plan_id: i64,
    pub plan_version: u32,
    pub line: u32,
    /// Identifies the target among the region's imported ones across plan versions (so a
    /// re-import or a revision does not seed it twice, and people's edits stay).
    pub origin: String,
    pub state: TargetState,
}

/// One reported value (监测数据) of a region's indicator, as it is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Observation {
    pub region_id: i64,
    pub indicator_key: String,
    pub year: i32,
    pub value: f64,
    /// Where the value comes from (妇幼卫生年报, 教育统计年鉴 …; 演示数据 for demo values).
    pub source: String,
    /// Demonstration data (`planwatch demo`), shown as 演示数据 wherever it appears. A demo
    /// value never replaces a value a person reported.
    pub demo: bool,
}

/// One reported value as stored, with who recorded it and when.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredObservation {
    pub region_id: i64,
    pub indicator_key: String,
    pub year: i32,
    pub value: f64,
    pub source: String,
    pub demo: bool,
    pub recorded_at: DateTime<Utc>,
    pub recorded_by: String,
}

/// What [`crate::Store::import_observations`] did with the rows it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ObservationImport {
    /// New (region, indicator, year) values.
    pub inserted: usize,
    /// Values whose number, source or demo flag changed.
    pub updated: usize,
    /// Rows equal to what is stored: nothing written.
    pub unchanged: usize,
    /// Demo rows not written because a person's (not demo) value is stored for that year.
    pub kept_real: usize,
}

impl ObservationImport {
    /// Counts one row's outcome.
    pub fn count(&mut self, w: ObservationWrite) {
        match w {
            ObservationWrite::Insert => self.inserted += 1,
            ObservationWrite::Update => self.updated += 1,
            ObservationWrite::Unchanged => self.unchanged += 1,
            ObservationWrite::KeepReal => self.kept_real += 1,
        }
    }

    /// "新增 3 条，更新 1 条，未变 10 条" (and the kept real values when there are any).
    pub fn summary_zh(&self) -> String {
        let mut s = format!(
            "新增 {} 条，更新 {} 条，未变 {} 条",
            self.inserted, self.updated, self.unchanged
        );
        if self.kept_real > 0 {
            s.push_str(&format!(
                "，{} 条已有人工报送的数据，保留未覆盖",
                self.kept_real
            ));
        }
        s
    }
}

/// One line of the observations' audit log: a value inserted (`old_value` is `None`) or
/// changed, with who, when and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObservationChange {
    /// Increases with every change: newer changes have larger ids.
    pub id: i64,
    pub region_id: i64,
    pub indicator_key: String,
    pub year: i32,
    pub old_value: Option<f64>,
    pub new_value: Option<f64>,
    pub old_source: Option<String>,
    pub new_source: Option<String>,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
    pub why: String,
    /// The value written is demonstration data.
    pub demo: bool,
    /// Through which channel the value came.
    pub channel: planwatch_core::round::Channel,
}

/// What every adapter checks before an import of observations starts: finite values,
/// finite values of magnitude at most [`quality::MAX_MAGNITUDE`], years in [`quality::YEARS`]
/// (the unit's ranges need the indicator: the callers apply [`quality::check_value`]), a key
/// and a source, at most one row per (region, indicator, year).
pub fn check_observations(rows: &[Observation]) -> Result<(), StoreError> {
    let mut seen = std::collections::HashSet::with_capacity(rows.len());
    for (i, o) in rows.iter().enumerate() {
        let n = i + 1;
        if o.indicator_key.trim().is_empty() {
            return Err(StoreError::EditRefused(format!(
                "第 {n} 条监测数据没有指标"
            )));
        }
        if !o.value.is_finite() || o.value.abs() > quality::MAX_MAGNITUDE {
            return Err(StoreError::EditRefused(format!(
                "第 {n} 条监测数据（{} {}年）不是绝对值不超过 1 万亿的有限数",
                o.indicator_key, o.year
            )));
        }
        if let Some(f) = quality::check_year(o.year) {
            return Err(StoreError::EditRefused(format!(
                "第 {n} 条监测数据（{}）：{}",
                o.indicator_key, f.message
            )));
        }
        if o.source.trim().is_empty() {
            return Err(StoreError::EditRefused(format!(
                "第 {n} 条监测数据（{} {}年）没有数据来源",
                o.indicator_key, o.year
            )));
        }
        if !seen.insert((o.region_id, o.indicator_key.as_str(), o.year)) {
            return Err(StoreError::EditRefused(format!(
                "第 {n} 条监测数据重复：指标 {} 的 {}年已有一条",
                o.indicator_key, o.year
            )));
        }
    }
    Ok(())
}

/// What an import does with one row, given the value stored for its (region, indicator,
/// year): the rule both adapters apply inside their transaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObservationWrite {
    Insert,
    Update,
    Unchanged,
    /// A demo row over a person's value: left alone.
    KeepReal,
}

/// Decides [`ObservationWrite`] for `row` against the stored `(value, source, demo)`.
pub fn observation_write(row: &Observation, stored: Option<(f64, &str, bool)>) -> ObservationWrite {
    match stored {
        None => ObservationWrite::Insert,
        Some((value, source, demo))
            if value == row.value && source == row.source && demo == row.demo =>
        {
            ObservationWrite::Unchanged
        }
        Some((_, _, false)) if row.demo => ObservationWrite::KeepReal,
        Some(_) => ObservationWrite::Update,
    }
}

/// A change to some fields of a target; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TargetPatch {
    pub domain: Option<String>,
    pub indicator: Option<String>,
    pub comparator: Option<Comparator>,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub year: Option<i32>,
    /// `Some(None)` clears the owner.
    pub owner: Option<Option<String>>,
    pub binding: Option<Option<bool>>,
    pub text: Option<String>,
    /// `Some(Some((year, value)))` sets the baseline, `Some(None)` clears it.
    pub baseline: Option<Option<(i32, f64)>>,
}

impl TargetPatch {
    pub fn is_empty(&self) -> bool {
        *self == TargetPatch::default()
    }

    fn apply(&self, state: &mut TargetState) {
        if let Some(v) = &self.domain {
            state.domain = v.clone();
        }
        if let Some(v) = &self.indicator {
            state.indicator = v.clone();
        }
        if let Some(v) = self.comparator {
            state.comparator = v;
        }
        if let Some(v) = self.value {
            state.value = v;
        }
        if let Some(v) = &self.unit {
            state.unit = v.clone();
        }
        if let Some(v) = self.year {
            state.year = v;
        }
        if let Some(v) = &self.owner {
            state.owner = v.clone();
        }
        if let Some(v) = self.binding {
            state.binding = v;
        }
        if let Some(v) = &self.text {
            state.text = v.clone();
        }
        if let Some(v) = self.baseline {
            state.baseline_year = v.map(|(year, _)| year);
            state.baseline_value = v.map(|(_, value)| value);
        }
    }
}

async fn current(
    store: &dyn crate::Store,
    region_id: i64,
    id: i64,
) -> Result<SystemTarget, StoreError> {
    match store.system_target(id).await? {
        Some(t) if t.region_id == region_id => Ok(t),
        _ => Err(StoreError::TargetNotFound { id }),
    }
}

/// Changes some fields of a region's target; a new version with who and why.
pub async fn edit_target(
    store: &dyn crate::Store,
    region_id: i64,
    id: i64,
    patch: &TargetPatch,
    change: &Change,
) -> Result<SystemTarget, StoreError> {
    if patch.is_empty() {
        return Err(StoreError::EditRefused(
            "没有要修改的内容（可改：目标值、年份、比较符、单位、责任单位、约束性、领域、指标名称、表述、基线）"
                .into(),
        ));
    }
    let old = current(store, region_id, id).await?;
    if old.state.retired {
        return Err(StoreError::EditRefused(format!(
            "目标 {id} 已停用，请先恢复再修改"
        )));
    }
    let mut state = old.state.clone();
    patch.apply(&mut state);
    if state == old.state {
        return Err(StoreError::EditRefused("修改后的内容与当前版本相同".into()));
    }
    state.check()?;
    store
        .revise_target(id, old.version, &state, ChangeAction::Edit, change)
        .await
}

/// Confirms (`code` equal to the current one) or corrects a target's catalog code;
/// `None` makes it a region-local indicator. The caller checks that `code` is in the
/// catalog.
pub async fn map_target(
    store: &dyn crate::Store,
    region_id: i64,
    id: i64,
    code: Option<&str>,
    change: &Change,
) -> Result<SystemTarget, StoreError> {
    let old = current(store, region_id, id).await?;
    let mut state = old.state.clone();
    match code {
        Some(code) => {
            state.mapping = if old.state.code.as_deref() == Some(code) {
                MappingState::Confirmed
            } else {
                MappingState::Corrected
            };
            state.code = Some(code.to_string());
            state.confidence = 1.0;
        }
        None => {
            state.mapping = MappingState::Local;
            state.code = None;
            // a person decided it is local: reviewed, no longer awaiting review
            state.confidence = 1.0;
        }
    }
    if state == old.state {
        return Err(StoreError::EditRefused("映射与当前版本相同".into()));
    }
    state.check()?;
    store
        .revise_target(id, old.version, &state, ChangeAction::Map, change)
        .await
}

/// Retires (`retire`) or restores a target.
pub async fn set_retired(
    store: &dyn crate::Store,
    region_id: i64,
    id: i64,
    retire: bool,
    change: &Change,
) -> Result<SystemTarget, StoreError> {
    let old = current(store, region_id, id).await?;
    if old.state.retired == retire {
        return Err(StoreError::EditRefused(if retire {
            format!("目标 {id} 已是停用状态")
        } else {
            format!("目标 {id} 未停用，无需恢复")
        }));
    }
    let mut state = old.state.clone();
    state.retired = retire;
    let action = if retire {
        ChangeAction::Retire
    } else {
        ChangeAction::Restore
    };
    store
        .revise_target(id, old.version, &state, action, change)
        .await
}

/// Adds a target to a region's indicator system.
pub async fn add_target(
    store: &dyn crate::Store,
    region_id: i64,
    kind: PlanKind,
    state: &TargetState,
    change: &Change,
) -> Result<SystemTarget, StoreError> {
    state.check()?;
    if state.retired {
        return Err(StoreError::EditRefused("不能新增已停用的目标".into()));
    }
    store.add_target(region_id, kind, state, change).await
}

/// A catalog code and the mapper's confidence, for a target of `kind` at source `line`
/// naming `indicator`; `None` for a region-local indicator. The caller holds the catalog.
pub type MapFn<'a> = dyn Fn(PlanKind, u32, &str) -> Option<(String, f64)> + Send + Sync + 'a;

/// The baseline `(year, value)` the plan states for a target of `kind` at source `line`
/// naming `indicator` (`planwatch_catalog::baseline` matches it); `None` when it states
/// none. The caller holds the catalog.
pub type BaselineFn<'a> = dyn Fn(PlanKind, u32, &str) -> Option<(i32, f64)> + Send + Sync + 'a;

/// How an import seeds the indicator system with the plans it stores: the catalog code and
/// the stated baseline of each target. The caller holds the catalog.
pub struct Seeder<'a> {
    pub map: &'a MapFn<'a>,
    pub baseline: &'a BaselineFn<'a>,
}

/// The seeds of one stored plan version: its quantitative targets, mapped by `seeder`,
/// each with the baseline its plan states. A baseline the target cannot hold (a year after
/// the target's, out of range, a value that is not a finite number) is left out rather
/// than refusing the import. Seeds whose `origin` a region already has are skipped by
/// [`crate::Store::seed_targets`], so targets seeded from an earlier version keep people's
/// edits.
pub fn plan_seeds(plan_id: i64, version: u32, plan: &Plan, seeder: &Seeder<'_>) -> Vec<TargetSeed> {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    let mut seeds = Vec::with_capacity(plan.targets.len());
    for t in &plan.targets {
        let base = format!(
            "{}|{}|{}|{}|{}",
            plan.kind.as_str(),
            t.section.as_str(),
            t.indicator,
            t.year,
            t.comparator.as_str()
        );
        let n = seen.entry(base.clone()).or_insert(0);
        *n += 1;
        let mapped =
            (seeder.map)(plan.kind, t.line, &t.indicator).filter(|(_, c)| (0.0..=1.0).contains(c));
        let (code, confidence, mapping) = match mapped {
            Some((code, c)) => (Some(code), c, MappingState::Auto),
            None => (None, 0.0, MappingState::Local),
        };
        let stated = (seeder.baseline)(plan.kind, t.line, &t.indicator)
            .filter(|(y, v)| (1900..=2200).contains(y) && *y <= t.year && v.is_finite());
        seeds.push(TargetSeed {
            kind: plan.kind,
            plan_id,
            plan_version: version,
            line: t.line,
            origin: format!("{base}|{n}"),
            state: TargetState {
                domain: t.domain.clone(),
                indicator: t.indicator.clone(),
                code,
                confidence,
                mapping,
                comparator: t.comparator,
                value: t.value,
                unit: t.unit.clone(),
                year: t.year,
                owner: t.owner.clone(),
                binding: t.binding,
                text: t.text.clone(),
                retired: false,
                baseline_year: stated.map(|(y, _)| y),
                baseline_value: stated.map(|(_, v)| v),
            },
        });
    }
    seeds
}

/// Who seeded: the import of a plan version.
pub fn seed_change(plan: &Plan, version: u32) -> Change {
    Change {
        by: "规划导入".into(),
        why: format!("导入《{}》第 {} 版", plan.title, version),
    }
}

/// Seeds a region's indicator system from the latest version of each of its plans (see
/// [`plan_seeds`]). Returns how many were added. `plan import` seeds in its own
/// transaction; this is for regions whose plans were stored without it.
pub async fn seed_region(
    store: &dyn crate::Store,
    region_id: i64,
    seeder: &Seeder<'_>,
) -> Result<usize, StoreError> {
    let mut added = 0;
    for summary in store.region_plans(region_id).await? {
        let Some(stored) = store.plan_version(summary.id, None).await? else {
            continue;
        };
        let seeds = plan_seeds(stored.plan_id, stored.version, &stored.plan, seeder);
        let change = seed_change(&stored.plan, stored.version);
        added += store.seed_targets(region_id, &seeds, &change).await?;
    }
    Ok(added)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> TargetState {
        TargetState {
            domain: "妇女与健康".into(),
            indicator: "孕产妇死亡率".into(),
            code: Some("W-HEA-03".into()),
            confidence: 1.0,
            mapping: MappingState::Confirmed,
            comparator: Comparator::Le,
            value: 12.0,
            unit: "1/10万".into(),
            year: 2030,
            owner: None,
            binding: None,
            text: "孕产妇死亡率控制在12/10万以下".into(),
            retired: false,
            baseline_year: Some(2020),
            baseline_value: Some(12.5),
        }
    }

    fn refused(s: &TargetState) -> String {
        match s.check() {
            Err(StoreError::EditRefused(m)) => m,
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    #[test]
    fn a_baseline_is_a_year_and_a_value_up_to_the_target_year() {
        let ok = state();
        assert!(ok.check().is_ok());
        assert_eq!(ok.baseline_zh().as_deref(), Some("12.5（2020年）"));
        let same_year = TargetState {
            baseline_year: Some(2030),
            ..state()
        };
        assert!(same_year.check().is_ok());
        let none = TargetState {
            baseline_year: None,
            baseline_value: None,
            ..state()
        };
        assert!(none.check().is_ok());
        assert_eq!(none.baseline_zh(), None);

        let no_year = TargetState {
            baseline_year: None,
            ..state()
        };
        assert_eq!(refused(&no_year), "基线值须注明基线年份");
        let no_value = TargetState {
            baseline_value: None,
            ..state()
        };
        assert_eq!(refused(&no_value), "基线年份须有对应的基线值");
        let early = TargetState {
            baseline_year: Some(1899),
            ..state()
        };
        assert_eq!(refused(&early), "基线年份 1899 不在 1900—2200 之间");
        let late = TargetState {
            baseline_year: Some(2031),
            ..state()
        };
        assert_eq!(refused(&late), "基线年份 2031 晚于目标年份 2030");
        let nan = TargetState {
            baseline_value: Some(f64::NAN),
            ..state()
        };
        assert_eq!(refused(&nan), "基线值必须是有限的数");
    }

    #[test]
    fn a_patch_sets_or_clears_the_baseline() {
        let mut s = state();
        TargetPatch {
            baseline: Some(Some((2019, 13.0))),
            ..TargetPatch::default()
        }
        .apply(&mut s);
        assert_eq!(
            (s.baseline_year, s.baseline_value),
            (Some(2019), Some(13.0))
        );
        TargetPatch {
            baseline: Some(None),
            ..TargetPatch::default()
        }
        .apply(&mut s);
        assert_eq!((s.baseline_year, s.baseline_value), (None, None));
        assert!(
            !TargetPatch {
                baseline: Some(None),
                ..TargetPatch::default()
            }
            .is_empty()
        );
    }
}
