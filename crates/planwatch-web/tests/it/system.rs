//! The indicator-system pages and JSON API over HTTP, on both databases: the catalog page,
//! an indicator's page comparing regions, region pages linking targets to indicators, and
//! editing targets through `/api/regions/{id}/targets…`.

use crate::support;
use planwatch_store::Store;
use planwatch_store::story_system::seeded;
use planwatch_store::system::Observation;
use serde_json::{Value, json};
use std::any::Any;
use std::sync::Arc;

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

    async fn json(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "POST" => self.client.post(url),
            "PATCH" => self.client.patch(url),
            _ => self.client.get(url),
        };
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(ctype.starts_with("application/json"), "{path}: {ctype}");
        (status, resp.json().await.expect("json"))
    }
}

async fn start(store: Arc<dyn Store>, guard: Box<dyn Any + Send>) -> App {
    seeded(store.as_ref(), "连平县").await;
    seeded(store.as_ref(), "和平县").await;
    let client = support::admin_client(&store).await;
    let base = support::listen(&store).await;
    App {
        client,
        base,
        store,
        _guard: guard,
    }
}

async fn sqlite_app() -> App {
    let (store, guard) = support::fresh_sqlite().await;
    start(store, guard).await
}

async fn postgres_app() -> App {
    let (store, guard) = support::fresh_postgres().await;
    start(store, guard).await
}

async fn region_id(app: &App, name: &str) -> i64 {
    app.store
        .regions()
        .await
        .expect("regions")
        .iter()
        .find(|r| r.name == name)
        .expect("region")
        .id
}

async fn pages(app: App) {
    let (status, body) = app.get("/indicators").await;
    assert_eq!(status, 200);
    assert!(body.contains("监测指标目录"), "{body}");
    assert!(body.contains("妇女与健康"));
    assert!(body.contains("href=\"/indicators/W-HEA-03\""));
    assert!(body.contains("计算方法"));

    let (status, body) = app.get("/indicators/W-HEA-03").await;
    assert_eq!(status, 200);
    assert!(body.contains("孕产妇死亡率"));
    assert!(body.contains("各地区目标对比"));
    assert!(body.contains("广东省 / 河源市 / 连平县"));
    assert!(body.contains("广东省 / 河源市 / 和平县"));
    assert!(body.contains("2 个地区的 2 项目标"), "{body}");
    assert!(body.contains("县卫生健康局"));
    assert!(body.contains("约束性"));

    let (status, body) = app.get("/indicators/NO-SUCH").await;
    assert_eq!(status, 404);
    assert!(body.contains("指标目录中没有编码"));

    let id = region_id(&app, "连平县").await;
    let (status, body) = app.get(&format!("/regions/{id}")).await;
    assert_eq!(status, 200);
    assert!(body.contains("指标体系"));
    assert!(body.contains("href=\"/indicators/W-HEA-03\""), "{body}");
    assert!(body.contains("href=\"/indicators/C-HEA-02\""));
    assert!(body.contains("待审核的地方指标"));
    assert!(body.contains("高中阶段教育毛入学率"));
    // The indicator system: its domains as in-page links, and a filter.
    assert!(body.contains("<a href=\"#d1\">妇女与健康</a>"), "{body}");
    assert!(body.contains("<td id=\"d1\">"), "{body}");
    let (_, filtered) = app
        .get(&format!("/regions/{id}?q=%E5%84%BF%E7%AB%A5"))
        .await;
    assert!(
        filtered.contains("href=\"/indicators/C-HEA-02\""),
        "{filtered}"
    );
    assert!(
        !filtered.contains("href=\"/indicators/W-HEA-03\""),
        "{filtered}"
    );
    assert!(filtered.contains("含“儿童”的目标共"), "{filtered}");

    // The catalog's filter: names, codes and definitions; the rest left out.
    let (_, catalog) = app.get("/indicators?q=W-HEA-03").await;
    assert!(
        catalog.contains("href=\"/indicators/W-HEA-03\""),
        "{catalog}"
    );
    assert!(!catalog.contains("href=\"/indicators/C-HEA-02\""));
    assert!(catalog.contains("共 1 项"), "{catalog}");
    let (_, catalog) = app.get("/indicators?q=%E8%88%AA%E5%A4%A9").await;
    assert!(
        catalog.contains("没有名称或定义中含“航天”的指标"),
        "{catalog}"
    );
}

async fn api(app: App) {
    let id = region_id(&app, "连平县").await;
    let base = format!("/api/regions/{id}/targets");
    let (status, list) = app.json("GET", &base, None).await;
    assert_eq!(status, 200);
    let list = list.as_array().expect("list").clone();
    assert_eq!(list.len(), 5);
    let mmr = &list[0];
    assert_eq!(mmr["indicator"], "孕产妇死亡率");
    assert_eq!(mmr["code"], "W-HEA-03");
    let tid = mmr["id"].as_i64().expect("id");
    let one = format!("{base}/{tid}");

    // Change value, year, owner and binding flag: version 2.
    let (status, t) = app
        .json(
            "PATCH",
            &one,
            Some(
                json!({"value": 9, "year": 2028, "owner": "县妇儿工委办", "binding": false,
                        "by": "张三", "why": "市里下达新目标"}),
            ),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["version"], 2);
    assert_eq!(t["value"], 9.0);
    assert_eq!(t["owner"], "县妇儿工委办");
    assert_eq!(t["binding"], false);
    let (status, history) = app.json("GET", &format!("{one}/history"), None).await;
    assert_eq!(status, 200);
    let history = history.as_array().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["value"], 12.0);
    // Who changed it is the signed-in account, whatever the body says.
    assert_eq!(history[1]["changed_by"], "test-admin");
    assert_eq!(history[1]["why"], "市里下达新目标");

    // A baseline: both fields set it, both null clear it, one alone is refused.
    let (status, t) = app
        .json(
            "PATCH",
            &one,
            Some(json!({"baseline_year": 2020, "baseline_value": 12.5,
                        "by": "张三", "why": "补录基期"})),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["version"], 3);
    assert_eq!(t["baseline_year"], 2020);
    assert_eq!(t["baseline_value"], 12.5);
    let (status, e) = app
        .json(
            "PATCH",
            &one,
            Some(json!({"baseline_year": 2021, "by": "张三", "why": "x"})),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        e["error"]
            .as_str()
            .expect("error")
            .contains("baseline_year 与 baseline_value 须同时给出"),
        "{e}"
    );
    let (status, e) = app
        .json(
            "PATCH",
            &one,
            Some(json!({"baseline_year": 2029, "baseline_value": 1, "by": "张三", "why": "x"})),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        e["error"].as_str().expect("error").contains("晚于目标年份"),
        "{e}"
    );
    let (status, t) = app
        .json(
            "PATCH",
            &one,
            Some(json!({"baseline_year": null, "baseline_value": null,
                        "by": "张三", "why": "口径不一致"})),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["version"], 4);
    assert_eq!(t["baseline_year"], serde_json::Value::Null);
    let (_, history) = app.json("GET", &format!("{one}/history"), None).await;
    let history = history.as_array().expect("history");
    assert_eq!(history.len(), 4);
    assert_eq!(history[2]["baseline_value"], 12.5);

    // Errors are Chinese JSON.
    let (status, e) = app
        .json("PATCH", &one, Some(json!({"value": 8, "by": "张三"})))
        .await;
    assert_eq!(status, 400);
    assert!(
        e["error"].as_str().expect("error").contains("修改原因"),
        "{e}"
    );
    let (status, e) = app
        .json(
            "PATCH",
            &one,
            Some(json!({"code": "NO-SUCH", "by": "张三", "why": "x"})),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        e["error"]
            .as_str()
            .expect("error")
            .contains("指标目录中没有编码")
    );
    let (status, e) = app
        .json(
            "PATCH",
            &format!("{base}/999999"),
            Some(json!({"value": 1, "by": "a", "why": "b"})),
        )
        .await;
    assert_eq!(status, 404);
    assert!(e["error"].as_str().expect("error").contains("未找到目标"));
    let (status, e) = app.json("GET", "/api/regions/999999/targets", None).await;
    assert_eq!(status, 404);
    assert!(e["error"].as_str().expect("error").contains("地区"));
    let (status, e) = app.json("GET", "/api/nothing", None).await;
    assert_eq!(status, 404, "{e}");
    let resp = app
        .client
        .patch(format!("{}{one}", app.base))
        .header("content-type", "application/json")
        .body("{不是 JSON")
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status().as_u16(), 400);
    let e: Value = resp.json().await.expect("json");
    assert!(e["error"].as_str().expect("error").contains("JSON"));

    // Confirm the mapping; correct a local one.
    let (status, t) = app
        .json(
            "PATCH",
            &one,
            Some(json!({"code": "W-HEA-03", "by": "李四", "why": "核对无误"})),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["mapping"], "confirmed");

    // Reported data: retiring the last target for it is refused with the reason (409).
    app.store
        .record_observation(&Observation {
            region_id: id,
            indicator_key: "W-HEA-03".into(),
            year: 2022,
            value: 11.0,
            source: "妇幼卫生年报".into(),
            demo: false,
        })
        .await
        .expect("observation");
    let (status, e) = app
        .json(
            "PATCH",
            &one,
            Some(json!({"retired": true, "by": "张三", "why": "不再监测"})),
        )
        .await;
    assert_eq!(status, 409, "{e}");
    assert!(
        e["error"].as_str().expect("error").contains("监测数据"),
        "{e}"
    );

    // Add a target for the same indicator; then the first may retire.
    let (status, added) = app
        .json(
            "POST",
            &base,
            Some(
                json!({"kind": "women", "indicator": "孕产妇死亡率", "code": "W-HEA-03",
                        "comparator": "<=", "value": 10, "year": 2025,
                        "by": "张三", "why": "增设中期目标"}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["unit"], "1/10万");
    assert_eq!(added["action"], "add");
    let (status, t) = app
        .json(
            "PATCH",
            &one,
            Some(json!({"retired": true, "by": "张三", "why": "由中期目标替代"})),
        )
        .await;
    assert_eq!(status, 200, "{t}");
    assert_eq!(t["retired"], true);
    let (_, body) = app.get("/indicators/W-HEA-03").await;
    assert!(body.contains("2 个地区的 2 项目标"), "{body}");
    let (status, e) = app
        .json(
            "POST",
            &base,
            Some(json!({"kind": "men", "indicator": "x", "comparator": "<=",
                                         "value": 1, "year": 2025, "by": "a", "why": "b"})),
        )
        .await;
    assert_eq!(status, 400);
    assert!(e["error"].as_str().expect("error").contains("规划类别"));
}

#[tokio::test]
async fn pages_on_sqlite() {
    pages(sqlite_app().await).await;
}

#[tokio::test]
async fn pages_on_postgres() {
    pages(postgres_app().await).await;
}

#[tokio::test]
async fn api_on_sqlite() {
    api(sqlite_app().await).await;
}

#[tokio::test]
async fn api_on_postgres() {
    api(postgres_app().await).await;
}
