//! `planwatch plan parse` as a statistics officer runs it: JSON and table output, help, and
//! clear Chinese errors with a non-zero exit code for bad files.

use std::path::PathBuf;
use std::process::Command;

fn planwatch() -> Command {
    Command::new(env!("CARGO_BIN_EXE_planwatch"))
}

fn plan(prefix: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/plans");
    std::fs::read_dir(&dir)
        .ok()
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(prefix) && n.ends_with(".txt"))
        })
        .unwrap_or_else(|| dir.join("missing.txt"))
}

#[test]
fn json_has_the_contract_shape() {
    let out = planwatch()
        .args(["plan", "parse"])
        .arg(plan("000"))
        .args(["--format", "json"])
        .output();
    let out = out.ok().filter(|o| o.status.success());
    let json: serde_json::Value = out
        .and_then(|o| serde_json::from_slice(&o.stdout).ok())
        .unwrap_or_default();
    assert_eq!(json["region"], "连平县");
    assert_eq!(json["level"], "county");
    assert_eq!(json["parents"], serde_json::json!(["广东省", "河源市"]));
    let target = &json["plans"][0]["targets"][0];
    for key in [
        "line",
        "section",
        "domain",
        "indicator",
        "comparator",
        "value",
        "unit",
        "year",
        "text",
    ] {
        assert!(target.get(key).is_some(), "missing {key}: {target}");
    }
    assert_eq!(target["indicator"], "孕产妇死亡率");
    assert_eq!(target["comparator"], "<=");
    assert_eq!(target["unit"], "1/10万");
}

#[test]
fn table_is_chinese_and_lists_owners() {
    let out = planwatch()
        .args(["plan", "parse"])
        .arg(plan("002"))
        .args(["--format", "table"])
        .output();
    let text = out
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        text.contains("行号\t指标\t目标\t年份\t单位\t责任单位\t约束性"),
        "{text}"
    );
    assert!(text.contains("【妇女与健康】"));
    assert!(
        text.contains("孕产妇死亡率\t<8\t2030\t1/10万\t县卫生健康委\t约束性"),
        "{text}"
    );
}

#[test]
fn bad_files_fail_with_the_file_named() {
    let dir = std::env::temp_dir().join(format!("planwatch-cli-bad-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let cases: [(&str, &[u8], &str); 4] = [
        ("empty.txt", b"", "文件为空"),
        (
            "image.docx",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
            "不是有效的 .docx",
        ),
        (
            "binary.txt",
            &[0, 159, 146, 150, 0, 1, 2, 3],
            "不是文本文件",
        ),
        (
            "story.txt",
            "从前有座山，山里有座庙。".as_bytes(),
            "未找到妇女或儿童发展规划",
        ),
    ];
    for (name, bytes, message) in cases {
        let path = dir.join(name);
        assert!(std::fs::write(&path, bytes).is_ok());
        let out = planwatch().args(["plan", "parse"]).arg(&path).output();
        let Ok(out) = out else {
            panic!("planwatch did not run")
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{name}: accepted");
        assert!(
            stderr.contains(name) && stderr.contains(message),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
    }
    let out = planwatch()
        .args(["plan", "parse"])
        .arg(dir.join("does-not-exist.txt"))
        .output();
    assert!(out.is_ok_and(
        |o| !o.status.success() && String::from_utf8_lossy(&o.stderr).contains("无法读取文件")
    ));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_is_there_for_parse() {
    let out = planwatch().args(["plan", "parse", "--help"]).output();
    let text = out
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    assert!(
        text.contains("--format") && text.contains("规划文件"),
        "{text}"
    );
}

/// A damaged PDF (found by fuzzing): one Chinese line naming the file, no backtrace of the
/// parser's caught panic, no English diagnostics of the PDF library.
#[test]
fn a_damaged_pdf_says_so_in_one_chinese_line() {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../planwatch-ingest/tests/data/pdf/fuzz-cmap-panic.pdf");
    let out = planwatch()
        .args(["plan", "parse"])
        .arg(&file)
        .env_remove("RUST_LOG")
        .output();
    let Ok(out) = out else {
        panic!("planwatch did not run");
    };
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].starts_with("错误："), "{stderr}");
    assert!(lines[0].contains("fuzz-cmap-panic.pdf"), "{stderr}");
    assert!(lines[0].contains("不是有效的 PDF 文件"), "{stderr}");
}
