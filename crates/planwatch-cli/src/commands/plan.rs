use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use planwatch_core::PlanDocument;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum PlanCommand {
    /// 解析规划文件（.txt UTF-8/GB18030、.docx、.html、文字版 .pdf），输出指标体系
    Parse(ParseArgs),
    /// 将规划文件导入监测数据库（重复导入同一文件不产生变化；修订后的文件成为新版本）
    Import(ImportArgs),
    /// 从监测数据库输出某地区的规划（与 parse 相同的结构）
    Show(ShowArgs),
    /// 将规划中的每项目标映射到监测指标目录：指标 → 编码 → 目录名称 → 置信度
    Map(super::plan_map::MapArgs),
}

#[derive(Clone, Copy, ValueEnum, Default)]
pub enum Format {
    #[default]
    Json,
    Table,
}

#[derive(Args)]
pub struct ParseArgs {
    /// 规划文件
    pub file: PathBuf,
    /// 输出格式：json 或 table（中文表格）
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

#[derive(Args)]
pub struct ImportArgs {
    /// 规划文件（可多个）
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// 数据库地址：sqlite://路径 或 postgres://用户@主机:端口/库名（默认：数据目录中的 SQLite 文件）
    #[arg(
        long,
        value_name = "URL",
        env = "PLANWATCH_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: Option<String>,
}

#[derive(Args)]
pub struct ShowArgs {
    /// 地区：名称（唯一时）或路径，如 广东省/河源市/连平县
    pub region: String,
    /// 数据库地址：sqlite://路径 或 postgres://用户@主机:端口/库名（默认：数据目录中的 SQLite 文件）
    #[arg(
        long,
        value_name = "URL",
        env = "PLANWATCH_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: Option<String>,
    /// 输出格式：json 或 table（中文表格）
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
    /// 版本号（默认最新版）
    #[arg(long, value_name = "N")]
    pub version: Option<u32>,
}

pub fn run(cmd: PlanCommand) -> Result<()> {
    match cmd {
        PlanCommand::Parse(args) => {
            let (source, doc) = planwatch_ingest::parse_file(&args.file)?;
            print_warnings(&source);
            print_document(&doc, args.format)
        }
        PlanCommand::Import(args) => super::db::import(args),
        PlanCommand::Show(args) => super::db::show(args),
        PlanCommand::Map(args) => super::plan_map::run(args),
    }
}

/// What the reader repaired (a damaged byte, page furniture), on stderr so that the
/// JSON on stdout stays clean.
pub fn print_warnings(source: &planwatch_ingest::SourceText) {
    for w in &source.warnings {
        eprintln!("警告：{w}");
    }
}

pub fn print_document(doc: &PlanDocument, format: Format) -> Result<()> {
    match format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(doc)?)?,
        Format::Table => out!("{}", planwatch_ingest::extract::render::render(doc))?,
    }
    Ok(())
}
