//! The level above (上级妇儿工委) over the monitoring database: every region below a root
//! (or every region of the database, 全国) judged for a report year and kept in a compact
//! form: a [`RegionSummary`] per region, and per indicator each region's result and the
//! spread over the regions. No SQL: built on [`for_each_in_subtree`], a round of regions at
//! a time, so that a nation of thousands of regions takes few queries and little memory.

use crate::monitoring::{DEMO_LABEL, MonitoringRow, RegionMonitoring, for_each_in_subtree};
use crate::{RegionRow, Store, StoreError};
use planwatch_core::Level;
use planwatch_core::evaluation::levels::{
    IndicatorItem, IndicatorSpread, JudgedTarget, RegionSummary, latest_target_per_key,
    spread_by_indicator, summarize_region,
};
use planwatch_core::evaluation::{Evaluation, TargetSpec};
use std::collections::HashMap;

/// A subtree judged for one report year.
#[derive(Debug, Clone)]
pub struct LevelView {
    /// `None` for the whole database (全国).
    pub root: Option<RegionRow>,
    pub report_year: i32,
    /// Every region below the root that has targets, in path order.
    pub regions: Vec<SubRegion>,
    /// Per indicator (by key): its name, unit and the spread over the regions.
    pub indicators: Vec<IndicatorLine>,
    /// Per indicator key: each region's result (its target for the latest year), in the
    /// order of `regions`.
    pub cells: HashMap<String, Vec<Cell>>,
    /// Some value judged is demo data ([`DEMO_LABEL`]).
    pub demo: bool,
}

#[derive(Debug, Clone)]
pub struct SubRegion {
    pub region: RegionRow,
    pub summary: RegionSummary,
    /// Targets whose data could not form a series (not in `summary`).
    pub errors: usize,
    pub demo: bool,
}

#[derive(Debug, Clone)]
pub struct IndicatorLine {
    pub key: String,
    pub name: String,
    pub unit: String,
    pub spread: IndicatorSpread,
}

/// One region's result for one indicator.
#[derive(Debug, Clone)]
pub struct Cell {
    /// Index into [`LevelView::regions`].
    pub region: usize,
    pub spec: TargetSpec,
    pub evaluation: Evaluation,
    /// "≥98%（2030年）".
    pub goal: String,
    pub unit: String,
    pub demo: bool,
}

impl LevelView {
    /// The regions, one level only when `level` is given.
    pub fn at_level(&self, level: Option<Level>) -> impl Iterator<Item = &SubRegion> {
        self.regions
            .iter()
            .filter(move |r| level.is_none() || r.region.level == level)
    }

    /// What the view's demo values are called, when it has any.
    pub fn demo_label(&self) -> Option<&'static str> {
        self.demo.then_some(DEMO_LABEL)
    }
}

/// Judges every region below `root` (every region when `None`) for `report_year`.
pub async fn level_view(
    store: &dyn Store,
    root: Option<&RegionRow>,
    report_year: i32,
) -> Result<LevelView, StoreError> {
    let mut regions: Vec<SubRegion> = Vec::new();
    let mut names: HashMap<String, (String, String)> = HashMap::new();
    let mut cells: HashMap<String, Vec<Cell>> = HashMap::new();
    let root_id = root.map(|r| r.id);
    for_each_in_subtree(store, root, report_year, |m: RegionMonitoring| {
        if Some(m.region.id) == root_id {
            return;
        }
        let index = regions.len();
        let judged: Vec<(&MonitoringRow, &Evaluation)> = m
            .rows
            .iter()
            .filter_map(|r| r.evaluation.as_ref().ok().map(|e| (r, e)))
            .collect();
        let keys: Vec<String> = judged
            .iter()
            .map(|(r, _)| r.target.state.indicator_key())
            .collect();
        let targets: Vec<JudgedTarget<'_>> = judged
            .iter()
            .zip(&keys)
            .map(|((r, e), key)| JudgedTarget {
                key,
                spec: &r.spec,
                evaluation: e,
            })
            .collect();
        let summary = summarize_region(report_year, &targets);
        for i in latest_target_per_key(&targets) {
            let (row, e) = judged[i];
            let key = &keys[i];
            names.entry(key.clone()).or_insert_with(|| {
                (
                    row.target.state.indicator.clone(),
                    row.target.state.unit.clone(),
                )
            });
            cells.entry(key.clone()).or_default().push(Cell {
                region: index,
                spec: row.spec,
                evaluation: *e,
                goal: row.goal_zh(),
                unit: row.target.state.unit.clone(),
                demo: row.demo,
            });
        }
        regions.push(SubRegion {
            errors: m.errors(),
            demo: m.demo,
            summary,
            region: m.region,
        });
    })
    .await?;
    // Rounds come in id order; pages list regions by path. Cells follow their regions.
    let mut order: Vec<usize> = (0..regions.len()).collect();
    order.sort_by(|a, b| regions[*a].region.path.cmp(&regions[*b].region.path));
    let mut new_index = vec![0; regions.len()];
    for (new, old) in order.iter().enumerate() {
        new_index[*old] = new;
    }
    let mut slots: Vec<Option<SubRegion>> = regions.into_iter().map(Some).collect();
    let regions: Vec<SubRegion> = order.iter().filter_map(|i| slots[*i].take()).collect();
    for list in cells.values_mut() {
        for c in list.iter_mut() {
            c.region = new_index[c.region];
        }
        list.sort_by_key(|c| c.region);
    }
    let spreads = spread_by_indicator(cells.iter().flat_map(|(key, list)| {
        list.iter().map(move |c| IndicatorItem {
            key,
            spec: &c.spec,
            evaluation: &c.evaluation,
        })
    }));
    let indicators = spreads
        .into_iter()
        .map(|spread| {
            let (name, unit) = names.get(&spread.key).cloned().unwrap_or_default();
            IndicatorLine {
                key: spread.key.clone(),
                name,
                unit,
                spread,
            }
        })
        .collect();
    Ok(LevelView {
        root: root.cloned(),
        report_year,
        demo: regions.iter().any(|r| r.demo),
        regions,
        indicators,
        cells,
    })
}
