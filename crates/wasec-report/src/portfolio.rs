//! The consolidated report: many reviews (workloads) rolled up for the
//! reader who owns all of them (`wasec report --consolidated reviews/*.yaml`).
//!
//! Each workload is read through its own [`Report`] (the same model and the
//! same numbers as its single report), so the roll-up can never disagree
//! with the per-workload reports. Workloads are listed most at risk first:
//! more high-risk questions, then the lower score with evidence.

use crate::doc::{
    self, Block, Cell, Document, Figure, Row, Section, StandingRow, Table, Text, Tone, col, dash,
};
use crate::labels::{self, L};
use crate::model::{AccountResult, ActionRow, Report};
use crate::{Format, Options, ReportError, pdf};
use serde::Serialize;
use wasec_core::review::{QuestionRisk, Review};
use wasec_core::{Bank, Lang};

pub const SCHEMA: &str = "wasec.portfolio/1";

#[derive(Debug, Clone, Serialize)]
pub struct Portfolio {
    pub schema: &'static str,
    pub lang: Lang,
    /// The report date (YYYY-MM-DD); overdue is judged against it.
    pub generated: String,
    /// Question ids, in bank order (the columns of `risks`).
    pub questions: Vec<String>,
    /// Most at risk first.
    pub workloads: Vec<WorkloadResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorkloadResult {
    pub name: String,
    /// The review file, as the user named it.
    pub file: String,
    pub environment: String,
    pub owner: String,
    pub review_date: String,
    pub accounts: Vec<String>,
    pub score: Option<f64>,
    pub declared_score: Option<f64>,
    pub high: u32,
    pub medium: u32,
    pub declared_high: u32,
    pub declared_medium: u32,
    /// Evidence-adjusted risk per question, in `Portfolio::questions` order.
    pub risks: Vec<QuestionRisk>,
    pub failing: usize,
    pub contradictions: usize,
    pub overdue: usize,
    /// The workload's plan as work, most urgent first (three at most).
    pub top_actions: Vec<ActionRow>,
    pub open_actions: usize,
    /// Per account, when the workload's evidence spans several accounts.
    pub by_account: Vec<AccountResult>,
}

/// Roll up `(file name, review)` pairs.
pub fn build(
    bank: &Bank,
    reviews: &[(String, Review)],
    lang: Lang,
    today: time::Date,
) -> Portfolio {
    let mut workloads: Vec<WorkloadResult> = reviews
        .iter()
        .map(|(file, review)| workload(crate::build(bank, review, lang, today), file))
        .collect();
    workloads.sort_by(|a, b| {
        b.high
            .cmp(&a.high)
            .then(score_key(a.score).total_cmp(&score_key(b.score)))
            .then(a.name.cmp(&b.name))
            .then(a.file.cmp(&b.file))
    });
    Portfolio {
        schema: SCHEMA,
        lang,
        generated: today.to_string(),
        questions: bank.questions().iter().map(|q| q.id.clone()).collect(),
        workloads,
    }
}

/// Unscored workloads sort after scored ones.
fn score_key(s: Option<f64>) -> f64 {
    s.unwrap_or(f64::INFINITY)
}

fn workload(r: Report, file: &str) -> WorkloadResult {
    let (d, a) = (&r.declared, &r.evidence_adjusted);
    WorkloadResult {
        name: r.workload.name.clone(),
        file: file.to_string(),
        environment: r.workload.environment.clone(),
        owner: r.workload.owner.clone(),
        review_date: r.workload.review_date.clone(),
        accounts: r.workload.accounts.clone(),
        score: a.score,
        declared_score: d.score,
        high: a.counts.high,
        medium: a.counts.medium,
        declared_high: d.counts.high,
        declared_medium: d.counts.medium,
        risks: r
            .questions
            .iter()
            .map(|q| q.evidence_adjusted.risk)
            .collect(),
        failing: r.evidence_counts.fail as usize,
        contradictions: r.contradictions,
        overdue: r.overdue,
        open_actions: r.actions.len(),
        top_actions: r.actions.iter().take(3).cloned().collect(),
        by_account: r.accounts.clone(),
    }
}

/// Render the roll-up in one format.
pub fn render(p: &Portfolio, format: Format, opts: &Options) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Pdf => {
            let l = L { lang: p.lang };
            let meta = pdf::Meta {
                title: l.portfolio_title().to_string(),
                author: String::new(),
                subject: "AWS Well-Architected Framework, Security".into(),
                date: p.generated.clone(),
                lang: p.lang,
            };
            pdf::render_doc(&meta, &document(p), opts)?
        }
        Format::Markdown => crate::markdown::render(&document(p)).into_bytes(),
        Format::Html => crate::html::render(&document(p)).into_bytes(),
        Format::Csv => csv(p, !opts.no_bom),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(p).map_err(ReportError::Json)?;
            s.push('\n');
            s.into_bytes()
        }
    })
}

/// The roll-up as a document: the answer, the workloads x questions grid,
/// each workload's top actions, per-account grids, the reviews included.
pub fn document(p: &Portfolio) -> Document {
    let l = L { lang: p.lang };
    let mut sections = vec![answer(p, &l), actions(p, &l)];
    sections.extend(accounts(p, &l));
    sections.push(included(p, &l));
    Document {
        lang: p.lang,
        title: l.portfolio_title().into(),
        subtitle: labels::workload_count(p.workloads.len(), p.lang),
        date: p.generated.clone(),
        sections,
    }
}

fn section(id: &str, title: &str) -> Section {
    Section {
        id: id.into(),
        title: title.into(),
        level: 1,
        blocks: Vec::new(),
    }
}

fn answer(p: &Portfolio, l: &L) -> Section {
    let mut s = section(doc::id::ANSWER, l.answer());
    s.blocks
        .push(Block::Lead(Text::plain(labels::portfolio_verdict(p))));
    let with_high = p.workloads.iter().filter(|w| w.high > 0).count();
    let sum = |f: fn(&WorkloadResult) -> usize| p.workloads.iter().map(f).sum::<usize>();
    s.blocks.push(Block::Figures(vec![
        figure(p.workloads.len(), l.workloads(), Tone::Navy),
        figure(
            with_high,
            l.with_high_risk(),
            tone_if(with_high, Tone::Critical),
        ),
        figure(
            sum(|w| w.contradictions),
            l.contradictions(),
            tone_if(1, Tone::High),
        ),
        figure(
            sum(|w| w.overdue),
            l.overdue_follow_ups(),
            tone_if(1, Tone::Critical),
        ),
    ]));
    let rows: Vec<StandingRow> = p
        .workloads
        .iter()
        .map(|w| StandingRow {
            name: w.name.clone(),
            score: w.score,
            declared: w.declared_score,
            high: w.high,
            medium: w.medium,
            risks: w.risks.clone(),
            failing: w.failing,
            top: w.top_actions.first().map(|a| {
                let bp = a.bps.first().map(|b| b.bp_id.clone()).unwrap_or_default();
                (bp, a.title.clone(), a.priority)
            }),
        })
        .collect();
    s.blocks.push(Block::Table(doc::standing_table(
        &rows,
        &p.questions,
        l.workload(),
        l,
    )));
    s.blocks.push(Block::Small(Text::plain(l.risk_legend())));
    s
}

fn figure(n: usize, label: &str, tone: Tone) -> Figure {
    Figure {
        value: n.to_string(),
        label: label.into(),
        note: String::new(),
        tone,
    }
}

fn tone_if(n: usize, tone: Tone) -> Tone {
    if n > 0 { tone } else { Tone::Neutral }
}

fn actions(p: &Portfolio, l: &L) -> Section {
    let mut s = section("actions", l.top_actions_by_workload());
    for w in &p.workloads {
        s.blocks.push(Block::Heading(w.name.clone()));
        if w.top_actions.is_empty() {
            s.blocks.push(Block::Small(Text::plain(l.nothing_to_do())));
            continue;
        }
        s.blocks
            .push(Block::Table(action_table(&w.top_actions, p.lang, l)));
        if w.open_actions > w.top_actions.len() {
            s.blocks.push(Block::Small(Text::plain(labels::more_actions(
                w.open_actions - w.top_actions.len(),
                &w.file,
                p.lang,
            ))));
        }
    }
    s
}

fn action_table(actions: &[ActionRow], lang: Lang, l: &L) -> Table {
    let rows = actions
        .iter()
        .map(|a| Row {
            anchor: None,
            cells: vec![
                Cell::badge(a.priority, lang),
                Cell::lines(vec![
                    Text::strong(&a.title),
                    Text::plain(
                        a.bps
                            .iter()
                            .map(|b| b.bp_id.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ]),
                Cell::text(owner_due(a, lang)),
            ],
        })
        .collect();
    Table {
        columns: vec![
            col(l.priority(), 0.12),
            col(l.what_to_fix(), 0.6),
            col(&format!("{} / {}", l.owner(), l.due()), 0.28),
        ],
        rows,
    }
}

fn owner_due(a: &ActionRow, lang: Lang) -> String {
    let mut parts = Vec::new();
    if !a.owner.is_empty() {
        parts.push(a.owner.clone());
    }
    if let Some(d) = &a.due {
        parts.push(d.clone());
    }
    if a.overdue {
        parts.push(doc::overdue_mark(lang).to_string());
    }
    if parts.is_empty() {
        "-".into()
    } else {
        parts.join(" / ")
    }
}

fn accounts(p: &Portfolio, l: &L) -> Option<Section> {
    let multi: Vec<&WorkloadResult> = p
        .workloads
        .iter()
        .filter(|w| !w.by_account.is_empty())
        .collect();
    if multi.is_empty() {
        return None;
    }
    let mut s = section(doc::id::ACCOUNTS, l.by_account());
    s.blocks
        .push(Block::Small(Text::plain(l.by_account_intro())));
    for w in multi {
        s.blocks.push(Block::Heading(w.name.clone()));
        let rows: Vec<StandingRow> = w.by_account.iter().map(StandingRow::from).collect();
        s.blocks.push(Block::Table(doc::standing_table(
            &rows,
            &p.questions,
            l.account(),
            l,
        )));
    }
    Some(s)
}

fn included(p: &Portfolio, l: &L) -> Section {
    let mut s = section("included", l.reviews_included());
    let rows = p
        .workloads
        .iter()
        .map(|w| Row {
            anchor: None,
            cells: vec![
                Cell::text(&w.name),
                Cell::text(&w.file),
                Cell::text(dash(&w.environment)),
                Cell::text(dash(&w.owner)),
                Cell::text(&w.review_date),
                Cell::text(dash(&w.accounts.join(", "))),
            ],
        })
        .collect();
    s.blocks.push(Block::Table(Table {
        columns: vec![
            col(l.workload(), 0.2),
            col(l.file(), 0.22),
            col(l.environment(), 0.12),
            col(l.owner(), 0.14),
            col(l.review_date(), 0.12),
            col(l.accounts(), 0.2),
        ],
        rows,
    }));
    s
}

/// One row per workload; column names stay English (imports), text follows
/// the language; a byte-order mark unless asked otherwise (Excel).
fn csv(p: &Portfolio, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice("\u{feff}".as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let mut header: Vec<String> = [
        "workload",
        "file",
        "environment",
        "owner",
        "accounts",
        "score",
        "declared_score",
        "high_risk_questions",
        "medium_risk_questions",
    ]
    .map(String::from)
    .to_vec();
    header.extend(p.questions.iter().cloned());
    header.extend(
        [
            "failing_evidence",
            "contradictions",
            "overdue_follow_ups",
            "open_actions",
            "top_action",
            "top_priority",
        ]
        .map(String::from),
    );
    // Writing to a Vec cannot fail.
    let _ = w.write_record(&header);
    let num = |s: Option<f64>| s.map(|v| format!("{v:.1}")).unwrap_or_default();
    for wl in &p.workloads {
        let mut row = vec![
            wl.name.clone(),
            wl.file.clone(),
            wl.environment.clone(),
            wl.owner.clone(),
            wl.accounts.join(" "),
            num(wl.score),
            num(wl.declared_score),
            wl.high.to_string(),
            wl.medium.to_string(),
        ];
        row.extend(wl.risks.iter().map(|r| r.as_str().to_string()));
        let top = wl.top_actions.first();
        row.extend([
            wl.failing.to_string(),
            wl.contradictions.to_string(),
            wl.overdue.to_string(),
            wl.open_actions.to_string(),
            top.map(|a| a.title.clone()).unwrap_or_default(),
            top.map(|a| a.priority.as_str().to_string())
                .unwrap_or_default(),
        ]);
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests;
