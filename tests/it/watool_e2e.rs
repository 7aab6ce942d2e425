//! End to end: the real `wasec` binary against the WA Tool double
//! (wasec-testkit; a stand-in for the documented API, not the live service).

#![cfg(feature = "aws")]

use assert_cmd::Command;
use serde_json::json;
use std::path::{Path, PathBuf};
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
        .env("AWS_REGION", REGION)
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_ENDPOINT_URL")
        .env_remove("AWS_ENDPOINT_URL_WELLARCHITECTED")
        .env_remove("AWS_ENDPOINT_URL_STS")
        .arg("--endpoint-url")
        .arg(d.endpoint());
    c
}

/// Run; (exit code, stdout, stderr).
fn run_any(cmd: &mut Command) -> (i32, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run(cmd: &mut Command) -> (String, String) {
    let (code, o, e) = run_any(cmd);
    assert_eq!(code, 0, "wasec failed:\n{o}\n{e}");
    (o, e)
}

fn load(bank: &Bank, p: &Path) -> Review {
    review::load(p, bank).unwrap()
}

fn demo_file(dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(name);
    std::fs::write(&file, demo::DEMO_YAML).unwrap();
    file
}

fn setup() -> (Bank, Double, tempfile::TempDir) {
    let bank = Bank::embedded().unwrap();
    let d = Double::start(&bank).unwrap();
    (bank, d, tempfile::tempdir().unwrap())
}

#[test]
fn push_pull_round_trip_with_the_binary() {
    let (bank, d, dir) = setup();
    let file = demo_file(dir.path(), "shop.yaml");
    let original = load(&bank, &file);
    // First push: creates the workload, writes answers (through injected
    // throttling), records a milestone in the Tool and the review, links it.
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
        link.sync
            .as_ref()
            .is_some_and(|s| s.bases.len() == 1 && s.tool.is_some())
    );
    assert!(
        out.contains(&format!(
            "region={REGION}#/workload/{}/overview",
            link.workload_id
        )),
        "{out}"
    );
    assert_eq!(
        d.milestones(&link.workload_id),
        vec!["baseline review".to_string()]
    );
    assert_eq!(linked.milestones.last().unwrap().name, "baseline review");
    let writes = d.calls("UpdateAnswer");
    assert!(writes > 2);

    // Pull into a new file: the answers come back as pushed, with the Tool's lens version.
    let pulled_path = dir.path().join("pulled.yaml");
    let before_pull = d.all_calls();
    run(wasec(&d, "pull")
        .args(["--workload-id", &link.workload_id, "-o"])
        .arg(&pulled_path));
    for (op, n) in d.all_calls() {
        if before_pull.get(&op) != Some(&n) {
            assert!(
                op.starts_with("sts:")
                    || policy::READ_ACTIONS.contains(&format!("wellarchitected:{op}").as_str()),
                "pull called {op}, which the read policy does not list"
            );
        }
    }
    let pulled = load(&bank, &pulled_path);
    for q in bank.questions() {
        let (a, b) = (original.answer(&q.id), pulled.answer(&q.id));
        match a.filter(|a| {
            a.question_not_applicable.is_none() && a.is_answered(q.best_practices.len())
        }) {
            Some(a) => assert_eq!(Some(a), b, "{}", q.id),
            None => assert_eq!(
                a.and_then(|a| a.question_not_applicable),
                b.and_then(|b| b.question_not_applicable),
                "{}",
                q.id
            ),
        }
    }
    assert_eq!(pulled.framework_version, link.lens_version);
    assert_eq!(
        pulled.wa_tool.as_ref().unwrap().workload_id,
        link.workload_id
    );

    // Second push through the stored link (no --region: the link's): nothing to write.
    let mut again = wasec(&d, "push");
    again.env_remove("AWS_REGION").arg(&file);
    let (out, _) = run(&mut again);
    assert!(out.contains("No differences to write"), "{out}");
    assert_eq!(d.calls("UpdateAnswer"), writes);

    // A dry run with a change shows it and writes nothing.
    let mut changed = load(&bank, &file);
    changed.set_selected(&bank, "SEC04-BP03", true).unwrap();
    std::fs::write(&file, review::render(&changed)).unwrap();
    let before = total_writes(&d);
    let (out, _) = run(wasec(&d, "push").arg(&file).arg("--dry-run"));
    assert!(
        out.contains("+ select   SEC04-BP03") && out.contains("Dry run"),
        "{out}"
    );
    assert_eq!(total_writes(&d), before);

    // Every operation the round trip called is in `wasec iam-policy --wa-tool push`.
    for op in d.all_calls().keys().filter(|op| !op.starts_with("sts:")) {
        let action = format!("wellarchitected:{op}");
        assert!(
            policy::READ_ACTIONS.contains(&action.as_str())
                || policy::WRITE_ACTIONS.contains(&action.as_str()),
            "{op} is called but missing from the IAM policy"
        );
    }
}

fn total_writes(d: &Double) -> usize {
    [
        "CreateWorkload",
        "UpdateAnswer",
        "UpdateWorkload",
        "CreateMilestone",
        "UpgradeLensReview",
    ]
    .iter()
    .map(|op| d.calls(op))
    .sum()
}

#[test]
fn conflicts_exit_2_and_prefer_settles_them() {
    let (bank, d, dir) = setup();
    let file = demo_file(dir.path(), "shop.yaml");
    run(wasec(&d, "push").arg(&file).arg("--create"));
    let id = load(&bank, &file).wa_tool.unwrap().workload_id;
    d.console_update_answer(&id, "permissions", &json!({ "Notes": "console edit" }))
        .unwrap();
    let mut r = load(&bank, &file);
    r.set_notes(&bank, "SEC03", "wasec edit").unwrap();
    std::fs::write(&file, review::render(&r)).unwrap();
    let (code, out, err) = run_any(wasec(&d, "push").arg(&file));
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        out.contains("conflict on question notes") && err.contains("--prefer"),
        "{out}{err}"
    );
    assert_eq!(d.answer(&id, "permissions")["Notes"], "console edit");
    run(wasec(&d, "push").arg(&file).args(["--prefer", "wasec"]));
    assert!(
        d.answer(&id, "permissions")["Notes"]
            .as_str()
            .unwrap()
            .starts_with("wasec edit")
    );
}

#[test]
fn push_many_reviews_with_a_summary() {
    let (bank, d, dir) = setup();
    let names = ["Alpha shop", "Beta shop", "Gamma shop"];
    let files: Vec<PathBuf> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let f = demo_file(dir.path(), &format!("r{i}.yaml"));
            let mut r = load(&bank, &f);
            r.workload.name = n.to_string();
            if i == 2 {
                r.workload.accounts = vec!["123".into()];
            }
            std::fs::write(&f, review::render(&r)).unwrap();
            f
        })
        .collect();
    // Without --create, unlinked reviews are refused one by one.
    let (code, out, _) = run_any(wasec(&d, "push").args(&files));
    assert_eq!(code, 2);
    assert!(out.contains("add --create"), "{out}");
    let (code, out, err) = run_any(wasec(&d, "push").args(&files).arg("--create"));
    assert_eq!(code, 2, "one review has a bad account id: {out}{err}");
    for (i, f) in files.iter().enumerate() {
        let row = out
            .lines()
            .find(|l| {
                l.starts_with(&f.display().to_string()[..f.display().to_string().len().min(32)])
            })
            .unwrap_or_else(|| panic!("no summary row for {}: {out}", f.display()));
        assert_eq!(row.contains("ok"), i < 2, "{row}");
    }
    assert!(err.contains("\"123\" is not a 12-digit"), "{err}");
    assert!(err.contains("1 of 3 reviews"), "{err}");
    let created: Vec<String> = d.workloads().into_iter().map(|w| w.1).collect();
    assert_eq!(created, vec!["Alpha shop".to_string(), "Beta shop".into()]);
    // --workload-name names one workload: refused with several files.
    let (code, _, err) = run_any(
        wasec(&d, "push")
            .args(&files)
            .args(["--workload-name", "x"]),
    );
    assert_eq!(code, 2);
    assert!(err.contains("one workload"), "{err}");
}

#[test]
fn milestones_and_diff_against_a_milestone() {
    let (bank, d, dir) = setup();
    let file = demo_file(dir.path(), "shop.yaml");
    run(wasec(&d, "push")
        .arg(&file)
        .args(["--create", "--milestone", "Q3 review"]));
    let mut r = load(&bank, &file);
    r.set_selected(&bank, "SEC04-BP03", true).unwrap();
    std::fs::write(&file, review::render(&r)).unwrap();
    let (out, _) = run(Command::cargo_bin("wasec")
        .unwrap()
        .args(["--lang", "en", "diff"])
        .arg(&file)
        .args(["--milestone", "Q3 review"]));
    assert!(
        out.contains("SEC04") && out.contains("+ SEC04-BP03"),
        "{out}"
    );
    let (out, _) = run(wasec(&d, "milestones")
        .arg(&file)
        .args(["--tool", "--json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mine = v["review"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["name"] == "Q3 review")
        .expect("push recorded the milestone in the review too");
    assert!(mine["score"].is_number() || mine["score"].is_null());
    assert_eq!(v["tool"][0]["number"], 1);
    assert_eq!(v["tool"][0]["name"], "Q3 review");
    let (out, _) = run(wasec(&d, "milestones").arg(&file).arg("--tool"));
    assert!(out.contains("(also in the review)"), "{out}");
    // Offline: only the review's.
    let (out, _) = run(Command::cargo_bin("wasec")
        .unwrap()
        .args(["--lang", "en", "milestones"])
        .arg(&file));
    assert!(
        out.contains("Q3 review") && !out.contains("WA Tool"),
        "{out}"
    );
    let (code, _, err) = run_any(
        Command::cargo_bin("wasec")
            .unwrap()
            .arg("diff")
            .arg(&file)
            .args(["--milestone", "nope"]),
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("no milestone \"nope\"") && err.contains("Q3 review"),
        "{err}"
    );
}

#[test]
fn pull_merges_the_tools_changes_into_a_linked_review() {
    let (bank, d, dir) = setup();
    let file = demo_file(dir.path(), "shop.yaml");
    run(wasec(&d, "push").arg(&file).arg("--create"));
    let id = load(&bank, &file).wa_tool.unwrap().workload_id;
    d.console_update_workload(&id, &json!({ "ReviewOwner": "Console Owner" }))
        .unwrap();
    let (out, _) = run(wasec(&d, "pull").arg(&file).arg("--dry-run"));
    assert!(
        out.contains("Console Owner") && out.contains("Dry run"),
        "{out}"
    );
    assert_ne!(load(&bank, &file).workload.owner, "Console Owner");
    run(wasec(&d, "pull").arg(&file));
    assert_eq!(load(&bank, &file).workload.owner, "Console Owner");
    // -o never overwrites.
    let (code, _, err) = run_any(
        wasec(&d, "pull")
            .args(["--workload-id", &id, "-o"])
            .arg(&file),
    );
    assert_eq!(code, 2);
    assert!(err.contains("not overwriting"), "{err}");
}

#[test]
fn japanese_output_and_errors_exit_2() {
    let (_bank, d, dir) = setup();
    let file = demo_file(dir.path(), "shop.yaml");
    let (out, _) =
        run(wasec(&d, "push")
            .arg(&file)
            .args(["--create", "--dry-run", "--lang", "ja"]));
    assert!(
        out.contains("ドライラン") && out.contains("ワークロード"),
        "{out}"
    );
    let (code, _, err) = run_any(
        wasec(&d, "push")
            .arg(&file)
            .args(["--workload-id", &"f".repeat(32)]),
    );
    assert_eq!(code, 2);
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
