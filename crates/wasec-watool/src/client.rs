//! A thin wrapper over the AWS SDK client. SDK types stay in this file:
//! callers get the crate's own plain types and [`WaError`].

use crate::mapping::{self, ChoiceStatus, UpdateRequest, WaState};
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_wellarchitected as wa;
use aws_sdk_wellarchitected::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use std::time::Duration;
use wasec_core::review::{NaReason, QuestionRisk};

pub const LENS: &str = "wellarchitected";
pub const PILLAR: &str = "security";
/// ListAnswers and ListWorkloads accept at most 50 per page.
const PAGE: i32 = 50;

/// How to reach the Tool.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Sign with fixed dummy credentials instead of the credential chain
    /// (for the local test double; never for a real account).
    pub test_credentials: bool,
}

/// Failures, already explained for a person.
#[derive(Debug, thiserror::Error)]
pub enum WaError {
    #[error(
        "{action}: not found ({message}). WA Tool workloads are regional: is --region {region} the region the workload was created in?"
    )]
    NotFound {
        action: &'static str,
        region: String,
        message: String,
    },
    #[error(
        "{action}: access denied ({message}). The caller needs the IAM permission wellarchitected:{action}."
    )]
    AccessDenied {
        action: &'static str,
        message: String,
    },
    #[error("{action}: conflict ({message})")]
    Conflict {
        action: &'static str,
        message: String,
    },
    #[error(
        "{action}: service quota exceeded ({message}). The WA Tool limits, for example, 100 milestones per workload and the number of workloads per account and region; delete old ones or ask for a quota increase."
    )]
    Quota {
        action: &'static str,
        message: String,
    },
    #[error("{action}: the WA Tool rejected the request ({message})")]
    Validation {
        action: &'static str,
        message: String,
    },
    #[error("{action}: still throttled after retries ({message}); try again later")]
    Throttled {
        action: &'static str,
        message: String,
    },
    #[error("{action}: {message}")]
    Other {
        action: &'static str,
        message: String,
    },
}

impl WaError {
    pub fn is_conflict(&self) -> bool {
        matches!(self, WaError::Conflict { .. })
    }
}

fn classify<E, R>(action: &'static str, region: &str, err: SdkError<E, R>) -> WaError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let code = err.code().map(str::to_string);
    let message = err
        .message()
        .map(str::to_string)
        .unwrap_or_else(|| DisplayErrorContext(&err).to_string());
    match code.as_deref() {
        Some("ResourceNotFoundException") => WaError::NotFound {
            action,
            region: region.to_string(),
            message,
        },
        Some("AccessDeniedException") => WaError::AccessDenied { action, message },
        Some("ConflictException") => WaError::Conflict { action, message },
        Some("ServiceQuotaExceededException") => WaError::Quota { action, message },
        Some("ValidationException") => WaError::Validation { action, message },
        Some("ThrottlingException") => WaError::Throttled { action, message },
        _ => WaError::Other { action, message },
    }
}

/// Base delay for wasec's own retries and the SDK's backoff. Tests shrink
/// it with WASEC_WATOOL_BACKOFF_MS so injected throttling stays fast.
pub fn base_backoff() -> Duration {
    std::env::var("WASEC_WATOOL_BACKOFF_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map(Duration::from_millis)
        .unwrap_or(Duration::from_millis(500))
}

/// A workload in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadSummary {
    pub id: String,
    pub name: String,
}

/// A workload's descriptive fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkloadInfo {
    pub id: String,
    pub name: String,
    pub description: String,
    pub environment: String,
    pub review_owner: String,
    pub aws_regions: Vec<String>,
    pub non_aws_regions: Vec<String>,
    pub account_ids: Vec<String>,
}

/// What CreateWorkload needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWorkload {
    pub name: String,
    pub description: String,
    /// PRODUCTION or PREPRODUCTION.
    pub environment: String,
    pub review_owner: String,
    pub aws_regions: Vec<String>,
    pub non_aws_regions: Vec<String>,
    pub account_ids: Vec<String>,
    pub token: String,
}

/// One question as listed by ListAnswers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedQuestion {
    pub question_id: String,
    pub title: String,
    /// (choice id, title) in the Tool's order.
    pub choices: Vec<(String, String)>,
    pub risk: Option<QuestionRisk>,
}

/// One question as GetAnswer/UpdateAnswer return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolAnswer {
    pub question_id: String,
    pub title: String,
    pub choices: Vec<(String, String)>,
    pub state: WaState,
    pub risk: Option<QuestionRisk>,
}

/// A lens review's version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LensInfo {
    pub version: String,
    pub status: String,
}

pub struct WaClient {
    inner: wa::Client,
    region: String,
}

impl WaClient {
    /// Load credentials (env, profile, SSO, process, ...) and build a client
    /// with standard retries (enough attempts to ride out throttling).
    pub async fn connect(opts: &ConnectOptions) -> WaClient {
        let retry = RetryConfig::standard()
            .with_max_attempts(8)
            .with_initial_backoff(base_backoff())
            .with_max_backoff(base_backoff() * 40);
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(aws_config::Region::new(opts.region.clone()))
            .retry_config(retry);
        if let Some(p) = &opts.profile {
            loader = loader.profile_name(p);
        }
        if let Some(u) = &opts.endpoint_url {
            loader = loader.endpoint_url(u);
        }
        if opts.test_credentials {
            loader = loader.test_credentials();
        }
        let conf = loader.load().await;
        WaClient {
            inner: wa::Client::new(&conf),
            region: opts.region.clone(),
        }
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    /// Workloads whose name starts with `prefix` (every page).
    pub async fn list_workloads(&self, prefix: &str) -> Result<Vec<WorkloadSummary>, WaError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let resp = self
                .inner
                .list_workloads()
                .set_workload_name_prefix((!prefix.is_empty()).then(|| prefix.to_string()))
                .max_results(PAGE)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| classify("ListWorkloads", &self.region, e))?;
            for w in resp.workload_summaries() {
                out.push(WorkloadSummary {
                    id: w.workload_id().unwrap_or_default().to_string(),
                    name: w.workload_name().unwrap_or_default().to_string(),
                });
            }
            match resp.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
        Ok(out)
    }

    pub async fn get_workload(&self, id: &str) -> Result<WorkloadInfo, WaError> {
        let resp = self
            .inner
            .get_workload()
            .workload_id(id)
            .send()
            .await
            .map_err(|e| classify("GetWorkload", &self.region, e))?;
        let w = resp.workload().ok_or_else(|| WaError::Other {
            action: "GetWorkload",
            message: "the response has no workload".into(),
        })?;
        Ok(WorkloadInfo {
            id: w.workload_id().unwrap_or(id).to_string(),
            name: w.workload_name().unwrap_or_default().to_string(),
            description: w.description().unwrap_or_default().to_string(),
            environment: w
                .environment()
                .map(|e| e.as_str().to_string())
                .unwrap_or_default(),
            review_owner: w.review_owner().unwrap_or_default().to_string(),
            aws_regions: w.aws_regions().to_vec(),
            non_aws_regions: w.non_aws_regions().to_vec(),
            account_ids: w.account_ids().to_vec(),
        })
    }

    pub async fn create_workload(&self, new: &NewWorkload) -> Result<String, WaError> {
        let mut req = self
            .inner
            .create_workload()
            .workload_name(&new.name)
            .description(&new.description)
            .environment(wa::types::WorkloadEnvironment::from(
                new.environment.as_str(),
            ))
            .review_owner(&new.review_owner)
            .lenses(LENS)
            .client_request_token(&new.token);
        if !new.aws_regions.is_empty() {
            req = req.set_aws_regions(Some(new.aws_regions.clone()));
        }
        if !new.non_aws_regions.is_empty() {
            req = req.set_non_aws_regions(Some(new.non_aws_regions.clone()));
        }
        if !new.account_ids.is_empty() {
            req = req.set_account_ids(Some(new.account_ids.clone()));
        }
        let resp = req
            .send()
            .await
            .map_err(|e| classify("CreateWorkload", &self.region, e))?;
        Ok(resp.workload_id().unwrap_or_default().to_string())
    }

    pub async fn lens_review(&self, id: &str, milestone: Option<i32>) -> Result<LensInfo, WaError> {
        let resp = self
            .inner
            .get_lens_review()
            .workload_id(id)
            .lens_alias(LENS)
            .set_milestone_number(milestone)
            .send()
            .await
            .map_err(|e| classify("GetLensReview", &self.region, e))?;
        let lr = resp.lens_review();
        Ok(LensInfo {
            version: lr
                .and_then(|l| l.lens_version())
                .unwrap_or_default()
                .to_string(),
            status: lr
                .and_then(|l| l.lens_status())
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
        })
    }

    /// Security pillar questions, every page.
    pub async fn list_answers(
        &self,
        id: &str,
        milestone: Option<i32>,
    ) -> Result<Vec<ListedQuestion>, WaError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let resp = self
                .inner
                .list_answers()
                .workload_id(id)
                .lens_alias(LENS)
                .pillar_id(PILLAR)
                .max_results(PAGE)
                .set_milestone_number(milestone)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| classify("ListAnswers", &self.region, e))?;
            for a in resp.answer_summaries() {
                out.push(ListedQuestion {
                    question_id: a.question_id().unwrap_or_default().to_string(),
                    title: a.question_title().unwrap_or_default().to_string(),
                    choices: choices(a.choices()),
                    risk: a.risk().and_then(|r| mapping::risk_from_api(r.as_str())),
                });
            }
            match resp.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
        Ok(out)
    }

    pub async fn get_answer(
        &self,
        id: &str,
        question: &str,
        milestone: Option<i32>,
    ) -> Result<ToolAnswer, WaError> {
        let resp = self
            .inner
            .get_answer()
            .workload_id(id)
            .lens_alias(LENS)
            .question_id(question)
            .set_milestone_number(milestone)
            .send()
            .await
            .map_err(|e| classify("GetAnswer", &self.region, e))?;
        Ok(tool_answer(question, resp.answer()))
    }

    /// UpdateAnswer, retried on ConflictException (a concurrent writer or
    /// an update still in flight) with exponential backoff.
    pub async fn update_answer(
        &self,
        id: &str,
        question: &str,
        req: &UpdateRequest,
    ) -> Result<ToolAnswer, WaError> {
        let mut attempt = 0u32;
        loop {
            match self.update_answer_once(id, question, req).await {
                Err(e) if e.is_conflict() && attempt < 4 => {
                    tokio::time::sleep(base_backoff() * 2u32.pow(attempt)).await;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    async fn update_answer_once(
        &self,
        id: &str,
        question: &str,
        req: &UpdateRequest,
    ) -> Result<ToolAnswer, WaError> {
        let mut call = self
            .inner
            .update_answer()
            .workload_id(id)
            .lens_alias(LENS)
            .question_id(question)
            .notes(&req.notes)
            .is_applicable(req.is_applicable)
            .set_selected_choices(req.selected_choices.clone());
        if let Some(r) = req.reason {
            call = call.reason(wa::types::AnswerReason::from(mapping::reason_api(r)));
        }
        for (choice, (status, reason, notes)) in &req.choice_updates {
            let mut u = wa::types::ChoiceUpdate::builder()
                .status(wa::types::ChoiceStatus::from(status.api()))
                .notes(notes);
            if let Some(r) = reason {
                u = u.reason(wa::types::ChoiceReason::from(mapping::reason_api(*r)));
            }
            call = call.choice_updates(choice, u.build());
        }
        let resp = call
            .send()
            .await
            .map_err(|e| classify("UpdateAnswer", &self.region, e))?;
        Ok(tool_answer(question, resp.answer()))
    }

    /// CreateMilestone; returns the milestone number.
    pub async fn create_milestone(
        &self,
        id: &str,
        name: &str,
        token: &str,
    ) -> Result<i32, WaError> {
        let resp = self
            .inner
            .create_milestone()
            .workload_id(id)
            .milestone_name(name)
            .client_request_token(token)
            .send()
            .await
            .map_err(|e| classify("CreateMilestone", &self.region, e))?;
        Ok(resp.milestone_number().unwrap_or_default())
    }

    /// Milestones as (number, name), every page.
    pub async fn list_milestones(&self, id: &str) -> Result<Vec<(i32, String)>, WaError> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let resp = self
                .inner
                .list_milestones()
                .workload_id(id)
                .max_results(PAGE)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(|e| classify("ListMilestones", &self.region, e))?;
            for m in resp.milestone_summaries() {
                out.push((
                    m.milestone_number().unwrap_or_default(),
                    m.milestone_name().unwrap_or_default().to_string(),
                ));
            }
            match resp.next_token() {
                Some(t) if !t.is_empty() => token = Some(t.to_string()),
                _ => break,
            }
        }
        Ok(out)
    }
}

fn choices(list: &[wa::types::Choice]) -> Vec<(String, String)> {
    list.iter()
        .map(|c| {
            (
                c.choice_id().unwrap_or_default().to_string(),
                c.title().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

fn tool_answer(question: &str, a: Option<&wa::types::Answer>) -> ToolAnswer {
    let Some(a) = a else {
        return ToolAnswer {
            question_id: question.to_string(),
            title: String::new(),
            choices: Vec::new(),
            state: WaState::empty(),
            risk: None,
        };
    };
    let mut st = WaState {
        selected: a.selected_choices().iter().cloned().collect(),
        is_applicable: a.is_applicable().unwrap_or(true),
        reason: a
            .reason()
            .and_then(|r| mapping::reason_from_api(r.as_str())),
        notes: a.notes().unwrap_or_default().to_string(),
        ..WaState::default()
    };
    if st.is_applicable {
        st.reason = None;
    }
    for ca in a.choice_answers() {
        let Some(id) = ca.choice_id() else { continue };
        let status = ca.status().map(|s| s.as_str());
        if status == Some(ChoiceStatus::NotApplicable.api()) {
            let r = ca
                .reason()
                .and_then(|r| mapping::reason_from_api(r.as_str()))
                .unwrap_or(NaReason::None);
            st.not_applicable.insert(id.to_string(), r);
        }
        if let Some(n) = ca.notes().filter(|n| !n.is_empty()) {
            st.choice_notes.insert(id.to_string(), n.to_string());
        }
    }
    ToolAnswer {
        question_id: a.question_id().unwrap_or(question).to_string(),
        title: a.question_title().unwrap_or_default().to_string(),
        choices: choices(a.choices()),
        state: st,
        risk: a.risk().and_then(|r| mapping::risk_from_api(r.as_str())),
    }
}
