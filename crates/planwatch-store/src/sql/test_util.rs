//! Fresh databases for tests: a SQLite file in a temporary directory, or a database of its
//! own on the local PostgreSQL server, dropped afterwards, so that test runs never see each
//! other's data.

use super::{PostgresStore, SqliteStore};
use crate::StoreError;
use sqlx::Connection;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// The server the tests use: `PLANWATCH_TEST_POSTGRES_URL`, else the local one CI starts.
pub fn server_url() -> String {
    std::env::var("PLANWATCH_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string())
}

/// The URL of database `name` on the test server.
pub fn database_url(name: &str) -> String {
    let server = server_url();
    match server.rfind('/') {
        Some(i) if i > server.find("://").map(|s| s + 2).unwrap_or(0) => {
            format!("{}/{name}", &server[..i])
        }
        _ => format!("{server}/{name}"),
    }
}

/// Drops its database when dropped.
pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

impl TestDatabase {
    /// Creates an empty database with a name no other run uses.
    pub async fn create() -> Result<TestDatabase, StoreError> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "planwatch_test_{}_{}_{}",
            std::process::id(),
            nanos,
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let server = server_url();
        let mut admin =
            sqlx::PgConnection::connect(&server)
                .await
                .map_err(|e| StoreError::Connect {
                    url: format!(
                        "{server}（测试需要本机 127.0.0.1:5432 上的 PostgreSQL，见 README；\
                         或用 PLANWATCH_TEST_POSTGRES_URL 指定）"
                    ),
                    reason: e.to_string(),
                })?;
        sqlx::query(&format!("CREATE DATABASE \"{name}\""))
            .execute(&mut admin)
            .await
            .map_err(|e| StoreError::query("创建测试数据库", e))?;
        let _ = admin.close().await;
        let url = database_url(&name);
        Ok(TestDatabase { name, url })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime, which cannot block on async work: drop the
        // database from a thread with a runtime of its own.
        let handle = std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            rt.block_on(async move {
                if let Ok(mut admin) = sqlx::PgConnection::connect(&server_url()).await {
                    let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                    let _ = sqlx::query(&sql).execute(&mut admin).await;
                    let _ = admin.close().await;
                }
            });
        });
        let _ = handle.join();
    }
}

/// A new, migrated database in a temporary directory; keep the directory alive as long as
/// the store is used.
pub async fn fresh_sqlite() -> Result<(SqliteStore, tempfile::TempDir), StoreError> {
    let dir = tempfile::tempdir().map_err(|e| StoreError::Connect {
        url: "临时目录".into(),
        reason: e.to_string(),
    })?;
    let store = SqliteStore::open_path(&dir.path().join("planwatch.db")).await?;
    Ok((store, dir))
}

/// A new, migrated store on a PostgreSQL database of its own.
pub async fn fresh_postgres() -> Result<(PostgresStore, TestDatabase), StoreError> {
    let db = TestDatabase::create().await?;
    let store = PostgresStore::open(&db.url).await?;
    Ok((store, db))
}

/// The plans shipped with planwatch (`assets/plans/*.txt`), by name.
pub fn shipped_plans() -> std::io::Result<Vec<PathBuf>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/plans");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    Ok(files)
}

/// Marks the SQLite file at `path` (no store may have it open) as migrated by a planwatch
/// newer than this build.
pub async fn mark_future_schema(path: &Path) -> Result<(), sqlx::Error> {
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
    let mut conn = sqlx::SqliteConnection::connect_with(&options).await?;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
         execution_time) VALUES (99990101000000, 'from the future', 1, x'00', 0)",
    )
    .execute(&mut conn)
    .await?;
    conn.close().await
}
