//! A target both plans set is monitored once (issue 15), on both databases: 连平县's real
//! plans (`assets/plans`) both set 九年义务教育巩固率 96%以上 for 2030 (妇女发展规划 line
//! 51, 儿童发展规划 line 316). The dashboard counts it once and names both plans, its JSON
//! lists both stored targets, the indicator page has one card, the indicator system one
//! row; once a person edits one of them they differ and show apart, each with its plan.

use crate::support;
use planwatch_core::PlanKind;
use planwatch_store::system::{self, Change, Observation, Seeder, TargetPatch};
use planwatch_store::{RegionRow, SourceDoc, Store, resolve_region};
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "local:九年义务教育巩固率";
const BOTH: &str = "妇女发展规划、儿童发展规划";

async fn lianping(store: &Arc<dyn Store>) -> RegionRow {
    let files = planwatch_store::sql::test_util::shipped_plans().expect("assets/plans");
    let file = files
        .iter()
        .find(|f| f.to_string_lossy().contains("000_"))
        .expect("连平县's plans");
    let (source, doc) = planwatch_ingest::parse_file(file).expect("the reader reads it");
    let source = SourceDoc::new(source.name.clone(), source.lines.clone());
    // No catalog codes: the region-local key is the indicator's name, which both plans
    // write alike.
    let map = |_: PlanKind, _: u32, _: &str| None;
    let baseline = |_, _, _: &str| None;
    let seeder = Seeder {
        map: &map,
        baseline: &baseline,
    };
    store
        .import_seeded(&doc, &source, Some(&seeder))
        .await
        .expect("import");
    let regions = store.regions().await.expect("regions");
    resolve_region(&regions, "连平县").expect("county").clone()
}

async fn get(client: &reqwest::Client, url: String) -> String {
    let resp = client.get(url).send().await.expect("request");
    assert_eq!(resp.status().as_u16(), 200);
    resp.text().await.expect("body")
}

fn rows_of<'a>(json: &'a Value, key: &str) -> Vec<&'a Value> {
    json["rows"]
        .as_array()
        .map(|rows| rows.iter().filter(|r| r["indicator_key"] == key).collect())
        .unwrap_or_default()
}

async fn monitored_once(store: Arc<dyn Store>) {
    let county = lianping(&store).await;
    let targets: Vec<_> = store
        .system_targets(county.id)
        .await
        .expect("targets")
        .into_iter()
        .filter(|t| !t.state.retired)
        .collect();
    let pair: Vec<_> = targets
        .iter()
        .filter(|t| t.state.indicator_key() == KEY && t.state.year == 2030)
        .collect();
    assert_eq!(pair.len(), 2, "both plans set it: {pair:?}");
    assert_eq!(
        pair.iter().map(|t| t.kind).collect::<Vec<_>>(),
        [PlanKind::Women, PlanKind::Children]
    );
    assert!(pair.iter().all(|t| t.state.value == 96.0));

    // 95.1 … 95.5 over 2020–2024, reported with one decimal.
    let rows: Vec<Observation> = (0..5)
        .map(|i| Observation {
            region_id: county.id,
            indicator_key: KEY.into(),
            year: 2020 + i,
            value: [95.1, 95.2, 95.25, 95.4, 95.5][i as usize],
            source: "教育统计年报".into(),
            demo: false,
        })
        .collect();
    let change = Change::new("张三", "录入测试数据").expect("change");
    store
        .import_observations(&rows, &change)
        .await
        .expect("observations");

    let base = support::listen(&store).await;
    let client = support::admin_client(&store).await;
    let api = format!("{base}/api/regions/{}/dashboard?year=2024", county.id);
    let json: Value =
        serde_json::from_str(&get(&client, api.clone()).await).expect("the dashboard's JSON");
    let merged = rows_of(&json, KEY);
    assert_eq!(merged.len(), 1, "monitored once: {merged:?}");
    let row = merged[0];
    assert_eq!(row["plans_zh"], BOTH);
    let ids: Vec<i64> = pair.iter().map(|t| t.id).collect();
    assert_eq!(row["target_ids"], serde_json::json!(ids));
    assert_eq!(row["decimals"], 2);
    // The totals count it once: the stored targets less the copies monitored with another.
    let total = json["counts"]["total"].as_u64().expect("total");
    let copies: usize = {
        let mut seen = std::collections::HashSet::new();
        targets
            .iter()
            .filter(|t| {
                !seen.insert((
                    t.state.indicator_key(),
                    t.state.year,
                    t.state.comparator,
                    t.state.value.to_bits(),
                    t.state.unit.clone(),
                ))
            })
            .count()
    };
    assert!(copies >= 2, "the real plans share more than one target");
    assert_eq!(total as usize, targets.len() - copies);
    let judged: u64 = json["counts"]["by_status"]
        .as_object()
        .map(|m| m.values().filter_map(Value::as_u64).sum())
        .unwrap_or(0);
    assert_eq!(
        judged + json["counts"]["errors"].as_u64().unwrap_or(0),
        total
    );

    // The dashboard's line names both plans, and the indicator has one target card.
    let dashboard = get(
        &client,
        format!("{base}/regions/{}/dashboard?year=2024", county.id),
    )
    .await;
    assert!(
        dashboard.contains(&format!("共 {total} 项")),
        "dashboard total"
    );
    assert!(dashboard.contains(BOTH));
    let page = get(
        &client,
        format!(
            "{base}/regions/{}/indicators/{}?year=2024",
            county.id,
            KEY.bytes()
                .map(|b| if b.is_ascii_alphanumeric() || b == b':' {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                })
                .collect::<String>()
        ),
    )
    .await;
    assert_eq!(page.matches("class=\"card target-card\"").count(), 1);
    assert!(page.contains(BOTH));
    // Computed figures at the reported precision (two decimals here: 95.25).
    assert!(!page.contains("95.2857"), "no more digits than reported");
    // The indicator system lists it once, naming both plans.
    let region_page = get(&client, format!("{base}/regions/{}", county.id)).await;
    assert!(region_page.contains(BOTH));

    // A person raises the children's plan's value: the plans differ, both show, each
    // named by its plan.
    let patch = TargetPatch {
        value: Some(97.0),
        ..TargetPatch::default()
    };
    system::edit_target(store.as_ref(), county.id, ids[1], &patch, &change)
        .await
        .expect("edit");
    let json: Value = serde_json::from_str(&get(&client, api).await).expect("the dashboard's JSON");
    let apart = rows_of(&json, KEY);
    let plans: Vec<&str> = apart
        .iter()
        .filter_map(|r| r["plans_zh"].as_str())
        .collect();
    assert_eq!(plans, ["妇女发展规划", "儿童发展规划"]);
    assert_eq!(
        json["counts"]["total"].as_u64(),
        Some(total + 1),
        "two targets now"
    );
}

#[tokio::test]
async fn monitored_once_on_sqlite() {
    let (store, _guard) = support::fresh_sqlite().await;
    monitored_once(store).await;
}

#[tokio::test]
async fn monitored_once_on_postgres() {
    let (store, _guard) = support::fresh_postgres().await;
    monitored_once(store).await;
}
