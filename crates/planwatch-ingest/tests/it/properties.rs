//! Property tests: arbitrary bytes and arbitrary Unicode never make the reader panic, and
//! what it accepts is well formed. `PROPTEST_CASES` raises the count for a longer fuzzing run.

use proptest::prelude::*;

fn read(name: &str, bytes: &[u8]) {
    if let Ok(source) = planwatch_ingest::decode(name, bytes)
        && let Ok(doc) = planwatch_ingest::extract(&source)
    {
        for p in &doc.plans {
            for t in &p.targets {
                assert!(t.value.is_finite());
                assert!(t.line >= 1 && t.line as usize <= source.lines.len());
            }
        }
    }
}

/// Pieces of plan language, so that random text reaches the deep rules.
const PIECES: &[&str] = &[
    "妇女发展规划",
    "儿童发展纲要",
    "（2021—2030年）",
    "主要目标：",
    "策略措施：",
    "专栏一 主要指标",
    "\t",
    "\n",
    "孕产妇死亡率",
    "控制在",
    "以下",
    "达到",
    "以上",
    "分别",
    "和",
    "、",
    "各",
    "均",
    "12/10万",
    "98%",
    "十万分之九",
    "三分之一",
    "1:3",
    "到2025年",
    "2020年的",
    "左右",
    "—",
    "8.5岁",
    "下降",
    "每年",
    "个百分点",
    "（一）妇女与健康",
    "指标名称",
    "约束性",
    "，",
    "。",
    "①",
    "《",
    "》",
    "“",
    "”",
    "[bookmark: _Toc1]",
    "2.",
    "（三）",
    "——",
];

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        read("x.txt", &bytes);
        read("x.docx", &bytes);
        read("x.html", &bytes);
        read("x.pdf", &bytes);
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,400}") {
        read("x.txt", text.as_bytes());
    }

    #[test]
    fn plan_like_text_never_panics(pieces in proptest::collection::vec(0..PIECES.len(), 0..200)) {
        let text: String = pieces.iter().map(|&i| PIECES[i]).collect();
        read("x.txt", text.as_bytes());
        read("x.html", text.as_bytes());
    }
}
