use super::*;
use proptest::prelude::*;

fn sub(unit: &str, year: i32, value: f64) -> Submission<'_> {
    Submission {
        unit,
        year,
        value: Some(value),
        ..Submission::default()
    }
}

fn messages(f: &[Finding]) -> Vec<String> {
    f.iter().map(|f| f.message.clone()).collect()
}

#[test]
fn parses_what_people_type() {
    assert_eq!(parse_value("12.5", "%"), Ok(12.5));
    assert_eq!(parse_value(" 12.5% ", "%"), Ok(12.5));
    assert_eq!(parse_value("１２．５", "%"), Ok(12.5));
    assert_eq!(parse_value("１２．５％", "%"), Ok(12.5));
    assert_eq!(parse_value("8.2", "1/10万"), Ok(8.2));
    assert_eq!(parse_value("8.2/10万", "1/10万"), Ok(8.2));
    assert_eq!(parse_value("1,234", "人"), Ok(1234.0));
    assert_eq!(parse_value("1，234", "人"), Ok(1234.0));
    assert_eq!(parse_value("12,345,678人", "人"), Ok(12_345_678.0));
    assert_eq!(parse_value("-5", "%"), Ok(-5.0));
}

#[test]
fn refuses_what_is_not_a_value() {
    assert_eq!(parse_value("", "%"), Err(ValueError::Empty));
    assert_eq!(parse_value("  %", "%"), Err(ValueError::Empty));
    assert_eq!(
        parse_value("abc", "%"),
        Err(ValueError::NotNumber("abc".into()))
    );
    for t in ["NaN", "inf", "-infinity", "十二", "12..5", "1e", "."] {
        assert!(
            matches!(parse_value(t, "%"), Err(ValueError::NotNumber(_))),
            "{t}"
        );
    }
    assert_eq!(
        parse_value("1e308", "1/10万"),
        Err(ValueError::TooLarge("1e308".into()))
    );
    assert!(matches!(
        parse_value("1e400", "人"),
        Err(ValueError::TooLarge(_))
    ));
    let e = parse_value("12,5", "%").unwrap_err();
    assert_eq!(e, ValueError::DecimalComma("12,5".into()));
    assert!(e.to_string().contains("请用小数点“.”表示小数，如 12.5"));
    // A thousands separator only for counts; in a rate it is ambiguous.
    assert!(matches!(
        parse_value("1,234", "‰"),
        Err(ValueError::DecimalComma(_))
    ));
    assert!(matches!(
        parse_value("12,34", "人"),
        Err(ValueError::DecimalComma(_))
    ));
}

#[test]
fn percent_in_0_to_100_unless_allowed() {
    let f = check(&sub("%", 2024, 250.0));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, Severity::Hard);
    assert_eq!(f[0].field, "value");
    assert_eq!(f[0].message, "百分比应在 0 到 100 之间，收到 250");
    assert_eq!(
        messages(&check(&sub("%", 2024, -5.0))),
        ["百分比应在 0 到 100 之间，收到 -5"]
    );
    // 高中阶段毛入学率 96.5% is fine; a gross rate may exceed 100 when the caller allows it.
    assert!(check(&sub("%", 2024, 96.5)).is_empty());
    assert!(!check(&sub("%", 2024, 103.2)).is_empty());
    let mut s = sub("%", 2024, 103.2);
    s.allowance.max = Some(150.0);
    assert!(check(&s).is_empty());
}

#[test]
fn rates_per_base_and_years_and_counts() {
    // 孕产妇死亡率 8.2/10万; 婴儿死亡率 4.5‰.
    assert!(check(&sub("1/10万", 2024, 8.2)).is_empty());
    assert!(check(&sub("‰", 2024, 4.5)).is_empty());
    assert_eq!(
        messages(&check(&sub("‰", 2024, 1200.0))),
        ["千分率（‰）应在 0 到 1000 之间，收到 1200"]
    );
    assert!(!check(&sub("1/10万", 2024, 100_001.0)).is_empty());
    // 人均预期寿命 79.3 岁; not 790.
    assert!(check(&sub("岁", 2024, 79.3)).is_empty());
    assert!(!check(&sub("岁", 2024, 790.0)).is_empty());
    // 儿童人数 whole and not negative.
    assert!(check(&sub("人", 2024, 152_340.0)).is_empty());
    assert_eq!(
        messages(&check(&sub("人", 2024, 1523.5))),
        ["人数、个数等计数应为整数，收到 1523.5"]
    );
    assert_eq!(
        messages(&check(&sub("所", 2024, -3.0))),
        ["人数、个数等计数不能为负数，收到 -3"]
    );
}

#[test]
fn never_infinite_nor_huge_nor_out_of_years() {
    let f = check(&sub("1/10万", 2024, f64::INFINITY));
    assert_eq!(f[0].severity, Severity::Hard);
    assert!(f[0].message.contains("有限数"), "{f:?}");
    assert!(!check(&sub("元", 2024, 2e12)).is_empty());
    assert!(!check(&sub("%", 2024, f64::NAN)).is_empty());
    for y in [1900, 1999, 2101, 2200] {
        let f = check(&sub("%", y, 50.0));
        assert_eq!(f.len(), 1, "{y}");
        assert_eq!(f[0].field, "year");
        assert!(f[0].message.contains("2000—2100"), "{}", f[0].message);
    }
    assert!(check(&sub("%", 2010, 50.0)).is_empty());
}

#[test]
fn numerator_not_above_denominator() {
    // 孕产妇死亡：2 deaths in 24 390 live births → 8.2/10万.
    let mut s = sub("1/10万", 2024, 8.2);
    s.numerator = Some(2.0);
    s.denominator = Some(24_390.0);
    assert!(check(&s).is_empty());
    s.numerator = Some(24_390.0);
    s.denominator = Some(2.0);
    let f = check(&s);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].field, "numerator");
    assert_eq!(f[0].severity, Severity::Hard);
    assert!(f[0].message.contains("分子（24390）不能大于分母（2）"));
    s.numerator = Some(-1.0);
    assert!(messages(&check(&s))[0].starts_with("分子："));
}

#[test]
fn breakdowns_agree_with_the_total() {
    let sex = |f: f64, m: f64| Breakdown {
        name: "性别".into(),
        groups: vec![("女".into(), f), ("男".into(), m)],
    };
    // 高中阶段毛入学率 96.5: 女 97.1, 男 95.9 → fine; 女 98, 男 97.5 → the total is outside.
    let ok = [sex(97.1, 95.9)];
    let mut s = sub("%", 2024, 96.5);
    s.breakdowns = &ok;
    assert!(check(&s).is_empty());
    let bad = [sex(98.0, 97.5)];
    s.breakdowns = &bad;
    let f = check(&s);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].field, "性别:女");
    assert!(
        f[0].message
            .contains("合计 96.5 应在各性别分组（女、男）的数值 97.5—98 之间")
    );
    // Rounding is tolerated: total 96.5 with groups 96.55 and 97.
    let rounded = [sex(96.55, 97.0)];
    s.breakdowns = &rounded;
    assert!(check(&s).is_empty());
    // Counts: 儿童人数 152340 = 女 73210 + 男 79130.
    let kids = [sex(73_210.0, 79_130.0)];
    let mut c = sub("人", 2024, 152_340.0);
    c.breakdowns = &kids;
    assert!(check(&c).is_empty());
    let off = [sex(73_210.0, 79_000.0)];
    c.breakdowns = &off;
    let f = check(&c);
    assert_eq!(f.len(), 1);
    assert!(
        f[0].message.contains("之和 152210 应等于合计 152340"),
        "{f:?}"
    );
    // A group out of range is named.
    let neg = [sex(-1.0, 79_000.0)];
    c.breakdowns = &neg;
    let f = check(&c);
    assert_eq!(f[0].field, "性别:女");
    assert!(f[0].message.starts_with("性别“女”："));
}

#[test]
fn history_flags_unusual_values_softly() {
    // 孕产妇死亡率 around 9/10万 for four years; 25 is out of the usual range and a +178% jump.
    let history = [(2020, 9.5), (2021, 8.8), (2022, 9.1), (2023, 9.0)];
    let mut s = sub("1/10万", 2024, 8.7);
    s.history = &history;
    assert!(check(&s).is_empty());
    s.value = Some(25.0);
    let f = check(&s);
    assert_eq!(f.len(), 2, "{f:?}");
    assert!(f.iter().all(|f| f.severity == Severity::Soft));
    assert!(
        f[0].message.contains("均值 ± 2 倍标准差"),
        "{}",
        f[0].message
    );
    assert!(
        f[1].message
            .contains("与 2023 年（9）相比变化 +177.8%，超过 ±50%"),
        "{}",
        f[1].message
    );
    assert!(blocks(&f, None));
    assert!(blocks(&f, Some("  ")));
    assert!(!blocks(&f, Some("县医院新增产科，收治外县危重孕产妇")));
    // Fewer than three earlier years: no range rule, only the year-on-year one.
    let short = [(2022, 9.1), (2023, 9.0)];
    s.history = &short;
    s.value = Some(10.0);
    assert!(check(&s).is_empty());
    // A caller's tolerance replaces the default.
    s.allowance.yoy = Some(0.05);
    assert_eq!(check(&s).len(), 1);
    // Later years do not count as history.
    let later = [(2025, 1.0), (2026, 1.0), (2027, 1.0)];
    s.history = &later;
    assert!(check(&s).is_empty());
}

#[test]
fn hard_findings_block_even_when_explained() {
    let f = check(&sub("%", 2024, 250.0));
    assert!(blocks(&f, Some("确实如此")));
    assert!(!blocks(&[], None));
}

#[test]
fn a_required_value_missing() {
    let mut s = sub("%", 2024, 0.0);
    s.value = None;
    assert!(check(&s).is_empty());
    s.required = true;
    let f = check(&s);
    assert_eq!(f[0].severity, Severity::Hard);
    assert_eq!(f[0].message, "缺少 2024 年的数值，本轮必须填报");
}

proptest! {
    #[test]
    fn parse_and_check_never_panic(
        text in "\\PC{0,24}",
        unit in prop::sample::select(vec!["%", "‰", "1/10万", "人", "岁", "小时", "百分点", "", "x"]),
        v in prop::num::f64::ANY,
        n in prop::option::of(prop::num::f64::ANY),
        d in prop::option::of(prop::num::f64::ANY),
        parts in prop::collection::vec(prop::num::f64::ANY, 0..4),
        hist in prop::collection::vec((1990i32..2110, prop::num::f64::ANY), 0..6),
        year in any::<i32>(),
        max in prop::option::of(prop::num::f64::ANY),
        yoy in prop::option::of(prop::num::f64::ANY),
    ) {
        if let Ok(x) = parse_value(&text, unit) {
            prop_assert!(x.is_finite() && x.abs() <= MAX_MAGNITUDE);
        }
        let b = [Breakdown {
            name: "性别".into(),
            groups: parts.iter().map(|p| ("女".to_string(), *p)).collect(),
        }];
        let s = Submission {
            unit,
            year,
            value: Some(v),
            required: true,
            numerator: n,
            denominator: d,
            breakdowns: &b,
            history: &hist,
            allowance: Allowance { max, yoy },
        };
        let f = check(&s);
        let _ = blocks(&f, Some("说明"));
    }
}
