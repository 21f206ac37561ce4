//! Cell names and the numbers people type.

/// A1 name of a zero-based (row, column).
pub(crate) fn a1(row: u32, col: u32) -> String {
    let mut letters = Vec::new();
    let mut c = col + 1;
    while c > 0 {
        let rem = (c - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        c = (c - 1) / 26;
    }
    letters.iter().rev().collect::<String>() + &(row + 1).to_string()
}

/// Why typed text is not a number.
#[derive(Debug, PartialEq)]
pub(crate) enum NotNumber {
    /// "12,5": a comma used as decimal mark (or a thousands separator; both refused).
    Comma,
    Negative,
    Text,
}

/// Parses text typed into a value cell: digits with at most one decimal point, after
/// folding full-width digits and the full-width dot ("１２．５" → 12.5). Surrounding
/// blanks are ignored. No signs, exponents, "inf" or "NaN".
pub(crate) fn parse_number(text: &str) -> Result<f64, NotNumber> {
    let folded: String = planwatch_text::fold::fold(text)
        .chars()
        .map(|c| if c == '。' { '.' } else { c })
        .collect();
    let s = folded.trim();
    if s.contains(',')
        && s.chars()
            .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    {
        return Err(NotNumber::Comma);
    }
    let (negative, digits) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, s),
    };
    let mut dots = 0;
    let mut seen_digit = false;
    for c in digits.chars() {
        match c {
            '0'..='9' => seen_digit = true,
            '.' => dots += 1,
            _ => return Err(NotNumber::Text),
        }
    }
    if !seen_digit || dots > 1 {
        return Err(NotNumber::Text);
    }
    if negative {
        return Err(NotNumber::Negative);
    }
    let v: f64 = digits.parse().map_err(|_| NotNumber::Text)?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(NotNumber::Text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_cells() {
        assert_eq!(a1(0, 0), "A1");
        assert_eq!(a1(4, 6), "G5");
        assert_eq!(a1(9, 26), "AA10");
        assert_eq!(a1(0, 701), "ZZ1");
        assert_eq!(a1(0, 702), "AAA1");
    }

    #[test]
    fn parses_numbers() {
        assert_eq!(parse_number("12.5"), Ok(12.5));
        assert_eq!(parse_number(" １２．５ "), Ok(12.5));
        assert_eq!(parse_number("１２。５"), Ok(12.5));
        assert_eq!(parse_number(".5"), Ok(0.5));
        assert_eq!(parse_number("12,5"), Err(NotNumber::Comma));
        assert_eq!(parse_number("１２，５"), Err(NotNumber::Comma));
        assert_eq!(parse_number("1,234.5"), Err(NotNumber::Comma));
        assert_eq!(parse_number("-3"), Err(NotNumber::Negative));
        for bad in ["", ".", "1.2.3", "约12", "12%", "inf", "NaN", "1e5", "+3"] {
            assert_eq!(parse_number(bad), Err(NotNumber::Text), "{bad}");
        }
    }
}
