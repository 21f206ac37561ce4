//! serde_json's English errors as Chinese sentences that name the field and what is wrong
//! ("字段“value”应为数字"), for API bodies. serde_json gives a category, a position and
//! an English message; the message's shapes are serde's, stable for years, so they are
//! read here rather than shown.

use serde_json::error::Category;

/// `path` is where the error is (`value`, `a.b`, or empty or `.` for the whole body).
pub(crate) fn explain(path: &str, e: &serde_json::Error) -> String {
    let (line, column) = (e.line(), e.column());
    match e.classify() {
        Category::Io => "请求内容未能读取，请重试。".into(),
        Category::Eof if line <= 1 && column == 0 => {
            "请求内容为空：应为一个 JSON 对象，如 {\"value\": 1}。".into()
        }
        Category::Eof => format!("请求内容不完整：JSON 在第{line}行第{column}列处意外结束。"),
        Category::Syntax => format!("第{line}行第{column}列附近不是有效的 JSON。"),
        Category::Data => data(path, &e.to_string()),
    }
}

fn data(path: &str, message: &str) -> String {
    // serde_json appends " at line N column M".
    let message = match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    let path = match path.trim_matches('.') {
        "" | "?" => None,
        p => Some(p),
    };
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let mut names = backticked(rest).into_iter();
        let field = names.next().unwrap_or_default();
        let allowed: Vec<&str> = names.collect();
        return if allowed.is_empty() {
            format!("未知字段“{field}”。")
        } else {
            format!("未知字段“{field}”。可用字段：{}。", allowed.join("、"))
        };
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).into_iter().next().unwrap_or_default();
        return format!("缺少字段“{field}”。");
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let field = backticked(rest).into_iter().next().unwrap_or_default();
        return format!("字段“{field}”出现了不止一次。");
    }
    let what = |path: Option<&str>| match path {
        Some(p) => format!("字段“{p}”"),
        None => "请求内容".to_string(),
    };
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        let (got, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
        let expected = kind(expected);
        return match unexpected(got) {
            Some(got) => format!("{}应为{expected}，收到的是{got}。", what(path)),
            None => format!("{}应为{expected}。", what(path)),
        };
    }
    if let Some(rest) = message.strip_prefix("invalid value: ") {
        let (_, expected) = rest.rsplit_once(", expected ").unwrap_or((rest, ""));
        return format!(
            "{}的值无效：应为{}（且不超出范围）。",
            what(path),
            kind(expected)
        );
    }
    if let Some(rest) = message.strip_prefix("invalid length ") {
        // serde lets a struct be written as an array of its fields; nobody means that.
        if rest.contains("expected struct") {
            return format!("{}应为一个 JSON 对象（{{…}}），收到的是数组。", what(path));
        }
        return format!("{}的元素个数不对。", what(path));
    }
    match path {
        Some(p) => format!("字段“{p}”的值无效。"),
        None => "请求内容无法识别：应为一个 JSON 对象。".into(),
    }
}

/// The `names` between backticks, in order.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// What serde expected (`f64`, `a string`, `struct PatchBody` …), in Chinese.
fn kind(expected: &str) -> &'static str {
    let e = expected.trim();
    let word = e.split_whitespace().next().unwrap_or("");
    match word {
        "f32" | "f64" => "数字",
        "i8" | "i16" | "i32" | "i64" | "i128" | "u8" | "u16" | "u32" | "u64" | "u128" => "整数",
        _ if e.contains("string") || e == "a character" => "文本（字符串）",
        _ if e.contains("boolean") => "true 或 false",
        _ if e.starts_with("struct") || e.contains("map") => "一个 JSON 对象（{…}）",
        _ if e.contains("sequence") || e.contains("tuple") => "数组（[…]）",
        _ if e.contains("integer") => "整数",
        _ if e.contains("float") || e.contains("number") => "数字",
        _ => "其他类型的值",
    }
}

/// What serde got (`string "abc"`, `integer `3``, `map` …), in Chinese; `None` when the
/// shape is unknown.
fn unexpected(got: &str) -> Option<String> {
    let got = got.trim();
    if let Some(s) = got.strip_prefix("string ") {
        return Some(format!("文本 {s}"));
    }
    let ticked = backticked(got).into_iter().next();
    let word = got.split_whitespace().next().unwrap_or("");
    Some(match (word, ticked) {
        ("integer" | "floating", Some(n)) => format!("数字 {n}"),
        ("boolean", Some(b)) => b.to_string(),
        ("null", _) | ("unit", _) => "null".into(),
        ("map", _) => "JSON 对象".into(),
        ("sequence", _) => "数组".into(),
        ("char", Some(c)) => format!("文本 \"{c}\""),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::explain;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        value: Option<f64>,
        year: Option<i32>,
        by: String,
    }

    fn check(json: &str) -> String {
        let mut de = serde_json::Deserializer::from_slice(json.as_bytes());
        let e = serde_path_to_error::deserialize::<_, Body>(&mut de).expect_err("an error");
        explain(&e.path().to_string(), e.inner())
    }

    #[test]
    fn chinese() {
        assert_eq!(
            check(r#"{"value": "abc", "by": "a"}"#),
            "字段“value”应为数字，收到的是文本 \"abc\"。"
        );
        assert_eq!(
            check(r#"{"nope": 1, "by": "a"}"#),
            "未知字段“nope”。可用字段：value、year、by。"
        );
        assert_eq!(check(r#"{"value": 1}"#), "缺少字段“by”。");
        assert_eq!(
            check(r#"{"year": 99999999999, "by": "a"}"#),
            "字段“year”的值无效：应为整数（且不超出范围）。"
        );
        assert_eq!(
            check("[1, 2]"),
            "请求内容应为一个 JSON 对象（{…}），收到的是数组。"
        );
        assert_eq!(check("{\n\"by\": x}"), "第2行第7列附近不是有效的 JSON。");
        assert_eq!(
            check(""),
            "请求内容为空：应为一个 JSON 对象，如 {\"value\": 1}。"
        );
    }
}
