//! End to end: the real `wasec` binary collects from a seeded moto server
//! into a review file. moto comes from WASEC_MOTO_ENDPOINT or is started
//! through scripts/moto.sh (installed into .venv/ on first use); without it
//! this test fails with the reason instead of passing. First contact with
//! a broken setup (no credentials, unknown profile, SSO, region, network,
//! clock, permissions) is tested with crafted AWS config files and a local
//! stub server where moto cannot produce the answer.
#![cfg(feature = "aws")]

#[path = "../../crates/wasec-evidence/tests/it/stub.rs"]
mod stub;

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
    // Re-collecting the unchanged account changes nothing but times.
    let without_time = |r: &wasec_core::Review| {
        r.evidence
            .iter()
            .map(|e| {
                let mut e = e.clone();
                e.collected_at = time::OffsetDateTime::UNIX_EPOCH;
                e
            })
            .collect::<Vec<_>>()
    };
    let before = without_time(&r);
    let summary = collect(&file, &ep, &["--auto-answer"]);
    let r = review::load(&file, &bank).unwrap();
    assert_eq!(
        without_time(&r),
        before,
        "a second run over the same state changed evidence"
    );
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

// ------------------------------------------------------- first contact ----

/// Run `wasec collect` in a clean AWS environment: no credentials or
/// profiles unless `env` sets them, no instance metadata, HOME in `dir`.
fn wasec_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let review = dir.join("r.yaml");
    if !review.exists() {
        let out = Command::new(env!("CARGO_BIN_EXE_wasec"))
            .args(["new", review.to_str().unwrap(), "--workload", "fc"])
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wasec"));
    cmd.arg("collect").arg(&review).args(args);
    for var in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "WASEC_REQUIRE_KMS",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", dir)
        .env("AWS_CONFIG_FILE", dir.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.join("credentials"))
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("WASEC_LANG", "en");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run wasec")
}

const KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE"),
    ("AWS_SECRET_ACCESS_KEY", "testing"),
];

/// Exit 2, the plain message on stderr, no SDK internals unless `-v`.
fn refused(out: &std::process::Output, wants: &[&str]) -> String {
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    for w in wants {
        assert!(err.contains(w), "missing {w:?} in:\n{err}");
    }
    assert!(
        !err.contains("DispatchFailure") && !err.contains("dispatch failure"),
        "SDK internals shown without -v:\n{err}"
    );
    err
}

#[test]
fn no_credentials_says_where_wasec_looked() {
    let dir = tempfile::tempdir().unwrap();
    let out = wasec_in(dir.path(), &[], &[("AWS_REGION", "us-east-1")]);
    let err = refused(
        &out,
        &[
            "Unable to locate AWS credentials",
            "AWS_ACCESS_KEY_ID",
            "profile \"default\"",
            &dir.path().join("credentials").display().to_string(),
            "aws configure",
            "-v",
        ],
    );
    assert!(err.lines().count() <= 4, "{err}");
    // -v adds the SDK's own words.
    let out = wasec_in(dir.path(), &["-v"], &[("AWS_REGION", "us-east-1")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("AWS SDK error:"), "{err}");
    // The same in Japanese.
    let out = wasec_in(
        dir.path(),
        &[],
        &[("AWS_REGION", "us-east-1"), ("WASEC_LANG", "ja")],
    );
    refused(&out, &["AWS の認証情報が見つかりません", "対処:"]);
}

#[test]
fn an_unknown_profile_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config"), "[default]\nregion = us-east-1\n").unwrap();
    let out = wasec_in(dir.path(), &["--profile", "nosuch"], &[]);
    refused(&out, &["The config profile (nosuch) could not be found"]);
    let out = wasec_in(dir.path(), &[], &[("AWS_PROFILE", "nosuch")]);
    refused(&out, &["(nosuch)", "aws configure --profile nosuch"]);
}

fn sso_config(dir: &Path) {
    std::fs::write(
        dir.join("config"),
        "[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Audit\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n",
    )
    .unwrap();
}

#[test]
fn an_sso_profile_without_a_token_says_to_log_in() {
    let dir = tempfile::tempdir().unwrap();
    sso_config(dir.path());
    let out = wasec_in(dir.path(), &["--profile", "dev"], &[]);
    refused(&out, &["aws sso login --profile dev"]);
}

#[test]
fn an_expired_sso_token_says_to_log_in_again() {
    let dir = tempfile::tempdir().unwrap();
    sso_config(dir.path());
    // The CLI caches the token under the SHA-1 of the session name.
    let sha = Command::new("sh")
        .args(["-c", "printf corp | sha1sum | cut -d' ' -f1"])
        .output()
        .unwrap();
    let name = String::from_utf8_lossy(&sha.stdout).trim().to_string();
    assert_eq!(name.len(), 40, "sha1sum is needed for this test");
    let cache = dir.path().join(".aws/sso/cache");
    std::fs::create_dir_all(&cache).unwrap();
    std::fs::write(
        cache.join(format!("{name}.json")),
        r#"{"startUrl": "https://corp.awsapps.com/start", "region": "us-east-1", "accessToken": "stale", "expiresAt": "2020-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    let out = wasec_in(dir.path(), &["--profile", "dev"], &[]);
    refused(&out, &["has expired", "aws sso login --profile dev"]);
}

#[test]
fn no_region_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = wasec_in(dir.path(), &[], &KEYS);
    refused(
        &out,
        &["You must specify a region", "--regions", "AWS_REGION"],
    );
}

#[test]
fn an_unreachable_endpoint_is_named() {
    let dir = tempfile::tempdir().unwrap();
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let mut env = KEYS.to_vec();
    env.push(("AWS_REGION", "us-east-1"));
    let out = wasec_in(dir.path(), &["--endpoint-url", &url], &env);
    refused(
        &out,
        &[&format!("Could not connect to {url}"), "HTTPS_PROXY"],
    );
}

fn sts_identity() -> stub::Response {
    stub::Response::new(
        200,
        "text/xml",
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/stub</Arn><UserId>AIDASTUB</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>stub</RequestId></ResponseMetadata></GetCallerIdentityResponse>",
    )
}

fn stub_env() -> Vec<(&'static str, &'static str)> {
    let mut env = KEYS.to_vec();
    env.push(("AWS_REGION", "us-east-1"));
    env
}

#[test]
fn clock_skew_says_to_fix_the_clock() {
    let stub = stub::Stub::start(|_| {
        stub::Response::xml_error(
            403,
            "SignatureDoesNotMatch",
            "Signature expired: 20261201T000000Z is now earlier than 20261201T001000Z (20261201T002500Z - 15 min.)",
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let out = wasec_in(dir.path(), &["--endpoint-url", &stub.url], &stub_env());
    refused(&out, &["clock is wrong", "NTP"]);
}

#[test]
fn an_unknown_access_key_is_named_as_such() {
    let stub = stub::Stub::start(|_| {
        stub::Response::xml_error(
            403,
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let out = wasec_in(dir.path(), &["--endpoint-url", &stub.url], &stub_env());
    refused(&out, &["The access key is not valid"]);
}

/// The identity works but the first call wasec makes with it is denied:
/// the wasec policy is not attached. The run goes on (checks it cannot
/// read say unknown) with a warning naming the policy; `--regions all`
/// cannot go on and stops with the same advice.
#[test]
fn access_denied_on_the_first_call_points_to_the_policy() {
    let stub = stub::Stub::start(|req| match req.operation().as_str() {
        "GetCallerIdentity" => sts_identity(),
        "DescribeRegions" => stub::Response::new(
            403,
            "text/xml",
            "<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>stub</RequestID></Response>",
        ),
        _ => stub::Response::xml_error(403, "AccessDenied", "denied"),
    });
    let dir = tempfile::tempdir().unwrap();
    let out = wasec_in(
        dir.path(),
        &["--endpoint-url", &stub.url, "--json"],
        &stub_env(),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("warning: the first call (ec2:DescribeRegions) was denied")
            && err.contains("wasec iam-policy"),
        "{err}"
    );
    let summary: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        summary["counts"]["unknown"].as_u64().unwrap() > 20,
        "{summary}"
    );
    assert_eq!(summary["warnings"].as_array().unwrap().len(), 1);
    let out = wasec_in(
        dir.path(),
        &["--endpoint-url", &stub.url, "--regions", "all"],
        &stub_env(),
    );
    refused(&out, &["ec2:DescribeRegions", "wasec iam-policy"]);
}
