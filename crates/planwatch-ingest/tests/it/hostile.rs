//! Inputs that once cost time or output far out of proportion to their size (found by
//! fuzzing): the output stays bounded by the input. Time goals are in `benches/parse.rs`.

use super::hostile_inputs;
use planwatch_core::PlanDocument;

fn read(text: &str) -> Option<PlanDocument> {
    planwatch_ingest::decode("hostile.txt", text.as_bytes())
        .and_then(|s| planwatch_ingest::extract(&s))
        .ok()
}

/// Bytes of everything the reading produced that grows with the input.
fn output_bytes(doc: &PlanDocument) -> usize {
    doc.plans
        .iter()
        .map(|p| {
            p.targets
                .iter()
                .map(|t| t.text.len() + t.indicator.len() + 64)
                .sum::<usize>()
                + p.qualitative
                    .iter()
                    .map(|t| t.text.len() + t.indicator.len() + 64)
                    .sum::<usize>()
                + p.baselines
                    .iter()
                    .map(|t| t.text.len() + t.indicator.len() + 64)
                    .sum::<usize>()
        })
        .sum()
}

#[test]
fn output_is_bounded_by_the_input() {
    for (name, text) in hostile_inputs::all(60_000) {
        let Some(doc) = read(&text) else { continue };
        let out = output_bytes(&doc);
        // Each target costs at least a few input bytes and quotes at most ~100 chars.
        assert!(
            out <= 12 * text.len(),
            "{name}: {} input bytes gave {out} output bytes",
            text.len()
        );
        for p in &doc.plans {
            for t in &p.targets {
                assert!(t.text.chars().count() <= 120, "{name}: {}", t.text);
            }
        }
    }
}

#[test]
fn a_list_of_sixteen_thousand_values_quotes_each_target_briefly() {
    let text = hostile_inputs::respectively_list(16_000);
    let doc = read(&text);
    let Some(doc) = doc else { return };
    let targets: Vec<_> = doc.plans.iter().flat_map(|p| &p.targets).collect();
    assert!(targets.len() <= 16_000);
    let text_bytes: usize = targets.iter().map(|t| t.text.len()).sum();
    assert!(text_bytes < 2 * 1024 * 1024, "{text_bytes} bytes of quotes");
    // The first targets are still read, with the indicator they name.
    assert!(
        targets
            .first()
            .is_some_and(|t| t.indicator == "孕产妇死亡率")
    );
}

#[test]
fn a_long_clause_quotes_its_head_and_the_value() {
    let mut text = String::from("某某县妇女发展规划（2021—2030年）\n一、妇女与健康\n主要目标：\n");
    text.push_str("孕产妇死亡率分别达到");
    for k in 1..=40 {
        text.push_str(&format!("{k}%、"));
    }
    text.push_str("41%以上。\n");
    let doc = read(&text);
    let t = doc
        .iter()
        .flat_map(|d| &d.plans)
        .flat_map(|p| &p.targets)
        .find(|t| t.value == 30.0);
    let Some(t) = t else {
        panic!("no target of 30 %");
    };
    assert!(t.text.starts_with("孕产妇死亡率分别达到"), "{}", t.text);
    assert!(
        t.text.contains('…') && t.text.ends_with("30%"),
        "{}",
        t.text
    );
}

#[test]
fn one_invalid_byte_in_a_real_plan_is_replaced_and_named() {
    let path = super::plan_path("000");
    let Ok(mut bytes) = std::fs::read(&path) else {
        panic!("{}", path.display());
    };
    // A byte in the middle of a Chinese character, about half way through the file.
    let mut at = bytes.len() / 2;
    while bytes[at] & 0xC0 != 0x80 {
        at += 1;
    }
    bytes[at] = 0xFF;
    let source = planwatch_ingest::decode("000.txt", &bytes);
    let Ok(source) = source else {
        panic!("refused: {:?}", source.err());
    };
    assert_eq!(source.warnings.len(), 1, "{:?}", source.warnings);
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    assert!(
        source.warnings[0].contains(&format!("第 {line} 行")),
        "{:?}",
        source.warnings
    );
    assert!(planwatch_ingest::extract(&source).is_ok());
}
