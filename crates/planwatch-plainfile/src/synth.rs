//! A deterministic synthetic data set in the plain-file form, at any scale up to the
//! national one (3,200 counties × 150 indicators × 10 years). The same options give the
//! same bytes. Comparators, levels, trends, gaps, baselines and target years vary so that
//! every status and every warning occurs.

use crate::error::PlainFileError;
use crate::write_atomically;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::io::{self, Write};
use std::path::Path;

pub const FIRST_YEAR: i32 = 2015;
pub const LAST_YEAR: i32 = 2024;

#[derive(Debug, Clone, Copy)]
pub struct SynthOptions {
    pub regions: u32,
    pub indicators: u32,
    pub seed: u64,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SynthStats {
    pub observations: usize,
    pub targets: usize,
}

#[derive(Clone, Copy)]
enum Baseline {
    /// The earliest observation.
    None,
    /// Named year with a stated value.
    Stated(i32),
    /// Named year without a stated value.
    YearOnly(i32),
}

struct Indicator {
    comparator: &'static str,
    /// Typical level of the values.
    level: f64,
    /// +1 when higher is better, -1 when lower is better, 0 for `=`.
    better: f64,
    binding: bool,
    baseline: Baseline,
    years: &'static [i32],
    decimals: usize,
}

fn indicator(rng: &mut ChaCha8Rng) -> Indicator {
    let (comparator, better, level) = match rng.random_range(0..100) {
        0..45 => (">=", 1.0, rng.random_range(55.0..95.0)),
        45..80 => ("<=", -1.0, rng.random_range(5.0..60.0)),
        80..88 => (">", 1.0, rng.random_range(20.0..90.0)),
        88..95 => ("<", -1.0, rng.random_range(2.0..30.0)),
        _ => ("=", 0.0, 100.0),
    };
    let baseline = match rng.random_range(0..100) {
        0..50 => Baseline::None,
        50..75 => Baseline::Stated(2020),
        75..85 => Baseline::Stated(2014),
        85..92 => Baseline::YearOnly(2014),
        92..97 => Baseline::Stated(2026),
        _ => Baseline::Stated(2023),
    };
    let years: &'static [i32] = match rng.random_range(0..100) {
        0..85 => &[2030, 2025],
        85..95 => &[2030, 2023],
        95..98 => &[2030],
        _ => &[2025],
    };
    Indicator {
        comparator,
        level,
        better,
        binding: rng.random_bool(0.3),
        baseline,
        years,
        decimals: if rng.random_bool(0.5) { 1 } else { 2 },
    }
}

fn round(x: f64, decimals: usize) -> f64 {
    let f = if decimals == 1 { 10.0 } else { 100.0 };
    (x * f).round() / f
}

/// Writes observations.csv and targets.csv for `opts` to the two writers.
pub fn synth(
    opts: &SynthOptions,
    obs: &mut dyn Write,
    targets: &mut dyn Write,
) -> io::Result<SynthStats> {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let indicators: Vec<Indicator> = (0..opts.indicators).map(|_| indicator(&mut rng)).collect();
    let mut stats = SynthStats::default();
    obs.write_all(b"region,indicator,year,value\n")?;
    targets.write_all(
        b"region,indicator,comparator,value,year,baseline_year,baseline_value,binding\n",
    )?;
    let n_years = (LAST_YEAR - FIRST_YEAR + 1) as usize;
    let mut ys: Vec<Option<f64>> = vec![None; n_years];
    for r in 0..opts.regions {
        let region = format!("地区{:04}", r + 1);
        for (i, ind) in indicators.iter().enumerate() {
            let name = format!("指标{:03}", i + 1);
            let d = ind.decimals;
            let start = ind.level * rng.random_range(0.85..1.15);
            // Per-year change: mostly toward better, sometimes worse.
            let drift = ind.level
                * rng.random_range(-0.01..0.03)
                * if ind.better == 0.0 { 0.0 } else { ind.better };
            let sd = ind.level * rng.random_range(0.002..0.02);
            let mode = rng.random_range(0..1000);
            for (k, y) in ys.iter_mut().enumerate() {
                let t = k as f64;
                let noise =
                    sd * (rng.random::<f64>() + rng.random::<f64>() + rng.random::<f64>() - 1.5);
                let v = if ind.better == 0.0 {
                    100.0 + rng.random_range(-1.5..1.5)
                } else {
                    start + drift * t + noise
                };
                *y = if rng.random_bool(0.08) {
                    None
                } else {
                    Some(round(v.max(0.0), d))
                };
            }
            match mode {
                // No data at all.
                0..10 => ys.iter_mut().for_each(|y| *y = None),
                // Stale: nothing after 2018.
                10..20 => ys[4..].iter_mut().for_each(|y| *y = None),
                // Flat, whole numbers.
                20..40 => {
                    let c = start.round();
                    ys.iter_mut().for_each(|y| *y = Some(c));
                }
                // A jump in the last year.
                40..80 => {
                    let last = n_years - 1;
                    ys[last - 1] =
                        ys[last - 1].or(Some(round(start + drift * (last - 1) as f64, d)));
                    ys[last] = ys[last - 1].map(|p| {
                        round(
                            p + 12.0 * sd.max(0.05) * if rng.random_bool(0.5) { 1.0 } else { -1.0 },
                            d,
                        )
                    });
                }
                _ => {}
            }
            for (k, y) in ys.iter().enumerate() {
                if let Some(v) = y {
                    writeln!(obs, "{region},{name},{},{v:.d$}", FIRST_YEAR + k as i32)?;
                    stats.observations += 1;
                }
            }
            // Targets: the ideal yearly change varies around the actual drift.
            let ideal = ind.level * rng.random_range(0.0..0.03) * ind.better;
            // One stated baseline per series, as a plan states it once per indicator.
            let (by, bv) = match ind.baseline {
                Baseline::None => (String::new(), String::new()),
                Baseline::Stated(b) => {
                    let v =
                        start + drift * (b - FIRST_YEAR) as f64 + sd * rng.random_range(-1.0..1.0);
                    (b.to_string(), format!("{:.1$}", round(v.max(0.0), d), d))
                }
                Baseline::YearOnly(b) => (b.to_string(), String::new()),
            };
            let mut write_target = |year: i32, value: f64| -> io::Result<()> {
                let value = if ind.better == 0.0 {
                    100.0
                } else {
                    round(value.max(0.0), 1)
                };
                let binding = if ind.binding { "true" } else { "false" };
                writeln!(
                    targets,
                    "{region},{name},{},{value},{year},{by},{bv},{binding}",
                    ind.comparator
                )?;
                stats.targets += 1;
                Ok(())
            };
            for &year in ind.years {
                let v = start + ideal * (year - FIRST_YEAR) as f64;
                write_target(year, v)?;
            }
            // Now and then a second target for the same year (ties keep input order).
            if rng.random_bool(0.01) {
                let v = start + 1.5 * ideal * (2030 - FIRST_YEAR) as f64;
                write_target(2030, v)?;
            }
        }
    }
    Ok(stats)
}

/// Writes `observations.csv` and `targets.csv` into `dir` (created if needed).
pub fn synth_to_dir(opts: &SynthOptions, dir: &Path) -> Result<SynthStats, PlainFileError> {
    std::fs::create_dir_all(dir).map_err(|e| PlainFileError::write(dir, e))?;
    let obs_path = dir.join("observations.csv");
    let targets_path = dir.join("targets.csv");
    // Targets are small: collect them in memory, stream the observations.
    let mut tbuf: Vec<u8> = Vec::new();
    let mut stats = SynthStats::default();
    write_atomically(&obs_path, |w| {
        stats = synth(opts, w, &mut tbuf)?;
        Ok(())
    })?;
    write_atomically(&targets_path, |w| w.write_all(&tbuf))?;
    Ok(stats)
}
