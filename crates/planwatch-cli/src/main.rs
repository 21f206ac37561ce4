//! The `planwatch` command. Thin: parses arguments, calls the libraries, prints.

mod commands;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "planwatch",
    version,
    about = "planwatch：妇女儿童发展规划监测评估系统",
    long_about = "planwatch：从规划文本到评估报告——读取妇女、儿童发展规划，建立统计监测指标体系，\
                  收集年度数据，判断每项目标的达标情况并预警。"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// 规划文本：解析、导入、查看
    #[command(subcommand)]
    Plan(commands::plan::PlanCommand),
    /// 监测指标目录：列出、查看指标定义
    #[command(subcommand)]
    Indicator(commands::indicator::IndicatorCommand),
    /// 指标体系：列出、新增、调整、映射、停用地区的目标，查看修改历史
    #[command(subcommand)]
    Target(commands::target::TargetCommand),
    /// 地区：列出数据库中的地区
    #[command(subcommand)]
    Region(commands::region::RegionCommand),
    /// 监测数据：导入（CSV）、查看修改记录、导出
    #[command(subcommand)]
    Data(commands::data::DataCommand),
    /// 启动网页服务（地区、规划、指标与原文）
    Serve(commands::serve::ServeArgs),
    /// 示例：在数据目录中导入随附的四部规划与演示数据（2016—2024年），并启动网页服务
    Demo(commands::serve::DemoArgs),
    /// 评估：按报告年份判断每项目标的状态与预警（数据库中的地区，或纯文本 CSV）
    Evaluate(commands::evaluate::EvaluateArgs),
    /// 合成数据：确定性的全国数据集，写入数据库（--db：真实地区、指标体系与各年数据）或纯文本文件（--out）
    Synth(commands::synth::SynthArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Plan(cmd) => commands::plan::run(cmd),
        Command::Indicator(cmd) => commands::indicator::run(cmd),
        Command::Target(cmd) => commands::target::run(cmd),
        Command::Region(cmd) => commands::region::run(cmd),
        Command::Data(cmd) => commands::data::run(cmd),
        Command::Serve(args) => commands::serve::serve(args),
        Command::Demo(args) => commands::serve::demo(args),
        Command::Evaluate(args) => commands::evaluate::run(args),
        Command::Synth(args) => commands::synth::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误：{err:#}");
            ExitCode::FAILURE
        }
    }
}
