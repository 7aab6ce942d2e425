//! wasec <-> AWS Well-Architected Tool.
//!
//! * [`push`]: write a review into a workload with a three-way merge
//!   ([`merge`]) against the base of the last sync, so work done in the
//!   Tool is never undone; checks everything before the first write.
//! * [`pull`]: read a workload (or a milestone) into a new review, with the
//!   Tool's lens version, risks and improvement items.
//! * [`lens`]: export the question bank as a custom lens JSON.
//! * [`mapping`], [`facets`], [`notes`], [`meta`]: the pure rules between a
//!   review and the Tool's answers and workload fields.
//! * [`policy`]: the IAM actions pull and push call.
//!
//! SDK types stay inside [`client`]; the front end sees plain types. The
//! test double of the Tool lives in the dev-only `wasec-testkit` crate.

pub mod client;
pub mod error;
pub mod facets;
pub mod lens;
pub mod mapping;
pub mod merge;
pub mod meta;
pub mod notes;
pub mod plan;
pub mod policy;
pub mod pull;
pub mod push;
pub mod resolve;
pub mod text;
pub mod view;

pub use client::{ConnectOptions, WaClient};
pub use error::{ApiFailure, Error};
pub use merge::Prefer;
use sha2::{Digest, Sha256};
use std::io::Write;
use wasec_core::Lang;

/// Where progress and warnings go (stdout and stderr in the CLI).
pub struct Out<'a> {
    pub out: &'a mut dyn Write,
    pub err: &'a mut dyn Write,
    pub warnings: usize,
    pub lang: Lang,
}

impl<'a> Out<'a> {
    pub fn new(out: &'a mut dyn Write, err: &'a mut dyn Write) -> Out<'a> {
        Out {
            out,
            err,
            warnings: 0,
            lang: Lang::En,
        }
    }

    pub fn with_lang(mut self, lang: Lang) -> Out<'a> {
        self.lang = lang;
        self
    }

    pub fn line(&mut self, s: String) {
        let _ = writeln!(self.out, "{s}");
    }

    pub fn text(&mut self, s: String) {
        let _ = write!(self.out, "{s}");
    }

    pub fn warn(&mut self, s: String) {
        self.warnings += 1;
        let _ = writeln!(self.err, "warning: {s}");
    }
}

/// A deterministic idempotency token: the same logical request always
/// sends the same token, so a retried push does not create duplicates.
pub fn token(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    h.update(b"wasec-watool/v1");
    for p in parts {
        h.update([0u8]);
        h.update(p.as_bytes());
    }
    let digest = h.finalize();
    digest.iter().take(24).map(|b| format!("{b:02x}")).collect()
}

/// The console page of a workload.
pub fn console_url(region: &str, workload_id: &str) -> String {
    format!(
        "https://console.aws.amazon.com/wellarchitected/home?region={region}#/workload/{workload_id}/overview"
    )
}

/// Run async work from synchronous code (the CLI has no runtime of its own).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts")
        .block_on(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_stable_and_distinct() {
        let a = token(&["milestone", "w1", "Q4"]);
        assert_eq!(a, token(&["milestone", "w1", "Q4"]));
        assert_ne!(a, token(&["milestone", "w1", "Q5"]));
        // Field boundaries matter: ("ab","c") differs from ("a","bc").
        assert_ne!(token(&["ab", "c"]), token(&["a", "bc"]));
        assert_eq!(a.len(), 48);
    }
}
