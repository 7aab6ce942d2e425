//! A writer killed at any moment leaves the review file intact: either the
//! old or the new version, never a torn one.

#![cfg(unix)]

use std::process::{Command, Stdio};
use std::time::Duration;
use wasec_core::Bank;
use wasec_core::review;

#[test]
fn killing_writers_mid_save_never_corrupts_the_file() {
    let bin = env!("CARGO_BIN_EXE_wasec");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("r.yaml");
    let f = file.to_str().unwrap();
    let ok = Command::new(bin)
        .args(["new", f, "--workload", "crash test"])
        .status()
        .unwrap();
    assert!(ok.success());
    let bank = Bank::embedded().unwrap();
    let bps = ["SEC01-BP01", "SEC01-BP02", "SEC01-BP03"];
    let mut killed = 0;
    for i in 0..40u64 {
        let select = bps[(i % 3) as usize];
        let mut child = Command::new(bin)
            .args([
                "answer",
                f,
                "SEC01",
                "--select",
                select,
                "--notes",
                &"x".repeat(2000 + i as usize),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Spread the kill over the process's life (start-up, load, save).
        std::thread::sleep(Duration::from_micros((i * 397) % 12_000));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let r = review::load(&file, &bank)
            .unwrap_or_else(|e| panic!("iteration {i}: file corrupted: {e}"));
        if let Some(a) = r.answer("SEC01") {
            assert_eq!(
                a.selected.len(),
                1,
                "iteration {i}: a save is all or nothing"
            );
        }
    }
    assert!(
        killed > 5,
        "only {killed} of 40 writers were killed while running"
    );
}
