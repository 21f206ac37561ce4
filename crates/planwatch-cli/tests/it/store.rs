//! `plan import`, `plan show`, `region list` and `demo` against real databases: a SQLite
//! file and a database of its own on the local PostgreSQL server.

use crate::support::{bin, run};
use planwatch_store::Store;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Output, Stdio};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("json")
}

/// Imports the four plans into `db`, checks that `show` equals `parse` for each, and that a
/// second import changes nothing.
fn show_equals_parse(db: &str) {
    let files = planwatch_store::sql::test_util::shipped_plans().expect("assets/plans");
    let mut args = vec!["plan", "import", "--db", db];
    let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    args.extend(names.iter().map(String::as_str));
    let first = run(&args);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        stdout(&first).matches("已保存（第 1 版）").count(),
        8,
        "{}",
        stdout(&first)
    );
    for file in &names {
        let parsed = json(&run(&["plan", "parse", file]));
        let path: Vec<String> = parsed["parents"]
            .as_array()
            .expect("parents")
            .iter()
            .chain(std::iter::once(&parsed["region"]))
            .map(|v| v.as_str().unwrap_or_default().to_string())
            .collect();
        let shown = json(&run(&["plan", "show", &path.join("/"), "--db", db]));
        assert_eq!(shown, parsed, "show differs from parse for {file}");
        let v1 = json(&run(&[
            "plan",
            "show",
            &path.join("/"),
            "--db",
            db,
            "--version",
            "1",
        ]));
        assert_eq!(v1, parsed);
    }
    let again = run(&args);
    assert!(again.status.success(), "{}", stderr(&again));
    assert_eq!(
        stdout(&again).matches("未变化（第 1 版）").count(),
        8,
        "{}",
        stdout(&again)
    );
    let regions = json(&run(&["region", "list", "--format", "json", "--db", db]));
    let with_plans: Vec<&serde_json::Value> = regions
        .as_array()
        .expect("list")
        .iter()
        .filter(|r| r["plans"] == 2)
        .collect();
    assert_eq!(with_plans.len(), 4);
    let lianping = regions
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["name"] == "连平县")
        .expect("连平县");
    assert_eq!(lianping["parents"], serde_json::json!(["广东省", "河源市"]));
    assert_eq!(lianping["level"], "county");
    let table = run(&["plan", "show", "连平县", "--db", db, "--format", "table"]);
    assert!(table.status.success());
    assert!(stdout(&table).contains("连平县妇女发展规划"));
}

#[test]
fn show_after_import_equals_parse_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    show_equals_parse(&url);
}

#[test]
fn show_after_import_equals_parse_on_postgres() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db = rt
        .block_on(planwatch_store::sql::test_util::TestDatabase::create())
        .expect("database");
    show_equals_parse(&db.url);
}

#[test]
fn the_default_database_is_a_file_in_the_data_directory() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("nested/data");
    let files = planwatch_store::sql::test_util::shipped_plans().expect("assets/plans");
    let out = bin()
        .env("PLANWATCH_DATA_DIR", &data)
        .args(["plan", "import"])
        .arg(&files[0])
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(data.join("planwatch.db").is_file());
    // PLANWATCH_DATABASE_URL wins over the data directory.
    let other = dir.path().join("other.db");
    let out = bin()
        .env("PLANWATCH_DATA_DIR", &data)
        .env(
            "PLANWATCH_DATABASE_URL",
            format!("sqlite://{}", other.display()),
        )
        .args(["region", "list", "--format", "json"])
        .output()
        .expect("run");
    assert_eq!(json(&out), serde_json::json!([]));
    assert!(other.is_file());
}

fn seed_namesakes(path: &Path) {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = planwatch_store::SqliteStore::open_path(path)
            .await
            .expect("open");
        for (province, city) in [("甘肃省", "兰州市"), ("西藏自治区", "拉萨市")] {
            let (mut source, doc) =
                planwatch_store::story::fixtures::county(province, city, "城关区");
            source.lines.push(city.into());
            store.import(&doc, &source).await.expect("import");
        }
        store.pool().close().await;
    });
}

#[test]
fn an_ambiguous_region_lists_its_candidates() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("p.db");
    seed_namesakes(&path);
    let url = format!("sqlite://{}", path.display());
    let out = run(&["plan", "show", "城关区", "--db", &url]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("不唯一"), "{err}");
    assert!(
        err.contains("甘肃省/兰州市/城关区") && err.contains("西藏自治区/拉萨市/城关区"),
        "{err}"
    );
    let out = run(&["plan", "show", "拉萨市/城关区", "--db", &url]);
    assert_eq!(
        json(&out)["parents"],
        serde_json::json!(["西藏自治区", "拉萨市"])
    );
    let out = run(&["plan", "show", "不存在县", "--db", &url]);
    assert!(stderr(&out).contains("未找到地区“不存在县”"));
    let out = run(&["plan", "show", "城关区", "--db", &url, "--version", "0"]);
    assert!(!out.status.success());
}

#[test]
fn bad_databases_are_clear_errors() {
    let out = run(&["region", "list", "--db", "mysql://root@localhost/x"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("数据库地址无效"), "{}", stderr(&out));
    let out = run(&[
        "region",
        "list",
        "--db",
        "postgres://postgres:pw@127.0.0.1:1/x",
    ]);
    assert!(stderr(&out).contains("无法连接数据库"), "{}", stderr(&out));
    assert!(
        !stderr(&out).contains(":pw@"),
        "password printed: {}",
        stderr(&out)
    );
    // A database written by a newer planwatch.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("new.db");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = planwatch_store::SqliteStore::open_path(&path)
            .await
            .expect("open");
        store.pool().close().await;
        planwatch_store::sql::test_util::mark_future_schema(&path)
            .await
            .expect("a newer schema");
    });
    let out = run(&[
        "region",
        "list",
        "--db",
        &format!("sqlite://{}", path.display()),
    ]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("数据库版本较新"), "{}", stderr(&out));
    assert!(stderr(&out).contains("请升级 planwatch"));
}

#[test]
fn a_file_that_fails_to_parse_is_refused_and_the_others_are_imported() {
    let dir = tempfile::tempdir().expect("dir");
    let bad = dir.path().join("坏文件.txt");
    std::fs::write(&bad, "这不是一份规划。\n只有两行。\n").expect("write");
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    let files = planwatch_store::sql::test_util::shipped_plans().expect("assets/plans");
    let out = bin()
        .args(["plan", "import", "--db", &url])
        .arg(&bad)
        .arg(&files[1])
        .output()
        .expect("run");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("坏文件.txt"), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 个文件未导入"));
    let regions = json(&run(&["region", "list", "--format", "json", "--db", &url]));
    let with_plans = regions
        .as_array()
        .expect("list")
        .iter()
        .filter(|r| r["plans"] == 2)
        .count();
    assert_eq!(with_plans, 1);
}

/// A damaged byte is read as U+FFFD and said on stderr with its file and line, by `plan
/// import` as by `plan parse`; the plan is imported all the same.
#[test]
fn import_says_which_line_had_a_damaged_byte() {
    let dir = tempfile::tempdir().expect("dir");
    let files = planwatch_store::sql::test_util::shipped_plans().expect("assets/plans");
    let mut bytes = std::fs::read(&files[0]).expect("read");
    // The first character of line 4 (body text) gets an invalid UTF-8 lead byte.
    let third = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(2)
        .map(|(i, _)| i + 1)
        .expect("three lines");
    let cut = third
        + bytes[third..]
            .iter()
            .position(|b| *b >= 0xE0)
            .expect("a CJK char");
    bytes[cut] = 0xFF;
    let damaged = dir.path().join("损坏一处.txt");
    std::fs::write(&damaged, &bytes).expect("write");
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    let out = bin()
        .args(["plan", "import", "--db", &url])
        .arg(&damaged)
        .output()
        .expect("run");
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("警告") && err.contains("损坏一处.txt"),
        "{err}"
    );
    assert!(err.contains("第 4 行"), "{err}");
    let parse = bin()
        .args(["plan", "parse"])
        .arg(&damaged)
        .output()
        .expect("run");
    assert!(stderr(&parse).contains("第 4 行"), "{}", stderr(&parse));
}

/// Starts `demo` on a free port, waits for its address, fetches the login page (which lists
/// the demo accounts), stops it.
fn run_demo(data: &Path) -> (String, String) {
    let mut child = bin()
        .env("PLANWATCH_DATA_DIR", data)
        .args(["demo", "--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn demo");
    let out = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(out).lines();
    let mut printed = String::new();
    let mut url = None;
    for line in lines.by_ref() {
        let line = line.expect("line");
        printed.push_str(&line);
        printed.push('\n');
        if let Some(i) = line.find("http://") {
            url = Some(line[i..].trim().to_string());
            break;
        }
    }
    let url = url.unwrap_or_else(|| {
        let _ = child.kill();
        panic!("demo printed no address: {printed}")
    });
    let host = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let mut stream = std::net::TcpStream::connect(&host).expect("connect");
    write!(
        stream,
        "GET /login HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut page = String::new();
    stream.read_to_string(&mut page).expect("read");
    let _ = child.kill();
    let _ = child.wait();
    (printed, page)
}

#[test]
fn demo_twice_duplicates_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("planwatch-data");
    let (first, page) = run_demo(&data);
    assert!(page.starts_with("HTTP/1.1 200"), "{page}");
    assert!(page.contains("演示账号"), "{page}");
    assert!(
        page.contains("连平县-工委办") && page.contains("丽水市-卫健委"),
        "{page}"
    );
    assert!(first.contains("演示账号：新建"), "{first}");
    assert_eq!(first.matches("已保存（第 1 版）").count(), 8, "{first}");
    assert!(data.join("planwatch.db").is_file());
    let url = format!("sqlite://{}", data.join("planwatch.db").display());
    let before = json(&run(&["region", "list", "--format", "json", "--db", &url]));
    let rows = before.as_array().expect("regions");
    let made: Vec<&serde_json::Value> = rows.iter().filter(|r| r["generated"] == true).collect();
    assert_eq!(made.len(), 26, "{before}");
    assert!(made.iter().all(|r| r["plans"] == 0));
    assert_eq!(
        rows.iter()
            .filter(|r| r["parents"].to_string().contains("河源市"))
            .count(),
        6,
        "连平县 and its five neighbours"
    );
    let (second, _) = run_demo(&data);
    assert_eq!(second.matches("未变化（第 1 版）").count(), 8, "{second}");
    let after = json(&run(&["region", "list", "--format", "json", "--db", &url]));
    assert_eq!(before, after);
    let v2 = run(&["plan", "show", "连平县", "--db", &url, "--version", "2"]);
    assert!(
        !v2.status.success(),
        "the second demo made a second version"
    );
}
