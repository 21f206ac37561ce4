//! `planwatch synth --db`: the synthetic national set in a SQLite file and on PostgreSQL —
//! its hierarchy of real regions, indicator systems, values and statuses, refusing a second
//! load, the same rows for the same seed (on both databases), and nothing left behind by a
//! load killed half way.

use crate::support::{bin, err, json, ok, run};
use planwatch_core::Level;
use planwatch_core::evaluation::Status;
use planwatch_core::gazetteer::gazetteer;
use planwatch_store::sql::test_util::TestDatabase;
use planwatch_store::{PostgresStore, SqliteStore, Store};
use std::collections::{BTreeMap, BTreeSet};
use std::process::Stdio;
use std::time::{Duration, Instant};

const TABLES: [&str; 5] = [
    "regions",
    "system_targets",
    "system_target_versions",
    "observations",
    "observation_changes",
];

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

fn sqlite_url(dir: &tempfile::TempDir, name: &str) -> String {
    format!("sqlite://{}", dir.path().join(name).display())
}

fn synth(db: &str, regions: u32, seed: u64) -> std::process::Output {
    run(&[
        "synth",
        "--db",
        db,
        "--regions",
        &regions.to_string(),
        "--seed",
        &seed.to_string(),
    ])
}

/// Every row of the set as text, by region path: what "the same rows" means (ids and
/// times aside).
async fn dump(store: &dyn Store) -> Vec<String> {
    let regions = store.regions().await.expect("regions");
    let by_id: BTreeMap<i64, &str> = regions.iter().map(|r| (r.id, r.path.as_str())).collect();
    let mut out = Vec::new();
    for r in &regions {
        let parent = r.parent_id.and_then(|p| by_id.get(&p).copied());
        out.push(format!("{} {:?} {parent:?}", r.path, r.level));
        for t in store.system_targets(r.id).await.expect("targets") {
            let s = &t.state;
            out.push(format!(
                "  {} {} {} {} {} {} {:?} {:?} {:?} {:?} {} {} {}",
                t.kind.as_str(),
                s.indicator_key(),
                s.comparator.as_str(),
                s.value,
                s.unit,
                s.year,
                s.baseline_year,
                s.baseline_value,
                s.binding,
                t.plan_id,
                s.text,
                t.changed_by,
                t.why
            ));
        }
        for o in store.observations(r.id).await.expect("values") {
            out.push(format!(
                "  {} {} {} {} {}",
                o.indicator_key, o.year, o.value, o.source, o.demo
            ));
        }
    }
    out
}

/// What a loaded set of `n` regions must look like; returns its dump.
fn check_set(db: &str, n: usize) -> Vec<String> {
    let rt = rt();
    let store = rt.block_on(planwatch_store::open(db)).expect("open");
    let regions = rt.block_on(store.regions()).expect("regions");
    let g = gazetteer();
    let mut with_data = Vec::new();
    for r in &regions {
        // Real names with their real parents, levels from the gazetteer.
        let parts: Vec<&str> = r.path.split('/').collect();
        let found = g
            .find_exact(&r.name)
            .into_iter()
            .find(|d| {
                let chain: Vec<&str> = g.ancestors(d).iter().map(|a| a.name).collect();
                chain == parts[..parts.len() - 1]
            })
            .unwrap_or_else(|| panic!("{} is not in the gazetteer", r.path));
        assert_eq!(r.level, Some(found.level()), "{}", r.path);
        match regions.iter().find(|p| Some(p.id) == r.parent_id) {
            Some(p) => assert_eq!(Some(p.path.as_str()), planwatch_store::parent_path(&r.path)),
            None => assert_eq!(r.level, Some(Level::Province), "{}", r.path),
        }
        let targets = rt.block_on(store.system_targets(r.id)).expect("targets");
        if targets.is_empty() {
            continue;
        }
        with_data.push(r.path.clone());
        assert_eq!(r.level, Some(Level::County), "{}", r.path);
        assert_eq!(r.plan_count, 0, "synthetic regions have no plan documents");
        assert!(targets.len() >= 50, "{}: {} targets", r.path, targets.len());
        assert!(targets.iter().all(|t| t.plan_id.is_none()));
        let values = rt.block_on(store.observations(r.id)).expect("values");
        assert!(values.len() >= 300, "{}: {} values", r.path, values.len());
        assert!(values.iter().all(|o| o.source == "合成数据" && o.demo));
        assert!(values.iter().all(|o| (2016..=2025).contains(&o.year)));
        let mut years: BTreeMap<&str, usize> = BTreeMap::new();
        for o in &values {
            *years.entry(&o.indicator_key).or_default() += 1;
        }
        assert!(
            years.values().any(|&c| c == 10),
            "{}: no full series",
            r.path
        );
        assert!(
            years.values().any(|&c| (8..10).contains(&c)),
            "{}: no gaps",
            r.path
        );
    }
    assert_eq!(with_data.len(), n);
    let provinces = regions
        .iter()
        .filter(|r| r.level == Some(Level::Province))
        .count();
    assert!(provinces >= n.min(31) * 9 / 10, "{provinces} provinces");
    assert!(regions.iter().any(|r| r.level == Some(Level::City)));

    // Every status across the set; several in each region's own evaluation.
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for path in &with_data {
        let out = json(&run(&[
            "evaluate", "--db", db, "--region", path, "--year", "2025", "--format", "json",
        ]));
        assert_eq!(out["demo"], true);
        let by_status = out["counts"]["by_status"].as_object().expect("by_status");
        let present: Vec<&String> = by_status
            .iter()
            .filter(|(_, c)| c.as_u64().unwrap_or(0) > 0)
            .map(|(s, _)| s)
            .collect();
        assert!(present.len() >= 5, "{path}: {present:?}");
        seen.extend(present.into_iter().cloned());
    }
    let all: BTreeSet<String> = Status::ALL.iter().map(|s| s.as_str().to_string()).collect();
    assert_eq!(seen, all);
    // The table a person reads names the statuses in Chinese and marks the values.
    let table = ok(&run(&[
        "evaluate",
        "--db",
        db,
        "--region",
        &with_data[0],
        "--year",
        "2025",
    ]));
    assert!(
        table.contains("演示数据") && table.contains("未达标"),
        "{table}"
    );
    rt.block_on(dump(store.as_ref()))
}

/// A second load is refused and changes nothing.
fn second_load_refused(db: &str, n: u32, seed: u64, before: &[String]) {
    let e = err(&synth(db, n, seed));
    assert!(
        e.contains("数据库中已有地区") && e.contains("新的数据库"),
        "{e}"
    );
    let rt = rt();
    let store = rt.block_on(planwatch_store::open(db)).expect("open");
    assert_eq!(rt.block_on(dump(store.as_ref())), before);
}

#[test]
fn synth_loads_a_national_set_into_sqlite_and_postgres_alike() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = sqlite_url(&dir, "a.db");
    let out = ok(&synth(&a, 30, 7));
    assert!(
        out.contains("30 个地区") && out.contains("合成数据"),
        "{out}"
    );
    let sqlite = check_set(&a, 30);
    second_load_refused(&a, 30, 7, &sqlite);

    // Same seed, same rows; another seed, other regions.
    let b = sqlite_url(&dir, "b.db");
    ok(&synth(&b, 30, 7));
    assert_eq!(check_set(&b, 30), sqlite);
    let c = sqlite_url(&dir, "c.db");
    ok(&synth(&c, 30, 8));
    assert_ne!(check_set(&c, 30), sqlite);

    // PostgreSQL (COPY) stores the same rows as SQLite (INSERTs), to the last bit.
    let pg = rt()
        .block_on(TestDatabase::create())
        .expect("PostgreSQL test database");
    ok(&synth(&pg.url, 30, 7));
    let postgres = check_set(&pg.url, 30);
    assert_eq!(postgres, sqlite);
    second_load_refused(&pg.url, 30, 7, &postgres);
}

#[test]
fn synth_refuses_what_it_cannot_make() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = sqlite_url(&dir, "x.db");
    let e = err(&run(&["synth", "--regions", "3"]));
    assert!(e.contains("--db") || e.contains("--out"), "{e}");
    let e = err(&run(&["synth", "--db", &db, "--regions", "99999"]));
    assert!(e.contains("至多"), "{e}");
    let e = err(&run(&[
        "synth",
        "--db",
        &db,
        "--regions",
        "3",
        "--years",
        "2024-2025",
    ]));
    assert!(e.contains("年份范围"), "{e}");
    let e = err(&run(&["synth", "--out", "x", "--regions", "3"]));
    assert!(e.contains("--indicators"), "{e}");
}

/// Starts a load of `n` regions, kills it once `started` says it is writing, and checks
/// that the database holds nothing of it and takes the whole load afterwards.
fn killed_half_way(db: &str, n: u32, started: impl Fn() -> bool, counts: impl Fn() -> Vec<i64>) {
    let mut child = bin()
        .args(["synth", "--db", db, "--regions", &n.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn planwatch synth");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            panic!("the load ended ({status}) before it could be killed: raise n");
        }
        if started() {
            break;
        }
        assert!(Instant::now() < deadline, "the load never started writing");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().expect("kill");
    let status = child.wait().expect("wait");
    assert!(!status.success());
    assert_eq!(
        counts(),
        vec![0; TABLES.len()],
        "rows left by a killed load"
    );
    let out = ok(&synth(db, n, 1));
    assert!(out.contains(&format!("{n} 个地区")), "{out}");
    assert!(counts().iter().all(|&c| c > 0));
}

#[test]
fn a_load_killed_half_way_leaves_nothing_on_sqlite() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("kill.db");
    let db = format!("sqlite://{}", file.display());
    // The schema first, so that the journal's growth is the load's.
    ok(&run(&["region", "list", "--db", &db]));
    let wal = dir.path().join("kill.db-wal");
    let schema = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    let counts = || {
        rt().block_on(async {
            let store = SqliteStore::open(&db).await.expect("open");
            let mut out = Vec::new();
            for t in TABLES {
                let sql = format!("SELECT COUNT(*) FROM {t}");
                let n: i64 = sqlx::query_scalar(&sql)
                    .fetch_one(store.pool())
                    .await
                    .expect("count");
                out.push(n);
            }
            out
        })
    };
    // Uncommitted pages spill into the write-ahead log once the page cache is full.
    let writing = || std::fs::metadata(&wal).is_ok_and(|m| m.len() > schema + 4 * 1024 * 1024);
    killed_half_way(&db, 400, writing, counts);
}

#[test]
fn a_load_killed_half_way_leaves_nothing_on_postgres() {
    let rt = rt();
    let pg = rt
        .block_on(TestDatabase::create())
        .expect("PostgreSQL test database");
    let store = rt.block_on(PostgresStore::open(&pg.url)).expect("open");
    let pool = store.pool().clone();
    // COPY has sent rows of the load's transaction.
    let writing = || {
        rt.block_on(
            sqlx::query_scalar::<_, i64>(
                "SELECT COALESCE(MAX(p.tuples_processed), 0) FROM pg_stat_progress_copy p \
                 JOIN pg_database d ON d.oid = p.datid WHERE d.datname = $1",
            )
            .bind(&pg.name)
            .fetch_one(&pool),
        )
        .expect("pg_stat_progress_copy")
            > 1000
    };
    let counts = || {
        let mut out = Vec::new();
        for t in TABLES {
            let sql = format!("SELECT COUNT(*) FROM {t}");
            let n: i64 = rt
                .block_on(sqlx::query_scalar(&sql).fetch_one(&pool))
                .expect("count");
            out.push(n);
        }
        out
    };
    killed_half_way(&pg.url, 300, writing, counts);
}
