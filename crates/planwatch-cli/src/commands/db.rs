//! Which database a command uses, and the commands that read and write plans in it.
//!
//! The database is `--db URL`, else `PLANWATCH_DATABASE_URL`, else a SQLite file
//! `planwatch.db` in the data directory (`PLANWATCH_DATA_DIR`, default `./planwatch-data`).

use super::plan::{ImportArgs, ShowArgs, print_document};
use anyhow::{Context, Result, bail};
use planwatch_store::system::Seeder;
use planwatch_store::{ImportOutcome, SourceDoc, SqliteStore, Store};
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
        Some(url) => Ok(planwatch_store::open(url).await?),
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
    // The plans and their targets in the region's indicator system, mapped onto the
    // catalog, in one transaction (targets seeded before keep people's edits).
    let catalog = super::target::catalog()?;
    let mapping = super::target::DocumentMapping::new(&catalog, doc, &source.lines);
    let map = |kind, line, indicator: &str| mapping.code(kind, line, indicator);
    let baseline = |kind, line, indicator: &str| mapping.baseline(kind, line, indicator);
    let seeder = Seeder {
        map: &map,
        baseline: &baseline,
    };
    let report = store.import_seeded(doc, &src, Some(&seeder)).await?;
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
    // Member units and who leads each new target, from the plan's responsible units and
    // the catalog's reporting departments; targets people assigned are left alone.
    let regions = store.regions().await?;
    if let Some(region) = regions.iter().find(|r| r.path == report.region_path) {
        let departments_of = |code: &str| -> Vec<String> {
            catalog
                .get(code)
                .map(|ind| {
                    ind.departments
                        .iter()
                        .map(|d| {
                            planwatch_catalog::departments::canonical(d)
                                .map_or_else(|| d.clone(), str::to_string)
                        })
                        .collect()
                })
                .unwrap_or_default()
        };
        let assigned = planwatch_store::member_units::seed_member_units(
            store,
            region.id,
            planwatch_catalog::departments::unit_names,
            departments_of,
        )
        .await?;
        if assigned > 0 {
            outln!("  成员单位：{assigned} 项目标已按规划和指标目录确定牵头单位")?;
        }
    }
    let (added, local) = (report.seeded, report.seeded_local);
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
                    // What the reader repaired is said before the import, on stderr.
                    super::plan::print_warnings(&source);
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
