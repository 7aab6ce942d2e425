//! The PDF report, read back with lopdf: text content, ordering, language,
//! page count, outline, metadata and embedded (subset) fonts.

use lopdf::{Document, Object};
use std::sync::OnceLock;
use wasec_core::{Bank, Lang};
use wasec_report::{Format, Options, Report, build, render, sample};

struct Rendered {
    report: Report,
    bytes: Vec<u8>,
    doc: Document,
    /// Extracted text, one entry per page.
    pages: Vec<String>,
}

fn bank() -> &'static Bank {
    static B: OnceLock<Bank> = OnceLock::new();
    B.get_or_init(|| Bank::embedded().unwrap())
}

fn rendered(lang: Lang) -> &'static Rendered {
    static EN: OnceLock<Rendered> = OnceLock::new();
    static JA: OnceLock<Rendered> = OnceLock::new();
    let cell = if lang == Lang::En { &EN } else { &JA };
    cell.get_or_init(|| {
        let review = sample::review(bank(), 40);
        let report = build(bank(), &review, lang, time::macros::date!(2026 - 11 - 23));
        let bytes = render(&report, Format::Pdf, &Options::default()).unwrap();
        let doc = Document::load_mem(&bytes).expect("a PDF lopdf can read");
        let n = doc.get_pages().len() as u32;
        let pages = (1..=n)
            .map(|p| doc.extract_text(&[p]).unwrap_or_default())
            .collect();
        Rendered {
            report,
            bytes,
            doc,
            pages,
        }
    })
}

/// Text without line breaks or spaces, so wrapped titles still match.
fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn all_text(r: &Rendered) -> String {
    flat(&r.pages.concat())
}

#[test]
fn every_question_and_section_is_in_the_english_pdf() {
    let r = rendered(Lang::En);
    let text = all_text(r);
    assert_eq!(r.report.questions.len(), 11);
    for q in &r.report.questions {
        assert!(
            text.contains(&flat(&format!("{} {}", q.id, q.title))),
            "{} missing",
            q.id
        );
    }
    for s in [
        "Executive summary",
        "Risk overview",
        "Improvement plan",
        "Results by question",
        "Appendix A: Evidence inventory",
        "Appendix B: Framework mappings",
        "Payments API",
        "Contents",
    ] {
        assert!(text.contains(&flat(s)), "{s} missing");
    }
    // The cover facts.
    for s in [
        "123456789012",
        "ap-northeast-1",
        "Ben Carter",
        "2026-11-20",
        "48.1",
    ] {
        assert!(flat(&r.pages[0]).contains(&flat(s)), "cover lacks {s}");
    }
}

#[test]
fn plan_items_appear_in_priority_order() {
    let r = rendered(Lang::En);
    // The plan pages are those whose running header names the section.
    let plan_text: String = r
        .pages
        .iter()
        .filter(|p| p.contains("Improvement plan") && !p.contains("Contents"))
        .cloned()
        .collect();
    assert!(r.report.plan.len() > 10);
    let mut last = 0;
    for p in &r.report.plan {
        let needle = p.bp_id.clone();
        let pos = plan_text[last..]
            .find(&needle)
            .map(|i| i + last)
            .unwrap_or_else(|| panic!("{} (rank {}) not after position {last}", p.bp_id, p.rank));
        last = pos + needle.len();
    }
    // Ranks run from the most urgent.
    let order: Vec<_> = r.report.plan.iter().map(|p| p.priority).collect();
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(order, sorted);
}

#[test]
fn japanese_pdf_has_japanese_text() {
    let r = rendered(Lang::Ja);
    let text = all_text(r);
    for s in [
        "エグゼクティブサマリー",
        "改善計画",
        "付録A:エビデンス一覧",
        "セキュリティの柱レビュー報告書",
        "重大",
    ] {
        assert!(text.contains(s), "{s} missing");
    }
    for q in &r.report.questions {
        assert!(text.contains(&flat(&q.title)), "{} title missing", q.id);
    }
    // The generated reading is Japanese too.
    let start: String = flat(&r.report.summary).chars().take(30).collect();
    assert!(text.contains(&start), "{start}");
}

#[test]
fn page_count_matches_the_footers() {
    for lang in Lang::ALL {
        let r = rendered(lang);
        let n = r.doc.get_pages().len();
        assert!(n >= 11 + 6, "{n} pages");
        for (i, p) in r.pages.iter().enumerate() {
            assert!(
                flat(p).contains(&format!("{}/{}", i + 1, n)),
                "page {} lacks its number",
                i + 1
            );
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
        // Subset fonts carry a six-letter tag: ABCDEF+Name.
        let (tag, rest) = name.split_once('+').expect("subset tag");
        assert!(
            tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()),
            "{name}"
        );
        assert!(rest.contains("BIZUDPGothic"), "{name}");
        let file = dict
            .get(b"FontFile2")
            .expect("TrueType outlines embedded")
            .as_reference()
            .unwrap();
        let stream = r.doc.get_object(file).unwrap().as_stream().unwrap();
        let len = stream
            .decompressed_content()
            .map(|c| c.len())
            .unwrap_or(stream.content.len());
        assert!(
            len > 1_000 && len < 1_000_000,
            "{name}: FontFile2 is {len} bytes (full font is 4.6 MB)"
        );
    }
    assert_eq!(fonts, 2, "regular and bold");
    assert!(r.bytes.len() < 500_000, "{} bytes", r.bytes.len());
}

#[test]
fn outline_and_metadata_are_set() {
    let r = rendered(Lang::En);
    let catalog = r.doc.catalog().unwrap();
    let outlines = r
        .doc
        .get_object(catalog.get(b"Outlines").unwrap().as_reference().unwrap())
        .unwrap()
        .as_dict()
        .unwrap();
    // Seven sections plus eleven questions.
    assert_eq!(outlines.get(b"Count").unwrap().as_i64().unwrap(), 18);
    // Walk the outline: sections and questions in document order.
    let mut titles = Vec::new();
    let mut next = outlines.get(b"First").and_then(Object::as_reference).ok();
    while let Some(id) = next {
        let item = r.doc.get_object(id).unwrap().as_dict().unwrap();
        titles.push(lopdf::decode_text_string(item.get(b"Title").unwrap()).unwrap());
        next = item.get(b"Next").and_then(Object::as_reference).ok();
    }
    assert_eq!(titles.len(), 18);
    assert_eq!(titles[0], "Contents");
    let results = titles
        .iter()
        .position(|t| t.ends_with("Results by question"))
        .unwrap();
    assert!(titles[results + 1].contains("SEC01"), "{titles:?}");
    assert!(titles.last().unwrap().contains("Appendix B"), "{titles:?}");
    let info = r.doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
    let info = r.doc.get_object(info).unwrap().as_dict().unwrap();
    let title = lopdf::decode_text_string(info.get(b"Title").unwrap()).unwrap();
    assert!(title.contains("Payments API"), "{title}");
    let author = lopdf::decode_text_string(info.get(b"Author").unwrap()).unwrap();
    assert_eq!(author, "Aiko Tanaka");
    assert!(info.get(b"Subject").is_ok());
}

#[test]
fn a_custom_font_that_is_not_a_font_is_an_error() {
    let r = rendered(Lang::En);
    let err = render(
        &r.report,
        Format::Pdf,
        &Options {
            font: Some(b"not a font".to_vec()),
        },
    );
    assert!(err.is_err());
}

#[test]
fn long_tables_repeat_their_header_on_every_page() {
    let r = rendered(Lang::En);
    // Question pages may point to the appendix by name ("+N more: see
    // Appendix A ..."), so look only after the last question page.
    let last_question_page = r
        .pages
        .iter()
        .rposition(|p| p.contains("Evidence / Notes"))
        .expect("question pages");
    let appendix: Vec<&String> = r.pages[last_question_page + 1..]
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
        // Each placed line is its own text object, so it extracts as a line.
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
    let mut review = sample::review(bank, 0);
    let note: Vec<String> = (1..=160).map(|i| format!("tallrow{i:03}")).collect();
    review
        .set_bp_notes(bank, "SEC03-BP01", &note.join("\n"))
        .unwrap();
    let report = build(bank, &review, Lang::En, time::macros::date!(2026 - 11 - 23));
    let bytes = render(&report, Format::Pdf, &Options::default()).unwrap();
    let doc = Document::load_mem(&bytes).unwrap();
    let pages: Vec<String> = (1..=doc.get_pages().len() as u32)
        .map(|p| doc.extract_text(&[p]).unwrap_or_default())
        .collect();
    let holding: Vec<usize> = (0..pages.len())
        .filter(|&p| pages[p].contains("tallrow"))
        .collect();
    assert!(holding.len() >= 2, "160 lines need two pages: {holding:?}");
    for p in &holding {
        assert!(
            pages[*p].contains("Evidence / Notes"),
            "page {} continues the row without the header",
            p + 1
        );
        assert!(
            pages[*p].contains("SEC03-BP01"),
            "page {} does not say whose row continues",
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
