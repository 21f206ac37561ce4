//! `planwatch target …` and `planwatch indicator show|review` against real databases: a
//! SQLite file and a database of its own on the local PostgreSQL server.

use crate::support::{err, json, ok, plan, run};

/// The whole editing story through the command line on database `db`.
fn story(db: &str) {
    let lianping = plan("000_899738eeea2834b6.txt");
    let shizhu = plan("002_783e6206471bd0e6.txt");
    let out = ok(&run(&["plan", "import", "--db", db, &lianping, &shizhu]));
    assert!(out.contains("指标体系：新增"), "{out}");
    // Importing again seeds nothing more.
    let again = ok(&run(&["plan", "import", "--db", db, &lianping]));
    assert!(!again.contains("指标体系"), "{again}");

    let targets = json(&run(&[
        "target",
        "list",
        "连平县",
        "--db",
        db,
        "--format",
        "json",
    ]));
    let targets = targets.as_array().expect("list");
    let mmr = targets
        .iter()
        .find(|t| t["indicator"] == "孕产妇死亡率")
        .expect("孕产妇死亡率");
    assert_eq!(mmr["code"], "W-HEA-03");
    assert_eq!(mmr["mapping"], "auto");
    assert_eq!(mmr["version"], 1);
    let id = mmr["id"].as_i64().expect("id").to_string();
    let table = ok(&run(&["target", "list", "连平县", "--db", db]));
    assert!(table.contains("孕产妇死亡率\tW-HEA-03"), "{table}");

    // Adjust value, year, owner and binding flag.
    let set = ok(&run(&[
        "target",
        "set",
        "连平县",
        &id,
        "--value",
        "9",
        "--year",
        "2028",
        "--owner",
        "县卫生健康局",
        "--binding",
        "true",
        "--by",
        "张三",
        "--why",
        "市里下达新目标",
        "--db",
        db,
    ]));
    assert!(set.contains("第 2 版"), "{set}");
    let history = json(&run(&[
        "target",
        "history",
        "连平县",
        &id,
        "--db",
        db,
        "--format",
        "json",
    ]));
    let history = history.as_array().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[0]["value"], 12.0);
    assert_eq!(history[0]["action"], "import");
    assert_eq!(history[1]["value"], 9.0);
    assert_eq!(history[1]["year"], 2028);
    assert_eq!(history[1]["owner"], "县卫生健康局");
    assert_eq!(history[1]["binding"], true);
    assert_eq!(history[1]["changed_by"], "张三");
    assert_eq!(history[1]["why"], "市里下达新目标");
    let table = ok(&run(&["target", "history", "连平县", &id, "--db", db]));
    assert!(table.contains("张三\t调整\t市里下达新目标"), "{table}");

    // A baseline: set (a new version), shown in the list and history, then cleared.
    let set = ok(&run(&[
        "target",
        "set",
        "连平县",
        &id,
        "--baseline-year",
        "2020",
        "--baseline-value",
        "12.5",
        "--by",
        "张三",
        "--why",
        "补录基期",
        "--db",
        db,
    ]));
    assert!(set.contains("第 3 版"), "{set}");
    assert!(set.contains("\t2028\t12.5（2020年）\t"), "{set}");
    let table = ok(&run(&["target", "list", "连平县", "--db", db]));
    assert!(table.contains("年份\t基线\t责任单位"), "{table}");
    assert!(table.contains("12.5（2020年）"), "{table}");
    let cleared = ok(&run(&[
        "target",
        "set",
        "连平县",
        &id,
        "--clear-baseline",
        "--by",
        "张三",
        "--why",
        "基期口径不一致",
        "--db",
        db,
    ]));
    assert!(cleared.contains("第 4 版"), "{cleared}");
    let history = json(&run(&[
        "target",
        "history",
        "连平县",
        &id,
        "--db",
        db,
        "--format",
        "json",
    ]));
    let history = history.as_array().expect("history");
    assert_eq!(history.len(), 4);
    assert_eq!(history[1]["baseline_year"], serde_json::Value::Null);
    assert_eq!(history[2]["baseline_year"], 2020);
    assert_eq!(history[2]["baseline_value"], 12.5);
    assert_eq!(history[3]["baseline_year"], serde_json::Value::Null);
    assert_eq!(history[3]["baseline_value"], serde_json::Value::Null);
    let table = ok(&run(&["target", "history", "连平县", &id, "--db", db]));
    assert!(table.contains("基线 12.5（2020年）"), "{table}");
    // A baseline after the target's year is refused in Chinese; a year alone is refused
    // by the argument parser.
    let e = err(&run(&[
        "target",
        "set",
        "连平县",
        &id,
        "--baseline-year",
        "2029",
        "--baseline-value",
        "10",
        "--by",
        "张三",
        "--why",
        "x",
        "--db",
        db,
    ]));
    assert!(e.contains("基线年份 2029 晚于目标年份 2028"), "{e}");
    let e = err(&run(&[
        "target",
        "set",
        "连平县",
        &id,
        "--baseline-year",
        "2020",
        "--by",
        "张三",
        "--why",
        "x",
        "--db",
        db,
    ]));
    assert!(e.contains("--baseline-value"), "{e}");

    // 石柱's table row 孕产妇系统管理率（%） ≥92 takes the baseline its plan states in
    // 发展基础: "孕产妇系统管理率达到91.5%" (2020, the year before the plan starts).
    let shizhu = json(&run(&[
        "target",
        "list",
        "石柱土家族自治县",
        "--db",
        db,
        "--format",
        "json",
    ]));
    let managed = shizhu
        .as_array()
        .expect("list")
        .iter()
        .find(|t| t["indicator"] == "孕产妇系统管理率")
        .expect("孕产妇系统管理率");
    assert_eq!(managed["line"], 74);
    assert_eq!(managed["value"], 92.0);
    assert_eq!(managed["baseline_year"], 2020);
    assert_eq!(managed["baseline_value"], 91.5);

    // Who and why are required; unknown codes and ids are refused in Chinese.
    let e = err(&run(&[
        "target",
        "set",
        "连平县",
        &id,
        "--value",
        "8",
        "--by",
        "张三",
        "--why",
        " ",
        "--db",
        db,
    ]));
    assert!(e.contains("修改原因"), "{e}");
    let e = err(&run(&[
        "target",
        "map",
        "连平县",
        &id,
        "X-XXX-99",
        "--by",
        "张三",
        "--why",
        "核对",
        "--db",
        db,
    ]));
    assert!(e.contains("指标目录中没有编码"), "{e}");
    let e = err(&run(&[
        "target",
        "retire",
        "连平县",
        "999999",
        "--by",
        "张三",
        "--why",
        "x",
        "--db",
        db,
    ]));
    assert!(e.contains("未找到目标"), "{e}");

    // Confirm the mapping.
    let map = ok(&run(&[
        "target",
        "map",
        "连平县",
        &id,
        "W-HEA-03",
        "--by",
        "李四",
        "--why",
        "核对无误",
        "--db",
        db,
    ]));
    assert!(map.contains("已确认"), "{map}");

    // Side by side: both counties' maternal mortality targets.
    let show = ok(&run(&["indicator", "show", "W-HEA-03", "--db", db]));
    assert!(show.contains("各地区目标"), "{show}");
    assert!(show.contains("广东省/河源市/连平县\t妇女发展规划\t孕产妇死亡率\t<=\t9\t1/10万\t2028\t县卫生健康局\t约束性"), "{show}");
    assert!(show.contains("重庆市/石柱土家族自治县"), "{show}");
    let show = json(&run(&[
        "indicator",
        "show",
        "W-HEA-03",
        "--db",
        db,
        "--format",
        "json",
    ]));
    assert_eq!(show["targets"].as_array().map(Vec::len), Some(2));

    // Local indicators for review.
    let review = json(&run(&[
        "indicator",
        "review",
        "石柱土家族自治县",
        "--db",
        db,
        "--format",
        "json",
    ]));
    let review = review.as_array().expect("review");
    assert!(!review.is_empty());
    assert!(
        review
            .iter()
            .all(|t| t["code"].is_null() && t["mapping"] == "local")
    );

    // Add a target, then retire the original: the comparison keeps the new one only.
    let add = ok(&run(&[
        "target",
        "add",
        "连平县",
        "--kind",
        "women",
        "--indicator",
        "孕产妇死亡率",
        "--code",
        "W-HEA-03",
        "--comparator",
        "<=",
        "--value",
        "10",
        "--year",
        "2025",
        "--by",
        "张三",
        "--why",
        "增设中期目标",
        "--db",
        db,
    ]));
    assert!(add.contains("已新增目标"), "{add}");
    let retire = ok(&run(&[
        "target",
        "retire",
        "连平县",
        &id,
        "--by",
        "张三",
        "--why",
        "由中期目标替代",
        "--db",
        db,
    ]));
    assert!(retire.contains("已停用"), "{retire}");
    let show = ok(&run(&["indicator", "show", "W-HEA-03", "--db", db]));
    assert!(show.contains("\t10\t1/10万\t2025"), "{show}");
    assert!(!show.contains("\t2028\t"), "{show}");
    let restore = ok(&run(&[
        "target",
        "restore",
        "连平县",
        &id,
        "--by",
        "张三",
        "--why",
        "恢复",
        "--db",
        db,
    ]));
    assert!(restore.contains("已恢复"), "{restore}");
}

#[test]
fn target_editing_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    story(&url);
}

#[test]
fn target_editing_on_postgres() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db = rt
        .block_on(planwatch_store::sql::test_util::TestDatabase::create())
        .expect("database");
    story(&db.url);
}
