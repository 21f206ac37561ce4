//! The audit log is append-only in the database itself: an UPDATE or DELETE that goes
//! around the store (a person at the SQL prompt, a bug) is refused by triggers on both
//! databases, and a failed attempt leaves the lines as they were.

use planwatch_store::people::People;
use planwatch_store::people::{AuditAction, NewAudit};
use planwatch_store::sql::test_util::{fresh_postgres, fresh_sqlite};

fn line(subject: &str) -> NewAudit {
    NewAudit {
        actor: "admin".into(),
        action: AuditAction::UserCreated,
        region_id: None,
        subject: subject.into(),
        detail: String::new(),
        address: None,
    }
}

async fn fill(store: &dyn People) -> Vec<planwatch_store::people::AuditEntry> {
    store.audit(&line("zhangsan")).await.expect("audit");
    store.audit(&line("lisi")).await.expect("audit");
    store.audit_log(None, 10).await.expect("log")
}

#[tokio::test]
async fn sqlite_refuses_to_change_or_delete_audit_lines() {
    let (store, _dir) = fresh_sqlite().await.expect("sqlite");
    let before = fill(&store).await;
    for (sql, message) in [
        (
            "UPDATE audit_log SET actor = 'someone else'",
            "审计日志不可修改",
        ),
        (
            "DELETE FROM audit_log WHERE subject = 'lisi'",
            "审计日志不可删除",
        ),
        ("DELETE FROM audit_log", "审计日志不可删除"),
    ] {
        let err = sqlx::query(sql).execute(store.pool()).await.expect_err(sql);
        assert!(err.to_string().contains(message), "{sql}: {err}");
    }
    assert_eq!(store.audit_log(None, 10).await.expect("log"), before);
}

#[tokio::test]
async fn postgres_refuses_to_change_delete_or_truncate_audit_lines() {
    let (store, _db) = fresh_postgres().await.expect("postgres");
    let before = fill(&store).await;
    for (sql, message) in [
        (
            "UPDATE audit_log SET actor = 'someone else'",
            "审计日志不可修改",
        ),
        (
            "DELETE FROM audit_log WHERE subject = 'lisi'",
            "审计日志不可删除",
        ),
        ("DELETE FROM audit_log", "审计日志不可删除"),
        ("TRUNCATE audit_log", "审计日志不可删除"),
    ] {
        let err = sqlx::query(sql).execute(store.pool()).await.expect_err(sql);
        assert!(err.to_string().contains(message), "{sql}: {err}");
    }
    assert_eq!(store.audit_log(None, 10).await.expect("log"), before);
}

/// A user, a county and a unit of another county, for what the schema itself refuses.
async fn stranger_unit(store: &dyn planwatch_store::Store) -> (i64, i64, i64) {
    let mut ids = Vec::new();
    for county in ["连平县", "和平县"] {
        let (source, doc) = planwatch_store::story::fixtures::county("广东省", "河源市", county);
        store.import(&doc, &source).await.expect("import");
        let regions = store.regions().await.expect("regions");
        ids.push(
            planwatch_store::resolve_region(&regions, county)
                .expect("region")
                .id,
        );
    }
    let user = store
        .create_user(&planwatch_store::story_people::new_user("lisi"), "admin")
        .await
        .expect("user");
    let unit = store
        .add_member_unit(ids[1], "卫健委", "admin")
        .await
        .expect("unit");
    (user, ids[0], unit)
}

/// Rows the store's checks refuse, the schema refuses too: a reporter's unit of another
/// region, an administrator on a region, a role on no region, a role held twice.
const REFUSED_ROLES: [&str; 4] = [
    "INSERT INTO user_roles (user_id, role, region_id, unit_id, granted_at, granted_by) \
     VALUES ($1, 'reporter', $2, $3, '2026-03-01T08:00:00Z', 'x')",
    "INSERT INTO user_roles (user_id, role, region_id, unit_id, granted_at, granted_by) \
     VALUES ($1, 'admin', $2, NULL, '2026-03-01T08:00:00Z', 'x')",
    "INSERT INTO user_roles (user_id, role, region_id, unit_id, granted_at, granted_by) \
     VALUES ($1, 'office', NULL, NULL, '2026-03-01T08:00:00Z', 'x')",
    "INSERT INTO user_roles (user_id, role, region_id, unit_id, granted_at, granted_by) \
     VALUES ($1, 'viewer', $2, NULL, '2026-03-01T08:00:00Z', 'x')",
];

/// The same statement with a role that is fine, so that the refusals are the schema's and
/// not a typo's.
const ACCEPTED_ROLE: &str = "INSERT INTO user_roles (user_id, role, region_id, unit_id, \
     granted_at, granted_by) VALUES ($1, 'bureau', $2, NULL, '2026-03-01T08:00:00Z', 'x')";

#[tokio::test]
async fn sqlite_refuses_roles_the_store_refuses() {
    let (store, _dir) = fresh_sqlite().await.expect("sqlite");
    let (user, region, unit) = stranger_unit(&store).await;
    store
        .grant_role(
            user,
            planwatch_core::access::Role::Viewer,
            Some(region),
            None,
            "admin",
        )
        .await
        .expect("viewer");
    for sql in REFUSED_ROLES {
        let mut query = sqlx::query(sql).bind(user);
        if sql.contains("$2") {
            query = query.bind(region);
        }
        if sql.contains("$3") {
            query = query.bind(unit);
        }
        query.execute(store.pool()).await.expect_err(sql);
    }
    sqlx::query(ACCEPTED_ROLE)
        .bind(user)
        .bind(region)
        .execute(store.pool())
        .await
        .expect("a bureau role is fine");
}

#[tokio::test]
async fn postgres_refuses_roles_the_store_refuses() {
    let (store, _db) = fresh_postgres().await.expect("postgres");
    let (user, region, unit) = stranger_unit(&store).await;
    store
        .grant_role(
            user,
            planwatch_core::access::Role::Viewer,
            Some(region),
            None,
            "admin",
        )
        .await
        .expect("viewer");
    for sql in REFUSED_ROLES {
        let sql = sql.replace(
            "'2026-03-01T08:00:00Z'",
            "'2026-03-01T08:00:00Z'::timestamptz",
        );
        let mut query = sqlx::query(&sql).bind(user);
        if sql.contains("$2") {
            query = query.bind(region);
        }
        if sql.contains("$3") {
            query = query.bind(unit);
        }
        query.execute(store.pool()).await.expect_err(&sql);
    }
    let sql = ACCEPTED_ROLE.replace(
        "'2026-03-01T08:00:00Z'",
        "'2026-03-01T08:00:00Z'::timestamptz",
    );
    sqlx::query(&sql)
        .bind(user)
        .bind(region)
        .execute(store.pool())
        .await
        .expect("a bureau role is fine");
}
