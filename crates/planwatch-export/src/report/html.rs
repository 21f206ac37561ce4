//! The report as a web page: [`document`] is a whole page that works offline (one file to
//! forward or archive), [`body`] the content for the web app's own layout. Class names
//! start with `rpt-` so that they never meet the app's.

use super::chart::{self, escape};
use planwatch_core::reporting::{Block, Cell, Progress, Report, Table};
use std::fmt::Write as _;

/// Readable from a 390 px phone to a desktop: wide tables scroll inside their own box,
/// pictures shrink to the column.
const STYLE: &str = "\
body{margin:0;background:#f6f6f4;color:#222;font:16px/1.75 \"PingFang SC\",\"Hiragino Sans GB\",\
\"Microsoft YaHei\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",sans-serif}\
.rpt{max-width:60rem;margin:0 auto;padding:1rem;background:#fff}\
.rpt-cover{text-align:center;padding:2rem 0 1.5rem;border-bottom:1px solid #ddd;margin-bottom:1.5rem}\
.rpt-cover h1{font-size:1.6rem;line-height:1.4;margin:0 0 .75rem}\
.rpt-subtitle{font-size:1rem;color:#444;margin:.25rem 0}\
.rpt-issuer{color:#555;margin:.25rem 0}\
.rpt-demo{display:inline-block;margin:.75rem 0;padding:.25rem .75rem;border:2px solid #c00000;\
color:#c00000;font-weight:bold}\
.rpt h2{font-size:1.35rem;margin:2rem 0 .75rem}\
.rpt h3{font-size:1.15rem;margin:1.5rem 0 .5rem}\
.rpt h4{font-size:1.05rem;margin:1.25rem 0 .5rem}\
.rpt p{margin:.5rem 0;text-indent:2em;text-align:justify}\
.rpt .rpt-cover p,.rpt p.rpt-caption{text-indent:0;text-align:center}\
.rpt-toc{margin:0 0 1.5rem;padding:.5rem 1rem;background:#f6f8fb;border:1px solid #dde3ec}\
.rpt .rpt-toc-title{text-indent:0;font-weight:bold;margin:.25rem 0}\
.rpt-toc ul{list-style:none;padding-left:0;margin:0}.rpt-toc ul ul{padding-left:1.5em}\
.rpt-toc a{color:#1f5fa8;text-decoration:none}\
.rpt ol,.rpt ul{margin:.5rem 0;padding-left:2em}\
.rpt li{margin:.25rem 0}\
.rpt-table{margin:1rem 0}\
.rpt-table-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}\
.rpt-caption{font-weight:bold;text-align:center;margin:.5rem 0;font-size:.95rem}\
.rpt table{border-collapse:collapse;min-width:100%;font-size:.9rem;line-height:1.5}\
.rpt th,.rpt td{border:1px solid #999;padding:.3rem .5rem;vertical-align:middle}\
.rpt th{background:#d9e2f3;white-space:nowrap}\
.rpt td.rpt-num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\
.rpt td.rpt-p{text-align:center;white-space:nowrap}\
.rpt-p-early{background:#c6efce}.rpt-p-ontime{background:#e2f0d9}\
.rpt-p-gap{background:#fce4d6}.rpt-p-undetermined{background:#e7e6e6}\
.rpt-p-nodata{background:#f2f2f2;color:#666}\
.rpt-figure{margin:1rem 0;text-align:center}\
.rpt-figure svg{max-width:100%;height:auto}\
.rpt-figure figcaption{font-weight:bold;font-size:.95rem}\
@media (max-width:480px){body{font-size:15px}.rpt{padding:.75rem}.rpt-cover h1{font-size:1.3rem}}\
@media print{body{background:#fff}.rpt{max-width:none;padding:0}.rpt-table-scroll{overflow:visible}\
.rpt-figure,.rpt tr{break-inside:avoid}}";

/// A whole HTML document, readable offline (styles and charts inline).
pub fn document(report: &Report) -> String {
    let body = body(report);
    let mut out = String::with_capacity(body.len() + STYLE.len() + 512);
    out.push_str("<!doctype html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(&report.title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>");
    out.push_str(&body);
    out.push_str("</body>\n</html>\n");
    out
}

/// The report's content as an HTML fragment (for a page with its own layout).
pub fn body(report: &Report) -> String {
    let mut out = String::with_capacity(64 * 1024 + report.blocks.len() * 512);
    // Writing into a String cannot fail; results are ignored for that reason only.
    let _ = write_body(report, &mut out);
    out
}

fn write_body(report: &Report, out: &mut String) -> std::fmt::Result {
    writeln!(out, "<article class=\"rpt\">")?;
    writeln!(out, "<header class=\"rpt-cover\">")?;
    writeln!(out, "<h1>{}</h1>", escape(&report.title))?;
    if !report.subtitle.is_empty() {
        writeln!(
            out,
            "<p class=\"rpt-subtitle\">{}</p>",
            escape(&report.subtitle)
        )?;
    }
    if report.demo {
        writeln!(out, "<p class=\"rpt-demo\">本报告含演示数据</p>")?;
    }
    writeln!(
        out,
        "<p class=\"rpt-issuer\">{}</p>\n<p class=\"rpt-issuer\">{}</p>",
        escape(&report.issuer),
        escape(&report.issued_on)
    )?;
    writeln!(out, "</header>")?;
    contents(report, out)?;
    let mut headings = 0usize;
    for block in &report.blocks {
        match block {
            // The page's title is the h1; chapters and sections are one level below.
            Block::Heading { level, text } => {
                let h = (*level).clamp(1, 3) + 1;
                headings += 1;
                writeln!(out, "<h{h} id=\"rpt-h{headings}\">{}</h{h}>", escape(text))?;
            }
            Block::Paragraph { text } => writeln!(out, "<p>{}</p>", escape(text))?,
            Block::List { items } => {
                out.push_str("<ol>\n");
                for item in items {
                    writeln!(out, "<li>{}</li>", escape(item))?;
                }
                out.push_str("</ol>\n");
            }
            Block::Table(table) => write_table(table, out)?,
            Block::Chart(c) => {
                writeln!(
                    out,
                    "<figure class=\"rpt-figure\" id=\"{}\">",
                    escape(&c.id)
                )?;
                out.push_str(&chart::svg(c));
                writeln!(
                    out,
                    "<figcaption>{}</figcaption>\n</figure>",
                    escape(&c.caption)
                )?;
            }
        }
    }
    writeln!(out, "</article>")
}

/// Links to the chapters (and their sections), so that a long report can be crossed on
/// a phone without scrolling through every table.
fn contents(report: &Report, out: &mut String) -> std::fmt::Result {
    let mut n = 0usize;
    let mut open_sections = false;
    let mut any = false;
    for block in &report.blocks {
        let Block::Heading { level, text } = block else {
            continue;
        };
        n += 1;
        if !any {
            out.push_str("<nav class=\"rpt-toc\" aria-label=\"目录\">\n<p class=\"rpt-toc-title\">目录</p>\n<ul>\n");
            any = true;
        }
        match level {
            1 => {
                if open_sections {
                    out.push_str("</ul>\n");
                    open_sections = false;
                }
                if n > 1 {
                    out.push_str("</li>\n");
                }
                write!(out, "<li><a href=\"#rpt-h{n}\">{}</a>", escape(text))?;
            }
            2 => {
                if !open_sections {
                    out.push_str("\n<ul>\n");
                    open_sections = true;
                }
                writeln!(out, "<li><a href=\"#rpt-h{n}\">{}</a></li>", escape(text))?;
            }
            _ => {}
        }
    }
    if any {
        if open_sections {
            out.push_str("</ul>\n");
        }
        out.push_str("</li>\n</ul>\n</nav>\n");
    }
    Ok(())
}

fn progress_class(p: Progress) -> &'static str {
    match p {
        Progress::Early => "rpt-p-early",
        Progress::OnTime => "rpt-p-ontime",
        Progress::Gap => "rpt-p-gap",
        Progress::Undetermined => "rpt-p-undetermined",
        Progress::NoData => "rpt-p-nodata",
    }
}

fn write_cell(cell: &Cell, out: &mut String) -> std::fmt::Result {
    let text = escape(&cell.text);
    match (cell.progress, cell.number) {
        (Some(p), _) => writeln!(
            out,
            "<td class=\"rpt-p {}\" title=\"{}\">{text}</td>",
            progress_class(p),
            p.label_zh()
        ),
        (None, Some(n)) if n.is_finite() => {
            writeln!(out, "<td class=\"rpt-num\" data-value=\"{n}\">{text}</td>")
        }
        _ => writeln!(out, "<td>{text}</td>"),
    }
}

fn write_table(table: &Table, out: &mut String) -> std::fmt::Result {
    writeln!(out, "<div class=\"rpt-table\">")?;
    writeln!(
        out,
        "<p class=\"rpt-caption\">{}</p>",
        escape(&table.caption)
    )?;
    // The caption stays put while the table scrolls sideways on a phone.
    writeln!(out, "<div class=\"rpt-table-scroll\">\n<table>")?;
    writeln!(
        out,
        "<caption hidden>{}</caption>\n<thead>\n<tr>",
        escape(&table.caption)
    )?;
    for c in &table.columns {
        writeln!(out, "<th scope=\"col\">{}</th>", escape(c))?;
    }
    writeln!(out, "</tr>\n</thead>\n<tbody>")?;
    for row in &table.rows {
        out.push_str("<tr>\n");
        for cell in row {
            write_cell(cell, out)?;
        }
        out.push_str("</tr>\n");
    }
    writeln!(out, "</tbody>\n</table>\n</div>\n</div>")
}
