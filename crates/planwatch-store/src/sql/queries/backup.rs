//! Copying every table from one database to another (backups and restores), written once
//! for both: generic over [`TABLES`] and the columns each database declares, so that a
//! migration that adds a column needs nothing here.

use super::{Db, SqlStore, Tx, begin_write, q};
use crate::StoreError;
use crate::sql::WriteLock;
use crate::sql::backup::{
    APPEND_ONLY, Column, Dump, DumpSink, Kind, RestoreReport, Sink, TABLES, TableCounts, Value,
    is_bookkeeping, merge, open_backup,
};
use async_trait::async_trait;
use futures_util::TryStreamExt;
use sqlx::Row as _;
use std::path::Path;

type Conn = <Db as sqlx::Database>::Connection;

/// Bound values per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_BINDS: usize = 30_000;
/// Rows per statement, so that a batch of long texts stays small in memory.
const MAX_ROWS: usize = 1_000;

fn column_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| format!("\"{}\"", c.name))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The columns of `table` as this database declares them, in their order.
async fn columns(conn: &mut Conn, table: &str) -> Result<Vec<Column>, StoreError> {
    let rows: Vec<(String, String)> = sqlx::query_as(super::COLUMNS_SQL)
        .bind(table)
        .fetch_all(&mut *conn)
        .await
        .map_err(q("读取表结构"))?;
    if rows.is_empty() {
        return Err(StoreError::Corrupt(format!("数据库中没有表 {table}")));
    }
    rows.into_iter()
        .map(|(name, declared)| {
            Ok(Column {
                kind: Kind::declared(table, &name, &declared)?,
                name,
            })
        })
        .collect()
}

/// Every table must be one [`TABLES`] names, or the copy would silently leave it out.
async fn check_tables(conn: &mut Conn) -> Result<(), StoreError> {
    let tables: Vec<String> = sqlx::query_scalar(super::TABLES_SQL)
        .fetch_all(&mut *conn)
        .await
        .map_err(q("读取表的列表"))?;
    match tables
        .iter()
        .find(|t| !is_bookkeeping(t) && !TABLES.iter().any(|(known, _)| known == t))
    {
        Some(unknown) => Err(StoreError::Corrupt(format!(
            "数据库中的表 {unknown} 不在备份的表清单中（planwatch-store 的 sql/backup.rs），\
             无法完整备份。请报告此问题"
        ))),
        None => Ok(()),
    }
}

/// How many rows each table holds.
pub(crate) async fn table_counts(conn: &mut Conn) -> Result<TableCounts, StoreError> {
    let mut counts = TableCounts::default();
    for &(table, _) in TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut *conn)
            .await
            .map_err(q("统计各表行数"))?;
        counts.0.push((table.to_string(), n));
    }
    Ok(counts)
}

fn decode(row: &super::Row, table: &str, columns: &[Column]) -> Result<Vec<Value>, StoreError> {
    columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let value = match c.kind {
                Kind::Int => row.try_get(i).map(Value::Int),
                Kind::Real => row.try_get(i).map(Value::Real),
                Kind::Text => row.try_get(i).map(Value::Text),
                Kind::Bool => row.try_get(i).map(Value::Bool),
                Kind::Time => row.try_get(i).map(Value::Time),
            };
            value.map_err(|e| StoreError::Corrupt(format!("表 {table} 的列 {}：{e}", c.name)))
        })
        .collect()
}

/// Reads every table from `tx` (one snapshot) into `sink`, a batch of rows at a time, in
/// the order of [`TABLES`].
async fn copy_out(tx: &mut Tx<'_>, sink: &mut dyn Sink) -> Result<TableCounts, StoreError> {
    check_tables(tx).await?;
    let mut counts = TableCounts::default();
    for &(table, order) in TABLES {
        let source = columns(tx, table).await?;
        let target = sink.columns(table).await?;
        let columns = merge(table, &source, target.as_deref())?;
        let per_batch = (MAX_BINDS / columns.len()).clamp(1, MAX_ROWS);
        let sql = format!(
            "SELECT {} FROM {table} ORDER BY {order}",
            column_list(&columns)
        );
        let mut batch = Vec::with_capacity(per_batch);
        let mut copied = 0i64;
        let mut rows = sqlx::query(&sql).fetch(&mut **tx);
        while let Some(row) = rows.try_next().await.map_err(q("读取要复制的数据"))? {
            batch.push(decode(&row, table, &columns)?);
            if batch.len() == per_batch {
                sink.insert(table, &columns, &batch).await?;
                copied += batch.len() as i64;
                batch.clear();
            }
        }
        if !batch.is_empty() {
            sink.insert(table, &columns, &batch).await?;
            copied += batch.len() as i64;
        }
        counts.0.push((table.to_string(), copied));
    }
    Ok(counts)
}

/// Rows into a write transaction of this database, with the ids they had.
pub(crate) struct TxSink {
    tx: Tx<'static>,
}

impl TxSink {
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await.map_err(q("提交复制的数据"))
    }
}

#[async_trait]
impl Sink for TxSink {
    async fn columns(&mut self, table: &str) -> Result<Option<Vec<Column>>, StoreError> {
        columns(&mut self.tx, table).await.map(Some)
    }

    async fn insert(
        &mut self,
        table: &str,
        columns: &[Column],
        rows: &[Vec<Value>],
    ) -> Result<(), StoreError> {
        let mut builder = sqlx::QueryBuilder::<Db>::new(format!(
            "INSERT INTO {table} ({}){} ",
            column_list(columns),
            super::OVERRIDING
        ));
        builder.push_values(rows, |mut row, values| {
            for value in values {
                match value {
                    Value::Int(v) => row.push_bind(*v),
                    Value::Real(v) => row.push_bind(*v),
                    Value::Text(v) => row.push_bind(v.as_deref()),
                    Value::Bool(v) => row.push_bind(*v),
                    Value::Time(v) => row.push_bind(*v),
                };
            }
        });
        builder
            .build()
            .execute(&mut *self.tx)
            .await
            .map_err(|e| StoreError::query(format!("写入表 {table}"), e))?;
        Ok(())
    }
}

impl SqlStore {
    /// Copies every table, read in one snapshot while others go on writing, into `sink`.
    pub(crate) async fn copy_into(&self, sink: &mut dyn Sink) -> Result<TableCounts, StoreError> {
        let mut tx = self
            .pool
            .begin_with(super::SNAPSHOT)
            .await
            .map_err(q("开始读取数据库快照"))?;
        let counts = copy_out(&mut tx, sink).await?;
        // Nothing was written: ending the snapshot either way is the same.
        tx.rollback().await.map_err(q("结束读取数据库快照"))?;
        Ok(counts)
    }

    /// A write transaction for rows copied in, queued behind every other writer.
    pub(crate) async fn sink(&self) -> Result<TxSink, StoreError> {
        let tx = begin_write(&self.writer, WriteLock::Everything)
            .await
            .map_err(q("开始写入复制的数据"))?;
        Ok(TxSink { tx })
    }

    /// Every row of every table, read in one snapshot; with `like` (a dump of the other
    /// database) each column in the kind it has there, so that the two dumps compare.
    pub async fn dump(&self, like: Option<&Dump>) -> Result<Dump, StoreError> {
        let mut sink = DumpSink {
            like,
            out: Dump::default(),
        };
        self.copy_into(&mut sink).await?;
        Ok(sink.out)
    }
}

/// Loads the backup `file` into `store` in one transaction: refused when the database
/// holds data, unless `replace`, which deletes it first in the same transaction.
pub(super) async fn restore(
    store: &SqlStore,
    file: &Path,
    replace: bool,
) -> Result<RestoreReport, StoreError> {
    // The backup is checked and opened before the database is locked for writing.
    let (backup, _dir) = open_backup(file).await?;
    let result = load(store, &backup, replace).await;
    // Its connections end before its temporary folder is removed (on Windows an open
    // file cannot be).
    backup.pool().close().await;
    result
}

async fn load(
    store: &SqlStore,
    backup: &crate::SqliteStore,
    replace: bool,
) -> Result<RestoreReport, StoreError> {
    let mut sink = store.sink().await?;
    let before = table_counts(&mut sink.tx).await?;
    let replaced = if before.total() == 0 {
        None
    } else if replace {
        for &(table, _) in TABLES.iter().rev() {
            if APPEND_ONLY.contains(&table) {
                super::clear_append_only(&mut sink.tx, table)
                    .await
                    .map_err(|e| StoreError::query(format!("清空表 {table}"), e))?;
                continue;
            }
            sqlx::query(&format!("DELETE FROM {table}"))
                .execute(&mut *sink.tx)
                .await
                .map_err(|e| StoreError::query(format!("清空表 {table}"), e))?;
        }
        Some(before)
    } else {
        return Err(StoreError::TargetNotEmpty {
            target: store.label.clone(),
            regions: before.get("regions"),
            rows: before.total(),
        });
    };
    let counts = backup.copy_into(&mut sink).await?;
    for &(table, _) in TABLES {
        let has_id = columns(&mut sink.tx, table)
            .await?
            .iter()
            .any(|c| c.name == "id");
        if let (true, Some(sql)) = (has_id, super::reset_ids_sql(table)) {
            sqlx::query(&sql)
                .execute(&mut *sink.tx)
                .await
                .map_err(|e| StoreError::query(format!("重设表 {table} 的编号序列"), e))?;
        }
    }
    sink.commit().await?;
    Ok(RestoreReport { counts, replaced })
}
