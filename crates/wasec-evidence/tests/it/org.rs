//! Organization runs against moto (organization and members seeded by
//! bench/seed_org.py): what the run calls is allowed by the shipped
//! policies, and an OU selects exactly the accounts under it.

use crate::common::{self, Recorder};
use std::collections::BTreeSet;
use wasec_evidence::clients::RequestCounter;
use wasec_evidence::multi::{self, AccountResult, Event, OrgOptions, Source};
use wasec_evidence::org::AccountChoice;
use wasec_evidence::{CollectOptions, RegionChoice, policy};

fn seed_org(members: usize) -> serde_json::Value {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let out = std::process::Command::new(root.join(".venv/bin/python"))
        .arg(root.join("bench/seed_org.py"))
        .args([common::endpoint(), &members.to_string(), "--findings"])
        .output()
        .expect("run bench/seed_org.py");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn options(accounts: AccountChoice, source: Source) -> OrgOptions {
    OrgOptions {
        accounts,
        role_name: "OrganizationAccountAccessRole".into(),
        external_id: None,
        shard: None,
        account_concurrency: 2,
        source,
        run: CollectOptions {
            regions: RegionChoice::List(vec!["us-east-1".into()]),
            ..CollectOptions::default()
        },
    }
}

/// Run and return the planned accounts and the finished ones.
async fn run(
    clients: &wasec_evidence::clients::Clients,
    counter: &RequestCounter,
    org: &OrgOptions,
) -> (Vec<String>, Vec<multi::AccountDone>) {
    let (tx, rx) = std::sync::mpsc::channel();
    multi::collect_org_with(clients, counter, org, tx)
        .await
        .expect("the run starts");
    let mut planned = Vec::new();
    let mut done = Vec::new();
    for e in rx.try_iter() {
        match e {
            Event::Planned { accounts, .. } => planned = accounts,
            Event::Done(d) => done.push(*d),
        }
    }
    (planned, done)
}

fn actions_of(doc: &serde_json::Value) -> BTreeSet<String> {
    doc["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().iter())
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn an_organization_run_calls_only_what_the_member_and_management_policies_allow() {
    let _moto = common::exclusive();
    let seed = seed_org(2);
    common::runtime().block_on(async {
        let counter = RequestCounter::default();
        let recorder = Recorder::default();
        let clients = common::clients(&counter)
            .await
            .with_interceptor(recorder.clone());
        let whole = AccountChoice::Organization { ou: None };
        let (planned, done) = run(&clients, &counter, &options(whole.clone(), Source::Scan)).await;
        assert_eq!(planned.len(), 3);
        for a in seed["accounts"].as_array().unwrap() {
            assert!(planned.iter().any(|p| p == a.as_str().unwrap()), "{a}");
        }
        assert_eq!(done.len(), 3);
        for d in &done {
            match &d.result {
                AccountResult::Scanned(o) => {
                    assert_eq!(o.account, d.account);
                    assert!(d.requests > 20, "{}: {} requests", d.account, d.requests);
                }
                other => panic!("{}: {other:?}", d.account),
            }
        }
        let before = counter.get();
        let (_, done) = run(&clients, &counter, &options(whole, Source::SecurityHub)).await;
        // Central reads: a handful of requests whatever the account count.
        assert!(counter.get() - before <= 6, "{}", counter.get() - before);
        let hub = done
            .iter()
            .filter(|d| matches!(d.result, AccountResult::SecurityHub { .. }))
            .count();
        assert_eq!(hub, 2, "both members have findings");

        let mut allowed = actions_of(&policy::member_document());
        allowed.extend(actions_of(&policy::management_document("R")));
        let missing: Vec<String> = recorder
            .operations()
            .iter()
            .map(|(s, o)| policy::action_for(s, o).unwrap_or_else(|| format!("{s}:{o}")))
            .filter(|a| !allowed.contains(a))
            .collect();
        assert!(missing.is_empty(), "called but in no policy: {missing:?}");
        let ops = recorder.operations();
        for needed in [
            ("Organizations", "ListAccounts"),
            ("STS", "AssumeRole"),
            ("SecurityHub", "GetFindings"),
        ] {
            assert!(
                ops.contains(&(needed.0.to_string(), needed.1.to_string())),
                "{needed:?} not called"
            );
        }
    });
}

#[test]
fn an_ou_selects_the_accounts_under_it() {
    let _moto = common::exclusive();
    let seed = seed_org(4);
    let ou = seed["ous"]["Production"].as_str().unwrap().to_string();
    let mut want: Vec<String> = seed["by_ou"]["Production"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect();
    want.sort();
    common::runtime().block_on(async {
        let counter = RequestCounter::default();
        let clients = common::clients(&counter).await;
        let org = options(
            AccountChoice::Organization { ou: Some(ou) },
            Source::SecurityHub,
        );
        let (planned, done) = run(&clients, &counter, &org).await;
        assert_eq!(planned, want);
        assert_eq!(done.len(), want.len());
    });
}
