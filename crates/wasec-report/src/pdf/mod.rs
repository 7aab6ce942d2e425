//! The PDF report: cover, contents, executive summary, risk overview,
//! improvement plan, one page per question, and two appendices.
//!
//! Layout is done here with measured glyph widths (see `canvas`, `wrap`,
//! `table`); printpdf only serialises the ops and subsets the fonts.

mod canvas;
mod charts;
pub mod fonts;
mod table;
pub mod wrap;

use crate::labels::{self, L};
use crate::model::{BpState, Report};
use crate::{Options, ReportError};
use canvas::{
    BODY, BOTTOM, CONTENT_W, Canvas, INK, MARGIN_X, MUTED, NAVY, PAGE_H, PAGE_W, PALE, RULE, Style,
    WHITE,
};
use charts::level_colors;
use printpdf::{
    Actions, BorderArray, Destination, LinkAnnotation, Mm, Op, PdfDocument, PdfPage,
    PdfSaveOptions, Pt, Rect,
};
use table::{Cell, cell, col};
use wasec_core::scoring::PlanKind;

/// Evidence items listed per best practice on a question page; the rest
/// are counted and left to Appendix A.
const EVIDENCE_PER_BP: usize = 6;
/// Improvement steps shown per item in the plan table.
const PLAN_STEPS: usize = 1;

pub fn render(r: &Report, opts: &Options) -> Result<Vec<u8>, ReportError> {
    let mut doc = PdfDocument::new(&format!("{}: {}", r.title, r.workload.name));
    let fonts = fonts::Fonts::load(&mut doc, opts.font.as_deref()).map_err(ReportError::Font)?;
    let mut c = lay_out(r, &fonts);
    let l = L { lang: r.lang };

    doc.add_bookmark(l.contents(), 2);
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
        doc.add_bookmark(&name, e.page);
    }
    let info = &mut doc.metadata.info;
    info.document_title = format!("{}: {}", r.title, r.workload.name);
    info.author = if r.workload.owner.is_empty() {
        r.workload.reviewers.join(", ")
    } else {
        r.workload.owner.clone()
    };
    info.subject = format!("{} ({}), {}", r.framework, r.framework_version, r.pillar);
    info.creator = "wasec".into();
    info.producer = format!("wasec {}", env!("CARGO_PKG_VERSION"));
    // Dated by the report date, not the wall clock, so the same review
    // renders the same document.
    if let Ok(d) = time::Date::parse(
        &r.generated,
        time::macros::format_description!("[year]-[month]-[day]"),
    ) {
        let ts = d.midnight().assume_utc().unix_timestamp();
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
    let mut warnings = Vec::new();
    Ok(doc.with_pages(pages).save(
        &PdfSaveOptions {
            subset_fonts: true,
            ..Default::default()
        },
        &mut warnings,
    ))
}

/// Place everything on pages; the result is plain ops, ready to save.
fn lay_out<'f>(r: &Report, fonts: &'f fonts::Fonts) -> Canvas<'f> {
    let l = L { lang: r.lang };
    let mut c = Canvas::new(fonts);
    cover(&mut c, r, &l);
    // The contents page is filled in once every section knows its page.
    c.new_page();
    let toc_page = c.page();
    summary(&mut c, r, &l);
    overview(&mut c, r, &l);
    plan(&mut c, r, &l);
    questions(&mut c, r, &l);
    evidence(&mut c, r, &l);
    mappings(&mut c, r, &l);
    contents(&mut c, &l, toc_page);
    furniture(&mut c, r, &l);
    c
}

fn dash(s: &str) -> String {
    if s.trim().is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}

fn cover(c: &mut Canvas, r: &Report, l: &L) {
    c.new_page();
    // A navy band with the title, then the facts, then the score.
    c.rect(0.0, 0.0, PAGE_W, 250.0, Some(NAVY), None);
    c.rect(0.0, 250.0, PAGE_W, 5.0, Some(0xe65100), None);
    let small = Style::new(10.0, false, 0xc9d6e8);
    c.text(
        MARGIN_X,
        70.0,
        &format!("{} · {}", r.framework, r.pillar),
        small,
    );
    let title = Style::new(26.0, true, WHITE);
    let mut y = 92.0;
    for line in c.wrap(&r.title, CONTENT_W, title) {
        c.text(MARGIN_X, y, &line, title);
        y += title.line_height();
    }
    let name = Style::new(18.0, false, WHITE);
    for line in c
        .wrap(&r.workload.name, CONTENT_W, name)
        .into_iter()
        .take(2)
    {
        c.text(MARGIN_X, y + 6.0, &line, name);
        y += name.line_height();
    }
    if !r.workload.description.is_empty() {
        let d = Style::new(10.0, false, 0xc9d6e8);
        let desc = c.ellipsize(&r.workload.description, CONTENT_W, d);
        c.text(MARGIN_X, y + 14.0, &desc, d);
    }

    // Score block on the right, facts on the left.
    let top = 290.0;
    let box_x = MARGIN_X + CONTENT_W - 150.0;
    c.rect(box_x, top, 150.0, 130.0, Some(PALE), None);
    c.text_center(
        box_x + 75.0,
        top + 14.0,
        l.overall_score(),
        Style::new(10.0, true, MUTED),
    );
    c.text_center(
        box_x + 75.0,
        top + 36.0,
        &format!("{:.1}", r.score),
        Style::new(40.0, true, NAVY),
    );
    c.text_center(
        box_x + 75.0,
        top + 92.0,
        "/ 100",
        Style::new(10.0, false, MUTED),
    );
    let bar_w = 120.0;
    c.rect(box_x + 15.0, top + 110.0, bar_w, 6.0, Some(RULE), None);
    c.rect(
        box_x + 15.0,
        top + 110.0,
        bar_w * (r.score as f32 / 100.0).clamp(0.0, 1.0),
        6.0,
        Some(NAVY),
        None,
    );

    c.y = top;
    let w = &r.workload;
    let rows = [
        (l.workload(), w.name.clone()),
        (l.environment(), w.environment.clone()),
        (l.review_date(), w.review_date.clone()),
        (l.generated(), r.generated.clone()),
        (l.owner(), dash(&w.owner)),
        (l.reviewers(), dash(&w.reviewers.join(", "))),
        (l.accounts(), dash(&w.accounts.join(", "))),
        (l.regions(), dash(&w.regions.join(", "))),
        (
            l.framework(),
            format!("{} {}", r.framework, r.framework_version),
        ),
    ];
    table::key_values(c, &rows, 95.0, CONTENT_W - 170.0, 9.5);
    if !w.description.is_empty() {
        table::key_values(
            c,
            &[(l.description(), w.description.clone())],
            95.0,
            CONTENT_W - 170.0,
            9.5,
        );
    }

    // Risk tiles along the bottom of the cover.
    let ty = c.y.max(top + 150.0) + 24.0;
    tiles(c, r, l, ty);
    c.y += 10.0;
    c.paragraph(
        l.method(),
        MARGIN_X,
        CONTENT_W,
        Style::new(8.5, false, MUTED),
    );
}

/// Six figures in boxes: score, high, medium, unanswered, plan items, contradictions.
fn tiles(c: &mut Canvas, r: &Report, l: &L, top: f32) {
    let k = &r.counts;
    let figures = [
        (l.high_risk(), k.high.to_string(), 0xb71c1c),
        (l.medium_risk(), k.medium.to_string(), 0xf9a825),
        (l.no_risk(), k.none.to_string(), 0x2e7d32),
        (l.unanswered(), k.unanswered.to_string(), 0x9aa5b1),
        (l.plan_items(), r.plan.len().to_string(), NAVY),
        (l.contradictions(), r.contradictions.to_string(), 0xb71c1c),
    ];
    let gap = 8.0;
    let w = (CONTENT_W - gap * 5.0) / 6.0;
    for (i, (label, value, color)) in figures.iter().enumerate() {
        let x = MARGIN_X + i as f32 * (w + gap);
        c.rect(x, top, w, 54.0, Some(PALE), None);
        c.rect(x, top, 3.0, 54.0, Some(*color), None);
        c.text(x + 9.0, top + 7.0, value, Style::new(20.0, true, INK));
        let lab = c.ellipsize(label, w - 12.0, Style::new(7.5, false, MUTED));
        c.text(x + 9.0, top + 37.0, &lab, Style::new(7.5, false, MUTED));
    }
    c.y = top + 54.0 + 14.0;
}

fn contents(c: &mut Canvas, l: &L, page: usize) {
    let idx = page - 1;
    let title = Style::new(16.0, true, NAVY);
    c.text_on(idx, MARGIN_X, canvas::TOP, l.contents(), title);
    c.hline_on(
        idx,
        MARGIN_X,
        MARGIN_X + CONTENT_W,
        canvas::TOP + 25.0,
        NAVY,
        1.2,
    );
    let entries: Vec<(String, usize, u8)> = c
        .toc
        .iter()
        .map(|e| (e.title.clone(), e.page, e.level))
        .collect();
    let mut y = canvas::TOP + 38.0;
    // Shrink the line pitch if there are many entries, so it stays one page.
    let pitch = ((BOTTOM - y) / entries.len().max(1) as f32).min(20.0);
    for (title, target, level) in entries {
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
        let dw = c.width(".", dot).max(1.0) * 1.6;
        let mut dx = x + tw + 6.0;
        let mut dots = String::new();
        while dx + dw < right - num_w - 6.0 {
            dots.push('.');
            dx += c.width(".", dot);
        }
        c.text_on(idx, x + tw + 6.0, y, &dots, dot);
        c.pages[idx].push(Op::LinkAnnotation {
            link: LinkAnnotation::new(
                Rect {
                    x: Pt(x),
                    y: Pt(PAGE_H - y - st.size * 1.3),
                    width: Pt(right - x),
                    height: Pt(st.size * 1.3),
                    mode: None,
                    winding_order: None,
                },
                Actions::Goto(Destination::Xyz {
                    page: target,
                    left: None,
                    top: None,
                    zoom: None,
                }),
                Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                None,
                None,
            ),
        });
        y += pitch;
    }
}

/// Running header and footer on every page but the cover.
fn furniture(c: &mut Canvas, r: &Report, l: &L) {
    let n = c.pages.len();
    let st = Style::new(7.5, false, MUTED);
    let left = c.ellipsize(
        &format!("{} · {}", r.title, r.workload.name),
        CONTENT_W * 0.6,
        st,
    );
    for i in 1..n {
        let section = c.page_sections[i].clone();
        let section = if section.is_empty() {
            l.contents().to_string()
        } else {
            section
        };
        c.text_on(i, MARGIN_X, 28.0, &left, st);
        let sw = c.width(&section, st);
        c.text_on(i, MARGIN_X + CONTENT_W - sw, 28.0, &section, st);
        c.hline_on(i, MARGIN_X, MARGIN_X + CONTENT_W, 40.0, RULE, 0.5);
        c.hline_on(i, MARGIN_X, MARGIN_X + CONTENT_W, PAGE_H - 40.0, RULE, 0.5);
        c.text_on(
            i,
            MARGIN_X,
            PAGE_H - 34.0,
            &format!("{} {}", l.generated(), r.generated),
            st,
        );
        let num = format!("{} / {}", i + 1, n);
        let nw = c.width(&num, st);
        c.text_on(i, MARGIN_X + CONTENT_W - nw, PAGE_H - 34.0, &num, st);
    }
    // The cover shows the page count only.
    let num = format!("1 / {n}");
    let nw = c.width(&num, st);
    c.text_on(0, MARGIN_X + CONTENT_W - nw, PAGE_H - 34.0, &num, st);
}

fn summary(c: &mut Canvas, r: &Report, l: &L) {
    c.section(l.executive_summary());
    let top = c.y;
    tiles(c, r, l, top);
    c.paragraph(
        &r.summary,
        MARGIN_X,
        CONTENT_W,
        Style::new(10.5, false, INK),
    );
    c.y += 14.0;
    c.ensure(60.0);
    c.text(MARGIN_X, c.y, l.top_items(), Style::new(11.0, true, NAVY));
    c.y += 18.0;
    if r.plan.is_empty() {
        c.paragraph(&labels::empty_plan(r), MARGIN_X, CONTENT_W, BODY);
        return;
    }
    let cols = [
        col("#", 20.0),
        col(l.priority(), 52.0),
        col(l.best_practice(), 176.0),
        col(l.risk(), 44.0),
        col(l.evidence(), CONTENT_W - 292.0),
    ];
    let rows: Vec<Vec<Cell>> = r
        .plan
        .iter()
        .take(5)
        .map(|p| plan_head_cells(p, r))
        .collect();
    table::draw(c, &cols, &rows, 8.5);
}

fn plan_head_cells(p: &crate::model::PlanRow, r: &Report) -> Vec<Cell> {
    let (fill, ink) = level_colors(p.priority);
    let alert =
        (p.kind == PlanKind::Contradiction).then(|| format!("▲ {}", labels::kind(p.kind, r.lang)));
    vec![
        cell(p.rank.to_string()),
        cell(p.priority.label(r.lang)).bold().fill(fill, ink),
        cell(format!("{} {}", p.bp_id, p.title)).alert(alert),
        cell(p.risk.label(r.lang)),
        cell(p.evidence_summary.clone()),
    ]
}

fn overview(c: &mut Canvas, r: &Report, l: &L) {
    c.section(l.risk_overview());
    charts::score_bars(c, r, l);
    charts::heat_map(c, r, l);
}

fn plan(c: &mut Canvas, r: &Report, l: &L) {
    c.section(l.plan());
    if r.plan.is_empty() {
        c.paragraph(&labels::empty_plan(r), MARGIN_X, CONTENT_W, BODY);
        return;
    }
    let cols = [
        col("#", 22.0),
        col(l.priority(), 42.0),
        col(l.best_practice(), 108.0),
        col(l.risk(), 40.0),
        col(l.evidence(), 91.0),
        col(l.how_to_improve(), 118.0),
        col(
            &format!("{} / {} / {}", l.owner(), l.due(), l.status()),
            CONTENT_W - 421.0,
        ),
    ];
    let rows: Vec<Vec<Cell>> = r
        .plan
        .iter()
        .map(|p| {
            let mut cells = plan_head_cells(p, r);
            // The agreed action, then the first step from the bank; the
            // question pages list every step.
            let mut how = Vec::new();
            if !p.action.is_empty() {
                how.push(format!("{}: {}", l.action(), p.action));
            }
            how.extend(
                p.how_to_improve
                    .iter()
                    .take(PLAN_STEPS)
                    .map(|s| format!("• {s}")),
            );
            if p.how_to_improve.len() > PLAN_STEPS {
                how.push(format!(
                    "+{} → {}",
                    p.how_to_improve.len() - PLAN_STEPS,
                    p.question_id
                ));
            }
            cells.push(cell(how.join("\n")));
            cells.push(cell(format!(
                "{}\n{}\n{}",
                dash(&p.owner),
                p.due.as_deref().unwrap_or("-"),
                p.status_label
            )));
            cells
        })
        .collect();
    table::draw(c, &cols, &rows, 7.5);
}

fn questions(c: &mut Canvas, r: &Report, l: &L) {
    c.section(l.questions());
    let intro = Style::new(9.5, false, MUTED);
    c.paragraph(
        r.lang.pick(
            "One page per question: the answers given, the reasons for anything marked not applicable, notes, and the evidence collected for each best practice.",
            "質問ごとに、回答、該当なしとした理由、メモ、各ベストプラクティスについて収集したエビデンスを示します。",
        ),
        MARGIN_X,
        CONTENT_W,
        intro,
    );
    c.y += 12.0;
    for (i, q) in r.questions.iter().enumerate() {
        c.subsection(&format!("{} {}", q.id, q.title), i > 0);
        let facts = Style::new(9.0, false, MUTED);
        let score = q
            .score
            .map(|s| format!("{s:.1}"))
            .unwrap_or_else(|| "-".into());
        let line = format!(
            "{} · {}: {} · {}: {} · {}/{} {}",
            q.area,
            l.risk(),
            q.risk_label,
            l.score(),
            score,
            q.selected,
            q.applicable,
            l.in_place_count()
        );
        c.rect(
            MARGIN_X,
            c.y,
            4.0,
            12.0,
            Some(charts::risk_color(q.risk)),
            None,
        );
        c.paragraph(&line, MARGIN_X + 10.0, CONTENT_W - 10.0, facts);
        c.y += 6.0;
        if let Some(reason) = &q.not_applicable {
            c.paragraph(
                &format!("{} ({}: {})", l.question_na(), l.reason(), reason),
                MARGIN_X,
                CONTENT_W,
                Style::new(9.5, true, INK),
            );
            c.y += 4.0;
        }
        if !q.notes.is_empty() {
            c.ensure(40.0);
            c.rect(MARGIN_X, c.y, CONTENT_W, 16.0, Some(PALE), None);
            c.text(
                MARGIN_X + 10.0,
                c.y + 5.0,
                l.notes(),
                Style::new(8.0, true, MUTED),
            );
            c.y += 16.0;
            c.boxed_paragraph(&q.notes, Style::new(9.0, false, INK), PALE);
            c.y += 8.0;
        }
        let cols = [
            col(l.best_practice(), 160.0),
            col(l.risk(), 40.0),
            col(l.answers(), 84.0),
            col(
                &format!("{} / {}", l.evidence(), l.notes()),
                CONTENT_W - 284.0,
            ),
        ];
        let rows: Vec<Vec<Cell>> = q
            .best_practices
            .iter()
            .map(|b| {
                let mut state = b.state_label.clone();
                if let Some(na) = &b.na_reason {
                    state = format!("{state}\n({na})");
                }
                let state_cell = match b.state {
                    BpState::InPlace => cell(format!("● {state}")).bold(),
                    BpState::NotInPlace => cell(format!("○ {state}")),
                    _ => cell(state),
                };
                let mut ev = Vec::new();
                if !b.note.is_empty() {
                    ev.push(format!("{}: {}", l.notes(), b.note));
                }
                for &i in b.evidence_items.iter().take(EVIDENCE_PER_BP) {
                    let e = &r.evidence[i];
                    let mut s = format!(
                        "[{}] {}: {}",
                        labels::status(e.status, r.lang),
                        e.check,
                        e.summary
                    );
                    if !e.resources.is_empty() {
                        s.push_str(&format!(" ({})", e.resources.join(", ")));
                        if e.more_resources > 0 {
                            s.push_str(&format!(" +{}", e.more_resources));
                        }
                    }
                    ev.push(s);
                }
                if b.evidence_items.len() > EVIDENCE_PER_BP {
                    ev.push(format!(
                        "+{} {} ({})",
                        b.evidence_items.len() - EVIDENCE_PER_BP,
                        l.more(),
                        l.appendix_evidence()
                    ));
                }
                if ev.is_empty() {
                    ev.push("-".into());
                }
                let alert = b
                    .contradiction
                    .then(|| format!("▲ {}", labels::kind(PlanKind::Contradiction, r.lang)));
                vec![
                    cell(format!("{} {}", b.id, b.title)),
                    cell(b.risk.label(r.lang)),
                    state_cell.alert(alert),
                    cell(ev.join("\n")),
                ]
            })
            .collect();
        table::draw(c, &cols, &rows, 7.5);
        improvements(c, r, l, &q.id);
    }
}

/// The full improvement steps for the plan items of one question.
fn improvements(c: &mut Canvas, r: &Report, l: &L, question: &str) {
    let items: Vec<&crate::model::PlanRow> = r
        .plan
        .iter()
        .filter(|p| p.question_id == question)
        .collect();
    if items.is_empty() {
        return;
    }
    c.ensure(60.0);
    c.text(
        MARGIN_X,
        c.y,
        l.how_to_improve(),
        Style::new(10.5, true, NAVY),
    );
    c.y += 17.0;
    let body = Style::new(8.5, false, INK);
    for p in items {
        let (fill, ink) = level_colors(p.priority);
        let badge = Style::new(7.5, true, ink);
        let label = format!("#{} {}", p.rank, p.priority.label(r.lang));
        let bw = c.width(&label, badge) + 8.0;
        c.ensure(40.0);
        c.rect(MARGIN_X, c.y, bw, 11.0, Some(fill), None);
        c.text(MARGIN_X + 4.0, c.y + 1.5, &label, badge);
        let title = Style::new(9.0, true, INK);
        let head = c.ellipsize(
            &format!("{} {}", p.bp_id, p.title),
            CONTENT_W - bw - 8.0,
            title,
        );
        c.text(MARGIN_X + bw + 6.0, c.y, &head, title);
        c.y += 15.0;
        for step in &p.how_to_improve {
            c.ensure(body.line_height());
            c.text(MARGIN_X + 8.0, c.y, "•", body);
            c.paragraph(step, MARGIN_X + 18.0, CONTENT_W - 18.0, body);
            c.y += 2.0;
        }
        c.y += 6.0;
    }
}

fn evidence(c: &mut Canvas, r: &Report, l: &L) {
    c.section(l.appendix_evidence());
    if r.evidence.is_empty() {
        c.paragraph(l.no_evidence_items(), MARGIN_X, CONTENT_W, BODY);
        return;
    }
    let k = &r.evidence_counts;
    c.paragraph(
        &format!(
            "{}: {} · {} {} · {} {} · {} {} · {} {}",
            l.evidence(),
            k.total(),
            labels::status(wasec_core::review::EvidenceStatus::Fail, r.lang),
            k.fail,
            labels::status(wasec_core::review::EvidenceStatus::Pass, r.lang),
            k.pass,
            labels::status(wasec_core::review::EvidenceStatus::Unknown, r.lang),
            k.unknown,
            labels::status(wasec_core::review::EvidenceStatus::NotApplicable, r.lang),
            k.not_applicable
        ),
        MARGIN_X,
        CONTENT_W,
        Style::new(9.0, false, MUTED),
    );
    c.y += 6.0;
    let cols = [
        col(l.check(), 100.0),
        col(l.status(), 46.0),
        col(l.summary(), 144.0),
        col(l.resources(), 130.0),
        col(&format!("{} / BP", l.region()), CONTENT_W - 420.0),
    ];
    let rows: Vec<Vec<Cell>> = r
        .evidence
        .iter()
        .map(|e| {
            let status = labels::status(e.status, r.lang);
            let status = match e.status {
                wasec_core::review::EvidenceStatus::Fail => {
                    cell(status).bold().fill(0xb71c1c, WHITE)
                }
                wasec_core::review::EvidenceStatus::Pass => cell(status).fill(0x2e7d32, WHITE),
                _ => cell(status),
            };
            let mut res = e.resources.join("\n");
            if e.more_resources > 0 {
                res.push_str(&format!("\n+{} {}", e.more_resources, l.more()));
            }
            let mut summary = e.summary.clone();
            if e.public {
                summary.push_str(r.lang.pick(" (public)", "（公開）"));
            }
            let mut place = dash(&e.region);
            if !e.account.is_empty() {
                place = format!("{place}\n{}", e.account);
            }
            place = format!("{place}\n{}", e.bps.join(", "));
            vec![
                cell(e.check.clone()),
                status,
                cell(summary),
                cell(dash(&res)),
                cell(place),
            ]
        })
        .collect();
    table::draw(c, &cols, &rows, 7.0);
}

fn mappings(c: &mut Canvas, r: &Report, l: &L) {
    c.section(l.appendix_mappings());
    c.paragraph(
        r.lang.pick(
            "Each best practice against AWS Security Hub CSPM control ids (from FSBP, CIS and other standards), CIS AWS Foundations Benchmark v3.0 recommendations and Cyber Trust mark domains.",
            "各ベストプラクティスと、AWS Security Hub CSPM のコントロール（FSBP、CIS などの標準のもの）、CIS AWS Foundations Benchmark v3.0 の推奨事項、Cyber Trust mark のドメインとの対応です。",
        ),
        MARGIN_X,
        CONTENT_W,
        Style::new(9.0, false, MUTED),
    );
    c.y += 6.0;
    let cols = [
        col(l.best_practice(), 190.0),
        col(l.status(), 60.0),
        col(l.security_hub(), 100.0),
        col(l.cis(), 75.0),
        col(l.cyber_trust(), CONTENT_W - 425.0),
    ];
    let rows: Vec<Vec<Cell>> = r
        .mappings
        .iter()
        .map(|m| {
            vec![
                cell(format!("{} {}", m.bp_id, m.title)),
                cell(labels::bp_state(m.state, r.lang)),
                cell(dash(&m.security_hub.join(", "))),
                cell(dash(&m.cis_v3.join(", "))),
                cell(dash(&m.cyber_trust.join(", "))),
            ]
        })
        .collect();
    table::draw(c, &cols, &rows, 7.5);
}

#[cfg(test)]
mod tests {
    use super::*;
    use printpdf::{Op, PdfFontHandle, TextItem};
    use wasec_core::{Bank, Lang};

    /// Every piece of text placed on any page, with its measured extent,
    /// must sit inside the page margins.
    fn assert_inside_margins(r: &Report) -> usize {
        let mut doc = PdfDocument::new("t");
        let fonts = fonts::Fonts::load(&mut doc, None).unwrap();
        let c = lay_out(r, &fonts);
        let mut checked = 0;
        for (pi, ops) in c.pages.iter().enumerate() {
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
