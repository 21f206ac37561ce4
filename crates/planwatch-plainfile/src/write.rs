//! status.csv: one row per target, sorted by region, indicator, target_year (byte order;
//! ties keep the input order), numbers as printf's `%.6g`.
//!
//! Rows are composed in a buffer with room to spare, from fixed-size blocks (names,
//! numbers, the status and its warnings prepared once per run), so that a row costs a
//! few vector moves rather than a dozen short copies.

use planwatch_core::Comparator;
use planwatch_core::evaluation::numfmt::{G_MAX, format_g, write_g};
use planwatch_core::evaluation::{Evaluation, Status, TargetSpec, Warning, Warnings};

pub const STATUS_HEADER: &str = "region,indicator,target_year,comparator,target_value,latest_year,latest_value,baseline_year,baseline_value,expected,progress_ratio,projected,status,warnings\n";

/// A CSV field, quoted only when it has to be.
pub fn write_field(out: &mut Vec<u8>, s: &[u8]) {
    if s.iter().any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        out.push(b'"');
        for &b in s {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s);
    }
}

pub fn write_int(out: &mut Vec<u8>, v: i32) {
    let mut buf = [0u8; INT_MAX];
    let n = format_int(v, &mut buf);
    out.extend_from_slice(&buf[..n]);
}

const INT_MAX: usize = 12;

/// `v` in decimal at the start of `buf`; returns its length.
#[inline]
fn format_int(v: i32, buf: &mut [u8; INT_MAX]) -> usize {
    let mut n = v.unsigned_abs();
    let mut digits = 1;
    let mut t = n;
    while t >= 10 {
        t /= 10;
        digits += 1;
    }
    let sign = usize::from(v < 0);
    buf[0] = b'-';
    let len = sign + digits;
    for k in (sign..len).rev() {
        buf[k] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    len
}

/// Longest piece kept in a fixed block.
const PIECE: usize = 96;

/// A piece of text followed by its separator: short ones in a fixed block.
enum Piece {
    Short([u8; PIECE], usize),
    Long(Box<[u8]>),
}

impl Piece {
    fn new(text: &[u8]) -> Piece {
        if text.len() <= PIECE {
            let mut b = [0u8; PIECE];
            b[..text.len()].copy_from_slice(text);
            Piece::Short(b, text.len())
        } else {
            Piece::Long(text.into())
        }
    }

    fn max_len(&self) -> usize {
        match self {
            Piece::Short(..) => PIECE,
            Piece::Long(b) => b.len(),
        }
    }

    /// Writes at `pos` (with at least `max_len` bytes of room) and returns the new end.
    #[inline]
    fn put(&self, buf: &mut [u8], pos: usize) -> usize {
        match self {
            Piece::Short(b, n) => {
                buf[pos..pos + PIECE].copy_from_slice(b);
                pos + n
            }
            Piece::Long(b) => {
                buf[pos..pos + b.len()].copy_from_slice(b);
                pos + b.len()
            }
        }
    }
}

/// Room for the fixed part of a row: year, comparator, six numbers, three years.
const ROW_FIXED: usize = 16 * (G_MAX + 1);

/// Writes status.csv rows for one set of region and indicator names.
pub struct RowWriter {
    regions: Vec<Piece>,
    indicators: Vec<Piece>,
    /// "status,warnings\n" per status and set of warnings.
    tails: Vec<Piece>,
}

/// Index of a set of warnings among the 16.
fn warnings_index(w: Warnings) -> usize {
    Warning::ALL
        .iter()
        .enumerate()
        .map(|(k, &x)| usize::from(w.contains(x)) << k)
        .sum()
}

impl RowWriter {
    /// Prepares the names (`region,` and `indicator,` as CSV fields).
    pub fn new(regions: &[Box<[u8]>], indicators: &[Box<[u8]>]) -> RowWriter {
        let field = |name: &[u8]| {
            let mut v = Vec::with_capacity(name.len() + 3);
            write_field(&mut v, name);
            v.push(b',');
            Piece::new(&v)
        };
        let mut tails = Vec::with_capacity(Status::ALL.len() << Warning::ALL.len());
        for status in Status::ALL {
            for bits in 0..1usize << Warning::ALL.len() {
                let w: Warnings = Warning::ALL
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| bits & (1 << k) != 0)
                    .map(|(_, &x)| x)
                    .collect();
                let text = format!("{},{}\n", status.as_str(), w.joined());
                tails.push(Piece::new(text.as_bytes()));
            }
        }
        RowWriter {
            regions: regions.iter().map(|n| field(n)).collect(),
            indicators: indicators.iter().map(|n| field(n)).collect(),
            tails,
        }
    }

    /// Writes one row (with its newline) at `buf[used..]`, growing `buf` when it has
    /// too little room, and returns the new end. `buf[..used]` is kept; bytes past the
    /// returned end are scratch.
    #[inline]
    pub fn write_at(
        &self,
        buf: &mut Vec<u8>,
        used: usize,
        region: u32,
        indicator: u32,
        t: &TargetSpec,
        e: &Evaluation,
    ) -> usize {
        let (Some(r), Some(i)) = (
            self.regions.get(region as usize),
            self.indicators.get(indicator as usize),
        ) else {
            return used;
        };
        let tail =
            &self.tails[e.status.index() * (1 << Warning::ALL.len()) + warnings_index(e.warnings)];
        let room = r.max_len() + i.max_len() + ROW_FIXED + tail.max_len();
        if buf.len() < used + room {
            let grown = (used + room).max(2 * buf.len());
            buf.resize(grown, 0);
        }
        let b = buf.as_mut_slice();
        let mut pos = r.put(b, used);
        pos = i.put(b, pos);
        pos = int(b, pos, Some(t.year));
        let c: &[u8; 3] = match t.comparator {
            Comparator::Ge => b">=,",
            Comparator::Le => b"<=,",
            Comparator::Gt => b">, ",
            Comparator::Lt => b"<, ",
            Comparator::Eq => b"=, ",
        };
        b[pos..pos + 3].copy_from_slice(c);
        pos += t.comparator.as_str().len() + 1;
        pos = num(b, pos, Some(t.value));
        pos = int(b, pos, e.latest.map(|l| l.year));
        pos = num(b, pos, e.latest.map(|l| l.value));
        pos = int(b, pos, e.baseline_year);
        pos = num(b, pos, e.baseline_value);
        pos = num(b, pos, e.expected);
        pos = num(b, pos, e.progress_ratio);
        pos = num(b, pos, e.projected);
        tail.put(b, pos)
    }
}

/// A number (or nothing) and a comma at `pos`.
#[inline]
fn num(b: &mut [u8], pos: usize, x: Option<f64>) -> usize {
    let mut pos = pos;
    if let Some(x) = x
        && let Ok(dst) = <&mut [u8; G_MAX]>::try_from(&mut b[pos..pos + G_MAX])
    {
        pos += format_g(x, 6, dst);
    }
    b[pos] = b',';
    pos + 1
}

/// A year (or nothing) and a comma at `pos`.
#[inline]
fn int(b: &mut [u8], pos: usize, x: Option<i32>) -> usize {
    let mut pos = pos;
    if let Some(x) = x
        && let Ok(dst) = <&mut [u8; INT_MAX]>::try_from(&mut b[pos..pos + INT_MAX])
    {
        pos += format_int(x, dst);
    }
    b[pos] = b',';
    pos + 1
}

/// Appends one status.csv row (with its newline): the simple form of
/// [`RowWriter::write_at`], kept as its reference in the tests.
pub fn write_row(
    out: &mut Vec<u8>,
    region: &[u8],
    indicator: &[u8],
    t: &TargetSpec,
    e: &Evaluation,
) {
    write_field(out, region);
    out.push(b',');
    write_field(out, indicator);
    out.push(b',');
    write_int(out, t.year);
    out.push(b',');
    out.extend_from_slice(t.comparator.as_str().as_bytes());
    out.push(b',');
    let num = |out: &mut Vec<u8>, x: Option<f64>| {
        if let Some(x) = x {
            write_g(out, x, 6);
        }
        out.push(b',');
    };
    let int = |out: &mut Vec<u8>, x: Option<i32>| {
        if let Some(x) = x {
            write_int(out, x);
        }
        out.push(b',');
    };
    num(out, Some(t.value));
    int(out, e.latest.map(|l| l.year));
    num(out, e.latest.map(|l| l.value));
    int(out, e.baseline_year);
    num(out, e.baseline_value);
    num(out, e.expected);
    num(out, e.progress_ratio);
    num(out, e.projected);
    out.extend_from_slice(e.status.as_str().as_bytes());
    out.push(b',');
    out.extend_from_slice(e.warnings.joined().as_bytes());
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use planwatch_core::evaluation::Observation;

    /// The block writer gives the simple writer's bytes, for every comparator, status,
    /// set of warnings, quoted and long names, and numbers of every shape.
    #[test]
    fn row_writer_matches_simple_rows() {
        let regions: Vec<Box<[u8]>> = vec![
            "甲县".as_bytes().into(),
            b"a,\"b\"".as_slice().into(),
            "很长的地区名".repeat(10).into_bytes().into(),
        ];
        let indicators: Vec<Box<[u8]>> =
            vec!["住院分娩率".as_bytes().into(), b"x".as_slice().into()];
        let w = RowWriter::new(&regions, &indicators);
        let comparators = [
            Comparator::Ge,
            Comparator::Le,
            Comparator::Gt,
            Comparator::Lt,
            Comparator::Eq,
        ];
        let numbers = [
            None,
            Some(0.0),
            Some(-0.0),
            Some(96.1),
            Some(-1234567.0),
            Some(1e-300),
            Some(-2.5e-7),
            Some(0.000123456789),
        ];
        let mut simple = Vec::new();
        let mut block = vec![7u8; 3];
        let mut used = 0;
        let mut k = 0usize;
        for status in Status::ALL {
            for bits in 0..16usize {
                let warnings: Warnings = Warning::ALL
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| bits & (1 << j) != 0)
                    .map(|(_, &x)| x)
                    .collect();
                k += 1;
                let n = |j: usize| numbers[(k * 7 + j * 3) % numbers.len()];
                let t = TargetSpec {
                    comparator: comparators[k % comparators.len()],
                    value: n(0).unwrap_or(1.0),
                    year: [2030, -5, 0, 12345][k % 4],
                    baseline_year: None,
                    baseline_value: None,
                    binding: k.is_multiple_of(2),
                };
                let e = Evaluation {
                    status,
                    latest: n(1).map(|v| Observation::new(2024, v)),
                    baseline_year: [None, Some(2015), Some(-1)][k % 3],
                    baseline_value: n(2),
                    expected: n(3),
                    progress_ratio: n(4),
                    slope: None,
                    projected: n(5),
                    points: 0,
                    warnings,
                };
                let (r, i) = (k % regions.len(), k % indicators.len());
                write_row(&mut simple, &regions[r], &indicators[i], &t, &e);
                used = w.write_at(&mut block, used, r as u32, i as u32, &t, &e);
            }
        }
        block.truncate(used);
        assert_eq!(
            String::from_utf8_lossy(&block),
            String::from_utf8_lossy(&simple)
        );
    }
}
