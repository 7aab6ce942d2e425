//! The report model: every fact a report shows, computed once from the
//! review, the question bank and the scoring, in one language.
//!
//! The document ([`crate::doc`]) that PDF, HTML and Markdown write is laid
//! out from this model; CSV and JSON read it directly. So no format can
//! disagree with another about a number, an ordering or a follow-up.

use crate::labels;
use serde::{Serialize, Serializer};
use wasec_core::Lang;
use wasec_core::bank::{Bank, BestPractice, Risk};
use wasec_core::review::{
    ActionStatus, EvidenceItem, EvidenceStatus, NaReason, QuestionRisk, Review, RiskCounts,
    ViewScore,
};
use wasec_core::scoring::{self, BpEvidence, Cause, Level, PlanKind, Scorecard, View};

/// The version tag of the JSON document (see the crate README).
pub const SCHEMA: &str = "wasec.report/2";

/// How many resources of one evidence item a report lists before "+N more".
pub const MAX_RESOURCES: usize = 8;

/// Enums of the bank that serialise in title case ("High") are written in
/// lower case like every other enum of the document.
fn lower<S: Serializer, T: std::fmt::Display>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string().to_lowercase())
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub lang: Lang,
    /// The day the report was produced (YYYY-MM-DD); overdue is judged against it.
    pub generated: String,
    pub title: String,
    pub workload: WorkloadInfo,
    pub framework: String,
    pub framework_version: String,
    pub pillar: String,
    /// The WA Tool's reading of the answers.
    pub declared: ViewResult,
    /// The same rule, with a selected BP whose evidence fails counted as not in place.
    pub evidence_adjusted: ViewResult,
    /// Evidence changes a score, a count or a question's risk.
    pub views_differ: bool,
    /// One sentence: the result, read from the evidence-adjusted view.
    pub verdict: String,
    /// A one-paragraph reading of the result, generated from the numbers.
    pub summary: String,
    /// Plan items by priority.
    pub priority_counts: PriorityCounts,
    /// Selected BPs whose evidence fails, over the whole review.
    pub contradictions: usize,
    /// Follow-ups still to do whose due date has passed.
    pub overdue: usize,
    pub questions: Vec<QuestionResult>,
    /// The improvement plan, one item per BP, most urgent first.
    pub plan: Vec<PlanRow>,
    /// The plan as work: items that share a root cause grouped, most urgent first.
    pub actions: Vec<ActionRow>,
    /// Every follow-up of the review, in question order.
    pub follow_ups: Vec<FollowUpRow>,
    /// Recorded milestones, oldest first, then the review as it is now.
    pub milestones: Vec<MilestoneRow>,
    /// What changed since the last milestone; `null` without milestones.
    pub changes: Option<Changes>,
    pub matrix: Matrix,
    pub evidence: Vec<EvidenceRow>,
    pub evidence_counts: StatusCounts,
    pub mappings: Vec<MappingRow>,
    /// Each AWS account judged on its own evidence; empty unless the
    /// evidence comes from two accounts or more.
    pub accounts: Vec<AccountResult>,
}

/// One AWS account's standing in a review with evidence from several
/// accounts (the answers are shared; the evidence is the account's own).
#[derive(Debug, Clone, Serialize)]
pub struct AccountResult {
    pub account: String,
    /// Evidence-adjusted score; `null` when nothing applies.
    pub score: Option<f64>,
    pub declared_score: Option<f64>,
    pub high: u32,
    pub medium: u32,
    /// Evidence-adjusted risk per question, in question order.
    pub risks: Vec<QuestionRisk>,
    pub failing: usize,
    /// The account's most urgent plan item.
    pub top: Option<TopItemRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TopItemRow {
    pub bp_id: String,
    pub title: String,
    pub priority: Level,
}

/// Per-account standings from core (the TUI's accounts view reads the same).
pub fn account_results(bank: &Bank, review: &Review, lang: Lang) -> Vec<AccountResult> {
    let rows = scoring::by_account(bank, review);
    if rows.len() < 2 {
        return Vec::new();
    }
    rows.into_iter()
        .map(|(account, s)| AccountResult {
            account,
            score: s.score,
            declared_score: s.declared_score,
            high: s.counts.high,
            medium: s.counts.medium,
            risks: s.risks,
            failing: s.failing,
            top: s.top.map(|t| TopItemRow {
                title: bank
                    .bp(&t.bp)
                    .map(|(_, b)| b.title.get(lang).to_string())
                    .unwrap_or_default(),
                bp_id: t.bp,
                priority: t.priority,
            }),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkloadInfo {
    pub name: String,
    pub description: String,
    pub environment: String,
    pub owner: String,
    pub reviewers: Vec<String>,
    pub accounts: Vec<String>,
    pub regions: Vec<String>,
    /// The review date, or the creation date when none was recorded.
    pub review_date: String,
}

/// One view of the whole review.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ViewResult {
    /// 0-100; `null` when no best practice applies.
    pub score: Option<f64>,
    pub counts: RiskCounts,
}

impl From<&ViewScore> for ViewResult {
    fn from(v: &ViewScore) -> ViewResult {
        ViewResult {
            score: v.score,
            counts: v.counts,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PriorityCounts {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
}

impl PriorityCounts {
    fn add(&mut self, l: Level) {
        match l {
            Level::Critical => self.critical += 1,
            Level::High => self.high += 1,
            Level::Medium => self.medium += 1,
            Level::Low => self.low += 1,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    pub pass: u32,
    pub fail: u32,
    pub unknown: u32,
    pub not_applicable: u32,
}

impl StatusCounts {
    fn add(&mut self, s: EvidenceStatus) {
        match s {
            EvidenceStatus::Pass => self.pass += 1,
            EvidenceStatus::Fail => self.fail += 1,
            EvidenceStatus::Unknown => self.unknown += 1,
            EvidenceStatus::NotApplicable => self.not_applicable += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.pass + self.fail + self.unknown + self.not_applicable
    }
}

/// One question under one view.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub risk: QuestionRisk,
    pub risk_label: String,
    /// 0-100; `null` when the question is unanswered or nothing in it applies.
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    pub id: String,
    pub area: String,
    /// A short label for charts ("Network", "ネットワーク").
    pub topic: String,
    pub title: String,
    pub declared: QuestionView,
    pub evidence_adjusted: QuestionView,
    pub selected: usize,
    pub applicable: usize,
    pub total: usize,
    pub contradictions: usize,
    /// Why the whole question does not apply; `null` when it does.
    pub not_applicable: Option<String>,
    pub notes: String,
    pub best_practices: Vec<BpResult>,
}

impl QuestionResult {
    pub fn view(&self, v: View) -> &QuestionView {
        match v {
            View::Declared => &self.declared,
            View::EvidenceAdjusted => &self.evidence_adjusted,
        }
    }
}

/// Where a BP stands in the answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BpState {
    InPlace,
    NotInPlace,
    NotApplicable,
    Unanswered,
}

#[derive(Debug, Clone, Serialize)]
pub struct BpResult {
    pub id: String,
    pub title: String,
    /// The AWS guidance page in the report language.
    pub url: String,
    #[serde(serialize_with = "lower")]
    pub risk: Risk,
    pub state: BpState,
    pub state_label: String,
    pub na_reason: Option<String>,
    pub note: String,
    /// Selected, but the evidence fails.
    pub contradiction: bool,
    pub evidence: StatusCounts,
    /// Indexes into [`Report::evidence`].
    pub evidence_items: Vec<usize>,
    /// The improvement steps of the bank.
    pub how_to_improve: Vec<String>,
    /// The rank of its plan item; `null` when it has none.
    pub plan_rank: Option<usize>,
    /// Ranks of the actions that work on it.
    pub actions: Vec<usize>,
    /// Ids of its follow-ups (see [`Report::follow_ups`]).
    pub follow_ups: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanRow {
    pub rank: usize,
    pub priority: Level,
    pub likelihood: Level,
    pub severity: Level,
    pub kind: PlanKind,
    pub question_id: String,
    pub bp_id: String,
    pub title: String,
    pub url: String,
    #[serde(serialize_with = "lower")]
    pub risk: Risk,
    pub evidence: StatusCounts,
    pub public_failure: bool,
    /// A short reading of the evidence ("2 fail / 1 pass: root has no MFA").
    pub evidence_summary: String,
    pub how_to_improve: Vec<String>,
    /// Ranks of the actions that work on it.
    pub actions: Vec<usize>,
    /// Ids of its follow-ups (see [`Report::follow_ups`]).
    pub follow_ups: Vec<String>,
}

/// What an action fixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionCause {
    /// A failing evidence check.
    Check { check: String },
    /// No failing evidence: put the BP in place.
    Practice { bp_id: String },
}

/// A BP an action works on.
#[derive(Debug, Clone, Serialize)]
pub struct ActionBp {
    pub bp_id: String,
    pub question_id: String,
    pub title: String,
    pub url: String,
    pub kind: PlanKind,
    pub priority: Level,
    pub plan_rank: usize,
    /// Other actions needed before this BP is closed (empty: this one closes it).
    pub needs_also: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionRow {
    pub rank: usize,
    pub priority: Level,
    pub cause: ActionCause,
    /// What to do, in one line (the failing finding, or the BP's title).
    pub title: String,
    /// The agreed follow-up that drives it (open, due first); `null` when none.
    pub lead: Option<String>,
    /// The lead follow-up's text, owner and due date (empty when none).
    pub agreed: String,
    pub owner: String,
    pub due: Option<String>,
    pub status: Option<ActionStatus>,
    /// Some follow-up of its BPs is overdue.
    pub overdue: bool,
    /// The first improvement step of its most urgent BP.
    pub first_step: String,
    /// How many more steps that BP's guidance has.
    pub more_steps: usize,
    /// Failing evidence (indexes into [`Report::evidence`]).
    pub findings: Vec<usize>,
    pub public: bool,
    pub bps: Vec<ActionBp>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FollowUpRow {
    pub id: String,
    pub bp_id: String,
    pub question_id: String,
    pub bp_title: String,
    pub bp_state: BpState,
    pub text: String,
    pub owner: String,
    pub due: Option<String>,
    pub status: ActionStatus,
    pub status_label: String,
    /// Still to do and past its due date on the report date.
    pub overdue: bool,
    /// The rank of the BP's plan item; `null` when the BP is not in the plan.
    pub plan_rank: Option<usize>,
    /// Ranks of the actions on its BP.
    pub actions: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneRow {
    pub name: String,
    /// YYYY-MM-DD.
    pub date: String,
    /// The review as it is now (the last row), not a recorded milestone.
    pub current: bool,
    pub declared: ViewResult,
    /// `null` for milestones recorded before wasec kept this view.
    pub evidence_adjusted: Option<ViewResult>,
}

/// A question whose risk moved since the last milestone.
#[derive(Debug, Clone, Serialize)]
pub struct RiskMove {
    pub question_id: String,
    pub topic: String,
    pub before: QuestionRisk,
    pub after: QuestionRisk,
}

/// What changed since the last milestone (declared view, the one
/// milestones have always recorded).
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    pub since: String,
    pub since_date: String,
    pub score_before: Option<f64>,
    pub score_after: Option<f64>,
    pub adjusted_before: Option<f64>,
    pub adjusted_after: Option<f64>,
    pub high_before: u32,
    pub high_after: u32,
    pub medium_before: u32,
    pub medium_after: u32,
    pub better: Vec<RiskMove>,
    pub worse: Vec<RiskMove>,
    /// Unanswered at the milestone, answered now.
    pub answered: Vec<RiskMove>,
}

/// The likelihood x severity matrix of the plan, labelled, rows and
/// columns in the order every format draws them.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// Row labels, most likely first: critical, high, medium, low.
    pub likelihood: Vec<Level>,
    /// Column labels: low, medium, high. A BP's risk has three levels, so
    /// a critical severity cannot occur and has no column.
    pub severity: Vec<Level>,
    /// `counts[row][column]`: plan items in the cell.
    pub counts: Vec<Vec<u32>>,
    /// `priority[row][column]`: the cell's priority.
    pub priority: Vec<Vec<Level>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub check: String,
    pub status: EvidenceStatus,
    /// In the report language (English when the item has no Japanese).
    pub summary: String,
    /// At most [`MAX_RESOURCES`] identifiers; see `more_resources`.
    pub resources: Vec<String>,
    pub more_resources: usize,
    pub account: String,
    pub region: String,
    pub collected_at: String,
    pub public: bool,
    /// The BPs this item informs.
    pub bps: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MappingRow {
    pub bp_id: String,
    pub title: String,
    pub state: BpState,
    pub security_hub: Vec<String>,
    pub cis_v3: Vec<String>,
    pub cyber_trust: Vec<String>,
}

/// The AWS guidance page of a BP in the report language (from the bank).
pub fn guidance_url(b: &BestPractice, lang: Lang) -> String {
    b.url.get(lang).to_string()
}

/// Build the model. `today` is the report date (passed in so tests and
/// benchmarks are reproducible); overdue is judged against it.
pub fn build(bank: &Bank, review: &Review, lang: Lang, today: time::Date) -> Report {
    let card = scoring::score(bank, review);
    let actions = scoring::actions(bank, review);
    let mut plan_items = scoring::plan(bank, review);
    plan_items.sort_by_key(|p| p.rank);
    let evidence = evidence_rows(bank, review, lang);

    let mut evidence_counts = StatusCounts::default();
    for e in &review.evidence {
        evidence_counts.add(e.status);
    }
    let plan_rank = |bp: &str| plan_items.iter().find(|p| p.bp_id == bp).map(|p| p.rank);
    let follow_up_ids = |bp: &str| -> Vec<String> {
        review
            .follow_ups
            .get(bp)
            .map(|l| l.iter().map(|f| f.id.clone()).collect())
            .unwrap_or_default()
    };

    let mut questions = Vec::with_capacity(bank.questions().len());
    let mut mappings = Vec::new();
    let mut follow_ups = Vec::new();
    for (q, qs) in bank.questions().iter().zip(&card.questions) {
        let answer = review.answer(&q.id);
        let answered = !matches!(qs.risk, QuestionRisk::Unanswered);
        let mut bps = Vec::with_capacity(q.best_practices.len());
        for b in &q.best_practices {
            let na = answer.and_then(|a| a.not_applicable.get(&b.id)).copied();
            let selected = answer.is_some_and(|a| a.is_selected(&b.id));
            let state = if qs.risk == QuestionRisk::NotApplicable || na.is_some() {
                BpState::NotApplicable
            } else if selected {
                BpState::InPlace
            } else if answered {
                BpState::NotInPlace
            } else {
                BpState::Unanswered
            };
            let summary = scoring::evidence_summary(bank, review, &b.id);
            let items: Vec<usize> = evidence
                .iter()
                .enumerate()
                .filter(|(_, e)| e.bps.iter().any(|x| x == &b.id))
                .map(|(i, _)| i)
                .collect();
            let action_ranks = scoring::actions_for(&actions, &b.id);
            for f in review.follow_ups.get(&b.id).into_iter().flatten() {
                follow_ups.push(FollowUpRow {
                    id: f.id.clone(),
                    bp_id: b.id.clone(),
                    question_id: q.id.clone(),
                    bp_title: b.title.get(lang).to_string(),
                    bp_state: state,
                    text: f.text.clone(),
                    owner: f.owner.clone(),
                    due: f.due.map(|d| d.to_string()),
                    status: f.status,
                    status_label: f.status.label(lang).to_string(),
                    overdue: f.is_overdue(today),
                    plan_rank: plan_rank(&b.id),
                    actions: action_ranks.clone(),
                });
            }
            bps.push(BpResult {
                id: b.id.clone(),
                title: b.title.get(lang).to_string(),
                url: guidance_url(b, lang),
                risk: b.risk,
                state,
                state_label: labels::bp_state(state, lang).to_string(),
                na_reason: na.map(|r| na_label(r, lang)),
                note: answer
                    .and_then(|a| a.bp_notes.get(&b.id))
                    .cloned()
                    .unwrap_or_default(),
                contradiction: selected && summary.status() == BpEvidence::Fail,
                evidence: counts_of(&summary.counts),
                evidence_items: items,
                how_to_improve: b.improve.get(lang).to_vec(),
                plan_rank: plan_rank(&b.id),
                actions: action_ranks,
                follow_ups: follow_up_ids(&b.id),
            });
            mappings.push(MappingRow {
                bp_id: b.id.clone(),
                title: b.title.get(lang).to_string(),
                state,
                security_hub: b.mappings.security_hub.clone(),
                cis_v3: b.mappings.cis_v3.clone(),
                cyber_trust: b.mappings.cyber_trust.clone(),
            });
        }
        let view = |risk: QuestionRisk, score: Option<f64>| QuestionView {
            risk,
            risk_label: risk.label(lang).to_string(),
            score,
        };
        questions.push(QuestionResult {
            id: q.id.clone(),
            area: q.area.get(lang).to_string(),
            topic: labels::topic(&q.id, lang)
                .map(str::to_string)
                .unwrap_or_else(|| q.area.get(lang).to_string()),
            title: q.title.get(lang).to_string(),
            declared: view(qs.risk, qs.score),
            evidence_adjusted: view(qs.evidence_adjusted.risk, qs.evidence_adjusted.score),
            selected: qs.selected,
            applicable: qs.applicable,
            total: qs.total,
            contradictions: qs.contradictions,
            not_applicable: answer
                .and_then(|a| a.question_not_applicable)
                .map(|r| na_label(r, lang)),
            notes: answer.map(|a| a.notes.clone()).unwrap_or_default(),
            best_practices: bps,
        });
    }

    let mut priority_counts = PriorityCounts::default();
    let mut plan = Vec::with_capacity(plan_items.len());
    for item in &plan_items {
        priority_counts.add(item.priority);
        let bp = bank.bp(&item.bp_id).map(|(_, b)| b);
        plan.push(PlanRow {
            rank: item.rank,
            priority: item.priority,
            likelihood: item.likelihood,
            severity: item.severity,
            kind: item.kind,
            question_id: item.question_id.clone(),
            bp_id: item.bp_id.clone(),
            title: bp
                .map(|b| b.title.get(lang).to_string())
                .unwrap_or_default(),
            url: bp.map(|b| guidance_url(b, lang)).unwrap_or_default(),
            risk: item.risk,
            evidence: counts_of(&item.evidence.counts),
            public_failure: item.evidence.public_failure,
            evidence_summary: evidence_line(review, bank, &item.bp_id, lang),
            how_to_improve: bp.map(|b| b.improve.get(lang).to_vec()).unwrap_or_default(),
            actions: scoring::actions_for(&actions, &item.bp_id),
            follow_ups: follow_up_ids(&item.bp_id),
        });
    }
    let action_rows = action_rows(bank, &actions, &evidence, lang, today);

    let contradictions = card.questions.iter().map(|q| q.contradictions).sum();
    let overdue = follow_ups.iter().filter(|f| f.overdue).count();
    let w = &review.workload;
    let workload = WorkloadInfo {
        name: w.name.clone(),
        description: w.description.clone(),
        environment: labels::environment(w.environment, lang).to_string(),
        owner: w.owner.clone(),
        reviewers: w.reviewers.clone(),
        accounts: w.accounts.clone(),
        regions: w.regions.clone(),
        review_date: w.review_date.unwrap_or(w.created).to_string(),
    };
    let framework_version = if review.framework_version.is_empty() {
        bank.lens().framework_version.clone()
    } else {
        review.framework_version.clone()
    };
    let milestones = milestone_rows(review, &card, today);
    let changes = changes(review, &card, &questions);
    let mut report = Report {
        schema: SCHEMA,
        lang,
        generated: today.to_string(),
        title: labels::title(lang).to_string(),
        workload,
        framework: bank.lens().framework.get(lang).to_string(),
        framework_version,
        pillar: bank.lens().pillar_name.get(lang).to_string(),
        declared: (&card.declared).into(),
        evidence_adjusted: (&card.evidence_adjusted).into(),
        views_differ: card.views_differ(),
        verdict: String::new(),
        summary: String::new(),
        priority_counts,
        contradictions,
        overdue,
        questions,
        matrix: matrix(&plan),
        plan,
        actions: action_rows,
        follow_ups,
        milestones,
        changes,
        evidence,
        evidence_counts,
        mappings,
        accounts: account_results(bank, review, lang),
    };
    report.verdict = labels::verdict(&report);
    report.summary = labels::narrative(&report);
    report
}

impl Report {
    pub fn view(&self, v: View) -> &ViewResult {
        match v {
            View::Declared => &self.declared,
            View::EvidenceAdjusted => &self.evidence_adjusted,
        }
    }

    pub fn action(&self, rank: usize) -> Option<&ActionRow> {
        self.actions.iter().find(|a| a.rank == rank)
    }

    pub fn follow_up(&self, id: &str) -> Option<&FollowUpRow> {
        self.follow_ups.iter().find(|f| f.id == id)
    }

    pub fn bp(&self, id: &str) -> Option<&BpResult> {
        self.questions
            .iter()
            .flat_map(|q| &q.best_practices)
            .find(|b| b.id == id)
    }

    pub fn question(&self, id: &str) -> Option<&QuestionResult> {
        self.questions.iter().find(|q| q.id == id)
    }
}

fn action_rows(
    bank: &Bank,
    actions: &[scoring::Action],
    evidence: &[EvidenceRow],
    lang: Lang,
    today: time::Date,
) -> Vec<ActionRow> {
    actions
        .iter()
        .map(|a| {
            let lead = a.lead();
            let first_bp = a.items.first().and_then(|i| bank.bp(&i.bp_id));
            let steps = first_bp
                .map(|(_, b)| b.improve.get(lang).to_vec())
                .unwrap_or_default();
            let findings: Vec<usize> = a
                .findings
                .iter()
                .filter_map(|f| {
                    evidence.iter().position(|e| {
                        e.check == f.check
                            && e.account == f.account
                            && e.region == f.region
                            && e.status == f.status
                            && f.resources.starts_with(&e.resources)
                    })
                })
                .collect();
            let title = match &a.cause {
                Cause::Check { .. } => finding_title(&a.findings, lang),
                Cause::Practice { .. } => first_bp
                    .map(|(_, b)| b.title.get(lang).to_string())
                    .unwrap_or_default(),
            };
            ActionRow {
                rank: a.rank,
                priority: a.priority,
                cause: match &a.cause {
                    Cause::Check { check } => ActionCause::Check {
                        check: check.clone(),
                    },
                    Cause::Practice { bp_id } => ActionCause::Practice {
                        bp_id: bp_id.clone(),
                    },
                },
                title,
                lead: lead.map(|f| f.id.clone()),
                agreed: lead.map(|f| f.text.clone()).unwrap_or_default(),
                owner: lead.map(|f| f.owner.clone()).unwrap_or_default(),
                due: lead.and_then(|f| f.due).map(|d| d.to_string()),
                status: lead.map(|f| f.status),
                overdue: a.overdue(today) > 0,
                first_step: steps.first().cloned().unwrap_or_default(),
                more_steps: steps.len().saturating_sub(1),
                findings,
                public: a.public(),
                bps: a
                    .items
                    .iter()
                    .map(|i| ActionBp {
                        bp_id: i.bp_id.clone(),
                        question_id: i.question_id.clone(),
                        title: bank
                            .bp(&i.bp_id)
                            .map(|(_, b)| b.title.get(lang).to_string())
                            .unwrap_or_default(),
                        url: bank
                            .bp(&i.bp_id)
                            .map(|(_, b)| guidance_url(b, lang))
                            .unwrap_or_default(),
                        kind: i.kind,
                        priority: i.priority,
                        plan_rank: i.rank,
                        needs_also: scoring::needs_also(actions, &i.bp_id, a.rank),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// "Security group sg-0bastion allows 0.0.0.0/0 on port 22." or, for a
/// check failing in several places, the first finding and how many more.
fn finding_title(findings: &[EvidenceItem], lang: Lang) -> String {
    let Some(first) = findings.first() else {
        return String::new();
    };
    let head = labels::plain(first.summary(lang), lang);
    match findings.len() {
        1 => head,
        n => labels::and_more(&head, n - 1, lang),
    }
}

fn milestone_rows(review: &Review, card: &Scorecard, today: time::Date) -> Vec<MilestoneRow> {
    let mut rows: Vec<MilestoneRow> = review
        .milestones
        .iter()
        .map(|m| MilestoneRow {
            name: m.name.clone(),
            date: m.created_at.date().to_string(),
            current: false,
            declared: ViewResult {
                score: m.score,
                counts: m.counts,
            },
            evidence_adjusted: m.evidence_adjusted.as_ref().map(ViewResult::from),
        })
        .collect();
    rows.sort_by(|a, b| a.date.cmp(&b.date));
    if !rows.is_empty() {
        rows.push(MilestoneRow {
            name: String::new(),
            date: today.to_string(),
            current: true,
            declared: (&card.declared).into(),
            evidence_adjusted: Some((&card.evidence_adjusted).into()),
        });
    }
    rows
}

/// How bad a question risk is, for "better" and "worse" (answered only).
fn severity_of(r: QuestionRisk) -> Option<u8> {
    match r {
        QuestionRisk::High => Some(2),
        QuestionRisk::Medium => Some(1),
        QuestionRisk::None => Some(0),
        QuestionRisk::Unanswered | QuestionRisk::NotApplicable => None,
    }
}

fn changes(review: &Review, card: &Scorecard, questions: &[QuestionResult]) -> Option<Changes> {
    let last = review.milestones.iter().max_by_key(|m| m.created_at)?;
    let (mut better, mut worse, mut answered) = (Vec::new(), Vec::new(), Vec::new());
    for (q, qr) in card.questions.iter().zip(questions) {
        let before = last
            .risks
            .get(&q.id)
            .copied()
            .unwrap_or(QuestionRisk::Unanswered);
        let mv = RiskMove {
            question_id: q.id.clone(),
            topic: qr.topic.clone(),
            before,
            after: q.risk,
        };
        match (severity_of(before), severity_of(q.risk)) {
            (Some(b), Some(a)) if a < b => better.push(mv),
            (Some(b), Some(a)) if a > b => worse.push(mv),
            (None, Some(_)) if before == QuestionRisk::Unanswered => answered.push(mv),
            _ => {}
        }
    }
    Some(Changes {
        since: last.name.clone(),
        since_date: last.created_at.date().to_string(),
        score_before: last.score,
        score_after: card.declared.score,
        adjusted_before: last.evidence_adjusted.and_then(|v| v.score),
        adjusted_after: card.evidence_adjusted.score,
        high_before: last.counts.high,
        high_after: card.declared.counts.high,
        medium_before: last.counts.medium,
        medium_after: card.declared.counts.medium,
        better,
        worse,
        answered,
    })
}

fn matrix(plan: &[PlanRow]) -> Matrix {
    let likelihood = vec![Level::Critical, Level::High, Level::Medium, Level::Low];
    let severity = vec![Level::Low, Level::Medium, Level::High];
    let counts = likelihood
        .iter()
        .map(|l| {
            severity
                .iter()
                .map(|s| {
                    plan.iter()
                        .filter(|p| p.likelihood == *l && p.severity == *s)
                        .count() as u32
                })
                .collect()
        })
        .collect();
    let priority = likelihood
        .iter()
        .map(|l| severity.iter().map(|s| scoring::priority(*l, *s)).collect())
        .collect();
    Matrix {
        likelihood,
        severity,
        counts,
        priority,
    }
}

fn counts_of(c: &wasec_core::review::EvidenceCounts) -> StatusCounts {
    StatusCounts {
        pass: c.pass,
        fail: c.fail,
        unknown: c.unknown,
        not_applicable: c.not_applicable,
    }
}

fn na_label(r: NaReason, lang: Lang) -> String {
    r.label(lang).to_string()
}

/// Evidence rows in a stable order: failures first (what a reader acts
/// on), then by check and resource.
fn evidence_rows(bank: &Bank, review: &Review, lang: Lang) -> Vec<EvidenceRow> {
    let mut rows: Vec<EvidenceRow> = review
        .evidence
        .iter()
        .map(|e| evidence_row(bank, e, lang))
        .collect();
    rows.sort_by(|a, b| {
        status_order(a.status)
            .cmp(&status_order(b.status))
            .then_with(|| a.check.cmp(&b.check))
            .then_with(|| a.resources.cmp(&b.resources))
    });
    rows
}

fn status_order(s: EvidenceStatus) -> u8 {
    match s {
        EvidenceStatus::Fail => 0,
        EvidenceStatus::Unknown => 1,
        EvidenceStatus::Pass => 2,
        EvidenceStatus::NotApplicable => 3,
    }
}

fn evidence_row(bank: &Bank, e: &EvidenceItem, lang: Lang) -> EvidenceRow {
    let shown = e.resources.len().min(MAX_RESOURCES);
    EvidenceRow {
        check: e.check.clone(),
        status: e.status,
        summary: labels::plain(e.summary(lang), lang),
        resources: e.resources[..shown].to_vec(),
        more_resources: e.resources.len() - shown,
        account: e.account.clone(),
        region: e.region.clone(),
        collected_at: e
            .collected_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        public: e.public,
        bps: wasec_core::evidence::bps_of(bank, e).to_vec(),
    }
}

/// "2 fail / 1 pass: <first failing summary>", or a note that there is no
/// evidence. Kept short: the full items are in the appendix.
fn evidence_line(review: &Review, bank: &Bank, bp: &str, lang: Lang) -> String {
    let mut counts = StatusCounts::default();
    let mut first_fail = None;
    let mut first_other = None;
    for e in review.evidence_for(bank, bp) {
        counts.add(e.status);
        if e.status == EvidenceStatus::Fail && first_fail.is_none() {
            first_fail = Some(e.summary(lang));
        } else if first_other.is_none() {
            first_other = Some(e.summary(lang));
        }
    }
    if counts.total() == 0 {
        return labels::no_evidence(lang).to_string();
    }
    let mut parts = Vec::new();
    for (n, s) in [
        (counts.fail, EvidenceStatus::Fail),
        (counts.pass, EvidenceStatus::Pass),
        (counts.unknown, EvidenceStatus::Unknown),
    ] {
        if n > 0 {
            parts.push(labels::count_status(n, s, lang));
        }
    }
    let head = parts.join(" / ");
    match first_fail.or(first_other) {
        Some(s) if !s.is_empty() => format!("{head}: {}", labels::plain(s, lang)),
        _ => head,
    }
}
