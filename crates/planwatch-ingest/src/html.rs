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
    if name == "tr" {
        out.flush();
        let cells: Vec<String> = element
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|c| matches!(c.value().name(), "td" | "th"))
            .map(|cell| {
                let mut inner = Lines::default();
                walk_children(cell, &mut inner);
                inner.flush();
                inner.lines.join(" ")
            })
            .collect();
        out.lines.push(format!("\t{}", cells.join("\t")));
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
