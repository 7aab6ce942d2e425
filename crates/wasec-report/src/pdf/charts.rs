//! Charts drawn as vector shapes: a bar per question and the likelihood x
//! severity heat map.

use super::canvas::{CONTENT_W, Canvas, INK, MARGIN_X, MUTED, PALE, RULE, Style, WHITE};
use crate::labels::L;
use crate::model::Report;
use wasec_core::review::QuestionRisk;
use wasec_core::scoring::{Level, priority};

/// Fill and text colour for a priority level.
pub fn level_colors(l: Level) -> (u32, u32) {
    match l {
        Level::Critical => (0xb71c1c, WHITE),
        Level::High => (0xe65100, WHITE),
        Level::Medium => (0xf9a825, INK),
        Level::Low => (0x2e7d32, WHITE),
    }
}

pub fn risk_color(r: QuestionRisk) -> u32 {
    match r {
        QuestionRisk::High => 0xb71c1c,
        QuestionRisk::Medium => 0xf9a825,
        QuestionRisk::None => 0x2e7d32,
        QuestionRisk::Unanswered | QuestionRisk::NotApplicable => 0x9aa5b1,
    }
}

/// Horizontal bars, one per question, scored 0-100.
pub fn score_bars(c: &mut Canvas, r: &Report, l: &L) {
    let label_w = 190.0;
    let value_w = 34.0;
    let bar_x = MARGIN_X + label_w;
    let bar_w = CONTENT_W - label_w - value_w;
    let row_h = 17.0;
    let small = Style::new(7.5, false, MUTED);
    let label = Style::new(8.0, false, INK);
    let h = 24.0 + row_h * r.questions.len() as f32 + 30.0;
    c.ensure(h);
    c.text(
        MARGIN_X,
        c.y,
        l.score_by_question(),
        Style::new(10.0, true, INK),
    );
    c.y += 18.0;
    let top = c.y;
    let bottom = top + row_h * r.questions.len() as f32;
    // Grid and ticks every 25 points.
    for t in [0.0f32, 25.0, 50.0, 75.0, 100.0] {
        let x = bar_x + bar_w * t / 100.0;
        c.line(
            x,
            top - 2.0,
            x,
            bottom,
            if t == 0.0 { MUTED } else { RULE },
            if t == 0.0 { 0.8 } else { 0.4 },
        );
        c.text_center(x, bottom + 3.0, &format!("{t:.0}"), small);
    }
    for (i, q) in r.questions.iter().enumerate() {
        let y = top + i as f32 * row_h;
        let name = c.ellipsize(&format!("{} {}", q.id, q.area), label_w - 8.0, label);
        c.text(MARGIN_X, y + 4.0, &name, label);
        let score = q.score.unwrap_or(0.0) as f32;
        let w = bar_w * score.clamp(0.0, 100.0) / 100.0;
        if w > 0.0 {
            c.rect(
                bar_x,
                y + 3.0,
                w,
                row_h - 6.0,
                Some(risk_color(q.risk)),
                None,
            );
        }
        let value = match q.score {
            Some(s) if !matches!(q.risk, QuestionRisk::Unanswered) => format!("{s:.0}"),
            _ => q.risk_label.clone(),
        };
        let vst = Style::new(8.0, true, INK);
        let vx = bar_x + w + 4.0;
        let vw = c.width(&value, vst);
        let vx = if vx + vw > MARGIN_X + CONTENT_W {
            bar_x + w - vw - 4.0
        } else {
            vx
        };
        c.text(vx, y + 4.0, &value, vst);
    }
    c.y = bottom + 16.0;
    // Legend: the bar colour is the question's risk.
    let mut x = MARGIN_X + label_w;
    for risk in [
        QuestionRisk::High,
        QuestionRisk::Medium,
        QuestionRisk::None,
        QuestionRisk::Unanswered,
    ] {
        c.rect(x, c.y + 1.0, 9.0, 7.0, Some(risk_color(risk)), None);
        let t = risk.label(r.lang);
        c.text(x + 12.0, c.y, t, small);
        x += 12.0 + c.width(t, small) + 14.0;
    }
    c.y += 22.0;
}

/// The 4x4 heat map: rows likelihood Critical..Low, columns severity
/// Low..Critical, cells coloured by priority and labelled with the number
/// of plan items that fall there.
pub fn heat_map(c: &mut Canvas, r: &Report, l: &L) {
    let cell_w = 80.0;
    let cell_h = 42.0;
    let axis_w = 80.0;
    let grid_x = MARGIN_X + axis_w;
    let total_h = 34.0 + 4.0 * cell_h + 50.0;
    c.ensure(total_h);
    c.text(MARGIN_X, c.y, l.heat_map(), Style::new(10.0, true, INK));
    c.y += 34.0;
    let top = c.y;
    let axis = Style::new(8.0, true, MUTED);
    let lab = Style::new(8.5, false, INK);
    for (row, lk) in Level::ALL.into_iter().rev().enumerate() {
        let y = top + row as f32 * cell_h;
        c.text_right(grid_x - 6.0, y + cell_h / 2.0 - 5.0, lk.label(r.lang), lab);
        for (col, sv) in Level::ALL.into_iter().enumerate() {
            let x = grid_x + col as f32 * cell_w;
            let p = priority(lk, sv);
            let (fill, ink) = level_colors(p);
            c.rect(x, y, cell_w, cell_h, Some(fill), Some((WHITE, 1.5)));
            let n = r.matrix[lk as usize][sv as usize];
            let big = Style::new(15.0, true, ink);
            c.text_center(x + cell_w / 2.0, y + 8.0, &n.to_string(), big);
            c.text_center(
                x + cell_w / 2.0,
                y + 27.0,
                p.label(r.lang),
                Style::new(7.0, false, ink),
            );
        }
    }
    let bottom = top + 4.0 * cell_h;
    for (col, sv) in Level::ALL.into_iter().enumerate() {
        c.text_center(
            grid_x + col as f32 * cell_w + cell_w / 2.0,
            bottom + 4.0,
            sv.label(r.lang),
            lab,
        );
    }
    c.text_center(
        grid_x + 2.0 * cell_w,
        bottom + 18.0,
        &format!("{} →", l.severity()),
        axis,
    );
    // The likelihood axis title sits above the row labels.
    c.text(MARGIN_X, top - 12.0, &format!("↑ {}", l.likelihood()), axis);
    // A side legend with the per-priority totals.
    let lx = grid_x + 4.0 * cell_w + 16.0;
    let mut ly = top;
    let p = &r.priority_counts;
    for (lvl, n) in [
        (Level::Critical, p.critical),
        (Level::High, p.high),
        (Level::Medium, p.medium),
        (Level::Low, p.low),
    ] {
        let (fill, _) = level_colors(lvl);
        c.rect(lx, ly + 1.0, 10.0, 10.0, Some(fill), None);
        c.text(
            lx + 14.0,
            ly + 1.0,
            &format!("{} {}", lvl.label(r.lang), n),
            lab,
        );
        ly += 18.0;
    }
    c.rect(
        lx,
        ly + 4.0,
        CONTENT_W + MARGIN_X - lx,
        0.1,
        Some(PALE),
        None,
    );
    c.y = bottom + 40.0;
}
