//! `wasec pull`: read a workload's security answers (or a milestone's)
//! into a new review, so a review started in the console continues in wasec.

use crate::client::{ConnectOptions, WaClient};
use crate::mapping;
use crate::{Error, Out};
use std::collections::BTreeSet;
use wasec_core::review::{Environment, WaToolLink};
use wasec_core::{Bank, Review};

#[derive(Debug, Clone)]
pub struct PullOptions {
    pub connect: ConnectOptions,
    pub workload_id: String,
    /// A milestone number, or a milestone name.
    pub milestone: Option<String>,
}

async fn milestone_number(client: &WaClient, id: &str, m: &str) -> Result<i32, Error> {
    if let Ok(n) = m.parse::<i32>() {
        return Ok(n);
    }
    let all = client.list_milestones(id).await?;
    all.iter()
        .find(|(_, name)| name == m)
        .map(|(n, _)| *n)
        .ok_or_else(|| {
            let names: Vec<String> = all
                .iter()
                .map(|(n, name)| format!("{n} {name:?}"))
                .collect();
            Error::Usage(format!(
                "no milestone {m:?} on workload {id}; it has: {}",
                if names.is_empty() {
                    "none".to_string()
                } else {
                    names.join(", ")
                }
            ))
        })
}

pub async fn pull(bank: &Bank, opts: &PullOptions, out: &mut Out<'_>) -> Result<Review, Error> {
    let client = WaClient::connect(&opts.connect).await;
    let id = &opts.workload_id;
    let w = client.get_workload(id).await?;
    let milestone = match &opts.milestone {
        Some(m) => Some(milestone_number(&client, id, m).await?),
        None => None,
    };
    let lens = client.lens_review(id, milestone).await?;
    let listed = client.list_answers(id, milestone).await?;
    let listed_ids: BTreeSet<&str> = listed.iter().map(|q| q.question_id.as_str()).collect();

    let mut review = Review::new(w.name.clone(), wasec_core::now().date());
    review.workload.description = w.description.clone();
    review.workload.environment = if w.environment.eq_ignore_ascii_case("PREPRODUCTION") {
        Environment::Preproduction
    } else {
        Environment::Production
    };
    review.workload.owner = w.review_owner.clone();
    review.workload.accounts = w.account_ids.clone();
    review.workload.regions = w
        .aws_regions
        .iter()
        .chain(&w.non_aws_regions)
        .cloned()
        .collect();
    review.framework_version = bank.lens().framework_version.clone();

    for q in &listed {
        if !bank
            .questions()
            .iter()
            .any(|b| b.wa_question_id == q.question_id)
        {
            out.warn(format!(
                "the WA Tool question {:?} ({}) is not in the question bank; not imported",
                q.question_id, q.title
            ));
        }
    }
    let mut answered = 0;
    for q in bank.questions() {
        if !listed_ids.contains(q.wa_question_id.as_str()) {
            out.warn(format!(
                "{}: the WA Tool does not list question {:?}; left unanswered",
                q.id, q.wa_question_id
            ));
            continue;
        }
        let tool = client.get_answer(id, &q.wa_question_id, milestone).await?;
        let (answer, warnings) = mapping::answer_from_state(q, &tool.state);
        for w in warnings {
            out.warn(w);
        }
        if answer != Default::default() {
            answered += 1;
            review.answers.insert(q.id.clone(), answer);
        }
    }
    review.wa_tool = Some(WaToolLink {
        workload_id: w.id.clone(),
        region: client.region().to_string(),
        lens_version: lens.version.clone(),
    });
    let problems = review.validate(bank);
    if !problems.is_empty() {
        return Err(Error::Usage(format!(
            "the pulled review does not validate: {}",
            problems.join("; ")
        )));
    }
    out.line(format!(
        "Pulled {} ({}){}: {answered} of {} questions have answers.",
        w.name,
        w.id,
        milestone
            .map(|m| format!(" milestone {m}"))
            .unwrap_or_default(),
        bank.questions().len()
    ));
    Ok(review)
}
