//! Bad input: a clear error that names the file, never a panic.

use planwatch_ingest::{IngestError, decode};

fn error_of(name: &str, bytes: &[u8]) -> IngestError {
    match decode(name, bytes).and_then(|s| planwatch_ingest::extract(&s)) {
        Ok(_) => panic!("{name}: accepted"),
        Err(e) => e,
    }
}

#[test]
fn each_bad_input_has_its_own_message_naming_the_file() {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.txt", Vec::new(), "文件为空"),
        ("blank.txt", b"\n  \r\n\t".to_vec(), "文件为空"),
        (
            "program.txt",
            (0u8..=255).cycle().take(4096).collect(),
            "不是文本文件",
        ),
        (
            "photo.docx",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01".to_vec(),
            "不是有效的 .docx",
        ),
        (
            "cut.docx",
            b"PK\x03\x04\x14\0\x06\0\x08\0\0\0!\0".to_vec(),
            "不是有效的 .docx",
        ),
        (
            "novel.txt",
            "第一章 春天来了，小河里的冰化了，燕子从南方飞回来。"
                .as_bytes()
                .to_vec(),
            "未找到妇女或儿童发展规划",
        ),
        (
            "latin1.txt",
            vec![0xC0, 0xFF, 0xFE, 0x81, 0x30, 0xFF, 0xFF, 0xFF, 0x80, 0x80],
            "无法识别文字编码",
        ),
    ];
    for (name, bytes, message) in cases {
        let err = error_of(name, &bytes);
        let text = err.to_string();
        assert!(text.starts_with(name), "{name}: {text}");
        assert!(text.contains(message), "{name}: {text}");
    }
}

#[test]
fn a_file_far_larger_than_any_plan_is_refused_before_reading() {
    let dir = std::env::temp_dir().join(format!("planwatch-big-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("huge.txt");
    let file = std::fs::File::create(&path).ok();
    assert!(file.is_some_and(|f| f.set_len(50 * 1024 * 1024).is_ok()));
    let err = planwatch_ingest::load(&path).err();
    let _ = std::fs::remove_dir_all(&dir);
    let Some(err) = err else {
        panic!("a 50 MB file was read");
    };
    assert!(matches!(err, IngestError::TooLarge { size, .. } if size == 50 * 1024 * 1024));
    // Sizes as a clerk reads them.
    assert!(
        err.to_string().ends_with("huge.txt: 文件过大（50.0 MB，上限 20 MB）。规划文本通常不到 1 MB：若是含大量图片的 PDF 或 Word，请另存为不含图片的文件后重试"),
        "{err}"
    );
}

#[test]
fn a_plan_title_without_targets_is_not_a_plan() {
    let err = error_of(
        "title.txt",
        "某某县妇女发展规划（2021—2030年）\n一、指导思想\n坚持男女平等基本国策。".as_bytes(),
    );
    assert!(matches!(err, IngestError::NotAPlan { .. }), "{err}");
}
