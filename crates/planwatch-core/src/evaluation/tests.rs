//! Hand-computed cases: one per row of the status table, per warning, per edge case the
//! spec names. Figures in comments are worked out by hand.

use super::report::{
    Milestone, SubRegionItem, Verdict, compare_sub_regions, summarize_by_unit, verdict,
};
use super::*;
use crate::plan::{Comparator, Direction};
use proptest::prelude::*;

fn obs(points: &[(i32, f64)]) -> Vec<Observation> {
    points
        .iter()
        .map(|&(y, v)| Observation::new(y, v))
        .collect()
}

fn target(c: Comparator, v: f64, year: i32) -> TargetSpec {
    TargetSpec {
        comparator: c,
        value: v,
        year,
        baseline_year: None,
        baseline_value: None,
        binding: false,
    }
}

fn run(points: &[(i32, f64)], t: &TargetSpec, r: i32) -> Evaluation {
    let mut o = obs(points);
    match Series::sorted(&mut o) {
        Ok(s) => evaluate(&s.at(r), t),
        Err(e) => panic!("bad test series: {e}"),
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

const GE98: fn() -> TargetSpec = || target(Comparator::Ge, 98.0, 2030);

// --- status table, row by row ---

#[test]
fn no_data_without_observations() {
    let e = run(&[], &GE98(), 2024);
    assert_eq!(e.status, Status::NoData);
    assert_eq!(e.latest, None);
    assert_eq!(e.baseline_year, None);
    assert_eq!(e.warnings, Warnings::NONE.with(Warning::Missing));
}

#[test]
fn no_data_when_latest_is_five_years_old_but_baseline_shown() {
    // e = 2019 <= R - 5 = 2019.
    let e = run(&[(2017, 80.0), (2019, 85.0)], &GE98(), 2024);
    assert_eq!(e.status, Status::NoData);
    assert_eq!(
        (e.baseline_year, e.baseline_value),
        (Some(2017), Some(80.0))
    );
    assert_eq!(
        (e.expected, e.progress_ratio, e.projected),
        (None, None, None)
    );
    // e = 2020 > 2019 counts.
    let e = run(&[(2017, 80.0), (2020, 85.0)], &GE98(), 2024);
    assert_ne!(e.status, Status::NoData);
}

#[test]
fn achieved_when_latest_meets() {
    let e = run(&[(2020, 90.0), (2024, 98.0)], &GE98(), 2024);
    assert_eq!(e.status, Status::Achieved);
    assert!(e.warnings.is_empty());
}

#[test]
fn equality_target_is_met_within_tolerance() {
    let t = target(Comparator::Eq, 5.0, 2030);
    assert_eq!(
        run(&[(2024, 5.0 + 1e-10)], &t, 2024).status,
        Status::Achieved
    );
    assert_eq!(run(&[(2024, 5.0 + 1e-8)], &t, 2024).status, Status::NoTrend);
    assert!(met(2000.0 + 1.5e-6, Comparator::Eq, 2000.0));
    assert!(!met(2000.0 + 2.5e-6, Comparator::Eq, 2000.0));
}

#[test]
fn missed_when_target_year_has_come_and_binding_warns() {
    let mut t = target(Comparator::Ge, 95.0, 2025);
    t.binding = true;
    let e = run(&[(2020, 90.0), (2025, 93.0)], &t, 2025);
    assert_eq!(e.status, Status::Missed);
    assert_eq!(e.warnings, Warnings::NONE.with(Warning::BindingMissed));
    t.binding = false;
    assert!(
        run(&[(2020, 90.0), (2025, 93.0)], &t, 2025)
            .warnings
            .is_empty()
    );
}

#[test]
fn missed_when_target_year_passed() {
    // T = 2023 < e = 2024.
    let t = target(Comparator::Ge, 95.0, 2023);
    let e = run(&[(2020, 90.0), (2024, 94.0)], &t, 2024);
    assert_eq!(e.status, Status::Missed);
    assert!(!e.warnings.contains(Warning::ProjectedMiss));
}

#[test]
fn no_trend_with_one_point() {
    let e = run(&[(2024, 90.0)], &GE98(), 2024);
    assert_eq!(e.status, Status::NoTrend);
    assert_eq!(e.points, 1);
    // t0 = e: no baseline for the ratios.
    assert_eq!(
        (e.expected, e.progress_ratio, e.slope, e.projected),
        (None, None, None, None)
    );
    assert_eq!(
        (e.baseline_year, e.baseline_value),
        (Some(2024), Some(90.0))
    );
}

#[test]
fn on_track_when_projection_meets() {
    // slope 1/yr; projected 94 + 6 = 100; expected 90 + 8*4/10 = 93.2; ratio 4/3.2.
    let e = run(&[(2020, 90.0), (2024, 94.0)], &GE98(), 2024);
    assert_eq!(e.status, Status::OnTrack);
    assert!(close(e.slope, 1.0));
    assert!(close(e.projected, 100.0));
    assert!(close(e.expected, 93.2));
    assert!(close(e.progress_ratio, 1.25));
    assert!(e.warnings.is_empty());
}

#[test]
fn needs_acceleration_from_half_the_due_progress() {
    // slope 0.5; projected 95; ratio 2/3.2 = 0.625.
    let e = run(&[(2020, 90.0), (2024, 92.0)], &GE98(), 2024);
    assert_eq!(e.status, Status::NeedsAcceleration);
    assert!(close(e.progress_ratio, 0.625));
    assert!(close(e.projected, 95.0));
    assert_eq!(e.warnings, Warnings::NONE.with(Warning::ProjectedMiss));
}

#[test]
fn off_track_below_half_the_due_progress() {
    // ratio 1/3.2 = 0.3125.
    let e = run(&[(2020, 90.0), (2024, 91.0)], &GE98(), 2024);
    assert_eq!(e.status, Status::OffTrack);
    assert!(close(e.progress_ratio, 0.3125));
    assert!(e.warnings.contains(Warning::ProjectedMiss));
}

#[test]
fn off_track_with_undefined_ratio_and_slope_toward() {
    // "> 10" with y0 = 10: expected = y0, so the ratio is undefined. x - mean(x) is
    // -2,-1,0,1,2; sxy = -20 - 1 + 7 + 14.5 = 0.5; slope 0.05; projected 7.3.
    let t = target(Comparator::Gt, 10.0, 2025);
    let e = run(
        &[
            (2020, 10.0),
            (2021, 1.0),
            (2022, 4.0),
            (2023, 7.0),
            (2024, 7.25),
        ],
        &t,
        2024,
    );
    assert_eq!(e.expected, Some(10.0));
    assert_eq!(e.progress_ratio, None);
    assert!(close(e.slope, 0.05));
    assert!(close(e.projected, 7.3));
    assert_eq!(e.status, Status::OffTrack);
}

#[test]
fn regressing_with_negative_ratio() {
    // ratio -1/3.2; projected 89 - 0.25*6 = 87.5.
    let e = run(&[(2020, 90.0), (2024, 89.0)], &GE98(), 2024);
    assert_eq!(e.status, Status::Regressing);
    assert!(close(e.progress_ratio, -0.3125));
    assert!(close(e.projected, 87.5));
    assert!(e.warnings.contains(Warning::ProjectedMiss));
}

#[test]
fn regressing_with_undefined_ratio_and_flat_or_away_slope() {
    let t = target(Comparator::Gt, 10.0, 2030);
    // Flat.
    let e = run(&[(2020, 10.0), (2024, 10.0)], &t, 2024);
    assert_eq!((e.slope, e.progress_ratio), (Some(0.0), None));
    assert_eq!(e.status, Status::Regressing);
    // Away: slope -0.25.
    let e = run(&[(2020, 10.0), (2022, 8.0), (2024, 9.0)], &t, 2024);
    assert!(close(e.slope, -0.25));
    assert_eq!(e.status, Status::Regressing);
}

// --- named edge cases ---

#[test]
fn baseline_already_met_makes_expected_undefined() {
    // Met at the 2020 baseline (96 >= 95), missed now, moving away.
    let mut t = target(Comparator::Ge, 95.0, 2030);
    t.baseline_year = Some(2020);
    let e = run(&[(2020, 96.0), (2024, 94.0)], &t, 2024);
    assert_eq!((e.expected, e.progress_ratio), (None, None));
    assert!(close(e.projected, 91.0));
    assert_eq!(e.status, Status::Regressing);
}

#[test]
fn baseline_after_latest_value() {
    // t0 = 2025 > e = 2024: no ratios, and the slope has only the point at e.
    let mut t = GE98();
    t.baseline_year = Some(2025);
    t.baseline_value = Some(80.0);
    let e = run(&[(2020, 90.0), (2024, 92.0)], &t, 2024);
    assert_eq!(
        (e.baseline_year, e.baseline_value),
        (Some(2025), Some(80.0))
    );
    assert_eq!((e.expected, e.progress_ratio, e.slope), (None, None, None));
    assert_eq!(e.status, Status::NoTrend);
}

#[test]
fn target_year_equal_to_baseline_year() {
    let mut t = target(Comparator::Ge, 95.0, 2020);
    t.baseline_year = Some(2020);
    let e = run(&[(2020, 90.0), (2024, 93.0)], &t, 2024);
    assert_eq!(e.expected, None);
    assert_eq!(e.status, Status::Missed);
}

#[test]
fn stated_baseline_is_a_point_for_the_slope() {
    // Points (2015,80) (2020,90) (2024,92): slope 498/366; expected 80 + 18*9/15 = 90.8.
    let mut t = GE98();
    t.baseline_year = Some(2015);
    t.baseline_value = Some(80.0);
    let e = run(&[(2020, 90.0), (2024, 92.0)], &t, 2024);
    assert_eq!(e.points, 3);
    assert!(close(e.slope, 498.0 / 366.0));
    assert!(close(e.expected, 90.8));
    assert!(close(e.progress_ratio, 12.0 / 10.8));
    assert_eq!(e.status, Status::OnTrack);
}

#[test]
fn observation_for_the_baseline_year_wins_over_the_stated_value() {
    let mut t = GE98();
    t.baseline_year = Some(2020);
    t.baseline_value = Some(80.0);
    let e = run(&[(2018, 70.0), (2020, 90.0), (2024, 92.0)], &t, 2024);
    assert_eq!(e.baseline_value, Some(90.0));
    // The slope starts at t0: 2018 is left out.
    assert_eq!(e.points, 2);
    assert!(close(e.slope, 0.5));
}

#[test]
fn named_baseline_year_without_any_value() {
    let mut t = GE98();
    t.baseline_year = Some(2015);
    let e = run(&[(2020, 90.0), (2024, 92.0)], &t, 2024);
    assert_eq!((e.baseline_year, e.baseline_value), (Some(2015), None));
    assert_eq!(e.expected, None);
    assert!(close(e.slope, 0.5));
    // Ratio undefined, slope toward the target.
    assert_eq!(e.status, Status::OffTrack);
}

#[test]
fn observations_after_the_report_year_are_ignored() {
    let e = run(&[(2020, 90.0), (2024, 92.0), (2026, 99.0)], &GE98(), 2024);
    assert_eq!(e.latest, Some(Observation::new(2024, 92.0)));
    assert_eq!(e.status, Status::NeedsAcceleration);
}

// --- ties: values equal in decimal arithmetic, a few ulps apart in floating point ---

#[test]
fn met_counts_a_tie_within_the_tolerance() {
    // tol = 1e-9 * max(1, 3) = 3e-9.
    assert!(met(3.0 + 2e-9, Comparator::Le, 3.0));
    assert!(!met(3.0 + 4e-9, Comparator::Le, 3.0));
    assert!(met(3.0 - 2e-9, Comparator::Ge, 3.0));
    assert!(!met(3.0 - 4e-9, Comparator::Ge, 3.0));
    assert!(!met(3.0 + 2e-9, Comparator::Gt, 3.0));
    assert!(met(3.0 + 4e-9, Comparator::Gt, 3.0));
    assert!(!met(3.0 - 2e-9, Comparator::Lt, 3.0));
    assert!(met(3.0 - 4e-9, Comparator::Lt, 3.0));
    // Below |v| = 1 the tolerance stays 1e-9.
    assert!(met(0.5 - 0.9e-9, Comparator::Ge, 0.5));
    assert!(!met(0.5 - 1.1e-9, Comparator::Ge, 0.5));
    assert!(!met(f64::NAN, Comparator::Le, 3.0));
}

#[test]
fn the_specs_projection_of_exactly_three() {
    // The spec's example: 5.37 in 2025, falling 0.474 a year, projects 3.0 for 2030.
    let p = 5.37 + (-0.474) * 5.0;
    assert!(met(p, Comparator::Le, 3.0));
    assert!(!met(p, Comparator::Lt, 3.0));

    // The same fall fitted from 6.318 (2023) and 5.37 (2025): the slope comes out as
    // -0.47399999999999975 and the projection 3.0000000000000013, above 3 by 1.3e-15.
    let le = target(Comparator::Le, 3.0, 2030);
    let e = run(&[(2023, 6.318), (2025, 5.37)], &le, 2025);
    assert!(e.projected.is_some_and(|p| p > 3.0), "{:?}", e.projected);
    assert!(close(e.projected, 3.0));
    assert_eq!(e.status, Status::OnTrack);

    // From 5.844 (2024): slope -0.4740000000000002, projection 2.999999999999999, which a
    // strict "< 3" must not take as met. Expected 5.844 + (3 - 5.844) * 1/6 = 5.37, so
    // the ratio is 1.
    let lt = target(Comparator::Lt, 3.0, 2030);
    let e = run(&[(2024, 5.844), (2025, 5.37)], &lt, 2025);
    assert!(e.projected.is_some_and(|p| p < 3.0), "{:?}", e.projected);
    assert!(close(e.progress_ratio, 1.0));
    assert_eq!(e.status, Status::NeedsAcceleration);
    let e = run(&[(2024, 5.844), (2025, 5.37)], &le, 2025);
    assert_eq!(e.status, Status::OnTrack);
}

#[test]
fn a_ratio_of_exactly_one_half_needs_acceleration() {
    // 80 (2020) -> 83.6 (2024), ">= 98" by 2030: expected 80 + 18 * 4/10 = 87.2, ratio
    // 3.6 / 7.2 = 0.5, which floating point makes 0.499999999999999. Slope 0.9,
    // projected 83.6 + 5.4 = 89.
    let e = run(&[(2020, 80.0), (2024, 83.6)], &GE98(), 2024);
    assert!(close(e.expected, 87.2));
    assert!(e.progress_ratio.is_some_and(|r| r < 0.5), "{e:?}");
    assert!(close(e.progress_ratio, 0.5));
    assert!(close(e.projected, 89.0));
    assert_eq!(e.status, Status::NeedsAcceleration);
    // 90 -> 91.599999968: ratio 1.6 / 3.2 - 1e-8, beyond the tolerance.
    let e = run(&[(2020, 90.0), (2024, 91.599999968)], &GE98(), 2024);
    assert!(close(e.progress_ratio, 0.5 - 1e-8));
    assert_eq!(e.status, Status::OffTrack);
}

#[test]
fn a_ratio_of_zero_is_off_track_and_noise_below_it_too() {
    // 90 -> 90: no progress of the 3.2 due; ratio 0, slope 0.
    let e = run(&[(2020, 90.0), (2024, 90.0)], &GE98(), 2024);
    assert_eq!(e.progress_ratio, Some(0.0));
    assert_eq!(e.status, Status::OffTrack);
    // 90 -> 89.99999999968: ratio -3.2e-10 / 3.2 = -1e-10, within the tolerance of 0.
    let e = run(&[(2020, 90.0), (2024, 89.99999999968)], &GE98(), 2024);
    assert!(e.progress_ratio.is_some_and(|r| r < 0.0), "{e:?}");
    assert!(close(e.progress_ratio, -1e-10));
    assert_eq!(e.status, Status::OffTrack);
    // 90 -> 89.99999968: ratio -1e-7, a fall.
    let e = run(&[(2020, 90.0), (2024, 89.99999968)], &GE98(), 2024);
    assert!(close(e.progress_ratio, -1e-7));
    assert_eq!(e.status, Status::Regressing);
}

#[test]
fn an_evenly_rising_decimal_series_is_not_volatile() {
    // 4.71 + 2.87 a year: every difference is 2.87 in decimals, but floating point gives
    // 2.87, 2.869999999999999, 2.870000000000001, 2.870000000000001 before d_e =
    // 2.8699999999999974: median 2.8700000000000006, MAD 4.4e-16, jump 3.1e-15, seven
    // MADs. The MAD is at most 1e-9 * 16.19, so it counts as 0: 3.1e-15 <= 1.619.
    let t = target(Comparator::Ge, 100.0, 2030);
    let even = [4.71, 7.58, 10.45, 13.32, 16.19, 19.06];
    let e = run(&yearly(2019, &even), &t, 2024);
    assert!(!e.warnings.contains(Warning::Volatile), "{e:?}");
    // A last step of 3.87: jump 1 <= 1.619 (the z-score over the noise MAD would flag it).
    let e = run(
        &yearly(2019, &[4.71, 7.58, 10.45, 13.32, 16.19, 20.06]),
        &t,
        2024,
    );
    assert!(!e.warnings.contains(Warning::Volatile), "{e:?}");
    // A last step of 4.87: jump 2 > 1.619.
    let e = run(
        &yearly(2019, &[4.71, 7.58, 10.45, 13.32, 16.19, 21.06]),
        &t,
        2024,
    );
    assert!(e.warnings.contains(Warning::Volatile), "{e:?}");
}

#[test]
fn expected_is_undefined_when_the_baseline_ties_the_target() {
    // ">= 98" with a stated baseline of 98 - 1e-8 (tol 9.8e-8): met at the baseline.
    let mut t = GE98();
    t.baseline_year = Some(2015);
    t.baseline_value = Some(98.0 - 1e-8);
    let e = run(&[(2020, 97.0), (2024, 96.0)], &t, 2024);
    assert_eq!((e.expected, e.progress_ratio), (None, None));
    assert_eq!(e.status, Status::Regressing);
}

// --- warnings ---

#[test]
fn projected_miss_only_for_targets_still_ahead_of_the_report_year() {
    // R = 2025 without a 2025 value: e = 2024 < T = 2025 = R.
    let t = target(Comparator::Ge, 98.0, 2025);
    let e = run(&[(2020, 90.0), (2024, 91.0)], &t, 2025);
    assert_eq!(e.status, Status::OffTrack);
    assert_eq!(e.warnings, Warnings::NONE.with(Warning::Missing));
}

#[test]
fn missing_when_no_value_for_the_report_year() {
    let e = run(&[(2020, 90.0), (2024, 98.5)], &GE98(), 2025);
    assert_eq!(e.status, Status::Achieved);
    assert_eq!(e.warnings.joined(), "W_MISSING");
}

fn yearly(start: i32, values: &[f64]) -> Vec<(i32, f64)> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| (start + i as i32, v))
        .collect()
}

#[test]
fn volatile_when_mad_is_zero_and_jump_beyond_a_tenth() {
    // Earlier d = 1,1,1,1: median 1, MAD 0. d_e = 6: |6 - 1| = 5 > 0.1 * 14.
    let t = target(Comparator::Ge, 10.0, 2030);
    let e = run(
        &yearly(2019, &[10.0, 11.0, 12.0, 13.0, 14.0, 20.0]),
        &t,
        2024,
    );
    assert!(e.warnings.contains(Warning::Volatile));
    // d_e = 1.3: 0.3 <= 1.4.
    let e = run(
        &yearly(2019, &[10.0, 11.0, 12.0, 13.0, 14.0, 15.3]),
        &t,
        2024,
    );
    assert!(!e.warnings.contains(Warning::Volatile));
}

#[test]
fn volatile_with_median_and_mad() {
    // Earlier d = 1,2,1,2: median 1.5, MAD 0.5, threshold 3.5*1.4826*0.5 = 2.59455.
    let t = target(Comparator::Ge, 10.0, 2030);
    let e = run(
        &yearly(2019, &[10.0, 11.0, 13.0, 14.0, 16.0, 20.1]),
        &t,
        2024,
    );
    assert!(e.warnings.contains(Warning::Volatile)); // |4.1 - 1.5| = 2.6
    let e = run(
        &yearly(2019, &[10.0, 11.0, 13.0, 14.0, 16.0, 20.0]),
        &t,
        2024,
    );
    assert!(!e.warnings.contains(Warning::Volatile)); // |4.0 - 1.5| = 2.5
}

#[test]
fn volatile_needs_three_earlier_differences_and_a_last_one() {
    let t = target(Comparator::Ge, 10.0, 2030);
    // Only two earlier differences.
    let e = run(&yearly(2021, &[10.0, 11.0, 12.0, 50.0]), &t, 2024);
    assert!(!e.warnings.contains(Warning::Volatile));
    // No d_e: 2023 missing.
    let e = run(
        &[
            (2018, 10.0),
            (2019, 11.0),
            (2020, 12.0),
            (2021, 13.0),
            (2022, 14.0),
            (2024, 50.0),
        ],
        &t,
        2024,
    );
    assert!(!e.warnings.contains(Warning::Volatile));
    // Differences across a gap do not exist: 2017->2019 is not one.
    // Earlier d are 1 (2017) and 1 (2020) only: two, no flag.
    let e = run(
        &[
            (2016, 1.0),
            (2017, 2.0),
            (2019, 3.0),
            (2020, 4.0),
            (2021, 30.0),
        ],
        &t,
        2021,
    );
    assert!(!e.warnings.contains(Warning::Volatile));
    // With 2018 observed there are three, and the jump is flagged.
    let e = run(
        &[
            (2016, 1.0),
            (2017, 2.0),
            (2018, 2.5),
            (2019, 3.0),
            (2020, 4.0),
            (2021, 30.0),
        ],
        &t,
        2021,
    );
    assert!(e.warnings.contains(Warning::Volatile));
}

#[test]
fn volatile_never_without_data() {
    let t = target(Comparator::Ge, 10.0, 2030);
    let e = run(
        &yearly(2010, &[10.0, 11.0, 12.0, 13.0, 14.0, 50.0]),
        &t,
        2024,
    );
    assert_eq!(e.status, Status::NoData);
    assert!(!e.warnings.contains(Warning::Volatile));
}

#[test]
fn warnings_join_in_spec_order() {
    let w: Warnings = [Warning::Missing, Warning::ProjectedMiss, Warning::Volatile]
        .into_iter()
        .collect();
    assert_eq!(w.joined(), "W_PROJECTED_MISS;W_VOLATILE;W_MISSING");
}

// --- qualitative targets ---

#[test]
fn direction_targets() {
    let judge = |p: &[(i32, f64)], d: Direction, by: Option<i32>| {
        let mut o = obs(p);
        match Series::sorted(&mut o) {
            Ok(s) => evaluate_direction(&s.at(2024), d, by, None).status,
            Err(e) => panic!("{e}"),
        }
    };
    let up = [(2020, 1.0), (2024, 2.0)];
    assert_eq!(judge(&up, Direction::Up, None), Status::OnTrack);
    assert_eq!(judge(&up, Direction::Down, None), Status::Regressing);
    assert_eq!(judge(&[(2024, 2.0)], Direction::Up, None), Status::NoTrend);
    assert_eq!(judge(&[], Direction::Up, None), Status::NoData);
    // keep: 101 within 2% of 100, 103 not.
    assert_eq!(
        judge(&[(2020, 100.0), (2024, 101.0)], Direction::Keep, None),
        Status::OnTrack
    );
    assert_eq!(
        judge(&[(2020, 100.0), (2024, 103.0)], Direction::Keep, None),
        Status::Regressing
    );
}

// --- evaluations built on the results ---

#[test]
fn milestone_counts_no_data_apart() {
    let due = target(Comparator::Ge, 95.0, 2025);
    let later = GE98();
    let a = run(&[(2020, 90.0), (2025, 96.0)], &due, 2025);
    let b = run(&[(2020, 90.0), (2025, 93.0)], &due, 2025);
    let c = run(&[], &due, 2025);
    let d = run(&[(2020, 90.0), (2025, 93.0)], &later, 2025);
    assert_eq!(verdict(&due, &a, 2025), Some(Verdict::Met));
    assert_eq!(verdict(&later, &d, 2025), None);
    let m = Milestone::new(2025, [(&due, &a), (&due, &b), (&due, &c), (&later, &d)]);
    assert_eq!((m.due, m.met, m.not_met, m.no_data), (4 - 1, 1, 1, 1));
    assert_eq!(m.rate, Some(0.5));
    assert_eq!(m.later.total, 1);
    assert_eq!(m.title_zh(), "中期评估");
    assert_eq!(
        m.sentence_zh(),
        "2025年到期目标3项，有数据的2项中1项达标，达标率50.0%；另有1项无数据，未计入达标率。"
    );
}

#[test]
fn summary_per_unit() {
    let on = run(&[(2020, 90.0), (2024, 94.0)], &GE98(), 2024);
    let reg = run(&[(2020, 90.0), (2024, 89.0)], &GE98(), 2024);
    let ach = run(&[(2024, 99.0)], &GE98(), 2024);
    let s = summarize_by_unit([
        ("卫健委", &on),
        ("教育局", &reg),
        ("卫健委", &ach),
        ("卫健委", &reg),
    ]);
    assert_eq!(s.len(), 2);
    let w = &s
        .iter()
        .find(|u| u.unit == "卫健委")
        .map(|u| (u.targets, u.achieved, u.on_track, u.warned));
    assert_eq!(*w, Some((3, 1, 1, 1)));
}

#[test]
fn sub_regions_ranked_by_comparator() {
    let ge = GE98();
    let le = target(Comparator::Le, 10.0, 2030);
    let a = run(&[(2020, 90.0), (2024, 94.0)], &ge, 2024);
    let b = run(&[(2020, 90.0), (2024, 96.0)], &ge, 2024);
    let c = run(&[], &ge, 2024);
    let d = run(&[(2020, 90.0), (2024, 94.0)], &ge, 2024);
    let x = run(&[(2024, 12.0)], &le, 2024);
    let y = run(&[(2024, 9.0)], &le, 2024);
    let item = |indicator, region, target, evaluation| SubRegionItem {
        indicator,
        region,
        target,
        evaluation,
    };
    let out = compare_sub_regions([
        item("住院分娩率", "甲县", &ge, &a),
        item("住院分娩率", "乙县", &ge, &b),
        item("住院分娩率", "丙县", &ge, &c),
        item("住院分娩率", "丁县", &ge, &d),
        item("孕产妇死亡率", "甲县", &le, &x),
        item("孕产妇死亡率", "乙县", &le, &y),
    ]);
    assert_eq!(out.len(), 2);
    let r: Vec<_> = out[0]
        .ranking
        .iter()
        .map(|r| (r.region.as_str(), r.rank))
        .collect();
    let first = out
        .iter()
        .find(|c| c.indicator == "住院分娩率")
        .map(|c| c.counts.get(Status::OnTrack));
    assert_eq!(first, Some(3));
    let births = out.iter().find(|c| c.indicator == "住院分娩率").map(|c| {
        c.ranking
            .iter()
            .map(|r| (r.region.clone(), r.rank))
            .collect::<Vec<_>>()
    });
    assert_eq!(
        births,
        Some(vec![
            ("乙县".to_string(), Some(1)),
            ("丁县".to_string(), Some(2)),
            ("甲县".to_string(), Some(2)),
            ("丙县".to_string(), None),
        ])
    );
    let deaths = out
        .iter()
        .find(|c| c.indicator == "孕产妇死亡率")
        .map(|c| c.ranking[0].region.clone());
    assert_eq!(deaths.as_deref(), Some("乙县"));
    assert!(!r.is_empty());
}

// --- the sentence ---

#[test]
fn explains_each_status_in_one_sentence() {
    let mut t = target(Comparator::Ge, 98.0, 2030);
    t.baseline_year = Some(2020);
    let e = run(&[(2020, 95.0), (2024, 96.6)], &t, 2024);
    // expected 95 + 3*4/10 = 96.2; slope 0.4; projected 96.6 + 2.4 = 99.
    assert_eq!(e.status, Status::OnTrack);
    assert_eq!(
        explain(&t, &e, 2024, "%", Precision(1)),
        "2024年为96.6%，按序时进度应达到96.2%，预计2030年可达99%，能够实现2030年98%以上的目标"
    );
    let e = run(&[(2020, 95.0), (2024, 96.1)], &t, 2024);
    assert_eq!(e.status, Status::NeedsAcceleration);
    let s = explain(&t, &e, 2024, "%", Precision(1));
    assert!(s.starts_with("2024年为96.1%，按序时进度应达到96.2%"), "{s}");
    assert!(s.ends_with("需加快进度才能实现2030年98%以上的目标"), "{s}");
    let e = run(&[], &t, 2024);
    assert_eq!(
        explain(&t, &e, 2024, "%", Precision(1)),
        "2020—2024年无监测数据，无法判断能否实现2030年98%以上的目标"
    );
    let e = run(&[(2020, 95.0), (2024, 94.0)], &t, 2024);
    assert!(explain(&t, &e, 2024, "%", Precision(1)).contains("较2020年的95%有所下降"));
}

/// Goals read as plans write them (issue 15: "≤ 12 1/10万" was shown for "12/10万以下").
#[test]
fn goals_read_as_plans_write_them() {
    assert_eq!(goal_zh(Comparator::Le, 12.0, "1/10万"), "12/10万以下");
    assert_eq!(goal_zh(Comparator::Ge, 92.0, "%"), "92%以上");
    assert_eq!(goal_zh(Comparator::Ge, 11.3, "年"), "11.3年以上");
    assert_eq!(goal_zh(Comparator::Lt, 5.0, "‰"), "低于5‰");
    assert_eq!(goal_zh(Comparator::Gt, 80.0, "%"), "高于80%");
    assert_eq!(goal_zh(Comparator::Eq, 100.0, "%"), "达到100%");
    assert_eq!(goal_zh(Comparator::Ge, 3.0, ""), "3以上");
}

// --- order independence ---

fn arb_target() -> impl Strategy<Value = TargetSpec> {
    (
        prop_oneof![
            Just(Comparator::Ge),
            Just(Comparator::Le),
            Just(Comparator::Gt),
            Just(Comparator::Lt),
            Just(Comparator::Eq)
        ],
        0.0f64..100.0,
        2018i32..2032,
        proptest::option::of(2012i32..2026),
        proptest::option::of(0.0f64..100.0),
        any::<bool>(),
    )
        .prop_map(
            |(comparator, value, year, baseline_year, baseline_value, binding)| TargetSpec {
                comparator,
                value,
                year,
                baseline_year,
                baseline_value,
                binding,
            },
        )
}

proptest! {
    #[test]
    fn status_never_depends_on_row_order(
        years in proptest::sample::subsequence((2012i32..2027).collect::<Vec<_>>(), 0..15),
        seed_values in proptest::collection::vec(0.0f64..100.0, 15),
        targets in proptest::collection::vec(arb_target(), 1..4),
        shuffle in any::<u64>(),
        r in 2018i32..2031,
    ) {
        let rows: Vec<Observation> = years.iter().zip(&seed_values).map(|(&y, &v)| Observation::new(y, v)).collect();
        let mut shuffled = rows.clone();
        // Fisher-Yates with a xorshift driven by `shuffle`.
        let mut s = shuffle | 1;
        for i in (1..shuffled.len()).rev() {
            s ^= s << 13; s ^= s >> 7; s ^= s << 17;
            shuffled.swap(i, (s % (i as u64 + 1)) as usize);
        }
        let mut a = rows.clone();
        let mut b = shuffled;
        let sa = Series::sorted(&mut a);
        let sb = Series::sorted(&mut b);
        prop_assert!(sa.is_ok() && sb.is_ok());
        if let (Ok(sa), Ok(sb)) = (sa, sb) {
            for t in &targets {
                let ea = evaluate(&sa.at(r), t);
                let eb = evaluate(&sb.at(r), t);
                prop_assert_eq!(ea, eb);
            }
        }
    }
}

/// Issue 15: a 2023 target judged in 2024 read "序时进度应达到91.7%" and "预计2023年88.5%";
/// a due target's sentence says neither.
#[test]
fn a_due_target_is_explained_without_path_or_projection() {
    let t = target(Comparator::Ge, 90.0, 2023);
    let e = run(&[(2020, 80.0), (2021, 83.0), (2022, 85.0)], &t, 2024);
    assert!(e.projected.is_some() && e.expected.is_some());
    let s = explain(&t, &e, 2024, "%", Precision(1));
    assert!(!s.contains("序时进度") && !s.contains("预计"), "{s}");
    assert!(s.starts_with("2022年为85%"), "{s}");
    // Ahead of the report year both are said, at the data's precision.
    let t = target(Comparator::Ge, 90.0, 2026);
    let e = run(&[(2020, 80.0), (2021, 83.0), (2022, 85.0)], &t, 2022);
    let s = explain(&t, &e, 2022, "%", Precision(0));
    assert!(s.contains("按序时进度应达到83%"), "{s}");
}
