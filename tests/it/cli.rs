//! The `wasec` command line end to end: the interfaces scripts and CI use.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn wasec() -> Command {
    let mut cmd = Command::cargo_bin("wasec").unwrap();
    cmd.env("LANG", "en_US.UTF-8")
        .env_remove("WASEC_LANG")
        .env_remove("WASEC_QUESTIONS");
    cmd
}

fn new_review(dir: &Path) -> PathBuf {
    let path = dir.join("review.yaml");
    wasec()
        .args([
            "new",
            path.to_str().unwrap(),
            "--workload",
            "Payments API",
            "--owner",
            "sec-lead",
        ])
        .args(["--accounts", "111122223333", "--regions", "ap-northeast-1"])
        .assert()
        .success();
    path
}

fn json(cmd: &mut Command) -> Value {
    json_exit(cmd, 0)
}

/// JSON on stdout of a command that exits with `code` (a failing gate: 1).
fn json_exit(cmd: &mut Command, code: i32) -> Value {
    let out = cmd.assert().code(code).get_output().stdout.clone();
    serde_json::from_slice(&out).expect("valid JSON")
}

#[test]
fn questions_list_json_has_all_63_bps_with_both_languages() {
    let v = json(wasec().args(["questions", "list", "--json"]));
    assert_eq!(v["best_practice_count"], 63);
    assert_eq!(v["framework_version"], "2024-06-27");
    let qs = v["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 11);
    let bps: Vec<&Value> = qs
        .iter()
        .flat_map(|q| q["best_practices"].as_array().unwrap())
        .collect();
    assert_eq!(bps.len(), 63);
    for bp in bps {
        assert!(!bp["title"]["en"].as_str().unwrap().is_empty());
        assert!(!bp["title"]["ja"].as_str().unwrap().is_empty());
        assert!(bp["wa_choice_id"].as_str().unwrap().starts_with("sec_"));
        assert!(["High", "Medium", "Low"].contains(&bp["risk"].as_str().unwrap()));
    }
    let sec01 = &qs[0];
    assert_eq!(
        sec01["best_practices"][1]["wa_choice_id"],
        "sec_securely_operate_aws_account"
    );
    assert_eq!(sec01["none_of_these_choice_id"], "sec_securely_operate_no");
}

#[test]
fn questions_show_in_japanese() {
    wasec()
        .args(["--lang", "ja", "questions", "show", "SEC01-BP02"])
        .assert()
        .success()
        .stdout(predicate::str::contains("改善方法"))
        .stdout(predicate::str::contains("IAM.9"));
    wasec()
        .args(["questions", "show", "SEC99-BP01"])
        .assert()
        .code(2);
}

#[test]
fn questions_validate_reports_position_of_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("team.yaml"),
        "id: ACME01\nwa_question_id: [\n",
    )
    .unwrap();
    wasec()
        .args(["questions", "validate", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("team.yaml:"));
    wasec()
        .args(["questions", "validate"])
        .assert()
        .success()
        .stdout(predicate::str::contains("63 best practices"));
}

#[test]
fn answer_then_score_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let f = file.to_str().unwrap();
    wasec()
        .args([
            "answer",
            f,
            "SEC09",
            "--select",
            "SEC09-BP01,SEC09-BP02",
            "--na",
            "SEC09-BP03=architecture_constraints",
        ])
        .args(["--notes", "TLS everywhere"])
        .assert()
        .success()
        .stdout(predicate::str::contains("SEC09: No risk"));
    wasec()
        .args(["answer", f, "SEC07", "--none"])
        .assert()
        .success();
    wasec()
        .args(["answer", f, "SEC11", "--question-na", "out_of_scope"])
        .assert()
        .success();

    let v = json(wasec().args(["score", f, "--json"]));
    assert_eq!(v["counts"]["none"], 1);
    assert_eq!(v["counts"]["high"], 1);
    assert_eq!(v["counts"]["not_applicable"], 1);
    assert_eq!(v["counts"]["unanswered"], 8);
    assert_eq!(v["counts"]["medium"], 0);
    let q = v["questions"].as_array().unwrap();
    assert_eq!(q.len(), 11);
    assert_eq!(q[8]["id"], "SEC09");
    assert_eq!(q[8]["risk"], "none");
    assert_eq!(q[8]["score"], 100.0);
    assert_eq!(q[10]["risk"], "not_applicable");
    assert!(v["score"].as_f64().unwrap() > 0.0);
}

#[test]
fn bad_answers_are_refused_and_the_file_is_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let before = std::fs::read_to_string(&file).unwrap();
    let f = file.to_str().unwrap();
    wasec()
        .args(["answer", f, "SEC01", "--select", "SEC02-BP01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not belong to SEC01"));
    wasec()
        .args(["answer", f, "SEC01", "--na", "SEC01-BP01=because"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown reason"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
}

#[test]
fn check_gate_exit_codes_and_junit() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let f = file.to_str().unwrap();
    // Unanswered questions fail a pre-go-live gate ...
    wasec()
        .args(["check", f])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Unanswered"));
    // ... and a review with nothing answered fails even when they are allowed.
    wasec()
        .args(["check", f, "--allow-unanswered"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("nothing is answered"));
    // SEC04 with only BP01 selected is medium risk.
    wasec()
        .args(["answer", f, "SEC04", "--select", "SEC04-BP01"])
        .assert()
        .success();
    wasec()
        .args(["check", f, "--allow-unanswered", "--fail-on", "high"])
        .assert()
        .code(0);
    let junit = dir.path().join("junit.xml");
    wasec()
        .args([
            "check",
            f,
            "--allow-unanswered",
            "--fail-on",
            "medium",
            "--junit",
            junit.to_str().unwrap(),
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("SEC04"));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("tests=\"11\""), "{xml}");
    assert!(xml.contains("failures=\"1\""), "{xml}");
    assert!(xml.contains("SEC04  Medium risk"), "{xml}");
    // Missing file: 2.
    wasec()
        .args(["check", dir.path().join("nope.yaml").to_str().unwrap()])
        .assert()
        .code(2);
}

/// The demo review with every best practice ticked, written to `dir`.
fn demo_all_ticked(dir: &Path) -> PathBuf {
    let path = dir.join("ticked.yaml");
    wasec()
        .args(["demo", "--export", path.to_str().unwrap()])
        .assert()
        .success();
    let f = path.to_str().unwrap();
    let bank = json(wasec().args(["questions", "list", "--json"]));
    for q in bank["questions"].as_array().unwrap() {
        let all: Vec<&str> = q["best_practices"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["id"].as_str().unwrap())
            .collect();
        wasec()
            .args(["answer", f, q["id"].as_str().unwrap(), "--select"])
            .arg(all.join(","))
            .assert()
            .success();
    }
    path
}

#[test]
fn ticking_every_box_does_not_fool_the_gate() {
    let dir = tempfile::tempdir().unwrap();
    let file = demo_all_ticked(dir.path());
    let f = file.to_str().unwrap();
    // The evidence fails under selected BPs: the gate fails ...
    wasec()
        .args(["check", f, "--fail-on", "medium"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("evidence-adjusted"))
        .stdout(predicate::str::contains("SEC05"));
    wasec()
        .args(["check", f, "--fail-on-priority", "critical"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("SEC05-BP02"));
    // ... while the declared view (the WA Tool's rule) believes the boxes.
    wasec()
        .args(["check", f, "--fail-on", "medium", "--declared-only"])
        .assert()
        .code(0);
    let v = json_exit(wasec().args(["check", f, "--json", "--min-score", "95"]), 1);
    assert_eq!(v["pass"], false);
    assert_eq!(v["view"], "evidence_adjusted");
    assert_eq!(v["declared_score"], 100.0);
    assert!(v["evidence_adjusted_score"].as_f64().unwrap() < 95.0, "{v}");
    assert!(
        v["failures"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "min_score"),
        "{v}"
    );
    // score --json carries both views; the top level stays the declared one.
    let s = json(wasec().args(["score", f, "--json"]));
    assert_eq!(s["score"], 100.0);
    assert_eq!(s["declared"]["score"], 100.0);
    assert!(s["evidence_adjusted"]["score"].as_f64().unwrap() < 100.0);
    assert!(s["evidence_adjusted"]["counts"]["high"].as_u64().unwrap() >= 1);
}

#[test]
fn hollow_reviews_do_not_pass() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let f = file.to_str().unwrap();
    for q in 1..=11 {
        wasec()
            .args(["answer", f, &format!("SEC{q:02}"), "--question-na", "other"])
            .assert()
            .success();
    }
    // Nothing applies: no score (not 0.0), and the gate fails.
    let s = json(wasec().args(["score", f, "--json"]));
    assert_eq!(s["score"], Value::Null, "{s}");
    wasec()
        .args(["check", f])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("assesses nothing"))
        .stdout(predicate::str::contains("without a written reason"));
    // A reason written down clears the n/a warning; --strict fails without one.
    wasec()
        .args(["answer", f, "SEC11", "--question-na", "out_of_scope"])
        .args(["--notes", "No code is built for this workload."])
        .assert()
        .success();
    wasec()
        .args([
            "answer",
            f,
            "SEC04",
            "--select",
            "SEC04-BP01,SEC04-BP02,SEC04-BP03,SEC04-BP04",
        ])
        .assert()
        .success();
    let strict = json_exit(wasec().args(["check", f, "--strict", "--json"]), 1);
    let failing: Vec<String> = strict["failures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "unexplained_not_applicable")
        .map(|r| r["question"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(failing.len(), 9, "{strict}");
    assert!(!failing.contains(&"SEC11".to_string()));
    wasec().args(["check", f]).assert().code(0);
}

/// Run `wasec ARGS` under bash with a shell suffix (a pipe, a closed fd)
/// and return the exit status of wasec itself and its stderr.
fn in_shell(args: &str, suffix: &str) -> (i32, String) {
    let bin = assert_cmd::cargo::cargo_bin("wasec");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!("\"$0\" {args} {suffix}; exit ${{PIPESTATUS[0]}}"))
        .arg(&bin)
        .env("LANG", "en_US.UTF-8")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_exit_code_is_the_verdict_whatever_happens_to_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let f = file.to_str().unwrap();
    // A failing gate whose reader goes away at once still fails.
    let (code, err) = in_shell(&format!("check {f} --fail-on high"), "| true");
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // An error with stderr closed is still exit 2, not a panic (101).
    let (code, _) = in_shell(&format!("check {f}.missing"), "2>&-");
    assert_eq!(code, 2);
    let (code, _) = in_shell(&format!("check {f} --json"), "2>&- | true");
    assert_eq!(code, 1);
    // Long output into a closed pipe: quiet, success.
    let (code, err) = in_shell("completions bash", "| head -1 >/dev/null");
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
    let (code, err) = in_shell("demo --print", "| head -1 >/dev/null");
    assert_eq!(code, 0, "{err}");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn diff_and_milestone() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let f = file.to_str().unwrap();
    let old = dir.path().join("old.yaml");
    std::fs::copy(&file, &old).unwrap();
    wasec()
        .args(["answer", f, "SEC02", "--select", "SEC02-BP01"])
        .assert()
        .success();
    wasec()
        .args(["diff", old.to_str().unwrap(), f])
        .assert()
        .success()
        .stdout(predicate::str::contains("SEC02  Unanswered -> High risk"))
        .stdout(predicate::str::contains("+ SEC02-BP01"));
    wasec()
        .args(["milestone", f, "before go-live"])
        .assert()
        .success();
    wasec()
        .args(["milestone", f, "before go-live"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists"));
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("name: before go-live"));
}

#[test]
fn demo_prints_score_and_plan_without_aws() {
    wasec()
        .args(["demo", "--print"])
        .env("AWS_ACCESS_KEY_ID", "")
        .assert()
        .success()
        .stdout(predicate::str::contains("Storefront checkout"))
        .stdout(predicate::str::contains("SEC05-BP02"))
        .stdout(predicate::str::contains("contradiction"));
    wasec()
        .args(["--lang", "ja", "demo", "--print"])
        .assert()
        .success()
        .stdout(predicate::str::contains("改善計画"));
}

#[test]
fn plan_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.yaml");
    wasec()
        .args(["demo", "--export", demo.to_str().unwrap()])
        .assert()
        .success();
    let d = demo.to_str().unwrap();
    let v = json(wasec().args(["plan", d, "--json"]));
    let items = v.as_array().unwrap();
    assert_eq!(items[0]["rank"], 1);
    assert_eq!(items[0]["priority"], "critical");
    assert_eq!(items[0]["bp_id"], "SEC05-BP02");
    assert_eq!(items[0]["kind"], "contradiction");
    wasec()
        .args(["plan", d, "--markdown"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("| # | Priority | BP |"));
}

#[test]
fn a_second_writer_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let bank = wasec_core::Bank::embedded().unwrap();
    let _held = wasec_core::review::ReviewFile::open(&file, &bank).unwrap();
    wasec()
        .args(["answer", file.to_str().unwrap(), "SEC01", "--none"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "open for writing by another wasec process",
        ));
}

#[test]
fn newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let text = std::fs::read_to_string(&file)
        .unwrap()
        .replace("schema_version: 2", "schema_version: 7");
    std::fs::write(&file, &text).unwrap();
    wasec()
        .args(["answer", file.to_str().unwrap(), "SEC01", "--none"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("newer wasec"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text);
}

#[test]
fn help_and_completions() {
    wasec()
        .arg("--help")
        .assert()
        .success()
        .stdout(predicate::str::contains("demo"));
    for cmd in [
        "new",
        "answer",
        "score",
        "plan",
        "check",
        "diff",
        "milestone",
        "questions",
        "demo",
    ] {
        wasec().args([cmd, "--help"]).assert().success();
    }
    wasec()
        .args(["completions", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains("wasec"));
}

#[cfg(feature = "aws")]
#[test]
fn questions_validate_rejects_checks_that_do_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let text = r#"id: ACME01
wa_question_id: acme-pci
none_of_these_choice_id: acme_pci_no
none_of_these_confidence: high
area: { en: "Payments", ja: "決済" }
title: { en: "How do you keep card data out of scope?", ja: "カード情報をどう扱いますか？" }
description: { en: "Team question.", ja: "チームの質問です。" }
best_practices:
  - id: ACME01-BP01
    title: { en: "Tokenise card data", ja: "カード情報をトークン化する" }
    url: { en: "https://docs.aws.amazon.com/whitepapers/latest/pci-dss-scoping-on-aws/tokenization.html", ja: "https://docs.aws.amazon.com/ja_jp/whitepapers/latest/pci-dss-scoping-on-aws/tokenization.html" }
    risk: High
    wa_choice_id: acme_pci_tokenise
    wa_choice_id_confidence: high
    automation: partial
    good: { en: "Only tokens are stored.", ja: "トークンのみを保存します。" }
    improve: { en: ["Use the provider's vault."], ja: ["決済代行のボールトを使います。"] }
    checks: [iam.root_mfa, pci.card_vault_used]
"#;
    std::fs::write(dir.path().join("acme01.yaml"), text).unwrap();
    wasec()
        .args(["questions", "validate", dir.path().to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "ACME01-BP01 lists check pci.card_vault_used, which is not implemented",
        ))
        .stderr(predicate::str::contains("iam.root_mfa").not());
}

/// Stdout of a successful command, trimmed.
fn stdout(cmd: &mut Command) -> String {
    let out = cmd.assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap().trim().to_string()
}

#[test]
fn follow_ups_from_a_script_add_list_set_remove() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let f = file.to_str().unwrap();
    let one = stdout(
        wasec()
            .args(["follow-up", "add", f, "sec02-bp05", "Rotate CI keys"])
            .args(["--owner", "platform", "--due", "2027-01-31"]),
    );
    let two = stdout(wasec().args(["follow-up", "add", f, "SEC02-BP05", "Drop ci-legacy keys"]));
    let three = stdout(wasec().args(["follow-up", "add", f, "SEC02-BP05", "Audit key use"]));
    assert!(
        one.len() >= 4 && one != two && two != three,
        "{one} {two} {three}"
    );
    wasec()
        .args(["follow-up", "set", f, &one, "--status", "done"])
        .args(["--due", ""])
        .assert()
        .success();
    // Removing the same id twice removes one action, then refuses: ids do
    // not shift the way positions did.
    wasec()
        .args(["follow-up", "remove", f, &two])
        .assert()
        .success();
    wasec()
        .args(["follow-up", "remove", f, &two])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "no follow-up action has the id '{two}'"
        )));
    let v = json(wasec().args(["follow-up", "list", f, "--json"]));
    assert_eq!(
        v,
        serde_json::json!([
            {
                "id": one, "bp": "SEC02-BP05", "text": "Rotate CI keys",
                "owner": "platform", "due": null, "status": "done", "overdue": false
            },
            {
                "id": three, "bp": "SEC02-BP05", "text": "Audit key use",
                "owner": "", "due": null, "status": "open", "overdue": false
            }
        ])
    );
    let text = stdout(wasec().args(["follow-up", "list", f]));
    assert!(text.starts_with(&one), "{text}");
    // The plan reads the same data: the owner shows up on the BP's item.
    wasec()
        .args(["answer", f, "SEC02", "--none"])
        .assert()
        .success();
    let plan = json(wasec().args(["plan", f, "--json"]));
    let item = plan
        .as_array()
        .or_else(|| plan["items"].as_array())
        .expect("plan items")
        .iter()
        .find(|i| i["bp"] == "SEC02-BP05" || i["bp_id"] == "SEC02-BP05")
        .cloned()
        .unwrap_or_else(|| panic!("no SEC02-BP05 item in {plan}"));
    assert!(item.to_string().contains("platform"), "{item}");
}

#[test]
fn follow_up_mistakes_are_usage_errors_and_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let f = file.to_str().unwrap();
    let before = std::fs::read(&file).unwrap();
    for (args, msg) in [
        (
            vec!["set", f, "beef", "--status", "done"],
            "no follow-up action has the id 'beef'",
        ),
        (vec!["remove", f, "SEC02-BP05"], "named by id now"),
        (vec!["add", f, "SEC99-BP01", "x"], "unknown best practice"),
        (
            vec!["add", f, "SEC02-BP05", "x", "--due", "2027-13-01"],
            "YYYY-MM-DD",
        ),
        (
            vec!["add", f, "SEC02-BP05", "x", "--status", "later"],
            "unknown status",
        ),
        (
            vec!["add", f, "SEC02-BP05", "  "],
            "the action text is empty",
        ),
    ] {
        wasec()
            .arg("follow-up")
            .args(&args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(msg));
    }
    assert_eq!(
        std::fs::read(&file).unwrap(),
        before,
        "the file is untouched"
    );
}

#[test]
fn diff_shows_notes_follow_ups_and_exits_non_zero_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let old = new_review(dir.path());
    let new = dir.path().join("new.yaml");
    std::fs::copy(&old, &new).unwrap();
    let (o, n) = (old.to_str().unwrap(), new.to_str().unwrap());
    wasec().args(["diff", o, n, "--exit-code"]).assert().code(0);
    wasec()
        .args(["answer", n, "SEC01", "--notes", "Control objectives agreed"])
        .args(["--bp-note", "SEC01-BP03=Written down in the ISMS"])
        .assert()
        .success();
    wasec()
        .args(["follow-up", "add", n, "SEC01-BP07", "Threat model workshop"])
        .assert()
        .success();
    // Only notes and follow-ups changed: no risk moved, still a change.
    wasec()
        .args(["diff", o, n, "--exit-code"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("Control objectives agreed"))
        .stdout(predicate::str::contains("SEC01-BP03"))
        .stdout(predicate::str::contains("Threat model workshop"))
        .stdout(predicate::str::contains("no change").not());
    // Without --exit-code a diff is not an error.
    wasec().args(["diff", o, n]).assert().code(0);
}

#[test]
fn answer_sets_and_clears_bp_notes() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let f = file.to_str().unwrap();
    wasec()
        .args([
            "answer",
            f,
            "SEC02",
            "--bp-note",
            "SEC02-BP05=two CI users hold keys",
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("SEC02-BP05: two CI users hold keys"),
        "{text}"
    );
    wasec()
        .args(["answer", f, "SEC02", "--bp-note", "SEC03-BP01=x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("does not belong to SEC02"));
    wasec()
        .args(["answer", f, "SEC02", "--bp-note", "SEC02-BP05="])
        .assert()
        .success();
    assert!(!std::fs::read_to_string(&file).unwrap().contains("bp_notes"));
}

/// `wasec questions list --json | head -c 10`: the reader goes away early;
/// wasec stops quietly instead of panicking on the closed pipe.
#[test]
fn a_closed_stdout_pipe_is_a_quiet_exit() {
    use std::io::Read;
    use std::process::Stdio;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("wasec"))
        .args(["questions", "list", "--json"])
        .env_remove("WASEC_LANG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The stdout handle is dropped here: the pipe's read end closes while
    // wasec still has most of ~100 KB to write.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{:?} {stderr}", out.status);
}

#[test]
fn per_account_gate_and_merging_shard_files() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo.yaml");
    wasec()
        .args(["demo", "--export", demo.to_str().unwrap()])
        .assert()
        .success();
    // A fresh review takes the demo's evidence (one shard's output).
    let target = new_review(dir.path());
    let t = target.to_str().unwrap();
    let merged = json(wasec().args(["merge", t, demo.to_str().unwrap(), "--json"]));
    let accounts: Vec<&str> = merged
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["account"].as_str().unwrap())
        .collect();
    assert!(accounts.contains(&"111122223333"), "{merged}");
    assert!(
        merged
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["taken"] == true)
    );
    let score = json(wasec().args(["score", t, "--json"]));
    assert_eq!(
        score["questions"][0]["risk"], "unanswered",
        "answers untouched"
    );
    // Merging the same file again is harmless: same collection, same file.
    let before = std::fs::read_to_string(&target).unwrap();
    wasec()
        .args(["merge", t, demo.to_str().unwrap()])
        .assert()
        .success();
    let after = std::fs::read_to_string(&target).unwrap();
    let strip = |s: &str| {
        s.lines()
            .filter(|l| !l.contains("updated:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(strip(&before), strip(&after));
    // Per account: every account with evidence gets its own verdict.
    let v = json_exit(
        wasec().args(["check", demo.to_str().unwrap(), "--per-account", "--json"]),
        1,
    );
    let per: Vec<&Value> = v["accounts"].as_array().unwrap().iter().collect();
    assert!(!per.is_empty());
    assert_eq!(v["pass"], per.iter().all(|a| a["pass"] == true));
    assert!(
        per.iter()
            .all(|a| a["account"].as_str().unwrap().len() == 12)
    );
    // A review without evidence cannot be judged per account.
    wasec()
        .args([
            "check",
            f_of(&new_review_named(dir.path(), "empty.yaml")),
            "--per-account",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no evidence from any account"));
}

fn new_review_named(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    wasec()
        .args(["new", path.to_str().unwrap(), "--workload", "Empty"])
        .assert()
        .success();
    path
}

fn f_of(p: &Path) -> &str {
    p.to_str().unwrap()
}
