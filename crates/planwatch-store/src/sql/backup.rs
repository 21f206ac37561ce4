//! Backups (`planwatch db backup`, `planwatch db restore`): one format for both databases,
//! a SQLite file with planwatch's schema.
//!
//! On SQLite a backup is `VACUUM INTO` (one snapshot, the `-wal` content included, written
//! as one self-contained file while the server goes on); on PostgreSQL a fresh SQLite file
//! is migrated and every table copied into it from one read-only snapshot, so that no
//! `pg_dump` is needed and an office can move between the two databases. A restore copies
//! every table of a backup into the target database in one transaction.
//!
//! The copy is written once, in `queries/backup.rs`, generically over [`TABLES`] and their
//! columns as each database declares them. This module holds what does not depend on the
//! database: the table list, the values that cross from one database to the other, and the
//! backup file itself (written in a temporary folder beside its final name and renamed when
//! complete and checked; checked again before anything is restored from it).

use crate::{SqliteStore, StoreError};
use async_trait::async_trait;
use chrono::{DateTime, SubsecRound, Utc};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Every table of the schema, parents before children (the order rows are inserted in, and
/// deleted in reverse), each with the order its rows are read in: by primary key, regions
/// parents first (a parent's path is a prefix of its children's, so it is shorter).
///
/// Left out on purpose: `_sqlx_migrations`, each database's own record of its migrations
/// (their checksums differ between the two dialects; both sides of a copy are migrated to
/// this build's schema before it starts), and SQLite's own `sqlite_*` tables. A table that
/// is in the database and not here stops a copy ([`StoreError::Corrupt`]), so that a new
/// migration cannot be left out of backups unnoticed.
pub(crate) const TABLES: &[(&str, &str)] = &[
    ("regions", "LENGTH(path), id"),
    ("documents", "id"),
    ("document_lines", "document_id, line_no"),
    ("plans", "id"),
    ("plan_versions", "id"),
    ("indicators", "id"),
    ("responsible_units", "id"),
    ("plan_domains", "version_id, position"),
    ("targets", "version_id, position"),
    ("qualitative_targets", "version_id, position"),
    ("baselines", "version_id, position"),
    ("system_targets", "id"),
    ("system_target_versions", "target_id, version"),
    ("observations", "region_id, indicator_key, year"),
    ("observation_changes", "id"),
    ("users", "id"),
    ("member_units", "id"),
    ("user_roles", "id"),
    ("sessions", "id_hash"),
    ("api_tokens", "id"),
    ("login_failures", "id"),
    ("target_assignments", "target_id, version"),
    ("target_assignment_units", "target_id, version, unit_id"),
    ("audit_log", "id"),
    ("rounds", "id"),
    ("submissions", "id"),
    ("submission_values", "submission_id, indicator_key, part"),
    ("value_changes", "id"),
    ("publications", "id"),
];

/// Tables whose rows nothing may change or delete (triggers refuse it on both databases).
/// Only a restore that replaces the whole database empties them, through the dialect's
/// `clear_append_only`.
pub(crate) const APPEND_ONLY: &[&str] = &["audit_log", "value_changes", "publications"];

/// Tables of a database that are not data: migrations, and SQLite's own.
pub(crate) fn is_bookkeeping(table: &str) -> bool {
    table == "_sqlx_migrations" || table.starts_with("sqlite_")
}

/// What a column holds, whichever database it is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Int,
    Real,
    Text,
    Bool,
    /// A point in time: PostgreSQL's `timestamptz`; on SQLite the text sqlx writes for a
    /// `DateTime<Utc>`, which is how every query stores times there.
    Time,
}

impl Kind {
    /// A column's kind from the type its database declares: SQLite's `INTEGER`, `REAL`,
    /// `TEXT`, `BOOLEAN`; PostgreSQL's `bigint`, `double precision`, `text`, `boolean`,
    /// `timestamp with time zone`. SQLite has no time type, so its times are `TEXT` and
    /// [`merge`] takes their kind from the other side of a copy.
    pub(crate) fn declared(table: &str, column: &str, declared: &str) -> Result<Kind, StoreError> {
        let t = declared.to_ascii_uppercase();
        let kind = if t.contains("TIMESTAMP") {
            Kind::Time
        } else if t.contains("INT") {
            Kind::Int
        } else if t.contains("REAL") || t.contains("DOUBLE") || t.contains("FLOAT") {
            Kind::Real
        } else if t.contains("BOOL") {
            Kind::Bool
        } else if t.contains("TEXT") || t.contains("CHAR") {
            Kind::Text
        } else {
            return Err(StoreError::Corrupt(format!(
                "表 {table} 的列 {column} 的类型 {declared} 无法备份"
            )));
        };
        Ok(kind)
    }
}

/// A column as a copy reads and writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

/// One value on its way from one database to the other; `None` is SQL's NULL, typed by its
/// column so that PostgreSQL accepts it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Time(Option<DateTime<Utc>>),
}

/// The columns a copy moves: the source's, each with the kind both sides agree on (a time
/// on one side and text on the other is a time: SQLite keeps times as text). The two sides
/// must have the same columns; both are migrated to this build's schema first, so a
/// difference is a fault, not something to paper over.
pub(crate) fn merge(
    table: &str,
    source: &[Column],
    target: Option<&[Column]>,
) -> Result<Vec<Column>, StoreError> {
    let Some(target) = target else {
        return Ok(source.to_vec());
    };
    let mismatch = |what: String| {
        StoreError::Corrupt(format!(
            "备份与数据库的表结构不一致（表 {table}：{what}），未做任何修改"
        ))
    };
    if let Some(extra) = target
        .iter()
        .find(|t| !source.iter().any(|s| s.name == t.name))
    {
        return Err(mismatch(format!("缺少列 {}", extra.name)));
    }
    source
        .iter()
        .map(|s| {
            let Some(t) = target.iter().find(|t| t.name == s.name) else {
                return Err(mismatch(format!("多出列 {}", s.name)));
            };
            let kind = match (s.kind, t.kind) {
                (a, b) if a == b => a,
                (Kind::Time, Kind::Text) | (Kind::Text, Kind::Time) => Kind::Time,
                (a, b) => return Err(mismatch(format!("列 {} 的类型 {a:?} 与 {b:?}", s.name))),
            };
            Ok(Column {
                name: s.name.clone(),
                kind,
            })
        })
        .collect()
}

/// Where a copy puts the rows it reads: a transaction of the target database, or memory.
#[async_trait]
pub(crate) trait Sink: Send {
    /// The columns of `table` on this side, or `None` to take the source's.
    async fn columns(&mut self, table: &str) -> Result<Option<Vec<Column>>, StoreError>;
    /// Stores rows of `table`, their values in the order of `columns`.
    async fn insert(
        &mut self,
        table: &str,
        columns: &[Column],
        rows: &[Vec<Value>],
    ) -> Result<(), StoreError>;
}

/// How many rows each table holds, in [`TABLES`] order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TableCounts(pub Vec<(String, i64)>);

impl TableCounts {
    pub fn get(&self, table: &str) -> i64 {
        self.0
            .iter()
            .find(|(t, _)| t == table)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }

    pub fn total(&self) -> i64 {
        self.0.iter().map(|(_, n)| n).sum()
    }

    /// What an office recognises, in one line.
    pub fn summary_zh(&self) -> String {
        format!(
            "地区 {} 个，规划版本 {} 个（原文 {} 行），指标体系目标 {} 项（{} 个版本），\
             监测数据 {} 条（修改记录 {} 条）",
            self.get("regions"),
            self.get("plan_versions"),
            self.get("document_lines"),
            self.get("system_targets"),
            self.get("system_target_versions"),
            self.get("observations"),
            self.get("observation_changes"),
        )
    }
}

/// A backup written by [`crate::Store::backup`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub file: PathBuf,
    pub bytes: u64,
    /// The rows in the backup, counted in the finished file.
    pub counts: TableCounts,
}

/// A restore done by [`crate::Store::restore`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    /// The rows restored.
    pub counts: TableCounts,
    /// What the database held before, when `replace` replaced it.
    pub replaced: Option<TableCounts>,
}

/// Every row of every table, read in one snapshot: for comparing two databases.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dump {
    pub tables: BTreeMap<String, (Vec<Column>, Vec<Vec<Value>>)>,
}

impl Dump {
    /// The same rows with every time cut to whole microseconds, what PostgreSQL keeps:
    /// for comparing a SQLite database (nanoseconds) with a PostgreSQL one.
    pub fn in_microseconds(mut self) -> Dump {
        for (_, rows) in self.tables.values_mut() {
            for value in rows.iter_mut().flatten() {
                if let Value::Time(Some(t)) = value {
                    *t = t.trunc_subsecs(6);
                }
            }
        }
        self
    }
}

/// A [`Sink`] into memory, with the column kinds of another dump when given.
pub(crate) struct DumpSink<'a> {
    pub(crate) like: Option<&'a Dump>,
    pub(crate) out: Dump,
}

#[async_trait]
impl Sink for DumpSink<'_> {
    async fn columns(&mut self, table: &str) -> Result<Option<Vec<Column>>, StoreError> {
        Ok(self
            .like
            .and_then(|d| d.tables.get(table))
            .map(|(c, _)| c.clone()))
    }

    async fn insert(
        &mut self,
        table: &str,
        columns: &[Column],
        rows: &[Vec<Value>],
    ) -> Result<(), StoreError> {
        let entry = self
            .out
            .tables
            .entry(table.to_string())
            .or_insert_with(|| (columns.to_vec(), Vec::new()));
        entry.1.extend_from_slice(rows);
        Ok(())
    }
}

fn file_error(path: &Path, action: &str, err: impl std::fmt::Display) -> StoreError {
    StoreError::BackupFile {
        path: path.display().to_string(),
        reason: format!("{action}：{err}"),
    }
}

/// Whether two paths name the same existing file.
pub(crate) fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A backup being written: in a temporary folder beside its final name, so that the
/// rename at the end stays on one file system and a backup that fails or is killed half
/// way leaves nothing under the final name (the folder, with any `-wal` or `-shm` file
/// SQLite left in it, is removed when dropped).
pub(crate) struct Pending {
    dir: tempfile::TempDir,
    file: PathBuf,
    force: bool,
}

impl Pending {
    /// Refuses a `file` that exists (unless `force`) or is a folder, before any work.
    pub(crate) fn new(file: &Path, force: bool) -> Result<Pending, StoreError> {
        if file.is_dir() {
            return Err(file_error(
                file,
                "这是一个文件夹",
                "请给出备份文件的名称，如 备份/planwatch-2025-01-31.db",
            ));
        }
        if file.exists() && !force {
            return Err(StoreError::BackupExists {
                path: file.display().to_string(),
            });
        }
        let parent = match file.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        // Not created when missing: a backup folder on a USB drive that is not plugged in
        // must not quietly become a folder on the office's own disk.
        if !parent.is_dir() {
            return Err(file_error(
                file,
                &format!("文件夹 {} 不存在", parent.display()),
                "请先建立该文件夹，或检查U盘、移动硬盘是否已插好",
            ));
        }
        let dir = tempfile::Builder::new()
            .prefix(".planwatch-backup-")
            .tempdir_in(&parent)
            .map_err(|e| {
                file_error(
                    file,
                    "无法在其所在文件夹中写入（文件夹是否存在、是否有写权限）",
                    e,
                )
            })?;
        Ok(Pending {
            dir,
            file: file.to_path_buf(),
            force,
        })
    }

    /// Where the backup is written until it is complete.
    pub(crate) fn path(&self) -> PathBuf {
        self.dir.path().join("backup.db")
    }

    /// A scratch database beside it, removed with it.
    pub(crate) fn scratch(&self) -> PathBuf {
        self.dir.path().join("scratch.db")
    }

    /// The name the backup gets when complete.
    pub(crate) fn file(&self) -> &Path {
        &self.file
    }

    /// Checks the written backup (it opens, its pages are sound, it needs no `-wal`),
    /// counts its rows, and gives it its final name.
    pub(crate) async fn finish(self) -> Result<BackupReport, StoreError> {
        let path = self.path();
        let counts = check_written(&path).await?;
        let wal = self.dir.path().join("backup.db-wal");
        if wal.exists() {
            return Err(file_error(
                &self.file,
                "备份未能写成单个文件",
                "请重试；如仍失败，请报告此问题",
            ));
        }
        // Checked once more: another backup may have taken the name meanwhile.
        if self.file.exists() && !self.force {
            return Err(StoreError::BackupExists {
                path: self.file.display().to_string(),
            });
        }
        std::fs::rename(&path, &self.file).map_err(|e| file_error(&self.file, "无法保存", e))?;
        let bytes = std::fs::metadata(&self.file).map(|m| m.len()).unwrap_or(0);
        Ok(BackupReport {
            file: self.file,
            bytes,
            counts,
        })
    }
}

/// A read-only connection to a SQLite file.
async fn read_only(path: &Path, shown: &Path) -> Result<SqliteConnection, StoreError> {
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| file_error(shown, "无法打开", e))
}

async fn check_written(path: &Path) -> Result<TableCounts, StoreError> {
    let mut conn = read_only(path, path).await?;
    let check: String = sqlx::query_scalar("PRAGMA quick_check")
        .fetch_one(&mut conn)
        .await
        .map_err(|e| file_error(path, "无法检查刚写入的备份", e))?;
    if check != "ok" {
        return Err(file_error(path, "刚写入的备份已损坏", check));
    }
    let counts = crate::sql::sqlite::table_counts(&mut conn).await?;
    let _ = conn.close().await;
    Ok(counts)
}

/// Opens a backup for reading, changing nothing in it: checked to be a planwatch database
/// of a schema this build knows, copied into a temporary folder (kept alive as long as the
/// store is used) and opened there, which brings a backup of an older planwatch up to this
/// build's schema, as opening the database itself would.
pub(crate) async fn open_backup(
    file: &Path,
) -> Result<(SqliteStore, tempfile::TempDir), StoreError> {
    let not_a_backup = |reason: &str| StoreError::NotABackup {
        path: file.display().to_string(),
        reason: reason.to_string(),
    };
    let mut head = [0u8; 16];
    let mut f = std::fs::File::open(file).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => file_error(file, "文件不存在", "请检查路径"),
        _ => file_error(file, "无法读取", e),
    })?;
    if f.read_exact(&mut head).is_err() || &head != b"SQLite format 3\0" {
        return Err(not_a_backup("不是 SQLite 数据库文件"));
    }
    drop(f);
    let dir = tempfile::Builder::new()
        .prefix("planwatch-restore-")
        .tempdir()
        .map_err(|e| file_error(file, "无法在临时文件夹中准备恢复", e))?;
    let copy = dir.path().join("backup.db");
    std::fs::copy(file, &copy).map_err(|e| file_error(file, "无法复制到临时文件夹", e))?;
    // A database copied by hand together with its `-wal` file: SQLite reads the rows that
    // are only there when it opens the copy.
    let mut wal = file.as_os_str().to_owned();
    wal.push("-wal");
    if Path::new(&wal).exists() {
        std::fs::copy(&wal, dir.path().join("backup.db-wal"))
            .map_err(|e| file_error(file, "无法复制其 -wal 文件到临时文件夹", e))?;
    }

    let mut conn = read_only(&copy, file).await?;
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name IN ('_sqlx_migrations', 'regions')",
    )
    .fetch_all(&mut conn)
    .await
    .map_err(|_| not_a_backup("无法读取其中的表"))?;
    if tables.len() != 2 {
        return Err(not_a_backup("其中没有 planwatch 的数据表"));
    }
    let applied: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations WHERE success")
            .fetch_all(&mut conn)
            .await
            .map_err(|_| not_a_backup("无法读取其架构版本"))?;
    let _ = conn.close().await;
    let supported = SqliteStore::supported_schema_version();
    if let Some(found) = applied.iter().map(|(v, _)| *v).max()
        && found > supported
    {
        return Err(StoreError::BackupTooNew {
            path: file.display().to_string(),
            found,
            supported,
        });
    }
    // planwatch's own migrations, unchanged: a backup, or a planwatch database.
    let known = crate::sql::sqlite::migrator();
    let ours = |(version, checksum): &(i64, Vec<u8>)| {
        known
            .iter()
            .any(|m| m.version == *version && *m.checksum == **checksum)
    };
    if applied.is_empty() || !applied.iter().all(ours) {
        return Err(not_a_backup("其数据库架构不是 planwatch 的"));
    }
    let store = SqliteStore::open_path(&copy).await?;
    Ok((store, dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, kind: Kind) -> Column {
        Column {
            name: name.into(),
            kind,
        }
    }

    #[test]
    fn declared_types_of_both_databases() {
        let kinds: Vec<Kind> = [
            "INTEGER",
            "bigint",
            "REAL",
            "double precision",
            "TEXT",
            "text",
            "BOOLEAN",
            "boolean",
            "timestamp with time zone",
        ]
        .iter()
        .map(|t| Kind::declared("t", "c", t).expect(t))
        .collect();
        use Kind::*;
        assert_eq!(kinds, [Int, Int, Real, Real, Text, Text, Bool, Bool, Time]);
        let err = Kind::declared("t", "c", "BLOB").expect_err("unknown");
        assert!(err.to_string().contains("表 t 的列 c 的类型 BLOB"), "{err}");
    }

    #[test]
    fn a_time_on_one_side_is_a_time_on_both() {
        let sqlite = [col("id", Kind::Int), col("changed_at", Kind::Text)];
        let postgres = [col("changed_at", Kind::Time), col("id", Kind::Int)];
        let both = [col("id", Kind::Int), col("changed_at", Kind::Time)];
        assert_eq!(merge("t", &sqlite, Some(&postgres)).expect("merge"), both);
        assert_eq!(
            merge("t", &postgres, Some(&sqlite)).expect("merge"),
            [col("changed_at", Kind::Time), col("id", Kind::Int)]
        );
        assert_eq!(merge("t", &sqlite, None).expect("merge"), sqlite);
    }

    #[test]
    fn different_columns_are_refused() {
        let a = [col("id", Kind::Int), col("name", Kind::Text)];
        let b = [col("id", Kind::Int)];
        let err = merge("regions", &b, Some(&a)).expect_err("refused");
        assert!(err.to_string().contains("表 regions：缺少列 name"), "{err}");
        let err = merge("regions", &a, Some(&b)).expect_err("refused");
        assert!(err.to_string().contains("多出列 name"), "{err}");
        let c = [col("id", Kind::Int), col("name", Kind::Bool)];
        let err = merge("regions", &a, Some(&c)).expect_err("refused");
        assert!(err.to_string().contains("列 name 的类型"), "{err}");
    }
}
