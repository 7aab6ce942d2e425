//! Styled, linked text (a [`doc::Text`]) wrapped into lines of runs.
//!
//! The spans are joined and wrapped as one string (so line breaking and
//! kinsoku see the whole sentence), then each line is cut back into runs
//! of one style and link. A link to another part of the document that
//! asks for its page ("4 more steps") gets ", p. 18" from the page map of
//! the previous layout pass.

use super::canvas::{Canvas, INK, MUTED, RED, Style};
use crate::doc::{Link, Text};
use std::collections::HashMap;
use wasec_core::Lang;

/// One piece of a line in one style.
#[derive(Debug, Clone)]
pub struct Run {
    pub text: String,
    pub st: Style,
    pub link: Option<Link>,
}

pub type Line = Vec<Run>;

/// The style a span gets on top of the block's base style.
pub fn style_of(base: Style, s: crate::doc::Style) -> Style {
    match s {
        crate::doc::Style::Plain => base,
        crate::doc::Style::Strong => Style::new(base.size, true, base.color),
        crate::doc::Style::Alert => Style::new(base.size, true, RED),
        crate::doc::Style::Muted => Style::new(
            base.size,
            base.bold,
            if base.color == INK { MUTED } else { base.color },
        ),
    }
}

/// Wrap `t` to `max` points.
pub fn lay(
    c: &Canvas,
    t: &Text,
    max: f32,
    base: Style,
    pages: &HashMap<String, usize>,
    lang: Lang,
) -> Vec<Line> {
    let mut flat = String::new();
    let mut ranges: Vec<(usize, usize, Style, Option<Link>)> = Vec::new();
    let mut any_bold = base.bold;
    for s in &t.0 {
        let st = style_of(base, s.style);
        any_bold |= st.bold;
        let start = flat.len();
        flat.push_str(&s.text);
        if let Some(Link::PageOf(a)) = &s.link {
            // Before the first pass knows the pages, reserve the width of
            // a two-digit page number.
            let page = pages.get(a).copied().unwrap_or(88);
            flat.push_str(lang.pick(", ", "、"));
            flat.push_str(&crate::labels::page_ref(page, lang));
        }
        ranges.push((start, flat.len(), st, s.link.clone()));
    }
    // Measure as bold when any run is bold: a line can only come out a
    // little short, never too long.
    let measure_st = Style::new(base.size, any_bold, base.color);
    let lines = c.wrap(&flat, max, measure_st);
    let mut out = Vec::with_capacity(lines.len());
    let mut pos = 0;
    for line in lines {
        let at = flat[pos..]
            .find(line.as_str())
            .map(|i| i + pos)
            .unwrap_or(pos);
        let end = at + line.len();
        let mut runs = Vec::new();
        for (s, e, st, link) in &ranges {
            let (a, b) = ((*s).max(at), (*e).min(end));
            if a < b {
                runs.push(Run {
                    text: flat[a..b].to_string(),
                    st: *st,
                    link: link.clone(),
                });
            }
        }
        out.push(runs);
        pos = end;
    }
    out
}

/// Draw one line with its top at `top`; links are recorded on the canvas.
pub fn draw(c: &mut Canvas, x: f32, top: f32, line: &Line) -> f32 {
    let runs: Vec<(&str, Style)> = line.iter().map(|r| (r.text.as_str(), r.st)).collect();
    c.runs(x, top, &runs);
    let mut x = x;
    for run in line {
        let w = c.width(&run.text, run.st);
        if let Some(link) = &run.link {
            c.link(x, top, w, run.st.size * 1.25, link.clone());
        }
        x += w;
    }
    x
}

/// Width of a laid-out line.
pub fn width(c: &Canvas, line: &Line) -> f32 {
    line.iter().map(|r| c.width(&r.text, r.st)).sum()
}
