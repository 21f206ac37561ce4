//! `planwatch region list`: the regions in the database with their parents and plan counts.

use super::db;
use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use serde_json::json;

#[derive(Subcommand)]
pub enum RegionCommand {
    /// 列出数据库中的地区、上级地区与规划数
    List(ListArgs),
}

#[derive(Clone, Copy, ValueEnum, Default)]
pub enum ListFormat {
    #[default]
    Table,
    Json,
}

#[derive(Args)]
pub struct ListArgs {
    /// 输出格式：table（中文表格）或 json
    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// 数据库地址：sqlite://路径 或 postgres://用户@主机:端口/库名（默认：数据目录中的 SQLite 文件）
    #[arg(
        long,
        value_name = "URL",
        env = "PLANWATCH_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: Option<String>,
}

pub fn run(cmd: RegionCommand) -> Result<()> {
    match cmd {
        RegionCommand::List(args) => list(args),
    }
}

fn list(args: ListArgs) -> Result<()> {
    let regions = db::runtime()?.block_on(async {
        let store = db::open(args.db.as_deref()).await?;
        anyhow::Ok(store.regions().await?)
    })?;
    match args.format {
        ListFormat::Json => {
            let rows: Vec<_> = regions
                .iter()
                .map(|r| {
                    json!({
                        "name": r.name,
                        "path": r.path,
                        "level": r.level.map(|l| l.as_str()),
                        "parents": r.parents(),
                        "plans": r.plan_count,
                        "generated": r.generated,
                    })
                })
                .collect();
            outln!("{}", serde_json::to_string_pretty(&rows)?)?;
        }
        ListFormat::Table => {
            if regions.is_empty() {
                outln!("数据库中还没有地区。可用 `planwatch plan import 文件…` 导入规划。")?;
            }
            outln!("地区\t级别\t上级\t规划数")?;
            for r in &regions {
                let level = r.level.map(|l| l.label_zh()).unwrap_or("—");
                let parents = r.parents().join(" / ");
                let parents = if parents.is_empty() {
                    "—".to_string()
                } else {
                    parents
                };
                let mark = if r.generated {
                    format!("（{}）", planwatch_store::monitoring::GENERATED_LABEL)
                } else {
                    String::new()
                };
                outln!(
                    "{}{}{mark}\t{level}\t{parents}\t{}",
                    "  ".repeat(r.depth()),
                    r.name,
                    r.plan_count
                )?;
            }
        }
    }
    Ok(())
}
