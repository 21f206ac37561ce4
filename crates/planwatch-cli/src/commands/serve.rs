//! `planwatch serve` and `planwatch demo`: the web pages over a database.

use super::db;
use anyhow::{Context, Result, bail};
use clap::Args;
use planwatch_store::Store;
use planwatch_store::monitoring::GENERATED_LABEL;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Args)]
pub struct ServeArgs {
    /// 数据库地址：sqlite://路径 或 postgres://用户@主机:端口/库名（默认：数据目录中的 SQLite 文件）
    #[arg(
        long,
        value_name = "URL",
        env = "PLANWATCH_DATABASE_URL",
        hide_env_values = true
    )]
    pub db: Option<String>,
    /// 监听地址
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// 允许的主机名（可重复；IP 地址与 localhost 总是允许），如 --host plan.example.org
    #[arg(
        long = "host",
        value_name = "NAME",
        env = "PLANWATCH_HOSTS",
        value_delimiter = ','
    )]
    pub hosts: Vec<String>,
}

#[derive(Args)]
pub struct DemoArgs {
    /// 监听地址
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// 允许的主机名（可重复；IP 地址与 localhost 总是允许），如 --host plan.example.org
    #[arg(
        long = "host",
        value_name = "NAME",
        env = "PLANWATCH_HOSTS",
        value_delimiter = ','
    )]
    pub hosts: Vec<String>,
    /// 只导入示例规划与演示数据，不启动网页服务
    #[arg(long)]
    pub load_only: bool,
}

/// The four plans shipped with planwatch (`assets/plans/`), compiled in so that the demo
/// and `synth` need no file at run time.
pub const SHIPPED_PLANS: [(&str, &[u8]); 4] = [
    (
        "000_899738eeea2834b6.txt",
        include_bytes!("../../../../assets/plans/000_899738eeea2834b6.txt"),
    ),
    (
        "002_783e6206471bd0e6.txt",
        include_bytes!("../../../../assets/plans/002_783e6206471bd0e6.txt"),
    ),
    (
        "003_49819e7a68b52bdf.txt",
        include_bytes!("../../../../assets/plans/003_49819e7a68b52bdf.txt"),
    ),
    (
        "004_f195922d897a1781.txt",
        include_bytes!("../../../../assets/plans/004_f195922d897a1781.txt"),
    ),
];

pub fn serve(args: ServeArgs) -> Result<()> {
    db::runtime()?.block_on(async {
        let store = db::open(args.db.as_deref()).await?;
        let (_, admins) = store.user_counts().await?;
        if admins == 0 {
            let db = if args.db.is_some() { " --db URL" } else { "" };
            bail!(
                "数据库中还没有可用的系统管理员账号，网页服务未启动：没有账号，谁都无法登录。\n\
                 请先新建一个系统管理员（密码在终端中输入，或从标准输入读取）：\n\
                 \n    planwatch user add admin --role admin{db}\n\n\
                 然后再运行 planwatch serve。"
            );
        }
        run_server(store, &args.addr, &args.hosts, "planwatch 已启动").await
    })
}

pub fn demo(args: DemoArgs) -> Result<()> {
    db::runtime()?.block_on(async {
        let dir = db::data_dir();
        let store = db::open_default().await?;
        outln!("数据目录：{}", dir.display())?;
        let mut regions: Vec<String> = Vec::new();
        let catalog = super::target::catalog()?;
        let mut templates = Vec::new();
        for (name, bytes) in SHIPPED_PLANS {
            // A plan the reader cannot read is reported; the demo still starts.
            let read = planwatch_ingest::decode(name, bytes)
                .and_then(|source| planwatch_ingest::extract(&source).map(|doc| (source, doc)));
            match read {
                Ok((source, doc)) => {
                    db::import_document(store.as_ref(), &source, &doc).await?;
                    regions.push(doc.region_path());
                    templates.push(super::synth::template(
                        &catalog,
                        &source,
                        &doc,
                        GENERATED_LABEL,
                    ));
                }
                Err(e) => eprintln!("警告：示例规划 {name} 未能读取：{e}"),
            }
        }
        // Demonstration values 2016–2024 for each region's indicator system (演示数据):
        // loading them again changes nothing, and a person's values are never replaced.
        for path in &regions {
            let region = super::target::region(store.as_ref(), path).await?;
            let load = planwatch_store::demo::load_demo(store.as_ref(), &region).await?;
            outln!(
                "{}  演示数据（2016—2024年）：{}{}",
                region.path,
                load.import.summary_zh(),
                if load.stage_added {
                    "；新增 1 项演示用的约束性阶段目标"
                } else {
                    ""
                }
            )?;
        }
        // Made-up neighbours (演示地区) so that the level above has sub-regions to rank and
        // compare; made once, never where a region exists.
        let real: Vec<&str> = regions.iter().map(String::as_str).collect();
        let added =
            planwatch_store::demo::load_demo_regions(store.as_ref(), &templates, &real).await?;
        if let Some(report) = added {
            outln!(
                "{GENERATED_LABEL}：新建 {} 个（指标体系取自邻近地区的规划，监测数据为{}），目标 {} 项，监测数据 {} 条",
                report.regions,
                planwatch_store::monitoring::DEMO_LABEL,
                report.targets,
                report.values
            )?;
        }
        let accounts = demo_accounts(store.as_ref(), &regions).await?;
        if accounts > 0 {
            outln!(
                "演示账号：新建 {accounts} 个（密码均为 {DEMO_PASSWORD}，登录页上列出，可一键登录）"
            )?;
        }
        let rounds = demo_rounds(store.as_ref(), &regions).await?;
        if rounds > 0 {
            outln!(
                "年度填报：为 {rounds} 个地区开启了 {DEMO_ROUND_YEAR} 年度的数据填报（今天起 60 天内截止）"
            )?;
        }
        if args.load_only {
            return Ok(());
        }
        run_server(store, &args.addr, &args.hosts, "planwatch 示例已启动").await
    })
}

/// The year the demo's reporting round collects: the year after the demo values.
pub const DEMO_ROUND_YEAR: i32 = 2025;

/// Opens the round of [`DEMO_ROUND_YEAR`] in every demo region that has none, from today
/// for 60 days, so that the demo's reporters have a form to fill. Returns how many opened.
async fn demo_rounds(store: &dyn Store, regions: &[String]) -> Result<usize> {
    let today = planwatch_web::today_in_china();
    let closes = today
        .checked_add_days(chrono::Days::new(60))
        .unwrap_or(today);
    let mut opened = 0;
    for path in regions {
        let region = super::target::region(store, path).await?;
        if store.round(region.id, DEMO_ROUND_YEAR).await?.is_some() {
            continue;
        }
        store
            .open_round(
                &planwatch_store::rounds::NewRound {
                    region_id: region.id,
                    year: DEMO_ROUND_YEAR,
                    opens_on: today,
                    closes_on: closes,
                },
                "示例数据",
            )
            .await?;
        opened += 1;
    }
    Ok(opened)
}

/// The password of every demo account, shown on the demo's login page.
pub const DEMO_PASSWORD: &str = "planwatch-demo";

/// One account per role in every demo region (and an administrator), named as a visitor
/// would look for them ("连平县-卫健委"); accounts there already are left alone. Returns how
/// many were created.
async fn demo_accounts(store: &dyn Store, regions: &[String]) -> Result<usize> {
    use planwatch_core::access::Role;
    use planwatch_store::StoreError;
    use planwatch_store::people::NewUser;
    const BY: &str = "示例数据";
    let hash =
        planwatch_web::auth::password::hash(DEMO_PASSWORD).map_err(|e| anyhow::anyhow!(e))?;
    let mut created = 0;
    let mut add = async |name: String,
                         display: String,
                         role: Role,
                         region: Option<i64>,
                         unit: Option<i64>|
           -> Result<()> {
        let user = NewUser {
            name,
            display_name: display,
            password_hash: hash.clone(),
            demo_password: Some(DEMO_PASSWORD.to_string()),
        };
        match store.create_user(&user, BY).await {
            Ok(id) => {
                store.grant_role(id, role, region, unit, BY).await?;
                created += 1;
                Ok(())
            }
            Err(StoreError::UserExists { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    };
    add(
        "admin".into(),
        "系统管理员（演示）".into(),
        Role::Admin,
        None,
        None,
    )
    .await?;
    let all = store.regions().await?;
    for path in regions {
        let region = super::target::region(store, path).await?;
        let n = &region.name;
        for (role, what) in [
            (Role::Office, "工委办"),
            (Role::Bureau, "统计局"),
            (Role::Viewer, "查看"),
        ] {
            add(
                format!("{n}-{what}"),
                format!("{n}{}", role.label()),
                role,
                Some(region.id),
                None,
            )
            .await?;
        }
        // The committee one level up reads this region (and its other sub-regions).
        if let Some(parent) = region
            .parent_id
            .and_then(|p| all.iter().find(|r| r.id == p))
        {
            let p = &parent.name;
            add(
                format!("{p}-工委办"),
                format!("{p}妇儿工委办（上级）"),
                Role::Office,
                Some(parent.id),
                None,
            )
            .await?;
        }
        // Reporters for the member units that lead the most targets.
        let units = store.member_units(region.id).await?;
        let assignments = store.assignments(region.id).await?;
        let mut busiest: Vec<(usize, &planwatch_store::people::MemberUnit)> = units
            .iter()
            .map(|u| {
                (
                    assignments.iter().filter(|a| a.lead == Some(u.id)).count(),
                    u,
                )
            })
            .filter(|(n, _)| *n > 0)
            .collect();
        busiest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.name.cmp(&b.1.name)));
        for (_, unit) in busiest.into_iter().take(3) {
            add(
                format!("{n}-{}", unit.name),
                format!("{n}{}填报员", unit.name),
                Role::Reporter,
                Some(region.id),
                Some(unit.id),
            )
            .await?;
        }
    }
    Ok(created)
}

async fn run_server(store: Arc<dyn Store>, addr: &str, hosts: &[String], what: &str) -> Result<()> {
    let addr: SocketAddr = addr
        .trim()
        .parse()
        .with_context(|| format!("监听地址无效：{addr}（应为 IP:端口，如 127.0.0.1:8080）"))?;
    let listener = tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!("无法监听 {addr}（端口可能已被占用，可用 --addr 指定其他端口）")
    })?;
    let bound = listener.local_addr().context("无法读取监听地址")?;
    outln!("{what}：http://{bound}/")?;
    outln!("按 Ctrl+C 停止。")?;
    let _ = std::io::stdout().flush();
    if !bound.ip().is_loopback() {
        eprintln!(
            "警告：网页以未加密的 HTTP 提供，监听地址 {bound} 可从其他计算机访问，\
             登录密码等内容将以明文在网络上传输。\n\
             请在前面配置 HTTPS 反向代理（如 nginx，并转发原始 Host 请求头），\
             或只在 127.0.0.1 上提供服务（--addr 127.0.0.1:8080）。"
        );
    }
    let options = planwatch_web::ServeOptions {
        allowed_hosts: hosts.to_vec(),
        ..planwatch_web::ServeOptions::default()
    };
    planwatch_web::serve_with(listener, store, options)
        .await
        .context("网页服务异常停止")
}
