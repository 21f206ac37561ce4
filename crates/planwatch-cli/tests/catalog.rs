//! `planwatch plan map` and `planwatch indicator list|show`, run as the binary.

use std::path::PathBuf;
use std::process::Command;

fn planwatch(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_planwatch"))
        .args(args)
        .current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
        .output()
        .unwrap_or_else(|e| panic!("planwatch: {e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn plan_map_json_lists_every_target_with_its_code() {
    let (ok, out, err) = planwatch(&["plan", "map", "assets/plans/002_783e6206471bd0e6.txt"]);
    assert!(ok, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}"));
    let rows = rows.as_array().unwrap_or_else(|| panic!("not a list"));
    assert!(rows.len() > 50);
    for r in rows {
        for key in ["line", "indicator", "code", "confidence"] {
            assert!(r.get(key).is_some(), "{key} missing in {r}");
        }
    }
    // 石柱县 专栏一, 孕产妇死亡率（1/10万）
    let mmr = rows
        .iter()
        .find(|r| r["indicator"] == "孕产妇死亡率")
        .unwrap_or_else(|| panic!("孕产妇死亡率"));
    assert_eq!(mmr["code"], "W-HEA-03");
    assert_eq!(mmr["confidence"], 1.0);
    let unmapped = rows.iter().filter(|r| r["code"].is_null()).count();
    assert!(unmapped > 0 && unmapped < 10, "{unmapped}");
}

#[test]
fn plan_map_table_shows_coverage_and_review_list() {
    let (ok, out, err) = planwatch(&[
        "plan",
        "map",
        "assets/plans/004_f195922d897a1781.txt",
        "--format",
        "table",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("W-HEA-03\t孕产妇死亡率"), "{out}");
    assert!(out.contains("主要目标"), "{out}");
    assert!(out.contains("待审核的本地指标"), "{out}");
}

#[test]
fn indicator_show_prints_the_definition() {
    let (ok, out, err) = planwatch(&["indicator", "show", "C-HEA-02"]);
    assert!(ok, "{err}");
    assert!(out.contains("婴儿死亡率"), "{out}");
    assert!(
        out.contains("一年内未满周岁婴儿死亡数 ÷ 当年活产数 × 1000‰"),
        "{out}"
    );
    assert!(out.contains("妇幼卫生年报"), "{out}");
}

#[test]
fn indicator_show_unknown_code_fails_in_chinese() {
    let (ok, _, err) = planwatch(&["indicator", "show", "X-YYY-99"]);
    assert!(!ok);
    assert!(err.contains("指标目录中没有编码“X-YYY-99”"), "{err}");
}

#[test]
fn indicator_list_filters_by_kind_and_domain() {
    let (ok, out, err) = planwatch(&[
        "indicator",
        "list",
        "--kind",
        "children",
        "--domain",
        "安全",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("C-SAF-01"), "{out}");
    assert!(!out.contains("W-"), "{out}");
    let (ok, _, err) = planwatch(&["indicator", "list", "--kind", "men"]);
    assert!(!ok);
    assert!(err.contains("未知的规划类别"), "{err}");
}
