//! The reporting round under load: 200 reporters of 40 counties save their forms at once,
//! each five times a second (1,000 saves a second offered), through the JSON API with
//! their own tokens, on SQLite and on PostgreSQL.
//!
//!   cargo bench -p planwatch-web --bench rounds [-- SECONDS]
//!
//! Each county has the indicator system of one of the four shipped plans (mapped onto the
//! catalog, as `plan import` seeds it) with ten years of values, its member units seeded
//! from the plan and the catalog, and an open round; its five busiest units each have a
//! reporter. A save sends the unit's values (totals, numerators and denominators,
//! breakdown groups: up to 20 numbers, fewer when the unit's form is smaller) based on the
//! version the last save returned. Each reporter's saves are due every 200 ms; a save's
//! time is counted from when it was due (a late start counts against the server, so slow
//! answers cannot hide by slowing the load). Reported: saves per second done, p50 and p99,
//! and the numbers per save. The server runs in this process on a real TCP port with its
//! usual guards, the write limit per person included; only the connections per address are
//! raised (every reporter of the bench is on 127.0.0.1). Needs PostgreSQL on 127.0.0.1:5432 for the second half (skipped,
//! saying so, when there is none).
//!
//! Then the upload of a filled template of 200 rows: read and checked, as the upload does.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::map_document;
use planwatch_core::access::{Role, TokenScope};
use planwatch_core::quality::UnitKind;
use planwatch_core::round::{self, FormIndicator};
use planwatch_store::people::NewUser;
use planwatch_store::rounds::NewRound;
use planwatch_store::synth::{SynthOptions, Template, national_set};
use planwatch_store::system::Seeder;
use planwatch_store::{RegionRow, Store};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

const REGIONS: usize = 40;
const REPORTERS_PER_REGION: usize = 5;
/// How often each reporter saves: 5 a second, the write limit per person, so that 200
/// reporters offer 1,000 saves a second.
const SAVE_EVERY: Duration = Duration::from_millis(200);
const VALUES_PER_SAVE: usize = 20;

fn templates(catalog: &Catalog) -> Vec<Template> {
    let mut out = Vec::new();
    for file in planwatch_store::sql::test_util::shipped_plans().expect("plans") {
        let (source, doc) = planwatch_ingest::parse_file(&file).expect("plan");
        let mappings = map_document(catalog, &doc, &source.lines);
        let map = |kind, line: u32, indicator: &str| {
            mappings
                .iter()
                .find(|m| m.plan == kind && m.line == line && m.indicator == indicator)
                .and_then(|m| m.code.clone().map(|c| (c, m.confidence)))
        };
        let seeder = Seeder {
            map: &map,
            baseline: &|_, _, _| None,
        };
        out.push(Template::new(&doc, &seeder));
    }
    out
}

/// The numbers a clerk would send for a form: valid values, up to [`VALUES_PER_SAVE`].
fn values(form: &[FormIndicator], n: u64) -> (Value, usize) {
    let mut out = Map::new();
    let mut count = 0;
    for ind in form {
        if count >= VALUES_PER_SAVE {
            break;
        }
        let base = ind
            .last_year
            .or_else(|| ind.history.last().map(|h| h.1))
            .unwrap_or(1.0);
        // A little change each time, within every rule.
        let total = (base * (1.0 + (n % 3) as f64 * 0.001) * 10.0).round() / 10.0;
        let kind = UnitKind::of(&ind.unit);
        let total = if kind == UnitKind::Count {
            total.round()
        } else {
            total
        };
        let mut parts = Map::new();
        count += 1;
        if ind.numerator.is_some() && count + 2 <= VALUES_PER_SAVE {
            parts.insert(round::NUMERATOR.into(), json!(50));
            parts.insert(round::DENOMINATOR.into(), json!(100));
            count += 2;
        }
        let spread = matches!(
            kind,
            UnitKind::Percent | UnitKind::PerBase(_) | UnitKind::Years
        );
        for b in &ind.breakdowns {
            if count + b.groups.len() > VALUES_PER_SAVE {
                break;
            }
            for (i, g) in b.groups.iter().enumerate() {
                let v = if spread || i == 0 { total } else { 0.0 };
                parts.insert(round::part_name(&b.name, g), json!(v));
            }
            count += b.groups.len();
        }
        out.insert(
            ind.key.clone(),
            json!({"value": total, "parts": parts, "explanation": "基准测试"}),
        );
    }
    (Value::Object(out), count)
}

struct Reporter {
    client: reqwest::Client,
    url: String,
}

async fn setup(store: &Arc<dyn Store>) -> Vec<(RegionRow, i64, String)> {
    let catalog = Catalog::shipped().expect("catalog");
    let set = national_set(
        &templates(&catalog),
        &SynthOptions {
            regions: REGIONS,
            seed: 7,
            years: planwatch_core::demo::DemoOptions::default(),
        },
        &|_| {},
    )
    .expect("set");
    store.bulk_load(&set, &|_| {}).await.expect("load");
    let departments_of = |code: &str| -> Vec<String> {
        catalog
            .get(code)
            .map(|ind| {
                ind.departments
                    .iter()
                    .map(|d| {
                        planwatch_catalog::departments::canonical(d)
                            .map_or_else(|| d.clone(), str::to_string)
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let today = planwatch_web::today_in_china();
    let mut reporters = Vec::new();
    let regions: Vec<RegionRow> = store
        .regions()
        .await
        .expect("regions")
        .into_iter()
        .filter(|r| r.plan_count > 0 || r.level == Some(planwatch_core::Level::County))
        .collect();
    let mut made = 0;
    for region in regions {
        if store
            .system_targets(region.id)
            .await
            .expect("targets")
            .is_empty()
        {
            continue;
        }
        planwatch_store::member_units::seed_member_units(
            store.as_ref(),
            region.id,
            planwatch_catalog::departments::unit_names,
            departments_of,
        )
        .await
        .expect("units");
        store
            .open_round(
                &NewRound {
                    region_id: region.id,
                    year: 2026,
                    opens_on: today,
                    closes_on: today,
                },
                "bench",
            )
            .await
            .expect("round");
        let assignments = store.assignments(region.id).await.expect("assignments");
        let mut units: Vec<(usize, i64)> = store
            .member_units(region.id)
            .await
            .expect("units")
            .iter()
            .map(|u| {
                (
                    assignments.iter().filter(|a| a.lead == Some(u.id)).count(),
                    u.id,
                )
            })
            .filter(|(n, _)| *n > 0)
            .collect();
        units.sort_by(|a, b| b.cmp(a));
        for (_, unit) in units.into_iter().take(REPORTERS_PER_REGION) {
            made += 1;
            let user = NewUser {
                name: format!("r{made}"),
                display_name: format!("填报员{made}"),
                password_hash: "!".into(),
                demo_password: None,
            };
            let id = store.create_user(&user, "bench").await.expect("user");
            store
                .grant_role(id, Role::Reporter, Some(region.id), Some(unit), "bench")
                .await
                .expect("role");
            let (hash, prefix, token) = planwatch_web::auth::new_token();
            store
                .create_token(id, "bench", TokenScope::Write, &hash, &prefix, "bench")
                .await
                .expect("token");
            reporters.push((region.clone(), unit, token));
        }
        if made >= REGIONS * REPORTERS_PER_REGION {
            break;
        }
    }
    reporters
}

fn pct(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 * p) as usize).min(sorted.len() - 1);
    sorted[i].as_secs_f64() * 1000.0
}

async fn run(kind: &str, store: Arc<dyn Store>, secs: u64, active: usize) {
    let started = Instant::now();
    let reporters = setup(&store).await;
    let setup_time = started.elapsed();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let options = planwatch_web::ServeOptions {
        // Every reporter of the bench comes from 127.0.0.1.
        max_connections_per_ip: 1024,
        ..planwatch_web::ServeOptions::default()
    };
    let served = store.clone();
    tokio::spawn(async move {
        let _ = planwatch_web::serve_with(listener, served, options).await;
    });
    let mut clients = Vec::new();
    for (region, unit, token) in reporters.iter().take(active) {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(
            reqwest::header::AUTHORIZATION,
            format!("Bearer {token}").parse().expect("header"),
        );
        clients.push(Reporter {
            client: reqwest::Client::builder()
                .default_headers(headers)
                .build()
                .expect("client"),
            url: format!("{base}/api/regions/{}/rounds/2026/units/{unit}", region.id),
        });
    }
    let deadline = Instant::now() + Duration::from_secs(secs);
    let mut tasks = Vec::new();
    for (n, r) in clients.into_iter().enumerate() {
        tasks.push(tokio::spawn(async move {
            let form: Value = r
                .client
                .get(&r.url)
                .send()
                .await
                .expect("form")
                .json()
                .await
                .expect("json");
            let indicators: Vec<FormIndicator> = form["indicators"]
                .as_array()
                .expect("indicators")
                .iter()
                .map(indicator)
                .collect();
            let mut version = form["progress"]["version"].as_i64();
            let mut latencies = Vec::new();
            let mut numbers = 0;
            let mut failures = 0;
            let mut i = n as u64;
            // Spread the reporters' first saves over one period.
            let mut due = Instant::now() + SAVE_EVERY.mul_f64((n % 200) as f64 / 200.0);
            while due < deadline {
                tokio::time::sleep_until(due.into()).await;
                i += 1;
                let (values, count) = values(&indicators, i);
                let t = due;
                due += SAVE_EVERY;
                let response = r
                    .client
                    .put(&r.url)
                    .json(&json!({"based_on": version, "values": values}))
                    .send()
                    .await
                    .expect("save");
                let status = response.status();
                let body: Value = response.json().await.unwrap_or(Value::Null);
                latencies.push(t.elapsed());
                if status.is_success() {
                    version = body["progress"]["version"].as_i64();
                    numbers += count;
                } else {
                    failures += 1;
                    if failures < 3 {
                        eprintln!("save answered {status}: {body}");
                    }
                }
            }
            (latencies, numbers, failures)
        }));
    }
    let mut all = Vec::new();
    let (mut numbers, mut failures) = (0, 0);
    for t in tasks {
        let (l, n, f) = t.await.expect("task");
        all.extend(l);
        numbers += n;
        failures += f;
    }
    all.sort();
    let saves = all.len();
    println!(
        "| {kind} | {} | {saves} | {:.0} | {:.1} | {:.1} | {:.1} | {failures} | {:.1} s |",
        active.min(reporters.len()),
        saves as f64 / secs as f64,
        pct(&all, 0.5),
        pct(&all, 0.99),
        numbers as f64 / saves.max(1) as f64,
        setup_time.as_secs_f64()
    );
}

fn indicator(v: &Value) -> FormIndicator {
    let s = |k: &str| v[k].as_str().map(str::to_string);
    FormIndicator {
        key: s("key").unwrap_or_default(),
        name: s("name").unwrap_or_default(),
        code: s("code"),
        domain: s("domain").unwrap_or_default(),
        unit: s("unit").unwrap_or_default(),
        definition: String::new(),
        numerator: s("numerator"),
        denominator: s("denominator"),
        breakdowns: serde_json::from_value(v["breakdowns"].clone())
            .map(|b: Vec<Value>| {
                b.iter()
                    .map(|b| round::BreakdownSpec {
                        name: b["name"].as_str().unwrap_or_default().to_string(),
                        groups: b["groups"]
                            .as_array()
                            .map(|g| {
                                g.iter()
                                    .filter_map(|g| g.as_str().map(str::to_string))
                                    .collect()
                            })
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        last_year: v["last_year"].as_f64(),
        targets: vec![],
        history: vec![],
        max: v["max"].as_f64(),
        required: true,
    }
}

/// A filled copy of `template`: every cell copied with calamine into a new workbook
/// written by rust_xlsxwriter (as a clerk's Excel saves it), and a value in every row.
fn filled(template: &[u8], rows: u32) -> Vec<u8> {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let mut source: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(template)).expect("xlsx");
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in source.sheet_names() {
        let range = source.worksheet_range(&name).expect("sheet");
        let (r0, c0) = range.start().unwrap_or((0, 0));
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
            .expect("cell");
        }
        if name == planwatch_export::form::SHEET_FORM {
            for i in 0..rows {
                // Row 4 on is data (zero-based 3); G is 本年数值.
                sheet
                    .write_number(3 + i, 6, 50.0 + f64::from(i % 40))
                    .expect("value");
            }
        }
    }
    out.save_to_buffer().expect("workbook")
}

fn upload_200_rows() {
    use planwatch_export::{FormRow, FormSpec, read_upload, write_template};
    let rows: Vec<FormRow> = (0..200)
        .map(|i| FormRow {
            key: format!("local:指标{i}"),
            name: format!("指标{i}"),
            unit: "%".into(),
            definition: "基准测试".into(),
            last_year: Some((2025, 50.0)),
            target: "≥60%".into(),
            breakdowns: vec![],
        })
        .collect();
    let spec = FormSpec {
        region: "基准县".into(),
        region_id: 1,
        year: 2026,
        unit_name: "卫健委".into(),
        unit_id: 1,
        rows,
    };
    let form: Vec<FormIndicator> = spec
        .rows
        .iter()
        .map(|r| FormIndicator {
            key: r.key.clone(),
            name: r.name.clone(),
            code: None,
            domain: String::new(),
            unit: r.unit.clone(),
            definition: String::new(),
            numerator: None,
            denominator: None,
            breakdowns: vec![],
            last_year: Some(50.0),
            targets: vec![],
            history: vec![(2023, 48.0), (2024, 49.0), (2025, 50.0)],
            max: None,
            required: true,
        })
        .collect();
    let t = Instant::now();
    let template = write_template(&spec).expect("template");
    let written = t.elapsed();
    let upload = filled(&template, 200);
    let n = 20;
    let t = Instant::now();
    let (mut read, mut findings) = (0, 0);
    for _ in 0..n {
        let rows = read_upload(&upload, &spec).expect("a clean upload");
        let entries: std::collections::BTreeMap<String, planwatch_core::round::Entry> = rows
            .into_iter()
            .map(|r| {
                (
                    r.key,
                    planwatch_core::round::Entry {
                        value: r.value,
                        parts: r.breakdowns.into_iter().collect(),
                        explanation: r.explanation,
                    },
                )
            })
            .collect();
        read = entries.values().filter(|e| e.value.is_some()).count();
        findings = round::check_form(&form, 2026, &entries, false)
            .findings
            .len();
    }
    let per = t.elapsed() / n;
    println!(
        "\nA 200-row template written in {:.1} ms ({} KB); a filled one ({} KB) read and checked in {:.1} ms ({read} values, {findings} with findings)",
        written.as_secs_f64() * 1000.0,
        template.len() / 1024,
        upload.len() / 1024,
        per.as_secs_f64() * 1000.0
    );
}

fn main() {
    // `-- SECONDS [REPORTERS]`: how long, and how many of the 200 reporters save (fewer
    // offer less load: 5 saves a second each).
    let numbers: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let secs = numbers.first().copied().unwrap_or(10);
    let active = numbers.get(1).map_or(200, |n| *n as usize);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        println!(
            "{} cores; {} s per database; {REGIONS} counties × {REPORTERS_PER_REGION} reporters",
            std::thread::available_parallelism().map_or(0, |n| n.get()),
            secs
        );
        println!(
            "| database | reporters | saves | saves/s | p50 ms | p99 ms | numbers per save | failed | set-up |\n|---|---|---|---|---|---|---|---|---|"
        );
        let (sqlite, _dir) = planwatch_store::sql::test_util::fresh_sqlite()
            .await
            .expect("sqlite");
        run("SQLite", Arc::new(sqlite), secs, active).await;
        match planwatch_store::sql::test_util::fresh_postgres().await {
            Ok((pg, _db)) => run("PostgreSQL", Arc::new(pg), secs, active).await,
            Err(e) => println!("| PostgreSQL | skipped: {e} |"),
        }
    });
    upload_200_rows();
}
