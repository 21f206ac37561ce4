//! Which database a command uses, and the commands that read and write plans in it.
//!
//! The database is `--db URL`, else `PLANWATCH_DATABASE_URL`, else a SQLite file
//! `planwatch.db` in the data directory (`PLANWATCH_DATA_DIR`, default `./planwatch-data`).

use super::plan::{ImportArgs, ShowArgs, print_document};
use anyhow::{Context, Result, bail};
use planwatch_store::{ImportOutcome, SourceDoc, Store, StoreError};
use planwatch_store_postgres::PostgresStore;
use planwatch_store_sqlite::SqliteStore;
use std::path::PathBuf;
use std::sync::Arc;

/// The data directory: `PLANWATCH_DATA_DIR`, default `./planwatch-data`.
pub fn data_dir() -> PathBuf {
    std::env::var_os("PLANWATCH_DATA_DIR")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("planwatch-data"))
}

/// Opens the database at `url` (from `--db` or `PLANWATCH_DATABASE_URL`), or the default
/// SQLite file in the data directory, creating the directory when missing.
pub async fn open(url: Option<&str>) -> Result<Arc<dyn Store>> {
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) if url.starts_with("sqlite:") => Ok(Arc::new(SqliteStore::open(url).await?)),
        Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            Ok(Arc::new(PostgresStore::open(url).await?))
        }
        Some(url) => Err(StoreError::BadUrl {
            url: planwatch_store_postgres::redact(url),
            reason: "不支持的数据库类型".into(),
        }
        .into()),
        None => open_default().await,
    }
}

/// The SQLite file in the data directory.
pub async fn open_default() -> Result<Arc<dyn Store>> {
    let dir = data_dir();
    std::fs::create_dir_all(&dir).with_context(|| format!("无法创建数据目录 {}", dir.display()))?;
    Ok(Arc::new(
        SqliteStore::open_path(&dir.join("planwatch.db")).await?,
    ))
}

pub fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("无法启动异步运行时")
}

/// Imports one document that has been read; prints what happened to each plan.
pub async fn import_document(
    store: &dyn Store,
    source: &planwatch_ingest::SourceText,
    doc: &planwatch_core::PlanDocument,
) -> Result<bool> {
    let src = SourceDoc::new(source.name.clone(), source.lines.clone());
    let report = store.import(doc, &src).await?;
    let parts: Vec<String> = report
        .plans
        .iter()
        .map(|p| match p.outcome {
            ImportOutcome::Stored { version: 1 } => {
                format!("{}：已保存（第 1 版）", p.kind.label_zh())
            }
            ImportOutcome::Stored { version } => {
                format!("{}：已保存为新版本（第 {version} 版）", p.kind.label_zh())
            }
            ImportOutcome::Unchanged { version } => {
                format!("{}：未变化（第 {version} 版）", p.kind.label_zh())
            }
        })
        .collect();
    outln!(
        "{}  {}：{}",
        source.name,
        report.region_path,
        parts.join("；")
    )?;
    // The plans are stored; their targets now join the region's indicator system, mapped
    // onto the catalog (targets seeded before keep people's edits).
    let catalog = super::target::catalog()?;
    let (added, local) =
        super::target::seed_after_import(store, &catalog, doc, &source.lines).await?;
    if added > 0 {
        outln!(
            "  指标体系：新增 {added} 项目标，其中 {local} 项为地方指标（待审核：planwatch indicator review {}）",
            report.region_path
        )?;
    }
    Ok(!report.unchanged())
}

pub fn import(args: ImportArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = open(args.db.as_deref()).await?;
        let mut failed = 0usize;
        for file in &args.files {
            // A document that cannot be read is refused whole; the other files go on.
            match planwatch_ingest::parse_file(file) {
                Ok((source, doc)) => {
                    if let Err(e) = import_document(store.as_ref(), &source, &doc).await {
                        failed += 1;
                        eprintln!("错误：{}：{e:#}（未导入）", file.display());
                    }
                }
                Err(e) => {
                    failed += 1;
                    // The reader's errors name the file already.
                    eprintln!("错误：{e}（未导入）");
                }
            }
        }
        if failed > 0 {
            bail!(
                "{failed} 个文件未导入，其余 {} 个已处理",
                args.files.len() - failed
            );
        }
        Ok(())
    })
}

pub fn show(args: ShowArgs) -> Result<()> {
    runtime()?.block_on(async {
        let store = open(args.db.as_deref()).await?;
        let (_, doc) =
            planwatch_store::load_document_named(store.as_ref(), &args.region, args.version)
                .await?;
        print_document(&doc, args.format)
    })
}
