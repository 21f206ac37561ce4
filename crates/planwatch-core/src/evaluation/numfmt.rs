//! printf-style `%.{P}g` formatting, digit for digit.
//!
//! The plain-file form prints numbers "as printf's `%.6g`", so implementations in other
//! languages can be compared byte for byte. The fast path scales the value by an exact
//! power of ten (one correctly rounded multiplication) and rounds to an integer; when the
//! scaled value lies too close to a rounding tie for that to be certain, it falls back to
//! the standard library's exact decimal conversion, which rounds ties to even like glibc.

/// Exact powers of ten as `f64` (all representable up to 1e22).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Exact powers of ten as integers, for the rounded significand.
const POW10_U64: [u64; 16] = [
    1,
    10,
    100,
    1_000,
    10_000,
    100_000,
    1_000_000,
    10_000_000,
    100_000_000,
    1_000_000_000,
    10_000_000_000,
    100_000_000_000,
    1_000_000_000_000,
    10_000_000_000_000,
    100_000_000_000_000,
    1_000_000_000_000_000,
];

/// "00" to "99", two digits at a time.
const DIGIT_PAIRS: [u8; 200] = {
    let mut t = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        t[2 * i] = b'0' + (i / 10) as u8;
        t[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    t
};

/// The longest `%.{P}g` text: a sign, 17 digits, a point and "e+308" (or "0.000" and 17
/// digits), with room to spare.
pub const G_MAX: usize = 32;

/// Appends `x` formatted as printf's `%.{precision}g` (precision 1..=17; 0 counts as 1).
pub fn write_g(out: &mut Vec<u8>, x: f64, precision: usize) {
    let mut buf = [0u8; G_MAX];
    let n = format_g(x, precision, &mut buf);
    out.extend_from_slice(&buf[..n]);
}

/// Writes `x` formatted as printf's `%.{precision}g` at the start of `buf` and returns
/// its length. For callers that copy fixed-size blocks instead of short slices.
#[inline]
pub fn format_g(x: f64, precision: usize, buf: &mut [u8; G_MAX]) -> usize {
    let p = precision.clamp(1, 17);
    let put = |buf: &mut [u8; G_MAX], s: &[u8; 4], n: usize| {
        buf[..4].copy_from_slice(s);
        n
    };
    if x.is_nan() {
        return if x.is_sign_negative() {
            put(buf, b"-nan", 4)
        } else {
            put(buf, b"nan\0", 3)
        };
    }
    let neg = x.is_sign_negative();
    let a = x.abs();
    if a.is_infinite() {
        return if neg {
            put(buf, b"-inf", 4)
        } else {
            put(buf, b"inf\0", 3)
        };
    }
    if a == 0.0 {
        return if neg {
            put(buf, b"-0\0\0", 2)
        } else {
            put(buf, b"0\0\0\0", 1)
        };
    }
    let sign = usize::from(neg);
    buf[0] = b'-';
    let (_, rest) = buf.split_at_mut(sign);
    if let Some((n, exp)) = fast_int(a, p) {
        return sign + layout_int(rest, n, exp, p as i32);
    }
    let mut digits = [0u8; 17];
    let exp = slow_digits(a, p, &mut digits);
    sign + layout(rest, &digits[..p], exp, p as i32)
}

/// `%.6g` into a new `String`.
pub fn format_g6(x: f64) -> String {
    let mut v = Vec::with_capacity(16);
    write_g(&mut v, x, 6);
    // Only ASCII is ever written.
    String::from_utf8(v).unwrap_or_default()
}

/// The significant digits of `a` rounded to `p` of them, as an integer of exactly `p`
/// digits, and the decimal exponent of the first digit; `None` when unsure.
#[inline]
fn fast_int(a: f64, p: usize) -> Option<(u64, i32)> {
    if p > 15 {
        return None;
    }
    // floor(log10(a)) from the binary exponent, off by at most one (fixed below).
    let bexp = ((a.to_bits() >> 52) & 0x7ff) as i32;
    if bexp == 0 {
        return None; // subnormal
    }
    let mut x0 = ((bexp - 1023) * 78913) >> 18;
    let lo = POW10[p - 1];
    let hi = POW10[p];
    for _ in 0..2 {
        let k = p as i32 - 1 - x0;
        let m = if k >= 0 {
            a * *POW10.get(k as usize)?
        } else {
            a / *POW10.get((-k) as usize)?
        };
        if m < lo {
            x0 -= 1;
            continue;
        }
        if m >= hi {
            x0 += 1;
            continue;
        }
        // m is positive and below 1e15: truncation is the floor (no libm call).
        let fl = m as u64;
        let frac = m - fl as f64;
        // The scaled value carries at most half an ulp of error (< 1e-9 here); only a
        // fraction that close to one half could round the other way.
        if (frac - 0.5).abs() < 1e-6 {
            return None;
        }
        let mut n = if frac > 0.5 { fl + 1 } else { fl };
        let mut exp = x0;
        if n >= POW10_U64[p] {
            n /= 10;
            exp += 1;
        }
        return Some((n, exp));
    }
    None
}

/// Fills `digits[..p]` with the significant digits of `a` rounded to `p` of them and
/// returns the decimal exponent of the first digit, or `None` when unsure.
#[cfg(test)]
fn fast_digits(a: f64, p: usize, digits: &mut [u8; 17]) -> Option<i32> {
    let (n, exp) = fast_int(a, p)?;
    put_digits(&mut digits[..], 0, n, p);
    Some(exp)
}

/// Writes the last `count` decimal digits of `n` (zero-padded) at `out[pos..pos + count]`.
#[inline]
fn put_digits(out: &mut [u8], pos: usize, mut n: u64, count: usize) {
    let mut i = pos + count;
    while i >= pos + 2 {
        let d = (n % 100) as usize * 2;
        n /= 100;
        out[i - 2] = DIGIT_PAIRS[d];
        out[i - 1] = DIGIT_PAIRS[d + 1];
        i -= 2;
    }
    if i > pos {
        out[pos] = b'0' + (n % 10) as u8;
    }
}

/// [`layout`] for `p` digits given as the integer `n` (`10^(p-1) <= n < 10^p`): the digits
/// go straight to their places.
#[inline]
fn layout_int(out: &mut [u8], mut n: u64, exp: i32, p: i32) -> usize {
    // Significant digits without trailing zeros (at least one).
    let mut len = p as usize;
    while len > 1 && n.is_multiple_of(10) {
        n /= 10;
        len -= 1;
    }
    if exp < -4 || exp >= p {
        // d[.ddd]e±XX
        let rest = len - 1;
        let first = n / POW10_U64[rest];
        out[0] = b'0' + first as u8;
        let mut k = 1;
        if rest > 0 {
            out[1] = b'.';
            put_digits(out, 2, n, rest);
            k = 2 + rest;
        }
        out[k] = b'e';
        out[k + 1] = if exp < 0 { b'-' } else { b'+' };
        k += 2;
        let e = exp.unsigned_abs() as usize;
        if e >= 100 {
            out[k] = b'0' + (e / 100) as u8;
            k += 1;
        }
        let d = (e % 100) * 2;
        out[k] = DIGIT_PAIRS[d];
        out[k + 1] = DIGIT_PAIRS[d + 1];
        k + 2
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        if len <= int_len {
            // An integer: the digits, then zeros.
            put_digits(out, 0, n, len);
            out[len..int_len].fill(b'0');
            int_len
        } else {
            let frac = len - int_len;
            let scale = POW10_U64[frac];
            put_digits(out, 0, n / scale, int_len);
            out[int_len] = b'.';
            put_digits(out, int_len + 1, n % scale, frac);
            len + 1
        }
    } else {
        // 0.000ddd
        let z = (-exp - 1) as usize;
        out[0] = b'0';
        out[1] = b'.';
        out[2..2 + z].fill(b'0');
        put_digits(out, 2 + z, n, len);
        2 + z + len
    }
}

/// The exact path: the standard library's `{:.*e}` is correctly rounded (ties to even).
fn slow_digits(a: f64, p: usize, digits: &mut [u8; 17]) -> i32 {
    let s = format!("{:.*e}", p - 1, a);
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let mut i = 0;
    for b in mant.bytes().filter(u8::is_ascii_digit) {
        if i < p {
            digits[i] = b;
            i += 1;
        }
    }
    while i < p {
        digits[i] = b'0';
        i += 1;
    }
    exp.parse().unwrap_or(0)
}

/// Lays the digits out at the start of `out` (at least `G_MAX - 1` bytes) and returns
/// the length: fixed notation or with an exponent, trailing zeros removed.
fn layout(out: &mut [u8], digits: &[u8], exp: i32, p: i32) -> usize {
    // Significant digits without trailing zeros (at least one).
    let mut len = digits.len();
    while len > 1 && digits[len - 1] == b'0' {
        len -= 1;
    }
    // The longest form is fixed notation with exp = -4: "0.000" and 17 digits; or 17
    // digits, '.', "e+308": 23 bytes.
    let buf = out;
    let mut k = 0;
    if exp < -4 || exp >= p {
        buf[0] = digits[0];
        k = 1;
        if len > 1 {
            buf[1] = b'.';
            buf[2..len + 1].copy_from_slice(&digits[1..len]);
            k = len + 1;
        }
        buf[k] = b'e';
        buf[k + 1] = if exp < 0 { b'-' } else { b'+' };
        k += 2;
        let e = exp.unsigned_abs() as usize;
        if e >= 100 {
            buf[k] = b'0' + (e / 100) as u8;
            k += 1;
        }
        let d = (e % 100) * 2;
        buf[k] = DIGIT_PAIRS[d];
        buf[k + 1] = DIGIT_PAIRS[d + 1];
        k += 2;
    } else if exp >= 0 {
        let int_len = exp as usize + 1;
        if len <= int_len {
            buf[..len].copy_from_slice(&digits[..len]);
            buf[len..int_len].fill(b'0');
            k = int_len;
        } else {
            buf[..int_len].copy_from_slice(&digits[..int_len]);
            buf[int_len] = b'.';
            buf[int_len + 1..len + 1].copy_from_slice(&digits[int_len..len]);
            k = len + 1;
        }
    } else {
        let z = (-exp - 1) as usize;
        buf[0] = b'0';
        buf[1] = b'.';
        buf[2..2 + z].fill(b'0');
        k += 2 + z;
        buf[k..k + len].copy_from_slice(&digits[..len]);
        k += len;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(x: f64, p: usize) -> String {
        let mut v = Vec::new();
        write_g(&mut v, x, p);
        String::from_utf8(v).unwrap_or_default()
    }

    /// Outputs of glibc's printf("%.6g") (and %.2g / %.3g where noted).
    #[test]
    fn matches_printf() {
        let cases: &[(f64, &str)] = &[
            (0.0, "0"),
            (-0.0, "-0"),
            (1.0, "1"),
            (-1.5, "-1.5"),
            (96.1, "96.1"),
            (0.1, "0.1"),
            (1.0 / 3.0, "0.333333"),
            (2.0 / 3.0, "0.666667"),
            (123456.0, "123456"),
            (1234567.0, "1.23457e+06"),
            (999999.0, "999999"),
            (999999.5, "1e+06"),
            (999999.4, "999999"),
            (1e6, "1e+06"),
            (1e-4, "0.0001"),
            (1.23456789e-4, "0.000123457"),
            (1e-5, "1e-05"),
            (1.5e-5, "1.5e-05"),
            (-2.5e-7, "-2.5e-07"),
            (1e100, "1e+100"),
            (1.7976931348623157e308, "1.79769e+308"),
            (5e-324, "4.94066e-324"),
            (100.0, "100"),
            (100000.0, "100000"),
            (0.000099999, "9.9999e-05"),
            (0.00009999995, "0.0001"),
            (1234565.0, "1.23456e+06"),
            (1234575.0, "1.23458e+06"),
            (0.5, "0.5"),
            (12.3456789, "12.3457"),
            (-0.000123, "-0.000123"),
            (f64::INFINITY, "inf"),
            (f64::NEG_INFINITY, "-inf"),
            (f64::NAN, "nan"),
            (2.675, "2.675"),
            (97.80000000000001, "97.8"),
            (3.0000005, "3"),
        ];
        for &(x, want) in cases {
            assert_eq!(g(x, 6), want, "{x:e}");
        }
        // %.2g / %.3g ties on exactly representable values: round half to even.
        assert_eq!(g(0.125, 2), "0.12");
        assert_eq!(g(0.375, 2), "0.38");
        assert_eq!(g(2.5, 1), "2");
        assert_eq!(g(3.5, 1), "4");
        assert_eq!(g(1.0, 3), "1");
        assert_eq!(g(3.0000015, 6), "3");
    }

    /// 3,000 values (random magnitudes, exact ties, random bit patterns) with printf's
    /// output for each.
    #[test]
    fn matches_printf_on_a_table() {
        let table = include_str!("testdata/g6.txt");
        let mut n = 0;
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let Some((x, want)) = line.split_once('\t') else {
                continue;
            };
            let Ok(x) = x.parse::<f64>() else {
                panic!("bad table line {line}");
            };
            assert_eq!(g(x, 6), want, "{x:e}");
            n += 1;
        }
        assert!(n > 2500);
    }

    /// Laying out the rounded integer gives the text the digit layout gives, at every
    /// precision and magnitude.
    #[test]
    fn integer_layout_agrees_with_digit_layout() {
        let mut s: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..200_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let mant = (s >> 11) as f64 / (1u64 << 53) as f64;
            let e = ((s & 0xff) as i32) - 128;
            let x = mant * 10f64.powi(e / 6);
            let p = 1 + (s >> 8) as usize % 15;
            let Some((n, exp)) = fast_int(x, p) else {
                continue;
            };
            let mut digits = [0u8; 17];
            put_digits(&mut digits, 0, n, p);
            let (mut a, mut b) = ([0u8; G_MAX], [0u8; G_MAX]);
            let la = layout_int(&mut a, n, exp, p as i32);
            let lb = layout(&mut b, &digits[..p], exp, p as i32);
            assert_eq!(&a[..la], &b[..lb], "{x:e} p={p}");
        }
    }

    #[test]
    fn fast_path_agrees_with_exact_path() {
        // A deterministic spread of magnitudes and mantissas.
        let mut s: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            let mant = (s >> 11) as f64 / (1u64 << 53) as f64;
            let e = ((s & 0xff) as i32) - 128;
            let x = mant * 10f64.powi(e / 4);
            if x == 0.0 || !x.is_finite() {
                continue;
            }
            let mut fast = [0u8; 17];
            let mut slow = [0u8; 17];
            if let Some(fe) = fast_digits(x, 6, &mut fast) {
                let se = slow_digits(x, 6, &mut slow);
                assert_eq!((fe, &fast[..6]), (se, &slow[..6]), "{x:e}");
            }
        }
    }
}
