//! Realistic report inputs, shared by the report tests and the benchmark
//! (`benches/report.rs` includes this file by path).

use planwatch_core::evaluation::{KeyedObservation, KeyedTarget, Observation, TargetSpec, monitor};
use planwatch_core::plan::{Comparator, PlanKind};
use planwatch_core::reporting::{PlanRef, Point, RegionRef, ReportInput, ReportKind, TargetInput};

/// A target of one lead unit and no catalog code, judged on `values` in `year`.
#[allow(clippy::too_many_arguments)]
pub fn target(
    plan: PlanKind,
    domain: &str,
    indicator: &str,
    unit: &str,
    owner: &str,
    spec: TargetSpec,
    values: &[(i32, f64)],
    year: i32,
) -> TargetInput {
    judged(
        plan,
        domain,
        indicator,
        None,
        unit,
        &[owner],
        spec,
        values,
        year,
    )
}

/// A target judged on `values` in `year` by the evaluation itself.
#[allow(clippy::too_many_arguments)]
pub fn judged(
    plan: PlanKind,
    domain: &str,
    indicator: &str,
    code: Option<&str>,
    unit: &str,
    owners: &[&str],
    spec: TargetSpec,
    values: &[(i32, f64)],
    year: i32,
) -> TargetInput {
    let keyed: Vec<KeyedObservation> = values
        .iter()
        .map(|(y, v)| KeyedObservation {
            key: "k",
            observation: Observation::new(*y, *v),
        })
        .collect();
    let evaluation = monitor(&[KeyedTarget { key: "k", spec }], &keyed, year)
        .pop()
        .and_then(Result::ok);
    TargetInput {
        plan,
        domain: domain.to_string(),
        indicator: indicator.to_string(),
        code: code.map(str::to_string),
        unit: unit.to_string(),
        owners: owners.iter().map(|s| s.to_string()).collect(),
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

/// A target of 2030 with its 2020 baseline.
pub fn spec(comparator: Comparator, value: f64, baseline: Option<f64>) -> TargetSpec {
    TargetSpec {
        comparator,
        value,
        year: 2030,
        baseline_year: baseline.map(|_| 2020),
        baseline_value: baseline,
        binding: false,
    }
}

pub fn input(kind: ReportKind, year: i32, targets: Vec<TargetInput>) -> ReportInput {
    ReportInput {
        kind,
        year,
        region: RegionRef {
            name: "石柱土家族自治县".to_string(),
            path: "重庆市/石柱土家族自治县".to_string(),
            code: Some("500240".to_string()),
        },
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

/// Two domains: a target met early, one going backwards (warned), one without data, one
/// on track, and one whose name holds a `<`.
pub fn sample() -> ReportInput {
    let year = 2024;
    input(
        ReportKind::Annual,
        year,
        vec![
            target(
                PlanKind::Women,
                "妇女与健康",
                "孕产妇死亡率",
                "1/10万",
                "县卫生健康委",
                spec(Comparator::Le, 9.0, Some(10.0)),
                &[(2020, 10.0), (2022, 9.4), (2023, 8.8), (2024, 8.2)],
                year,
            ),
            target(
                PlanKind::Women,
                "妇女与健康",
                "低出生体重儿（<2500克）发生率",
                "%",
                "县卫生健康委",
                spec(Comparator::Le, 4.0, Some(4.9)),
                &[
                    (2020, 4.9),
                    (2021, 4.8),
                    (2022, 4.6),
                    (2023, 4.5),
                    (2024, 4.3),
                ],
                year,
            ),
            target(
                PlanKind::Children,
                "儿童与教育",
                "高中阶段毛入学率",
                "%",
                "县教委",
                spec(Comparator::Ge, 95.0, Some(90.0)),
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
                spec(Comparator::Ge, 90.0, None),
                &[],
                year,
            ),
        ],
    )
}

const DOMAINS: [&str; 14] = [
    "妇女与健康",
    "妇女与教育",
    "妇女与经济",
    "妇女参与决策和管理",
    "妇女与社会保障",
    "妇女与家庭建设",
    "妇女与环境",
    "妇女与法律",
    "儿童与健康",
    "儿童与安全",
    "儿童与教育",
    "儿童与福利",
    "儿童与家庭",
    "儿童与环境",
];

/// A county's indicator system: `per_domain` targets in each of 14 domains, values
/// 2020–2024 that rise, fall, stall or are missing.
pub fn county(per_domain: usize) -> ReportInput {
    let year = 2024;
    let mut targets = Vec::new();
    for (d, domain) in DOMAINS.iter().enumerate() {
        let plan = if d < 8 {
            PlanKind::Women
        } else {
            PlanKind::Children
        };
        for i in 0..per_domain {
            let n = d * per_domain + i;
            let base = 50.0 + (n % 40) as f64;
            let slope = match n % 5 {
                0 => 1.5,
                1 => 0.4,
                2 => -0.3,
                3 => 0.0,
                _ => 2.5,
            };
            let values: Vec<(i32, f64)> = if n % 11 == 7 {
                Vec::new()
            } else {
                (2020..=2024)
                    .filter(|y| !(n + *y as usize).is_multiple_of(7))
                    .map(|y| {
                        (
                            y,
                            ((base + slope * f64::from(y - 2020)) * 10.0).round() / 10.0,
                        )
                    })
                    .collect()
            };
            targets.push(target(
                plan,
                domain,
                &format!("{domain}指标{}", i + 1),
                if n.is_multiple_of(3) { "%" } else { "‰" },
                ["县卫生健康委", "县教委", "县民政局", "县人力社保局"][n % 4],
                spec(Comparator::Ge, base + 8.0, Some(base)),
                &values,
                year,
            ));
        }
    }
    input(ReportKind::Annual, year, targets)
}
