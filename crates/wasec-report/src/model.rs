//! The report model: everything a report shows, computed once from the
//! review, the question bank and the scoring, in one language.
//!
//! Every renderer (PDF, Markdown, HTML, CSV, JSON) reads only this model,
//! so the formats cannot disagree about a number or an ordering.

use crate::labels;
use serde::Serialize;
use wasec_core::Lang;
use wasec_core::bank::{Bank, Risk};
use wasec_core::review::{
    ActionStatus, EvidenceItem, EvidenceStatus, NaReason, QuestionRisk, Review, RiskCounts,
};
use wasec_core::scoring::{self, BpEvidence, Level, PlanKind};

/// The version tag of the JSON document (see the crate README).
pub const SCHEMA: &str = "wasec.report/1";

/// How many resources of one evidence item a report lists before "+N more".
pub const MAX_RESOURCES: usize = 8;

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub lang: Lang,
    /// The day the report was produced (YYYY-MM-DD).
    pub generated: String,
    pub title: String,
    pub workload: WorkloadInfo,
    pub framework: String,
    pub framework_version: String,
    pub pillar: String,
    /// Overall score, 0-100.
    pub score: f64,
    pub counts: RiskCounts,
    /// Plan items by priority (critical, high, medium, low).
    pub priority_counts: PriorityCounts,
    /// Selected BPs whose evidence fails, over the whole review.
    pub contradictions: usize,
    /// A one-paragraph reading of the result, generated from the numbers.
    pub summary: String,
    pub questions: Vec<QuestionResult>,
    /// The improvement plan, most urgent first.
    pub plan: Vec<PlanRow>,
    /// `matrix[l][s]`: plan items with likelihood `l` and severity `s`,
    /// both indexed Low..Critical.
    pub matrix: [[u32; 4]; 4],
    pub evidence: Vec<EvidenceRow>,
    pub evidence_counts: StatusCounts,
    pub mappings: Vec<MappingRow>,
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

#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct PriorityCounts {
    pub critical: u32,
    pub high: u32,
    pub medium: u32,
    pub low: u32,
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

#[derive(Debug, Clone, Serialize)]
pub struct QuestionResult {
    pub id: String,
    pub area: String,
    pub title: String,
    pub risk: QuestionRisk,
    pub risk_label: String,
    /// 0-100, absent when nothing in the question applies.
    pub score: Option<f64>,
    pub selected: usize,
    pub applicable: usize,
    pub total: usize,
    pub contradictions: usize,
    /// Why the whole question does not apply, if it does not.
    pub not_applicable: Option<String>,
    pub notes: String,
    pub best_practices: Vec<BpResult>,
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
    pub risk: Risk,
    pub evidence: StatusCounts,
    pub public_failure: bool,
    /// A short reading of the evidence ("2 fail, 1 pass: root has no MFA").
    pub evidence_summary: String,
    pub how_to_improve: Vec<String>,
    pub action: String,
    pub owner: String,
    pub due: Option<String>,
    pub status: ActionStatus,
    pub status_label: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub check: String,
    pub status: EvidenceStatus,
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

/// Build the model. `today` is the generation date (passed in so tests and
/// benchmarks are reproducible).
pub fn build(bank: &Bank, review: &Review, lang: Lang, today: time::Date) -> Report {
    let card = scoring::score(bank, review);
    let plan_items = scoring::plan(bank, review);
    let evidence = evidence_rows(bank, review);

    let mut evidence_counts = StatusCounts::default();
    for e in &review.evidence {
        evidence_counts.add(e.status);
    }

    let mut questions = Vec::with_capacity(bank.questions().len());
    let mut mappings = Vec::new();
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
            bps.push(BpResult {
                id: b.id.clone(),
                title: b.title.get(lang).to_string(),
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
        questions.push(QuestionResult {
            id: q.id.clone(),
            area: q.area.get(lang).to_string(),
            title: q.title.get(lang).to_string(),
            risk: qs.risk,
            risk_label: qs.risk.label(lang).to_string(),
            score: qs.score,
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

    let mut matrix = [[0u32; 4]; 4];
    let mut priority_counts = PriorityCounts::default();
    let mut plan = Vec::with_capacity(plan_items.len());
    for item in &plan_items {
        matrix[item.likelihood as usize][item.severity as usize] += 1;
        match item.priority {
            Level::Critical => priority_counts.critical += 1,
            Level::High => priority_counts.high += 1,
            Level::Medium => priority_counts.medium += 1,
            Level::Low => priority_counts.low += 1,
        }
        let bp = bank.bp(&item.bp_id).map(|(_, b)| b);
        let action = item.current_action();
        let status = action.map(|a| a.status).unwrap_or_default();
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
            risk: item.risk,
            evidence: counts_of(&item.evidence.counts),
            public_failure: item.evidence.public_failure,
            evidence_summary: evidence_line(review, bank, &item.bp_id, lang),
            how_to_improve: bp.map(|b| b.improve.get(lang).to_vec()).unwrap_or_default(),
            action: action.map(|a| a.text.clone()).unwrap_or_default(),
            owner: action.map(|a| a.owner.clone()).unwrap_or_default(),
            due: action.and_then(|a| a.due).map(|d| d.to_string()),
            status,
            status_label: labels::action_status(status, lang).to_string(),
        });
    }

    let contradictions = card.questions.iter().map(|q| q.contradictions).sum();
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
    let mut report = Report {
        schema: SCHEMA,
        lang,
        generated: today.to_string(),
        title: labels::title(lang).to_string(),
        workload,
        framework: bank.lens().framework.get(lang).to_string(),
        framework_version,
        pillar: bank.lens().pillar_name.get(lang).to_string(),
        // Nothing applicable shows as 0 until the report model carries both views.
        score: card.declared.score.unwrap_or(0.0),
        counts: card.declared.counts,
        priority_counts,
        contradictions,
        summary: String::new(),
        questions,
        plan,
        matrix,
        evidence,
        evidence_counts,
        mappings,
    };
    report.summary = labels::narrative(&report);
    report
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
fn evidence_rows(bank: &Bank, review: &Review) -> Vec<EvidenceRow> {
    let mut rows: Vec<EvidenceRow> = review
        .evidence
        .iter()
        .map(|e| evidence_row(bank, e))
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

fn evidence_row(bank: &Bank, e: &EvidenceItem) -> EvidenceRow {
    let bps = if e.bps.is_empty() {
        bank.bps_for_check(&e.check).to_vec()
    } else {
        e.bps.clone()
    };
    let shown = e.resources.len().min(MAX_RESOURCES);
    EvidenceRow {
        check: e.check.clone(),
        status: e.status,
        summary: e.summary.clone(),
        resources: e.resources[..shown].to_vec(),
        more_resources: e.resources.len() - shown,
        account: e.account.clone(),
        region: e.region.clone(),
        collected_at: e
            .collected_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        public: e.public,
        bps,
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
            first_fail = Some(e.summary.as_str());
        } else if first_other.is_none() {
            first_other = Some(e.summary.as_str());
        }
    }
    if counts.total() == 0 {
        return labels::no_evidence(lang).to_string();
    }
    let mut parts = Vec::new();
    for (n, label) in [
        (counts.fail, labels::status(EvidenceStatus::Fail, lang)),
        (counts.pass, labels::status(EvidenceStatus::Pass, lang)),
        (
            counts.unknown,
            labels::status(EvidenceStatus::Unknown, lang),
        ),
    ] {
        if n > 0 {
            parts.push(format!("{n} {label}"));
        }
    }
    let head = parts.join(" / ");
    match first_fail.or(first_other) {
        Some(s) if !s.is_empty() => format!("{head}: {s}"),
        _ => head,
    }
}
