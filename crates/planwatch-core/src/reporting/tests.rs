use super::*;
use crate::evaluation::{KeyedObservation, KeyedTarget, Observation, Status, Warning, monitor};
use crate::plan::Comparator;

#[allow(clippy::too_many_arguments)]
fn target(
    plan: PlanKind,
    domain: &str,
    indicator: &str,
    unit: &str,
    owner: &str,
    spec: TargetSpec,
    values: &[(i32, f64)],
    year: i32,
) -> TargetInput {
    let obs: Vec<Observation> = values
        .iter()
        .map(|(y, v)| Observation::new(*y, *v))
        .collect();
    let keyed: Vec<KeyedObservation> = obs
        .iter()
        .map(|o| KeyedObservation {
            key: "k",
            observation: *o,
        })
        .collect();
    let evaluation = monitor(&[KeyedTarget { key: "k", spec }], &keyed, year)
        .pop()
        .and_then(Result::ok);
    TargetInput {
        plan,
        domain: domain.to_string(),
        indicator: indicator.to_string(),
        code: None,
        unit: unit.to_string(),
        owners: vec![owner.to_string()],
        spec,
        evaluation,
        series: values
            .iter()
            .map(|(y, v)| Point {
                year: *y,
                value: *v,
            })
            .collect(),
        demo: false,
    }
}

fn spec(comparator: Comparator, value: f64, year: i32) -> TargetSpec {
    TargetSpec {
        comparator,
        value,
        year,
        baseline_year: None,
        baseline_value: None,
        binding: false,
    }
}

fn region(name: &str) -> RegionRef {
    RegionRef {
        name: name.to_string(),
        path: format!("重庆市/{name}"),
        code: Some("500240".to_string()),
    }
}

fn input(kind: ReportKind, year: i32, targets: Vec<TargetInput>) -> ReportInput {
    ReportInput {
        kind,
        year,
        region: region("石柱土家族自治县"),
        parent: Some(RegionRef {
            name: "重庆市".to_string(),
            path: "重庆市".to_string(),
            code: Some("500000".to_string()),
        }),
        plans: vec![
            PlanRef {
                kind: PlanKind::Women,
                title: "石柱土家族自治县妇女发展规划（2021—2030年）".to_string(),
                period: [2021, 2030],
            },
            PlanRef {
                kind: PlanKind::Children,
                title: "石柱土家族自治县儿童发展规划（2021—2030年）".to_string(),
                period: [2021, 2030],
            },
        ],
        targets,
        sub_regions: Vec::new(),
        issued_on: "2026年12月3日".to_string(),
    }
}

fn sample(year: i32) -> Vec<TargetInput> {
    vec![
        target(
            PlanKind::Women,
            "妇女与健康",
            "孕产妇死亡率",
            "1/10万",
            "县卫生健康委",
            spec(Comparator::Le, 9.0, 2030),
            &[(2020, 10.0), (2022, 9.4), (2023, 8.8), (2024, 8.2)],
            year,
        ),
        target(
            PlanKind::Children,
            "儿童与教育",
            "高中阶段毛入学率",
            "%",
            "县教委",
            spec(Comparator::Ge, 95.0, 2030),
            &[
                (2020, 90.0),
                (2021, 89.0),
                (2022, 88.5),
                (2023, 88.0),
                (2024, 87.6),
            ],
            year,
        ),
        target(
            PlanKind::Children,
            "儿童与教育",
            "学前教育毛入园率",
            "%",
            "县教委",
            spec(Comparator::Ge, 90.0, 2030),
            &[],
            year,
        ),
    ]
}

#[test]
fn sentences_say_what_the_figures_say() {
    let report = build(&input(ReportKind::Annual, 2024, sample(2024))).unwrap();
    let mmr = &report.rows[0];
    assert_eq!(
        mmr.sentence,
        "2024年，孕产妇死亡率为8.2/10万，比上年下降0.6个十万分点，已提前实现2030年“9/10万以下”的目标。"
    );
    assert_eq!(mmr.progress, Some(Progress::Early));
    let enrol = &report.rows[1];
    assert!(
        enrol.sentence.contains("比上年下降0.4个百分点"),
        "{}",
        enrol.sentence
    );
    assert_eq!(enrol.status, Some(Status::Regressing));
    assert!(enrol.sentence.contains("出现倒退"));
    assert!(!enrol.sentence.contains("上升"));
    assert_eq!(report.rows[2].status, Some(Status::NoData));
}

#[test]
fn a_value_that_rose_is_never_said_to_fall() {
    let t = target(
        PlanKind::Women,
        "妇女与健康",
        "孕产妇死亡率",
        "1/10万",
        "县卫生健康委",
        spec(Comparator::Le, 9.0, 2030),
        &[(2020, 10.0), (2023, 8.2), (2024, 8.8)],
        2024,
    );
    let report = build(&input(ReportKind::Annual, 2024, vec![t])).unwrap();
    let s = &report.rows[0].sentence;
    assert!(s.contains("比上年上升0.6个十万分点"), "{s}");
    assert!(!s.contains("下降"), "{s}");
}

#[test]
fn the_opening_counts_equal_the_rows() {
    let report = build(&input(ReportKind::Annual, 2024, sample(2024))).unwrap();
    let h = report.headline;
    assert_eq!((h.total, h.with_data, h.achieved), (3, 2, 1));
    assert_eq!(
        h.warned,
        report
            .rows
            .iter()
            .filter(|r| !r.warnings.is_empty())
            .count()
    );
    let Block::Paragraph { text } = &report.blocks[1] else {
        panic!("{:?}", report.blocks[1]);
    };
    assert!(
        text.contains("确定的3项量化目标中，有监测数据的2项中已有1项达标，达标率50.0%"),
        "{text}"
    );
    let headings: Vec<&str> = report
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: 2, text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert!(headings.contains(&"（一）妇女与健康"));
    assert!(headings.contains(&"（二）儿童与教育"));
    let charts = report
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Chart(_)))
        .count();
    assert_eq!(charts, 2);
    // Every warned target is named in the warnings chapter.
    let list: Vec<&String> = report
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::List { items } => Some(items),
            _ => None,
        })
        .flatten()
        .collect();
    for r in report
        .rows
        .iter()
        .filter(|r| r.warnings.contains(&Warning::ProjectedMiss))
    {
        assert!(
            list.iter().any(|i| i.starts_with(&r.indicator)),
            "{}",
            r.indicator
        );
    }
}

#[test]
fn a_region_without_data_gets_a_short_true_report() {
    let report = build(&input(ReportKind::Annual, 2024, Vec::new())).unwrap();
    assert_eq!(report.headline.total, 0);
    assert!(
        report
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Paragraph { text } if text.contains("没有可监测的目标")))
    );
}

#[test]
fn reports_a_region_cannot_have_are_refused_in_chinese() {
    let mut i = input(ReportKind::Final, 2030, sample(2030));
    i.plans.iter_mut().for_each(|p| p.period = [2021, 2025]);
    let err = build(&i).unwrap_err().to_string();
    assert!(err.contains("没有规划期为2030年结束的规划"), "{err}");
    let mut up = input(ReportKind::Upward, 2024, sample(2024));
    up.parent = None;
    assert!(build(&up).unwrap_err().to_string().contains("没有上级地区"));
    assert!(build(&input(ReportKind::Midterm, 2025, sample(2025))).is_ok());
    assert!(build(&input(ReportKind::Midterm, 2026, sample(2026))).is_err());
    assert_eq!(midterm_year([2021, 2030]), 2025);
    assert_eq!(midterm_year([2021, 2025]), 2023);
}

#[test]
fn the_final_evaluation_counts_due_targets() {
    let report = build(&input(ReportKind::Final, 2030, sample(2030))).unwrap();
    let h = report.headline;
    // The 2024 values are more than five years old in 2030: no target has data.
    assert_eq!((h.due, h.due_with_data, h.due_met), (3, 0, 0));
    assert!(report.blocks.iter().any(|b| matches!(b, Block::Paragraph { text } if text.contains("2030年到期的目标3项，有数据的0项中0项达标；另有3项无数据，未计入达标率"))));
}

#[test]
fn a_report_survives_json() {
    let report = build(&input(ReportKind::Annual, 2024, sample(2024))).unwrap();
    let json = serde_json::to_string(&report).unwrap();
    let back: Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
}

proptest::proptest! {
    /// Whatever the values, the change is said in the direction the values moved, by the
    /// amount they moved at the reported precision.
    #[test]
    fn the_change_is_said_as_the_values_moved(
        earlier in proptest::collection::vec(0u32..1000, 1..6),
        previous in 0u32..1000,
        latest in 0u32..1000,
    ) {
        let mut values: Vec<(i32, f64)> = earlier
            .iter()
            .enumerate()
            .map(|(i, v)| (2016 + i as i32, f64::from(*v) / 10.0))
            .collect();
        values.push((2023, f64::from(previous) / 10.0));
        values.push((2024, f64::from(latest) / 10.0));
        let t = target(
            PlanKind::Women,
            "妇女与健康",
            "孕产妇死亡率",
            "1/10万",
            "卫健委",
            spec(Comparator::Le, 9.0, 2030),
            &values,
            2024,
        );
        let report = build(&input(ReportKind::Annual, 2024, vec![t])).unwrap();
        let s = &report.rows[0].sentence;
        let (p, l) = (f64::from(previous) / 10.0, f64::from(latest) / 10.0);
        let amount = super::words::fixed((l - p).abs(), report.rows[0].decimals);
        if l > p {
            let expected = format!("比上年上升{amount}个十万分点");
            proptest::prop_assert!(s.contains(&expected), "{}", s);
        } else if l < p {
            let expected = format!("比上年下降{amount}个十万分点");
            proptest::prop_assert!(s.contains(&expected), "{}", s);
        } else {
            proptest::prop_assert!(s.contains("与上年持平"), "{}", s);
        }
    }
}

#[test]
fn the_report_explains_its_words() {
    let report = build(&input(ReportKind::Annual, 2024, sample(2024))).unwrap();
    let at = report
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { text, .. } if text == "附：名词解释"))
        .expect("appendix");
    let Block::List { items } = &report.blocks[at + 1] else {
        panic!("a list follows");
    };
    for p in Progress::ALL {
        assert!(
            items
                .iter()
                .any(|i| i.starts_with(&format!("{}：", p.label_zh()))),
            "{p:?}"
        );
    }
    for r in &report.rows {
        assert!(
            items
                .iter()
                .any(|i| i.starts_with(&format!("{}：", r.status_zh())))
        );
    }
}

#[test]
fn only_a_made_up_sub_region_is_named_so() {
    let mut i = input(ReportKind::Annual, 2024, sample(2024));
    i.parent = Some(region("重庆市"));
    let sub = |name: &str, generated: bool| SubRegionInput {
        region: region(name),
        level: "县级".to_string(),
        summary: RegionSummary::default(),
        errors: 0,
        demo: true,
        generated,
    };
    i.sub_regions = vec![sub("黔江区", true), sub("丰都县", false)];
    let report = build(&i).unwrap();
    let flags: Vec<bool> = report.sub_regions.iter().map(|s| s.generated).collect();
    assert_eq!(flags, [true, false]);
    let json = serde_json::to_string(&report).unwrap();
    assert!(json.contains("黔江区（演示地区）"), "{json}");
    assert!(
        !json.contains("丰都县（"),
        "demo values alone make no 演示地区"
    );

    // A report published before the mark existed still reads, as not made up.
    let mut line = serde_json::to_value(&report.sub_regions[0]).unwrap();
    line.as_object_mut().unwrap().remove("generated");
    let old: SubRegionLine = serde_json::from_value(line).unwrap();
    assert!(!old.generated);
}
