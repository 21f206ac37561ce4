//! A member unit's form of the reporting round, as its reporters use it, on both databases:
//! real sessions (cookies and the form token), drafts, refusals with every typed text kept,
//! submission checks, two reporters saving at once, a closed round, another unit's
//! reporter, and the Excel template downloaded, filled and uploaded.

use crate::support::{self, Browser};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::{Datelike, Duration, FixedOffset, NaiveDate, Utc};
use planwatch_core::PlanKind;
use planwatch_core::access::Role;
use planwatch_core::round::{Channel, RoundState, SubmissionState};
use planwatch_store::rounds::{NewRound, Review, RoundChange, RoundRow, ValueChangeFilter};
use planwatch_store::story::fixtures;
use planwatch_store::system::{self, Change, Observation};
use planwatch_store::{RegionRow, Store};
use std::io::Cursor;
use std::sync::Arc;

const PASSWORD: &str = "form-test-2026";

struct World {
    base: String,
    store: Arc<dyn Store>,
    region: RegionRow,
    /// 教育局: 高中阶段毛入学率 (C-EDU-06) and 女性平均受教育年限 (W-EDU-01).
    education: i64,
    /// 卫健委: the health indicators.
    health: i64,
    round: RoundRow,
    _guard: Box<dyn std::any::Any + Send>,
}

fn today() -> NaiveDate {
    let china = FixedOffset::east_opt(8 * 3600).expect("offset");
    Utc::now().with_timezone(&china).date_naive()
}

async fn world((store, guard): support::Fresh) -> World {
    let (source, doc) = fixtures::county("广东省", "河源市", "连平县");
    store.import(&doc, &source).await.expect("import");
    let region = store
        .regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.name == "连平县")
        .expect("region");
    let map = |_: PlanKind, _: u32, indicator: &str| {
        let code = match indicator {
            "孕产妇死亡率" => "W-HEA-03",
            "高中阶段教育毛入学率" => "C-EDU-06",
            "女性平均受教育年限" => "W-EDU-01",
            "婴儿死亡率" => "C-HEA-02",
            "5岁以下儿童死亡率" => "C-HEA-03",
            _ => return None,
        };
        Some((code.to_string(), 0.95))
    };
    system::seed_region(
        store.as_ref(),
        region.id,
        &system::Seeder {
            map: &map,
            baseline: &|_, _, _| None,
        },
    )
    .await
    .expect("seed");
    let health = store
        .add_member_unit(region.id, "卫健委", "测试")
        .await
        .expect("unit");
    let education = store
        .add_member_unit(region.id, "教育局", "测试")
        .await
        .expect("unit");
    let change = Change::new("测试", "分工").expect("change");
    for t in store.system_targets(region.id).await.expect("targets") {
        let unit = match t.state.code.as_deref() {
            Some("C-EDU-06" | "W-EDU-01") => education,
            _ => health,
        };
        store
            .assign(t.id, Some(unit), &[], None, &change)
            .await
            .expect("assign");
    }
    let year = today().year() - 1;
    let mut rows = Vec::new();
    for (key, values) in [
        ("C-EDU-06", [90.0, 91.0, 92.0, 93.0]),
        ("W-EDU-01", [10.8, 10.9, 11.0, 11.0]),
    ] {
        for (i, v) in values.iter().enumerate() {
            rows.push(Observation {
                region_id: region.id,
                indicator_key: key.into(),
                year: year - 4 + i as i32,
                value: *v,
                source: "教育事业统计".into(),
                demo: false,
            });
        }
    }
    store
        .import_observations(&rows, &Change::new("测试", "往年数据").expect("change"))
        .await
        .expect("observations");
    let round = store
        .open_round(
            &NewRound {
                region_id: region.id,
                year,
                opens_on: today() - Duration::days(3),
                closes_on: today() + Duration::days(30),
            },
            "测试",
        )
        .await
        .expect("round");
    for (name, unit) in [("jyj", education), ("jyj2", education), ("wjw", health)] {
        support::make_user(
            &store,
            name,
            Some(PASSWORD),
            &[(Role::Reporter, Some(region.id), Some(unit))],
        )
        .await;
    }
    support::make_user(
        &store,
        "bgs",
        Some(PASSWORD),
        &[(Role::Office, Some(region.id), None)],
    )
    .await;
    // Every test here writes more than a person would in a minute, from one address.
    let options = planwatch_web::ServeOptions {
        write_burst: 100_000,
        ..planwatch_web::ServeOptions::default()
    };
    let base = support::listen_with(&store, options).await;
    World {
        base,
        store,
        region,
        education,
        health,
        round,
        _guard: guard,
    }
}

impl World {
    fn form_path(&self, round: &RoundRow, unit: i64) -> String {
        format!(
            "/regions/{}/rounds/{}/units/{unit}",
            self.region.id, round.year
        )
    }

    fn form(&self) -> String {
        self.form_path(&self.round, self.education)
    }

    async fn login(&self, name: &str) -> Browser {
        Browser::login(&self.base, name, PASSWORD).await
    }

    async fn stored(&self) -> Option<planwatch_store::rounds::Submission> {
        self.store
            .submission(self.round.id, self.education)
            .await
            .expect("submission")
    }
}

/// Uploads of a filled template, as the form's upload field sends them.
impl Browser {
    async fn upload(&self, path: &str, name: &str, bytes: Vec<u8>) -> (u16, String, String) {
        self.upload_with(&self.csrf, path, name, bytes).await
    }

    /// [`Browser::upload`] with `csrf` as the form's token.
    async fn upload_with(
        &self,
        csrf: &str,
        path: &str,
        name: &str,
        bytes: Vec<u8>,
    ) -> (u16, String, String) {
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf.to_string())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()),
            );
        let resp = self
            .client
            .post(format!("{}{path}/upload", self.base))
            .header("Origin", &self.base)
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let status = resp.status().as_u16();
        let location = resp
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        (status, location, resp.text().await.expect("body"))
    }
}

/// The submission version the page's form is based on.
fn based_on(page: &str) -> String {
    page.split("name=\"based_on\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("based_on on the page")
        .to_string()
}

async fn reporter_sees_its_unit_and_saves_a_draft(w: World) {
    let jyj = w.login("jyj").await;
    let (status, page) = jyj.get(&w.form()).await;
    assert_eq!(status, 200, "{page}");
    for shown in [
        "高中阶段毛入学率",
        "女性平均受教育年限",
        "name=\"v:C-EDU-06\"",
        "name=\"p:C-EDU-06:性别:女\"",
        "name=\"p:C-EDU-06:numerator\"",
        "name=\"e:W-EDU-01\"",
        "inputmode=\"decimal\"",
        "93%（",
        "未填报",
        "保存草稿",
    ] {
        assert!(page.contains(shown), "{shown} missing");
    }
    for other in ["孕产妇死亡率", "婴儿死亡率", "5岁以下儿童死亡率"] {
        assert!(!page.contains(other), "{other} is another unit's");
    }
    assert_eq!(based_on(&page), "");
    // The unit's own page leads to the form.
    let (_, unit_page) = jyj
        .get(&format!("/regions/{}/units/{}", w.region.id, w.education))
        .await;
    assert!(
        unit_page.contains(&format!("href=\"{}\"", w.form())),
        "{unit_page}"
    );

    let form = w.form();
    let (status, location, _) = jyj
        .post(
            &form,
            &[
                ("based_on", ""),
                ("action", "save"),
                ("v:C-EDU-06", "94"),
                ("p:C-EDU-06:性别:女", "95"),
                ("v:W-EDU-01", "11"),
                ("e:W-EDU-01", ""),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert_eq!(location, format!("{form}?saved=1"));
    let (_, page) = jyj.get(&location).await;
    assert!(page.contains("已保存草稿"), "{page}");
    assert!(page.contains("value=\"94\""));
    assert!(page.contains("value=\"95\""));
    assert!(page.contains("草稿"));
    let stored = w.stored().await.expect("saved");
    assert_eq!(based_on(&page), stored.row.version.to_string());
    assert_eq!(stored.row.state, SubmissionState::Draft);
    assert_eq!(stored.entries()["C-EDU-06"].value, Some(94.0));
    assert_eq!(stored.entries()["C-EDU-06"].parts["性别:女"], 95.0);
    let changes = w
        .store
        .value_changes(w.region.id, &ValueChangeFilter::default())
        .await
        .expect("changes");
    assert!(!changes.is_empty());
    assert!(changes.iter().all(|c| c.channel == Channel::Form));
}

async fn unreadable_values_are_named_and_nothing_stored(w: World) {
    let jyj = w.login("jyj").await;
    let form = w.form();
    let (status, _, page) = jyj
        .post(
            &form,
            &[
                ("based_on", ""),
                ("action", "save"),
                ("v:C-EDU-06", "九十四点五"),
                ("v:W-EDU-01", "11,2"),
                ("p:C-EDU-06:性别:女", "９５"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("高中阶段毛入学率（合计）"), "{page}");
    assert!(page.contains("女性平均受教育年限（合计）"), "{page}");
    assert!(page.contains("小数点"), "{page}");
    assert!(page.contains("没有保存任何内容"), "{page}");
    // Every typed text is kept.
    assert!(page.contains("value=\"九十四点五\""));
    assert!(page.contains("value=\"11,2\""));
    assert!(page.contains("value=\"９５\""));
    assert!(w.stored().await.is_none(), "nothing stored");

    // Full-width digits are numbers.
    let (status, _, page) = jyj
        .post(
            &form,
            &[
                ("based_on", ""),
                ("action", "save"),
                ("v:C-EDU-06", "９４．５"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    let stored = w.stored().await.expect("saved");
    assert_eq!(stored.entries()["C-EDU-06"].value, Some(94.5));
}

async fn a_percent_of_250_blocks_submission(w: World) {
    let jyj = w.login("jyj").await;
    let form = w.form();
    let (status, _, page) = jyj
        .post(
            &form,
            &[
                ("based_on", ""),
                ("action", "submit"),
                ("v:C-EDU-06", "250"),
                ("v:W-EDU-01", "11"),
            ],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("1 项需要修改或说明，尚未报送"), "{page}");
    assert!(page.contains("必须修改"), "{page}");
    assert!(page.contains("value=\"250\""));
    // Kept as a draft: nothing typed is lost, nothing submitted.
    let stored = w.stored().await.expect("draft");
    assert_eq!(stored.row.state, SubmissionState::Draft);
    assert_eq!(stored.entries()["C-EDU-06"].value, Some(250.0));
    assert_eq!(based_on(&page), stored.row.version.to_string());
}

async fn a_large_change_submits_once_explained(w: World) {
    let jyj = w.login("jyj").await;
    let form = w.form();
    let (status, _, page) = jyj
        .post(
            &form,
            &[
                ("based_on", ""),
                ("action", "submit"),
                ("v:C-EDU-06", "99"),
                ("v:W-EDU-01", "11"),
                ("e:C-EDU-06", ""),
            ],
        )
        .await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("需填写说明"), "{page}");
    assert!(!page.contains("<strong>必须修改</strong>"), "{page}");
    let version = based_on(&page);
    let (status, location, page) = jyj
        .post(
            &form,
            &[
                ("based_on", version.as_str()),
                ("action", "submit"),
                ("v:C-EDU-06", "99"),
                ("v:W-EDU-01", "11"),
                ("e:C-EDU-06", "新建两所高中，招生扩大"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    assert_eq!(location, format!("{form}?submitted=1"));
    let stored = w.stored().await.expect("submitted");
    assert_eq!(stored.row.state, SubmissionState::Submitted);
    assert!(!stored.row.late);
    let (_, page) = jyj.get(&location).await;
    assert!(page.contains("已报送，等待统计局审核"), "{page}");
    assert!(page.contains("待审核"));
    // Read-only now: no inputs, no buttons.
    assert!(!page.contains("name=\"v:C-EDU-06\""));
    assert!(!page.contains("name=\"action\""));
    assert!(page.contains("新建两所高中"));

    // A submitted form takes no upload either.
    let (status, _, page) = jyj.upload(&form, "填报表.xlsx", b"PK".to_vec()).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("未导入：本单位数据已报送"), "{page}");

    // The office reads the unit's form, never with inputs.
    let office = w.login("bgs").await;
    let (status, page) = office.get(&form).await;
    assert_eq!(status, 200);
    assert!(page.contains("99"));
    assert!(!page.contains("name=\"v:C-EDU-06\""));

    // Returned by the bureau: the comments stand by the form, which is open again.
    let review = Review::Return {
        comment: Some("请核对毛入学率".into()),
        per_value: [("C-EDU-06".to_string(), "与教育事业统计不一致".to_string())].into(),
    };
    w.store
        .review_submission(w.round.id, w.education, stored.row.version, &review, "tjj")
        .await
        .expect("return");
    let (_, page) = jyj.get(&form).await;
    assert!(page.contains("已退回"), "{page}");
    assert!(page.contains("统计局退回意见：请核对毛入学率"), "{page}");
    assert!(page.contains("审核意见：与教育事业统计不一致"), "{page}");
    assert!(page.contains("name=\"v:C-EDU-06\""), "editable again");
}

async fn the_second_of_two_reporters_is_refused_with_its_values_kept(w: World) {
    let first = w.login("jyj").await;
    let second = w.login("jyj2").await;
    let form = w.form();
    let (status, _, _) = first
        .post(
            &form,
            &[("based_on", ""), ("action", "save"), ("v:C-EDU-06", "92")],
        )
        .await;
    assert_eq!(status, 303);
    let (_, page_a) = first.get(&form).await;
    let (_, page_b) = second.get(&form).await;
    let (a, b) = (based_on(&page_a), based_on(&page_b));
    assert_eq!(a, b);
    let (status, _, _) = first
        .post(
            &form,
            &[
                ("based_on", a.as_str()),
                ("action", "save"),
                ("v:C-EDU-06", "93"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let (status, _, page) = second
        .post(
            &form,
            &[
                ("based_on", b.as_str()),
                ("action", "save"),
                ("v:C-EDU-06", "94.5"),
            ],
        )
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("已由 jyj 于"), "{page}");
    assert!(page.contains("重新载入最新内容"), "{page}");
    assert!(page.contains("value=\"94.5\""), "typed value kept");
    assert!(page.contains("对方保存的值：93"), "{page}");
    let stored = w.stored().await.expect("stored");
    assert_eq!(stored.entries()["C-EDU-06"].value, Some(93.0));
    assert_eq!(stored.row.saved_by, "jyj");
    // Seeing both, the second reporter saves again: now on the current version.
    let current = based_on(&page);
    assert_eq!(current, stored.row.version.to_string());
    let (status, _, _) = second
        .post(
            &form,
            &[
                ("based_on", current.as_str()),
                ("action", "save"),
                ("v:C-EDU-06", "94.5"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let stored = w.stored().await.expect("stored");
    assert_eq!(stored.entries()["C-EDU-06"].value, Some(94.5));
    assert_eq!(stored.row.saved_by, "jyj2");
}

async fn after_the_closing_date_saving_is_refused(w: World) {
    let closed = w
        .store
        .open_round(
            &NewRound {
                region_id: w.region.id,
                year: w.round.year - 1,
                opens_on: today() - Duration::days(10),
                closes_on: today() - Duration::days(1),
            },
            "测试",
        )
        .await
        .expect("round");
    let jyj = w.login("jyj").await;
    let form = w.form_path(&closed, w.education);
    let (status, page) = jyj.get(&form).await;
    assert_eq!(status, 200);
    assert!(page.contains("截止，不能再保存或报送"), "{page}");
    assert!(page.contains("已截止"));
    assert!(!page.contains("name=\"action\""), "read-only");
    let (status, _, page) = jyj
        .post(
            &form,
            &[("based_on", ""), ("action", "save"), ("v:C-EDU-06", "93")],
        )
        .await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("截止，不能再保存或报送"), "{page}");
    assert!(
        w.store
            .submission(closed.id, w.education)
            .await
            .expect("read")
            .is_none()
    );

    // Reopened by the office: accepted again, and marked late.
    let change = RoundChange {
        state: RoundState::Reopened,
        opens_on: closed.opens_on,
        closes_on: closed.closes_on,
        why: "教育局补报".into(),
    };
    w.store
        .change_round(closed.id, closed.version, &change, "bgs")
        .await
        .expect("reopen");
    let (_, page) = jyj.get(&form).await;
    assert!(page.contains("已重新开启（逾期补报）"), "{page}");
    let (status, _, page) = jyj
        .post(
            &form,
            &[
                ("based_on", ""),
                ("action", "submit"),
                ("v:C-EDU-06", "92"),
                ("v:W-EDU-01", "10.9"),
            ],
        )
        .await;
    assert_eq!(status, 303, "{page}");
    let stored = w
        .store
        .submission(closed.id, w.education)
        .await
        .expect("read")
        .expect("submitted");
    assert_eq!(stored.row.state, SubmissionState::Submitted);
    assert!(stored.row.late);
    let (_, page) = jyj.get(&form).await;
    assert!(page.contains("逾期</span>"), "{page}");
}

async fn another_units_reporter_is_refused(w: World) {
    let wjw = w.login("wjw").await;
    let form = w.form();
    let (status, page) = wjw.get(&form).await;
    assert_eq!(status, 403, "{page}");
    let (status, _) = wjw.get(&format!("{form}/template.xlsx")).await;
    assert_eq!(status, 403);
    let (status, _, _) = wjw
        .post(
            &form,
            &[("based_on", ""), ("action", "save"), ("v:C-EDU-06", "93")],
        )
        .await;
    assert_eq!(status, 403);
    let (status, _, _) = wjw.upload(&form, "x.xlsx", b"PK".to_vec()).await;
    assert_eq!(status, 403);
    assert!(w.stored().await.is_none());
}

enum Cell<'a> {
    Number(f64),
    Text(&'a str),
}

/// A filled copy of `template`, as Excel saves it: every cell of every sheet copied with
/// calamine into a new workbook, then `edits` (zero-based row, col on 填报表) applied.
fn fill(template: &[u8], edits: &[(u32, u16, Cell)]) -> Vec<u8> {
    let mut source: Xlsx<_> = open_workbook_from_rs(Cursor::new(template)).expect("open");
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in source.sheet_names() {
        let range = source.worksheet_range(&name).expect("sheet");
        let (r0, c0) = range.start().expect("start");
        let sheet = out.add_worksheet();
        sheet.set_name(&name).expect("name");
        for (r, c, value) in range.used_cells() {
            let (r, c) = (r as u32 + r0, (c as u32 + c0) as u16);
            match value {
                Data::String(s) => sheet.write_string(r, c, s).map(|_| ()),
                Data::Float(f) => sheet.write_number(r, c, *f).map(|_| ()),
                Data::Int(i) => sheet.write_number(r, c, *i as f64).map(|_| ()),
                _ => Ok(()),
            }
            .expect("copy");
        }
        if name == "填报表" {
            for (r, c, value) in edits {
                match value {
                    Cell::Number(f) => sheet.write_number(*r, *c, *f).map(|_| ()),
                    Cell::Text(s) => sheet.write_string(*r, *c, *s).map(|_| ()),
                }
                .expect("edit");
            }
        }
    }
    out.save_to_buffer().expect("save")
}

/// The template's columns for 教育局 (header on row 3, data from row 4): G 本年数值,
/// H 女, I 男, J 城镇, K 农村, L 说明; row 4 高中阶段毛入学率, row 5 女性平均受教育年限.
const G: u16 = 6;
const L: u16 = 11;

async fn download(w: &World, b: &Browser) -> Vec<u8> {
    let resp = b
        .client
        .get(format!("{}{}/template.xlsx", w.base, w.form()))
        .send()
        .await
        .expect("template");
    assert_eq!(resp.status(), 200);
    let headers = resp.headers().clone();
    assert_eq!(
        headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = headers["content-disposition"].to_str().expect("ascii");
    let name = format!("连平县-教育局-{}年度监测数据填报表.xlsx", w.round.year);
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    assert!(
        disposition.starts_with("attachment;")
            && disposition.ends_with(&format!("filename*=UTF-8''{encoded}")),
        "{disposition}"
    );
    resp.bytes().await.expect("bytes").to_vec()
}

async fn the_excel_template_round_trips(w: World) {
    let jyj = w.login("jyj").await;
    // A numerator typed on the web stays: the template has no column for it.
    let (status, _, _) = jyj
        .post(
            &w.form(),
            &[
                ("based_on", ""),
                ("action", "save"),
                ("p:C-EDU-06:numerator", "1880"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    let template = download(&w, &jyj).await;
    let filled = fill(
        &template,
        &[
            (3, G, Cell::Number(94.0)),
            (3, G + 1, Cell::Number(95.0)),
            (3, G + 2, Cell::Text("93")),
            (4, G, Cell::Number(11.0)),
            (4, L, Cell::Text("按人口抽样调查")),
        ],
    );
    // Without the session's form token, nothing is read.
    let forged = "0".repeat(64);
    let (status, _, page) = jyj
        .upload_with(&forged, &w.form(), "填报表.xlsx", filled.clone())
        .await;
    assert_eq!(status, 403, "{page}");
    assert!(page.contains("页面已过期或来源不明"), "{page}");
    assert!(
        w.stored().await.expect("draft").entries()["C-EDU-06"]
            .value
            .is_none()
    );
    let (status, location, page) = jyj.upload(&w.form(), "填报表.xlsx", filled).await;
    assert_eq!(status, 303, "{page}");
    assert_eq!(location, format!("{}?uploaded=2", w.form()));
    let (_, page) = jyj.get(&location).await;
    assert!(
        page.contains("已从 Excel 导入 2 项数值，请核对后报送"),
        "{page}"
    );
    let stored = w.stored().await.expect("stored");
    let entries = stored.entries();
    assert_eq!(entries["C-EDU-06"].value, Some(94.0));
    assert_eq!(entries["C-EDU-06"].parts["性别:女"], 95.0);
    assert_eq!(entries["C-EDU-06"].parts["性别:男"], 93.0);
    assert_eq!(entries["C-EDU-06"].parts["numerator"], 1880.0);
    assert_eq!(entries["W-EDU-01"].value, Some(11.0));
    assert_eq!(
        entries["W-EDU-01"].explanation.as_deref(),
        Some("按人口抽样调查")
    );
    assert_eq!(stored.row.state, SubmissionState::Draft);
    let changes = w
        .store
        .value_changes(
            w.region.id,
            &ValueChangeFilter {
                key: Some("C-EDU-06".into()),
                ..ValueChangeFilter::default()
            },
        )
        .await
        .expect("changes");
    assert!(
        changes.iter().any(|c| c.channel == Channel::Upload
            && c.part.is_empty()
            && c.new_value == Some(94.0)),
        "{changes:?}"
    );
}

async fn bad_uploads_are_refused_whole(w: World) {
    let jyj = w.login("jyj").await;
    let template = download(&w, &jyj).await;
    // Three cells the reader refuses.
    let filled = fill(
        &template,
        &[
            (3, G, Cell::Text("约94")),
            (3, G + 1, Cell::Number(-1.0)),
            (4, G, Cell::Text("11,2")),
        ],
    );
    let (status, _, page) = jyj.upload(&w.form(), "填报表.xlsx", filled).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("3 处问题，没有导入任何数值"), "{page}");
    for cell in ["<td>G4</td>", "<td>H4</td>", "<td>G5</td>"] {
        assert!(page.contains(cell), "{cell} not named: {page}");
    }
    assert!(page.contains("<th>工作表</th><th>单元格</th><th>原因</th>"));
    assert!(w.stored().await.is_none(), "nothing stored");

    // A value the checks refuse is named by its cell too.
    let filled = fill(
        &template,
        &[(3, G, Cell::Number(250.0)), (4, G, Cell::Number(11.0))],
    );
    let (status, _, page) = jyj.upload(&w.form(), "填报表.xlsx", filled).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("<td>G4</td>"), "{page}");
    assert!(page.contains("指标“高中阶段毛入学率”"), "{page}");
    assert!(w.stored().await.is_none(), "nothing stored");

    // Another unit's template.
    let wjw = w.login("wjw").await;
    let resp = wjw
        .client
        .get(format!(
            "{}{}/template.xlsx",
            w.base,
            w.form_path(&w.round, w.health)
        ))
        .send()
        .await
        .expect("template");
    assert_eq!(resp.status(), 200);
    let theirs = resp.bytes().await.expect("bytes").to_vec();
    let (status, _, page) = jyj.upload(&w.form(), "填报表.xlsx", theirs).await;
    assert_eq!(status, 422, "{page}");
    assert!(
        page.contains("“卫健委”的填报模板，本次应上传连平县"),
        "{page}"
    );
    assert!(w.stored().await.is_none(), "nothing stored");

    // A CSV renamed .xlsx.
    let csv = "序号,指标,本年数值\n1,高中阶段毛入学率,94\n"
        .as_bytes()
        .to_vec();
    let (status, _, page) = jyj.upload(&w.form(), "填报表.xlsx", csv).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("这不是 Excel 文件（.xlsx）"), "{page}");

    // Over 10 MB: refused before it is read, with a Chinese page.
    let mut big = vec![0u8; 11 * 1024 * 1024];
    big[..4].copy_from_slice(b"PK\x03\x04");
    let (status, _, page) = jyj.upload(&w.form(), "填报表.xlsx", big).await;
    assert_eq!(status, 413, "{page}");
    assert!(page.contains("上传的文件过大"), "{page}");
    // 50 MB: the same, at once (its declared length is refused before reading).
    let mut huge = vec![0u8; 50 * 1024 * 1024];
    huge[..4].copy_from_slice(b"PK\x03\x04");
    let started = std::time::Instant::now();
    let (status, _, page) = jyj.upload(&w.form(), "填报表.xlsx", huge).await;
    assert_eq!(status, 413, "{page}");
    assert!(page.contains("上传的文件过大（上限 10 MB）"), "{page}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
    assert!(w.stored().await.is_none(), "nothing stored");
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::world(super::support::fresh_sqlite().await).await).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test]
                async fn $name() {
                    super::$name(super::world(super::support::fresh_postgres().await).await).await;
                }
            )*
        }
    };
}

on_both!(
    reporter_sees_its_unit_and_saves_a_draft,
    unreadable_values_are_named_and_nothing_stored,
    a_percent_of_250_blocks_submission,
    a_large_change_submits_once_explained,
    the_second_of_two_reporters_is_refused_with_its_values_kept,
    after_the_closing_date_saving_is_refused,
    another_units_reporter_is_refused,
    the_excel_template_round_trips,
    bad_uploads_are_refused_whole,
);
