//! status.csv: one row per target, sorted by region, indicator, target_year (byte order;
//! ties keep the input order), numbers as printf's `%.6g`.

use planwatch_core::evaluation::numfmt::write_g;
use planwatch_core::evaluation::{Evaluation, TargetSpec};

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
    if v < 0 {
        out.push(b'-');
    }
    let mut n = v.unsigned_abs();
    let mut buf = [0u8; 10];
    let mut k = buf.len();
    loop {
        k -= 1;
        buf[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&buf[k..]);
}

fn num(out: &mut Vec<u8>, x: Option<f64>) {
    if let Some(x) = x {
        write_g(out, x, 6);
    }
    out.push(b',');
}

fn int(out: &mut Vec<u8>, x: Option<i32>) {
    if let Some(x) = x {
        write_int(out, x);
    }
    out.push(b',');
}

/// Appends one status.csv row (with its newline).
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
    int(out, Some(t.year));
    out.extend_from_slice(t.comparator.as_str().as_bytes());
    out.push(b',');
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
    let mut first = true;
    for w in e.warnings.iter() {
        if !first {
            out.push(b';');
        }
        first = false;
        out.extend_from_slice(w.as_str().as_bytes());
    }
    out.push(b'\n');
}
