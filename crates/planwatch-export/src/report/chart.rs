//! Charts as SVG (pages) and PNG (documents), drawn with a bundled CJK font subset so
//! that they never depend on the fonts of the machine.
//!
//! One SVG serves both: the web page inlines it, and [`png`] rasterises the same text
//! with resvg against a font database that holds only the bundled font. The indicator's
//! name is the caption outside the picture; inside are the lines, the axes and a legend.

use super::ReportWriteError;
use planwatch_core::reporting::{Block, Chart, Point, Report};
use resvg::{tiny_skia, usvg};
use std::fmt::Write as _;
use std::sync::{Arc, OnceLock};

/// Noto Sans CJK SC Regular cut to ASCII, CJK punctuation and GB2312 level 1
/// (`assets/fonts/make-subset.py`, SIL OFL 1.1).
pub static FONT: &[u8] =
    include_bytes!("../../../../assets/fonts/NotoSansCJKsc-Regular-subset.otf");

/// The family name inside [`FONT`]; every text of a chart names it.
pub const FONT_FAMILY: &str = "Noto Sans CJK SC";

/// The SVG's own size in CSS pixels; [`png`] scales it to the width asked for.
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 360.0;

// The plot area inside the picture: room on the left for value labels, on top for the
// legend and the unit, below for the years.
const LEFT: f64 = 64.0;
const RIGHT: f64 = 620.0;
const TOP: f64 = 56.0;
const BOTTOM: f64 = 320.0;

const SERIES_COLOUR: &str = "#1f5fa8";
const TARGET_COLOUR: &str = "#c0392b";
const AXIS_COLOUR: &str = "#444444";

// How each line is drawn, in the plot and in the legend alike.
const SERIES_LINE: &str = "stroke=\"#1f5fa8\" stroke-width=\"2.5\" stroke-linejoin=\"round\"";
const PATH_LINE: &str = "stroke=\"#7a7a7a\" stroke-width=\"1.5\" stroke-dasharray=\"7 4\"";
const PROJECTION_LINE: &str = "stroke=\"#d9822b\" stroke-width=\"2\" \
     stroke-dasharray=\"1.5 3.5\" stroke-linecap=\"round\"";
const TARGET_LINE: &str =
    "stroke=\"#c0392b\" stroke-width=\"1\" stroke-dasharray=\"8 3 2 3\" opacity=\"0.6\"";
const GRID_COLOUR: &str = "#e3e3e3";

/// The report's charts in reading order.
pub fn all(report: &Report) -> Vec<&Chart> {
    report
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Chart(c) => Some(c),
            _ => None,
        })
        .collect()
}

/// The chart as an SVG document.
pub fn svg(chart: &Chart) -> String {
    let mut out = String::with_capacity(4096);
    // Writing into a String cannot fail; the results are ignored for that reason only.
    let _ = draw(chart, &mut out);
    out
}

/// The chart as a PNG picture, `width` pixels wide (the height keeps the proportions).
pub fn png(chart: &Chart, width: u32) -> Result<Vec<u8>, ReportWriteError> {
    let svg = svg(chart);
    let width = width.clamp(16, 8192);
    let scale = f64::from(width) / WIDTH;
    let height = (HEIGHT * scale).round().max(1.0) as u32;
    let options = usvg::Options {
        font_family: FONT_FAMILY.to_string(),
        languages: vec!["zh-CN".to_string()],
        fontdb: Arc::clone(fontdb()),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options)
        .map_err(|e| ReportWriteError::Chart(chart.id.clone(), e.to_string()))?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or_else(|| {
        ReportWriteError::Chart(chart.id.clone(), format!("图片尺寸无效：{width}×{height}"))
    })?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale as f32, scale as f32),
        &mut pixmap.as_mut(),
    );
    encode_rgb(&pixmap).map_err(|e| ReportWriteError::Chart(chart.id.clone(), e))
}

/// The database of the bundled font only: system fonts would make pictures differ from
/// machine to machine, and a server without Chinese fonts would draw empty boxes.
fn fontdb() -> &'static Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        db.set_sans_serif_family(FONT_FAMILY);
        db.set_serif_family(FONT_FAMILY);
        Arc::new(db)
    })
}

/// PNG from an opaque pixmap (the background is white, alpha carries nothing), with fast
/// compression: the default level costs more than the drawing itself.
///
/// A chart has a few colours and their anti-aliased blends, usually well under 256: then
/// the picture is written with an exact palette (lossless, a third of the pixels' bytes,
/// about a third of the file). Otherwise as RGB.
fn encode_rgb(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, String> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::FilterType::Sub);
    let data = match palette(pixmap.data()) {
        Some((palette, indices)) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette);
            // Neighbouring indices are not neighbouring colours: no prediction.
            encoder.set_filter(png::FilterType::NoFilter);
            indices
        }
        None => {
            encoder.set_color(png::ColorType::Rgb);
            pixmap
                .data()
                .chunks_exact(4)
                .flat_map(|p| [p[0], p[1], p[2]])
                .collect()
        }
    };
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer.write_image_data(&data).map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok(out)
}

/// The exact palette of opaque RGBA pixels and their indices; `None` beyond 256 colours.
fn palette(rgba: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    // An open-addressed table of 1024 slots (a quarter full at most): a general hash map
    // costs more than the rest of the encoding.
    const SLOTS: usize = 1024;
    // Transparent black: never a pixel of an opaque picture.
    const EMPTY: u32 = 0;
    let mut keys = [EMPTY; SLOTS];
    let mut values = [0u8; SLOTS];
    let mut palette: Vec<u8> = Vec::with_capacity(256 * 3);
    let mut indices = Vec::with_capacity(rgba.len() / 4);
    // Runs of one colour (the white background) skip the lookup. Alpha is 255 throughout
    // (the canvas starts white), so the four bytes are the colour.
    let (mut last_key, mut last_index) = (EMPTY, 0u8);
    for px in rgba.chunks_exact(4) {
        let key = u32::from_le_bytes([px[0], px[1], px[2], px[3]]);
        let i = if key == last_key {
            last_index
        } else {
            {
                let mut slot = (key.wrapping_mul(0x9E37_79B1) >> 22) as usize % SLOTS;
                let i = loop {
                    if keys[slot] == key {
                        break values[slot];
                    }
                    if keys[slot] == EMPTY {
                        let i = u8::try_from(palette.len() / 3).ok()?;
                        keys[slot] = key;
                        values[slot] = i;
                        palette.extend_from_slice(&px[..3]);
                        break i;
                    }
                    slot = (slot + 1) % SLOTS;
                };
                (last_key, last_index) = (key, i);
                i
            }
        };
        indices.push(i);
    }
    Some((palette, indices))
}

/// Escapes text and attribute values.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The scales of one chart.
struct Frame {
    first_year: i32,
    last_year: i32,
    min: f64,
    max: f64,
}

impl Frame {
    fn of(chart: &Chart) -> Frame {
        let points = || {
            chart
                .series
                .iter()
                .chain(&chart.path)
                .chain(&chart.projection)
                .chain(std::iter::once(&chart.target))
                .filter(|p| p.value.is_finite())
        };
        let first_year = points().map(|p| p.year).min().unwrap_or(chart.target.year);
        let last_year = points().map(|p| p.year).max().unwrap_or(chart.target.year);
        let min = points().map(|p| p.value).fold(f64::INFINITY, f64::min);
        let max = points().map(|p| p.value).fold(f64::NEG_INFINITY, f64::max);
        let (min, max) = if min.is_finite() && max.is_finite() {
            (min, max)
        } else {
            (0.0, 1.0)
        };
        Frame {
            first_year,
            last_year,
            min,
            max,
        }
    }

    fn x(&self, year: i32) -> f64 {
        // Half a year of room on both sides keeps the first and last dots off the axes.
        let span = f64::from(self.last_year - self.first_year) + 1.0;
        LEFT + (f64::from(year - self.first_year) + 0.5) / span * (RIGHT - LEFT)
    }

    fn y(&self, value: f64) -> f64 {
        let span = self.max - self.min;
        if span <= 0.0 {
            return (TOP + BOTTOM) / 2.0;
        }
        BOTTOM - (value - self.min) / span * (BOTTOM - TOP)
    }
}

/// Round value ticks (1, 2, 2.5 or 5 times a power of ten), never finer than the
/// reported precision, and the digits their labels need.
fn ticks(min: f64, max: f64, decimals: u8) -> (Vec<f64>, usize) {
    let decimals = decimals.min(6);
    let finest = 10f64.powi(-i32::from(decimals));
    let (mut lo, mut hi) = (min, max);
    if hi - lo < finest {
        // A flat line: centre it in a band of a few steps.
        let pad = (lo.abs() * 0.1).max(finest * 2.0);
        lo -= pad;
        hi += pad;
    }
    let raw = (hi - lo) / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude)
        .max(finest);
    let start = (lo / step).floor() * step;
    let end = (hi / step).ceil() * step;
    let mut out = Vec::new();
    let mut k = 0.0;
    while start + k * step <= end + step * 1e-9 && out.len() < 12 {
        out.push(start + k * step);
        k += 1.0;
    }
    // Digits the step needs (2.5 needs one), capped by the reported precision.
    let mut digits = 0usize;
    while digits < usize::from(decimals) {
        let scaled = step * 10f64.powi(digits as i32);
        if (scaled - scaled.round()).abs() < 1e-6 {
            break;
        }
        digits += 1;
    }
    (out, digits)
}

fn number(value: f64, digits: usize) -> String {
    let text = format!("{value:.digits$}");
    // "-0" and "-0.0" read as a sign error.
    if text.starts_with('-') && text[1..].chars().all(|c| c == '0' || c == '.') {
        text[1..].to_string()
    } else {
        text
    }
}

/// Which years get a label: every `step`-th from the first, and the target year, with
/// labels that would overlap the target year's left out.
fn year_labels(frame: &Frame, target_year: i32) -> Vec<i32> {
    let years = frame.last_year - frame.first_year + 1;
    // A label ("2030") is about 30 px wide at 12 px; keep 12 px between labels.
    let per_year = (RIGHT - LEFT) / f64::from(years.max(1));
    let step = ((42.0 / per_year).ceil() as i32).max(1);
    let mut out: Vec<i32> = (frame.first_year..=frame.last_year)
        .filter(|y| (y - frame.first_year) % step == 0)
        .filter(|y| *y == target_year || (y - target_year).abs() >= step)
        .collect();
    if (frame.first_year..=frame.last_year).contains(&target_year) && !out.contains(&target_year) {
        out.push(target_year);
    }
    out
}

fn polyline(out: &mut String, frame: &Frame, points: &[Point], attrs: &str) -> std::fmt::Result {
    let finite: Vec<&Point> = points.iter().filter(|p| p.value.is_finite()).collect();
    if finite.len() < 2 {
        return Ok(());
    }
    out.push_str("<polyline fill=\"none\" points=\"");
    for p in finite {
        write!(out, "{:.1},{:.1} ", frame.x(p.year), frame.y(p.value))?;
    }
    writeln!(out, "\" {attrs}/>")
}

fn diamond(out: &mut String, x: f64, y: f64, r: f64) -> std::fmt::Result {
    writeln!(
        out,
        "<path d=\"M{:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}L{:.1},{:.1}Z\" fill=\"{TARGET_COLOUR}\"/>",
        x,
        y - r,
        x + r,
        y,
        x,
        y + r,
        x - r,
        y
    )
}

fn draw(chart: &Chart, out: &mut String) -> std::fmt::Result {
    let frame = Frame::of(chart);
    let (mut ticks, digits) = ticks(frame.min, frame.max, chart.decimals);
    // A lowest value on the lowest tick would sit on the axis and hide a target line
    // drawn there: one more step below, unless that step is below a natural zero.
    if let [first, second, ..] = ticks[..] {
        let step = second - first;
        if frame.min - first < step * 0.05 && !(first == 0.0 && frame.min >= 0.0) {
            ticks.insert(0, first - step);
        }
    }
    let frame = Frame {
        min: ticks.first().copied().unwrap_or(frame.min),
        max: ticks.last().copied().unwrap_or(frame.max),
        ..frame
    };
    writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         width=\"{WIDTH}\" height=\"{HEIGHT}\" role=\"img\" aria-label=\"{}\" style=\"background:#fff\" \
         font-family=\"{FONT_FAMILY}, sans-serif\" font-size=\"12\">",
        escape(&chart.caption)
    )?;
    // No background rectangle: [`png`] starts from a white canvas (a fill of the whole
    // picture costs as much as the lines), and pages give the SVG a white background.
    // Value grid and labels.
    for t in &ticks {
        let y = frame.y(*t);
        writeln!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y:.1}\" x2=\"{RIGHT}\" y2=\"{y:.1}\" stroke=\"{GRID_COLOUR}\" shape-rendering=\"crispEdges\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{AXIS_COLOUR}\">{}</text>",
            LEFT - 6.0,
            y + 4.0,
            number(*t, digits)
        )?;
    }
    if !chart.unit.is_empty() {
        writeln!(
            out,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" fill=\"{AXIS_COLOUR}\">{}</text>",
            LEFT - 6.0,
            TOP - 12.0,
            escape(&chart.unit)
        )?;
    }
    // Axes.
    writeln!(
        out,
        "<path d=\"M{LEFT},{TOP}V{BOTTOM}H{RIGHT}\" fill=\"none\" stroke=\"{AXIS_COLOUR}\" shape-rendering=\"crispEdges\"/>"
    )?;
    for year in year_labels(&frame, chart.target.year) {
        let x = frame.x(year);
        writeln!(
            out,
            "<line x1=\"{x:.1}\" y1=\"{BOTTOM}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{AXIS_COLOUR}\" shape-rendering=\"crispEdges\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{AXIS_COLOUR}\">{year}</text>",
            BOTTOM + 4.0,
            BOTTOM + 18.0
        )?;
    }
    // The target: a thin line at its value, and a marked point in its year.
    let (tx, ty) = (frame.x(chart.target.year), frame.y(chart.target.value));
    if chart.target.value.is_finite() {
        writeln!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{ty:.1}\" x2=\"{RIGHT}\" y2=\"{ty:.1}\" {TARGET_LINE}/>"
        )?;
    }
    polyline(out, &frame, &chart.path, PATH_LINE)?;
    polyline(out, &frame, &chart.projection, PROJECTION_LINE)?;
    polyline(out, &frame, &chart.series, SERIES_LINE)?;
    for p in chart.series.iter().filter(|p| p.value.is_finite()) {
        writeln!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{SERIES_COLOUR}\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
            frame.x(p.year),
            frame.y(p.value)
        )?;
    }
    if chart.target.value.is_finite() {
        diamond(out, tx, ty, 6.0)?;
    }
    legend(chart, out)?;
    out.push_str("</svg>\n");
    Ok(())
}

/// The legend across the top: only the lines the chart has, so that no word names
/// something the reader cannot find.
fn legend(chart: &Chart, out: &mut String) -> std::fmt::Result {
    let y = 20.0;
    let sample = |style: &str, marker: String| {
        format!("<line x1=\"0\" y1=\"{y}\" x2=\"24\" y2=\"{y}\" {style}/>{marker}")
    };
    let mut items: Vec<(String, &str)> = Vec::new();
    if chart.series.iter().any(|p| p.value.is_finite()) {
        let dot = format!("<circle cx=\"12\" cy=\"{y}\" r=\"3.5\" fill=\"{SERIES_COLOUR}\"/>");
        items.push((sample(SERIES_LINE, dot), "监测值"));
    }
    if chart.path.len() >= 2 {
        items.push((sample(PATH_LINE, String::new()), "序时进度"));
    }
    if chart.projection.len() >= 2 {
        items.push((sample(PROJECTION_LINE, String::new()), "趋势预测"));
    }
    if chart.target.value.is_finite() {
        let mut marker = String::new();
        diamond(&mut marker, 12.0, y, 6.0)?;
        items.push((sample(TARGET_LINE, marker), "目标值"));
    }
    let mut x = LEFT;
    for (sample, label) in items {
        writeln!(
            out,
            "<g transform=\"translate({x:.1},0)\">{sample}<text x=\"30\" y=\"{:.1}\" fill=\"#222222\">{label}</text></g>",
            y + 4.0
        )?;
        // The sample, the label (12 px a character) and a gap.
        x += 30.0 + 12.0 * label.chars().count() as f64 + 24.0;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The invariant behind identical pictures on every machine: one face, ours, under
    /// the family name every text of a chart asks for.
    #[test]
    fn the_font_database_holds_the_bundled_font_only() {
        let db = fontdb();
        assert_eq!(db.len(), 1);
        let face = db.faces().next().unwrap();
        assert!(
            face.families.iter().any(|(name, _)| name == FONT_FAMILY),
            "{:?}",
            face.families
        );
        assert!(matches!(face.source, usvg::fontdb::Source::Binary(_)));
    }
}
