//! The real SDK client against the local test double: push, pull, the
//! rules the double enforces, retries and error messages.

use std::collections::BTreeMap;
use wasec_core::review::{NaReason, QuestionRisk};
use wasec_core::{Bank, Review};
use wasec_testkit::{Double, LensSetup};
use wasec_watool::client::WaClient;
use wasec_watool::mapping::{self, ChoiceStatus, UpdateRequest};
use wasec_watool::pull::{PullOptions, pull};
use wasec_watool::push::{PushOptions, PushOutcome, Target, push};
use wasec_watool::{ConnectOptions, Error, Out, WaError, block_on};

fn setup() -> (Bank, Double, Review) {
    // Short backoff: injected throttling must not slow the suite down.
    // SAFETY: every test sets the same value before any client reads it.
    unsafe { std::env::set_var("WASEC_WATOOL_BACKOFF_MS", "5") };
    let bank = Bank::embedded().unwrap();
    let double = Double::start(&bank).unwrap();
    let review = wasec_core::demo::review(&bank).unwrap();
    (bank, double, review)
}

fn connect(d: &Double) -> ConnectOptions {
    ConnectOptions {
        region: "ap-northeast-1".into(),
        profile: None,
        endpoint_url: Some(d.endpoint()),
        test_credentials: true,
    }
}

fn by_name(d: &Double, name: &str) -> PushOptions {
    PushOptions {
        connect: connect(d),
        target: Target::Name(name.into()),
        create: true,
        milestone: None,
        dry_run: false,
    }
}

/// Run a push, returning the outcome (or error) and what it printed.
fn run_push(
    bank: &Bank,
    review: &Review,
    opts: &PushOptions,
) -> (Result<PushOutcome, Error>, String, String) {
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let r = {
        let mut out = Out::new(&mut o, &mut e);
        block_on(push(bank, review, opts, &mut out))
    };
    (
        r,
        String::from_utf8(o).unwrap(),
        String::from_utf8(e).unwrap(),
    )
}

fn run_pull(bank: &Bank, opts: &PullOptions) -> (Review, String) {
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let r = {
        let mut out = Out::new(&mut o, &mut e);
        block_on(pull(bank, opts, &mut out)).unwrap()
    };
    (r, String::from_utf8(e).unwrap())
}

/// The answers a push writes: answered questions, with bp_notes only where
/// the question applies (a question that does not apply sends no choices).
fn pushed_answers(bank: &Bank, review: &Review) -> BTreeMap<String, wasec_core::review::Answer> {
    review
        .answers
        .iter()
        .filter(|(q, _)| review.is_answered(bank, q))
        .map(|(q, a)| {
            let mut a = a.clone();
            if a.question_not_applicable.is_some() {
                a.bp_notes.clear();
                a.selected.clear();
                a.not_applicable.clear();
                a.none_of_these = false;
            }
            (q.clone(), a)
        })
        .collect()
}

#[test]
fn push_then_pull_round_trips_and_second_push_writes_nothing() {
    let (bank, d, review) = setup();
    let mut opts = by_name(&d, &review.workload.name);
    opts.milestone = Some("first review".into());
    let (r, out, _) = run_push(&bank, &review, &opts);
    let first = r.unwrap();
    assert!(first.created);
    let id = first.workload_id.clone().unwrap();
    assert_eq!(d.calls("CreateWorkload"), 1);
    assert_eq!(d.calls("UpdateAnswer"), first.changes);
    assert!(first.changes > 0 && first.written == first.changes);
    assert_eq!(d.milestones(&id), vec!["first review".to_string()]);
    assert!(out.contains(&format!("#/workload/{id}/overview")), "{out}");
    assert!(
        first.risk_mismatches.is_empty(),
        "{:?}",
        first.risk_mismatches
    );

    let pull_opts = PullOptions {
        connect: connect(&d),
        workload_id: id.clone(),
        milestone: None,
    };
    let (pulled, warnings) = run_pull(&bank, &pull_opts);
    assert!(warnings.is_empty(), "{warnings}");
    assert_eq!(pulled.answers, pushed_answers(&bank, &review));
    assert_eq!(pulled.workload.owner, review.workload.owner);
    assert_eq!(pulled.workload.description, review.workload.description);
    assert_eq!(pulled.wa_tool.as_ref().unwrap().workload_id, id);

    // The milestone snapshot reads back the same answers (by name and number).
    let (ms, _) = run_pull(
        &bank,
        &PullOptions {
            milestone: Some("first review".into()),
            ..pull_opts.clone()
        },
    );
    assert_eq!(ms.answers, pulled.answers);

    // A second push finds the workload by name (case and spaces ignored)
    // and writes nothing.
    let before = d.calls("UpdateAnswer");
    let again = by_name(&d, &review.workload.name.to_uppercase().replace(' ', "  "));
    let (r, out, _) = run_push(&bank, &review, &again);
    let second = r.unwrap();
    assert!(!second.created);
    assert_eq!(second.workload_id.as_deref(), Some(id.as_str()));
    assert_eq!(second.changes, 0, "{out}");
    assert_eq!(d.calls("UpdateAnswer"), before);
    assert_eq!(d.calls("CreateWorkload"), 1);

    // A changed answer writes exactly that question.
    let mut changed = review.clone();
    changed.set_selected(&bank, "SEC04-BP03", true).unwrap();
    let (r, out, _) = run_push(
        &bank,
        &changed,
        &PushOptions {
            target: Target::Id(id.clone()),
            ..again
        },
    );
    assert_eq!(r.unwrap().written, 1);
    assert!(out.contains("+ select   SEC04-BP03"), "{out}");
    assert_eq!(d.calls("UpdateAnswer"), before + 1);
}

#[test]
fn dry_run_makes_no_write_call() {
    let (bank, d, review) = setup();
    let mut opts = by_name(&d, "dry run shop");
    opts.dry_run = true;
    opts.milestone = Some("never".into());
    let (r, out, _) = run_push(&bank, &review, &opts);
    let o = r.unwrap();
    assert!(o.workload_id.is_none() && o.changes > 0);
    assert!(
        out.contains("Would create workload") && out.contains("Dry run"),
        "{out}"
    );
    // Against an existing workload too.
    let (r, _, _) = run_push(
        &bank,
        &review,
        &PushOptions {
            dry_run: false,
            milestone: None,
            ..opts.clone()
        },
    );
    let id = r.unwrap().workload_id.unwrap();
    let mut changed = review.clone();
    changed.set_selected(&bank, "SEC04-BP03", true).unwrap();
    let writes = |d: &Double| {
        d.calls("CreateWorkload") + d.calls("UpdateAnswer") + d.calls("CreateMilestone")
    };
    let before = writes(&d);
    let (r, out, _) = run_push(
        &bank,
        &changed,
        &PushOptions {
            target: Target::Id(id),
            ..opts
        },
    );
    assert_eq!(r.unwrap().changes, 1, "{out}");
    assert_eq!(writes(&d), before);
}

#[test]
fn throttling_and_conflicts_are_retried() {
    let (bank, d, review) = setup();
    d.throttle("ListWorkloads", 2);
    d.throttle("UpdateAnswer", 3);
    d.fault("UpdateAnswer", 409, 0, 2);
    let (r, _, err) = run_push(&bank, &review, &by_name(&d, "busy shop"));
    let o = r.unwrap();
    // Two throttled attempts, then the first-word search and the full listing.
    assert_eq!(d.calls("ListWorkloads"), 4, "{err}");
    assert_eq!(d.calls("UpdateAnswer"), o.written + 5);
}

#[test]
fn errors_are_explained() {
    let (bank, d, review) = setup();
    // Wrong id or region.
    let (r, _, _) = run_push(
        &bank,
        &review,
        &PushOptions {
            target: Target::Id("0".repeat(32)),
            ..by_name(&d, "x")
        },
    );
    let msg = r.unwrap_err().to_string();
    assert!(
        msg.contains("regional") && msg.contains("ap-northeast-1"),
        "{msg}"
    );
    // No owner: refuse before calling CreateWorkload.
    let mut no_owner = review.clone();
    no_owner.workload.owner.clear();
    let (r, _, _) = run_push(&bank, &no_owner, &by_name(&d, "ownerless"));
    assert!(r.unwrap_err().to_string().contains("owner"));
    assert_eq!(d.calls("CreateWorkload"), 0);
    // Not found by name without --create.
    let (r, _, _) = run_push(
        &bank,
        &review,
        &PushOptions {
            create: false,
            ..by_name(&d, "ghost")
        },
    );
    assert!(r.unwrap_err().to_string().contains("--create"));
    // Access denied names the action.
    d.deny("UpdateAnswer");
    let (r, _, _) = run_push(&bank, &review, &by_name(&d, "denied shop"));
    let msg = r.unwrap_err().to_string();
    assert!(msg.contains("wellarchitected:UpdateAnswer"), "{msg}");
}

#[test]
fn milestone_names_are_unique_and_retries_reuse_the_token() {
    let (bank, d, review) = setup();
    let mut opts = by_name(&d, "milestone shop");
    opts.milestone = Some("Q4 review".into());
    let id = run_push(&bank, &review, &opts)
        .0
        .unwrap()
        .workload_id
        .unwrap();
    // Same name again: the deterministic token makes it idempotent.
    let again = run_push(&bank, &review, &opts).0.unwrap();
    assert_eq!(again.milestone_number, Some(1));
    assert_eq!(d.milestones(&id).len(), 1);
    // Another client created "Q5 review" with its own token: wasec's create conflicts.
    let c = block_on(WaClient::connect(&connect(&d)));
    block_on(c.create_milestone(&id, "Q5 review", "someone-else")).unwrap();
    opts.milestone = Some("Q5 review".into());
    let msg = run_push(&bank, &review, &opts).0.unwrap_err().to_string();
    assert!(msg.contains("already exists"), "{msg}");
}

#[test]
fn tool_risk_disagreement_is_reported() {
    let (bank, d, review) = setup();
    d.force_risk("identities", "NONE");
    let (r, _, err) = run_push(&bank, &review, &by_name(&d, "risky shop"));
    let o = r.unwrap();
    let want =
        wasec_core::scoring::question_risk(bank.question("SEC02").unwrap(), review.answer("SEC02"));
    assert_ne!(want, QuestionRisk::None);
    assert_eq!(o.risk_mismatches.len(), 1);
    assert_eq!(o.risk_mismatches[0].question, "SEC02");
    assert!(err.contains("SEC02: the WA Tool rates it NONE"), "{err}");
}

#[test]
fn lens_version_drift_is_warned() {
    let (bank, d, review) = setup();
    let mut dry = by_name(&d, "old lens shop");
    let id = run_push(&bank, &review, &dry)
        .0
        .unwrap()
        .workload_id
        .unwrap();
    let old = LensSetup {
        version: "2022-03-31".into(),
        status: "CURRENT".into(),
        extra: Default::default(),
        missing: Vec::new(),
    };
    d.set_lens(&id, &old).unwrap();
    dry.target = Target::Id(id);
    let (r, _, err) = run_push(&bank, &review, &dry);
    r.unwrap();
    assert!(err.contains("lens review is version 2022-03-31"), "{err}");
}

#[test]
fn unknown_tool_choices_survive_a_pull_as_notes() {
    let (bank, d, review) = setup();
    let id = run_push(&bank, &review, &by_name(&d, "retired ids shop"))
        .0
        .unwrap()
        .workload_id
        .unwrap();
    let mut lens = LensSetup::previous(&bank);
    lens.status = "CURRENT".into();
    lens.version = bank.lens().framework_version.clone();
    d.set_lens(&id, &lens).unwrap();
    let c = block_on(WaClient::connect(&connect(&d)));
    let q = bank.question("SEC06").unwrap();
    let mut req = UpdateRequest {
        selected_choices: Some(vec![
            "sec_protect_compute_reduce_surface".into(),
            q.best_practices[0].wa_choice_id.clone(),
        ]),
        choice_updates: Default::default(),
        is_applicable: true,
        reason: None,
        notes: "from the console".into(),
    };
    block_on(c.update_answer(&id, "protect-compute", &req)).unwrap();
    let (pulled, warnings) = run_pull(
        &bank,
        &PullOptions {
            connect: connect(&d),
            workload_id: id.clone(),
            milestone: None,
        },
    );
    assert!(
        warnings.contains("sec_protect_compute_reduce_surface"),
        "{warnings}"
    );
    let a = pulled.answer("SEC06").unwrap();
    assert_eq!(a.selected, vec![q.best_practices[0].id.clone()]);
    assert!(
        a.notes.starts_with("from the console")
            && a.notes.contains("sec_protect_compute_reduce_surface")
    );

    // The double rejects what the Tool documents as invalid.
    req.selected_choices = Some(vec!["sec_not_a_choice".into()]);
    let e = block_on(c.update_answer(&id, "protect-compute", &req)).unwrap_err();
    assert!(matches!(e, WaError::Validation { .. }), "{e}");
    req.selected_choices = None;
    req.notes = "n".repeat(2085);
    assert!(matches!(
        block_on(c.update_answer(&id, "protect-compute", &req)),
        Err(WaError::Validation { .. })
    ));
    req.notes.clear();
    req.choice_updates.insert(
        q.best_practices[0].wa_choice_id.clone(),
        (
            ChoiceStatus::NotApplicable,
            Some(NaReason::Other),
            "c".repeat(251),
        ),
    );
    assert!(matches!(
        block_on(c.update_answer(&id, "protect-compute", &req)),
        Err(WaError::Validation { .. })
    ));
    // Long notes from wasec are cut to fit, so they are accepted.
    let mut long = review.clone();
    long.set_notes(&bank, "SEC06", &"long ".repeat(600))
        .unwrap();
    let (r, _, err) = run_push(
        &bank,
        &long,
        &PushOptions {
            target: Target::Id(id.clone()),
            ..by_name(&d, "x")
        },
    );
    r.unwrap();
    assert!(err.contains("truncated"), "{err}");
    let stored = block_on(c.get_answer(&id, "protect-compute", None))
        .unwrap()
        .state
        .notes;
    assert!(mapping::api_len(&stored) <= mapping::QUESTION_NOTES_MAX);
    assert!(stored.ends_with(mapping::TRUNCATED_MARK));
}

#[test]
fn double_enforces_page_size_and_name_uniqueness() {
    let (_bank, d, _review) = setup();
    let conf = aws_sdk_wellarchitected::Config::builder()
        .behavior_version(aws_sdk_wellarchitected::config::BehaviorVersion::latest())
        .region(aws_sdk_wellarchitected::config::Region::new("us-east-1"))
        .credentials_provider(aws_sdk_wellarchitected::config::Credentials::new(
            "test", "test", None, None, "test",
        ))
        .endpoint_url(d.endpoint())
        .build();
    let c = aws_sdk_wellarchitected::Client::from_conf(conf);
    block_on(async {
        let r = c.list_workloads().max_results(51).send().await;
        let e = r.unwrap_err();
        assert_eq!(
            aws_sdk_wellarchitected::error::ProvideErrorMetadata::code(&e),
            Some("ValidationException")
        );
        let create = |name: &str, token: &str| {
            c.create_workload()
                .workload_name(name)
                .description("test workload")
                .environment(aws_sdk_wellarchitected::types::WorkloadEnvironment::Production)
                .review_owner("owner@example.com")
                .lenses("wellarchitected")
                .aws_regions("us-east-1")
                .client_request_token(token)
                .send()
        };
        create("My Shop", "t1").await.unwrap();
        let e = create("my  shop", "t2").await.unwrap_err();
        assert_eq!(
            aws_sdk_wellarchitected::error::ProvideErrorMetadata::code(&e),
            Some("ConflictException")
        );
    });
    assert_eq!(d.workloads().len(), 1);
}
