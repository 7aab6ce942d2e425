//! Markdown, HTML, CSV and JSON reports, and what every format must carry:
//! each follow-up, the overdue flag, both views, the grouped plan, the
//! guidance links, Japanese evidence and no command syntax.

use crate::common::*;
use wasec_core::Lang;
use wasec_core::review::FollowUp;
use wasec_report::{Format, Options, render};

const TEXT_FORMATS: [Format; 4] = [Format::Markdown, Format::Html, Format::Csv, Format::Json];

/// The first line of a follow-up's text as each format shows it (HTML
/// escapes quotes, CSV defuses a leading '=').
fn needle(text: &str) -> String {
    text.lines()
        .next()
        .unwrap()
        .trim_start_matches('=')
        .replace('"', "")
}

fn contains_loosely(hay: &str, needle: &str) -> bool {
    let clean = |s: &str| {
        s.replace("&quot;", "")
            .replace("&#34;", "")
            .replace(['"', '\\'], "")
    };
    clean(hay).contains(&clean(needle))
}

#[test]
fn every_follow_up_reaches_every_format_with_owner_due_and_status() {
    let review = stress();
    let total: usize = review.follow_ups.values().map(Vec::len).sum();
    assert_eq!(total, 8, "the stress review has eight follow-ups");
    for lang in Lang::ALL {
        let r = report(&review, lang);
        assert_eq!(r.follow_ups.len(), 8);
        for f in [Format::Markdown, Format::Html, Format::Csv, Format::Json] {
            let out = text(&r, f);
            for fu in &r.follow_ups {
                assert!(
                    contains_loosely(&out, &needle(&fu.text)),
                    "{f:?} {lang}: follow-up {:?} missing",
                    fu.text
                );
                if !fu.owner.is_empty() {
                    assert!(out.contains(&fu.owner), "{f:?}: owner {}", fu.owner);
                }
                if let Some(d) = &fu.due {
                    assert!(out.contains(d.as_str()), "{f:?}: due {d}");
                }
            }
        }
        let (_, pages) = pdf_pages(&r);
        let pdf = flat(&pages.concat()).replace('"', "");
        for fu in &r.follow_ups {
            assert!(
                pdf.contains(&flat(&needle(&fu.text))),
                "PDF {lang}: follow-up {:?} missing",
                fu.text
            );
        }
    }
}

#[test]
fn a_follow_up_on_a_practice_in_place_is_reported_and_its_overdue_flag_counted() {
    let r = report(&stress(), Lang::En);
    let fu = r
        .follow_ups
        .iter()
        .find(|f| f.bp_id == "SEC02-BP01")
        .expect("follow-up on an in-place BP");
    assert_eq!(fu.bp_state, wasec_report::model::BpState::InPlace);
    assert!(fu.overdue && fu.plan_rank.is_none());
    let json: serde_json::Value = serde_json::from_str(&text(&r, Format::Json)).unwrap();
    let fus = json["follow_ups"].as_array().unwrap();
    let j = fus.iter().find(|f| f["bp_id"] == "SEC02-BP01").unwrap();
    assert_eq!(j["overdue"], true);
    assert_eq!(j["status"], "open");
    assert_eq!(json["overdue"], r.overdue);
    assert!(r.overdue >= 2, "SEC05-BP02 and SEC02-BP01 are overdue");
}

#[test]
fn an_overdue_item_is_flagged_not_just_open() {
    let r = report(&demo(), Lang::En);
    let fu = r
        .follow_ups
        .iter()
        .find(|f| f.bp_id == "SEC05-BP02")
        .unwrap();
    assert_eq!(fu.due.as_deref(), Some("2026-11-27"));
    assert!(fu.overdue, "due four days before the report date");
    assert_eq!(r.overdue, 1);
    let first = &r.actions[0];
    assert!(first.overdue && first.bps.iter().any(|b| b.bp_id == "SEC05-BP02"));
    let md = text(&r, Format::Markdown);
    assert!(md.contains("2026-11-27 OVERDUE"), "Markdown");
    let html = text(&r, Format::Html);
    assert!(html.contains("OVERDUE"), "HTML");
    let csv = text(&r, Format::Csv);
    let row = csv.lines().find(|l| l.contains("Close SSH")).unwrap();
    assert!(row.ends_with(",yes"), "{row}");
    let ja = report(&demo(), Lang::Ja);
    assert!(text(&ja, Format::Markdown).contains("期限超過"));
}

#[test]
fn both_views_are_named_side_by_side_and_the_verdict_reads_the_evidence() {
    let r = report(&demo(), Lang::En);
    assert!(r.views_differ);
    let adj = r.evidence_adjusted.score.unwrap();
    let dec = r.declared.score.unwrap();
    assert!(adj < dec, "the demo's contradictions lower the score");
    assert!(r.verdict.contains(&format!("{adj:.1}")), "{}", r.verdict);
    assert!(r.verdict.contains("once evidence is counted"));
    for f in [Format::Markdown, Format::Html] {
        let out = text(&r, f);
        let page_one = &out[..out.find("id=\"contents\"").unwrap()];
        for s in [
            "Declared",
            "Evidence-adjusted",
            &format!("{adj:.1}"),
            &format!("{dec:.1}"),
        ] {
            assert!(page_one.contains(s), "{f:?} page one lacks {s}");
        }
    }
    // The question that holds the only critical item is high risk with evidence.
    let sec05 = r.question("SEC05").unwrap();
    assert_eq!(sec05.declared.risk_label, "Medium risk");
    assert_eq!(sec05.evidence_adjusted.risk_label, "High risk");
}

#[test]
fn the_plan_groups_items_that_share_a_failing_check() {
    let r = report(&demo(), Lang::En);
    let sg = &r.actions[0];
    let bps: Vec<&str> = sg.bps.iter().map(|b| b.bp_id.as_str()).collect();
    assert_eq!(bps, ["SEC05-BP02", "SEC06-BP03"]);
    assert!(sg.title.contains("sg-0bastion"), "{}", sg.title);
    assert!(r.actions.len() < r.plan.len());
    for p in &r.plan {
        assert!(!p.actions.is_empty(), "{} is in no action", p.bp_id);
    }
    let md = text(&r, Format::Markdown);
    assert!(
        md.contains("SEC05-BP02 Control traffic flow"),
        "closes list"
    );
}

#[test]
fn every_best_practice_links_to_its_aws_guidance_page() {
    for lang in Lang::ALL {
        let r = report(&demo(), lang);
        let html = text(&r, Format::Html);
        let md = text(&r, Format::Markdown);
        let mut n = 0;
        for q in &r.questions {
            for b in &q.best_practices {
                assert!(
                    b.url.starts_with("https://docs.aws.amazon.com/"),
                    "{}",
                    b.url
                );
                if lang == Lang::Ja {
                    assert!(b.url.contains("/ja_jp/"), "{}", b.url);
                }
                assert!(html.contains(&format!("href=\"{}\"", b.url)), "{}", b.id);
                assert!(md.contains(&format!("]({})", b.url)), "{}", b.id);
                n += 1;
            }
        }
        assert_eq!(n, 63);
    }
}

#[test]
fn japanese_reports_use_japanese_evidence_and_no_command_syntax() {
    let r = report(&demo(), Lang::Ja);
    for f in TEXT_FORMATS {
        let out = text(&r, f);
        assert!(out.contains("セキュリティグループ sg-0bastion"), "{f:?}");
        assert!(
            !out.contains("allows 0.0.0.0/0 on port 22"),
            "{f:?}: English evidence"
        );
    }
    for lang in Lang::ALL {
        let r = report(&demo(), lang);
        for f in TEXT_FORMATS {
            let out = text(&r, f);
            assert!(!out.contains("wasec iam-policy"), "{f:?} {lang}");
            assert!(!out.contains("`wasec"), "{f:?} {lang}");
        }
        let (_, pages) = pdf_pages(&r);
        assert!(!flat(&pages.concat()).contains("wasec iam-policy"));
    }
}

#[test]
fn markdown_keeps_notes_in_their_quote_and_steps_as_a_list() {
    let r = report(&stress(), Lang::En);
    let md = text(&r, Format::Markdown);
    // SEC01's note has blank lines: every line of the quote stays quoted.
    let start = md.find("> **Notes**").unwrap();
    let quote: Vec<&str> = md[start..].lines().take_while(|l| !l.is_empty()).collect();
    assert!(quote.len() > 5, "{quote:?}");
    assert!(quote.iter().all(|l| l.starts_with('>')), "{quote:?}");
    assert!(
        quote.contains(&">"),
        "paragraph breaks kept inside the quote"
    );
    // Steps are a numbered list, not joined with "; " in a cell.
    let p = &r.plan[0];
    let second = &r.bp(&p.bp_id).unwrap().how_to_improve[1];
    assert!(md.contains(&format!("2. {}", second)), "{second}");
    assert!(!md.contains(&format!("; {second}")));
    assert!(
        !md.to_lowercase().contains("colour"),
        "no colour talk in Markdown"
    );
}

#[test]
fn markdown_and_html_escape_peoples_text() {
    let bank = bank();
    let mut review = demo();
    review
        .set_notes(
            bank,
            "SEC01",
            "<script>alert(1)</script> | pipes, \"quotes\" & ampersands",
        )
        .unwrap();
    let r = report(&review, Lang::En);
    let md = text(&r, Format::Markdown);
    assert!(!md.contains("<script>"));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let html = text(&r, Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for banned in ["<script", "<link", " src=", "@import"] {
        assert!(!html.contains(banned), "{banned} found");
    }
    for q in &r.questions {
        assert!(html.contains(&format!("id=\"{}\"", q.id)));
    }
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn html_has_a_linked_contents_print_rules_and_a_heat_map_of_its_own() {
    let r = report(&demo(), Lang::Ja);
    let html = text(&r, Format::Html);
    assert!(html.contains("<nav class=\"toc\">"));
    let toc = &html[html.find("<nav class=\"toc\">").unwrap()..html.find("</nav>").unwrap()];
    let mut links = 0;
    for part in toc.split("href=\"#").skip(1) {
        let id = &part[..part.find('"').unwrap()];
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "contents link #{id} goes nowhere"
        );
        links += 1;
    }
    assert!(links >= 20, "{links}");
    assert!(html.contains("@media print") && html.contains("break-before:page"));
    // Heat-map cells are cells, not badges, and there is no critical severity column.
    assert!(html.contains("<td class=\"cell t-"));
    assert!(!html.contains("class=\"badge t-critical\" title"));
    let heat = &html[html.find("<table class=\"heat\">").unwrap()..];
    let heat = &heat[..heat.find("</table>").unwrap()];
    assert_eq!(heat.matches("<th class=\"col\">").count(), 3);
    assert_eq!(heat.matches("<td class=\"cell").count(), 12);
    assert!(heat.contains(" empty\""), "empty cells are faded");
    // A note's paragraphs are paragraphs.
    let r = report(&stress(), Lang::En);
    let html = text(&r, Format::Html);
    let note = &html[html.find("<div class=\"note\">").unwrap()..];
    let note = &note[..note.find("</div>").unwrap()];
    assert!(note.matches("<p>").count() >= 3, "{note}");
}

/// A small RFC 4180 reader for the test: quoted fields, doubled quotes,
/// line breaks inside quotes, CRLF records.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let (mut rows, mut row, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn csv_has_a_bom_the_action_text_and_a_row_per_item_and_follow_up() {
    let r = report(&stress(), Lang::Ja);
    let bytes = render(&r, Format::Csv, &Options::default()).unwrap();
    assert!(
        bytes.starts_with(&[0xef, 0xbb, 0xbf]),
        "UTF-8 BOM for Excel"
    );
    let csv = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(csv.contains("\r\n"));
    let rows = parse_csv(&csv);
    let head = &rows[0];
    assert_eq!(head[0], "rank");
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    assert!(rows.iter().all(|row| row.len() == head.len()));
    // Every plan item at least once, in order; every follow-up exactly once.
    let ranks: Vec<usize> = rows[1..]
        .iter()
        .filter_map(|row| row[0].parse().ok())
        .collect();
    let mut dedup = ranks.clone();
    dedup.dedup();
    assert_eq!(dedup, (1..=r.plan.len()).collect::<Vec<_>>());
    for fu in &r.follow_ups {
        let hits = rows
            .iter()
            .filter(|row| row[col("follow_up_id")] == fu.id)
            .count();
        assert_eq!(hits, 1, "{}", fu.id);
    }
    // The agreed text with its comma and quotes survived; the formula is defused.
    let formula = rows
        .iter()
        .find(|row| row[col("follow_up")].contains("HYPERLINK"))
        .unwrap();
    assert!(formula[col("follow_up")].starts_with("'="));
    assert!(formula[col("follow_up")].contains("\"all accounts\""));
    let in_place = rows
        .iter()
        .find(|row| row[col("bp_id")] == "SEC02-BP01")
        .unwrap();
    assert_eq!(in_place[col("rank")], "");
    assert_eq!(in_place[col("bp_state")], "in_place");
    assert_eq!(in_place[col("overdue")], "yes");
    assert!(in_place[col("guidance_url")].contains("/ja_jp/"));
    let no_bom = render(
        &r,
        Format::Csv,
        &Options {
            no_bom: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(no_bom.starts_with(b"rank,"));
}

#[test]
fn json_uses_one_casing_nulls_and_a_labelled_matrix() {
    let mut review = demo();
    // An answered question with nothing applicable has no score.
    review.answers.remove("SEC11");
    let r = report(&review, Lang::En);
    let v: serde_json::Value = serde_json::from_str(&text(&r, Format::Json)).unwrap();
    assert_eq!(v["schema"], "wasec.report/2");
    let sec11 = &v["questions"].as_array().unwrap()[10];
    assert_eq!(sec11["declared"]["risk"], "unanswered");
    assert!(
        sec11["declared"]["score"].is_null(),
        "unanswered has no score"
    );
    // Every enum value in lower case, everywhere.
    fn walk(v: &serde_json::Value, path: &str) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    if [
                        "risk",
                        "priority",
                        "likelihood",
                        "severity",
                        "status",
                        "state",
                        "kind",
                    ]
                    .contains(&k.as_str())
                        && let Some(s) = x.as_str()
                    {
                        assert_eq!(s, s.to_lowercase(), "{path}.{k}");
                    }
                    walk(x, &format!("{path}.{k}"));
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, path)),
            _ => {}
        }
    }
    walk(&v, "");
    let m = &v["matrix"];
    assert_eq!(
        m["likelihood"],
        serde_json::json!(["critical", "high", "medium", "low"])
    );
    assert_eq!(m["severity"], serde_json::json!(["low", "medium", "high"]));
    let total: u64 = m["counts"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(total as usize, r.plan.len());
    // The public SSH failure: likelihood critical (row 0), severity high (column 2).
    assert!(m["counts"][0][2].as_u64().unwrap() >= 1);
    assert_eq!(m["priority"][0][2], "critical");
    assert_eq!(v["follow_ups"].as_array().unwrap().len(), 7);
    assert!(v["actions"][0]["bps"].as_array().unwrap().len() >= 2);
    assert_eq!(
        v["milestones"].as_array().unwrap().len(),
        3,
        "two recorded and now"
    );
}

#[test]
fn progress_shows_milestones_and_what_changed() {
    let r = report(&demo(), Lang::En);
    assert!(r.milestones.len() >= 3);
    let c = r.changes.as_ref().unwrap();
    assert_eq!(c.since, "Mid-review checkpoint");
    assert_eq!(
        (c.score_before, c.score_after),
        (Some(42.0), r.declared.score)
    );
    let md = text(&r, Format::Markdown);
    assert!(
        md.contains("Since “Mid-review checkpoint” (2026-11-06)"),
        "page one"
    );
    assert!(
        md.contains("Design review kick-off"),
        "the trend lists every milestone"
    );
    let ja = report(&demo(), Lang::Ja);
    assert!(text(&ja, Format::Markdown).contains("「Mid-review checkpoint」（2026-11-06）から"));
}

#[test]
fn an_unanswered_review_does_not_claim_everything_is_in_place() {
    let review = wasec_core::Review::new("New", today());
    let r = report(&review, Lang::En);
    assert!(r.declared.score.is_none() || r.declared.counts.unanswered == 11);
    for f in [Format::Markdown, Format::Html] {
        let t = text(&r, f);
        assert!(t.contains("11 questions are still unanswered"), "{f:?}");
        assert!(
            !t.contains("every applicable best practice is in place"),
            "{f:?}"
        );
    }
    assert_eq!(text(&r, Format::Csv).lines().count(), 1);
}

#[test]
fn a_follow_up_added_later_is_reported_too() {
    // Two follow-ups on one BP: both reach the report (only the first did).
    let bank = bank();
    let mut review = demo();
    review
        .add_follow_up(
            bank,
            "SEC05-BP02",
            FollowUp {
                text: "Second agreed step: remove the bastion entirely".into(),
                owner: "Mika Ito".into(),
                ..Default::default()
            },
        )
        .unwrap();
    let r = report(&review, Lang::En);
    for f in TEXT_FORMATS {
        assert!(text(&r, f).contains("remove the bastion entirely"), "{f:?}");
    }
}
