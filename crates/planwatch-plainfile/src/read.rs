//! Reading `observations.csv` and `targets.csv` without allocating per field: one
//! reused `ByteRecord` per file, region and indicator names interned once, values parsed
//! straight from the record's bytes.

use crate::error::PlainFileError;
use planwatch_core::Comparator;
use planwatch_core::evaluation::{Observation, TargetSpec};
use rayon::prelude::*;
use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

pub const OBSERVATION_COLUMNS: [&str; 4] = ["region", "indicator", "year", "value"];
pub const TARGET_COLUMNS: [&str; 8] = [
    "region",
    "indicator",
    "comparator",
    "value",
    "year",
    "baseline_year",
    "baseline_value",
    "binding",
];

/// Region and indicator names, each stored once, and the (region, indicator) series.
#[derive(Default)]
pub struct Keys {
    pub regions: Vec<Box<[u8]>>,
    pub indicators: Vec<Box<[u8]>>,
    /// Series id -> (region id, indicator id).
    pub series: Vec<(u32, u32)>,
    region_ids: HashMap<Box<[u8]>, u32>,
    indicator_ids: HashMap<Box<[u8]>, u32>,
    series_ids: HashMap<(u32, u32), u32>,
    last: Option<(u32, u32, u32)>,
}

impl Keys {
    fn intern(map: &mut HashMap<Box<[u8]>, u32>, names: &mut Vec<Box<[u8]>>, name: &[u8]) -> u32 {
        if let Some(&id) = map.get(name) {
            return id;
        }
        let id = names.len() as u32;
        names.push(name.into());
        map.insert(name.into(), id);
        id
    }

    /// The series id of (region, indicator), new or known. Rows of one series usually
    /// follow each other: the last key is checked first.
    pub fn series_id(&mut self, region: &[u8], indicator: &[u8]) -> u32 {
        if let Some((r, i, s)) = self.last
            && *self.regions[r as usize] == *region
            && *self.indicators[i as usize] == *indicator
        {
            return s;
        }
        let r = Self::intern(&mut self.region_ids, &mut self.regions, region);
        let i = Self::intern(&mut self.indicator_ids, &mut self.indicators, indicator);
        let next = self.series.len() as u32;
        let s = *self.series_ids.entry((r, i)).or_insert(next);
        if s == next {
            self.series.push((r, i));
        }
        self.last = Some((r, i, s));
        s
    }

    /// The series id of (region, indicator) if it is known.
    pub fn find(&self, region: &[u8], indicator: &[u8]) -> Option<u32> {
        let r = *self.region_ids.get(region)?;
        let i = *self.indicator_ids.get(indicator)?;
        self.series_ids.get(&(r, i)).copied()
    }

    pub fn region(&self, series: u32) -> &[u8] {
        &self.regions[self.series[series as usize].0 as usize]
    }

    pub fn indicator(&self, series: u32) -> &[u8] {
        &self.indicators[self.series[series as usize].1 as usize]
    }
}

/// Observations grouped by series, each group sorted by year.
pub struct Observations {
    pub keys: Keys,
    /// All observations, series after series.
    pub values: Vec<Observation>,
    /// Series `s` owns `values[offsets[s]..offsets[s + 1]]`.
    pub offsets: Vec<usize>,
}

impl Observations {
    pub fn series(&self, s: u32) -> &[Observation] {
        let s = s as usize;
        &self.values[self.offsets[s]..self.offsets[s + 1]]
    }
}

/// One row of targets.csv.
#[derive(Debug, Clone, Copy)]
pub struct TargetRow {
    pub series: u32,
    pub spec: TargetSpec,
}

pub struct Targets {
    pub keys: Keys,
    /// In input order.
    pub rows: Vec<TargetRow>,
}

fn open(path: &Path) -> Result<csv::Reader<BufReader<File>>, PlainFileError> {
    let f = File::open(path).map_err(|e| PlainFileError::read(path, e))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(1 << 20)
        .from_reader(BufReader::with_capacity(1 << 20, f)))
}

fn csv_error(path: &Path, e: csv::Error) -> PlainFileError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    match e.into_kind() {
        csv::ErrorKind::Io(io) => PlainFileError::read(path, io),
        other => PlainFileError::line(path, line, format!("CSV 格式错误：{other:?}")),
    }
}

/// Reads the header and finds each wanted column.
fn header<const N: usize>(
    path: &Path,
    rdr: &mut csv::Reader<BufReader<File>>,
    rec: &mut csv::ByteRecord,
    wanted: [&str; N],
) -> Result<[usize; N], PlainFileError> {
    if !rdr.read_byte_record(rec).map_err(|e| csv_error(path, e))? {
        return Err(PlainFileError::line(path, 1, "文件为空，缺少表头"));
    }
    let names: Vec<&[u8]> = rec
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let f = if i == 0 {
                f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
            } else {
                f
            };
            f.trim_ascii()
        })
        .collect();
    let mut idx = [0usize; N];
    for (k, w) in wanted.iter().enumerate() {
        match names.iter().position(|n| *n == w.as_bytes()) {
            Some(p) => idx[k] = p,
            None => {
                return Err(PlainFileError::line(
                    path,
                    1,
                    format!("缺少列 {w}（表头应为 {}）", wanted.join(",")),
                ));
            }
        }
    }
    Ok(idx)
}

/// Field access with file and line for the messages.
struct Row<'a> {
    path: &'a Path,
    line: u64,
    rec: &'a csv::ByteRecord,
}

impl<'a> Row<'a> {
    fn field(&self, i: usize, name: &str) -> Result<&'a [u8], PlainFileError> {
        self.rec.get(i).ok_or_else(|| {
            PlainFileError::line(
                self.path,
                self.line,
                format!("字段数不足：缺少 {name} 列（本行只有{}列）", self.rec.len()),
            )
        })
    }

    fn text(&self, i: usize, name: &str) -> Result<&'a [u8], PlainFileError> {
        Ok(self.field(i, name)?.trim_ascii())
    }

    fn bad(&self, name: &str, what: &str, raw: &[u8]) -> PlainFileError {
        PlainFileError::line(
            self.path,
            self.line,
            format!("{name} 列不是{what}：'{}'", String::from_utf8_lossy(raw)),
        )
    }

    fn number(&self, i: usize, name: &str) -> Result<f64, PlainFileError> {
        let raw = self.text(i, name)?;
        parse_f64(raw).ok_or_else(|| self.bad(name, "数字", raw))
    }

    fn year(&self, i: usize, name: &str) -> Result<i32, PlainFileError> {
        let raw = self.text(i, name)?;
        parse_year(raw).ok_or_else(|| self.bad(name, "年份（整数）", raw))
    }

    fn opt_number(&self, i: usize, name: &str) -> Result<Option<f64>, PlainFileError> {
        let raw = self.text(i, name)?;
        if raw.is_empty() {
            return Ok(None);
        }
        parse_f64(raw)
            .map(Some)
            .ok_or_else(|| self.bad(name, "数字", raw))
    }

    fn opt_year(&self, i: usize, name: &str) -> Result<Option<i32>, PlainFileError> {
        let raw = self.text(i, name)?;
        if raw.is_empty() {
            return Ok(None);
        }
        parse_year(raw)
            .map(Some)
            .ok_or_else(|| self.bad(name, "年份（整数）", raw))
    }
}

/// A finite decimal number.
pub fn parse_f64(raw: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(raw).ok()?;
    // Rust also accepts "inf" and "NaN": neither is a value a bureau reports.
    s.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// A year between 1 and 9999.
pub fn parse_year(raw: &[u8]) -> Option<i32> {
    if raw.is_empty() || raw.len() > 4 || !raw.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let y = raw.iter().fold(0i32, |a, &d| a * 10 + i32::from(d - b'0'));
    (y > 0).then_some(y)
}

struct RawObs {
    series: u32,
    obs: Observation,
}

/// Reads observations.csv, groups it by series and sorts each series by year. A
/// duplicate (region, indicator, year) is refused with both lines.
pub fn read_observations(path: &Path) -> Result<Observations, PlainFileError> {
    let mut rdr = open(path)?;
    let mut rec = csv::ByteRecord::new();
    let [ci_region, ci_indicator, ci_year, ci_value] =
        header(path, &mut rdr, &mut rec, OBSERVATION_COLUMNS)?;
    let mut keys = Keys::default();
    let mut raw: Vec<RawObs> = Vec::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, e)),
        }
        let row = Row {
            path,
            line: rec.position().map(|p| p.line()).unwrap_or(0),
            rec: &rec,
        };
        let region = row.text(ci_region, "region")?;
        let indicator = row.text(ci_indicator, "indicator")?;
        let year = row.year(ci_year, "year")?;
        let value = row.number(ci_value, "value")?;
        let series = keys.series_id(region, indicator);
        raw.push(RawObs {
            series,
            obs: Observation { year, value },
        });
    }
    // Counting sort by series: stable, one pass to count, one to place.
    let n_series = keys.series.len();
    let mut offsets = vec![0usize; n_series + 1];
    for r in &raw {
        offsets[r.series as usize + 1] += 1;
    }
    for s in 0..n_series {
        offsets[s + 1] += offsets[s];
    }
    let mut cursor = offsets.clone();
    let mut values = vec![
        Observation {
            year: 0,
            value: 0.0
        };
        raw.len()
    ];
    for r in &raw {
        let c = &mut cursor[r.series as usize];
        values[*c] = r.obs;
        *c += 1;
    }
    drop(raw);
    // Sort each series by year and look for duplicate years, both cores at once.
    let mut slices: Vec<&mut [Observation]> = Vec::with_capacity(n_series);
    let mut rest: &mut [Observation] = &mut values;
    for s in 0..n_series {
        let (head, tail) = rest.split_at_mut(offsets[s + 1] - offsets[s]);
        slices.push(head);
        rest = tail;
    }
    let dup = slices
        .par_iter_mut()
        .enumerate()
        .filter_map(|(s, v)| {
            v.sort_by_key(|o| o.year);
            v.windows(2)
                .find(|w| w[0].year == w[1].year)
                .map(|w| (s as u32, w[0].year))
        })
        .min();
    drop(slices);
    if let Some((s, year)) = dup {
        return Err(duplicate_error(path, &keys, s, year));
    }
    Ok(Observations {
        keys,
        values,
        offsets,
    })
}

/// Finds the lines of a duplicate observation (the error path may read the file again).
fn duplicate_error(path: &Path, keys: &Keys, s: u32, year: i32) -> PlainFileError {
    let region = keys.region(s);
    let indicator = keys.indicator(s);
    let mut lines = Vec::new();
    if let Ok(mut rdr) = open(path) {
        let mut rec = csv::ByteRecord::new();
        if let Ok([cr, ci, cy, _]) = header(path, &mut rdr, &mut rec, OBSERVATION_COLUMNS) {
            while let Ok(true) = rdr.read_byte_record(&mut rec) {
                let f = |i| rec.get(i).map(<[u8]>::trim_ascii);
                if f(cr) == Some(region)
                    && f(ci) == Some(indicator)
                    && f(cy).and_then(parse_year) == Some(year)
                {
                    lines.push(rec.position().map(|p| p.line()).unwrap_or(0));
                    if lines.len() == 2 {
                        break;
                    }
                }
            }
        }
    }
    let (first, second) = match lines[..] {
        [a, b, ..] => (a, b),
        [a] => (a, a),
        [] => (0, 0),
    };
    PlainFileError::line(
        path,
        second,
        format!(
            "（{}，{}，{}年）重复，第{}行已有该年份的值",
            String::from_utf8_lossy(region),
            String::from_utf8_lossy(indicator),
            year,
            first
        ),
    )
}

/// Reads targets.csv in input order.
pub fn read_targets(path: &Path) -> Result<Targets, PlainFileError> {
    let mut rdr = open(path)?;
    let mut rec = csv::ByteRecord::new();
    let [cr, ci, cc, cv, cy, cby, cbv, cb] = header(path, &mut rdr, &mut rec, TARGET_COLUMNS)?;
    let mut keys = Keys::default();
    let mut rows = Vec::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(path, e)),
        }
        let row = Row {
            path,
            line: rec.position().map(|p| p.line()).unwrap_or(0),
            rec: &rec,
        };
        let region = row.text(cr, "region")?;
        let indicator = row.text(ci, "indicator")?;
        let raw_c = row.text(cc, "comparator")?;
        let comparator = std::str::from_utf8(raw_c)
            .ok()
            .and_then(Comparator::parse)
            .ok_or_else(|| {
                PlainFileError::line(
                    path,
                    row.line,
                    format!(
                        "comparator 列无法识别：'{}'（应为 >=、<=、>、<、= 之一）",
                        String::from_utf8_lossy(raw_c)
                    ),
                )
            })?;
        let value = row.number(cv, "value")?;
        let year = row.year(cy, "year")?;
        let baseline_year = row.opt_year(cby, "baseline_year")?;
        let baseline_value = row.opt_number(cbv, "baseline_value")?;
        let binding = match row.text(cb, "binding")? {
            b"true" => true,
            b"false" | b"" => false,
            other => {
                return Err(PlainFileError::line(
                    path,
                    row.line,
                    format!(
                        "binding 列应为 true 或 false：'{}'",
                        String::from_utf8_lossy(other)
                    ),
                ));
            }
        };
        let series = keys.series_id(region, indicator);
        rows.push(TargetRow {
            series,
            spec: TargetSpec {
                comparator,
                value,
                year,
                baseline_year,
                baseline_value,
                binding,
            },
        });
    }
    Ok(Targets { keys, rows })
}
