//! Reading `observations.csv` and `targets.csv` without allocating per field: one
//! reused `ByteRecord` per file, region and indicator names interned once, values parsed
//! straight from the record's bytes.

use crate::error::PlainFileError;
use crate::lines::{Fields, MAX_FIELDS, Span, for_each_line, for_each_line_with, split};
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

    fn intern_region(&mut self, region: &[u8]) -> u32 {
        let r = Self::intern(&mut self.region_ids, &mut self.regions, region);
        if r as usize == self.by_region.len() {
            self.by_region.push(Vec::new());
        }
        r
    }

    /// The series id of (region, indicator), new or known. Rows of one region usually
    /// follow each other: the last names are checked first.
    #[inline]
    pub fn series_id(&mut self, region: &[u8], indicator: &[u8]) -> u32 {
        let r = match self.last_region {
            Some(r) if *self.regions[r as usize] == *region => r,
            _ => {
                let r = self.intern_region(region);
                self.last_region = Some(r);
                r
            }
        };
        let i = match self.last_indicator {
            Some(i) if *self.indicators[i as usize] == *indicator => i,
            // Indicators usually come in the same order in every region: try the next one.
            Some(i)
                if self
                    .indicators
                    .get(i as usize + 1)
                    .is_some_and(|n| **n == *indicator) =>
            {
                self.last_indicator = Some(i + 1);
                i + 1
            }
            _ => {
                let i = Self::intern(&mut self.indicator_ids, &mut self.indicators, indicator);
                self.last_indicator = Some(i);
                i
            }
        };
        self.series_of_ids(r, i)
    }

    /// Adds the names and series of `other` (in its id order, so ids stay in order of
    /// first appearance) and returns, per series id of `other`, its id here.
    fn absorb(&mut self, other: &Keys) -> Vec<u32> {
        let regions: Vec<u32> = other
            .regions
            .iter()
            .map(|n| self.intern_region(n))
            .collect();
        let indicators: Vec<u32> = other
            .indicators
            .iter()
            .map(|n| Self::intern(&mut self.indicator_ids, &mut self.indicators, n))
            .collect();
        self.last_region = None;
        self.last_indicator = None;
        other
            .series
            .iter()
            .map(|&(r, i)| self.series_of_ids(regions[r as usize], indicators[i as usize]))
            .collect()
    }

    /// The series id of (region id, indicator id), new or known.
    fn series_of_ids(&mut self, r: u32, i: u32) -> u32 {
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
    /// All observations, series after series, in one or more chunks (the parts of the
    /// file that were read in parallel, kept where they were parsed); a series never
    /// spans two chunks.
    chunks: Vec<Vec<Observation>>,
    /// Where each chunk starts in the concatenation of the chunks.
    bases: Vec<usize>,
    /// Series `s` owns positions `offsets[s]..offsets[s + 1]` of that concatenation.
    offsets: Vec<usize>,
}

impl Observations {
    /// The observations of series `s`, sorted by year (empty for an unknown id).
    pub fn series(&self, s: u32) -> &[Observation] {
        let s = s as usize;
        let (Some(&a), Some(&b)) = (self.offsets.get(s), self.offsets.get(s + 1)) else {
            return &[];
        };
        let c = self.bases.partition_point(|&x| x <= a).saturating_sub(1);
        let base = self.bases.get(c).copied().unwrap_or(0);
        self.chunks
            .get(c)
            .and_then(|v| v.get(a - base..b - base))
            .unwrap_or(&[])
    }

    /// The number of observations.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
    /// In input order, in the parts the file was read in.
    parts: Vec<Vec<TargetRow>>,
    /// Index of each part's first row.
    bases: Vec<usize>,
}

impl Targets {
    /// The number of targets.
    pub fn len(&self) -> usize {
        self.parts.iter().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `k` in input order.
    #[inline]
    pub fn row(&self, k: usize) -> Option<&TargetRow> {
        let c = self.bases.partition_point(|&b| b <= k).checked_sub(1)?;
        self.parts.get(c)?.get(k - self.bases[c])
    }

    /// All rows in input order.
    pub fn rows(&self) -> impl Iterator<Item = &TargetRow> {
        self.parts.iter().flatten()
    }
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
    /// Maximal stretches of lines of one series: (series id, index of its first value).
    /// They say which series every value belongs to.
    runs: Vec<(u32, usize)>,
    /// Years strictly increase within every run.
    sorted: bool,
    prev_year: i32,
    lines: u64,
}

impl Part {
    #[inline]
    fn push(&mut self, sid: u32, year: i32, value: f64) {
        match self.runs.last() {
            Some(&(last, _)) if last == sid => {
                if year <= self.prev_year {
                    self.sorted = false;
                }
            }
            _ => self.runs.push((sid, self.values.len())),
        }
        self.prev_year = year;
        self.values.push(Observation { year, value });
    }
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

/// Byte offsets that cut `[start, len)` into about `parts` ranges at line breaks. With
/// `key` (the columns of region and indicator) a cut is moved to the first line whose
/// series differs from the line before, so that a grouped file's series are not split.
fn cut_points(
    path: &Path,
    start: u64,
    len: u64,
    parts: u64,
    key: Option<(usize, usize)>,
) -> Result<Vec<u64>, PlainFileError> {
    let mut cuts = vec![start];
    let mut file = open(path)?;
    let mut window = vec![0u8; 64 << 10];
    let mut spans = [(0, 0, false); MAX_FIELDS];
    for k in 1..parts {
        let guess = start + (len - start) * k / parts;
        if guess <= *cuts.last().unwrap_or(&start) {
            continue;
        }
        file.seek(SeekFrom::Start(guess))
            .map_err(|e| PlainFileError::read(path, e))?;
        let mut n = 0;
        while n < window.len() {
            let got = file
                .read(&mut window[n..])
                .map_err(|e| PlainFileError::read(path, e))?;
            if got == 0 {
                break;
            }
            n += got;
        }
        let window = &window[..n];
        // A line longer than the window: no cut here.
        let Some(first) = memchr::memchr(b'\n', window) else {
            continue;
        };
        let mut cut = first + 1;
        if let Some((cr, ci)) = key {
            let mut pos = first + 1;
            let mut prev: Option<(Vec<u8>, Vec<u8>)> = None;
            while let Some(i) = memchr::memchr(b'\n', &window[pos..]) {
                let line = &window[pos..pos + i];
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                let Ok(f) = split(line, &mut spans) else {
                    break;
                };
                let field = |c: usize| f.get(c).map(Cow::into_owned).unwrap_or_default();
                let this = (field(cr), field(ci));
                if prev.as_ref().is_some_and(|p| *p != this) {
                    cut = pos;
                    break;
                }
                prev = Some(this);
                pos += i + 1;
            }
        }
        let cut = guess + cut as u64;
        if cut < len {
            cuts.push(cut);
        }
    }
    cuts.push(len);
    cuts.dedup();
    Ok(cuts)
}

/// What the line callbacks of [`parse_part`] share.
struct PartState {
    part: Part,
    /// In the usual layout, the raw "region,indicator," of the last plain line and its
    /// series: a line that starts with the same bytes names the same series.
    prefix: Vec<u8>,
    prefix_sid: u32,
}

/// A line `prefix` + `year,value\n` at the start of `rest`, with a plain year and a
/// plain decimal: (year, value, bytes taken). Anything else is left to the line path.
#[inline]
fn same_series_line(prefix: &[u8], rest: &[u8]) -> Option<(i32, f64, usize)> {
    let tail = rest.strip_prefix(prefix)?;
    let mut i = 0;
    let mut year = 0i32;
    while i < 4
        && let Some(&d) = tail.get(i)
        && d.is_ascii_digit()
    {
        year = year * 10 + i32::from(d - b'0');
        i += 1;
    }
    if i == 0 || year == 0 || tail.get(i) != Some(&b',') {
        return None;
    }
    let v = i + 1;
    let mut end = v;
    while *tail.get(end)? != b'\n' {
        end += 1;
    }
    let value = fast_decimal(&tail[v..end])?;
    Some((year, value, prefix.len() + end + 1))
}

fn parse_part(path: &Path, cols: [usize; 4], from: u64, to: u64) -> Result<Part, PlainFileError> {
    let [cr, ci, cy, cv] = cols;
    let mut file = open(path)?;
    file.seek(SeekFrom::Start(from))
        .map_err(|e| PlainFileError::read(path, e))?;
    let guess = (to - from) as usize / 28;
    let mut st = PartState {
        part: Part {
            keys: Keys::default(),
            values: Vec::with_capacity(guess),
            runs: Vec::new(),
            sorted: true,
            prev_year: 0,
            lines: 0,
        },
        prefix: Vec::new(),
        prefix_sid: NONE,
    };
    let mut spans = [(0, 0, false); MAX_FIELDS];
    // The usual layout (the columns in spec order, no quotes) takes a shorter path; any
    // line it does not fully accept goes through the general one, which also words the
    // error. The shortest: the next line of the same series, taken straight from the
    // buffer.
    let plain = cols == [0, 1, 2, 3];
    let lines = for_each_line_with(
        file.take(to - from),
        false,
        &mut st,
        |st, rest| {
            if st.prefix.is_empty() {
                return None;
            }
            let (year, value, taken) = same_series_line(&st.prefix, rest)?;
            st.part.push(st.prefix_sid, year, value);
            Some(taken)
        },
        |st, line_no, line| {
            if plain {
                if !st.prefix.is_empty()
                    && let Some(rest) = line.strip_prefix(st.prefix.as_slice())
                    && let Some([y, v]) = split_plain::<2>(rest)
                    && let (Some(year), Some(value)) = (parse_year(y), parse_f64(v))
                {
                    st.part.push(st.prefix_sid, year, value);
                    return Ok(());
                }
                if let Some([region, indicator, y, v]) = split_plain::<4>(line)
                    && let (Some(year), Some(value)) = (parse_year(y), parse_f64(v))
                {
                    let sid = st.part.keys.series_id(region, indicator);
                    st.part.push(sid, year, value);
                    // Four plain fields: the second comma ends the names.
                    let names = memchr::memchr(b',', line)
                        .and_then(|a| memchr::memchr(b',', &line[a + 1..]).map(|b| a + b + 2));
                    st.prefix.clear();
                    if let Some(n) = names {
                        st.prefix.extend_from_slice(&line[..n]);
                        st.prefix_sid = sid;
                    }
                    return Ok(());
                }
                st.prefix.clear();
            }
            let row = Row::new(path, line_no, line, &mut spans)?;
            let year = row.year(cy, "year")?;
            let value = row.number(cv, "value")?;
            let region = row.text(cr, "region")?;
            let indicator = row.text(ci, "indicator")?;
            let sid = st.part.keys.series_id(&region, &indicator);
            st.part.push(sid, year, value);
            Ok(())
        },
        |e| PlainFileError::read(path, e),
    )?;
    st.part.lines = lines;
    Ok(st.part)
}

/// Exactly `N` unquoted fields, each trimmed; `None` for anything else.
#[inline]
fn split_plain<const N: usize>(line: &[u8]) -> Option<[&[u8]; N]> {
    let mut f = [&line[..0]; N];
    let mut k = 0;
    let mut start = 0;
    let mut cut = |i: usize| -> Option<()> {
        if k + 1 == N {
            return None;
        }
        f[k] = &line[start..i];
        k += 1;
        start = i + 1;
        Some(())
    };
    // Eight bytes at a time: the commas of a word are the zero bytes of `w ^ ",,,,,,,,"`,
    // found exactly (no borrow between bytes) as the bytes whose high bit stays clear.
    const COMMAS: u64 = u64::from_ne_bytes([b','; 8]);
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut words = line.chunks_exact(8);
    let mut base = 0;
    for w in &mut words {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word) ^ COMMAS;
        let mut zeros = !(((x & LOW7) + LOW7) | x | LOW7);
        while zeros != 0 {
            cut(base + (zeros.trailing_zeros() / 8) as usize)?;
            zeros &= zeros - 1;
        }
        base += 8;
    }
    for (j, &b) in words.remainder().iter().enumerate() {
        if b == b',' {
            cut(base + j)?;
        }
    }
    if k + 1 != N {
        return None;
    }
    f[k] = &line[start..];
    for x in &mut f {
        *x = x.trim_ascii();
        if x.first() == Some(&b'"') {
            return None;
        }
    }
    Some(f)
}

/// Parses the ranges between `cuts` at once, and returns the parts in file order, or the
/// first bad line in file order with its line number in the whole file.
fn parse_parts<P: Send>(
    cuts: &[u64],
    header_lines: u64,
    parse: impl Fn(u64, u64) -> Result<(P, u64), PlainFileError> + Sync,
) -> Result<Vec<P>, PlainFileError> {
    let results: Vec<Result<(P, u64), PlainFileError>> =
        cuts.par_windows(2).map(|w| parse(w[0], w[1])).collect();
    let mut base = header_lines;
    let mut done = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok((p, lines)) => {
                base += lines;
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
    Ok(done)
}

/// How many ranges a file of `len` bytes is read in.
fn part_count(len: u64) -> u64 {
    if len < (4 << 20) {
        1
    } else {
        2 * rayon::current_num_threads() as u64
    }
}

/// Reads observations.csv, groups it by series and sorts each series by year. A
/// duplicate (region, indicator, year) is refused with both lines.
///
/// A large file is cut at line breaks into a few ranges parsed on all cores; their
/// names are merged in file order, so series ids are in order of first appearance as if
/// the file had been read from top to bottom. When the file is grouped by series and
/// sorted by year (cuts fall between series), the parts stay where they were parsed.
pub fn read_observations(path: &Path) -> Result<Observations, PlainFileError> {
    let len = std::fs::metadata(path)
        .map_err(|e| PlainFileError::read(path, e))?
        .len();
    let (cols, data_start, header_lines) = read_header(path, OBSERVATION_COLUMNS)?;
    let cuts = cut_points(
        path,
        data_start,
        len,
        part_count(len),
        Some((cols[0], cols[1])),
    )?;
    let done = parse_parts(&cuts, header_lines, |from, to| {
        parse_part(path, cols, from, to).map(|p| {
            let lines = p.lines;
            (p, lines)
        })
    })?;
    let mut keys = Keys::default();
    let maps: Vec<Vec<u32>> = done.iter().map(|p| keys.absorb(&p.keys)).collect();
    let n_series = keys.series.len();
    let n_runs: usize = done.iter().map(|p| p.runs.len()).sum();
    // Every series is one run (so it lies in one part) and sorted: the runs are the
    // series, in id order.
    if n_runs == n_series && done.iter().all(|p| p.sorted) {
        let mut offsets = Vec::with_capacity(n_series + 1);
        let mut bases = Vec::with_capacity(done.len());
        let mut base = 0usize;
        let mut in_order = true;
        for (p, map) in done.iter().zip(&maps) {
            bases.push(base);
            for &(sid, start) in &p.runs {
                in_order &= map[sid as usize] as usize == offsets.len();
                offsets.push(base + start);
            }
            base += p.values.len();
        }
        offsets.push(base);
        if in_order {
            return Ok(Observations {
                keys,
                chunks: done.into_iter().map(|p| p.values).collect(),
                bases,
                offsets,
            });
        }
    }
    // Otherwise: one array, grouped by a counting sort.
    let total: usize = done.iter().map(|p| p.values.len()).sum();
    let mut values: Vec<Observation> = Vec::with_capacity(total);
    let mut sids: Vec<u32> = Vec::with_capacity(total);
    for (p, map) in done.iter().zip(&maps) {
        values.extend_from_slice(&p.values);
        for (k, &(sid, start)) in p.runs.iter().enumerate() {
            let end = p.runs.get(k + 1).map_or(p.values.len(), |r| r.1);
            sids.extend(std::iter::repeat_n(map[sid as usize], end - start));
        }
    }
    drop(done);
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
    Ok(Observations {
        keys,
        chunks: vec![values],
        bases: vec![0],
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

/// One byte range of targets.csv, parsed on its own.
struct TargetPart {
    keys: Keys,
    rows: Vec<TargetRow>,
}

/// The binding column: `true`, or `false`/empty.
fn parse_binding(raw: &[u8]) -> Option<bool> {
    match raw {
        b"true" => Some(true),
        b"false" | b"" => Some(false),
        _ => None,
    }
}

fn parse_comparator(raw: &[u8]) -> Option<Comparator> {
    match raw {
        b">=" => Some(Comparator::Ge),
        b"<=" => Some(Comparator::Le),
        _ => std::str::from_utf8(raw).ok().and_then(Comparator::parse),
    }
}

fn opt<T>(raw: &[u8], parse: impl Fn(&[u8]) -> Option<T>) -> Option<Option<T>> {
    if raw.is_empty() {
        Some(None)
    } else {
        parse(raw).map(Some)
    }
}

/// The plain form of a target line (columns in spec order, no quotes), or `None` when
/// any field needs the general path (which also words the error).
#[inline]
fn plain_target(line: &[u8]) -> Option<(&[u8], &[u8], TargetSpec)> {
    let [region, indicator, c, v, y, by, bv, b] = split_plain::<8>(line)?;
    let spec = TargetSpec {
        comparator: parse_comparator(c)?,
        value: parse_f64(v)?,
        year: parse_year(y)?,
        baseline_year: opt(by, parse_year)?,
        baseline_value: opt(bv, parse_f64)?,
        binding: parse_binding(b)?,
    };
    Some((region, indicator, spec))
}

/// The bytes of `s` up to the first `stop`, and the rest after it.
#[inline]
fn field_until(s: &[u8], stop: u8) -> Option<(&[u8], &[u8])> {
    let mut i = 0;
    while *s.get(i)? != stop {
        i += 1;
    }
    Some((&s[..i], &s[i + 1..]))
}

/// A line `prefix` + `comparator,value,year,baseline_year,baseline_value,binding\n` at
/// the start of `rest`, every field plain (no spaces, no quotes), parsed as the line path
/// would; and the bytes taken. Anything else is left to the line path.
#[inline]
fn same_series_target(prefix: &[u8], rest: &[u8]) -> Option<(TargetSpec, usize)> {
    let tail = rest.strip_prefix(prefix)?;
    let (c, t) = field_until(tail, b',')?;
    let (v, t) = field_until(t, b',')?;
    let (y, t) = field_until(t, b',')?;
    let (by, t) = field_until(t, b',')?;
    let (bv, t) = field_until(t, b',')?;
    let (b, t) = field_until(t, b'\n')?;
    let spec = TargetSpec {
        comparator: match c {
            b">=" => Comparator::Ge,
            b"<=" => Comparator::Le,
            b">" => Comparator::Gt,
            b"<" => Comparator::Lt,
            b"=" => Comparator::Eq,
            _ => return None,
        },
        value: fast_decimal(v)?,
        year: parse_year(y)?,
        baseline_year: opt(by, parse_year)?,
        baseline_value: opt(bv, fast_decimal)?,
        binding: parse_binding(b)?,
    };
    Some((spec, rest.len() - t.len()))
}

/// What the line callbacks of [`parse_target_part`] share.
struct TargetState {
    part: TargetPart,
    /// The raw "region,indicator," of the last plain line, and its series.
    prefix: Vec<u8>,
    prefix_sid: u32,
}

/// The length of `region,indicator,` at the start of a plain line.
fn names_len(line: &[u8]) -> Option<usize> {
    let a = memchr::memchr(b',', line)?;
    memchr::memchr(b',', &line[a + 1..]).map(|b| a + b + 2)
}

fn parse_target_part(
    path: &Path,
    cols: [usize; 8],
    from: u64,
    to: u64,
) -> Result<(TargetPart, u64), PlainFileError> {
    let [cr, ci, cc, cv, cy, cby, cbv, cb] = cols;
    let mut file = open(path)?;
    file.seek(SeekFrom::Start(from))
        .map_err(|e| PlainFileError::read(path, e))?;
    let mut st = TargetState {
        part: TargetPart {
            keys: Keys::default(),
            rows: Vec::with_capacity((to - from) as usize / 40),
        },
        prefix: Vec::new(),
        prefix_sid: NONE,
    };
    let mut spans = [(0, 0, false); MAX_FIELDS];
    let plain = cols == [0, 1, 2, 3, 4, 5, 6, 7];
    let lines = for_each_line_with(
        file.take(to - from),
        false,
        &mut st,
        |st, rest| {
            if st.prefix.is_empty() {
                return None;
            }
            let (spec, taken) = same_series_target(&st.prefix, rest)?;
            st.part.rows.push(TargetRow {
                series: st.prefix_sid,
                spec,
            });
            Some(taken)
        },
        |st, line_no, line| {
            let part = &mut st.part;
            if plain && let Some((region, indicator, spec)) = plain_target(line) {
                let series = part.keys.series_id(region, indicator);
                part.rows.push(TargetRow { series, spec });
                st.prefix.clear();
                if let Some(n) = names_len(line) {
                    st.prefix.extend_from_slice(&line[..n]);
                    st.prefix_sid = series;
                }
                return Ok(());
            }
            st.prefix.clear();
            let row = Row::new(path, line_no, line, &mut spans)?;
            let raw_c = row.text(cc, "comparator")?;
            let comparator = parse_comparator(&raw_c).ok_or_else(|| {
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
            let raw_b = row.text(cb, "binding")?;
            let binding = parse_binding(&raw_b).ok_or_else(|| {
                PlainFileError::line(
                    path,
                    row.line,
                    format!(
                        "binding 列应为 true 或 false：'{}'",
                        String::from_utf8_lossy(&raw_b)
                    ),
                )
            })?;
            let region = row.text(cr, "region")?;
            let indicator = row.text(ci, "indicator")?;
            let series = part.keys.series_id(&region, &indicator);
            part.rows.push(TargetRow {
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
        |e| PlainFileError::read(path, e),
    )?;
    Ok((st.part, lines))
}

/// Reads targets.csv in input order (a large file in parallel ranges, as
/// observations.csv).
pub fn read_targets(path: &Path) -> Result<Targets, PlainFileError> {
    let len = std::fs::metadata(path)
        .map_err(|e| PlainFileError::read(path, e))?
        .len();
    let (cols, data_start, header_lines) = read_header(path, TARGET_COLUMNS)?;
    let cuts = cut_points(path, data_start, len, part_count(len), None)?;
    let done = parse_parts(&cuts, header_lines, |from, to| {
        parse_target_part(path, cols, from, to)
    })?;
    let mut keys = Keys::default();
    let maps: Vec<Vec<u32>> = done.iter().map(|p| keys.absorb(&p.keys)).collect();
    // The parts' rows renumbered, each part on its own core.
    let mut parts: Vec<Vec<TargetRow>> = done.into_iter().map(|p| p.rows).collect();
    parts.par_iter_mut().zip(&maps).for_each(|(rows, map)| {
        for r in rows {
            r.series = map[r.series as usize];
        }
    });
    let mut bases = Vec::with_capacity(parts.len());
    let mut total = 0usize;
    for p in &parts {
        bases.push(total);
        total += p.len();
    }
    Ok(Targets { keys, parts, bases })
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

    #[test]
    fn same_series_lines() {
        let p = b"a,b,";
        assert_eq!(
            same_series_line(p, b"a,b,2020,1.5\nx"),
            Some((2020, 1.5, 13))
        );
        assert_eq!(same_series_line(p, b"a,b,2020,1.5"), None);
        assert_eq!(same_series_line(p, b"a,b,2020,1.5\r\n"), None);
        assert_eq!(same_series_line(p, b"a,b,20201,1.5\n"), None);
        assert_eq!(same_series_line(p, b"a,b,0,1.5\n"), None);
        assert_eq!(same_series_line(p, b"a,b,,1.5\n"), None);
        assert_eq!(same_series_line(p, b"a,b,2020, 1.5\n"), None);
        assert_eq!(same_series_line(p, b"a,b,2020,1e3\n"), None);
        assert_eq!(same_series_line(p, b"a,c,2020,1.5\n"), None);
        assert_eq!(same_series_line(p, b"a,b,7,-2\n"), Some((7, -2.0, 9)));
    }

    #[test]
    fn same_series_targets() {
        let p = b"a,b,";
        let t = |line: &[u8]| same_series_target(p, line);
        let (spec, n) = t(b"a,b,>=,98.5,2030,2020,90,true\nnext").unwrap_or_else(|| panic!());
        assert_eq!(n, 30);
        assert_eq!(
            spec,
            TargetSpec {
                comparator: Comparator::Ge,
                value: 98.5,
                year: 2030,
                baseline_year: Some(2020),
                baseline_value: Some(90.0),
                binding: true,
            }
        );
        let (spec, _) = t(b"a,b,<,1,2025,,,\n").unwrap_or_else(|| panic!());
        assert_eq!(
            (spec.comparator, spec.baseline_year, spec.binding),
            (Comparator::Lt, None, false)
        );
        // Left to the line path: another series, spaces, CR LF, too few or too many
        // fields (a field never runs into the next line), other spellings.
        assert!(t(b"a,c,>=,1,2030,,,false\n").is_none());
        assert!(t(b"a,b,>=, 1,2030,,,false\n").is_none());
        assert!(t(b"a,b,>=,1,2030,,,false\r\n").is_none());
        assert!(t(b"a,b,>=,1,2030,,false\na,b,>=,1,2030,,,false\n").is_none());
        assert!(t(b"a,b,>=,1,2030,,,false,x\n").is_none());
        assert!(t(b"a,b,==,1,2030,,,false\n").is_none());
        assert!(t(b"a,b,>=,1e2,2030,,,false\n").is_none());
        assert!(t(b"a,b,>=,1,2030,,,false").is_none());
    }

    #[test]
    fn plain_split() {
        assert_eq!(
            split_plain::<4>(b"a,b,2020,1.5"),
            Some([&b"a"[..], b"b", b"2020", b"1.5"])
        );
        assert_eq!(split_plain::<3>(b"\xe7\x94\xb2\xe5\x8e\xbf,-1,-,"), None);
        assert_eq!(
            split_plain::<4>(b"\xe7\x94\xb2\xe5\x8e\xbf,-1,-,"),
            Some([&b"\xe7\x94\xb2\xe5\x8e\xbf"[..], b"-1", b"-", b""])
        );
        assert_eq!(split_plain::<2>(b"a,b,c"), None);
        assert_eq!(split_plain::<2>(b"abc"), None);
        assert_eq!(split_plain::<2>(b"\"a\",b"), None);
        assert_eq!(split_plain::<2>(b" a , b "), Some([&b"a"[..], b"b"]));
    }

    proptest! {
        /// Splitting eight bytes at a time finds the commas a byte loop finds.
        #[test]
        fn plain_split_finds_every_comma(line in proptest::collection::vec(
            prop_oneof![Just(b','), Just(b'-'), Just(b'+'), Just(0u8), Just(0x2du8), Just(0xacu8), any::<u8>()],
            0..40,
        )) {
            let fields: Vec<&[u8]> = line.split(|&b| b == b',').map(<[u8]>::trim_ascii).collect();
            let quoted = fields.iter().any(|f| f.first() == Some(&b'"'));
            let want5 = (fields.len() == 5 && !quoted).then(|| fields.clone());
            prop_assert_eq!(split_plain::<5>(&line).map(|a| a.to_vec()), want5);
            let want2 = (fields.len() == 2 && !quoted).then(|| fields.clone());
            prop_assert_eq!(split_plain::<2>(&line).map(|a| a.to_vec()), want2);
        }

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
