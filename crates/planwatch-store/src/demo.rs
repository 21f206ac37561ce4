//! Loading demonstration data (演示数据) into a region: the values of
//! `planwatch_core::demo` stored through [`Store::import_observations`] with source
//! [`DEMO_LABEL`] and the demo flag, by [`DEMO_BY`]. No SQL.
//!
//! Idempotent: the generator is deterministic, equal rows write nothing, and the stage
//! target it may propose is added once (a target whose text starts with [`DEMO_TEXT`] is
//! never added again, retired or not). A person's values are never replaced (the store's
//! rule for demo rows).
//!
//! Beside the real regions the demo makes up a few of their neighbours (演示地区,
//! [`load_demo_regions`]), so that the level above has sub-regions to rank and compare.

use crate::bulk::BulkReport;
use crate::monitoring::{DEMO_LABEL, target_spec};
use crate::synth::{Template, demo_divisions, demo_set};
use crate::system::{Change, Observation, ObservationImport, TargetState};
use crate::{RegionRow, Store, StoreError};
use planwatch_core::demo::{DemoData, DemoOptions, DemoTarget, Scenario, generate_with, seed_from};
use planwatch_core::evaluation::{TargetSpec, with_unit};
use planwatch_core::{Plan, PlanKind};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The latest baseline a region's plans state per indicator, by (kind, indicator as the
/// plan names it): where the generator starts a series.
pub type Baselines = HashMap<(PlanKind, String), f64>;

/// Who the demo's writes are recorded as.
pub const DEMO_BY: &str = "planwatch demo";
/// How the text of a target the demo added starts.
pub const DEMO_TEXT: &str = "【演示数据】";

/// What loading the demo did in one region.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoLoad {
    pub region: RegionRow,
    pub import: ObservationImport,
    /// The demo added a binding stage target this time.
    pub stage_added: bool,
    /// The scenario each indicator key got.
    pub scenarios: BTreeMap<String, Scenario>,
}

/// Adds the demo's made-up regions (演示地区) beside the `real` ones, each with the
/// indicator system of a nearby real plan and its own demo values (see
/// [`crate::synth::demo_set`]), in one transaction. Idempotent: a region that exists is
/// never made again, so a second run writes nothing and returns `None`.
pub async fn load_demo_regions(
    store: &dyn Store,
    templates: &[Template],
    real: &[&str],
) -> Result<Option<BulkReport>, StoreError> {
    let existing: HashSet<String> = store.regions().await?.into_iter().map(|r| r.path).collect();
    let divisions = demo_divisions(real, &|p| existing.contains(p));
    let Some(set) = demo_set(templates, &divisions, &DemoOptions::default()) else {
        return Ok(None);
    };
    store.bulk_load(&set, &|_| {}).await.map(Some)
}

/// Generates and stores the demo values of `region`'s current, not retired targets.
pub async fn load_demo(store: &dyn Store, region: &RegionRow) -> Result<DemoLoad, StoreError> {
    let all = store.system_targets(region.id).await?;
    let baselines = plan_baselines(store, region).await?;
    let live: Vec<(PlanKind, &TargetState)> = all
        .iter()
        .filter(|t| !t.state.retired)
        .map(|t| (t.kind, &t.state))
        .collect();
    let (data, stage) = region_values(
        &live,
        &baselines,
        seed_from(&region.path),
        &DemoOptions::default(),
    );

    let mut stage_added = false;
    let demo_target_exists = all.iter().any(|t| t.state.text.starts_with(DEMO_TEXT));
    if !demo_target_exists && let Some((kind, state)) = stage {
        let change = Change {
            by: DEMO_BY.into(),
            why: format!("{DEMO_LABEL}：阶段目标"),
        };
        crate::system::add_target(store, region.id, kind, &state, &change).await?;
        stage_added = true;
    }

    let rows: Vec<Observation> = data
        .values
        .iter()
        .map(|(key, o)| Observation {
            region_id: region.id,
            indicator_key: key.clone(),
            year: o.year,
            value: o.value,
            source: DEMO_LABEL.into(),
            demo: true,
        })
        .collect();
    let change = Change {
        by: DEMO_BY.into(),
        why: format!("{DEMO_LABEL}（planwatch demo 生成，并非真实统计数据）"),
    };
    let import = store.import_observations(&rows, &change).await?;
    Ok(DemoLoad {
        region: region.clone(),
        import,
        stage_added,
        scenarios: data.scenarios,
    })
}

/// The generated values of a region's live targets (kind and state), over the years of
/// `opts`, and the binding stage target to add when the generator proposes one (see
/// `planwatch_core::demo`).
pub fn region_values(
    live: &[(PlanKind, &TargetState)],
    baselines: &Baselines,
    seed: u64,
    opts: &DemoOptions,
) -> (DemoData, Option<(PlanKind, TargetState)>) {
    let keys: Vec<String> = live.iter().map(|(_, s)| s.indicator_key()).collect();
    let inputs: Vec<DemoTarget<'_>> = live
        .iter()
        .zip(&keys)
        .map(|((kind, s), key)| DemoTarget {
            key,
            spec: target_spec(s),
            unit: &s.unit,
            baseline: baselines.get(&(*kind, s.indicator.clone())).copied(),
        })
        .collect();
    let data = generate_with(&inputs, seed, opts);
    let stage = data.stage_targets.first().and_then(|stage| {
        live.get(stage.from)
            .map(|&(kind, from)| (kind, stage_state(from, &stage.spec)))
    });
    (data, stage)
}

/// A stage target derived from `from`, marked as demo data in its text.
fn stage_state(from: &TargetState, spec: &TargetSpec) -> TargetState {
    // The baseline goes with the target unless the stage year comes before it.
    let baseline_year = from.baseline_year.filter(|y| *y <= spec.year);
    TargetState {
        text: format!(
            "{DEMO_TEXT}{}{}年阶段目标：{}{}（约束性，用于演示“未达标”与“约束性指标未达标”预警）",
            from.indicator,
            spec.year,
            spec.comparator.symbol(),
            with_unit(spec.value, &from.unit)
        ),
        comparator: spec.comparator,
        value: spec.value,
        year: spec.year,
        binding: Some(true),
        retired: false,
        baseline_year,
        baseline_value: baseline_year.and(from.baseline_value),
        ..from.clone()
    }
}

/// The latest baseline each of `plans` states per indicator.
pub fn latest_baselines<'a>(plans: impl IntoIterator<Item = &'a Plan>) -> Baselines {
    let mut out: HashMap<(PlanKind, String), (i32, f64)> = HashMap::new();
    for plan in plans {
        for b in &plan.baselines {
            let key = (plan.kind, b.indicator.clone());
            match out.get(&key) {
                Some((year, _)) if *year >= b.year => {}
                _ => {
                    out.insert(key, (b.year, b.value));
                }
            }
        }
    }
    out.into_iter().map(|(k, (_, v))| (k, v)).collect()
}

/// [`latest_baselines`] of the region's stored plans (each at its latest version).
async fn plan_baselines(store: &dyn Store, region: &RegionRow) -> Result<Baselines, StoreError> {
    let mut plans = Vec::new();
    for summary in store.region_plans(region.id).await? {
        if let Some(stored) = store.plan_version(summary.id, None).await? {
            plans.push(stored.plan);
        }
    }
    Ok(latest_baselines(&plans))
}
