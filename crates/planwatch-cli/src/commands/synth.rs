//! `planwatch synth`: a deterministic synthetic data set, either in the plain-file form
//! (`--out DIR`) or loaded into the monitoring database (`--db URL`: real regions of the
//! gazetteer with the shipped plans' indicator systems and values, `planwatch_store::synth`).

use super::db;
use anyhow::{Context, Result, bail};
use clap::{ArgGroup, Args};
use indicatif::{ProgressBar, ProgressStyle};
use planwatch_core::demo::DemoOptions;
use planwatch_plainfile::synth::{SynthOptions as PlainOptions, synth_to_dir};
use planwatch_store::synth::{SynthOptions, Template, max_regions, national_set};
use planwatch_store::system::Seeder;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Args)]
#[command(group(ArgGroup::new("dest").required(true).args(["out", "db"])))]
pub struct SynthArgs {
    /// 地区数。写入数据库时为带指标体系与数据的地区数：先县级（全国 2978 个），再地级，至多 3311 个
    #[arg(long, value_name = "N")]
    pub regions: u32,
    /// 每个地区的指标数（仅用于 --out，如 150）
    #[arg(long, value_name = "M", requires = "out")]
    pub indicators: Option<u32>,
    /// 随机种子：相同参数总是生成相同的数据
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// 输出目录：写入 observations.csv 与 targets.csv
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// 写入数据库：sqlite://路径 或 postgres://用户@主机:端口/库名。须明确给出（不读取 PLANWATCH_DATABASE_URL，以免误写入正式数据库）；只新建地区，已有的地区一律不写
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// 数据年份（仅用于 --db），默认 2016-2025：各种状态按末年判断
    #[arg(long, value_name = "起-止", requires = "db")]
    pub years: Option<String>,
}

pub fn run(args: SynthArgs) -> Result<()> {
    if args.regions == 0 {
        bail!("--regions 须大于 0");
    }
    match (&args.db, &args.out) {
        (Some(url), _) => to_database(&args, url),
        (None, Some(out)) => to_files(&args, out),
        (None, None) => bail!("请用 --db 指定数据库，或用 --out 指定输出目录"),
    }
}

fn to_files(args: &SynthArgs, out: &Path) -> Result<()> {
    let Some(indicators) = args.indicators.filter(|&m| m > 0) else {
        bail!("写出文件（--out）时须用 --indicators 给出每个地区的指标数（大于 0）");
    };
    let opts = PlainOptions {
        regions: args.regions,
        indicators,
        seed: args.seed,
    };
    let stats = synth_to_dir(&opts, out)?;
    eprintln!(
        "已生成{}个观测值、{}项目标，写入 {}",
        stats.observations,
        stats.targets,
        out.display()
    );
    Ok(())
}

fn to_database(args: &SynthArgs, url: &str) -> Result<()> {
    let years = parse_years(args.years.as_deref().unwrap_or("2016-2025"))?;
    let max = max_regions();
    if args.regions as usize > max {
        bail!(
            "--regions 至多 {max}（全国县级与地级地区数），而不是 {}",
            args.regions
        );
    }
    let opts = SynthOptions {
        regions: args.regions as usize,
        seed: args.seed,
        years,
    };
    let started = Instant::now();
    db::runtime()?.block_on(async {
        // Open first: a wrong address is said before any work is done.
        let store = planwatch_store::open(url).await?;
        let templates = templates()?;
        let bar = progress(opts.regions as u64, "生成合成数据", "个地区");
        let set = national_set(&templates, &opts, &|n| bar.inc(n));
        bar.finish_and_clear();
        let set = set?;
        let bar = progress(set.row_count(), "写入数据库", "行");
        let report = store.bulk_load(&set, &|n| bar.inc(n)).await;
        bar.finish_and_clear();
        let report = report?;
        let counties = set
            .with_data()
            .filter(|(r, _)| r.level == planwatch_core::Level::County)
            .count();
        println!(
            "已写入合成数据：{} 个地区（县级 {counties} 个、地级 {} 个；新建上级地区：省级 {} 个、地级 {} 个），\
             目标 {} 项，监测数据 {} 条（{}—{}年，来源“{}”，标为演示数据），用时 {:.1} 秒",
            report.regions,
            report.regions - counties,
            report.parents_created[0],
            report.parents_created[1],
            report.targets,
            report.values,
            years.first_year(),
            years.report_year(),
            planwatch_store::synth::SYNTH_LABEL,
            started.elapsed().as_secs_f64()
        );
        Ok(())
    })
}

/// "2016-2025" (also with — or –).
fn parse_years(s: &str) -> Result<DemoOptions> {
    let (a, b) = s
        .trim()
        .split_once(['-', '—', '–'])
        .with_context(|| format!("--years 应为 起-止 两个年份，如 2016-2025，而不是“{s}”"))?;
    let year = |y: &str| {
        y.trim()
            .parse::<i32>()
            .with_context(|| format!("--years 中的“{y}”不是年份（应如 2016-2025）"))
    };
    Ok(DemoOptions::new(year(a)?, year(b)?, true)?)
}

/// The shipped plans' indicator systems, seeded as `plan import` seeds them.
fn templates() -> Result<Vec<Template>> {
    let catalog = super::target::catalog()?;
    let mut out = Vec::new();
    for (name, bytes) in super::serve::SHIPPED_PLANS {
        let source = planwatch_ingest::decode(name, bytes)?;
        let doc = planwatch_ingest::extract(&source)?;
        out.push(template(
            &catalog,
            &source,
            &doc,
            planwatch_store::synth::SYNTH_LABEL,
        ));
    }
    Ok(out)
}

/// One document's indicator system as `plan import` seeds it, the targets' reasons
/// starting with `label`.
pub fn template(
    catalog: &planwatch_catalog::Catalog,
    source: &planwatch_ingest::SourceText,
    doc: &planwatch_core::PlanDocument,
    label: &str,
) -> Template {
    let mapping = super::target::DocumentMapping::new(catalog, doc, &source.lines);
    let map = |kind, line, indicator: &str| mapping.code(kind, line, indicator);
    let baseline = |kind, line, indicator: &str| mapping.baseline(kind, line, indicator);
    let seeder = Seeder {
        map: &map,
        baseline: &baseline,
    };
    Template::labelled(doc, &seeder, label)
}

/// A progress bar on standard error; indicatif draws nothing when it is not a terminal.
fn progress(len: u64, what: &'static str, unit: &str) -> ProgressBar {
    let bar = ProgressBar::new(len).with_message(what);
    let template = format!(
        "{{msg}} [{{bar:40}}] {{human_pos}}/{{human_len}} {unit}，已用 {{elapsed}}，剩余约 {{eta}}"
    );
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}
