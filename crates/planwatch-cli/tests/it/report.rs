//! `planwatch report`: the reports a region's office forwards, read back as a reader would.

use crate::support::{bin, err, json, ok, run};
use std::io::Read;

fn demo() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("planwatch-data");
    let out = bin()
        .env("PLANWATCH_DATA_DIR", &data)
        .args(["demo", "--load-only"])
        .output()
        .expect("demo");
    ok(&out);
    let db = format!("sqlite://{}", data.join("planwatch.db").display());
    (dir, db)
}

fn document_xml(path: &std::path::Path) -> String {
    let file = std::fs::File::open(path).expect("open docx");
    let mut zip = zip::ZipArchive::new(file).expect("a .docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .expect("document.xml")
        .read_to_string(&mut xml)
        .expect("read");
    xml
}

#[test]
fn the_annual_report_counts_what_the_evaluation_counts() {
    let (dir, db) = demo();
    let region = "石柱土家族自治县";
    let eval = json(&run(&[
        "evaluate", "--region", region, "--year", "2024", "--db", &db, "--format", "json",
    ]));
    let out = dir.path().join("report.json");
    let out = out.to_str().expect("path");
    ok(&run(&[
        "report", "--region", region, "--year", "2024", "--format", "json", "--out", out, "--db",
        &db,
    ]));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).expect("read")).expect("json");
    let by_status = eval["counts"]["by_status"].as_object().expect("counts");
    let achieved = by_status["achieved"].as_u64().expect("n");
    let no_data = by_status["no_data"].as_u64().expect("n");
    let total = eval["counts"]["total"].as_u64().expect("n");
    let h = &report["headline"];
    assert_eq!(h["achieved"].as_u64(), Some(achieved));
    assert_eq!(h["with_data"].as_u64(), Some(total - no_data));
    assert_eq!(h["warned"], eval["counts"]["warned"]);
    assert_eq!(
        report["rows"].as_array().map(Vec::len),
        Some(total as usize)
    );

    // The Word report says the same in its opening, with a heading per domain.
    let docx = dir.path().join("annual.docx");
    let stdout = ok(&run(&[
        "report",
        "--region",
        region,
        "--year",
        "2024",
        "--kind",
        "annual",
        "--format",
        "docx",
        "--out",
        docx.to_str().expect("path"),
        "--db",
        &db,
    ]));
    assert!(stdout.contains("2024年度监测报告"), "{stdout}");
    let xml = document_xml(&docx);
    let rate = format!(
        "达标率{:.1}%",
        achieved as f64 / (total - no_data) as f64 * 100.0
    );
    assert!(xml.contains(&rate), "{rate}");
    let rows = report["rows"].as_array().expect("rows");
    for row in rows {
        let domain = row["domain"].as_str().expect("domain");
        assert!(xml.contains(domain), "{domain}");
    }
    for row in rows
        .iter()
        .filter(|r| r["warnings"].as_array().is_some_and(|w| !w.is_empty()))
    {
        let name = row["indicator"].as_str().expect("name");
        assert!(xml.contains(name), "warned {name} is named");
    }
}

#[test]
fn a_year_without_data_gives_a_short_true_report_and_impossible_kinds_are_refused() {
    let (dir, db) = demo();
    let out = dir.path().join("early.json");
    ok(&run(&[
        "report",
        "--region",
        "连平县",
        "--year",
        "2005",
        "--format",
        "json",
        "--out",
        out.to_str().expect("path"),
        "--db",
        &db,
    ]));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("read")).expect("json");
    assert_eq!(report["headline"]["with_data"], 0);
    assert!(
        report.to_string().contains("均没有监测数据"),
        "the report says there are no data"
    );

    // 丽水市's plans run 2021–2025: no final evaluation in 2030.
    let e = err(&run(&[
        "report",
        "--region",
        "丽水市",
        "--year",
        "2030",
        "--kind",
        "final",
        "--db",
        &db,
    ]));
    assert!(e.contains("没有规划期为2030年结束的规划"), "{e}");
    // A province reports to the national committee, with its counties.
    let up = dir.path().join("up.json");
    ok(&run(&[
        "report",
        "--region",
        "重庆市",
        "--year",
        "2024",
        "--kind",
        "upward",
        "--format",
        "json",
        "--out",
        up.to_str().expect("path"),
        "--db",
        &db,
    ]));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&up).expect("read")).expect("json");
    assert!(
        report["subtitle"]
            .as_str()
            .is_some_and(|s| s.starts_with("报送国务院妇女儿童工作委员会")),
        "{}",
        report["subtitle"]
    );
    let subs = report["sub_regions"].as_array().expect("sub-regions");
    assert!(
        subs.iter()
            .any(|s| s["region"]["name"] == "石柱土家族自治县"),
        "{subs:?}"
    );
}
