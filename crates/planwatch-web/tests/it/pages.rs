use crate::support;
use planwatch_store::story::fixtures;
use planwatch_store::{RegionRow, Store};
use std::any::Any;
use std::sync::Arc;

struct App {
    base: String,
    store: Arc<dyn Store>,
    client: reqwest::Client,
    _guard: Box<dyn Any + Send>,
}

impl App {
    async fn get(&self, path: &str) -> (u16, String, String) {
        let resp = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (status, ctype, resp.text().await.expect("body"))
    }

    async fn region(&self, path: &str) -> RegionRow {
        let regions = self.store.regions().await.expect("regions");
        regions
            .into_iter()
            .find(|r| r.path == path)
            .expect("region")
    }

    async fn plan_ids(&self, path: &str) -> Vec<i64> {
        let id = self.region(path).await.id;
        self.store
            .region_plans(id)
            .await
            .expect("plans")
            .iter()
            .map(|p| p.id)
            .collect()
    }
}

async fn start(store: Arc<dyn Store>, guard: Box<dyn Any + Send>) -> App {
    // Two 城关区, and 连平县 in two versions.
    for (source, doc) in [
        fixtures::county("甘肃省", "兰州市", "城关区"),
        fixtures::county("西藏自治区", "拉萨市", "城关区"),
        fixtures::county("广东省", "河源市", "连平县"),
        fixtures::revised("广东省", "河源市", "连平县"),
    ] {
        let mut source = source;
        source.lines.push(doc.region_path());
        store.import(&doc, &source).await.expect("import");
    }
    let client = support::admin_client(&store).await;
    App {
        base: support::listen(&store).await,
        store,
        client,
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

fn assert_chinese_page(body: &str) {
    assert!(body.starts_with("<!doctype html>"), "{body}");
    assert!(body.contains("lang=\"zh-CN\""));
    assert!(body.contains("/static/style.css"));
    for leak in ["panicked", "sqlx", "Error", "error returned", "backtrace"] {
        assert!(!body.contains(leak), "page leaks {leak:?}");
    }
}

async fn region_list(app: App) {
    let (status, ctype, body) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(ctype.starts_with("text/html"), "{ctype}");
    assert_chinese_page(&body);
    assert!(body.contains("地区列表"));
    for name in [
        "甘肃省",
        "兰州市",
        "西藏自治区",
        "拉萨市",
        "广东省",
        "河源市",
        "连平县",
    ] {
        assert!(body.contains(name), "{name} missing");
    }
    assert_eq!(body.matches(">城关区<").count(), 2, "both 城关区 listed");
    let county = app.region("广东省/河源市/连平县").await;
    assert!(body.contains(&format!("href=\"/regions/{}\"", county.id)));
    assert!(body.contains("其中 <strong>3</strong> 个已导入规划（共 <strong>6</strong> 部）"));
}

async fn region_page(app: App) {
    let county = app.region("广东省/河源市/连平县").await;
    let (status, _, body) = app.get(&format!("/regions/{}", county.id)).await;
    assert_eq!(status, 200);
    assert_chinese_page(&body);
    assert!(body.contains("连平县妇女发展规划（2021—2030年）"));
    assert!(body.contains("连平县儿童发展规划（2021—2030年）"));
    assert!(body.contains("第 2 版（共 2 版）"));
    assert!(body.contains("妇女与健康") && body.contains("妇女与教育"));
    assert!(body.contains("广东省 / 河源市 / 连平县"));
    // A parent region lists its sub-regions.
    let city = app.region("广东省/河源市").await;
    let (status, _, body) = app.get(&format!("/regions/{}", city.id)).await;
    assert_eq!(status, 200);
    assert!(body.contains("下级地区") && body.contains(&format!("/regions/{}", county.id)));
    assert!(body.contains("该地区尚未导入规划"));
}

async fn plan_page(app: App) {
    let ids = app.plan_ids("广东省/河源市/连平县").await;
    let women = ids[0];
    let (status, _, latest) = app.get(&format!("/plans/{women}")).await;
    assert_eq!(status, 200);
    assert_chinese_page(&latest);
    for head in [
        "指标",
        "目标值",
        "年份",
        "责任单位",
        "约束性/预期性",
        "来源行",
    ] {
        assert!(
            latest.contains(&format!("<th scope=\"col\">{head}</th>")),
            "{head}"
        );
    }
    // Goals read as the plan writes them, the unit with the value (issue 15).
    assert!(
        latest.contains("孕产妇死亡率") && latest.contains("<td class=\"num\">10/10万以下</td>")
    );
    assert!(!latest.contains("<th scope=\"col\">单位</th>") && !latest.contains("1/10万"));
    assert!(
        latest.contains("县卫生健康局") && latest.contains("约束性") && latest.contains("预期性")
    );
    assert!(latest.contains(&format!(
        "/plans/{women}/versions/2/source#L4\">第 4 行</a>"
    )));
    assert!(latest.contains("乳腺癌人群筛查率") && latest.contains("↑ 提高"));
    assert!(
        latest.contains("基线数据")
            && latest.contains("孕产妇系统管理率")
            && latest.contains("91.5")
    );
    assert!(latest.contains("策略措施"));
    assert!(latest.contains("11.3"));
    let (status, _, v2) = app.get(&format!("/plans/{women}/versions/2")).await;
    assert_eq!(status, 200);
    assert_eq!(v2, latest);
    let (status, _, v1) = app.get(&format!("/plans/{women}/versions/1")).await;
    assert_eq!(status, 200);
    assert!(v1.contains("12/10万以下") && !v1.contains("10/10万以下"));
    assert!(v1.contains("第 1 版（当前查看）"));
    assert!(v1.contains(&format!("href=\"/plans/{women}/versions/2\"")));
}

async fn source_page(app: App) {
    let ids = app.plan_ids("甘肃省/兰州市/城关区").await;
    let (status, _, body) = app
        .get(&format!("/plans/{}/versions/1/source", ids[0]))
        .await;
    assert_eq!(status, 200);
    assert_chinese_page(&body);
    assert!(body.contains("<div class=\"line hl\" id=\"L4\"><a class=\"ln\" href=\"#L4\">4</a>"));
    assert!(body.contains("1.孕产妇死亡率稳定在12/10万以下。"));
    assert!(body.contains("<div class=\"line hl-q\" id=\"L5\">"));
    assert!(body.contains("<div class=\"line hl-b\" id=\"L6\">"));
    assert!(body.contains("<div class=\"line\" id=\"L1\">"));
    assert!(body.contains("孕产妇死亡率 12/10万以下（2030年）"));
    // The children's plan marks its own lines only.
    let (_, _, children) = app
        .get(&format!("/plans/{}/versions/1/source", ids[1]))
        .await;
    assert!(children.contains("<div class=\"line hl\" id=\"L11\">"));
    assert!(children.contains("<div class=\"line\" id=\"L4\">"));
    // Each domain links to its heading line.
    let source = format!("/plans/{}/versions/1/source", ids[0]);
    assert!(
        body.contains(&format!("<a href=\"{source}#L2\">妇女与健康</a>")),
        "{body}"
    );
    assert!(body.contains(&format!("<a href=\"{source}#L7\">妇女与教育</a>")));
    // The filter keeps the lines that name the words, each linked into the whole text.
    let (status, _, found) = app
        .get(&format!("{source}?q=%E5%AD%95%E4%BA%A7%E5%A6%87"))
        .await;
    assert_eq!(status, 200);
    assert!(
        found.contains(&format!("<a class=\"ln\" href=\"{source}#L4\">4</a>")),
        "{found}"
    );
    assert!(found.contains("id=\"L6\""));
    assert!(!found.contains("id=\"L8\""), "a line without the words");
    assert!(found.contains("原文中含“孕产妇”的共 2 行"), "{found}");
    let (_, _, none) = app.get(&format!("{source}?q=%E8%88%AA%E5%A4%A9")).await;
    assert!(none.contains("原文中没有含“航天”的行"), "{none}");
}

async fn unknown_addresses_are_chinese_404s(app: App) {
    let ids = app.plan_ids("广东省/河源市/连平县").await;
    for path in [
        "/nope".to_string(),
        "/regions/999999".into(),
        "/regions/abc".into(),
        "/regions/-1".into(),
        "/regions/99999999999999999999999".into(),
        "/plans/999999".into(),
        "/plans/%E5%9F%8E".into(),
        format!("/plans/{}/versions/9", ids[0]),
        format!("/plans/{}/versions/0", ids[0]),
        format!("/plans/{}/versions/x/source", ids[0]),
        format!("/plans/{}/versions/9/source", ids[0]),
        "/static/nothing.css".into(),
        "/regions/%FF%FE".into(),
        "/regions/1%00".into(),
        format!("/plans/{}/versions/99999999999", ids[0]),
        format!("/regions/{}", "9".repeat(5000)),
    ] {
        let (status, ctype, body) = app.get(&path).await;
        assert_eq!(status, 404, "{path}");
        assert!(ctype.starts_with("text/html"), "{path}: {ctype}");
        assert_chinese_page(&body);
        assert!(body.contains("页面不存在（404）"), "{path}");
        assert!(body.contains("返回地区列表"));
    }
}

async fn stylesheet(app: App) {
    let (status, ctype, body) = app.get("/static/style.css").await;
    assert_eq!(status, 200);
    assert!(ctype.starts_with("text/css"));
    assert!(body.contains(".line:target") && body.contains("@media (max-width: 640px)"));
}

async fn text_is_escaped(app: App) {
    let (mut source, mut doc) = fixtures::county("浙江省", "丽水市", "莲都区");
    doc.plans[0].targets[0].indicator = "<script>alert(1)</script>".into();
    source.lines[3] = "<b>粗体</b>".into();
    app.store.import(&doc, &source).await.expect("import");
    let ids = app.plan_ids("浙江省/丽水市/莲都区").await;
    let (_, _, plan) = app.get(&format!("/plans/{}", ids[0])).await;
    assert!(!plan.contains("<script>alert(1)</script>"));
    assert!(plan.contains("alert(1)") && !plan.contains("<script>"));
    let (_, _, source) = app
        .get(&format!("/plans/{}/versions/1/source", ids[0]))
        .await;
    assert!(!source.contains("<b>粗体</b>"));
}

async fn targets_outside_any_domain_get_a_heading(app: App) {
    let (source, mut doc) = fixtures::county("浙江省", "丽水市", "莲都区");
    doc.plans[0].targets[0].domain = String::new();
    app.store.import(&doc, &source).await.expect("import");
    let ids = app.plan_ids("浙江省/丽水市/莲都区").await;
    let (status, _, plan) = app.get(&format!("/plans/{}", ids[0])).await;
    assert_eq!(status, 200);
    assert!(plan.contains("其他（未归入发展领域）"), "{plan}");
    let indicator = &doc.plans[0].targets[0].indicator;
    assert!(plan.contains(indicator.as_str()));
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test] async fn $name() { super::$name(super::sqlite_app().await).await; })*
        }
        mod postgres {
            $(#[tokio::test] async fn $name() { super::$name(super::postgres_app().await).await; })*
        }
    };
}

on_both!(
    region_list,
    region_page,
    plan_page,
    source_page,
    unknown_addresses_are_chinese_404s,
    stylesheet,
    text_is_escaped,
    targets_outside_any_domain_get_a_heading,
);
