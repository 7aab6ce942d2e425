//! wasec core: the Security pillar question bank, the review file, and
//! scoring. Everything here is plain data and pure functions, apart from
//! reading and atomically writing review files; the CLI, the TUI, reports,
//! evidence collection and WA Tool sync are front ends over it.

pub mod bank;
pub mod bounded;
pub mod catalog;
pub mod demo;
pub mod evidence;
pub mod i18n;
pub mod review;
pub mod scoring;
pub mod yaml;

pub use bank::Bank;
pub use i18n::{Lang, Text};
pub use review::Review;

/// The current time in UTC, truncated to whole seconds (review files do
/// not need nanoseconds, and whole seconds keep diffs readable).
pub fn now() -> time::OffsetDateTime {
    let t = time::OffsetDateTime::now_utc();
    t.replace_nanosecond(0).unwrap_or(t)
}
