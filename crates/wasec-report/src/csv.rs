//! CSV: the improvement plan and every follow-up, for spreadsheets and
//! ticket imports, written with the `csv` crate (RFC 4180 quoting, CRLF).
//!
//! * UTF-8 with a byte-order mark unless asked otherwise: Excel on
//!   Japanese Windows reads a CSV without one as Shift-JIS and garbles it.
//! * One row per plan item and follow-up: a plan item with two follow-ups
//!   gives two rows (same rank), one without any gives one row. Follow-ups
//!   on BPs outside the plan (on practices in place) follow, with the plan
//!   columns empty. Nothing agreed in the review is left out.
//! * Column names stay English in both languages so imports do not break;
//!   cell text follows the report language.

use crate::model::{FollowUpRow, PlanRow, Report};

pub const HEADER: [&str; 23] = [
    "rank",
    "priority",
    "likelihood",
    "severity",
    "kind",
    "question",
    "bp_id",
    "title",
    "risk",
    "bp_state",
    "evidence_pass",
    "evidence_fail",
    "evidence_summary",
    "action_rank",
    "action",
    "how_to_improve",
    "guidance_url",
    "follow_up_id",
    "follow_up",
    "owner",
    "due",
    "status",
    "overdue",
];

const BOM: &str = "\u{feff}";

pub fn render(report: &Report, bom: bool) -> Vec<u8> {
    let mut out = Vec::new();
    if bom {
        out.extend_from_slice(BOM.as_bytes());
    }
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    // Writing to a Vec cannot fail.
    let _ = w.write_record(HEADER);
    for p in &report.plan {
        let fus: Vec<&FollowUpRow> = p
            .follow_ups
            .iter()
            .filter_map(|id| report.follow_up(id))
            .collect();
        if fus.is_empty() {
            let _ = w.write_record(row(report, Some(p), &p.bp_id, None));
        }
        for f in fus {
            let _ = w.write_record(row(report, Some(p), &p.bp_id, Some(f)));
        }
    }
    for f in report.follow_ups.iter().filter(|f| f.plan_rank.is_none()) {
        let _ = w.write_record(row(report, None, &f.bp_id, Some(f)));
    }
    w.into_inner().unwrap_or_default()
}

fn row(r: &Report, p: Option<&PlanRow>, bp: &str, f: Option<&FollowUpRow>) -> Vec<String> {
    let b = r.bp(bp);
    let actions: Vec<String> = p
        .map(|p| p.actions.clone())
        .unwrap_or_default()
        .iter()
        .filter_map(|n| r.action(*n))
        .map(|a| format!("{}: {}", a.rank, a.title))
        .collect();
    let cells = [
        p.map(|p| p.rank.to_string()).unwrap_or_default(),
        p.map(|p| p.priority.as_str().into()).unwrap_or_default(),
        p.map(|p| p.likelihood.as_str().into()).unwrap_or_default(),
        p.map(|p| p.severity.as_str().into()).unwrap_or_default(),
        p.map(|p| kind(p.kind).into()).unwrap_or_default(),
        b.and_then(|_| {
            r.questions
                .iter()
                .find(|q| q.best_practices.iter().any(|x| x.id == bp))
        })
        .map(|q| q.id.clone())
        .unwrap_or_default(),
        bp.to_string(),
        b.map(|b| b.title.clone()).unwrap_or_default(),
        b.map(|b| b.risk.to_string().to_lowercase())
            .unwrap_or_default(),
        b.map(|b| serde_name(&b.state)).unwrap_or_default(),
        p.map(|p| p.evidence.pass.to_string()).unwrap_or_default(),
        p.map(|p| p.evidence.fail.to_string()).unwrap_or_default(),
        p.map(|p| p.evidence_summary.clone()).unwrap_or_default(),
        p.map(|p| {
            p.actions
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(";")
        })
        .unwrap_or_default(),
        actions.join("\n"),
        b.map(|b| b.how_to_improve.join("\n")).unwrap_or_default(),
        b.map(|b| b.url.clone()).unwrap_or_default(),
        f.map(|f| f.id.clone()).unwrap_or_default(),
        f.map(|f| f.text.clone()).unwrap_or_default(),
        f.map(|f| f.owner.clone()).unwrap_or_default(),
        f.and_then(|f| f.due.clone()).unwrap_or_default(),
        f.map(|f| f.status.as_str().into()).unwrap_or_default(),
        f.map(|f| if f.overdue { "yes" } else { "no" }.into())
            .unwrap_or_default(),
    ];
    cells.into_iter().map(|c| guard(&c)).collect()
}

fn kind(k: wasec_core::scoring::PlanKind) -> &'static str {
    match k {
        wasec_core::scoring::PlanKind::Gap => "gap",
        wasec_core::scoring::PlanKind::Contradiction => "contradiction",
    }
}

/// The snake_case name serde gives an enum value.
fn serde_name<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A leading '=', '+', '-' or '@' gets a ' prefix so spreadsheets do not
/// run it as a formula (review text is typed by people and may come from
/// anywhere).
pub fn guard(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::guard;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(guard("plain"), "plain");
        assert_eq!(guard("=1+1"), "'=1+1");
        assert_eq!(guard("@SUM(A1)"), "'@SUM(A1)");
    }
}
