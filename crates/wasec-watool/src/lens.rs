//! Export the question bank as a WA Tool custom lens (ImportLens JSON).
//!
//! Choice ids are the bank's WA choice ids and question ids the WA question
//! ids, so answers in a custom-lens review line up with the official lens.
//! Risk rules restate wasec's question risk rule as boolean conditions:
//! every High and Medium choice selected gives NO_RISK; every High but not
//! every Medium gives MEDIUM_RISK; anything else HIGH_RISK. The conditions
//! do not overlap, so the result does not depend on evaluation order.

use crate::error::Error;
use serde_json::{Value, json};
use wasec_core::bank::{BestPractice, Question, Risk};
use wasec_core::{Bank, Lang};

/// "A custom lens cannot exceed 500 KB" (ImportLens JSONString, characters).
pub const LENS_JSON_MAX: usize = 500_000;
const NAME_MAX: usize = 128;
const DESCRIPTION_MAX: usize = 2048;
const DISPLAY_TEXT_MAX: usize = 1024;

fn cap(s: &str, max: usize) -> String {
    crate::notes::truncate(s, max).0
}

fn and_all(ids: &[&str]) -> String {
    ids.join(" && ")
}

/// Risk rules for one question (see the module comment).
pub fn risk_rules(q: &Question) -> Vec<Value> {
    let ids = |r: Risk| -> Vec<&str> {
        q.best_practices
            .iter()
            .filter(|b| b.risk == r)
            .map(|b| b.wa_choice_id.as_str())
            .collect()
    };
    let high = ids(Risk::High);
    let medium = ids(Risk::Medium);
    let rule = |c: String, r: &str| json!({ "condition": c, "risk": r });
    match (high.is_empty(), medium.is_empty()) {
        (true, true) => vec![rule("default".into(), "NO_RISK")],
        (true, false) => vec![
            rule(and_all(&medium), "NO_RISK"),
            rule("default".into(), "MEDIUM_RISK"),
        ],
        (false, true) => vec![
            rule(and_all(&high), "NO_RISK"),
            rule("default".into(), "HIGH_RISK"),
        ],
        (false, false) => {
            let all: Vec<&str> = high.iter().chain(&medium).copied().collect();
            let missing_medium: Vec<String> = medium.iter().map(|m| format!("!{m}")).collect();
            vec![
                rule(and_all(&all), "NO_RISK"),
                rule(
                    format!("{} && ({})", and_all(&high), missing_medium.join(" || ")),
                    "MEDIUM_RISK",
                ),
                rule("default".into(), "HIGH_RISK"),
            ]
        }
    }
}

fn choice(b: &BestPractice, lang: Lang) -> Value {
    let steps = b.improve.get(lang).join(" ");
    let plan = if steps.trim().is_empty() {
        lang.pick(
            "Put this best practice in place.",
            "このベストプラクティスを導入します。",
        )
        .to_string()
    } else {
        steps
    };
    let good = b.good.get(lang);
    json!({
        "id": b.wa_choice_id,
        "title": cap(&format!("{} {}", b.id, b.title.get(lang)), NAME_MAX),
        "helpfulResource": { "displayText": cap(if good.is_empty() { b.title.get(lang) } else { good }, DISPLAY_TEXT_MAX) },
        "improvementPlan": { "displayText": cap(&plan, DISPLAY_TEXT_MAX) },
    })
}

/// The lens as a JSON value.
pub fn lens_value(bank: &Bank, lang: Lang) -> Value {
    let lens = bank.lens();
    let questions: Vec<Value> = bank
        .questions()
        .iter()
        .map(|q| {
            json!({
                "id": q.wa_question_id,
                "title": cap(&format!("{} {}", q.id, q.title.get(lang)), NAME_MAX),
                "description": cap(q.description.get(lang), DESCRIPTION_MAX),
                "choices": q.best_practices.iter().map(|b| choice(b, lang)).collect::<Vec<_>>(),
                "riskRules": risk_rules(q),
            })
        })
        .collect();
    let name = match lang {
        Lang::En => format!("wasec {} security review", lens.framework.get(lang)),
        Lang::Ja => format!("wasec {} セキュリティレビュー", lens.framework.get(lang)),
    };
    let description = lang.pick(
        "Security pillar questions and best practices exported by wasec from its question bank (framework version {v}). Risk rules: any High best practice missing gives high risk, any Medium missing gives medium risk.",
        "wasec の質問バンクから書き出したセキュリティの柱の質問とベストプラクティス（フレームワーク版 {v}）。リスク規則: High のベストプラクティスが一つでも欠けると高リスク、Medium が欠けると中リスク。",
    );
    json!({
        "schemaVersion": "2021-11-01",
        "name": cap(&name, NAME_MAX),
        "description": cap(&description.replace("{v}", &lens.framework_version), DESCRIPTION_MAX),
        "pillars": [{
            "id": lens.pillar_id,
            "name": lens.pillar_name.get(lang),
            "questions": questions,
        }],
    })
}

/// The lens JSON text, checked against the size limit.
pub fn export(bank: &Bank, lang: Lang) -> Result<String, Error> {
    check_size(
        serde_json::to_string_pretty(&lens_value(bank, lang)).expect("JSON values serialize"),
    )
}

fn check_size(text: String) -> Result<String, Error> {
    let n = crate::notes::api_len(&text);
    if n > LENS_JSON_MAX {
        Err(Error::LensTooLarge(n))
    } else {
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Evaluate a rule condition the way the Tool documents it (&&, ||, !, parentheses).
    fn eval(cond: &str, selected: &HashSet<&str>) -> bool {
        fn expr(t: &[&str], i: &mut usize, s: &HashSet<&str>) -> bool {
            let mut v = term(t, i, s);
            while *i < t.len() && t[*i] == "||" {
                *i += 1;
                let r = term(t, i, s);
                v = v || r;
            }
            v
        }
        fn term(t: &[&str], i: &mut usize, s: &HashSet<&str>) -> bool {
            let mut v = atom(t, i, s);
            while *i < t.len() && t[*i] == "&&" {
                *i += 1;
                let r = atom(t, i, s);
                v = v && r;
            }
            v
        }
        fn atom(t: &[&str], i: &mut usize, s: &HashSet<&str>) -> bool {
            let tok = t[*i];
            *i += 1;
            match tok {
                "!" => !atom(t, i, s),
                "(" => {
                    let v = expr(t, i, s);
                    *i += 1; // ')'
                    v
                }
                id => s.contains(id),
            }
        }
        let spaced = cond
            .replace('(', " ( ")
            .replace(')', " ) ")
            .replace('!', " ! ");
        let toks: Vec<&str> = spaced.split_whitespace().collect();
        let mut i = 0;
        expr(&toks, &mut i, selected)
    }

    fn lens_risk(q: &Question, selected: &HashSet<&str>) -> String {
        let rules = risk_rules(q);
        let hits: Vec<&Value> = rules
            .iter()
            .filter(|r| {
                r["condition"] != "default" && eval(r["condition"].as_str().unwrap(), selected)
            })
            .collect();
        assert!(hits.len() <= 1, "rules overlap for {}", q.id);
        let r = hits
            .first()
            .copied()
            .or_else(|| rules.iter().find(|r| r["condition"] == "default"))
            .unwrap();
        r["risk"].as_str().unwrap().to_string()
    }

    #[test]
    fn risk_rules_agree_with_wasec_rule() {
        use wasec_core::review::{Answer, QuestionRisk};
        let bank = Bank::embedded().unwrap();
        for q in bank.questions() {
            // Every "leave one BP out" pattern plus all and none selected.
            let n = q.best_practices.len();
            let mut patterns: Vec<Vec<bool>> =
                (0..n).map(|k| (0..n).map(|i| i != k).collect()).collect();
            patterns.push(vec![true; n]);
            patterns.push(vec![false; n]);
            for p in patterns {
                let sel: Vec<&BestPractice> = q
                    .best_practices
                    .iter()
                    .zip(&p)
                    .filter(|(_, on)| **on)
                    .map(|(b, _)| b)
                    .collect();
                let ids: HashSet<&str> = sel.iter().map(|b| b.wa_choice_id.as_str()).collect();
                let answer = Answer {
                    selected: sel.iter().map(|b| b.id.clone()).collect(),
                    none_of_these: sel.is_empty(),
                    ..Default::default()
                };
                let want = match wasec_core::scoring::question_risk(q, Some(&answer)) {
                    QuestionRisk::High => "HIGH_RISK",
                    QuestionRisk::Medium => "MEDIUM_RISK",
                    _ => "NO_RISK",
                };
                assert_eq!(lens_risk(q, &ids), want, "{} {:?}", q.id, p);
            }
        }
    }

    #[test]
    fn export_has_the_documented_shape_in_both_languages() {
        let bank = Bank::embedded().unwrap();
        for lang in Lang::ALL {
            let text = export(&bank, lang).unwrap();
            assert!(text.len() < LENS_JSON_MAX);
            let v: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v["schemaVersion"], "2021-11-01");
            let qs = v["pillars"][0]["questions"].as_array().unwrap();
            assert_eq!(qs.len(), bank.questions().len());
            let choices: usize = qs
                .iter()
                .map(|q| q["choices"].as_array().unwrap().len())
                .sum();
            assert_eq!(choices, bank.bp_count());
            for q in qs {
                for c in q["choices"].as_array().unwrap() {
                    assert!(
                        !c["improvementPlan"]["displayText"]
                            .as_str()
                            .unwrap()
                            .is_empty()
                    );
                }
            }
        }
        let ja = export(&bank, Lang::Ja).unwrap();
        assert!(ja.contains(&bank.questions()[0].title.ja));
    }

    #[test]
    fn oversized_lens_is_an_error() {
        assert!(matches!(
            check_size("x".repeat(LENS_JSON_MAX + 1)),
            Err(Error::LensTooLarge(_))
        ));
        assert!(check_size("x".repeat(10)).is_ok());
    }
}
