//! The PostgreSQL dialect: what a province or the nation runs for thousands of regions.
//! The queries are in `queries/`, shared with SQLite.
//!
//! Writers of one kind queue on a transaction-scoped advisory lock ([`WriteLock`]); every
//! lock wait is bounded by `lock_timeout`, after which the writer gets
//! [`StoreError::Busy`] instead of hanging. Migrations take sqlx's own advisory lock.

use super::backup::Pending;
use super::{Cell, Rows, WriteLock, redact};
use crate::{SqliteStore, StoreError};
use chrono::SecondsFormat;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Transaction};
use std::io::Write as _;
use std::str::FromStr;
use std::time::Duration;

// The same queries as the other dialect: compiling one file twice is the design.
#[allow(clippy::duplicate_mod)]
#[path = "queries/mod.rs"]
mod queries;

/// A [`crate::Store`] on a PostgreSQL database.
pub use queries::SqlStore as PostgresStore;

pub(crate) type Db = sqlx::Postgres;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a writer waits for a lock another one holds.
const LOCK_TIMEOUT: &str = "10s";

pub(crate) const FOR_UPDATE: &str = " FOR UPDATE OF t";
pub(crate) const FOR_SHARE: &str = " FOR SHARE OF t";
/// Keys sort byte by byte, as on SQLite, whatever the database's collation.
pub(crate) const BYTE_ORDER: &str = " COLLATE \"C\"";

/// One snapshot of the whole database for a backup, and a promise to write nothing.
pub(crate) const SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";
/// Ids copied from a backup are kept, also in `GENERATED ALWAYS` identity columns.
pub(crate) const OVERRIDING: &str = " OVERRIDING SYSTEM VALUE";
pub(crate) const TABLES_SQL: &str = "SELECT table_name::text FROM information_schema.tables \
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'";
/// Each column's name and declared type.
pub(crate) const COLUMNS_SQL: &str = "SELECT column_name::text, data_type::text \
     FROM information_schema.columns WHERE table_schema = current_schema() \
     AND table_name = $1 ORDER BY ordinal_position";

/// After rows were copied in with their ids, the table's identity sequence goes on after
/// the highest, or the next new row would take an id that is already there.
pub(crate) fn reset_ids_sql(table: &str) -> Option<String> {
    Some(format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
         COALESCE(MAX(id), 0) + 1, false) FROM {table}"
    ))
}

/// The backup of a PostgreSQL database is the SQLite file a SQLite database's backup is:
/// a scratch file migrated by planwatch's SQLite migrations, every table copied into it
/// from one read-only snapshot, then written out by SQLite's own backup (one compact,
/// self-contained file, as from a SQLite database). No `pg_dump` is needed on the
/// machine, one `restore` reads both, and an office can move from one database to the
/// other.
pub(crate) async fn write_backup(
    store: &PostgresStore,
    pending: &Pending,
) -> Result<(), StoreError> {
    let scratch = SqliteStore::open_path(&pending.scratch()).await?;
    let copied = async {
        let mut sink = scratch.sink().await?;
        store.copy_into(&mut sink).await?;
        sink.commit().await
    }
    .await;
    let written = match copied {
        Ok(()) => super::sqlite::write_backup(&scratch, pending).await,
        Err(e) => Err(e),
    };
    scratch.pool().close().await;
    written
}

/// Empties an append-only table (a restore that replaces everything): its triggers, which
/// refuse every DELETE, are switched off for the delete and on again, all in the restore's
/// transaction (planwatch's role owns its tables, which is all `ALTER TABLE` needs).
pub(crate) async fn clear_append_only(
    tx: &mut Transaction<'_, Db>,
    table: &str,
) -> Result<(), sqlx::Error> {
    for sql in [
        format!("ALTER TABLE {table} DISABLE TRIGGER USER"),
        format!("DELETE FROM {table}"),
        format!("ALTER TABLE {table} ENABLE TRIGGER USER"),
    ] {
        sqlx::query(&sql).execute(&mut **tx).await?;
    }
    Ok(())
}

impl PostgresStore {
    /// Connects to a `postgres://` URL and applies the migrations.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::BadUrl {
                url: redact(url),
                reason: e.to_string(),
            })?
            .options([("lock_timeout", LOCK_TIMEOUT)]);
        // One plain connection first: the pool would retry an unreachable server until its
        // timeout, where the user wants to hear at once that nothing answers.
        let probe = sqlx::PgConnection::connect_with(&options)
            .await
            .map_err(|e| StoreError::Connect {
                url: redact(url),
                reason: e.to_string(),
            })?;
        let _ = probe.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect {
                url: redact(url),
                reason: e.to_string(),
            })?;
        migrate(&pool).await?;
        Ok(PostgresStore::new(pool.clone(), pool, redact(url)))
    }
}

pub(crate) async fn begin_write(
    pool: &sqlx::Pool<Db>,
    lock: WriteLock,
) -> Result<Transaction<'static, Db>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    for &key in lock.keys() {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(key)
            .execute(&mut *tx)
            .await?;
    }
    Ok(tx)
}

/// The source text's lines in one statement.
pub(crate) async fn insert_lines(
    tx: &mut Transaction<'_, Db>,
    document_id: i64,
    lines: &[String],
) -> Result<(), sqlx::Error> {
    let numbers: Vec<i64> = (1..=lines.len() as i64).collect();
    sqlx::query(
        "INSERT INTO document_lines (document_id, line_no, text) \
         SELECT $1, n, t FROM UNNEST($2::int8[], $3::text[]) AS l (n, t)",
    )
    .bind(document_id)
    .bind(&numbers)
    .bind(lines)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Many rows with one `COPY … FROM STDIN` (text format), PostgreSQL's fastest way in,
/// sent in pieces of about a megabyte.
pub(crate) async fn bulk_insert<const C: usize>(
    tx: &mut Transaction<'_, Db>,
    rows: Rows<'_, C>,
) -> Result<(), sqlx::Error> {
    const PIECE: usize = 1 << 20;
    let mut copy = tx
        .copy_in_raw(&format!("COPY {} FROM STDIN", rows.target()))
        .await?;
    let mut buf: Vec<u8> = Vec::with_capacity(PIECE + 64 * 1024);
    let mut pending = 0u64;
    for row in rows.rows {
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                buf.push(b'\t');
            }
            copy_text(&mut buf, cell);
        }
        buf.push(b'\n');
        pending += 1;
        if buf.len() >= PIECE {
            copy.send(buf.as_slice()).await?;
            buf.clear();
            (rows.progress)(std::mem::take(&mut pending));
        }
    }
    if !buf.is_empty() {
        copy.send(buf.as_slice()).await?;
    }
    copy.finish().await?;
    (rows.progress)(pending);
    Ok(())
}

/// One value in COPY's text format. Floats print as the shortest text that reads back to
/// the same bits, which is what PostgreSQL's parser then stores.
fn copy_text(buf: &mut Vec<u8>, cell: &Cell<'_>) {
    // Writing into a Vec cannot fail.
    let _ = match *cell {
        Cell::Int(v) => write!(buf, "{v}"),
        Cell::Float(v) => write!(buf, "{v}"),
        Cell::Bool(v) => buf.write_all(if v { b"t" } else { b"f" }),
        Cell::Time(t) => buf.write_all(t.to_rfc3339_opts(SecondsFormat::Micros, true).as_bytes()),
        Cell::Null => buf.write_all(b"\\N"),
        Cell::Text(s) => {
            for b in s.bytes() {
                match b {
                    b'\\' => buf.extend_from_slice(b"\\\\"),
                    b'\t' => buf.extend_from_slice(b"\\t"),
                    b'\n' => buf.extend_from_slice(b"\\n"),
                    b'\r' => buf.extend_from_slice(b"\\r"),
                    _ => buf.push(b),
                }
            }
            Ok(())
        }
    };
}

/// lock_not_available (a lock wait beyond `lock_timeout`), or no connection free in time.
pub(crate) fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|c| c == "55P03"),
        _ => false,
    }
}

async fn migrate(pool: &sqlx::Pool<Db>) -> Result<(), StoreError> {
    let mut tx = pool
        .begin()
        .await
        .map_err(|e| StoreError::query("检查数据库架构版本", e))?;
    let has_table: bool = sqlx::query_scalar("SELECT to_regclass('_sqlx_migrations') IS NOT NULL")
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| StoreError::query("检查数据库架构版本", e))?;
    queries::check_schema_version(&mut tx, has_table, &MIGRATOR).await?;
    drop(tx);
    MIGRATOR
        .run(pool)
        .await
        .map_err(|e| StoreError::Migrate(e.to_string()))
}

/// The highest schema version this build knows.
pub(crate) fn supported_schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}
