//! 与上级目标对照: the region page's section and `GET /api/regions/{id}/targets/check`, on
//! both databases.

use crate::support;
use planwatch_core::{Comparator, PlanKind};
use planwatch_store::Store;
use planwatch_store::story::fixtures;
use planwatch_store::system::{Change, MappingState, TargetState};
use std::any::Any;
use std::sync::Arc;

fn state(
    code: &str,
    indicator: &str,
    c: Comparator,
    value: f64,
    unit: &str,
    year: i32,
) -> TargetState {
    TargetState {
        domain: "妇女与健康".into(),
        indicator: indicator.into(),
        code: Some(code.into()),
        confidence: 1.0,
        mapping: MappingState::Confirmed,
        comparator: c,
        value,
        unit: unit.into(),
        year,
        owner: None,
        binding: None,
        text: format!("{indicator}{value}{unit}"),
        retired: false,
        baseline_year: None,
        baseline_value: None,
    }
}

async fn story(store: Arc<dyn Store>, _guard: Box<dyn Any + Send>) {
    let (source, doc) = fixtures::county("广东省", "河源市", "连平县");
    store.import(&doc, &source).await.expect("import");
    let regions = store.regions().await.expect("regions");
    let id = |path: &str| {
        regions
            .iter()
            .find(|r| r.path == path)
            .map(|r| r.id)
            .unwrap_or_else(|| panic!("{path}"))
    };
    let (gd, hy, lp) = (
        id("广东省"),
        id("广东省/河源市"),
        id("广东省/河源市/连平县"),
    );
    let who = Change::new("测试", "与上级目标对照").expect("change");
    let add = |region: i64, s: TargetState| {
        let store = store.clone();
        let who = who.clone();
        async move {
            store
                .add_target(region, PlanKind::Women, &s, &who)
                .await
                .expect("add")
        }
    };
    use Comparator::{Ge, Le};
    add(
        gd,
        state("W-HEA-03", "孕产妇死亡率", Le, 10.0, "1/10万", 2030),
    )
    .await;
    add(
        lp,
        state("W-HEA-03", "孕产妇死亡率", Le, 12.0, "1/10万", 2030),
    )
    .await;
    add(
        lp,
        state("W-HEA-03", "孕产妇死亡率", Le, 14.0, "1/10万", 2025),
    )
    .await;
    add(
        lp,
        state("C-EDU-06", "高中阶段毛入学率", Ge, 95.0, "%", 2030),
    )
    .await;

    let base = support::listen(&store).await;
    let client = support::admin_client(&store).await;
    let get = |path: String| {
        let client = client.clone();
        let base = base.clone();
        async move {
            let resp = client
                .get(format!("{base}{path}"))
                .send()
                .await
                .expect("request");
            let status = resp.status().as_u16();
            (status, resp.text().await.expect("body"))
        }
    };

    let (status, body) = get(format!("/api/regions/{lp}/targets/check")).await;
    assert_eq!(status, 200, "{body}");
    let check: serde_json::Value = serde_json::from_str(&body).expect("json");
    // 河源市 has no indicator system: the province, then the outlines.
    assert_eq!(check["levels"], serde_json::json!(["广东省", "国家纲要"]));
    let first = &check["pairs"][0];
    assert_eq!(first["outcome"], "weaker");
    assert_eq!(first["upper_name"], "广东省");
    assert_eq!(first["upper_region_id"], gd);
    assert_eq!(first["lower"]["key"], "W-HEA-03");
    assert_eq!(first["upper"]["value"], 10.0);
    assert_eq!(
        first["sentence"],
        "连平县目标孕产妇死亡率12/10万以下，低于广东省规划目标10/10万以下"
    );
    assert_eq!(
        check["counts"],
        serde_json::json!({"weaker": 1, "weaker_targets": 1, "differs": 0, "not_weaker": 2, "not_comparable": 2})
    );
    let outcomes: Vec<(&str, &str, i64)> = check["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                p["outcome"].as_str().unwrap_or(""),
                p["upper_name"].as_str().unwrap_or(""),
                p["lower"]["year"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("weaker", "广东省", 2030),
            ("equal", "国家纲要", 2030),
            ("stronger", "国家纲要", 2030),
            ("other_year", "广东省", 2025),
            ("other_year", "国家纲要", 2025),
        ]
    );

    let (status, page) = get(format!("/regions/{lp}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("与上级目标对照"), "{page}");
    assert!(
        page.contains("连平县目标孕产妇死亡率12/10万以下，低于广东省规划目标10/10万以下"),
        "{page}"
    );
    assert!(
        page.contains(&format!("<a href=\"/regions/{gd}\">查看广东省</a>")),
        "{page}"
    );
    assert!(page.contains("本地区有 1 项目标低于上级目标。"), "{page}");
    assert!(page.contains("不低于上级目标 2 项"), "{page}");
    assert!(
        page.contains("另有 2 项因目标年份或单位不同未作比较"),
        "{page}"
    );
    // Equal and stronger targets are counted, not listed.
    assert!(!page.contains("高中阶段毛入学率95%以上，高于"), "{page}");

    // A region without targets has no such section; the province is compared with the
    // outlines only, and its target is stronger.
    let (_, hy_page) = get(format!("/regions/{hy}")).await;
    assert!(!hy_page.contains("与上级目标对照"), "{hy_page}");
    let (_, gd_page) = get(format!("/regions/{gd}")).await;
    assert!(gd_page.contains("没有低于上级目标的项目"), "{gd_page}");
    assert!(gd_page.contains("不低于上级目标 1 项"), "{gd_page}");

    let (status, body) = get("/api/regions/999999/targets/check".into()).await;
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("没有编号为 999999 的地区"), "{body}");
}

#[tokio::test]
async fn targets_against_the_level_above_on_sqlite() {
    let (store, guard) = support::fresh_sqlite().await;
    story(store, guard).await;
}

#[tokio::test]
async fn targets_against_the_level_above_on_postgres() {
    let (store, guard) = support::fresh_postgres().await;
    story(store, guard).await;
}
