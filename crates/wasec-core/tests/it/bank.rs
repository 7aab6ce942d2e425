//! The built-in question bank against the reference, and loader errors.

use std::fs;
use wasec_core::Bank;
use wasec_core::bank::{BankError, Risk, valid_control_id};

#[test]
fn builtin_bank_has_the_whole_security_pillar() {
    let bank = Bank::embedded().expect("built-in bank loads");
    assert_eq!(bank.questions().len(), 11);
    assert_eq!(bank.bp_count(), 63);
    let count = |r| bank.bps().filter(|(_, b)| b.risk == r).count();
    // The reference: 30 High, 28 Medium, 5 Low.
    assert_eq!(
        (count(Risk::High), count(Risk::Medium), count(Risk::Low)),
        (30, 28, 5)
    );
    assert_eq!(bank.lens().framework_version, "2024-06-27");
    assert_eq!(bank.lens().lens_alias, "wellarchitected");
    assert_eq!(bank.lens().pillar_id, "security");
    for (q, b) in bank.bps() {
        assert!(b.id.starts_with(&q.id));
        assert!(!b.title.ja.is_empty() && !b.good.ja.is_empty(), "{}", b.id);
        assert!(
            (2..=5).contains(&b.improve.en.len()),
            "{} has {} steps",
            b.id,
            b.improve.en.len()
        );
        assert_eq!(b.improve.en.len(), b.improve.ja.len(), "{}", b.id);
    }
}

/// Every BP links to its page of the Well-Architected Framework, which is
/// named after its WA Tool choice id. SEC05-BP04 is the one exception: its
/// page kept the slug of an older choice id. (The exact URLs are compared
/// with the reference below when the reference is present.)
#[test]
fn builtin_bps_link_their_framework_page() {
    let bank = Bank::embedded().unwrap();
    for (_, b) in bank.bps() {
        let slug = match b.id.as_str() {
            "SEC05-BP04" => "sec_network_auto_protect",
            _ => &b.wa_choice_id,
        };
        let page = format!("wellarchitected/latest/framework/{slug}.html");
        assert_eq!(b.url.en, format!("https://docs.aws.amazon.com/{page}"));
        assert_eq!(
            b.url.ja,
            format!("https://docs.aws.amazon.com/ja_jp/{page}")
        );
    }
}

/// Ids, titles, risks, choice ids and guidance links must match
/// ../shared/reference when it is present (it is beside the repository in
/// development and CI; `WASEC_REFERENCE` names the file in other layouts).
#[test]
fn builtin_bank_matches_the_reference_file() {
    let path = std::env::var("WASEC_REFERENCE").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/reference/security-pillar.yaml"
        )
        .to_string()
    });
    let Ok(text) = fs::read_to_string(&path) else {
        eprintln!("reference not found at {path}; skipping the comparison");
        return;
    };
    let bank = Bank::embedded().unwrap();
    let mut checked = 0;
    let mut current_q = String::new();
    let mut current_bp = String::new();
    for line in text.lines() {
        let t = line.trim();
        let value = |key: &str| {
            t.strip_prefix(key)
                .map(|v| v.trim().trim_matches('"').to_string())
        };
        if let Some(v) = value("- id: ") {
            if v.contains("-BP") {
                current_bp = v;
            } else {
                current_q = v;
                current_bp.clear();
            }
        }
        // The retired 2023-era choices after the question list are not part of the bank.
        if line.starts_with("retired_choices") {
            break;
        }
        if current_q.is_empty() || t.starts_with('#') {
            continue;
        }
        let Some(q) = bank.question(&current_q) else {
            continue;
        };
        if let Some(v) = value("wa_question_id: ") {
            assert_eq!(q.wa_question_id, v);
            checked += 1;
        }
        if let Some(v) = value("none_of_these_choice_id: ") {
            assert_eq!(q.none_of_these_choice_id, v);
            checked += 1;
        }
        let Some((_, b)) = bank.bp(&current_bp) else {
            continue;
        };
        if let Some(v) = value("wa_choice_id: ") {
            assert_eq!(b.wa_choice_id, v, "{}", b.id);
            checked += 1;
        }
        if let Some(v) = value("risk: ") {
            assert_eq!(Some(b.risk), Risk::parse(&v), "{}", b.id);
            checked += 1;
        }
        if let Some(v) = value("title: ") {
            assert_eq!(b.title.en, v, "{}", b.id);
            checked += 1;
        }
        if let Some(v) = value("source: ") {
            assert_eq!(b.url.en, v, "{}", b.id);
            let ja = v.replace("docs.aws.amazon.com/", "docs.aws.amazon.com/ja_jp/");
            assert_eq!(b.url.ja, ja, "{}", b.id);
            checked += 1;
        }
    }
    // 11 x 2 question fields + 63 x 4 BP fields (legacy entries are skipped).
    assert!(checked >= 11 * 2 + 63 * 4, "compared only {checked} fields");
}

/// Where Security Hub CSPM controls belong (each tests that BP's core
/// claim): the exact set of BPs each control informs, checked against the
/// control catalogue by hand. Evidence imported from Security Hub lands on
/// these BPs, so a wrong entry marks the wrong answer as failing.
const CONTROL_PLACES: &[(&str, &[&str])] = &[
    // CIS AWS Foundations Benchmark v3.0 controls.
    ("EC2.53", &["SEC05-BP02", "SEC06-BP03"]),
    ("EC2.54", &["SEC05-BP02", "SEC06-BP03"]),
    ("IAM.15", &["SEC02-BP01"]),
    ("IAM.16", &["SEC02-BP01"]),
    ("IAM.18", &["SEC10-BP01", "SEC10-BP05"]),
    ("IAM.27", &["SEC03-BP02"]),
    ("IAM.28", &["SEC03-BP07"]),
    ("S3.22", &["SEC04-BP01"]),
    ("S3.23", &["SEC04-BP01"]),
    // Recovery points encrypted at rest: encryption, not lifecycle or forensics.
    ("Backup.1", &["SEC08-BP02"]),
    // GuardDuty and Inspector controls.
    (
        "GuardDuty.1",
        &["SEC01-BP04", "SEC04-BP01", "SEC05-BP03", "SEC10-BP06"],
    ),
    ("GuardDuty.8", &["SEC06-BP05", "SEC10-BP06"]),
    ("GuardDuty.10", &["SEC10-BP06"]),
    ("GuardDuty.11", &["SEC06-BP05", "SEC10-BP06"]),
    ("Inspector.1", &["SEC06-BP01", "SEC06-BP05"]),
    ("Inspector.2", &["SEC06-BP01", "SEC06-BP05", "SEC11-BP02"]),
    ("Inspector.3", &["SEC11-BP02"]),
    ("Inspector.4", &["SEC06-BP01", "SEC06-BP05", "SEC11-BP02"]),
    // Formerly on the wrong BP.
    ("EC2.8", &["SEC06-BP02"]),
    ("EC2.6", &["SEC04-BP01"]),
    ("RDS.1", &["SEC03-BP07"]),
    ("RDS.2", &["SEC05-BP02"]),
    ("CloudTrail.4", &["SEC04-BP01", "SEC10-BP03"]),
    ("CloudTrail.7", &["SEC04-BP02"]),
    ("SSM.3", &["SEC06-BP03", "SEC06-BP05"]),
    // Both VPN tunnels up is availability; dropping invalid headers is not
    // encryption in transit; CodeBuild.5 was retired in April 2024.
    ("EC2.20", &[]),
    ("ELB.4", &[]),
    ("CodeBuild.5", &[]),
    // The catalogue spells the OpenSearch controls "Opensearch".
    ("OpenSearch.1", &[]),
    ("Opensearch.1", &["SEC08-BP02"]),
];

#[test]
fn security_hub_controls_sit_on_the_bps_they_test() {
    let bank = Bank::embedded().unwrap();
    for (control, bps) in CONTROL_PLACES {
        assert_eq!(bank.bps_for_control(control), *bps, "{control}");
    }
    for (_, b) in bank.bps() {
        for c in &b.mappings.security_hub {
            assert!(valid_control_id(c), "{}: {c}", b.id);
        }
    }
}

#[test]
fn cis_lists_match_what_the_guidance_covers() {
    let bank = Bank::embedded().unwrap();
    let cis = |bp: &str| bank.bp(bp).unwrap().1.mappings.cis_v3.clone();
    // SEC04-BP03 sets up the CIS monitoring alarms 4.1 to 4.15.
    let alarms: Vec<String> = (1..=15).map(|n| format!("4.{n}")).collect();
    assert_eq!(cis("SEC04-BP03"), alarms);
    // The root-usage alarm is 4.3 (it also protects the root user), the
    // KMS key deletion alarm 4.7.
    assert!(cis("SEC01-BP02").contains(&"4.3".to_string()));
    assert!(cis("SEC08-BP01").contains(&"4.7".to_string()));
    // CloudTrail log file validation (3.2) is log integrity, not software integrity.
    assert!(!cis("SEC06-BP04").contains(&"3.2".to_string()));
}

fn team_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    dir
}

const TEAM_Q: &str = r#"id: ACME01
wa_question_id: acme-pci
none_of_these_choice_id: acme_pci_no
none_of_these_confidence: high
area: { en: "Payments", ja: "決済" }
title: { en: "How do you keep card data out of scope?", ja: "カード情報をどのように対象範囲外にしていますか?" }
description: { en: "Team question.", ja: "チームの質問です。" }
best_practices:
  - id: ACME01-BP01
    title: { en: "Tokenise card data", ja: "カード情報をトークン化する" }
    url: { en: "https://docs.aws.amazon.com/whitepapers/latest/pci-dss-scoping-on-aws/tokenization.html", ja: "https://docs.aws.amazon.com/ja_jp/whitepapers/latest/pci-dss-scoping-on-aws/tokenization.html" }
    risk: High
    wa_choice_id: acme_pci_tokenise
    wa_choice_id_confidence: high
    automation: process
    good: { en: "Only tokens are stored.", ja: "トークンのみを保存します。" }
    improve: { en: ["Use the provider's vault."], ja: ["決済代行のボールトを使います。"] }
    checks: []
"#;

#[test]
fn a_team_directory_without_lens_extends_the_bank() {
    let dir = team_dir(&[("acme01.yaml", TEAM_Q)]);
    let bank = Bank::load(Some(dir.path())).unwrap();
    assert_eq!(bank.questions().len(), 12);
    assert!(bank.bp("ACME01-BP01").is_some());
    assert!(bank.bp("SEC01-BP01").is_some());
}

#[test]
fn the_repository_questions_directory_loads_as_a_bank() {
    // lens.yaml, sec01..sec11 and the glossary, which is not a question.
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../questions");
    let bank = Bank::load(Some(std::path::Path::new(dir))).unwrap();
    assert_eq!(bank.questions().len(), 11);
    assert_eq!(bank.bp_count(), 63);
}

#[test]
fn a_team_directory_with_lens_replaces_the_bank() {
    let lens = include_str!("../../../../questions/lens.yaml");
    let dir = team_dir(&[("lens.yaml", lens), ("acme01.yaml", TEAM_Q)]);
    let bank = Bank::load(Some(dir.path())).unwrap();
    assert_eq!(bank.questions().len(), 1);
    assert!(bank.bp("SEC01-BP01").is_none());
}

fn load_err(text: &str) -> BankError {
    let dir = team_dir(&[
        ("lens.yaml", include_str!("../../../../questions/lens.yaml")),
        ("q.yaml", text),
    ]);
    Bank::load(Some(dir.path())).unwrap_err()
}

#[test]
fn syntax_errors_name_file_line_and_column() {
    let broken = TEAM_Q.replace("risk: High", "risk: [High");
    match load_err(&broken) {
        BankError::Yaml(e) => {
            assert!(e.file.ends_with("q.yaml"), "{e}");
            assert!(e.line.is_some() && e.column.is_some(), "{e}");
        }
        other => panic!("expected a YAML error, got {other}"),
    }
}

#[test]
fn unknown_fields_are_rejected_with_position() {
    let extra = TEAM_Q.replace("    checks: []\n", "    checks: []\n    colour: red\n");
    match load_err(&extra) {
        BankError::Yaml(e) => {
            assert_eq!(e.line, Some(19), "{e}");
            assert!(e.message.contains("colour"), "{e}");
        }
        other => panic!("expected a YAML error, got {other}"),
    }
}

#[test]
fn type_errors_name_the_line() {
    let bad = TEAM_Q.replace("checks: []", "checks: 7");
    match load_err(&bad) {
        BankError::Yaml(e) => assert_eq!(e.line, Some(18), "{e}"),
        other => panic!("expected a YAML error, got {other}"),
    }
}

fn problems(text: &str) -> Vec<String> {
    match load_err(text) {
        BankError::Invalid(p) => p,
        other => panic!("expected semantic problems, got {other}"),
    }
}

#[test]
fn every_bp_names_its_guidance_page() {
    // Missing: a YAML error at the BP, naming the field.
    let start = TEAM_Q.find("    url: ").unwrap();
    let end = start + TEAM_Q[start..].find('\n').unwrap() + 1;
    let without = format!("{}{}", &TEAM_Q[..start], &TEAM_Q[end..]);
    match load_err(&without) {
        BankError::Yaml(e) => assert!(e.message.contains("url"), "{e}"),
        other => panic!("expected a YAML error, got {other}"),
    }
    // Not on docs.aws.amazon.com, or no Japanese page: named problems.
    let p = problems(&TEAM_Q.replace(
        "en: \"https://docs.aws.amazon.com/whitepapers",
        "en: \"http://wiki.example.com/whitepapers",
    ));
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].starts_with("ACME01-BP01: url.en 'http://wiki.example.com/"),
        "{p:?}"
    );
    let p = problems(&TEAM_Q.replace(
        "ja: \"https://docs.aws.amazon.com/ja_jp/whitepapers/latest/pci-dss-scoping-on-aws/tokenization.html\"",
        "ja: \"\"",
    ));
    assert_eq!(p, vec!["ACME01-BP01: url has no Japanese translation"]);
}

#[test]
fn semantic_errors_name_the_item() {
    let p = problems(&TEAM_Q.replace("risk: High", "risk: Severe"));
    assert_eq!(
        p,
        vec!["ACME01-BP01: unknown risk level 'Severe' (expected High, Medium or Low)"]
    );

    let p = problems(&TEAM_Q.replace("ja: \"カード情報をトークン化する\"", "ja: \"\""));
    assert_eq!(p, vec!["ACME01-BP01: title has no Japanese translation"]);

    let mapped = TEAM_Q.replace(
        "    checks: []\n",
        "    checks: []\n    mappings: { security_hub: [\"IAM-4\"], cis_v3: [\"1.23\"] }\n",
    );
    assert_eq!(
        problems(&mapped),
        vec![
            "ACME01-BP01: malformed Security Hub control id 'IAM-4' (expected Service.N, e.g. IAM.4)",
            "ACME01-BP01: '1.23' is not a CIS AWS Foundations Benchmark v3.0 recommendation",
        ]
    );

    let p = problems(&TEAM_Q.replace("checks: []", "checks: [Iam.Root-MFA]"));
    assert_eq!(
        p,
        vec!["ACME01-BP01: malformed check id 'Iam.Root-MFA' (expected service.check_name)"]
    );

    let dup = format!(
        "{TEAM_Q}{}",
        &TEAM_Q[TEAM_Q.find("  - id: ACME01-BP01").unwrap()..]
            .replace("acme_pci_tokenise", "acme_other")
    );
    let p = problems(&dup);
    assert_eq!(p, vec!["ACME01-BP01: duplicate best practice id"]);
}

#[test]
fn hostile_files_fail_fast() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(matches!(load_err(&deep), BankError::Yaml(_)));
    let mut bomb = String::from("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
    for i in 0..15 {
        bomb.push_str(&format!(
            "b{i}: &b{i} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]\n",
            p = if i == 0 {
                "a".to_string()
            } else {
                format!("b{}", i - 1)
            }
        ));
    }
    let start = std::time::Instant::now();
    assert!(matches!(load_err(&bomb), BankError::Yaml(_)));
    assert!(
        start.elapsed().as_secs() < 10,
        "alias bomb took {:?}",
        start.elapsed()
    );
}

#[cfg(unix)]
#[test]
fn a_question_directory_with_a_pipe_fails_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("sec99.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return;
    }
    let err = wasec_core::Bank::load(Some(dir.path())).unwrap_err();
    assert!(
        err.to_string()
            .contains("not a regular file (a named pipe)"),
        "{err}"
    );
}
