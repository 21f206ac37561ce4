//! Reported data (`Store::import_observations`) and its audit log.

use super::{BYTE_ORDER, Db, FOR_SHARE, Row, Tx, begin_write, get, q, touch_region};
use crate::StoreError;
use crate::model_support as ms;
use crate::sql::WriteLock;
use crate::system::{
    Change, Observation, ObservationChange, ObservationImport, ObservationWrite, StoredObservation,
    check_observations, observation_write,
};
use chrono::{DateTime, Utc};
use planwatch_core::round::Channel;
use sqlx::Pool;
use std::collections::{BTreeSet, HashMap, HashSet};

/// What is stored for one region: the live indicator keys and the values by (key, year).
pub(super) struct RegionData {
    pub(super) path: String,
    pub(super) live: HashSet<String>,
    pub(super) stored: HashMap<(String, i32), (f64, String, bool)>,
}

pub(super) async fn region_data(tx: &mut Tx<'_>, region_id: i64) -> Result<RegionData, StoreError> {
    let path: Option<String> = sqlx::query_scalar("SELECT path FROM regions WHERE id = $1")
        .bind(region_id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(q("读取地区"))?;
    let Some(path) = path else {
        return Err(StoreError::EditRefused(format!(
            "编号为 {region_id} 的地区不存在，不能录入其监测数据"
        )));
    };
    // The targets are locked (on PostgreSQL) so that none is retired while values for it
    // are being written.
    let sql = format!(
        "SELECT v.indicator_key FROM system_targets t JOIN system_target_versions v \
         ON v.target_id = t.id AND v.version = t.version \
         WHERE t.region_id = $1 AND NOT v.retired{FOR_SHARE}"
    );
    let live: Vec<String> = sqlx::query_scalar(&sql)
        .bind(region_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(q("读取指标体系"))?;
    let rows: Vec<(String, i64, f64, String, bool)> = sqlx::query_as(
        "SELECT indicator_key, year, value, source, demo FROM observations WHERE region_id = $1",
    )
    .bind(region_id)
    .fetch_all(&mut **tx)
    .await
    .map_err(q("读取监测数据"))?;
    let mut stored = HashMap::with_capacity(rows.len());
    for (key, year, value, source, demo) in rows {
        stored.insert((key, ms::year(year)?), (value, source, demo));
    }
    Ok(RegionData {
        path,
        live: live.into_iter().collect(),
        stored,
    })
}

pub async fn import_observations(
    pool: &Pool<Db>,
    rows: &[Observation],
    change: &Change,
) -> Result<ObservationImport, StoreError> {
    check_observations(rows)?;
    // Imports of reported data queue behind each other (two imports of one new value
    // would otherwise both insert it).
    let mut tx = begin_write(pool, WriteLock::Observations)
        .await
        .map_err(q("开始导入监测数据"))?;
    let mut regions = HashMap::new();
    for id in rows.iter().map(|r| r.region_id).collect::<BTreeSet<_>>() {
        regions.insert(id, region_data(&mut tx, id).await?);
    }
    let now = Utc::now();
    let mut report = ObservationImport::default();
    for row in rows {
        let Some(region) = regions.get(&row.region_id) else {
            continue; // every region id was loaded above
        };
        if !region.live.contains(&row.indicator_key) {
            return Err(StoreError::EditRefused(format!(
                "地区“{}”的指标体系中没有指标“{}”的有效目标，不能录入其监测数据。\
                 请先用 `planwatch target add` 新增目标",
                region.path, row.indicator_key
            )));
        }
        let old = region
            .stored
            .get(&(row.indicator_key.clone(), row.year))
            .map(|(v, s, d)| (*v, s.as_str(), *d));
        let write = observation_write(row, old);
        report.count(write);
        let channel = if row.demo {
            Channel::Demo
        } else {
            Channel::Cli
        };
        write_observation(&mut tx, row, old, write, now, change, channel).await?;
    }
    for id in regions.keys() {
        touch_region(&mut tx, *id).await?;
    }
    tx.commit().await.map_err(q("提交监测数据"))?;
    Ok(report)
}

/// Writes one row as `write` decided, with its line in the audit log, inside the caller's
/// transaction.
pub(super) async fn write_observation(
    tx: &mut Tx<'_>,
    row: &Observation,
    old: Option<(f64, &str, bool)>,
    write: ObservationWrite,
    now: DateTime<Utc>,
    change: &Change,
    channel: Channel,
) -> Result<(), StoreError> {
    match write {
        ObservationWrite::Unchanged | ObservationWrite::KeepReal => return Ok(()),
        ObservationWrite::Insert => {
            sqlx::query(
                "INSERT INTO observations (region_id, indicator_key, year, value, source, \
                 recorded_at, demo, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(row.region_id)
            .bind(&row.indicator_key)
            .bind(i64::from(row.year))
            .bind(row.value)
            .bind(&row.source)
            .bind(now)
            .bind(row.demo)
            .bind(&change.by)
            .execute(&mut **tx)
            .await
            .map_err(q("写入监测数据"))?;
        }
        ObservationWrite::Update => {
            sqlx::query(
                "UPDATE observations SET value = $4, source = $5, recorded_at = $6, \
                 demo = $7, recorded_by = $8 \
                 WHERE region_id = $1 AND indicator_key = $2 AND year = $3",
            )
            .bind(row.region_id)
            .bind(&row.indicator_key)
            .bind(i64::from(row.year))
            .bind(row.value)
            .bind(&row.source)
            .bind(now)
            .bind(row.demo)
            .bind(&change.by)
            .execute(&mut **tx)
            .await
            .map_err(q("更新监测数据"))?;
        }
    }
    sqlx::query(
        "INSERT INTO observation_changes (region_id, indicator_key, year, old_value, \
         new_value, old_source, new_source, demo, changed_at, changed_by, why, channel) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(row.region_id)
    .bind(&row.indicator_key)
    .bind(i64::from(row.year))
    .bind(old.map(|o| o.0))
    .bind(row.value)
    .bind(old.map(|o| o.1))
    .bind(&row.source)
    .bind(row.demo)
    .bind(now)
    .bind(&change.by)
    .bind(&change.why)
    .bind(channel.code())
    .execute(&mut **tx)
    .await
    .map_err(q("写入监测数据修改记录"))?;
    Ok(())
}

/// Removes a value (an approved value its unit withdrew), with its line in the audit log.
#[allow(clippy::too_many_arguments)]
pub(super) async fn remove_observation(
    tx: &mut Tx<'_>,
    region_id: i64,
    key: &str,
    year: i32,
    old: (f64, &str, bool),
    now: DateTime<Utc>,
    change: &Change,
    channel: Channel,
) -> Result<(), StoreError> {
    sqlx::query(
        "DELETE FROM observations WHERE region_id = $1 AND indicator_key = $2 AND year = $3",
    )
    .bind(region_id)
    .bind(key)
    .bind(i64::from(year))
    .execute(&mut **tx)
    .await
    .map_err(q("删除监测数据"))?;
    sqlx::query(
        "INSERT INTO observation_changes (region_id, indicator_key, year, old_value, \
         new_value, old_source, new_source, demo, changed_at, changed_by, why, channel) \
         VALUES ($1, $2, $3, $4, NULL, $5, NULL, $6, $7, $8, $9, $10)",
    )
    .bind(region_id)
    .bind(key)
    .bind(i64::from(year))
    .bind(old.0)
    .bind(old.1)
    .bind(old.2)
    .bind(now)
    .bind(&change.by)
    .bind(&change.why)
    .bind(channel.code())
    .execute(&mut **tx)
    .await
    .map_err(q("写入监测数据修改记录"))?;
    Ok(())
}

pub async fn observations(
    pool: &Pool<Db>,
    region_id: i64,
) -> Result<Vec<StoredObservation>, StoreError> {
    let sql = format!(
        "SELECT region_id, indicator_key, year, value, source, demo, recorded_at, recorded_by \
         FROM observations WHERE region_id = $1 ORDER BY indicator_key{BYTE_ORDER}, year"
    );
    sqlx::query(&sql)
        .bind(region_id)
        .fetch_all(pool)
        .await
        .map_err(q("读取监测数据"))?
        .iter()
        .map(row_observation)
        .collect()
}

/// Columns region_id, indicator_key, year, value, source, demo, recorded_at, recorded_by.
pub(super) fn row_observation(row: &Row) -> Result<StoredObservation, StoreError> {
    Ok(StoredObservation {
        region_id: get(row, 0)?,
        indicator_key: get(row, 1)?,
        year: ms::year(get(row, 2)?)?,
        value: get(row, 3)?,
        source: get(row, 4)?,
        demo: get(row, 5)?,
        recorded_at: get(row, 6)?,
        recorded_by: get(row, 7)?,
    })
}

pub async fn observation_history(
    pool: &Pool<Db>,
    region_id: i64,
    indicator_key: Option<&str>,
) -> Result<Vec<ObservationChange>, StoreError> {
    sqlx::query(
        "SELECT id, region_id, indicator_key, year, old_value, new_value, old_source, \
         new_source, changed_at, changed_by, why, demo, channel FROM observation_changes \
         WHERE region_id = $1 AND (CAST($2 AS TEXT) IS NULL OR indicator_key = $2) ORDER BY id DESC",
    )
    .bind(region_id)
    .bind(indicator_key)
    .fetch_all(pool)
    .await
    .map_err(q("读取监测数据修改记录"))?
    .iter()
    .map(|row: &Row| {
        Ok(ObservationChange {
            id: get(row, 0)?,
            region_id: get(row, 1)?,
            indicator_key: get(row, 2)?,
            year: ms::year(get(row, 3)?)?,
            old_value: get(row, 4)?,
            new_value: get(row, 5)?,
            old_source: get(row, 6)?,
            new_source: get(row, 7)?,
            changed_at: get(row, 8)?,
            changed_by: get(row, 9)?,
            why: get(row, 10)?,
            demo: get(row, 11)?,
            channel: channel(get(row, 12)?)?,
        })
    })
    .collect()
}

pub(super) fn channel(code: String) -> Result<Channel, StoreError> {
    Channel::parse(&code).ok_or_else(|| StoreError::Corrupt(format!("填报渠道：{code}")))
}
