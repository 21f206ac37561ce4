//! `planwatch target list|history|add|set|map|retire|restore`: a region's indicator system
//! as people maintain it (planwatch-store's `system`), and the seeding that follows
//! `plan import`.

use super::db;
use super::plan::Format;
use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use planwatch_catalog::Catalog;
use planwatch_catalog::baseline::plan_baselines;
use planwatch_catalog::mapping::map_document;
use planwatch_core::{Comparator, PlanDocument, PlanKind};
use planwatch_store::system::{self, Change, MappingState, SystemTarget, TargetPatch, TargetState};
use planwatch_store::{RegionRow, Store, resolve_region};
use std::collections::HashMap;
use std::fmt::Write as _;

#[derive(Subcommand)]
pub enum TargetCommand {
    /// 列出地区指标体系中的目标（编号、指标、编码、目标值、年份、责任单位、状态）
    List(ListArgs),
    /// 显示一项目标的全部版本：谁、何时、为何修改，以及每一版的内容
    History(IdArgs),
    /// 新增一项目标
    Add(AddArgs),
    /// 调整一项目标：目标值、年份、比较符、单位、责任单位、约束性、领域、指标名称、表述、基线
    Set(SetArgs),
    /// 确认或更正目标对应的监测指标编码（CODE 为 local 时改为地方指标）
    Map(MapArgs),
    /// 停用一项目标（已有监测数据且无其他目标承接时拒绝）
    Retire(ChangeArgs),
    /// 恢复一项已停用的目标
    Restore(ChangeArgs),
    /// 与上级目标对照：列出低于上级规划（市、省）或国家纲要同一年份目标的项目
    Check(CheckArgs),
}

#[derive(Args)]
pub struct DbArg {
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
pub struct WhoArgs {
    /// 修改人（必填）
    #[arg(long, value_name = "姓名")]
    pub by: String,
    /// 修改原因（必填）
    #[arg(long, value_name = "原因")]
    pub why: String,
}

#[derive(Args)]
pub struct ListArgs {
    /// 地区：名称（唯一时）或路径，如 广东省/河源市/连平县
    pub region: String,
    #[command(flatten)]
    pub db: DbArg,
    /// 输出格式：table（中文表格）或 json
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args)]
pub struct CheckArgs {
    /// 地区：名称（唯一时）或路径，如 广东省/河源市/连平县
    pub region: String,
    #[command(flatten)]
    pub db: DbArg,
    /// 输出格式：table（中文表格）或 json
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args)]
pub struct IdArgs {
    /// 地区：名称（唯一时）或路径
    pub region: String,
    /// 目标编号（见 `planwatch target list`）
    pub id: i64,
    #[command(flatten)]
    pub db: DbArg,
    /// 输出格式：table（中文表格）或 json
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

#[derive(Args)]
pub struct ChangeArgs {
    /// 地区：名称（唯一时）或路径
    pub region: String,
    /// 目标编号（见 `planwatch target list`）
    pub id: i64,
    #[command(flatten)]
    pub who: WhoArgs,
    #[command(flatten)]
    pub db: DbArg,
}

#[derive(Args)]
pub struct SetArgs {
    /// 地区：名称（唯一时）或路径
    pub region: String,
    /// 目标编号（见 `planwatch target list`）
    pub id: i64,
    /// 目标值
    #[arg(long)]
    pub value: Option<f64>,
    /// 目标年份
    #[arg(long)]
    pub year: Option<i32>,
    /// 比较符：>=、<=、>、<、=
    #[arg(long, value_parser = parse_comparator)]
    pub comparator: Option<Comparator>,
    /// 单位，如 %、‰、1/10万
    #[arg(long)]
    pub unit: Option<String>,
    /// 责任单位（给空字符串 "" 清除）
    #[arg(long)]
    pub owner: Option<String>,
    /// 是否约束性指标：true（约束性）或 false（预期性）
    #[arg(long)]
    pub binding: Option<bool>,
    /// 发展领域，如 妇女与健康
    #[arg(long)]
    pub domain: Option<String>,
    /// 指标名称
    #[arg(long)]
    pub indicator: Option<String>,
    /// 目标表述
    #[arg(long)]
    pub text: Option<String>,
    /// 基线年份（基期），与 --baseline-value 同时给出
    #[arg(
        long,
        value_name = "Y",
        requires = "baseline_value",
        conflicts_with = "clear_baseline"
    )]
    pub baseline_year: Option<i32>,
    /// 基线值（基期的数值，与目标同一单位），与 --baseline-year 同时给出
    #[arg(
        long,
        value_name = "V",
        requires = "baseline_year",
        conflicts_with = "clear_baseline"
    )]
    pub baseline_value: Option<f64>,
    /// 清除基线（此后以最早的监测数据为基线）
    #[arg(long)]
    pub clear_baseline: bool,
    #[command(flatten)]
    pub who: WhoArgs,
    #[command(flatten)]
    pub db: DbArg,
}

#[derive(Args)]
pub struct AddArgs {
    /// 地区：名称（唯一时）或路径
    pub region: String,
    /// 规划类别：women（妇女）或 children（儿童）
    #[arg(long, value_parser = parse_kind)]
    pub kind: PlanKind,
    /// 指标名称
    #[arg(long)]
    pub indicator: String,
    /// 监测指标编码（不填则为地方指标，列入待审核）
    #[arg(long)]
    pub code: Option<String>,
    /// 比较符：>=、<=、>、<、=
    #[arg(long, value_parser = parse_comparator)]
    pub comparator: Comparator,
    /// 目标值
    #[arg(long)]
    pub value: f64,
    /// 单位（不填时取指标目录中的单位）
    #[arg(long)]
    pub unit: Option<String>,
    /// 目标年份
    #[arg(long)]
    pub year: i32,
    /// 发展领域（不填时取指标目录中的领域）
    #[arg(long)]
    pub domain: Option<String>,
    /// 责任单位
    #[arg(long)]
    pub owner: Option<String>,
    /// 是否约束性指标：true 或 false
    #[arg(long)]
    pub binding: Option<bool>,
    /// 目标表述（不填时由指标、比较符、目标值和年份生成）
    #[arg(long)]
    pub text: Option<String>,
    /// 基线年份（基期），与 --baseline-value 同时给出
    #[arg(long, value_name = "Y", requires = "baseline_value")]
    pub baseline_year: Option<i32>,
    /// 基线值（基期的数值，与目标同一单位），与 --baseline-year 同时给出
    #[arg(long, value_name = "V", requires = "baseline_year")]
    pub baseline_value: Option<f64>,
    #[command(flatten)]
    pub who: WhoArgs,
    #[command(flatten)]
    pub db: DbArg,
}

#[derive(Args)]
pub struct MapArgs {
    /// 地区：名称（唯一时）或路径
    pub region: String,
    /// 目标编号（见 `planwatch target list`）
    pub id: i64,
    /// 监测指标编码（如 W-HEA-03）；local 表示地方指标
    pub code: String,
    #[command(flatten)]
    pub who: WhoArgs,
    #[command(flatten)]
    pub db: DbArg,
}

fn parse_comparator(s: &str) -> Result<Comparator, String> {
    Comparator::parse(s).ok_or_else(|| format!("未知的比较符“{s}”：应为 >=、<=、>、<、="))
}

fn parse_kind(s: &str) -> Result<PlanKind, String> {
    PlanKind::parse(s).ok_or_else(|| format!("未知的规划类别“{s}”：应为 women 或 children"))
}

pub fn run(cmd: TargetCommand) -> Result<()> {
    db::runtime()?.block_on(async {
        match cmd {
            TargetCommand::List(a) => list(a).await,
            TargetCommand::History(a) => history(a).await,
            TargetCommand::Add(a) => add(a).await,
            TargetCommand::Set(a) => set(a).await,
            TargetCommand::Map(a) => map(a).await,
            TargetCommand::Retire(a) => retire(a, true).await,
            TargetCommand::Restore(a) => retire(a, false).await,
            TargetCommand::Check(a) => check(a).await,
        }
    })
}

pub fn catalog() -> Result<Catalog> {
    Catalog::shipped().context("随附的指标目录无法加载")
}

/// Finds the region the user named.
pub async fn region(store: &dyn Store, query: &str) -> Result<RegionRow> {
    let regions = store.regions().await?;
    Ok(resolve_region(&regions, query)?.clone())
}

/// What `plan import` seeds a document's targets with: each target's catalog code (with
/// the mapper's confidence) and the baseline its plan states, keyed by (plan kind, source
/// line, indicator).
pub struct DocumentMapping {
    codes: HashMap<(PlanKind, u32, String), (String, f64)>,
    baselines: HashMap<(PlanKind, u32, String), (i32, f64)>,
}

impl DocumentMapping {
    pub fn new(catalog: &Catalog, doc: &PlanDocument, lines: &[String]) -> DocumentMapping {
        let codes: HashMap<(PlanKind, u32, String), (String, f64)> =
            map_document(catalog, doc, lines)
                .into_iter()
                .filter_map(|m| Some(((m.plan, m.line, m.indicator), (m.code?, m.confidence))))
                .collect();
        // The plan's baseline for each target, matched with the codes the targets get.
        let mut baselines = HashMap::new();
        for plan in &doc.plans {
            let code = |t: &planwatch_core::Target| {
                codes
                    .get(&(plan.kind, t.line, t.indicator.clone()))
                    .map(|(code, _)| code.clone())
            };
            for (t, b) in plan.targets.iter().zip(plan_baselines(catalog, plan, code)) {
                if let Some(b) = b {
                    baselines.insert((plan.kind, t.line, t.indicator.clone()), (b.year, b.value));
                }
            }
        }
        DocumentMapping { codes, baselines }
    }

    pub fn code(&self, kind: PlanKind, line: u32, indicator: &str) -> Option<(String, f64)> {
        self.codes
            .get(&(kind, line, indicator.to_string()))
            .cloned()
    }

    pub fn baseline(&self, kind: PlanKind, line: u32, indicator: &str) -> Option<(i32, f64)> {
        self.baselines
            .get(&(kind, line, indicator.to_string()))
            .copied()
    }
}

fn who(w: &WhoArgs) -> Result<Change> {
    Ok(Change::new(&w.by, &w.why)?)
}

fn check_code(catalog: &Catalog, code: &str) -> Result<()> {
    if catalog.get(code).is_none() {
        bail!("指标目录中没有编码“{code}”。用 `planwatch indicator list` 查看所有编码");
    }
    Ok(())
}

fn number(v: f64) -> String {
    // Plain decimals as people write them: 12, 92.5.
    let s = format!("{v}");
    s.trim_end_matches(".0").to_string()
}

fn binding_zh(b: Option<bool>) -> &'static str {
    match b {
        Some(true) => "约束性",
        Some(false) => "预期性",
        None => "",
    }
}

/// One line of the table `target list` prints.
pub fn row(t: &SystemTarget) -> String {
    let s = &t.state;
    format!(
        "{}\t{}\t{}\t{}\t{}\t{} {} {}\t{}\t{}\t{}\t{}\t{}\t第{}版",
        t.id,
        t.kind.label_zh(),
        s.domain,
        s.indicator,
        s.code.as_deref().unwrap_or("—"),
        s.comparator.as_str(),
        number(s.value),
        s.unit,
        s.year,
        s.baseline_zh().unwrap_or_else(|| "—".into()),
        s.owner.as_deref().unwrap_or("—"),
        binding_zh(s.binding),
        if s.retired {
            "已停用"
        } else {
            s.mapping.label_zh()
        },
        t.version
    )
}

const HEAD: &str = "编号\t规划\t领域\t指标\t编码\t目标\t年份\t基线\t责任单位\t约束性\t状态\t版本\n";

async fn list(a: ListArgs) -> Result<()> {
    let store = db::open(a.db.db.as_deref()).await?;
    let region = region(store.as_ref(), &a.region).await?;
    let targets = store.system_targets(region.id).await?;
    match a.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&targets)?)?,
        Format::Table => {
            let mut out = format!("{}  指标体系\n{HEAD}", region.path);
            for t in &targets {
                let _ = writeln!(out, "{}", row(t));
            }
            let live = targets.iter().filter(|t| !t.state.retired).count();
            let _ = writeln!(
                out,
                "\n共 {} 项目标（{} 项在用，{} 项已停用）。",
                targets.len(),
                live,
                targets.len() - live
            );
            out!("{out}")?;
        }
    }
    Ok(())
}

/// The national outlines as the level above every province.
pub fn outlines_level(catalog: &Catalog) -> Result<planwatch_core::evaluation::above::Above> {
    let targets =
        planwatch_catalog::outlines::shipped(catalog).context("随附的国家纲要目标无法加载")?;
    Ok(planwatch_catalog::outlines::as_level(&targets))
}

/// `target check`: a report, so it exits 0 whatever it finds.
async fn check(a: CheckArgs) -> Result<()> {
    let catalog = catalog()?;
    let outlines = outlines_level(&catalog)?;
    let store = db::open(a.db.db.as_deref()).await?;
    let region = region(store.as_ref(), &a.region).await?;
    let check =
        planwatch_store::above::check_region(store.as_ref(), &region, Some(outlines)).await?;
    match a.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&check)?)?,
        Format::Table => {
            let mut out = format!(
                "{}  与上级目标对照（对照：{}）\n",
                region.path,
                check.levels.join("、")
            );
            let listed: Vec<_> = check
                .pairs
                .iter()
                .filter(|p| p.outcome.needs_attention())
                .collect();
            if listed.is_empty() {
                out.push_str("没有低于上级目标的项目。\n");
            } else {
                out.push_str("编号\t指标\t年份\t本地区目标\t上级\t上级目标\t结果\t说明\n");
                for p in listed {
                    let _ = writeln!(
                        out,
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        p.lower.id.map(|i| i.to_string()).unwrap_or_default(),
                        p.lower.indicator,
                        p.lower.year,
                        p.lower.goal_zh(),
                        p.upper_name,
                        p.upper.goal_zh(),
                        p.outcome.label_zh(),
                        p.sentence
                    );
                }
            }
            let c = check.counts;
            let _ = write!(out, "\n低于上级目标的目标 {} 项", c.weaker_targets);
            if c.weaker > c.weaker_targets {
                let _ = write!(out, "（对照 {} 处）", c.weaker);
            }
            if c.differs > 0 {
                let _ = write!(out, "，与上级目标不一致 {} 项", c.differs);
            }
            let _ = writeln!(
                out,
                "，不低于上级目标 {} 项，无法比较 {} 项（年份或单位不同）。",
                c.not_weaker, c.not_comparable
            );
            out!("{out}")?;
        }
    }
    Ok(())
}

async fn history(a: IdArgs) -> Result<()> {
    let store = db::open(a.db.db.as_deref()).await?;
    let region = region(store.as_ref(), &a.region).await?;
    let versions = store.target_history(a.id).await?;
    if versions.first().is_none_or(|t| t.region_id != region.id) {
        bail!("地区“{}”没有编号为 {} 的目标", region.path, a.id);
    }
    match a.format {
        Format::Json => outln!("{}", serde_json::to_string_pretty(&versions)?)?,
        Format::Table => {
            let mut out = format!("{}  目标 {} 的修改历史\n", region.path, a.id);
            out.push_str("版本\t时间（UTC）\t修改人\t操作\t原因\t内容\n");
            for t in &versions {
                let s = &t.state;
                let _ = writeln!(
                    out,
                    "第{}版\t{}\t{}\t{}\t{}\t{} {} {}{} {}年 {} {} {}{}{}",
                    t.version,
                    t.changed_at.format("%Y-%m-%d %H:%M"),
                    t.changed_by,
                    t.action.label_zh(),
                    t.why,
                    s.indicator,
                    s.code.as_deref().unwrap_or("（地方指标）"),
                    s.comparator.as_str(),
                    number(s.value),
                    s.year,
                    s.unit,
                    s.owner.as_deref().unwrap_or(""),
                    binding_zh(s.binding),
                    s.baseline_zh()
                        .map(|b| format!(" 基线 {b}"))
                        .unwrap_or_default(),
                    if s.retired { " 已停用" } else { "" }
                );
            }
            out!("{out}")?;
        }
    }
    Ok(())
}

fn done(what: &str, t: &SystemTarget) -> Result<()> {
    outln!("{what}（第 {} 版）：", t.version)?;
    outln!("{HEAD}{}", row(t))?;
    Ok(())
}

async fn add(a: AddArgs) -> Result<()> {
    let change = who(&a.who)?;
    let catalog = catalog()?;
    let entry = match a.code.as_deref() {
        Some(code) => {
            check_code(&catalog, code)?;
            catalog.get(code)
        }
        None => None,
    };
    let unit = a
        .unit
        .clone()
        .or_else(|| entry.map(|e| e.unit.clone()))
        .unwrap_or_default();
    let domain = match (&a.domain, entry) {
        (Some(d), _) => d.clone(),
        (None, Some(e)) => e.domain.clone(),
        (None, None) => bail!("请用 --domain 指明发展领域（地方指标无法从指标目录推断）"),
    };
    let text = a.text.clone().unwrap_or_else(|| {
        format!(
            "到{}年{}{}{}{}",
            a.year,
            a.indicator,
            a.comparator.as_str(),
            number(a.value),
            unit
        )
    });
    let state = TargetState {
        domain,
        indicator: a.indicator.clone(),
        code: a.code.clone(),
        confidence: if a.code.is_some() { 1.0 } else { 0.0 },
        mapping: if a.code.is_some() {
            MappingState::Confirmed
        } else {
            MappingState::Local
        },
        comparator: a.comparator,
        value: a.value,
        unit,
        year: a.year,
        owner: a.owner.clone().filter(|o| !o.trim().is_empty()),
        binding: a.binding,
        text,
        retired: false,
        baseline_year: a.baseline_year,
        baseline_value: a.baseline_value,
    };
    let store = db::open(a.db.db.as_deref()).await?;
    let region = region(store.as_ref(), &a.region).await?;
    let t = system::add_target(store.as_ref(), region.id, a.kind, &state, &change).await?;
    done(&format!("已新增目标 {}", t.id), &t)
}

async fn set(a: SetArgs) -> Result<()> {
    let change = who(&a.who)?;
    let patch = TargetPatch {
        domain: a.domain.clone(),
        indicator: a.indicator.clone(),
        comparator: a.comparator,
        value: a.value,
        unit: a.unit.clone(),
        year: a.year,
        owner: a
            .owner
            .as_ref()
            .map(|o| Some(o.trim().to_string()).filter(|o| !o.is_empty())),
        binding: a.binding.map(Some),
        text: a.text.clone(),
        baseline: if a.clear_baseline {
            Some(None)
        } else {
            a.baseline_year.zip(a.baseline_value).map(Some)
        },
    };
    let store = db::open(a.db.db.as_deref()).await?;
    let region = region(store.as_ref(), &a.region).await?;
    let t = system::edit_target(store.as_ref(), region.id, a.id, &patch, &change).await?;
    done(&format!("已调整目标 {}", t.id), &t)
}

async fn map(a: MapArgs) -> Result<()> {
    let change = who(&a.who)?;
    let code = match a.code.trim() {
        "local" | "本地" | "地方" => None,
        code => {
            check_code(&catalog()?, code)?;
            Some(code)
        }
    };
    let store = db::open(a.db.db.as_deref()).await?;
    let region = region(store.as_ref(), &a.region).await?;
    let t = system::map_target(store.as_ref(), region.id, a.id, code, &change).await?;
    done(
        &format!("目标 {} 的映射：{}", t.id, t.state.mapping.label_zh()),
        &t,
    )
}

async fn retire(a: ChangeArgs, retire: bool) -> Result<()> {
    let change = who(&a.who)?;
    let store = db::open(a.db.db.as_deref()).await?;
    let region = region(store.as_ref(), &a.region).await?;
    let t = system::set_retired(store.as_ref(), region.id, a.id, retire, &change).await?;
    let what = if retire { "已停用" } else { "已恢复" };
    done(&format!("{what}目标 {}", t.id), &t)
}
