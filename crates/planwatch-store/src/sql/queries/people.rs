//! Accounts, roles, sessions, tokens, member units and the audit log (placeholder).

use super::SqlStore;
use crate::StoreError;
use crate::people::*;
use crate::system::Change;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use planwatch_core::access::{Role, TokenScope};

fn todo_people(what: &str) -> StoreError {
    StoreError::Query {
        context: what.to_string(),
        reason: "not implemented".into(),
    }
}

#[async_trait]
impl People for SqlStore {
    async fn user_counts(&self) -> Result<(i64, i64), StoreError> {
        Err(todo_people("user_counts"))
    }

    async fn create_user(&self, _user: &NewUser, _by: &str) -> Result<i64, StoreError> {
        Err(todo_people("create_user"))
    }

    async fn user(&self, _id: i64) -> Result<Option<UserRow>, StoreError> {
        Err(todo_people("user"))
    }

    async fn user_by_name(&self, _name: &str) -> Result<Option<UserRow>, StoreError> {
        Err(todo_people("user_by_name"))
    }

    async fn users(&self) -> Result<Vec<UserRow>, StoreError> {
        Err(todo_people("users"))
    }

    async fn set_password(
        &self,
        _user_id: i64,
        _password_hash: &str,
        _by: &str,
        _reset: bool,
        _keep_session: Option<&str>,
    ) -> Result<(), StoreError> {
        Err(todo_people("set_password"))
    }

    async fn set_disabled(
        &self,
        _user_id: i64,
        _disabled: bool,
        _by: &str,
    ) -> Result<(), StoreError> {
        Err(todo_people("set_disabled"))
    }

    async fn grants(&self, _user_id: i64) -> Result<Vec<GrantRow>, StoreError> {
        Err(todo_people("grants"))
    }

    async fn region_grants(&self, _region_id: i64) -> Result<Vec<GrantRow>, StoreError> {
        Err(todo_people("region_grants"))
    }

    async fn grant_role(
        &self,
        _user_id: i64,
        _role: Role,
        _region_id: Option<i64>,
        _unit_id: Option<i64>,
        _by: &str,
    ) -> Result<(), StoreError> {
        Err(todo_people("grant_role"))
    }

    async fn revoke_role(
        &self,
        _user_id: i64,
        _role: Role,
        _region_id: Option<i64>,
        _unit_id: Option<i64>,
        _by: &str,
    ) -> Result<bool, StoreError> {
        Err(todo_people("revoke_role"))
    }

    async fn create_session(
        &self,
        _id_hash: &str,
        _user_id: i64,
        _csrf_token: &str,
        _now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        Err(todo_people("create_session"))
    }

    async fn session(&self, _id_hash: &str) -> Result<Option<(SessionRow, Principal)>, StoreError> {
        Err(todo_people("session"))
    }

    async fn touch_session(&self, _id_hash: &str, _now: DateTime<Utc>) -> Result<(), StoreError> {
        Err(todo_people("touch_session"))
    }

    async fn delete_session(&self, _id_hash: &str) -> Result<(), StoreError> {
        Err(todo_people("delete_session"))
    }

    async fn purge_sessions(
        &self,
        _idle_before: DateTime<Utc>,
        _created_before: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        Err(todo_people("purge_sessions"))
    }

    async fn create_token(
        &self,
        _user_id: i64,
        _name: &str,
        _scope: TokenScope,
        _token_hash: &str,
        _prefix: &str,
        _by: &str,
    ) -> Result<i64, StoreError> {
        Err(todo_people("create_token"))
    }

    async fn token(
        &self,
        _token_hash: &str,
        _now: DateTime<Utc>,
    ) -> Result<Option<(TokenRow, Principal)>, StoreError> {
        Err(todo_people("token"))
    }

    async fn tokens(&self, _user_id: i64) -> Result<Vec<TokenRow>, StoreError> {
        Err(todo_people("tokens"))
    }

    async fn revoke_token(
        &self,
        _user_id: i64,
        _token_id: i64,
        _by: &str,
    ) -> Result<bool, StoreError> {
        Err(todo_people("revoke_token"))
    }

    async fn record_login_failure(
        &self,
        _account: &str,
        _address: &str,
        _at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        Err(todo_people("record_login_failure"))
    }

    async fn login_failures(
        &self,
        _account: &str,
        _address: &str,
        _since: DateTime<Utc>,
    ) -> Result<(i64, i64), StoreError> {
        Err(todo_people("login_failures"))
    }

    async fn clear_login_failures(&self, _account: &str) -> Result<(), StoreError> {
        Err(todo_people("clear_login_failures"))
    }

    async fn member_units(&self, _region_id: i64) -> Result<Vec<MemberUnit>, StoreError> {
        Err(todo_people("member_units"))
    }

    async fn add_member_unit(
        &self,
        _region_id: i64,
        _name: &str,
        _by: &str,
    ) -> Result<i64, StoreError> {
        Err(todo_people("add_member_unit"))
    }

    async fn seed_assignments(
        &self,
        _region_id: i64,
        _seeds: &[AssignmentSeed],
        _change: &Change,
    ) -> Result<usize, StoreError> {
        Err(todo_people("seed_assignments"))
    }

    async fn assignments(&self, _region_id: i64) -> Result<Vec<Assignment>, StoreError> {
        Err(todo_people("assignments"))
    }

    async fn assignment_history(&self, _target_id: i64) -> Result<Vec<Assignment>, StoreError> {
        Err(todo_people("assignment_history"))
    }

    async fn assign(
        &self,
        _target_id: i64,
        _lead: Option<i64>,
        _supporting: &[i64],
        _expected_version: Option<i64>,
        _change: &Change,
    ) -> Result<Assignment, StoreError> {
        Err(todo_people("assign"))
    }

    async fn audit(&self, _entry: &NewAudit) -> Result<(), StoreError> {
        Err(todo_people("audit"))
    }

    async fn audit_log(
        &self,
        _region_id: Option<i64>,
        _limit: i64,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        Err(todo_people("audit_log"))
    }
}
