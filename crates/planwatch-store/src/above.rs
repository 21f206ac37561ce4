//! A region's targets and those of the regions above it, for
//! [`planwatch_core::evaluation::above`]: the levels a plan promises to be no weaker than.
//!
//! One [`Store::region`] and one [`Store::system_targets`] per ancestor (a chain of at most
//! three), live targets only; regions above without an indicator system are skipped.

use crate::system::SystemTarget;
use crate::{RegionRow, Store, StoreError};
use planwatch_core::evaluation::above::{Above, Check, Goal, check};

/// A chain longer than the gazetteer's three levels means a broken parent link: stop.
const MAX_DEPTH: usize = 8;

/// The live targets of `targets` as the comparison reads them.
pub fn goals(targets: &[SystemTarget]) -> Vec<Goal> {
    targets
        .iter()
        .filter(|t| !t.state.retired)
        .map(|t| Goal {
            id: Some(t.id),
            key: t.state.indicator_key(),
            indicator: t.state.indicator.clone(),
            comparator: t.state.comparator,
            value: t.state.value,
            unit: t.state.unit.clone(),
            year: t.state.year,
        })
        .collect()
}

/// The regions above `region` that have live targets, nearest first.
pub async fn levels_above(store: &dyn Store, region: &RegionRow) -> Result<Vec<Above>, StoreError> {
    let mut out = Vec::new();
    let mut next = region.parent_id;
    for _ in 0..MAX_DEPTH {
        let Some(id) = next else { break };
        let Some(parent) = store.region(id).await? else {
            break;
        };
        let goals = goals(&store.system_targets(parent.id).await?);
        if !goals.is_empty() {
            out.push(Above {
                name: parent.name.clone(),
                region_id: Some(parent.id),
                goals,
            });
        }
        next = parent.parent_id;
    }
    Ok(out)
}

/// `region`'s live targets against the regions above it, then `outlines` (the national
/// outlines as a level, when given).
pub async fn check_region(
    store: &dyn Store,
    region: &RegionRow,
    outlines: Option<Above>,
) -> Result<Check, StoreError> {
    let own = goals(&store.system_targets(region.id).await?);
    let mut above = levels_above(store, region).await?;
    above.extend(outlines);
    Ok(check(&region.name, &own, &above))
}
