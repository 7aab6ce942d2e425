//! Charts drawn as vector shapes from the document's chart data: a bar per
//! question, the likelihood x severity heat map and the milestone trend.

use super::canvas::{CONTENT_W, Canvas, INK, MARGIN_X, MUTED, NAVY, PALE, RED, RULE, Style, WHITE};
use crate::doc::{Bars, Heat, Tone, Trend};

/// Fill and text colour of a tone.
pub fn tone_colors(t: Tone) -> (u32, u32) {
    match t {
        Tone::Critical => (0xb71c1c, WHITE),
        Tone::High => (0xe65100, WHITE),
        Tone::Medium => (0xf9a825, INK),
        Tone::Low => (0x2e7d32, WHITE),
        Tone::Band(0) => (0xc62828, WHITE),
        Tone::Band(1) => (0xef6c00, WHITE),
        Tone::Band(2) => (0x9e9d24, WHITE),
        Tone::Band(_) => (0x2e7d32, WHITE),
        Tone::Neutral => (0x9aa5b1, WHITE),
        Tone::Navy => (NAVY, WHITE),
    }
}

/// A colour mixed with white: `keep` of the colour (0-1).
fn faded(c: u32, keep: f32) -> u32 {
    let ch = |s: u32| {
        let v = ((c >> s) & 0xff) as f32;
        ((v * keep + 255.0 * (1.0 - keep)).round() as u32) << s
    };
    ch(16) | ch(8) | ch(0)
}

/// Horizontal bars, one per question: the evidence-adjusted score filled
/// in its band colour, the declared score as an outline where it is
/// higher, a red triangle where evidence contradicts the answers.
pub fn bars(c: &mut Canvas, b: &Bars) {
    let label_w = 150.0;
    let value_w = 64.0;
    let bar_x = MARGIN_X + label_w;
    let bar_w = CONTENT_W - label_w - value_w;
    let row_h = 17.0;
    let small = Style::new(7.5, false, MUTED);
    let label = Style::new(8.0, false, INK);
    let legend_lines = c.wrap(&b.legend, CONTENT_W, small).len();
    let h = 24.0 + row_h * b.bars.len() as f32 + 40.0 + legend_lines as f32 * 11.0;
    c.ensure(h);
    c.text(MARGIN_X, c.y, &b.title, Style::new(10.0, true, INK));
    c.y += 18.0;
    let top = c.y;
    let bottom = top + row_h * b.bars.len() as f32;
    for t in [0.0f32, 25.0, 50.0, 75.0, 100.0] {
        let x = bar_x + bar_w * t / 100.0;
        let (col, w) = if t == 0.0 { (MUTED, 0.8) } else { (RULE, 0.4) };
        c.line(x, top - 2.0, x, bottom, col, w);
        c.text_center(x, bottom + 3.0, &format!("{t:.0}"), small);
    }
    for (i, bar) in b.bars.iter().enumerate() {
        let y = top + i as f32 * row_h;
        let name = c.ellipsize(&bar.label, label_w - 8.0, label);
        c.text(MARGIN_X, y + 4.0, &name, label);
        let w_of = |v: Option<f64>| bar_w * (v.unwrap_or(0.0) as f32).clamp(0.0, 100.0) / 100.0;
        let w = w_of(bar.value);
        let (fill, _) = tone_colors(bar.tone);
        if w > 0.0 {
            c.rect(bar_x, y + 3.0, w, row_h - 6.0, Some(fill), None);
        }
        if bar.declared > bar.value {
            let dw = w_of(bar.declared);
            c.rect(bar_x, y + 2.0, dw, row_h - 4.0, None, Some((MUTED, 0.8)));
        }
        let vst = Style::new(8.0, true, INK);
        let x = bar_x
            + w_of(if bar.declared > bar.value {
                bar.declared
            } else {
                bar.value
            })
            + 4.0;
        c.text(x, y + 4.0, &bar.text, vst);
        if bar.contradicted {
            let tw = c.width(&bar.text, vst);
            c.text(x + tw + 3.0, y + 4.0, "▲", Style::new(8.0, true, RED));
        }
    }
    c.y = bottom + 16.0;
    let mut x = MARGIN_X + label_w;
    for (tone, text) in &b.bands {
        let (fill, _) = tone_colors(*tone);
        let tw = c.width(text, small);
        if x + 12.0 + tw > MARGIN_X + CONTENT_W {
            x = MARGIN_X + label_w;
            c.y += 11.0;
        }
        c.rect(x, c.y + 1.0, 9.0, 7.0, Some(fill), None);
        c.text(x + 12.0, c.y, text, small);
        x += 12.0 + tw + 14.0;
    }
    c.y += 14.0;
    c.paragraph(&b.legend, MARGIN_X, CONTENT_W, small);
    c.y += 12.0;
}

/// The heat map: rows likelihood (most likely first), columns severity,
/// cells coloured by priority with the number of plan items; empty cells
/// faded so the eye goes to where the items are.
pub fn heat(c: &mut Canvas, h: &Heat) {
    let cell_w = 92.0;
    let cell_h = 40.0;
    let axis_w = 86.0;
    let grid_x = MARGIN_X + axis_w;
    let small = Style::new(7.5, false, MUTED);
    let legend = c.wrap(&h.legend, CONTENT_W, small).len() as f32 * 11.0;
    c.ensure(34.0 + h.rows.len() as f32 * cell_h + 40.0 + legend);
    c.text(MARGIN_X, c.y, &h.title, Style::new(10.0, true, INK));
    c.y += 30.0;
    let top = c.y;
    let axis = Style::new(8.0, true, MUTED);
    let lab = Style::new(8.5, false, INK);
    for (row, (label, cells)) in h.rows.iter().zip(&h.cells).enumerate() {
        let y = top + row as f32 * cell_h;
        c.text_right(grid_x - 6.0, y + cell_h / 2.0 - 5.0, label, lab);
        for (col, cell) in cells.iter().enumerate() {
            let x = grid_x + col as f32 * cell_w;
            let (fill, ink) = tone_colors(cell.priority.into());
            let (fill, ink) = if cell.count == 0 {
                (faded(fill, 0.22), faded(ink_on_pale(ink), 0.6))
            } else {
                (fill, ink)
            };
            c.rect(x, y, cell_w, cell_h, Some(fill), Some((WHITE, 1.5)));
            let big = Style::new(14.0, true, ink);
            c.text_center(x + cell_w / 2.0, y + 7.0, &cell.count.to_string(), big);
            c.text_center(
                x + cell_w / 2.0,
                y + 26.0,
                &cell.label,
                Style::new(7.0, false, ink),
            );
        }
    }
    let bottom = top + h.rows.len() as f32 * cell_h;
    for (col, label) in h.cols.iter().enumerate() {
        c.text_center(
            grid_x + col as f32 * cell_w + cell_w / 2.0,
            bottom + 4.0,
            label,
            lab,
        );
    }
    let grid_w = h.cols.len() as f32 * cell_w;
    c.text_center(
        grid_x + grid_w / 2.0,
        bottom + 18.0,
        &format!("{} →", h.col_title),
        axis,
    );
    c.text(MARGIN_X, top - 12.0, &format!("↑ {}", h.row_title), axis);
    c.y = bottom + 34.0;
    c.paragraph(&h.legend, MARGIN_X, CONTENT_W, small);
    c.y += 10.0;
}

/// White text on a faded cell would vanish: use ink.
fn ink_on_pale(ink: u32) -> u32 {
    if ink == WHITE { INK } else { ink }
}

/// The score per milestone as two lines (evidence-adjusted solid, declared
/// dashed grey) with the high/medium-risk counts under each point.
pub fn trend(c: &mut Canvas, t: &Trend) {
    let plot_h = 120.0;
    let left = MARGIN_X + 30.0;
    let right = MARGIN_X + CONTENT_W - 20.0;
    c.ensure(20.0 + plot_h + 70.0);
    c.text(MARGIN_X, c.y, &t.title, Style::new(10.0, true, INK));
    c.y += 22.0;
    let top = c.y;
    let small = Style::new(7.5, false, MUTED);
    let y_of = |v: f64| top + plot_h * (1.0 - (v as f32).clamp(0.0, 100.0) / 100.0);
    for g in [0.0, 25.0, 50.0, 75.0, 100.0] {
        c.hline(left, right, y_of(g), RULE, 0.4);
        c.text_right(left - 4.0, y_of(g) - 4.0, &format!("{g:.0}"), small);
    }
    let n = t.points.len();
    let step = if n > 1 {
        (right - left - 40.0) / (n - 1) as f32
    } else {
        0.0
    };
    let x_of = |i: usize| left + 20.0 + step * i as f32;
    for (pick, color, width) in [
        (
            (|p: &crate::doc::TrendPoint| p.declared) as fn(&crate::doc::TrendPoint) -> Option<f64>,
            0x9aa5b1,
            1.2,
        ),
        (|p| p.adjusted, NAVY, 2.0),
    ] {
        let pts: Vec<(f32, f32)> = t
            .points
            .iter()
            .enumerate()
            .filter_map(|(i, p)| pick(p).map(|v| (x_of(i), y_of(v))))
            .collect();
        for w in pts.windows(2) {
            c.line(w[0].0, w[0].1, w[1].0, w[1].1, color, width);
        }
        for (x, y) in &pts {
            c.rect(x - 2.5, y - 2.5, 5.0, 5.0, Some(color), None);
        }
    }
    for (i, p) in t.points.iter().enumerate() {
        let x = x_of(i);
        if let Some(v) = p.adjusted.or(p.declared) {
            c.text_center(
                x,
                y_of(v) - 14.0,
                &format!("{v:.1}"),
                Style::new(8.0, true, NAVY),
            );
        }
        let lab = Style::new(8.0, true, INK);
        let name = c.ellipsize(&p.label, step.max(90.0) - 6.0, lab);
        c.text_center(x, top + plot_h + 6.0, &name, lab);
        c.text_center(x, top + plot_h + 18.0, &p.date, small);
        c.text_center(
            x,
            top + plot_h + 30.0,
            &format!(
                "{} {} · {} {}",
                t.high_label, p.high, t.medium_label, p.medium
            ),
            Style::new(7.5, false, RED),
        );
    }
    c.y = top + plot_h + 46.0;
    let mut x = MARGIN_X;
    for (label, color) in [(&t.adjusted_label, NAVY), (&t.declared_label, 0x9aa5b1)] {
        c.rect(x, c.y + 3.0, 14.0, 2.0, Some(color), None);
        c.text(x + 18.0, c.y, label, small);
        x += 18.0 + c.width(label, small) + 16.0;
    }
    c.rect(MARGIN_X, c.y + 14.0, 0.1, 0.1, Some(PALE), None);
    c.y += 22.0;
}
