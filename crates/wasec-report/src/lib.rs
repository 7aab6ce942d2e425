//! wasec reports: one report model ([`model::Report`]) built from a review,
//! the question bank and the scoring; one document ([`doc::Document`]) laid
//! out from it, written as PDF, HTML or Markdown; CSV and JSON read the
//! model.
//!
//! ```no_run
//! # use wasec_core::{Bank, Lang};
//! let bank = Bank::embedded().unwrap();
//! let review = wasec_core::demo::review(&bank).unwrap();
//! let today = time::OffsetDateTime::now_utc().date();
//! let report = wasec_report::model::build(&bank, &review, Lang::Ja, today);
//! let pdf = wasec_report::render(&report, wasec_report::Format::Pdf, &Default::default()).unwrap();
//! ```
//!
//! The JSON schema (`wasec.report/1`) is described in the crate README.

pub mod csv;
pub mod doc;
pub mod html;
pub mod json;
pub mod labels;
pub mod markdown;
pub mod model;
pub mod pdf;
pub mod portfolio;
#[doc(hidden)]
pub mod sample;

use std::fmt;

pub use model::{Report, build};

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Markdown,
    Html,
    Csv,
    Json,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Pdf,
        Format::Markdown,
        Format::Html,
        Format::Csv,
        Format::Json,
    ];

    /// The file extension (also the `--format` value, except Markdown's `md`).
    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// Rendering options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A TrueType/OpenType font to use instead of the bundled one (PDF only).
    pub font: Option<Vec<u8>>,
    /// CSV without the UTF-8 byte-order mark (written by default so Excel
    /// reads Japanese text correctly).
    pub no_bom: bool,
}

#[derive(Debug)]
pub enum ReportError {
    /// The font could not be parsed.
    Font(String),
    Json(serde_json::Error),
}

impl fmt::Display for ReportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReportError::Font(m) => write!(f, "font: {m}"),
            ReportError::Json(e) => write!(f, "json: {e}"),
        }
    }
}

impl std::error::Error for ReportError {}

/// Render a report in one format.
pub fn render(report: &Report, format: Format, opts: &Options) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Pdf => pdf::render(report, &doc::build(report), opts)?,
        Format::Markdown => markdown::render(&doc::build(report)).into_bytes(),
        Format::Html => html::render(&doc::build(report)).into_bytes(),
        Format::Csv => csv::render(report, !opts.no_bom),
        Format::Json => json::render(report)
            .map_err(ReportError::Json)?
            .into_bytes(),
    })
}

/// A file-name-safe form of a workload name: ASCII letters and digits in
/// lower case, other runs collapsed to '-'. Non-ASCII names (Japanese
/// workload names) fall back to "review".
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() { "review".into() } else { out }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slug_is_file_name_safe() {
        assert_eq!(slug("Payments API (prod)"), "payments-api-prod");
        assert_eq!(slug("決済基盤"), "review");
        assert_eq!(slug("../etc/passwd"), "etc-passwd");
    }
}
