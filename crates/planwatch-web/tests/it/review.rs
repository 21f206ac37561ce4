//! The review list of a region's page (待审核的地方指标): each local target with the
//! catalog entries proposed for it, accepted or confirmed as local in one click by a form
//! (no JavaScript), on both databases.

use crate::support::{self, Browser};
use planwatch_core::access::Role;
use planwatch_store::Store;
use planwatch_store::story_system::seeded;
use planwatch_store::system::{ChangeAction, MappingState, SystemTarget};
use std::sync::Arc;

const PASSWORD: &str = "review-test-2026";

async fn local(store: &Arc<dyn Store>, region: i64, indicator: &str) -> SystemTarget {
    store
        .system_targets(region)
        .await
        .expect("targets")
        .into_iter()
        .find(|t| t.state.indicator == indicator)
        .unwrap_or_else(|| panic!("{indicator}"))
}

/// The review list item of target `id` on the page (empty when it is not listed).
fn item(page: &str, id: i64) -> String {
    page.split(&format!("<li id=\"review-{id}\">"))
        .nth(1)
        .and_then(|rest| rest.split("<li id=\"review-").next())
        .map(|s| s.split("</section>").next().unwrap_or(s).to_string())
        .unwrap_or_default()
}

async fn story((store, _guard): support::Fresh) {
    let region = seeded(store.as_ref(), "连平县").await;
    let id = region.id;
    let base = support::listen(&store).await;
    support::make_user(
        &store,
        "办公室小王",
        Some(PASSWORD),
        &[(Role::Office, Some(id), None)],
    )
    .await;
    support::make_user(
        &store,
        "看看",
        Some(PASSWORD),
        &[(Role::Viewer, Some(id), None)],
    )
    .await;
    let office = Browser::login(&base, "办公室小王", PASSWORD).await;

    // seeded as local: 高中阶段教育毛入学率 (the catalog writes 高中阶段毛入学率) and
    // 女性平均受教育年限
    let high = local(&store, id, "高中阶段教育毛入学率").await;
    let years = local(&store, id, "女性平均受教育年限").await;
    assert_eq!(high.state.mapping, MappingState::Local);
    let (status, page) = office.get(&format!("/regions/{id}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("待审核的地方指标"), "{page}");
    let listed = item(&page, high.id);
    assert!(listed.contains("建议：高中阶段毛入学率"), "{listed}");
    assert!(listed.contains("把握高"), "{listed}");
    assert!(
        listed.contains("<span class=\"code\">C-EDU-06</span>"),
        "{listed}"
    );
    assert!(
        listed.contains(&format!("action=\"/regions/{id}/review\"")),
        "{listed}"
    );
    assert!(
        listed.contains("name=\"code\" value=\"C-EDU-06\""),
        "{listed}"
    );
    assert!(listed.contains(">采用</button>"), "{listed}");
    assert!(listed.contains(">确认为地方指标</button>"), "{listed}");
    assert!(listed.contains(&format!("name=\"csrf\" value=\"{}\"", office.csrf)));

    // a viewer sees the proposals but no buttons, and a POST is refused
    let viewer = Browser::login(&base, "看看", PASSWORD).await;
    let (_, seen) = viewer.get(&format!("/regions/{id}")).await;
    assert!(item(&seen, high.id).contains("建议：高中阶段毛入学率"));
    assert!(!seen.contains(">采用</button>"));
    let version = high.version.to_string();
    let target = high.id.to_string();
    let form = [
        ("target", target.as_str()),
        ("version", version.as_str()),
        ("code", "C-EDU-06"),
    ];
    let (status, _, _) = viewer.post(&format!("/regions/{id}/review"), &form).await;
    assert_eq!(status, 403);
    // the office without the page's CSRF token is refused too
    let forged = office
        .client
        .post(format!("{base}/regions/{id}/review"))
        .header("Origin", &base)
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status().as_u16(), 403);
    assert_eq!(local(&store, id, "高中阶段教育毛入学率").await, high);

    // 采用: one click maps the target, a new version by the signed-in person
    let (status, location, _) = office.post(&format!("/regions/{id}/review"), &form).await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("/regions/{id}#target-{}", high.id));
    let mapped = local(&store, id, "高中阶段教育毛入学率").await;
    assert_eq!(mapped.state.code.as_deref(), Some("C-EDU-06"));
    assert_ne!(mapped.state.mapping, MappingState::Local);
    assert_eq!(mapped.version, high.version + 1);
    assert_eq!(mapped.action, ChangeAction::Map);
    assert_eq!(mapped.changed_by, "办公室小王");
    assert_eq!(mapped.why, "采用建议的指标目录条目");
    let history = store.target_history(high.id).await.expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].state.code, None);
    assert_eq!(history[1].state.code.as_deref(), Some("C-EDU-06"));
    // the page shows it mapped, off the review list
    let (_, page) = office.get(&format!("/regions/{id}")).await;
    assert!(item(&page, high.id).is_empty(), "still listed");
    let row = page
        .split(&format!("<tr id=\"target-{}\">", high.id))
        .nth(1)
        .and_then(|r| r.split("</tr>").next())
        .unwrap_or_default();
    assert!(row.contains("href=\"/indicators/C-EDU-06\""), "{row}");
    // the same click again (an old page) changes nothing
    let (status, _, body) = office.post(&format!("/regions/{id}/review"), &form).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(store.target_history(high.id).await.expect("h").len(), 2);

    // 确认为地方指标: still local, now decided by a person, off the list
    let version = years.version.to_string();
    let target = years.id.to_string();
    let (status, _, _) = office
        .post(
            &format!("/regions/{id}/review"),
            &[
                ("target", target.as_str()),
                ("version", version.as_str()),
                ("code", "local"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let kept = local(&store, id, "女性平均受教育年限").await;
    assert_eq!(kept.state.mapping, MappingState::Local);
    assert_eq!(kept.state.code, None);
    assert_eq!(kept.version, years.version + 1);
    assert_eq!(kept.why, "确认为地方指标");
    assert!(!kept.state.awaiting_review());
    let (_, page) = office.get(&format!("/regions/{id}")).await;
    assert!(item(&page, years.id).is_empty());

    // a code the catalog does not have is refused, nothing changes
    let under5 = local(&store, id, "5岁以下儿童死亡率").await;
    let version = under5.version.to_string();
    let target = under5.id.to_string();
    let (status, _, _) = office
        .post(
            &format!("/regions/{id}/review"),
            &[
                ("target", target.as_str()),
                ("version", version.as_str()),
                ("code", "X-NOT-00"),
            ],
        )
        .await;
    assert_eq!(status, 400);
    assert_eq!(local(&store, id, "5岁以下儿童死亡率").await, under5);
}

#[tokio::test]
async fn review_list_on_sqlite() {
    story(support::fresh_sqlite().await).await;
}

#[tokio::test]
async fn review_list_on_postgres() {
    story(support::fresh_postgres().await).await;
}
