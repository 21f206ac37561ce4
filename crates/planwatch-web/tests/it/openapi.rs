//! The OpenAPI document `GET /api/openapi.json`: it is JSON of OpenAPI 3.x; every `/api/`
//! route of the router (read from the source of `app()`, so a new route without
//! documentation fails here) is in it with its methods; every operation answers a 2xx and
//! a 401 or 403 and names how to authenticate; every schema it references exists; and real
//! answers of every operation fit the schemas the document gives for them.

use crate::support;
use planwatch_store::story_system::seeded;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};

/// The router's source: its `.route("/api/…", get(…).post(…))` calls are the JSON API.
const LIB: &str = include_str!("../../src/lib.rs");

const METHODS: [&str; 7] = ["get", "post", "put", "patch", "delete", "head", "options"];

/// Every `/api/` route of `app()` with its methods (lowercase), the catch-all and the
/// document itself left out.
fn api_routes() -> BTreeMap<String, BTreeSet<String>> {
    let mut routes = BTreeMap::new();
    let mut rest = LIB;
    while let Some(at) = rest.find(".route(") {
        let call = &rest[at + ".route(".len()..];
        // The call's arguments, up to the matching parenthesis.
        let mut depth = 1;
        let end = call
            .char_indices()
            .find_map(|(i, c)| {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    _ => {}
                }
                (depth == 0).then_some(i)
            })
            .expect("a .route( call closes");
        let args = &call[..end];
        rest = &call[end..];
        let args = args.trim_start();
        let Some(literal) = args.strip_prefix('"') else {
            continue; // A path from a constant: the assets, not the API.
        };
        let path = &literal[..literal.find('"').expect("the path literal closes")];
        if !path.starts_with("/api/") || path == "/api/{*rest}" || path == "/api/openapi.json" {
            continue;
        }
        let handlers = &literal[path.len() + 1..];
        let methods: BTreeSet<String> = METHODS
            .iter()
            .filter(|m| {
                handlers.match_indices(&format!("{m}(")).any(|(i, _)| {
                    // `get(`, ` get(`, `.post(`: a method router, not `api::patch(`.
                    i == 0 || {
                        let before = handlers[..i].chars().next_back().unwrap_or(' ');
                        before == '.' || before == '(' || before.is_whitespace()
                    }
                })
            })
            .map(|m| m.to_string())
            .collect();
        assert!(!methods.is_empty(), "no method found for the route {path}");
        routes.insert(path.to_string(), methods);
    }
    routes
}

#[test]
fn the_routes_are_read_from_the_router() {
    let routes = api_routes();
    let targets = &routes["/api/regions/{id}/targets"];
    assert_eq!(targets, &BTreeSet::from(["get".into(), "post".into()]));
    let one = &routes["/api/regions/{id}/targets/{tid}"];
    assert_eq!(one, &BTreeSet::from(["get".into(), "patch".into()]));
    assert!(routes.contains_key("/api/overview"), "{routes:?}");
    assert!(routes.len() >= 6, "{routes:?}");
}

/// The schema `reference` names (`#/components/schemas/X`).
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let name = r
                .strip_prefix("#/components/schemas/")
                .unwrap_or_else(|| panic!("an unexpected reference {r}"));
            let target = &doc["components"]["schemas"][name];
            assert!(
                !target.is_null(),
                "the schema {name} is referenced but missing"
            );
            resolve(doc, target)
        }
        None => schema,
    }
}

/// Whether `value` fits `schema`: its types, its objects' keys (none unknown, none
/// required missing), recursively. Enough of JSON Schema for what utoipa writes.
fn check(doc: &Value, schema: &Value, value: &Value, at: &str) -> Result<(), String> {
    let schema = resolve(doc, schema);
    for either in ["oneOf", "anyOf"] {
        if let Some(branches) = schema.get(either).and_then(Value::as_array) {
            let errors: Vec<String> = branches
                .iter()
                .filter_map(|b| check(doc, b, value, at).err())
                .collect();
            return if errors.len() < branches.len() {
                Ok(())
            } else {
                Err(errors.join(" / "))
            };
        }
    }
    if let Some(parts) = schema.get("allOf").and_then(Value::as_array) {
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for part in parts {
            let part = resolve(doc, part);
            assert!(part.get("allOf").is_none(), "nested allOf at {at}");
            if let Some(p) = part.get("properties").and_then(Value::as_object) {
                properties.extend(p.clone());
            }
            if let Some(r) = part.get("required").and_then(Value::as_array) {
                required.extend(r.iter().cloned());
            }
        }
        let merged = json!({"type": "object", "properties": properties, "required": required});
        return check(doc, &merged, value, at);
    }
    if let Some(t) = schema.get("type") {
        let types: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = |t: &str| match t {
            "null" => value.is_null(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "string" => value.is_string(),
            "array" => value.is_array(),
            "object" => value.is_object(),
            _ => true,
        };
        if !types.iter().any(|t| fits(t)) {
            return Err(format!("{at}: {value} is not of the type {types:?}"));
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        return Err(format!("{at}: {value} is not one of {allowed:?}"));
    }
    match value {
        Value::Object(map) => {
            if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
                for (key, v) in map {
                    let Some(s) = properties.get(key) else {
                        return Err(format!("{at}.{key}: answered but not in the schema"));
                    };
                    check(doc, s, v, &format!("{at}.{key}"))?;
                }
                for key in schema
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    if !map.contains_key(key) {
                        return Err(format!("{at}.{key}: required by the schema, not answered"));
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    check(doc, s, v, &format!("{at}[{i}]"))?;
                }
            }
        }
        _ => {}
    }
    Ok(())
}

/// Every `$ref` anywhere in `v`.
fn references<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.as_str()),
                    _ => references(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| references(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_document_covers_every_json_route() {
    let (store, _guard) = support::fresh_sqlite().await;
    let base = support::listen(&store).await;
    let client = support::admin_client(&store).await;
    let r = client
        .get(format!("{base}/api/openapi.json"))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    let ctype = r.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(ctype.starts_with("application/json"), "{ctype}");
    let doc: Value = serde_json::from_str(&r.text().await.expect("body")).expect("JSON");

    let version = doc["openapi"].as_str().expect("openapi");
    assert!(version.starts_with("3."), "{version}");
    assert_eq!(
        doc["info"]["title"],
        "planwatch 妇女儿童发展规划监测评估系统 数据接口"
    );
    let description = doc["info"]["description"].as_str().expect("description");
    assert!(description.contains("我的账号 → 接口令牌"), "{description}");
    assert!(
        description.contains("planwatch token create"),
        "{description}"
    );

    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["bearer_token"]["type"], "http");
    assert_eq!(schemes["bearer_token"]["scheme"], "bearer");
    assert_eq!(schemes["session_cookie"]["type"], "apiKey");
    assert_eq!(schemes["session_cookie"]["in"], "cookie");
    assert_eq!(schemes["session_cookie"]["name"], "planwatch_session");
    assert_eq!(schemes["csrf_header"]["in"], "header");
    assert_eq!(schemes["csrf_header"]["name"], "X-CSRF-Token");

    // Every route of the router, with its methods.
    let paths = doc["paths"].as_object().expect("paths");
    let routes = api_routes();
    for (route, methods) in &routes {
        let Some(item) = paths.get(route) else {
            panic!(
                "the route {route} is not in the OpenAPI document: annotate its handlers with #[utoipa::path] and list them in openapi.rs"
            );
        };
        for m in methods {
            assert!(
                item.get(m).is_some(),
                "{} {route} is not in the OpenAPI document",
                m.to_uppercase()
            );
        }
        let documented: BTreeSet<String> = item
            .as_object()
            .expect("a path item")
            .keys()
            .filter(|k| METHODS.contains(&k.as_str()))
            .cloned()
            .collect();
        assert_eq!(&documented, methods, "the methods of {route}");
    }
    // And nothing documented that is not routed.
    for path in paths.keys() {
        assert!(
            routes.contains_key(path) || path == "/api/openapi.json",
            "{path} is documented but not routed"
        );
    }

    // Every operation: a success, a refusal, how to authenticate, Chinese words.
    for (path, item) in paths {
        for (method, op) in item.as_object().expect("a path item") {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let what = format!("{} {path}", method.to_uppercase());
            let responses = op["responses"].as_object().expect("responses");
            assert!(
                responses.keys().any(|s| s.starts_with('2')),
                "{what} has no 2xx response"
            );
            assert!(
                responses.contains_key("401") || responses.contains_key("403"),
                "{what} has no 401 or 403 response"
            );
            for (status, r) in responses {
                let d = r["description"].as_str().unwrap_or("");
                assert!(
                    d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                    "{what} {status}: the description {d:?} is not Chinese"
                );
            }
            let security = op["security"].as_array().expect("security");
            assert!(
                security.iter().any(|s| s.get("bearer_token").is_some()),
                "{what}: no API token"
            );
            assert!(
                security.iter().any(|s| s.get("session_cookie").is_some()),
                "{what}: no session"
            );
            if method != "get" {
                assert!(
                    security.iter().all(
                        |s| s.get("session_cookie").is_none() || s.get("csrf_header").is_some()
                    ),
                    "{what}: a session's write needs the CSRF header"
                );
                assert!(op["requestBody"].is_object(), "{what}: no request body");
            }
        }
    }

    // Every description is Chinese: the document is for the people who use the API.
    fn descriptions<'a>(v: &'a Value, at: String, out: &mut Vec<(String, &'a str)>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("description", Value::String(d)) => out.push((at.clone(), d.as_str())),
                        _ => descriptions(v, format!("{at}/{k}"), out),
                    }
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    descriptions(v, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let mut all = Vec::new();
    descriptions(&doc, String::new(), &mut all);
    assert!(all.len() > 50, "{}", all.len());
    for (at, d) in all {
        assert!(
            d.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{at}: the description {d:?} is not Chinese"
        );
    }

    // Operations are named once each.
    let mut ids = BTreeSet::new();
    for item in paths.values() {
        for op in item.as_object().expect("a path item").values() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                assert!(ids.insert(id), "the operationId {id} is used twice");
            }
        }
    }

    // Every reference resolves.
    let mut refs = Vec::new();
    references(&doc, &mut refs);
    assert!(!refs.is_empty());
    for r in refs {
        resolve(&doc, &json!({ "$ref": r }));
    }
}

#[tokio::test]
async fn anonymous_callers_get_a_json_401() {
    let (store, _guard) = support::fresh_sqlite().await;
    let base = support::listen(&store).await;
    let r = reqwest::get(format!("{base}/api/openapi.json"))
        .await
        .expect("request");
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.expect("a JSON error");
    let error = body["error"].as_str().expect("error");
    assert!(error.contains("登录"), "{error}");
}

/// The schema the document gives for the answer `status` of `method path`.
fn answer_schema<'a>(doc: &'a Value, method: &str, path: &str, status: u16) -> &'a Value {
    let schema = &doc["paths"][path][method]["responses"][status.to_string()]["content"]["application/json"]
        ["schema"];
    assert!(
        !schema.is_null(),
        "no JSON schema for {method} {path} {status}"
    );
    schema
}

#[tokio::test]
async fn real_answers_fit_the_documented_schemas() {
    let (store, _guard) = support::fresh_sqlite().await;
    let county = seeded(store.as_ref(), "连平县").await;
    let city = store
        .regions()
        .await
        .expect("regions")
        .into_iter()
        .find(|r| r.name == "河源市")
        .expect("the city");
    let base = support::listen(&store).await;
    let client = support::admin_client(&store).await;
    let doc: Value = client
        .get(format!("{base}/api/openapi.json"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON");

    let fits = |method: &str, route: &str, status: u16, answer: &Value| {
        let schema = answer_schema(&doc, method, route, status);
        if let Err(e) = check(&doc, schema, answer, "$") {
            panic!(
                "{method} {route} {status}: the answer does not fit the document: {e}\n{answer:#}"
            );
        }
    };
    let id = county.id;

    let r = client
        .get(format!("{base}/api/regions/{id}/targets"))
        .send()
        .await
        .expect("list");
    assert_eq!(r.status(), 200);
    let list: Value = r.json().await.expect("JSON");
    assert!(!list.as_array().expect("a list").is_empty());
    fits("get", "/api/regions/{id}/targets", 200, &list);
    let tid = list[0]["id"].as_i64().expect("an id");

    let r = client
        .get(format!("{base}/api/regions/{id}/targets/check"))
        .send()
        .await
        .expect("check");
    assert_eq!(r.status(), 200);
    let checked: Value = r.json().await.expect("JSON");
    fits("get", "/api/regions/{id}/targets/check", 200, &checked);

    let r = client
        .post(format!("{base}/api/regions/{id}/targets"))
        .json(&json!({
            "kind": "children", "indicator": "儿童体质健康达标率", "comparator": ">=",
            "value": 92, "unit": "%", "year": 2030, "domain": "儿童与健康",
            "why": "根据市级规划补充"
        }))
        .send()
        .await
        .expect("add");
    assert_eq!(r.status(), 201);
    fits(
        "post",
        "/api/regions/{id}/targets",
        201,
        &r.json().await.expect("JSON"),
    );

    let r = client
        .patch(format!("{base}/api/regions/{id}/targets/{tid}"))
        .json(&json!({"value": 95, "why": "中期评估后上调目标"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(r.status(), 200);
    fits(
        "patch",
        "/api/regions/{id}/targets/{tid}",
        200,
        &r.json().await.expect("JSON"),
    );

    for (route, path) in [
        (
            "/api/regions/{id}/targets/{tid}",
            format!("/api/regions/{id}/targets/{tid}"),
        ),
        (
            "/api/regions/{id}/targets/{tid}/history",
            format!("/api/regions/{id}/targets/{tid}/history"),
        ),
        (
            "/api/regions/{id}/dashboard",
            format!("/api/regions/{id}/dashboard?year=2024"),
        ),
        (
            "/api/regions/{id}/overview",
            format!("/api/regions/{}/overview?year=2024", city.id),
        ),
        ("/api/overview", "/api/overview?year=2024".to_string()),
        (
            "/api/regions/{id}/report",
            format!("/api/regions/{id}/report?kind=annual&year=2024"),
        ),
    ] {
        let r = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), 200, "{path}");
        fits("get", route, 200, &r.json().await.expect("JSON"));
    }

    // Errors are the documented `{"error": …}`.
    for (route, path, status) in [
        (
            "/api/regions/{id}/targets",
            "/api/regions/999999/targets".to_string(),
            404,
        ),
        (
            "/api/regions/{id}/targets/{tid}",
            format!("/api/regions/{id}/targets/999999"),
            404,
        ),
        (
            "/api/regions/{id}/dashboard",
            "/api/regions/999999/dashboard".to_string(),
            404,
        ),
        (
            "/api/regions/{id}/dashboard",
            format!("/api/regions/{id}/dashboard?year=x"),
            400,
        ),
        (
            "/api/regions/{id}/report",
            format!("/api/regions/{id}/report?kind=final&year=2024"),
            422,
        ),
        (
            "/api/regions/{id}/overview",
            "/api/regions/999999/overview".to_string(),
            404,
        ),
        ("/api/overview", "/api/overview?year=x".to_string(), 400),
    ] {
        let r = client
            .get(format!("{base}{path}"))
            .send()
            .await
            .expect("request");
        assert_eq!(r.status(), status, "{path}");
        let body = r.text().await.expect("body");
        let answer: Value = serde_json::from_str(&body)
            .unwrap_or_else(|_| panic!("{path}: the error is not JSON: {body}"));
        fits("get", route, status, &answer);
    }
}
