//! The reporting round through the JSON API with tokens, on both databases: a round
//! opened, what is due, drafts saved (stale saves refused, values that cannot be refused
//! with every field named), submitted once every finding is explained, returned with a
//! comment, corrected and approved into the monitoring data; and who may do what.

use crate::support;
use planwatch_core::access::{Role, TokenScope};
use planwatch_core::round::Channel;
use planwatch_store::rounds::ValueChangeFilter;
use planwatch_store::story_system::seeded;
use planwatch_store::system::Change;
use serde_json::{Value, json};

struct World {
    base: String,
    store: std::sync::Arc<dyn planwatch_store::Store>,
    region: i64,
    unit: i64,
    office: reqwest::Client,
    bureau: reqwest::Client,
    reporter: reqwest::Client,
    reader: reqwest::Client,
    _guard: Box<dyn std::any::Any + Send>,
}

async fn world((store, guard): support::Fresh) -> World {
    let region = seeded(store.as_ref(), "连平县").await;
    let unit = store
        .add_member_unit(region.id, "卫健委", "测试")
        .await
        .expect("unit");
    let change = Change::new("测试", "分工").expect("change");
    for t in store.system_targets(region.id).await.expect("targets") {
        store
            .assign(t.id, Some(unit), &[], None, &change)
            .await
            .expect("assign");
    }
    let base = support::listen(&store).await;
    let r = Some(region.id);
    let client = |name: &'static str, role: Role, unit: Option<i64>, scope: TokenScope| {
        let store = store.clone();
        async move { support::token_client(&store, name, &[(role, r, unit)], scope).await }
    };
    World {
        office: client("office", Role::Office, None, TokenScope::Write).await,
        bureau: client("bureau", Role::Bureau, None, TokenScope::Write).await,
        reporter: client("reporter", Role::Reporter, Some(unit), TokenScope::Write).await,
        reader: client("reader", Role::Reporter, Some(unit), TokenScope::Read).await,
        base,
        store,
        region: region.id,
        unit,
        _guard: guard,
    }
}

async fn send(req: reqwest::RequestBuilder) -> (u16, Value) {
    let response = req.send().await.expect("request");
    let status = response.status().as_u16();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

impl World {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    fn form_url(&self) -> String {
        self.url(&format!(
            "/api/regions/{}/rounds/2024/units/{}",
            self.region, self.unit
        ))
    }
}

async fn the_round_through_the_api(w: World) {
    let today = planwatch_web::today_in_china();
    let opens = today.pred_opt().expect("yesterday").to_string();
    let closes = today.succ_opt().expect("tomorrow").to_string();
    let rounds = w.url(&format!("/api/regions/{}/rounds", w.region));
    let body = json!({"year": 2024, "opens_on": opens, "closes_on": closes});
    let (status, round) = send(w.office.post(&rounds).json(&body)).await;
    assert_eq!(status, 201, "{round}");
    assert_eq!(
        (round["year"].as_i64(), round["phase"].as_str()),
        (Some(2024), Some("open"))
    );
    let (status, again) = send(w.office.post(&rounds).json(&body)).await;
    assert_eq!(status, 400);
    assert!(
        again["error"]
            .as_str()
            .is_some_and(|e| e.contains("已经开启")),
        "{again}"
    );
    let (status, _) = send(w.reporter.post(&rounds).json(&body)).await;
    assert_eq!(status, 403, "a reporter does not open rounds");

    // What is due for the reporter.
    let (status, due) = send(w.reporter.get(w.url("/api/rounds/due"))).await;
    assert_eq!(status, 200);
    assert_eq!(due.as_array().map(Vec::len), Some(1), "{due}");
    let expected = due[0]["progress"]["expected"].as_u64().expect("expected");
    assert_eq!(expected, 5, "the county's five indicators are the unit's");
    assert_eq!(due[0]["progress"]["state"], "not_started");

    let (status, form) = send(w.reporter.get(w.form_url())).await;
    assert_eq!(status, 200, "{form}");
    let keys: Vec<&str> = form["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .filter_map(|i| i["key"].as_str())
        .collect();
    assert!(
        keys.contains(&"W-HEA-03") && keys.contains(&"C-HEA-02"),
        "{keys:?}"
    );
    let rate = form["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .find(|i| i["unit"] == "%")
        .and_then(|i| i["key"].as_str())
        .expect("a % indicator")
        .to_string();
    assert!(form["progress"]["version"].is_null());

    // A draft, then a save from a stale copy.
    let (status, saved) = send(w.reporter.put(w.form_url()).json(&json!({
        "based_on": null,
        "values": {"W-HEA-03": {"value": 8.2}}
    })))
    .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["progress"]["state"], "draft");
    assert_eq!(saved["values"]["W-HEA-03"]["value"], 8.2);
    let version = saved["progress"]["version"].as_i64().expect("version");
    let (status, stale) = send(w.reporter.put(w.form_url()).json(&json!({
        "based_on": null,
        "values": {"W-HEA-03": {"value": 9.9}}
    })))
    .await;
    assert_eq!(status, 409);
    assert!(
        stale["error"]
            .as_str()
            .is_some_and(|e| e.contains("reporter")),
        "{stale}"
    );

    // Values that cannot be, each named; text is no value.
    let (status, bad) = send(w.reporter.put(w.form_url()).json(&json!({
        "based_on": version,
        "values": {(rate.as_str()): {"value": 250}, "W-HEA-03": {"value": -1}}
    })))
    .await;
    assert_eq!(status, 422, "{bad}");
    let named: Vec<&str> = bad["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["key"].as_str())
        .collect();
    assert!(
        named.contains(&rate.as_str()) && named.contains(&"W-HEA-03"),
        "{bad}"
    );
    let (status, text) = send(w.reporter.put(w.form_url()).json(&json!({
        "based_on": version,
        "values": {"W-HEA-03": {"value": "8.2"}}
    })))
    .await;
    assert_eq!(status, 400);
    assert!(
        text["error"].as_str().is_some_and(|e| e.contains("value")),
        "{text}"
    );
    let (status, other) = send(w.reporter.put(w.form_url()).json(&json!({
        "based_on": version,
        "values": {"C-EDU-06": {"value": 90}}
    })))
    .await;
    assert_eq!(status, 422);
    assert!(
        other["findings"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("不是"))
    );
    let (_, unchanged) = send(w.reporter.get(w.form_url())).await;
    assert_eq!(
        unchanged["values"]["W-HEA-03"]["value"], 8.2,
        "nothing refused is stored"
    );

    // Submitting with indicators missing and unexplained is refused with each named.
    let (status, refused) = send(
        w.reporter
            .post(format!("{}/submit", w.form_url()))
            .json(&json!({"based_on": version})),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert!(
        refused["error"]
            .as_str()
            .is_some_and(|e| e.contains("未报送"))
    );
    let mut values = serde_json::Map::new();
    for key in &keys {
        let entry = if *key == "W-HEA-03" {
            json!({"value": 8.2})
        } else if *key == rate {
            json!({"value": 93.5})
        } else {
            json!({"value": null, "explanation": "本年未开展此项统计"})
        };
        values.insert((*key).to_string(), entry);
    }
    let (status, submitted) = send(
        w.reporter
            .post(format!("{}/submit", w.form_url()))
            .json(&json!({"based_on": version, "values": values})),
    )
    .await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["progress"]["state"], "submitted");
    let version = submitted["progress"]["version"].as_i64().expect("version");

    // The bureau returns one value; a reporter cannot review, an office cannot either.
    let review = format!("{}/review", w.form_url());
    let back = json!({"version": version, "decision": "return",
        "comments": {"W-HEA-03": "与妇幼年报不符，请核对"}});
    assert_eq!(send(w.reporter.post(&review).json(&back)).await.0, 403);
    assert_eq!(send(w.office.post(&review).json(&back)).await.0, 403);
    let (status, returned) = send(w.bureau.post(&review).json(&back)).await;
    assert_eq!(status, 200, "{returned}");
    assert_eq!(returned["progress"]["state"], "returned");
    let (_, seen) = send(w.reporter.get(w.form_url())).await;
    assert_eq!(seen["comments"]["W-HEA-03"], "与妇幼年报不符，请核对");
    let version = seen["progress"]["version"].as_i64().expect("version");

    // Corrected and submitted again, then approved: the value is monitoring data.
    let (status, again) = send(
        w.reporter
            .post(format!("{}/submit", w.form_url()))
            .json(&json!({
                "based_on": version,
                "values": {"W-HEA-03": {"value": 8.4}}
            })),
    )
    .await;
    assert_eq!(status, 200, "{again}");
    let version = again["progress"]["version"].as_i64().expect("version");
    assert!(
        w.store
            .observations(w.region)
            .await
            .expect("obs")
            .is_empty()
    );
    let (status, approved) = send(
        w.bureau
            .post(&review)
            .json(&json!({"version": version, "decision": "approve"})),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["progress"]["state"], "approved");
    let obs = w.store.observations(w.region).await.expect("obs");
    assert!(
        obs.iter()
            .any(|o| o.indicator_key == "W-HEA-03" && o.year == 2024 && o.value == 8.4)
    );
    let history = w
        .store
        .observation_history(w.region, Some("W-HEA-03"))
        .await
        .expect("history");
    assert_eq!(history[0].channel, Channel::Review);
    assert_eq!(history[0].changed_by, "bureau");
    let trail = w
        .store
        .value_changes(
            w.region,
            &ValueChangeFilter {
                key: Some("W-HEA-03".into()),
                ..Default::default()
            },
        )
        .await
        .expect("trail");
    assert!(!trail.is_empty() && trail.iter().all(|c| c.channel == Channel::Api));
    assert_eq!(trail[0].new_value, Some(8.4));

    // Approved is locked; a read token writes nothing.
    let (status, locked) = send(w.reporter.put(w.form_url()).json(&json!({
        "based_on": version + 1,
        "values": {"W-HEA-03": {"value": 1}}
    })))
    .await;
    assert_eq!(status, 409, "{locked}");
    let (status, _) = send(w.reader.put(w.form_url()).json(&json!({
        "based_on": version + 1, "values": {}
    })))
    .await;
    assert_eq!(status, 403);
    let (status, progress) = send(
        w.reader
            .get(w.url(&format!("/api/regions/{}/rounds/2024", w.region))),
    )
    .await;
    assert_eq!(
        status, 403,
        "a reporter reads its unit, not the region: {progress}"
    );
    let (status, progress) = send(
        w.office
            .get(w.url(&format!("/api/regions/{}/rounds/2024", w.region))),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(progress["units"][0]["state"], "approved");
    assert_eq!(progress["units"][0]["approved"], 2);
}

#[tokio::test]
async fn the_round_through_the_api_on_sqlite() {
    the_round_through_the_api(world(support::fresh_sqlite().await).await).await;
}

#[tokio::test]
async fn the_round_through_the_api_on_postgres() {
    the_round_through_the_api(world(support::fresh_postgres().await).await).await;
}
