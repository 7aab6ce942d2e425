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

use crate::moto_lock;
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
    let _moto = moto_lock();
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

/// The member role template and the organization policies in `iam/` are
/// what the code generates; the template's policy is the member policy.
#[test]
fn shipped_member_role_template_matches_the_generated_policy() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_wasec"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    for (args, file) in [
        (
            &["iam-policy", "--member", "--cfn"][..],
            "iam/wasec-member-role.cfn.yaml",
        ),
        (&["iam-policy", "--member"][..], "iam/wasec-member.json"),
        (
            &["iam-policy", "--management"][..],
            "iam/wasec-management.json",
        ),
    ] {
        let shipped =
            std::fs::read_to_string(root.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(
            shipped,
            run(args),
            "{file} is stale: regenerate it with `wasec {} > {file}`",
            args.join(" ")
        );
    }
    // The template's policy is exactly the member policy, statement by
    // statement (scoped resources included).
    let member: serde_json::Value =
        serde_json::from_str(&run(&["iam-policy", "--member"])).unwrap();
    let text = std::fs::read_to_string(root.join("iam/wasec-member-role.cfn.yaml")).unwrap();
    let template: serde_json::Value =
        wasec_core::yaml::from_str(&text, "wasec-member-role.cfn.yaml").unwrap();
    let policy = &template["Resources"]["WasecReadOnlyRole"]["Properties"]["Policies"][0];
    assert_eq!(policy["PolicyDocument"]["Statement"], member["Statement"]);
    assert!(
        member["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["Action"][0] == "apigateway:GET" && s["Resource"] != "*"),
        "apigateway:GET stays scoped (on * it would read API key values)"
    );
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

// ------------------------------------------------------- organizations ----

const MANAGEMENT: &str = "123456789012";
const ORG_ROLE: &str = "OrganizationAccountAccessRole";

/// Seed an organization with `members` member accounts (bench/seed_org.py).
fn seed_org(ep: &str, members: usize, findings: bool) -> serde_json::Value {
    let mut cmd = Command::new(root().join(".venv/bin/python"));
    cmd.arg(root().join("bench/seed_org.py"))
        .args([ep, &members.to_string()]);
    if findings {
        cmd.arg("--findings");
    }
    let out = cmd.output().expect("run bench/seed_org.py");
    assert!(
        out.status.success(),
        "seeding the organization failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("seed_org.py prints JSON")
}

/// scripts/sts_refuser.py in front of moto, refusing AssumeRole into
/// `refused`; stopped when dropped.
struct Refuser {
    child: std::process::Child,
    url: String,
}

impl Refuser {
    fn start(ep: &str, refused: &[&str]) -> Refuser {
        use std::io::BufRead;
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(root().join(".venv/bin/python"))
            .arg(root().join("scripts/sts_refuser.py"))
            .args([&port.to_string(), ep, &refused.join(",")])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start scripts/sts_refuser.py");
        let mut first = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert_eq!(first.trim(), "ready", "the STS refuser did not start");
        Refuser {
            child,
            url: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for Refuser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn new_review(dir: &Path, name: &str) -> PathBuf {
    let file = dir.join(name);
    let out = wasec(&["new", file.to_str().unwrap(), "--workload", "org"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    file
}

/// `wasec collect FILE ARGS... --json`, returning the exit code and summary.
fn collect_many(file: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let mut all = vec![
        "collect",
        file.to_str().unwrap(),
        "--regions",
        "us-east-1",
        "--json",
    ];
    all.extend_from_slice(args);
    let out = wasec(&all);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "no JSON ({e}): {stderr}\n{}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    (out.status.code().unwrap_or(-1), json, stderr)
}

fn accounts_of(seed: &serde_json::Value) -> Vec<String> {
    seed["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_organization_run_reads_each_member_and_names_the_one_it_cannot_enter() {
    let _moto = moto_lock();
    let ep = moto();
    reset(&ep);
    let members = accounts_of(&seed_org(&ep, 3, false));
    assert_eq!(members.len(), 3);
    let refused = members[2].as_str();
    let proxy = Refuser::start(&ep, &[refused]);
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path(), "org.yaml");

    let (code, summary, stderr) = collect_many(
        &file,
        &[
            "--organization",
            "--role-name",
            ORG_ROLE,
            "--endpoint-url",
            &proxy.url,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    // Plain progress lines (stderr is not a terminal here), one per account.
    for m in &members[..2] {
        assert!(
            stderr.contains(&format!("account {m}: ")) && stderr.contains(" checks, "),
            "{stderr}"
        );
    }
    assert_eq!(summary["accounts_total"], 4, "{summary}");
    assert_eq!(summary["unreachable"], 1, "{summary}");
    let role = format!("arn:aws:iam::{refused}:role/{ORG_ROLE}");
    let line = summary["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account"] == refused)
        .unwrap();
    assert_eq!(line["outcome"], "unreachable");
    assert_eq!(line["role"], role.as_str());

    let bank = Bank::embedded().unwrap();
    let r = review::load(&file, &bank).unwrap();
    let mut expected: Vec<String> = members.clone();
    expected.push(MANAGEMENT.to_string());
    expected.sort();
    assert_eq!(wasec_core::evidence::accounts(&r), expected);
    for a in &expected {
        assert!(
            r.workload.accounts.contains(a),
            "{a} not in the review's accounts"
        );
    }
    // Reachable members: weak resources fail, their compliant twins do not.
    for m in &members[..2] {
        let item = |check: &str| {
            r.evidence
                .iter()
                .find(|e| e.account == *m && e.check == check)
                .unwrap_or_else(|| panic!("no {check} for {m}"))
        };
        let s3 = item("s3.bucket_not_public");
        assert_eq!(s3.status, EvidenceStatus::Fail);
        assert!(
            s3.resources.contains(&format!("arn:aws:s3:::public-{m}")),
            "{s3:?}"
        );
        assert!(
            !s3.resources.iter().any(|x| x.contains("private-")),
            "{s3:?}"
        );
        let mfa = item("iam.console_users_mfa");
        assert_eq!(mfa.status, EvidenceStatus::Fail);
        assert!(
            mfa.resources.iter().any(|x| x.ends_with("user/no-mfa")),
            "{mfa:?}"
        );
        assert!(
            !mfa.resources.iter().any(|x| x.contains("with-mfa")),
            "{mfa:?}"
        );
        let sg = item("ec2.sg_no_admin_ports_open");
        assert_eq!(sg.status, EvidenceStatus::Fail);
        assert_eq!(sg.resources.len(), 1, "only the open group fails: {sg:?}");
        // Nothing of another account's resources leaks into this account.
        let others: Vec<&String> = members.iter().filter(|o| *o != m).collect();
        for e in r.evidence.iter().filter(|e| e.account == *m) {
            for o in &others {
                assert!(!e.resources.iter().any(|x| x.contains(o.as_str())), "{e:?}");
            }
        }
    }
    // The refusing account: one unknown item naming the role, the action, the cause.
    let theirs: Vec<_> = r.evidence.iter().filter(|e| e.account == refused).collect();
    assert_eq!(theirs.len(), 1, "{theirs:?}");
    let u = theirs[0];
    assert_eq!(u.status, EvidenceStatus::Unknown);
    assert_eq!(u.check, wasec_core::catalog::ACCOUNT_ACCESS);
    for text in [&u.summary, &u.summary_ja] {
        assert!(
            text.contains(&role)
                && text.contains("sts:AssumeRole")
                && text.contains("AccessDenied"),
            "{text}"
        );
    }
    // One run record covering every account.
    assert_eq!(r.evidence_runs.len(), 1);
    assert_eq!(r.evidence_runs[0].accounts, expected);

    // Re-collecting one account leaves the others' evidence untouched.
    let not_first = |r: &wasec_core::Review| {
        r.evidence
            .iter()
            .filter(|e| e.account != members[0])
            .cloned()
            .collect::<Vec<_>>()
    };
    let first_without_time = |r: &wasec_core::Review| {
        r.evidence
            .iter()
            .filter(|e| e.account == members[0])
            .map(|e| {
                let mut e = e.clone();
                e.collected_at = time::OffsetDateTime::UNIX_EPOCH;
                e
            })
            .collect::<Vec<_>>()
    };
    let (others_before, first_before) = (not_first(&r), first_without_time(&r));
    let (code, summary, stderr) = collect_many(
        &file,
        &[
            "--accounts",
            &members[0],
            "--role-name",
            ORG_ROLE,
            "--endpoint-url",
            &proxy.url,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(summary["accounts_total"], 1);
    let r = review::load(&file, &bank).unwrap();
    assert_eq!(not_first(&r), others_before);
    assert_eq!(first_without_time(&r), first_before);
    assert_eq!(r.evidence_runs.len(), 2);

    // Strict runs say so in the exit code; the evidence is saved anyway.
    let (code, summary, _) = collect_many(
        &file,
        &[
            "--accounts",
            refused,
            "--role-name",
            ORG_ROLE,
            "--endpoint-url",
            &proxy.url,
            "--fail-on-unreachable",
        ],
    );
    assert_eq!(code, 1);
    assert_eq!(summary["unreachable"], 1);
}

#[test]
fn account_lists_are_checked_before_any_call() {
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path(), "bad.yaml");
    // An endpoint nothing listens on: a call would fail differently.
    let out = wasec(&[
        "collect",
        file.to_str().unwrap(),
        "--accounts",
        "111122223333,12345",
        "--endpoint-url",
        "http://127.0.0.1:9",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("\"12345\"") && err.contains("12 digits"),
        "{err}"
    );
    for bad in [["--shard", "3/2"], ["--ou", "nope"]] {
        let out = wasec(&[
            "collect",
            file.to_str().unwrap(),
            "--organization",
            bad[0],
            bad[1],
        ]);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains(bad[1]));
    }
}

#[test]
fn security_hub_findings_become_evidence_on_the_mapped_bps_per_account() {
    let _moto = moto_lock();
    let ep = moto();
    reset(&ep);
    let members = accounts_of(&seed_org(&ep, 2, true));
    let dir = tempfile::tempdir().unwrap();
    let file = new_review(dir.path(), "hub.yaml");
    let (code, summary, stderr) = collect_many(
        &file,
        &[
            "--organization",
            "--source",
            "securityhub",
            "--endpoint-url",
            &ep,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    // Four findings per member, read in one page: requests grow with
    // findings, not with accounts.
    assert_eq!(summary["securityhub"]["findings"], 8, "{summary}");
    assert!(summary["requests"].as_u64().unwrap() <= 8, "{summary}");
    let bank = Bank::embedded().unwrap();
    let r = review::load(&file, &bank).unwrap();
    for m in &members {
        let control = |id: &str| {
            r.evidence
                .iter()
                .find(|e| e.account == *m && e.summary.starts_with(&format!("{id}:")))
                .unwrap_or_else(|| panic!("no {id} item for {m}"))
        };
        for id in ["S3.8", "EC2.19", "IAM.5"] {
            let mapped: Vec<String> = bank
                .bps_for_control(id)
                .into_iter()
                .map(String::from)
                .collect();
            assert!(!mapped.is_empty(), "the bank maps {id}");
            let e = control(id);
            assert_eq!(e.source, review::EvidenceSource::SecurityHub);
            assert_eq!(e.status, EvidenceStatus::Fail, "{e:?}");
            assert_eq!(e.bps, mapped, "{id}");
            assert_eq!(e.region, "us-east-1");
            for bp in &mapped {
                assert!(r.evidence_for(&bank, bp).any(|x| std::ptr::eq(x, e)));
            }
        }
        let s3 = control("S3.8");
        assert_eq!(s3.resources, vec![format!("arn:aws:s3:::public-{m}")]);
        assert!(s3.summary.contains("1 of 2"), "{}", s3.summary);
        assert!(s3.summary_ja.contains("2 件中 1 件"), "{}", s3.summary_ja);
    }
    // The management account has no findings: one unknown saying so.
    let mgmt: Vec<_> = r
        .evidence
        .iter()
        .filter(|e| e.account == MANAGEMENT)
        .collect();
    assert_eq!(mgmt.len(), 1, "{mgmt:?}");
    assert_eq!(mgmt[0].status, EvidenceStatus::Unknown);
    assert!(
        mgmt[0].summary.contains("no control results"),
        "{}",
        mgmt[0].summary
    );

    // A shard reads only its slice of the accounts.
    let mut all = members.clone();
    all.push(MANAGEMENT.to_string());
    let want = wasec_core::evidence::shard(&all, 2, 2);
    let shard_file = new_review(dir.path(), "shard.yaml");
    let (code, summary, stderr) = collect_many(
        &shard_file,
        &[
            "--organization",
            "--source",
            "securityhub",
            "--shard",
            "2/2",
            "--endpoint-url",
            &ep,
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(summary["accounts_total"], want.len());
    let r = review::load(&shard_file, &bank).unwrap();
    assert_eq!(wasec_core::evidence::accounts(&r), want);
}
