//! `planwatch data import|history|export`, `evaluate --region` and `demo --load-only`
//! against real databases: a SQLite file and a database of its own on the local PostgreSQL
//! server.

use crate::support::{bin, err, json, ok, plan, run};
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write csv");
    path.display().to_string()
}

/// Values for 连平县 (targets for 2030), with the status each gets in 2024 worked out by
/// hand (连平县's plans state no baseline: t0 = the plan's base year 2020 when it has a value,
/// else the earliest value):
/// - 孕产妇死亡率 <= 12: 11.8 in 2024 meets it → 已达标.
/// - 婚前医学检查率 (by code W-HEA-10) >= 65: 60 (2020) → 61.5 (2024). Due: 60 + 5·4/10 =
///   62, ratio 1.5/2 = 0.75; slope 0.375, projected 61.5 + 0.375·6 = 63.75 < 65 →
///   需加快进度, warned 预计难以按期达标.
/// - 宫颈癌患者治疗率 (local) >= 90: 85 (2019) → 84 (2024): ratio < 0 → 出现倒退.
/// - 孕前优生健康检查率 (the catalog's name of W-HEA-11; the plan says 孕前优生检查率)
///   >= 80: one value, 2023 → 待观察, 缺报.
const GOOD: &str = "region,indicator,year,value,source\n\
    连平县,孕产妇死亡率,2022,13.0,妇幼卫生年报\n\
    连平县,孕产妇死亡率,2023,12.5,妇幼卫生年报\n\
    广东省/河源市/连平县,孕产妇死亡率,2024,11.8,妇幼卫生年报\n\
    连平县,W-HEA-10,2020,60,\n\
    连平县,W-HEA-10,2024,61.5,\n\
    连平县,宫颈癌患者治疗率,2019,85,\"卫健局,年报\"\n\
    连平县,宫颈癌患者治疗率,2024,84,\n\
    连平县,孕前优生健康检查率,2023,77.5,\n";

fn story(db: &str) {
    let dir = tempfile::tempdir().expect("dir");
    ok(&run(&[
        "plan",
        "import",
        "--db",
        db,
        &plan("000_899738eeea2834b6.txt"),
    ]));
    let good = write(dir.path(), "good.csv", GOOD);
    let out = ok(&run(&[
        "data",
        "import",
        &good,
        "--db",
        db,
        "--by",
        "李四",
        "--why",
        "年度报送",
    ]));
    assert!(
        out.contains("新增 8 条，更新 0 条，未变 0 条（共 8 条，1 个地区）"),
        "{out}"
    );
    // The same file again changes nothing.
    let again = ok(&run(&["data", "import", &good, "--db", db]));
    assert!(again.contains("新增 0 条，更新 0 条，未变 8 条"), "{again}");

    let m = json(&run(&[
        "evaluate",
        "--region",
        "连平县",
        "--year",
        "2024",
        "--db",
        db,
        "--format",
        "json",
    ]));
    assert_eq!(m["demo"], false);
    let rows = m["rows"].as_array().expect("rows");
    let status = |name: &str| -> (String, Vec<String>) {
        let r = rows
            .iter()
            .find(|r| r["indicator"] == name)
            .unwrap_or_else(|| panic!("no row {name}"));
        let e = &r["evaluation"];
        let w = e["warnings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|w| w.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default();
        (e["status"].as_str().unwrap_or("").to_string(), w)
    };
    assert_eq!(status("孕产妇死亡率"), ("achieved".into(), vec![]));
    assert_eq!(
        status("婚前医学检查率"),
        ("needs_acceleration".into(), vec!["W_PROJECTED_MISS".into()])
    );
    let acc = rows
        .iter()
        .find(|r| r["indicator"] == "婚前医学检查率")
        .expect("row");
    assert_eq!(acc["evaluation"]["expected"], 62.0);
    assert_eq!(acc["evaluation"]["progress_ratio"], 0.75);
    assert_eq!(acc["evaluation"]["projected"], 63.75);
    assert_eq!(
        status("宫颈癌患者治疗率"),
        ("regressing".into(), vec!["W_PROJECTED_MISS".into()])
    );
    assert_eq!(
        status("孕前优生检查率"),
        ("no_trend".into(), vec!["W_MISSING".into()])
    );
    assert_eq!(
        status("适龄妇女宫颈癌人群筛查率"),
        ("no_data".into(), vec!["W_MISSING".into()])
    );

    let table = ok(&run(&[
        "evaluate",
        "--region",
        "连平县",
        "--year",
        "2024",
        "--db",
        db,
    ]));
    assert!(
        table.contains(
            "指标\t规划\t目标\t最新值（年份）\t序时进度\t进度比\t预计\t状态\t预警\t责任单位"
        ),
        "{table}"
    );
    assert!(
        table.contains("婚前医学检查率\t妇女发展规划\t65%以上（2030年）\t61.5%（2024年）\t62%\t75%\t63.8%\t需加快进度\t预计难以按期达标"),
        "{table}"
    );
    assert!(
        table.contains("孕产妇死亡率\t妇女发展规划\t12/10万以下（2030年）\t11.8/10万（2024年）"),
        "{table}"
    );
    assert!(table.contains("2024年监测：共 "), "{table}");
    assert!(!table.contains("演示数据"), "{table}");

    // A corrected value is one update, in the history with who and why.
    let fix = write(
        dir.path(),
        "fix.csv",
        "地区,指标,年份,数值\n连平县,孕产妇死亡率,2024,11.6\n",
    );
    let out = ok(&run(&[
        "data",
        "import",
        &fix,
        "--db",
        db,
        "--by",
        "王五",
        "--why",
        "年报更正",
    ]));
    assert!(out.contains("新增 0 条，更新 1 条，未变 0 条"), "{out}");
    let history = ok(&run(&[
        "data",
        "history",
        "连平县",
        "--indicator",
        "孕产妇死亡率",
        "--db",
        db,
    ]));
    let lines: Vec<&str> = history.lines().collect();
    assert!(
        lines[2].contains(
            "孕产妇死亡率\t2024\t11.8\t11.6\t妇幼卫生年报 → 导入文件 fix.csv\t命令行导入\t王五\t年报更正"
        ),
        "{history}"
    );
    assert!(history.contains("共 4 条记录"), "{history}");
    let log = json(&run(&[
        "data",
        "history",
        "连平县",
        "--db",
        db,
        "--format",
        "json",
    ]));
    assert_eq!(log.as_array().map(Vec::len), Some(9));

    // Export gives a file that imports back unchanged.
    let export = ok(&run(&["data", "export", "连平县", "--db", db]));
    assert!(
        export.starts_with("region,indicator,year,value,source\n"),
        "{export}"
    );
    assert!(export.contains("\"卫健局,年报\""), "{export}");
    let back = write(dir.path(), "back.csv", &export);
    let out = ok(&run(&["data", "import", &back, "--db", db]));
    assert!(out.contains("新增 0 条，更新 0 条，未变 8 条"), "{out}");

    // Every region at once, in the plain-file shape: the same statuses as the region's own
    // monitoring, rows sorted by region, indicator, year.
    let status_csv = dir.path().join("status.csv");
    let status_csv_arg = status_csv.display().to_string();
    let o = run(&[
        "evaluate",
        "--all",
        "--year",
        "2024",
        "--db",
        db,
        "--out",
        &status_csv_arg,
    ]);
    ok(&o);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("已评估1个地区的"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let csv = std::fs::read_to_string(&status_csv).expect("status.csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "region,indicator,target_year,comparator,target_value,latest_year,latest_value,\
             baseline_year,baseline_value,expected,progress_ratio,projected,status,warnings"
        )
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let m = json(&run(&[
        "evaluate",
        "--region",
        "连平县",
        "--year",
        "2024",
        "--db",
        db,
        "--format",
        "json",
    ]));
    let judged = m["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), judged.len());
    let keys: Vec<(&str, &str, &str)> = rows.iter().map(|r| (r[0], r[1], r[2])).collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| {
        (a.0.as_bytes(), a.1.as_bytes(), a.2).cmp(&(b.0.as_bytes(), b.1.as_bytes(), b.2))
    });
    assert_eq!(keys, sorted, "rows sorted by region, indicator, year");
    let mmr = rows
        .iter()
        .find(|r| r[1] == "W-HEA-10")
        .expect("婚前医学检查率");
    assert_eq!(
        (
            mmr[0], mmr[2], mmr[3], mmr[4], mmr[5], mmr[6], mmr[12], mmr[13]
        ),
        (
            "广东省/河源市/连平县",
            "2030",
            ">=",
            "65",
            "2024",
            "61.5",
            "needs_acceleration",
            "W_PROJECTED_MISS"
        )
    );
    let count = |status: &str| rows.iter().filter(|r| r[12] == status).count();
    let count_json = |status: &str| {
        judged
            .iter()
            .filter(|r| r["evaluation"]["status"] == status)
            .count()
    };
    for status in [
        "achieved",
        "needs_acceleration",
        "regressing",
        "no_trend",
        "no_data",
    ] {
        assert_eq!(count(status), count_json(status), "{status}");
    }
}

/// 石柱's 孕产妇系统管理率 ≥92% by 2030 names its plan's baseline, 91.5% in 2020. With
/// 88 (2018) and 91.9 (2024) reported and nothing for 2020, t0 = 2020 and y0 = 91.5:
/// expected = 91.5 + (92 − 91.5)·4/10 = 91.7, progress ratio (91.9 − 91.5)/(91.7 − 91.5) =
/// 2 (from the earliest value it would be 88 + 4·6/12 = 90).
#[test]
fn evaluate_judges_from_the_plans_baseline() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("d.db").display());
    ok(&run(&[
        "plan",
        "import",
        "--db",
        &db,
        &plan("002_783e6206471bd0e6.txt"),
    ]));
    let csv = write(
        dir.path(),
        "shizhu.csv",
        "region,indicator,year,value,source\n\
         石柱土家族自治县,W-HEA-12,2018,88,妇幼卫生年报\n\
         石柱土家族自治县,W-HEA-12,2024,91.9,妇幼卫生年报\n",
    );
    ok(&run(&["data", "import", &csv, "--db", &db]));
    let m = json(&run(&[
        "evaluate",
        "--region",
        "石柱土家族自治县",
        "--year",
        "2024",
        "--db",
        &db,
        "--format",
        "json",
    ]));
    let row = m["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["indicator"] == "孕产妇系统管理率")
        .expect("孕产妇系统管理率");
    let e = &row["evaluation"];
    assert_eq!(e["baseline_year"], 2020);
    assert_eq!(e["baseline_value"], 91.5);
    let close =
        |v: &serde_json::Value, want: f64| v.as_f64().is_some_and(|x| (x - want).abs() < 1e-9);
    assert!(close(&e["expected"], 91.7), "{e}");
    assert!(close(&e["progress_ratio"], 2.0), "{e}");
    assert_eq!(e["status"], "on_track", "{e}");
    let table = ok(&run(&[
        "evaluate",
        "--region",
        "石柱土家族自治县",
        "--year",
        "2024",
        "--db",
        &db,
    ]));
    assert!(
        table.contains(
            "孕产妇系统管理率\t妇女发展规划\t92%以上（2030年）\t91.9%（2024年）\t91.7%\t200%"
        ),
        "{table}"
    );
}

#[test]
fn data_and_evaluate_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("d.db").display());
    story(&url);
}

#[test]
fn data_and_evaluate_on_postgres() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db = rt
        .block_on(planwatch_store::sql::test_util::TestDatabase::create())
        .expect("database");
    story(&db.url);
}

#[test]
fn a_bad_file_names_line_and_field_and_stores_nothing() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("d.db").display());
    ok(&run(&[
        "plan",
        "import",
        "--db",
        &db,
        &plan("000_899738eeea2834b6.txt"),
    ]));
    let cases: [(&str, &[&str]); 12] = [
        (
            "region,indicator,year,value\n连平县,孕产妇死亡率,2023,12\n连山县,孕产妇死亡率,2023,12\n",
            &["第 3 行，region（地区） 列", "未找到地区“连山县”"],
        ),
        (
            "region,indicator,year,value\n连平县,孕产妇死亡率,2023,十二\n",
            &["第 2 行，value（数值） 列", "“十二”不是数值"],
        ),
        (
            "region,indicator,year,value\n连平县,孕产妇死亡率,2023,12\n连平县,孕产妇死亡率,二〇二三,12\n",
            &["第 3 行，year（年份） 列", "2000—2100"],
        ),
        (
            "region,indicator,year,value\n连平县,孕产妇死亡率,2023,12\n连平县,W-HEA-03,2023,12.5\n",
            &["第 3 行", "与第 2 行重复"],
        ),
        (
            "region,indicator,year,value\n连平县,火星移民率,2023,12\n",
            &["第 2 行，indicator（指标） 列", "火星移民率"],
        ),
        (
            "region,indicator,when,value\n连平县,孕产妇死亡率,2023,12\n",
            &["第 1 行（表头）第 3 列“when”"],
        ),
        // The quality rules (core::quality): 婚前医学检查率 is a %, 孕产妇死亡率 per 10万.
        (
            "region,indicator,year,value\n连平县,孕产妇死亡率,2023,12\n连平县,婚前医学检查率,2023,-5\n",
            &[
                "第 3 行，value（数值） 列",
                "百分比应在 0 到 100 之间，收到 -5",
            ],
        ),
        (
            "region,indicator,year,value\n连平县,婚前医学检查率,2023,250%\n",
            &[
                "第 2 行，value（数值） 列",
                "百分比应在 0 到 100 之间，收到 250",
            ],
        ),
        (
            "region,indicator,year,value\n连平县,孕产妇死亡率,2023,1e308\n",
            &["第 2 行，value（数值） 列", "“1e308”过大"],
        ),
        (
            "region,indicator,year,value\n连平县,孕产妇死亡率,1900,12\n",
            &[
                "第 2 行，year（年份） 列",
                "年份应在 2000—2100 之间",
                "收到 1900",
            ],
        ),
        (
            "region,indicator,year,value\n连平县,孕产妇死亡率,2023,abc\n",
            &["第 2 行，value（数值） 列", "“abc”不是数值"],
        ),
        (
            "region,indicator,year,value\n连平县,孕产妇死亡率,2023,\"12,5\"\n",
            &[
                "第 2 行，value（数值） 列",
                "请用小数点“.”表示小数，如 12.5",
            ],
        ),
    ];
    for (i, (text, wants)) in cases.iter().enumerate() {
        let name = format!("bad{i}.csv");
        let file = write(dir.path(), &name, text);
        let e = err(&run(&["data", "import", &file, "--db", &db]));
        assert!(e.contains(&name), "{e}");
        for want in *wants {
            assert!(e.contains(want), "case {i}: want {want}: {e}");
        }
    }
    let export = ok(&run(&["data", "export", "连平县", "--db", &db]));
    assert_eq!(export, "region,indicator,year,value,source\n");
    let history = json(&run(&[
        "data",
        "history",
        "连平县",
        "--db",
        &db,
        "--format",
        "json",
    ]));
    assert_eq!(history.as_array().map(Vec::len), Some(0));
}

#[test]
fn evaluate_takes_one_source() {
    let e = err(&run(&[
        "evaluate",
        "--region",
        "连平县",
        "--observations",
        "o.csv",
        "--targets",
        "t.csv",
        "--year",
        "2024",
    ]));
    assert!(e.contains("只能二选一"), "{e}");
    let e = err(&run(&["evaluate", "--year", "2024"]));
    assert!(e.contains("--region"), "{e}");
}

#[test]
fn demo_load_shows_every_status_and_warning_and_is_idempotent() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("planwatch-data");
    let demo = || {
        bin()
            .env("PLANWATCH_DATA_DIR", &data)
            .args(["demo", "--load-only"])
            .output()
            .expect("demo")
    };
    let first = ok(&demo());
    assert_eq!(
        first.matches("新增 1 项演示用的约束性阶段目标").count(),
        4,
        "{first}"
    );
    // The real regions' neighbours, made up once (演示地区).
    assert!(first.contains("演示地区：新建 26 个"), "{first}");
    let db = format!("sqlite://{}", data.join("planwatch.db").display());
    // A person's value is kept over the demo's.
    let real = write(
        dir.path(),
        "real.csv",
        "region,indicator,year,value,source\n连平县,孕产妇死亡率,2024,10.5,妇幼卫生年报\n",
    );
    ok(&run(&["data", "import", &real, "--db", &db]));
    let second = ok(&demo());
    assert!(!second.contains("阶段目标"), "{second}");
    assert!(!second.contains("演示地区"), "{second}");
    assert_eq!(
        second.matches("新增 0 条，更新 0 条").count(),
        4,
        "{second}"
    );
    assert!(
        second.contains("1 条已有人工报送的数据，保留未覆盖"),
        "{second}"
    );
    for region in ["连平县", "石柱土家族自治县", "丽水市", "曾都区"] {
        let m = json(&run(&[
            "evaluate", "--region", region, "--year", "2024", "--db", &db, "--format", "json",
        ]));
        assert_eq!(m["demo"], true, "{region}");
        assert_eq!(m["demo_label"], "演示数据", "{region}");
        for (status, n) in m["counts"]["by_status"].as_object().expect("by_status") {
            assert!(n.as_u64().unwrap_or(0) > 0, "{region}: no {status}");
        }
        for (warning, n) in m["counts"]["by_warning"].as_object().expect("by_warning") {
            assert!(n.as_u64().unwrap_or(0) > 0, "{region}: no {warning}");
        }
        let table = ok(&run(&[
            "evaluate", "--region", region, "--year", "2024", "--db", &db,
        ]));
        assert!(table.contains("（含演示数据，并非真实统计）"), "{table}");
    }
    let export = ok(&run(&["data", "export", "连平县", "--db", &db]));
    assert_eq!(
        export,
        "region,indicator,year,value,source\n广东省/河源市/连平县,孕产妇死亡率,2024,10.5,妇幼卫生年报\n"
    );
}

/// What people type in Chinese input methods is read (１２．５ → 12.5); a rate above 100%
/// passes only with `--max`; an export never hands a spreadsheet a formula, and imports back.
#[test]
fn typed_values_allowances_and_formula_safe_export() {
    let dir = tempfile::tempdir().expect("dir");
    let db = format!("sqlite://{}", dir.path().join("d.db").display());
    ok(&run(&[
        "plan",
        "import",
        "--db",
        &db,
        &plan("000_899738eeea2834b6.txt"),
    ]));
    let file = write(
        dir.path(),
        "typed.csv",
        "region,indicator,year,value,source\n\
         连平县,孕产妇死亡率,2023,１２．５,\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\"\n\
         连平县,婚前医学检查率,2023,103.5%,@SUM(A1)\n",
    );
    let e = err(&run(&["data", "import", &file, "--db", &db]));
    assert!(e.contains("第 3 行，value（数值） 列"), "{e}");
    assert!(e.contains("百分比应在 0 到 100 之间，收到 103.5"), "{e}");
    ok(&run(&[
        "data",
        "import",
        &file,
        "--db",
        &db,
        "--max",
        "婚前医学检查率=150",
    ]));
    let export = ok(&run(&["data", "export", "连平县", "--db", &db]));
    assert!(
        export.contains(",2023,12.5,\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\"\n"),
        "{export}"
    );
    assert!(export.contains(",2023,103.5,'@SUM(A1)\n"), "{export}");
    // The export imports back unchanged.
    let back = write(dir.path(), "back.csv", &export);
    let again = ok(&run(&[
        "data",
        "import",
        &back,
        "--db",
        &db,
        "--max",
        "W-HEA-10=150",
    ]));
    assert!(again.contains("新增 0 条，更新 0 条，未变 2 条"), "{again}");
}
