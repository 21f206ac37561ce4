//! `planwatch evaluate`: judge every target for a report year.
//!
//! Two sources feeding the same core engine: the plain files (observations.csv +
//! targets.csv -> status.csv), or a region of the monitoring database (`--region NAME
//! [--db URL]`: its indicator system and reported values, printed as the monitoring table
//! or JSON).

use super::db;
use super::plan::Format;
use anyhow::{Context, Result, bail};
use clap::Args;
use planwatch_core::evaluation::with_unit;
use planwatch_store::monitoring::DEMO_LABEL;
use planwatch_store::{MonitoringRow, RegionMonitoring};
use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct EvaluateArgs {
    /// 观测值文件 observations.csv（列：region,indicator,year,value）
    #[arg(long, value_name = "OBS.csv")]
    pub observations: Option<PathBuf>,
    /// 目标文件 targets.csv（列：region,indicator,comparator,value,year,baseline_year,baseline_value,binding）
    #[arg(long, value_name = "TARGETS.csv")]
    pub targets: Option<PathBuf>,
    /// 报告年份 R：晚于该年的观测值不计
    #[arg(long, value_name = "R")]
    pub year: i32,
    /// 输出 status.csv 的路径；省略时写到标准输出。出错时不写任何内容
    #[arg(long, value_name = "STATUS.csv")]
    pub out: Option<PathBuf>,
    /// 数据库中的地区：名称（唯一时）或路径（与 --observations/--targets 二选一）
    #[arg(long, value_name = "地区")]
    pub region: Option<String>,
    /// 评估数据库中的所有地区，按纯文本评估的 status.csv 格式输出（地区为完整路径，指标为指标编码）
    #[arg(long, conflicts_with_all = ["region", "observations", "targets", "format"])]
    pub all: bool,
    /// 数据库地址（与 --region 一起用）：sqlite://路径 或 postgres://用户@主机:端口/库名
    #[arg(
        long,
        value_name = "URL",
        env = "PLANWATCH_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: Option<String>,
    /// 输出格式（与 --region 一起用）：table（中文监测表）或 json
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// Where the observations and targets come from.
enum Source<'a> {
    PlainFiles {
        observations: &'a Path,
        targets: &'a Path,
    },
    Region {
        region: &'a str,
        db: Option<&'a str>,
        format: Format,
    },
    All {
        db: Option<&'a str>,
    },
}

impl EvaluateArgs {
    fn source(&self) -> Result<Source<'_>> {
        if self.all {
            return Ok(Source::All {
                db: self.db.as_deref(),
            });
        }
        if let Some(region) = &self.region {
            if self.observations.is_some() || self.targets.is_some() {
                bail!(
                    "--region（数据库中的地区）与 --observations/--targets（纯文本文件）只能二选一"
                );
            }
            if self.out.is_some() {
                bail!("--out 只用于纯文本文件的评估；--region 的结果输出到屏幕，可用 > 文件 保存");
            }
            return Ok(Source::Region {
                region,
                db: self.db.as_deref(),
                format: self.format.unwrap_or(Format::Table),
            });
        }
        if self.format.is_some() {
            bail!("--format 只用于 --region；纯文本文件的评估输出 status.csv");
        }
        match (&self.observations, &self.targets) {
            (Some(o), Some(t)) => Ok(Source::PlainFiles {
                observations: o,
                targets: t,
            }),
            (None, None) => bail!(
                "请指明评估什么：--region 地区（数据库中的数据），或同时提供 --observations 与 --targets（纯文本文件）"
            ),
            _ => bail!("请同时提供 --observations 与 --targets"),
        }
    }
}

pub fn run(args: EvaluateArgs) -> Result<()> {
    match args.source()? {
        Source::Region { region, db, format } => db::runtime()?.block_on(async {
            let store = db::open(db).await?;
            let region = super::target::region(store.as_ref(), region).await?;
            let m = planwatch_store::region_monitoring(store.as_ref(), &region, args.year).await?;
            match format {
                Format::Json => outln!("{}", serde_json::to_string_pretty(&m.to_json())?)?,
                Format::Table => out!("{}", table(&m))?,
            }
            Ok(())
        }),
        Source::All { db } => db::runtime()?.block_on(async {
            let store = db::open(db).await?;
            let mut status = StatusCsv::default();
            planwatch_store::for_each_in_subtree(store.as_ref(), None, args.year, |m| {
                status.add(&m)
            })
            .await?;
            let (csv, report) = status.finish();
            match &args.out {
                Some(out) => write_whole(out, &csv)?,
                None => {
                    let mut stdout = std::io::stdout().lock();
                    stdout.write_all(&csv)?;
                    stdout.flush()?;
                }
            }
            eprintln!("{report}");
            Ok(())
        }),
        Source::PlainFiles {
            observations,
            targets,
        } => {
            let stats = match &args.out {
                Some(out) => {
                    planwatch_plainfile::evaluate_to_file(observations, targets, args.year, out)?
                }
                None => {
                    let stdout = std::io::stdout().lock();
                    let mut w = std::io::BufWriter::with_capacity(64 << 10, stdout);
                    let s = planwatch_plainfile::evaluate_to_writer(
                        observations,
                        targets,
                        args.year,
                        &mut w,
                    )?;
                    w.flush()?;
                    s
                }
            };
            if let Some(out) = &args.out {
                eprintln!(
                    "已评估{}项目标（{}个地区-指标序列，{}个观测值），结果写入 {}",
                    stats.targets,
                    stats.series,
                    stats.observations,
                    out.display()
                );
            }
            Ok(())
        }
    }
}

/// Every judged target of the database as status.csv (the plain-file shape): region by
/// its path, indicator by its key (catalog code or `local:名称`), rows sorted by region,
/// indicator and target year in byte order, ties in the order of the indicator system.
/// Targets whose data cannot form a series are left out and counted in the report line.
#[derive(Default)]
struct StatusCsv {
    rows: Vec<(String, String, i32, Vec<u8>)>,
    regions: usize,
    errors: usize,
}

impl StatusCsv {
    fn add(&mut self, m: &RegionMonitoring) {
        self.regions += 1;
        for r in &m.rows {
            let Ok(e) = &r.evaluation else {
                self.errors += 1;
                continue;
            };
            let key = r.target.state.indicator_key();
            let mut line = Vec::with_capacity(160);
            planwatch_plainfile::write::write_row(
                &mut line,
                m.region.path.as_bytes(),
                key.as_bytes(),
                &r.spec,
                e,
            );
            self.rows
                .push((m.region.path.clone(), key, r.spec.year, line));
        }
    }

    fn finish(mut self) -> (Vec<u8>, String) {
        // Stable: ties keep the order of the indicator system.
        self.rows.sort_by(|a, b| {
            (a.0.as_bytes(), a.1.as_bytes(), a.2).cmp(&(b.0.as_bytes(), b.1.as_bytes(), b.2))
        });
        let header = planwatch_plainfile::write::STATUS_HEADER.as_bytes();
        let mut csv =
            Vec::with_capacity(header.len() + self.rows.iter().map(|r| r.3.len()).sum::<usize>());
        csv.extend_from_slice(header);
        for (_, _, _, line) in &self.rows {
            csv.extend_from_slice(line);
        }
        let mut report = format!("已评估{}个地区的{}项目标", self.regions, self.rows.len());
        if self.errors > 0 {
            report.push_str(&format!(
                "；{} 项目标的数据有误，无法判断，未写入",
                self.errors
            ));
        }
        (csv, report)
    }
}

/// Writes `bytes` to `path` whole or not at all (a temporary file beside it, then renamed).
fn write_whole(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("无法在 {} 中写入临时文件", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.persist(path)
        .with_context(|| format!("无法写入 {}", path.display()))?;
    Ok(())
}

/// A computed value (序时进度, projection) at the precision the data were reported in.
fn cell(r: &MonitoringRow, x: Option<f64>) -> String {
    let s = &r.target.state;
    x.map(|x| r.precision.figure_with_unit(x, s.value, &s.unit))
        .unwrap_or_else(|| "—".into())
}

fn row(r: &MonitoringRow, report_year: i32) -> String {
    let unit = r.target.state.unit.as_str();
    let (latest, expected, ratio, projected) = match (&r.evaluation, r.shown(report_year)) {
        (Ok(e), Some(shown)) => (
            e.latest
                .map(|l| format!("{}（{}年）", with_unit(l.value, unit), l.year))
                .unwrap_or_else(|| "—".into()),
            cell(r, shown.expected),
            shown
                .progress_ratio
                .map(|p| format!("{:.0}%", p * 100.0))
                .unwrap_or_else(|| "—".into()),
            cell(r, shown.projected),
        ),
        _ => ("—".into(), "—".into(), "—".into(), "—".into()),
    };
    let latest = if r.demo {
        format!("{latest}〔{DEMO_LABEL}〕")
    } else {
        latest
    };
    let warnings = match r.warnings_zh() {
        w if w.is_empty() => "—".to_string(),
        w => w,
    };
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        r.target.state.indicator,
        r.plans_zh(),
        r.goal_zh(),
        latest,
        expected,
        ratio,
        projected,
        r.status_zh(),
        warnings,
        r.target.state.owner.as_deref().unwrap_or("—"),
    )
}

/// The monitoring table in Chinese, with a summary line.
fn table(m: &RegionMonitoring) -> String {
    let mut out = format!("{}  {}年监测", m.region.path, m.report_year);
    if m.demo {
        let _ = write!(out, "（含{DEMO_LABEL}，并非真实统计）");
    }
    out.push('\n');
    out.push_str(
        "指标\t规划\t目标\t最新值（年份）\t序时进度\t进度比\t预计\t状态\t预警\t责任单位\n",
    );
    for r in &m.rows {
        let _ = writeln!(out, "{}", row(r, m.report_year));
    }
    for r in m.rows.iter().filter(|r| r.evaluation.is_err()) {
        let _ = writeln!(
            out,
            "数据有误：{}：{}",
            r.target.state.indicator, r.explanation
        );
    }
    let _ = writeln!(out, "\n{}", m.summary_zh());
    out
}
