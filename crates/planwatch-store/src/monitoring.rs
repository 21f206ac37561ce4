//! A region's annual monitoring (年度监测) over the monitoring database: every current,
//! not retired target of its indicator system judged by `planwatch_core::evaluation`'s
//! [`monitor`] on the reported values filed under its indicator key. No SQL: built on
//! [`Store::system_targets`] and [`Store::observations`], shared by the command line and
//! the dashboard.
//!
//! A target that names a baseline (seeded from its plan's 基期 value, or set by a person)
//! is judged from it: `t0` is its year, `y0` the value reported for that year, else the
//! stated value. A target without one is judged from its plan's base year (the year before
//! the period starts: 2020 for 2021–2030) when that year has a reported value, else from
//! the earliest reported value (evaluation.md).

use crate::system::{StoredObservation, SystemTarget, TargetState};
use crate::{PlanPeriod, RegionRow, Store, StoreError};
use planwatch_core::PlanKind;
use planwatch_core::evaluation::overview::split_units;
use planwatch_core::evaluation::report::StatusCounts;
use planwatch_core::evaluation::{
    Evaluation, KeyedObservation, KeyedTarget, MonitorError, Observation, Precision, SameTarget,
    Shown, Status, TargetSpec, Warning, explain, goal_zh, monitor, monitored_groups, plans_zh,
    shown,
};
use serde_json::{Value, json};
use std::collections::HashMap;

/// What the dashboard and reports show for values marked demo.
pub const DEMO_LABEL: &str = "演示数据";
/// What a region the demo made up is called (`RegionRow::generated`).
pub use planwatch_core::reporting::GENERATED_REGION as GENERATED_LABEL;

/// A region's targets judged for one report year.
#[derive(Debug, Clone)]
pub struct RegionMonitoring {
    pub region: RegionRow,
    pub report_year: i32,
    /// In the order of [`Store::system_targets`] (plan kind, source line), retired targets
    /// left out.
    pub rows: Vec<MonitoringRow>,
    /// Some value the evaluation used (year <= report year) is demo data.
    pub demo: bool,
}

/// One monitored target's result. Where both plans set the same target (indicator, year,
/// comparator, value, unit) it is one row naming both plans (issue 15: counted, warned and
/// charted once); the stored targets stay apart in the indicator system.
#[derive(Debug, Clone)]
pub struct MonitoringRow {
    /// The first of the stored targets it stands for (plan kind, line order), with what the
    /// others add: binding when any plan makes it binding, every plan's responsible units,
    /// a baseline when any names one.
    pub target: SystemTarget,
    /// The other plans' stored targets that are the same target; empty for most.
    pub also: Vec<SystemTarget>,
    /// The precision its figures are printed with: that of the values reported for it.
    pub precision: Precision,
    /// The spec the engine judged (comparator, value, year, binding).
    pub spec: TargetSpec,
    /// `Err` when the reported values under the target's key cannot form a series.
    pub evaluation: Result<Evaluation, MonitorError>,
    /// One Chinese sentence (core's `explain`), or the error.
    pub explanation: String,
    /// Every reported value under the target's key (later years included), by year: for
    /// charts.
    pub series: Vec<StoredObservation>,
    /// Some value of `series` up to the report year is demo data.
    pub demo: bool,
}

/// The evaluation spec of a target of the indicator system.
pub fn target_spec(state: &TargetState) -> TargetSpec {
    TargetSpec {
        comparator: state.comparator,
        value: state.value,
        year: state.year,
        baseline_year: state.baseline_year,
        baseline_value: state.baseline_value,
        binding: state.binding.unwrap_or(false),
    }
}

/// The year a target is judged from when it names no baseline (evaluation.md: "the plan's
/// base year, the year before its period starts"): its own plan's, or for a target people
/// added, that of the region's plan of the same kind whose period holds the target's year.
pub fn base_year(target: &SystemTarget, plans: &[PlanPeriod]) -> Option<i32> {
    let own = target
        .plan_id
        .and_then(|id| plans.iter().find(|p| p.plan_id == id));
    let plan = own.or_else(|| {
        plans
            .iter()
            .filter(|p| p.kind == target.kind)
            .filter(|p| (p.period[0]..=p.period[1]).contains(&target.state.year))
            .max_by_key(|p| p.period[0])
    })?;
    Some(plan.period[0] - 1)
}

/// The spec a target is judged by: its own baseline when it names one; else the plan's
/// base year when that year has a reported value; else none (the earliest value stands in).
pub fn judged_spec(
    target: &SystemTarget,
    plans: &[PlanPeriod],
    series: &[&StoredObservation],
) -> TargetSpec {
    let mut spec = target_spec(&target.state);
    if spec.baseline_year.is_none()
        && let Some(year) = base_year(target, plans)
        && let Some(o) = series.iter().find(|o| o.year == year)
    {
        spec.baseline_year = Some(year);
        spec.baseline_value = Some(o.value);
    }
    spec
}

/// Judges every current, not retired target of `region` for `report_year`.
pub async fn region_monitoring(
    store: &dyn Store,
    region: &RegionRow,
    report_year: i32,
) -> Result<RegionMonitoring, StoreError> {
    let observations = store.observations(region.id).await?;
    region_monitoring_with(store, region, report_year, &observations).await
}

/// [`region_monitoring`] on `observations` instead of the region's stored values: what a
/// provisional evaluation with values not yet approved judges.
pub async fn region_monitoring_with(
    store: &dyn Store,
    region: &RegionRow,
    report_year: i32,
    observations: &[StoredObservation],
) -> Result<RegionMonitoring, StoreError> {
    let targets: Vec<SystemTarget> = store
        .system_targets(region.id)
        .await?
        .into_iter()
        .filter(|t| !t.state.retired)
        .collect();
    let plans: Vec<PlanPeriod> = store
        .region_plans(region.id)
        .await?
        .iter()
        .map(|p| PlanPeriod {
            region_id: region.id,
            plan_id: p.id,
            kind: p.kind,
            period: p.period,
        })
        .collect();
    Ok(judge_region(
        region.clone(),
        targets,
        observations,
        &plans,
        report_year,
    ))
}

/// How many regions [`for_each_in_subtree`] judges per round of queries: enough that a
/// province or the nation takes few queries, few enough that memory stays small.
pub const REGIONS_PER_ROUND: usize = 200;

/// Judges every region of a subtree (`root` and everything below it; every region when
/// `None`) that has targets, handing each to `each` and dropping it after (rounds in the
/// order of region ids, regions within a round in path order):
/// a few queries per [`REGIONS_PER_ROUND`] regions, and memory for that many only.
pub async fn for_each_in_subtree(
    store: &dyn Store,
    root: Option<&RegionRow>,
    report_year: i32,
    each: impl FnMut(RegionMonitoring) + Send,
) -> Result<(), StoreError> {
    for_each_in_rounds(store, root, report_year, REGIONS_PER_ROUND, each).await
}

/// [`for_each_in_subtree`] with `per_round` regions a round.
pub async fn for_each_in_rounds(
    store: &dyn Store,
    root: Option<&RegionRow>,
    report_year: i32,
    per_round: usize,
    mut each: impl FnMut(RegionMonitoring) + Send,
) -> Result<(), StoreError> {
    let root_path = root.map(|r| r.path.as_str());
    let below = root_path.map(|p| format!("{p}/"));
    let mut regions: Vec<RegionRow> = store
        .regions()
        .await?
        .into_iter()
        .filter(|r| match (root_path, &below) {
            (Some(path), Some(below)) => r.path == path || r.path.starts_with(below.as_str()),
            _ => true,
        })
        .collect();
    regions.sort_by_key(|r| r.id);
    for round in regions.chunks(per_round.max(1)) {
        let (Some(first), Some(last)) = (round.first(), round.last()) else {
            continue;
        };
        let ids = (first.id, last.id);
        let targets = store.subtree_targets(root_path, ids).await?;
        let observations = store.subtree_observations(root_path, ids).await?;
        let plans = store.subtree_plans(root_path, ids).await?;
        let mut targets_by_region: HashMap<i64, Vec<SystemTarget>> = HashMap::new();
        for t in targets {
            targets_by_region.entry(t.region_id).or_default().push(t);
        }
        let mut judged = Vec::with_capacity(round.len());
        for region in round {
            let Some(targets) = targets_by_region.remove(&region.id) else {
                continue;
            };
            let from = observations.partition_point(|o| o.region_id < region.id);
            let to = observations.partition_point(|o| o.region_id <= region.id);
            let region_plans: Vec<PlanPeriod> = plans
                .iter()
                .filter(|p| p.region_id == region.id)
                .copied()
                .collect();
            judged.push(judge_region(
                region.clone(),
                targets,
                &observations[from..to],
                &region_plans,
                report_year,
            ));
        }
        judged.sort_by(|a, b| a.region.path.cmp(&b.region.path));
        for m in judged {
            each(m);
        }
    }
    Ok(())
}

/// [`for_each_in_subtree`] collected: for subtrees small enough to hold at once.
pub async fn subtree_monitoring(
    store: &dyn Store,
    root: Option<&RegionRow>,
    report_year: i32,
) -> Result<Vec<RegionMonitoring>, StoreError> {
    let mut out = Vec::new();
    for_each_in_subtree(store, root, report_year, |m| out.push(m)).await?;
    out.sort_by(|a, b| a.region.path.cmp(&b.region.path));
    Ok(out)
}

/// The region's live targets as monitored: the same target of both plans once (see
/// [`planwatch_core::evaluation::monitored_groups`]), each with the others it stands for.
pub fn monitored_targets(targets: Vec<SystemTarget>) -> Vec<(SystemTarget, Vec<SystemTarget>)> {
    let keys: Vec<String> = targets.iter().map(|t| t.state.indicator_key()).collect();
    let same: Vec<SameTarget<'_>> = targets
        .iter()
        .zip(&keys)
        .map(|(t, key)| SameTarget {
            key,
            year: t.state.year,
            comparator: t.state.comparator,
            value: t.state.value,
            unit: &t.state.unit,
        })
        .collect();
    let groups = monitored_groups(&same, |s| *s);
    drop(same);
    let mut slots: Vec<Option<SystemTarget>> = targets.into_iter().map(Some).collect();
    groups
        .into_iter()
        .filter_map(|g| {
            let mut members = g.into_iter().filter_map(|i| slots.get_mut(i)?.take());
            let mut first = members.next()?;
            let also: Vec<SystemTarget> = members.collect();
            merge_into(&mut first.state, also.iter().map(|t| &t.state));
            Some((first, also))
        })
        .collect()
}

/// What the other plans' copies of one target add to the first: binding when any plan
/// makes it binding, every responsible unit once, a baseline when the first names none.
fn merge_into<'a>(state: &mut TargetState, others: impl Iterator<Item = &'a TargetState>) {
    let mut units: Vec<String> = state
        .owner
        .as_deref()
        .map(|o| split_units(o).into_iter().map(str::to_string).collect())
        .unwrap_or_default();
    let mut merged = false;
    for o in others {
        merged = true;
        // None < Some(false) < Some(true): binding wins, then what is known.
        state.binding = state.binding.max(o.binding);
        if state.baseline_year.is_none() && o.baseline_year.is_some() {
            state.baseline_year = o.baseline_year;
            state.baseline_value = o.baseline_value;
        }
        for u in o.owner.as_deref().map(split_units).unwrap_or_default() {
            if !units.iter().any(|x| x == u) {
                units.push(u.to_string());
            }
        }
    }
    if merged && !units.is_empty() {
        state.owner = Some(units.join("、"));
    }
}

/// Judges a region's targets on its reported values (pure). The same target of both
/// plans is judged once ([`monitored_targets`]).
pub fn judge_region(
    region: RegionRow,
    targets: Vec<SystemTarget>,
    observations: &[StoredObservation],
    plans: &[PlanPeriod],
    report_year: i32,
) -> RegionMonitoring {
    let mut by_key: HashMap<&str, Vec<&StoredObservation>> = HashMap::new();
    for o in observations {
        by_key.entry(&o.indicator_key).or_default().push(o);
    }
    let (targets, alsos): (Vec<SystemTarget>, Vec<Vec<SystemTarget>>) =
        monitored_targets(targets).into_iter().unzip();
    let keys: Vec<String> = targets.iter().map(|t| t.state.indicator_key()).collect();
    let specs: Vec<TargetSpec> = targets
        .iter()
        .zip(&keys)
        .map(|(t, key)| {
            let series = by_key.get(key.as_str()).map(Vec::as_slice).unwrap_or(&[]);
            judged_spec(t, plans, series)
        })
        .collect();
    let keyed_targets: Vec<KeyedTarget<'_>> = keys
        .iter()
        .zip(&specs)
        .map(|(key, spec)| KeyedTarget { key, spec: *spec })
        .collect();
    let keyed_obs: Vec<KeyedObservation<'_>> = observations
        .iter()
        .map(|o| KeyedObservation {
            key: &o.indicator_key,
            observation: Observation::new(o.year, o.value),
        })
        .collect();
    let results = monitor(&keyed_targets, &keyed_obs, report_year);

    let mut rows = Vec::with_capacity(targets.len());
    let mut demo = false;
    for ((((target, also), key), spec), evaluation) in targets
        .into_iter()
        .zip(alsos)
        .zip(&keys)
        .zip(specs)
        .zip(results)
    {
        let series: Vec<StoredObservation> = by_key
            .get(key.as_str())
            .map(|v| v.iter().map(|o| (*o).clone()).collect())
            .unwrap_or_default();
        let row_demo = series.iter().any(|o| o.demo && o.year <= report_year);
        demo |= row_demo;
        // The catalog keeps no usual precision per indicator: without reported values the
        // target's own stands in (and there is nothing computed to print then anyway).
        let precision = Precision::of(series.iter().map(|o| o.value), None, spec.value);
        let explanation = match &evaluation {
            Ok(e) => explain(&spec, e, report_year, &target.state.unit, precision),
            Err(e) => e.to_string(),
        };
        rows.push(MonitoringRow {
            target,
            also,
            precision,
            spec,
            evaluation,
            explanation,
            series,
            demo: row_demo,
        });
    }
    RegionMonitoring {
        region,
        report_year,
        rows,
        demo,
    }
}

impl RegionMonitoring {
    /// Counts of the targets that could be judged.
    pub fn counts(&self) -> StatusCounts {
        self.rows
            .iter()
            .filter_map(|r| r.evaluation.as_ref().ok())
            .collect()
    }

    /// Targets whose data could not form a series.
    pub fn errors(&self) -> usize {
        self.rows.iter().filter(|r| r.evaluation.is_err()).count()
    }

    /// "2024年监测：共 40 项目标，已达标 10 项、进展顺利 12 项……；有预警的 9 项（预计难以按期达标 5 项……）。"
    pub fn summary_zh(&self) -> String {
        let c = self.counts();
        let statuses: Vec<String> = Status::ALL
            .iter()
            .filter(|s| c.get(**s) > 0)
            .map(|s| format!("{} {} 项", s.label_zh(), c.get(*s)))
            .collect();
        let mut s = format!("{}年监测：共 {} 项目标", self.report_year, self.rows.len());
        if !statuses.is_empty() {
            s.push_str(&format!("，{}", statuses.join("、")));
        }
        let errors = self.errors();
        if errors > 0 {
            s.push_str(&format!("，{errors} 项数据有误无法判断"));
        }
        if c.warned > 0 {
            let warnings: Vec<String> = Warning::ALL
                .iter()
                .enumerate()
                .filter(|(i, _)| c.by_warning[*i] > 0)
                .map(|(i, w)| format!("{} {} 项", w.label_zh(), c.by_warning[i]))
                .collect();
            s.push_str(&format!(
                "；有预警的 {} 项（{}）",
                c.warned,
                warnings.join("、")
            ));
        }
        s.push('。');
        if self.demo {
            s.push_str(&format!("（含{DEMO_LABEL}）"));
        }
        s
    }

    /// Every field, for `--format json` and the JSON API.
    pub fn to_json(&self) -> Value {
        let c = self.counts();
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| r.to_json(self.report_year))
            .collect();
        json!({
            "region": {
                "id": self.region.id,
                "name": self.region.name,
                "path": self.region.path,
                "generated": self.region.generated,
            },
            "report_year": self.report_year,
            "demo": self.demo,
            "demo_label": self.demo.then_some(DEMO_LABEL),
            "summary": self.summary_zh(),
            "counts": {
                "total": self.rows.len(),
                "by_status": Status::ALL.iter().map(|s| (s.as_str().to_string(), json!(c.get(*s)))).collect::<serde_json::Map<_, _>>(),
                "by_warning": Warning::ALL.iter().enumerate().map(|(i, w)| (w.as_str().to_string(), json!(c.by_warning[i]))).collect::<serde_json::Map<_, _>>(),
                "warned": c.warned,
                "errors": self.errors(),
            },
            "rows": rows,
        })
    }
}

impl MonitoringRow {
    /// The status label in Chinese ("数据有误" when the series could not be formed).
    pub fn status_zh(&self) -> &'static str {
        match &self.evaluation {
            Ok(e) => e.status.label_zh(),
            Err(_) => "数据有误",
        }
    }

    /// The warnings in Chinese, joined by "、"; empty when there is none.
    pub fn warnings_zh(&self) -> String {
        match &self.evaluation {
            Ok(e) => e
                .warnings
                .iter()
                .map(Warning::label_zh)
                .collect::<Vec<_>>()
                .join("、"),
            Err(_) => String::new(),
        }
    }

    /// The plan kinds it comes from (women's first when both).
    pub fn kinds(&self) -> Vec<PlanKind> {
        let mut kinds: Vec<PlanKind> = std::iter::once(self.target.kind)
            .chain(self.also.iter().map(|t| t.kind))
            .collect();
        kinds.sort_by_key(|k| *k != PlanKind::Women);
        kinds.dedup();
        kinds
    }

    /// "妇女发展规划", "儿童发展规划" or "妇女发展规划、儿童发展规划".
    pub fn plans_zh(&self) -> String {
        plans_zh(&self.kinds())
    }

    /// The stored targets it stands for.
    pub fn target_ids(&self) -> Vec<i64> {
        std::iter::once(self.target.id)
            .chain(self.also.iter().map(|t| t.id))
            .collect()
    }

    /// The figures that are true to print for it ([`shown`]).
    pub fn shown(&self, report_year: i32) -> Option<Shown> {
        let e = self.evaluation.as_ref().ok()?;
        Some(shown(&self.spec, e, report_year))
    }

    /// "98%以上（2030年）", as plans write it.
    pub fn goal_zh(&self) -> String {
        let s = &self.target.state;
        format!(
            "{}（{}年）",
            goal_zh(s.comparator, s.value, &s.unit),
            s.year
        )
    }

    /// Every field; `report_year` decides which computed figures are true to give
    /// ([`shown`]: none for a due target).
    pub fn to_json(&self, report_year: i32) -> Value {
        let t = &self.target;
        let (evaluation, error) = match &self.evaluation {
            Ok(e) => (
                {
                    let s = shown(&self.spec, e, report_year);
                    json!({
                        "status": e.status,
                        "status_zh": e.status.label_zh(),
                        "latest_year": e.latest.map(|l| l.year),
                        "latest_value": e.latest.map(|l| l.value),
                        "baseline_year": e.baseline_year,
                        "baseline_value": e.baseline_value,
                        "expected": s.expected,
                        "progress_ratio": s.progress_ratio,
                        "slope": e.slope,
                        "projected": s.projected,
                        "points": e.points,
                        "warnings": e.warnings,
                        "warnings_zh": e.warnings.iter().map(Warning::label_zh).collect::<Vec<_>>(),
                    })
                },
                Value::Null,
            ),
            Err(e) => (Value::Null, json!(e.to_string())),
        };
        json!({
            "target_id": t.id,
            "target_ids": self.target_ids(),
            "kind": t.kind,
            "kinds": self.kinds(),
            "plans_zh": self.plans_zh(),
            "decimals": self.precision.0,
            "domain": t.state.domain,
            "indicator": t.state.indicator,
            "indicator_key": t.state.indicator_key(),
            "code": t.state.code,
            "comparator": t.state.comparator.as_str(),
            "goal_zh": self.goal_zh(),
            "target_value": t.state.value,
            "unit": t.state.unit,
            "target_year": t.state.year,
            "binding": t.state.binding,
            "owner": t.state.owner,
            "status_zh": self.status_zh(),
            "evaluation": evaluation,
            "error": error,
            "explanation": self.explanation,
            "demo": self.demo,
            "series": self.series.iter().map(|o| json!({
                "year": o.year,
                "value": o.value,
                "source": o.source,
                "demo": o.demo,
            })).collect::<Vec<_>>(),
        })
    }
}
