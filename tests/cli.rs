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
    let out = cmd.assert().success().get_output().stdout.clone();
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
    // ... unless allowed.
    wasec()
        .args(["check", f, "--allow-unanswered"])
        .assert()
        .code(0);
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
    assert!(xml.contains("tests=\"11\" failures=\"1\""), "{xml}");
    assert!(
        xml.contains("<failure message=\"SEC04 risk: medium\"/>"),
        "{xml}"
    );
    // Missing file: 2.
    wasec()
        .args(["check", dir.path().join("nope.yaml").to_str().unwrap()])
        .assert()
        .code(2);
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
        .replace("schema_version: 1", "schema_version: 7");
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

#[test]
fn follow_ups_from_a_script_add_list_set_remove() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path());
    let f = file.to_str().unwrap();
    wasec()
        .args(["follow-up", "add", f, "sec02-bp05", "Rotate CI keys"])
        .args(["--owner", "platform", "--due", "2027-01-31"])
        .assert()
        .success()
        .stdout("SEC02-BP05 #1\n");
    wasec()
        .args(["follow-up", "add", f, "SEC02-BP05", "Drop ci-legacy keys"])
        .assert()
        .success()
        .stdout("SEC02-BP05 #2\n");
    wasec()
        .args(["follow-up", "set", f, "SEC02-BP05", "1", "--status", "done"])
        .args(["--due", ""])
        .assert()
        .success();
    wasec()
        .args(["follow-up", "remove", f, "SEC02-BP05", "2"])
        .assert()
        .success();
    let v = json(wasec().args(["follow-up", "list", f, "--json"]));
    assert_eq!(
        v,
        serde_json::json!([{
            "bp": "SEC02-BP05", "n": 1, "text": "Rotate CI keys",
            "owner": "platform", "due": null, "status": "done"
        }])
    );
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
            vec!["set", f, "SEC02-BP05", "1", "--status", "done"],
            "SEC02-BP05 has no follow-up action number 1",
        ),
        (vec!["remove", f, "SEC02-BP05", "0"], "positions start at 1"),
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
