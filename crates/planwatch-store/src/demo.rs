//! Loading demonstration data (演示数据) into a region: the values of
//! `planwatch_core::demo` stored through [`Store::import_observations`] with source
//! [`DEMO_LABEL`] and the demo flag, by [`DEMO_BY`]. No SQL.
//!
//! Idempotent: the generator is deterministic, equal rows write nothing, and the stage
//! target it may propose is added once (a target whose text starts with [`DEMO_TEXT`] is
//! never added again, retired or not). A person's values are never replaced (the store's
//! rule for demo rows).

use crate::monitoring::{DEMO_LABEL, target_spec};
use crate::system::{Change, Observation, ObservationImport, TargetState};
use crate::{RegionRow, Store, StoreError};
use planwatch_core::PlanKind;
use planwatch_core::demo::{DemoTarget, Scenario, generate, seed_from};
use planwatch_core::evaluation::with_unit;
use std::collections::{BTreeMap, HashMap};

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

/// Generates and stores the demo values of `region`'s current, not retired targets.
pub async fn load_demo(store: &dyn Store, region: &RegionRow) -> Result<DemoLoad, StoreError> {
    let all = store.system_targets(region.id).await?;
    let baselines = plan_baselines(store, region).await?;
    let live: Vec<_> = all.iter().filter(|t| !t.state.retired).collect();
    let keys: Vec<String> = live.iter().map(|t| t.state.indicator_key()).collect();
    let inputs: Vec<DemoTarget<'_>> = live
        .iter()
        .zip(&keys)
        .map(|(t, key)| DemoTarget {
            key,
            spec: target_spec(&t.state),
            unit: &t.state.unit,
            baseline: baselines.get(&(t.kind, t.state.indicator.clone())).copied(),
        })
        .collect();
    let data = generate(&inputs, seed_from(&region.path));

    let mut stage_added = false;
    let demo_target_exists = all.iter().any(|t| t.state.text.starts_with(DEMO_TEXT));
    if !demo_target_exists && let Some(stage) = data.stage_targets.first() {
        let from = live[stage.from];
        let spec = stage.spec;
        let state = TargetState {
            text: format!(
                "{DEMO_TEXT}{}{}年阶段目标：{}{}（约束性，用于演示“未达标”与“约束性指标未达标”预警）",
                from.state.indicator,
                spec.year,
                spec.comparator.symbol(),
                with_unit(spec.value, &from.state.unit)
            ),
            comparator: spec.comparator,
            value: spec.value,
            year: spec.year,
            binding: Some(true),
            retired: false,
            // The baseline goes with the target unless the stage year comes before it.
            baseline_year: from.state.baseline_year.filter(|y| *y <= spec.year),
            baseline_value: from
                .state
                .baseline_year
                .filter(|y| *y <= spec.year)
                .and(from.state.baseline_value),
            ..from.state.clone()
        };
        let change = Change {
            by: DEMO_BY.into(),
            why: format!("{DEMO_LABEL}：阶段目标"),
        };
        crate::system::add_target(store, region.id, from.kind, &state, &change).await?;
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

/// The latest baseline each of the region's plans states per indicator, by (kind,
/// indicator as the plan names it).
async fn plan_baselines(
    store: &dyn Store,
    region: &RegionRow,
) -> Result<HashMap<(PlanKind, String), f64>, StoreError> {
    let mut out: HashMap<(PlanKind, String), (i32, f64)> = HashMap::new();
    for summary in store.region_plans(region.id).await? {
        let Some(stored) = store.plan_version(summary.id, None).await? else {
            continue;
        };
        for b in &stored.plan.baselines {
            let key = (stored.plan.kind, b.indicator.clone());
            match out.get(&key) {
                Some((year, _)) if *year >= b.year => {}
                _ => {
                    out.insert(key, (b.year, b.value));
                }
            }
        }
    }
    Ok(out.into_iter().map(|(k, (_, v))| (k, v)).collect())
}
