//! A realistic report: two plans, three domains, three lead units and one target without
//! a unit, an early-met target, a regressing one, one without data, an indicator both
//! plans target, a name that looks like a formula, and two sub-regions.

use crate::report_input::judged;
use planwatch_core::Comparator;
use planwatch_core::PlanKind;
use planwatch_core::evaluation::levels::RegionSummary;
use planwatch_core::evaluation::{TargetSpec, Warning};
use planwatch_core::reporting::{
    RegionRef, Report, ReportInput, ReportKind, SubRegionInput, TargetInput, build,
};

pub fn spec(comparator: Comparator, value: f64, year: i32) -> TargetSpec {
    TargetSpec {
        comparator,
        value,
        year,
        baseline_year: Some(2020),
        baseline_value: None,
        binding: false,
    }
}

pub const YEAR: i32 = 2024;

pub fn targets() -> Vec<TargetInput> {
    let y = YEAR;
    vec![
        judged(
            PlanKind::Women,
            "妇女与健康",
            "孕产妇死亡率",
            Some("W-HEA-03"),
            "1/10万",
            &["县卫生健康委", "县妇联"],
            TargetSpec {
                binding: true,
                ..spec(Comparator::Le, 9.0, 2030)
            },
            &[(2020, 10.0), (2022, 9.4), (2023, 8.8), (2024, 8.2)],
            y,
        ),
        judged(
            PlanKind::Women,
            "妇女与健康",
            "=SUM(A1)",
            None,
            "%",
            &["县卫生健康委"],
            spec(Comparator::Ge, 80.0, 2030),
            &[(2021, 70.0), (2022, 72.5), (2023, 74.0), (2024, 75.5)],
            y,
        ),
        judged(
            PlanKind::Children,
            "儿童与教育",
            "高中阶段毛入学率",
            Some("C-EDU-05"),
            "%",
            &["县教委"],
            spec(Comparator::Ge, 95.0, 2030),
            &[
                (2020, 90.0),
                (2021, 89.0),
                (2022, 88.5),
                (2023, 88.0),
                (2024, 87.6),
            ],
            y,
        ),
        judged(
            PlanKind::Children,
            "儿童与教育",
            "学前教育毛入园率",
            Some("C-EDU-02"),
            "%",
            &["县教委"],
            spec(Comparator::Ge, 90.0, 2030),
            &[],
            y,
        ),
        // One indicator, two plans: its values are one series in SDMX.
        judged(
            PlanKind::Women,
            "妇女与健康",
            "婴儿死亡率",
            Some("C-HEA-02"),
            "‰",
            &["县卫生健康委"],
            spec(Comparator::Le, 5.0, 2030),
            &[(2020, 6.1), (2022, 5.8), (2024, 5.2)],
            y,
        ),
        judged(
            PlanKind::Children,
            "儿童与健康",
            "婴儿死亡率",
            Some("C-HEA-02"),
            "‰",
            &[],
            spec(Comparator::Le, 5.0, 2030),
            &[(2020, 6.1), (2022, 5.8), (2024, 5.2)],
            y,
        ),
    ]
}

pub fn input(targets: Vec<TargetInput>) -> ReportInput {
    let summary = |total: usize, with_data: usize, achieved: usize| {
        let mut s = RegionSummary::default();
        s.counts.total = total;
        s.counts.warned = 1;
        s.counts.by_warning[0] = 1;
        s.with_data = with_data;
        s.achieved = achieved;
        s.rate = (with_data > 0).then(|| achieved as f64 / with_data as f64);
        s.indicators = total;
        s.indicators_reported = with_data;
        s
    };
    ReportInput {
        sub_regions: vec![
            SubRegionInput {
                region: RegionRef {
                    name: "南宾街道".to_string(),
                    path: "重庆市/石柱土家族自治县/南宾街道".to_string(),
                    code: None,
                },
                level: "乡级".to_string(),
                summary: summary(10, 8, 4),
                errors: 0,
                demo: false,
                generated: false,
            },
            SubRegionInput {
                region: RegionRef {
                    name: "西沱镇".to_string(),
                    path: "重庆市/石柱土家族自治县/西沱镇".to_string(),
                    code: None,
                },
                level: "乡级".to_string(),
                summary: summary(10, 0, 0),
                errors: 0,
                demo: true,
                generated: false,
            },
        ],
        ..crate::report_input::input(ReportKind::Annual, YEAR, targets)
    }
}

pub fn report() -> Report {
    build(&input(targets())).unwrap()
}

/// `n` targets over six domains and nine units, for timing.
pub fn big_report(n: usize) -> Report {
    let domains = [
        "妇女与健康",
        "妇女与教育",
        "妇女与经济",
        "儿童与健康",
        "儿童与安全",
        "儿童与教育",
    ];
    let targets = (0..n)
        .map(|i| {
            let base = 50.0 + (i % 17) as f64;
            let values: Vec<(i32, f64)> = (2020..=YEAR)
                .map(|y| (y, base + f64::from(y - 2020) * 0.7 * ((i % 3) as f64 - 0.8)))
                .collect();
            judged(
                if i % 2 == 0 {
                    PlanKind::Women
                } else {
                    PlanKind::Children
                },
                domains[i % domains.len()],
                &format!("指标{i}"),
                Some(&format!("X-TST-{i:03}")),
                "%",
                &[&format!("成员单位{}", i % 9)],
                spec(Comparator::Ge, base + 5.0, 2030),
                &values,
                YEAR,
            )
        })
        .collect();
    build(&input(targets)).unwrap()
}

/// The fixture has what the tests claim it has.
#[test]
fn the_fixture_covers_the_cases() {
    use planwatch_core::evaluation::Status;
    use planwatch_core::reporting::Progress;
    let r = report();
    let progress: Vec<Option<Progress>> = r.rows.iter().map(|r| r.progress).collect();
    assert!(progress.contains(&Some(Progress::Early)));
    assert!(progress.contains(&Some(Progress::NoData)));
    assert!(r.rows.iter().any(|r| r.status == Some(Status::Regressing)));
    assert!(
        r.rows
            .iter()
            .any(|r| r.warnings.contains(&Warning::ProjectedMiss))
    );
    assert_eq!(r.sub_regions.len(), 2);
    assert!(r.demo);
}
