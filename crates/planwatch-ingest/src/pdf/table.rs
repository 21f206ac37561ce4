//! Ruled tables back into rows: a PDF draws a table as text placed in boxes and the boxes'
//! borders as lines, cell by cell in whatever order the typesetter chose, and a cell's text
//! wraps onto several baselines. Read line by line, the 专栏 indicator tables come out as
//! fragments. The borders say where the cells are, so we take them: the page's ruling lines
//! (stroked lines, thin filled rectangles, stroked rectangles) are joined into grids, a
//! missing border between two grid cells merges them (a category cell over several rows, a
//! heading over several columns), and each glyph is put in the cell its centre falls in.
//! A table comes out as one line a row, its cells after a tab each, as Word tables do
//! (`docx.rs`), so the rules downstream read both alike.
//!
//! Pure geometry in PDF user space (y grows upwards); no I/O.

/// One glyph as placed on the page.
#[derive(Debug, Clone)]
pub(crate) struct Glyph {
    pub x: f64,
    /// Baseline.
    pub y: f64,
    pub right: f64,
    pub size: f64,
    pub text: String,
}

impl Glyph {
    /// The point that decides which cell a glyph is in: the middle of its body, above the
    /// baseline (a glyph's baseline can touch the cell's lower border).
    fn centre(&self) -> (f64, f64) {
        ((self.x + self.right) / 2.0, self.y + self.size * 0.3)
    }
}

/// A straight ruling line: horizontal at `at` from `from` to `to` along x, or vertical at
/// `at` from `from` to `to` along y.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Rule {
    pub horizontal: bool,
    pub at: f64,
    pub from: f64,
    pub to: f64,
}

/// Positions closer than this (in points, 1/72 inch) are the same line: borders drawn
/// twice by neighbouring cells, or a line's two edges.
const SAME: f64 = 1.5;
/// The thickest filled rectangle read as a line rather than a shaded area.
const THIN: f64 = 2.5;
/// Shorter lines are underlines, bullets or dashes, not borders.
const SHORTEST: f64 = 3.0;

impl Rule {
    /// The rule between two points, if the segment is horizontal or vertical.
    pub fn between(a: (f64, f64), b: (f64, f64)) -> Option<Rule> {
        let (dx, dy) = ((b.0 - a.0).abs(), (b.1 - a.1).abs());
        if dy <= SAME && dx >= SHORTEST {
            Some(Rule {
                horizontal: true,
                at: (a.1 + b.1) / 2.0,
                from: a.0.min(b.0),
                to: a.0.max(b.0),
            })
        } else if dx <= SAME && dy >= SHORTEST {
            Some(Rule {
                horizontal: false,
                at: (a.0 + b.0) / 2.0,
                from: a.1.min(b.1),
                to: a.1.max(b.1),
            })
        } else {
            None
        }
    }

    /// The rules a rectangle stands for: a thin filled one is a line, a stroked one its
    /// four edges; a filled area (shading) none.
    pub fn of_rectangle(corners: [(f64, f64); 2], stroked: bool) -> Vec<Rule> {
        let [(x0, y0), (x1, y1)] = corners;
        let (left, right) = (x0.min(x1), x0.max(x1));
        let (bottom, top) = (y0.min(y1), y0.max(y1));
        let (w, h) = (right - left, top - bottom);
        if !stroked {
            if h <= THIN && w >= SHORTEST {
                return vec![Rule {
                    horizontal: true,
                    at: (top + bottom) / 2.0,
                    from: left,
                    to: right,
                }];
            }
            if w <= THIN && h >= SHORTEST {
                return vec![Rule {
                    horizontal: false,
                    at: (left + right) / 2.0,
                    from: bottom,
                    to: top,
                }];
            }
            return Vec::new();
        }
        [
            ((left, bottom), (right, bottom)),
            ((left, top), (right, top)),
            ((left, bottom), (left, top)),
            ((right, bottom), (right, top)),
        ]
        .into_iter()
        .filter_map(|(a, b)| Rule::between(a, b))
        .collect()
    }

    fn covers(&self, along: f64) -> bool {
        along >= self.from - SAME && along <= self.to + SAME
    }
}

/// A table found on a page: its grid and the text of its cells.
#[derive(Debug)]
pub(crate) struct Table {
    /// Row borders, top first.
    ys: Vec<f64>,
    /// Column borders, left first.
    xs: Vec<f64>,
    /// For each grid cell (row-major), the grid cell its merged cell starts at.
    origin: Vec<usize>,
    /// Glyphs of each merged cell, by the index of its origin.
    glyphs: Vec<Vec<Glyph>>,
}

/// Most tables a page is searched for: a page of lines drawn as a pattern is no plan.
const MAX_TABLES: usize = 50;
/// Most borders in one direction per table; beyond this the drawing is no table.
const MAX_BORDERS: usize = 400;

impl Table {
    /// The tables the rules of one page draw: every set of crossing rules with at least two
    /// columns and one row.
    pub fn find(rules: &[Rule]) -> Vec<Table> {
        let rules = merged(rules);
        let components = connected(&rules);
        let mut tables = Vec::new();
        for component in components {
            if tables.len() >= MAX_TABLES {
                break;
            }
            let members: Vec<Rule> = component.iter().map(|&i| rules[i]).collect();
            if let Some(table) = Table::from_rules(&members) {
                tables.push(table);
            }
        }
        tables
    }

    fn from_rules(rules: &[Rule]) -> Option<Table> {
        let mut rules = rules.to_vec();
        // A row the page cuts may lose its border at the cut (Chrome draws none): the
        // column borders still reach the page's edge, and say where the row ends.
        let horizontal = || rules.iter().filter(|r| r.horizontal);
        let vertical = || rules.iter().filter(|r| !r.horizontal);
        let lowest_row = horizontal().map(|r| r.at).fold(f64::INFINITY, f64::min);
        let highest_row = horizontal().map(|r| r.at).fold(f64::NEG_INFINITY, f64::max);
        let lowest_column = vertical().map(|r| r.from).fold(f64::INFINITY, f64::min);
        let highest_column = vertical().map(|r| r.to).fold(f64::NEG_INFINITY, f64::max);
        let (left, right) = (
            vertical().map(|r| r.at).fold(f64::INFINITY, f64::min),
            vertical().map(|r| r.at).fold(f64::NEG_INFINITY, f64::max),
        );
        let mut open_edges = Vec::new();
        if lowest_column < lowest_row - SAME * 2.0 {
            open_edges.push(lowest_column);
        }
        if highest_column > highest_row + SAME * 2.0 {
            open_edges.push(highest_column);
        }
        for at in open_edges {
            rules.push(Rule {
                horizontal: true,
                at,
                from: left,
                to: right,
            });
        }
        let rules = &rules[..];
        let mut ys = positions(rules.iter().filter(|r| r.horizontal).map(|r| r.at));
        ys.reverse();
        let xs = positions(rules.iter().filter(|r| !r.horizontal).map(|r| r.at));
        // A box round a paragraph (one cell) reads as text; a table has columns.
        if ys.len() < 2 || xs.len() < 3 || ys.len() > MAX_BORDERS || xs.len() > MAX_BORDERS {
            return None;
        }
        let (rows, cols) = (ys.len() - 1, xs.len() - 1);
        // The rules along each row border and each column border, so that asking whether a
        // border is drawn costs the rules on that line, not all of the page's.
        let mut on_row: Vec<Vec<Rule>> = vec![Vec::new(); ys.len()];
        let mut on_column: Vec<Vec<Rule>> = vec![Vec::new(); xs.len()];
        for r in rules {
            let (lines, list) = if r.horizontal {
                (&ys, &mut on_row)
            } else {
                (&xs, &mut on_column)
            };
            for (k, &at) in lines.iter().enumerate() {
                if (r.at - at).abs() <= SAME {
                    list[k].push(*r);
                }
            }
        }
        let row_border = |k: usize, along: f64| on_row[k].iter().any(|r| r.covers(along));
        let column_border = |k: usize, along: f64| on_column[k].iter().any(|r| r.covers(along));
        let mut sets = DisjointSets::new(rows * cols);
        for r in 0..rows {
            let mid_y = (ys[r] + ys[r + 1]) / 2.0;
            for c in 0..cols {
                let mid_x = (xs[c] + xs[c + 1]) / 2.0;
                if c + 1 < cols && !column_border(c + 1, mid_y) {
                    sets.join(r * cols + c, r * cols + c + 1);
                }
                if r + 1 < rows && !row_border(r + 1, mid_x) {
                    sets.join(r * cols + c, (r + 1) * cols + c);
                }
            }
        }
        // A merged cell's origin is its first grid cell in reading order (top, then left).
        let mut first = vec![usize::MAX; rows * cols];
        for cell in 0..rows * cols {
            let root = sets.root(cell);
            first[root] = first[root].min(cell);
        }
        let origin: Vec<usize> = (0..rows * cols)
            .map(|cell| first[sets.root(cell)])
            .collect();
        Some(Table {
            glyphs: vec![Vec::new(); rows * cols],
            ys,
            xs,
            origin,
        })
    }

    /// Takes the glyph if its centre is inside the table.
    pub fn take(&mut self, glyph: &Glyph) -> bool {
        let (x, y) = glyph.centre();
        let (Some(&top), Some(&bottom)) = (self.ys.first(), self.ys.last()) else {
            return false;
        };
        let (Some(&left), Some(&right)) = (self.xs.first(), self.xs.last()) else {
            return false;
        };
        if !(x > left && x < right && y < top && y > bottom) {
            return false;
        }
        let row = self
            .ys
            .iter()
            .take_while(|&&b| b > y)
            .count()
            .saturating_sub(1);
        let col = self
            .xs
            .iter()
            .take_while(|&&b| b < x)
            .count()
            .saturating_sub(1);
        let cols = self.xs.len() - 1;
        let cell = self.origin[row * cols + col];
        self.glyphs[cell].push(glyph.clone());
        true
    }

    /// The table's rows, each its cells' text: a cell merged over columns is followed by
    /// empty ones (as Word's `gridSpan` is read), one merged over rows is empty in the rows
    /// below its first. Rows with no text are left out.
    pub fn rows(&self) -> Vec<Vec<String>> {
        let cols = self.xs.len() - 1;
        let rows = self.ys.len() - 1;
        let mut out = Vec::new();
        for r in 0..rows {
            let row: Vec<String> = (0..cols)
                .map(|c| r * cols + c)
                .map(|cell| {
                    if self.origin[cell] == cell {
                        cell_text(&self.glyphs[cell])
                    } else {
                        String::new()
                    }
                })
                .collect();
            if row.iter().any(|c| !c.is_empty()) {
                out.push(row);
            }
        }
        out
    }

    /// Top and bottom border.
    pub fn top_bottom(&self) -> (f64, f64) {
        (
            self.ys.first().copied().unwrap_or_default(),
            self.ys.last().copied().unwrap_or_default(),
        )
    }

    /// Do the two tables have the same columns (a table continued on the next page)?
    pub fn same_columns(&self, xs: &[f64]) -> bool {
        self.xs.len() == xs.len()
            && self
                .xs
                .iter()
                .zip(xs)
                .all(|(a, b)| (a - b).abs() <= SAME * 2.0)
    }

    pub fn columns(&self) -> &[f64] {
        &self.xs
    }
}

/// A row as one line: a tab before every cell, as Word tables are read.
pub(crate) fn row_line(cells: &[String]) -> String {
    cells.iter().map(|c| format!("\t{c}")).collect()
}

/// Is `next`, the first row of a table's part on a new page, the rest of `last`, the row the
/// previous page ended with? A row that does not fit the page breaks with it (Word's and
/// LibreOffice's default): only the cells whose text wrapped go on, so the rest has text only
/// where the row had, and none in a good part of those cells (its number, its value). A
/// row of its own that merely leaves a cell empty (a sub-indicator without a number) has
/// text in most of them. A heading cut by the page (指标 | 名称, 2030 | 年规划 in narrow
/// columns) goes on in most of its cells, but the row after a heading is the first of the
/// table's and names its group: the heading's rest is the only row with text in fewer cells.
pub(crate) fn continues(last: &[String], next: &[String], last_is_heading: bool) -> bool {
    if last.len() != next.len() {
        return false;
    }
    let filled_last = last.iter().filter(|c| !c.is_empty()).count();
    let filled_next = next.iter().filter(|c| !c.is_empty()).count();
    let within = last
        .iter()
        .zip(next)
        .all(|(a, b)| b.is_empty() || !a.is_empty());
    let few = filled_next * 5 <= filled_last * 3 || (last_is_heading && filled_next < filled_last);
    within && filled_next > 0 && few
}

/// The cells of a row and the rest of it, joined.
pub(crate) fn join_rows(last: &[String], next: &[String]) -> Vec<String> {
    last.iter()
        .zip(next)
        .map(|(a, b)| {
            let space = a.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
                && b.chars().next().is_some_and(|c| c.is_ascii_alphanumeric());
            format!("{a}{}{b}", if space { " " } else { "" })
        })
        .collect()
}

/// A cell's glyphs as one line: its printed lines top to bottom, each left to right, joined
/// without a break (a cell wraps where its width ends, not where a word does); a space only
/// between two Latin words or numbers set apart.
fn cell_text(glyphs: &[Glyph]) -> String {
    let mut sorted: Vec<&Glyph> = glyphs.iter().collect();
    sorted.sort_by(|a, b| b.y.total_cmp(&a.y));
    let mut lines: Vec<Vec<&Glyph>> = Vec::new();
    for g in sorted {
        match lines.last_mut() {
            Some(line)
                if line
                    .first()
                    .is_some_and(|f| (f.y - g.y).abs() <= f.size.max(g.size) * 0.5) =>
            {
                line.push(g)
            }
            _ => lines.push(vec![g]),
        }
    }
    let mut text = String::new();
    for mut line in lines {
        line.sort_by(|a, b| a.x.total_cmp(&b.x));
        let mut last_right: Option<f64> = None;
        for (i, g) in line.iter().enumerate() {
            let apart = i == 0 || last_right.is_some_and(|r| g.x > r + g.size * 0.25);
            let prev_word = text
                .chars()
                .last()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            let next_word = g
                .text
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric());
            if apart && prev_word && next_word {
                text.push(' ');
            }
            text.extend(g.text.chars().filter(|c| !c.is_control()));
            last_right = Some(g.right);
        }
    }
    text.trim().to_string()
}

/// Rules drawn twice or in pieces joined: the same direction, the same position, touching
/// or overlapping.
fn merged(rules: &[Rule]) -> Vec<Rule> {
    let mut sorted: Vec<Rule> = rules.to_vec();
    sorted.sort_by(|a, b| {
        a.horizontal
            .cmp(&b.horizontal)
            .then(a.at.total_cmp(&b.at))
            .then(a.from.total_cmp(&b.from))
    });
    let mut out: Vec<Rule> = Vec::new();
    for rule in sorted {
        // Rules of one line may come in any order along it; look back over the ones at the
        // same position.
        let same_line = out
            .iter_mut()
            .rev()
            .take_while(|r| r.horizontal == rule.horizontal && (r.at - rule.at).abs() <= SAME);
        let mut joined = false;
        for r in same_line {
            if rule.from <= r.to + SAME && rule.to >= r.from - SAME {
                r.from = r.from.min(rule.from);
                r.to = r.to.max(rule.to);
                joined = true;
                break;
            }
        }
        if !joined {
            out.push(rule);
        }
    }
    out
}

/// Groups of rules that cross or touch one another (a horizontal and a vertical meet).
fn connected(rules: &[Rule]) -> Vec<Vec<usize>> {
    let mut sets = DisjointSets::new(rules.len());
    let horizontal: Vec<usize> = (0..rules.len()).filter(|&i| rules[i].horizontal).collect();
    let vertical: Vec<usize> = (0..rules.len()).filter(|&i| !rules[i].horizontal).collect();
    for &h in &horizontal {
        for &v in &vertical {
            let (hr, vr) = (rules[h], rules[v]);
            if hr.covers(vr.at) && vr.covers(hr.at) {
                sets.join(h, v);
            }
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut index_of_root = std::collections::HashMap::new();
    for i in 0..rules.len() {
        let root = sets.root(i);
        let k = *index_of_root.entry(root).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[k].push(i);
    }
    groups
}

/// Distinct positions, ascending, those within `SAME` of one another taken as one.
fn positions(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut all: Vec<f64> = values.collect();
    all.sort_by(f64::total_cmp);
    let mut out: Vec<f64> = Vec::new();
    for v in all {
        match out.last() {
            Some(&last) if v - last <= SAME => {}
            _ => out.push(v),
        }
    }
    out
}

/// Union–find over `0..n`, with path halving.
struct DisjointSets {
    parent: Vec<usize>,
}

impl DisjointSets {
    fn new(n: usize) -> Self {
        Self {
            parent: (0..n).collect(),
        }
    }

    fn root(&mut self, mut i: usize) -> usize {
        while self.parent[i] != i {
            self.parent[i] = self.parent[self.parent[i]];
            i = self.parent[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.root(a), self.root(b));
        if ra != rb {
            self.parent[ra.max(rb)] = ra.min(rb);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(y: f64, x0: f64, x1: f64) -> Rule {
        Rule {
            horizontal: true,
            at: y,
            from: x0,
            to: x1,
        }
    }

    fn v(x: f64, y0: f64, y1: f64) -> Rule {
        Rule {
            horizontal: false,
            at: x,
            from: y0,
            to: y1,
        }
    }

    fn glyphs(text: &str, x: f64, y: f64) -> Vec<Glyph> {
        text.chars()
            .enumerate()
            .map(|(i, c)| Glyph {
                x: x + i as f64 * 10.0,
                y,
                right: x + (i + 1) as f64 * 10.0,
                size: 10.0,
                text: c.to_string(),
            })
            .collect()
    }

    /// Three columns, three rows; the first column's lower two cells merged (a category
    /// over two indicators); the first row's text wraps in its cell.
    fn grid() -> Vec<Rule> {
        vec![
            h(300.0, 0.0, 300.0),
            h(270.0, 0.0, 300.0),
            h(240.0, 100.0, 300.0), // no border under 健康 in the first column
            h(210.0, 0.0, 300.0),
            v(0.0, 210.0, 300.0),
            v(100.0, 210.0, 300.0),
            v(200.0, 210.0, 300.0),
            v(300.0, 210.0, 300.0),
        ]
    }

    #[test]
    fn cells_are_rebuilt_from_borders_whatever_the_drawing_order() {
        let mut tables = Table::find(&grid());
        assert_eq!(tables.len(), 1);
        let table = &mut tables[0];
        let mut all = Vec::new();
        // Drawn column by column, the second column's heading on two baselines.
        all.extend(glyphs("类别", 5.0, 280.0));
        all.extend(glyphs("健康", 5.0, 245.0));
        all.extend(glyphs("指标", 105.0, 288.0));
        all.extend(glyphs("名称", 105.0, 275.0));
        all.extend(glyphs("孕产妇死亡率", 105.0, 250.0));
        all.extend(glyphs("婴儿死亡率", 105.0, 220.0));
        all.extend(glyphs("< 8", 205.0, 250.0));
        all.extend(glyphs("2030年", 205.0, 280.0));
        all.extend(glyphs("≤3.5", 205.0, 220.0));
        for g in all.iter().rev() {
            assert!(table.take(g), "{g:?}");
        }
        let lines: Vec<String> = table.rows().iter().map(|r| row_line(r)).collect();
        assert_eq!(
            lines,
            vec![
                "\t类别\t指标名称\t2030年",
                "\t健康\t孕产妇死亡率\t< 8",
                "\t\t婴儿死亡率\t≤3.5",
            ]
        );
        assert!(!table.take(&glyphs("正文", 5.0, 100.0)[0]));
    }

    #[test]
    fn borders_drawn_in_pieces_and_twice_make_one_grid() {
        let mut rules = Vec::new();
        for piece in grid() {
            // Each cell draws its own borders: split every rule in two, overlapping.
            let mid = (piece.from + piece.to) / 2.0;
            rules.push(Rule {
                to: mid + 0.5,
                ..piece
            });
            rules.push(Rule {
                from: mid - 0.5,
                at: piece.at + 0.4,
                ..piece
            });
        }
        let tables = Table::find(&rules);
        assert_eq!(tables.len(), 1);
        assert_eq!((tables[0].ys.len(), tables[0].xs.len()), (4, 4));
    }

    /// Chrome draws no border where the page cuts a row: the column borders go on below
    /// the last row border, and the cut row is still a row of the table.
    #[test]
    fn a_row_cut_by_the_page_without_its_border_stays_in_the_table() {
        let rules = vec![
            h(300.0, 0.0, 300.0),
            h(270.0, 0.0, 300.0),
            v(0.0, 230.0, 300.0),
            v(100.0, 230.0, 300.0),
            v(200.0, 230.0, 300.0),
            v(300.0, 230.0, 300.0),
        ];
        let mut tables = Table::find(&rules);
        let table = &mut tables[0];
        for g in glyphs("社区居委会", 5.0, 255.0)
            .iter()
            .chain(&glyphs("成员中女性", 5.0, 240.0))
            .chain(&glyphs("50左右", 105.0, 255.0))
        {
            assert!(table.take(g), "{g:?}");
        }
        let lines: Vec<String> = table.rows().iter().map(|r| row_line(r)).collect();
        assert_eq!(lines, vec!["\t社区居委会成员中女性\t50左右\t"]);
    }

    /// A page drawn as a fine mesh (a hostile or odd file): the grid is capped and read
    /// without looking at every rule for every cell.
    #[test]
    fn a_mesh_of_thousands_of_lines_is_read_or_refused_quickly() {
        let mut rules = Vec::new();
        for k in 0..2000 {
            let at = f64::from(k) * 2.0;
            rules.push(h(at, 0.0, 4000.0));
            rules.push(v(at, 0.0, 4000.0));
        }
        // Over the cap: no table, and no hours spent finding out.
        assert!(Table::find(&rules).is_empty());
        let mut rules = Vec::new();
        for k in 0..300 {
            let at = f64::from(k) * 4.0;
            rules.push(h(at, 0.0, 1200.0));
            rules.push(v(at, 0.0, 1200.0));
        }
        let tables = Table::find(&rules);
        assert_eq!(tables.len(), 1);
        assert!(tables[0].rows().is_empty());
    }

    #[test]
    fn a_box_round_a_paragraph_and_an_underline_are_no_table() {
        let boxed = Rule::of_rectangle([(0.0, 0.0), (300.0, 100.0)], true);
        assert_eq!(boxed.len(), 4);
        assert!(Table::find(&boxed).is_empty());
        assert!(Table::find(&[h(50.0, 0.0, 200.0)]).is_empty());
        // A shaded area is no border; a thin filled bar is.
        assert!(Rule::of_rectangle([(0.0, 0.0), (300.0, 100.0)], false).is_empty());
        assert_eq!(
            Rule::of_rectangle([(0.0, 10.0), (300.0, 10.5)], false),
            vec![h(10.25, 0.0, 300.0)]
        );
    }

    #[test]
    fn a_heading_over_two_columns_is_followed_by_an_empty_cell() {
        let rules = vec![
            h(300.0, 0.0, 300.0),
            h(270.0, 0.0, 300.0),
            h(240.0, 0.0, 300.0),
            v(0.0, 240.0, 300.0),
            v(100.0, 240.0, 270.0), // no border between the two headings' columns above
            v(200.0, 240.0, 300.0),
            v(300.0, 240.0, 300.0),
        ];
        let mut tables = Table::find(&rules);
        let table = &mut tables[0];
        for g in glyphs("指标名称", 5.0, 280.0)
            .iter()
            .chain(&glyphs("目标", 205.0, 280.0))
            .chain(&glyphs("甲", 5.0, 250.0))
            .chain(&glyphs("乙", 105.0, 250.0))
            .chain(&glyphs("丙", 205.0, 250.0))
        {
            assert!(table.take(g));
        }
        let lines: Vec<String> = table.rows().iter().map(|r| row_line(r)).collect();
        assert_eq!(lines, vec!["\t指标名称\t\t目标", "\t甲\t乙\t丙"]);
    }

    fn row(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_row_broken_by_the_page_is_joined_and_a_row_without_a_number_is_not() {
        let last = row(&["", "3", "孕产妇死亡", "< 8", "约束性", "县卫生健康"]);
        let rest = row(&["", "", "率（1/10万）", "", "", "委"]);
        assert!(continues(&last, &rest, false));
        assert_eq!(
            join_rows(&last, &rest),
            row(&[
                "",
                "3",
                "孕产妇死亡率（1/10万）",
                "< 8",
                "约束性",
                "县卫生健康委"
            ])
        );
        let sub = row(&[
            "",
            "",
            "乳腺癌人群筛查率（%）",
            "逐步提高",
            "预期性",
            "县卫生健康委",
        ]);
        assert!(!continues(&last, &sub, false));
        // Text where the row had none: a new row.
        let new = row(&["妇女与教育", "", "率", "", "", ""]);
        assert!(!continues(&last, &new, false));
        // The value does not wrap, the name, the attribute and the department do.
        let last = row(&["", "10", "由政", "100", "约束", "县卫"]);
        let rest = row(&[
            "",
            "",
            "府举办的妇幼保健机构覆盖率（%）",
            "",
            "性",
            "生健康委",
        ]);
        assert!(continues(&last, &rest, false));
        // A heading in narrow columns, cut by the page.
        let heading = row(&["类别", "序号", "指标", "2030", "指标", "责任"]);
        let rest = row(&["", "", "名称", "年规划", "属性", "单位"]);
        assert!(continues(&heading, &rest, true));
        assert!(!continues(&heading, &rest, false));
        let first = row(&[
            "儿童与健康",
            "1",
            "新生儿死亡率（‰）",
            "< 1.5",
            "约束性",
            "县卫生健康委",
        ]);
        assert!(!continues(&heading, &first, true));
    }
}
