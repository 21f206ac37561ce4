use anyhow::Result;
use clap::{Args, Subcommand, ValueEnum};
use planwatch_core::PlanDocument;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum PlanCommand {
    /// 解析规划文件（.txt UTF-8/GB18030、.docx、.html），输出指标体系
    Parse(ParseArgs),
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

pub fn run(cmd: PlanCommand) -> Result<()> {
    match cmd {
        PlanCommand::Parse(args) => {
            let (_, doc) = planwatch_ingest::parse_file(&args.file)?;
            print_document(&doc, args.format)
        }
    }
}

pub fn print_document(doc: &PlanDocument, format: Format) -> Result<()> {
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(doc)?),
        Format::Table => print!("{}", planwatch_ingest::extract::render::render(doc)),
    }
    Ok(())
}
