//! `planwatch report`: a region's annual monitoring report, mid-term or final evaluation,
//! member units' publication or upward report, as Word, Excel or a web page.

use super::db;
use anyhow::{Context, Result};
use clap::{Args, ValueEnum};
use planwatch_core::reporting::{Report, ReportKind, build};
use planwatch_export::report::{docx, html, xlsx};
use std::path::PathBuf;

#[derive(Clone, Copy, ValueEnum)]
pub enum KindArg {
    /// 年度监测报告
    Annual,
    /// 中期评估报告
    Midterm,
    /// 终期评估报告
    Final,
    /// 成员单位重点指标监测情况
    Units,
    /// 向上级妇儿工委的年度报告（含下级地区）
    Upward,
}

impl From<KindArg> for ReportKind {
    fn from(k: KindArg) -> ReportKind {
        match k {
            KindArg::Annual => ReportKind::Annual,
            KindArg::Midterm => ReportKind::Midterm,
            KindArg::Final => ReportKind::Final,
            KindArg::Units => ReportKind::Units,
            KindArg::Upward => ReportKind::Upward,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormat {
    /// Word 文档
    Docx,
    /// Excel 工作簿
    Xlsx,
    /// 网页（单个文件，可离线打开）
    Html,
    /// 报告内容（JSON）
    Json,
}

impl ReportFormat {
    fn extension(self) -> &'static str {
        match self {
            ReportFormat::Docx => "docx",
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Html => "html",
            ReportFormat::Json => "json",
        }
    }
}

#[derive(Args)]
pub struct ReportArgs {
    /// 地区：名称（唯一时）或路径
    #[arg(long, value_name = "地区")]
    pub region: String,
    /// 报告年份：该年及以前的数据参与判断
    #[arg(long, value_name = "年份")]
    pub year: i32,
    /// 报告种类
    #[arg(long, value_enum, default_value = "annual")]
    pub kind: KindArg,
    /// 文件格式
    #[arg(long, value_enum, default_value = "docx")]
    pub format: ReportFormat,
    /// 写到哪个文件；省略时按报告标题在当前目录命名
    #[arg(long, value_name = "文件")]
    pub out: Option<PathBuf>,
    /// 数据库地址：sqlite://路径 或 postgres://用户@主机:端口/库名
    #[arg(
        long,
        value_name = "URL",
        env = "PLANWATCH_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: Option<String>,
}

/// "2026年12月3日", the day in China.
pub fn issued_on() -> String {
    let today = planwatch_web::today_in_china();
    today.format("%Y年%-m月%-d日").to_string()
}

/// The report's bytes in `format`.
pub fn render(report: &Report, format: ReportFormat) -> Result<Vec<u8>> {
    Ok(match format {
        ReportFormat::Docx => docx::write(report)?,
        ReportFormat::Xlsx => xlsx::write(report)?,
        ReportFormat::Html => html::document(report).into_bytes(),
        ReportFormat::Json => serde_json::to_vec_pretty(report)?,
    })
}

/// A file name from the title: what a clerk would call it, without characters that file
/// systems refuse.
fn file_name(report: &Report, format: ReportFormat) -> String {
    let stem: String = report
        .title
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{stem}.{}", format.extension())
}

pub fn run(args: ReportArgs) -> Result<()> {
    let kind = ReportKind::from(args.kind);
    let report = db::runtime()?.block_on(async {
        let store = db::open(args.db.as_deref()).await?;
        let region = super::target::region(store.as_ref(), &args.region).await?;
        let input = planwatch_store::reporting::report_input(
            store.as_ref(),
            &region,
            kind,
            args.year,
            issued_on(),
        )
        .await?;
        anyhow::Ok(build(&input)?)
    })?;
    let bytes = render(&report, args.format)?;
    let path = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(file_name(&report, args.format)));
    write_whole(&path, &bytes)?;
    outln!("已写入 {}（{}）", path.display(), report.title)?;
    Ok(())
}

/// Writes beside the target and renames, so a failed run leaves no half file.
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("无法在 {} 中写文件", dir.display()))?;
    std::io::Write::write_all(&mut tmp, bytes)
        .with_context(|| format!("写入 {} 失败", path.display()))?;
    // A report is for sharing: readable by others, as a file saved from Word would be.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))
            .with_context(|| format!("写入 {} 失败", path.display()))?;
    }
    tmp.persist(path)
        .with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}
