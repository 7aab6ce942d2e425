//! wasec: AWS Well-Architected Security pillar reviews in the terminal.
//!
//! The crates under `crates/` hold the parts (question bank and scoring in
//! `wasec-core`, the TUI, reports, evidence collection and WA Tool sync);
//! this crate is the `wasec` command line over them.

pub mod cli;

pub use wasec_core::*;
