//! .html: the page's text with its block structure, tables row by row; scripts, styles
//! and navigation dropped.

use scraper::{ElementRef, Html, Node};

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "head", "iframe", "svg", "form",
    "button", "select", "template",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "aside",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "center",
    "body",
    "figure",
    "figcaption",
    "address",
    "hr",
];

pub(crate) fn blocks(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut out = Lines::default();
    walk(doc.root_element(), &mut out);
    out.flush();
    out.lines
}

#[derive(Default)]
struct Lines {
    lines: Vec<String>,
    current: String,
}

impl Lines {
    fn flush(&mut self) {
        let line = std::mem::take(&mut self.current);
        let trimmed = line.trim_end();
        if !trimmed.trim().is_empty() {
            self.lines.push(trimmed.to_string());
        }
    }

    fn push_text(&mut self, text: &str) {
        // Whitespace in HTML source is layout, not content; runs fold to one space.
        let mut last_space = self.current.ends_with(' ') || self.current.is_empty();
        for c in text.chars() {
            if c.is_whitespace() && c != '\u{3000}' {
                if !last_space {
                    self.current.push(' ');
                    last_space = true;
                }
            } else {
                self.current.push(c);
                last_space = false;
            }
        }
    }
}

fn walk(element: ElementRef<'_>, out: &mut Lines) {
    let name = element.value().name();
    if SKIPPED.contains(&name) {
        return;
    }
    if name == "table" {
        out.flush();
        table_rows(element, out);
        return;
    }
    if name == "tr" {
        // A row outside a table element (broken markup): one line all the same.
        out.flush();
        let mut pending = Vec::new();
        out.lines.push(row_line(element, &mut pending));
        return;
    }
    if name == "br" {
        out.flush();
        return;
    }
    let block = BLOCKS.contains(&name);
    if block {
        out.flush();
    }
    walk_children(element, out);
    if block {
        out.flush();
    }
}

/// The rows of a table, one line each; a cell spanning rows (rowspan, as 类别 often does)
/// leaves an empty cell in the rows below, so that columns stay in place.
fn table_rows(table: ElementRef<'_>, out: &mut Lines) {
    let mut pending: Vec<(usize, usize)> = Vec::new(); // (column, rows still covered)
    let mut stack: Vec<ElementRef<'_>> = table.children().filter_map(ElementRef::wrap).collect();
    stack.reverse();
    while let Some(el) = stack.pop() {
        match el.value().name() {
            "tr" => out.lines.push(row_line(el, &mut pending)),
            "thead" | "tbody" | "tfoot" => {
                let mut children: Vec<ElementRef<'_>> =
                    el.children().filter_map(ElementRef::wrap).collect();
                children.reverse();
                stack.extend(children);
            }
            "caption" => {
                walk_children(el, out);
                out.flush();
            }
            _ => {}
        }
    }
}

fn row_line(row: ElementRef<'_>, pending: &mut Vec<(usize, usize)>) -> String {
    let mut cells: Vec<String> = Vec::new();
    let mut new_spans: Vec<(usize, usize)> = Vec::new();
    let covered =
        |col: usize, pending: &Vec<(usize, usize)>| pending.iter().any(|&(c, n)| c == col && n > 0);
    for cell in row
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|c| matches!(c.value().name(), "td" | "th"))
    {
        while covered(cells.len(), pending) {
            cells.push(String::new());
        }
        let mut inner = Lines::default();
        walk_children(cell, &mut inner);
        inner.flush();
        let span = |attr: &str| {
            cell.value()
                .attr(attr)
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(1)
                .clamp(1, 1000)
        };
        let (rowspan, colspan) = (span("rowspan"), span("colspan"));
        if rowspan > 1 {
            new_spans.push((cells.len(), rowspan - 1));
        }
        cells.push(inner.lines.join(" "));
        for _ in 1..colspan.min(50) {
            cells.push(String::new());
        }
    }
    while covered(cells.len(), pending) {
        cells.push(String::new());
    }
    for p in pending.iter_mut() {
        p.1 = p.1.saturating_sub(1);
    }
    pending.retain(|p| p.1 > 0);
    pending.extend(new_spans);
    format!("\t{}", cells.join("\t"))
}

fn walk_children(element: ElementRef<'_>, out: &mut Lines) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_text(text),
            Node::Element(_) => {
                if let Some(el) = ElementRef::wrap(child) {
                    walk(el, out);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_tables_and_dropped_furniture() {
        let html = r#"<html><head><title>t</title><style>p{}</style></head><body>
            <nav>首页 &gt; 政务公开</nav><script>var a=1;</script>
            <h1>某县妇女发展规划</h1><p>主要目标：</p><p>1.孕产妇死亡率<b>控制在</b>12/10万以下。</p>
            <table><tr><td>1</td><td>婚前医学检查率（%）</td><td>≥ 70</td></tr></table>
            <footer>版权所有</footer></body></html>"#;
        assert_eq!(
            blocks(html),
            vec![
                "某县妇女发展规划",
                "主要目标：",
                "1.孕产妇死亡率控制在12/10万以下。",
                "\t1\t婚前医学检查率（%）\t≥ 70",
            ]
        );
    }
}

#[cfg(test)]
mod span_tests {
    use super::*;

    #[test]
    fn a_category_spanning_rows_keeps_the_columns_in_place() {
        let html = "<table><tr><th>类别</th><th>指标</th><th>目标值</th></tr>\
            <tr><td rowspan=\"2\">妇女与健康</td><td>孕产妇死亡率</td><td>≤9</td></tr>\
            <tr><td>婚前医学检查率</td><td>≥70</td></tr></table>";
        assert_eq!(
            blocks(html),
            vec![
                "\t类别\t指标\t目标值",
                "\t妇女与健康\t孕产妇死亡率\t≤9",
                "\t\t婚前医学检查率\t≥70"
            ]
        );
    }
}
