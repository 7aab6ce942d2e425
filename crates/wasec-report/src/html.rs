//! HTML: one self-contained file (inline CSS, no scripts, no network) with
//! the same content as the PDF. `@media print` rules give clean page breaks.

use crate::labels::{self, L};
use crate::model::{BpState, EvidenceRow, Report};
use std::fmt::Write;
use wasec_core::review::QuestionRisk;
use wasec_core::scoring::{Level, PlanKind, priority};

/// Escape text for element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

const CSS: &str = r#"
:root{--navy:#1f3a5f;--crit:#b71c1c;--high:#e65100;--med:#f9a825;--low:#2e7d32;--grey:#eef1f5}
body{font-family:"BIZ UDPGothic","Hiragino Sans","Noto Sans CJK JP",system-ui,sans-serif;color:#1b1f24;max-width:1100px;margin:0 auto;padding:24px;line-height:1.5}
h1{color:var(--navy);border-bottom:4px solid var(--navy);padding-bottom:6px}
h2{color:var(--navy);border-bottom:1px solid #c5ccd6;margin-top:2em}
h3{color:var(--navy)}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:13px}
th,td{border:1px solid #c5ccd6;padding:4px 6px;vertical-align:top;text-align:left}
th{background:var(--navy);color:#fff}
tr:nth-child(even) td{background:#f7f9fb}
.meta th{background:var(--grey);color:#1b1f24;width:22%}
.tiles{display:flex;gap:12px;flex-wrap:wrap}
.tile{background:var(--grey);border-radius:6px;padding:10px 16px;min-width:110px}
.tile b{display:block;font-size:26px;color:var(--navy)}
.badge{display:inline-block;padding:1px 6px;border-radius:3px;color:#fff;font-size:12px;white-space:nowrap}
.critical{background:var(--crit)}.high{background:var(--high)}.medium{background:var(--med);color:#1b1f24}.low{background:var(--low)}
.contra{color:var(--crit);font-weight:bold}
.bar{background:var(--grey);height:14px;width:100%}
.bar span{display:block;height:14px}
.heat td{text-align:center;font-weight:bold;width:18%}
.heat th{text-align:center}
code{font-size:12px}
.method{color:#5b6675;font-size:12px}
ul.bps{padding-left:18px}
@media print{body{max-width:none;padding:0;font-size:11px}h2{break-before:page}table,tr{break-inside:avoid}th{-webkit-print-color-adjust:exact;print-color-adjust:exact}.badge,.bar span,.heat td{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"#;

fn level_class(l: Level) -> &'static str {
    l.as_str()
}

fn risk_colour(r: QuestionRisk) -> &'static str {
    match r {
        QuestionRisk::High => "var(--crit)",
        QuestionRisk::Medium => "var(--med)",
        QuestionRisk::None => "var(--low)",
        QuestionRisk::Unanswered | QuestionRisk::NotApplicable => "#9aa5b1",
    }
}

pub fn render(r: &Report) -> String {
    let l = L { lang: r.lang };
    let w = &r.workload;
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{} — {}</title><style>{}</style></head><body>\n",
        r.lang.code(),
        esc(&r.title),
        esc(&w.name),
        CSS
    );
    let _ = writeln!(
        o,
        "<h1>{}<br><small>{}</small></h1>",
        esc(&r.title),
        esc(&w.name)
    );
    o.push_str("<table class=\"meta\">");
    let dash = |s: String| if s.is_empty() { "-".to_string() } else { s };
    for (k, v) in [
        (l.workload(), w.name.clone()),
        (l.environment(), w.environment.clone()),
        (l.owner(), dash(w.owner.clone())),
        (l.review_date(), w.review_date.clone()),
        (l.generated(), r.generated.clone()),
        (l.reviewers(), dash(w.reviewers.join(", "))),
        (l.accounts(), dash(w.accounts.join(", "))),
        (l.regions(), dash(w.regions.join(", "))),
        (
            l.framework(),
            format!("{} ({}), {}", r.framework, r.framework_version, r.pillar),
        ),
    ] {
        let _ = write!(o, "<tr><th>{}</th><td>{}</td></tr>", esc(k), esc(&v));
    }
    o.push_str("</table>\n");
    let _ = writeln!(o, "<p class=\"method\">{}</p>", esc(l.method()));

    let _ = writeln!(o, "<h2 id=\"summary\">{}</h2>", l.executive_summary());
    let c = &r.counts;
    o.push_str("<div class=\"tiles\">");
    for (k, v) in [
        (l.overall_score(), format!("{:.1}", r.score)),
        (l.high_risk(), c.high.to_string()),
        (l.medium_risk(), c.medium.to_string()),
        (l.unanswered(), c.unanswered.to_string()),
        (l.plan_items(), r.plan.len().to_string()),
        (l.contradictions(), r.contradictions.to_string()),
    ] {
        let _ = write!(o, "<div class=\"tile\"><b>{}</b>{}</div>", esc(&v), esc(k));
    }
    o.push_str("</div>\n");
    let _ = writeln!(o, "<p>{}</p>", esc(&r.summary));
    let _ = writeln!(o, "<h3>{}</h3>", l.top_items());
    if r.plan.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", esc(&labels::empty_plan(r)));
    } else {
        plan_table(&mut o, r, &l, 5, false);
    }

    let _ = writeln!(
        o,
        "<h2 id=\"overview\">{}</h2><h3>{}</h3>",
        l.risk_overview(),
        l.score_by_question()
    );
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th></th><th>{}</th><th style=\"width:35%\">{}</th></tr>",
        l.question(),
        l.risk(),
        l.score()
    );
    for q in &r.questions {
        let s = q.score.unwrap_or(0.0);
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><div class=\"bar\"><span style=\"width:{:.1}%;background:{}\"></span></div>{}</td></tr>",
            esc(&q.id),
            esc(&q.title),
            esc(&q.risk_label),
            s,
            risk_colour(q.risk),
            q.score
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "-".into())
        );
    }
    o.push_str("</table>\n");
    let _ = writeln!(o, "<h3>{}</h3>", l.heat_map());
    let _ = write!(
        o,
        "<table class=\"heat\"><tr><th>{} \\ {}</th>",
        l.likelihood(),
        l.severity()
    );
    for s in Level::ALL {
        let _ = write!(o, "<th>{}</th>", s.label(r.lang));
    }
    o.push_str("</tr>");
    for lk in Level::ALL.into_iter().rev() {
        let _ = write!(o, "<tr><th>{}</th>", lk.label(r.lang));
        for s in Level::ALL {
            let p = priority(lk, s);
            let _ = write!(
                o,
                "<td class=\"badge {}\" title=\"{}\">{}</td>",
                level_class(p),
                p.label(r.lang),
                r.matrix[lk as usize][s as usize]
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</table>\n");

    let _ = writeln!(o, "<h2 id=\"plan\">{}</h2>", l.plan());
    if r.plan.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", esc(&labels::empty_plan(r)));
    } else {
        plan_table(&mut o, r, &l, usize::MAX, true);
    }

    let _ = writeln!(o, "<h2 id=\"questions\">{}</h2>", l.questions());
    for q in &r.questions {
        let _ = writeln!(
            o,
            "<h3 id=\"{}\">{} {}</h3>",
            esc(&q.id),
            esc(&q.id),
            esc(&q.title)
        );
        let _ = writeln!(
            o,
            "<p><i>{}</i> · {}: {} · {}: {} · {}/{} {}</p>",
            esc(&q.area),
            l.risk(),
            esc(&q.risk_label),
            l.score(),
            q.score
                .map(|s| format!("{s:.1}"))
                .unwrap_or_else(|| "-".into()),
            q.selected,
            q.applicable,
            l.in_place_count()
        );
        if let Some(reason) = &q.not_applicable {
            let _ = writeln!(
                o,
                "<p>{} ({}: {})</p>",
                l.question_na(),
                l.reason(),
                esc(reason)
            );
        }
        if !q.notes.is_empty() {
            let _ = writeln!(
                o,
                "<blockquote>{}: {}</blockquote>",
                l.notes(),
                esc(&q.notes)
            );
        }
        o.push_str("<ul class=\"bps\">");
        for b in &q.best_practices {
            let mark = if b.state == BpState::InPlace {
                "☑"
            } else {
                "☐"
            };
            let _ = write!(
                o,
                "<li>{} <b>{}</b> {} ({}; {}: {})",
                mark,
                esc(&b.id),
                esc(&b.title),
                esc(&b.state_label),
                l.risk(),
                b.risk.label(r.lang)
            );
            if let Some(na) = &b.na_reason {
                let _ = write!(o, " ({}: {})", l.reason(), esc(na));
            }
            if b.contradiction {
                let _ = write!(o, " <span class=\"contra\">⚠ {}</span>", l.contradictions());
            }
            if !b.note.is_empty() || !b.evidence_items.is_empty() {
                o.push_str("<ul>");
                if !b.note.is_empty() {
                    let _ = write!(o, "<li>{}: {}</li>", l.notes(), esc(&b.note));
                }
                for &i in &b.evidence_items {
                    let e = &r.evidence[i];
                    let _ = write!(
                        o,
                        "<li><code>{}</code> {}: {}{}</li>",
                        esc(&e.check),
                        labels::status(e.status, r.lang),
                        esc(&e.summary),
                        esc(&resources(e))
                    );
                }
                o.push_str("</ul>");
            }
            o.push_str("</li>");
        }
        o.push_str("</ul>\n");
    }

    let _ = writeln!(o, "<h2 id=\"evidence\">{}</h2>", l.appendix_evidence());
    if r.evidence.is_empty() {
        let _ = writeln!(o, "<p>{}</p>", l.no_evidence_items());
    } else {
        let _ = write!(
            o,
            "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            l.check(),
            l.status(),
            l.summary(),
            l.resources(),
            l.region()
        );
        for e in &r.evidence {
            let _ = write!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&e.check),
                labels::status(e.status, r.lang),
                esc(&e.summary),
                esc(resources(e).trim_start_matches(" — ")),
                esc(&e.region)
            );
        }
        o.push_str("</table>\n");
    }
    let _ = writeln!(o, "<h2 id=\"mappings\">{}</h2>", l.appendix_mappings());
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        l.best_practice(),
        l.status(),
        l.security_hub(),
        l.cis(),
        l.cyber_trust()
    );
    for m in &r.mappings {
        let _ = write!(
            o,
            "<tr><td>{} {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&m.bp_id),
            esc(&m.title),
            labels::bp_state(m.state, r.lang),
            esc(&m.security_hub.join(", ")),
            esc(&m.cis_v3.join(", ")),
            esc(&m.cyber_trust.join(", "))
        );
    }
    o.push_str("</table>\n</body></html>\n");
    o
}

fn resources(e: &EvidenceRow) -> String {
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
    o.push_str("<table><tr><th>#</th>");
    let mut heads = vec![l.priority(), l.best_practice(), l.risk(), l.evidence()];
    if full {
        heads.extend([l.how_to_improve(), l.owner(), l.due(), l.status()]);
    }
    for h in heads {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr>");
    for p in r.plan.iter().take(limit) {
        let contra = if p.kind == PlanKind::Contradiction {
            format!(
                "<br><span class=\"contra\">⚠ {}</span>",
                labels::kind(p.kind, r.lang)
            )
        } else {
            String::new()
        };
        let _ = write!(
            o,
            "<tr><td>{}</td><td><span class=\"badge {}\">{}</span></td><td><b>{}</b> {}{}</td><td>{}</td><td>{}</td>",
            p.rank,
            level_class(p.priority),
            p.priority.label(r.lang),
            esc(&p.bp_id),
            esc(&p.title),
            contra,
            p.risk.label(r.lang),
            esc(&p.evidence_summary)
        );
        if full {
            let steps: Vec<String> = p.how_to_improve.iter().map(|s| esc(s)).collect();
            let _ = write!(
                o,
                "<td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
                steps.join("<br>"),
                esc(if p.owner.is_empty() { "-" } else { &p.owner }),
                esc(p.due.as_deref().unwrap_or("-")),
                esc(&p.status_label)
            );
        }
        o.push_str("</tr>");
    }
    o.push_str("</table>\n");
}
