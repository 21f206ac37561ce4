//! The office's and the bureau's pages of a reporting round over HTTP, on both databases,
//! with real sessions: opening a round (and a second one of the same year refused), the
//! completeness page's counts, returning a value with a comment and approving the
//! corrected submission into the monitoring data, the gaps page and its .xlsx, closing and
//! reopening, the provisional evaluation, the values' audit trail as CSV, and who may do
//! what.
//!
//! Data: 连平县's real plans (`assets/plans`), every target unassigned except five
//! indicators: three led by 卫健委, two by 教育局.

use crate::support;
// A signed-in browser of one of the accounts.
use crate::support::Browser as Session;
use calamine::{Data, Reader, Xlsx};
use chrono::{Duration, Utc};
use planwatch_core::PlanKind;
use planwatch_core::access::Role;
use planwatch_core::round::{Channel, Entry, SubmissionState};
use planwatch_store::rounds::Save;
use planwatch_store::system::{Change, Seeder};
use planwatch_store::{RegionRow, SourceDoc, Store, StoreError, resolve_region};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::sync::Arc;

const PASSWORD: &str = "rounds-test-2026";

struct World {
    base: String,
    store: Arc<dyn Store>,
    county: RegionRow,
    city: RegionRow,
    /// 卫健委 and its three indicator keys.
    health: (i64, Vec<String>),
    /// 教育局 and its two indicator keys.
    education: (i64, Vec<String>),
    /// Indicator key → name as the pages show it.
    names: BTreeMap<String, String>,
    _guard: Box<dyn std::any::Any + Send>,
}

async fn unit(store: &dyn Store, region: i64, name: &str) -> i64 {
    let units = store.member_units(region).await.expect("units");
    match units.iter().find(|u| u.name == name) {
        Some(u) => u.id,
        None => store
            .add_member_unit(region, name, "测试")
            .await
            .expect("unit"),
    }
}

async fn world((store, guard): support::Fresh) -> World {
    let files = planwatch_store::sql::test_util::shipped_plans().expect("assets/plans");
    let file = files
        .iter()
        .find(|f| f.to_string_lossy().contains("000_"))
        .expect("连平县's plans");
    let (source, doc) = planwatch_ingest::parse_file(file).expect("the reader reads it");
    let source = SourceDoc::new(source.name.clone(), source.lines.clone());
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
    let county = resolve_region(&regions, "连平县").expect("county").clone();
    let city = resolve_region(&regions, "河源市").expect("city").clone();
    let health = unit(store.as_ref(), county.id, "卫健委").await;
    let education = unit(store.as_ref(), county.id, "教育局").await;
    let targets: Vec<_> = store
        .system_targets(county.id)
        .await
        .expect("targets")
        .into_iter()
        .filter(|t| !t.state.retired)
        .collect();
    let mut keys: Vec<String> = Vec::new();
    let mut names = BTreeMap::new();
    for t in &targets {
        let key = t.state.indicator_key();
        if !keys.contains(&key) {
            keys.push(key.clone());
            names.insert(key, t.state.indicator.clone());
        }
    }
    assert!(keys.len() > 6, "the real plans have many indicators");
    let change = Change::new("测试", "分工").expect("change");
    for t in &targets {
        let key = t.state.indicator_key();
        let at = keys.iter().position(|k| *k == key).expect("key");
        let lead = match at {
            0..=2 => Some(health),
            3..=4 => Some(education),
            _ => None,
        };
        store
            .assign(t.id, lead, &[], None, &change)
            .await
            .expect("assign");
    }
    let accounts = [
        ("office", Role::Office, county.id, None),
        ("bureau", Role::Bureau, county.id, None),
        ("reporter", Role::Reporter, county.id, Some(health)),
        ("viewer", Role::Viewer, county.id, None),
        ("city-office", Role::Office, city.id, None),
    ];
    for (name, role, region, unit) in accounts {
        support::make_user(&store, name, Some(PASSWORD), &[(role, Some(region), unit)]).await;
    }
    let options = planwatch_web::ServeOptions {
        write_burst: 100_000,
        ..planwatch_web::ServeOptions::default()
    };
    let base = support::listen_with(&store, options).await;
    World {
        base,
        store,
        county,
        city,
        health: (health, keys[0..3].to_vec()),
        education: (education, keys[3..5].to_vec()),
        names,
        _guard: guard,
    }
}

impl Session {
    async fn of(w: &World, name: &str) -> Session {
        Session::login(&w.base, name, PASSWORD).await
    }

    async fn bytes(&self, path: &str) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let r = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("get");
        let status = r.status().as_u16();
        let headers = r.headers().clone();
        (status, headers, r.bytes().await.expect("body").to_vec())
    }

    /// Opens a round through the page: (status, Location, body).
    async fn open(
        &self,
        rounds: &str,
        year: &str,
        opens: &str,
        closes: &str,
    ) -> (u16, String, String) {
        self.post(
            rounds,
            &[("year", year), ("opens_on", opens), ("closes_on", closes)],
        )
        .await
    }
}

fn entries(rows: &[(&str, Option<f64>, Option<&str>)]) -> BTreeMap<String, Entry> {
    rows.iter()
        .map(|(k, v, e)| {
            (
                (*k).to_string(),
                Entry {
                    value: *v,
                    parts: BTreeMap::new(),
                    explanation: e.map(str::to_string),
                },
            )
        })
        .collect()
}

async fn save(
    w: &World,
    round_id: i64,
    unit: i64,
    rows: &BTreeMap<String, Entry>,
    submit: bool,
) -> Result<planwatch_store::rounds::Submission, StoreError> {
    let based_on = w
        .store
        .submission(round_id, unit)
        .await
        .expect("read")
        .map(|s| s.row.version);
    w.store
        .save_submission(
            &Save {
                round_id,
                unit_id: unit,
                based_on,
                entries: rows,
                channel: Channel::Form,
                by: "reporter",
                submit,
                late: false,
            },
            planwatch_web_today(),
        )
        .await
}

/// Today as the rounds see it (China time): the dates the test opens the round with are
/// around it.
fn planwatch_web_today() -> chrono::NaiveDate {
    (Utc::now() + Duration::hours(8)).date_naive()
}

async fn round_version(w: &World, year: i32) -> String {
    w.store
        .round(w.county.id, year)
        .await
        .expect("round")
        .expect("opened")
        .version
        .to_string()
}

async fn story(w: World) {
    let county = w.county.id;
    let rounds = format!("/regions/{county}/rounds");
    let page = format!("{rounds}/2024");
    let office = Session::of(&w, "office").await;
    let bureau = Session::of(&w, "bureau").await;
    let viewer = Session::of(&w, "viewer").await;
    let city_office = Session::of(&w, "city-office").await;
    let reporter = Session::of(&w, "reporter").await;

    // The region page and the units page lead to the rounds.
    let (status, region_page) = office.get(&format!("/regions/{county}")).await;
    assert_eq!(status, 200);
    assert!(region_page.contains(&format!("href=\"{rounds}\"")));
    assert!(region_page.contains("年度数据填报"));
    let (_, units_page) = office.get(&format!("/regions/{county}/units")).await;
    assert!(units_page.contains(&format!("href=\"{rounds}\"")));

    // Opening a round through the page.
    let (status, list) = office.get(&rounds).await;
    assert_eq!(status, 200);
    assert!(list.contains("开启新一轮填报"));
    assert!(list.contains("type=\"date\""));
    let today = planwatch_web_today();
    let opens = (today - Duration::days(2)).format("%Y-%m-%d").to_string();
    let closes = (today + Duration::days(30)).format("%Y-%m-%d").to_string();
    let (status, location, _) = office
        .open(&rounds, "2024", opens.as_str(), closes.as_str())
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with(&page), "{location}");
    let (_, list) = viewer.get(&rounds).await;
    assert!(list.contains("2024 年度"));
    assert!(!list.contains("开启新一轮填报"), "a viewer sees no form");
    let (status, _, again) = office
        .open(&rounds, "2024", opens.as_str(), "2099-01-31")
        .await;
    assert_eq!(status, 422);
    assert!(again.contains("已经开启"), "{again}");
    assert!(again.contains("value=\"2099-01-31\""), "typed values kept");
    let (status, _, bad) = office.open(&rounds, "2025", "2026-05-01", "昨天").await;
    assert_eq!(status, 422);
    assert!(bad.contains("不是日期"));

    // Who may open: the bureau may (it runs rounds too), the viewer and another region's
    // office may not.
    let (status, _, _) = bureau
        .open(&rounds, "2023", opens.as_str(), closes.as_str())
        .await;
    assert_eq!(status, 303);
    for s in [&viewer, &city_office, &reporter] {
        let (status, _, _) = s
            .open(&rounds, "2022", opens.as_str(), closes.as_str())
            .await;
        assert_eq!(status, 403);
    }
    assert_eq!(w.store.rounds(county).await.expect("rounds").len(), 2);

    // Submissions through the store: 卫健委 submits two of its three values and explains
    // the third; 教育局 saves a draft of one of its two.
    let round = w
        .store
        .round(county, 2024)
        .await
        .expect("round")
        .expect("opened");
    let (health, hk) = (&w.health.0, &w.health.1);
    let (education, ek) = (&w.education.0, &w.education.1);
    let first = entries(&[
        (hk[0].as_str(), Some(11.5), None),
        (hk[1].as_str(), Some(96.5), None),
        (hk[2].as_str(), None, Some("-本年未开展调查")),
    ]);
    save(&w, round.id, *health, &first, true)
        .await
        .expect("submit");
    let draft = entries(&[(ek[0].as_str(), Some(77.7), None)]);
    save(&w, round.id, *education, &draft, false)
        .await
        .expect("draft");

    // The completeness page, as a viewer (reading the region is enough).
    let (status, show) = viewer.get(&page).await;
    assert_eq!(status, 200);
    assert!(show.contains(&counts("卫健委", 3, 2, 0)), "{show}");
    assert!(show.contains(&counts("教育局", 2, 1, 0)));
    assert!(show.contains("待审核") && show.contains("草稿"));
    assert!(show.contains(&counts("<tfoot><tr><th>合计</th>", 5, 3, 0)));
    assert!(!show.contains("管理本轮填报"), "a viewer cannot manage");
    assert!(!show.contains("/review\""), "a viewer has no review links");
    let unassigned = w.names.len() - 5;
    assert!(show.contains(&format!("未确定填报单位的指标（{unassigned} 项）")));
    let (_, show) = bureau.get(&page).await;
    assert!(show.contains(&format!("{page}/units/{health}/review")));

    // The office cannot review; the viewer cannot change the round.
    let review = format!("{page}/units/{health}/review");
    let (status, _) = office.get(&review).await;
    assert_eq!(status, 403);
    let (status, _, _) = office.post(&review, &[("action", "approve")]).await;
    assert_eq!(status, 403);
    let (status, _, _) = viewer
        .post(
            &format!("{page}/state"),
            &[("action", "close"), ("why", "x")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = viewer.post(&review, &[("action", "approve")]).await;
    assert_eq!(status, 403);

    // The bureau returns one value with a comment.
    let (status, review_page) = bureau.get(&review).await;
    assert_eq!(status, 200);
    assert!(review_page.contains("11.5") && review_page.contains("审核通过"));
    assert!(review_page.contains(&format!("name=\"c:{}\"", hk[0])));
    let sub = w
        .store
        .submission(round.id, *health)
        .await
        .expect("read")
        .expect("saved");
    let version = sub.row.version.to_string();
    let comment_field = format!("c:{}", hk[0]);
    let (status, _, refused) = bureau
        .post(
            &review,
            &[("action", "return"), ("version", version.as_str())],
        )
        .await;
    assert_eq!(status, 422, "a return needs a reason");
    assert!(refused.contains("写明原因"));
    let (status, location, _) = bureau
        .post(
            &review,
            &[
                ("action", "return"),
                ("version", version.as_str()),
                (comment_field.as_str(), "与卫生统计年报不符，请核对"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("done=returned"));
    let returned = w
        .store
        .submission(round.id, *health)
        .await
        .expect("read")
        .expect("saved");
    assert_eq!(returned.row.state, SubmissionState::Returned);
    assert_eq!(
        returned.comments().get(&hk[0]).map(String::as_str),
        Some("与卫生统计年报不符，请核对")
    );
    let (_, banner) = bureau.get(&location).await;
    assert!(banner.contains("已退回该单位修改"));

    // Corrected and submitted again, then approved: the values enter the monitoring data.
    let corrected = entries(&[
        (hk[0].as_str(), Some(12.5), Some("按卫生统计年报更正")),
        (hk[1].as_str(), Some(96.5), None),
        (hk[2].as_str(), None, Some("-本年未开展调查")),
    ]);
    let resubmitted = save(&w, round.id, *health, &corrected, true)
        .await
        .expect("resubmit");
    // The dashboard, kept before approval, shows the approved value at once after it.
    let dashboard_2024 = format!("/regions/{county}/dashboard?year=2024");
    let (_, before) = office.get(&dashboard_2024).await;
    assert!(!before.contains("12.5/10万"));
    let version = resubmitted.row.version.to_string();
    let (status, location, _) = bureau
        .post(
            &review,
            &[("action", "approve"), ("version", version.as_str())],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("done=approved"));
    let (_, after) = office.get(&dashboard_2024).await;
    assert!(
        after.contains("12.5/10万"),
        "approval shows on the dashboard"
    );
    let obs = w.store.observations(county).await.expect("obs");
    let got: BTreeSet<(String, i32, String)> = obs
        .iter()
        .filter(|o| o.year == 2024)
        .map(|o| (o.indicator_key.clone(), o.year, o.value.to_string()))
        .collect();
    let want: BTreeSet<(String, i32, String)> = [
        (hk[0].clone(), 2024, "12.5".to_string()),
        (hk[1].clone(), 2024, "96.5".to_string()),
    ]
    .into();
    assert_eq!(got, want);
    assert!(
        obs.iter()
            .filter(|o| o.year == 2024)
            .all(|o| o.source == "卫健委2024年度报送")
    );
    let history = w
        .store
        .observation_history(county, Some(&hk[0]))
        .await
        .expect("history");
    assert_eq!(history[0].channel, Channel::Review);
    assert_eq!(history[0].changed_by, "bureau");
    // An approved submission is not approved twice.
    let version = round_sub_version(&w, round.id, *health).await;
    let (status, _, twice) = bureau
        .post(
            &review,
            &[("action", "approve"), ("version", version.as_str())],
        )
        .await;
    assert_eq!(status, 422);
    assert!(twice.contains("只有待审核的数据可以审核通过"));
    assert!(twice.contains("重新开启"), "the reopen form is offered");
    let (_, show) = office.get(&page).await;
    assert!(show.contains(&counts("卫健委", 3, 2, 2)));

    // The gaps: 卫健委's third indicator (with its explanation) and 教育局's second, then
    // every unassigned indicator.
    let (status, gaps) = viewer.get(&format!("{page}/gaps")).await;
    assert_eq!(status, 200);
    assert!(gaps.contains("缺项数据专项统计调查"));
    assert!(gaps.contains("-本年未开展调查"));
    assert!(gaps.contains("责任单位未填的指标（2 项）"));
    assert!(gaps.contains(&format!("未确定填报单位的指标（{unassigned} 项）")));
    let (status, headers, xlsx) = viewer.bytes(&format!("{page}/gaps.xlsx")).await;
    assert_eq!(status, 200);
    let disposition = headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''"), "{disposition}");
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(xlsx)).expect("xlsx");
    let range = book
        .worksheet_range(planwatch_export::gaps::SHEET_GAPS)
        .expect("sheet");
    let rows: Vec<&[Data]> = range.rows().skip(2).collect();
    let listed: BTreeSet<String> = rows.iter().map(|r| r[3].to_string()).collect();
    let mut missing: BTreeSet<String> = w
        .names
        .iter()
        .filter(|(k, _)| !(hk[0] == **k || hk[1] == **k || ek[0] == **k))
        .map(|(_, n)| n.clone())
        .collect();
    // Names are written so that none starts a formula.
    missing = missing
        .into_iter()
        .map(|n| planwatch_export::text::neutral(&n))
        .collect();
    assert_eq!(listed, missing);
    assert_eq!(rows.len(), 2 + unassigned);
    assert!(
        rows.iter()
            .all(|r| matches!(r[0], Data::Float(_)) && r[1] == Data::Float(2024.0))
    );
    let health_gap = rows
        .iter()
        .find(|r| r[3].to_string() == planwatch_export::text::neutral(&w.names[&hk[2]]))
        .expect("卫健委's gap");
    assert_eq!(health_gap[2].to_string(), "卫健委");
    assert_eq!(health_gap[7].to_string(), "'-本年未开展调查");

    // The provisional evaluation shows a submitted value the dashboard does not.
    let second = entries(&[(ek[0].as_str(), Some(77.7), None)]);
    save(&w, round.id, *education, &second, true)
        .await
        .expect("submit");
    let (status, headers, body) = office.bytes(&format!("{page}/provisional")).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers.get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let provisional = String::from_utf8(body).expect("utf-8");
    assert!(provisional.contains("含待审核数据，仅供内部参考，不是正式监测结果"));
    assert!(provisional.contains("77.7"), "{provisional}");
    let (_, dashboard) = office.get(&dashboard_2024).await;
    assert!(!dashboard.contains("77.7"));
    let (status, _) = viewer.get(&format!("{page}/provisional")).await;
    assert_eq!(status, 403, "the provisional evaluation is the office's");

    // The audit trail: every save with its channel, and approval into the data.
    let (status, changes) = office.get(&format!("{page}/changes")).await;
    assert_eq!(status, 200);
    assert!(changes.contains("网页填报") && changes.contains("审核通过入库"));
    let (status, headers, csv) = office.bytes(&format!("{page}/changes.csv")).await;
    assert_eq!(status, 200);
    assert!(
        headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("text/csv"))
    );
    assert!(csv.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    let csv = String::from_utf8(csv).expect("utf-8");
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].contains("时间") && lines[0].contains("渠道"));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("审核通过入库") && l.contains("12.5"))
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("网页填报") && l.contains("77.7"))
    );
    assert!(
        lines.iter().any(|l| l.contains(",'-本年未开展调查,")),
        "{csv}"
    );
    let (_, _, only) = office
        .bytes(&format!("{page}/changes.csv?unit={education}"))
        .await;
    let only = String::from_utf8(only).expect("utf-8");
    assert!(only.contains("77.7") && !only.contains("12.5"));
    let (status, _) = viewer.get(&format!("{page}/changes")).await;
    assert_eq!(status, 403);

    // Closing needs a reason; a closed round takes nothing; reopened, it takes again.
    let state = format!("{page}/state");
    let version = round_version(&w, 2024).await;
    let (status, _, no_reason) = office
        .post(
            &state,
            &[("action", "close"), ("version", version.as_str())],
        )
        .await;
    assert_eq!(status, 422);
    assert!(no_reason.contains("请写明原因"));
    let (status, location, _) = office
        .post(
            &state,
            &[
                ("action", "close"),
                ("version", version.as_str()),
                ("why", "各单位已报送"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("done=closed"));
    let late = entries(&[(ek[1].as_str(), Some(5.0), None)]);
    let refused = save(&w, round.id, *education, &late, false).await;
    assert!(
        matches!(&refused, Err(StoreError::EditRefused(m)) if m.contains("关闭")),
        "{refused:?}"
    );
    let (_, closed) = office.get(&page).await;
    assert!(closed.contains("已关闭") && closed.contains("各单位已报送"));
    let version = round_version(&w, 2024).await;
    let (status, location, _) = office
        .post(
            &state,
            &[
                ("action", "reopen"),
                ("version", version.as_str()),
                ("why", "教育局申请补报"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.contains("done=reopened"));
    // 教育局's submission awaits review: it is returned first, then takes the value.
    let version = round_sub_version(&w, round.id, *education).await;
    let education_review = format!("{page}/units/{education}/review");
    let (status, _, _) = bureau
        .post(
            &education_review,
            &[
                ("action", "return"),
                ("version", version.as_str()),
                ("comment", "请补报第二项"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    save(&w, round.id, *education, &late, false)
        .await
        .expect("reopened: saved again");

    // No page speaks the developers' language.
    for path in [
        rounds.clone(),
        page.clone(),
        format!("{page}/gaps"),
        format!("{page}/provisional"),
        format!("{page}/changes"),
    ] {
        let (status, body) = office.get(&path).await;
        assert_eq!(status, 200, "{path}");
        crate::clerk::assert_no_developer_text(&path, &body);
    }
    let (status, body) = bureau.get(&review).await;
    assert_eq!(status, 200);
    crate::clerk::assert_no_developer_text(&review, &body);

    // Who reaches which page, as `planwatch_core::access` says: reading the region opens
    // the rounds, the completeness and the gaps; the office and the bureau run the round
    // (provisional evaluation, audit trail, closing); only the bureau reviews.
    let sessions = [
        ("office", &office),
        ("bureau", &bureau),
        ("viewer", &viewer),
        ("reporter", &reporter),
        ("city-office", &city_office),
    ];
    let table: [(&str, String, &str); 8] = [
        ("GET", rounds.clone(), "YYYNY"),
        ("GET", page.clone(), "YYYNY"),
        ("GET", format!("{page}/gaps.xlsx"), "YYYNY"),
        ("GET", format!("{page}/provisional"), "YYNNN"),
        ("GET", format!("{page}/changes.csv"), "YYNNN"),
        ("GET", review.clone(), "NYNNN"),
        ("POST", format!("{page}/state"), "YYNNN"),
        ("POST", review.clone(), "NYNNN"),
    ];
    for (method, path, expected) in &table {
        for ((who, s), want) in sessions.iter().zip(expected.chars()) {
            let status = if *method == "GET" {
                s.get(path).await.0
            } else {
                s.post(path, &[]).await.0
            };
            assert_eq!(
                status != 403,
                want == 'Y',
                "{who} {method} {path}: {status}"
            );
        }
    }

    // The level above sees its county's round.
    w.store
        .open_round(
            &planwatch_store::rounds::NewRound {
                region_id: w.city.id,
                year: 2024,
                opens_on: today - Duration::days(2),
                closes_on: today + Duration::days(30),
            },
            "city-office",
        )
        .await
        .expect("city round");
    let (status, city_page) = city_office
        .get(&format!("/regions/{}/rounds/2024", w.city.id))
        .await;
    assert_eq!(status, 200);
    assert!(city_page.contains("下级地区填报情况"));
    assert!(city_page.contains(&format!("/regions/{county}/rounds/2024")));
}

/// A row of the completeness table: the unit (as linked) or the totals' head, then
/// expected, reported, approved.
fn counts(head: &str, expected: usize, reported: usize, approved: usize) -> String {
    let head = if head.starts_with('<') {
        head.to_string()
    } else {
        format!("{head}</a></td>")
    };
    format!(
        "{head}<td class=\"num\">{expected}</td><td class=\"num\">{reported}</td><td class=\"num\">{approved}</td>"
    )
}

async fn round_sub_version(w: &World, round_id: i64, unit: i64) -> String {
    w.store
        .submission(round_id, unit)
        .await
        .expect("read")
        .expect("saved")
        .row
        .version
        .to_string()
}

#[tokio::test]
async fn the_office_and_the_bureau_run_a_round_on_sqlite() {
    story(world(support::fresh_sqlite().await).await).await;
}

#[tokio::test]
async fn the_office_and_the_bureau_run_a_round_on_postgres() {
    story(world(support::fresh_postgres().await).await).await;
}
