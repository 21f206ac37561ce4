//! `planwatch db backup|restore`: a consistent copy of the monitoring database while the
//! server runs, and loading it back (planwatch-store's `sql::backup`).

use super::db;
use super::target::DbArg;
use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use planwatch_store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

#[derive(Subcommand)]
pub enum DbCommand {
    /// 备份数据库到一个文件：服务运行时也可备份，包括刚导入的数据（SQLite 与 PostgreSQL 的备份格式相同）
    Backup(BackupArgs),
    /// 从备份文件恢复数据库：目标数据库须为空，或加 --replace 替换其中的全部数据
    Restore(RestoreArgs),
}

#[derive(Args)]
pub struct BackupArgs {
    /// 备份文件，如 备份/planwatch-2025-01-31.db（已存在时不覆盖，除非加 --force）
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArg,
    /// 覆盖已存在的备份文件
    #[arg(long)]
    pub force: bool,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// 用 `planwatch db backup` 生成的备份文件
    pub file: PathBuf,
    #[command(flatten)]
    pub db: DbArg,
    /// 替换目标数据库中已有的全部数据（在一个事务中完成：失败时原有数据不变）
    #[arg(long)]
    pub replace: bool,
}

pub fn run(cmd: DbCommand) -> Result<()> {
    db::runtime()?.block_on(async {
        match cmd {
            DbCommand::Backup(a) => backup(a).await,
            DbCommand::Restore(a) => restore(a).await,
        }
    })
}

fn url(arg: &DbArg) -> Option<&str> {
    arg.db.as_deref().map(str::trim).filter(|u| !u.is_empty())
}

/// Where the database is, for messages: the URL without its password, or the default file.
fn shown(url: Option<&str>) -> String {
    match url {
        Some(u) => planwatch_store::redact(u),
        None => db::data_dir().join("planwatch.db").display().to_string(),
    }
}

/// The database to back up, which must exist: opening a SQLite file that is not there
/// would create an empty one, and an office running the command in the wrong folder would
/// get an empty backup without noticing.
async fn open_existing(url: Option<&str>) -> Result<Arc<dyn Store>> {
    let file = match url {
        None => Some(db::data_dir().join("planwatch.db")),
        Some(u) => planwatch_store::sql::sqlite_file(u),
    };
    if let Some(file) = file
        && !file.exists()
    {
        bail!(
            "数据库文件 {} 不存在，没有可备份的数据。请在 planwatch 的工作目录中运行\
             （数据目录默认为 ./planwatch-data，或由 PLANWATCH_DATA_DIR 指定），或用 --db 指明数据库",
            file.display()
        );
    }
    db::open(url).await
}

fn size_zh(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MB {
        format!("{:.1} MB", bytes as f64 / MB)
    } else {
        format!("{:.0} KB", (bytes as f64 / 1024.0).ceil())
    }
}

async fn backup(args: BackupArgs) -> Result<()> {
    let url = url(&args.db);
    let store = open_existing(url).await?;
    let started = Instant::now();
    let report = store.backup(&args.file, args.force).await?;
    println!(
        "已备份 {} 到 {}（{}，用时 {:.2} 秒）",
        shown(url),
        report.file.display(),
        size_zh(report.bytes),
        started.elapsed().as_secs_f64()
    );
    println!("  {}", report.counts.summary_zh());
    println!("  请把备份文件另存一份到其他电脑或U盘；恢复：planwatch db restore 备份文件");
    Ok(())
}

async fn restore(args: RestoreArgs) -> Result<()> {
    let url = url(&args.db);
    let file: &Path = &args.file;
    let store = db::open(url).await?;
    let started = Instant::now();
    let report = store.restore(file, args.replace).await?;
    println!(
        "已从 {} 恢复到 {}（用时 {:.2} 秒）",
        file.display(),
        shown(url),
        started.elapsed().as_secs_f64()
    );
    println!("  {}", report.counts.summary_zh());
    if let Some(before) = report.replaced {
        println!("  替换了原有数据：{}", before.summary_zh());
    }
    Ok(())
}
