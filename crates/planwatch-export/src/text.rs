//! Text cells that a spreadsheet opens as text, never as a formula, in every file we write
//! (CSV and xlsx): what a department typed must not run in the office's Excel.

/// Characters that make a spreadsheet read a cell as a formula when they start it.
pub const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// `s` with a leading `'` when it starts with a formula character (OWASP's CSV injection
/// advice). Only for text: a number column holds numbers, and `-5` stays a number.
pub fn neutral(s: &str) -> String {
    if s.starts_with(FORMULA_START) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A CSV field: quoted when it needs it.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV text field: [`neutral`], then quoted when it needs it.
pub fn csv_text(s: &str) -> String {
    csv_field(&neutral(s))
}

/// A CSV file Excel opens as UTF-8 (a byte order mark first), from rows of fields already
/// made with [`csv_field`] or [`csv_text`]; lines end with CRLF as RFC 4180 says.
pub fn csv_document(rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    for row in rows {
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_characters_are_neutralised_and_fields_quoted() {
        assert_eq!(csv_text("=1+1"), "'=1+1");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("-3"), "'-3");
        assert_eq!(csv_text("a,b"), "\"a,b\"");
        assert_eq!(csv_text("+\"x\""), "\"'+\"\"x\"\"\"");
        assert_eq!(csv_field("-3"), "-3");
        assert_eq!(csv_text("孕产妇死亡率"), "孕产妇死亡率");
        let doc = csv_document(&[vec!["a".into(), "b".into()]]);
        assert!(doc.starts_with("\u{feff}a,b\r\n".as_bytes()));
    }
}
