use super::*;
use crate::doc::Block;
use time::macros::date;
use wasec_core::demo;
use wasec_core::review::EvidenceStatus;

const TODAY: time::Date = date!(2026 - 12 - 01);

/// The demo, a copy whose failing evidence moved to a second account, and
/// an empty review.
fn reviews(bank: &Bank) -> Vec<(String, Review)> {
    let demo = demo::review(bank).unwrap();
    let mut multi = demo.clone();
    multi.workload.name = "Payments".into();
    let mut second = multi.clone().evidence;
    for e in &mut second {
        e.account = "222222222222".into();
    }
    for e in &mut multi.evidence {
        if e.status == EvidenceStatus::Fail {
            e.status = EvidenceStatus::Pass;
        }
        e.account = "111111111111".into();
    }
    multi.evidence.extend(second);
    let empty = Review::new("Sandbox", TODAY);
    vec![
        ("reviews/empty.yaml".into(), empty),
        ("reviews/demo.yaml".into(), demo),
        ("reviews/payments.yaml".into(), multi),
    ]
}

#[test]
fn each_workload_matches_its_own_report_and_the_most_at_risk_comes_first() {
    let bank = Bank::embedded().unwrap();
    let input = reviews(&bank);
    let p = build(&bank, &input, Lang::En, TODAY);
    assert_eq!(p.workloads.len(), 3);
    for (file, review) in &input {
        let single = crate::build(&bank, review, Lang::En, TODAY);
        let w = p.workloads.iter().find(|w| &w.file == file).unwrap();
        assert_eq!(w.score, single.evidence_adjusted.score, "{file}");
        assert_eq!(w.high, single.evidence_adjusted.counts.high, "{file}");
        assert_eq!(w.overdue, single.overdue, "{file}");
        assert_eq!(w.open_actions, single.actions.len(), "{file}");
        assert_eq!(w.risks.len(), bank.questions().len());
    }
    let order: Vec<(u32, Option<f64>)> = p.workloads.iter().map(|w| (w.high, w.score)).collect();
    assert!(
        order.windows(2).all(|x| x[0].0 > x[1].0
            || (x[0].0 == x[1].0
                && x[0].1.unwrap_or(f64::INFINITY) <= x[1].1.unwrap_or(f64::INFINITY))),
        "{order:?}"
    );
    let sandbox = p.workloads.iter().find(|w| w.name == "Sandbox").unwrap();
    assert!(sandbox.risks.iter().all(|r| *r == QuestionRisk::Unanswered));
    assert_eq!(
        sandbox.score,
        Some(0.0),
        "unanswered counts as nothing in place"
    );
}

#[test]
fn a_multi_account_workload_shows_each_account() {
    let bank = Bank::embedded().unwrap();
    let p = build(&bank, &reviews(&bank), Lang::En, TODAY);
    let pay = p.workloads.iter().find(|w| w.name == "Payments").unwrap();
    let accounts: Vec<&str> = pay.by_account.iter().map(|a| a.account.as_str()).collect();
    assert_eq!(accounts, ["111111111111", "222222222222"]);
    assert_eq!(pay.by_account[0].failing, 0);
    assert!(pay.by_account[1].failing > 0);
    let demo = p
        .workloads
        .iter()
        .find(|w| w.file == "reviews/demo.yaml")
        .unwrap();
    assert!(
        demo.by_account.is_empty(),
        "one account: no per-account grid"
    );

    let d = document(&p);
    let acc = d
        .sections
        .iter()
        .find(|s| s.id == doc::id::ACCOUNTS)
        .unwrap();
    let tables: Vec<&Table> = acc
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
        .collect();
    assert_eq!(tables.len(), 1, "only Payments spans accounts");
    assert_eq!(tables[0].rows.len(), 2);
    let widths: f32 = tables[0].columns.iter().map(|c| c.width).sum();
    assert!((widths - 1.0).abs() < 1e-3, "{widths}");
}

#[test]
fn every_format_carries_every_workload() {
    let bank = Bank::embedded().unwrap();
    for lang in [Lang::En, Lang::Ja] {
        let p = build(&bank, &reviews(&bank), lang, TODAY);
        let opts = Options::default();
        let md = String::from_utf8(render(&p, Format::Markdown, &opts).unwrap()).unwrap();
        let html = String::from_utf8(render(&p, Format::Html, &opts).unwrap()).unwrap();
        for w in &p.workloads {
            assert!(md.contains(&w.name), "{lang:?} md lacks {}", w.name);
            assert!(html.contains(&w.name), "{lang:?} html lacks {}", w.name);
        }
        let csv = render(&p, Format::Csv, &opts).unwrap();
        assert!(csv.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
        let text = String::from_utf8(csv[3..].to_vec()).unwrap();
        let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
        assert_eq!(lines.len(), 4, "header and a row per workload");
        assert!(lines[0].contains("SEC01") && lines[0].contains("SEC11"));
        let json: serde_json::Value =
            serde_json::from_slice(&render(&p, Format::Json, &opts).unwrap()).unwrap();
        assert_eq!(json["schema"], SCHEMA);
        assert_eq!(json["workloads"].as_array().unwrap().len(), 3);
        assert_eq!(
            json["workloads"][0]["risks"][0],
            serde_json::json!(p.workloads[0].risks[0].as_str())
        );
        let pdf = render(&p, Format::Pdf, &opts).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}

#[test]
fn the_verdict_names_the_workloads_at_high_risk() {
    let bank = Bank::embedded().unwrap();
    let p = build(&bank, &reviews(&bank), Lang::En, TODAY);
    let v = labels::portfolio_verdict(&p);
    let high: Vec<&str> = p
        .workloads
        .iter()
        .filter(|w| w.high > 0)
        .map(|w| w.name.as_str())
        .collect();
    assert!(!high.is_empty());
    for name in &high {
        assert!(v.contains(name), "{v}");
    }
    assert!(
        v.contains(&format!("Start with {}", p.workloads[0].name)),
        "{v}"
    );
    let ja = labels::portfolio_verdict(&build(&bank, &reviews(&bank), Lang::Ja, TODAY));
    assert!(ja.contains('（') && !ja.contains('('), "{ja}");

    let none = build(
        &bank,
        &[("e.yaml".into(), Review::new("E", TODAY))],
        Lang::En,
        TODAY,
    );
    assert_eq!(
        labels::portfolio_verdict(&none),
        "1 workload reviewed; none has high-risk questions once evidence is counted."
    );
}
