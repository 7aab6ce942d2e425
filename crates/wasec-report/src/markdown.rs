//! Markdown: the same sections as the PDF, as GitHub-flavoured Markdown.

use crate::labels::{self, L};
use crate::model::{BpState, Report};
use std::fmt::Write;
use wasec_core::scoring::Level;

/// Free text typed by people (notes, evidence summaries): Markdown
/// renderers pass raw HTML through, so angle brackets are escaped.
fn t(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Make text safe inside a table cell: escaped, no pipes, no line breaks.
fn cell(s: &str) -> String {
    t(s).replace('|', "\\|").replace(['\r', '\n'], " ")
}

pub fn render(r: &Report) -> String {
    let l = L { lang: r.lang };
    let w = &r.workload;
    let mut o = String::new();
    let _ = writeln!(o, "# {}: {}\n", r.title, w.name);
    let dash = |s: &str| {
        if s.is_empty() {
            "-".to_string()
        } else {
            s.to_string()
        }
    };
    let rows = [
        (l.workload(), w.name.clone()),
        (l.environment(), w.environment.clone()),
        (l.owner(), dash(&w.owner)),
        (l.review_date(), w.review_date.clone()),
        (l.generated(), r.generated.clone()),
        (l.reviewers(), dash(&w.reviewers.join(", "))),
        (l.accounts(), dash(&w.accounts.join(", "))),
        (l.regions(), dash(&w.regions.join(", "))),
        (
            l.framework(),
            format!("{} ({}), {}", r.framework, r.framework_version, r.pillar),
        ),
        (l.overall_score(), format!("{:.1} / 100", r.score)),
    ];
    o.push_str("| | |\n|---|---|\n");
    for (k, v) in rows {
        let _ = writeln!(o, "| {} | {} |", k, cell(&v));
    }

    let _ = writeln!(o, "\n_{}_", l.method());
    let _ = writeln!(o, "\n## {}\n", l.executive_summary());
    let c = &r.counts;
    let _ = writeln!(
        o,
        "**{}: {:.1} / 100** · {} {} · {} {} · {} {} · {} {} · {} {}\n",
        l.score(),
        r.score,
        l.high_risk(),
        c.high,
        l.medium_risk(),
        c.medium,
        l.unanswered(),
        c.unanswered,
        l.plan_items(),
        r.plan.len(),
        l.contradictions(),
        r.contradictions
    );
    let _ = writeln!(o, "{}\n", r.summary);
    let _ = writeln!(o, "### {}\n", l.top_items());
    if r.plan.is_empty() {
        let _ = writeln!(o, "{}", labels::empty_plan(r));
    } else {
        plan_table(&mut o, r, &l, 5, false);
    }

    let _ = writeln!(o, "\n## {}\n", l.risk_overview());
    let _ = writeln!(
        o,
        "| {} | | {} | {} | {} |\n|---|---|---|---|---|",
        l.question(),
        l.risk(),
        l.score(),
        l.in_place_count()
    );
    for q in &r.questions {
        let score = q
            .score
            .map(|s| format!("{s:.1}"))
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {}/{} |",
            q.id,
            cell(&q.title),
            q.risk_label,
            score,
            q.selected,
            q.applicable
        );
    }
    let _ = writeln!(
        o,
        "\n{} ({} \\ {})\n",
        l.heat_map(),
        l.likelihood(),
        l.severity()
    );
    let _ = write!(o, "| {} \\ {} |", l.likelihood(), l.severity());
    for s in Level::ALL {
        let _ = write!(o, " {} |", s.label(r.lang));
    }
    o.push_str("\n|---|---|---|---|---|\n");
    for lk in Level::ALL.into_iter().rev() {
        let _ = write!(o, "| **{}** |", lk.label(r.lang));
        for s in Level::ALL {
            let p = wasec_core::scoring::priority(lk, s);
            let _ = write!(
                o,
                " {} ({}) |",
                r.matrix[lk as usize][s as usize],
                p.label(r.lang)
            );
        }
        o.push('\n');
    }

    let _ = writeln!(o, "\n## {}\n", l.plan());
    if r.plan.is_empty() {
        let _ = writeln!(o, "{}", labels::empty_plan(r));
    } else {
        plan_table(&mut o, r, &l, usize::MAX, true);
    }

    let _ = writeln!(o, "\n## {}", l.questions());
    for q in &r.questions {
        let score = q
            .score
            .map(|s| format!("{s:.1}"))
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(o, "\n### {} {}\n", q.id, q.title);
        let _ = writeln!(
            o,
            "*{}* · {}: {} · {}: {} · {}/{} {}\n",
            q.area,
            l.risk(),
            q.risk_label,
            l.score(),
            score,
            q.selected,
            q.applicable,
            l.in_place_count()
        );
        if let Some(reason) = &q.not_applicable {
            let _ = writeln!(o, "{} ({}: {})\n", l.question_na(), l.reason(), reason);
        }
        if !q.notes.is_empty() {
            let _ = writeln!(
                o,
                "> {}: {}\n",
                l.notes(),
                t(&q.notes).replace('\n', "\n> ")
            );
        }
        for b in &q.best_practices {
            let mark = match b.state {
                BpState::InPlace => "[x]",
                _ => "[ ]",
            };
            let _ = write!(
                o,
                "- {} **{}** {} ({}; {}: {})",
                mark,
                b.id,
                b.title,
                b.state_label,
                l.risk(),
                b.risk.label(r.lang)
            );
            if let Some(na) = &b.na_reason {
                let _ = write!(o, " ({}: {})", l.reason(), na);
            }
            if b.contradiction {
                let _ = write!(o, " **⚠ {}**", l.contradictions());
            }
            o.push('\n');
            if !b.note.is_empty() {
                let _ = writeln!(o, "  - {}: {}", l.notes(), t(&b.note));
            }
            for &i in &b.evidence_items {
                let e = &r.evidence[i];
                let _ = writeln!(
                    o,
                    "  - `{}` {}: {}{}",
                    e.check,
                    labels::status(e.status, r.lang),
                    t(&e.summary),
                    t(&resources(e))
                );
            }
        }
    }

    let _ = writeln!(o, "\n## {}\n", l.appendix_evidence());
    if r.evidence.is_empty() {
        let _ = writeln!(o, "{}", l.no_evidence_items());
    } else {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
            l.check(),
            l.status(),
            l.summary(),
            l.resources(),
            l.region()
        );
        for e in &r.evidence {
            let _ = writeln!(
                o,
                "| `{}` | {} | {} | {} | {} |",
                e.check,
                labels::status(e.status, r.lang),
                cell(&e.summary),
                cell(resources(e).trim_start_matches(" — ")),
                cell(&e.region)
            );
        }
    }

    let _ = writeln!(o, "\n## {}\n", l.appendix_mappings());
    let _ = writeln!(
        o,
        "| {} | {} | {} | {} | {} |\n|---|---|---|---|---|",
        l.best_practice(),
        l.status(),
        l.security_hub(),
        l.cis(),
        l.cyber_trust()
    );
    for m in &r.mappings {
        let _ = writeln!(
            o,
            "| {} {} | {} | {} | {} | {} |",
            m.bp_id,
            cell(&m.title),
            labels::bp_state(m.state, r.lang),
            m.security_hub.join(", "),
            m.cis_v3.join(", "),
            m.cyber_trust.join(", ")
        );
    }
    o
}

fn resources(e: &crate::model::EvidenceRow) -> String {
    if e.resources.is_empty() {
        return String::new();
    }
    let mut s = format!(" — {}", e.resources.join(", "));
    if e.more_resources > 0 {
        let _ = write!(s, " (+{})", e.more_resources);
    }
    s
}

fn plan_table(o: &mut String, r: &Report, l: &L, limit: usize, full: bool) {
    if full {
        let _ = writeln!(
            o,
            "| # | {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|---|---|",
            l.priority(),
            l.best_practice(),
            l.risk(),
            l.evidence(),
            l.how_to_improve(),
            l.owner(),
            l.due(),
            l.status()
        );
    } else {
        let _ = writeln!(
            o,
            "| # | {} | {} | {} | {} |\n|---|---|---|---|---|",
            l.priority(),
            l.best_practice(),
            l.risk(),
            l.evidence()
        );
    }
    for p in r.plan.iter().take(limit) {
        let kind = if p.kind == wasec_core::scoring::PlanKind::Contradiction {
            format!(" **⚠ {}**", labels::kind(p.kind, r.lang))
        } else {
            String::new()
        };
        let bp = format!("{} {}{}", p.bp_id, cell(&p.title), kind);
        if full {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                p.rank,
                p.priority.label(r.lang),
                bp,
                p.risk.label(r.lang),
                cell(&p.evidence_summary),
                cell(&p.how_to_improve.join("; ")),
                cell(if p.owner.is_empty() { "-" } else { &p.owner }),
                p.due.as_deref().unwrap_or("-"),
                p.status_label
            );
        } else {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} |",
                p.rank,
                p.priority.label(r.lang),
                bp,
                p.risk.label(r.lang),
                cell(&p.evidence_summary)
            );
        }
    }
}
