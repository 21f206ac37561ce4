//! The SQLite dialect: one file, what a county office runs on one machine with no database
//! administrator. The queries are in `queries/`, shared with PostgreSQL.
//!
//! A writer starts with `BEGIN IMMEDIATE`, so concurrent writers (the server and a
//! command-line import) queue on the file lock (up to the busy timeout, then
//! [`StoreError::Busy`]) instead of failing half way. Migrations run inside one such
//! transaction, so two processes opening a new file at once cannot race.

use super::{Cell, Rows, WriteLock};
use crate::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Connection, Transaction};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

// The same queries as the other dialect: compiling one file twice is the design.
#[allow(clippy::duplicate_mod)]
#[path = "queries/mod.rs"]
mod queries;

/// A [`crate::Store`] on a SQLite file.
pub use queries::SqlStore as SqliteStore;

pub(crate) type Db = sqlx::Sqlite;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a writer waits for another one before it gives up with [`StoreError::Busy`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Row locks are PostgreSQL's; a SQLite writer holds the whole file already.
pub(crate) const FOR_UPDATE: &str = "";
pub(crate) const FOR_SHARE: &str = "";
/// SQLite compares text byte by byte unless told otherwise.
pub(crate) const BYTE_ORDER: &str = "";

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
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect {
                url: label.to_string(),
                reason: e.to_string(),
            })?;
        migrate(&pool).await?;
        Ok(SqliteStore::new(pool, label.to_string()))
    }
}

pub(crate) async fn begin_write(
    pool: &sqlx::Pool<Db>,
    _lock: WriteLock,
) -> Result<Transaction<'static, Db>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// The source text's lines, in one multi-row statement per few hundred lines (SQLite
/// allows at most 32,766 bound values in one statement).
pub(crate) async fn insert_lines(
    tx: &mut Transaction<'_, Db>,
    document_id: i64,
    lines: &[String],
) -> Result<(), sqlx::Error> {
    for (chunk_no, chunk) in lines.chunks(500).enumerate() {
        let mut builder = sqlx::QueryBuilder::<Db>::new(
            "INSERT INTO document_lines (document_id, line_no, text) ",
        );
        builder.push_values(chunk.iter().enumerate(), |mut row, (i, text)| {
            row.push_bind(document_id)
                .push_bind((chunk_no * 500 + i + 1) as i64)
                .push_bind(text);
        });
        builder.build().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Many rows in multi-row INSERTs of up to 32,766 bound values (SQLite's limit per
/// statement); the statement text repeats, so SQLite prepares it once.
pub(crate) async fn bulk_insert<const C: usize>(
    tx: &mut Transaction<'_, Db>,
    rows: Rows<'_, C>,
) -> Result<(), sqlx::Error> {
    let head = format!("INSERT INTO {} ", rows.target());
    let per = (32_766 / C.max(1)).min(2_000);
    let mut iter = rows.rows.peekable();
    while iter.peek().is_some() {
        let batch: Vec<_> = iter.by_ref().take(per).collect();
        let n = batch.len() as u64;
        let mut builder = sqlx::QueryBuilder::<Db>::new(&head);
        builder.push_values(batch, |mut row, cells| {
            for cell in cells {
                match cell {
                    Cell::Int(v) => row.push_bind(v),
                    Cell::Float(v) => row.push_bind(v),
                    Cell::Text(v) => row.push_bind(v),
                    Cell::Bool(v) => row.push_bind(v),
                    Cell::Time(v) => row.push_bind(*v),
                    Cell::Null => row.push_bind(None::<i64>),
                };
            }
        });
        builder.build().execute(&mut **tx).await?;
        (rows.progress)(n);
    }
    Ok(())
}

/// SQLITE_BUSY and SQLITE_LOCKED with their extended codes: another writer holds the file
/// longer than the busy timeout.
pub(crate) fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(db) => db
            .code()
            .and_then(|c| c.parse::<i32>().ok())
            .is_some_and(|c| matches!(c & 0xff, 5 | 6)),
        _ => false,
    }
}

async fn migrate(pool: &sqlx::Pool<Db>) -> Result<(), StoreError> {
    let mut conn = pool
        .acquire()
        .await
        .map_err(|e| StoreError::query("检查数据库架构版本", e))?;
    // One writer at a time: a second process opening the same new file waits here until
    // the first has created the schema, then finds nothing left to do.
    let mut tx = conn
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(|e| StoreError::query("检查数据库架构版本", e))?;
    let has_table: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master \
         WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| StoreError::query("检查数据库架构版本", e))?;
    queries::check_schema_version(&mut tx, has_table, &MIGRATOR).await?;
    // Nested in our transaction, sqlx's per-migration transactions become savepoints.
    MIGRATOR
        .run_direct(&mut *tx)
        .await
        .map_err(|e| StoreError::Migrate(e.to_string()))?;
    tx.commit()
        .await
        .map_err(|e| StoreError::Migrate(e.to_string()))
}

/// The highest schema version this build knows.
pub(crate) fn supported_schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}
