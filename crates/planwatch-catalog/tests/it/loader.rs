//! The loader's checks: each failure names the entry (code and name) in Chinese.

use planwatch_catalog::{Better, Catalog, CatalogError};
use planwatch_core::PlanKind;

/// One valid entry; tests change one line of it.
const ENTRY: &str = r#"
[[indicator]]
code = "W-HEA-03"
name = "孕产妇死亡率"
aliases = ["孕产妇死亡比"]
kind = "women"
domain = "健康"
unit = "1/10万"
direction = "down"
definition = "妊娠期至妊娠结束后42天内的死亡"
numerator = "年内孕产妇死亡人数"
denominator = "同年活产数"
disaggregations = ["urban_rural"]
departments = ["卫健委"]
source = "妇幼卫生年报"
"#;

const OTHER: &str = r#"
[[indicator]]
code = "C-HEA-02"
name = "婴儿死亡率"
aliases = []
kind = "children"
domain = "健康"
unit = "‰"
direction = "down"
definition = "一年内未满周岁婴儿死亡"
numerator = "一年内未满周岁婴儿死亡数"
denominator = "当年活产数"
disaggregations = ["sex", "urban_rural"]
departments = ["卫健委"]
source = "妇幼卫生年报"
"#;

fn errors(text: &str) -> Vec<String> {
    match Catalog::parse(text) {
        Ok(_) => panic!("the catalog should not load:\n{text}"),
        Err(CatalogError::Invalid(list)) => list,
        Err(e) => vec![e.to_string()],
    }
}

fn one_error(text: &str) -> String {
    let list = errors(text);
    assert_eq!(list.len(), 1, "{list:#?}");
    list[0].clone()
}

#[test]
fn shipped_catalog_loads() {
    let catalog = Catalog::shipped().unwrap_or_else(|e| panic!("{e}"));
    println!("catalog: {} indicators", catalog.len());
    assert!(catalog.len() >= 250);
    let women = catalog
        .indicators()
        .iter()
        .filter(|i| i.kind == PlanKind::Women)
        .count();
    let children = catalog.len() - women;
    println!("women {women}, children {children}");
    assert!(women >= 100 && children >= 100);
}

#[test]
fn shipped_catalog_rates_say_how_they_are_calculated() {
    let catalog = Catalog::shipped().unwrap_or_else(|e| panic!("{e}"));
    let imr = catalog
        .get("C-HEA-02")
        .unwrap_or_else(|| panic!("C-HEA-02"));
    assert_eq!(imr.name, "婴儿死亡率");
    assert_eq!(
        imr.calculation(),
        "一年内未满周岁婴儿死亡数 ÷ 当年活产数 × 1000‰"
    );
    assert_eq!(imr.direction, Better::Down);
    assert_eq!(imr.domain_label(), "儿童与健康");
    let mmr = catalog
        .get("w-hea-03")
        .unwrap_or_else(|| panic!("W-HEA-03"));
    assert_eq!(mmr.unit, "1/10万");
    assert!(mmr.calculation().ends_with("× 100000（1/10万）"));
}

#[test]
fn a_valid_inline_catalog_loads() {
    let catalog = Catalog::parse(&format!("{ENTRY}{OTHER}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(catalog.len(), 2);
}

#[test]
fn duplicate_code_fails_naming_both() {
    let text = format!(
        "{ENTRY}{}",
        OTHER
            .replace("C-HEA-02", "W-HEA-03")
            .replace("children", "women")
    );
    let e = one_error(&text);
    assert!(
        e.contains("W-HEA-03（婴儿死亡率）") && e.contains("编码") && e.contains("孕产妇死亡率"),
        "{e}"
    );
}

#[test]
fn duplicate_alias_after_normalisation_fails() {
    // 全县孕产妇死亡率（1/10万） normalises to 孕产妇死亡率, which W-HEA-03 already names
    let text = format!(
        "{ENTRY}{}",
        OTHER.replace(
            "aliases = []",
            r#"aliases = ["全县孕产妇死亡率（1/10万）"]"#
        )
    );
    let e = one_error(&text);
    assert!(e.starts_with("指标 C-HEA-02（婴儿死亡率）"), "{e}");
    assert!(e.contains("W-HEA-03（孕产妇死亡率）"), "{e}");
}

#[test]
fn alias_repeating_its_own_name_fails() {
    let text = ENTRY.replace(
        r#"aliases = ["孕产妇死亡比"]"#,
        r#"aliases = ["孕产妇死亡率（1/10万）"]"#,
    );
    let e = one_error(&text);
    assert!(
        e.contains("W-HEA-03（孕产妇死亡率）") && e.contains("本条目"),
        "{e}"
    );
}

#[test]
fn unknown_unit_fails() {
    let e = one_error(&ENTRY.replace(r#"unit = "1/10万""#, r#"unit = "例""#));
    assert!(
        e.starts_with("指标 W-HEA-03（孕产妇死亡率）：未知单位“例”"),
        "{e}"
    );
}

#[test]
fn missing_field_fails() {
    let e = one_error(&ENTRY.replace("source = \"妇幼卫生年报\"\n", ""));
    assert_eq!(e, "指标 W-HEA-03（孕产妇死亡率）：缺少字段 `source`");
    let e = one_error(&ENTRY.replace("name = \"孕产妇死亡率\"\n", ""));
    assert!(e.contains("W-HEA-03") && e.contains("`name`"), "{e}");
}

#[test]
fn rate_without_numerator_and_denominator_fails() {
    let text = ENTRY
        .replace("numerator = \"年内孕产妇死亡人数\"\n", "")
        .replace("denominator = \"同年活产数\"\n", "");
    let e = one_error(&text);
    assert!(
        e.contains("W-HEA-03（孕产妇死亡率）") && e.contains("分子"),
        "{e}"
    );
}

#[test]
fn unknown_domain_and_kind_fail() {
    let e = one_error(&ENTRY.replace(r#"domain = "健康""#, r#"domain = "安全""#));
    assert!(
        e.contains("W-HEA-03（孕产妇死亡率）：未知的发展领域“安全”"),
        "{e}"
    );
    let e = one_error(&ENTRY.replace(r#"kind = "women""#, r#"kind = "men""#));
    assert!(
        e.contains("W-HEA-03（孕产妇死亡率）：未知的规划类别“men”"),
        "{e}"
    );
}

#[test]
fn unknown_department_disaggregation_direction_and_field_fail() {
    let text = ENTRY
        .replace(r#"departments = ["卫健委"]"#, r#"departments = ["卫生局"]"#)
        .replace(r#"["urban_rural"]"#, r#"["region"]"#)
        .replace(r#"direction = "down""#, r#"direction = "lower""#)
        .replace("source =", "sorce = \"x\"\nsource =");
    let list = errors(&text);
    assert_eq!(list.len(), 4, "{list:#?}");
    assert!(
        list.iter()
            .all(|e| e.starts_with("指标 W-HEA-03（孕产妇死亡率）")),
        "{list:#?}"
    );
}

#[test]
fn code_must_match_kind_and_domain() {
    let e = one_error(&ENTRY.replace(r#"code = "W-HEA-03""#, r#"code = "W-EDU-03""#));
    assert!(e.contains("W-HEA-"), "{e}");
}

#[test]
fn syntax_error_is_reported() {
    match Catalog::parse("[[indicator]\ncode = ") {
        Err(CatalogError::Syntax(msg)) => assert!(!msg.is_empty()),
        other => panic!("{other:?}"),
    }
}
