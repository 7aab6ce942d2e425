//! The PDF writer: the document on A4 pages. Page one is the answer
//! (verdict, figures, top actions, change since the last milestone), then
//! contents and the parts of the document, each on a new page.
//!
//! Layout is done here with measured glyph widths (see `canvas`, `wrap`,
//! `rich`, `table`); printpdf serialises the ops and subsets the fonts, and
//! the catalogue is finished on its lopdf document (see [`finish`]).
//! Layout runs twice: the first pass learns on which page every anchor
//! lands, the second prints "p. 18" references with those pages.

mod canvas;
mod charts;
pub mod fonts;
mod rich;
mod table;
pub mod wrap;

use crate::doc::{self, Block, Chart, Document, Figure, Section, Text};
use crate::labels::L;
use crate::model::Report;
use crate::{Options, ReportError};
use canvas::{
    BODY, BOTTOM, CONTENT_W, Canvas, INK, MARGIN_X, MUTED, NAVY, PAGE_H, PAGE_W, PALE, RULE, Style,
    WHITE,
};
use printpdf::{Mm, PdfDocument, PdfPage, PdfSaveOptions, Pt};
use std::collections::HashMap;
use wasec_core::Lang;

/// What the PDF's document information says.
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    /// The report date (YYYY-MM-DD), also the PDF's creation date.
    pub date: String,
    pub lang: Lang,
}

impl Meta {
    fn of(r: &Report) -> Meta {
        Meta {
            title: format!("{}: {}", r.title, r.workload.name),
            author: if r.workload.owner.is_empty() {
                r.workload.reviewers.join(", ")
            } else {
                r.workload.owner.clone()
            },
            subject: format!("{} ({}), {}", r.framework, r.framework_version, r.pillar),
            date: r.generated.clone(),
            lang: r.lang,
        }
    }
}

pub fn render(r: &Report, d: &Document, opts: &Options) -> Result<Vec<u8>, ReportError> {
    render_doc(&Meta::of(r), d, opts)
}

/// Lay out any document (a review's report, the consolidated roll-up).
pub fn render_doc(m: &Meta, d: &Document, opts: &Options) -> Result<Vec<u8>, ReportError> {
    let mut pdf = PdfDocument::new(&m.title);
    let fonts = fonts::Fonts::load(&mut pdf, opts.font.as_deref()).map_err(ReportError::Font)?;
    let first = lay_out(d, &fonts, &HashMap::new());
    let mut c = lay_out(d, &fonts, &first.anchors);
    c.place_links();

    // printpdf keeps a flat outline sorted by (page, name), so entries are
    // numbered ("4", "4.1") to keep a section ahead of its first question
    // when both start on the same page.
    let (mut sec, mut sub) = (0, 0);
    for e in c.toc.iter() {
        let name = if e.level == 0 {
            sec += 1;
            sub = 0;
            format!("{sec} {}", e.title)
        } else {
            sub += 1;
            format!("{sec}.{sub} {}", e.title)
        };
        pdf.add_bookmark(&name, e.page);
    }
    let info = &mut pdf.metadata.info;
    info.document_title = m.title.clone();
    info.author = m.author.clone();
    info.subject = m.subject.clone();
    info.creator = "wasec".into();
    info.producer = format!("wasec {}", env!("CARGO_PKG_VERSION"));
    // Dated by the report date, not the wall clock, so the same review
    // renders the same document.
    if let Ok(day) = time::Date::parse(
        &m.date,
        time::macros::format_description!("[year]-[month]-[day]"),
    ) {
        let ts = day.midnight().assume_utc().unix_timestamp();
        if let Ok(t) = printpdf::DateTime::from_unix_timestamp(ts) {
            info.creation_date = t;
            info.modification_date = t;
            info.metadata_date = t;
        }
    }
    info.keywords = vec!["AWS".into(), "Well-Architected".into(), "Security".into()];

    let pages: Vec<PdfPage> = std::mem::take(&mut c.pages)
        .into_iter()
        .map(|ops| PdfPage::new(Mm::from(Pt(PAGE_W)), Mm::from(Pt(PAGE_H)), ops))
        .collect();
    let save = PdfSaveOptions {
        subset_fonts: true,
        ..Default::default()
    };
    let mut warnings = Vec::new();
    let mut lo = pdf
        .with_pages(pages)
        .to_lopdf_document(&save, &mut warnings);
    finish(&mut lo, m.lang);
    lo.compress();
    let mut out = Vec::new();
    lo.save_to(&mut out)
        .map_err(|e| ReportError::Font(format!("cannot write the PDF: {e}")))?;
    Ok(out)
}

/// Fix what printpdf 0.12 writes in the catalogue and the info dictionary:
/// the page mode must be the *name* /UseOutlines (printpdf writes a string,
/// which viewers ignore, so the bookmarks pane stayed closed), the info
/// dictionary must not carry an empty GTS_PDFXVersion (pdfinfo then claims
/// PDF/X conformance), and the document language is declared (PDF 1.4).
fn finish(doc: &mut lopdf::Document, lang: Lang) {
    use lopdf::Object;
    // printpdf writes 1.3; /Lang and the name /UseOutlines need 1.4.
    doc.version = "1.4".into();
    if let Ok(id) = doc.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(info) = doc.get_object_mut(id).and_then(Object::as_dict_mut)
    {
        for key in [b"GTS_PDFXVersion".as_slice(), b"Trapped", b"Identifier"] {
            info.remove(key);
        }
    }
    if let Ok(catalog) = doc.catalog_mut() {
        if catalog.has(b"Outlines") {
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        catalog.set(
            "Lang",
            Object::String(
                lang.code().as_bytes().to_vec(),
                lopdf::StringFormat::Literal,
            ),
        );
    }
}

/// Place everything on pages; the result is plain ops, ready to save.
fn lay_out<'f>(
    d: &Document,
    fonts: &'f fonts::Fonts,
    pages: &HashMap<String, usize>,
) -> Canvas<'f> {
    let l = L { lang: d.lang };
    let mut c = Canvas::new(fonts);
    let ctx = table::Ctx {
        pages,
        lang: d.lang,
    };
    title_band(&mut c, d);
    let mut toc_page = None;
    let mut after_part_intro = false;
    for s in &d.sections {
        if s.level == 1 {
            c.section(&s.id, &s.title, s.id != doc::id::ANSWER);
        } else {
            // The first question goes under the part's introduction.
            c.subsection(&s.id, &s.title, !after_part_intro);
        }
        after_part_intro = s.level == 1;
        for b in &s.blocks {
            if matches!(b, Block::Toc) {
                toc_page = Some(c.page());
            }
            block(&mut c, s, b, &ctx);
        }
    }
    if let Some(p) = toc_page {
        contents(&mut c, p);
    }
    furniture(&mut c, d, &l);
    c
}

/// Page one opens with a navy band: framework, title, workload and date.
fn title_band(c: &mut Canvas, d: &Document) {
    c.new_page();
    c.rect(0.0, 0.0, PAGE_W, 118.0, Some(NAVY), None);
    c.rect(0.0, 118.0, PAGE_W, 4.0, Some(0xe65100), None);
    let title = Style::new(20.0, true, WHITE);
    let title_text = c.ellipsize(&d.title, CONTENT_W, title);
    c.text(MARGIN_X, 34.0, &title_text, title);
    let name = Style::new(14.0, false, WHITE);
    let name_text = c.ellipsize(&d.subtitle, CONTENT_W, name);
    c.text(MARGIN_X, 64.0, &name_text, name);
    let small = Style::new(9.0, false, 0xc9d6e8);
    let l = L { lang: d.lang };
    c.text(
        MARGIN_X,
        90.0,
        &format!("{} {}", l.generated(), d.date),
        small,
    );
    c.y = 136.0;
}

fn block(c: &mut Canvas, s: &Section, b: &Block, ctx: &table::Ctx) {
    let size = if s.id == doc::id::ANSWER { 8.5 } else { 7.5 };
    match b {
        Block::Lead(t) => {
            para(c, t, Style::new(12.0, true, NAVY), ctx);
            c.y += 6.0;
        }
        Block::Para(t) => {
            para(c, t, BODY, ctx);
            c.y += 6.0;
        }
        Block::Small(t) => {
            para(c, t, Style::new(8.0, false, MUTED), ctx);
            c.y += 6.0;
        }
        Block::Heading(h) => {
            c.ensure(70.0);
            c.y += 2.0;
            c.text(MARGIN_X, c.y, h, Style::new(11.0, true, NAVY));
            c.y += 16.0;
        }
        Block::Figures(fs) => figures(c, fs),
        Block::Table(t) => table::draw(c, t, size, ctx),
        Block::List(items) => {
            for i in items {
                c.ensure(BODY.line_height());
                c.text(MARGIN_X + 4.0, c.y, "•", BODY);
                let lines = rich::lay(c, i, CONTENT_W - 16.0, BODY, ctx.pages, ctx.lang);
                lines_at(c, &lines, MARGIN_X + 14.0, BODY.line_height());
            }
            c.y += 4.0;
        }
        Block::Note { label, text } => note(c, label, text),
        Block::Chart(Chart::Bars(b)) => charts::bars(c, b),
        Block::Chart(Chart::Heat(h)) => charts::heat(c, h),
        Block::Chart(Chart::Trend(t)) => charts::trend(c, t),
        Block::Facts(rows) => {
            table::key_values(c, rows, 120.0, 9.0, ctx);
            c.y += 8.0;
        }
        // Filled in when every section knows its page.
        Block::Toc => {}
        Block::Steps {
            anchor,
            badge,
            head,
            steps,
        } => steps_block(c, anchor, badge.as_ref(), head, steps, ctx),
    }
}

fn para(c: &mut Canvas, t: &Text, st: Style, ctx: &table::Ctx) {
    let lines = rich::lay(c, t, CONTENT_W, st, ctx.pages, ctx.lang);
    lines_at(c, &lines, MARGIN_X, st.line_height());
}

fn lines_at(c: &mut Canvas, lines: &[rich::Line], x: f32, lh: f32) {
    for line in lines {
        c.ensure(lh);
        rich::draw(c, x, c.y, line);
        c.y += lh;
    }
}

/// Key figures in a row of boxes, each with a coloured edge.
fn figures(c: &mut Canvas, fs: &[Figure]) {
    let n = fs.len().max(1) as f32;
    let gap = 8.0;
    let w = (CONTENT_W - gap * (n - 1.0)) / n;
    let h = 56.0;
    c.ensure(h + 12.0);
    let top = c.y;
    for (i, f) in fs.iter().enumerate() {
        let x = MARGIN_X + i as f32 * (w + gap);
        let (edge, _) = charts::tone_colors(f.tone);
        c.rect(x, top, w, h, Some(PALE), None);
        c.rect(x, top, 3.0, h, Some(edge), None);
        c.text(x + 9.0, top + 6.0, &f.value, Style::new(19.0, true, INK));
        let lab = Style::new(7.0, true, INK);
        let lines = c.wrap(&f.label, w - 12.0, lab);
        let mut y = top + 28.0;
        for line in lines.iter().take(2) {
            c.text(x + 9.0, y, line, lab);
            y += 9.0;
        }
        let note = Style::new(6.8, false, MUTED);
        let text = c.ellipsize(&f.note, w - 12.0, note);
        c.text(x + 9.0, top + h - 10.0, &text, note);
    }
    c.y = top + h + 10.0;
}

/// People's notes on a shaded band, paragraphs and line breaks kept.
fn note(c: &mut Canvas, label: &str, text: &str) {
    c.ensure(40.0);
    c.rect(MARGIN_X, c.y, CONTENT_W, 16.0, Some(PALE), None);
    c.text(
        MARGIN_X + 10.0,
        c.y + 5.0,
        label,
        Style::new(8.0, true, MUTED),
    );
    c.y += 16.0;
    c.boxed_paragraph(text, Style::new(9.0, false, INK), PALE);
    c.y += 8.0;
}

/// An improvement entry: badge, heading line (with the guidance link) and
/// numbered steps, kept together when it fits on a page.
fn steps_block(
    c: &mut Canvas,
    anchor: &str,
    badge: Option<&(doc::Tone, String)>,
    head: &Text,
    steps: &[String],
    ctx: &table::Ctx,
) {
    let body = Style::new(8.5, false, INK);
    let title = Style::new(9.0, false, INK);
    let bw = badge
        .map(|(_, t)| c.width(t, Style::new(7.5, true, WHITE)) + 8.0)
        .unwrap_or(0.0);
    let head_lines = rich::lay(c, head, CONTENT_W - bw - 8.0, title, ctx.pages, ctx.lang);
    let step_lines: Vec<Vec<String>> = steps
        .iter()
        .map(|s| c.wrap(s, CONTENT_W - 20.0, body))
        .collect();
    let h = head_lines.len() as f32 * title.line_height()
        + step_lines.iter().map(Vec::len).sum::<usize>() as f32 * body.line_height()
        + steps.len() as f32 * 2.0
        + 10.0;
    c.ensure(h.min(BOTTOM - canvas::TOP - 40.0));
    c.anchor(anchor);
    if let Some((tone, label)) = badge {
        let (fill, ink) = charts::tone_colors(*tone);
        c.rect(MARGIN_X, c.y, bw, 11.5, Some(fill), None);
        c.text(MARGIN_X + 4.0, c.y + 1.5, label, Style::new(7.5, true, ink));
    }
    let x = MARGIN_X + bw + if bw > 0.0 { 6.0 } else { 0.0 };
    lines_at(c, &head_lines, x, title.line_height());
    c.y += 3.0;
    for (i, lines) in step_lines.iter().enumerate() {
        c.ensure(body.line_height());
        c.text(MARGIN_X + 6.0, c.y, &format!("{}.", i + 1), body);
        for line in lines {
            c.ensure(body.line_height());
            c.text(MARGIN_X + 20.0, c.y, line, body);
            c.y += body.line_height();
        }
        c.y += 2.0;
    }
    c.y += 8.0;
}

fn contents(c: &mut Canvas, page: usize) {
    let idx = page - 1;
    let entries: Vec<(String, String, usize, u8)> = c
        .toc
        .iter()
        .filter(|e| e.id != doc::id::CONTENTS)
        .map(|e| (e.id.clone(), e.title.clone(), e.page, e.level))
        .collect();
    let mut y = canvas::TOP + 38.0;
    // Shrink the line pitch if there are many entries, so it stays one page.
    let pitch = ((BOTTOM - y) / entries.len().max(1) as f32).min(19.0);
    for (id, title, target, level) in entries {
        let st = if level == 0 {
            Style::new(10.5, true, INK)
        } else {
            Style::new(9.0, false, INK)
        };
        let x = MARGIN_X + if level == 0 { 0.0 } else { 16.0 };
        let num = target.to_string();
        let num_w = c.width(&num, st);
        let right = MARGIN_X + CONTENT_W;
        let text = c.ellipsize(&title, right - x - num_w - 30.0, st);
        let tw = c.width(&text, st);
        c.text_on(idx, x, y, &text, st);
        c.text_on(idx, right - num_w, y, &num, st);
        // Dotted leader between title and page number.
        let dot = Style::new(st.size, false, RULE);
        let dw = c.width(".", dot).max(1.0);
        let count = ((right - num_w - 6.0 - (x + tw + 6.0)) / dw).max(0.0) as usize;
        c.text_on(idx, x + tw + 6.0, y, &".".repeat(count), dot);
        c.links.push(canvas::PlacedLink {
            page: idx,
            area: (x, y, right - x, st.size * 1.3),
            target: doc::Link::Anchor(id),
        });
        y += pitch;
    }
}

/// Running header and footer on every page but the first.
fn furniture(c: &mut Canvas, d: &Document, l: &L) {
    let n = c.pages.len();
    let st = Style::new(7.5, false, MUTED);
    let left = c.ellipsize(
        &format!("{} · {}", d.title, d.subtitle),
        CONTENT_W * 0.6,
        st,
    );
    for i in 0..n {
        if i > 0 {
            let section = c.page_sections[i].clone();
            let section = c.ellipsize(&section, CONTENT_W * 0.38, st);
            c.text_on(i, MARGIN_X, 28.0, &left, st);
            let sw = c.width(&section, st);
            c.text_on(i, MARGIN_X + CONTENT_W - sw, 28.0, &section, st);
            c.hline_on(i, MARGIN_X, MARGIN_X + CONTENT_W, 40.0, RULE, 0.5);
        }
        c.hline_on(i, MARGIN_X, MARGIN_X + CONTENT_W, PAGE_H - 40.0, RULE, 0.5);
        c.text_on(
            i,
            MARGIN_X,
            PAGE_H - 34.0,
            &format!("{} {}", l.generated(), d.date),
            st,
        );
        let num = format!("{} / {}", i + 1, n);
        let nw = c.width(&num, st);
        c.text_on(i, MARGIN_X + CONTENT_W - nw, PAGE_H - 34.0, &num, st);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use printpdf::{Op, PdfFontHandle, TextItem};
    use wasec_core::{Bank, Lang};

    fn laid(r: &Report) -> (fonts::Fonts, Vec<Vec<Op>>) {
        let mut pdf = PdfDocument::new("t");
        let fonts = fonts::Fonts::load(&mut pdf, None).unwrap();
        let d = crate::doc::build(r);
        let first = lay_out(&d, &fonts, &HashMap::new());
        let pages = first.anchors.clone();
        let c = lay_out(&d, &fonts, &pages);
        let ops = c.pages.clone();
        drop(c);
        (fonts, ops)
    }

    /// Every piece of text placed on any page, with its measured extent,
    /// must sit inside the page margins.
    fn assert_inside_margins(r: &Report) -> usize {
        let (fonts, pages) = laid(r);
        let mut checked = 0;
        for (pi, ops) in pages.iter().enumerate() {
            let (mut bold, mut size, mut x, mut y) = (false, 0.0f32, 0.0f32, 0.0f32);
            for op in ops {
                match op {
                    Op::SetFont {
                        font: PdfFontHandle::External(id),
                        size: s,
                    } => {
                        bold = fonts.bold.as_ref().is_some_and(|b| *id == b.id);
                        size = s.0;
                    }
                    Op::SetTextCursor { pos } => {
                        x = pos.x.0;
                        y = pos.y.0;
                    }
                    Op::ShowText { items } => {
                        for it in items {
                            if let TextItem::Text(t) = it {
                                let w = fonts.face(bold).width(t, size);
                                let start = x;
                                // The next run of the same text object starts here.
                                x += w;
                                let x = start;
                                assert!(
                                    x >= MARGIN_X - 0.01 && x + w <= PAGE_W - MARGIN_X + 0.5,
                                    "page {}: {t:?} spans {x}..{} (width {w})",
                                    pi + 1,
                                    x + w
                                );
                                assert!(
                                    y > 20.0 && y < PAGE_H - 20.0,
                                    "page {}: {t:?} at y {y}",
                                    pi + 1
                                );
                                checked += 1;
                            }
                        }
                    }
                    _ => {}
                }
            }
        }
        checked
    }

    #[test]
    fn no_text_leaves_the_page_in_either_language() {
        let bank = Bank::embedded().unwrap();
        let review = crate::sample::review(&bank, 40);
        for lang in Lang::ALL {
            let r = crate::build(&bank, &review, lang, time::macros::date!(2026 - 11 - 23));
            assert!(assert_inside_margins(&r) > 500);
        }
    }

    /// A table that starts near the bottom of a page takes its header to
    /// the next page with its first row: no header alone at a page bottom.
    #[test]
    fn a_table_header_moves_with_its_first_row() {
        let mut pdf = PdfDocument::new("t");
        let fonts = fonts::Fonts::load(&mut pdf, None).unwrap();
        let mut c = Canvas::new(&fonts);
        c.new_page();
        let tall = (1..=6)
            .map(|i| format!("line {i}"))
            .collect::<Vec<_>>()
            .join("\n");
        let t = doc::Table {
            columns: vec![doc::Column {
                title: "Header".into(),
                width: 1.0,
            }],
            rows: vec![doc::Row {
                anchor: None,
                cells: vec![doc::Cell::text(tall)],
            }],
        };
        // Room for the header and two lines, not for the six-line row.
        c.y = BOTTOM - 40.0;
        let pages = HashMap::new();
        let ctx = table::Ctx {
            pages: &pages,
            lang: Lang::En,
        };
        table::draw(&mut c, &t, 7.5, &ctx);
        assert_eq!(c.pages.len(), 2);
        let texts = |ops: &[printpdf::Op]| {
            ops.iter()
                .filter(|o| matches!(o, printpdf::Op::ShowText { .. }))
                .count()
        };
        assert_eq!(texts(&c.pages[0]), 0, "nothing left on the first page");
        assert_eq!(texts(&c.pages[1]), 7, "header and six lines together");
    }

    #[test]
    fn an_empty_review_lays_out() {
        let bank = Bank::embedded().unwrap();
        let review = wasec_core::Review::new("New", time::macros::date!(2026 - 11 - 01));
        for lang in Lang::ALL {
            let r = crate::build(&bank, &review, lang, time::macros::date!(2026 - 11 - 23));
            assert!(r.plan.is_empty() && r.evidence.is_empty());
            assert_inside_margins(&r);
        }
    }

    #[test]
    fn very_long_text_wraps_and_is_cut_inside_the_page() {
        let bank = Bank::embedded().unwrap();
        let mut review = crate::sample::review(&bank, 10);
        let long_word = "x".repeat(400);
        let note = format!(
            "{} {long_word} {}",
            "A long note. ".repeat(300),
            "長いメモ、".repeat(300)
        );
        review.set_notes(&bank, "SEC01", &note).unwrap();
        review.workload.name = format!("Workload {}", "with a very long name ".repeat(20));
        // One evidence item with a huge summary and many long resources.
        let mut e = review.evidence[0].clone();
        e.summary = "detail ".repeat(2000);
        e.resources = (0..500)
            .map(|i| format!("arn:aws:iam::123456789012:role/{}{i}", "r".repeat(120)))
            .collect();
        review.evidence.push(e);
        for lang in Lang::ALL {
            let r = crate::build(&bank, &review, lang, time::macros::date!(2026 - 11 - 23));
            assert_inside_margins(&r);
        }
    }
}
