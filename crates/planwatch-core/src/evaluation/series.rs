//! One (region, indicator)'s observations, and what they alone decide for a report year.

use super::target::tolerance;
use super::{MAD_SCALE, STALE_AFTER_YEARS, VOLATILE_FLAT_SHARE, VOLATILE_Z};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// An approved value `y_t` for year `t`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub year: i32,
    pub value: f64,
}

impl Observation {
    pub fn new(year: i32, value: f64) -> Observation {
        Observation { year, value }
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum SeriesError {
    #[error("{year}年有两个观测值")]
    DuplicateYear { year: i32 },
    #[error("{year}年的观测值不是有限数值")]
    NotFinite { year: i32 },
    #[error("观测值未按年份排序（{year}年）")]
    Unsorted { year: i32 },
}

/// Observations sorted by year, one per year, all finite. The default is the empty series.
#[derive(Debug, Clone, Copy, Default)]
pub struct Series<'a> {
    obs: &'a [Observation],
}

impl<'a> Series<'a> {
    /// Takes observations already sorted by year (strictly increasing).
    pub fn new(obs: &'a [Observation]) -> Result<Series<'a>, SeriesError> {
        for (i, o) in obs.iter().enumerate() {
            if !o.value.is_finite() {
                return Err(SeriesError::NotFinite { year: o.year });
            }
            if i > 0 {
                let prev = obs[i - 1].year;
                if prev == o.year {
                    return Err(SeriesError::DuplicateYear { year: o.year });
                }
                if prev > o.year {
                    return Err(SeriesError::Unsorted { year: o.year });
                }
            }
        }
        Ok(Series { obs })
    }

    /// Sorts `obs` by year, then checks it as [`Series::new`] does. The result does not
    /// depend on the order of the input.
    pub fn sorted(obs: &'a mut [Observation]) -> Result<Series<'a>, SeriesError> {
        obs.sort_by_key(|o| o.year);
        Series::new(obs)
    }

    pub fn observations(&self) -> &'a [Observation] {
        self.obs
    }

    /// The observation for year `t`.
    pub fn get(&self, year: i32) -> Option<f64> {
        self.obs
            .binary_search_by_key(&year, |o| o.year)
            .ok()
            .map(|i| self.obs[i].value)
    }

    /// Fixes the report year: observations after `R` are ignored from here on.
    pub fn at(&self, report_year: i32) -> SeriesAt<'a> {
        let n = self.obs.partition_point(|o| o.year <= report_year);
        let upto = &self.obs[..n];
        let latest = upto
            .last()
            .copied()
            .filter(|o| o.year > report_year - STALE_AFTER_YEARS);
        let volatile = latest.is_some() && is_volatile(upto);
        let missing = upto.last().map(|o| o.year) != Some(report_year);
        SeriesAt {
            report_year,
            upto,
            latest,
            volatile,
            missing,
        }
    }
}

/// A series seen from report year `R`.
#[derive(Debug, Clone, Copy)]
pub struct SeriesAt<'a> {
    pub report_year: i32,
    /// Observations with `t <= R`.
    pub upto: &'a [Observation],
    /// `(e, y_e)`, or `None` when the series has no data (none, or `e <= R - 5`).
    pub latest: Option<Observation>,
    /// W_VOLATILE holds for the series (never without data).
    pub volatile: bool,
    /// W_MISSING: no observation for `R`.
    pub missing: bool,
}

impl SeriesAt<'_> {
    /// The observation for year `t <= R`.
    pub fn get(&self, year: i32) -> Option<f64> {
        self.upto
            .binary_search_by_key(&year, |o| o.year)
            .ok()
            .map(|i| self.upto[i].value)
    }
}

/// The spec's W_VOLATILE rule over observations sorted by year whose last one is `e`.
fn is_volatile(upto: &[Observation]) -> bool {
    let n = upto.len();
    if n < 2 {
        return false;
    }
    let (prev, last) = (upto[n - 2], upto[n - 1]);
    if prev.year + 1 != last.year {
        return false; // no d_e
    }
    let d_e = last.value - prev.value;
    // Series are short: keep the differences on the stack when they fit.
    let mut stack = [0.0f64; 2 * 30];
    let mut heap;
    let buf: &mut [f64] = if 2 * n <= stack.len() {
        &mut stack[..2 * n]
    } else {
        heap = vec![0.0f64; 2 * n];
        &mut heap
    };
    let (earlier, dev) = buf.split_at_mut(n);
    let mut k = 0;
    for w in upto[..n - 1].windows(2) {
        if w[0].year + 1 == w[1].year {
            earlier[k] = w[1].value - w[0].value;
            k += 1;
        }
    }
    if k < 3 {
        return false;
    }
    let earlier = &mut earlier[..k];
    let med = median(earlier);
    let dev = &mut dev[..k];
    for (d, e) in dev.iter_mut().zip(earlier.iter()) {
        *d = (e - med).abs();
    }
    let mad = median(dev);
    let jump = (d_e - med).abs();
    // An evenly rising series of decimals has differences that differ by rounding alone:
    // a MAD that small is no spread, and the z-score over it would flag any change.
    if mad <= tolerance(prev.value) {
        jump > VOLATILE_FLAT_SHARE * prev.value.abs()
    } else {
        jump > VOLATILE_Z * MAD_SCALE * mad
    }
}

/// The median of a non-empty slice (mean of the two middle values when even).
pub(crate) fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}
