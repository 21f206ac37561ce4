//! Documents made from text lines: a minimal .docx and an .html page with furniture.
//! Shared by the format tests and the bench (`benches/parse.rs`).

use std::io::Write;

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A minimal .docx: one paragraph per line; a leading tab is a `<w:tab/>`.
pub fn docx_of(lines: &[&str]) -> Vec<u8> {
    let mut body = String::new();
    for line in lines {
        body.push_str("<w:p>");
        let (tab, text) = match line.strip_prefix('\t') {
            Some(rest) => (true, rest),
            None => (false, *line),
        };
        if tab {
            body.push_str("<w:r><w:tab/></w:r>");
        }
        body.push_str(&format!(
            "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            xml_escape(text)
        ));
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    let mut buffer = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buffer);
        let options = zip::write::SimpleFileOptions::default();
        let files = [
            ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".to_string()),
            ("word/document.xml", document),
        ];
        for (name, content) in files {
            if zip.start_file(name, options).is_err() || zip.write_all(content.as_bytes()).is_err()
            {
                panic!("cannot write the test docx");
            }
        }
        if zip.finish().is_err() {
            panic!("cannot finish the test docx");
        }
    }
    buffer.into_inner()
}

/// An .html page: paragraphs, one-cell table rows for the lines that are table cells, and
/// page furniture that the reader must drop.
pub fn html_of(lines: &[&str]) -> String {
    let mut html = String::from(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>规划</title><style>p{margin:0}</style>\
         <script>var x = '孕产妇死亡率达到99%以上';</script></head><body><nav>首页 &gt; 政务公开 &gt; 规划计划</nav>\n",
    );
    for line in lines {
        match line.strip_prefix('\t') {
            Some(cell) => html.push_str(&format!(
                "<table><tr><td>{}</td></tr></table>\n",
                xml_escape(cell)
            )),
            None if line.trim().is_empty() => {}
            None => html.push_str(&format!("<p>{}</p>\n", xml_escape(line))),
        }
    }
    html.push_str("<footer>版权所有 主办单位：某某县人民政府办公室</footer></body></html>");
    html
}
