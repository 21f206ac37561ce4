//! `planwatch indicator review REGION`: the local targets awaiting review with the catalog
//! entries proposed for them, and `--accept ID [--code CODE]` mapping one, on both
//! databases.

use crate::support::{err, json, ok, plan, run};

fn story(db: &str) {
    // 石柱县: 中小学生在校体育锻炼时间每天 is the catalog's 中小学生每天校内体育活动时间
    // written another way
    let shizhu = plan("002_783e6206471bd0e6.txt");
    ok(&run(&["plan", "import", "--db", db, &shizhu]));
    let region = "石柱土家族自治县";
    let review = || {
        json(&run(&[
            "indicator",
            "review",
            region,
            "--db",
            db,
            "--format",
            "json",
        ]))
    };
    let listed = review();
    let listed = listed.as_array().expect("review");
    let pe = listed
        .iter()
        .find(|t| t["indicator"] == "中小学生在校体育锻炼时间每天")
        .unwrap_or_else(|| panic!("{listed:#?}"));
    assert_eq!(pe["mapping"], "local");
    assert_eq!(pe["proposals"][0]["code"], "C-HEA-50");
    assert_eq!(pe["proposals"][0]["name"], "中小学生每天校内体育活动时间");
    let confidence = pe["proposals"][0]["confidence"].as_f64().unwrap_or(0.0);
    assert!(confidence > 0.6 && confidence < 0.9, "{confidence}");
    let id = pe["id"].as_i64().expect("id").to_string();
    let version = pe["version"].as_i64().expect("version");

    let table = ok(&run(&["indicator", "review", region, "--db", db]));
    assert!(
        table.contains("建议1：C-HEA-50 中小学生每天校内体育活动时间\t把握中"),
        "{table}"
    );
    assert!(table.contains("--accept 编号"), "{table}");

    // without who and why nothing is written
    let refused = err(&run(&[
        "indicator",
        "review",
        region,
        "--db",
        db,
        "--accept",
        &id,
    ]));
    assert!(refused.contains("--by"), "{refused}");
    // a code the catalog does not have
    let refused = err(&run(&[
        "indicator",
        "review",
        region,
        "--db",
        db,
        "--accept",
        &id,
        "--code",
        "X-NOT-00",
        "--by",
        "李四",
        "--why",
        "核对",
    ]));
    assert!(refused.contains("X-NOT-00"), "{refused}");

    // the top proposal by default
    let done = ok(&run(&[
        "indicator",
        "review",
        region,
        "--db",
        db,
        "--accept",
        &id,
        "--by",
        "李四",
        "--why",
        "采用建议的指标目录条目",
    ]));
    assert!(
        done.contains("已归入 C-HEA-50（中小学生每天校内体育活动时间）"),
        "{done}"
    );
    let history = json(&run(&[
        "target", "history", region, &id, "--db", db, "--format", "json",
    ]));
    let history = history.as_array().expect("history");
    let last = history.last().expect("last");
    assert_eq!(history.len() as i64, version + 1);
    assert_eq!(last["code"], "C-HEA-50");
    assert_eq!(last["action"], "map");
    assert_eq!(last["changed_by"], "李四");
    assert_eq!(last["why"], "采用建议的指标目录条目");
    // off the list; accepting again is refused
    assert!(
        review()
            .as_array()
            .expect("review")
            .iter()
            .all(|t| t["id"].as_i64() != pe["id"].as_i64())
    );
    let again = err(&run(&[
        "indicator",
        "review",
        region,
        "--db",
        db,
        "--accept",
        &id,
        "--by",
        "李四",
        "--why",
        "再次",
    ]));
    assert!(again.contains("不在待审核清单中"), "{again}");

    // --code local confirms another one as local: off the list, still without a code
    let rest = review();
    if let Some(other) = rest.as_array().and_then(|a| a.first()) {
        let other_id = other["id"].as_i64().expect("id").to_string();
        let done = ok(&run(&[
            "indicator",
            "review",
            region,
            "--db",
            db,
            "--accept",
            &other_id,
            "--code",
            "local",
            "--by",
            "李四",
            "--why",
            "本县自设指标",
        ]));
        assert!(done.contains("已确认为地方指标"), "{done}");
        assert!(
            review()
                .as_array()
                .expect("review")
                .iter()
                .all(|t| t["id"] != other["id"])
        );
    }
}

#[test]
fn review_and_accept_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}", dir.path().join("p.db").display());
    story(&url);
}

#[test]
fn review_and_accept_on_postgres() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let db = rt
        .block_on(planwatch_store::sql::test_util::TestDatabase::create())
        .expect("database");
    story(&db.url);
}
