//! A fresh database file per test, removed with its directory afterwards.

use crate::SqliteStore;
use planwatch_store::StoreError;

/// A new, migrated database in a temporary directory; keep the directory alive as long as
/// the store is used.
pub async fn fresh() -> Result<(SqliteStore, tempfile::TempDir), StoreError> {
    let dir = tempfile::tempdir().map_err(|e| StoreError::Connect {
        url: "临时目录".into(),
        reason: e.to_string(),
    })?;
    let store = SqliteStore::open_path(&dir.path().join("planwatch.db")).await?;
    Ok((store, dir))
}
