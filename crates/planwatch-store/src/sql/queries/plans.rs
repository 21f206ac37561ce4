//! Plans as imported: regions, plan versions, their targets and the source text.

use super::{Db, Tx, begin_write, get, insert_lines, q, system as seed, touch_region};
use crate::sql::WriteLock;
use crate::system::{Seeder, plan_seeds, seed_change};
use crate::{
    ImportOutcome, ImportReport, PlanOutcome, PlanSummary, PlanVersionInfo, RegionRow, SourceDoc,
    StoreError, StoredPlan, model_support as ms,
};
use chrono::{DateTime, Utc};
use planwatch_core::{Baseline, Level, Plan, PlanDocument, QualitativeTarget, Target};
use sqlx::Pool;

pub(super) async fn import(
    pool: &Pool<Db>,
    doc: &PlanDocument,
    source: &SourceDoc,
    seeder: Option<&Seeder<'_>>,
) -> Result<ImportReport, StoreError> {
    ms::validate(doc)?;
    let mut tx = begin_write(pool, WriteLock::Plans)
        .await
        .map_err(q("开始导入事务"))?;
    let now = Utc::now();
    let region_id = ensure_regions(&mut tx, doc).await?;
    let source_sha = source.sha256();
    let mut document_id: Option<i64> = None;
    let mut report = ImportReport {
        region_path: doc.region_path(),
        region_id,
        plans: Vec::with_capacity(2),
        seeded: 0,
        seeded_local: 0,
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
        // The plan's targets join the region's indicator system in the same transaction:
        // an import killed half way leaves neither plans without targets nor the reverse.
        if let Some(seeder) = seeder {
            let version = match outcome {
                ImportOutcome::Stored { version } | ImportOutcome::Unchanged { version } => version,
            };
            let seeds = plan_seeds(plan_id, version, plan, seeder);
            let change = seed_change(plan, version);
            let (added, local) = seed::insert_seeds(&mut tx, region_id, &seeds, &change).await?;
            report.seeded += added;
            report.seeded_local += local;
        }
    }
    if report.unchanged() {
        // Nothing new: leave the database exactly as it was (no region rows either).
        tx.rollback().await.map_err(q("结束导入事务"))?;
    } else {
        touch_region(&mut tx, region_id).await?;
        // A region with a plan of its own is no longer 演示地区, whatever the demo gave it.
        sqlx::query("UPDATE regions SET generated = FALSE WHERE id = $1 AND generated")
            .bind(region_id)
            .execute(&mut *tx)
            .await
            .map_err(q("更新地区"))?;
        tx.commit().await.map_err(q("提交导入事务"))?;
    }
    Ok(report)
}

const REGION_SELECT: &str = "SELECT r.id, r.name, r.path, r.level, r.parent_id, \
     (SELECT COUNT(*) FROM plans p WHERE p.region_id = r.id), r.generated FROM regions r";

fn row_region(row: &super::Row) -> Result<RegionRow, StoreError> {
    let level: Option<String> = get(row, 3)?;
    Ok(RegionRow {
        id: get(row, 0)?,
        name: get(row, 1)?,
        path: get(row, 2)?,
        level: level.as_deref().map(ms::level).transpose()?,
        parent_id: get(row, 4)?,
        plan_count: get(row, 5)?,
        generated: get(row, 6)?,
    })
}

pub(super) async fn regions(pool: &Pool<Db>) -> Result<Vec<RegionRow>, StoreError> {
    sqlx::query(&format!("{REGION_SELECT} ORDER BY r.path"))
        .fetch_all(pool)
        .await
        .map_err(q("读取地区列表"))?
        .iter()
        .map(row_region)
        .collect()
}

pub(super) async fn region(pool: &Pool<Db>, id: i64) -> Result<Option<RegionRow>, StoreError> {
    sqlx::query(&format!("{REGION_SELECT} WHERE r.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(q("读取地区"))?
        .as_ref()
        .map(row_region)
        .transpose()
}

pub(super) async fn region_plans(
    pool: &Pool<Db>,
    region_id: i64,
) -> Result<Vec<PlanSummary>, StoreError> {
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
    .fetch_all(pool)
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

pub(super) async fn plan_version(
    pool: &Pool<Db>,
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
    .fetch_optional(pool)
    .await
    .map_err(q("读取规划版本"))?;
    let Some(head) = head else { return Ok(None) };
    let version_id: i64 = get(&head, 0)?;
    let kind: String = get(&head, 7)?;
    let domains: Vec<String> =
        sqlx::query_scalar("SELECT name FROM plan_domains WHERE version_id = $1 ORDER BY position")
            .bind(version_id)
            .fetch_all(pool)
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
    .fetch_all(pool)
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
    .fetch_all(pool)
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
    .fetch_all(pool)
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

pub(super) async fn source_lines(
    pool: &Pool<Db>,
    document_id: i64,
) -> Result<Option<Vec<String>>, StoreError> {
    let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM documents WHERE id = $1")
        .bind(document_id)
        .fetch_optional(pool)
        .await
        .map_err(q("读取原文"))?;
    if exists.is_none() {
        return Ok(None);
    }
    let lines: Vec<String> = sqlx::query_scalar(
        "SELECT text FROM document_lines WHERE document_id = $1 ORDER BY line_no",
    )
    .bind(document_id)
    .fetch_all(pool)
    .await
    .map_err(q("读取原文"))?;
    Ok(Some(lines))
}
/// Creates the region and its parents when missing; returns the region's id.
async fn ensure_regions(tx: &mut Tx<'_>, doc: &PlanDocument) -> Result<i64, StoreError> {
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
            sqlx::query(
                "UPDATE regions SET level = $1 WHERE id = $2 AND level IS DISTINCT FROM $1",
            )
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

async fn ensure_plan(tx: &mut Tx<'_>, region_id: i64, plan: &Plan) -> Result<i64, StoreError> {
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
    tx: &mut Tx<'_>,
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
    insert_lines(tx, id, &source.lines)
        .await
        .map_err(q("写入原文"))?;
    Ok(id)
}

async fn name_id(tx: &mut Tx<'_>, table: &'static str, name: &str) -> Result<i64, StoreError> {
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

async fn owner_id(tx: &mut Tx<'_>, owner: Option<&str>) -> Result<Option<i64>, StoreError> {
    match owner {
        Some(name) => Ok(Some(name_id(tx, "responsible_units", name).await?)),
        None => Ok(None),
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_version(
    tx: &mut Tx<'_>,
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
