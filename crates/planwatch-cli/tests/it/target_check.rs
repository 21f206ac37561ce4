//! `planwatch target check REGION`: a region's targets against the regions above it and the
//! national outlines, on the shipped plans, on both databases.

use crate::support::{json, ok, plan, run};
use serde_json::Value;

fn check(db: &str, region: &str) -> Value {
    json(&run(&[
        "target", "check", region, "--db", db, "--format", "json",
    ]))
}

fn pairs<'a>(check: &'a Value, key: &str) -> Vec<&'a Value> {
    check["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .filter(|p| p["lower"]["key"] == key)
        .collect()
}

fn story(db: &str) {
    let lianping = plan("000_899738eeea2834b6.txt");
    let zengdu = plan("004_f195922d897a1781.txt");
    ok(&run(&["plan", "import", "--db", db, &lianping, &zengdu]));

    // 连平县 copies the outline's 孕产妇死亡率 12/10万以下: equal, and nothing is weaker.
    let c = check(db, "连平县");
    assert_eq!(c["levels"], serde_json::json!(["国家纲要"]));
    let mmr = pairs(&c, "W-HEA-03");
    assert_eq!(mmr.len(), 1, "{mmr:?}");
    assert_eq!(mmr[0]["outcome"], "equal");
    assert_eq!(
        mmr[0]["sentence"],
        "连平县目标孕产妇死亡率12/10万以下，与国家纲要目标12/10万以下相同"
    );
    // 婴儿死亡率 3‰以下 asks more than the outline's 5‰以下.
    assert_eq!(pairs(&c, "C-HEA-02")[0]["outcome"], "stronger");
    assert_eq!(c["counts"]["weaker"], 0);
    assert!(c["counts"]["not_weaker"].as_u64().unwrap_or(0) >= 20, "{c}");
    let table = ok(&run(&["target", "check", "连平县", "--db", db]));
    assert!(table.contains("没有低于上级目标的项目"), "{table}");
    assert!(
        table.contains("低于上级目标的目标 0 项，不低于上级目标"),
        "{table}"
    );

    // 曾都区 keeps 就业人员中的女性比例 at 46% where the outline says 45%: listed as not
    // the same; its 2025 stage targets are not held against the outline's 2030 ones.
    let c = check(db, "曾都区");
    let share = pairs(&c, "W-ECO-01");
    assert_eq!(share[0]["outcome"], "differs");
    assert_eq!(c["pairs"][0]["lower"]["key"], "W-ECO-01", "listed first");
    let stage: Vec<&Value> = pairs(&c, "W-HEA-03")
        .into_iter()
        .filter(|p| p["lower"]["year"] == 2025)
        .collect();
    assert_eq!(stage[0]["outcome"], "other_year");
    assert_eq!(
        stage[0]["sentence"],
        "曾都区目标孕产妇死亡率为2025年10/10万以下，国家纲要目标为2030年12/10万以下，年份不同，未作比较"
    );
    let table = ok(&run(&["target", "check", "曾都区", "--db", db]));
    assert!(table.contains("与上级目标不一致 1 项"), "{table}");

    // A clerk loosens 连平县's target: now weaker than the outline, and the command still
    // exits 0 (it is a report).
    let id = mmr[0]["lower"]["id"].as_i64().expect("id").to_string();
    ok(&run(&[
        "target",
        "set",
        "连平县",
        &id,
        "--value",
        "15",
        "--by",
        "张三",
        "--why",
        "测试",
        "--db",
        db,
    ]));
    let c = check(db, "连平县");
    assert_eq!(c["pairs"][0]["outcome"], "weaker");
    assert_eq!(
        c["pairs"][0]["sentence"],
        "连平县目标孕产妇死亡率15/10万以下，低于国家纲要目标12/10万以下"
    );
    assert_eq!(c["counts"]["weaker"], 1);

    // 河源市 sets its own: 连平县 is held against the city first, then the outline.
    ok(&run(&[
        "target",
        "add",
        "河源市",
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
        "2030",
        "--by",
        "张三",
        "--why",
        "市级目标",
        "--db",
        db,
    ]));
    let c = check(db, "连平县");
    assert_eq!(c["levels"], serde_json::json!(["河源市", "国家纲要"]));
    let weaker: Vec<(&str, &str)> = c["pairs"]
        .as_array()
        .expect("pairs")
        .iter()
        .filter(|p| p["outcome"] == "weaker")
        .map(|p| {
            (
                p["upper_name"].as_str().unwrap_or(""),
                p["sentence"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        weaker,
        [
            (
                "河源市",
                "连平县目标孕产妇死亡率15/10万以下，低于河源市规划目标10/10万以下"
            ),
            (
                "国家纲要",
                "连平县目标孕产妇死亡率15/10万以下，低于国家纲要目标12/10万以下"
            ),
        ]
    );
    assert!(c["pairs"][0]["upper_region_id"].is_i64());
    let table = ok(&run(&[
        "target",
        "check",
        "广东省/河源市/连平县",
        "--db",
        db,
    ]));
    assert!(table.contains("对照：河源市、国家纲要"), "{table}");
    assert!(
        table.contains("孕产妇死亡率\t2030\t15/10万以下\t河源市\t10/10万以下\t低于上级目标"),
        "{table}"
    );
    // One target, weaker than the city's and than the outline's.
    assert!(
        table.contains("低于上级目标的目标 1 项（对照 2 处）"),
        "{table}"
    );
    // The city's own target asks more than the outline.
    let city = check(db, "河源市");
    assert_eq!(pairs(&city, "W-HEA-03")[0]["outcome"], "stronger");
}

#[test]
fn target_check_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    story(&url);
}

#[test]
fn target_check_on_postgres() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db = rt
        .block_on(planwatch_store::sql::test_util::TestDatabase::create())
        .expect("database");
    story(&db.url);
}
