//! The catalogue and modules against the question bank and the generated
//! IAM policy.

use std::collections::BTreeSet;
use wasec_core::Bank;
use wasec_core::catalog::CheckId;
use wasec_evidence::{policy, registry};

#[test]
fn every_check_informs_some_bp_and_every_bank_check_exists() {
    let bank = Bank::embedded().unwrap();
    let listed: BTreeSet<&str> = bank.check_ids().into_iter().collect();
    for id in &listed {
        assert!(
            CheckId::parse(id).is_some(),
            "the bank lists {id}, which does not exist"
        );
    }
    // The Security Hub import maps each control to BPs through the bank's
    // control mappings instead of a fixed list.
    let orphans: Vec<&str> = CheckId::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !listed.contains(c) && *c != "sechub.failed_controls_import")
        .collect();
    assert!(orphans.is_empty(), "checks no BP lists: {orphans:?}");
}

#[test]
fn every_check_has_a_module() {
    for c in CheckId::ALL {
        assert!(registry::module_of(*c).is_some(), "{c} has no module");
    }
}

#[test]
fn the_policy_is_read_only_valid_json_and_complete() {
    let doc = policy::document();
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let back: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(back["Version"], "2012-10-17");
    // Every statement: some actions are granted on named resources only.
    let actions: Vec<&str> = back["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap())
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
    for c in CheckId::ALL {
        for a in c.info().actions {
            assert!(actions.contains(a), "{a} of {c} missing from the policy");
        }
    }
    assert!(actions.contains(&"sts:GetCallerIdentity") && actions.contains(&"ec2:DescribeRegions"));
}
