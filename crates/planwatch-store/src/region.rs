//! Regions as the user names them and as the pages group them. Pure functions over the
//! region list the store returns.

use crate::{RegionRow, StoreError};

/// The path of the region enclosing `path` ("广东省/河源市" for "广东省/河源市/连平县").
pub fn parent_path(path: &str) -> Option<&str> {
    path.rsplit_once('/').map(|(parent, _)| parent)
}

/// Finds the region the user named: a full path ("广东省/河源市/连平县"), the tail of a path
/// ("河源市/连平县") or a bare name ("连平县"). A name that fits several regions is an error
/// listing them, so that two 城关区 are never confused.
pub fn resolve_region<'a>(
    regions: &'a [RegionRow],
    query: &str,
) -> Result<&'a RegionRow, StoreError> {
    let wanted: String = query
        .trim()
        .replace(['／', '\\'], "/")
        .split('/')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    if wanted.is_empty() {
        return Err(StoreError::RegionNotFound {
            query: query.to_string(),
        });
    }
    if let Some(exact) = regions.iter().find(|r| r.path == wanted) {
        return Ok(exact);
    }
    let suffix = format!("/{wanted}");
    let found: Vec<&RegionRow> = regions
        .iter()
        .filter(|r| r.path.ends_with(&suffix))
        .collect();
    match found.as_slice() {
        [] => Err(StoreError::RegionNotFound {
            query: query.to_string(),
        }),
        [one] => Ok(one),
        many => Err(StoreError::AmbiguousRegion {
            query: query.to_string(),
            candidates: many.iter().map(|r| r.path.clone()).collect(),
        }),
    }
}

/// Regions grouped for the list page: one group per top-level region (province or
/// municipality), inside it one section per city.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionTree {
    pub groups: Vec<RegionGroup>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionGroup {
    pub top: RegionRow,
    pub sections: Vec<RegionSection>,
}

/// A city and the regions below it; `head` is `None` for the regions directly under the
/// top-level region (a municipality's districts and counties).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionSection {
    pub head: Option<RegionRow>,
    pub items: Vec<RegionRow>,
}

impl RegionTree {
    pub fn build(regions: &[RegionRow]) -> RegionTree {
        let mut sorted: Vec<&RegionRow> = regions.iter().collect();
        sorted.sort_by(|a, b| a.path.cmp(&b.path));
        let children = |id: i64| -> Vec<&RegionRow> {
            sorted
                .iter()
                .copied()
                .filter(|r| r.parent_id == Some(id))
                .collect()
        };
        let mut groups = Vec::new();
        for top in sorted.iter().filter(|r| r.parent_id.is_none()) {
            let mut direct = RegionSection {
                head: None,
                items: Vec::new(),
            };
            let mut sections = Vec::new();
            for child in children(top.id) {
                let below = descendants(&sorted, child.id);
                if below.is_empty() {
                    direct.items.push(child.clone());
                } else {
                    sections.push(RegionSection {
                        head: Some(child.clone()),
                        items: below,
                    });
                }
            }
            if !direct.items.is_empty() {
                sections.insert(0, direct);
            }
            groups.push(RegionGroup {
                top: (*top).clone(),
                sections,
            });
        }
        RegionTree { groups }
    }
}

fn descendants(sorted: &[&RegionRow], id: i64) -> Vec<RegionRow> {
    let mut out = Vec::new();
    for r in sorted.iter().filter(|r| r.parent_id == Some(id)) {
        out.push((*r).clone());
        out.extend(descendants(sorted, r.id));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use planwatch_core::Level;

    fn row(id: i64, path: &str, parent: Option<i64>, plans: i64) -> RegionRow {
        let name = path.rsplit('/').next().unwrap_or(path).to_string();
        let level = (plans > 0).then_some(Level::County);
        RegionRow {
            id,
            name,
            path: path.into(),
            level,
            parent_id: parent,
            plan_count: plans,
            generated: false,
        }
    }

    fn sample() -> Vec<RegionRow> {
        vec![
            row(1, "甘肃省", None, 0),
            row(2, "甘肃省/兰州市", Some(1), 0),
            row(3, "甘肃省/兰州市/城关区", Some(2), 2),
            row(4, "西藏自治区", None, 0),
            row(5, "西藏自治区/拉萨市", Some(4), 0),
            row(6, "西藏自治区/拉萨市/城关区", Some(5), 2),
            row(7, "重庆市", None, 0),
            row(8, "重庆市/石柱土家族自治县", Some(7), 2),
        ]
    }

    #[test]
    fn a_namesake_is_ambiguous_until_a_parent_is_given() {
        let regions = sample();
        let err = resolve_region(&regions, "城关区").err();
        match err {
            Some(StoreError::AmbiguousRegion { candidates, .. }) => {
                assert_eq!(
                    candidates,
                    vec!["甘肃省/兰州市/城关区", "西藏自治区/拉萨市/城关区"]
                )
            }
            other => panic!("expected ambiguity, got {other:?}"),
        }
        let r = resolve_region(&regions, "拉萨市/城关区").map(|r| r.id).ok();
        assert_eq!(r, Some(6));
        let r = resolve_region(&regions, " 甘肃省／兰州市／城关区 ")
            .map(|r| r.id)
            .ok();
        assert_eq!(r, Some(3));
        assert!(matches!(
            resolve_region(&regions, "连平县"),
            Err(StoreError::RegionNotFound { .. })
        ));
        assert!(matches!(
            resolve_region(&regions, "/"),
            Err(StoreError::RegionNotFound { .. })
        ));
    }

    #[test]
    fn tree_groups_by_province_then_city() {
        let tree = RegionTree::build(&sample());
        let tops: Vec<&str> = tree.groups.iter().map(|g| g.top.name.as_str()).collect();
        assert_eq!(tops.len(), 3);
        assert!(tops.contains(&"重庆市") && tops.contains(&"甘肃省"));
        let chongqing = tree.groups.iter().find(|g| g.top.name == "重庆市");
        let sections = chongqing.map(|g| g.sections.clone()).unwrap_or_default();
        assert_eq!(sections.len(), 1);
        assert!(sections[0].head.is_none());
        assert_eq!(sections[0].items[0].name, "石柱土家族自治县");
        let gansu = tree.groups.iter().find(|g| g.top.name == "甘肃省");
        let sections = gansu.map(|g| g.sections.clone()).unwrap_or_default();
        assert_eq!(
            sections[0].head.as_ref().map(|h| h.name.as_str()),
            Some("兰州市")
        );
        assert_eq!(sections[0].items[0].path, "甘肃省/兰州市/城关区");
    }
}
