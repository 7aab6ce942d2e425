//! wasec-report's integration tests as one binary (one link instead of three).

mod browser;
mod common;
mod formats;
mod pdf;
