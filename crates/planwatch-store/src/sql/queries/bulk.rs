//! A whole data set in one transaction (`Store::bulk_load`): new regions with their missing
//! parents, their indicator systems, their values and the values' audit log. What is
//! written is said here, once; how to write many rows fast is the dialect's `bulk_insert`
//! (COPY on PostgreSQL, multi-row INSERTs on SQLite).

use super::{Db, Tx, begin_write, bulk_insert, q};
use crate::StoreError;
use crate::bulk::{BulkRegion, BulkReport, BulkSet, BulkTarget, Progress, RegionData};
use crate::sql::{Cell, Rows, WriteLock};
use chrono::Utc;
use planwatch_core::Level;
use sqlx::{Pool, QueryBuilder};
use std::collections::HashMap;

pub(super) async fn load(
    pool: &Pool<Db>,
    set: &BulkSet,
    progress: &Progress<'_>,
) -> Result<BulkReport, StoreError> {
    set.check()?;
    // Behind plan imports (and they behind this): both create regions, and a region an
    // import is creating must not receive this set's data.
    let mut tx = begin_write(pool, WriteLock::Plans)
        .await
        .map_err(q("开始批量写入"))?;
    let own: Vec<&str> = set.with_data().map(|(r, _)| r.path.as_str()).collect();
    let existing = ids_by_path(&mut tx, &own).await?;
    if let Some(first) = own.iter().find(|p| existing.contains_key(**p)) {
        let more = match existing.len() {
            1 => String::new(),
            n => format!("等 {n} 个地区"),
        };
        return Err(StoreError::EditRefused(format!(
            "数据库中已有地区“{first}”{more}。批量写入只建立新的地区，\
             不会重复写入，也不改动已有地区的数据；请换用新的数据库"
        )));
    }
    let mut report = BulkReport::default();
    let ids = insert_regions(&mut tx, set, &mut report, progress).await?;
    let regions: Vec<(i64, &RegionData)> = set
        .with_data()
        .map(|(r, d)| ids.get(&r.path).map(|id| (*id, d)))
        .collect::<Option<_>>()
        .ok_or_else(|| StoreError::Corrupt("批量写入的地区没有编号".into()))?;
    report.regions = regions.len();

    bulk_insert(
        &mut tx,
        Rows {
            table: "system_targets",
            columns: ["region_id", "kind", "origin", "version"],
            rows: Box::new(regions.iter().flat_map(|&(id, d)| {
                set.targets(d).map(move |t| {
                    let origin = Cell::Text(&t.origin);
                    [
                        Cell::Int(id),
                        Cell::Text(t.kind.as_str()),
                        origin,
                        Cell::Int(1),
                    ]
                })
            })),
            progress,
        },
    )
    .await
    .map_err(q("写入指标体系"))?;
    let written = target_ids(&mut tx, set, &regions).await?;
    report.targets = written.len();
    let now = Utc::now();
    let by = set.by.as_str();
    bulk_insert(
        &mut tx,
        Rows {
            table: "system_target_versions",
            columns: [
                "target_id",
                "version",
                "action",
                "changed_at",
                "changed_by",
                "why",
                "domain",
                "indicator",
                "code",
                "confidence",
                "mapping",
                "comparator",
                "value",
                "unit",
                "year",
                "owner",
                "binding",
                "text",
                "retired",
                "indicator_key",
                "baseline_year",
                "baseline_value",
            ],
            rows: Box::new(written.iter().map(|(id, t, key)| {
                let s = &t.state;
                [
                    Cell::Int(*id),
                    Cell::Int(1),
                    Cell::Text(t.action.as_str()),
                    Cell::Time(&now),
                    Cell::Text(by),
                    Cell::Text(&t.why),
                    Cell::Text(&s.domain),
                    Cell::Text(&s.indicator),
                    s.code.as_deref().into(),
                    Cell::Float(s.confidence),
                    Cell::Text(s.mapping.as_str()),
                    Cell::Text(s.comparator.as_str()),
                    Cell::Float(s.value),
                    Cell::Text(&s.unit),
                    Cell::Int(i64::from(s.year)),
                    s.owner.as_deref().into(),
                    s.binding.into(),
                    Cell::Text(&s.text),
                    Cell::Bool(s.retired),
                    Cell::Text(key),
                    s.baseline_year.into(),
                    s.baseline_value.into(),
                ]
            })),
            progress,
        },
    )
    .await
    .map_err(q("写入目标版本"))?;

    let values = || {
        regions
            .iter()
            .flat_map(|&(id, d)| d.values.iter().map(move |v| (id, v)))
            .filter_map(|(id, v)| Some((id, set.keys.get(v.key as usize)?.as_str(), v)))
    };
    report.values = values().count();
    let (source, why) = (set.source.as_str(), set.why.as_str());
    bulk_insert(
        &mut tx,
        Rows {
            table: "observations",
            columns: [
                "region_id",
                "indicator_key",
                "year",
                "value",
                "source",
                "recorded_at",
                "demo",
                "recorded_by",
            ],
            rows: Box::new(values().map(|(id, key, v)| {
                [
                    Cell::Int(id),
                    Cell::Text(key),
                    Cell::Int(i64::from(v.year)),
                    Cell::Float(v.value),
                    Cell::Text(source),
                    Cell::Time(&now),
                    Cell::Bool(true),
                    Cell::Text(by),
                ]
            })),
            progress,
        },
    )
    .await
    .map_err(q("写入监测数据"))?;
    // Every value written has its line in the audit log, as `import_observations` writes.
    bulk_insert(
        &mut tx,
        Rows {
            table: "observation_changes",
            columns: [
                "region_id",
                "indicator_key",
                "year",
                "old_value",
                "new_value",
                "old_source",
                "new_source",
                "demo",
                "changed_at",
                "changed_by",
                "why",
                "channel",
            ],
            rows: Box::new(values().map(|(id, key, v)| {
                [
                    Cell::Int(id),
                    Cell::Text(key),
                    Cell::Int(i64::from(v.year)),
                    Cell::Null,
                    Cell::Float(v.value),
                    Cell::Null,
                    Cell::Text(source),
                    Cell::Bool(true),
                    Cell::Time(&now),
                    Cell::Text(by),
                    Cell::Text(why),
                    Cell::Text("demo"),
                ]
            })),
            progress,
        },
    )
    .await
    .map_err(q("写入监测数据修改记录"))?;
    tx.commit().await.map_err(q("提交批量写入"))?;
    Ok(report)
}

/// The ids of the regions among `paths` that exist, by path.
async fn ids_by_path(tx: &mut Tx<'_>, paths: &[&str]) -> Result<HashMap<String, i64>, StoreError> {
    let mut out = HashMap::with_capacity(paths.len());
    for chunk in paths.chunks(500) {
        let mut b = QueryBuilder::<Db>::new("SELECT path, id FROM regions WHERE path IN (");
        let mut list = b.separated(", ");
        for p in chunk {
            list.push_bind(*p);
        }
        b.push(")");
        let rows: Vec<(String, i64)> = b
            .build_query_as()
            .fetch_all(&mut **tx)
            .await
            .map_err(q("读取地区"))?;
        out.extend(rows);
    }
    Ok(out)
}

/// Creates the regions that are missing, a level at a time so that parents have ids;
/// returns every region's id by path.
async fn insert_regions(
    tx: &mut Tx<'_>,
    set: &BulkSet,
    report: &mut BulkReport,
    progress: &Progress<'_>,
) -> Result<HashMap<String, i64>, StoreError> {
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(set.regions.len());
    let deepest = set.regions.iter().map(BulkRegion::depth).max().unwrap_or(0);
    for depth in 0..=deepest {
        let paths: Vec<&str> = set
            .regions
            .iter()
            .filter(|r| r.depth() == depth)
            .map(|r| r.path.as_str())
            .collect();
        ids.extend(ids_by_path(tx, &paths).await?);
        let new: Vec<&BulkRegion> = set
            .regions
            .iter()
            .filter(|r| r.depth() == depth && !ids.contains_key(&r.path))
            .collect();
        for chunk in new.chunks(1000) {
            let mut b = QueryBuilder::<Db>::new(
                "INSERT INTO regions (path, name, level, parent_id, generated) ",
            );
            b.push_values(chunk, |mut row, r| {
                let parent = r.parent().and_then(|p| ids.get(p)).copied();
                row.push_bind(r.path.as_str())
                    .push_bind(r.name())
                    .push_bind(r.level.as_str())
                    .push_bind(parent)
                    // A region given data here is made up (演示地区); a parent is a real
                    // division that only holds it.
                    .push_bind(r.data.is_some());
            });
            b.build().execute(&mut **tx).await.map_err(q("写入地区"))?;
        }
        for r in new.iter().filter(|r| r.data.is_none()) {
            match r.level {
                Level::Province => report.parents_created[0] += 1,
                _ => report.parents_created[1] += 1,
            }
        }
        let new_paths: Vec<&str> = new.iter().map(|r| r.path.as_str()).collect();
        ids.extend(ids_by_path(tx, &new_paths).await?);
        progress(paths.len() as u64);
    }
    Ok(ids)
}

/// Each target written, with its id and indicator key, in the order of the set.
async fn target_ids<'s>(
    tx: &mut Tx<'_>,
    set: &'s BulkSet,
    regions: &[(i64, &'s RegionData)],
) -> Result<Vec<(i64, &'s BulkTarget, String)>, StoreError> {
    let region_ids: Vec<i64> = regions.iter().map(|(id, _)| *id).collect();
    let mut by_origin: HashMap<(i64, String), i64> = HashMap::new();
    for chunk in region_ids.chunks(500) {
        let mut b = QueryBuilder::<Db>::new(
            "SELECT region_id, origin, id FROM system_targets WHERE region_id IN (",
        );
        let mut list = b.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        b.push(")");
        let rows: Vec<(i64, String, i64)> = b
            .build_query_as()
            .fetch_all(&mut **tx)
            .await
            .map_err(q("读取指标体系"))?;
        by_origin.extend(rows.into_iter().map(|(r, o, id)| ((r, o), id)));
    }
    // Keys are computed once per shared system, not once per region.
    let system_keys: Vec<Vec<String>> = set
        .systems
        .iter()
        .map(|s| s.iter().map(|t| t.state.indicator_key()).collect())
        .collect();
    let mut out = Vec::with_capacity(by_origin.len());
    for &(region_id, data) in regions {
        let shared = system_keys.get(data.system).into_iter().flatten().cloned();
        let own = data.extra.iter().map(|t| t.state.indicator_key());
        for (t, key) in set.targets(data).zip(shared.chain(own)) {
            let id = by_origin
                .get(&(region_id, t.origin.clone()))
                .copied()
                .ok_or_else(|| StoreError::Corrupt(format!("目标“{}”未写入", t.origin)))?;
            out.push((id, t, key));
        }
    }
    Ok(out)
}
