//! People and their boundaries, as the database keeps them: accounts, roles per region,
//! sessions, API tokens, login failures (for throttling), member units (成员单位) with the
//! targets assigned to them, and the audit log.
//!
//! Secrets never reach the database in the clear: passwords are argon2id hashes, session
//! ids and tokens are stored as their SHA-256 (the web crate hashes them), so a copy of
//! the database (a backup) lets nobody in. The audit log is append-only: no method changes
//! or deletes an entry, and triggers refuse it on both databases.

use crate::StoreError;
use crate::system::Change;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planwatch_core::access::{Grant, Role, TokenScope};

/// An account.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    pub id: i64,
    /// The login name: unique, compared as typed (after trimming).
    pub name: String,
    /// What the pages call the person ("张三（县卫健局）").
    pub display_name: String,
    /// The argon2id hash in PHC form (`$argon2id$v=19$…`).
    pub password_hash: String,
    pub disabled: bool,
    /// The password of a demo account, shown on the demo's login page; `None` for every
    /// real account, and cleared when the password is changed.
    pub demo_password: Option<String>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub password_changed_at: DateTime<Utc>,
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub name: String,
    pub display_name: String,
    pub password_hash: String,
    pub demo_password: Option<String>,
}

/// A role as stored, with the names the pages show.
#[derive(Debug, Clone, PartialEq)]
pub struct GrantRow {
    pub user_id: i64,
    pub grant: Grant,
    /// The region's name ("连平县"); `None` for the administrator.
    pub region_name: Option<String>,
    /// The member unit's name for a reporter.
    pub unit_name: Option<String>,
    pub granted_at: DateTime<Utc>,
    pub granted_by: String,
}

/// A signed-in browser. The id itself is only in the visitor's cookie.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    pub user_id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// The token every form that changes something must carry back.
    pub csrf_token: String,
}

/// An API token (the token itself is shown once and kept only as its hash).
#[derive(Debug, Clone, PartialEq)]
pub struct TokenRow {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    pub scope: TokenScope,
    /// The token's first characters, so that people can tell their tokens apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A department of a region's committee (成员单位).
#[derive(Debug, Clone, PartialEq)]
pub struct MemberUnit {
    pub id: i64,
    pub region_id: i64,
    /// The short name every page uses ("卫健委"), unique in the region.
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// Which member units a target is assigned to, as one version holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub target_id: i64,
    pub version: i64,
    /// The lead department (牵头单位); `None` when nobody is assigned yet.
    pub lead: Option<i64>,
    /// Supporting departments (配合单位), by id, ascending, without the lead.
    pub supporting: Vec<i64>,
    pub changed_at: DateTime<Utc>,
    pub changed_by: String,
    pub why: String,
}

/// The first assignment of a target, when member units are seeded.
#[derive(Debug, Clone, PartialEq)]
pub struct AssignmentSeed {
    pub target_id: i64,
    /// Unit names; created in the region when missing.
    pub lead: String,
    pub supporting: Vec<String>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    /// Who: a login name, or what a command line was given with `--by`; "" for an unknown
    /// person (a failed login with an unknown name records the name typed in `subject`).
    pub actor: String,
    pub action: AuditAction,
    pub region_id: Option<i64>,
    /// What it was about: the account, the target, the token's name.
    pub subject: String,
    /// Anything else worth keeping, in Chinese ("角色：妇儿工委办，地区：连平县").
    pub detail: String,
    /// The client's address, for what came over the network.
    pub address: Option<String>,
}

/// A line to append to the audit log.
#[derive(Debug, Clone, PartialEq)]
pub struct NewAudit {
    pub actor: String,
    pub action: AuditAction,
    pub region_id: Option<i64>,
    pub subject: String,
    pub detail: String,
    pub address: Option<String>,
}

/// What an audit line records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuditAction {
    Login,
    LoginFailed,
    Logout,
    UserCreated,
    PasswordChanged,
    PasswordReset,
    UserDisabled,
    UserEnabled,
    RoleGranted,
    RoleRevoked,
    TokenCreated,
    TokenRevoked,
    UnitAdded,
    AssignmentChanged,
    /// A request refused by the role check (403), worth seeing when someone probes.
    Denied,
    RoundOpened,
    /// Closed, reopened, or given other dates.
    RoundChanged,
    Submitted,
    Approved,
    Returned,
    /// An approved submission opened again.
    SubmissionReopened,
    /// A report published (a new version of it frozen).
    Published,
}

impl AuditAction {
    pub const ALL: [AuditAction; 22] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::Logout,
        AuditAction::UserCreated,
        AuditAction::PasswordChanged,
        AuditAction::PasswordReset,
        AuditAction::UserDisabled,
        AuditAction::UserEnabled,
        AuditAction::RoleGranted,
        AuditAction::RoleRevoked,
        AuditAction::TokenCreated,
        AuditAction::TokenRevoked,
        AuditAction::UnitAdded,
        AuditAction::AssignmentChanged,
        AuditAction::Denied,
        AuditAction::RoundOpened,
        AuditAction::RoundChanged,
        AuditAction::Submitted,
        AuditAction::Approved,
        AuditAction::Returned,
        AuditAction::SubmissionReopened,
        AuditAction::Published,
    ];

    /// The word stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::Logout => "logout",
            AuditAction::UserCreated => "user_created",
            AuditAction::PasswordChanged => "password_changed",
            AuditAction::PasswordReset => "password_reset",
            AuditAction::UserDisabled => "user_disabled",
            AuditAction::UserEnabled => "user_enabled",
            AuditAction::RoleGranted => "role_granted",
            AuditAction::RoleRevoked => "role_revoked",
            AuditAction::TokenCreated => "token_created",
            AuditAction::TokenRevoked => "token_revoked",
            AuditAction::UnitAdded => "unit_added",
            AuditAction::AssignmentChanged => "assignment_changed",
            AuditAction::Denied => "denied",
            AuditAction::RoundOpened => "round_opened",
            AuditAction::RoundChanged => "round_changed",
            AuditAction::Submitted => "submitted",
            AuditAction::Approved => "approved",
            AuditAction::Returned => "returned",
            AuditAction::SubmissionReopened => "submission_reopened",
            AuditAction::Published => "published",
        }
    }

    /// What the audit page calls it.
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Login => "登录",
            AuditAction::LoginFailed => "登录失败",
            AuditAction::Logout => "退出登录",
            AuditAction::UserCreated => "新建账号",
            AuditAction::PasswordChanged => "修改密码",
            AuditAction::PasswordReset => "重置密码",
            AuditAction::UserDisabled => "停用账号",
            AuditAction::UserEnabled => "启用账号",
            AuditAction::RoleGranted => "授予角色",
            AuditAction::RoleRevoked => "收回角色",
            AuditAction::TokenCreated => "创建接口令牌",
            AuditAction::TokenRevoked => "吊销接口令牌",
            AuditAction::UnitAdded => "新增成员单位",
            AuditAction::AssignmentChanged => "调整责任单位",
            AuditAction::Denied => "越权访问被拒绝",
            AuditAction::RoundOpened => "开启填报",
            AuditAction::RoundChanged => "调整填报轮次",
            AuditAction::Submitted => "报送数据",
            AuditAction::Approved => "审核通过",
            AuditAction::Returned => "退回修改",
            AuditAction::SubmissionReopened => "重新开启已通过的报送",
            AuditAction::Published => "发布报告",
        }
    }

    pub fn parse(code: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.code() == code)
    }
}

/// A session or token that authenticated a request: the account behind it and its roles.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub user: UserRow,
    pub grants: Vec<Grant>,
}

/// People's side of the monitoring database. Every write is one transaction; the writes
/// that change who may do what (accounts, roles, tokens, assignments) append their audit
/// line in the same transaction, so a change is never without its record.
#[async_trait]
pub trait People: Send + Sync {
    // ----- accounts -----

    /// How many accounts exist, and how many of them are enabled administrators.
    async fn user_counts(&self) -> Result<(i64, i64), StoreError>;
    /// Creates an account (audited; the name trimmed, the display name defaulting to it);
    /// [`StoreError::UserExists`] when the name is taken.
    async fn create_user(&self, user: &NewUser, by: &str) -> Result<i64, StoreError>;
    async fn user(&self, id: i64) -> Result<Option<UserRow>, StoreError>;
    async fn user_by_name(&self, name: &str) -> Result<Option<UserRow>, StoreError>;
    /// Every account, by name.
    async fn users(&self) -> Result<Vec<UserRow>, StoreError>;
    /// Sets a new password hash (clearing a demo password); `reset` says whether someone
    /// else did it (audited as a reset). Every session of the user ends but `keep_session`
    /// (the one that changed its own password).
    async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        by: &str,
        reset: bool,
        keep_session: Option<&str>,
    ) -> Result<(), StoreError>;
    /// Disables or enables an account; disabling ends its sessions at once (its tokens
    /// stop working because every token lookup checks the account).
    async fn set_disabled(&self, user_id: i64, disabled: bool, by: &str) -> Result<(), StoreError>;

    // ----- roles -----

    /// The roles of one account.
    async fn grants(&self, user_id: i64) -> Result<Vec<GrantRow>, StoreError>;
    /// The roles held on one region (for its office's user page).
    async fn region_grants(&self, region_id: i64) -> Result<Vec<GrantRow>, StoreError>;
    /// Gives a role. [`StoreError::RegionNotFound`] for a region that does not exist,
    /// [`StoreError::EditRefused`] for a unit of another region or a role without the
    /// region or unit it needs. Giving a role held already changes nothing.
    async fn grant_role(
        &self,
        user_id: i64,
        role: Role,
        region_id: Option<i64>,
        unit_id: Option<i64>,
        by: &str,
    ) -> Result<(), StoreError>;
    /// Takes a role back; `false` when the user did not hold it.
    async fn revoke_role(
        &self,
        user_id: i64,
        role: Role,
        region_id: Option<i64>,
        unit_id: Option<i64>,
        by: &str,
    ) -> Result<bool, StoreError>;

    // ----- sessions -----

    async fn create_session(
        &self,
        id_hash: &str,
        user_id: i64,
        csrf_token: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// A session with its account and roles; `None` when unknown, or when its account is
    /// disabled.
    async fn session(&self, id_hash: &str) -> Result<Option<(SessionRow, Principal)>, StoreError>;
    /// Records that the session was used (the idle timeout counts from here).
    async fn touch_session(&self, id_hash: &str, now: DateTime<Utc>) -> Result<(), StoreError>;
    async fn delete_session(&self, id_hash: &str) -> Result<(), StoreError>;
    /// Removes sessions idle since `idle_before` or created before `created_before`;
    /// returns how many.
    async fn purge_sessions(
        &self,
        idle_before: DateTime<Utc>,
        created_before: DateTime<Utc>,
    ) -> Result<u64, StoreError>;

    // ----- API tokens -----

    /// Stores a new token (audited); returns its id.
    async fn create_token(
        &self,
        user_id: i64,
        name: &str,
        scope: TokenScope,
        token_hash: &str,
        prefix: &str,
        by: &str,
    ) -> Result<i64, StoreError>;
    /// An unrevoked token with its account and roles; `None` when unknown, revoked, or its
    /// account is disabled. Records its use (at most once a minute).
    async fn token(
        &self,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<(TokenRow, Principal)>, StoreError>;
    /// A user's tokens, revoked ones included, newest first.
    async fn tokens(&self, user_id: i64) -> Result<Vec<TokenRow>, StoreError>;
    /// Revokes a token of `user_id` (audited); `false` when it is not theirs or was
    /// revoked already.
    async fn revoke_token(&self, user_id: i64, token_id: i64, by: &str)
    -> Result<bool, StoreError>;

    // ----- login throttling -----

    /// Records a failed login for the account name typed and the client's address.
    async fn record_login_failure(
        &self,
        account: &str,
        address: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Failed logins since `since`: (for this account name, from this address).
    async fn login_failures(
        &self,
        account: &str,
        address: &str,
        since: DateTime<Utc>,
    ) -> Result<(i64, i64), StoreError>;
    /// Forgets the account's failures (after a successful login).
    async fn clear_login_failures(&self, account: &str) -> Result<(), StoreError>;

    // ----- member units and assignments -----

    /// The region's member units, by name.
    async fn member_units(&self, region_id: i64) -> Result<Vec<MemberUnit>, StoreError>;
    /// Adds a member unit (audited, the region's generation raised); returns its id, or the
    /// existing one's (the name trimmed; nothing is recorded then).
    /// [`StoreError::RegionNotFound`] for a region that does not exist.
    async fn add_member_unit(
        &self,
        region_id: i64,
        name: &str,
        by: &str,
    ) -> Result<i64, StoreError>;
    /// Creates the named units that are missing and gives every seeded target that has no
    /// assignment yet its first one (version 1, by `change`); targets assigned already are
    /// left as people set them. Each unit created is audited, the assignments in one line
    /// for the region. A target of another region is refused. Returns how many targets
    /// were assigned.
    async fn seed_assignments(
        &self,
        region_id: i64,
        seeds: &[AssignmentSeed],
        change: &Change,
    ) -> Result<usize, StoreError>;
    /// The current assignment of every target of the region that has one.
    async fn assignments(&self, region_id: i64) -> Result<Vec<Assignment>, StoreError>;
    /// Every version of one target's assignment, oldest first.
    async fn assignment_history(&self, target_id: i64) -> Result<Vec<Assignment>, StoreError>;
    /// A new assignment version (audited, the region's generation raised). Units must be
    /// the target's region's ([`StoreError::EditRefused`]); `expected_version` is the
    /// current version, `None` for a target not assigned yet, else
    /// [`StoreError::Conflict`] (0 standing for "none" in its numbers). Supporting units
    /// are kept once each, without the lead.
    async fn assign(
        &self,
        target_id: i64,
        lead: Option<i64>,
        supporting: &[i64],
        expected_version: Option<i64>,
        change: &Change,
    ) -> Result<Assignment, StoreError>;

    // ----- audit log -----

    async fn audit(&self, entry: &NewAudit) -> Result<(), StoreError>;
    /// The newest `limit` lines, of one region (`Some`) or of all (`None`), newest first.
    async fn audit_log(
        &self,
        region_id: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError>;
}
