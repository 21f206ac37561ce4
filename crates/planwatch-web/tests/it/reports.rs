//! Reports over HTTP, on both databases: downloaded from the dashboard as Word, Excel and a
//! page; reports a region cannot have as Chinese pages (never a 500); publishing refused to
//! every role but the office (and logged); a published report readable without login at
//! its stable address, unchanged when the data change, a second publication its version 2
//! beside version 1, and the public index listing them.

use crate::support::{self, Browser};
use planwatch_core::access::Role;
use planwatch_store::people::AuditAction;
use planwatch_store::story_system::seeded;
use planwatch_store::system::Observation;
use planwatch_store::{RegionRow, Store};
use std::sync::Arc;

const PASSWORD: &str = "reports-test-2026";
const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

struct World {
    base: String,
    store: Arc<dyn Store>,
    county: RegionRow,
    province: RegionRow,
    unit: i64,
    _guard: Box<dyn std::any::Any + Send>,
}

async fn world((store, guard): support::Fresh) -> World {
    let county = seeded(store.as_ref(), "连平县").await;
    let province = store
        .regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.name == "广东省")
        .expect("the province");
    store
        .record_observation(&value(county.id, 2020, 12.0))
        .await
        .expect("a value");
    let unit = store
        .add_member_unit(county.id, "卫健委", "测试")
        .await
        .expect("unit");
    let options = planwatch_web::ServeOptions {
        write_burst: 10_000,
        ..planwatch_web::ServeOptions::default()
    };
    let base = support::listen_with(&store, options).await;
    World {
        base,
        store,
        county,
        province,
        unit,
        _guard: guard,
    }
}

fn value(region_id: i64, year: i32, value: f64) -> Observation {
    Observation {
        region_id,
        indicator_key: "W-HEA-03".into(),
        year,
        value,
        source: "妇幼卫生年报".into(),
        demo: false,
    }
}

async fn login(w: &World, name: &str, role: Role) -> Browser {
    let home = (role != Role::Admin).then_some(w.county.id);
    let unit = (role == Role::Reporter).then_some(w.unit);
    support::make_user(&w.store, name, Some(PASSWORD), &[(role, home, unit)]).await;
    Browser::login(&w.base, name, PASSWORD).await
}

fn anonymous() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string()
}

/// A Word or Excel download: a zip of the right type, named after the report.
async fn check_file(r: reqwest::Response, content_type: &str, name: &str) {
    let status = r.status().as_u16();
    let ctype = header(&r, "content-type");
    let disposition = header(&r, "content-disposition");
    let bytes = r.bytes().await.expect("body");
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&bytes));
    {
        assert_eq!(ctype, content_type);
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        let encoded: String = name
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        assert!(
            disposition.contains(&format!("filename*=UTF-8''{encoded}")),
            "{disposition}"
        );
        assert!(bytes.starts_with(b"PK"), "a .docx or .xlsx is a zip");
        assert!(bytes.len() > 10_000, "a whole report, not an empty shell");
    }
}

async fn downloads(w: World) {
    let office = login(&w, "r-office", Role::Office).await;
    let id = w.county.id;
    let (status, dashboard) = office.get(&format!("/regions/{id}/dashboard")).await;
    assert_eq!(status, 200);
    for words in [
        "下载 Word",
        "下载 Excel",
        "在线查看",
        "年度监测报告",
        "发布…",
    ] {
        assert!(dashboard.contains(words), "the dashboard offers {words}");
    }
    assert!(
        dashboard.contains("href=\"/glossary#"),
        "status tags link to their explanation"
    );
    let viewer = login(&w, "r-viewer", Role::Viewer).await;
    let (status, seen) = viewer.get(&format!("/regions/{id}/dashboard")).await;
    assert_eq!(status, 200);
    assert!(seen.contains("下载 Word"), "a viewer downloads reports");
    assert!(!seen.contains("发布…"), "but is not offered to publish");

    let page = office
        .client
        .get(format!(
            "{}/regions/{id}/report?kind=annual&year=2024&format=html",
            w.base
        ))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    assert!(header(&page, "content-type").starts_with("text/html"));
    let text = page.text().await.expect("body");
    assert!(
        text.contains("连平县") && text.contains("2024年度监测报告"),
        "{text}"
    );

    for (format, ctype) in [("docx", DOCX), ("xlsx", XLSX)] {
        let r = office
            .client
            .get(format!(
                "{}/regions/{id}/report?kind=annual&year=2024&format={format}",
                w.base
            ))
            .send()
            .await
            .expect("download");
        check_file(r, ctype, &format!("连平县2024年度监测报告.{format}")).await;
    }

    // The same report as JSON.
    let api = office
        .client
        .get(format!(
            "{}/api/regions/{id}/report?kind=annual&year=2024",
            w.base
        ))
        .send()
        .await
        .expect("api");
    assert_eq!(api.status(), 200);
    let json: serde_json::Value = api.json().await.expect("JSON");
    assert_eq!(json["kind"], "annual");
    assert_eq!(json["year"], 2024);
    assert!(json["title"].as_str().is_some_and(|t| t.contains("连平县")));
    let refused = office
        .client
        .get(format!(
            "{}/api/regions/{id}/report?kind=final&year=2024",
            w.base
        ))
        .send()
        .await
        .expect("api");
    assert_eq!(refused.status(), 422);
    let body: serde_json::Value = refused.json().await.expect("JSON");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("终期评估报告")),
        "{body}"
    );

    // A reporter does not read the region, so neither its reports.
    let reporter = login(&w, "r-reporter", Role::Reporter).await;
    let (status, _) = reporter
        .get(&format!(
            "/regions/{id}/report?kind=annual&year=2024&format=html"
        ))
        .await;
    assert_eq!(status, 403);
}

async fn impossible_reports(w: World) {
    let office = login(&w, "r-office", Role::Office).await;
    let id = w.county.id;
    // The plans run 2021–2030: there is no final evaluation in 2024.
    for format in ["html", "docx", "xlsx"] {
        let (status, body) = office
            .get(&format!(
                "/regions/{id}/report?kind=final&year=2024&format={format}"
            ))
            .await;
        assert_eq!(status, 422, "{format}: {body}");
        assert!(
            body.contains("无法生成") && body.contains("终期评估报告"),
            "{body}"
        );
        assert!(body.contains("2021—2030"), "{body}");
    }
    // A province reports to the national committee, which is no region of the database.
    let admin = login(&w, "r-admin", Role::Admin).await;
    let (status, body) = admin
        .get(&format!(
            "/regions/{}/report?kind=upward&year=2024&format=html",
            w.province.id
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("报送国务院妇女儿童工作委员会"), "{body}");
    // A kind or year nobody offers.
    let (status, body) = office
        .get(&format!("/regions/{id}/report?kind=weekly&year=2024"))
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("报告类型"), "{body}");
    let (status, body) = office
        .get(&format!("/regions/{id}/report?kind=annual&year=abc"))
        .await;
    assert_eq!(status, 400);
    assert!(body.contains("年度"), "{body}");
    // A region without data has a short, true report.
    let (status, body) = admin
        .get(&format!(
            "/regions/{}/report?kind=annual&year=2024&format=html",
            w.province.id
        ))
        .await;
    assert_eq!(status, 200, "{body}");
    // Publishing an impossible report publishes nothing.
    let (status, _, body) = office
        .post(
            &format!("/regions/{id}/publications"),
            &[("kind", "final"), ("year", "2024")],
        )
        .await;
    assert_eq!(status, 422);
    assert!(body.contains("未发布"), "{body}");
    assert!(w.store.publications(None).await.expect("list").is_empty());
}

async fn refused_publishers(w: World) {
    let id = w.county.id;
    for (name, role) in [
        ("p-reporter", Role::Reporter),
        ("p-viewer", Role::Viewer),
        ("p-bureau", Role::Bureau),
    ] {
        let who = login(&w, name, role).await;
        let (status, _, body) = who
            .post(
                &format!("/regions/{id}/publications"),
                &[("kind", "annual"), ("year", "2024")],
            )
            .await;
        assert_eq!(status, 403, "{name}");
        assert!(body.contains("发布报告"), "{name}: {body}");
        if role != Role::Reporter {
            // Those who read the region see the published list, without the form.
            let (status, page) = who.get(&format!("/regions/{id}/publications")).await;
            assert_eq!(status, 200);
            assert!(!page.contains(">发布</button>"), "{name}: {page}");
        }
    }
    assert!(w.store.publications(None).await.expect("list").is_empty());
    let log = w.store.audit_log(None, 100).await.expect("audit");
    for name in ["p-reporter", "p-viewer", "p-bureau"] {
        assert!(
            log.iter().any(|e| e.action == AuditAction::Denied
                && e.actor == name
                && e.detail == "无权发布报告"),
            "{name}'s attempt is audited: {log:?}"
        );
    }
    // An office of another region may not publish this one's either.
    let city = w
        .store
        .regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.name == "河源市")
        .expect("city");
    support::make_user(
        &w.store,
        "p-city-office",
        Some(PASSWORD),
        &[(Role::Office, Some(city.id), None)],
    )
    .await;
    let city_office = Browser::login(&w.base, "p-city-office", PASSWORD).await;
    let (status, _, _) = city_office
        .post(
            &format!("/regions/{id}/publications"),
            &[("kind", "annual"), ("year", "2024")],
        )
        .await;
    assert_eq!(status, 403, "the level above reads, it does not publish");
}

async fn published_is_frozen_and_public(w: World) {
    let office = login(&w, "pub-office", Role::Office).await;
    let id = w.county.id;
    let (status, form) = office
        .get(&format!("/regions/{id}/publications?kind=annual&year=2024"))
        .await;
    assert_eq!(status, 200);
    assert!(form.contains(">发布</button>"), "{form}");
    let (status, location, _) = office
        .post(
            &format!("/regions/{id}/publications"),
            &[("kind", "annual"), ("year", "2024"), ("why", "首次发布")],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/public/reports/"), "{location}");
    let first: i64 = location
        .trim_start_matches("/public/reports/")
        .split('?')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("an id");

    let public = anonymous();
    let url = format!("{}/public/reports/{first}", w.base);
    let r = public.get(&url).send().await.expect("public page");
    assert_eq!(r.status(), 200, "readable without login");
    let before = r.text().await.expect("body");
    assert!(
        before.contains("2024年度监测报告") && before.contains("第1版"),
        "{before}"
    );
    assert!(!before.contains("退出"), "no signed-in navigation");

    // The data change; the published page does not.
    w.store
        .record_observation(&value(id, 2024, 8.5))
        .await
        .expect("a new value");
    let after = public
        .get(&url)
        .send()
        .await
        .expect("again")
        .text()
        .await
        .expect("body");
    assert_eq!(after, before, "a publication is frozen");

    // Its files, from the frozen report.
    for (file, ctype) in [
        ("data.csv", "text/csv"),
        ("data.json", "application/json"),
        ("sdmx.csv", "text/csv"),
    ] {
        let r = public
            .get(format!("{url}/{file}"))
            .send()
            .await
            .expect("file");
        assert_eq!(r.status(), 200, "{file}");
        assert!(header(&r, "content-type").starts_with(ctype), "{file}");
        assert!(header(&r, "content-disposition").starts_with("attachment;"));
    }
    let docx = public
        .get(format!("{url}/report.docx"))
        .send()
        .await
        .expect("docx");
    check_file(docx, DOCX, "连平县2024年度监测报告.docx").await;

    // Published again: version 2 under a new id; version 1 stays where it was.
    let (status, location, _) = office
        .post(
            &format!("/regions/{id}/publications"),
            &[
                ("kind", "annual"),
                ("year", "2024"),
                ("why", "补充2024年数据"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let second: i64 = location
        .trim_start_matches("/public/reports/")
        .split('?')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("an id");
    assert_ne!(second, first);
    let newer = public
        .get(format!("{}/public/reports/{second}", w.base))
        .send()
        .await
        .expect("v2")
        .text()
        .await
        .expect("body");
    assert!(newer.contains("第2版"), "{newer}");
    let old = public
        .get(&url)
        .send()
        .await
        .expect("v1")
        .text()
        .await
        .expect("body");
    assert!(old.contains("第1版") && old.contains("更新的版本"), "{old}");
    assert!(old.contains(&format!("/public/reports/{second}")));
    let stored = w.store.publication(first).await.expect("read").expect("v1");
    let v1: serde_json::Value = serde_json::from_str(&stored.report_json).expect("JSON");
    let v2: serde_json::Value = serde_json::from_str(
        &w.store
            .publication(second)
            .await
            .expect("read")
            .expect("v2")
            .report_json,
    )
    .expect("JSON");
    assert_ne!(v1["rows"], v2["rows"], "version 2 has the new value");

    // The public index lists both under the region.
    let index = public
        .get(format!("{}/public", w.base))
        .send()
        .await
        .expect("index");
    assert_eq!(index.status(), 200);
    let index = index.text().await.expect("body");
    assert!(index.contains("连平县"), "{index}");
    assert!(index.contains(&format!("/public/reports/{first}")));
    assert!(index.contains(&format!("/public/reports/{second}")));
    // The data dictionary explains every open-data column, without login.
    let dictionary = public
        .get(format!("{}/public/data-dictionary", w.base))
        .send()
        .await
        .expect("dictionary");
    assert_eq!(dictionary.status(), 200);
    let dictionary = dictionary.text().await.expect("body");
    for column in ["region_code", "latest_value", "TIME_PERIOD", "OBS_VALUE"] {
        assert!(dictionary.contains(column), "{column}");
    }
    // So does the glossary: every status and warning word with how it is judged.
    let glossary = public
        .get(format!("{}/glossary", w.base))
        .send()
        .await
        .expect("glossary");
    assert_eq!(glossary.status(), 200);
    let glossary = glossary.text().await.expect("body");
    for s in planwatch_core::evaluation::Status::ALL {
        assert!(
            glossary.contains(&format!("<dt id=\"{}\">{}</dt>", s.as_str(), s.label_zh())),
            "{s}"
        );
    }
    for w in planwatch_core::evaluation::Warning::ALL {
        assert!(glossary.contains(w.label_zh()), "{w}");
    }
    // The signed-in list and the audit log have them too.
    let (_, list) = office.get(&format!("/regions/{id}/publications")).await;
    assert!(list.contains("补充2024年数据"), "{list}");
    let log = w.store.audit_log(Some(id), 100).await.expect("audit");
    assert_eq!(
        log.iter()
            .filter(|e| e.action == AuditAction::Published && e.actor == "pub-office")
            .count(),
        2
    );
    // Unknown ids are Chinese 404s; the login page links the public index.
    let missing = public
        .get(format!("{}/public/reports/999999", w.base))
        .send()
        .await
        .expect("missing");
    assert_eq!(missing.status(), 404);
    let login = public
        .get(format!("{}/login", w.base))
        .send()
        .await
        .expect("login")
        .text()
        .await
        .expect("body");
    assert!(login.contains("href=\"/public\""));
}

#[tokio::test]
async fn reports_download_from_the_dashboard_on_sqlite() {
    downloads(world(support::fresh_sqlite().await).await).await;
}

#[tokio::test]
async fn reports_download_from_the_dashboard_on_postgres() {
    downloads(world(support::fresh_postgres().await).await).await;
}

#[tokio::test]
async fn impossible_reports_are_chinese_pages_on_sqlite() {
    impossible_reports(world(support::fresh_sqlite().await).await).await;
}

#[tokio::test]
async fn impossible_reports_are_chinese_pages_on_postgres() {
    impossible_reports(world(support::fresh_postgres().await).await).await;
}

#[tokio::test]
async fn only_the_office_publishes_on_sqlite() {
    refused_publishers(world(support::fresh_sqlite().await).await).await;
}

#[tokio::test]
async fn only_the_office_publishes_on_postgres() {
    refused_publishers(world(support::fresh_postgres().await).await).await;
}

#[tokio::test]
async fn published_reports_are_frozen_and_public_on_sqlite() {
    published_is_frozen_and_public(world(support::fresh_sqlite().await).await).await;
}

#[tokio::test]
async fn published_reports_are_frozen_and_public_on_postgres() {
    published_is_frozen_and_public(world(support::fresh_postgres().await).await).await;
}
