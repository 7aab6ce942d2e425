//! End-to-end tests of the terminal UI: the real `wasec` binary runs in a
//! pseudo-terminal, gets real key presses, and the review file on disk is
//! checked afterwards. Few tests, generous timeouts (CI has 2 cores).

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::num::NonZeroU16;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasec_core::Bank;

const WAIT: Duration = Duration::from_secs(60);

struct Tui {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    // Keeps the pty open while the child runs.
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Tui {
    fn spawn(dir: &Path, args: &[&str]) -> Tui {
        Tui::spawn_env(dir, args, &[])
    }

    fn spawn_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Tui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 40,
                cols: 120,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_wasec"));
        cmd.args(args);
        cmd.cwd(dir);
        cmd.env("TERM", "xterm-256color");
        cmd.env("WASEC_LANG", "en");
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn wasec");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(
            NonZeroU16::new(40).unwrap(),
            NonZeroU16::new(120).unwrap(),
            0,
        )));
        let s2 = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                s2.lock().unwrap().process(&buf[..n]);
            }
        });
        Tui {
            child,
            writer,
            screen,
            _master: pair.master,
        }
    }

    fn contents(&self) -> String {
        self.screen.lock().unwrap().screen().contents()
    }

    /// Wait until the screen shows `text`; panic with the screen if not.
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "timed out waiting for {text:?}; screen:\n{}",
            self.contents()
        );
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        // Let each batch be read on its own, so a lone Esc is a key press
        // and not the start of an escape sequence.
        std::thread::sleep(Duration::from_millis(300));
    }

    /// Resize the pseudo-terminal (the program gets SIGWINCH).
    fn resize(&mut self, rows: u16, cols: u16) {
        self.screen.lock().unwrap().set_size(
            NonZeroU16::new(rows).unwrap(),
            NonZeroU16::new(cols).unwrap(),
        );
        self._master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("wasec did not exit; screen:\n{}", self.contents());
    }
}

/// A failed test must not leave a UI running behind it.
impl Drop for Tui {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn new_review(dir: &Path) -> std::path::PathBuf {
    let path = dir.join("shop.yaml");
    let out = Command::new(env!("CARGO_BIN_EXE_wasec"))
        .args(["new", "shop.yaml", "--workload", "Shop"])
        .current_dir(dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    path
}

/// A new review opened in the UI, ready for keys. The directory lives as
/// long as the returned guard.
fn open_new_review() -> (tempfile::TempDir, std::path::PathBuf, Tui) {
    let dir = tempfile::tempdir().unwrap();
    let path = new_review(dir.path());
    let tui = Tui::spawn(dir.path(), &["review", "shop.yaml"]);
    tui.wait_for("Questions 0/11");
    (dir, path, tui)
}

#[test]
fn answer_a_question_with_keys_and_find_it_on_disk() {
    let (_dir, path, mut tui) = open_new_review();
    // SEC01: BP01 in place, BP02 not applicable (first reason), notes in Japanese.
    tui.send(" ");
    tui.wait_for("saved ");
    tui.send("j");
    tui.send("n");
    tui.wait_for("not applicable because");
    tui.send("\r");
    tui.send("e");
    tui.wait_for("Notes SEC01");
    tui.send("ルート MFA 済み");
    tui.send("\x13");
    tui.wait_for("notes: ルート");
    tui.send("q");
    let status = tui.wait_exit();
    assert!(status.success(), "exit status {status:?}");

    let bank = Bank::embedded().unwrap();
    let review = wasec_core::review::load(&path, &bank).expect("the review file parses");
    let a = review.answer("SEC01").expect("SEC01 answered");
    assert_eq!(a.selected, vec!["SEC01-BP01"]);
    assert_eq!(
        a.not_applicable.get("SEC01-BP02"),
        Some(&wasec_core::review::NaReason::OutOfScope)
    );
    assert_eq!(a.notes, "ルート MFA 済み");
}

#[test]
fn follow_ups_and_bp_notes_by_keyboard() {
    let (_dir, path, mut tui) = open_new_review();
    // A note on SEC01-BP01.
    tui.send("E");
    tui.wait_for("Notes SEC01-BP01");
    tui.send("owner: CCoE");
    tui.send("\x13");
    tui.wait_for("owner: CCoE");
    // Two follow-ups through the list: add, add, then the first one's
    // status moves on twice (done), and the second is deleted.
    tui.send("A");
    tui.wait_for("none yet");
    for (text, owner) in [("Enable SCPs", "platform"), ("Write runbook", "sec")] {
        tui.send("a");
        tui.wait_for("Due (YYYY-MM-DD)");
        tui.send(text);
        tui.send("\t");
        tui.send(owner);
        tui.send("\t");
        tui.send("2027-01-31");
        tui.send("\r");
        tui.wait_for(text);
    }
    tui.send("k");
    tui.send("s");
    tui.send("s");
    tui.wait_for("[Done] Enable SCPs");
    tui.send("j");
    tui.send("D");
    tui.send("\x1b");
    tui.send("q");
    assert!(tui.wait_exit().success());

    let bank = Bank::embedded().unwrap();
    let review = wasec_core::review::load(&path, &bank).expect("the review file parses");
    assert_eq!(
        review.answer("SEC01").unwrap().bp_notes["SEC01-BP01"],
        "owner: CCoE"
    );
    let list = &review.follow_ups["SEC01-BP01"];
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0].text, "Enable SCPs");
    assert_eq!(list[0].owner, "platform");
    assert_eq!(list[0].status, wasec_core::review::ActionStatus::Done);
    assert_eq!(list[0].due.unwrap().to_string(), "2027-01-31");
}

/// `kill` or a closed terminal window: the UI ends like `q`, the terminal
/// is given back and the change is on disk.
fn signal_quits_cleanly_and_keeps_the_change(signal: &str) {
    let (_dir, path, mut tui) = open_new_review();
    tui.send(" ");
    tui.wait_for("saved ");
    let pid = tui.child.process_id().expect("pid");
    let sent = Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    assert!(tui.wait_exit().success(), "{signal} ends the UI like q");
    std::thread::sleep(Duration::from_millis(200));
    let parser = tui.screen.lock().unwrap();
    assert!(!parser.screen().alternate_screen(), "terminal given back");
    assert!(!parser.screen().hide_cursor(), "cursor shown again");
    drop(parser);
    let bank = Bank::embedded().unwrap();
    let review = wasec_core::review::load(&path, &bank).unwrap();
    assert_eq!(review.answer("SEC01").unwrap().selected, ["SEC01-BP01"]);
    wasec_core::review::ReviewFile::open(&path, &bank).expect("lock released");
}

#[test]
fn sigterm_quits_cleanly_and_keeps_the_change() {
    signal_quits_cleanly_and_keeps_the_change("-TERM");
}

#[test]
fn sighup_quits_cleanly_and_keeps_the_change() {
    signal_quits_cleanly_and_keeps_the_change("-HUP");
}

#[test]
fn sigkill_right_after_a_change_leaves_an_intact_file() {
    let (_dir, path, mut tui) = open_new_review();
    tui.send(" ");
    tui.wait_for("saved ");
    // Six more changes in one burst, and SIGKILL while they are being
    // saved (each change is one atomic save).
    tui.writer.write_all("j ".repeat(6).as_bytes()).unwrap();
    tui.writer.flush().unwrap();
    std::thread::sleep(Duration::from_millis(5));
    let pid = tui.child.process_id().expect("pid");
    let killed = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    tui.wait_exit();

    let bank = Bank::embedded().unwrap();
    let review = wasec_core::review::load(&path, &bank).expect("the file is intact after SIGKILL");
    let selected = &review
        .answer("SEC01")
        .expect("the first change was saved")
        .selected;
    eprintln!("{} of 7 changes were on disk at SIGKILL", selected.len());
    // Whatever was saved last is a whole state: BP01..BPn, in order.
    let expected: Vec<String> = bank.questions()[0].best_practices[..selected.len()]
        .iter()
        .map(|b| b.id.clone())
        .collect();
    assert!(
        !selected.is_empty() && *selected == expected,
        "unexpected answers {selected:?}"
    );
    // The lock died with the process: the file opens for writing again.
    wasec_core::review::ReviewFile::open(&path, &bank).expect("lock released");
}

#[test]
fn demo_is_interactive_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(dir.path(), &["demo"]);
    tui.wait_for("not saved (demo)");
    // Space flips the first BP of SEC01, whatever the demo says about it.
    let flipped = if tui.contents().contains("[x] BP01") {
        "[ ] BP01"
    } else {
        "[x] BP01"
    };
    tui.send(" ");
    tui.wait_for(flipped);
    // A tiny terminal gets a message, and the layout comes back after.
    tui.resize(10, 40);
    tui.wait_for("Terminal too small");
    tui.resize(24, 80);
    tui.wait_for("Questions");
    // Ctrl-C quits cleanly and gives the terminal back.
    assert!(tui.screen.lock().unwrap().screen().alternate_screen());
    tui.send("\x03");
    assert!(tui.wait_exit().success());
    std::thread::sleep(Duration::from_millis(200));
    let parser = tui.screen.lock().unwrap();
    assert!(
        !parser.screen().alternate_screen(),
        "left the alternate screen"
    );
    assert!(!parser.screen().hide_cursor(), "cursor shown again");
    drop(parser);
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "the demo wrote {left:?}");
}

#[test]
fn a_panic_gives_the_terminal_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn_env(dir.path(), &["demo"], &[("WASEC_TUI_TEST_PANIC", "1")]);
    let status = tui.wait_exit();
    assert!(!status.success());
    std::thread::sleep(Duration::from_millis(200));
    let parser = tui.screen.lock().unwrap();
    let screen = parser.screen();
    assert!(!screen.alternate_screen(), "still on the alternate screen");
    assert!(!screen.hide_cursor(), "cursor still hidden");
    assert!(
        screen.contents().contains("deliberate panic"),
        "{}",
        screen.contents()
    );
}

#[test]
fn a_hand_edit_while_the_ui_is_open_is_not_overwritten() {
    let (dir, path, mut tui) = open_new_review();
    tui.send(" ");
    tui.wait_for("saved ");
    // Someone edits the file by hand meanwhile.
    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("name: Shop", "name: Shop (renamed by hand)");
    std::fs::write(&path, &edited).unwrap();
    tui.send("j ");
    tui.wait_for("The file changed on disk");
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        edited,
        "not overwritten"
    );
    // Keep mine: our answers win, theirs stays in the backup.
    tui.send("m");
    tui.wait_for("saved ");
    tui.send("q");
    assert!(tui.wait_exit().success());
    let bank = Bank::embedded().unwrap();
    let review = wasec_core::review::load(&path, &bank).unwrap();
    assert_eq!(review.answer("SEC01").unwrap().selected.len(), 2);
    let backup = std::fs::read_to_string(dir.path().join("shop.yaml.bak")).unwrap();
    assert!(backup.contains("renamed by hand"), "{backup}");
}

#[test]
fn quit_after_a_failed_save_asks_and_save_as_keeps_the_answers() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("reviews");
    std::fs::create_dir(&sub).unwrap();
    new_review(&sub);
    let mut tui = Tui::spawn(&sub, &["review", "shop.yaml"]);
    tui.wait_for("Questions 0/11");
    // The folder goes away under the UI: every save now fails.
    let moved = dir.path().join("moved");
    std::fs::rename(&sub, &moved).unwrap();
    tui.send(" ");
    tui.wait_for("SAVE FAILED");
    tui.send("q");
    tui.wait_for("Changes are not saved");
    // Save as a file in a folder that exists; the quit completes after it.
    tui.send("a");
    tui.wait_for("Save as");
    let target = dir.path().join("rescued.yaml");
    tui.send("\x15");
    tui.send(target.to_str().unwrap());
    tui.send("\r");
    assert!(tui.wait_exit().success());
    let bank = Bank::embedded().unwrap();
    let review = wasec_core::review::load(&target, &bank).expect("saved elsewhere");
    assert_eq!(review.answer("SEC01").unwrap().selected, ["SEC01-BP01"]);
}

#[test]
fn a_mistyped_file_name_does_not_start_an_empty_review() {
    let dir = tempfile::tempdir().unwrap();
    new_review(dir.path());
    let mut tui = Tui::spawn(dir.path(), &["review", "shop.ymal"]);
    tui.wait_for("did you mean");
    tui.wait_for("[y/N]");
    tui.send("\r");
    let status = tui.wait_exit();
    assert!(!status.success());
    assert!(!dir.path().join("shop.ymal").exists(), "nothing created");
    // --new creates without asking.
    let mut tui = Tui::spawn(dir.path(), &["review", "other.yaml", "--new"]);
    tui.wait_for("Questions 0/11");
    tui.send("q");
    assert!(tui.wait_exit().success());
    assert!(dir.path().join("other.yaml").exists());
}

/// Evidence from the TUI's `c` and from `wasec collect` goes through the
/// same merge: collecting account B (a role assumed into it, on moto) in
/// either front end keeps account A's evidence, and the other way round.
#[cfg(feature = "aws")]
mod collect_two_accounts {
    use super::*;

    const B: &str = "210987654321";

    fn moto() -> String {
        if let Ok(ep) = std::env::var("WASEC_MOTO_ENDPOINT") {
            return ep.trim_end_matches('/').to_string();
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let out = Command::new("bash")
            .arg(root.join("scripts/moto.sh"))
            .args(["start", "--watch", &std::process::id().to_string()])
            .output()
            .expect("run scripts/moto.sh");
        assert!(
            out.status.success(),
            "moto is required for this test and could not be started:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .last()
            .unwrap()
            .trim()
            .to_string()
    }

    const AWS_ENV: &[(&str, &str)] = &[
        ("AWS_ACCESS_KEY_ID", "testing"),
        ("AWS_SECRET_ACCESS_KEY", "testing"),
        ("AWS_REGION", "us-east-1"),
        ("AWS_CONFIG_FILE", "/nonexistent"),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
    ];

    fn role_b() -> String {
        format!("arn:aws:iam::{B}:role/wasec-audit")
    }

    fn cli_collect(dir: &Path, ep: &str, role: Option<&str>) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wasec"));
        cmd.current_dir(dir)
            .args(["collect", "shop.yaml", "--endpoint-url", ep])
            .env_remove("AWS_PROFILE")
            .env_remove("AWS_ENDPOINT_URL");
        if let Some(r) = role {
            cmd.args(["--role-arn", r]);
        }
        for (k, v) in AWS_ENV {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn tui_collect(dir: &Path, ep: &str, role: Option<&str>) {
        let mut args = vec!["review", "shop.yaml", "--endpoint-url", ep];
        if let Some(r) = role {
            args.extend(["--role-arn", r]);
        }
        let mut tui = Tui::spawn_env(dir, &args, AWS_ENV);
        tui.wait_for("Questions");
        tui.send("c");
        tui.wait_for("evidence items collected");
        tui.send("q");
        assert!(tui.wait_exit().success(), "{}", tui.contents());
    }

    fn accounts(path: &Path) -> std::collections::BTreeMap<String, usize> {
        let bank = Bank::embedded().unwrap();
        let review = wasec_core::review::load(path, &bank).unwrap();
        let mut out = std::collections::BTreeMap::new();
        for e in &review.evidence {
            *out.entry(e.account.clone()).or_default() += 1;
        }
        out
    }

    #[test]
    fn a_second_account_keeps_the_first_in_the_tui_and_the_cli() {
        let _moto = crate::moto_lock();
        let ep = moto();
        let dir = tempfile::tempdir().unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_wasec"))
            .current_dir(dir.path())
            .args([
                "new",
                "shop.yaml",
                "--workload",
                "Shop",
                "--regions",
                "us-east-1",
            ])
            .output()
            .unwrap();
        assert!(out.status.success());
        let path = dir.path().join("shop.yaml");
        // A by the CLI, then B by the TUI: A survives.
        cli_collect(dir.path(), &ep, None);
        let a = accounts(&path);
        assert_eq!(a.keys().collect::<Vec<_>>(), ["123456789012"]);
        tui_collect(dir.path(), &ep, Some(&role_b()));
        let both = accounts(&path);
        assert_eq!(both.get("123456789012"), a.get("123456789012"), "{both:?}");
        assert!(both.get(B).is_some_and(|n| *n > 0), "{both:?}");
        // B again by the CLI, then A by the TUI: nothing is lost either way.
        cli_collect(dir.path(), &ep, Some(&role_b()));
        tui_collect(dir.path(), &ep, None);
        assert_eq!(accounts(&path), both);
        let bank = Bank::embedded().unwrap();
        let review = wasec_core::review::load(&path, &bank).unwrap();
        assert_eq!(review.evidence_runs.len(), 4);
        assert_eq!(review.workload.accounts, ["123456789012", B]);
    }
}
