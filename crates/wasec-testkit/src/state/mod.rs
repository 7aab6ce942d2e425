//! The double's data and the rules each operation enforces. One
//! [`State`] holds every region; workloads, idempotency tokens and page
//! tokens are per region, as in the service (a WorkloadId is unique only
//! within its Region).

mod answers;
mod console;
mod milestones;
mod workloads;

pub use console::{Fault, LensSetup};

use crate::api::{ApiError, ApiResult, canonical};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use wasec_core::Bank;
use wasec_core::bank::Risk;

pub const LENS_ALIAS: &str = "wellarchitected";
pub const LENS_ARN: &str = "arn:aws:wellarchitected::aws:lens/wellarchitected";
pub const LENS_NAME: &str = "AWS Well-Architected Framework";
pub const PILLAR: &str = "security";
pub const REASONS: [&str; 5] = [
    "OUT_OF_SCOPE",
    "BUSINESS_PRIORITIES",
    "ARCHITECTURE_CONSTRAINTS",
    "OTHER",
    "NONE",
];
pub const LENS_STATUSES: [&str; 5] = [
    "CURRENT",
    "NOT_CURRENT",
    "DEPRECATED",
    "DELETED",
    "UNSHARED",
];
/// "A workload can have a maximum of 100 milestones".
pub const MAX_MILESTONES: usize = 100;

/// Settings of a double.
#[derive(Debug, Clone)]
pub struct Config {
    /// The largest page any List operation returns, whatever MaxResults
    /// asks for. A small value makes every client page (11 security
    /// questions at 4 per page take 3 ListAnswers calls).
    pub page_size: usize,
    /// The caller's account: STS GetCallerIdentity answers it and the
    /// workloads the caller creates are owned by it.
    pub account: String,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            page_size: 50,
            account: "123456789012".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    pub id: String,
    pub title: String,
    /// Risk when the choice is missing; None for "none of these".
    pub risk: Option<Risk>,
}

#[derive(Debug, Clone)]
pub struct Question {
    pub id: String,
    pub title: String,
    pub choices: Vec<Choice>,
}

/// The lens version a workload's review is on.
#[derive(Debug, Clone, PartialEq)]
pub struct LensReview {
    pub version: String,
    pub status: String,
    /// Choices this version lists beyond the current lens, by question id.
    pub extra: BTreeMap<String, Vec<Choice>>,
    /// Current-lens choice ids this version does not list.
    pub missing: BTreeSet<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChoiceRec {
    pub status: String,
    pub reason: Option<String>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AnswerRec {
    pub selected: BTreeSet<String>,
    pub choices: BTreeMap<String, ChoiceRec>,
    pub is_applicable: bool,
    pub reason: Option<String>,
    pub notes: String,
}

impl Default for AnswerRec {
    fn default() -> AnswerRec {
        AnswerRec {
            selected: BTreeSet::new(),
            choices: BTreeMap::new(),
            is_applicable: true,
            reason: None,
            notes: String::new(),
        }
    }
}

/// A workload's descriptive fields (what UpdateWorkload changes).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub name: String,
    pub description: String,
    pub environment: String,
    pub review_owner: String,
    pub aws_regions: Vec<String>,
    pub non_aws_regions: Vec<String>,
    pub account_ids: Vec<String>,
    pub architectural_design: String,
    pub industry_type: String,
    pub industry: String,
    pub notes: String,
    pub improvement_status: String,
}

#[derive(Debug, Clone)]
pub struct Milestone {
    pub number: i64,
    pub name: String,
    pub recorded_at: f64,
    pub answers: BTreeMap<String, AnswerRec>,
    pub lens: LensReview,
    pub meta: Meta,
}

#[derive(Debug, Clone)]
pub struct Workload {
    pub id: String,
    pub owner: String,
    pub region: String,
    pub meta: Meta,
    pub profiles: Vec<String>,
    pub templates: Vec<String>,
    pub lens: LensReview,
    pub answers: BTreeMap<String, AnswerRec>,
    pub milestones: Vec<Milestone>,
    pub updated_at: f64,
}

impl Workload {
    pub fn arn(&self) -> String {
        format!(
            "arn:aws:wellarchitected:{}:{}:workload/{}",
            self.region, self.owner, self.id
        )
    }
}

/// A request already served under an idempotency token.
struct TokenUse {
    op: &'static str,
    params: String,
    result: Value,
}

pub struct State {
    pub config: Config,
    /// The current lens's security questions (from the question bank).
    questions: Vec<Question>,
    current_version: String,
    workloads: Vec<Workload>,
    tokens: BTreeMap<(String, String), TokenUse>,
    /// API requests per operation (every attempt, including failed ones).
    pub calls: BTreeMap<String, usize>,
    faults: Vec<Fault>,
    force_risk: BTreeMap<String, String>,
    templates: BTreeMap<String, BTreeMap<String, AnswerRec>>,
    profiles: BTreeSet<String>,
    next_id: u64,
}

fn now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as f64)
        .unwrap_or_default()
}

/// Names are unique per account and region, "ignoring spaces and capitalization".
pub fn normalize_name(name: &str) -> String {
    name.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

fn questions_of(bank: &Bank) -> Vec<Question> {
    bank.questions()
        .iter()
        .map(|q| {
            let mut choices: Vec<Choice> = q
                .best_practices
                .iter()
                .map(|b| Choice {
                    id: b.wa_choice_id.clone(),
                    title: b.title.en.clone(),
                    risk: Some(b.risk),
                })
                .collect();
            choices.push(Choice {
                id: q.none_of_these_choice_id.clone(),
                title: "None of these".into(),
                risk: None,
            });
            Question {
                id: q.wa_question_id.clone(),
                title: q.title.en.clone(),
                choices,
            }
        })
        .collect()
}

impl State {
    /// The current lens is the bank's question set: its question ids,
    /// choice ids and "none of these" ids, nothing else.
    pub fn new(bank: &Bank, config: Config) -> State {
        let lens = bank.lens();
        State {
            config,
            questions: questions_of(bank),
            current_version: lens.framework_version.clone(),
            workloads: Vec::new(),
            tokens: BTreeMap::new(),
            calls: BTreeMap::new(),
            faults: Vec::new(),
            force_risk: BTreeMap::new(),
            templates: BTreeMap::new(),
            profiles: BTreeSet::new(),
            next_id: 1,
        }
    }

    fn current_lens(&self) -> LensReview {
        LensReview {
            version: self.current_version.clone(),
            status: "CURRENT".into(),
            extra: BTreeMap::new(),
            missing: BTreeSet::new(),
        }
    }

    /// The choices a lens version lists for a question.
    fn choices(&self, lens: &LensReview, qid: &str) -> Vec<Choice> {
        let Some(q) = self.questions.iter().find(|q| q.id == qid) else {
            return Vec::new();
        };
        let mut out: Vec<Choice> = q
            .choices
            .iter()
            .filter(|c| !lens.missing.contains(&c.id))
            .cloned()
            .collect();
        if let Some(extra) = lens.extra.get(qid) {
            // Before "None of these", which stays last.
            let at = out.len().saturating_sub(1);
            for (i, c) in extra.iter().enumerate() {
                out.insert(at + i, c.clone());
            }
        }
        out
    }

    fn question(&self, qid: &str) -> ApiResult<&Question> {
        self.questions.iter().find(|q| q.id == qid).ok_or_else(|| {
            ApiError::not_found(
                "QUESTION",
                qid,
                format!("No question with id {qid} in lens {LENS_ALIAS}"),
            )
        })
    }

    fn workload(&self, region: &str, id: &str) -> ApiResult<&Workload> {
        crate::api::check_workload_id(id)?;
        self.workloads
            .iter()
            .find(|w| w.region == region && w.id == id)
            .ok_or_else(|| workload_not_found(id))
    }

    fn workload_mut(&mut self, region: &str, id: &str) -> ApiResult<&mut Workload> {
        crate::api::check_workload_id(id)?;
        self.workloads
            .iter_mut()
            .find(|w| w.region == region && w.id == id)
            .ok_or_else(|| workload_not_found(id))
    }

    /// Any region (admin hooks address workloads by id alone).
    fn workload_any_mut(&mut self, id: &str) -> ApiResult<&mut Workload> {
        self.workloads
            .iter_mut()
            .find(|w| w.id == id)
            .ok_or_else(|| workload_not_found(id))
    }

    fn check_lens(alias: &str) -> ApiResult<()> {
        if alias == LENS_ALIAS || alias == LENS_ARN {
            Ok(())
        } else {
            Err(ApiError::not_found(
                "LENS",
                alias,
                format!("Lens {alias} is not associated with the workload"),
            ))
        }
    }

    fn new_workload_id(&mut self) -> String {
        let id = format!("{:032x}", 0x7e57_0000_u64 + self.next_id);
        self.next_id += 1;
        id
    }

    /// Idempotency: the same token with the same parameters returns the
    /// first result; with other parameters it is refused. (The API
    /// reference documents the first; the refusal and its error code are
    /// how idempotent AWS APIs behave in general, not verified for this
    /// service.)
    fn replay(
        &self,
        region: &str,
        op: &'static str,
        token: &str,
        params: &Value,
    ) -> ApiResult<Option<Value>> {
        let Some(used) = self.tokens.get(&(region.to_string(), token.to_string())) else {
            return Ok(None);
        };
        if used.op == op && used.params == canonical(params) {
            return Ok(Some(used.result.clone()));
        }
        Err(ApiError::conflict(
            "CLIENT_REQUEST_TOKEN",
            token,
            format!(
                "ClientRequestToken {token} was already used for a {} request with different parameters",
                used.op
            ),
        ))
    }

    fn remember(
        &mut self,
        region: &str,
        op: &'static str,
        token: &str,
        params: &Value,
        result: &Value,
    ) {
        self.tokens.insert(
            (region.to_string(), token.to_string()),
            TokenUse {
                op,
                params: canonical(params),
                result: result.clone(),
            },
        );
    }
}

/// RiskCounts as the model spells it (Risk -> count).
fn risk_counts_json(counts: &BTreeMap<String, usize>) -> Value {
    let mut m = serde_json::Map::new();
    for k in ["UNANSWERED", "HIGH", "MEDIUM", "NONE", "NOT_APPLICABLE"] {
        m.insert(k.into(), Value::from(counts.get(k).copied().unwrap_or(0)));
    }
    Value::Object(m)
}

fn workload_not_found(id: &str) -> ApiError {
    ApiError::not_found(
        "WORKLOAD",
        id,
        format!("No workload with id {id} found in this Region"),
    )
}

/// The body without its idempotency token, plus path parameters: what
/// must match when a token is reused.
fn token_params(body: &Value, path: &[&str]) -> Value {
    let mut v = body.clone();
    if let Some(m) = v.as_object_mut() {
        m.remove("ClientRequestToken");
        m.insert("__path".into(), Value::from(path.join("/")));
    }
    v
}
