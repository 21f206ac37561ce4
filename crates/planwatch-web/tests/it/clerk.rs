//! What a county statistics clerk reads: no developer text on any page (issue 15). Every
//! kind of page of a seeded city is fetched and searched for command lines, API addresses
//! outside the secondary download line, converter leftovers and the source file's name.

use crate::support;
use planwatch_core::PlanKind;
use planwatch_store::story::fixtures;
use planwatch_store::system::{self, Change, Observation};
use planwatch_store::{RegionRow, Store};
use std::any::Any;
use std::sync::Arc;

/// The name a real import gave a plan file (issue 15 saw it where the title belongs).
const FILE_NAME: &str = "000_899738eeea2834b6.txt";

struct App {
    base: String,
    store: Arc<dyn Store>,
    client: reqwest::Client,
    _guard: Box<dyn Any + Send>,
}

impl App {
    async fn get(&self, path: &str) -> (u16, String) {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        (status, resp.text().await.expect("body"))
    }

    async fn region(&self, name: &str) -> RegionRow {
        self.store
            .regions()
            .await
            .expect("regions")
            .into_iter()
            .find(|r| r.name == name)
            .expect("region")
    }
}

/// A county imported from a file named like a real one, whose text keeps a converter's
/// bookmark, with its indicator system seeded and a few values reported.
async fn seed(store: &dyn Store, county: &str) -> i64 {
    let (mut source, doc) = fixtures::county("广东省", "河源市", county);
    source.name = format!("/home/clerk/下载/{FILE_NAME}");
    source
        .lines
        .push("[bookmark: _Toc14780]七、组织实施".into());
    store.import(&doc, &source).await.expect("import");
    let region = store
        .regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.name == county)
        .expect("region");
    let map = |_: PlanKind, _: u32, indicator: &str| match indicator {
        "孕产妇死亡率" => Some(("W-HEA-03".to_string(), 0.95)),
        "婴儿死亡率" => Some(("C-HEA-02".to_string(), 0.9)),
        _ => None,
    };
    system::seed_region(
        store,
        region.id,
        &system::Seeder {
            map: &map,
            baseline: &|_, _, _| None,
        },
    )
    .await
    .expect("seed");
    let rows: Vec<Observation> = [10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0]
        .iter()
        .enumerate()
        .map(|(i, v)| Observation {
            region_id: region.id,
            indicator_key: "W-HEA-03".into(),
            year: 2018 + i as i32,
            value: *v,
            source: "统计年报".into(),
            demo: false,
        })
        .collect();
    let change = Change::new("张三", "录入测试数据").expect("change");
    store
        .import_observations(&rows, &change)
        .await
        .expect("observations");
    region.id
}

async fn start(store: Arc<dyn Store>, guard: Box<dyn Any + Send>) -> App {
    seed(store.as_ref(), "连平县").await;
    seed(store.as_ref(), "和平县").await;
    let client = support::admin_client(&store).await;
    App {
        base: support::listen(&store).await,
        store,
        client,
        _guard: guard,
    }
}

/// The page without its secondary "数据下载（JSON）" line, the one place an API address
/// may stand.
fn without_download_line(body: &str) -> String {
    let mut out = String::new();
    for line in body.lines() {
        if !line.contains("数据下载（JSON）") {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

pub fn assert_no_developer_text(path: &str, body: &str) {
    let main = without_download_line(body);
    for leak in [
        "planwatch ",
        "planwatch</",
        "/api/",
        "[bookmark",
        FILE_NAME,
        ".txt",
        "映射",
        "<code>",
        "≤",
        "≥",
    ] {
        assert!(!main.contains(leak), "{path} shows {leak:?}");
    }
    // A value is written "12/10万", not "12 1/10万" (the unit alone may read "1/10万").
    for (at, _) in main.match_indices("1/10万") {
        let before = &main[..at];
        let spaced = before.ends_with(' ');
        assert!(
            !(spaced && before.trim_end().ends_with(|c: char| c.is_ascii_digit())),
            "{path} writes a value with its unit as \"{}\"",
            &main[at.saturating_sub(12)..at + 8]
        );
    }
}

async fn no_developer_text(app: App) {
    let county = app.region("连平县").await;
    let city = app.region("河源市").await;
    let plans = app.store.region_plans(county.id).await.expect("plans");
    let mut paths = vec![
        "/".to_string(),
        "/overview".into(),
        "/overview/compare/W-HEA-03".into(),
        "/indicators".into(),
        "/indicators/W-HEA-03".into(),
        "/search?q=%E5%AD%95%E4%BA%A7%E5%A6%87".into(),
        format!("/regions/{}", county.id),
        format!("/regions/{}", city.id),
        format!("/regions/{}/dashboard", county.id),
        format!("/regions/{}/dashboard", city.id),
        format!("/regions/{}/indicators/W-HEA-03", county.id),
        format!("/regions/{}/compare/W-HEA-03", city.id),
        format!("/regions/{}/overview", city.id),
        "/regions/999999".into(),
    ];
    for p in &plans {
        paths.push(format!("/plans/{}", p.id));
        paths.push(format!("/plans/{}/versions/1/source", p.id));
    }
    for path in &paths {
        let (status, body) = app.get(path).await;
        assert!(status == 200 || status == 404, "{path}: {status}");
        assert!(body.starts_with("<!doctype html>"), "{path}");
        assert_no_developer_text(path, &body);
    }
    // The source page shows the line without the leftover.
    let (_, source) = app
        .get(&format!("/plans/{}/versions/1/source", plans[0].id))
        .await;
    assert!(source.contains("七、组织实施"));
    // The download line is small, secondary and plain.
    let (_, dashboard) = app.get(&format!("/regions/{}/dashboard", county.id)).await;
    assert!(dashboard.contains("数据下载（JSON）：<a href=\"/api/regions/"));
    // Catalog codes are secondary: small text after the name, never a column of their own.
    let (_, region) = app.get(&format!("/regions/{}", county.id)).await;
    assert!(region.contains(">孕产妇死亡率</a> <span class=\"code\">W-HEA-03</span>"));
    assert!(!region.contains("<th scope=\"col\">监测指标</th>"));
    let (_, catalog) = app.get("/indicators").await;
    assert!(!catalog.contains("<th scope=\"col\">编码</th>"));
    assert!(catalog.contains("<span class=\"code\">W-HEA-03</span>"));
    let (_, indicator) = app.get("/indicators/W-HEA-03").await;
    assert!(
        indicator.contains("<td class=\"num\">12/10万以下</td>"),
        "{indicator}"
    );
    // An empty database says what to do in an office's words.
    let (store, _guard) = support::fresh_sqlite().await;
    let base = support::listen(&store).await;
    let empty = support::admin_client(&store)
        .await
        .get(format!("{base}/"))
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("body");
    assert_no_developer_text("/ (empty)", &empty);
    assert!(empty.contains("请联系系统管理员导入本地区的规划文本"));
}

#[tokio::test]
async fn no_developer_text_on_sqlite() {
    let (store, guard) = support::fresh_sqlite().await;
    no_developer_text(start(store, guard).await).await;
}

#[tokio::test]
async fn no_developer_text_on_postgres() {
    let (store, guard) = support::fresh_postgres().await;
    no_developer_text(start(store, guard).await).await;
}
