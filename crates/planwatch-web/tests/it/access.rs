//! Tested as an attacker would: every role against every action on its own region, a
//! sub-region, the region above and a foreign region, on both databases; forged and
//! missing CSRF tokens, a session replayed after logout, an expired session, revoked and
//! malformed tokens, throttled logins, a disabled account.

use crate::support;
use chrono::Utc;
use planwatch_core::access::{Role, TokenScope};
use planwatch_core::{Level, PlanKind};
use planwatch_store::people::AuditAction;
use planwatch_store::story::fixtures;
use planwatch_store::system::{self, Seeder};
use planwatch_store::{RegionRow, Store, resolve_region};
use std::sync::Arc;

const PASSWORD: &str = "matrix-test-2026";

/// The four regions an actor whose home is 河源市 meets.
struct World {
    base: String,
    store: Arc<dyn Store>,
    /// own (河源市), sub (连平县), above (广东省), foreign (湖北省随州市曾都区).
    regions: [RegionRow; 4],
    /// A member unit in each region (the reporter's is the first).
    units: [i64; 4],
    /// A plan of each region that has one.
    plans: [Option<i64>; 4],
    _guard: Box<dyn std::any::Any + Send>,
}

async fn import_seeded(store: &dyn Store, province: &str, city: &str, county: Option<&str>) {
    let (source, mut doc) = fixtures::county(province, city, county.unwrap_or("占位县"));
    if county.is_none() {
        doc.region = city.to_string();
        doc.level = Level::City;
        doc.parents = vec![province.to_string()];
    }
    store.import(&doc, &source).await.expect("import");
    let regions = store.regions().await.expect("regions");
    let region = resolve_region(&regions, county.unwrap_or(city))
        .expect("region")
        .clone();
    system::seed_region(
        store,
        region.id,
        &Seeder {
            map: &|_: PlanKind, _: u32, _: &str| None,
            baseline: &|_, _, _| None,
        },
    )
    .await
    .expect("seed");
}

async fn world((store, guard): support::Fresh) -> World {
    import_seeded(store.as_ref(), "广东省", "河源市", None).await;
    import_seeded(store.as_ref(), "广东省", "河源市", Some("连平县")).await;
    import_seeded(store.as_ref(), "湖北省", "随州市", Some("曾都区")).await;
    let all = store.regions().await.expect("regions");
    let find = |q: &str| resolve_region(&all, q).expect(q).clone();
    let regions = [
        find("河源市"),
        find("连平县"),
        find("广东省"),
        find("曾都区"),
    ];
    let mut units = [0; 4];
    let mut plans = [None; 4];
    for (i, r) in regions.iter().enumerate() {
        units[i] = store
            .add_member_unit(r.id, "卫健委", "测试")
            .await
            .expect("unit");
        plans[i] = store
            .region_plans(r.id)
            .await
            .expect("plans")
            .first()
            .map(|p| p.id);
    }
    // The reporter's unit leads the first target of 河源市.
    let first = store.system_targets(regions[0].id).await.expect("targets")[0].id;
    let change = planwatch_store::system::Change::new("测试", "分工").expect("change");
    store
        .assign(first, Some(units[0]), &[], None, &change)
        .await
        .expect("assign");
    // A reporting round of 2024 open in every region.
    let today = planwatch_web::today_in_china();
    for r in &regions {
        store
            .open_round(
                &planwatch_store::rounds::NewRound {
                    region_id: r.id,
                    year: 2024,
                    opens_on: today.pred_opt().expect("yesterday"),
                    closes_on: today.succ_opt().expect("tomorrow"),
                },
                "测试",
            )
            .await
            .expect("round");
    }
    // Every test here writes more than a person would in a minute, from one address.
    let options = planwatch_web::ServeOptions {
        write_burst: 100_000,
        ..planwatch_web::ServeOptions::default()
    };
    let base = support::listen_with(&store, options).await;
    World {
        base,
        store,
        regions,
        units,
        plans,
        _guard: guard,
    }
}

#[derive(Clone, Copy)]
enum Body {
    None,
    /// A new target, for the indicator-system API.
    Json,
    /// A save of no values, for the round's API.
    JsonSave,
    /// Form fields; `{y}` is a year of the role's own (so that each role's round is new).
    Form(&'static str),
}

/// Actions whose outcome, once the gate let them through, depends on what earlier roles of
/// the matrix did (a submission returned, a round's version moved on): for them any answer
/// but 401, 403 or the login page means allowed. Their outcomes are tested in
/// `rounds_form`, `rounds_manage` and `rounds_api`.
const GATE_ONLY: &[&str] = &[
    "审核页",
    // target 0 does not exist: the handler's 404 once the gate let it through
    "采用建议",
    "开启填报",
    "调整填报",
    "保存填报",
    "审核",
    "接口报送",
];

/// One action as the matrix tries it: (name, method, path with `{r}` `{u}` `{p}`, body).
const ACTIONS: &[(&str, &str, &str, Body)] = &[
    ("概览", "GET", "/regions/{r}/dashboard", Body::None),
    ("地区页", "GET", "/regions/{r}", Body::None),
    (
        "对照上级目标",
        "GET",
        "/api/regions/{r}/targets/check",
        Body::None,
    ),
    ("读指标体系", "GET", "/api/regions/{r}/targets", Body::None),
    ("改指标体系", "POST", "/api/regions/{r}/targets", Body::Json),
    (
        "采用建议",
        "POST",
        "/regions/{r}/review",
        Body::Form("target=0&version=1&code=local"),
    ),
    ("看成员单位", "GET", "/regions/{r}/units", Body::None),
    ("加成员单位", "POST", "/regions/{r}/units", Body::Form("")),
    ("看账号", "GET", "/regions/{r}/users", Body::None),
    (
        "开通账号",
        "POST",
        "/regions/{r}/users",
        Body::Form("role=viewer"),
    ),
    ("审计日志", "GET", "/regions/{r}/audit", Body::None),
    ("单位指标", "GET", "/regions/{r}/units/{u}", Body::None),
    ("规划", "GET", "/plans/{p}", Body::None),
    // The annual reporting round (year 2024, open in every region).
    ("填报轮次", "GET", "/regions/{r}/rounds", Body::None),
    ("填报进度", "GET", "/regions/{r}/rounds/2024", Body::None),
    ("缺项", "GET", "/regions/{r}/rounds/2024/gaps", Body::None),
    (
        "临时评估",
        "GET",
        "/regions/{r}/rounds/2024/provisional",
        Body::None,
    ),
    (
        "填报记录",
        "GET",
        "/regions/{r}/rounds/2024/changes",
        Body::None,
    ),
    (
        "单位填报表",
        "GET",
        "/regions/{r}/rounds/2024/units/{u}",
        Body::None,
    ),
    (
        "审核页",
        "GET",
        "/regions/{r}/rounds/2024/units/{u}/review",
        Body::None,
    ),
    (
        "开启填报",
        "POST",
        "/regions/{r}/rounds",
        Body::Form("year={y}&opens_on=2026-01-01&closes_on=2026-12-31"),
    ),
    (
        "调整填报",
        "POST",
        "/regions/{r}/rounds/2024/state",
        Body::Form("action=dates&version=1&opens_on=2025-01-01&closes_on=2099-12-31&why=矩阵测试"),
    ),
    (
        "保存填报",
        "POST",
        "/regions/{r}/rounds/2024/units/{u}",
        Body::Form("action=save&based_on="),
    ),
    (
        "审核",
        "POST",
        "/regions/{r}/rounds/2024/units/{u}/review",
        Body::Form("action=return&version=1&comment=矩阵测试"),
    ),
    (
        "接口报送",
        "POST",
        "/api/regions/{r}/rounds/2024/units/{u}/submit",
        Body::JsonSave,
    ),
    // Reports: built live for readers, published by the office, public once published.
    (
        "下载报告",
        "GET",
        "/regions/{r}/report?kind=annual&year=2024&format=html",
        Body::None,
    ),
    (
        "报告接口",
        "GET",
        "/api/regions/{r}/report?kind=annual&year=2024",
        Body::None,
    ),
    ("已发布报告", "GET", "/regions/{r}/publications", Body::None),
    (
        "发布报告",
        "POST",
        "/regions/{r}/publications",
        Body::Form("kind=annual&year=2024"),
    ),
    ("公开发布", "GET", "/public", Body::None),
];

/// The expected outcome, per role, per action, on (own, sub-region, above, foreign):
/// Y allowed, N refused, - not tried (the region has no plan).
const EXPECTED: &[(&str, &[(&str, &str)])] = &[
    (
        "admin",
        &[
            ("概览", "YYYY"),
            ("地区页", "YYYY"),
            ("对照上级目标", "YYYY"),
            ("读指标体系", "YYYY"),
            ("改指标体系", "YYYY"),
            ("采用建议", "YYYY"),
            ("看成员单位", "YYYY"),
            ("加成员单位", "YYYY"),
            ("看账号", "YYYY"),
            ("开通账号", "YYYY"),
            ("审计日志", "YYYY"),
            ("单位指标", "YYYY"),
            ("规划", "YY-Y"),
            ("填报轮次", "YYYY"),
            ("填报进度", "YYYY"),
            ("缺项", "YYYY"),
            ("临时评估", "YYYY"),
            ("填报记录", "YYYY"),
            ("单位填报表", "YYYY"),
            ("审核页", "YYYY"),
            ("开启填报", "YYYY"),
            ("调整填报", "YYYY"),
            ("保存填报", "YYYY"),
            ("审核", "YYYY"),
            ("接口报送", "YYYY"),
            ("下载报告", "YYYY"),
            ("报告接口", "YYYY"),
            ("已发布报告", "YYYY"),
            ("发布报告", "YYYY"),
            ("公开发布", "YYYY"),
        ],
    ),
    (
        "office",
        &[
            ("概览", "YYNN"),
            ("地区页", "YYNN"),
            ("对照上级目标", "YYNN"),
            ("读指标体系", "YYNN"),
            ("改指标体系", "YNNN"),
            ("采用建议", "YNNN"),
            ("看成员单位", "YYNN"),
            ("加成员单位", "YNNN"),
            ("看账号", "YNNN"),
            ("开通账号", "YNNN"),
            ("审计日志", "YNNN"),
            ("单位指标", "YYNN"),
            ("规划", "YY-N"),
            ("填报轮次", "YYNN"),
            ("填报进度", "YYNN"),
            ("缺项", "YYNN"),
            ("临时评估", "YNNN"),
            ("填报记录", "YNNN"),
            ("单位填报表", "YYNN"),
            ("审核页", "NNNN"),
            ("开启填报", "YNNN"),
            ("调整填报", "YNNN"),
            ("保存填报", "NNNN"),
            ("审核", "NNNN"),
            ("接口报送", "NNNN"),
            ("下载报告", "YYNN"),
            ("报告接口", "YYNN"),
            ("已发布报告", "YYNN"),
            ("发布报告", "YNNN"),
            ("公开发布", "YYYY"),
        ],
    ),
    (
        "bureau",
        &[
            ("概览", "YYNN"),
            ("地区页", "YYNN"),
            ("对照上级目标", "YYNN"),
            ("读指标体系", "YYNN"),
            ("改指标体系", "YNNN"),
            ("采用建议", "YNNN"),
            ("看成员单位", "YYNN"),
            ("加成员单位", "NNNN"),
            ("看账号", "NNNN"),
            ("开通账号", "NNNN"),
            ("审计日志", "NNNN"),
            ("单位指标", "YYNN"),
            ("规划", "YY-N"),
            ("填报轮次", "YYNN"),
            ("填报进度", "YYNN"),
            ("缺项", "YYNN"),
            ("临时评估", "YNNN"),
            ("填报记录", "YNNN"),
            ("单位填报表", "YYNN"),
            ("审核页", "YNNN"),
            ("开启填报", "YNNN"),
            ("调整填报", "YNNN"),
            ("保存填报", "NNNN"),
            ("审核", "YNNN"),
            ("接口报送", "NNNN"),
            ("下载报告", "YYNN"),
            ("报告接口", "YYNN"),
            ("已发布报告", "YYNN"),
            ("发布报告", "NNNN"),
            ("公开发布", "YYYY"),
        ],
    ),
    (
        "reporter",
        &[
            ("概览", "NNNN"),
            ("地区页", "NNNN"),
            ("对照上级目标", "NNNN"),
            ("读指标体系", "NNNN"),
            ("改指标体系", "NNNN"),
            ("采用建议", "NNNN"),
            ("看成员单位", "NNNN"),
            ("加成员单位", "NNNN"),
            ("看账号", "NNNN"),
            ("开通账号", "NNNN"),
            ("审计日志", "NNNN"),
            ("单位指标", "YNNN"),
            ("规划", "NN-N"),
            ("填报轮次", "NNNN"),
            ("填报进度", "NNNN"),
            ("缺项", "NNNN"),
            ("临时评估", "NNNN"),
            ("填报记录", "NNNN"),
            ("单位填报表", "YNNN"),
            ("审核页", "NNNN"),
            ("开启填报", "NNNN"),
            ("调整填报", "NNNN"),
            ("保存填报", "YNNN"),
            ("审核", "NNNN"),
            ("接口报送", "YNNN"),
            ("下载报告", "NNNN"),
            ("报告接口", "NNNN"),
            ("已发布报告", "NNNN"),
            ("发布报告", "NNNN"),
            ("公开发布", "YYYY"),
        ],
    ),
    (
        "viewer",
        &[
            ("概览", "YYNN"),
            ("地区页", "YYNN"),
            ("对照上级目标", "YYNN"),
            ("读指标体系", "YYNN"),
            ("改指标体系", "NNNN"),
            ("采用建议", "NNNN"),
            ("看成员单位", "YYNN"),
            ("加成员单位", "NNNN"),
            ("看账号", "NNNN"),
            ("开通账号", "NNNN"),
            ("审计日志", "NNNN"),
            ("单位指标", "YYNN"),
            ("规划", "YY-N"),
            ("填报轮次", "YYNN"),
            ("填报进度", "YYNN"),
            ("缺项", "YYNN"),
            ("临时评估", "NNNN"),
            ("填报记录", "NNNN"),
            ("单位填报表", "YYNN"),
            ("审核页", "NNNN"),
            ("开启填报", "NNNN"),
            ("调整填报", "NNNN"),
            ("保存填报", "NNNN"),
            ("审核", "NNNN"),
            ("接口报送", "NNNN"),
            ("下载报告", "YYNN"),
            ("报告接口", "YYNN"),
            ("已发布报告", "YYNN"),
            ("发布报告", "NNNN"),
            ("公开发布", "YYYY"),
        ],
    ),
    (
        "anonymous",
        &[
            ("概览", "NNNN"),
            ("地区页", "NNNN"),
            ("对照上级目标", "NNNN"),
            ("读指标体系", "NNNN"),
            ("改指标体系", "NNNN"),
            ("采用建议", "NNNN"),
            ("看成员单位", "NNNN"),
            ("加成员单位", "NNNN"),
            ("看账号", "NNNN"),
            ("开通账号", "NNNN"),
            ("审计日志", "NNNN"),
            ("单位指标", "NNNN"),
            ("规划", "NN-N"),
            ("填报轮次", "NNNN"),
            ("填报进度", "NNNN"),
            ("缺项", "NNNN"),
            ("临时评估", "NNNN"),
            ("填报记录", "NNNN"),
            ("单位填报表", "NNNN"),
            ("审核页", "NNNN"),
            ("开启填报", "NNNN"),
            ("调整填报", "NNNN"),
            ("保存填报", "NNNN"),
            ("审核", "NNNN"),
            ("接口报送", "NNNN"),
            ("下载报告", "NNNN"),
            ("报告接口", "NNNN"),
            ("已发布报告", "NNNN"),
            ("发布报告", "NNNN"),
            ("公开发布", "YYYY"),
        ],
    ),
];

fn role_of(name: &str) -> Option<Role> {
    match name {
        "admin" => Some(Role::Admin),
        "office" => Some(Role::Office),
        "bureau" => Some(Role::Bureau),
        "reporter" => Some(Role::Reporter),
        "viewer" => Some(Role::Viewer),
        _ => None,
    }
}

/// Whether a response means "allowed": anything but 401, 403, or a redirect to the login
/// page. An allowed response must also be a success or an ordinary redirect.
fn allowed(what: &str, response: &reqwest::Response) -> bool {
    let status = response.status().as_u16();
    let to_login = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.starts_with("/login"));
    if status == 401 || status == 403 || to_login {
        return false;
    }
    assert!(
        (200..400).contains(&status),
        "{what}: an allowed request answered {status}"
    );
    true
}

/// Whether the gate let a request through, whatever the handler then answered.
fn passed_gate(response: &reqwest::Response) -> bool {
    let to_login = response
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .is_some_and(|l| l.starts_with("/login"));
    !(matches!(response.status().as_u16(), 401 | 403) || to_login)
}

async fn run_matrix(w: World) {
    let mut new_targets = [0usize; 4];
    for (role_index, (role_name, table)) in EXPECTED.iter().enumerate() {
        let (client, csrf) = match role_of(role_name) {
            Some(role) => {
                let home = if role == Role::Admin {
                    None
                } else {
                    Some(w.regions[0].id)
                };
                let unit = (role == Role::Reporter).then_some(w.units[0]);
                let name = format!("m-{role_name}");
                support::make_user(&w.store, &name, Some(PASSWORD), &[(role, home, unit)]).await;
                let (c, csrf) = support::browser_login(&w.base, &name, PASSWORD).await;
                (c, Some(csrf))
            }
            None => (
                reqwest::Client::builder()
                    .redirect(reqwest::redirect::Policy::none())
                    .build()
                    .expect("client"),
                None,
            ),
        };
        for (action, expected) in *table {
            let (_, method, template, body) = ACTIONS
                .iter()
                .find(|a| a.0 == *action)
                .expect("action in ACTIONS");
            for (i, want) in expected.chars().enumerate() {
                if want == '-' {
                    continue;
                }
                let region = &w.regions[i];
                let plan = w.plans[i].map(|p| p.to_string()).unwrap_or_default();
                let path = template
                    .replace("{r}", &region.id.to_string())
                    .replace("{u}", &w.units[i].to_string())
                    .replace("{p}", &plan);
                let url = format!("{}{path}", w.base);
                let mut req = match *method {
                    "POST" => client.post(&url).header("Origin", &w.base),
                    _ => client.get(&url),
                };
                if let Some(csrf) = &csrf {
                    match body {
                        Body::Json | Body::JsonSave => req = req.header("X-CSRF-Token", csrf),
                        Body::Form(_) => {}
                        Body::None => {}
                    }
                }
                req = match body {
                    Body::None => req,
                    Body::Json => req.json(&serde_json::json!({
                        "kind": "women", "indicator": "矩阵测试指标", "domain": "健康", "comparator": ">=",
                        "value": 1, "unit": "%", "year": 2030, "why": "矩阵测试"
                    })),
                    Body::JsonSave => req.json(&serde_json::json!({"based_on": null, "values": {}})),
                    Body::Form(fields) => {
                        let fields = fields.replace("{y}", &(2010 + role_index).to_string());
                        let name = if path.ends_with("/users") {
                            format!("x-{role_name}-{i}")
                        } else {
                            "测试局".to_string()
                        };
                        let mut pairs: Vec<(String, String)> = fields
                            .split('&')
                            .filter_map(|kv| kv.split_once('='))
                            .map(|(k, v)| (k.to_string(), v.to_string()))
                            .collect();
                        pairs.push(("csrf".into(), csrf.clone().unwrap_or_default()));
                        pairs.push(("name".into(), name));
                        pairs.push(("password".into(), PASSWORD.into()));
                        req.form(&pairs)
                    }
                };
                let response = req.send().await.expect("request");
                let what = format!("{role_name} {action} {path}");
                let got = if GATE_ONLY.contains(action) {
                    passed_gate(&response)
                } else {
                    allowed(&what, &response)
                };
                assert_eq!(got, want == 'Y', "{what}: answered {}", response.status());
                if got && *action == "改指标体系" {
                    new_targets[i] += 1;
                }
            }
        }
    }
    // Nothing refused was changed: each region holds exactly the targets allowed to be added.
    for (i, r) in w.regions.iter().enumerate() {
        let added = w
            .store
            .system_targets(r.id)
            .await
            .expect("targets")
            .iter()
            .filter(|t| t.state.indicator == "矩阵测试指标")
            .count();
        assert_eq!(added, new_targets[i], "{}", r.name);
    }
    // Only the administrator (everywhere) and the office (its own region) published.
    for (i, r) in w.regions.iter().enumerate() {
        let published = w
            .store
            .publications(Some(r.id))
            .await
            .expect("publications")
            .len();
        assert_eq!(published, if i == 0 { 2 } else { 1 }, "{}", r.name);
    }
    // The refusals are in the audit log.
    let log = w.store.audit_log(None, 1000).await.expect("audit");
    assert!(
        log.iter()
            .any(|e| e.action == AuditAction::Denied && e.actor == "m-reporter"),
        "a reporter's refused attempts are audited"
    );
}

#[tokio::test]
async fn every_role_against_every_action_on_sqlite() {
    run_matrix(world(support::fresh_sqlite().await).await).await;
}

#[tokio::test]
async fn every_role_against_every_action_on_postgres() {
    run_matrix(world(support::fresh_postgres().await).await).await;
}

async fn units_count(w: &World) -> usize {
    w.store
        .member_units(w.regions[0].id)
        .await
        .expect("units")
        .len()
}

async fn office(w: &World, name: &str) -> (reqwest::Client, String) {
    support::make_user(
        &w.store,
        name,
        Some(PASSWORD),
        &[(Role::Office, Some(w.regions[0].id), None)],
    )
    .await;
    support::browser_login(&w.base, name, PASSWORD).await
}

async fn post_unit(w: &World, client: &reqwest::Client, form: &str) -> u16 {
    client
        .post(format!("{}/regions/{}/units", w.base, w.regions[0].id))
        .header("Origin", &w.base)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(form.to_string())
        .send()
        .await
        .expect("request")
        .status()
        .as_u16()
}

#[tokio::test]
async fn a_form_without_its_csrf_token_changes_nothing() {
    let w = world(support::fresh_sqlite().await).await;
    let (client, csrf) = office(&w, "csrf-office").await;
    let before = units_count(&w).await;
    assert_eq!(post_unit(&w, &client, "name=无令牌局").await, 403);
    assert_eq!(
        post_unit(&w, &client, "name=伪造局&csrf=0000000000000000").await,
        403
    );
    assert_eq!(units_count(&w).await, before, "nothing was added");
    assert_eq!(
        post_unit(&w, &client, &format!("name=退役军人事务局&csrf={csrf}")).await,
        200
    );
    assert_eq!(units_count(&w).await, before + 1);
    let log = w.store.audit_log(None, 100).await.expect("audit");
    assert!(log.iter().any(|e| e.action == AuditAction::Denied
        && e.actor == "csrf-office"
        && e.detail.contains("防伪令牌")));
}

#[tokio::test]
async fn a_session_replayed_after_logout_is_refused() {
    let w = world(support::fresh_sqlite().await).await;
    let (client, csrf) = office(&w, "replay-office").await;
    // The cookie as an attacker who copied it would hold it.
    let url = format!("{}/regions/{}/dashboard", w.base, w.regions[0].id);
    assert_eq!(client.get(&url).send().await.expect("get").status(), 200);
    let cookie = {
        // Read the session cookie off a fresh login response of the same account.
        let raw = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let r = raw
            .post(format!("{}/login", w.base))
            .header("Origin", &w.base)
            .form(&[("name", "replay-office"), ("password", PASSWORD)])
            .send()
            .await
            .expect("login");
        let set = r
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("set-cookie")
            .to_string();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        set.split(';').next().expect("cookie").to_string()
    };
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let with_cookie = || plain.get(&url).header("Cookie", cookie.clone());
    assert_eq!(with_cookie().send().await.expect("get").status(), 200);
    // That second session logs out.
    let r = plain
        .post(format!("{}/logout", w.base))
        .header("Origin", &w.base)
        .header("Cookie", cookie.clone())
        .header("X-CSRF-Token", "not-its-token")
        .send()
        .await
        .expect("logout");
    assert_eq!(r.status(), 403, "logout needs the session's CSRF token too");
    let _ = csrf;
    // Log out the copied session properly: find its CSRF token on its account page.
    let account = with_cookie()
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(account.contains("退出"), "the account bar offers logout");
    let token = account
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("csrf")
        .to_string();
    let r = plain
        .post(format!("{}/logout", w.base))
        .header("Origin", &w.base)
        .header("Cookie", cookie.clone())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("csrf={token}"))
        .send()
        .await
        .expect("logout");
    assert_eq!(r.status(), 303);
    let replay = with_cookie().send().await.expect("get");
    assert_eq!(
        replay.status(),
        303,
        "a replayed session goes to the login page"
    );
    assert!(
        replay
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/login"))
    );
    // The first browser's own session is untouched.
    assert_eq!(client.get(&url).send().await.expect("get").status(), 200);
}

#[tokio::test]
async fn an_expired_session_goes_to_the_login_page_saying_so() {
    let w = world(support::fresh_sqlite().await).await;
    let id = support::make_user(
        &w.store,
        "sleepy",
        None,
        &[(Role::Viewer, Some(w.regions[0].id), None)],
    )
    .await;
    let secret = planwatch_web::auth::random_secret();
    let long_ago = Utc::now() - chrono::Duration::hours(3);
    w.store
        .create_session(&planwatch_web::auth::digest(&secret), id, "c", long_ago)
        .await
        .expect("session");
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(format!("{}/regions/{}", w.base, w.regions[0].id))
        .header("Cookie", format!("planwatch_session={secret}"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 303);
    let location = r
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(location.starts_with("/login?expired=1"), "{location}");
    let page = reqwest::get(format!("{}{location}", w.base))
        .await
        .expect("login page")
        .text()
        .await
        .expect("body");
    assert!(page.contains("登录已超时"), "{page}");
}

#[tokio::test]
async fn revoked_and_malformed_tokens_are_refused() {
    let w = world(support::fresh_sqlite().await).await;
    let token = support::make_token(
        &w.store,
        "machine",
        &[(Role::Viewer, Some(w.regions[0].id), None)],
        TokenScope::Read,
    )
    .await;
    let url = format!("{}/api/regions/{}/targets", w.base, w.regions[0].id);
    let client = reqwest::Client::new();
    let get = |t: String| {
        client
            .get(&url)
            .header("Authorization", format!("Bearer {t}"))
    };
    assert_eq!(get(token.clone()).send().await.expect("get").status(), 200);
    // A read token may not write, whatever the roles.
    let user = w
        .store
        .user_by_name("machine")
        .await
        .expect("user")
        .expect("exists");
    let tokens = w.store.tokens(user.id).await.expect("tokens");
    assert!(
        w.store
            .revoke_token(user.id, tokens[0].id, "测试")
            .await
            .expect("revoke")
    );
    let r = get(token.clone()).send().await.expect("get");
    assert_eq!(r.status(), 401);
    let body: serde_json::Value = r.json().await.expect("json");
    assert!(
        body["error"].as_str().unwrap_or("").contains("令牌"),
        "{body}"
    );
    for bad in ["pwt_short", "Basic abc", ""] {
        let r = client
            .get(&url)
            .header("Authorization", format!("Bearer {bad}"))
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 401, "{bad}");
    }
}

#[tokio::test]
async fn a_read_token_cannot_write() {
    let w = world(support::fresh_sqlite().await).await;
    let token = support::make_token(
        &w.store,
        "reader-machine",
        &[(Role::Office, Some(w.regions[0].id), None)],
        TokenScope::Read,
    )
    .await;
    let r = reqwest::Client::new()
        .post(format!(
            "{}/api/regions/{}/targets",
            w.base, w.regions[0].id
        ))
        .header("Authorization", format!("Bearer {token}"))
        .json(&serde_json::json!({
            "kind": "women", "indicator": "只读令牌", "comparator": ">=",
            "value": 1, "unit": "%", "year": 2030, "why": "测试"
        }))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status(), 403);
}

#[tokio::test]
async fn logins_are_throttled_per_account_with_a_chinese_message() {
    let w = world(support::fresh_sqlite().await).await;
    support::make_user(
        &w.store,
        "guessme",
        Some(PASSWORD),
        &[(Role::Viewer, Some(w.regions[0].id), None)],
    )
    .await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let login = |password: &'static str| {
        client
            .post(format!("{}/login", w.base))
            .header("Origin", &w.base)
            .form(&[("name", "guessme"), ("password", password)])
            .send()
    };
    for _ in 0..5 {
        let r = login("wrong-password").await.expect("login");
        assert_eq!(r.status(), 401);
        assert!(r.text().await.expect("body").contains("登录名或密码不正确"));
    }
    let r = login(PASSWORD).await.expect("login");
    assert_eq!(r.status(), 429, "even the right password waits");
    assert!(r.text().await.expect("body").contains("暂停登录 15 分钟"));
    let log = w.store.audit_log(None, 100).await.expect("audit");
    let failures = log
        .iter()
        .filter(|e| e.action == AuditAction::LoginFailed && e.subject == "guessme")
        .count();
    assert_eq!(failures, 6);
    // An unknown account is told the same as a wrong password.
    let r = client
        .post(format!("{}/login", w.base))
        .header("Origin", &w.base)
        .form(&[("name", "nobody-here"), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 401);
    assert!(r.text().await.expect("body").contains("登录名或密码不正确"));
}

#[tokio::test]
async fn a_disabled_account_stops_at_once() {
    let w = world(support::fresh_sqlite().await).await;
    let id = support::make_user(
        &w.store,
        "leaver",
        Some(PASSWORD),
        &[(Role::Viewer, Some(w.regions[0].id), None)],
    )
    .await;
    let (client, _) = support::browser_login(&w.base, "leaver", PASSWORD).await;
    let (hash, prefix, token) = planwatch_web::auth::new_token();
    w.store
        .create_token(id, "t", TokenScope::Read, &hash, &prefix, "测试")
        .await
        .expect("token");
    let url = format!("{}/regions/{}", w.base, w.regions[0].id);
    assert_eq!(client.get(&url).send().await.expect("get").status(), 200);
    w.store
        .set_disabled(id, true, "测试")
        .await
        .expect("disable");
    assert_eq!(client.get(&url).send().await.expect("get").status(), 303);
    let r = reqwest::Client::new()
        .get(format!(
            "{}/api/regions/{}/targets",
            w.base, w.regions[0].id
        ))
        .header("Authorization", format!("Bearer {token}"))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 401);
    // Its right password now says the account is disabled.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .post(format!("{}/login", w.base))
        .header("Origin", &w.base)
        .form(&[("name", "leaver"), ("password", PASSWORD)])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status(), 401);
    assert!(r.text().await.expect("body").contains("已停用"));
}

#[tokio::test]
async fn a_reporter_sees_only_its_own_units_indicators() {
    let w = world(support::fresh_sqlite().await).await;
    support::make_user(
        &w.store,
        "reporter",
        Some(PASSWORD),
        &[(Role::Reporter, Some(w.regions[0].id), Some(w.units[0]))],
    )
    .await;
    let (client, _) = support::browser_login(&w.base, "reporter", PASSWORD).await;
    // Home sends a reporter with one unit straight to its indicators.
    let home = client
        .get(format!("{}/", w.base))
        .send()
        .await
        .expect("home");
    assert_eq!(home.status(), 303);
    let to = home
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert_eq!(
        to,
        format!("/regions/{}/units/{}", w.regions[0].id, w.units[0])
    );
    let page = client
        .get(format!("{}{to}", w.base))
        .send()
        .await
        .expect("unit page")
        .text()
        .await
        .expect("body");
    let targets = w
        .store
        .system_targets(w.regions[0].id)
        .await
        .expect("targets");
    let assigned = &targets[0];
    assert!(page.contains(&assigned.state.indicator), "{page}");
    for other in targets.iter().skip(1) {
        if other.state.indicator != assigned.state.indicator {
            assert!(
                !page.contains(&format!(">{}<", other.state.indicator)),
                "{} is not the unit's",
                other.state.indicator
            );
        }
    }
    // Its indicator's page opens; another indicator's does not.
    let key = |t: &planwatch_store::system::SystemTarget| {
        planwatch_web::encode_segment(&t.state.indicator_key())
    };
    let mine = client
        .get(format!(
            "{}/regions/{}/indicators/{}",
            w.base,
            w.regions[0].id,
            key(assigned)
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(mine.status(), 200);
    let theirs = client
        .get(format!(
            "{}/regions/{}/indicators/{}",
            w.base,
            w.regions[0].id,
            key(&targets[1])
        ))
        .send()
        .await
        .expect("get");
    assert_eq!(theirs.status(), 403);
}

#[tokio::test]
async fn the_login_page_lists_demo_accounts_only_when_there_are_some() {
    let w = world(support::fresh_sqlite().await).await;
    let page = reqwest::get(format!("{}/login", w.base))
        .await
        .expect("login")
        .text()
        .await
        .expect("body");
    assert!(!page.contains("演示账号"));
    let user = planwatch_store::people::NewUser {
        name: "河源市-工委办".into(),
        display_name: "河源市妇儿工委办".into(),
        password_hash: planwatch_web::auth::password::hash("planwatch-demo").expect("hash"),
        demo_password: Some("planwatch-demo".into()),
    };
    let id = w.store.create_user(&user, "示例数据").await.expect("user");
    w.store
        .grant_role(id, Role::Office, Some(w.regions[0].id), None, "示例数据")
        .await
        .expect("role");
    let page = reqwest::get(format!("{}/login", w.base))
        .await
        .expect("login")
        .text()
        .await
        .expect("body");
    assert!(page.contains("演示账号"), "{page}");
    assert!(page.contains("河源市-工委办") && page.contains("planwatch-demo"));
    // Everything else sends a visitor to the login page.
    let r = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(format!("{}/indicators", w.base))
        .send()
        .await
        .expect("get");
    assert_eq!(r.status(), 303);
}

/// The header's search finds targets only in the regions the person may read: the office
/// of 河源市 finds its own and 连平县's, never 曾都区's (another province) or 广东省's.
async fn search_stays_within_what_the_caller_reads(w: World) {
    let foreign = w
        .store
        .system_targets(w.regions[3].id)
        .await
        .expect("targets");
    let words = foreign[0].state.indicator.clone();
    let encoded = planwatch_web::encode_segment(&words);
    support::make_user(
        &w.store,
        "s-office",
        Some(PASSWORD),
        &[(Role::Office, Some(w.regions[0].id), None)],
    )
    .await;
    let office = support::Browser::login(&w.base, "s-office", PASSWORD).await;
    let (status, body) = office.get(&format!("/search?q={encoded}")).await;
    assert_eq!(status, 200);
    assert!(body.contains(&format!("连平县：{words}")), "{body}");
    assert!(body.contains(&format!("河源市：{words}")), "{body}");
    assert!(
        !body.contains("曾都区"),
        "a foreign region's target: {body}"
    );
    assert!(!body.contains("广东省："), "the level above: {body}");
    assert!(
        body.contains(&format!("href=\"/regions/{}/indicators/", w.regions[1].id)),
        "a target links to its indicator's page"
    );
    // Regions too: the foreign one is not found, in plain words.
    let (_, body) = office
        .get(&format!(
            "/search?q={}",
            planwatch_web::encode_segment("曾都")
        ))
        .await;
    assert!(body.contains("没有找到与“曾都”有关的"), "{body}");
    // An empty box asks for words; a catalog name or code finds the indicator.
    let (_, body) = office.get("/search?q=").await;
    assert!(body.contains("请在上面的框里输入"), "{body}");
    let (_, body) = office.get("/search?q=W-HEA-03").await;
    assert!(body.contains("href=\"/indicators/W-HEA-03\""), "{body}");
    // The administrator reads everything.
    support::make_user(
        &w.store,
        "s-admin",
        Some(PASSWORD),
        &[(Role::Admin, None, None)],
    )
    .await;
    let admin = support::Browser::login(&w.base, "s-admin", PASSWORD).await;
    let (_, body) = admin.get(&format!("/search?q={encoded}")).await;
    assert!(body.contains(&format!("曾都区：{words}")), "{body}");
    // Signed out: the login page.
    let anonymous = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let r = anonymous
        .get(format!("{}/search?q=a", w.base))
        .send()
        .await
        .expect("get");
    assert!(r.status().is_redirection() || r.status().as_u16() == 401);
}

#[tokio::test]
async fn search_stays_within_what_the_caller_reads_on_sqlite() {
    search_stays_within_what_the_caller_reads(world(support::fresh_sqlite().await).await).await;
}

#[tokio::test]
async fn search_stays_within_what_the_caller_reads_on_postgres() {
    search_stays_within_what_the_caller_reads(world(support::fresh_postgres().await).await).await;
}
