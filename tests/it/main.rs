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

/// One moto server serves every module of this binary, and tests run on
/// threads at once: a test that seeds or collects an account takes this
/// lock so another test's resources never appear in its evidence.
#[cfg(feature = "aws")]
fn moto_lock() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}
