//! GetLensReview, ListAnswers, GetAnswer, UpdateAnswer,
//! ListLensReviewImprovements, and the risk rule.

use super::*;
use crate::api::{Body, check_enum, check_len, max_results, milestone_number, paginate, query_int};
use serde_json::json;

type Query = BTreeMap<String, String>;
const STATUSES: [&str; 3] = ["SELECTED", "UNSELECTED", "NOT_APPLICABLE"];

impl State {
    /// The answers and lens version now, or at a milestone.
    fn at<'a>(
        &'a self,
        w: &'a Workload,
        milestone: Option<i64>,
    ) -> ApiResult<(&'a BTreeMap<String, AnswerRec>, &'a LensReview)> {
        match milestone {
            None => Ok((&w.answers, &w.lens)),
            Some(n) => w
                .milestones
                .iter()
                .find(|m| m.number == n)
                .map(|m| (&m.answers, &m.lens))
                .ok_or_else(|| {
                    ApiError::not_found(
                        "MILESTONE",
                        &n.to_string(),
                        format!("No milestone {n} on workload {}", w.id),
                    )
                }),
        }
    }

    /// wasec's assumed rule (AWS does not publish the official one): an
    /// unselected, applicable High choice gives HIGH, else Medium gives
    /// MEDIUM, else NONE; nothing selected or marked gives UNANSWERED.
    pub(super) fn risk(&self, lens: &LensReview, qid: &str, a: &AnswerRec) -> String {
        if let Some(r) = self.force_risk.get(qid) {
            return r.clone();
        }
        if !a.is_applicable {
            return "NOT_APPLICABLE".into();
        }
        let marked_na = a.choices.values().any(|c| c.status == "NOT_APPLICABLE");
        if a.selected.is_empty() && !marked_na {
            return "UNANSWERED".into();
        }
        let missing = self
            .choices(lens, qid)
            .into_iter()
            .filter(|c| !a.selected.contains(&c.id))
            .filter(|c| {
                a.choices
                    .get(&c.id)
                    .is_none_or(|s| s.status != "NOT_APPLICABLE")
            })
            .filter_map(|c| c.risk)
            .max();
        match missing {
            Some(Risk::High) => "HIGH",
            Some(Risk::Medium) => "MEDIUM",
            _ => "NONE",
        }
        .into()
    }

    pub(super) fn risk_counts(
        &self,
        lens: &LensReview,
        answers: &BTreeMap<String, AnswerRec>,
    ) -> BTreeMap<String, usize> {
        let empty = AnswerRec::default();
        let mut counts = BTreeMap::new();
        for q in &self.questions {
            let r = self.risk(lens, &q.id, answers.get(&q.id).unwrap_or(&empty));
            *counts.entry(r).or_insert(0) += 1;
        }
        counts
    }

    fn answer_json(&self, lens: &LensReview, q: &Question, a: &AnswerRec, full: bool) -> Value {
        let choices: Vec<Value> = self
            .choices(lens, &q.id)
            .iter()
            .map(|c| json!({ "ChoiceId": c.id, "Title": c.title }))
            .collect();
        let choice_answers: Vec<Value> = a
            .choices
            .iter()
            .map(|(c, s)| {
                let mut v = json!({ "ChoiceId": c, "Status": s.status });
                if let Some(r) = &s.reason {
                    v["Reason"] = json!(r);
                }
                if full && !s.notes.is_empty() {
                    v["Notes"] = json!(s.notes);
                }
                v
            })
            .collect();
        let mut v = json!({
            "QuestionId": q.id, "PillarId": PILLAR, "QuestionTitle": q.title,
            "Choices": choices, "SelectedChoices": a.selected,
            "IsApplicable": a.is_applicable, "Risk": self.risk(lens, &q.id, a),
        });
        let key = if full {
            "ChoiceAnswers"
        } else {
            "ChoiceAnswerSummaries"
        };
        v[key] = json!(choice_answers);
        if let Some(r) = &a.reason {
            v["Reason"] = json!(r);
        }
        if full {
            v["Notes"] = json!(a.notes);
            v["ImprovementPlanUrl"] = json!(improvement_url(&q.id));
        }
        v
    }

    pub fn get_lens_review(
        &self,
        region: &str,
        id: &str,
        lens: &str,
        q: &Query,
    ) -> ApiResult<Value> {
        Self::check_lens(lens)?;
        let w = self.workload(region, id)?;
        let milestone = milestone_number(q.get("MilestoneNumber").map(String::as_str))?;
        let (answers, lr) = self.at(w, milestone)?;
        let counts = risk_counts_json(&self.risk_counts(lr, answers));
        let mut v = json!({ "WorkloadId": w.id, "LensReview": {
            "LensAlias": LENS_ALIAS, "LensArn": LENS_ARN, "LensVersion": lr.version,
            "LensName": LENS_NAME, "LensStatus": lr.status, "UpdatedAt": w.updated_at,
            "PillarReviewSummaries": [{ "PillarId": PILLAR, "PillarName": "Security", "RiskCounts": counts }],
            "RiskCounts": counts,
        }});
        if let Some(n) = milestone {
            v["MilestoneNumber"] = json!(n);
        }
        Ok(v)
    }

    pub fn list_answers(&self, region: &str, id: &str, lens: &str, q: &Query) -> ApiResult<Value> {
        Self::check_lens(lens)?;
        let max = max_results(query_int(q, "MaxResults")?, 50)?;
        if let Some(p) = q.get("QuestionPriority") {
            check_enum("QuestionPriority", p, &["PRIORITIZED", "NONE"])?;
        }
        let w = self.workload(region, id)?;
        let milestone = milestone_number(q.get("MilestoneNumber").map(String::as_str))?;
        let (answers, lr) = self.at(w, milestone)?;
        let empty = AnswerRec::default();
        let pillar = q.get("PillarId").map(String::as_str);
        let all: Vec<Value> = self
            .questions
            .iter()
            .filter(|_| pillar.is_none_or(|p| p == PILLAR))
            .map(|qq| self.answer_json(lr, qq, answers.get(&qq.id).unwrap_or(&empty), false))
            .collect();
        let scope = format!("answers/{id}/{milestone:?}/{pillar:?}");
        let page = max.min(self.config.page_size);
        let (items, next) = paginate(&all, &scope, q.get("NextToken").map(String::as_str), page)?;
        let mut v = json!({ "WorkloadId": id, "LensAlias": LENS_ALIAS, "LensArn": LENS_ARN,
            "AnswerSummaries": items, "NextToken": next });
        if let Some(n) = milestone {
            v["MilestoneNumber"] = json!(n);
        }
        Ok(v)
    }

    pub fn get_answer(
        &self,
        region: &str,
        id: &str,
        lens: &str,
        qid: &str,
        q: &Query,
    ) -> ApiResult<Value> {
        Self::check_lens(lens)?;
        let w = self.workload(region, id)?;
        let question = self.question(qid)?;
        let milestone = milestone_number(q.get("MilestoneNumber").map(String::as_str))?;
        let (answers, lr) = self.at(w, milestone)?;
        let empty = AnswerRec::default();
        let a = answers.get(qid).unwrap_or(&empty);
        let mut v = json!({ "WorkloadId": id, "LensAlias": LENS_ALIAS, "LensArn": LENS_ARN,
            "Answer": self.answer_json(lr, question, a, true) });
        if let Some(n) = milestone {
            v["MilestoneNumber"] = json!(n);
        }
        Ok(v)
    }

    /// Apply an UpdateAnswer body to a copy of the answer (also used for
    /// edits "in the console").
    pub(super) fn apply_update(
        &self,
        w: &Workload,
        qid: &str,
        body: &Value,
    ) -> ApiResult<AnswerRec> {
        self.question(qid)?;
        let known: BTreeSet<String> = self
            .choices(&w.lens, qid)
            .into_iter()
            .map(|c| c.id)
            .collect();
        let mut a = w.answers.get(qid).cloned().unwrap_or_default();
        let b = Body(body);
        if let Some(sel) = b.strings("SelectedChoices", usize::MAX, 1, 64)? {
            let set: BTreeSet<String> = sel.into_iter().collect();
            check_known(&known, set.iter(), qid)?;
            for c in a.selected.difference(&set) {
                a.choices.entry(c.clone()).or_default().status = "UNSELECTED".into();
            }
            for c in &set {
                let rec = a.choices.entry(c.clone()).or_default();
                rec.status = "SELECTED".into();
                rec.reason = None;
            }
            a.selected = set;
        }
        if let Some(up) = body.get("ChoiceUpdates").filter(|v| !v.is_null()) {
            apply_choice_updates(&mut a, &known, qid, up)?;
        }
        if let Some(n) = b.str_opt("Notes", 0, 2084)? {
            a.notes = n.to_string();
        }
        if let Some(x) = b.bool_opt("IsApplicable")? {
            a.is_applicable = x;
        }
        if let Some(r) = b.enum_opt("Reason", &REASONS)? {
            a.reason = Some(r.to_string());
        }
        if a.is_applicable {
            a.reason = None;
        }
        // Records that say nothing (unselected, no reason, no notes) go.
        a.choices
            .retain(|_, c| c.status != "UNSELECTED" || !c.notes.is_empty());
        Ok(a)
    }

    pub fn update_answer(
        &mut self,
        region: &str,
        id: &str,
        lens: &str,
        qid: &str,
        body: &Value,
    ) -> ApiResult<Value> {
        Self::check_lens(lens)?;
        let w = self.workload(region, id)?;
        let a = self.apply_update(w, qid, body)?;
        let q = self.question(qid)?;
        let answer = self.answer_json(&w.lens, q, &a, true);
        let w = self.workload_mut(region, id)?;
        w.answers.insert(qid.to_string(), a);
        w.updated_at = now();
        Ok(
            json!({ "WorkloadId": id, "LensAlias": LENS_ALIAS, "LensArn": LENS_ARN, "Answer": answer }),
        )
    }

    pub fn list_improvements(
        &self,
        region: &str,
        id: &str,
        lens: &str,
        q: &Query,
    ) -> ApiResult<Value> {
        Self::check_lens(lens)?;
        let max = max_results(query_int(q, "MaxResults")?, 100)?;
        let w = self.workload(region, id)?;
        let milestone = milestone_number(q.get("MilestoneNumber").map(String::as_str))?;
        let (answers, lr) = self.at(w, milestone)?;
        let empty = AnswerRec::default();
        let pillar = q.get("PillarId").map(String::as_str);
        let all: Vec<Value> = self
            .questions
            .iter()
            .filter(|_| pillar.is_none_or(|p| p == PILLAR))
            .filter_map(|qq| {
                let risk = self.risk(lr, &qq.id, answers.get(&qq.id).unwrap_or(&empty));
                matches!(risk.as_str(), "HIGH" | "MEDIUM").then(|| {
                    json!({
                        "QuestionId": qq.id, "PillarId": PILLAR, "QuestionTitle": qq.title,
                        "Risk": risk, "ImprovementPlanUrl": improvement_url(&qq.id),
                    })
                })
            })
            .collect();
        let scope = format!("improvements/{id}/{milestone:?}/{pillar:?}");
        let page = max.min(self.config.page_size);
        let (items, next) = paginate(&all, &scope, q.get("NextToken").map(String::as_str), page)?;
        let mut v = json!({ "WorkloadId": id, "LensAlias": LENS_ALIAS, "LensArn": LENS_ARN,
            "ImprovementSummaries": items, "NextToken": next });
        if let Some(n) = milestone {
            v["MilestoneNumber"] = json!(n);
        }
        Ok(v)
    }
}

/// A stand-in improvement plan link (the double has no real guidance pages).
fn improvement_url(qid: &str) -> String {
    format!("https://docs.aws.amazon.com/wellarchitected/latest/framework/{qid}.html")
}

fn check_known<'a>(
    known: &BTreeSet<String>,
    ids: impl Iterator<Item = &'a String>,
    qid: &str,
) -> ApiResult<()> {
    for c in ids {
        if !known.contains(c) {
            return Err(ApiError::field(
                "SelectedChoices",
                format!("Invalid choice id {c} for question {qid} in this lens version"),
            ));
        }
    }
    Ok(())
}

/// ChoiceUpdates: Status is required; Reason only counts for
/// NOT_APPLICABLE; Notes (at most 250) replace the choice's notes when
/// given and are left alone when absent.
fn apply_choice_updates(
    a: &mut AnswerRec,
    known: &BTreeSet<String>,
    qid: &str,
    up: &Value,
) -> ApiResult<()> {
    let up = up
        .as_object()
        .ok_or_else(|| ApiError::field("ChoiceUpdates", "ChoiceUpdates must be a map"))?;
    for (c, u) in up {
        check_len("ChoiceUpdates", c, 1, 64)?;
        check_known(known, std::iter::once(c), qid)?;
        let b = Body(u);
        let status = b.str_req("Status", 0, 64)?;
        check_enum("Status", status, &STATUSES)?;
        let reason = b.enum_opt("Reason", &REASONS)?;
        let notes = b.str_opt("Notes", 0, 250)?;
        if status == "SELECTED" {
            a.selected.insert(c.clone());
        } else {
            a.selected.remove(c);
        }
        let rec = a.choices.entry(c.clone()).or_default();
        rec.status = status.to_string();
        rec.reason = (status == "NOT_APPLICABLE").then(|| reason.unwrap_or("NONE").to_string());
        if let Some(n) = notes {
            rec.notes = n.to_string();
        }
    }
    Ok(())
}
