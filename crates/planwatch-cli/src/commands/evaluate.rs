//! `planwatch evaluate`: judge every target for a report year.
//!
//! Today one source: the plain files (observations.csv + targets.csv -> status.csv).
//! The database mode (`--region NAME --db URL`) is meant to be one more [`Source`]
//! variant chosen in [`EvaluateArgs::source`], feeding the same core engine.

use anyhow::{Result, bail};
use clap::Args;
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
}

/// Where the observations and targets come from.
enum Source<'a> {
    PlainFiles {
        observations: &'a Path,
        targets: &'a Path,
    },
}

impl EvaluateArgs {
    fn source(&self) -> Result<Source<'_>> {
        match (&self.observations, &self.targets) {
            (Some(o), Some(t)) => Ok(Source::PlainFiles {
                observations: o,
                targets: t,
            }),
            _ => bail!("请同时提供 --observations 与 --targets"),
        }
    }
}

pub fn run(args: EvaluateArgs) -> Result<()> {
    match args.source()? {
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
