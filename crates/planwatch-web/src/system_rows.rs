//! A region's indicator system as its page shows it: each live target linked to its
//! indicator's page, and the region-local ones listed for review.

use planwatch_core::PlanKind;
use planwatch_core::evaluation::{SameTarget, monitored_groups, plans_zh};
use planwatch_store::system::{MappingState, SystemTarget};

pub struct SystemRow {
    /// The plan that sets it, or both ("妇女发展规划、儿童发展规划") when both plans set
    /// the same target: it is monitored once.
    pub kind: String,
    pub indicator: String,
    pub code: String,
    /// `/indicators/{code}`; `None` for a region-local indicator.
    pub indicator_href: Option<String>,
    pub value: String,
    pub year: i32,
    pub owner: String,
    pub version: u32,
}

fn row(t: &SystemTarget, kinds: &[PlanKind]) -> SystemRow {
    let s = &t.state;
    SystemRow {
        kind: plans_zh(kinds),
        indicator: s.indicator.clone(),
        code: s.code.clone().unwrap_or_default(),
        indicator_href: s.code.as_ref().map(|c| format!("/indicators/{c}")),
        value: crate::format::goal(s.comparator, s.value, &s.unit),
        year: s.year,
        owner: s.owner.clone().unwrap_or_default(),
        version: t.version,
    }
}

/// The targets in use, as they are monitored: the same target of both plans once.
pub fn live(targets: &[SystemTarget]) -> Vec<SystemRow> {
    let live: Vec<&SystemTarget> = targets.iter().filter(|t| !t.state.retired).collect();
    let keys: Vec<String> = live.iter().map(|t| t.state.indicator_key()).collect();
    let same: Vec<SameTarget<'_>> = live
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
    monitored_groups(&same, |s| *s)
        .into_iter()
        .filter_map(|g| {
            let kinds: Vec<PlanKind> = g.iter().map(|&i| live[i].kind).collect();
            g.first().map(|&i| row(live[i], &kinds))
        })
        .collect()
}

/// The live region-local targets, awaiting review.
pub fn review(targets: &[SystemTarget]) -> Vec<SystemRow> {
    targets
        .iter()
        .filter(|t| !t.state.retired && t.state.mapping == MappingState::Local)
        .map(|t| row(t, &[t.kind]))
        .collect()
}
