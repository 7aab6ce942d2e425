//! Markdown, HTML, CSV and JSON reports: same content as the PDF, each
//! format's own rules (escaping, quoting, schema).

use wasec_core::review::FollowUp;
use wasec_core::{Bank, Lang, Review};
use wasec_report::{Format, Options, Report, build, render, sample};

fn review(bank: &Bank) -> Review {
    let mut r = sample::review(bank, 30);
    // Text that each format must escape or quote.
    r.set_notes(
        bank,
        "SEC01",
        "<script>alert(1)</script> | pipes, \"quotes\" & ampersands",
    )
    .unwrap();
    let gap = build(bank, &r, Lang::En, date()).plan[0].bp_id.clone();
    r.follow_ups.remove(&gap);
    r.add_follow_up(
        bank,
        &gap,
        FollowUp {
            text: "Fix it, \"now\"".into(),
            owner: "Doe, Jane".into(),
            due: None,
            status: Default::default(),
            ..Default::default()
        },
    )
    .unwrap();
    r
}

fn date() -> time::Date {
    time::macros::date!(2026 - 11 - 23)
}

fn report(lang: Lang) -> (Report, Review) {
    let bank = Bank::embedded().unwrap();
    let r = review(&bank);
    (build(&bank, &r, lang, date()), r)
}

fn text(r: &Report, f: Format) -> String {
    String::from_utf8(render(r, f, &Options::default()).unwrap()).unwrap()
}

#[test]
fn markdown_has_every_question_and_the_plan_in_order() {
    let (r, _) = report(Lang::En);
    let md = text(&r, Format::Markdown);
    for q in &r.questions {
        assert!(
            md.contains(&format!("### {} {}", q.id, q.title)),
            "{}",
            q.id
        );
    }
    let plan =
        &md[md.find("## Improvement plan").unwrap()..md.find("## Results by question").unwrap()];
    let mut last = 0;
    for p in &r.plan {
        let row = format!(
            "| {} | {} | {} ",
            p.rank,
            p.priority.label(Lang::En),
            p.bp_id
        );
        let pos = plan[last..]
            .find(&row)
            .unwrap_or_else(|| panic!("row {row:?} out of order"))
            + last;
        last = pos;
    }
    // Raw HTML in people's text is escaped (renderers pass HTML through).
    assert!(!md.contains("<script>"));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(md.contains("Appendix B: Framework mappings"));
}

#[test]
fn japanese_markdown_uses_japanese_headings_and_titles() {
    let (r, _) = report(Lang::Ja);
    let md = text(&r, Format::Markdown);
    assert!(md.contains("## エグゼクティブサマリー"));
    assert!(md.contains("## 改善計画"));
    assert!(md.contains(&r.questions[0].title));
    assert!(!r.questions[0].title.is_ascii());
}

#[test]
fn html_is_self_contained_and_escapes_text() {
    let (r, _) = report(Lang::En);
    let html = text(&r, Format::Html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<style>") && html.contains("@media print"));
    for banned in [
        "<script", "<link", " src=", "http://", "https://", "@import",
    ] {
        assert!(!html.contains(banned), "{banned} found");
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    for q in &r.questions {
        assert!(html.contains(&format!("id=\"{}\"", q.id)));
    }
    assert!(html.trim_end().ends_with("</html>"));
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
fn csv_has_one_quoted_row_per_plan_item() {
    let (r, _) = report(Lang::En);
    let csv = text(&r, Format::Csv);
    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), r.plan.len() + 1);
    assert_eq!(rows[0][0], "rank");
    assert!(rows.iter().all(|row| row.len() == rows[0].len()));
    for (row, p) in rows[1..].iter().zip(&r.plan) {
        assert_eq!(row[0], p.rank.to_string());
        assert_eq!(row[6], p.bp_id);
        assert_eq!(row[12], p.how_to_improve.join("\n"));
    }
    // The owner with a comma survived quoting.
    assert_eq!(rows[1][13], "Doe, Jane");
}

#[test]
fn json_follows_the_versioned_schema() {
    let (r, rev) = report(Lang::En);
    let v: serde_json::Value = serde_json::from_str(&text(&r, Format::Json)).unwrap();
    assert_eq!(v["schema"], "wasec.report/1");
    assert_eq!(v["lang"], "en");
    assert_eq!(v["questions"].as_array().unwrap().len(), 11);
    let plan = v["plan"].as_array().unwrap();
    assert_eq!(plan.len(), r.plan.len());
    for (i, p) in plan.iter().enumerate() {
        assert_eq!(p["rank"], i + 1);
        assert!(["critical", "high", "medium", "low"].contains(&p["priority"].as_str().unwrap()));
    }
    assert_eq!(v["evidence"].as_array().unwrap().len(), rev.evidence.len());
    let matrix_total: u64 = v["matrix"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r.as_array().unwrap())
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(matrix_total as usize, plan.len());
    assert!((v["score"].as_f64().unwrap() - r.score).abs() < 1e-9);
}

#[test]
fn narrative_is_generated_from_the_numbers_in_both_languages() {
    let (en, _) = report(Lang::En);
    let (ja, _) = report(Lang::Ja);
    let score = format!("{:.1}", en.score);
    assert!(en.summary.contains(&score) && ja.summary.contains(&score));
    assert!(en.summary.contains(&format!("{} items", en.plan.len())));
    assert!(
        ja.summary
            .contains(&format!("改善計画は{}項目", ja.plan.len()))
    );
    assert!(en.summary.contains(&en.plan[0].bp_id));
}

#[test]
fn an_unanswered_review_does_not_claim_everything_is_in_place() {
    let bank = Bank::embedded().unwrap();
    let review = Review::new("New", date());
    let r = build(&bank, &review, Lang::En, date());
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
