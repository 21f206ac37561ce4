//! Whole subtrees of regions at once (a province and everything under it, or the nation):
//! what the level above and `evaluate --all` judge. A few queries for any number of
//! regions, rather than a few per region.

use super::observations::row_observation;
use super::system::{SELECT, row_target};
use super::{BYTE_ORDER, Db, Row, get, q};
use crate::model_support as ms;
use crate::system::{StoredObservation, SystemTarget};
use crate::{Generation, PlanPeriod, StoreError};
use sqlx::Pool;

/// Regions of the subtree (`r.path = $1 OR r.path LIKE $2`, or every region when `root` is
/// `None`) whose ids lie in `$3..=$4`: callers walk a large subtree a slice of ids at a
/// time, so that memory stays bounded whatever its size.
const IN_SUBTREE: &str = "(CAST($1 AS TEXT) IS NULL OR r.path = $1 OR r.path LIKE $2 ESCAPE '\\') \
     AND r.id BETWEEN $3 AND $4";

/// The LIKE pattern of everything below `root`.
pub(super) fn below(root: Option<&str>) -> Option<String> {
    root.map(|r| {
        let escaped = r
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        format!("{escaped}/%")
    })
}

/// The rows `sql` (which filters by [`IN_SUBTREE`]) returns for the subtree's regions with
/// ids in `ids`.
async fn subtree_rows(
    pool: &Pool<Db>,
    sql: &str,
    root: Option<&str>,
    ids: (i64, i64),
    context: &'static str,
) -> Result<Vec<Row>, StoreError> {
    sqlx::query(sql)
        .bind(root)
        .bind(below(root))
        .bind(ids.0)
        .bind(ids.1)
        .fetch_all(pool)
        .await
        .map_err(q(context))
}

pub(super) async fn targets(
    pool: &Pool<Db>,
    root: Option<&str>,
    ids: (i64, i64),
) -> Result<Vec<SystemTarget>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE v.version = t.version AND NOT v.retired AND {IN_SUBTREE} \
         ORDER BY t.region_id, CASE t.kind WHEN 'women' THEN 0 ELSE 1 END, t.line IS NULL, \
         t.line, t.id"
    );
    subtree_rows(pool, &sql, root, ids, "读取各地区的指标体系")
        .await?
        .iter()
        .map(row_target)
        .collect()
}

pub(super) async fn observations(
    pool: &Pool<Db>,
    root: Option<&str>,
    ids: (i64, i64),
) -> Result<Vec<StoredObservation>, StoreError> {
    let sql = format!(
        "SELECT o.region_id, o.indicator_key, o.year, o.value, o.source, o.demo, \
         o.recorded_at, o.recorded_by \
         FROM observations o JOIN regions r ON r.id = o.region_id WHERE {IN_SUBTREE} \
         ORDER BY o.region_id, o.indicator_key{BYTE_ORDER}, o.year"
    );
    subtree_rows(pool, &sql, root, ids, "读取各地区的监测数据")
        .await?
        .iter()
        .map(row_observation)
        .collect()
}

pub(super) async fn plans(
    pool: &Pool<Db>,
    root: Option<&str>,
    ids: (i64, i64),
) -> Result<Vec<PlanPeriod>, StoreError> {
    let sql = format!(
        "SELECT p.region_id, p.id, p.kind, p.period_start, p.period_end \
         FROM plans p JOIN regions r ON r.id = p.region_id WHERE {IN_SUBTREE} \
         ORDER BY p.region_id, p.id"
    );
    subtree_rows(pool, &sql, root, ids, "读取各地区的规划")
        .await?
        .iter()
        .map(|row: &Row| {
            let kind: String = get(row, 2)?;
            Ok(PlanPeriod {
                region_id: get(row, 0)?,
                plan_id: get(row, 1)?,
                kind: ms::kind(&kind)?,
                period: [ms::year(get(row, 3)?)?, ms::year(get(row, 4)?)?],
            })
        })
        .collect()
}

pub(super) async fn generation(
    pool: &Pool<Db>,
    root: Option<&str>,
) -> Result<Generation, StoreError> {
    let sql = format!(
        "SELECT COUNT(*), CAST(COALESCE(SUM(r.generation), 0) AS BIGINT), \
         COALESCE(MAX(r.id), 0) FROM regions r WHERE {IN_SUBTREE}"
    );
    let (regions, writes, last_id): (i64, i64, i64) = sqlx::query_as(&sql)
        .bind(root)
        .bind(below(root))
        .bind(i64::MIN)
        .bind(i64::MAX)
        .fetch_one(pool)
        .await
        .map_err(q("读取数据版本"))?;
    Ok(Generation {
        regions,
        writes,
        last_id,
    })
}

pub(super) async fn latest_year(
    pool: &Pool<Db>,
    root: Option<&str>,
) -> Result<Option<i32>, StoreError> {
    let sql = format!(
        "SELECT MAX(o.year) FROM observations o JOIN regions r ON r.id = o.region_id \
         WHERE {IN_SUBTREE}"
    );
    let year: Option<i64> = sqlx::query_scalar(&sql)
        .bind(root)
        .bind(below(root))
        .bind(i64::MIN)
        .bind(i64::MAX)
        .fetch_one(pool)
        .await
        .map_err(q("读取最新数据年份"))?;
    year.map(ms::year).transpose()
}

pub(super) async fn region_writes(pool: &Pool<Db>, id: i64) -> Result<Option<i64>, StoreError> {
    sqlx::query_scalar("SELECT generation FROM regions WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
        .map_err(q("读取数据版本"))
}
