//! Reading `observations.csv` and `targets.csv` without allocating per field: one
//! reused `ByteRecord` per file, region and indicator names interned once, values parsed
//! straight from the record's bytes.

use crate::error::PlainFileError;
use crate::lines::{Fields, MAX_FIELDS, Span, for_each_line, split};
use planwatch_core::Comparator;
use planwatch_core::evaluation::{Observation, TargetSpec};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// A fast non-cryptographic hash for the name and series maps (the keys come from our
/// own input files; there is no adversary to defend against).
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.add(u64::from_le_bytes(w));
        }
        for &b in chunks.remainder() {
            self.add(u64::from(b));
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

impl FxHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

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
    region_ids: FxMap<Box<[u8]>, u32>,
    indicator_ids: FxMap<Box<[u8]>, u32>,
    /// Per region, series id by indicator id (`u32::MAX`: none). A county has at most a
    /// few hundred indicators, so this dense table is small and cache-friendly.
    by_region: Vec<Vec<u32>>,
    last_region: Option<u32>,
    last_indicator: Option<u32>,
}

const NONE: u32 = u32::MAX;

impl Keys {
    fn intern(map: &mut FxMap<Box<[u8]>, u32>, names: &mut Vec<Box<[u8]>>, name: &[u8]) -> u32 {
        if let Some(&id) = map.get(name) {
            return id;
        }
        let id = names.len() as u32;
        names.push(name.into());
        map.insert(name.into(), id);
        id
    }

    /// The series id of (region, indicator), new or known. Rows of one region usually
    /// follow each other: the last names are checked first.
    pub fn series_id(&mut self, region: &[u8], indicator: &[u8]) -> u32 {
        let r = match self.last_region {
            Some(r) if *self.regions[r as usize] == *region => r,
            _ => {
                let r = Self::intern(&mut self.region_ids, &mut self.regions, region);
                if r as usize == self.by_region.len() {
                    self.by_region.push(Vec::new());
                }
                self.last_region = Some(r);
                r
            }
        };
        let i = match self.last_indicator {
            Some(i) if *self.indicators[i as usize] == *indicator => i,
            _ => {
                let i = Self::intern(&mut self.indicator_ids, &mut self.indicators, indicator);
                self.last_indicator = Some(i);
                i
            }
        };
        let row = &mut self.by_region[r as usize];
        if row.len() <= i as usize {
            row.resize(i as usize + 1, NONE);
        }
        if row[i as usize] == NONE {
            row[i as usize] = self.series.len() as u32;
            self.series.push((r, i));
        }
        row[i as usize]
    }

    /// The series id of (region, indicator) if it is known.
    pub fn find(&self, region: &[u8], indicator: &[u8]) -> Option<u32> {
        let r = *self.region_ids.get(region)?;
        let i = *self.indicator_ids.get(indicator)?;
        self.find_ids(r, i)
    }

    /// The series id of (region id, indicator id) if it is known.
    pub fn find_ids(&self, r: u32, i: u32) -> Option<u32> {
        let s = *self.by_region.get(r as usize)?.get(i as usize)?;
        (s != NONE).then_some(s)
    }

    pub fn region_id(&self, name: &[u8]) -> Option<u32> {
        self.region_ids.get(name).copied()
    }

    pub fn indicator_id(&self, name: &[u8]) -> Option<u32> {
        self.indicator_ids.get(name).copied()
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

fn open(path: &Path) -> Result<File, PlainFileError> {
    File::open(path).map_err(|e| PlainFileError::read(path, e))
}

/// Finds each wanted column in the header line.
fn header<const N: usize>(
    path: &Path,
    line: &[u8],
    wanted: [&str; N],
) -> Result<[usize; N], PlainFileError> {
    let mut spans = [(0, 0, false); MAX_FIELDS];
    let f = split(line, &mut spans).map_err(|e| PlainFileError::line(path, 1, e.message()))?;
    let names: Vec<Vec<u8>> = (0..f.len())
        .map(|i| f.get(i).unwrap_or_default().trim_ascii().to_vec())
        .collect();
    let mut idx = [0usize; N];
    for (k, w) in wanted.iter().enumerate() {
        match names.iter().position(|n| n.as_slice() == w.as_bytes()) {
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
    fields: Fields<'a>,
}

impl<'a> Row<'a> {
    fn new(
        path: &'a Path,
        line: u64,
        bytes: &'a [u8],
        spans: &'a mut [Span; MAX_FIELDS],
    ) -> Result<Row<'a>, PlainFileError> {
        let fields =
            split(bytes, spans).map_err(|e| PlainFileError::line(path, line, e.message()))?;
        Ok(Row { path, line, fields })
    }

    #[inline]
    fn text(&self, i: usize, name: &str) -> Result<Cow<'a, [u8]>, PlainFileError> {
        match self.fields.get(i) {
            Some(Cow::Borrowed(b)) => Ok(Cow::Borrowed(b.trim_ascii())),
            Some(Cow::Owned(v)) => Ok(Cow::Owned(v.trim_ascii().to_vec())),
            None => Err(PlainFileError::line(
                self.path,
                self.line,
                format!(
                    "字段数不足：缺少 {name} 列（本行只有{}列）",
                    self.fields.len()
                ),
            )),
        }
    }

    fn bad(&self, name: &str, what: &str, raw: &[u8]) -> PlainFileError {
        PlainFileError::line(
            self.path,
            self.line,
            format!("{name} 列不是{what}：'{}'", String::from_utf8_lossy(raw)),
        )
    }

    #[inline]
    fn number(&self, i: usize, name: &str) -> Result<f64, PlainFileError> {
        let raw = self.text(i, name)?;
        parse_f64(&raw).ok_or_else(|| self.bad(name, "数字", &raw))
    }

    #[inline]
    fn year(&self, i: usize, name: &str) -> Result<i32, PlainFileError> {
        let raw = self.text(i, name)?;
        parse_year(&raw).ok_or_else(|| self.bad(name, "年份（整数）", &raw))
    }

    fn opt_number(&self, i: usize, name: &str) -> Result<Option<f64>, PlainFileError> {
        let raw = self.text(i, name)?;
        if raw.is_empty() {
            return Ok(None);
        }
        parse_f64(&raw)
            .map(Some)
            .ok_or_else(|| self.bad(name, "数字", &raw))
    }

    fn opt_year(&self, i: usize, name: &str) -> Result<Option<i32>, PlainFileError> {
        let raw = self.text(i, name)?;
        if raw.is_empty() {
            return Ok(None);
        }
        parse_year(&raw)
            .map(Some)
            .ok_or_else(|| self.bad(name, "年份（整数）", &raw))
    }
}

/// Reads a file line by line: the header first, then `row` for every data line.
fn read_csv<const N: usize>(
    path: &Path,
    wanted: [&str; N],
    mut row: impl FnMut(&[usize; N], Row<'_>) -> Result<(), PlainFileError>,
) -> Result<(), PlainFileError> {
    let file = open(path)?;
    let mut cols: Option<[usize; N]> = None;
    let mut spans = [(0, 0, false); MAX_FIELDS];
    for_each_line(
        file,
        true,
        |line_no, line| match &cols {
            None => {
                cols = Some(header(path, line, wanted)?);
                Ok(())
            }
            Some(c) => row(c, Row::new(path, line_no, line, &mut spans)?),
        },
        |e| PlainFileError::read(path, e),
    )?;
    if cols.is_none() {
        return Err(PlainFileError::line(path, 1, "文件为空，缺少表头"));
    }
    Ok(())
}

/// A finite decimal number.
#[inline]
pub fn parse_f64(raw: &[u8]) -> Option<f64> {
    fast_decimal(raw).or_else(|| parse_f64_std(raw))
}

/// Exact powers of ten up to 1e15.
const POW10: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// `[-]digits[.digits]` with at most 15 digits: the integer of its digits and the power
/// of ten are both exact, so one division gives the correctly rounded value (Clinger's
/// fast path). Anything else goes to the standard parser.
fn fast_decimal(raw: &[u8]) -> Option<f64> {
    let (neg, digits) = match raw.first()? {
        b'-' => (true, &raw[1..]),
        b'+' => (false, &raw[1..]),
        _ => (false, raw),
    };
    let mut m: u64 = 0;
    let mut n = 0usize;
    let mut frac: Option<usize> = None;
    for (k, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                m = m * 10 + u64::from(b - b'0');
                n += 1;
            }
            b'.' if frac.is_none() => frac = Some(k),
            _ => return None,
        }
    }
    if n == 0 || n > 15 {
        return None;
    }
    let scale = frac.map_or(0, |k| digits.len() - k - 1);
    let x = m as f64 / POW10[scale];
    Some(if neg { -x } else { x })
}

fn parse_f64_std(raw: &[u8]) -> Option<f64> {
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

/// One byte range of observations.csv, parsed on its own.
struct Part {
    keys: Keys,
    values: Vec<Observation>,
    sids: Vec<u32>,
    lines: u64,
}

/// The header's columns, the byte offset just after the header line, and the number of
/// lines up to it.
fn read_header<const N: usize>(
    path: &Path,
    wanted: [&str; N],
) -> Result<([usize; N], u64, u64), PlainFileError> {
    let mut file = open(path)?;
    let mut buf = Vec::new();
    let mut chunk = vec![0u8; 64 << 10];
    loop {
        let n = file
            .read(&mut chunk)
            .map_err(|e| PlainFileError::read(path, e))?;
        buf.extend_from_slice(&chunk[..n]);
        let body = buf.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buf);
        let skip = buf.len() - body.len();
        let mut pos = 0usize;
        let mut lines = 0u64;
        while let Some(i) = memchr::memchr(b'\n', &body[pos..]) {
            lines += 1;
            let line = &body[pos..pos + i];
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            pos += i + 1;
            if !line.is_empty() {
                let cols = header(path, line, wanted)?;
                return Ok((cols, (skip + pos) as u64, lines));
            }
        }
        if n == 0 {
            // No line break: a lone header line, or nothing.
            let line = body[pos..].strip_suffix(b"\r").unwrap_or(&body[pos..]);
            if line.is_empty() {
                return Err(PlainFileError::line(path, 1, "文件为空，缺少表头"));
            }
            let cols = header(path, line, wanted)?;
            return Ok((cols, buf.len() as u64, lines + 1));
        }
    }
}

/// Byte offsets that cut `[start, len)` into about `parts` ranges at line breaks.
fn cut_points(path: &Path, start: u64, len: u64, parts: u64) -> Result<Vec<u64>, PlainFileError> {
    let mut cuts = vec![start];
    let mut file = open(path)?;
    let mut window = vec![0u8; 64 << 10];
    for k in 1..parts {
        let guess = start + (len - start) * k / parts;
        if guess <= *cuts.last().unwrap_or(&start) {
            continue;
        }
        file.seek(SeekFrom::Start(guess))
            .map_err(|e| PlainFileError::read(path, e))?;
        let n = file
            .read(&mut window)
            .map_err(|e| PlainFileError::read(path, e))?;
        // A line longer than the window: no cut here.
        if let Some(i) = memchr::memchr(b'\n', &window[..n]) {
            let cut = guess + i as u64 + 1;
            if cut < len {
                cuts.push(cut);
            }
        }
    }
    cuts.push(len);
    cuts.dedup();
    Ok(cuts)
}

fn parse_part(path: &Path, cols: [usize; 4], from: u64, to: u64) -> Result<Part, PlainFileError> {
    let [cr, ci, cy, cv] = cols;
    let mut file = open(path)?;
    file.seek(SeekFrom::Start(from))
        .map_err(|e| PlainFileError::read(path, e))?;
    let guess = (to - from) as usize / 28;
    let mut part = Part {
        keys: Keys::default(),
        values: Vec::with_capacity(guess),
        sids: Vec::with_capacity(guess),
        lines: 0,
    };
    let mut spans = [(0, 0, false); MAX_FIELDS];
    // The usual layout (the columns in spec order, no quotes) takes a shorter path; any
    // line it does not fully accept goes through the general one, which also words the
    // error.
    let plain = cols == [0, 1, 2, 3];
    part.lines = for_each_line(
        file.take(to - from),
        false,
        |line_no, line| {
            if plain
                && let Some([region, indicator, y, v]) = split4(line)
                && let (Some(year), Some(value)) = (parse_year(y), parse_f64(v))
            {
                part.sids.push(part.keys.series_id(region, indicator));
                part.values.push(Observation { year, value });
                return Ok(());
            }
            let row = Row::new(path, line_no, line, &mut spans)?;
            let year = row.year(cy, "year")?;
            let value = row.number(cv, "value")?;
            let region = row.text(cr, "region")?;
            let indicator = row.text(ci, "indicator")?;
            part.sids.push(part.keys.series_id(&region, &indicator));
            part.values.push(Observation { year, value });
            Ok(())
        },
        |e| PlainFileError::read(path, e),
    )?;
    Ok(part)
}

/// Exactly four unquoted fields, each trimmed; `None` for anything else.
#[inline]
fn split4(line: &[u8]) -> Option<[&[u8]; 4]> {
    let mut cuts = [0usize; 3];
    let mut k = 0;
    for (i, &b) in line.iter().enumerate() {
        if b == b',' {
            if k == 3 {
                return None;
            }
            cuts[k] = i;
            k += 1;
        }
    }
    if k != 3 {
        return None;
    }
    let f = [
        &line[..cuts[0]],
        &line[cuts[0] + 1..cuts[1]],
        &line[cuts[1] + 1..cuts[2]],
        &line[cuts[2] + 1..],
    ];
    let f = f.map(<[u8]>::trim_ascii);
    if f.iter().any(|x| x.first() == Some(&b'"')) {
        return None;
    }
    Some(f)
}

/// Reads observations.csv, groups it by series and sorts each series by year. A
/// duplicate (region, indicator, year) is refused with both lines.
///
/// A large file is cut at line breaks into a few ranges parsed on all cores; their
/// names are merged in file order, so series ids are in order of first appearance as if
/// the file had been read from top to bottom.
pub fn read_observations(path: &Path) -> Result<Observations, PlainFileError> {
    let len = std::fs::metadata(path)
        .map_err(|e| PlainFileError::read(path, e))?
        .len();
    let (cols, data_start, header_lines) = read_header(path, OBSERVATION_COLUMNS)?;
    let parts = if len < (4 << 20) {
        1
    } else {
        2 * rayon::current_num_threads() as u64
    };
    let cuts = cut_points(path, data_start, len, parts)?;
    let results: Vec<Result<Part, PlainFileError>> = cuts
        .par_windows(2)
        .map(|w| parse_part(path, cols, w[0], w[1]))
        .collect();
    // The first bad line in file order, with its line number in the whole file.
    let mut base = header_lines;
    let mut done = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => {
                base += p.lines;
                done.push(p);
            }
            Err(PlainFileError::Line { file, line, reason }) => {
                return Err(PlainFileError::Line {
                    file,
                    line: line + base,
                    reason,
                });
            }
            Err(e) => return Err(e),
        }
    }
    let total: usize = done.iter().map(|p| p.values.len()).sum();
    let mut keys = Keys::default();
    let mut values: Vec<Observation> = Vec::with_capacity(total);
    let mut sids: Vec<u32> = Vec::with_capacity(total);
    for p in done {
        let map: Vec<u32> = p
            .keys
            .series
            .iter()
            .map(|&(r, i)| {
                keys.series_id(&p.keys.regions[r as usize], &p.keys.indicators[i as usize])
            })
            .collect();
        values.extend_from_slice(&p.values);
        sids.extend(p.sids.iter().map(|&s| map[s as usize]));
    }
    group(path, keys, values, sids)
}

/// Groups observations by series (in place when the file was grouped already), sorts
/// each series by year and refuses duplicate years.
fn group(
    path: &Path,
    keys: Keys,
    mut values: Vec<Observation>,
    sids: Vec<u32>,
) -> Result<Observations, PlainFileError> {
    let n_series = keys.series.len();
    // Grouped when every series is one run of lines.
    let mut runs = Vec::with_capacity(n_series + 1);
    for (k, &s) in sids.iter().enumerate() {
        if k == 0 || sids[k - 1] != s {
            runs.push(k);
        }
    }
    let offsets = if runs.len() == n_series {
        drop(sids);
        runs.push(values.len());
        runs
    } else {
        drop(runs);
        // Counting sort by series: stable, one pass to count, one to place.
        let mut offsets = vec![0usize; n_series + 1];
        for &s in &sids {
            offsets[s as usize + 1] += 1;
        }
        for s in 0..n_series {
            offsets[s + 1] += offsets[s];
        }
        let mut cursor = offsets.clone();
        let mut sorted = vec![
            Observation {
                year: 0,
                value: 0.0
            };
            values.len()
        ];
        for (o, &s) in values.iter().zip(&sids) {
            let c = &mut cursor[s as usize];
            sorted[*c] = *o;
            *c += 1;
        }
        values = sorted;
        offsets
    };
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
            if !v.is_sorted_by_key(|o| o.year) {
                v.sort_by_key(|o| o.year);
            }
            v.windows(2)
                .find(|w| w[0].year == w[1].year)
                .map(|w| (s as u32, w[0].year))
        })
        .min();
    drop(slices);
    if let Some((s, year)) = dup {
        return Err(duplicate_error(path, &keys, s, year));
    }
    values.shrink_to_fit();
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
    let _ = read_csv(path, OBSERVATION_COLUMNS, |&[cr, ci, cy, _], row| {
        let same = row.text(cr, "region").is_ok_and(|r| *r == *region)
            && row.text(ci, "indicator").is_ok_and(|i| *i == *indicator)
            && row.year(cy, "year").is_ok_and(|y| y == year);
        if same && lines.len() < 2 {
            lines.push(row.line);
        }
        Ok(())
    });
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
    let mut keys = Keys::default();
    let guess = std::fs::metadata(path).map_or(0, |m| m.len() as usize / 40);
    let mut rows = Vec::with_capacity(guess);
    read_csv(
        path,
        TARGET_COLUMNS,
        |&[cr, ci, cc, cv, cy, cby, cbv, cb], row| {
            let raw_c = row.text(cc, "comparator")?;
            let comparator = std::str::from_utf8(&raw_c)
                .ok()
                .and_then(Comparator::parse)
                .ok_or_else(|| {
                    PlainFileError::line(
                        path,
                        row.line,
                        format!(
                            "comparator 列无法识别：'{}'（应为 >=、<=、>、<、= 之一）",
                            String::from_utf8_lossy(&raw_c)
                        ),
                    )
                })?;
            let value = row.number(cv, "value")?;
            let year = row.year(cy, "year")?;
            let baseline_year = row.opt_year(cby, "baseline_year")?;
            let baseline_value = row.opt_number(cbv, "baseline_value")?;
            let binding = match &*row.text(cb, "binding")? {
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
            let region = row.text(cr, "region")?;
            let indicator = row.text(ci, "indicator")?;
            let series = keys.series_id(&region, &indicator);
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
            Ok(())
        },
    )?;
    Ok(Targets { keys, rows })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn decimals_and_years() {
        assert_eq!(parse_f64(b"96.1"), Some(96.1));
        assert_eq!(parse_f64(b"-0.5"), Some(-0.5));
        assert_eq!(parse_f64(b".5"), Some(0.5));
        assert_eq!(parse_f64(b"1e3"), Some(1000.0));
        assert_eq!(parse_f64(b"1234567890.1234567"), Some(1234567890.1234567));
        assert_eq!(parse_f64(b"abc"), None);
        assert_eq!(parse_f64(b"inf"), None);
        assert_eq!(parse_f64(b""), None);
        assert_eq!(parse_f64(b"."), None);
        assert_eq!(parse_year(b"2024"), Some(2024));
        assert_eq!(parse_year(b"-1"), None);
        assert_eq!(parse_year(b"20245"), None);
    }

    proptest! {
        /// The fast path gives the correctly rounded value, as the standard parser does.
        #[test]
        fn fast_decimal_is_exact(int in 0u64..10_000_000_000, frac in 0u64..100_000, places in 0usize..6, neg: bool) {
            let s = if places == 0 {
                format!("{}{int}", if neg { "-" } else { "" })
            } else {
                let f = frac % 10u64.pow(places as u32);
                format!("{}{int}.{f:0places$}", if neg { "-" } else { "" })
            };
            prop_assert_eq!(parse_f64(s.as_bytes()), s.parse::<f64>().ok());
        }
    }
}
