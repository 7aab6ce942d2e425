//! Tables that wrap cell text to the column width, grow rows to fit, and
//! continue on the next page with the header row repeated. A header never
//! stays alone at the bottom of a page: it moves with the first row.

use super::canvas::{
    BOTTOM, CONTENT_W, Canvas, INK, MARGIN_X, MUTED, NAVY, PALE, RULE, Style, TOP, WHITE, ZEBRA,
};
use super::charts::tone_colors;
use super::rich::{self, Line};
use crate::doc::{Table, Text};
use std::collections::HashMap;
use wasec_core::Lang;

const PAD: f32 = 3.5;

/// Fewer lines than this left on a page: a row taller than a page starts
/// on the next one rather than leaving a sliver behind.
const MIN_SPLIT_LINES: usize = 3;

/// The layout context a table needs besides the canvas.
pub struct Ctx<'a> {
    pub pages: &'a HashMap<String, usize>,
    pub lang: Lang,
}

/// Draw a table at the cursor, `size` points type.
///
/// A row that fits on a page is kept whole (it moves to the next page if
/// the rest of this one is too short). A row taller than a whole page is
/// split line by line across pages, the header repeated on each, so no
/// text is ever cut off.
pub fn draw(c: &mut Canvas, t: &Table, size: f32, ctx: &Ctx) {
    let widths: Vec<f32> = t.columns.iter().map(|col| col.width * CONTENT_W).collect();
    let head = Style::new(size, true, WHITE);
    let titles: Vec<Text> = t.columns.iter().map(|c| Text::plain(&c.title)).collect();
    let head_lines = lay_row(c, &widths, &titles, &vec![None; titles.len()], head, ctx);
    let lh = size * 1.35;
    let header_h = rows_of(&head_lines) as f32 * lh + 2.0 * PAD;
    let page_lines = (((BOTTOM - TOP - header_h) - 2.0 * PAD) / lh)
        .floor()
        .max(1.0) as usize;
    let body = Style::new(size, false, INK);
    let laid: Vec<Vec<Vec<Line>>> = t
        .rows
        .iter()
        .map(|r| {
            let lines: Vec<Text> = r.cells.iter().map(join).collect();
            let fills: Vec<Option<u32>> = r
                .cells
                .iter()
                .map(|c| c.badge.map(|b| tone_colors(b).1))
                .collect();
            lay_row(c, &widths, &lines, &fills, body, ctx)
        })
        .collect();
    // The header and the first row (or as much of it as a page takes) stay together.
    let first = laid
        .first()
        .map(|r| rows_of(r).min(page_lines))
        .unwrap_or(1);
    c.ensure(header_h + first as f32 * lh + 2.0 * PAD);
    header(c, &widths, &head_lines, lh, header_h);
    for (i, (row, cells)) in t.rows.iter().zip(&laid).enumerate() {
        let n = rows_of(cells).max(1);
        let mut done = 0;
        while done < n {
            let room = ((BOTTOM - c.y - 2.0 * PAD) / lh).floor().max(0.0) as usize;
            let left = n - done;
            let whole_row_moves = done == 0 && left <= page_lines;
            if left > room && (whole_row_moves || room < MIN_SPLIT_LINES) {
                c.new_page();
                header(c, &widths, &head_lines, lh, header_h);
                continue;
            }
            if done == 0
                && let Some(a) = &row.anchor
            {
                c.anchor(a);
            }
            let take = left.min(room);
            let fills: Vec<Option<u32>> = row
                .cells
                .iter()
                .map(|cell| cell.badge.map(|b| tone_colors(b).0))
                .collect();
            slice(c, &widths, cells, &fills, done..done + take, i % 2 == 1, lh);
            done += take;
            if done < n {
                c.new_page();
                header(c, &widths, &head_lines, lh, header_h);
            }
        }
    }
    c.y += 10.0;
}

/// A cell's paragraphs as one text with line breaks.
fn join(cell: &crate::doc::Cell) -> Text {
    let mut t = Text::default();
    for (i, l) in cell.lines.iter().enumerate() {
        if i > 0 {
            t.0.push(crate::doc::Span::plain("\n"));
        }
        t.0.extend(l.0.iter().cloned());
    }
    t
}

fn rows_of(cells: &[Vec<Line>]) -> usize {
    cells.iter().map(Vec::len).max().unwrap_or(1)
}

fn lay_row(
    c: &Canvas,
    widths: &[f32],
    cells: &[Text],
    inks: &[Option<u32>],
    base: Style,
    ctx: &Ctx,
) -> Vec<Vec<Line>> {
    widths
        .iter()
        .zip(cells)
        .zip(inks)
        .map(|((w, t), ink)| {
            let st = match ink {
                Some(color) => Style::new(base.size, true, *color),
                None => base,
            };
            rich::lay(c, t, w - 2.0 * PAD, st, ctx.pages, ctx.lang)
        })
        .collect()
}

/// Draw lines `range` of one row at the cursor and move below it.
fn slice(
    c: &mut Canvas,
    widths: &[f32],
    cells: &[Vec<Line>],
    fills: &[Option<u32>],
    range: std::ops::Range<usize>,
    zebra: bool,
    lh: f32,
) {
    let h = range.len() as f32 * lh + 2.0 * PAD;
    let top = c.y;
    let total: f32 = widths.iter().sum();
    if zebra {
        c.rect(MARGIN_X, top, total, h, Some(ZEBRA), None);
    }
    let mut x = MARGIN_X;
    for (k, ((w, lines), fill)) in widths.iter().zip(cells).zip(fills).enumerate() {
        let shown: &[Line] = if range.start >= lines.len() {
            &[]
        } else {
            &lines[range.start..range.end.min(lines.len())]
        };
        if k == 0 && range.start > 0 && shown.is_empty() {
            // A continued row: repeat the start of its first cell (the BP
            // or check id) in grey so the reader knows whose text this is.
            if let Some(first) = lines.first() {
                let text: String = first.iter().map(|r| r.text.as_str()).collect();
                let st = first
                    .first()
                    .map(|r| r.st)
                    .unwrap_or(Style::new(7.5, false, MUTED));
                let grey = Style::new(st.size, st.bold, MUTED);
                let label = c.ellipsize(&format!("{text} …"), w - 2.0 * PAD, grey);
                c.text(x + PAD, top + PAD, &label, grey);
            }
        }
        if let (Some(fill), false) = (fill, shown.is_empty()) {
            // A badge: a coloured block as wide as its text.
            let bw = shown
                .iter()
                .map(|l| rich::width(c, l))
                .fold(0.0f32, f32::max)
                + 2.0 * PAD;
            let bh = shown.len() as f32 * lh + 1.0;
            c.rect(
                x + 1.5,
                top + PAD - 1.5,
                bw.min(w - 3.0),
                bh,
                Some(*fill),
                None,
            );
        }
        let mut y = top + PAD;
        for line in shown {
            rich::draw(c, x + PAD, y, line);
            y += lh;
        }
        x += w;
    }
    c.y = top + h;
    c.hline(MARGIN_X, x, c.y, RULE, 0.4);
}

fn header(c: &mut Canvas, widths: &[f32], lines: &[Vec<Line>], lh: f32, h: f32) {
    let total: f32 = widths.iter().sum();
    let top = c.y;
    c.rect(MARGIN_X, top, total, h, Some(NAVY), None);
    let mut x = MARGIN_X;
    for (w, cell) in widths.iter().zip(lines) {
        let mut y = top + PAD;
        for line in cell {
            rich::draw(c, x + PAD, y, line);
            y += lh;
        }
        x += w;
    }
    c.y = top + h;
}

/// A two-column key/value block.
pub fn key_values(c: &mut Canvas, rows: &[(String, Text)], key_w: f32, size: f32, ctx: &Ctx) {
    let kst = Style::new(size, true, MUTED);
    let vst = Style::new(size, false, INK);
    for (k, v) in rows {
        let keys = c.wrap(k, key_w - 8.0, kst);
        let lines = rich::lay(c, v, CONTENT_W - key_w - 8.0, vst, ctx.pages, ctx.lang);
        let n = lines.len().max(keys.len());
        let h = n as f32 * vst.line_height() + 6.0;
        c.ensure(h);
        let top = c.y;
        let mut y = top + 3.0;
        for k in keys {
            c.text(MARGIN_X, y, &k, kst);
            y += vst.line_height();
        }
        let mut y = top + 3.0;
        for l in &lines {
            rich::draw(c, MARGIN_X + key_w, y, l);
            y += vst.line_height();
        }
        c.y = top + h;
        c.hline(MARGIN_X, MARGIN_X + CONTENT_W, c.y, PALE, 0.6);
    }
}
