//! The one implementation of [`Store`] for both databases.
//!
//! Every query is written once, in `queries/`. That folder is compiled twice, once inside
//! [`sqlite`] and once inside [`postgres`], each of which names its `Db` (sqlx's database
//! type) and the few things the two databases really do differently (the *dialect*): how a
//! write transaction queues behind another, row locks, byte-order collation, bulk loading,
//! migrations and backups. The queries use sqlx's native driver of each database (typed
//! times, `COPY` on PostgreSQL) rather than the `Any` driver, which would have to store
//! times as text and cannot bulk-load; the price is that `queries/` must compile against
//! both, which the compiler checks on every build.

use crate::bulk::Progress;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use std::sync::Arc;

pub mod backup;
pub mod postgres;
pub mod sqlite;
#[cfg(feature = "test-util")]
pub mod test_util;

pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

/// What a write transaction queues behind, so that two writers of the same kind never
/// race (for a version number, or to insert the same new value). SQLite serialises every
/// writer anyway (`BEGIN IMMEDIATE`); PostgreSQL takes a transaction-scoped advisory lock
/// per kind, leaving readers and other kinds of writers alone.
#[derive(Debug, Clone, Copy)]
pub(crate) enum WriteLock {
    /// Plan imports (and the seeding of the indicator system that goes with them).
    Plans,
    /// Reported values and their audit log.
    Observations,
    /// Edits of the indicator system: their row is locked by the query itself.
    Targets,
    /// Accounts, roles, tokens, member units and assignments (their version numbers),
    /// and the audit log.
    People,
    /// Reporting rounds and submissions: their rows are locked by the queries themselves.
    Rounds,
    /// Publications: the region's row is locked by the query itself, so that two
    /// publications of one region number their versions one after the other.
    Publications,
    /// A restore, which replaces everything: it queues behind every other writer.
    Everything,
}

impl WriteLock {
    /// Any numbers will do as long as no other code of ours takes the same advisory lock.
    /// Locks are always taken in this order, so two writers never wait for each other.
    pub(crate) fn keys(self) -> &'static [i64] {
        const PLANS: i64 = 0x706c_616e_7761_7463; // "planwatc"
        const OBSERVATIONS: i64 = 0x706c_616e_6f62_7376; // "planobsv"
        const PEOPLE: i64 = 0x706c_616e_7065_6f70; // "planpeop"
        match self {
            WriteLock::Plans => &[PLANS],
            WriteLock::Observations => &[OBSERVATIONS],
            WriteLock::Targets => &[],
            WriteLock::People => &[PEOPLE],
            WriteLock::Rounds => &[],
            WriteLock::Publications => &[],
            WriteLock::Everything => &[PLANS, OBSERVATIONS, PEOPLE],
        }
    }
}

/// One value of a row that a dialect's `bulk_insert` writes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'a> {
    Int(i64),
    Float(f64),
    Text(&'a str),
    Bool(bool),
    Time(&'a DateTime<Utc>),
    Null,
}

impl<'a> From<Option<&'a str>> for Cell<'a> {
    fn from(v: Option<&'a str>) -> Cell<'a> {
        v.map_or(Cell::Null, Cell::Text)
    }
}

impl From<Option<f64>> for Cell<'_> {
    fn from(v: Option<f64>) -> Self {
        v.map_or(Cell::Null, Cell::Float)
    }
}

impl From<Option<i32>> for Cell<'_> {
    fn from(v: Option<i32>) -> Self {
        v.map_or(Cell::Null, |v| Cell::Int(i64::from(v)))
    }
}

impl From<Option<bool>> for Cell<'_> {
    fn from(v: Option<bool>) -> Self {
        v.map_or(Cell::Null, Cell::Bool)
    }
}

/// Rows of one table for a dialect's `bulk_insert`, which writes them inside the caller's
/// transaction and tells `progress` after each batch. The queries say what to write; the
/// dialect how to write a lot of it fast.
pub(crate) struct Rows<'a, const C: usize> {
    pub table: &'static str,
    pub columns: [&'static str; C],
    pub rows: Box<dyn Iterator<Item = [Cell<'a>; C]> + Send + 'a>,
    pub progress: &'a Progress<'a>,
}

impl<const C: usize> Rows<'_, C> {
    /// "table (a, b, c)"
    pub(crate) fn target(&self) -> String {
        format!("{} ({})", self.table, self.columns.join(", "))
    }
}

/// Opens the database at `url`: `sqlite://PATH` (created when missing) or
/// `postgres://user@host:port/db`. Migrations are applied; a database written by a newer
/// planwatch is refused.
pub async fn open(url: &str) -> Result<Arc<dyn Store>, StoreError> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::open(url).await?))
    } else {
        Err(StoreError::BadUrl {
            url: redact(url),
            reason: "不支持的数据库类型".into(),
        })
    }
}

/// The file of a `sqlite:` URL; `None` for another database or a URL that does not parse
/// (opening it says why).
pub fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    use std::str::FromStr;
    if !url.starts_with("sqlite:") {
        return None;
    }
    sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .ok()
        .map(|o| o.get_filename().to_path_buf())
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}
