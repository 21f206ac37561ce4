//! Mapping never panics and keeps confidence in [0, 1], whatever the text.

use planwatch_catalog::Catalog;
use planwatch_catalog::mapping::{
    Query, map, map_compound, map_with_text, normalize, subject_context,
};
use planwatch_core::PlanKind;
use proptest::prelude::*;
use std::sync::LazyLock;

static CATALOG: LazyLock<Option<Catalog>> = LazyLock::new(|| Catalog::shipped().ok());

fn text() -> impl Strategy<Value = String> {
    // CJK from the catalog's vocabulary, digits, brackets, separators and noise
    proptest::string::string_regex(
        "[孕产妇死亡率儿童婴新生5岁以下（）()、和及与%‰0-9.—\\-一二三十两女性比例城镇农村①②《》 ]{0,24}",
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mapping_is_total(s in text(), line in text(), children in any::<bool>()) {
        let Some(c) = CATALOG.as_ref() else { panic!("catalog") };
        let _ = normalize(&s);
        let kind = if children { PlanKind::Children } else { PlanKind::Women };
        let q = Query { indicator: &s, unit: Some("%"), kind, domain: None };
        if let Some(m) = map(c, &q) {
            prop_assert!((0.0..=1.0).contains(&m.confidence));
        }
        if let Some(m) = map_with_text(c, &q, subject_context(&line, &s)) {
            prop_assert!((0.0..=1.0).contains(&m.confidence));
        }
        let _ = map_compound(c, &q);
    }
}
