//! Accounts, roles, sessions, tokens, member units with their assignments, and the audit
//! log (the crate's `people` module).
//!
//! Every write that changes who may do what runs behind [`WriteLock::People`] and appends
//! its audit line in its own transaction. Sessions, token use and failed logins are single
//! statements: they change nothing anyone sees, so they neither queue behind those writers
//! nor raise a region's generation.

use super::{BYTE_ORDER, Db, FOR_UPDATE, Row, SqlStore, Tx, begin_write, get, q, touch_region};
use crate::StoreError;
use crate::model_support as ms;
use crate::people::*;
use crate::sql::WriteLock;
use crate::system::Change;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planwatch_core::access::{Grant, Role, TokenScope};
use sqlx::Pool;
use std::collections::{BTreeMap, BTreeSet, HashMap};

const USER_COLUMNS: &str = "u.id, u.name, u.display_name, u.password_hash, u.disabled, \
     u.demo_password, u.created_at, u.created_by, u.password_changed_at";

/// The user's columns start at `at`.
fn row_user(row: &Row, at: usize) -> Result<UserRow, StoreError> {
    Ok(UserRow {
        id: get(row, at)?,
        name: get(row, at + 1)?,
        display_name: get(row, at + 2)?,
        password_hash: get(row, at + 3)?,
        disabled: get(row, at + 4)?,
        demo_password: get(row, at + 5)?,
        created_at: get(row, at + 6)?,
        created_by: get(row, at + 7)?,
        password_changed_at: get(row, at + 8)?,
    })
}

const GRANT_SELECT: &str = "SELECT r.user_id, r.role, r.region_id, g.path, g.name, r.unit_id, \
     m.name, r.granted_at, r.granted_by FROM user_roles r \
     LEFT JOIN regions g ON g.id = r.region_id LEFT JOIN member_units m ON m.id = r.unit_id";

fn role(code: &str) -> Result<Role, StoreError> {
    Role::ALL
        .into_iter()
        .find(|r| r.code() == code)
        .ok_or_else(|| StoreError::Corrupt(format!("角色：{code}")))
}

fn scope(code: &str) -> Result<TokenScope, StoreError> {
    match code {
        "read" => Ok(TokenScope::Read),
        "write" => Ok(TokenScope::Write),
        _ => Err(StoreError::Corrupt(format!("令牌权限：{code}"))),
    }
}

fn row_grant(row: &Row) -> Result<GrantRow, StoreError> {
    let code: String = get(row, 1)?;
    Ok(GrantRow {
        user_id: get(row, 0)?,
        grant: Grant {
            role: role(&code)?,
            region_id: get(row, 2)?,
            region_path: get(row, 3)?,
            unit_id: get(row, 5)?,
        },
        region_name: get(row, 4)?,
        unit_name: get(row, 6)?,
        granted_at: get(row, 7)?,
        granted_by: get(row, 8)?,
    })
}

const TOKEN_COLUMNS: &str = "t.id, t.user_id, t.name, t.scope, t.prefix, t.created_at, \
     t.last_used_at, t.revoked_at";

fn row_token(row: &Row) -> Result<TokenRow, StoreError> {
    let code: String = get(row, 3)?;
    Ok(TokenRow {
        id: get(row, 0)?,
        user_id: get(row, 1)?,
        name: get(row, 2)?,
        scope: scope(&code)?,
        prefix: get(row, 4)?,
        created_at: get(row, 5)?,
        last_used_at: get(row, 6)?,
        revoked_at: get(row, 7)?,
    })
}

const UNIT_SELECT: &str = "SELECT id, region_id, name, created_at, created_by FROM member_units";

fn row_unit(row: &Row) -> Result<MemberUnit, StoreError> {
    Ok(MemberUnit {
        id: get(row, 0)?,
        region_id: get(row, 1)?,
        name: get(row, 2)?,
        created_at: get(row, 3)?,
        created_by: get(row, 4)?,
    })
}

fn row_audit(row: &Row) -> Result<AuditEntry, StoreError> {
    let code: String = get(row, 3)?;
    Ok(AuditEntry {
        id: get(row, 0)?,
        at: get(row, 1)?,
        actor: get(row, 2)?,
        action: AuditAction::parse(&code)
            .ok_or_else(|| StoreError::Corrupt(format!("审计操作：{code}")))?,
        region_id: get(row, 4)?,
        subject: get(row, 5)?,
        detail: get(row, 6)?,
        address: get(row, 7)?,
    })
}

async fn begin(pool: &Pool<Db>) -> Result<Tx<'static>, StoreError> {
    begin_write(pool, WriteLock::People)
        .await
        .map_err(q("开始修改账号与成员单位"))
}

/// Appends a line to the audit log inside the writer's transaction.
pub(super) async fn append_audit(
    tx: &mut Tx<'_>,
    entry: &NewAudit,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, region_id, subject, detail, address) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(at)
    .bind(&entry.actor)
    .bind(entry.action.code())
    .bind(entry.region_id)
    .bind(&entry.subject)
    .bind(&entry.detail)
    .bind(entry.address.as_deref())
    .execute(&mut **tx)
    .await
    .map_err(q("写入审计日志"))?;
    Ok(())
}

pub(super) fn audit_line(
    actor: &str,
    action: AuditAction,
    region_id: Option<i64>,
    subject: impl Into<String>,
    detail: impl Into<String>,
) -> NewAudit {
    NewAudit {
        actor: actor.to_string(),
        action,
        region_id,
        subject: subject.into(),
        detail: detail.into(),
        address: None,
    }
}

fn no_user(id: i64) -> StoreError {
    StoreError::EditRefused(format!("未找到账号（编号 {id}）"))
}

/// The account's login name, inside a writer's transaction.
async fn user_name(tx: &mut Tx<'_>, id: i64) -> Result<String, StoreError> {
    sqlx::query_scalar::<_, String>("SELECT name FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(q("读取账号"))?
        .ok_or_else(|| no_user(id))
}

/// The region's name, or [`StoreError::RegionNotFound`].
async fn region_name(tx: &mut Tx<'_>, id: i64) -> Result<String, StoreError> {
    sqlx::query_scalar::<_, String>("SELECT name FROM regions WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await
        .map_err(q("读取地区"))?
        .ok_or_else(|| StoreError::RegionNotFound {
            query: id.to_string(),
        })
}

pub(super) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// The role's region and unit as the role needs them, or why not.
fn check_role_shape(
    role: Role,
    region_id: Option<i64>,
    unit_id: Option<i64>,
) -> Result<(), StoreError> {
    let label = role.label();
    if !role.needs_region() && region_id.is_some() {
        return Err(StoreError::EditRefused(format!(
            "“{label}”管理所有地区，不能指定地区"
        )));
    }
    if role.needs_region() && region_id.is_none() {
        return Err(StoreError::EditRefused(format!("“{label}”角色须指定地区")));
    }
    if role.needs_unit() && unit_id.is_none() {
        return Err(StoreError::EditRefused(format!(
            "“{label}”角色须指定成员单位"
        )));
    }
    if !role.needs_unit() && unit_id.is_some() {
        return Err(StoreError::EditRefused(format!(
            "只有“{}”角色指定成员单位，“{label}”不能指定",
            Role::Reporter.label()
        )));
    }
    Ok(())
}

/// "角色：妇儿工委办，地区：连平县，成员单位：卫健委"
fn role_detail(role: Role, region: Option<&str>, unit: Option<&str>) -> String {
    let mut detail = format!("角色：{}", role.label());
    if let Some(region) = region {
        detail.push_str(&format!("，地区：{region}"));
    }
    if let Some(unit) = unit {
        detail.push_str(&format!("，成员单位：{unit}"));
    }
    detail
}

async fn grants_of(pool: &Pool<Db>, user_id: i64) -> Result<Vec<GrantRow>, StoreError> {
    sqlx::query(&format!(
        "{GRANT_SELECT} WHERE r.user_id = $1 ORDER BY r.id"
    ))
    .bind(user_id)
    .fetch_all(pool)
    .await
    .map_err(q("读取账号的角色"))?
    .iter()
    .map(row_grant)
    .collect()
}

async fn principal(pool: &Pool<Db>, user: UserRow) -> Result<Principal, StoreError> {
    let grants = grants_of(pool, user.id)
        .await?
        .into_iter()
        .map(|g| g.grant)
        .collect();
    Ok(Principal { user, grants })
}

/// The region's units by id, with their names.
async fn region_units(
    tx: &mut Tx<'_>,
    region_id: i64,
) -> Result<BTreeMap<i64, String>, StoreError> {
    let rows: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, name FROM member_units WHERE region_id = $1")
            .bind(region_id)
            .fetch_all(&mut **tx)
            .await
            .map_err(q("读取成员单位"))?;
    Ok(rows.into_iter().collect())
}

/// Adds a unit inside the writer's transaction (audited); its id.
async fn insert_unit(
    tx: &mut Tx<'_>,
    region_id: i64,
    name: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO member_units (region_id, name, created_at, created_by) \
         VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(region_id)
    .bind(name)
    .bind(at)
    .bind(by)
    .fetch_one(&mut **tx)
    .await
    .map_err(q("新增成员单位"))?;
    append_audit(
        tx,
        &audit_line(by, AuditAction::UnitAdded, Some(region_id), name, ""),
        at,
    )
    .await?;
    Ok(id)
}

/// Writes one assignment version with its supporting units (already checked: of the
/// region, sorted, without the lead).
async fn insert_assignment(
    tx: &mut Tx<'_>,
    target_id: i64,
    version: i64,
    lead: Option<i64>,
    supporting: &[i64],
    change: &Change,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO target_assignments (target_id, version, lead_unit_id, changed_at, \
         changed_by, why) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(target_id)
    .bind(version)
    .bind(lead)
    .bind(at)
    .bind(&change.by)
    .bind(&change.why)
    .execute(&mut **tx)
    .await
    .map_err(q("写入责任单位"))?;
    for unit in supporting {
        sqlx::query(
            "INSERT INTO target_assignment_units (target_id, version, unit_id) \
             VALUES ($1, $2, $3)",
        )
        .bind(target_id)
        .bind(version)
        .bind(unit)
        .execute(&mut **tx)
        .await
        .map_err(q("写入配合单位"))?;
    }
    Ok(())
}

/// Supporting units sorted, once each, without the lead.
fn supporting_set(lead: Option<i64>, supporting: &[i64]) -> Vec<i64> {
    let set: BTreeSet<i64> = supporting
        .iter()
        .copied()
        .filter(|&u| Some(u) != lead)
        .collect();
    set.into_iter().collect()
}

const ASSIGNMENT_SELECT: &str = "SELECT a.target_id, a.version, a.lead_unit_id, a.changed_at, \
     a.changed_by, a.why FROM target_assignments a";

/// Assignment rows and their supporting units ((target, version, unit)), put together.
fn assemble(rows: &[Row], units: Vec<(i64, i64, i64)>) -> Result<Vec<Assignment>, StoreError> {
    let mut by_version: HashMap<(i64, i64), Vec<i64>> = HashMap::new();
    for (target, version, unit) in units {
        by_version.entry((target, version)).or_default().push(unit);
    }
    rows.iter()
        .map(|row| {
            let target_id: i64 = get(row, 0)?;
            let version: i64 = get(row, 1)?;
            let mut supporting = by_version.remove(&(target_id, version)).unwrap_or_default();
            supporting.sort_unstable();
            Ok(Assignment {
                target_id,
                version,
                lead: get(row, 2)?,
                supporting,
                changed_at: get(row, 3)?,
                changed_by: get(row, 4)?,
                why: get(row, 5)?,
            })
        })
        .collect()
}

/// "卫健委" / "卫健委（编号 3）" for a unit named in an audit line.
fn unit_names(units: &BTreeMap<i64, String>, ids: &[i64]) -> String {
    if ids.is_empty() {
        return "无".into();
    }
    ids.iter()
        .map(|id| {
            units
                .get(id)
                .cloned()
                .unwrap_or_else(|| format!("编号 {id}"))
        })
        .collect::<Vec<_>>()
        .join("、")
}

#[async_trait]
impl People for SqlStore {
    async fn user_counts(&self) -> Result<(i64, i64), StoreError> {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM users), \
             (SELECT COUNT(DISTINCT u.id) FROM users u JOIN user_roles r ON r.user_id = u.id \
              WHERE r.role = 'admin' AND NOT u.disabled)",
        )
        .fetch_one(&self.pool)
        .await
        .map_err(q("统计账号"))
    }

    async fn create_user(&self, user: &NewUser, by: &str) -> Result<i64, StoreError> {
        let name = user.name.trim();
        if name.is_empty() {
            return Err(StoreError::EditRefused("请填写登录名".into()));
        }
        if user.password_hash.is_empty() {
            return Err(StoreError::EditRefused("请设置密码".into()));
        }
        let display_name = match user.display_name.trim() {
            "" => name,
            d => d,
        };
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        let inserted = sqlx::query_scalar::<_, i64>(
            "INSERT INTO users (name, display_name, password_hash, disabled, demo_password, \
             created_at, created_by, password_changed_at) \
             VALUES ($1, $2, $3, FALSE, $4, $5, $6, $5) RETURNING id",
        )
        .bind(name)
        .bind(display_name)
        .bind(&user.password_hash)
        .bind(user.demo_password.as_deref())
        .bind(now)
        .bind(by)
        .fetch_one(&mut *tx)
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(e) if is_unique_violation(&e) => {
                return Err(StoreError::UserExists {
                    name: name.to_string(),
                });
            }
            Err(e) => return Err(q("新建账号")(e)),
        };
        let detail = format!("显示名：{display_name}");
        append_audit(
            &mut tx,
            &audit_line(by, AuditAction::UserCreated, None, name, detail),
            now,
        )
        .await?;
        tx.commit().await.map_err(q("提交新建账号"))?;
        Ok(id)
    }

    async fn user(&self, id: i64) -> Result<Option<UserRow>, StoreError> {
        sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.id = $1"
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(q("读取账号"))?
        .map(|row| row_user(&row, 0))
        .transpose()
    }

    async fn user_by_name(&self, name: &str) -> Result<Option<UserRow>, StoreError> {
        sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.name = $1"
        ))
        .bind(name.trim())
        .fetch_optional(&self.pool)
        .await
        .map_err(q("读取账号"))?
        .map(|row| row_user(&row, 0))
        .transpose()
    }

    async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        sqlx::query(&format!(
            "SELECT {USER_COLUMNS} FROM users u ORDER BY u.name{BYTE_ORDER}"
        ))
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取账号"))?
        .iter()
        .map(|row| row_user(row, 0))
        .collect()
    }

    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        by: &str,
        reset: bool,
        keep_session: Option<&str>,
    ) -> Result<(), StoreError> {
        if password_hash.is_empty() {
            return Err(StoreError::EditRefused("请设置密码".into()));
        }
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        let name: String = sqlx::query_scalar(
            "UPDATE users SET password_hash = $1, demo_password = NULL, \
             password_changed_at = $2 WHERE id = $3 RETURNING name",
        )
        .bind(password_hash)
        .bind(now)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(q("修改密码"))?
        .ok_or_else(|| no_user(user_id))?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id_hash <> COALESCE($2, '')")
            .bind(user_id)
            .bind(keep_session)
            .execute(&mut *tx)
            .await
            .map_err(q("结束账号的其他登录"))?;
        let action = if reset {
            AuditAction::PasswordReset
        } else {
            AuditAction::PasswordChanged
        };
        append_audit(&mut tx, &audit_line(by, action, None, name, ""), now).await?;
        tx.commit().await.map_err(q("提交修改密码"))?;
        Ok(())
    }

    async fn set_disabled(&self, user_id: i64, disabled: bool, by: &str) -> Result<(), StoreError> {
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        let sql = format!("SELECT t.name, t.disabled FROM users t WHERE t.id = $1{FOR_UPDATE}");
        let (name, was): (String, bool) = sqlx::query_as(&sql)
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await
            .map_err(q("读取账号"))?
            .ok_or_else(|| no_user(user_id))?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(q("结束账号的登录"))?;
        }
        if was != disabled {
            sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                .bind(disabled)
                .bind(user_id)
                .execute(&mut *tx)
                .await
                .map_err(q("停用或启用账号"))?;
            let action = if disabled {
                AuditAction::UserDisabled
            } else {
                AuditAction::UserEnabled
            };
            append_audit(&mut tx, &audit_line(by, action, None, name, ""), now).await?;
        }
        tx.commit().await.map_err(q("提交停用或启用账号"))?;
        Ok(())
    }

    async fn grants(&self, user_id: i64) -> Result<Vec<GrantRow>, StoreError> {
        grants_of(&self.pool, user_id).await
    }

    async fn region_grants(&self, region_id: i64) -> Result<Vec<GrantRow>, StoreError> {
        sqlx::query(&format!(
            "{GRANT_SELECT} WHERE r.region_id = $1 ORDER BY r.user_id, r.id"
        ))
        .bind(region_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取地区的角色"))?
        .iter()
        .map(row_grant)
        .collect()
    }

    async fn grant_role(
        &self,
        user_id: i64,
        role: Role,
        region_id: Option<i64>,
        unit_id: Option<i64>,
        by: &str,
    ) -> Result<(), StoreError> {
        check_role_shape(role, region_id, unit_id)?;
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        let name = user_name(&mut tx, user_id).await?;
        let region = match region_id {
            Some(id) => Some(region_name(&mut tx, id).await?),
            None => None,
        };
        let unit = match unit_id {
            Some(id) => {
                let unit: Option<(i64, String)> =
                    sqlx::query_as("SELECT region_id, name FROM member_units WHERE id = $1")
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(q("读取成员单位"))?;
                let Some((unit_region, unit_name)) = unit else {
                    return Err(StoreError::EditRefused(format!(
                        "未找到成员单位（编号 {id}）"
                    )));
                };
                if Some(unit_region) != region_id {
                    return Err(StoreError::EditRefused(format!(
                        "成员单位“{unit_name}”不属于地区“{}”，不能在该地区为其授予填报角色",
                        region.as_deref().unwrap_or_default()
                    )));
                }
                Some(unit_name)
            }
            None => None,
        };
        let added = sqlx::query(
            "INSERT INTO user_roles (user_id, role, region_id, unit_id, granted_at, granted_by) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
        )
        .bind(user_id)
        .bind(role.code())
        .bind(region_id)
        .bind(unit_id)
        .bind(now)
        .bind(by)
        .execute(&mut *tx)
        .await
        .map_err(q("授予角色"))?
        .rows_affected();
        if added == 0 {
            // Held already: nothing changed, nothing to record.
            tx.rollback().await.map_err(q("结束授予角色"))?;
            return Ok(());
        }
        let detail = role_detail(role, region.as_deref(), unit.as_deref());
        append_audit(
            &mut tx,
            &audit_line(by, AuditAction::RoleGranted, region_id, name, detail),
            now,
        )
        .await?;
        tx.commit().await.map_err(q("提交授予角色"))?;
        Ok(())
    }

    async fn revoke_role(
        &self,
        user_id: i64,
        role: Role,
        region_id: Option<i64>,
        unit_id: Option<i64>,
        by: &str,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        let held: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT u.name, g.name, m.name FROM user_roles r JOIN users u ON u.id = r.user_id \
             LEFT JOIN regions g ON g.id = r.region_id \
             LEFT JOIN member_units m ON m.id = r.unit_id \
             WHERE r.user_id = $1 AND r.role = $2 AND COALESCE(r.region_id, 0) = COALESCE($3, 0) \
             AND COALESCE(r.unit_id, 0) = COALESCE($4, 0)",
        )
        .bind(user_id)
        .bind(role.code())
        .bind(region_id)
        .bind(unit_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(q("读取角色"))?;
        let Some((name, region, unit)) = held else {
            tx.rollback().await.map_err(q("结束收回角色"))?;
            return Ok(false);
        };
        sqlx::query(
            "DELETE FROM user_roles WHERE user_id = $1 AND role = $2 \
             AND COALESCE(region_id, 0) = COALESCE($3, 0) \
             AND COALESCE(unit_id, 0) = COALESCE($4, 0)",
        )
        .bind(user_id)
        .bind(role.code())
        .bind(region_id)
        .bind(unit_id)
        .execute(&mut *tx)
        .await
        .map_err(q("收回角色"))?;
        let detail = role_detail(role, region.as_deref(), unit.as_deref());
        append_audit(
            &mut tx,
            &audit_line(by, AuditAction::RoleRevoked, region_id, name, detail),
            now,
        )
        .await?;
        tx.commit().await.map_err(q("提交收回角色"))?;
        Ok(true)
    }

    async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf_token, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf_token)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(q("记录登录"))?;
        Ok(())
    }

    async fn session(&self, id_hash: &str) -> Result<Option<(SessionRow, Principal)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT s.user_id, s.created_at, s.last_seen_at, s.csrf_token, {USER_COLUMNS} \
             FROM sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.id_hash = $1 AND NOT u.disabled"
        ))
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(q("读取登录"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let session = SessionRow {
            user_id: get(&row, 0)?,
            created_at: get(&row, 1)?,
            last_seen_at: get(&row, 2)?,
            csrf_token: get(&row, 3)?,
        };
        let user = row_user(&row, 4)?;
        Ok(Some((session, principal(&self.pool, user).await?)))
    }

    async fn touch_session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(q("记录登录的使用"))?;
        Ok(())
    }

    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .map_err(q("退出登录"))?;
        Ok(())
    }

    async fn purge_sessions(
        &self,
        idle_before: DateTime<Utc>,
        created_before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let done = sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1 OR created_at < $2")
            .bind(idle_before)
            .bind(created_before)
            .execute(&self.pool)
            .await
            .map_err(q("清理过期的登录"))?;
        Ok(done.rows_affected())
    }

    async fn create_token(
        &self,
        user_id: i64,
        name: &str,
        scope: TokenScope,
        token_hash: &str,
        prefix: &str,
        by: &str,
    ) -> Result<i64, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::EditRefused("请填写令牌名称".into()));
        }
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        let owner = user_name(&mut tx, user_id).await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, scope, token_hash, prefix, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(user_id)
        .bind(name)
        .bind(scope.code())
        .bind(token_hash)
        .bind(prefix)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(q("创建接口令牌"))?;
        let detail = format!("账号：{owner}，权限：{}，前缀：{prefix}", scope.label());
        append_audit(
            &mut tx,
            &audit_line(by, AuditAction::TokenCreated, None, name, detail),
            now,
        )
        .await?;
        tx.commit().await.map_err(q("提交创建接口令牌"))?;
        Ok(id)
    }

    async fn token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(TokenRow, Principal)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS}, {USER_COLUMNS} FROM api_tokens t \
             JOIN users u ON u.id = t.user_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND NOT u.disabled"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(q("读取接口令牌"))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let mut token = row_token(&row)?;
        let user = row_user(&row, 8)?;
        // Last use to the minute: a machine's every request must not be a database write
        // (on SQLite each would queue behind the one writer).
        let recent = token
            .last_used_at
            .is_some_and(|t| now - t < chrono::Duration::seconds(60));
        if !recent {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token.id)
                .execute(&self.pool)
                .await
                .map_err(q("记录接口令牌的使用"))?;
            token.last_used_at = Some(now);
        }
        Ok(Some((token, principal(&self.pool, user).await?)))
    }

    async fn tokens(&self, user_id: i64) -> Result<Vec<TokenRow>, StoreError> {
        sqlx::query(&format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.user_id = $1 \
             ORDER BY t.created_at DESC, t.id DESC"
        ))
        .bind(user_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取接口令牌"))?
        .iter()
        .map(row_token)
        .collect()
    }

    async fn revoke_token(
        &self,
        user_id: i64,
        token_id: i64,
        by: &str,
    ) -> Result<bool, StoreError> {
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        let revoked: Option<String> = sqlx::query_scalar(
            "UPDATE api_tokens SET revoked_at = $1 \
             WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL RETURNING name",
        )
        .bind(now)
        .bind(token_id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(q("吊销接口令牌"))?;
        let Some(name) = revoked else {
            tx.rollback().await.map_err(q("结束吊销接口令牌"))?;
            return Ok(false);
        };
        let owner = user_name(&mut tx, user_id).await?;
        append_audit(
            &mut tx,
            &audit_line(
                by,
                AuditAction::TokenRevoked,
                None,
                name,
                format!("账号：{owner}"),
            ),
            now,
        )
        .await?;
        tx.commit().await.map_err(q("提交吊销接口令牌"))?;
        Ok(true)
    }

    async fn record_login_failure(
        &self,
        account: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO login_failures (account, address, at) VALUES ($1, $2, $3)")
            .bind(account.trim())
            .bind(address)
            .bind(at)
            .execute(&self.pool)
            .await
            .map_err(q("记录登录失败"))?;
        Ok(())
    }

    async fn login_failures(
        &self,
        account: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<(i64, i64), StoreError> {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM login_failures WHERE account = $1 AND at >= $3), \
             (SELECT COUNT(*) FROM login_failures WHERE address = $2 AND at >= $3)",
        )
        .bind(account.trim())
        .bind(address)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .map_err(q("统计登录失败"))
    }

    async fn clear_login_failures(&self, account: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM login_failures WHERE account = $1")
            .bind(account.trim())
            .execute(&self.pool)
            .await
            .map_err(q("清除登录失败记录"))?;
        Ok(())
    }

    async fn member_units(&self, region_id: i64) -> Result<Vec<MemberUnit>, StoreError> {
        sqlx::query(&format!(
            "{UNIT_SELECT} WHERE region_id = $1 ORDER BY name{BYTE_ORDER}"
        ))
        .bind(region_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取成员单位"))?
        .iter()
        .map(row_unit)
        .collect()
    }

    async fn add_member_unit(
        &self,
        region_id: i64,
        name: &str,
        by: &str,
    ) -> Result<i64, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::EditRefused("请填写成员单位名称".into()));
        }
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        region_name(&mut tx, region_id).await?;
        let existing: Option<i64> =
            sqlx::query_scalar("SELECT id FROM member_units WHERE region_id = $1 AND name = $2")
                .bind(region_id)
                .bind(name)
                .fetch_optional(&mut *tx)
                .await
                .map_err(q("读取成员单位"))?;
        if let Some(id) = existing {
            tx.rollback().await.map_err(q("结束新增成员单位"))?;
            return Ok(id);
        }
        let id = insert_unit(&mut tx, region_id, name, by, now).await?;
        touch_region(&mut tx, region_id).await?;
        tx.commit().await.map_err(q("提交新增成员单位"))?;
        Ok(id)
    }

    async fn seed_assignments(
        &self,
        region_id: i64,
        seeds: &[AssignmentSeed],
        change: &Change,
    ) -> Result<usize, StoreError> {
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        region_name(&mut tx, region_id).await?;
        let mut units: HashMap<String, i64> = region_units(&mut tx, region_id)
            .await?
            .into_iter()
            .map(|(id, name)| (name, id))
            .collect();
        let mut assigned = 0usize;
        for seed in seeds {
            let lead = seed.lead.trim();
            if lead.is_empty() {
                continue;
            }
            let target_region: Option<i64> =
                sqlx::query_scalar("SELECT region_id FROM system_targets WHERE id = $1")
                    .bind(seed.target_id)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(q("读取目标"))?;
            match target_region {
                None => return Err(StoreError::TargetNotFound { id: seed.target_id }),
                Some(r) if r != region_id => {
                    return Err(StoreError::EditRefused(format!(
                        "目标 {} 不属于该地区，不能为其初始化责任单位",
                        seed.target_id
                    )));
                }
                Some(_) => {}
            }
            let has: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(version) FROM target_assignments WHERE target_id = $1",
            )
            .bind(seed.target_id)
            .fetch_one(&mut *tx)
            .await
            .map_err(q("读取责任单位"))?;
            if has.is_some() {
                continue;
            }
            let mut ids = Vec::with_capacity(seed.supporting.len() + 1);
            for name in std::iter::once(lead).chain(seed.supporting.iter().map(|s| s.trim())) {
                if name.is_empty() {
                    continue;
                }
                let id = match units.get(name) {
                    Some(&id) => id,
                    None => {
                        let id = insert_unit(&mut tx, region_id, name, &change.by, now).await?;
                        units.insert(name.to_string(), id);
                        id
                    }
                };
                ids.push(id);
            }
            let lead_id = ids.first().copied();
            let supporting = supporting_set(lead_id, ids.get(1..).unwrap_or_default());
            insert_assignment(
                &mut tx,
                seed.target_id,
                1,
                lead_id,
                &supporting,
                change,
                now,
            )
            .await?;
            assigned += 1;
        }
        if assigned > 0 {
            append_audit(
                &mut tx,
                &audit_line(
                    &change.by,
                    AuditAction::AssignmentChanged,
                    Some(region_id),
                    format!("{assigned} 个目标"),
                    format!("初始化责任单位；原因：{}", change.why),
                ),
                now,
            )
            .await?;
            touch_region(&mut tx, region_id).await?;
            tx.commit().await.map_err(q("提交责任单位"))?;
        } else {
            tx.commit().await.map_err(q("提交成员单位"))?;
        }
        Ok(assigned)
    }

    async fn assignments(&self, region_id: i64) -> Result<Vec<Assignment>, StoreError> {
        let rows = sqlx::query(&format!(
            "{ASSIGNMENT_SELECT} JOIN system_targets t ON t.id = a.target_id \
             WHERE t.region_id = $1 AND a.version = \
             (SELECT MAX(m.version) FROM target_assignments m WHERE m.target_id = a.target_id) \
             ORDER BY a.target_id"
        ))
        .bind(region_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取责任单位"))?;
        let units: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT s.target_id, s.version, s.unit_id FROM target_assignment_units s \
             JOIN system_targets t ON t.id = s.target_id \
             WHERE t.region_id = $1 AND s.version = \
             (SELECT MAX(m.version) FROM target_assignments m WHERE m.target_id = s.target_id)",
        )
        .bind(region_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取配合单位"))?;
        assemble(&rows, units)
    }

    async fn assignment_history(&self, target_id: i64) -> Result<Vec<Assignment>, StoreError> {
        let rows = sqlx::query(&format!(
            "{ASSIGNMENT_SELECT} WHERE a.target_id = $1 ORDER BY a.version"
        ))
        .bind(target_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取责任单位的修改历史"))?;
        let units: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT target_id, version, unit_id FROM target_assignment_units \
             WHERE target_id = $1",
        )
        .bind(target_id)
        .fetch_all(&self.pool)
        .await
        .map_err(q("读取配合单位"))?;
        assemble(&rows, units)
    }

    async fn assign(
        &self,
        target_id: i64,
        lead: Option<i64>,
        supporting: &[i64],
        expected_version: Option<i64>,
        change: &Change,
    ) -> Result<Assignment, StoreError> {
        let now = Utc::now();
        let mut tx = begin(&self.writer).await?;
        let target: Option<(i64, String, String)> = sqlx::query_as(
            "SELECT t.region_id, r.name, v.indicator FROM system_targets t \
             JOIN regions r ON r.id = t.region_id \
             JOIN system_target_versions v ON v.target_id = t.id AND v.version = t.version \
             WHERE t.id = $1",
        )
        .bind(target_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(q("读取目标"))?;
        let Some((region_id, region, indicator)) = target else {
            return Err(StoreError::TargetNotFound { id: target_id });
        };
        let current: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM target_assignments WHERE target_id = $1")
                .bind(target_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(q("读取责任单位"))?;
        if current != expected_version {
            return Err(StoreError::Conflict {
                id: target_id,
                expected: ms::version_u32(expected_version.unwrap_or(0))?,
                found: ms::version_u32(current.unwrap_or(0))?,
            });
        }
        let units = region_units(&mut tx, region_id).await?;
        if let Some(stranger) = lead
            .iter()
            .chain(supporting)
            .find(|u| !units.contains_key(u))
        {
            return Err(StoreError::EditRefused(format!(
                "成员单位（编号 {stranger}）不是地区“{region}”的成员单位"
            )));
        }
        let supporting = supporting_set(lead, supporting);
        let version = current.unwrap_or(0) + 1;
        insert_assignment(&mut tx, target_id, version, lead, &supporting, change, now).await?;
        let detail = format!(
            "牵头单位：{}；配合单位：{}；原因：{}",
            unit_names(&units, &lead.into_iter().collect::<Vec<_>>()),
            unit_names(&units, &supporting),
            change.why
        );
        append_audit(
            &mut tx,
            &audit_line(
                &change.by,
                AuditAction::AssignmentChanged,
                Some(region_id),
                format!("目标 {target_id}（{indicator}）"),
                detail,
            ),
            now,
        )
        .await?;
        touch_region(&mut tx, region_id).await?;
        tx.commit().await.map_err(q("提交责任单位"))?;
        self.assignment_history(target_id)
            .await?
            .into_iter()
            .find(|a| a.version == version)
            .ok_or(StoreError::TargetNotFound { id: target_id })
    }

    async fn audit(&self, entry: &NewAudit) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(q("写入审计日志"))?;
        append_audit(&mut tx, entry, Utc::now()).await?;
        tx.commit().await.map_err(q("写入审计日志"))
    }

    async fn audit_log(
        &self,
        region_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        const SELECT: &str = "SELECT id, at, actor, action, region_id, subject, detail, address \
             FROM audit_log";
        let rows = match region_id {
            Some(region) => {
                sqlx::query(&format!(
                    "{SELECT} WHERE region_id = $1 ORDER BY id DESC LIMIT $2"
                ))
                .bind(region)
                .bind(limit.max(0))
                .fetch_all(&self.pool)
                .await
            }
            None => {
                sqlx::query(&format!("{SELECT} ORDER BY id DESC LIMIT $1"))
                    .bind(limit.max(0))
                    .fetch_all(&self.pool)
                    .await
            }
        }
        .map_err(q("读取审计日志"))?;
        rows.iter().map(row_audit).collect()
    }
}
