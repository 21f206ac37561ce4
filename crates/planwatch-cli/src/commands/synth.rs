//! `planwatch synth`: a deterministic synthetic data set in the plain-file form.

use anyhow::{Result, bail};
use clap::Args;
use planwatch_plainfile::synth::{SynthOptions, synth_to_dir};
use std::path::PathBuf;

#[derive(Args)]
pub struct SynthArgs {
    /// 地区数（全国县级规模约 3200）
    #[arg(long, value_name = "N")]
    pub regions: u32,
    /// 每个地区的指标数（如 150）
    #[arg(long, value_name = "M")]
    pub indicators: u32,
    /// 随机种子：相同参数总是生成相同的文件
    #[arg(long, value_name = "S", default_value_t = 1)]
    pub seed: u64,
    /// 输出目录：写入 observations.csv 与 targets.csv
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
}

pub fn run(args: SynthArgs) -> Result<()> {
    if args.regions == 0 || args.indicators == 0 {
        bail!("--regions 与 --indicators 都须大于 0");
    }
    let opts = SynthOptions {
        regions: args.regions,
        indicators: args.indicators,
        seed: args.seed,
    };
    let stats = synth_to_dir(&opts, &args.out)?;
    eprintln!(
        "已生成{}个观测值、{}项目标，写入 {}",
        stats.observations,
        stats.targets,
        args.out.display()
    );
    Ok(())
}
