//! A region's member units (成员单位) and who leads each target, first seeded from what the
//! plans and the catalog say: a target's lead is the first unit its plan names as
//! responsible (a unit marked 牵头 first), else the first department the catalog lists for
//! its indicator; the others support. No SQL here: the store keeps what this decides.
//!
//! The store knows no catalog, so the caller passes how a responsible-units cell is read
//! (`planwatch_catalog::departments::unit_names`) and which departments the catalog lists
//! for a code, each already as the short names pages use.

use crate::people::AssignmentSeed;
use crate::system::{Change, SystemTarget};
use crate::{Store, StoreError};

/// Who seeds assignments, and why.
pub const SEED_BY: &str = "系统初始化";
pub const SEED_WHY: &str = "按规划责任单位和指标目录的报送部门初始化";

/// The first assignment of each live target that names a unit: from its plan's
/// responsible units (`owner_units` of its `owner` text), else from the catalog's
/// departments for its code (`departments_of`). Targets with neither get none.
pub fn assignment_seeds(
    targets: &[SystemTarget],
    owner_units: impl Fn(&str) -> Vec<String>,
    departments_of: impl Fn(&str) -> Vec<String>,
) -> Vec<AssignmentSeed> {
    targets
        .iter()
        .filter(|t| !t.state.retired)
        .filter_map(|t| {
            let from_owner = clean(t.state.owner.as_deref().map(&owner_units));
            let names = if from_owner.is_empty() {
                clean(t.state.code.as_deref().map(&departments_of))
            } else {
                from_owner
            };
            let mut names = names.into_iter();
            let lead = names.next()?;
            Some(AssignmentSeed {
                target_id: t.id,
                lead,
                supporting: names.collect(),
            })
        })
        .collect()
}

/// Names trimmed, without empty ones, each once, in order.
fn clean(names: Option<Vec<String>>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names
        .unwrap_or_default()
        .into_iter()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty() && seen.insert(n.clone()))
        .collect()
}

/// Creates the region's member units its targets name and gives every target without an
/// assignment its first one ([`assignment_seeds`]); targets people assigned already are
/// left alone. Returns how many targets were assigned.
pub async fn seed_member_units(
    store: &dyn Store,
    region_id: i64,
    owner_units: impl Fn(&str) -> Vec<String> + Send + Sync,
    departments_of: impl Fn(&str) -> Vec<String> + Send + Sync,
) -> Result<usize, StoreError> {
    if store.region(region_id).await?.is_none() {
        return Err(StoreError::RegionNotFound {
            query: region_id.to_string(),
        });
    }
    let targets = store.system_targets(region_id).await?;
    let seeds = assignment_seeds(&targets, owner_units, departments_of);
    if seeds.is_empty() {
        return Ok(0);
    }
    let change = Change::new(SEED_BY, SEED_WHY)?;
    store.seed_assignments(region_id, &seeds, &change).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::system::{ChangeAction, MappingState, TargetState};
    use planwatch_core::{Comparator, PlanKind};

    fn target(id: i64, owner: Option<&str>, code: Option<&str>, retired: bool) -> SystemTarget {
        SystemTarget {
            id,
            region_id: 1,
            region_path: "广东省/河源市/连平县".into(),
            kind: PlanKind::Women,
            plan_id: None,
            plan_version: None,
            line: None,
            version: 1,
            action: ChangeAction::Import,
            changed_at: chrono::Utc::now(),
            changed_by: "张三".into(),
            why: "导入".into(),
            state: TargetState {
                domain: "健康".into(),
                indicator: "孕产妇死亡率".into(),
                code: code.map(str::to_string),
                confidence: 1.0,
                mapping: MappingState::Auto,
                comparator: Comparator::Le,
                value: 10.0,
                unit: "1/10万".into(),
                year: 2030,
                owner: owner.map(str::to_string),
                binding: None,
                text: "孕产妇死亡率控制在10/10万以下".into(),
                retired,
                baseline_year: None,
                baseline_value: None,
            },
        }
    }

    #[test]
    fn the_plan_first_then_the_catalog_then_nothing() {
        let owner = |text: &str| -> Vec<String> {
            text.split('、')
                .map(|n| n.trim_start_matches('县').replace("卫生健康局", "卫健委"))
                .collect()
        };
        let departments = |code: &str| -> Vec<String> {
            match code {
                "W-HEA-03" => vec!["卫健委".into(), "妇联".into(), "卫健委".into()],
                _ => vec![],
            }
        };
        let targets = [
            target(1, Some("县卫生健康局、县妇联"), Some("W-HEA-03"), false),
            target(2, None, Some("W-HEA-03"), false),
            target(3, Some(""), Some("W-EDU-01"), false),
            target(4, None, None, false),
            target(5, Some("县妇联"), None, true),
        ];
        let seeds = assignment_seeds(&targets, owner, departments);
        assert_eq!(
            seeds,
            vec![
                AssignmentSeed {
                    target_id: 1,
                    lead: "卫健委".into(),
                    supporting: vec!["妇联".into()],
                },
                AssignmentSeed {
                    target_id: 2,
                    lead: "卫健委".into(),
                    supporting: vec!["妇联".into()],
                },
            ]
        );
    }
}
