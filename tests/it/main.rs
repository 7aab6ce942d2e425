//! The root crate's integration tests, one binary: each file used to be its
//! own test binary linking every dependency, which cost minutes of linking on
//! a cold build. Modules keep the old file names so `cargo test --test it
//! collect_e2e::` selects one group.

mod cli;
mod collect_e2e;
mod crash_safety;
mod report_cli;
mod tui_e2e;
mod watool_e2e;
