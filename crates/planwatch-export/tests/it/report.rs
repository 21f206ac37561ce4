//! Reports as people receive them: the Word file opened as a zip and read as XML, the
//! chart pictures decoded, the web page read as text.

use crate::report_input::{county, sample};
use planwatch_core::reporting::{Block, Chart, Point, Report, build};
use planwatch_export::report::{chart, docx, html};
use quick_xml::Reader;
use quick_xml::events::Event;
use std::io::Read;

fn report() -> Report {
    build(&sample()).unwrap()
}

fn charts(report: &Report) -> Vec<&Chart> {
    chart::all(report)
}

fn headings(report: &Report, level: u8) -> Vec<&str> {
    report
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: l, text } if *l == level => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// A .docx opened the way a reader does it: its parts by name.
struct Word {
    zip: zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
}

impl Word {
    fn open(bytes: Vec<u8>) -> Word {
        Word {
            zip: zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap(),
        }
    }

    fn part(&mut self, name: &str) -> String {
        let mut s = String::new();
        self.zip
            .by_name(name)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    fn names(&self) -> Vec<String> {
        self.zip.file_names().map(str::to_string).collect()
    }
}

/// One `w:p`: its style and its text.
#[derive(Debug)]
struct Para {
    style: Option<String>,
    text: String,
}

fn val(e: &quick_xml::events::BytesStart) -> Option<String> {
    e.try_get_attribute("w:val")
        .unwrap()
        .map(|a| String::from_utf8(a.value.to_vec()).unwrap())
}

/// The paragraphs of a WordprocessingML part, and the field instructions in it.
fn paragraphs(xml: &str) -> (Vec<Para>, Vec<String>) {
    let mut reader = Reader::from_str(xml);
    let mut out = Vec::new();
    let mut instr = Vec::new();
    let mut current: Option<Para> = None;
    let mut in_text = false;
    let mut in_instr = false;
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"w:pStyle" => {
                if let Some(p) = current.as_mut() {
                    p.style = val(&e);
                }
            }
            Event::Start(e) => match e.name().as_ref() {
                b"w:p" => {
                    current = Some(Para {
                        style: None,
                        text: String::new(),
                    })
                }
                b"w:t" => in_text = true,
                b"w:instrText" => in_instr = true,
                _ => {}
            },
            Event::Text(t) => {
                let t = t.unescape().unwrap();
                if in_text && let Some(p) = current.as_mut() {
                    p.text.push_str(&t);
                }
                if in_instr {
                    instr.push(t.into_owned());
                }
            }
            Event::End(e) => match e.name().as_ref() {
                b"w:p" => out.extend(current.take()),
                b"w:t" => in_text = false,
                b"w:instrText" => in_instr = false,
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
    }
    (out, instr)
}

fn styled<'a>(paras: &'a [Para], style: &str) -> Vec<&'a str> {
    paras
        .iter()
        .filter(|p| p.style.as_deref() == Some(style))
        .map(|p| p.text.as_str())
        .collect()
}

#[test]
fn the_word_report_has_its_chapters_and_domains_as_word_headings() {
    let report = report();
    let mut word = Word::open(docx::write(&report).unwrap());
    let (paras, instr) = paragraphs(&word.part("word/document.xml"));
    let h1 = styled(&paras, "Heading1");
    let h2 = styled(&paras, "Heading2");
    let chapters = headings(&report, 1);
    assert!(chapters.len() >= 4, "{chapters:?}");
    assert_eq!(h1, chapters);
    for domain in ["（一）妇女与健康", "（二）儿童与教育"] {
        assert!(h2.contains(&domain), "{domain} not in {h2:?}");
    }
    assert_eq!(h2, headings(&report, 2));
    // The contents field covers the three heading levels, and the title page comes first.
    assert!(
        instr.iter().any(|i| i.starts_with("TOC \\o \"1-3\"")),
        "{instr:?}"
    );
    // Filled in for readers that do not update fields, in a content control that says
    // what it is.
    let entries = styled(&paras, "ToC1");
    for chapter in &chapters {
        assert!(
            entries.iter().any(|e| e.starts_with(chapter)),
            "{chapter} not in {entries:?}"
        );
    }
    let document = word.part("word/document.xml");
    assert_eq!(document.matches("<w:sdt>").count(), 1);
    assert!(document.contains("<w:docPartGallery w:val=\"Table of Contents\" />"));
    let first_text = paras.iter().find(|p| !p.text.is_empty()).unwrap();
    assert_eq!(first_text.text, report.title);
    assert!(paras.iter().any(|p| p.text == report.issuer));
    assert!(paras.iter().any(|p| p.text == report.issued_on));
}

#[test]
fn the_word_report_says_the_headline_figures_and_names_every_warned_target() {
    let report = report();
    let h = report.headline;
    assert_eq!((h.total, h.with_data, h.achieved), (4, 3, 1));
    let mut word = Word::open(docx::write(&report).unwrap());
    let (paras, _) = paragraphs(&word.part("word/document.xml"));
    let opening = paras
        .iter()
        .find(|p| p.text.contains("量化目标中"))
        .expect("an opening paragraph");
    let rate = h.rate().unwrap() * 100.0;
    for part in [
        format!("确定的{}项量化目标中", h.total),
        format!("有监测数据的{}项中已有{}项达标", h.with_data, h.achieved),
        format!("达标率{rate:.1}%"),
        "达标率33.3%".to_string(),
    ] {
        assert!(
            opening.text.contains(&part),
            "{part} not in {}",
            opening.text
        );
    }
    // Body paragraphs have a first-line indent; the opening is one.
    let all: String = paras.iter().map(|p| p.text.as_str()).collect();
    let warned: Vec<&str> = report
        .rows
        .iter()
        .filter(|r| !r.warnings.is_empty())
        .map(|r| r.indicator.as_str())
        .collect();
    assert!(!warned.is_empty());
    for name in warned {
        assert!(
            styled(&paras, "ListItem")
                .iter()
                .any(|item| item.starts_with(name)),
            "{name} is not in the warnings list"
        );
    }
    assert!(all.contains("低出生体重儿（<2500克）发生率"));
    assert!(!all.contains("本报告含演示数据"), "no demo data here");
}

#[test]
fn the_word_report_holds_one_picture_per_chart_and_repeating_table_headers() {
    let report = report();
    let mut word = Word::open(docx::write(&report).unwrap());
    let pictures = word
        .names()
        .into_iter()
        .filter(|n| n.starts_with("word/media/") && n.ends_with(".png"))
        .count();
    assert_eq!(pictures, charts(&report).len());
    assert!(pictures >= 2);
    let document = word.part("word/document.xml");
    let tables = report
        .blocks
        .iter()
        .filter(|b| matches!(b, Block::Table(_)))
        .count();
    assert_eq!(document.matches("<w:tbl>").count(), tables);
    // One repeating header row per table, and it is the first row.
    assert_eq!(document.matches("<w:tblHeader />").count(), tables);
    for table in document.split("<w:tbl>").skip(1) {
        let first_row = table.split("</w:tr>").next().unwrap();
        assert!(first_row.contains("<w:tblHeader />"));
    }
    // A4, and the status cells coloured.
    assert!(document.contains("w:w=\"11906\""));
    assert!(document.contains("w:h=\"16838\""));
    assert!(document.contains("w:fill=\"C6EFCE\""), "提前实现 is green");
    assert!(document.contains("w:fill=\"FCE4D6\""), "尚存差距 is orange");
    // Numbers are right-aligned.
    assert!(document.contains("<w:jc w:val=\"right\" />"));
}

#[test]
fn the_word_report_numbers_its_pages_and_defines_outline_headings() {
    let mut word = Word::open(docx::write(&report()).unwrap());
    let footers: Vec<String> = word
        .names()
        .into_iter()
        .filter(|n| n.starts_with("word/footer") && n.ends_with(".xml"))
        .collect();
    let page_fields = footers
        .iter()
        .map(|f| word.part(f))
        .filter(|xml| paragraphs(xml).1.iter().any(|i| i.trim() == "PAGE"))
        .count();
    assert_eq!(page_fields, 1, "one footer with a page number, one without");

    let styles = word.part("word/styles.xml");
    let mut reader = Reader::from_str(&styles);
    let mut style: Option<String> = None;
    let mut outline = std::collections::HashMap::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(e) if e.name().as_ref() == b"w:style" => {
                style = e
                    .try_get_attribute("w:styleId")
                    .unwrap()
                    .map(|a| String::from_utf8(a.value.to_vec()).unwrap());
            }
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"w:outlineLvl" => {
                outline.insert(style.clone().unwrap(), val(&e).unwrap());
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(outline.get("Heading1").map(String::as_str), Some("0"));
    assert_eq!(outline.get("Heading2").map(String::as_str), Some("1"));
    assert_eq!(outline.get("Heading3").map(String::as_str), Some("2"));
    assert!(
        styles.contains("w:eastAsia=\"黑体\""),
        "Chinese heading font"
    );
}

#[test]
fn a_report_with_demo_data_says_so_on_its_title_page() {
    let mut input = sample();
    input.targets[0].demo = true;
    let report = build(&input).unwrap();
    assert!(report.demo);
    let mut word = Word::open(docx::write(&report).unwrap());
    let (paras, _) = paragraphs(&word.part("word/document.xml"));
    let title = paras.iter().position(|p| p.text == report.title).unwrap();
    let notice = paras
        .iter()
        .position(|p| p.text == "本报告含演示数据")
        .unwrap();
    let toc = paras.iter().position(|p| p.text == "目　录").unwrap();
    assert!(title < notice && notice < toc, "{title} {notice} {toc}");
    assert!(html::body(&report).contains("本报告含演示数据"));
}

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut decoder = png::Decoder::new(png_bytes);
    // Palette pictures as RGB.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    // Luminance only.
    let grey = buf[..info.buffer_size()]
        .chunks_exact(channels)
        .map(|p| {
            if channels >= 3 {
                ((u32::from(p[0]) * 3 + u32::from(p[1]) * 6 + u32::from(p[2])) / 10) as u8
            } else {
                p[0]
            }
        })
        .collect();
    (info.width, info.height, grey)
}

/// Dark pixels in a box given in the SVG's own units.
fn ink(grey: &[u8], width: u32, scale: f64, x: (f64, f64), y: (f64, f64)) -> usize {
    let px = |v: f64| (v * scale).round() as usize;
    let w = width as usize;
    (px(y.0)..px(y.1))
        .flat_map(|row| (px(x.0)..px(x.1)).map(move |col| row * w + col))
        .filter(|i| grey.get(*i).is_some_and(|g| *g < 110))
        .count()
}

fn full_chart() -> Chart {
    report()
        .blocks
        .into_iter()
        .find_map(|b| match b {
            Block::Chart(c) if !c.path.is_empty() && !c.projection.is_empty() => Some(c),
            _ => None,
        })
        .expect("a chart with a path and a projection")
}

#[test]
fn chart_pictures_have_the_width_asked_for_and_legible_chinese_legends() {
    let c = full_chart();
    let bytes = chart::png(&c, 1280).unwrap();
    let (w, h, grey) = decode(&bytes);
    assert_eq!(w, 1280);
    assert_eq!(h, (1280.0 * chart::HEIGHT / chart::WIDTH).round() as u32);
    let scale = f64::from(w) / chart::WIDTH;
    // The legend's words, left to right, each after a 30-unit sample; without the CJK font
    // resvg would draw nothing there.
    let svg = chart::svg(&c);
    let mut x = 64.0;
    for word in ["监测值", "序时进度", "趋势预测", "目标值"] {
        assert!(svg.contains(&format!(">{word}</text>")), "{word}");
        let width = 12.0 * word.chars().count() as f64;
        let dark = ink(&grey, w, scale, (x + 30.0, x + 30.0 + width), (10.0, 30.0));
        assert!(dark > 60, "{word}: {dark} dark pixels");
        x += 30.0 + width + 24.0;
    }
    // Between the words (the gaps before the samples) there is no text.
    assert_eq!(ink(&grey, w, scale, (2.0, 60.0), (10.0, 30.0)), 0);
    // The indicator's name is the caption, not drawn (only the accessible label has it).
    assert!(svg.contains("aria-label=\"图1　孕产妇死亡率"));
    assert!(!svg.contains(">孕产妇死亡率"));
}

#[test]
fn chart_axes_label_years_without_collisions_and_values_at_the_reported_precision() {
    let mut c = full_chart();
    c.series = (2000..=2024)
        .map(|year| Point {
            year,
            value: 80.0 + f64::from(year - 2000) * 0.37,
        })
        .collect();
    c.decimals = 1;
    let svg = chart::svg(&c);
    let texts: Vec<(f64, String)> = svg
        .split("<text ")
        .skip(1)
        .map(|t| {
            let x: f64 = t
                .split("x=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let body = t.split('>').nth(1).unwrap().split('<').next().unwrap();
            (x, body.to_string())
        })
        .collect();
    let years: Vec<(f64, i32)> = texts
        .iter()
        .filter_map(|(x, t)| {
            t.parse::<i32>()
                .ok()
                .filter(|y| *y >= 2000)
                .map(|y| (*x, y))
        })
        .collect();
    assert!(years.len() >= 5 && years.len() < 31, "{years:?}");
    assert!(years.iter().any(|(_, y)| *y == 2030), "the target year");
    let mut xs: Vec<f64> = years.iter().map(|(x, _)| *x).collect();
    xs.sort_by(f64::total_cmp);
    for pair in xs.windows(2) {
        assert!(pair[1] - pair[0] >= 36.0, "labels collide: {xs:?}");
    }
    let values: Vec<&str> = texts
        .iter()
        .map(|(_, t)| t.as_str())
        .filter(|t| t.parse::<f64>().is_ok_and(|v| v < 1000.0))
        .collect();
    assert!((3..=12).contains(&values.len()), "{values:?}");
    for v in &values {
        let digits = v.split('.').nth(1).map_or(0, str::len);
        assert!(digits <= 1, "{v}");
    }
    // A whole-number indicator gets whole-number ticks, even on a flat line.
    c.decimals = 0;
    c.series = vec![
        Point {
            year: 2020,
            value: 3.0,
        },
        Point {
            year: 2024,
            value: 3.0,
        },
    ];
    c.path.clear();
    c.projection.clear();
    c.target.value = 3.0;
    let svg = chart::svg(&c);
    assert!(
        !svg.contains("序时进度") && !svg.contains("趋势预测"),
        "{svg}"
    );
    assert!(svg.contains(">监测值<") && svg.contains(">目标值<"));
    for t in svg.split("text-anchor=\"end\"").skip(1) {
        let label = t.split('>').nth(1).unwrap().split('<').next().unwrap();
        assert!(!label.contains('.'), "{label}");
    }
    assert!(chart::png(&c, 640).is_ok());
}

#[test]
fn chart_text_is_escaped() {
    let mut c = full_chart();
    c.unit = "<b>&\"".to_string();
    c.caption = "图1　<script>".to_string();
    let svg = chart::svg(&c);
    assert!(svg.contains("&lt;b&gt;&amp;&quot;"));
    assert!(!svg.contains("<script>") && !svg.contains("<b>"));
    assert!(chart::png(&c, 320).is_ok(), "the SVG stays well-formed");
}

#[test]
fn the_web_page_has_every_heading_escaped_text_and_inline_charts() {
    let report = report();
    let body = html::body(&report);
    for level in 1..=3u8 {
        for text in headings(&report, level) {
            let tag = level + 1;
            assert!(body.contains(&format!("\">{text}</h{tag}>")), "{text}");
        }
    }
    assert!(body.contains(&format!("<h1>{}</h1>", report.title)));
    // The contents link to every chapter and section.
    let mut n = 0;
    for block in &report.blocks {
        if let Block::Heading { level, text } = block {
            n += 1;
            let link = format!("<a href=\"#rpt-h{n}\">{text}</a>");
            assert_eq!(body.contains(&link), *level <= 2, "{link}");
            assert!(body.contains(&format!("id=\"rpt-h{n}\">{text}<")));
        }
    }
    assert!(body.contains("低出生体重儿（&lt;2500克）发生率"));
    assert!(!body.contains("（<2500克"));
    assert_eq!(body.matches("<svg ").count(), charts(&report).len());
    assert_eq!(body.matches("<figcaption>").count(), charts(&report).len());
    assert!(body.contains("<thead>"));
    assert!(body.contains("rpt-p-early") && body.contains("rpt-p-gap"));
    assert!(body.contains("rpt-p-nodata") || !body.contains("无数据</td>"));
    // Every class of the fragment is the report's own.
    for class in body.split("class=\"").skip(1) {
        let names = class.split('"').next().unwrap();
        assert!(names.split(' ').all(|n| n.starts_with("rpt")), "{names}");
    }
    let page = html::document(&report);
    assert!(page.starts_with("<!doctype html>"));
    assert!(page.contains("<meta name=\"viewport\""));
    assert!(page.contains("<style>") && page.contains("overflow-x:auto"));
    assert!(page.contains("max-width:100%"));
    // Offline: nothing is fetched.
    assert!(!page.contains("src=\"http") && !page.contains("<link"));
}

#[test]
fn a_county_page_has_one_figure_per_chart_each_with_its_own_id() {
    let report = build(&county(11)).unwrap();
    assert!(report.rows.len() >= 150);
    let n = charts(&report).len();
    assert!(n > 100, "{n}");
    let body = html::body(&report);
    assert_eq!(body.matches("<figure ").count(), n);
    let mut ids: Vec<&str> = body
        .split("<figure class=\"rpt-figure\" id=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert_eq!(headings(&report, 2).len(), 14 + 4, "14 domains and 4 units");
}

#[test]
fn every_kind_of_report_and_an_empty_one_render_as_word_and_web_page() {
    use planwatch_core::reporting::ReportKind;
    let mut inputs = Vec::new();
    for kind in [ReportKind::Annual, ReportKind::Units, ReportKind::Upward] {
        let mut input = sample();
        input.kind = kind;
        inputs.push(input);
    }
    let mut empty = sample();
    empty.targets.clear();
    inputs.push(empty);
    // A name pasted from a spreadsheet with a control character and markup.
    let mut odd = sample();
    odd.targets[1].indicator = "低出生\u{7}体重儿<b>发生率".to_string();
    inputs.push(odd);
    for input in inputs {
        let report = build(&input).unwrap();
        let mut word = Word::open(docx::write(&report).unwrap());
        let (paras, _) = paragraphs(&word.part("word/document.xml"));
        for text in headings(&report, 1) {
            assert!(styled(&paras, "Heading1").contains(&text), "{text}");
        }
        let page = html::document(&report);
        for text in headings(&report, 1) {
            assert!(page.contains(text), "{text}");
        }
        assert!(!page.contains("<b>"));
    }
}
