//! The SQLite dialect: one file, what a county office runs on one machine with no database
//! administrator. The queries are in `queries/`, shared with PostgreSQL.
//!
//! A writer starts with `BEGIN IMMEDIATE`, so concurrent writers (the server and a
//! command-line import) queue on the file lock (up to the busy timeout, then
//! [`StoreError::Busy`]) instead of failing half way. Migrations run inside one such
//! transaction, so two processes opening a new file at once cannot race.

use super::backup::{Pending, same_file};
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
pub(crate) use queries::backup::table_counts;

pub(crate) type Db = sqlx::Sqlite;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// How long a writer waits for another one before it gives up with [`StoreError::Busy`].
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Row locks are PostgreSQL's; a SQLite writer holds the whole file already.
pub(crate) const FOR_UPDATE: &str = "";
pub(crate) const FOR_SHARE: &str = "";
/// SQLite compares text byte by byte unless told otherwise.
pub(crate) const BYTE_ORDER: &str = "";

/// A deferred transaction: in WAL mode it reads one snapshot, taken at its first read,
/// while writers go on.
pub(crate) const SNAPSHOT: &str = "BEGIN";
/// An explicit id is simply taken on SQLite.
pub(crate) const OVERRIDING: &str = "";
pub(crate) const TABLES_SQL: &str = "SELECT name FROM sqlite_master WHERE type = 'table'";
/// Each column's name and declared type.
pub(crate) const COLUMNS_SQL: &str = "SELECT name, type FROM pragma_table_info($1) ORDER BY cid";

/// Nothing to do after rows were copied in with their ids: a new row's id is one past the
/// highest, and `AUTOINCREMENT`'s counter (`sqlite_sequence`) follows the inserts.
pub(crate) fn reset_ids_sql(_table: &str) -> Option<String> {
    None
}

/// Empties an append-only table (a restore that replaces everything): its triggers, which
/// refuse every DELETE, are dropped for the delete and created again as they were, all in
/// the restore's transaction.
pub(crate) async fn clear_append_only(
    tx: &mut Transaction<'_, Db>,
    table: &str,
) -> Result<(), sqlx::Error> {
    let triggers: Vec<(String, String)> = sqlx::query_as(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1",
    )
    .bind(table)
    .fetch_all(&mut **tx)
    .await?;
    for (name, _) in &triggers {
        sqlx::query(&format!("DROP TRIGGER \"{name}\""))
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(&format!("DELETE FROM {table}"))
        .execute(&mut **tx)
        .await?;
    for (_, sql) in &triggers {
        sqlx::query(sql).execute(&mut **tx).await?;
    }
    Ok(())
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
            .busy_timeout(BUSY_TIMEOUT);
        // Switching a new file to WAL takes a lock that SQLite does not wait for: a second
        // process opening the same new file at that moment is told "database is locked"
        // at once. It waits and tries again, as a writer would.
        let started = std::time::Instant::now();
        let pool = loop {
            let attempt = SqlitePoolOptions::new()
                .max_connections(8)
                .acquire_timeout(BUSY_TIMEOUT)
                .connect_with(options.clone())
                .await;
            match attempt {
                Ok(pool) => break pool,
                Err(e) if is_busy(&e) && started.elapsed() < BUSY_TIMEOUT => {
                    tokio::time::sleep(Duration::from_millis(25)).await;
                }
                Err(e) => {
                    return Err(StoreError::Connect {
                        url: label.to_string(),
                        reason: e.to_string(),
                    });
                }
            }
        };
        migrate(&pool).await?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(BUSY_TIMEOUT)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Connect {
                url: label.to_string(),
                reason: e.to_string(),
            })?;
        Ok(SqliteStore::new(pool, writer, label.to_string()))
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

/// planwatch's SQLite migrations, which tell a planwatch backup from another file.
pub(crate) fn migrator() -> &'static sqlx::migrate::Migrator {
    &MIGRATOR
}

/// A consistent copy of the live file, the content still only in its `-wal` included:
/// `VACUUM INTO` reads one snapshot while writers go on, and writes a compact file in
/// rollback-journal mode that needs no `-wal` beside it. The path is bound as a parameter,
/// which SQLite allows here, so no quoting of it can go wrong.
pub(crate) async fn write_backup(store: &SqliteStore, pending: &Pending) -> Result<(), StoreError> {
    let main: String =
        sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
            .fetch_one(store.pool())
            .await
            .map_err(queries::q("读取数据库文件的位置"))?;
    if same_file(Path::new(&main), pending.file()) {
        return Err(StoreError::BackupOverDatabase {
            path: pending.file().display().to_string(),
        });
    }
    let dest = pending.path();
    let dest = dest.to_str().ok_or_else(|| StoreError::BackupFile {
        path: pending.file().display().to_string(),
        reason: "路径含有无法识别的字符：请换一个路径".into(),
    })?;
    sqlx::query("VACUUM INTO $1")
        .bind(dest)
        .execute(store.pool())
        .await
        .map_err(queries::q("写入备份"))?;
    Ok(())
}

/// The highest schema version this build knows.
pub(crate) fn supported_schema_version() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}
