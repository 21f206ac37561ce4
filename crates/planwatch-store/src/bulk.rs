//! A data set written in one go ([`crate::Store::bulk_load`]): new regions with their
//! indicator systems and reported values, as `planwatch synth` makes them. Plain data and
//! its checks; the SQL is in `sql/queries/bulk.rs` and the two dialects.
//!
//! Regions that share an indicator system (a template plan's) share one list of targets
//! here, so that 3,000 regions do not hold 3,000 copies of the same texts.

use crate::StoreError;
use crate::system::{ChangeAction, TargetState};
use planwatch_core::{Level, PlanKind};
use std::collections::HashSet;

/// Told how many more rows were written, after each batch.
pub type Progress<'a> = dyn Fn(u64) + Send + Sync + 'a;

/// Everything one [`crate::Store::bulk_load`] writes.
#[derive(Debug, Clone, Default)]
pub struct BulkSet {
    /// Who the target versions and the audit log of values are recorded as.
    pub by: String,
    /// The source of every value (合成数据); every value is marked demo.
    pub source: String,
    /// Why the values were written (the audit log's reason).
    pub why: String,
    /// Indicator systems shared by regions.
    pub systems: Vec<Vec<BulkTarget>>,
    /// Indicator keys, which [`BulkValue::key`] points into.
    pub keys: Vec<String>,
    /// Parents before their children.
    pub regions: Vec<BulkRegion>,
}

/// One target of an indicator system, written as version 1.
#[derive(Debug, Clone)]
pub struct BulkTarget {
    pub kind: PlanKind,
    /// Unique within a region: what tells this target apart from the ones a plan import
    /// seeds (see [`crate::system::TargetSeed`]).
    pub origin: String,
    pub action: ChangeAction,
    pub why: String,
    pub state: TargetState,
}

#[derive(Debug, Clone)]
pub struct BulkRegion {
    /// "湖北省/随州市/曾都区"; the name is the last part.
    pub path: String,
    pub level: Level,
    /// `None` for a region that is there as a parent: created when missing, left alone
    /// when it exists.
    pub data: Option<RegionData>,
}

/// A region of the set with an indicator system and values. Such a region must not exist
/// yet: the set never adds to or overwrites what a database holds.
#[derive(Debug, Clone, Default)]
pub struct RegionData {
    /// Index into [`BulkSet::systems`].
    pub system: usize,
    /// Targets of this region only, after the shared ones.
    pub extra: Vec<BulkTarget>,
    pub values: Vec<BulkValue>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BulkValue {
    /// Index into [`BulkSet::keys`].
    pub key: u32,
    pub year: i32,
    pub value: f64,
}

/// What [`crate::Store::bulk_load`] wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkReport {
    /// Regions with data.
    pub regions: usize,
    /// Parents that were missing, by level: provinces, cities.
    pub parents_created: [usize; 2],
    pub targets: usize,
    pub values: usize,
}

impl BulkRegion {
    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }

    /// The parent's path; `None` at the top.
    pub fn parent(&self) -> Option<&str> {
        crate::parent_path(&self.path)
    }

    /// How deep in the hierarchy: 0 for a province.
    pub fn depth(&self) -> usize {
        self.path.matches('/').count()
    }
}

impl BulkSet {
    /// The targets of a region with data: its system's, then its own.
    pub fn targets<'a>(&'a self, data: &'a RegionData) -> impl Iterator<Item = &'a BulkTarget> {
        self.systems
            .get(data.system)
            .into_iter()
            .flatten()
            .chain(&data.extra)
    }

    /// The regions that get data.
    pub fn with_data(&self) -> impl Iterator<Item = (&BulkRegion, &RegionData)> {
        self.regions
            .iter()
            .filter_map(|r| r.data.as_ref().map(|d| (r, d)))
    }

    /// Rows the load writes at most (regions, targets and their versions, values and their
    /// audit log), for a progress bar.
    pub fn row_count(&self) -> u64 {
        let mut n = self.regions.len() as u64;
        for (_, data) in self.with_data() {
            n += 2 * self.targets(data).count() as u64 + 2 * data.values.len() as u64;
        }
        n
    }

    /// Refuses a set the database would refuse half way, or that would leave values
    /// without a live target (reported data is never orphaned).
    pub fn check(&self) -> Result<(), StoreError> {
        let bad = |what: String| Err(StoreError::EditRefused(what));
        if self.by.trim().is_empty() || self.source.trim().is_empty() || self.why.trim().is_empty()
        {
            return bad("批量写入须注明写入人、数据来源与原因".into());
        }
        let mut seen: HashSet<&str> = HashSet::new();
        for r in &self.regions {
            if r.name().is_empty() || r.path.split('/').any(str::is_empty) {
                return bad(format!("地区路径“{}”无效", r.path));
            }
            if let Some(parent) = r.parent()
                && !seen.contains(parent)
            {
                return bad(format!("地区“{}”的上级应排在它之前", r.path));
            }
            if !seen.insert(&r.path) {
                return bad(format!("地区“{}”重复", r.path));
            }
            let Some(data) = &r.data else { continue };
            if data.system >= self.systems.len() {
                return bad(format!("地区“{}”的指标体系编号无效", r.path));
            }
            let mut origins: HashSet<&str> = HashSet::new();
            let mut live: HashSet<String> = HashSet::new();
            for t in self.targets(data) {
                t.state.check()?;
                if !origins.insert(&t.origin) {
                    return bad(format!("地区“{}”的目标来源“{}”重复", r.path, t.origin));
                }
                if !t.state.retired {
                    live.insert(t.state.indicator_key());
                }
            }
            let mut years: HashSet<(u32, i32)> = HashSet::new();
            for v in &data.values {
                let Some(key) = self.keys.get(v.key as usize) else {
                    return bad(format!("地区“{}”的监测数据指标编号无效", r.path));
                };
                if !live.contains(key) {
                    return bad(format!(
                        "地区“{}”的指标体系中没有指标“{key}”的有效目标，不能写入其监测数据",
                        r.path
                    ));
                }
                if !v.value.is_finite() || !(1900..=2200).contains(&v.year) {
                    return bad(format!("地区“{}”指标“{key}”{}年的数值无效", r.path, v.year));
                }
                if !years.insert((v.key, v.year)) {
                    return bad(format!("地区“{}”指标“{key}”{}年有两个数值", r.path, v.year));
                }
            }
        }
        Ok(())
    }
}
