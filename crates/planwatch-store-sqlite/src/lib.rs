//! The monitoring database in one SQLite file: what a county office runs on one machine
//! with no database administrator.
//!
//! Migrations in `migrations/` are applied on open; a file written by a newer planwatch is
//! refused with [`StoreError::SchemaTooNew`]. Every import is one `BEGIN IMMEDIATE`
//! transaction, so concurrent writers (the server and a command-line import) queue instead
//! of failing half way.

#[cfg(feature = "test-util")]
pub mod test_util;

mod observations;
mod system;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planwatch_core::{Baseline, Level, Plan, PlanDocument, PlanKind, QualitativeTarget, Target};
use planwatch_store::system::{
    Change, ChangeAction, Observation, ObservationChange, ObservationImport, StoredObservation,
    SystemTarget, TargetSeed, TargetState,
};
use planwatch_store::{
    ImportOutcome, ImportReport, PlanOutcome, PlanSummary, PlanVersionInfo, RegionRow, SourceDoc,
    Store, StoreError, StoredPlan, model_support as ms,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow};
use sqlx::{Row, Sqlite, SqlitePool, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A [`Store`] on a SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating when missing) the database at a `sqlite://PATH` or `sqlite:PATH` URL.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        Self::open_with(url, options).await
    }

    /// Opens (creating when missing) the database file at `path`.
    pub async fn open_path(path: &Path) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::new().filename(path);
        Self::open_with(&path.display().to_string(), options).await
    }

    async fn open_with(
        label: &str,
        options: SqliteConnectOptions,
    ) -> Result<SqliteStore, StoreError> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect {
                url: label.to_string(),
                reason: e.to_string(),
            })?;
        migrate(&pool).await?;
        Ok(SqliteStore { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// The highest schema version this build knows.
    pub fn supported_schema_version() -> i64 {
        MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
    }
}

async fn migrate(pool: &SqlitePool) -> Result<(), StoreError> {
    let has_table: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_optional(pool)
    .await
    .map_err(|e| StoreError::query("检查数据库架构版本", e))?;
    if has_table.is_some() {
        let found: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await
                .map_err(|e| StoreError::query("检查数据库架构版本", e))?;
        let supported = SqliteStore::supported_schema_version();
        if let Some(found) = found.filter(|&f| f > supported) {
            return Err(StoreError::SchemaTooNew { found, supported });
        }
    }
    MIGRATOR
        .run(pool)
        .await
        .map_err(|e| StoreError::Migrate(e.to_string()))
}

fn q(context: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| StoreError::query(context, e)
}

fn get<'r, T>(row: &'r SqliteRow, idx: usize) -> Result<T, StoreError>
where
    T: sqlx::Decode<'r, Sqlite> + sqlx::Type<Sqlite>,
{
    row.try_get(idx)
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

#[async_trait]
impl Store for SqliteStore {
    async fn import(
        &self,
        doc: &PlanDocument,
        source: &SourceDoc,
    ) -> Result<ImportReport, StoreError> {
        ms::validate(doc)?;
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(q("开始导入事务"))?;
        let now = Utc::now();
        let region_id = ensure_regions(&mut tx, doc).await?;
        let source_sha = source.sha256();
        let mut document_id: Option<i64> = None;
        let mut report = ImportReport {
            region_path: doc.region_path(),
            plans: Vec::with_capacity(2),
        };
        for plan in &doc.plans {
            let hash = ms::plan_content_hash(&source_sha, plan);
            let plan_id = ensure_plan(&mut tx, region_id, plan).await?;
            let latest: Option<(i64, String)> = sqlx::query_as(
                "SELECT version, content_hash FROM plan_versions WHERE plan_id = $1 \
                 ORDER BY version DESC LIMIT 1",
            )
            .bind(plan_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(q("读取规划版本"))?;
            let outcome = match latest {
                Some((version, ref old)) if *old == hash => ImportOutcome::Unchanged {
                    version: ms::version_u32(version)?,
                },
                other => {
                    let version = other.map(|(v, _)| v + 1).unwrap_or(1);
                    let doc_id = match document_id {
                        Some(id) => id,
                        None => {
                            let id = ensure_document(&mut tx, source, &source_sha, now).await?;
                            document_id = Some(id);
                            id
                        }
                    };
                    insert_version(&mut tx, plan_id, version, &hash, doc_id, now, plan).await?;
                    ImportOutcome::Stored {
                        version: ms::version_u32(version)?,
                    }
                }
            };
            report.plans.push(PlanOutcome {
                kind: plan.kind,
                title: plan.title.clone(),
                outcome,
            });
        }
        if report.unchanged() {
            // Nothing new: leave the database exactly as it was (no region rows either).
            tx.rollback().await.map_err(q("结束导入事务"))?;
        } else {
            tx.commit().await.map_err(q("提交导入事务"))?;
        }
        Ok(report)
    }

    async fn regions(&self) -> Result<Vec<RegionRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT r.id, r.name, r.path, r.level, r.parent_id, \
                    (SELECT COUNT(*) FROM plans p WHERE p.region_id = r.id) \
             FROM regions r ORDER BY r.path",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取地区列表"))?;
        rows.iter()
            .map(|row| {
                let level: Option<String> = get(row, 3)?;
                Ok(RegionRow {
                    id: get(row, 0)?,
                    name: get(row, 1)?,
                    path: get(row, 2)?,
                    level: level.as_deref().map(ms::level).transpose()?,
                    parent_id: get(row, 4)?,
                    plan_count: get(row, 5)?,
                })
            })
            .collect()
    }

    async fn region_plans(&self, region_id: i64) -> Result<Vec<PlanSummary>, StoreError> {
        let rows = sqlx::query(
            "SELECT p.id, p.kind, p.period_start, p.period_end, v.version, v.title, \
                    v.imported_at, d.name, \
                    (SELECT COUNT(*) FROM targets t WHERE t.version_id = v.id) \
             FROM plans p \
             JOIN plan_versions v ON v.plan_id = p.id \
             JOIN documents d ON d.id = v.document_id \
             WHERE p.region_id = $1 \
             ORDER BY CASE p.kind WHEN 'women' THEN 0 ELSE 1 END, p.period_start, \
                      p.period_end, p.id, v.version",
        )
        .bind(region_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取地区的规划"))?;
        let mut out: Vec<PlanSummary> = Vec::new();
        for row in &rows {
            let id: i64 = get(row, 0)?;
            let info = PlanVersionInfo {
                version: ms::version_u32(get(row, 4)?)?,
                title: get(row, 5)?,
                imported_at: get(row, 6)?,
                document_name: get(row, 7)?,
                target_count: get(row, 8)?,
            };
            match out.last_mut() {
                Some(last) if last.id == id => last.versions.push(info),
                _ => {
                    let kind: String = get(row, 1)?;
                    out.push(PlanSummary {
                        id,
                        region_id,
                        kind: ms::kind(&kind)?,
                        period: [ms::year(get(row, 2)?)?, ms::year(get(row, 3)?)?],
                        versions: vec![info],
                    });
                }
            }
        }
        Ok(out)
    }

    async fn plan_version(
        &self,
        plan_id: i64,
        version: Option<u32>,
    ) -> Result<Option<StoredPlan>, StoreError> {
        let head = sqlx::query(
            "SELECT v.id, v.version, v.title, v.imported_at, v.document_id, d.name, \
                    p.region_id, p.kind, p.period_start, p.period_end \
             FROM plan_versions v \
             JOIN plans p ON p.id = v.plan_id \
             JOIN documents d ON d.id = v.document_id \
             WHERE v.plan_id = $1 AND ($2 IS NULL OR v.version = $2) \
             ORDER BY v.version DESC LIMIT 1",
        )
        .bind(plan_id)
        .bind(version.map(i64::from))
        .fetch_optional(&self.pool)
        .await
        .map_err(q("读取规划版本"))?;
        let Some(head) = head else { return Ok(None) };
        let version_id: i64 = get(&head, 0)?;
        let kind: String = get(&head, 7)?;
        let domains: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM plan_domains WHERE version_id = $1 ORDER BY position",
        )
        .bind(version_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取发展领域"))?;
        let targets = sqlx::query(
            "SELECT t.line, t.section, t.domain, i.name, t.comparator, t.value, t.unit, t.year, \
                    t.text, u.name, t.binding \
             FROM targets t JOIN indicators i ON i.id = t.indicator_id \
             LEFT JOIN responsible_units u ON u.id = t.owner_id \
             WHERE t.version_id = $1 ORDER BY t.position",
        )
        .bind(version_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取量化目标"))?
        .iter()
        .map(|r| {
            let section: String = get(r, 1)?;
            let comparator: String = get(r, 4)?;
            Ok(Target {
                line: ms::line(get(r, 0)?)?,
                section: ms::section(&section)?,
                domain: get(r, 2)?,
                indicator: get(r, 3)?,
                comparator: ms::comparator(&comparator)?,
                value: get(r, 5)?,
                unit: get(r, 6)?,
                year: ms::year(get(r, 7)?)?,
                text: get(r, 8)?,
                owner: get(r, 9)?,
                binding: get(r, 10)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let qualitative = sqlx::query(
            "SELECT t.line, t.section, t.domain, i.name, t.direction, t.text, u.name, t.binding \
             FROM qualitative_targets t JOIN indicators i ON i.id = t.indicator_id \
             LEFT JOIN responsible_units u ON u.id = t.owner_id \
             WHERE t.version_id = $1 ORDER BY t.position",
        )
        .bind(version_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取定性目标"))?
        .iter()
        .map(|r| {
            let section: String = get(r, 1)?;
            let direction: String = get(r, 4)?;
            Ok(QualitativeTarget {
                line: ms::line(get(r, 0)?)?,
                section: ms::section(&section)?,
                domain: get(r, 2)?,
                indicator: get(r, 3)?,
                direction: ms::direction(&direction)?,
                text: get(r, 5)?,
                owner: get(r, 6)?,
                binding: get(r, 7)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let baselines = sqlx::query(
            "SELECT b.line, i.name, b.value, b.unit, b.year, b.text \
             FROM baselines b JOIN indicators i ON i.id = b.indicator_id \
             WHERE b.version_id = $1 ORDER BY b.position",
        )
        .bind(version_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取基线数据"))?
        .iter()
        .map(|r| {
            Ok(Baseline {
                line: ms::line(get(r, 0)?)?,
                indicator: get(r, 1)?,
                value: get(r, 2)?,
                unit: get(r, 3)?,
                year: ms::year(get(r, 4)?)?,
                text: get(r, 5)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let imported_at: DateTime<Utc> = get(&head, 3)?;
        Ok(Some(StoredPlan {
            plan_id,
            region_id: get(&head, 6)?,
            version: ms::version_u32(get(&head, 1)?)?,
            imported_at,
            document_id: get(&head, 4)?,
            document_name: get(&head, 5)?,
            plan: Plan {
                kind: ms::kind(&kind)?,
                title: get(&head, 2)?,
                period: [ms::year(get(&head, 8)?)?, ms::year(get(&head, 9)?)?],
                domains,
                targets,
                qualitative,
                baselines,
            },
        }))
    }

    async fn source_lines(&self, document_id: i64) -> Result<Option<Vec<String>>, StoreError> {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM documents WHERE id = $1")
            .bind(document_id)
            .fetch_optional(&self.pool)
            .await
            .map_err(q("读取原文"))?;
        if exists.is_none() {
            return Ok(None);
        }
        let lines: Vec<String> = sqlx::query_scalar(
            "SELECT text FROM document_lines WHERE document_id = $1 ORDER BY line_no",
        )
        .bind(document_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取原文"))?;
        Ok(Some(lines))
    }
    async fn seed_targets(
        &self,
        region_id: i64,
        seeds: &[TargetSeed],
        change: &Change,
    ) -> Result<usize, StoreError> {
        system::seed_targets(&self.pool, region_id, seeds, change).await
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

    async fn add_target(
        &self,
        region_id: i64,
        kind: PlanKind,
        state: &TargetState,
        change: &Change,
    ) -> Result<SystemTarget, StoreError> {
        system::add_target(&self.pool, region_id, kind, state, change).await
    }

    async fn revise_target(
        &self,
        id: i64,
        expected: u32,
        state: &TargetState,
        action: ChangeAction,
        change: &Change,
    ) -> Result<SystemTarget, StoreError> {
        system::revise_target(&self.pool, id, expected, state, action, change).await
    }

    async fn import_observations(
        &self,
        rows: &[Observation],
        change: &Change,
    ) -> Result<ObservationImport, StoreError> {
        observations::import_observations(&self.pool, rows, change).await
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
}

/// Creates the region and its parents when missing; returns the region's id.
async fn ensure_regions(
    tx: &mut Transaction<'_, Sqlite>,
    doc: &PlanDocument,
) -> Result<i64, StoreError> {
    let mut parent: Option<i64> = None;
    let mut path = String::new();
    let names = doc.parents.iter().chain(std::iter::once(&doc.region));
    let count = doc.parents.len() + 1;
    for (i, name) in names.enumerate() {
        if !path.is_empty() {
            path.push('/');
        }
        path.push_str(name);
        // A parent's level follows from its place: the top is a province (or a
        // municipality, which ranks as one), the next a city. Only the document's own
        // region overwrites a level already stored.
        let own = i + 1 == count;
        let level = match (own, i) {
            (true, _) => doc.level,
            (false, 0) => Level::Province,
            (false, _) => Level::City,
        }
        .as_str();
        sqlx::query(
            "INSERT INTO regions (path, name, level, parent_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (path) DO NOTHING",
        )
        .bind(&path)
        .bind(name)
        .bind(level)
        .bind(parent)
        .execute(&mut **tx)
        .await
        .map_err(q("写入地区"))?;
        let id: i64 = sqlx::query_scalar("SELECT id FROM regions WHERE path = $1")
            .bind(&path)
            .fetch_one(&mut **tx)
            .await
            .map_err(q("读取地区"))?;
        if own {
            sqlx::query("UPDATE regions SET level = $1 WHERE id = $2 AND level IS NOT $1")
                .bind(level)
                .bind(id)
                .execute(&mut **tx)
                .await
                .map_err(q("写入地区级别"))?;
        }
        parent = Some(id);
    }
    parent.ok_or_else(|| StoreError::Invalid("文档没有地区名称".into()))
}

async fn ensure_plan(
    tx: &mut Transaction<'_, Sqlite>,
    region_id: i64,
    plan: &Plan,
) -> Result<i64, StoreError> {
    sqlx::query(
        "INSERT INTO plans (region_id, kind, period_start, period_end) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (region_id, kind, period_start, period_end) DO NOTHING",
    )
    .bind(region_id)
    .bind(plan.kind.as_str())
    .bind(i64::from(plan.period[0]))
    .bind(i64::from(plan.period[1]))
    .execute(&mut **tx)
    .await
    .map_err(q("写入规划"))?;
    sqlx::query_scalar(
        "SELECT id FROM plans WHERE region_id = $1 AND kind = $2 AND period_start = $3 \
         AND period_end = $4",
    )
    .bind(region_id)
    .bind(plan.kind.as_str())
    .bind(i64::from(plan.period[0]))
    .bind(i64::from(plan.period[1]))
    .fetch_one(&mut **tx)
    .await
    .map_err(q("读取规划"))
}

async fn ensure_document(
    tx: &mut Transaction<'_, Sqlite>,
    source: &SourceDoc,
    sha: &str,
    now: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM documents WHERE sha256 = $1")
        .bind(sha)
        .fetch_optional(&mut **tx)
        .await
        .map_err(q("读取原文"))?;
    if let Some(id) = existing {
        return Ok(id);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO documents (sha256, name, line_count, imported_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(sha)
    .bind(&source.name)
    .bind(source.lines.len() as i64)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(q("写入原文"))?;
    for (i, line) in source.lines.iter().enumerate() {
        sqlx::query("INSERT INTO document_lines (document_id, line_no, text) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(i as i64 + 1)
            .bind(line)
            .execute(&mut **tx)
            .await
            .map_err(q("写入原文"))?;
    }
    Ok(id)
}

async fn name_id(
    tx: &mut Transaction<'_, Sqlite>,
    table: &'static str,
    name: &str,
) -> Result<i64, StoreError> {
    // `table` is one of our own two table names, never user input.
    let insert = format!("INSERT INTO {table} (name) VALUES ($1) ON CONFLICT (name) DO NOTHING");
    let select = format!("SELECT id FROM {table} WHERE name = $1");
    sqlx::query(&insert)
        .bind(name)
        .execute(&mut **tx)
        .await
        .map_err(q("写入指标或责任单位"))?;
    sqlx::query_scalar(&select)
        .bind(name)
        .fetch_one(&mut **tx)
        .await
        .map_err(q("读取指标或责任单位"))
}

async fn owner_id(
    tx: &mut Transaction<'_, Sqlite>,
    owner: Option<&str>,
) -> Result<Option<i64>, StoreError> {
    match owner {
        Some(name) => Ok(Some(name_id(tx, "responsible_units", name).await?)),
        None => Ok(None),
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_version(
    tx: &mut Transaction<'_, Sqlite>,
    plan_id: i64,
    version: i64,
    hash: &str,
    document_id: i64,
    now: DateTime<Utc>,
    plan: &Plan,
) -> Result<(), StoreError> {
    let version_id: i64 = sqlx::query_scalar(
        "INSERT INTO plan_versions (plan_id, version, title, content_hash, document_id, \
         imported_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(plan_id)
    .bind(version)
    .bind(&plan.title)
    .bind(hash)
    .bind(document_id)
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(q("写入规划版本"))?;
    for (i, domain) in plan.domains.iter().enumerate() {
        sqlx::query("INSERT INTO plan_domains (version_id, position, name) VALUES ($1, $2, $3)")
            .bind(version_id)
            .bind(i as i64)
            .bind(domain)
            .execute(&mut **tx)
            .await
            .map_err(q("写入发展领域"))?;
    }
    for (i, t) in plan.targets.iter().enumerate() {
        let indicator = name_id(tx, "indicators", &t.indicator).await?;
        let owner = owner_id(tx, t.owner.as_deref()).await?;
        sqlx::query(
            "INSERT INTO targets (version_id, position, line, section, domain, indicator_id, \
             comparator, value, unit, year, text, owner_id, binding) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(version_id)
        .bind(i as i64)
        .bind(i64::from(t.line))
        .bind(t.section.as_str())
        .bind(&t.domain)
        .bind(indicator)
        .bind(t.comparator.as_str())
        .bind(t.value)
        .bind(&t.unit)
        .bind(i64::from(t.year))
        .bind(&t.text)
        .bind(owner)
        .bind(t.binding)
        .execute(&mut **tx)
        .await
        .map_err(q("写入量化目标"))?;
    }
    for (i, t) in plan.qualitative.iter().enumerate() {
        let indicator = name_id(tx, "indicators", &t.indicator).await?;
        let owner = owner_id(tx, t.owner.as_deref()).await?;
        sqlx::query(
            "INSERT INTO qualitative_targets (version_id, position, line, section, domain, \
             indicator_id, direction, text, owner_id, binding) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(version_id)
        .bind(i as i64)
        .bind(i64::from(t.line))
        .bind(t.section.as_str())
        .bind(&t.domain)
        .bind(indicator)
        .bind(t.direction.as_str())
        .bind(&t.text)
        .bind(owner)
        .bind(t.binding)
        .execute(&mut **tx)
        .await
        .map_err(q("写入定性目标"))?;
    }
    for (i, b) in plan.baselines.iter().enumerate() {
        let indicator = name_id(tx, "indicators", &b.indicator).await?;
        sqlx::query(
            "INSERT INTO baselines (version_id, position, line, indicator_id, value, unit, \
             year, text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(version_id)
        .bind(i as i64)
        .bind(i64::from(b.line))
        .bind(indicator)
        .bind(b.value)
        .bind(&b.unit)
        .bind(i64::from(b.year))
        .bind(&b.text)
        .execute(&mut **tx)
        .await
        .map_err(q("写入基线数据"))?;
    }
    Ok(())
}
