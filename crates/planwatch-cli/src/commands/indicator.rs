//! `planwatch indicator list|show|review`: the monitoring catalog (catalog/indicators.toml),
//! every region's targets for one indicator side by side, and a region's local indicators
//! awaiting review.

use super::plan::Format;
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use planwatch_catalog::mapping::Query;
use planwatch_catalog::propose::{Proposal, propose};
use planwatch_catalog::{Catalog, Indicator};
use planwatch_core::PlanKind;
use planwatch_store::system::{self, Change, SystemTarget};
use std::fmt::Write as _;

#[derive(Subcommand)]
pub enum IndicatorCommand {
    /// 列出监测指标目录（按规划类别和发展领域）
    List(ListArgs),
    /// 显示一个指标的定义、计算方法、单位、方向、分组口径、报送部门和数据来源
    Show(ShowArgs),
    /// 列出地区待审核的地方指标（未能映射到监测指标目录的目标）
    Review(ReviewArgs),
}

#[derive(Args)]
pub struct ReviewArgs {
    /// 地区：名称（唯一时）或路径，如 广东省/河源市/连平县
    pub region: String,
    #[command(flatten)]
    pub db: super::target::DbArg,
    /// 输出格式：json 或 table（中文表格）
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// 审核一项目标：采用建议的指标（默认第一条建议），或用 --code 指定
    #[arg(long, value_name = "编号")]
    pub accept: Option<i64>,
    /// 与 --accept 一起：采用的指标编码；local 表示确认为地方指标
    #[arg(long, value_name = "编码", requires = "accept")]
    pub code: Option<String>,
    /// 与 --accept 一起：审核人（必填）
    #[arg(long, value_name = "姓名", requires = "accept")]
    pub by: Option<String>,
    /// 与 --accept 一起：原因（必填）
    #[arg(long, value_name = "原因", requires = "accept")]
    pub why: Option<String>,
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
    /// 数据库地址，用于并列显示各地区该指标的目标（默认：数据目录中已有的 SQLite 文件）
    #[arg(
        long,
        value_name = "URL",
        env = "PLANWATCH_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: Option<String>,
}

pub fn run(cmd: IndicatorCommand) -> Result<()> {
    let catalog = Catalog::shipped().context("随附的指标目录无法加载")?;
    match cmd {
        IndicatorCommand::List(args) => list(&catalog, args),
        IndicatorCommand::Show(args) => show(&catalog, args),
        IndicatorCommand::Review(args) => review(&catalog, args),
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
        Format::Json => outln!("{}", serde_json::to_string_pretty(&rows)?)?,
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
            out!("{out}")?;
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
    let regions = compare(&args)?;
    match args.format {
        Format::Json => {
            let mut value = serde_json::to_value(ind)?;
            if let Some(obj) = value.as_object_mut() {
                obj.insert("calculation".into(), ind.calculation().into());
                obj.insert("domain_label".into(), ind.domain_label().into());
                if let Some(targets) = &regions {
                    obj.insert("targets".into(), serde_json::to_value(targets)?);
                }
            }
            outln!("{}", serde_json::to_string_pretty(&value)?)?;
        }
        Format::Table => {
            out!("{}", render(ind))?;
            if let Some(targets) = &regions {
                out!("{}", render_targets(targets))?;
            }
        }
    }
    Ok(())
}

/// Every region's live targets for the indicator, when there is a database to ask: `--db`
/// or `PLANWATCH_DATABASE_URL`, else the default SQLite file if it exists.
fn compare(args: &ShowArgs) -> Result<Option<Vec<SystemTarget>>> {
    let url = args.db.as_deref().map(str::trim).filter(|u| !u.is_empty());
    if url.is_none() && !super::db::data_dir().join("planwatch.db").is_file() {
        return Ok(None);
    }
    super::db::runtime()?.block_on(async {
        let store = super::db::open(url).await?;
        Ok(Some(store.targets_by_code(&args.code).await?))
    })
}

fn render_targets(targets: &[SystemTarget]) -> String {
    let mut out = String::from("\n各地区目标\n");
    if targets.is_empty() {
        out.push_str("（数据库中尚无地区的目标映射到该指标）\n");
        return out;
    }
    out.push_str(
        "地区\t规划\t规划中的指标\t比较符\t目标值\t单位\t年份\t责任单位\t约束性\t目标编号\n",
    );
    for t in targets {
        let s = &t.state;
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
            t.region_path,
            t.kind.label_zh(),
            s.indicator,
            s.comparator.as_str(),
            s.value,
            s.unit,
            s.year,
            s.owner.as_deref().unwrap_or("—"),
            match s.binding {
                Some(true) => "约束性",
                Some(false) => "预期性",
                None => "—",
            },
            t.id
        );
    }
    let regions: std::collections::BTreeSet<&str> =
        targets.iter().map(|t| t.region_path.as_str()).collect();
    let _ = writeln!(
        out,
        "\n共 {} 个地区的 {} 项目标。",
        regions.len(),
        targets.len()
    );
    out
}

/// The proposals for one target awaiting review.
fn proposals(catalog: &Catalog, t: &SystemTarget) -> Vec<Proposal> {
    let s = &t.state;
    propose(
        catalog,
        &Query {
            indicator: &s.indicator,
            unit: Some(s.unit.as_str()),
            kind: t.kind,
            domain: Some(s.domain.as_str()),
        },
    )
}

/// A target awaiting review with what is proposed for it.
struct Reviewed<'a> {
    target: &'a SystemTarget,
    proposals: Vec<Proposal>,
}

/// As `--format json` prints it: the target's fields and its `proposals`.
fn reviewed_json(rows: &[Reviewed]) -> Result<serde_json::Value> {
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let mut value = serde_json::to_value(r.target)?;
        if let Some(obj) = value.as_object_mut() {
            obj.insert("proposals".into(), serde_json::to_value(&r.proposals)?);
        }
        out.push(value);
    }
    Ok(serde_json::Value::Array(out))
}

fn review(catalog: &Catalog, args: ReviewArgs) -> Result<()> {
    super::db::runtime()?.block_on(async {
        let store = super::db::open(args.db.db.as_deref()).await?;
        let region = super::target::region(store.as_ref(), &args.region).await?;
        if let Some(id) = args.accept {
            return accept(catalog, store.as_ref(), &region, id, &args).await;
        }
        let local: Vec<SystemTarget> = store
            .system_targets(region.id)
            .await?
            .into_iter()
            .filter(|t| t.state.awaiting_review())
            .collect();
        let rows: Vec<Reviewed> = local
            .iter()
            .map(|t| Reviewed {
                target: t,
                proposals: proposals(catalog, t),
            })
            .collect();
        match args.format {
            Format::Json => outln!("{}", serde_json::to_string_pretty(&reviewed_json(&rows)?)?)?,
            Format::Table => {
                let mut out = format!(
                    "{}  待审核的地方指标（未映射到监测指标目录）\n编号\t规划\t领域\t指标\t目标\t年份\t原文行\n",
                    region.path
                );
                for r in &rows {
                    let t = r.target;
                    let s = &t.state;
                    let _ = writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{} {} {}\t{}\t{}",
                        t.id,
                        t.kind.label_zh(),
                        s.domain,
                        s.indicator,
                        s.comparator.as_str(),
                        s.value,
                        s.unit,
                        s.year,
                        t.line.map(|l| l.to_string()).unwrap_or_else(|| "—".into())
                    );
                    if r.proposals.is_empty() {
                        let _ = writeln!(out, "\t建议：目录中没有相近的指标");
                    }
                    for (i, p) in r.proposals.iter().enumerate() {
                        let _ = writeln!(
                            out,
                            "\t建议{}：{} {}\t把握{}（{}%）\t{}",
                            i + 1,
                            p.code,
                            p.name,
                            p.certainty_zh(),
                            p.percent(),
                            p.basis_zh()
                        );
                    }
                }
                let _ = writeln!(
                    out,
                    "\n共 {} 项。采用建议：planwatch indicator review {} --accept 编号 [--code 编码|local] --by 姓名 --why 原因",
                    rows.len(),
                    region.path
                );
                out!("{out}")?;
            }
        }
        Ok(())
    })
}

/// `--accept ID`: maps the target to `--code` (default: the top proposal) or, with
/// `--code local`, confirms it as a region-local indicator.
async fn accept(
    catalog: &Catalog,
    store: &dyn planwatch_store::Store,
    region: &planwatch_store::RegionRow,
    id: i64,
    args: &ReviewArgs,
) -> Result<()> {
    let change = Change::new(
        args.by.as_deref().unwrap_or(""),
        args.why.as_deref().unwrap_or(""),
    )?;
    let Some(target) = store
        .system_target(id)
        .await?
        .filter(|t| t.region_id == region.id)
    else {
        bail!("{} 没有编号为 {id} 的目标", region.path);
    };
    if !target.state.awaiting_review() {
        bail!(
            "目标 {id}（{}）不在待审核清单中：已映射或已确认为地方指标。更正编码请用 planwatch target map",
            target.state.indicator
        );
    }
    let code: Option<String> = match args.code.as_deref().map(str::trim) {
        Some("local" | "本地" | "地方") => None,
        Some(c) => match catalog.get(c) {
            Some(ind) if !ind.retired => Some(ind.code.clone()),
            _ => bail!("指标目录中没有编码“{c}”。用 `planwatch indicator list` 查看所有编码。"),
        },
        None => match proposals(catalog, &target).into_iter().next() {
            Some(p) => Some(p.code),
            None => bail!(
                "目标 {id}（{}）没有建议的指标：请用 --code 指定编码，或 --code local 确认为地方指标",
                target.state.indicator
            ),
        },
    };
    let t = system::map_target(store, region.id, id, code.as_deref(), &change).await?;
    let what = match (&t.state.code, code.as_deref().and_then(|c| catalog.get(c))) {
        (Some(c), Some(ind)) => format!("已归入 {c}（{}）", ind.name),
        _ => "已确认为地方指标".to_string(),
    };
    outln!(
        "目标 {id}（{}）{what}：第 {} 版，修改人 {}，原因：{}",
        t.state.indicator,
        t.version,
        t.changed_by,
        t.why
    )?;
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
