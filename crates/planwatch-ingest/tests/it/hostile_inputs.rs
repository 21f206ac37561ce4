//! Inputs found by fuzzing that once cost time or output out of proportion to their size.
//! Shared by the tests (`hostile.rs`: output bounded by the input) and the criterion bench
//! (`benches/parse.rs`: time), so both read the same documents.

/// A plan head that makes the body below it a 主要目标 section.
const HEAD: &str = "某某县妇女发展规划（2021—2030年）\n一、妇女与健康\n主要目标：\n";

/// `孕产妇死亡率分别达到 1%、2%…n%以上。`: one clause with `n` values.
pub fn respectively_list(n: usize) -> String {
    let mut s = String::from(HEAD);
    s.push_str("孕产妇死亡率分别达到");
    for k in 1..=n {
        if k > 1 {
            s.push('、');
        }
        s.push_str(&format!("{}%", k % 100));
    }
    s.push_str("以上。\n");
    s
}

/// `n` repetitions of `一` before `、主要目标`, in a plan.
pub fn numeral_run(n: usize) -> String {
    let mut s = String::from(HEAD);
    s.push_str("孕产妇死亡率控制在12/10万以下。\n");
    s.push_str(&"一".repeat(n));
    s.push_str("、主要目标\n");
    s
}

/// `n` repetitions of `十四五`, in a plan's goal line.
pub fn five_year_run(n: usize) -> String {
    let mut s = String::from(HEAD);
    s.push_str("孕产妇死亡率控制在12/10万以下。\n");
    s.push_str(&"十四五".repeat(n));
    s.push_str("末孕产妇死亡率控制在10/10万以下。\n");
    s
}

/// One goal line repeated `n` times without a line break: a long paragraph of targets.
pub fn long_paragraph(n: usize) -> String {
    let mut s = String::from(HEAD);
    for _ in 0..n {
        s.push_str("孕产妇死亡率控制在12/10万以下，婴儿死亡率控制在5‰以下，");
    }
    s.push('\n');
    s
}

/// `n` lines of one character each, and the same line `n` times: many short lines.
pub fn many_lines(n: usize) -> String {
    let mut s = String::from(HEAD);
    for k in 0..n {
        s.push_str(if k % 2 == 0 {
            "一\n"
        } else {
            "孕产妇死亡率达到1%以上。\n"
        });
    }
    s
}

/// `达到1%以上` repeated in one clause (no comma): many values, each with its own verb.
pub fn dense_clause(n: usize) -> String {
    let mut s = String::from(HEAD);
    s.push_str("孕产妇死亡率");
    for _ in 0..n {
        s.push_str("已达到1%以上");
    }
    s.push_str("达到2%以上。\n");
    s
}

/// One sentence of `n` clauses, each with a year and a value: no full stop to end it.
pub fn long_sentence(n: usize) -> String {
    let mut s = String::from(HEAD);
    for _ in 0..n {
        s.push_str("到2025年孕产妇死亡率控制在12/10万以下，");
    }
    s.push_str("。\n");
    s
}

/// `n` table cells (one a line) that look like a header but never make a table.
pub fn table_cells(n: usize) -> String {
    let mut s = String::from(HEAD);
    for _ in 0..n {
        s.push_str("\t指标\n");
    }
    s.push_str("孕产妇死亡率控制在12/10万以下。\n");
    s
}

/// All of them at about `bytes` bytes each, with a name for reports.
pub fn all(bytes: usize) -> Vec<(&'static str, String)> {
    vec![
        ("respectively_list", respectively_list(bytes / 4)),
        ("numeral_run", numeral_run(bytes / 3)),
        ("five_year_run", five_year_run(bytes / 9)),
        ("long_paragraph", long_paragraph(bytes / 90)),
        ("many_lines", many_lines(bytes / 20)),
        ("dense_clause", dense_clause(bytes / 20)),
        ("long_sentence", long_sentence(bytes / 60)),
        ("table_cells", table_cells(bytes / 8)),
    ]
}
