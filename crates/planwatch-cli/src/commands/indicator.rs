//! `planwatch indicator list|show`: the monitoring catalog (catalog/indicators.toml).

use super::plan::Format;
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use planwatch_catalog::{Catalog, Indicator};
use planwatch_core::PlanKind;
use std::fmt::Write as _;

#[derive(Subcommand)]
pub enum IndicatorCommand {
    /// 列出监测指标目录（按规划类别和发展领域）
    List(ListArgs),
    /// 显示一个指标的定义、计算方法、单位、方向、分组口径、报送部门和数据来源
    Show(ShowArgs),
}

#[derive(Args)]
pub struct ListArgs {
    /// 只列出一类规划的指标：women（妇女）或 children（儿童）
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// 只列出一个发展领域，如 健康、参与决策和管理、法律保护
    #[arg(long)]
    pub domain: Option<String>,
    /// 输出格式：json 或 table（中文表格）
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args)]
pub struct ShowArgs {
    /// 指标编码，如 W-HEA-03
    pub code: String,
    /// 输出格式：json 或 table（中文）
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub fn run(cmd: IndicatorCommand) -> Result<()> {
    let catalog = Catalog::shipped().context("随附的指标目录无法加载")?;
    match cmd {
        IndicatorCommand::List(args) => list(&catalog, args),
        IndicatorCommand::Show(args) => show(&catalog, args),
    }
}

fn list(catalog: &Catalog, args: ListArgs) -> Result<()> {
    let kind = match args.kind.as_deref() {
        None => None,
        Some(k) => match PlanKind::parse(k) {
            Some(k) => Some(k),
            None => bail!("未知的规划类别“{k}”：应为 women（妇女）或 children（儿童）"),
        },
    };
    let rows: Vec<&Indicator> = catalog
        .indicators()
        .iter()
        .filter(|i| kind.is_none_or(|k| i.kind == k))
        .filter(|i| args.domain.as_deref().is_none_or(|d| i.domain == d))
        .collect();
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        Format::Table => {
            let mut out = String::from("编码\t领域\t指标名称\t单位\t方向\t报送部门\n");
            for i in &rows {
                let _ = writeln!(
                    out,
                    "{}{}\t{}\t{}\t{}\t{}\t{}",
                    i.code,
                    if i.retired { "（已停用）" } else { "" },
                    i.domain_label(),
                    i.name,
                    i.unit,
                    i.direction.label_zh(),
                    i.departments.join("、")
                );
            }
            let _ = writeln!(out, "\n共 {} 项指标。", rows.len());
            print!("{out}");
        }
    }
    Ok(())
}

fn show(catalog: &Catalog, args: ShowArgs) -> Result<()> {
    let Some(ind) = catalog.get(&args.code) else {
        bail!(
            "指标目录中没有编码“{}”。用 `planwatch indicator list` 查看所有编码。",
            args.code
        );
    };
    match args.format {
        Format::Json => {
            let mut value = serde_json::to_value(ind)?;
            if let Some(obj) = value.as_object_mut() {
                obj.insert("calculation".into(), ind.calculation().into());
                obj.insert("domain_label".into(), ind.domain_label().into());
            }
            println!("{}", serde_json::to_string_pretty(&value)?);
        }
        Format::Table => print!("{}", render(ind)),
    }
    // Seam: the per-region comparison (each region's targets for this code: value, year,
    // comparator, owner) is added here once imported plans and their mappings are in the
    // monitoring database.
    Ok(())
}

fn render(i: &Indicator) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", i.code, i.name);
    if i.retired {
        let _ = writeln!(out, "（已停用：编码保留，不再复用）");
    }
    let field = |out: &mut String, label: &str, value: &str| {
        if !value.is_empty() {
            let _ = writeln!(out, "{label}：{value}");
        }
    };
    field(&mut out, "规划与领域", &i.domain_label());
    field(&mut out, "也见于", &i.also_in.join("、"));
    field(&mut out, "别名", &i.aliases.join("、"));
    field(&mut out, "单位", &i.unit);
    field(&mut out, "方向", i.direction.label_zh());
    field(&mut out, "定义", &i.definition);
    field(&mut out, "计算方法", &i.calculation());
    let dis: Vec<&str> = i
        .disaggregations
        .iter()
        .map(|d| match d.as_str() {
            "sex" => "分性别",
            "urban_rural" => "分城乡",
            "age_group" => "分年龄组",
            other => other,
        })
        .collect();
    field(&mut out, "分组统计", &dis.join("、"));
    field(&mut out, "报送部门", &i.departments.join("、"));
    field(&mut out, "数据来源", &i.source);
    field(&mut out, "说明", i.note.as_deref().unwrap_or(""));
    out
}
