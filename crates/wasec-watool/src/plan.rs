//! Read what the Tool holds, merge it with the review question by question
//! and describe the result: what is written, what the Tool keeps, what
//! conflicts.

use crate::client::{
    Improvement, LensInfo, ListedQuestion, ToolAnswer, WaClient, WorkloadInfo, WorkloadUpdate,
};
use crate::error::Error;
use crate::facets::{self, Facets};
use crate::mapping::{self, UpdateRequest, Warning};
use crate::merge::{self, Cuts, How, Merged, Prefer, RawNotes};
use crate::meta;
use crate::text;
use std::collections::{BTreeMap, BTreeSet};
use wasec_core::bank::Question;
use wasec_core::review::sync::{SyncBase, SyncSide};
use wasec_core::{Bank, Lang, Review};

/// What the Tool holds for a workload (now, or at a milestone).
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub workload: WorkloadInfo,
    pub lens: LensInfo,
    pub listed: Vec<ListedQuestion>,
    /// GetAnswer per WA question id of the bank the Tool lists.
    pub answers: BTreeMap<String, ToolAnswer>,
}

impl Snapshot {
    pub fn listed(&self, wa_question_id: &str) -> Option<&ListedQuestion> {
        self.listed.iter().find(|q| q.question_id == wa_question_id)
    }

    /// Choice id -> title, over every question.
    pub fn titles(&self) -> BTreeMap<String, String> {
        self.listed
            .iter()
            .flat_map(|q| q.choices.iter().cloned())
            .collect()
    }
}

/// GetWorkload, GetLensReview, ListAnswers (every page) and GetAnswer for
/// each bank question the Tool lists.
pub async fn read(
    client: &WaClient,
    bank: &Bank,
    id: &str,
    milestone: Option<i32>,
) -> Result<Snapshot, Error> {
    let workload = client.get_workload(id).await?;
    read_rest(client, bank, workload, milestone).await
}

/// [`read`] for a workload already read with GetWorkload.
pub async fn read_rest(
    client: &WaClient,
    bank: &Bank,
    workload: WorkloadInfo,
    milestone: Option<i32>,
) -> Result<Snapshot, Error> {
    let id = workload.id.clone();
    let id = id.as_str();
    let lens = client.lens_review(id, milestone).await?;
    let listed = client.list_answers(id, milestone).await?;
    let mut answers = BTreeMap::new();
    for q in bank.questions() {
        if listed.iter().any(|l| l.question_id == q.wa_question_id) {
            let a = client.get_answer(id, &q.wa_question_id, milestone).await?;
            answers.insert(q.wa_question_id.clone(), a);
        }
    }
    Ok(Snapshot {
        workload,
        lens,
        listed,
        answers,
    })
}

/// The Tool's improvement items with bank question ids.
pub fn improvements(
    bank: &Bank,
    items: &[Improvement],
) -> Vec<wasec_core::review::sync::ToolImprovement> {
    items
        .iter()
        .filter_map(|i| {
            let risk = i.risk?;
            let question = bank
                .questions()
                .iter()
                .find(|q| q.wa_question_id == i.question_id)
                .map(|q| q.id.clone())
                .unwrap_or_else(|| i.question_id.clone());
            Some(wasec_core::review::sync::ToolImprovement {
                question,
                risk,
                title: i.title.clone(),
                url: i.url.clone(),
            })
        })
        .collect()
}

/// One question's merge.
#[derive(Debug, Clone)]
pub struct QuestionPlan<'b> {
    pub q: &'b Question,
    pub want: Facets,
    pub tool: Facets,
    pub raw: RawNotes,
    pub merged: Vec<Merged>,
    pub result: Facets,
    pub request: Option<(UpdateRequest, Cuts)>,
}

impl QuestionPlan<'_> {
    pub fn conflicts(&self) -> usize {
        self.merged.iter().filter(|m| m.unsettled()).count()
    }

    /// Facets where the Tool keeps a value the review does not have.
    pub fn kept(&self) -> usize {
        self.merged
            .iter()
            .filter(|m| m.how == How::Keep && m.wasec.as_ref().is_some_and(|w| *w != m.tool))
            .count()
    }

    fn notable(&self) -> bool {
        self.request.is_some() || self.merged.iter().any(notable)
    }
}

fn notable(m: &Merged) -> bool {
    match m.how {
        How::Same => false,
        How::Keep => m.tool_changed || m.wasec.as_ref().is_some_and(|w| *w != m.tool),
        _ => true,
    }
}

/// The workload fields' merge.
#[derive(Debug, Clone, Default)]
pub struct WorkloadPlan {
    pub merged: Vec<Merged>,
    pub update: WorkloadUpdate,
}

#[derive(Debug, Clone, Default)]
pub struct Plan<'b> {
    pub questions: Vec<QuestionPlan<'b>>,
    pub workload: WorkloadPlan,
    pub warnings: Vec<Warning>,
}

impl Plan<'_> {
    pub fn conflicts(&self) -> usize {
        self.questions
            .iter()
            .map(QuestionPlan::conflicts)
            .sum::<usize>()
            + self
                .workload
                .merged
                .iter()
                .filter(|m| m.unsettled())
                .count()
    }

    pub fn writes(&self) -> usize {
        self.questions
            .iter()
            .filter(|q| q.request.is_some())
            .count()
    }

    pub fn kept(&self) -> usize {
        self.questions.iter().map(QuestionPlan::kept).sum()
    }
}

fn raw_notes(a: &ToolAnswer) -> RawNotes {
    RawNotes {
        question: a.state.notes.clone(),
        choices: a.state.choice_notes.clone(),
    }
}

/// Merge the review with a snapshot, question by question, and the workload's fields.
pub fn plan<'b>(
    bank: &'b Bank,
    review: &Review,
    snap: &Snapshot,
    base: Option<&SyncBase>,
    prefer: Option<Prefer>,
) -> Plan<'b> {
    let mut plan = Plan::default();
    let (bw, bt): (Option<&SyncSide>, Option<&SyncSide>) =
        (base.map(|b| &b.wasec), base.map(|b| &b.tool));
    for q in bank.questions() {
        let (Some(listed), Some(answer)) = (
            snap.listed(&q.wa_question_id),
            snap.answers.get(&q.wa_question_id),
        ) else {
            continue;
        };
        let ids: BTreeSet<String> = listed.choices.iter().map(|(c, _)| c.clone()).collect();
        let (want, w) = mapping::wanted(bank, review, q, &ids);
        plan.warnings.extend(w);
        let tool = facets::from_tool(&answer.state);
        let mut merged = merge::merge(
            &want,
            &tool,
            merge::question_base(bw, bt, &q.wa_question_id),
            prefer,
        );
        merge::check_none_of_these(&mut merged, &q.none_of_these_choice_id, prefer);
        let result = merge::results(&merged);
        let raw = raw_notes(answer);
        let request = merge::request(&tool, &result, &raw);
        plan.questions.push(QuestionPlan {
            q,
            want,
            tool,
            raw,
            merged,
            result,
            request,
        });
    }
    let want = meta::wanted(review);
    let tool = meta::from_tool(&snap.workload);
    let base = (bw.map(|s| &s.workload), bt.map(|s| &s.workload));
    let merged = merge::merge(&want, &tool, base, prefer);
    let update = meta::update(&tool, &merge::results(&merged));
    plan.workload = WorkloadPlan { merged, update };
    plan
}

/// Bank choice ids the Tool's lens version does not list, per question.
pub fn missing_bank_choices(bank: &Bank, snap: &Snapshot) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for q in bank.questions() {
        let Some(l) = snap.listed(&q.wa_question_id) else {
            out.push((q.id.clone(), vec![q.wa_question_id.clone()]));
            continue;
        };
        let known: BTreeSet<&str> = l.choices.iter().map(|(c, _)| c.as_str()).collect();
        let missing: Vec<String> = mapping::bank_choice_ids(q)
            .into_iter()
            .filter(|c| !known.contains(c))
            .map(str::to_string)
            .collect();
        if !missing.is_empty() {
            out.push((q.id.clone(), missing));
        }
    }
    out
}

/// Names choices for people: `SEC03-BP04 (choice id)`, `None of these
/// (id)`, a retired choice with its old title, or the Tool's title.
pub struct Labels<'a> {
    pub bank: &'a Bank,
    pub titles: BTreeMap<String, String>,
}

impl Labels<'_> {
    pub fn choice(&self, c: &str) -> String {
        if let Some(q) = self
            .bank
            .questions()
            .iter()
            .find(|q| q.none_of_these_choice_id == c)
        {
            let _ = q;
            return format!("None of these ({c})");
        }
        if let Some((_, b)) = self.bank.bps().find(|(_, b)| b.wa_choice_id == c) {
            return format!("{} ({c})", b.id);
        }
        if let Some(r) = self
            .bank
            .lens()
            .retired_choices
            .iter()
            .find(|r| r.choice_id == c)
        {
            return format!("{c} \"{}\" (retired)", r.title);
        }
        match self.titles.get(c) {
            Some(t) => format!("{c} \"{t}\""),
            None => c.to_string(),
        }
    }
}

/// A readable description of one question's plan (empty when nothing is notable).
pub fn describe(p: &QuestionPlan, labels: &Labels, full: bool, lang: Lang) -> String {
    if !p.notable() {
        return String::new();
    }
    let mut out = text::question_header(&p.q.id, &p.q.wa_question_id, p.request.is_some(), lang);
    for m in in_bank_order(p.q, p.merged.iter().filter(|m| notable(m))) {
        out.push_str(&text::merged_line(m, labels, full, lang));
    }
    if let Some((_, cuts)) = &p.request {
        for (c, cut) in cuts {
            out.push_str(&text::cut_line(
                c.as_deref().map(|c| labels.choice(c)),
                *cut,
                lang,
            ));
        }
    }
    out
}

/// The workload fields' plan, described.
pub fn describe_workload(p: &WorkloadPlan, labels: &Labels, full: bool, lang: Lang) -> String {
    let lines: String = p
        .merged
        .iter()
        .filter(|m| notable(m))
        .map(|m| text::merged_line(m, labels, full, lang))
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!(
        "{}{lines}",
        text::workload_header(!p.update.is_empty(), lang)
    )
}

/// A pull's view of one question: what the review takes from the Tool,
/// what it keeps of its own, what conflicts.
pub fn describe_pull(
    q: &Question,
    merged: &[Merged],
    labels: &Labels,
    full: bool,
    lang: Lang,
) -> String {
    let lines: String = in_bank_order(q, merged.iter().filter(|m| m.how != How::Same))
        .into_iter()
        .map(|m| text::pull_line(m, labels, full, lang))
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!(
        "{}{lines}",
        text::question_header(&q.id, &q.wa_question_id, true, lang)
    )
}

pub fn describe_pull_fields(merged: &[Merged], labels: &Labels, full: bool, lang: Lang) -> String {
    let lines: String = merged
        .iter()
        .filter(|m| m.how != How::Same)
        .map(|m| text::pull_line(m, labels, full, lang))
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    format!("{}{lines}", text::workload_header(true, lang))
}

/// Facets in the order reviewers know: applicability, then choices in the
/// bank's BP order (choices the bank does not know last), then notes.
fn in_bank_order<'m>(q: &Question, merged: impl Iterator<Item = &'m Merged>) -> Vec<&'m Merged> {
    let order = mapping::bank_choice_ids(q);
    let rank = |m: &Merged| {
        let group = match m.key.split('/').next() {
            Some(facets::APPLICABLE) => 0,
            Some("choice") => 1,
            Some("note") => 2,
            Some("evidence") if m.key.contains('/') => 3,
            _ => 4,
        };
        let pos = facets::choice_of(&m.key)
            .and_then(|c| order.iter().position(|o| *o == c))
            .unwrap_or(usize::MAX);
        (group, pos, m.key.clone())
    };
    let mut v: Vec<&Merged> = merged.collect();
    v.sort_by_key(|m| rank(m));
    v
}
