//! `wasec pull`: read a workload's security answers (or a milestone's)
//! into a new review, with the Tool's lens version, its own risks and
//! improvement items, and the base for the next three-way push.

use crate::client::WaClient;
use crate::error::Error;
use crate::facets;
use crate::merge::{self, Merged, Prefer};
use crate::plan::{self, Labels, Snapshot};
use crate::{Out, mapping, meta, text, view};
use std::collections::{BTreeMap, BTreeSet};
use wasec_core::review::sync::{SyncBase, ToolView, WaSync};
use wasec_core::review::{QuestionRisk, WaToolLink};
use wasec_core::{Bank, Review, scoring};

#[derive(Debug, Clone)]
pub struct PullOptions {
    pub workload_id: String,
    /// A milestone number, or a milestone name.
    pub milestone: Option<String>,
}

async fn milestone_number(client: &WaClient, id: &str, m: &str) -> Result<i32, Error> {
    if let Ok(n) = m.trim().parse::<i32>() {
        return Ok(n);
    }
    let all = client.list_milestones(id).await?;
    all.iter()
        .find(|x| x.name == m)
        .map(|x| x.number)
        .ok_or_else(|| Error::Usage(text::no_milestone(m, id, &all)))
}

pub async fn pull(
    client: &WaClient,
    bank: &Bank,
    opts: &PullOptions,
    out: &mut Out<'_>,
) -> Result<Review, Error> {
    let id = &opts.workload_id;
    let milestone = match &opts.milestone {
        Some(m) => Some(milestone_number(client, id, m).await?),
        None => None,
    };
    let snap = plan::read(client, bank, id, milestone).await?;
    warn_unmatched(bank, &snap, out);
    let mut review = Review::new(snap.workload.name.clone(), wasec_core::now().date());
    meta::apply_to_review(&snap.workload, &mut review);
    // The answers are the Tool's, given against its lens version.
    review.framework_version = snap.lens.version.clone();
    let titles = snap.titles();
    let mut others = Vec::new();
    for q in bank.questions() {
        let Some(a) = snap.answers.get(&q.wa_question_id) else {
            continue;
        };
        let (answer, o, warnings) = mapping::to_answer(q, &facets::from_tool(&a.state), &titles);
        for w in warnings {
            out.warn(w);
        }
        others.extend(o);
        if answer != Default::default() {
            review.answers.insert(q.id.clone(), answer);
        }
    }
    let problems = review.validate(bank);
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    let items = client.list_improvements(id, milestone).await?;
    let view = view::build(bank, &snap.lens, &items, tool_risks(bank, &snap), others);
    // A milestone is history: its answers are no base for the live workload.
    let base = milestone
        .is_none()
        .then(|| base_after_pull(bank, &review, &snap, client.region()));
    review.wa_tool = Some(WaToolLink {
        workload_id: snap.workload.id.clone(),
        region: client.region().to_string(),
        lens_version: snap.lens.version.clone(),
        sync: Some(WaSync {
            bases: base.into_iter().collect(),
            tool: Some(view.clone()),
        }),
    });
    let answered = review
        .answers
        .keys()
        .filter(|q| review.is_answered(bank, q))
        .count();
    out.line(text::pulled(
        &snap.workload.name,
        id,
        milestone,
        answered,
        bank.questions().len(),
        &snap.lens,
        out.lang,
    ));
    compare_risks(bank, &review, &view, out);
    Ok(review)
}

fn warn_unmatched(bank: &Bank, snap: &Snapshot, out: &mut Out<'_>) {
    for l in &snap.listed {
        if !bank
            .questions()
            .iter()
            .any(|q| q.wa_question_id == l.question_id)
        {
            out.warn(text::tool_question_not_in_bank(&l.question_id, &l.title));
        }
    }
    for q in bank.questions() {
        if snap.listed(&q.wa_question_id).is_none() {
            out.warn(text::bank_question_not_listed(&q.id, &q.wa_question_id));
        }
    }
}

fn tool_risks(bank: &Bank, snap: &Snapshot) -> BTreeMap<String, QuestionRisk> {
    bank.questions()
        .iter()
        .filter_map(|q| {
            let a = snap.answers.get(&q.wa_question_id)?;
            let r = a.risk.or_else(|| snap.listed(&q.wa_question_id)?.risk)?;
            Some((q.id.clone(), r))
        })
        .collect()
}

/// Both sides hold the pulled answers: the base of the next push.
pub(crate) fn base_after_pull(
    bank: &Bank,
    review: &Review,
    snap: &Snapshot,
    region: &str,
) -> SyncBase {
    let mut base = SyncBase {
        workload_id: snap.workload.id.clone(),
        region: region.to_string(),
        at: wasec_core::now(),
        lens_version: snap.lens.version.clone(),
        wasec: Default::default(),
        tool: Default::default(),
    };
    for q in bank.questions() {
        let (Some(l), Some(a)) = (
            snap.listed(&q.wa_question_id),
            snap.answers.get(&q.wa_question_id),
        ) else {
            continue;
        };
        let ids: BTreeSet<String> = l.choices.iter().map(|(c, _)| c.clone()).collect();
        let (want, _) = mapping::wanted(bank, review, q, &ids);
        let qid = q.wa_question_id.clone();
        base.wasec
            .questions
            .insert(qid.clone(), facets::fingerprints(&want));
        base.tool
            .questions
            .insert(qid, facets::fingerprints(&facets::from_tool(&a.state)));
    }
    base.wasec.workload = facets::fingerprints(&meta::wanted(review));
    base.tool.workload = facets::fingerprints(&meta::from_tool(&snap.workload));
    base
}

/// The Tool's risks beside wasec's, where they differ.
fn compare_risks(bank: &Bank, review: &Review, view: &ToolView, out: &mut Out<'_>) {
    let c = view.risk_counts;
    out.line(text::tool_counts(
        c.high,
        c.medium,
        c.none,
        c.unanswered,
        c.not_applicable,
        out.lang,
    ));
    for q in bank.questions() {
        let Some(tool) = view.risks.get(&q.id) else {
            continue;
        };
        let ours = scoring::question_risk(q, review.answer(&q.id));
        if *tool != ours {
            out.line(text::risk_differs(&q.id, *tool, ours, out.lang));
        }
    }
}

/// How to merge the Tool's changes into an existing review.
#[derive(Debug, Clone, Default)]
pub struct MergeOptions {
    pub prefer: Option<Prefer>,
    pub dry_run: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeOutcome {
    /// Questions whose answer changed in the review.
    pub changed: usize,
    /// Workload fields that changed in the review.
    pub fields: usize,
    /// Values the review changed and has not pushed yet (kept).
    pub unpushed: usize,
}

/// `wasec pull FILE`: bring what changed in the Tool since the last sync
/// into a linked review, keeping the review's own unpushed changes; both
/// sides changing the same thing is a conflict, as for push.
pub async fn pull_into(
    client: &WaClient,
    bank: &Bank,
    review: &mut Review,
    opts: &MergeOptions,
    out: &mut Out<'_>,
) -> Result<MergeOutcome, Error> {
    let link = review
        .wa_tool
        .clone()
        .ok_or_else(|| Error::Usage(text::no_target()))?;
    if link.region != client.region() {
        return Err(Error::Usage(text::linked_elsewhere(&link, client.region())));
    }
    let snap = plan::read(client, bank, &link.workload_id, None).await?;
    out.line(text::workload_line(
        &snap.workload.name,
        &snap.workload.id,
        client.region(),
        out.lang,
    ));
    let base = link
        .sync
        .as_ref()
        .and_then(|s| s.base(client.region(), &link.workload_id))
        .cloned();
    let plan = plan::plan(bank, review, &snap, base.as_ref(), opts.prefer);
    let labels = Labels {
        bank,
        titles: snap.titles(),
    };
    for p in &plan.questions {
        out.text(plan::describe_pull(
            p.q,
            &p.merged,
            &labels,
            opts.dry_run,
            out.lang,
        ));
    }
    out.text(plan::describe_pull_fields(
        &plan.workload.merged,
        &labels,
        opts.dry_run,
        out.lang,
    ));
    let outcome = merge_outcome(&plan);
    out.line(text::pull_summary(
        outcome.changed,
        outcome.fields,
        outcome.unpushed,
        plan.conflicts(),
        out.lang,
    ));
    if plan.conflicts() > 0 {
        return Err(Error::Conflicts(plan.conflicts()));
    }
    if opts.dry_run {
        out.line(text::dry_run(out.lang));
        return Ok(outcome);
    }
    apply(review, &plan, &snap, out);
    let old = base.unwrap_or_else(|| base_after_pull(bank, review, &snap, client.region()));
    let new_base = base_after_merge(bank, review, &plan, &snap, &old);
    let items = client.list_improvements(&link.workload_id, None).await?;
    let view = view::build(
        bank,
        &snap.lens,
        &items,
        tool_risks(bank, &snap),
        Vec::new(),
    );
    review.framework_version = snap.lens.version.clone();
    let mut link = link;
    link.lens_version = snap.lens.version.clone();
    let sync = link.sync.get_or_insert_with(WaSync::default);
    sync.set_base(new_base);
    sync.tool = Some(view);
    review.wa_tool = Some(link);
    Ok(outcome)
}

/// Whether the merged value differs from the review's (so the review changes).
fn review_changes(m: &Merged) -> bool {
    m.wasec.as_deref() != Some(m.result.as_str())
        && !(m.wasec.is_none() && m.result == facets::default_of(&m.key))
}

/// The review keeps a value of its own that the Tool does not have yet.
fn unpushed(m: &Merged) -> bool {
    m.wasec.as_deref() == Some(m.result.as_str()) && m.result != m.tool
}

fn merge_outcome(plan: &plan::Plan) -> MergeOutcome {
    let q = &plan.questions;
    MergeOutcome {
        changed: q
            .iter()
            .filter(|p| p.merged.iter().any(review_changes))
            .count(),
        fields: plan
            .workload
            .merged
            .iter()
            .filter(|m| review_changes(m))
            .count(),
        unpushed: q
            .iter()
            .flat_map(|p| &p.merged)
            .filter(|m| unpushed(m))
            .count(),
    }
}

fn apply(review: &mut Review, plan: &plan::Plan, snap: &Snapshot, out: &mut Out<'_>) {
    let titles = snap.titles();
    for p in plan
        .questions
        .iter()
        .filter(|p| p.merged.iter().any(review_changes))
    {
        let (answer, _, warnings) = mapping::to_answer(p.q, &p.result, &titles);
        for w in warnings {
            out.warn(w);
        }
        if answer == Default::default() {
            review.answers.remove(&p.q.id);
        } else {
            review.answers.insert(p.q.id.clone(), answer);
        }
    }
    let fields = merge::results(&plan.workload.merged);
    if plan.workload.merged.iter().any(review_changes) {
        meta::apply_facets(&fields, review);
    }
}

/// The new base after a merge: the Tool side is what the Tool holds; the
/// review side is what the review now holds, except where the review kept
/// an unpushed change (that keeps its old base, so the next push sends it).
fn base_after_merge(
    bank: &Bank,
    review: &Review,
    plan: &plan::Plan,
    snap: &Snapshot,
    old: &SyncBase,
) -> SyncBase {
    let mut base = base_after_pull(bank, review, snap, &old.region);
    for p in &plan.questions {
        let qid = &p.q.wa_question_id;
        let old_w = old.wasec.questions.get(qid).cloned().unwrap_or_default();
        let w = base.wasec.questions.entry(qid.clone()).or_default();
        for m in p.merged.iter().filter(|m| unpushed(m)) {
            match old_w.get(&m.key) {
                Some(v) => w.insert(m.key.clone(), v.clone()),
                None => w.remove(&m.key),
            };
        }
    }
    for m in plan.workload.merged.iter().filter(|m| unpushed(m)) {
        match old.wasec.workload.get(&m.key) {
            Some(v) => base.wasec.workload.insert(m.key.clone(), v.clone()),
            None => base.wasec.workload.remove(&m.key),
        };
    }
    base
}
