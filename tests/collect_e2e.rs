//! End to end: the real `wasec` binary collects from a seeded moto server
//! into a review file. moto comes from WASEC_MOTO_ENDPOINT or is started
//! through scripts/moto.sh (installed into .venv/ on first use); without it
//! this test fails with the reason instead of passing.
#![cfg(feature = "aws")]

use std::path::{Path, PathBuf};
use std::process::Command;
use wasec_core::Bank;
use wasec_core::bank::Automation;
use wasec_core::review::{self, EvidenceStatus};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn moto() -> String {
    if let Ok(ep) = std::env::var("WASEC_MOTO_ENDPOINT") {
        return ep.trim_end_matches('/').to_string();
    }
    let out = Command::new("bash")
        .arg(root().join("scripts/moto.sh"))
        .args(["start", "--watch", &std::process::id().to_string()])
        .output()
        .expect("run scripts/moto.sh");
    assert!(
        out.status.success(),
        "moto is required for this test and could not be started:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .lines()
        .last()
        .unwrap()
        .to_string()
}

fn reset(ep: &str) {
    use std::io::{Read, Write};
    let hostport = ep.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(hostport).expect("moto reachable");
    write!(s, "POST /moto-api/reset HTTP/1.1\r\nHost: {hostport}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    assert!(resp.contains(" 200 "), "reset failed: {resp}");
}

fn wasec(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_wasec"))
        .args(args)
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing")
        .env("AWS_REGION", "us-east-1")
        .env_remove("AWS_PROFILE")
        .env_remove("AWS_ENDPOINT_URL")
        .env("WASEC_LANG", "en")
        .env("AWS_CONFIG_FILE", "/nonexistent")
        .env("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
        .output()
        .expect("run wasec")
}

fn collect(file: &Path, ep: &str, extra: &[&str]) -> serde_json::Value {
    let f = file.to_str().unwrap();
    let mut args = vec![
        "collect",
        f,
        "--endpoint-url",
        ep,
        "--regions",
        "us-east-1",
        "--json",
    ];
    args.extend_from_slice(extra);
    let out = wasec(&args);
    assert!(
        out.status.success(),
        "collect failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("IAM") && stderr.contains("EC2"),
        "progress lines expected on stderr: {stderr}"
    );
    serde_json::from_slice(&out.stdout).expect("--json prints JSON")
}

#[test]
fn collect_attaches_seeded_evidence_to_the_review() {
    let ep = moto();
    reset(&ep);
    let seed = Command::new(root().join(".venv/bin/python"))
        .arg(root().join("bench/seed_moto.py"))
        .args([ep.as_str(), "small"])
        .output()
        .expect("run the seeding script");
    assert!(
        seed.status.success(),
        "seeding failed: {}",
        String::from_utf8_lossy(&seed.stderr)
    );

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("review.yaml");
    let out = wasec(&["new", file.to_str().unwrap(), "--workload", "e2e"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let summary = collect(&file, &ep, &[]);
    assert_eq!(summary["account"], "123456789012");
    assert!(summary["requests"].as_u64().unwrap() > 20);

    let bank = Bank::embedded().unwrap();
    let r = review::load(&file, &bank).unwrap();
    let status = |check: &str| {
        r.evidence
            .iter()
            .find(|e| e.check == check)
            .unwrap_or_else(|| panic!("no evidence for {check}"))
    };
    assert_eq!(status("iam.console_users_mfa").status, EvidenceStatus::Fail);
    assert_eq!(
        status("iam.password_policy_strong").status,
        EvidenceStatus::Pass
    );
    assert_eq!(status("s3.bucket_not_public").status, EvidenceStatus::Fail);
    assert!(status("s3.bucket_not_public").public);
    assert!(
        status("s3.bucket_not_public")
            .resources
            .contains(&"arn:aws:s3:::public-site".to_string())
    );
    assert_eq!(
        status("ec2.sg_no_admin_ports_open").status,
        EvidenceStatus::Fail
    );
    assert_eq!(status("ec2.sg_no_admin_ports_open").region, "us-east-1");
    assert_eq!(
        status("ebs.default_encryption").status,
        EvidenceStatus::Pass
    );
    assert_eq!(
        status("org.member_of_organization").status,
        EvidenceStatus::Pass
    );
    assert_eq!(
        status("account.alternate_contacts").status,
        EvidenceStatus::Pass
    );
    assert_eq!(status("iam.root_mfa").region, "global");
    assert!(r.evidence.iter().all(|e| e.account == "123456789012"));
    assert_eq!(r.evidence_runs.len(), 1);
    assert_eq!(r.evidence_runs[0].counts.total() as usize, r.evidence.len());

    // Evidence attaches to many distinct best practices.
    let bps: std::collections::BTreeSet<&str> = bank
        .bps()
        .filter(|(_, b)| {
            r.evidence_for(&bank, &b.id)
                .any(|e| e.status != EvidenceStatus::NotApplicable)
        })
        .map(|(_, b)| b.id.as_str())
        .collect();
    assert!(
        bps.len() >= 30,
        "evidence on only {} BPs: {bps:?}",
        bps.len()
    );
    assert_eq!(
        summary["bps_with_evidence"].as_u64().unwrap() as usize,
        bps.len()
    );

    // Nothing was answered without --auto-answer.
    assert!(r.answers.values().all(|a| a.selected.is_empty()));

    // A second run replaces the evidence of its scope and records a run;
    // --auto-answer selects only automatable BPs the evidence supports.
    let before = r.evidence.len();
    let summary = collect(&file, &ep, &["--auto-answer"]);
    let r = review::load(&file, &bank).unwrap();
    assert_eq!(r.evidence.len(), before);
    assert_eq!(r.evidence_runs.len(), 2);
    let applied: Vec<&str> = summary["auto_answered"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    for bp in &applied {
        let (q, b) = bank.bp(bp).unwrap();
        assert_eq!(b.automation, Automation::Automatable, "{bp}");
        assert!(r.answer(&q.id).unwrap().is_selected(bp));
        assert!(r.evidence_for(&bank, bp).all(|e| matches!(
            e.status,
            EvidenceStatus::Pass | EvidenceStatus::NotApplicable
        )));
    }
    let selected: usize = r.answers.values().map(|a| a.selected.len()).sum();
    assert_eq!(selected, applied.len());
}

#[test]
fn iam_policy_is_read_only_json() {
    let out = Command::new(env!("CARGO_BIN_EXE_wasec"))
        .arg("iam-policy")
        .output()
        .unwrap();
    assert!(out.status.success());
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let actions = doc["Statement"][0]["Action"].as_array().unwrap();
    assert!(
        actions
            .iter()
            .any(|a| a == "iam:GetAccountAuthorizationDetails")
    );
    assert!(actions.iter().all(|a| {
        let verb = a.as_str().unwrap().split(':').nth(1).unwrap();
        ["Get", "List", "Describe", "BatchGet"]
            .iter()
            .any(|p| verb.starts_with(p))
            || a == "iam:GenerateCredentialReport"
    }));
}

/// The policy files shipped in `iam/` are what `wasec iam-policy` prints,
/// so they cannot drift from the code.
#[test]
fn shipped_policy_files_match_the_generated_policy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (access, file) in [
        ("pull", "iam/wasec-read-only.json"),
        ("push", "iam/wasec-push.json"),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_wasec"))
            .args(["iam-policy", "--wa-tool", access])
            .output()
            .unwrap();
        assert!(out.status.success());
        let shipped =
            std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            shipped,
            String::from_utf8(out.stdout).unwrap(),
            "{file} is stale: regenerate it with `wasec iam-policy --wa-tool {access} > {file}`"
        );
    }
}
