//! Reviews and renders shared by the report tests.

use std::sync::OnceLock;
use wasec_core::{Bank, Lang, Review};
use wasec_report::{Format, Options, Report, build, render};

pub fn bank() -> &'static Bank {
    static B: OnceLock<Bank> = OnceLock::new();
    B.get_or_init(|| Bank::embedded().unwrap())
}

/// The report date of the tests: the demo's SEC05-BP02 follow-up (due
/// 2026-11-27) is overdue on it.
pub fn today() -> time::Date {
    time::macros::date!(2026 - 12 - 01)
}

pub fn demo() -> Review {
    wasec_core::demo::review(bank()).unwrap()
}

/// The stress review (tests/fixtures/stress.yaml).
pub fn stress() -> Review {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stress.yaml");
    let text = std::fs::read_to_string(path).unwrap();
    wasec_core::review::parse(&text, path, bank()).unwrap()
}

pub fn report(review: &Review, lang: Lang) -> Report {
    build(bank(), review, lang, today())
}

pub fn text(r: &Report, f: Format) -> String {
    String::from_utf8(render(r, f, &Options::default()).unwrap()).unwrap()
}

/// Text without line breaks or spaces, so wrapped text still matches.
pub fn flat(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The PDF's text, one entry per page.
pub fn pdf_pages(r: &Report) -> (Vec<u8>, Vec<String>) {
    let bytes = render(r, Format::Pdf, &Options::default()).unwrap();
    let doc = lopdf::Document::load_mem(&bytes).expect("a PDF lopdf can read");
    let n = doc.get_pages().len() as u32;
    let pages = (1..=n)
        .map(|p| doc.extract_text(&[p]).unwrap_or_default())
        .collect();
    (bytes, pages)
}
