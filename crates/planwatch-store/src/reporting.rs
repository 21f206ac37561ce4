//! What a report is written from ([`planwatch_core::reporting::ReportInput`]), read from
//! the monitoring database: the region's judged targets (as the dashboard judges them),
//! its plans, the units each target is assigned to, and its sub-regions' results. No SQL.

use crate::levels::level_view;
use crate::monitoring::region_monitoring;
use crate::{RegionRow, Store, StoreError};
use planwatch_core::Level;
use planwatch_core::evaluation::overview::split_units;
use planwatch_core::gazetteer::gazetteer;
use planwatch_core::reporting::{
    PlanRef, Point, RegionRef, ReportInput, ReportKind, SubRegionInput, TargetInput,
};
use std::collections::HashMap;

/// The region's GB/T 2260 code (six digits), when the gazetteer knows the region under
/// the same chain of names.
pub fn region_code(path: &str) -> Option<String> {
    let names: Vec<&str> = path.split('/').collect();
    let last = *names.last()?;
    let g = gazetteer();
    let division = g.find_exact(last).into_iter().find(|d| {
        let chain: Vec<&str> = g.ancestors(d).iter().map(|a| a.name).collect();
        chain.len() + 1 == names.len() && chain.iter().zip(&names).all(|(a, b)| a == b)
    })?;
    Some(match division.code {
        0..=99 => format!("{:02}0000", division.code),
        100..=9999 => format!("{:04}00", division.code),
        c => format!("{c:06}"),
    })
}

/// The level above the provinces, as the upward report addresses it: "报送国务院妇女儿童
/// 工作委员会".
pub fn national() -> RegionRef {
    RegionRef {
        name: "国务院".to_string(),
        path: "全国".to_string(),
        code: None,
    }
}

pub fn region_ref(region: &RegionRow) -> RegionRef {
    RegionRef {
        name: region.name.clone(),
        path: region.path.clone(),
        code: region_code(&region.path),
    }
}

/// Everything [`planwatch_core::reporting::build`] needs for `kind` of `region` in
/// `year`. Sub-regions are judged only for the reports that show them (the annual,
/// mid-term, final and upward reports).
pub async fn report_input(
    store: &dyn Store,
    region: &RegionRow,
    kind: ReportKind,
    year: i32,
    issued_on: String,
) -> Result<ReportInput, StoreError> {
    let monitoring = region_monitoring(store, region, year).await?;
    let plans: Vec<PlanRef> = store
        .region_plans(region.id)
        .await?
        .iter()
        .map(|p| PlanRef {
            kind: p.kind,
            title: p.latest().map(|v| v.title.clone()).unwrap_or_default(),
            period: p.period,
        })
        .collect();
    let unit_names: HashMap<i64, String> = store
        .member_units(region.id)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let assigned: HashMap<i64, Vec<String>> = store
        .assignments(region.id)
        .await?
        .into_iter()
        .filter_map(|a| {
            let lead = unit_names.get(&a.lead?)?.clone();
            let mut names = vec![lead];
            names.extend(
                a.supporting
                    .iter()
                    .filter_map(|id| unit_names.get(id).cloned()),
            );
            Some((a.target_id, names))
        })
        .collect();
    let targets = monitoring
        .rows
        .iter()
        .map(|row| {
            let state = &row.target.state;
            // A target both plans set is one row: each plan's copy may be assigned.
            let mut owners: Option<Vec<String>> = None;
            for id in row.target_ids() {
                for name in assigned.get(&id).into_iter().flatten() {
                    let o = owners.get_or_insert_with(Vec::new);
                    if !o.contains(name) {
                        o.push(name.clone());
                    }
                }
            }
            let owners = owners.unwrap_or_else(|| {
                state
                    .owner
                    .as_deref()
                    .map(|o| split_units(o).into_iter().map(str::to_string).collect())
                    .unwrap_or_default()
            });
            TargetInput {
                plan: row.target.kind,
                domain: state.domain.clone(),
                indicator: state.indicator.clone(),
                code: state.code.clone(),
                unit: state.unit.clone(),
                owners,
                spec: row.spec,
                evaluation: row.evaluation.as_ref().ok().copied(),
                series: row
                    .series
                    .iter()
                    .filter(|o| o.year <= year)
                    .map(|o| Point {
                        year: o.year,
                        value: o.value,
                    })
                    .collect(),
                demo: row.demo,
            }
        })
        .collect();
    let parent = match region.parent_id {
        Some(id) => store.region(id).await?.map(|p| region_ref(&p)),
        // A province reports to the national committee (国务院妇女儿童工作委员会), which
        // is no region of the database; only a region that is not a province and has no
        // parent is the top.
        None if region.level == Some(Level::Province) => Some(national()),
        None => None,
    };
    let sub_regions = if kind == ReportKind::Units {
        Vec::new()
    } else {
        level_view(store, Some(region), year)
            .await?
            .regions
            .into_iter()
            .map(|s| SubRegionInput {
                level: s
                    .region
                    .level
                    .map(|l| l.label_zh().to_string())
                    .unwrap_or_default(),
                region: region_ref(&s.region),
                summary: s.summary,
                errors: s.errors,
                demo: s.demo,
                generated: s.region.generated,
            })
            .collect()
    };
    Ok(ReportInput {
        kind,
        year,
        region: region_ref(region),
        parent,
        plans,
        targets,
        sub_regions,
        issued_on,
    })
}
