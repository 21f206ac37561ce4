//! The annual monitoring of one region's indicator system: every target judged against the
//! observations filed under its indicator key, for one report year.
//!
//! The monitoring database files reported data by (region, indicator key); several targets
//! may share a key (one indicator, two target years). This groups the observations once per
//! key and judges each target against its series, so the database path, the dashboard and
//! reports all run exactly the engine the plain-file path runs.

use super::series::{Observation, Series, SeriesError};
use super::target::{Evaluation, TargetSpec, evaluate};
use std::collections::HashMap;

/// A target with the indicator key its reported data is filed under.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyedTarget<'a> {
    pub key: &'a str,
    pub spec: TargetSpec,
}

/// One reported value with the indicator key it is filed under.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyedObservation<'a> {
    pub key: &'a str,
    pub observation: Observation,
}

/// A target's series could not be formed (two values for one year, a value that is not a
/// finite number): the target is not judged, and the reason names the indicator key.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("指标 {key}：{source}")]
pub struct MonitorError {
    pub key: String,
    #[source]
    pub source: SeriesError,
}

/// Judges every target for report year `report_year`; the result is aligned with
/// `targets`. The order of `observations` does not matter.
pub fn monitor(
    targets: &[KeyedTarget<'_>],
    observations: &[KeyedObservation<'_>],
    report_year: i32,
) -> Vec<Result<Evaluation, MonitorError>> {
    let mut by_key: HashMap<&str, Vec<Observation>> = HashMap::new();
    for o in observations {
        by_key.entry(o.key).or_default().push(o.observation);
    }
    let mut series: HashMap<&str, Result<Series<'_>, SeriesError>> = HashMap::new();
    for (key, obs) in by_key.iter_mut() {
        series.insert(key, Series::sorted(obs.as_mut_slice()));
    }
    targets
        .iter()
        .map(|t| match series.get(t.key) {
            None => Ok(evaluate(&Series::default().at(report_year), &t.spec)),
            Some(Ok(s)) => Ok(evaluate(&s.at(report_year), &t.spec)),
            Some(Err(e)) => Err(MonitorError {
                key: t.key.to_string(),
                source: e.clone(),
            }),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::{Status, Warning};
    use crate::plan::Comparator;

    fn spec(c: Comparator, v: f64, year: i32) -> TargetSpec {
        TargetSpec {
            comparator: c,
            value: v,
            year,
            baseline_year: None,
            baseline_value: None,
            binding: false,
        }
    }

    fn obs(key: &str, year: i32, value: f64) -> KeyedObservation<'_> {
        KeyedObservation {
            key,
            observation: Observation::new(year, value),
        }
    }

    #[test]
    fn each_target_is_judged_on_its_own_key() {
        let targets = [
            KeyedTarget {
                key: "A",
                spec: spec(Comparator::Ge, 98.0, 2030),
            },
            KeyedTarget {
                key: "B",
                spec: spec(Comparator::Le, 9.0, 2030),
            },
            KeyedTarget {
                key: "C",
                spec: spec(Comparator::Ge, 1.0, 2030),
            },
        ];
        // Unsorted on purpose: A rises 1 a year from 90 to 96 (2018–2024), B is met.
        let mut o: Vec<_> = (2018..=2024)
            .rev()
            .map(|y| obs("A", y, 90.0 + f64::from(y - 2018)))
            .collect();
        o.push(obs("B", 2024, 8.5));
        o.push(obs("B", 2023, 9.5));
        let r = monitor(&targets, &o, 2024);
        let a = r[0].as_ref().map(|e| e.status);
        assert_eq!(a, Ok(Status::OnTrack));
        let a = r[0].as_ref().ok().and_then(|e| e.projected);
        assert_eq!(a, Some(102.0));
        assert_eq!(r[1].as_ref().map(|e| e.status), Ok(Status::Achieved));
        let c = r[2].as_ref().ok();
        assert_eq!(c.map(|e| e.status), Some(Status::NoData));
        assert!(c.is_some_and(|e| e.warnings.contains(Warning::Missing)));
    }

    #[test]
    fn observations_after_the_report_year_are_ignored() {
        let targets = [KeyedTarget {
            key: "A",
            spec: spec(Comparator::Ge, 95.0, 2030),
        }];
        let o = [
            obs("A", 2020, 90.0),
            obs("A", 2021, 91.0),
            obs("A", 2026, 99.0),
        ];
        let r = monitor(&targets, &o, 2022);
        let e = r[0].as_ref().ok();
        assert_eq!(e.and_then(|e| e.latest).map(|l| l.year), Some(2021));
        assert!(e.is_some_and(|e| e.warnings.contains(Warning::Missing)));
    }

    #[test]
    fn a_duplicate_year_refuses_only_that_key() {
        let targets = [
            KeyedTarget {
                key: "A",
                spec: spec(Comparator::Ge, 95.0, 2030),
            },
            KeyedTarget {
                key: "B",
                spec: spec(Comparator::Ge, 95.0, 2030),
            },
        ];
        let o = [
            obs("A", 2020, 90.0),
            obs("A", 2020, 91.0),
            obs("B", 2020, 96.0),
        ];
        let r = monitor(&targets, &o, 2024);
        assert_eq!(
            r[0].as_ref().err().map(|e| e.to_string()),
            Some("指标 A：2020年有两个观测值".to_string())
        );
        assert_eq!(r[1].as_ref().map(|e| e.status), Ok(Status::Achieved));
    }
}
