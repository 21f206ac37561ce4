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
