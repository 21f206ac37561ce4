//! The people story ([`crate::people`]) every [`Store`] must tell the same way: accounts,
//! roles, sessions, tokens, failed logins, member units with their assignments, and the
//! audit line each change leaves. Run on both databases by `tests/it`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::member_units::{self, SEED_BY};
use crate::people::{AuditAction, AuditEntry, NewAudit, NewUser};
use crate::story_system::seeded;
use crate::system::Change;
use crate::{Store, StoreError};
use chrono::{DateTime, Duration, TimeZone, Utc};
use planwatch_core::access::{Role, TokenScope};

/// A fixed time, in whole seconds (both databases keep it exactly).
pub fn at(minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 8, minute, 0).unwrap()
}

pub fn new_user(name: &str) -> NewUser {
    NewUser {
        name: name.into(),
        display_name: format!("{name}（县妇儿工委办）"),
        password_hash: format!("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA${name}"),
        demo_password: None,
    }
}

/// The audit lines of one kind, newest first.
async fn lines(store: &dyn Store, action: AuditAction) -> Vec<AuditEntry> {
    store
        .audit_log(None, 1000)
        .await
        .expect("audit log")
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

fn who(why: &str) -> Change {
    Change::new("王主任", why).expect("change")
}

/// The hashes the web crate would store: 64 hex digits.
fn hash(n: u32) -> String {
    format!("{n:064x}")
}

/// Accounts: creation, a taken name, passwords (sessions end, the demo password goes),
/// disabling (sessions end at once, tokens stop working) and enabling again.
pub async fn accounts(store: &dyn Store) {
    assert_eq!(store.user_counts().await.expect("counts"), (0, 0));
    let mut demo = new_user(" admin ");
    demo.demo_password = Some("demo-admin".into());
    let admin = store.create_user(&demo, "安装程序").await.expect("create");
    store
        .grant_role(admin, Role::Admin, None, None, "安装程序")
        .await
        .expect("admin");
    assert_eq!(store.user_counts().await.expect("counts"), (1, 1));
    let err = store
        .create_user(&new_user("admin"), "安装程序")
        .await
        .expect_err("taken");
    assert!(
        matches!(&err, StoreError::UserExists { name } if name == "admin"),
        "{err:?}"
    );
    let err = store
        .create_user(&new_user("  "), "安装程序")
        .await
        .expect_err("no name");
    assert!(matches!(err, StoreError::EditRefused(_)), "{err:?}");

    let zhang = store
        .create_user(&new_user("zhangsan"), "admin")
        .await
        .expect("create");
    let row = store.user(admin).await.expect("user").expect("exists");
    assert_eq!(row.name, "admin", "the name is trimmed");
    assert_eq!(row.display_name, " admin （县妇儿工委办）".trim());
    assert_eq!(row.demo_password.as_deref(), Some("demo-admin"));
    assert!(!row.disabled);
    assert_eq!(row.created_by, "安装程序");
    assert_eq!(
        store.user_by_name(" admin").await.expect("by name"),
        Some(row.clone())
    );
    assert_eq!(store.user_by_name("nobody").await.expect("by name"), None);
    assert_eq!(store.user(9_999_999).await.expect("user"), None);
    let names: Vec<String> = store
        .users()
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.name)
        .collect();
    assert_eq!(names, ["admin", "zhangsan"]);

    // A new password ends every other session and clears the demo password.
    for n in 1..=3 {
        store
            .create_session(&hash(n), admin, "csrf", at(n))
            .await
            .expect("session");
    }
    store
        .set_password(admin, "$argon2id$new", "admin", false, Some(&hash(1)))
        .await
        .expect("password");
    let row = store.user(admin).await.expect("user").expect("exists");
    assert_eq!(row.password_hash, "$argon2id$new");
    assert_eq!(row.demo_password, None);
    assert!(store.session(&hash(1)).await.expect("session").is_some());
    assert!(store.session(&hash(2)).await.expect("session").is_none());
    assert!(store.session(&hash(3)).await.expect("session").is_none());
    store
        .set_password(admin, "$argon2id$reset", "root", true, None)
        .await
        .expect("reset");
    assert!(store.session(&hash(1)).await.expect("session").is_none());
    let changed = lines(store, AuditAction::PasswordChanged).await;
    assert_eq!(changed.len(), 1);
    assert_eq!(
        (changed[0].actor.as_str(), changed[0].subject.as_str()),
        ("admin", "admin")
    );
    let reset = lines(store, AuditAction::PasswordReset).await;
    assert_eq!(reset.len(), 1);
    assert_eq!(reset[0].actor, "root");
    let err = store
        .set_password(9_999_999, "$argon2id$x", "root", true, None)
        .await
        .expect_err("no such user");
    assert!(matches!(err, StoreError::EditRefused(_)), "{err:?}");

    // Disabling ends sessions at once and stops tokens; enabling lets tokens work again.
    store
        .create_session(&hash(10), zhang, "csrf-10", at(10))
        .await
        .expect("session");
    store
        .create_token(
            zhang,
            "报送脚本",
            TokenScope::Write,
            &hash(11),
            "pw_abcd",
            "zhangsan",
        )
        .await
        .expect("token");
    assert!(
        store
            .token(&hash(11), at(11))
            .await
            .expect("token")
            .is_some()
    );
    store
        .set_disabled(zhang, true, "admin")
        .await
        .expect("disable");
    assert!(
        store
            .user(zhang)
            .await
            .expect("user")
            .expect("exists")
            .disabled
    );
    assert!(store.session(&hash(10)).await.expect("session").is_none());
    assert!(
        store
            .token(&hash(11), at(12))
            .await
            .expect("token")
            .is_none()
    );
    store
        .set_disabled(zhang, true, "admin")
        .await
        .expect("again");
    store
        .set_disabled(zhang, false, "admin")
        .await
        .expect("enable");
    assert!(
        store.session(&hash(10)).await.expect("session").is_none(),
        "it stays ended"
    );
    assert!(
        store
            .token(&hash(11), at(13))
            .await
            .expect("token")
            .is_some()
    );
    assert_eq!(
        lines(store, AuditAction::UserDisabled).await.len(),
        1,
        "once"
    );
    assert_eq!(lines(store, AuditAction::UserEnabled).await.len(), 1);

    // The last enabled administrator disabled: none left.
    store
        .set_disabled(admin, true, "root")
        .await
        .expect("disable");
    assert_eq!(store.user_counts().await.expect("counts"), (2, 0));
    let created = lines(store, AuditAction::UserCreated).await;
    let subjects: Vec<&str> = created.iter().map(|e| e.subject.as_str()).collect();
    assert_eq!(subjects, ["zhangsan", "admin"], "newest first");
    assert!(created.iter().all(|e| e.region_id.is_none()));
}

/// Roles: what each needs, regions that do not exist, units of another region, a role
/// given twice, taking back; and the roles a session carries.
pub async fn roles(store: &dyn Store) {
    let county = seeded(store, "连平县").await;
    let other = seeded(store, "和平县").await;
    let user = store
        .create_user(&new_user("lisi"), "admin")
        .await
        .expect("create");
    store
        .grant_role(user, Role::Office, Some(county.id), None, "admin")
        .await
        .expect("grant");
    store
        .grant_role(user, Role::Office, Some(county.id), None, "admin")
        .await
        .expect("again: nothing changes");
    let grants = store.grants(user).await.expect("grants");
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0].grant.role, Role::Office);
    assert_eq!(grants[0].grant.region_id, Some(county.id));
    assert_eq!(
        grants[0].grant.region_path.as_deref(),
        Some("广东省/河源市/连平县")
    );
    assert_eq!(grants[0].region_name.as_deref(), Some("连平县"));
    assert_eq!(grants[0].granted_by, "admin");
    let granted = lines(store, AuditAction::RoleGranted).await;
    assert_eq!(granted.len(), 1, "a role given twice is recorded once");
    assert_eq!(granted[0].region_id, Some(county.id));
    assert_eq!(granted[0].subject, "lisi");
    assert!(
        granted[0].detail.contains("妇儿工委办"),
        "{}",
        granted[0].detail
    );

    // What each role needs.
    for (role, region, unit) in [
        (Role::Admin, Some(county.id), None),
        (Role::Office, None, None),
        (Role::Viewer, Some(county.id), Some(1)),
        (Role::Reporter, Some(county.id), None),
    ] {
        let err = store
            .grant_role(user, role, region, unit, "admin")
            .await
            .expect_err("refused");
        assert!(
            matches!(err, StoreError::EditRefused(_)),
            "{role:?}: {err:?}"
        );
    }
    let err = store
        .grant_role(user, Role::Viewer, Some(9_999_999), None, "admin")
        .await
        .expect_err("no such region");
    assert!(
        matches!(&err, StoreError::RegionNotFound { query } if query == "9999999"),
        "{err:?}"
    );

    // A reporter's unit must be of the role's region.
    let mine = store
        .add_member_unit(county.id, "卫健委", "admin")
        .await
        .expect("unit");
    let foreign = store
        .add_member_unit(other.id, "卫健委", "admin")
        .await
        .expect("unit");
    assert_ne!(mine, foreign);
    let err = store
        .grant_role(
            user,
            Role::Reporter,
            Some(county.id),
            Some(foreign),
            "admin",
        )
        .await
        .expect_err("a unit of another region");
    assert!(
        matches!(&err, StoreError::EditRefused(m) if m.contains("不属于")),
        "{err:?}"
    );
    store
        .grant_role(user, Role::Reporter, Some(county.id), Some(mine), "admin")
        .await
        .expect("reporter");
    let reporter = store.grants(user).await.expect("grants");
    assert_eq!(reporter[1].grant.unit_id, Some(mine));
    assert_eq!(reporter[1].unit_name.as_deref(), Some("卫健委"));
    assert_eq!(
        store.region_grants(county.id).await.expect("grants").len(),
        2
    );
    assert!(
        store
            .region_grants(other.id)
            .await
            .expect("grants")
            .is_empty()
    );

    // The roles a session carries.
    store
        .create_session(&hash(1), user, "csrf", at(0))
        .await
        .expect("session");
    let (_, principal) = store
        .session(&hash(1))
        .await
        .expect("session")
        .expect("found");
    assert_eq!(principal.user.name, "lisi");
    let roles: Vec<Role> = principal.grants.iter().map(|g| g.role).collect();
    assert_eq!(roles, [Role::Office, Role::Reporter]);

    // Taking back.
    assert!(
        store
            .revoke_role(user, Role::Office, Some(county.id), None, "admin")
            .await
            .expect("revoke")
    );
    assert!(
        !store
            .revoke_role(user, Role::Office, Some(county.id), None, "admin")
            .await
            .expect("revoke")
    );
    assert!(
        !store
            .revoke_role(
                user,
                Role::Reporter,
                Some(county.id),
                Some(foreign),
                "admin"
            )
            .await
            .expect("revoke")
    );
    let left = store.grants(user).await.expect("grants");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].grant.role, Role::Reporter);
    let revoked = lines(store, AuditAction::RoleRevoked).await;
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].region_id, Some(county.id));

    // The administrator's role, on no region.
    store
        .grant_role(user, Role::Admin, None, None, "admin")
        .await
        .expect("admin");
    assert!(
        store
            .grants(user)
            .await
            .expect("grants")
            .iter()
            .any(|g| g.grant.role == Role::Admin && g.region_name.is_none())
    );
    assert!(
        store
            .revoke_role(user, Role::Admin, None, None, "admin")
            .await
            .expect("revoke")
    );
}

/// Sessions: created, read with the account, touched, ended, purged; none of it touches
/// a region's generation.
pub async fn sessions(store: &dyn Store) {
    let county = seeded(store, "连平县").await;
    let generation = store.generation(None).await.expect("generation");
    let user = store
        .create_user(&new_user("wangwu"), "admin")
        .await
        .expect("create");
    store
        .create_session(&hash(1), user, "csrf-1", at(0))
        .await
        .expect("session");
    store
        .create_session(&hash(2), user, "csrf-2", at(5))
        .await
        .expect("session");
    let (session, principal) = store
        .session(&hash(1))
        .await
        .expect("session")
        .expect("found");
    assert_eq!(session.user_id, user);
    assert_eq!(session.created_at, at(0));
    assert_eq!(session.last_seen_at, at(0));
    assert_eq!(session.csrf_token, "csrf-1");
    assert_eq!(principal.user.name, "wangwu");
    assert!(principal.grants.is_empty());
    assert!(store.session(&hash(99)).await.expect("session").is_none());

    store.touch_session(&hash(1), at(30)).await.expect("touch");
    let (session, _) = store
        .session(&hash(1))
        .await
        .expect("session")
        .expect("found");
    assert_eq!((session.created_at, session.last_seen_at), (at(0), at(30)));

    // Idle since before 20 minutes: the second one (seen at 5); created before 0: none.
    assert_eq!(store.purge_sessions(at(20), at(0)).await.expect("purge"), 1);
    assert!(store.session(&hash(2)).await.expect("session").is_none());
    // Created before 1 minute: the first one, however recently seen.
    store
        .create_session(&hash(3), user, "csrf-3", at(40))
        .await
        .expect("session");
    assert_eq!(store.purge_sessions(at(0), at(1)).await.expect("purge"), 1);
    assert!(store.session(&hash(1)).await.expect("session").is_none());
    assert!(store.session(&hash(3)).await.expect("session").is_some());
    store.delete_session(&hash(3)).await.expect("delete");
    store
        .delete_session(&hash(3))
        .await
        .expect("deleting twice is fine");
    assert!(store.session(&hash(3)).await.expect("session").is_none());

    // Logins and tokens are no change of a region's data.
    store
        .create_token(user, "脚本", TokenScope::Read, &hash(7), "pw_7", "wangwu")
        .await
        .expect("token");
    store.token(&hash(7), at(50)).await.expect("token");
    store
        .record_login_failure("wangwu", "10.0.0.1", at(51))
        .await
        .expect("failure");
    assert_eq!(
        store.generation(None).await.expect("generation"),
        generation
    );
    assert!(store.region(county.id).await.expect("region").is_some());
}

/// API tokens: created (audited), looked up (their use recorded), listed newest first,
/// revoked only by their owner, and then never found again.
pub async fn tokens(store: &dyn Store) {
    let user = store
        .create_user(&new_user("zhaoliu"), "admin")
        .await
        .expect("create");
    let other = store
        .create_user(&new_user("sunqi"), "admin")
        .await
        .expect("create");
    store
        .grant_role(user, Role::Admin, None, None, "admin")
        .await
        .expect("admin");
    let first = store
        .create_token(
            user,
            " 报送脚本 ",
            TokenScope::Write,
            &hash(1),
            "pw_1111",
            "zhaoliu",
        )
        .await
        .expect("token");
    let second = store
        .create_token(
            user,
            "只读看板",
            TokenScope::Read,
            &hash(2),
            "pw_2222",
            "zhaoliu",
        )
        .await
        .expect("token");
    let err = store
        .create_token(user, " ", TokenScope::Read, &hash(3), "pw_3333", "zhaoliu")
        .await
        .expect_err("no name");
    assert!(matches!(err, StoreError::EditRefused(_)), "{err:?}");

    let (token, principal) = store
        .token(&hash(1), at(10))
        .await
        .expect("token")
        .expect("found");
    assert_eq!(token.id, first);
    assert_eq!(token.name, "报送脚本");
    assert_eq!(token.scope, TokenScope::Write);
    assert_eq!(token.prefix, "pw_1111");
    assert_eq!(token.last_used_at, Some(at(10)));
    assert_eq!(principal.user.id, user);
    assert_eq!(principal.grants.len(), 1);
    assert!(
        store
            .token(&hash(9), at(10))
            .await
            .expect("token")
            .is_none()
    );

    let listed = store.tokens(user).await.expect("tokens");
    let ids: Vec<i64> = listed.iter().map(|t| t.id).collect();
    assert_eq!(ids, [second, first], "newest first");
    assert_eq!(listed[1].last_used_at, Some(at(10)), "its use is recorded");
    assert_eq!(listed[0].last_used_at, None);
    // Within a minute a use writes nothing; later it is recorded again.
    let soon = at(10) + chrono::Duration::seconds(30);
    let (token, _) = store
        .token(&hash(1), soon)
        .await
        .expect("token")
        .expect("found");
    assert_eq!(token.last_used_at, Some(at(10)));
    let (token, _) = store
        .token(&hash(1), at(12))
        .await
        .expect("token")
        .expect("found");
    assert_eq!(token.last_used_at, Some(at(12)));
    let listed = store.tokens(user).await.expect("tokens");
    assert_eq!(listed[1].last_used_at, Some(at(12)));
    assert!(store.tokens(other).await.expect("tokens").is_empty());

    assert!(
        !store
            .revoke_token(other, first, "sunqi")
            .await
            .expect("revoke"),
        "not theirs"
    );
    assert!(
        store
            .revoke_token(user, first, "zhaoliu")
            .await
            .expect("revoke")
    );
    assert!(
        !store
            .revoke_token(user, first, "zhaoliu")
            .await
            .expect("revoke"),
        "revoked already"
    );
    assert!(
        store
            .token(&hash(1), at(11))
            .await
            .expect("token")
            .is_none()
    );
    assert!(
        store
            .token(&hash(2), at(11))
            .await
            .expect("token")
            .is_some()
    );
    let listed = store.tokens(user).await.expect("tokens");
    assert_eq!(listed.len(), 2, "revoked tokens are listed");
    assert!(listed[1].revoked_at.is_some());
    assert!(listed[0].revoked_at.is_none());

    let created = lines(store, AuditAction::TokenCreated).await;
    assert_eq!(created.len(), 2);
    assert_eq!(created[1].subject, "报送脚本");
    assert!(created[1].detail.contains("读写"), "{}", created[1].detail);
    let revoked = lines(store, AuditAction::TokenRevoked).await;
    assert_eq!(revoked.len(), 1);
    assert_eq!(revoked[0].actor, "zhaoliu");
}

/// Failed logins counted per account and per address over a window, and forgotten for an
/// account after it signs in.
pub async fn login_failures(store: &dyn Store) {
    for (account, address, minute) in [
        ("alice", "10.0.0.1", 0),
        ("alice", "10.0.0.1", 1),
        ("alice", "10.0.0.2", 10),
        ("bob", "10.0.0.1", 11),
        ("nobody", "10.0.0.1", 12),
    ] {
        store
            .record_login_failure(account, address, at(minute))
            .await
            .expect("failure");
    }
    let count = async |account, address, since| {
        store
            .login_failures(account, address, since)
            .await
            .expect("count")
    };
    assert_eq!(count("alice", "10.0.0.1", at(0)).await, (3, 4));
    assert_eq!(
        count("alice", "10.0.0.1", at(1)).await,
        (2, 3),
        "the window includes its start"
    );
    assert_eq!(count("alice", "10.0.0.1", at(5)).await, (1, 2));
    assert_eq!(count("alice", "10.0.0.9", at(0)).await, (3, 0));
    assert_eq!(count("carol", "10.0.0.2", at(0)).await, (0, 1));
    assert_eq!(count("alice", "10.0.0.1", at(13)).await, (0, 0));
    store.clear_login_failures("alice").await.expect("clear");
    assert_eq!(count("alice", "10.0.0.1", at(0)).await, (0, 2));
    assert_eq!(count("bob", "10.0.0.1", at(0)).await, (1, 2), "others stay");
}

/// What the fixture's plans and the catalog name (the catalog crate's `unit_names` and
/// departments, cut short for the story).
pub fn owner_units(text: &str) -> Vec<String> {
    text.split('、')
        .map(|n| match n.trim().trim_start_matches('县') {
            "卫生健康局" => "卫健委".to_string(),
            other => other.to_string(),
        })
        .collect()
}

pub fn departments_of(code: &str) -> Vec<String> {
    match code {
        "W-HEA-03" => vec!["卫健委".into(), "统计局".into()],
        "C-HEA-02" => vec!["卫健委".into(), "妇联".into(), "医保局".into()],
        _ => vec![],
    }
}

/// Member units seeded from the plans and the catalog, assignments changed in versions
/// (stale versions refused, units of other regions refused), with their audit lines and
/// the region's generation raised.
pub async fn units_and_assignments(store: &dyn Store) {
    let county = seeded(store, "连平县").await;
    let other = seeded(store, "和平县").await;
    let targets = store.system_targets(county.id).await.expect("targets");
    let by_name = |name: &str| {
        targets
            .iter()
            .find(|t| t.state.indicator == name)
            .expect(name)
            .clone()
    };
    let maternal = by_name("孕产妇死亡率");
    let school = by_name("高中阶段教育毛入学率");
    let infant = by_name("婴儿死亡率");
    assert_eq!(maternal.state.owner.as_deref(), Some("县卫生健康局"));
    assert_eq!(infant.state.owner, None);

    let before = store.generation(None).await.expect("generation");
    let seeded_count =
        member_units::seed_member_units(store, county.id, owner_units, departments_of)
            .await
            .expect("seed");
    let expected = targets
        .iter()
        .filter(|t| {
            t.state.owner.is_some()
                || matches!(t.state.code.as_deref(), Some("W-HEA-03" | "C-HEA-02"))
        })
        .count();
    assert_eq!(seeded_count, expected);
    assert!(store.generation(None).await.expect("generation") != before);
    let units = store.member_units(county.id).await.expect("units");
    let unit = |name: &str| units.iter().find(|u| u.name == name).expect(name).id;
    assert!(
        units
            .iter()
            .all(|u| u.region_id == county.id && u.created_by == SEED_BY)
    );
    let (health, aid, insurance) = (unit("卫健委"), unit("妇联"), unit("医保局"));
    assert!(units.iter().any(|u| u.name == "教育局"));
    assert!(
        !units.iter().any(|u| u.name == "统计局"),
        "the plan names 孕产妇死亡率's owner"
    );

    let current = store.assignments(county.id).await.expect("assignments");
    assert_eq!(current.len(), seeded_count);
    let of = |id: i64| {
        current
            .iter()
            .find(|a| a.target_id == id)
            .expect("assigned")
            .clone()
    };
    let first = of(maternal.id);
    assert_eq!((first.version, first.lead), (1, Some(health)));
    assert!(first.supporting.is_empty());
    assert_eq!(first.changed_by, SEED_BY);
    let baby = of(infant.id);
    assert_eq!(baby.lead, Some(health));
    let mut support = vec![aid, insurance];
    support.sort_unstable();
    assert_eq!(baby.supporting, support, "by id, without the lead");
    assert_eq!(of(school.id).lead, Some(unit("教育局")));
    let audited = lines(store, AuditAction::UnitAdded).await;
    assert_eq!(audited.len(), units.len());
    assert!(audited.iter().all(|e| e.region_id == Some(county.id)));

    // Seeding again leaves what is there.
    assert_eq!(
        member_units::seed_member_units(store, county.id, owner_units, departments_of)
            .await
            .expect("seed"),
        0
    );

    // A person changes one: version 2, audited, the generation raised.
    let before = store.generation(None).await.expect("generation");
    let changed = store
        .assign(
            maternal.id,
            Some(aid),
            &[health, aid, health],
            Some(1),
            &who("妇联牵头更合适"),
        )
        .await
        .expect("assign");
    assert_eq!(changed.version, 2);
    assert_eq!(changed.lead, Some(aid));
    assert_eq!(changed.supporting, vec![health]);
    assert_eq!(changed.changed_by, "王主任");
    assert_eq!(changed.why, "妇联牵头更合适");
    assert!(store.generation(None).await.expect("generation") != before);
    let history = store
        .assignment_history(maternal.id)
        .await
        .expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0], first);
    assert_eq!(history[1], changed);
    assert_eq!(
        store
            .assignments(county.id)
            .await
            .expect("assignments")
            .iter()
            .find(|a| a.target_id == maternal.id),
        Some(&changed)
    );

    // A stale version is refused, and so is a unit of another region; nothing is written.
    let err = store
        .assign(maternal.id, Some(health), &[], Some(1), &who("晚了"))
        .await
        .expect_err("stale");
    assert!(
        matches!(
            err,
            StoreError::Conflict {
                expected: 1,
                found: 2,
                ..
            }
        ),
        "{err:?}"
    );
    let stranger = store
        .add_member_unit(other.id, "卫健委", "admin")
        .await
        .expect("unit");
    let err = store
        .assign(maternal.id, Some(stranger), &[], Some(2), &who("错了"))
        .await
        .expect_err("foreign unit");
    assert!(matches!(err, StoreError::EditRefused(_)), "{err:?}");
    let err = store
        .assign(
            maternal.id,
            Some(health),
            &[stranger],
            Some(2),
            &who("错了"),
        )
        .await
        .expect_err("foreign unit");
    assert!(matches!(err, StoreError::EditRefused(_)), "{err:?}");
    assert_eq!(
        store
            .assignment_history(maternal.id)
            .await
            .expect("history")
            .len(),
        2
    );
    let err = store
        .assign(9_999_999, None, &[], None, &who("没有"))
        .await
        .expect_err("no target");
    assert!(matches!(err, StoreError::TargetNotFound { .. }), "{err:?}");

    // A target nobody was assigned: its first version expects none.
    let unassigned = targets
        .iter()
        .find(|t| !current.iter().any(|a| a.target_id == t.id));
    if let Some(t) = unassigned {
        let err = store
            .assign(t.id, Some(health), &[], Some(1), &who("早了"))
            .await
            .expect_err("no version 1 yet");
        assert!(
            matches!(
                err,
                StoreError::Conflict {
                    expected: 1,
                    found: 0,
                    ..
                }
            ),
            "{err:?}"
        );
        let a = store
            .assign(t.id, None, &[], None, &who("暂不指定"))
            .await
            .expect("assign");
        assert_eq!((a.version, a.lead), (1, None));
    }

    // Units: an existing name gives its id back and records nothing.
    let added_before = lines(store, AuditAction::UnitAdded).await.len();
    assert_eq!(
        store
            .add_member_unit(county.id, " 卫健委 ", "admin")
            .await
            .expect("unit"),
        health
    );
    let tax = store
        .add_member_unit(county.id, "税务局", "admin")
        .await
        .expect("unit");
    assert!(tax > health);
    assert_eq!(
        lines(store, AuditAction::UnitAdded).await.len(),
        added_before + 1
    );
    let err = store
        .add_member_unit(9_999_999, "卫健委", "admin")
        .await
        .expect_err("no region");
    assert!(matches!(err, StoreError::RegionNotFound { .. }), "{err:?}");
    let names: Vec<String> = store
        .member_units(county.id)
        .await
        .expect("units")
        .into_iter()
        .map(|u| u.name)
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "by name");

    // The audit log of the region: the assignment with who and why.
    let log = store.audit_log(Some(county.id), 1000).await.expect("log");
    let change = log
        .iter()
        .find(|e| e.action == AuditAction::AssignmentChanged && e.detail.contains("妇联牵头更合适"))
        .expect("the change is audited");
    assert_eq!(change.actor, "王主任");
    assert!(
        change.subject.contains("孕产妇死亡率"),
        "{}",
        change.subject
    );
    assert!(
        change.detail.contains("牵头单位：妇联"),
        "{}",
        change.detail
    );
    assert!(log.iter().all(|e| e.region_id == Some(county.id)));
    assert!(log.windows(2).all(|w| w[0].id > w[1].id), "newest first");
    assert_eq!(store.audit_log(None, 2).await.expect("log").len(), 2);
}

/// Lines the web crate appends itself (logins, refusals) keep what they were given.
pub async fn audit_lines(store: &dyn Store) {
    let entry = NewAudit {
        actor: "".into(),
        action: AuditAction::LoginFailed,
        region_id: None,
        subject: "admin ".into(),
        detail: "密码错误".into(),
        address: Some("192.0.2.7".into()),
    };
    store.audit(&entry).await.expect("audit");
    store
        .audit(&NewAudit {
            actor: "lisi".into(),
            action: AuditAction::Denied,
            region_id: Some(42),
            subject: "/regions/42/users".into(),
            detail: String::new(),
            address: Some("192.0.2.8".into()),
        })
        .await
        .expect("audit");
    let log = store.audit_log(None, 10).await.expect("log");
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, AuditAction::Denied);
    let failed = &log[1];
    assert_eq!(
        (
            failed.actor.as_str(),
            failed.subject.as_str(),
            failed.detail.as_str(),
            failed.address.as_deref(),
            failed.region_id
        ),
        ("", "admin ", "密码错误", Some("192.0.2.7"), None)
    );
    assert!((Utc::now() - failed.at) < Duration::minutes(5));
    assert_eq!(store.audit_log(Some(42), 10).await.expect("log").len(), 1);
    assert!(store.audit_log(Some(43), 10).await.expect("log").is_empty());
}

/// The people story, once per database.
#[macro_export]
macro_rules! people_story_tests {
    ($fresh:expr) => {
        #[tokio::test]
        async fn people_accounts() {
            let (store, _guard) = $fresh.await;
            $crate::story_people::accounts(&store).await;
        }
        #[tokio::test]
        async fn people_roles() {
            let (store, _guard) = $fresh.await;
            $crate::story_people::roles(&store).await;
        }
        #[tokio::test]
        async fn people_sessions() {
            let (store, _guard) = $fresh.await;
            $crate::story_people::sessions(&store).await;
        }
        #[tokio::test]
        async fn people_tokens() {
            let (store, _guard) = $fresh.await;
            $crate::story_people::tokens(&store).await;
        }
        #[tokio::test]
        async fn people_login_failures() {
            let (store, _guard) = $fresh.await;
            $crate::story_people::login_failures(&store).await;
        }
        #[tokio::test]
        async fn people_units_and_assignments() {
            let (store, _guard) = $fresh.await;
            $crate::story_people::units_and_assignments(&store).await;
        }
        #[tokio::test]
        async fn people_audit_lines() {
            let (store, _guard) = $fresh.await;
            $crate::story_people::audit_lines(&store).await;
        }
    };
}
