//! The registry against the question bank and the generated IAM policy.

use wasec_core::Bank;
use wasec_evidence::{policy, registry};

#[test]
fn bank_and_registry_agree_both_ways() {
    let bank = Bank::embedded().unwrap();
    let problems = registry::bank_mismatches(&bank);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn every_check_has_complete_metadata() {
    for c in registry::checks() {
        assert!(!c.title_en.is_empty() && !c.title_ja.is_empty(), "{}", c.id);
        // Only the Security Hub import has no fixed BPs: its items carry
        // BPs mapped from the imported control id (see apply.rs).
        assert!(
            !c.bps.is_empty() || c.id == "sechub.failed_controls_import",
            "{} informs no BP",
            c.id
        );
        assert!(!c.actions.is_empty(), "{} declares no IAM action", c.id);
        let (prefix, rest) =
            c.id.split_once('.')
                .unwrap_or_else(|| panic!("bad id {}", c.id));
        assert!(!prefix.is_empty() && !rest.is_empty(), "{}", c.id);
        for a in c.actions {
            assert!(
                a.split_once(':')
                    .is_some_and(|(s, v)| !s.is_empty() && !v.is_empty()),
                "{}: bad action {a}",
                c.id
            );
        }
    }
}

#[test]
fn the_policy_is_read_only_valid_json_and_complete() {
    let doc = policy::document();
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let back: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back["Version"], "2012-10-17");
    let actions: Vec<&str> = back["Statement"][0]["Action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    let not_read: Vec<&&str> = actions
        .iter()
        .filter(|a| !policy::is_read_only(a))
        .collect();
    assert!(not_read.is_empty(), "not read-only: {not_read:?}");
    // The one non-read verb is present only with its written reason.
    for (a, why) in policy::NON_READ_EXCEPTIONS {
        assert!(why.len() > 40, "{a} needs a real justification");
    }
    for c in registry::checks() {
        for a in c.actions {
            assert!(
                actions.contains(a),
                "{a} of {} missing from the policy",
                c.id
            );
        }
    }
    assert!(actions.contains(&"sts:GetCallerIdentity") && actions.contains(&"ec2:DescribeRegions"));
}

#[test]
fn my_part_has_about_thirty_checks() {
    use wasec_evidence::services::{account, ec2, iam, organizations, s3};
    let n = iam::CHECKS.len()
        + s3::CHECKS.len()
        + ec2::CHECKS.len()
        + organizations::CHECKS.len()
        + account::CHECKS.len();
    assert!(n >= 30, "only {n} checks");
}

/// `cargo test -p wasec-evidence --test registry -- --ignored --nocapture`
/// prints `check<TAB>BP,BP` lines, the input for reconciling the bank.
#[test]
#[ignore]
fn dump_registry() {
    for c in registry::checks() {
        println!("REGISTRY\t{}\t{}", c.id, c.bps.join(","));
    }
}
