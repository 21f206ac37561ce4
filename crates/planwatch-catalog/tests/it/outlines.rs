//! The national outlines' targets (`catalog/outlines.toml`): every entry names a catalog
//! code in the catalog's unit, and the loader names what is wrong.

use planwatch_catalog::Catalog;
use planwatch_catalog::outlines::{self, OutlineTarget};
use planwatch_core::{Comparator, PlanKind};

fn catalog() -> Catalog {
    Catalog::shipped().unwrap_or_else(|e| panic!("{e}"))
}

fn shipped() -> Vec<OutlineTarget> {
    outlines::shipped(&catalog()).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_outline_target_is_a_catalog_code_in_the_catalogs_unit() {
    let catalog = catalog();
    let targets = shipped();
    assert!(targets.len() >= 25, "{}", targets.len());
    for t in &targets {
        let code = t
            .code
            .as_deref()
            .unwrap_or_else(|| panic!("{} has no catalog code", t.indicator));
        let ind = catalog
            .get(code)
            .unwrap_or_else(|| panic!("{code} ({}) is not in the catalog", t.indicator));
        assert_eq!(t.unit, ind.unit, "{code} ({})", t.indicator);
        assert!(ind.serves(t.outline), "{code} ({})", t.indicator);
        assert!(!ind.retired, "{code}");
        // The outline's name for it is the catalog's name or one the mapper knows.
        assert_eq!(
            catalog.by_name(&t.indicator).map(|i| i.code.as_str()),
            Some(code),
            "{}",
            t.indicator
        );
        // The sentence states the value.
        let v = planwatch_core::evaluation::with_unit(t.value, &t.unit);
        let v = v.trim_end_matches("%").trim_end_matches("‰");
        assert!(t.text.contains(v), "{}: {v} not in {}", t.indicator, t.text);
    }
    // No indicator twice in one outline for one year.
    let mut seen = std::collections::HashSet::new();
    for t in &targets {
        assert!(
            seen.insert((t.outline, t.code.clone(), t.year)),
            "{} twice",
            t.indicator
        );
    }
}

#[test]
fn the_outlines_well_known_targets_are_there() {
    let targets = shipped();
    let find = |code: &str| {
        targets
            .iter()
            .find(|t| t.code.as_deref() == Some(code))
            .unwrap_or_else(|| panic!("{code}"))
    };
    let mmr = find("W-HEA-03");
    assert_eq!(
        (
            mmr.outline,
            mmr.comparator,
            mmr.value,
            mmr.unit.as_str(),
            mmr.year
        ),
        (PlanKind::Women, Comparator::Le, 12.0, "1/10万", 2030)
    );
    let imr = find("C-HEA-02");
    assert_eq!(
        (imr.outline, imr.comparator, imr.value, imr.unit.as_str()),
        (PlanKind::Children, Comparator::Le, 5.0, "‰")
    );
    assert_eq!(find("C-HEA-03").value, 6.0);
    assert_eq!(find("C-HEA-01").value, 3.0);
    let screening = find("W-HEA-04");
    assert_eq!(
        (screening.comparator, screening.value),
        (Comparator::Ge, 70.0)
    );
    let high_school = find("C-EDU-06");
    assert_eq!(
        (high_school.comparator, high_school.value),
        (Comparator::Ge, 92.0)
    );
}

const ONE: &str = r#"
[[target]]
outline = "women"
code = "W-HEA-03"
indicator = "孕产妇死亡率"
comparator = "<="
value = 12
unit = "1/10万"
year = 2030
text = "孕产妇死亡率下降到12/10万以下。"
"#;

fn errors(text: &str) -> Vec<String> {
    match outlines::parse(text, &catalog()) {
        Ok(t) => panic!("should not load: {t:?}"),
        Err(planwatch_catalog::CatalogError::Invalid(list)) => list,
        Err(e) => vec![e.to_string()],
    }
}

#[test]
fn a_wrong_entry_is_named_with_what_is_wrong() {
    assert_eq!(outlines::parse(ONE, &catalog()).map(|t| t.len()), Ok(1));
    let e = errors(&ONE.replace("\"1/10万\"", "\"‰\""));
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(
        e[0].contains("孕产妇死亡率") && e[0].contains("1/10万"),
        "{e:?}"
    );
    let e = errors(&ONE.replace("W-HEA-03", "W-HEA-99"));
    assert!(e[0].contains("W-HEA-99"), "{e:?}");
    let e = errors(&ONE.replace("\"<=\"", "\"≦\""));
    assert!(e[0].contains("比较符"), "{e:?}");
    let e = errors(&ONE.replace("year = 2030\n", ""));
    assert!(e[0].contains("`year`"), "{e:?}");
    let e = errors(&ONE.replace("outline = \"women\"", "outline = \"men\""));
    assert!(e[0].contains("men"), "{e:?}");
    let e = errors(&format!("{ONE}\nvalu = 3\n"));
    assert!(e[0].contains("valu"), "{e:?}");
    // An indicator the catalog lacks is written with an empty code and still loads.
    let t = outlines::parse(&ONE.replace("\"W-HEA-03\"", "\"\""), &catalog())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t[0].code, None);
}
