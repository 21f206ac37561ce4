//! The indicator system people maintain (the crate's `system` module).

use super::{Db, FOR_UPDATE, Row, Tx, begin_write, get, q, touch_region};
use crate::StoreError;
use crate::model_support as ms;
use crate::sql::WriteLock;
use crate::system::{Change, ChangeAction, MappingState, SystemTarget, TargetSeed, TargetState};
use chrono::Utc;
use planwatch_core::PlanKind;
use sqlx::Pool;

pub(super) const SELECT: &str = "SELECT t.id, t.region_id, r.path, t.kind, t.plan_id, t.plan_version, \
     t.line, v.version, v.action, v.changed_at, v.changed_by, v.why, v.domain, v.indicator, \
     v.code, v.confidence, v.mapping, v.comparator, v.value, v.unit, v.year, v.owner, \
     v.binding, v.text, v.retired, v.baseline_year, v.baseline_value \
     FROM system_targets t JOIN regions r ON r.id = t.region_id \
     JOIN system_target_versions v ON v.target_id = t.id";

pub(super) fn row_target(row: &Row) -> Result<SystemTarget, StoreError> {
    let kind: String = get(row, 3)?;
    let plan_version: Option<i64> = get(row, 5)?;
    let line: Option<i64> = get(row, 6)?;
    let action: String = get(row, 8)?;
    let mapping: String = get(row, 16)?;
    let comparator: String = get(row, 17)?;
    let baseline_year: Option<i64> = get(row, 25)?;
    Ok(SystemTarget {
        id: get(row, 0)?,
        region_id: get(row, 1)?,
        region_path: get(row, 2)?,
        kind: ms::kind(&kind)?,
        plan_id: get(row, 4)?,
        plan_version: plan_version.map(ms::version_u32).transpose()?,
        line: line.map(ms::line).transpose()?,
        version: ms::version_u32(get(row, 7)?)?,
        action: ChangeAction::parse(&action)
            .ok_or_else(|| StoreError::Corrupt(format!("修改类型：{action}")))?,
        changed_at: get(row, 9)?,
        changed_by: get(row, 10)?,
        why: get(row, 11)?,
        state: TargetState {
            domain: get(row, 12)?,
            indicator: get(row, 13)?,
            code: get(row, 14)?,
            confidence: get(row, 15)?,
            mapping: MappingState::parse(&mapping)
                .ok_or_else(|| StoreError::Corrupt(format!("映射状态：{mapping}")))?,
            comparator: ms::comparator(&comparator)?,
            value: get(row, 18)?,
            unit: get(row, 19)?,
            year: ms::year(get(row, 20)?)?,
            owner: get(row, 21)?,
            binding: get(row, 22)?,
            text: get(row, 23)?,
            retired: get(row, 24)?,
            baseline_year: baseline_year.map(ms::year).transpose()?,
            baseline_value: get(row, 26)?,
        },
    })
}

async fn insert_version(
    tx: &mut Tx<'_>,
    id: i64,
    version: u32,
    action: ChangeAction,
    change: &Change,
    s: &TargetState,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO system_target_versions (target_id, version, action, changed_at, \
         changed_by, why, domain, indicator, code, confidence, mapping, comparator, value, \
         unit, year, owner, binding, text, retired, indicator_key, baseline_year, \
         baseline_value) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
         $14, $15, $16, $17, $18, $19, $20, $21, $22)",
    )
    .bind(id)
    .bind(i64::from(version))
    .bind(action.as_str())
    .bind(Utc::now())
    .bind(&change.by)
    .bind(&change.why)
    .bind(&s.domain)
    .bind(&s.indicator)
    .bind(&s.code)
    .bind(s.confidence)
    .bind(s.mapping.as_str())
    .bind(s.comparator.as_str())
    .bind(s.value)
    .bind(&s.unit)
    .bind(i64::from(s.year))
    .bind(&s.owner)
    .bind(s.binding)
    .bind(&s.text)
    .bind(s.retired)
    .bind(s.indicator_key())
    .bind(s.baseline_year.map(i64::from))
    .bind(s.baseline_value)
    .execute(&mut **tx)
    .await
    .map_err(q("写入目标版本"))?;
    Ok(())
}

async fn begin(pool: &Pool<Db>) -> Result<Tx<'static>, StoreError> {
    begin_write(pool, WriteLock::Targets)
        .await
        .map_err(q("开始修改事务"))
}

pub async fn seed_targets(
    pool: &Pool<Db>,
    region_id: i64,
    seeds: &[TargetSeed],
    change: &Change,
) -> Result<usize, StoreError> {
    let mut tx = begin(pool).await?;
    let (added, _) = insert_seeds(&mut tx, region_id, seeds, change).await?;
    if added > 0 {
        touch_region(&mut tx, region_id).await?;
    }
    tx.commit().await.map_err(q("提交指标体系"))?;
    Ok(added)
}

/// Adds the seeds whose origin the region does not have yet; returns (added, of which
/// region-local).
pub(super) async fn insert_seeds(
    tx: &mut Tx<'_>,
    region_id: i64,
    seeds: &[TargetSeed],
    change: &Change,
) -> Result<(usize, usize), StoreError> {
    let (mut added, mut local) = (0, 0);
    for seed in seeds {
        seed.state.check()?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO system_targets (region_id, kind, plan_id, plan_version, line, origin, \
             version) VALUES ($1, $2, $3, $4, $5, $6, 1) \
             ON CONFLICT (region_id, origin) DO NOTHING RETURNING id",
        )
        .bind(region_id)
        .bind(seed.kind.as_str())
        .bind(seed.plan_id)
        .bind(i64::from(seed.plan_version))
        .bind(i64::from(seed.line))
        .bind(&seed.origin)
        .fetch_optional(&mut **tx)
        .await
        .map_err(q("写入指标体系"))?;
        if let Some(id) = id {
            insert_version(tx, id, 1, ChangeAction::Import, change, &seed.state).await?;
            added += 1;
            if seed.state.mapping == MappingState::Local {
                local += 1;
            }
        }
    }
    Ok((added, local))
}

pub async fn system_targets(
    pool: &Pool<Db>,
    region_id: i64,
) -> Result<Vec<SystemTarget>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE t.region_id = $1 AND v.version = t.version \
         ORDER BY CASE t.kind WHEN 'women' THEN 0 ELSE 1 END, t.line IS NULL, t.line, t.id"
    );
    sqlx::query(&sql)
        .bind(region_id)
        .fetch_all(pool)
        .await
        .map_err(q("读取指标体系"))?
        .iter()
        .map(row_target)
        .collect()
}

pub async fn system_target(pool: &Pool<Db>, id: i64) -> Result<Option<SystemTarget>, StoreError> {
    let sql = format!("{SELECT} WHERE t.id = $1 AND v.version = t.version");
    sqlx::query(&sql)
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(q("读取目标"))?
        .as_ref()
        .map(row_target)
        .transpose()
}

pub async fn target_history(pool: &Pool<Db>, id: i64) -> Result<Vec<SystemTarget>, StoreError> {
    let sql = format!("{SELECT} WHERE t.id = $1 ORDER BY v.version");
    sqlx::query(&sql)
        .bind(id)
        .fetch_all(pool)
        .await
        .map_err(q("读取目标的修改历史"))?
        .iter()
        .map(row_target)
        .collect()
}

pub async fn targets_by_code(pool: &Pool<Db>, code: &str) -> Result<Vec<SystemTarget>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE v.version = t.version AND v.code = $1 AND NOT v.retired \
         ORDER BY r.path, CASE t.kind WHEN 'women' THEN 0 ELSE 1 END, v.year, t.id"
    );
    sqlx::query(&sql)
        .bind(code)
        .fetch_all(pool)
        .await
        .map_err(q("读取各地区的目标"))?
        .iter()
        .map(row_target)
        .collect()
}

pub async fn add_target(
    pool: &Pool<Db>,
    region_id: i64,
    kind: PlanKind,
    state: &TargetState,
    change: &Change,
) -> Result<SystemTarget, StoreError> {
    let mut tx = begin(pool).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO system_targets (region_id, kind, version) VALUES ($1, $2, 1) RETURNING id",
    )
    .bind(region_id)
    .bind(kind.as_str())
    .fetch_one(&mut *tx)
    .await
    .map_err(q("新增目标"))?;
    insert_version(&mut tx, id, 1, ChangeAction::Add, change, state).await?;
    touch_region(&mut tx, region_id).await?;
    tx.commit().await.map_err(q("提交新增目标"))?;
    system_target(pool, id)
        .await?
        .ok_or(StoreError::TargetNotFound { id })
}

pub async fn revise_target(
    pool: &Pool<Db>,
    id: i64,
    expected: u32,
    state: &TargetState,
    action: ChangeAction,
    change: &Change,
) -> Result<SystemTarget, StoreError> {
    state.check()?;
    let mut tx = begin(pool).await?;
    let sql = format!(
        "SELECT t.version, t.region_id, v.indicator_key, v.retired, r.path \
         FROM system_targets t JOIN system_target_versions v \
         ON v.target_id = t.id AND v.version = t.version \
         JOIN regions r ON r.id = t.region_id WHERE t.id = $1{FOR_UPDATE}"
    );
    let head: Option<(i64, i64, String, bool, String)> = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(q("读取目标"))?;
    let Some((found, region_id, old_key, was_retired, region)) = head else {
        return Err(StoreError::TargetNotFound { id });
    };
    let found = ms::version_u32(found)?;
    if found != expected {
        return Err(StoreError::Conflict {
            id,
            expected,
            found,
        });
    }
    let leaves_key = state.retired || state.indicator_key() != old_key;
    if !was_retired && leaves_key {
        let count: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM observations WHERE region_id = $1 AND indicator_key = $2",
        )
        .bind(region_id)
        .bind(&old_key)
        .fetch_one(&mut *tx)
        .await
        .map_err(q("检查监测数据"))?;
        let others: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM system_targets t JOIN system_target_versions v \
             ON v.target_id = t.id AND v.version = t.version \
             WHERE t.region_id = $1 AND t.id <> $2 AND v.indicator_key = $3 AND NOT v.retired",
        )
        .bind(region_id)
        .bind(id)
        .bind(&old_key)
        .fetch_one(&mut *tx)
        .await
        .map_err(q("检查监测数据"))?;
        if count > 0 && others == 0 {
            return Err(StoreError::WouldOrphan {
                action: if state.retired {
                    "停用该目标".into()
                } else {
                    "更改该目标的指标".into()
                },
                region,
                key: old_key,
                count,
            });
        }
    }
    let version = found + 1;
    insert_version(&mut tx, id, version, action, change, state).await?;
    sqlx::query("UPDATE system_targets SET version = $1 WHERE id = $2")
        .bind(i64::from(version))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(q("写入目标版本"))?;
    touch_region(&mut tx, region_id).await?;
    tx.commit().await.map_err(q("提交目标修改"))?;
    system_target(pool, id)
        .await?
        .ok_or(StoreError::TargetNotFound { id })
}
