//! The monitoring database (统计监测数据库) as the rest of planwatch sees it.
//!
//! [`Store`] is the interface; [`sql`] implements it once for SQLite and PostgreSQL (one
//! body of queries, the dialect differences named in one small module per database, the
//! migrations in `migrations/sqlite` and `migrations/postgres`). Everything outside `sql`
//! knows no SQL: the trait, its errors, the types that cross it, and the domain-level
//! operations built on the trait (resolving a region the user named, loading a region's
//! document, the region tree, monitoring).
//!
//! Invariants every implementation keeps (the story test in [`story`] checks them):
//! - a region is its name plus its parent chain ([`RegionRow::path`]); namesakes in other
//!   provinces are other regions;
//! - a plan is (region, kind, period); each import that changes it adds a version, older
//!   versions stay with their date;
//! - importing a document whose plans are unchanged writes nothing;
//! - an import is one transaction: it is stored whole or not at all.

pub mod above;
pub mod bulk;
pub mod demo;
mod error;
pub mod levels;
pub mod member_units;
mod model;
pub mod model_support;
pub mod monitoring;
pub mod people;
pub mod publications;
mod region;
pub mod reporting;
pub mod rounds;
pub mod sql;
#[cfg(feature = "story")]
pub mod story;
#[cfg(feature = "story")]
pub mod story_observations;
#[cfg(feature = "story")]
pub mod story_people;
#[cfg(feature = "story")]
pub mod story_publications;
#[cfg(feature = "story")]
pub mod story_rounds;
#[cfg(feature = "story")]
pub mod story_system;
pub mod synth;
pub mod system;

pub use error::StoreError;
pub use model::{
    Generation, ImportOutcome, ImportReport, PlanOutcome, PlanPeriod, PlanSummary, PlanVersionInfo,
    RegionRow, SourceDoc, StoredPlan,
};
pub use monitoring::{
    MonitoringRow, RegionMonitoring, for_each_in_subtree, region_monitoring, subtree_monitoring,
};
pub use region::{RegionGroup, RegionSection, RegionTree, parent_path, resolve_region};
pub use sql::backup::{BackupReport, RestoreReport, TableCounts};
pub use sql::{PostgresStore, SqliteStore, open, redact};

use async_trait::async_trait;
use bulk::{BulkReport, BulkSet, Progress};
use planwatch_core::{PlanDocument, PlanKind};
use std::path::Path;
use system::{
    Change, ChangeAction, Observation, ObservationChange, ObservationImport, Seeder,
    StoredObservation, SystemTarget, TargetSeed, TargetState,
};

/// The monitoring database. Every method is one short transaction or one read.
#[async_trait]
pub trait Store:
    people::People + rounds::Rounds + publications::Publications + Send + Sync
{
    /// Stores a document's region (with its parents) and plans, and with a `seeder` adds
    /// their targets to the region's indicator system (those it does not have yet). Plans
    /// equal to their latest stored version are left alone; changed ones get a new
    /// version; the whole import is one transaction, and one that changes nothing writes
    /// nothing.
    async fn import_seeded(
        &self,
        doc: &PlanDocument,
        source: &SourceDoc,
        seeder: Option<&Seeder<'_>>,
    ) -> Result<ImportReport, StoreError>;

    /// Stores a document's region and plans without touching the indicator system.
    async fn import(
        &self,
        doc: &PlanDocument,
        source: &SourceDoc,
    ) -> Result<ImportReport, StoreError> {
        self.import_seeded(doc, source, None).await
    }

    /// Every region, parents included, sorted by path.
    async fn regions(&self) -> Result<Vec<RegionRow>, StoreError>;

    /// One region; `None` when there is no region with that id.
    async fn region(&self, id: i64) -> Result<Option<RegionRow>, StoreError>;

    /// The plans of one region with their versions, women's plan first.
    async fn region_plans(&self, region_id: i64) -> Result<Vec<PlanSummary>, StoreError>;

    /// One version of a plan (the latest when `version` is `None`); `None` when the plan
    /// or that version does not exist.
    async fn plan_version(
        &self,
        plan_id: i64,
        version: Option<u32>,
    ) -> Result<Option<StoredPlan>, StoreError>;

    /// The lines of a stored source document (1-based line `n` is element `n - 1`).
    async fn source_lines(&self, document_id: i64) -> Result<Option<Vec<String>>, StoreError>;

    // The indicator system people maintain ([`system`]).

    /// Adds the seeds whose `origin` the region does not have yet (version 1, action
    /// import); returns how many were added. Targets already there keep people's edits.
    async fn seed_targets(
        &self,
        region_id: i64,
        seeds: &[TargetSeed],
        change: &Change,
    ) -> Result<usize, StoreError>;

    /// A region's targets at their current version (retired ones included), by plan kind,
    /// then source line, then id.
    async fn system_targets(&self, region_id: i64) -> Result<Vec<SystemTarget>, StoreError>;

    /// One target at its current version.
    async fn system_target(&self, id: i64) -> Result<Option<SystemTarget>, StoreError>;

    /// Every version of a target, oldest first (empty when there is no such target).
    async fn target_history(&self, id: i64) -> Result<Vec<SystemTarget>, StoreError>;

    /// The current, not retired targets of every region mapped to `code`, by region path.
    async fn targets_by_code(&self, code: &str) -> Result<Vec<SystemTarget>, StoreError>;

    /// At most `limit` current, not retired targets of `root` and the regions below it
    /// (every region when `None`) whose indicator, catalog code or text contains `words`,
    /// by region path.
    async fn search_targets(
        &self,
        root: Option<&str>,
        words: &str,
        limit: u32,
    ) -> Result<Vec<SystemTarget>, StoreError>;

    /// Adds a target people wrote (version 1, action add).
    async fn add_target(
        &self,
        region_id: i64,
        kind: PlanKind,
        state: &TargetState,
        change: &Change,
    ) -> Result<SystemTarget, StoreError>;

    /// Writes version `expected + 1` of a target, in one transaction: refused with
    /// [`StoreError::Conflict`] when the current version is not `expected`, and with
    /// [`StoreError::WouldOrphan`] when the region's reported data under the old indicator
    /// key would be left without a live target.
    async fn revise_target(
        &self,
        id: i64,
        expected: u32,
        state: &TargetState,
        action: ChangeAction,
        change: &Change,
    ) -> Result<SystemTarget, StoreError>;

    // Reported data (监测数据).

    /// Stores reported values in one transaction. A row equal to the stored one writes
    /// nothing; every insert and every change writes a line of the audit log
    /// ([`Store::observation_history`]) with `change`'s who and why; a demo row never
    /// replaces a value a person reported (counted as `kept_real`). Refused as a whole
    /// (nothing stored) when a row fails [`system::check_observations`] or its indicator key
    /// has no live target in its region's indicator system: reported data is never
    /// orphaned.
    async fn import_observations(
        &self,
        rows: &[Observation],
        change: &Change,
    ) -> Result<ObservationImport, StoreError>;

    /// A region's reported values, by indicator key, then year.
    async fn observations(&self, region_id: i64) -> Result<Vec<StoredObservation>, StoreError>;

    /// The audit log of a region's reported values (of one indicator key when given),
    /// newest first.
    async fn observation_history(
        &self,
        region_id: i64,
        indicator_key: Option<&str>,
    ) -> Result<Vec<ObservationChange>, StoreError>;

    // Whole subtrees of regions (`root` a region's path, `None` for every region), a slice
    // of region ids (`ids`, inclusive) at a time: what the level above and the national
    // evaluation read, in a few queries for any number of regions.

    /// The current, not retired targets of the subtree's regions with ids in `ids`, by
    /// region id, then in the order of [`Store::system_targets`].
    async fn subtree_targets(
        &self,
        root: Option<&str>,
        ids: (i64, i64),
    ) -> Result<Vec<SystemTarget>, StoreError>;

    /// The reported values of the subtree's regions with ids in `ids`, by region id, key,
    /// year.
    async fn subtree_observations(
        &self,
        root: Option<&str>,
        ids: (i64, i64),
    ) -> Result<Vec<StoredObservation>, StoreError>;

    /// The plans (periods) of the subtree's regions with ids in `ids`.
    async fn subtree_plans(
        &self,
        root: Option<&str>,
        ids: (i64, i64),
    ) -> Result<Vec<PlanPeriod>, StoreError>;

    /// The latest year with a reported value in the subtree.
    async fn latest_year(&self, root: Option<&str>) -> Result<Option<i32>, StoreError>;

    /// How often one region itself has been written (its plans, indicator system and
    /// values); `None` when there is no such region. One indexed row: for what depends on
    /// the region alone.
    async fn region_writes(&self, id: i64) -> Result<Option<i64>, StoreError>;

    /// How often the subtree's regions have been written: equal values mean nothing in the
    /// subtree changed in between (any process, any write).
    async fn generation(&self, root: Option<&str>) -> Result<Generation, StoreError>;

    // Backups ([`sql::backup`]).

    /// Writes a consistent copy of the whole database to `file` while others go on reading
    /// and writing: a SQLite file with planwatch's schema, whichever the database, written
    /// under its name only when complete and checked. Refused when `file` exists, unless
    /// `force`.
    async fn backup(&self, file: &Path, force: bool) -> Result<BackupReport, StoreError>;

    /// Loads a backup [`Store::backup`] wrote (on either database), with its ids, in one
    /// transaction. Refused, changing nothing, when the file is no planwatch backup, was
    /// written by a newer planwatch, or the database holds data and `replace` is false;
    /// with `replace` everything the database held is replaced.
    async fn restore(&self, file: &Path, replace: bool) -> Result<RestoreReport, StoreError>;

    // Loading a whole data set (`planwatch synth`).

    /// Writes a set of new regions (with the parents they lack), their indicator systems,
    /// their values and the values' audit log in one transaction: a load killed half way
    /// leaves nothing. Refused as a whole when a region of the set that has data exists
    /// already: a set never adds to a region, so loading it twice cannot duplicate
    /// anything, and real data is never mixed with it.
    async fn bulk_load(
        &self,
        set: &BulkSet,
        progress: &Progress<'_>,
    ) -> Result<BulkReport, StoreError>;

    /// Stores (or replaces) one reported value: [`Store::import_observations`] of one row,
    /// recorded by "planwatch".
    async fn record_observation(&self, obs: &Observation) -> Result<(), StoreError> {
        let change = Change {
            by: "planwatch".into(),
            why: "录入监测数据".into(),
        };
        self.import_observations(std::slice::from_ref(obs), &change)
            .await
            .map(|_| ())
    }
}

/// A region's document as stored: its plans at `version` (each plan's latest version when
/// `None`), in the shape `plan parse` prints.
pub async fn load_document(
    store: &dyn Store,
    region: &RegionRow,
    version: Option<u32>,
) -> Result<PlanDocument, StoreError> {
    let plans = store.region_plans(region.id).await?;
    if plans.is_empty() {
        return Err(StoreError::NoPlans {
            region: region.path.clone(),
        });
    }
    let mut out = Vec::new();
    for summary in &plans {
        if let Some(stored) = store.plan_version(summary.id, version).await? {
            out.push(stored.plan);
        }
    }
    if out.is_empty() {
        let latest = plans.iter().map(|p| p.latest_version()).max().unwrap_or(0);
        return Err(StoreError::NoSuchVersion {
            region: region.path.clone(),
            version: version.unwrap_or(0),
            latest,
        });
    }
    let level = region.level.ok_or_else(|| StoreError::NoPlans {
        region: region.path.clone(),
    })?;
    Ok(PlanDocument {
        region: region.name.clone(),
        level,
        parents: region.parents(),
        plans: out,
    })
}

/// Finds the region the user named (a bare name or a path such as 广东省/河源市/连平县) and
/// loads its document.
pub async fn load_document_named(
    store: &dyn Store,
    query: &str,
    version: Option<u32>,
) -> Result<(RegionRow, PlanDocument), StoreError> {
    let regions = store.regions().await?;
    let region = resolve_region(&regions, query)?.clone();
    let doc = load_document(store, &region, version).await?;
    Ok((region, doc))
}
