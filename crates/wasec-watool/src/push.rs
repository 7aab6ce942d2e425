//! `wasec push`: find or create the workload, compare the review with the
//! Tool question by question, print the diff and write only what differs.

use crate::client::{ConnectOptions, NewWorkload, WaClient, WaError};
use crate::mapping::{self, LensDrift, QuestionChange, WaState};
use crate::{Error, Out, console_url, token};
use std::collections::{BTreeMap, BTreeSet};
use wasec_core::bank::Question;
use wasec_core::review::{Environment, QuestionRisk};
use wasec_core::{Bank, Review, scoring};

/// Which workload to write to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Id(String),
    Name(String),
}

#[derive(Debug, Clone)]
pub struct PushOptions {
    pub connect: ConnectOptions,
    pub target: Target,
    /// Create the workload (by name) when it does not exist.
    pub create: bool,
    pub milestone: Option<String>,
    pub dry_run: bool,
}

/// A question where the Tool's risk differs from wasec's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskMismatch {
    pub question: String,
    pub tool: QuestionRisk,
    pub wasec: QuestionRisk,
}

#[derive(Debug, Clone, Default)]
pub struct PushOutcome {
    /// None only for a dry run against a workload that does not exist yet.
    pub workload_id: Option<String>,
    pub created: bool,
    pub lens_version: String,
    pub changes: usize,
    pub written: usize,
    pub risk_mismatches: Vec<RiskMismatch>,
    pub milestone_number: Option<i32>,
    pub console_url: Option<String>,
}

fn looks_like_aws_region(r: &str) -> bool {
    // e.g. us-east-1, ap-northeast-1, us-gov-west-1
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts[0].chars().all(|c| c.is_ascii_lowercase())
        && parts
            .last()
            .is_some_and(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
}

/// CreateWorkload input from the review. The review owner is required in
/// practice (the API docs say so even though the model marks it optional).
pub fn new_workload(review: &Review, name: &str, region: &str) -> Result<NewWorkload, Error> {
    let w = &review.workload;
    let owner = w.owner.trim();
    if owner.chars().count() < 3 {
        return Err(Error::Usage(
            "the review has no owner (workload.owner, at least 3 characters); the WA Tool needs a review owner to create a workload. Set it with `wasec review` or in the file.".into(),
        ));
    }
    let mut description = w.description.trim().to_string();
    if description.chars().count() < 3 {
        description = format!("Security review of {name} (created by wasec)");
    }
    let (aws, other): (Vec<String>, Vec<String>) = w
        .regions
        .iter()
        .cloned()
        .partition(|r| looks_like_aws_region(r));
    let aws_regions = if aws.is_empty() && other.is_empty() {
        vec![region.to_string()]
    } else {
        aws
    };
    let mut accounts = w.accounts.clone();
    accounts.sort();
    Ok(NewWorkload {
        name: name.to_string(),
        description: mapping::truncate(&description, 250).0,
        environment: match w.environment {
            Environment::Production => "PRODUCTION".into(),
            Environment::Preproduction => "PREPRODUCTION".into(),
        },
        review_owner: mapping::truncate(owner, 255).0,
        aws_regions,
        non_aws_regions: other.into_iter().take(5).collect(),
        token: token(&[
            "create-workload",
            region,
            &accounts.join(","),
            &mapping::normalize_name(name),
        ]),
        account_ids: accounts,
    })
}

/// Find the workload; create it when asked. Returns (id, created).
async fn resolve(
    client: &WaClient,
    review: &Review,
    opts: &PushOptions,
    out: &mut Out<'_>,
) -> Result<(Option<String>, bool), Error> {
    let name = match &opts.target {
        Target::Id(id) => {
            let w = client.get_workload(id).await?;
            out.line(format!(
                "Workload {} ({}) in {}",
                w.name,
                w.id,
                client.region()
            ));
            return Ok((Some(w.id), false));
        }
        Target::Name(n) => n.clone(),
    };
    // The Tool ignores case and spaces when it checks names, but a name
    // prefix search may not: search by the first word, then (if that finds
    // nothing) list everything, and compare normalised names.
    let want = mapping::normalize_name(&name);
    let first_word = name.split_whitespace().next().unwrap_or_default();
    let mut found = Vec::new();
    for prefix in [first_word, ""] {
        found = client
            .list_workloads(prefix)
            .await?
            .into_iter()
            .filter(|w| mapping::normalize_name(&w.name) == want)
            .collect();
        if !found.is_empty() {
            break;
        }
    }
    if let Some(w) = found.first() {
        if found.len() > 1 {
            out.warn(format!(
                "{} workloads match the name {name:?}; using {}",
                found.len(),
                w.id
            ));
        }
        out.line(format!(
            "Workload {} ({}) in {}",
            w.name,
            w.id,
            client.region()
        ));
        return Ok((Some(w.id.clone()), false));
    }
    if !opts.create {
        return Err(Error::Usage(format!(
            "no workload named {name:?} in {}. Check --region, pass --workload-id, or add --create to create it.",
            client.region()
        )));
    }
    let spec = new_workload(review, &name, client.region())?;
    if opts.dry_run {
        out.line(format!(
            "Would create workload {name:?} in {} (owner {}, {}, lens wellarchitected)",
            client.region(),
            spec.review_owner,
            spec.environment
        ));
        return Ok((None, false));
    }
    let id = match client.create_workload(&spec).await {
        Ok(id) => id,
        Err(WaError::Conflict { message, .. }) => {
            return Err(Error::Usage(format!(
                "a workload with a name like {name:?} already exists in {} (names are unique per account and region, ignoring case and spaces): {message}",
                client.region()
            )));
        }
        Err(e) => return Err(e.into()),
    };
    out.line(format!(
        "Created workload {name:?} ({id}) in {}",
        client.region()
    ));
    Ok((Some(id), true))
}

/// Keep only choice ids the Tool lists for the question (writing an id it
/// does not know would be rejected).
fn restrict(state: &mut WaState, known: &BTreeSet<String>) {
    state.selected.retain(|c| known.contains(c));
    state.not_applicable.retain(|c, _| known.contains(c));
    state.choice_notes.retain(|c, _| known.contains(c));
}

pub async fn push(
    bank: &Bank,
    review: &Review,
    opts: &PushOptions,
    out: &mut Out<'_>,
) -> Result<PushOutcome, Error> {
    let client = WaClient::connect(&opts.connect).await;
    let region = client.region().to_string();
    let (workload_id, created) = resolve(&client, review, opts, out).await?;
    let mut outcome = PushOutcome {
        workload_id: workload_id.clone(),
        created,
        ..Default::default()
    };

    // What the Tool knows: questions, choices and the lens version.
    let mut tool_choices: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut titles: BTreeMap<String, String> = BTreeMap::new();
    if let Some(id) = &workload_id {
        let lens = client.lens_review(id, None).await?;
        outcome.lens_version = lens.version.clone();
        let bank_version = &bank.lens().framework_version;
        match mapping::lens_drift(&lens.version, bank_version) {
            LensDrift::Behind => out.warn(format!(
                "the workload's lens review is version {} but the question bank is {bank_version}: upgrade the lens review in the WA Tool; choice ids may differ",
                lens.version
            )),
            LensDrift::Ahead => out.warn(format!(
                "the workload's lens review is version {}, newer than the question bank ({bank_version}): some choice ids may be unknown to wasec",
                lens.version
            )),
            LensDrift::Unknown if !lens.version.is_empty() => out.warn(format!(
                "cannot compare the lens version {} with the bank's {bank_version}",
                lens.version
            )),
            _ => {}
        }
        for q in client.list_answers(id, None).await? {
            for (c, t) in &q.choices {
                titles.insert(c.clone(), t.clone());
            }
            tool_choices.insert(
                q.question_id,
                q.choices.into_iter().map(|(c, _)| c).collect(),
            );
        }
        reconcile(bank, &tool_choices, out);
    }

    // Diff, question by question.
    let mut changes: Vec<(&Question, QuestionChange)> = Vec::new();
    for q in bank.questions() {
        let (desired, warnings) = mapping::desired_state(bank, review, q);
        for w in warnings {
            out.warn(w);
        }
        let Some(mut desired) = desired else { continue };
        let current = match &workload_id {
            Some(id) if tool_choices.contains_key(&q.wa_question_id) => {
                if let Some(known) = tool_choices
                    .get(&q.wa_question_id)
                    .filter(|k| !k.is_empty())
                {
                    restrict(&mut desired, known);
                }
                client.get_answer(id, &q.wa_question_id, None).await?.state
            }
            Some(_) => continue, // reported by reconcile
            None => WaState::empty(),
        };
        if let Some(ch) = mapping::diff_question(q, &current, &desired) {
            changes.push((q, ch));
        }
    }
    outcome.changes = changes.len();
    let label = |c: &str| -> String {
        if bank
            .questions()
            .iter()
            .any(|q| q.none_of_these_choice_id == c)
        {
            return format!("None of these ({c})");
        }
        let bp = bank
            .bps()
            .find(|(_, b)| b.wa_choice_id == c)
            .map(|(_, b)| b.id.clone());
        match (bp, titles.get(c)) {
            (Some(bp), _) => format!("{bp} ({c})"),
            (None, Some(t)) => format!("{c} \"{t}\""),
            (None, None) => c.to_string(),
        }
    };
    if changes.is_empty() {
        out.line("No differences: the WA Tool already matches the review.".to_string());
    } else {
        out.line(format!("{} question(s) differ:", changes.len()));
        for (_, ch) in &changes {
            out.text(ch.describe(&label));
        }
    }
    if opts.dry_run {
        out.line("Dry run: nothing was written.".to_string());
        return Ok(outcome);
    }
    let Some(id) = workload_id else {
        return Ok(outcome);
    };

    // Write, one question at a time (the Tool applies them in order; a
    // parallel writer on the same workload risks ConflictException).
    for (q, ch) in &changes {
        let mut req = mapping::update_request(q, &ch.desired);
        if let Some(known) = tool_choices
            .get(&q.wa_question_id)
            .filter(|k| !k.is_empty())
        {
            req.choice_updates.retain(|c, _| known.contains(c));
        }
        let answer = client.update_answer(&id, &q.wa_question_id, &req).await?;
        outcome.written += 1;
        let ours = scoring::question_risk(q, review.answer(&q.id));
        if let Some(tool) = answer.risk
            && tool != ours
        {
            outcome.risk_mismatches.push(RiskMismatch {
                question: q.id.clone(),
                tool,
                wasec: ours,
            });
        }
    }
    out.line(format!("Updated {} question(s).", outcome.written));
    for m in &outcome.risk_mismatches {
        out.warn(format!(
            "{}: the WA Tool rates it {} but wasec rates it {}",
            m.question,
            mapping::risk_api(m.tool),
            mapping::risk_api(m.wasec)
        ));
    }

    if let Some(name) = &opts.milestone {
        let n = name.chars().count();
        if !(3..=100).contains(&n) {
            return Err(Error::Usage(
                "a milestone name needs 3 to 100 characters".into(),
            ));
        }
        let tok = token(&["milestone", &id, name]);
        match client.create_milestone(&id, name, &tok).await {
            Ok(num) => {
                out.line(format!("Milestone {num} {name:?} created."));
                outcome.milestone_number = Some(num);
            }
            Err(WaError::Conflict { message, .. }) => {
                return Err(Error::Usage(format!(
                    "milestone {name:?} already exists on this workload (milestone names are unique per workload): {message}"
                )));
            }
            Err(WaError::Quota { message, .. }) => {
                return Err(Error::Usage(format!(
                    "the workload already has the maximum of 100 milestones: {message}"
                )));
            }
            Err(e) => return Err(e.into()),
        }
    }
    let url = console_url(&region, &id);
    out.line(format!("Open in the console: {url}"));
    outcome.console_url = Some(url);
    Ok(outcome)
}

/// Warn about bank ids the Tool does not list.
fn reconcile(bank: &Bank, tool: &BTreeMap<String, BTreeSet<String>>, out: &mut Out<'_>) {
    for q in bank.questions() {
        let Some(known) = tool.get(&q.wa_question_id) else {
            out.warn(format!(
                "{}: the WA Tool does not list question {:?} in the security pillar; skipped",
                q.id, q.wa_question_id
            ));
            continue;
        };
        if known.is_empty() {
            continue;
        }
        let missing: Vec<&str> = mapping::bank_choice_ids(q)
            .into_iter()
            .filter(|c| !known.contains(*c))
            .collect();
        if !missing.is_empty() {
            out.warn(format!(
                "{}: the WA Tool does not list the bank's choice ids {}; they are not written (check them with `aws wellarchitected list-answers`)",
                q.id,
                missing.join(", ")
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review() -> Review {
        let mut r = Review::new("Shop", time::macros::date!(2026 - 11 - 01));
        r.workload.owner = "Aiko".into();
        r
    }

    #[test]
    fn new_workload_needs_an_owner_and_splits_regions() {
        let mut r = review();
        r.workload.regions = vec![
            "ap-northeast-1".into(),
            "us-gov-west-1".into(),
            "On-prem Tokyo DC".into(),
        ];
        r.workload.accounts = vec!["444455556666".into(), "111122223333".into()];
        let w = new_workload(&r, "Shop", "ap-northeast-1").unwrap();
        assert_eq!(w.aws_regions, vec!["ap-northeast-1", "us-gov-west-1"]);
        assert_eq!(w.non_aws_regions, vec!["On-prem Tokyo DC"]);
        assert_eq!(w.environment, "PRODUCTION");
        assert!(w.description.chars().count() >= 3);
        // The token ignores account order and name spelling, but not the region.
        let mut r2 = r.clone();
        r2.workload.accounts.reverse();
        assert_eq!(
            new_workload(&r2, " shop ", "ap-northeast-1").unwrap().token,
            w.token
        );
        assert_ne!(
            new_workload(&r, "Shop", "us-east-1").unwrap().token,
            w.token
        );
        // No regions at all: the push region.
        r.workload.regions.clear();
        assert_eq!(
            new_workload(&r, "Shop", "eu-west-1").unwrap().aws_regions,
            vec!["eu-west-1"]
        );
        r.workload.owner = " ".into();
        assert!(
            matches!(new_workload(&r, "Shop", "eu-west-1"), Err(Error::Usage(m)) if m.contains("owner"))
        );
    }
}
