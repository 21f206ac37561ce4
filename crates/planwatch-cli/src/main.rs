//! The `planwatch` command. Thin: parses arguments, calls the libraries, prints.

#[macro_use]
mod out;
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
    /// 数据库：备份到一个文件、从备份恢复
    #[command(subcommand)]
    Db(commands::backup::DbCommand),
    /// 账号：新建、列出、授予或收回角色、重设密码、停用
    #[command(subcommand)]
    User(commands::user::UserCommand),
    /// 接口令牌：为账号新建、列出、吊销（供业务系统自动报送）
    #[command(subcommand)]
    Token(commands::user::TokenCommand),
    /// 启动网页服务（地区、规划、指标与原文）
    Serve(commands::serve::ServeArgs),
    /// 示例：在数据目录中导入随附的四部规划与演示数据（2016—2024年），并启动网页服务
    Demo(commands::serve::DemoArgs),
    /// 评估：按报告年份判断每项目标的状态与预警（数据库中的地区，或纯文本 CSV）
    Evaluate(commands::evaluate::EvaluateArgs),
    /// 报告：年度监测报告、中期/终期评估报告、成员单位重点指标监测情况、向上级报告（Word、Excel 或网页）
    Report(commands::report::ReportArgs),
    /// 合成数据：确定性的全国数据集，写入数据库（--db：真实地区、指标体系与各年数据）或纯文本文件（--out）
    Synth(commands::synth::SynthArgs),
}

/// What is logged when `RUST_LOG` is unset: planwatch's own crates (targets
/// `planwatch`, `planwatch_web`, `planwatch_store…`) from `info`, everything else (sqlx,
/// hyper …) only from `warn`. The PDF parsers' own diagnostics ("corrupt deflate stream")
/// are left out: the reader turns what they mean into a Chinese error or warning naming
/// the file and page, and English lines on stderr only alarm a clerk.
const DEFAULT_LOG: &str = "warn,planwatch=info,lopdf=off,pdf_extract=off";

/// Logs go to stderr, so stdout stays the command's output (a table, JSON, status.csv,
/// the server's address) and can be piped.
fn init_logging() {
    use std::io::IsTerminal;
    use tracing_subscriber::EnvFilter;
    let filter = match std::env::var("RUST_LOG") {
        // Directives that do not parse are skipped (with a note on stderr), the rest apply.
        Ok(spec) if !spec.trim().is_empty() => EnvFilter::builder().parse_lossy(spec),
        _ => EnvFilter::new(DEFAULT_LOG),
    };
    // A second subscriber can only come from a test harness: keep the first.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    planwatch_ingest::quiet_parser_panics();
    let result = match cli.command {
        Command::Plan(cmd) => commands::plan::run(cmd),
        Command::Indicator(cmd) => commands::indicator::run(cmd),
        Command::Target(cmd) => commands::target::run(cmd),
        Command::Region(cmd) => commands::region::run(cmd),
        Command::Data(cmd) => commands::data::run(cmd),
        Command::Db(cmd) => commands::backup::run(cmd),
        Command::User(cmd) => commands::user::run_user(cmd),
        Command::Token(cmd) => commands::user::run_token(cmd),
        Command::Serve(args) => commands::serve::serve(args),
        Command::Demo(args) => commands::serve::demo(args),
        Command::Evaluate(args) => commands::evaluate::run(args),
        Command::Synth(args) => commands::synth::run(args),
        Command::Report(args) => commands::report::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `planwatch … | head`: the reader has what it wanted.
        Err(err) if out::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("错误：{err:#}");
            ExitCode::FAILURE
        }
    }
}
