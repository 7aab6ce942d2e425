//! A thin wrapper over the AWS SDK clients. SDK types stay in this file:
//! callers get the crate's plain types and [`Error`].

use crate::error::{ApiFailure, Error};
use crate::mapping::{self, ChoiceStatus, UpdateRequest, WaState};
use aws_config::BehaviorVersion;
use aws_config::retry::RetryConfig;
use aws_sdk_wellarchitected as wa;
use aws_sdk_wellarchitected::config::http::HttpResponse;
use aws_sdk_wellarchitected::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use std::time::Duration;
use time::OffsetDateTime;
use wasec_core::review::{NaReason, QuestionRisk, RiskCounts};

pub const LENS: &str = "wellarchitected";
pub const PILLAR: &str = "security";
/// ListAnswers, ListWorkloads and ListMilestones accept at most 50 per page.
const PAGE: i32 = 50;
/// ListLensReviewImprovements accepts at most 100.
const IMPROVEMENTS_PAGE: i32 = 100;

/// How to reach the Tool.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub region: String,
    pub profile: Option<String>,
    pub endpoint_url: Option<String>,
    /// Base delay between retries (throttling, 5xx, ConflictException).
    pub backoff: Duration,
}

impl ConnectOptions {
    pub fn new(region: &str) -> ConnectOptions {
        ConnectOptions {
            region: region.to_string(),
            profile: None,
            endpoint_url: None,
            backoff: Duration::from_millis(500),
        }
    }
}

/// Standard retries with enough attempts to ride out throttling.
pub fn retry_config(backoff: Duration) -> RetryConfig {
    RetryConfig::standard()
        .with_max_attempts(8)
        .with_initial_backoff(backoff)
        .with_max_backoff(backoff * 40)
}

/// Read ResourceType / ResourceId from a 404 body, to say what was missing.
fn not_found_what(raw: Option<&HttpResponse>) -> Option<String> {
    let body = raw?.body().bytes()?;
    let v: serde_json::Value = serde_json::from_slice(body).ok()?;
    let kind = v
        .get("ResourceType")?
        .as_str()?
        .to_lowercase()
        .replace('_', " ");
    let id = v
        .get("ResourceId")
        .and_then(|i| i.as_str())
        .unwrap_or_default();
    Some(format!("{kind} {id}").trim().to_string())
}

fn classify<E>(action: &'static str, region: &str, err: SdkError<E, HttpResponse>) -> Error
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let message = err
        .message()
        .map(str::to_string)
        .unwrap_or_else(|| DisplayErrorContext(&err).to_string());
    let kind = match err.code() {
        Some("ResourceNotFoundException") => ApiFailure::NotFound {
            what: not_found_what(err.raw_response()),
        },
        Some("AccessDeniedException") => ApiFailure::AccessDenied,
        Some("ConflictException") => ApiFailure::Conflict,
        Some("ServiceQuotaExceededException") => ApiFailure::Quota,
        Some("ValidationException") => ApiFailure::Validation,
        Some("ThrottlingException") => ApiFailure::Throttled,
        _ if err
            .raw_response()
            .is_some_and(|r| r.status().is_server_error()) =>
        {
            ApiFailure::Server
        }
        _ => ApiFailure::Other,
    };
    Error::Api {
        action,
        kind,
        message,
        region: region.to_string(),
    }
}

/// A workload in a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadSummary {
    pub id: String,
    pub name: String,
    /// The owning account (a workload shared with the caller has another).
    pub owner: String,
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
    pub owner: String,
}

/// What CreateWorkload needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewWorkload {
    pub name: String,
    pub description: String,
    /// PRODUCTION or PREPRODUCTION.
    pub environment: String,
    pub review_owner: String,
    pub aws_regions: Vec<String>,
    pub non_aws_regions: Vec<String>,
    pub account_ids: Vec<String>,
    pub profile_arns: Vec<String>,
    pub review_template_arns: Vec<String>,
    pub token: String,
}

/// The fields an UpdateWorkload call changes (None: left alone).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkloadUpdate {
    pub description: Option<String>,
    pub environment: Option<String>,
    pub review_owner: Option<String>,
    pub account_ids: Option<Vec<String>>,
    pub aws_regions: Option<Vec<String>>,
    pub non_aws_regions: Option<Vec<String>>,
}

impl WorkloadUpdate {
    pub fn is_empty(&self) -> bool {
        self == &WorkloadUpdate::default()
    }
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

/// A lens review: its version, status and the pillar's risk counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LensInfo {
    pub version: String,
    pub status: String,
    pub risk_counts: RiskCounts,
}

/// An improvement item (ListLensReviewImprovements).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Improvement {
    pub question_id: String,
    pub title: String,
    pub risk: Option<QuestionRisk>,
    pub url: String,
}

/// A milestone of a workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneInfo {
    pub number: i32,
    pub name: String,
    pub recorded_at: Option<OffsetDateTime>,
}

fn risk_counts(map: Option<&std::collections::HashMap<wa::types::Risk, i32>>) -> RiskCounts {
    let mut c = RiskCounts::default();
    for (risk, n) in map.into_iter().flatten() {
        let n = (*n).max(0) as u32;
        match mapping::risk_from_api(risk.as_str()) {
            Some(QuestionRisk::High) => c.high += n,
            Some(QuestionRisk::Medium) => c.medium += n,
            Some(QuestionRisk::None) => c.none += n,
            Some(QuestionRisk::Unanswered) => c.unanswered += n,
            Some(QuestionRisk::NotApplicable) => c.not_applicable += n,
            None => {}
        }
    }
    c
}

/// The next page token, if the response has a non-empty one.
fn next(token: Option<&str>) -> Option<String> {
    token.filter(|t| !t.is_empty()).map(str::to_string)
}

pub struct WaClient {
    inner: wa::Client,
    sts: aws_sdk_sts::Client,
    region: String,
    conf: aws_config::SdkConfig,
}

impl WaClient {
    /// Load credentials (env, profile, SSO, process, ...) and build the clients.
    pub async fn connect(opts: &ConnectOptions) -> WaClient {
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(aws_config::Region::new(opts.region.clone()))
            .retry_config(retry_config(opts.backoff));
        if let Some(p) = &opts.profile {
            loader = loader.profile_name(p);
        }
        if let Some(u) = &opts.endpoint_url {
            loader = loader.endpoint_url(u);
        }
        WaClient::from_sdk_config(&loader.load().await)
    }

    /// Clients from an SDK configuration built elsewhere (the tests build
    /// one with dummy credentials for the local double).
    pub fn from_sdk_config(conf: &aws_config::SdkConfig) -> WaClient {
        WaClient {
            inner: wa::Client::new(conf),
            sts: aws_sdk_sts::Client::new(conf),
            region: conf.region().map(|r| r.to_string()).unwrap_or_default(),
            conf: conf.clone(),
        }
    }

    /// The same credentials and settings in another Region.
    pub fn in_region(&self, region: &str) -> WaClient {
        let conf = self
            .conf
            .to_builder()
            .region(aws_config::Region::new(region.to_string()))
            .build();
        WaClient::from_sdk_config(&conf)
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    fn fail<E>(&self, action: &'static str) -> impl FnOnce(SdkError<E, HttpResponse>) -> Error + '_
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        move |e| classify(action, &self.region, e)
    }

    /// The caller's account (STS GetCallerIdentity needs no permission).
    pub async fn caller_account(&self) -> Result<String, Error> {
        let resp = self
            .sts
            .get_caller_identity()
            .send()
            .await
            .map_err(|e| classify("sts:GetCallerIdentity", &self.region, e))?;
        Ok(resp.account().unwrap_or_default().to_string())
    }

    /// Workloads whose name starts with `prefix` (every page).
    pub async fn list_workloads(&self, prefix: &str) -> Result<Vec<WorkloadSummary>, Error> {
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
                .map_err(self.fail("ListWorkloads"))?;
            out.extend(resp.workload_summaries().iter().map(|w| WorkloadSummary {
                id: w.workload_id().unwrap_or_default().to_string(),
                name: w.workload_name().unwrap_or_default().to_string(),
                owner: w.owner().unwrap_or_default().to_string(),
            }));
            match next(resp.next_token()) {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    pub async fn get_workload(&self, id: &str) -> Result<WorkloadInfo, Error> {
        let resp = self
            .inner
            .get_workload()
            .workload_id(id)
            .send()
            .await
            .map_err(self.fail("GetWorkload"))?;
        let w = resp.workload().ok_or_else(|| Error::Api {
            action: "GetWorkload",
            kind: ApiFailure::Other,
            message: "the response has no workload".into(),
            region: self.region.clone(),
        })?;
        Ok(workload_info(id, w))
    }

    pub async fn create_workload(&self, new: &NewWorkload) -> Result<String, Error> {
        let env = wa::types::WorkloadEnvironment::from(new.environment.as_str());
        let nonempty = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
        let resp = self
            .inner
            .create_workload()
            .workload_name(&new.name)
            .description(&new.description)
            .environment(env)
            .review_owner(&new.review_owner)
            .lenses(LENS)
            .client_request_token(&new.token)
            .set_aws_regions(nonempty(&new.aws_regions))
            .set_non_aws_regions(nonempty(&new.non_aws_regions))
            .set_account_ids(nonempty(&new.account_ids))
            .set_profile_arns(nonempty(&new.profile_arns))
            .set_review_template_arns(nonempty(&new.review_template_arns))
            .send()
            .await
            .map_err(self.fail("CreateWorkload"))?;
        Ok(resp.workload_id().unwrap_or_default().to_string())
    }

    pub async fn update_workload(&self, id: &str, u: &WorkloadUpdate) -> Result<(), Error> {
        self.inner
            .update_workload()
            .workload_id(id)
            .set_description(u.description.clone())
            .set_environment(
                u.environment
                    .as_deref()
                    .map(wa::types::WorkloadEnvironment::from),
            )
            .set_review_owner(u.review_owner.clone())
            .set_account_ids(u.account_ids.clone())
            .set_aws_regions(u.aws_regions.clone())
            .set_non_aws_regions(u.non_aws_regions.clone())
            .send()
            .await
            .map_err(self.fail("UpdateWorkload"))?;
        Ok(())
    }

    pub async fn lens_review(&self, id: &str, milestone: Option<i32>) -> Result<LensInfo, Error> {
        let resp = self
            .inner
            .get_lens_review()
            .workload_id(id)
            .lens_alias(LENS)
            .set_milestone_number(milestone)
            .send()
            .await
            .map_err(self.fail("GetLensReview"))?;
        let Some(lr) = resp.lens_review() else {
            return Ok(LensInfo::default());
        };
        let pillar = lr
            .pillar_review_summaries()
            .iter()
            .find(|p| p.pillar_id() == Some(PILLAR));
        Ok(LensInfo {
            version: lr.lens_version().unwrap_or_default().to_string(),
            status: lr
                .lens_status()
                .map(|s| s.as_str().to_string())
                .unwrap_or_default(),
            risk_counts: risk_counts(pillar.and_then(|p| p.risk_counts())),
        })
    }

    /// UpgradeLensReview: the Tool records a milestone named `milestone`
    /// with the answers as they were, then moves the review to the current
    /// lens version.
    pub async fn upgrade_lens_review(
        &self,
        id: &str,
        milestone: &str,
        token: &str,
    ) -> Result<(), Error> {
        self.inner
            .upgrade_lens_review()
            .workload_id(id)
            .lens_alias(LENS)
            .milestone_name(milestone)
            .client_request_token(token)
            .send()
            .await
            .map_err(self.fail("UpgradeLensReview"))?;
        Ok(())
    }

    /// Security pillar questions, every page.
    pub async fn list_answers(
        &self,
        id: &str,
        milestone: Option<i32>,
    ) -> Result<Vec<ListedQuestion>, Error> {
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
                .map_err(self.fail("ListAnswers"))?;
            out.extend(resp.answer_summaries().iter().map(|a| ListedQuestion {
                question_id: a.question_id().unwrap_or_default().to_string(),
                title: a.question_title().unwrap_or_default().to_string(),
                choices: choices(a.choices()),
                risk: a.risk().and_then(|r| mapping::risk_from_api(r.as_str())),
            }));
            match next(resp.next_token()) {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    pub async fn get_answer(
        &self,
        id: &str,
        question: &str,
        milestone: Option<i32>,
    ) -> Result<ToolAnswer, Error> {
        let resp = self
            .inner
            .get_answer()
            .workload_id(id)
            .lens_alias(LENS)
            .question_id(question)
            .set_milestone_number(milestone)
            .send()
            .await
            .map_err(self.fail("GetAnswer"))?;
        Ok(tool_answer(question, resp.answer()))
    }

    /// UpdateAnswer, retried on ConflictException (a concurrent writer or
    /// an update still in flight) with exponential backoff.
    pub async fn update_answer(
        &self,
        id: &str,
        question: &str,
        req: &UpdateRequest,
        backoff: Duration,
    ) -> Result<ToolAnswer, Error> {
        let mut attempt = 0u32;
        loop {
            match self.update_answer_once(id, question, req).await {
                Err(e) if e.is_conflict() && attempt < 4 => {
                    tokio::time::sleep(backoff * 2u32.pow(attempt)).await;
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
    ) -> Result<ToolAnswer, Error> {
        let mut call = self
            .inner
            .update_answer()
            .workload_id(id)
            .lens_alias(LENS)
            .question_id(question)
            .set_notes(req.notes.clone())
            .set_is_applicable(req.is_applicable)
            .set_selected_choices(req.selected_choices.clone());
        if let Some(r) = req.reason {
            call = call.reason(wa::types::AnswerReason::from(mapping::reason_api(r)));
        }
        for (choice, u) in &req.choice_updates {
            let mut b = wa::types::ChoiceUpdate::builder()
                .status(wa::types::ChoiceStatus::from(u.status.api()))
                .set_notes(u.notes.clone());
            if let Some(r) = u.reason {
                b = b.reason(wa::types::ChoiceReason::from(mapping::reason_api(r)));
            }
            call = call.choice_updates(choice, b.build());
        }
        let resp = call.send().await.map_err(self.fail("UpdateAnswer"))?;
        Ok(tool_answer(question, resp.answer()))
    }

    /// The pillar's improvement items, every page.
    pub async fn list_improvements(
        &self,
        id: &str,
        milestone: Option<i32>,
    ) -> Result<Vec<Improvement>, Error> {
        let mut out = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let resp = self
                .inner
                .list_lens_review_improvements()
                .workload_id(id)
                .lens_alias(LENS)
                .pillar_id(PILLAR)
                .max_results(IMPROVEMENTS_PAGE)
                .set_milestone_number(milestone)
                .set_next_token(token.take())
                .send()
                .await
                .map_err(self.fail("ListLensReviewImprovements"))?;
            out.extend(resp.improvement_summaries().iter().map(|i| Improvement {
                question_id: i.question_id().unwrap_or_default().to_string(),
                title: i.question_title().unwrap_or_default().to_string(),
                risk: i.risk().and_then(|r| mapping::risk_from_api(r.as_str())),
                url: i.improvement_plan_url().unwrap_or_default().to_string(),
            }));
            match next(resp.next_token()) {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }

    /// CreateMilestone; returns the milestone number.
    pub async fn create_milestone(&self, id: &str, name: &str, token: &str) -> Result<i32, Error> {
        let resp = self
            .inner
            .create_milestone()
            .workload_id(id)
            .milestone_name(name)
            .client_request_token(token)
            .send()
            .await
            .map_err(self.fail("CreateMilestone"))?;
        Ok(resp.milestone_number().unwrap_or_default())
    }

    /// Every milestone of a workload, every page.
    pub async fn list_milestones(&self, id: &str) -> Result<Vec<MilestoneInfo>, Error> {
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
                .map_err(self.fail("ListMilestones"))?;
            out.extend(resp.milestone_summaries().iter().map(|m| {
                MilestoneInfo {
                    number: m.milestone_number().unwrap_or_default(),
                    name: m.milestone_name().unwrap_or_default().to_string(),
                    recorded_at: m
                        .recorded_at()
                        .and_then(|t| OffsetDateTime::from_unix_timestamp(t.secs()).ok()),
                }
            }));
            match next(resp.next_token()) {
                Some(t) => token = Some(t),
                None => return Ok(out),
            }
        }
    }
}

fn workload_info(id: &str, w: &wa::types::Workload) -> WorkloadInfo {
    WorkloadInfo {
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
        owner: w.owner().unwrap_or_default().to_string(),
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
        if ca.status().map(|s| s.as_str()) == Some(ChoiceStatus::NotApplicable.api()) {
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
