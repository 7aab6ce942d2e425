//! The PDF report, read back with lopdf: page one, ordering, language,
//! page references, outline and page mode, metadata, links and fonts.

use crate::common::*;
use lopdf::{Document, Object};
use std::sync::OnceLock;
use wasec_core::Lang;
use wasec_report::{Format, Options, Report, render};

struct Rendered {
    report: Report,
    bytes: Vec<u8>,
    doc: Document,
    /// Extracted text, one entry per page.
    pages: Vec<String>,
}

fn rendered(lang: Lang) -> &'static Rendered {
    static EN: OnceLock<Rendered> = OnceLock::new();
    static JA: OnceLock<Rendered> = OnceLock::new();
    let cell = if lang == Lang::En { &EN } else { &JA };
    cell.get_or_init(|| {
        let report = report(&demo(), lang);
        let (bytes, pages) = pdf_pages(&report);
        let doc = Document::load_mem(&bytes).unwrap();
        Rendered {
            report,
            bytes,
            doc,
            pages,
        }
    })
}

fn all_text(r: &Rendered) -> String {
    flat(&r.pages.concat())
}

#[test]
fn page_one_is_the_answer() {
    let r = rendered(Lang::En);
    let p1 = flat(&r.pages[0]);
    let rep = &r.report;
    assert!(p1.contains(&flat(&rep.verdict)), "verdict on page one");
    for a in rep.actions.iter().take(3) {
        let start: String = flat(&a.title).chars().take(25).collect();
        assert!(p1.contains(&start), "top action {} on page one", a.rank);
    }
    assert!(p1.contains("BenCarter") && p1.contains("2026-11-27OVERDUE"));
    for s in [
        "Declared",
        "Evidence-adjusted",
        "Sincethelastmilestone",
        "Mid-reviewcheckpoint",
    ] {
        assert!(p1.contains(s), "page one lacks {s}");
    }
    let adj = format!("{:.1}", rep.evidence_adjusted.score.unwrap());
    let dec = format!("{:.1}", rep.declared.score.unwrap());
    assert!(p1.contains(&adj) && p1.contains(&dec));
    assert!(
        p1.contains(&format!("{}Overdue", rep.overdue)),
        "overdue counted on page one"
    );
    // The method sits at the back, not on page one.
    let method: String = flat(wasec_report::labels::L { lang: Lang::En }.method())
        .chars()
        .take(40)
        .collect();
    assert!(!p1.contains(&method));
    let at = r
        .pages
        .iter()
        .position(|p| flat(p).contains(&method))
        .unwrap();
    assert!(at > r.pages.len() / 2, "method on page {}", at + 1);
}

#[test]
fn japanese_page_one_is_the_answer_too() {
    let r = rendered(Lang::Ja);
    let p1 = flat(&r.pages[0]);
    assert!(p1.contains(&flat(&r.report.verdict)));
    for s in [
        "申告",
        "エビデンス反映",
        "期限超過",
        "前回のマイルストーンからの変化",
        "最優先の3つの対応",
    ] {
        assert!(p1.contains(s), "page one lacks {s}");
    }
    assert!(
        p1.contains("セキュリティグループsg-0bastion"),
        "Japanese evidence"
    );
}

#[test]
fn every_question_and_part_is_in_the_pdf() {
    let r = rendered(Lang::En);
    let text = all_text(r);
    for q in &r.report.questions {
        assert!(
            text.contains(&flat(&format!("{} {}", q.id, q.title))),
            "{}",
            q.id
        );
    }
    for s in [
        "Progress over time",
        "Risk overview",
        "Improvement plan",
        "Follow-ups",
        "Results by question",
        "About this review",
        "How to read this report",
        "Appendix A: Evidence inventory",
        "Appendix B: Framework mappings",
        "111122223333",
    ] {
        assert!(text.contains(&flat(s)), "{s} missing");
    }
}

#[test]
fn plan_items_appear_in_priority_order() {
    let r = rendered(Lang::En);
    let heading = flat("Plan items by priority");
    let start = r
        .pages
        .iter()
        .position(|p| flat(p).contains(&heading))
        .unwrap();
    let text: String = r.pages[start..].iter().map(|p| flat(p)).collect();
    let text = &text[text.find(&heading).unwrap()..];
    let mut last = 0;
    for p in &r.report.plan {
        let needle = format!("{}{}", p.priority.label(Lang::En), p.bp_id);
        let pos = text[last..]
            .find(&needle)
            .map(|i| i + last)
            .unwrap_or_else(|| panic!("{} (rank {}) out of order", p.bp_id, p.rank));
        last = pos + needle.len();
    }
}

/// "3 more steps, p. 18": the page named holds the steps, and the full
/// steps are printed once (not again in the plan).
#[test]
fn more_steps_point_to_the_page_that_has_them() {
    let r = rendered(Lang::En);
    let a = r.report.actions.iter().find(|a| a.more_steps > 0).unwrap();
    let bp = &a.bps[0].bp_id;
    let text = all_text(r);
    let marker = flat(&format!("{} more steps, p. ", a.more_steps));
    let at = text.find(&marker).expect("a page reference in the plan") + marker.len();
    let page: usize = text[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap();
    let steps = &r.report.bp(bp).unwrap().how_to_improve;
    let last_step: String = flat(steps.last().unwrap()).chars().take(40).collect();
    assert!(
        flat(&r.pages[page - 1]).contains(&last_step) || flat(&r.pages[page]).contains(&last_step),
        "page {page} does not hold the steps of {bp}"
    );
    assert_eq!(text.matches(&last_step).count(), 1, "steps printed once");
    assert!(!text.contains("→SEC"), "no cryptic arrows");
}

#[test]
fn page_count_matches_the_footers() {
    for lang in Lang::ALL {
        let r = rendered(lang);
        let n = r.doc.get_pages().len();
        for (i, p) in r.pages.iter().enumerate() {
            assert!(
                flat(p).contains(&format!("{}/{}", i + 1, n)),
                "page {}",
                i + 1
            );
        }
    }
}

/// No page is a near-empty spill-over: every page but the last of each
/// part carries real content besides its header and footer.
#[test]
fn no_near_empty_spill_over_pages() {
    for review in [demo(), stress()] {
        for lang in Lang::ALL {
            let (_, pages) = pdf_pages(&report(&review, lang));
            for (i, p) in pages.iter().enumerate() {
                // Header (2 runs) and footer (2 runs) are always there.
                let body = p.lines().filter(|l| !l.trim().is_empty()).count();
                assert!(body > 8, "{lang} page {} has {body} lines:\n{p}", i + 1);
            }
        }
    }
}

#[test]
fn fonts_are_embedded_and_subset() {
    let r = rendered(Lang::Ja);
    let mut fonts = 0;
    for (_, obj) in r.doc.objects.iter() {
        let Ok(dict) = obj.as_dict() else { continue };
        if dict.get(b"Type").and_then(Object::as_name).ok() != Some(b"FontDescriptor".as_slice()) {
            continue;
        }
        fonts += 1;
        let name =
            String::from_utf8_lossy(dict.get(b"FontName").unwrap().as_name().unwrap()).to_string();
        let (tag, rest) = name.split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{name}"
        );
        assert!(rest.contains("BIZUDPGothic"), "{name}");
        assert!(dict.get(b"FontFile2").is_ok(), "TrueType outlines embedded");
    }
    assert_eq!(fonts, 2, "regular and bold");
    assert!(r.bytes.len() < 600_000, "{} bytes", r.bytes.len());
}

#[test]
fn the_outline_opens_in_the_bookmarks_pane_and_no_pdfx_is_claimed() {
    let r = rendered(Lang::En);
    let catalog = r.doc.catalog().unwrap();
    assert_eq!(
        catalog.get(b"PageMode").unwrap().as_name().unwrap(),
        b"UseOutlines",
        "a name, not a string"
    );
    let outlines = r
        .doc
        .get_object(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap()
        .as_dict()
        .unwrap();
    let mut titles = Vec::new();
    let mut next = outlines.get(b"First").and_then(Object::as_reference).ok();
    while let Some(id) = next {
        let item = r.doc.get_object(id).unwrap().as_dict().unwrap();
        titles.push(lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap());
        next = item.get(b"Next").and_then(Object::as_reference).ok();
    }
    assert!(titles[0].ends_with("The answer"), "{titles:?}");
    let results = titles
        .iter()
        .position(|t| t.ends_with("Results by question"))
        .unwrap();
    assert!(titles[results + 1].contains("SEC01"), "{titles:?}");
    assert!(titles.last().unwrap().contains("Appendix B"), "{titles:?}");
    let info = r.doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = r.doc.get_object(info).unwrap().as_dict().unwrap();
    assert!(info.get(b"GTS_PDFXVersion").is_err(), "no PDF/X claim");
    let title = lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap();
    assert!(title.contains("Storefront checkout"), "{title}");
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    assert_eq!(
        r.doc.version, "1.4",
        "/Lang and a page-mode name need PDF 1.4"
    );
}

#[test]
fn best_practices_link_to_their_guidance_pages() {
    let r = rendered(Lang::Ja);
    let mut uris = std::collections::BTreeSet::new();
    let deref = |o: &'static Object| -> Option<&'static lopdf::Dictionary> {
        match o {
            Object::Reference(id) => r.doc.get_object(*id).and_then(Object::as_dict).ok(),
            Object::Dictionary(d) => Some(d),
            _ => None,
        }
    };
    for (_, page) in r.doc.get_pages() {
        let page = r.doc.get_object(page).unwrap().as_dict().unwrap();
        let annots = match page.get(b"Annots") {
            Ok(Object::Array(a)) => a.iter().collect::<Vec<_>>(),
            Ok(Object::Reference(id)) => r
                .doc
                .get_object(*id)
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .collect(),
            _ => Vec::new(),
        };
        for annot in annots {
            let Some(annot) = deref(annot) else { continue };
            if let Some(action) = annot.get(b"A").ok().and_then(deref)
                && let Ok(uri) = action.get(b"URI").and_then(Object::as_str)
            {
                uris.insert(String::from_utf8_lossy(uri).to_string());
            }
        }
    }
    for q in &r.report.questions {
        for b in &q.best_practices {
            assert!(uris.contains(&b.url), "{} has no link", b.id);
        }
    }
}

#[test]
fn a_custom_font_that_is_not_a_font_is_an_error() {
    let r = rendered(Lang::En);
    let err = render(
        &r.report,
        Format::Pdf,
        &Options {
            font: Some(b"not a font".to_vec()),
            ..Default::default()
        },
    );
    assert!(err.is_err());
}

#[test]
fn long_tables_repeat_their_header_on_every_page() {
    let r = report(&wasec_report::sample::review(bank(), 120), Lang::En);
    let (_, pages) = pdf_pages(&r);
    // After the method part, the appendix pages (question pages name the
    // appendix in "+N more" lines).
    let method = pages
        .iter()
        .position(|p| p.contains("Priority matrix"))
        .unwrap();
    let appendix: Vec<&String> = pages[method + 1..]
        .iter()
        .filter(|p| p.contains("Appendix A: Evidence inventory"))
        .collect();
    assert!(appendix.len() >= 2, "the sample's evidence spans pages");
    for p in appendix {
        for head in ["Check", "Status", "Summary", "Resources"] {
            assert!(
                p.contains(head),
                "continuation page lacks the {head} column:\n{p}"
            );
        }
    }
}

#[test]
fn no_japanese_line_starts_with_closing_punctuation_or_small_kana() {
    let r = rendered(Lang::Ja);
    let mut lines = 0;
    for p in &r.pages {
        for line in p.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let first = line.chars().next().unwrap();
            assert!(
                !"、。，．）」』】ァィゥェォッャュョー".contains(first),
                "line starts with {first}: {line}"
            );
            lines += 1;
        }
    }
    assert!(lines > 500);
}

/// A note longer than a page is split across pages with the header
/// repeated, never cut: every line of it is in the PDF, in order.
#[test]
fn a_cell_taller_than_a_page_continues_on_the_next_page() {
    let bank = bank();
    let mut review = demo();
    let note: Vec<String> = (1..=160).map(|i| format!("tallrow{i:03}")).collect();
    review
        .set_bp_notes(bank, "SEC03-BP01", &note.join("\n"))
        .unwrap();
    let (_, pages) = pdf_pages(&report(&review, Lang::En));
    let holding: Vec<usize> = (0..pages.len())
        .filter(|&p| pages[p].contains("tallrow"))
        .collect();
    assert!(holding.len() >= 2, "160 lines need two pages: {holding:?}");
    for p in &holding {
        assert!(
            pages[*p].contains("Best practice"),
            "page {} lacks the header",
            p + 1
        );
        assert!(
            pages[*p].contains("SEC03-BP01"),
            "page {} does not say whose row",
            p + 1
        );
    }
    let text = flat(&pages.concat());
    let mut from = 0;
    for marker in &note {
        let at = text[from..]
            .find(marker.as_str())
            .unwrap_or_else(|| panic!("{marker} is missing or out of order"));
        from += at + marker.len();
    }
}
