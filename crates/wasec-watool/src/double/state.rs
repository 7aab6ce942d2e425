//! The double's data and the rules each operation enforces.

use super::Hooks;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use wasec_core::Bank;
use wasec_core::bank::Risk;

const LENS: &str = "wellarchitected";
const LENS_ARN: &str = "arn:aws:wellarchitected::aws:lens/wellarchitected";
const REASONS: [&str; 5] = [
    "OUT_OF_SCOPE",
    "BUSINESS_PRIORITIES",
    "ARCHITECTURE_CONSTRAINTS",
    "OTHER",
    "NONE",
];

pub struct ApiError {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

fn validation(msg: impl Into<String>) -> ApiError {
    ApiError {
        status: 400,
        code: "ValidationException",
        message: msg.into(),
    }
}

fn not_found(msg: impl Into<String>) -> ApiError {
    ApiError {
        status: 404,
        code: "ResourceNotFoundException",
        message: msg.into(),
    }
}

fn conflict(msg: impl Into<String>) -> ApiError {
    ApiError {
        status: 409,
        code: "ConflictException",
        message: msg.into(),
    }
}

type Result<T> = std::result::Result<T, ApiError>;

pub struct DQuestion {
    pub id: String,
    pub title: String,
    /// (choice id, title, risk when missing); "none of these" has no risk.
    pub choices: Vec<(String, String, Option<Risk>)>,
}

#[derive(Clone, Default)]
pub struct DChoice {
    pub status: String,
    pub reason: Option<String>,
    pub notes: String,
}

#[derive(Clone)]
pub struct DAnswer {
    pub selected: BTreeSet<String>,
    pub choices: BTreeMap<String, DChoice>,
    pub is_applicable: bool,
    pub reason: Option<String>,
    pub notes: String,
}

impl Default for DAnswer {
    fn default() -> Self {
        DAnswer {
            selected: BTreeSet::new(),
            choices: BTreeMap::new(),
            is_applicable: true,
            reason: None,
            notes: String::new(),
        }
    }
}

pub struct DMilestone {
    pub number: i64,
    pub name: String,
    pub token: String,
    pub answers: BTreeMap<String, DAnswer>,
}

pub struct DWorkload {
    pub id: String,
    pub name: String,
    pub token: String,
    pub description: String,
    pub environment: String,
    pub owner: String,
    pub aws_regions: Vec<String>,
    pub non_aws_regions: Vec<String>,
    pub accounts: Vec<String>,
    pub answers: BTreeMap<String, DAnswer>,
    pub milestones: Vec<DMilestone>,
}

pub struct State {
    pub questions: Vec<DQuestion>,
    pub workloads: Vec<DWorkload>,
    pub hooks: Hooks,
    pub force_risk: BTreeMap<String, String>,
    pub lens_version: String,
    next_id: u64,
}

fn normalize(name: &str) -> String {
    crate::mapping::normalize_name(name)
}

fn str_field<'a>(body: &'a Value, key: &str) -> Option<&'a str> {
    body.get(key).and_then(Value::as_str)
}

fn strings(body: &Value, key: &str) -> Vec<String> {
    body.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn check_len(field: &str, s: &str, min: usize, max: usize) -> Result<()> {
    let n = s.chars().count();
    if n < min || n > max {
        return Err(validation(format!(
            "{field} must be {min} to {max} characters (got {n})"
        )));
    }
    Ok(())
}

/// MaxResults: absent, or 1..=50.
fn max_results(v: Option<i64>) -> Result<usize> {
    match v {
        None => Ok(50),
        Some(n) if (1..=50).contains(&n) => Ok(n as usize),
        Some(n) => Err(validation(format!(
            "MaxResults must be between 1 and 50 (got {n})"
        ))),
    }
}

fn page<T: Clone>(
    items: &[T],
    token: Option<&str>,
    max: usize,
) -> Result<(Vec<T>, Option<String>)> {
    let start = match token {
        Some(t) => t
            .parse::<usize>()
            .map_err(|_| validation("invalid NextToken"))?,
        None => 0,
    };
    let end = (start + max).min(items.len());
    let slice = items.get(start..end).unwrap_or(&[]).to_vec();
    Ok((slice, (end < items.len()).then(|| end.to_string())))
}

impl State {
    pub fn new(bank: &Bank) -> State {
        let questions = bank
            .questions()
            .iter()
            .map(|q| {
                let mut choices: Vec<(String, String, Option<Risk>)> = q
                    .best_practices
                    .iter()
                    .map(|b| (b.wa_choice_id.clone(), b.title.en.clone(), Some(b.risk)))
                    .collect();
                choices.push((
                    q.none_of_these_choice_id.clone(),
                    "None of these".into(),
                    None,
                ));
                DQuestion {
                    id: q.wa_question_id.clone(),
                    title: q.title.en.clone(),
                    choices,
                }
            })
            .collect();
        State {
            questions,
            workloads: Vec::new(),
            hooks: Hooks::default(),
            force_risk: BTreeMap::new(),
            lens_version: bank.lens().framework_version.clone(),
            next_id: 1,
        }
    }

    pub fn add_choice(&mut self, qid: &str, choice: &str, title: &str) {
        if let Some(q) = self.questions.iter_mut().find(|q| q.id == qid) {
            let at = q.choices.len().saturating_sub(1);
            q.choices.insert(
                at,
                (choice.to_string(), title.to_string(), Some(Risk::Medium)),
            );
        }
    }

    fn workload(&self, id: &str) -> Result<&DWorkload> {
        self.workloads
            .iter()
            .find(|w| w.id == id)
            .ok_or_else(|| not_found(format!("No workload with id {id} found")))
    }

    fn workload_mut(&mut self, id: &str) -> Result<&mut DWorkload> {
        self.workloads
            .iter_mut()
            .find(|w| w.id == id)
            .ok_or_else(|| not_found(format!("No workload with id {id} found")))
    }

    fn question(&self, qid: &str) -> Result<&DQuestion> {
        self.questions
            .iter()
            .find(|q| q.id == qid)
            .ok_or_else(|| not_found(format!("No question with id {qid} found")))
    }

    fn check_lens(lens: &str) -> Result<()> {
        if lens == LENS || lens == LENS_ARN {
            Ok(())
        } else {
            Err(not_found(format!(
                "Lens {lens} is not associated with the workload"
            )))
        }
    }

    pub fn create_workload(&mut self, body: &Value) -> Result<Value> {
        let name = str_field(body, "WorkloadName").unwrap_or_default();
        let token = str_field(body, "ClientRequestToken")
            .unwrap_or_default()
            .to_string();
        if let Some(w) = self
            .workloads
            .iter()
            .find(|w| !token.is_empty() && w.token == token)
        {
            // Idempotent retry: same token, same workload.
            return Ok(json!({ "WorkloadId": w.id, "WorkloadArn": arn(&w.id) }));
        }
        check_len("WorkloadName", name, 3, 100)?;
        let description = str_field(body, "Description").unwrap_or_default();
        check_len("Description", description, 3, 250)?;
        let environment = str_field(body, "Environment").unwrap_or_default();
        if !matches!(environment, "PRODUCTION" | "PREPRODUCTION") {
            return Err(validation(
                "Environment must be PRODUCTION or PREPRODUCTION",
            ));
        }
        let owner = str_field(body, "ReviewOwner").unwrap_or_default();
        check_len("ReviewOwner", owner, 3, 255)?;
        let lenses = strings(body, "Lenses");
        if lenses.is_empty() {
            return Err(validation("Lenses must not be empty"));
        }
        let aws = strings(body, "AwsRegions");
        let other = strings(body, "NonAwsRegions");
        if aws.is_empty() && other.is_empty() {
            return Err(validation("AwsRegions or NonAwsRegions is required"));
        }
        if aws.len() > 50 || other.len() > 5 {
            return Err(validation("too many regions"));
        }
        if self
            .workloads
            .iter()
            .any(|w| normalize(&w.name) == normalize(name))
        {
            return Err(conflict(format!("Workload name {name} is already in use")));
        }
        let id = format!("{:032x}", 0xa11ce000_u64 + self.next_id);
        self.next_id += 1;
        self.workloads.push(DWorkload {
            id: id.clone(),
            name: name.to_string(),
            token,
            description: description.to_string(),
            environment: environment.to_string(),
            owner: owner.to_string(),
            aws_regions: aws,
            non_aws_regions: other,
            accounts: strings(body, "AccountIds"),
            answers: BTreeMap::new(),
            milestones: Vec::new(),
        });
        Ok(json!({ "WorkloadId": id, "WorkloadArn": arn(&id) }))
    }

    pub fn list_workloads(&self, body: &Value) -> Result<Value> {
        let max = max_results(body.get("MaxResults").and_then(Value::as_i64))?;
        let prefix = str_field(body, "WorkloadNamePrefix")
            .unwrap_or_default()
            .to_lowercase();
        let all: Vec<Value> = self
            .workloads
            .iter()
            .filter(|w| w.name.to_lowercase().starts_with(&prefix))
            .map(|w| json!({ "WorkloadId": w.id, "WorkloadArn": arn(&w.id), "WorkloadName": w.name, "Lenses": [LENS] }))
            .collect();
        let (items, next) = page(&all, str_field(body, "NextToken"), max)?;
        Ok(json!({ "WorkloadSummaries": items, "NextToken": next }))
    }

    pub fn get_workload(&self, id: &str) -> Result<Value> {
        let w = self.workload(id)?;
        Ok(json!({ "Workload": {
            "WorkloadId": w.id, "WorkloadArn": arn(&w.id), "WorkloadName": w.name,
            "Description": w.description, "Environment": w.environment, "ReviewOwner": w.owner,
            "AwsRegions": w.aws_regions, "NonAwsRegions": w.non_aws_regions, "AccountIds": w.accounts,
            "Lenses": [LENS], "UpdatedAt": 1_790_000_000,
        }}))
    }

    fn answers_at<'a>(
        &'a self,
        w: &'a DWorkload,
        query: &BTreeMap<String, String>,
    ) -> Result<&'a BTreeMap<String, DAnswer>> {
        match query.get("MilestoneNumber") {
            None => Ok(&w.answers),
            Some(n) => w
                .milestones
                .iter()
                .find(|m| m.number.to_string() == *n)
                .map(|m| &m.answers)
                .ok_or_else(|| not_found(format!("No milestone {n} on workload {}", w.id))),
        }
    }

    pub fn get_lens_review(
        &self,
        id: &str,
        lens: &str,
        query: &BTreeMap<String, String>,
    ) -> Result<Value> {
        Self::check_lens(lens)?;
        let w = self.workload(id)?;
        self.answers_at(w, query)?;
        Ok(json!({ "WorkloadId": w.id, "LensReview": {
            "LensAlias": LENS, "LensArn": LENS_ARN, "LensVersion": self.lens_version,
            "LensName": "AWS Well-Architected Framework", "LensStatus": "CURRENT",
        }}))
    }

    fn risk(&self, q: &DQuestion, a: &DAnswer) -> String {
        if let Some(r) = self.force_risk.get(&q.id) {
            return r.clone();
        }
        if !a.is_applicable {
            return "NOT_APPLICABLE".into();
        }
        if a.selected.is_empty() {
            return "UNANSWERED".into();
        }
        let missing = q
            .choices
            .iter()
            .filter(|(c, _, r)| r.is_some() && !a.selected.contains(c))
            .filter(|(c, _, _)| {
                a.choices
                    .get(c)
                    .is_none_or(|s| s.status != "NOT_APPLICABLE")
            })
            .filter_map(|(_, _, r)| *r)
            .max();
        match missing {
            Some(Risk::High) => "HIGH",
            Some(Risk::Medium) => "MEDIUM",
            _ => "NONE",
        }
        .into()
    }

    fn answer_json(&self, q: &DQuestion, a: &DAnswer, full: bool) -> Value {
        let choices: Vec<Value> = q
            .choices
            .iter()
            .map(|(c, t, _)| json!({ "ChoiceId": c, "Title": t }))
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
            "QuestionId": q.id, "PillarId": "security", "QuestionTitle": q.title,
            "Choices": choices, "SelectedChoices": a.selected,
            "IsApplicable": a.is_applicable, "Risk": self.risk(q, a),
        });
        v[if full {
            "ChoiceAnswers"
        } else {
            "ChoiceAnswerSummaries"
        }] = json!(choice_answers);
        if let Some(r) = &a.reason {
            v["Reason"] = json!(r);
        }
        if full && !a.notes.is_empty() {
            v["Notes"] = json!(a.notes);
        }
        v
    }

    pub fn list_answers(
        &self,
        id: &str,
        lens: &str,
        query: &BTreeMap<String, String>,
    ) -> Result<Value> {
        Self::check_lens(lens)?;
        let max = max_results(
            query
                .get("MaxResults")
                .map(|v| {
                    v.parse::<i64>()
                        .map_err(|_| validation("MaxResults must be a number"))
                })
                .transpose()?,
        )?;
        if query.get("PillarId").is_some_and(|p| p != "security") {
            return Ok(json!({ "WorkloadId": id, "AnswerSummaries": [] }));
        }
        let w = self.workload(id)?;
        let answers = self.answers_at(w, query)?;
        let empty = DAnswer::default();
        let all: Vec<Value> = self
            .questions
            .iter()
            .map(|q| self.answer_json(q, answers.get(&q.id).unwrap_or(&empty), false))
            .collect();
        let (items, next) = page(&all, query.get("NextToken").map(String::as_str), max)?;
        let mut v = json!({ "WorkloadId": id, "LensAlias": LENS, "LensArn": LENS_ARN, "AnswerSummaries": items, "NextToken": next });
        if let Some(m) = query.get("MilestoneNumber") {
            v["MilestoneNumber"] = json!(m.parse::<i64>().unwrap_or_default());
        }
        Ok(v)
    }

    pub fn get_answer(
        &self,
        id: &str,
        lens: &str,
        qid: &str,
        query: &BTreeMap<String, String>,
    ) -> Result<Value> {
        Self::check_lens(lens)?;
        let w = self.workload(id)?;
        let q = self.question(qid)?;
        let answers = self.answers_at(w, query)?;
        let empty = DAnswer::default();
        Ok(
            json!({ "WorkloadId": id, "LensAlias": LENS, "LensArn": LENS_ARN,
            "Answer": self.answer_json(q, answers.get(qid).unwrap_or(&empty), true) }),
        )
    }

    pub fn update_answer(
        &mut self,
        id: &str,
        lens: &str,
        qid: &str,
        body: &Value,
    ) -> Result<Value> {
        Self::check_lens(lens)?;
        self.workload(id)?;
        let q = self.question(qid)?;
        let known: BTreeSet<&str> = q.choices.iter().map(|(c, _, _)| c.as_str()).collect();
        let mut a = self
            .workload(id)?
            .answers
            .get(qid)
            .cloned()
            .unwrap_or_default();
        if let Some(sel) = body.get("SelectedChoices") {
            let sel = sel
                .as_array()
                .ok_or_else(|| validation("SelectedChoices must be a list"))?;
            let mut set = BTreeSet::new();
            for c in sel {
                let c = c
                    .as_str()
                    .ok_or_else(|| validation("choice ids are strings"))?;
                if !known.contains(c) {
                    return Err(validation(format!(
                        "Invalid choice id {c} for question {qid}"
                    )));
                }
                set.insert(c.to_string());
            }
            for c in &a.selected {
                if !set.contains(c) {
                    a.choices.remove(c);
                }
            }
            a.selected = set;
            for c in &a.selected {
                a.choices.entry(c.clone()).or_default().status = "SELECTED".into();
            }
        }
        if let Some(up) = body.get("ChoiceUpdates") {
            let up = up
                .as_object()
                .ok_or_else(|| validation("ChoiceUpdates must be a map"))?;
            for (c, u) in up {
                if !known.contains(c.as_str()) {
                    return Err(validation(format!(
                        "Invalid choice id {c} for question {qid}"
                    )));
                }
                let status = str_field(u, "Status")
                    .ok_or_else(|| validation(format!("ChoiceUpdates.{c}.Status is required")))?;
                if !matches!(status, "SELECTED" | "UNSELECTED" | "NOT_APPLICABLE") {
                    return Err(validation(format!("invalid Status {status}")));
                }
                let reason = str_field(u, "Reason");
                if let Some(r) = reason
                    && !REASONS.contains(&r)
                {
                    return Err(validation(format!("invalid Reason {r}")));
                }
                let notes = str_field(u, "Notes").unwrap_or_default();
                check_len(&format!("ChoiceUpdates.{c}.Notes"), notes, 0, 250)?;
                match status {
                    "SELECTED" => {
                        a.selected.insert(c.clone());
                    }
                    _ => {
                        a.selected.remove(c);
                    }
                }
                let entry = a.choices.entry(c.clone()).or_default();
                entry.status = status.to_string();
                entry.reason = if status == "NOT_APPLICABLE" {
                    reason.map(str::to_string)
                } else {
                    None
                };
                entry.notes = notes.to_string();
            }
        }
        if let Some(n) = body.get("Notes") {
            let n = n.as_str().unwrap_or_default();
            check_len("Notes", n, 0, 2084)?;
            a.notes = n.to_string();
        }
        if let Some(b) = body.get("IsApplicable").and_then(Value::as_bool) {
            a.is_applicable = b;
        }
        match str_field(body, "Reason") {
            Some(r) if !REASONS.contains(&r) => {
                return Err(validation(format!("invalid Reason {r}")));
            }
            Some(r) => a.reason = Some(r.to_string()),
            None => {}
        }
        if a.is_applicable {
            a.reason = None;
        }
        // Drop per-choice records that say nothing (UNSELECTED, no notes).
        a.choices
            .retain(|_, c| c.status != "UNSELECTED" || !c.notes.is_empty());
        let q = self.question(qid)?;
        let v = self.answer_json(q, &a, true);
        self.workload_mut(id)?.answers.insert(qid.to_string(), a);
        Ok(json!({ "WorkloadId": id, "LensAlias": LENS, "LensArn": LENS_ARN, "Answer": v }))
    }

    pub fn create_milestone(&mut self, id: &str, body: &Value) -> Result<Value> {
        let name = str_field(body, "MilestoneName")
            .unwrap_or_default()
            .to_string();
        let token = str_field(body, "ClientRequestToken")
            .unwrap_or_default()
            .to_string();
        let w = self.workload_mut(id)?;
        if let Some(m) = w
            .milestones
            .iter()
            .find(|m| !token.is_empty() && m.token == token)
        {
            return Ok(json!({ "WorkloadId": id, "MilestoneNumber": m.number }));
        }
        check_len("MilestoneName", &name, 3, 100)?;
        if w.milestones.iter().any(|m| m.name == name) {
            return Err(conflict(format!("Milestone name {name} is already in use")));
        }
        if w.milestones.len() >= 100 {
            return Err(ApiError {
                status: 402,
                code: "ServiceQuotaExceededException",
                message: "A workload can have at most 100 milestones".into(),
            });
        }
        let number = w.milestones.len() as i64 + 1;
        let answers = w.answers.clone();
        w.milestones.push(DMilestone {
            number,
            name,
            token,
            answers,
        });
        Ok(json!({ "WorkloadId": id, "MilestoneNumber": number }))
    }

    pub fn list_milestones(&self, id: &str, body: &Value) -> Result<Value> {
        let max = max_results(body.get("MaxResults").and_then(Value::as_i64))?;
        let w = self.workload(id)?;
        let all: Vec<Value> = w
            .milestones
            .iter()
            .map(|m| json!({ "MilestoneNumber": m.number, "MilestoneName": m.name, "RecordedAt": 1_790_000_000 }))
            .collect();
        let (items, next) = page(&all, str_field(body, "NextToken"), max)?;
        Ok(json!({ "WorkloadId": id, "MilestoneSummaries": items, "NextToken": next }))
    }
}

fn arn(id: &str) -> String {
    format!("arn:aws:wellarchitected:us-east-1:123456789012:workload/{id}")
}
