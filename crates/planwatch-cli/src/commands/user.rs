//! `planwatch user …` and `planwatch token …`: the machine's administrator (who holds the
//! database) manages accounts, roles and API tokens. Every change is recorded with `--by`.

use super::db;
use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use planwatch_core::access::{Role, TokenScope};
use planwatch_store::people::{AuditAction, NewAudit, NewUser};
use planwatch_store::{RegionRow, Store, resolve_region};
use planwatch_web::auth::password;
use std::io::{BufRead, IsTerminal};

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
pub struct ByArg {
    /// 操作人（记入审计日志），默认为“命令行管理员”
    #[arg(long, value_name = "姓名", default_value = "命令行管理员")]
    pub by: String,
}

#[derive(Args)]
pub struct RoleArgs {
    /// 角色：admin（系统管理员）、office（妇儿工委办）、bureau（统计局审核）、reporter（成员单位填报）、viewer（查看），也可写中文名
    #[arg(long, value_name = "ROLE")]
    pub role: String,
    /// 角色所在地区：名称（唯一时）或路径，如 广东省/河源市/连平县（系统管理员不需要）
    #[arg(long, value_name = "PATH")]
    pub region: Option<String>,
    /// 成员单位（成员单位填报人员必填），如 卫健委；地区中尚无此单位时新建
    #[arg(long, value_name = "D")]
    pub department: Option<String>,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// 新建账号并授予一个角色；密码从标准输入读取（第一行），在终端中则提示输入两次
    Add {
        /// 登录名（英文字母、数字或 . _ -）
        name: String,
        #[command(flatten)]
        role: RoleArgs,
        /// 姓名与单位，如 张三（县卫健局）
        #[arg(long, value_name = "TEXT", default_value = "")]
        display_name: String,
        #[command(flatten)]
        by: ByArg,
        #[command(flatten)]
        db: DbArg,
    },
    /// 列出全部账号及其角色
    List {
        #[command(flatten)]
        db: DbArg,
    },
    /// 授予（或用 --remove 收回）一个账号的角色
    Role {
        name: String,
        #[command(flatten)]
        role: RoleArgs,
        /// 收回这个角色
        #[arg(long)]
        remove: bool,
        #[command(flatten)]
        by: ByArg,
        #[command(flatten)]
        db: DbArg,
    },
    /// 重设密码（从标准输入读取，或在终端中提示输入）；该账号的登录全部退出
    Passwd {
        name: String,
        #[command(flatten)]
        by: ByArg,
        #[command(flatten)]
        db: DbArg,
    },
    /// 停用账号（其登录和接口令牌立即失效）；加 --enable 重新启用
    Disable {
        name: String,
        #[arg(long)]
        enable: bool,
        #[command(flatten)]
        by: ByArg,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// 为账号新建接口令牌；令牌只显示这一次
    Create {
        /// 账号的登录名
        user: String,
        /// 令牌名称，如 卫健委数据系统
        #[arg(long, value_name = "TEXT")]
        name: String,
        /// 权限：read（只读）或 write（读写）
        #[arg(long, value_name = "SCOPE", default_value = "read")]
        scope: String,
        #[command(flatten)]
        by: ByArg,
        #[command(flatten)]
        db: DbArg,
    },
    /// 列出账号的接口令牌
    List {
        user: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// 吊销账号的一个接口令牌（编号见 token list）
    Revoke {
        user: String,
        /// 令牌编号
        id: i64,
        #[command(flatten)]
        by: ByArg,
        #[command(flatten)]
        db: DbArg,
    },
}

fn role_of(text: &str) -> Result<Role> {
    Role::parse(text).ok_or_else(|| {
        anyhow!(
            "未知的角色“{text}”。可用：admin（系统管理员）、office（妇儿工委办）、bureau（统计局审核）、reporter（成员单位填报）、viewer（查看）"
        )
    })
}

/// The region and member unit a role is held on, resolved (and the unit created when the
/// region has none of that name).
async fn place(
    store: &dyn Store,
    role: Role,
    args: &RoleArgs,
    by: &str,
) -> Result<(Option<RegionRow>, Option<i64>)> {
    if !role.needs_region() {
        if args.region.is_some() || args.department.is_some() {
            bail!("系统管理员的角色不属于某个地区，请去掉 --region 和 --department");
        }
        return Ok((None, None));
    }
    let Some(query) = args.region.as_deref() else {
        bail!(
            "角色“{}”须用 --region 指明地区，如 --region 广东省/河源市/连平县",
            role.label()
        );
    };
    let regions = store.regions().await?;
    let region = match resolve_region(&regions, query) {
        Ok(r) => r.clone(),
        Err(e) => {
            // A role on a region that does not exist: refused, and the attempt kept.
            let attempt = NewAudit {
                actor: by.to_string(),
                action: AuditAction::Denied,
                region_id: None,
                subject: query.to_string(),
                detail: format!("授予角色“{}”未执行：{e}", role.label()),
                address: None,
            };
            store.audit(&attempt).await?;
            return Err(e.into());
        }
    };
    let unit = match (role.needs_unit(), args.department.as_deref()) {
        (true, None) => {
            bail!("成员单位填报人员须用 --department 指明成员单位，如 --department 卫健委")
        }
        (false, Some(_)) => bail!("只有成员单位填报人员属于某个成员单位，请去掉 --department"),
        (false, None) => None,
        (true, Some(d)) => {
            let name = planwatch_catalog::departments::canonical(d).unwrap_or(d.trim());
            let units = store.member_units(region.id).await?;
            match units.iter().find(|u| u.name == name) {
                Some(u) => Some(u.id),
                None => {
                    let id = store.add_member_unit(region.id, name, by).await?;
                    eprintln!("已在{}新建成员单位“{name}”", region.name);
                    Some(id)
                }
            }
        }
    };
    Ok((Some(region), unit))
}

/// A new password: the first line of standard input, or typed twice at a terminal.
fn read_password(account: &str) -> Result<String> {
    let stdin = std::io::stdin();
    let password = if stdin.is_terminal() {
        let first = rpassword::prompt_password("新密码：").context("无法读取密码")?;
        let again = rpassword::prompt_password("再次输入：").context("无法读取密码")?;
        if first != again {
            bail!("两次输入的密码不一致，未做任何修改");
        }
        first
    } else {
        let mut line = String::new();
        stdin
            .lock()
            .read_line(&mut line)
            .context("无法从标准输入读取密码")?;
        line.trim_end_matches(['\r', '\n']).to_string()
    };
    password::check_strength(&password, account).map_err(|why| anyhow!("{why}，未做任何修改"))?;
    Ok(password)
}

async fn user_named(store: &dyn Store, name: &str) -> Result<planwatch_store::people::UserRow> {
    store.user_by_name(name.trim()).await?.ok_or_else(|| {
        anyhow!("没有登录名为“{name}”的账号。可用 `planwatch user list` 查看全部账号")
    })
}

pub fn run_user(cmd: UserCommand) -> Result<()> {
    db::runtime()?.block_on(async {
        match cmd {
            UserCommand::Add {
                name,
                role,
                display_name,
                by,
                db,
            } => {
                let store = db::open(db.db.as_deref()).await?;
                let r = role_of(&role.role)?;
                let (region, unit) = place(store.as_ref(), r, &role, &by.by).await?;
                let password = read_password(&name)?;
                let hash = password::hash(&password).map_err(|e| anyhow!(e))?;
                let user = NewUser {
                    name: name.trim().to_string(),
                    display_name: display_name.trim().to_string(),
                    password_hash: hash,
                    demo_password: None,
                };
                let id = store.create_user(&user, &by.by).await?;
                store
                    .grant_role(id, r, region.as_ref().map(|r| r.id), unit, &by.by)
                    .await?;
                outln!(
                    "已新建账号“{}”：{}{}",
                    user.name,
                    region.map(|r| format!("{}·", r.path)).unwrap_or_default(),
                    r.label()
                )?;
            }
            UserCommand::List { db } => {
                let store = db::open(db.db.as_deref()).await?;
                let users = store.users().await?;
                if users.is_empty() {
                    outln!(
                        "还没有任何账号。新建系统管理员：planwatch user add admin --role admin"
                    )?;
                }
                for u in users {
                    let grants = store.grants(u.id).await?;
                    outln!(
                        "{}\t{}\t{}\t{}",
                        u.name,
                        if u.display_name.is_empty() {
                            "-"
                        } else {
                            &u.display_name
                        },
                        if u.disabled { "已停用" } else { "正常" },
                        planwatch_web::auth::pages::roles_text(&grants)
                    )?;
                }
            }
            UserCommand::Role {
                name,
                role,
                remove,
                by,
                db,
            } => {
                let store = db::open(db.db.as_deref()).await?;
                let user = user_named(store.as_ref(), &name).await?;
                let r = role_of(&role.role)?;
                let (region, unit) = place(store.as_ref(), r, &role, &by.by).await?;
                let region_id = region.as_ref().map(|r| r.id);
                if remove {
                    if !store
                        .revoke_role(user.id, r, region_id, unit, &by.by)
                        .await?
                    {
                        bail!("账号“{}”没有这个角色，未做任何修改", user.name);
                    }
                    outln!("已收回“{}”的角色：{}", user.name, r.label())?;
                } else {
                    store
                        .grant_role(user.id, r, region_id, unit, &by.by)
                        .await?;
                    outln!("已授予“{}”角色：{}", user.name, r.label())?;
                }
            }
            UserCommand::Passwd { name, by, db } => {
                let store = db::open(db.db.as_deref()).await?;
                let user = user_named(store.as_ref(), &name).await?;
                let password = read_password(&user.name)?;
                let hash = password::hash(&password).map_err(|e| anyhow!(e))?;
                store
                    .set_password(user.id, &hash, &by.by, true, None)
                    .await?;
                outln!("已重设“{}”的密码，其原有登录已全部退出", user.name)?;
            }
            UserCommand::Disable {
                name,
                enable,
                by,
                db,
            } => {
                let store = db::open(db.db.as_deref()).await?;
                let user = user_named(store.as_ref(), &name).await?;
                store.set_disabled(user.id, !enable, &by.by).await?;
                if enable {
                    outln!("已启用“{}”", user.name)?;
                } else {
                    outln!("已停用“{}”：其登录和接口令牌立即失效", user.name)?;
                }
            }
        }
        Ok(())
    })
}

pub fn run_token(cmd: TokenCommand) -> Result<()> {
    db::runtime()?.block_on(async {
        match cmd {
            TokenCommand::Create {
                user,
                name,
                scope,
                by,
                db,
            } => {
                let store = db::open(db.db.as_deref()).await?;
                let u = user_named(store.as_ref(), &user).await?;
                let scope = TokenScope::parse(&scope).ok_or_else(|| {
                    anyhow!("未知的权限“{scope}”：应为 read（只读）或 write（读写）")
                })?;
                let name = name.trim();
                if name.is_empty() {
                    bail!("请用 --name 为令牌起一个名称，如 --name 卫健委数据系统");
                }
                let (hash, prefix, token) = planwatch_web::auth::new_token();
                let id = store
                    .create_token(u.id, name, scope, &hash, &prefix, &by.by)
                    .await?;
                eprintln!(
                    "已为“{}”新建接口令牌 {id}（{}，{}）。令牌只显示这一次，请立即保存：",
                    u.name,
                    name,
                    scope.label()
                );
                outln!("{token}")?;
            }
            TokenCommand::List { user, db } => {
                let store = db::open(db.db.as_deref()).await?;
                let u = user_named(store.as_ref(), &user).await?;
                for t in store.tokens(u.id).await? {
                    outln!(
                        "{}\t{}\t{}\t{}…\t{}",
                        t.id,
                        t.name,
                        t.scope.label(),
                        t.prefix,
                        match t.revoked_at {
                            Some(_) => "已吊销",
                            None => "有效",
                        }
                    )?;
                }
            }
            TokenCommand::Revoke { user, id, by, db } => {
                let store = db::open(db.db.as_deref()).await?;
                let u = user_named(store.as_ref(), &user).await?;
                if !store.revoke_token(u.id, id, &by.by).await? {
                    bail!("账号“{}”没有编号为 {id} 的有效令牌，未做任何修改", u.name);
                }
                outln!("已吊销令牌 {id}")?;
            }
        }
        Ok(())
    })
}
