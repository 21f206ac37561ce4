//! `planwatch plan map FILE`: each target of a plan → catalog code, name, confidence.

use super::plan::Format;
use anyhow::{Context, Result};
use clap::Args;
use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::{TargetMapping, coverage, map_document};
use std::fmt::Write as _;
use std::path::PathBuf;

#[derive(Args)]
pub struct MapArgs {
    /// 规划文件
    pub file: PathBuf,
    /// 输出格式：json（每项目标一条：line, indicator, code, confidence）或 table（中文表格）
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub format: Format,
}

pub fn run(args: MapArgs) -> Result<()> {
    let catalog = Catalog::shipped().context("随附的指标目录无法加载")?;
    let (source, doc) = planwatch_ingest::parse_file(&args.file)?;
    super::plan::print_warnings(&source);
    let mappings = map_document(&catalog, &doc, &source.lines);
    match args.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&mappings)?)?,
        Format::Table => out!("{}", render(&mappings))?,
    }
    Ok(())
}

/// The Chinese table: one row per target, then the coverage and the review list.
pub fn render(mappings: &[TargetMapping]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "行号\t规划\t部分\t规划中的指标\t编码\t目录指标名称\t置信度"
    );
    for t in mappings {
        let plan = match t.plan {
            planwatch_core::PlanKind::Women => "妇女",
            planwatch_core::PlanKind::Children => "儿童",
        };
        let section = match t.section {
            planwatch_core::Section::Main => "主要目标",
            planwatch_core::Section::Measure => "策略措施",
        };
        let (code, name, conf) = match (&t.code, t.parts.is_empty()) {
            (Some(code), _) => (
                code.clone(),
                t.name.clone().unwrap_or_default(),
                format!("{:.2}", t.confidence),
            ),
            (None, false) => (
                t.parts
                    .iter()
                    .map(|p| p.code.as_str())
                    .collect::<Vec<_>>()
                    .join("+"),
                format!(
                    "（未拆分的并列指标）{}",
                    t.parts
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                ),
                "—".into(),
            ),
            (None, true) => (
                "—".into(),
                "（未映射，作为本地指标待审核）".into(),
                "—".into(),
            ),
        };
        let _ = writeln!(
            out,
            "{}\t{plan}\t{section}\t{}\t{code}\t{name}\t{conf}",
            t.line, t.indicator
        );
    }
    let c = coverage(mappings);
    let pct = |n: usize| 100.0 * n as f64 / c.main.max(1) as f64;
    let _ = writeln!(
        out,
        "\n主要目标 {} 项：映射到目录 {} 项（{:.1}%），未拆分的并列指标 {} 项，未映射 {} 项（{:.1}%）。",
        c.main,
        c.mapped,
        pct(c.mapped),
        c.enumerations,
        c.unmapped,
        pct(c.unmapped)
    );
    let review: Vec<&TargetMapping> = mappings
        .iter()
        .filter(|t| t.code.is_none() && t.parts.is_empty())
        .collect();
    if !review.is_empty() {
        let _ = writeln!(out, "待审核的本地指标（含策略措施中的目标）：");
        for t in review {
            let _ = writeln!(out, "  第{}行  {}", t.line, t.indicator);
        }
    }
    out
}
