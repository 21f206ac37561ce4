//! Every query of the monitoring database, written once. This module is compiled twice,
//! inside `sql::sqlite` and inside `sql::postgres`; `super` is the dialect it is compiled
//! for, and names `Db` and the few things that differ.

pub(crate) mod backup;
mod bulk;
mod observations;
mod people;
mod plans;
mod publications;
mod rounds;
mod search;
mod subtree;
mod system;

pub(crate) use super::{
    BYTE_ORDER, COLUMNS_SQL, Db, FOR_SHARE, FOR_UPDATE, OVERRIDING, SNAPSHOT, TABLES_SQL,
    begin_write, bulk_insert, clear_append_only, insert_lines, reset_ids_sql,
};
use crate::bulk::{BulkReport, BulkSet, Progress};
use crate::sql::backup::{BackupReport, Pending, RestoreReport};
use crate::system::{
    Change, ChangeAction, Observation, ObservationChange, ObservationImport, Seeder,
    StoredObservation, SystemTarget, TargetSeed, TargetState,
};
use crate::{
    Generation, ImportReport, PlanPeriod, PlanSummary, RegionRow, SourceDoc, Store, StoreError,
    StoredPlan,
};
use async_trait::async_trait;
use planwatch_core::{PlanDocument, PlanKind};
use sqlx::{Pool, Row as _};
use std::path::Path;

pub(crate) type Tx<'a> = sqlx::Transaction<'a, Db>;
pub(crate) type Row = <Db as sqlx::Database>::Row;

/// The monitoring database on one of the two databases.
#[derive(Clone, Debug)]
pub struct SqlStore {
    pool: Pool<Db>,
    /// Where write transactions begin: on SQLite one connection, so that writers wait
    /// their turn in the pool's queue rather than in SQLite's busy handler, which sleeps
    /// and retries (a busy reporting round would spend its time asleep); on PostgreSQL the
    /// pool itself.
    writer: Pool<Db>,
    /// Where it is, for messages (a PostgreSQL URL without its password).
    label: String,
}

impl SqlStore {
    pub(crate) fn new(pool: Pool<Db>, writer: Pool<Db>, label: String) -> SqlStore {
        SqlStore {
            pool,
            writer,
            label,
        }
    }

    /// The connection pool, for tests and for what only one database can do.
    pub fn pool(&self) -> &Pool<Db> {
        &self.pool
    }

    /// Where the database is (a PostgreSQL URL without its password, a SQLite file).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The highest schema version this build knows.
    pub fn supported_schema_version() -> i64 {
        super::supported_schema_version()
    }
}

/// A database error with what was being done; a writer that waited too long for another
/// is [`StoreError::Busy`], so that people are told to try again rather than that
/// something broke.
pub(crate) fn q(context: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| {
        if super::is_busy(&e) {
            StoreError::Busy {
                context: context.to_string(),
            }
        } else {
            StoreError::query(context, e)
        }
    }
}

pub(crate) fn get<'r, T>(row: &'r Row, idx: usize) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, Db> + sqlx::Type<Db>,
{
    row.try_get(idx)
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// Refuses a database that a newer planwatch has migrated past what this build knows.
pub(crate) async fn check_schema_version(
    tx: &mut Tx<'_>,
    has_table: bool,
    migrator: &sqlx::migrate::Migrator,
) -> Result<(), StoreError> {
    if !has_table {
        return Ok(());
    }
    let found: Option<i64> =
        sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
            .fetch_one(&mut **tx)
            .await
            .map_err(|e| StoreError::query("检查数据库架构版本", e))?;
    let supported = migrator.iter().map(|m| m.version).max().unwrap_or(0);
    match found.filter(|&f| f > supported) {
        Some(found) => Err(StoreError::SchemaTooNew { found, supported }),
        None => Ok(()),
    }
}

#[async_trait]
impl Store for SqlStore {
    async fn import_seeded(
        &self,
        doc: &PlanDocument,
        source: &SourceDoc,
        seeder: Option<&Seeder<'_>>,
    ) -> Result<ImportReport, StoreError> {
        plans::import(&self.writer, doc, source, seeder).await
    }

    async fn regions(&self) -> Result<Vec<RegionRow>, StoreError> {
        plans::regions(&self.pool).await
    }

    async fn region(&self, id: i64) -> Result<Option<RegionRow>, StoreError> {
        plans::region(&self.pool, id).await
    }

    async fn region_plans(&self, region_id: i64) -> Result<Vec<PlanSummary>, StoreError> {
        plans::region_plans(&self.pool, region_id).await
    }

    async fn plan_version(
        &self,
        plan_id: i64,
        version: Option<u32>,
    ) -> Result<Option<StoredPlan>, StoreError> {
        plans::plan_version(&self.pool, plan_id, version).await
    }

    async fn source_lines(&self, document_id: i64) -> Result<Option<Vec<String>>, StoreError> {
        plans::source_lines(&self.pool, document_id).await
    }

    async fn seed_targets(
        &self,
        region_id: i64,
        seeds: &[TargetSeed],
        change: &Change,
    ) -> Result<usize, StoreError> {
        system::seed_targets(&self.writer, region_id, seeds, change).await
    }

    async fn system_targets(&self, region_id: i64) -> Result<Vec<SystemTarget>, StoreError> {
        system::system_targets(&self.pool, region_id).await
    }

    async fn system_target(&self, id: i64) -> Result<Option<SystemTarget>, StoreError> {
        system::system_target(&self.pool, id).await
    }

    async fn target_history(&self, id: i64) -> Result<Vec<SystemTarget>, StoreError> {
        system::target_history(&self.pool, id).await
    }

    async fn targets_by_code(&self, code: &str) -> Result<Vec<SystemTarget>, StoreError> {
        system::targets_by_code(&self.pool, code).await
    }

    async fn search_targets(
        &self,
        root: Option<&str>,
        words: &str,
        limit: u32,
    ) -> Result<Vec<SystemTarget>, StoreError> {
        search::search_targets(&self.pool, root, words, limit).await
    }

    async fn add_target(
        &self,
        region_id: i64,
        kind: PlanKind,
        state: &TargetState,
        change: &Change,
    ) -> Result<SystemTarget, StoreError> {
        system::add_target(&self.writer, region_id, kind, state, change).await
    }

    async fn revise_target(
        &self,
        id: i64,
        expected: u32,
        state: &TargetState,
        action: ChangeAction,
        change: &Change,
    ) -> Result<SystemTarget, StoreError> {
        system::revise_target(&self.writer, id, expected, state, action, change).await
    }

    async fn import_observations(
        &self,
        rows: &[Observation],
        change: &Change,
    ) -> Result<ObservationImport, StoreError> {
        observations::import_observations(&self.writer, rows, change).await
    }

    async fn observations(&self, region_id: i64) -> Result<Vec<StoredObservation>, StoreError> {
        observations::observations(&self.pool, region_id).await
    }

    async fn observation_history(
        &self,
        region_id: i64,
        indicator_key: Option<&str>,
    ) -> Result<Vec<ObservationChange>, StoreError> {
        observations::observation_history(&self.pool, region_id, indicator_key).await
    }

    async fn subtree_targets(
        &self,
        root: Option<&str>,
        ids: (i64, i64),
    ) -> Result<Vec<SystemTarget>, StoreError> {
        subtree::targets(&self.pool, root, ids).await
    }

    async fn subtree_observations(
        &self,
        root: Option<&str>,
        ids: (i64, i64),
    ) -> Result<Vec<StoredObservation>, StoreError> {
        subtree::observations(&self.pool, root, ids).await
    }

    async fn subtree_plans(
        &self,
        root: Option<&str>,
        ids: (i64, i64),
    ) -> Result<Vec<PlanPeriod>, StoreError> {
        subtree::plans(&self.pool, root, ids).await
    }

    async fn latest_year(&self, root: Option<&str>) -> Result<Option<i32>, StoreError> {
        subtree::latest_year(&self.pool, root).await
    }

    async fn region_writes(&self, id: i64) -> Result<Option<i64>, StoreError> {
        subtree::region_writes(&self.pool, id).await
    }

    async fn generation(&self, root: Option<&str>) -> Result<Generation, StoreError> {
        subtree::generation(&self.pool, root).await
    }

    async fn backup(&self, file: &Path, force: bool) -> Result<BackupReport, StoreError> {
        let pending = Pending::new(file, force)?;
        super::write_backup(self, &pending).await?;
        pending.finish().await
    }

    async fn restore(&self, file: &Path, replace: bool) -> Result<RestoreReport, StoreError> {
        backup::restore(self, file, replace).await
    }

    async fn bulk_load(
        &self,
        set: &BulkSet,
        progress: &Progress<'_>,
    ) -> Result<BulkReport, StoreError> {
        bulk::load(&self.writer, set, progress).await
    }
}

/// Raises the region's counter of writes ([`crate::Generation`]), in the writer's
/// transaction.
pub(crate) async fn touch_region(tx: &mut Tx<'_>, region_id: i64) -> Result<(), StoreError> {
    sqlx::query("UPDATE regions SET generation = generation + 1 WHERE id = $1")
        .bind(region_id)
        .execute(&mut **tx)
        .await
        .map_err(q("记录数据版本"))?;
    Ok(())
}
