//! Tables that wrap cell text to the column width, grow rows to fit, and
//! continue on the next page with the header row repeated.

use super::canvas::{BOTTOM, Canvas, MARGIN_X, MUTED, NAVY, PALE, RULE, Style, TOP, WHITE, ZEBRA};

pub struct Column {
    pub title: String,
    pub width: f32,
}

pub fn col(title: &str, width: f32) -> Column {
    Column {
        title: title.to_string(),
        width,
    }
}

#[derive(Clone, Default)]
pub struct Cell {
    pub text: String,
    pub bold: bool,
    /// Fill the whole cell with this colour (priority badges).
    pub fill: Option<u32>,
    /// Text colour; defaults to ink (white on a dark fill).
    pub color: Option<u32>,
    /// A second run drawn in red bold under the text (contradiction marks).
    pub alert: Option<String>,
}

pub fn cell(text: impl Into<String>) -> Cell {
    Cell {
        text: text.into(),
        ..Cell::default()
    }
}

impl Cell {
    pub fn bold(mut self) -> Cell {
        self.bold = true;
        self
    }
    pub fn fill(mut self, fill: u32, color: u32) -> Cell {
        self.fill = Some(fill);
        self.color = Some(color);
        self
    }
    pub fn alert(mut self, alert: Option<String>) -> Cell {
        self.alert = alert;
        self
    }
}

const PAD: f32 = 3.5;

/// Fewer lines than this left on a page: a row taller than a page starts
/// on the next one rather than leaving a sliver behind.
const MIN_SPLIT_LINES: usize = 3;

/// Draw a table at the cursor. Widths are in points and should add up to
/// the content width.
///
/// A row that fits on a page is kept whole (it moves to the next page if
/// the rest of this one is too short). A row taller than a whole page is
/// split line by line across pages, the header repeated on each, so no
/// text is ever cut off.
pub fn draw(c: &mut Canvas, cols: &[Column], rows: &[Vec<Cell>], size: f32) {
    let head = Style::new(size, true, WHITE);
    let header_h = header_height(c, cols, head);
    c.ensure(header_h + size * 3.0);
    header(c, cols, head);
    let lh = size * 1.35;
    let page_lines = (((BOTTOM - TOP - header_h) - 2.0 * PAD) / lh)
        .floor()
        .max(1.0) as usize;
    for (i, row) in rows.iter().enumerate() {
        let laid = lay_out(c, cols, row, size);
        let n = laid.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let mut done = 0;
        while done < n {
            let room = ((BOTTOM - c.y - 2.0 * PAD) / lh).floor().max(0.0) as usize;
            let left = n - done;
            let whole_row_moves = done == 0 && left <= page_lines;
            if left > room && (whole_row_moves || room < MIN_SPLIT_LINES) {
                c.new_page();
                header(c, cols, head);
                continue;
            }
            let take = left.min(room);
            draw_slice(c, cols, row, &laid, done..done + take, i % 2 == 1, lh);
            done += take;
            if done < n {
                c.new_page();
                header(c, cols, head);
            }
        }
    }
    c.y += 10.0;
}

/// Each cell's wrapped lines: its text, then its alert lines.
fn lay_out(c: &Canvas, cols: &[Column], row: &[Cell], size: f32) -> Vec<Vec<(String, Style)>> {
    cols.iter()
        .zip(row)
        .map(|(col, cell)| {
            let st = Style::new(size, cell.bold, cell.color.unwrap_or(super::canvas::INK));
            let inner = col.width - 2.0 * PAD;
            let mut lines: Vec<(String, Style)> = c
                .wrap(&cell.text, inner, st)
                .into_iter()
                .map(|l| (l, st))
                .collect();
            if let Some(a) = &cell.alert {
                let ast = Style::new(size, true, super::canvas::RED);
                lines.extend(c.wrap(a, inner, ast).into_iter().map(|l| (l, ast)));
            }
            lines
        })
        .collect()
}

/// Draw lines `range` of one row at the cursor and move below it.
fn draw_slice(
    c: &mut Canvas,
    cols: &[Column],
    row: &[Cell],
    laid: &[Vec<(String, Style)>],
    range: std::ops::Range<usize>,
    zebra: bool,
    lh: f32,
) {
    let h = range.len() as f32 * lh + 2.0 * PAD;
    let top = c.y;
    if zebra {
        let w: f32 = cols.iter().map(|c| c.width).sum();
        c.rect(MARGIN_X, top, w, h, Some(ZEBRA), None);
    }
    let mut x = MARGIN_X;
    for (k, ((col, cell), lines)) in cols.iter().zip(row).zip(laid).enumerate() {
        let shown = lines.get(range.clone()).unwrap_or_else(|| {
            // This cell ends before the slice does.
            &lines[range.start.min(lines.len())..]
        });
        if k == 0 && range.start > 0 && shown.is_empty() {
            // A continued row: repeat the start of its first cell (the BP
            // or check id) in grey so the reader knows whose text this is.
            if let Some((first, st)) = lines.first() {
                let grey = Style::new(st.size, st.bold, MUTED);
                let label = c.ellipsize(&format!("{first} …"), col.width - 2.0 * PAD, grey);
                c.text(x + PAD, top + PAD, &label, grey);
            }
        }
        if let (Some(fill), false) = (cell.fill, shown.is_empty()) {
            // A badge: coloured block inset in the cell.
            let bh = shown.len() as f32 * lh + 2.0;
            c.rect(
                x + 2.0,
                top + PAD - 1.0,
                col.width - 4.0,
                bh,
                Some(fill),
                None,
            );
        }
        let mut y = top + PAD;
        for (line, st) in shown {
            c.text(x + PAD, y, line, *st);
            y += lh;
        }
        x += col.width;
    }
    c.y = top + h;
    c.hline(MARGIN_X, x, c.y, RULE, 0.4);
}

fn header_height(c: &Canvas, cols: &[Column], st: Style) -> f32 {
    let n = cols
        .iter()
        .map(|col| c.wrap(&col.title, col.width - 2.0 * PAD, st).len())
        .max()
        .unwrap_or(1);
    n as f32 * st.size * 1.35 + 2.0 * PAD
}

fn header(c: &mut Canvas, cols: &[Column], st: Style) {
    let h = header_height(c, cols, st);
    let w: f32 = cols.iter().map(|c| c.width).sum();
    let top = c.y;
    c.rect(MARGIN_X, top, w, h, Some(NAVY), None);
    let mut x = MARGIN_X;
    for col in cols {
        let mut y = top + PAD;
        for line in c.wrap(&col.title, col.width - 2.0 * PAD, st) {
            c.text(x + PAD, y, &line, st);
            y += st.size * 1.35;
        }
        x += col.width;
    }
    c.y = top + h;
}

/// A two-column key/value block (cover page, question facts).
pub fn key_values(c: &mut Canvas, rows: &[(&str, String)], key_w: f32, total_w: f32, size: f32) {
    let kst = Style::new(size, true, super::canvas::MUTED);
    let vst = Style::new(size, false, super::canvas::INK);
    for (k, v) in rows {
        let lines = c.wrap(v, total_w - key_w - 8.0, vst);
        let h = lines.len() as f32 * vst.line_height() + 6.0;
        c.ensure(h);
        let top = c.y;
        c.text(MARGIN_X, top + 3.0, k, kst);
        let mut y = top + 3.0;
        for l in lines {
            c.text(MARGIN_X + key_w, y, &l, vst);
            y += vst.line_height();
        }
        c.y = top + h;
        c.hline(MARGIN_X, MARGIN_X + total_w, c.y, PALE, 0.6);
    }
}
