//! End to end: the real `wasec` binary against the local WA Tool test
//! double (a stand-in for the documented API, not the live service).

#![cfg(feature = "aws")]

use assert_cmd::Command;
use std::path::Path;
use wasec_core::review::{self, Review};
use wasec_core::{Bank, demo};
use wasec_testkit::Double;
use wasec_watool::policy;

const REGION: &str = "ap-northeast-1";

fn wasec(d: &Double, sub: &str) -> Command {
    let mut c = Command::cargo_bin("wasec").unwrap();
    c.arg(sub);
    // Dummy credentials for SigV4 signing; no real AWS config is read.
    c.env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .env("AWS_CONFIG_FILE", "/nonexistent/wasec-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/wasec-test-credentials",
        )
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("WASEC_WATOOL_BACKOFF_MS", "5")
        .env("WASEC_LANG", "en")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_WELLARCHITECTED")
        .args(["--region", REGION, "--endpoint-url"])
        .arg(d.endpoint());
    c
}

fn run(cmd: &mut Command) -> (String, String) {
    let out = cmd.output().unwrap();
    let (o, e) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(out.status.success(), "wasec failed:\n{o}\n{e}");
    (o, e)
}

fn load(bank: &Bank, p: &Path) -> Review {
    review::load(p, bank).unwrap()
}

#[test]
fn push_pull_round_trip_with_the_binary() {
    let bank = Bank::embedded().unwrap();
    let d = Double::start(&bank).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.yaml");
    std::fs::write(&file, demo::DEMO_YAML).unwrap();
    let original = load(&bank, &file);

    // First push: creates the workload, writes answers (through injected
    // throttling), records a milestone and links the review.
    d.throttle("UpdateAnswer", 2);
    let (out, _) = run(wasec(&d, "push").arg(&file).args([
        "--workload-name",
        &original.workload.name,
        "--create",
        "--milestone",
        "baseline review",
    ]));
    let linked = load(&bank, &file);
    let link = linked
        .wa_tool
        .clone()
        .expect("push stores the workload link");
    assert_eq!(link.region, REGION);
    assert!(
        out.contains(&format!(
            "region={REGION}#/workload/{}/overview",
            link.workload_id
        )),
        "{out}"
    );
    assert_eq!(d.calls("CreateWorkload"), 1);
    assert_eq!(
        d.milestones(&link.workload_id),
        vec!["baseline review".to_string()]
    );
    let writes = d.calls("UpdateAnswer");
    assert!(writes > 2);

    // Pull into a new file: the answers come back as pushed.
    let pulled_path = dir.path().join("pulled.yaml");
    let calls_before_pull = d.all_calls();
    run(wasec(&d, "pull")
        .args(["--workload-id", &link.workload_id, "-o"])
        .arg(&pulled_path));
    // Pull only reads, and only what the shipped read policy allows.
    for (op, n) in d.all_calls() {
        if calls_before_pull.get(&op) != Some(&n) {
            let action = format!("wellarchitected:{op}");
            assert!(
                policy::READ_ACTIONS.contains(&action.as_str()),
                "pull called {op}, which the read policy does not list"
            );
        }
    }
    let pulled = load(&bank, &pulled_path);
    let answered: Vec<&String> = original
        .answers
        .keys()
        .filter(|q| original.is_answered(&bank, q))
        .collect();
    for q in &answered {
        let (a, b) = (&original.answers[*q], &pulled.answers[*q]);
        if a.question_not_applicable.is_some() {
            assert_eq!(a.question_not_applicable, b.question_not_applicable, "{q}");
            assert_eq!(a.notes, b.notes, "{q}");
        } else {
            assert_eq!(a, b, "{q}");
        }
    }
    assert_eq!(pulled.answers.len(), answered.len());
    assert_eq!(pulled.workload.name, original.workload.name);
    assert_eq!(
        pulled.wa_tool.as_ref().unwrap().workload_id,
        link.workload_id
    );

    // Pulling the milestone by number gives the same answers.
    let ms_path = dir.path().join("milestone.yaml");
    run(wasec(&d, "pull")
        .args(["--workload-id", &link.workload_id, "--milestone", "1", "-o"])
        .arg(&ms_path));
    assert_eq!(load(&bank, &ms_path).answers, pulled.answers);

    // Second push, no changes, using the stored link: no UpdateAnswer.
    let (out, _) = run(wasec(&d, "push").arg(&file));
    assert!(out.contains("No differences"), "{out}");
    assert_eq!(d.calls("UpdateAnswer"), writes);

    // A dry run with a change shows it and writes nothing.
    let mut changed = load(&bank, &file);
    changed.set_selected(&bank, "SEC04-BP03", true).unwrap();
    std::fs::write(&file, review::render(&changed)).unwrap();
    let before: usize = ["CreateWorkload", "UpdateAnswer", "CreateMilestone"]
        .iter()
        .map(|op| d.calls(op))
        .sum();
    let (out, _) = run(wasec(&d, "push").arg(&file).arg("--dry-run"));
    assert!(
        out.contains("+ select   SEC04-BP03") && out.contains("Dry run"),
        "{out}"
    );
    let after: usize = ["CreateWorkload", "UpdateAnswer", "CreateMilestone"]
        .iter()
        .map(|op| d.calls(op))
        .sum();
    assert_eq!(before, after);

    // Every operation the whole round trip called is in `wasec iam-policy
    // --wa-tool push`.
    for op in d.all_calls().keys() {
        let action = format!("wellarchitected:{op}");
        assert!(
            policy::READ_ACTIONS.contains(&action.as_str())
                || policy::WRITE_ACTIONS.contains(&action.as_str()),
            "{op} is called but missing from the IAM policy"
        );
    }
}

#[test]
fn push_errors_exit_2_with_a_hint() {
    let bank = Bank::embedded().unwrap();
    let d = Double::start(&bank).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("shop.yaml");
    std::fs::write(&file, demo::DEMO_YAML).unwrap();
    let out = wasec(&d, "push")
        .arg(&file)
        .args(["--workload-id", &"f".repeat(32)])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("regional") && err.contains(REGION), "{err}");
}

#[test]
fn lens_export_writes_a_custom_lens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lens.json");
    let out = Command::cargo_bin("wasec")
        .unwrap()
        .args(["--lang", "ja", "lens", "export", "-o"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["schemaVersion"], "2021-11-01");
    let qs = v["pillars"][0]["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 11);
    assert!(qs[0]["title"].as_str().unwrap().contains("ワークロード"));
    assert!(text.chars().count() <= 500_000);
}
