//! A bad file fails with file, line and reason, and writes nothing.

use crate::{dir_with, p, read};
use planwatch_plainfile::evaluate_to_file;

const OBS: &str = "region,indicator,year,value\n甲县,住院分娩率,2020,90\n甲县,住院分娩率,2024,92\n";
const TARGETS: &str = "region,indicator,comparator,value,year,baseline_year,baseline_value,binding\n甲县,住院分娩率,>=,98,2030,,,false\n";

/// Runs with the given files over a status.csv that already exists; returns the error
/// message and checks that the old status.csv was left untouched and no temp file stayed.
fn fails(obs: &str, targets: &str) -> String {
    let d = dir_with(&[
        ("obs.csv", obs),
        ("targets.csv", targets),
        ("status.csv", "old\n"),
    ]);
    let r = evaluate_to_file(
        &p(&d, "obs.csv"),
        &p(&d, "targets.csv"),
        2024,
        &p(&d, "status.csv"),
    );
    assert_eq!(read(&p(&d, "status.csv")), "old\n");
    let files = std::fs::read_dir(d.path()).map(|r| r.count()).unwrap_or(0);
    assert_eq!(files, 3, "a temporary file was left behind");
    match r {
        Ok(_) => panic!("accepted a bad file"),
        Err(e) => e
            .to_string()
            .replace(&d.path().display().to_string(), "DIR"),
    }
}

#[test]
fn good_files_pass() {
    let d = dir_with(&[("obs.csv", OBS), ("targets.csv", TARGETS)]);
    let r = evaluate_to_file(
        &p(&d, "obs.csv"),
        &p(&d, "targets.csv"),
        2024,
        &p(&d, "s.csv"),
    );
    assert!(r.is_ok(), "{r:?}");
}

#[test]
fn missing_column() {
    let e = fails("region,indicator,year\n甲县,住院分娩率,2020\n", TARGETS);
    assert_eq!(
        e,
        "DIR/obs.csv 第1行：缺少列 value（表头应为 region,indicator,year,value）"
    );
}

#[test]
fn non_numeric_value() {
    let obs = format!("{OBS}甲县,住院分娩率,2021,abc\n");
    assert_eq!(
        fails(&obs, TARGETS),
        "DIR/obs.csv 第4行：value 列不是数字：'abc'"
    );
    let obs = format!("{OBS}甲县,住院分娩率,2021,NaN\n");
    assert_eq!(
        fails(&obs, TARGETS),
        "DIR/obs.csv 第4行：value 列不是数字：'NaN'"
    );
    let obs = format!("{OBS}甲县,住院分娩率,二〇二一,1\n");
    assert_eq!(
        fails(&obs, TARGETS),
        "DIR/obs.csv 第4行：year 列不是年份（整数）：'二〇二一'"
    );
    let t = format!("{TARGETS}甲县,住院分娩率,>=,98,2025,2020,九十,false\n");
    assert_eq!(
        fails(OBS, &t),
        "DIR/targets.csv 第3行：baseline_value 列不是数字：'九十'"
    );
}

#[test]
fn unknown_comparator() {
    let t = format!("{TARGETS}甲县,住院分娩率,约,98,2025,,,false\n");
    assert_eq!(
        fails(OBS, &t),
        "DIR/targets.csv 第3行：comparator 列无法识别：'约'（应为 >=、<=、>、<、= 之一）"
    );
}

#[test]
fn duplicate_observation_names_both_lines() {
    let obs = format!("{OBS}乙县,住院分娩率,2024,1\n\n甲县,住院分娩率,2020,91\n");
    assert_eq!(
        fails(&obs, TARGETS),
        "DIR/obs.csv 第6行：（甲县，住院分娩率，2020年）重复，第2行已有该年份的值"
    );
}

#[test]
fn short_line_and_bad_binding() {
    let obs = format!("{OBS}甲县,住院分娩率\n");
    assert_eq!(
        fails(&obs, TARGETS),
        "DIR/obs.csv 第4行：字段数不足：缺少 year 列（本行只有2列）"
    );
    let t = format!("{TARGETS}甲县,住院分娩率,>=,98,2025,,,是\n");
    assert_eq!(
        fails(OBS, &t),
        "DIR/targets.csv 第3行：binding 列应为 true 或 false：'是'"
    );
}

#[test]
fn empty_and_missing_files() {
    assert_eq!(fails("", TARGETS), "DIR/obs.csv 第1行：文件为空，缺少表头");
    let d = dir_with(&[("targets.csv", TARGETS)]);
    let r = evaluate_to_file(
        &p(&d, "none.csv"),
        &p(&d, "targets.csv"),
        2024,
        &p(&d, "s.csv"),
    );
    let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(
        msg.starts_with("无法读取 ") && msg.contains("none.csv"),
        "{msg}"
    );
    assert!(!p(&d, "s.csv").exists());
}
