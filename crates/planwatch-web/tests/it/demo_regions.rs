//! The demo's made-up regions (演示地区) over HTTP, on both databases: 连平县 with its plans
//! and demo data, its five neighbours made up as the demo makes them; the city's overview
//! ranks six counties and marks the five, as do the region list, their own pages, the
//! comparison of one indicator, the report upward and the JSON.

use crate::support;
use planwatch_store::monitoring::GENERATED_LABEL;
use planwatch_store::synth::Template;
use planwatch_store::system::Seeder;
use planwatch_store::{RegionRow, SourceDoc, Store, demo};
use serde_json::Value;
use std::sync::Arc;

const MARK: &str = "<span class=\"tag tag-generated\"";

async fn fill(store: &Arc<dyn Store>) -> Vec<RegionRow> {
    let map = |_, _, _: &str| None;
    let baseline = |_, _, _: &str| None;
    let seeder = Seeder {
        map: &map,
        baseline: &baseline,
    };
    let files = planwatch_store::sql::test_util::shipped_plans().expect("assets/plans");
    let file = files
        .iter()
        .find(|f| f.ends_with("000_899738eeea2834b6.txt"))
        .expect("连平县's plans");
    let (source, doc) = planwatch_ingest::parse_file(file).expect("the reader reads it");
    let src = SourceDoc::new(source.name.clone(), source.lines.clone());
    store
        .import_seeded(&doc, &src, Some(&seeder))
        .await
        .expect("import");
    let regions = store.regions().await.expect("regions");
    let lianping = regions.iter().find(|r| r.name == "连平县").expect("连平县");
    demo::load_demo(store.as_ref(), lianping)
        .await
        .expect("demo data");
    let templates = [Template::labelled(&doc, &seeder, GENERATED_LABEL)];
    let made = demo::load_demo_regions(store.as_ref(), &templates, &["广东省/河源市/连平县"])
        .await
        .expect("made-up regions");
    assert_eq!(made.map(|r| r.regions), Some(5));
    store.regions().await.expect("regions")
}

/// The `<tr>` of the ranking whose link text is `name`.
fn row<'a>(table: &'a str, name: &str) -> &'a str {
    let at = table
        .find(&format!(">{name}</a>"))
        .unwrap_or_else(|| panic!("no row {name}"));
    let start = table[..at].rfind("<tr>").unwrap_or(0);
    let end = table[at..].find("</tr>").map_or(table.len(), |e| at + e);
    &table[start..end]
}

async fn made_up_regions_are_marked(store: Arc<dyn Store>) {
    let regions = fill(&store).await;
    let base = support::listen(&store).await;
    let client = support::admin_client(&store).await;
    let get = async |path: &str| -> (u16, String) {
        let resp = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.text().await.expect("body"))
    };
    let json = async |path: &str| -> Value {
        let (status, body) = get(path).await;
        assert_eq!(status, 200, "{path}: {body}");
        serde_json::from_str(&body).expect("json")
    };
    let id = |name: &str| {
        regions
            .iter()
            .find(|r| r.name == name)
            .map(|r| r.id)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let made = ["东源县", "和平县", "源城区", "紫金县", "龙川县"];
    let city = id("河源市");

    // The city's overview: six counties ranked, the five made up marked, 连平县 not.
    let (status, body) = get(&format!("/regions/{city}/overview?year=2024")).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("6 个地区（县级 6 个）"), "{body}");
    let table = &body[body
        .find("<table class=\"listing ranking overview\">")
        .expect("ranking")..];
    for name in made {
        let r = row(table, name);
        assert!(
            r.contains(MARK) && r.contains(GENERATED_LABEL),
            "{name}: {r}"
        );
    }
    assert!(!row(table, "连平县").contains(MARK));
    assert_eq!(table.matches(MARK).count(), 5, "{table}");
    let v = json(&format!("/api/regions/{city}/overview?year=2024")).await;
    let rows = v["regions"].as_array().expect("regions");
    assert_eq!(rows.len(), 6);
    for r in rows {
        assert_eq!(r["generated"], r["name"] != "连平县", "{r}");
    }
    // Varied results: not every county ranks the same.
    let rates: std::collections::BTreeSet<String> =
        rows.iter().map(|r| r["rate"].to_string()).collect();
    assert!(rates.len() > 1, "{rates:?}");

    // One indicator across the six.
    let key = v["indicators"][0]["key"].as_str().expect("key").to_string();
    let encoded: String = key
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect();
    let (status, body) = get(&format!("/regions/{city}/compare/{encoded}?year=2024")).await;
    assert_eq!(status, 200, "{key}: {body}");
    let table = &body[body
        .find("<table class=\"listing ranking\">")
        .expect("ranking")..];
    let shown = made
        .iter()
        .filter(|n| table.contains(&format!(">{n}</a>")))
        .count();
    assert!(shown >= 3, "{table}");
    assert_eq!(table.matches(MARK).count(), shown, "{table}");

    // The region list, a made-up county's page and dashboard.
    let (_, list) = get("/").await;
    assert_eq!(list.matches(MARK).count(), 5, "{list}");
    let zijin = id("紫金县");
    for page in [
        format!("/regions/{zijin}"),
        format!("/regions/{zijin}/dashboard?year=2024"),
    ] {
        let (status, body) = get(&page).await;
        assert_eq!(status, 200, "{page}: {body}");
        assert!(body.contains("本地区由系统生成"), "{page}: {body}");
    }
    let (_, body) = get(&format!("/regions/{}", id("连平县"))).await;
    assert!(!body.contains("本地区由系统生成"));
    assert!(
        body.matches(MARK).count() == 0,
        "连平县's page lists no sub-region"
    );
    let (_, body) = get(&format!("/regions/{city}")).await;
    assert_eq!(body.matches(MARK).count(), 5, "the city's sub-regions");
    let v = json(&format!("/api/regions/{zijin}/dashboard?year=2024")).await;
    assert_eq!(v["region"]["generated"], true, "{}", v["region"]);

    // The report upward: the sub-region table names them so.
    let (status, body) = get(&format!(
        "/regions/{city}/report?kind=upward&year=2024&format=html"
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    for name in made {
        assert!(body.contains(&format!("{name}（演示地区）")), "{name}");
    }
    assert!(!body.contains("连平县（演示地区）"));
    let (status, body) = get(&format!("/api/regions/{city}/report?kind=upward&year=2024")).await;
    assert_eq!(status, 200, "{body}");
    let v: Value = serde_json::from_str(&body).expect("json");
    let subs = v["sub_regions"].as_array().expect("sub-regions");
    assert_eq!(subs.len(), 6);
    assert_eq!(subs.iter().filter(|s| s["generated"] == true).count(), 5);
}

#[tokio::test]
async fn made_up_regions_are_marked_on_sqlite() {
    let (store, _guard) = support::fresh_sqlite().await;
    made_up_regions_are_marked(store).await;
}

#[tokio::test]
async fn made_up_regions_are_marked_on_postgres() {
    let (store, _guard) = support::fresh_postgres().await;
    made_up_regions_are_marked(store).await;
}
