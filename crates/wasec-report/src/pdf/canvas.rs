//! A small page-layout engine over printpdf ops: a cursor that moves down
//! the page, text and shapes placed from the top-left, automatic page
//! breaks, and a record of sections for the table of contents, the
//! outline (bookmarks) and the running header.

use super::fonts::Fonts;
use super::wrap;
use crate::doc::Link;
use printpdf::{
    Actions, BorderArray, Color, Destination, Line, LinePoint, LinkAnnotation, Op, PaintMode,
    PdfFontHandle, Point, Pt, Rect, Rgb, TextItem, WindingOrder,
};
use std::collections::HashMap;

/// A4 portrait, in points.
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN_X: f32 = 48.0;
pub const TOP: f32 = 64.0;
pub const BOTTOM: f32 = PAGE_H - 56.0;
pub const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN_X;

pub fn rgb(hex: u32) -> Color {
    let c = |s: u32| ((hex >> s) & 0xff) as f32 / 255.0;
    Color::Rgb(Rgb {
        r: c(16),
        g: c(8),
        b: c(0),
        icc_profile: None,
    })
}

pub const NAVY: u32 = 0x1f3a5f;
pub const INK: u32 = 0x1b1f24;
pub const MUTED: u32 = 0x5b6675;
pub const RULE: u32 = 0xc5ccd6;
pub const PALE: u32 = 0xeef1f5;
pub const ZEBRA: u32 = 0xf7f9fb;
pub const WHITE: u32 = 0xffffff;
pub const RED: u32 = 0xb71c1c;

/// One entry of the table of contents.
pub struct TocEntry {
    pub id: String,
    pub title: String,
    pub page: usize,
    pub level: u8,
}

/// A link placed on a page: the area (x, top, width, height) and where it goes.
pub struct PlacedLink {
    pub page: usize,
    pub area: (f32, f32, f32, f32),
    pub target: Link,
}

pub struct Canvas<'f> {
    pub fonts: &'f Fonts,
    pub pages: Vec<Vec<Op>>,
    /// Running-header text per page (the section the page belongs to).
    pub page_sections: Vec<String>,
    pub toc: Vec<TocEntry>,
    /// Anchor id -> page (1-based) where it was placed.
    pub anchors: HashMap<String, usize>,
    pub links: Vec<PlacedLink>,
    /// Distance of the cursor from the top of the page.
    pub y: f32,
    section: String,
}

/// Style of a run of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Style {
    pub size: f32,
    pub bold: bool,
    pub color: u32,
}

impl Style {
    pub const fn new(size: f32, bold: bool, color: u32) -> Style {
        Style { size, bold, color }
    }
    pub fn line_height(&self) -> f32 {
        self.size * 1.4
    }
}

pub const BODY: Style = Style::new(9.5, false, INK);

impl<'f> Canvas<'f> {
    pub fn new(fonts: &'f Fonts) -> Canvas<'f> {
        Canvas {
            fonts,
            pages: Vec::new(),
            page_sections: Vec::new(),
            toc: Vec::new(),
            anchors: HashMap::new(),
            links: Vec::new(),
            y: TOP,
            section: String::new(),
        }
    }

    /// The current page number, 1-based.
    pub fn page(&self) -> usize {
        self.pages.len()
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.page_sections.push(self.section.clone());
        self.y = TOP;
    }

    /// Start a top-level section on a fresh page (unless `fresh_page` is
    /// false); it goes into the TOC, the outline and the running header.
    pub fn section(&mut self, id: &str, title: &str, fresh_page: bool) {
        self.section = title.to_string();
        if fresh_page || self.pages.is_empty() {
            self.new_page();
        } else if let Some(s) = self.page_sections.last_mut() {
            *s = title.to_string();
        }
        self.toc.push(TocEntry {
            id: id.to_string(),
            title: title.to_string(),
            page: self.page(),
            level: 0,
        });
        self.anchor(id);
        self.heading(title, 16.0);
    }

    /// A second-level entry (a question), on a fresh page if asked.
    pub fn subsection(&mut self, id: &str, title: &str, fresh_page: bool) {
        if fresh_page {
            self.new_page();
        } else {
            self.ensure(120.0);
        }
        self.toc.push(TocEntry {
            id: id.to_string(),
            title: title.to_string(),
            page: self.page(),
            level: 1,
        });
        self.anchor(id);
        self.heading(title, 13.0);
    }

    /// Record that `id` is on the current page.
    pub fn anchor(&mut self, id: &str) {
        let page = self.page().max(1);
        self.anchors.entry(id.to_string()).or_insert(page);
    }

    /// A link over an area of the current page.
    pub fn link(&mut self, x: f32, top: f32, w: f32, h: f32, target: Link) {
        let page = self.page_index();
        self.links.push(PlacedLink {
            page,
            area: (x, top, w, h),
            target,
        });
    }

    /// Turn the placed links into annotations, internal ones pointing to
    /// the page of their anchor (unknown anchors are dropped).
    pub fn place_links(&mut self) {
        for l in std::mem::take(&mut self.links) {
            let action = match &l.target {
                Link::Url(u) => Actions::Uri(u.clone()),
                Link::Anchor(a) | Link::PageOf(a) => match self.anchors.get(a) {
                    Some(&page) => Actions::Goto(Destination::Xyz {
                        page,
                        left: None,
                        top: None,
                        zoom: None,
                    }),
                    None => continue,
                },
            };
            let (x, top, w, h) = l.area;
            self.pages[l.page].push(Op::LinkAnnotation {
                link: LinkAnnotation::new(
                    Rect {
                        x: Pt(x),
                        y: Pt(PAGE_H - top - h),
                        width: Pt(w),
                        height: Pt(h),
                        mode: None,
                        winding_order: None,
                    },
                    action,
                    Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                    None,
                    None,
                ),
            });
        }
    }

    /// A heading with a rule under it.
    pub fn heading(&mut self, title: &str, size: f32) {
        let st = Style::new(size, true, NAVY);
        let lines = self.wrap(title, CONTENT_W, st);
        self.ensure(st.line_height() * lines.len() as f32 + 20.0);
        for l in lines {
            self.text(MARGIN_X, self.y, &l, st);
            self.y += st.line_height();
        }
        self.y += 2.0;
        self.hline(
            MARGIN_X,
            MARGIN_X + CONTENT_W,
            self.y,
            NAVY,
            if size >= 15.0 { 1.2 } else { 0.6 },
        );
        self.y += 10.0;
    }

    /// Move to a new page unless `h` more points fit.
    pub fn ensure(&mut self, h: f32) {
        if self.pages.is_empty() || self.y + h > BOTTOM {
            self.new_page();
        }
    }

    pub fn width(&self, text: &str, st: Style) -> f32 {
        self.fonts.face(st.bold).width(text, st.size)
    }

    pub fn wrap(&self, text: &str, max: f32, st: Style) -> Vec<String> {
        let face = self.fonts.face(st.bold);
        wrap::wrap(text, max, &|s| face.width(s, st.size))
    }

    pub fn ellipsize(&self, text: &str, max: f32, st: Style) -> String {
        let face = self.fonts.face(st.bold);
        wrap::ellipsize(text, max, &|s| face.width(s, st.size))
    }

    /// One line of text whose line box starts `top` points below the page top.
    pub fn text(&mut self, x: f32, top: f32, text: &str, st: Style) {
        if text.is_empty() {
            return;
        }
        let id = self.fonts.face(st.bold).id.clone();
        let baseline = PAGE_H - top - st.size * 0.95;
        let page = self.page_index();
        text_ops(&mut self.pages[page], id, x, baseline, text, st);
    }

    /// Runs of differently styled text on one line, in one text object so
    /// that viewers and extractors read them as one line.
    pub fn runs(&mut self, x: f32, top: f32, runs: &[(&str, Style)]) {
        let Some(first) = runs.iter().find(|(t, _)| !t.is_empty()) else {
            return;
        };
        let baseline = PAGE_H - top - first.1.size * 0.95;
        let page = self.page_index();
        let ops = &mut self.pages[page];
        ops.push(Op::StartTextSection);
        ops.push(Op::SetTextCursor {
            pos: Point {
                x: Pt(x),
                y: Pt(baseline),
            },
        });
        for (text, st) in runs.iter().filter(|(t, _)| !t.is_empty()) {
            ops.push(Op::SetFillColor { col: rgb(st.color) });
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(self.fonts.face(st.bold).id.clone()),
                size: Pt(st.size),
            });
            ops.push(Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            });
        }
        ops.push(Op::EndTextSection);
    }

    /// Text on any page (used for headers, footers and the TOC afterwards).
    pub fn text_on(&mut self, page: usize, x: f32, top: f32, text: &str, st: Style) {
        let id = self.fonts.face(st.bold).id.clone();
        let baseline = PAGE_H - top - st.size * 0.95;
        text_ops(&mut self.pages[page], id, x, baseline, text, st);
    }

    pub fn text_right(&mut self, right: f32, top: f32, text: &str, st: Style) {
        let w = self.width(text, st);
        self.text(right - w, top, text, st);
    }

    pub fn text_center(&mut self, center: f32, top: f32, text: &str, st: Style) {
        let w = self.width(text, st);
        self.text(center - w / 2.0, top, text, st);
    }

    /// A wrapped paragraph at the cursor, breaking pages between lines.
    pub fn paragraph(&mut self, text: &str, x: f32, width: f32, st: Style) {
        for line in self.wrap(text, width, st) {
            self.ensure(st.line_height());
            self.text(x, self.y, &line, st);
            self.y += st.line_height();
        }
    }

    /// A paragraph on a shaded band across the content width; the band is
    /// drawn line by line so it follows the text across page breaks.
    pub fn boxed_paragraph(&mut self, text: &str, st: Style, fill: u32) {
        for line in self.wrap(text, CONTENT_W - 20.0, st) {
            if self.y + st.line_height() > BOTTOM {
                self.new_page();
            }
            self.rect(
                MARGIN_X,
                self.y,
                CONTENT_W,
                st.line_height(),
                Some(fill),
                None,
            );
            self.text(MARGIN_X + 10.0, self.y, &line, st);
            self.y += st.line_height();
        }
        self.rect(MARGIN_X, self.y, CONTENT_W, 5.0, Some(fill), None);
        self.y += 5.0;
    }

    fn page_index(&mut self) -> usize {
        if self.pages.is_empty() {
            self.new_page();
        }
        self.pages.len() - 1
    }

    pub fn rect(
        &mut self,
        x: f32,
        top: f32,
        w: f32,
        h: f32,
        fill: Option<u32>,
        stroke: Option<(u32, f32)>,
    ) {
        let page = self.page_index();
        rect_ops(&mut self.pages[page], x, top, w, h, fill, stroke);
    }

    pub fn hline(&mut self, x1: f32, x2: f32, top: f32, color: u32, width: f32) {
        self.line(x1, top, x2, top, color, width);
    }

    pub fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, color: u32, width: f32) {
        let page = self.page_index();
        line_ops(&mut self.pages[page], x1, y1, x2, y2, color, width);
    }

    /// A horizontal rule on any page (headers, footers, contents).
    pub fn hline_on(&mut self, page: usize, x1: f32, x2: f32, top: f32, color: u32, width: f32) {
        line_ops(&mut self.pages[page], x1, top, x2, top, color, width);
    }
}

fn text_ops(ops: &mut Vec<Op>, id: printpdf::FontId, x: f32, baseline: f32, text: &str, st: Style) {
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFillColor { col: rgb(st.color) });
    ops.push(Op::SetFont {
        font: PdfFontHandle::External(id),
        size: Pt(st.size),
    });
    ops.push(Op::SetTextCursor {
        pos: Point {
            x: Pt(x),
            y: Pt(baseline),
        },
    });
    ops.push(Op::ShowText {
        items: vec![TextItem::Text(text.to_string())],
    });
    ops.push(Op::EndTextSection);
}

fn rect_ops(
    ops: &mut Vec<Op>,
    x: f32,
    top: f32,
    w: f32,
    h: f32,
    fill: Option<u32>,
    stroke: Option<(u32, f32)>,
) {
    let mode = match (fill, stroke) {
        (Some(_), Some(_)) => PaintMode::FillStroke,
        (Some(_), None) => PaintMode::Fill,
        (None, _) => PaintMode::Stroke,
    };
    ops.push(Op::SaveGraphicsState);
    if let Some(f) = fill {
        ops.push(Op::SetFillColor { col: rgb(f) });
    }
    if let Some((c, width)) = stroke {
        ops.push(Op::SetOutlineColor { col: rgb(c) });
        ops.push(Op::SetOutlineThickness { pt: Pt(width) });
    }
    ops.push(Op::DrawRectangle {
        rectangle: Rect {
            x: Pt(x),
            y: Pt(PAGE_H - top - h),
            width: Pt(w),
            height: Pt(h),
            mode: Some(mode),
            winding_order: Some(WindingOrder::NonZero),
        },
    });
    ops.push(Op::RestoreGraphicsState);
}

fn line_ops(ops: &mut Vec<Op>, x1: f32, y1: f32, x2: f32, y2: f32, color: u32, width: f32) {
    let p = |x: f32, y: f32| LinePoint {
        p: Point {
            x: Pt(x),
            y: Pt(PAGE_H - y),
        },
        bezier: false,
    };
    ops.push(Op::SaveGraphicsState);
    ops.push(Op::SetOutlineColor { col: rgb(color) });
    ops.push(Op::SetOutlineThickness { pt: Pt(width) });
    ops.push(Op::DrawLine {
        line: Line {
            points: vec![p(x1, y1), p(x2, y2)],
            is_closed: false,
        },
    });
    ops.push(Op::RestoreGraphicsState);
}
