//! `wasec push`: find (or create) the workload, read what the Tool holds,
//! merge it three ways with the review and the last sync's base, check
//! everything, and only then write: the lens upgrade when asked, the
//! answers that change, the workload's fields, the milestone.
//!
//! A failure part way reports how many questions were written; the link
//! and the base of what was written are kept, so a re-run resumes.

use crate::client::{
    LensInfo, ListedQuestion, MilestoneInfo, NewWorkload, ToolAnswer, WaClient, WorkloadInfo,
};
use crate::error::Error;
use crate::facets::{self, Facets};
use crate::mapping::{WaState, risk_api};
use crate::merge::Prefer;
use crate::notes::api_len;
use crate::plan::{self, Labels, Plan, Snapshot};
use crate::resolve::{self, Found, Lookup, Target};
use crate::{Out, console_url, text, token};
use std::collections::BTreeMap;
use std::time::Duration;
use wasec_core::review::sync::{SyncBase, WaSync};
use wasec_core::review::{QuestionRisk, WaToolLink};
use wasec_core::{Bank, Review, scoring};

/// "A workload can have a maximum of 100 milestones" (there is no API to delete one).
pub const MAX_MILESTONES: usize = 100;

/// What to do when the workload's lens review is not on the current version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum LensAction {
    /// Refuse, explaining the choices (the default).
    #[default]
    Refuse,
    /// UpgradeLensReview first; the Tool records a milestone (this name, or
    /// one wasec makes up) with the answers as they were.
    Upgrade { milestone: Option<String> },
    /// Write to the old version anyway (bank choices it lacks are skipped).
    Keep,
}

#[derive(Debug, Clone)]
pub struct PushOptions {
    pub target: Target,
    /// Create the workload (by name) when none has the name.
    pub create: bool,
    /// Allow creating a workload although the review is linked to another.
    pub relink: bool,
    pub milestone: Option<String>,
    pub dry_run: bool,
    pub prefer: Option<Prefer>,
    pub lens: LensAction,
    /// At most one each, only with `create`.
    pub profile_arns: Vec<String>,
    pub review_template_arns: Vec<String>,
    /// Base delay of the UpdateAnswer conflict retries.
    pub backoff: Duration,
}

impl PushOptions {
    pub fn new(target: Target) -> PushOptions {
        PushOptions {
            target,
            create: false,
            relink: false,
            milestone: None,
            dry_run: false,
            prefer: None,
            lens: LensAction::Refuse,
            profile_arns: Vec::new(),
            review_template_arns: Vec::new(),
            backoff: Duration::from_millis(500),
        }
    }
}

/// A question where the Tool's risk differs from wasec's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RiskMismatch {
    pub question: String,
    pub tool: QuestionRisk,
    pub wasec: QuestionRisk,
}

#[derive(Debug, Clone, Default)]
pub struct PushOutcome {
    /// None only for a dry run against a workload that does not exist yet.
    pub workload_id: Option<String>,
    pub created: bool,
    pub lens_version: String,
    pub lens_upgraded: bool,
    /// Questions that need an UpdateAnswer.
    pub planned: usize,
    pub written: usize,
    /// Facets where the Tool keeps a value the review does not have.
    pub kept: usize,
    /// Conflicts settled by `--prefer`.
    pub settled: usize,
    pub workload_updated: bool,
    pub risk_mismatches: Vec<RiskMismatch>,
    pub milestone_number: Option<i32>,
    pub console_url: Option<String>,
}

pub async fn push(
    client: &WaClient,
    bank: &Bank,
    review: &Review,
    link: &mut Option<WaToolLink>,
    opts: &PushOptions,
    out: &mut Out<'_>,
) -> Result<PushOutcome, Error> {
    let lookup = Lookup {
        target: &opts.target,
        create: opts.create,
        relink: opts.relink,
        profile_arns: &opts.profile_arns,
        review_template_arns: &opts.review_template_arns,
    };
    let found = resolve::find(client, review, link.as_ref(), &lookup, out).await?;
    let mut run = Run {
        client,
        bank,
        review,
        opts,
        outcome: PushOutcome::default(),
    };
    match found {
        Found::Existing(w) => run.existing(w, link, out).await?,
        Found::Create(spec) => run.create(spec, link, out).await?,
    }
    Ok(run.outcome)
}

struct Run<'a> {
    client: &'a WaClient,
    bank: &'a Bank,
    review: &'a Review,
    opts: &'a PushOptions,
    outcome: PushOutcome,
}

impl<'a> Run<'a> {
    async fn existing(
        &mut self,
        w: WorkloadInfo,
        link: &mut Option<WaToolLink>,
        out: &mut Out<'_>,
    ) -> Result<(), Error> {
        let region = self.client.region().to_string();
        out.line(text::workload_line(&w.name, &w.id, &region, out.lang));
        self.outcome.workload_id = Some(w.id.clone());
        let id = w.id.clone();
        let snap = plan::read_rest(self.client, self.bank, w, None).await?;
        let milestones = self.milestones_needed(&id, &snap.lens).await?;
        let upgrade = self.check(&snap.lens, milestones.as_deref(), false)?;
        set_link(link, &id, &region, &snap.lens.version);
        self.outcome.lens_version = snap.lens.version.clone();
        self.warn_missing(&snap, out);
        let plan = self.plan_and_show(&snap, link, out)?;
        if self.opts.dry_run {
            if let Some(m) = &upgrade {
                out.line(text::would_upgrade(&snap.lens.version, m, out.lang));
            }
            out.line(text::dry_run(out.lang));
            return Ok(());
        }
        match upgrade {
            Some(m) => self.upgrade_then_write(&id, &m, link, out).await,
            None => self.write(&id, &snap, &plan, link, out).await,
        }
    }

    async fn create(
        &mut self,
        spec: NewWorkload,
        link: &mut Option<WaToolLink>,
        out: &mut Out<'_>,
    ) -> Result<(), Error> {
        let region = self.client.region().to_string();
        self.check(&LensInfo::default(), Some(&[]), true)?;
        out.line(text::will_create(
            &spec,
            &region,
            self.opts.dry_run,
            out.lang,
        ));
        if self.opts.dry_run {
            let snap = assumed_snapshot(self.bank, &spec);
            self.plan_and_show(&snap, &None, out)?;
            out.line(text::dry_run(out.lang));
            return Ok(());
        }
        let id = self
            .client
            .create_workload(&spec)
            .await
            .map_err(|e| text::create_failed(e, &spec.name, &region))?;
        out.line(text::created(&spec.name, &id, &region, out.lang));
        self.outcome.workload_id = Some(id.clone());
        self.outcome.created = true;
        set_link(link, &id, &region, "");
        // A review template fills the new workload: read what it holds.
        let snap = plan::read(self.client, self.bank, &id, None).await?;
        set_link(link, &id, &region, &snap.lens.version);
        self.outcome.lens_version = snap.lens.version.clone();
        let plan = self.plan_and_show(&snap, link, out)?;
        self.write(&id, &snap, &plan, link, out).await
    }

    /// ListMilestones when a milestone name must be checked (or counted).
    async fn milestones_needed(
        &self,
        id: &str,
        lens: &LensInfo,
    ) -> Result<Option<Vec<MilestoneInfo>>, Error> {
        let upgrading = matches!(self.opts.lens, LensAction::Upgrade { .. }) && needs_upgrade(lens);
        if self.opts.milestone.is_none() && !upgrading {
            return Ok(None);
        }
        self.client.list_milestones(id).await.map(Some)
    }

    /// Every check before the first write, all problems at once. Returns
    /// the name of the lens upgrade milestone when an upgrade is due.
    fn check(
        &self,
        lens: &LensInfo,
        milestones: Option<&[MilestoneInfo]>,
        creating: bool,
    ) -> Result<Option<String>, Error> {
        let mut problems = crate::meta::check(self.review);
        let upgrade = lens_decision(lens, &self.opts.lens).unwrap_or_else(|p| {
            problems.push(p);
            None
        });
        let mut names: Vec<&str> = Vec::new();
        names.extend(upgrade.as_deref());
        names.extend(self.opts.milestone.as_deref());
        let taken = milestones.unwrap_or_default();
        for n in &names {
            problems.extend(check_milestone_name(n, taken));
        }
        if names.len() == 2 && names[0] == names[1] {
            problems.push(text::same_milestone_names(names[0]));
        }
        if taken.len() + names.len() > MAX_MILESTONES {
            problems.push(text::milestone_quota(taken.len(), names.len()));
        }
        let arns =
            !(self.opts.profile_arns.is_empty() && self.opts.review_template_arns.is_empty());
        if arns && !creating {
            problems.push(text::arns_only_on_create());
        }
        problems.extend(check_arns(
            &self.opts.profile_arns,
            &self.opts.review_template_arns,
        ));
        if problems.is_empty() {
            Ok(upgrade)
        } else {
            Err(Error::Invalid(problems))
        }
    }

    fn warn_missing(&self, snap: &Snapshot, out: &mut Out<'_>) {
        for (q, ids) in plan::missing_bank_choices(self.bank, snap) {
            out.warn(text::not_listed(&q, &ids, &snap.lens.version));
        }
    }

    /// Merge, print, and stop on conflicts nobody settled.
    fn plan_and_show(
        &mut self,
        snap: &Snapshot,
        link: &Option<WaToolLink>,
        out: &mut Out<'_>,
    ) -> Result<Plan<'a>, Error> {
        let region = self.client.region();
        let base = link
            .as_ref()
            .and_then(|l| l.sync.as_ref())
            .and_then(|s| s.base(region, &snap.workload.id));
        let plan = plan::plan(self.bank, self.review, snap, base, self.opts.prefer);
        for w in &plan.warnings {
            out.warn(w.clone());
        }
        let labels_for = |c: &Option<String>| {
            c.as_deref().map(|c| {
                Labels {
                    bank: self.bank,
                    titles: Default::default(),
                }
                .choice(c)
            })
        };
        for p in &plan.questions {
            for (c, cut) in p.request.iter().flat_map(|(_, cuts)| cuts) {
                out.warn(text::truncated_warning(&p.q.id, labels_for(c), *cut));
            }
        }
        if base.is_none() && !snap.workload.id.is_empty() && !self.outcome.created {
            out.line(text::first_sync(out.lang));
        }
        let labels = Labels {
            bank: self.bank,
            titles: snap.titles(),
        };
        let full = self.opts.dry_run;
        for p in &plan.questions {
            out.text(plan::describe(p, &labels, full, out.lang));
        }
        out.text(plan::describe_workload(
            &plan.workload,
            &labels,
            full,
            out.lang,
        ));
        let conflicts = plan.conflicts();
        out.line(text::plan_summary(
            plan.writes(),
            plan.kept(),
            conflicts,
            !plan.workload.update.is_empty(),
            out.lang,
        ));
        self.outcome.planned = plan.writes();
        self.outcome.kept = plan.kept();
        self.outcome.settled = count_settled(&plan);
        if conflicts > 0 {
            return Err(Error::Conflicts(conflicts));
        }
        Ok(plan)
    }

    async fn upgrade_then_write(
        &mut self,
        id: &str,
        milestone: &str,
        link: &mut Option<WaToolLink>,
        out: &mut Out<'_>,
    ) -> Result<(), Error> {
        let tok = token(&["upgrade-lens-review", id, milestone]);
        self.client.upgrade_lens_review(id, milestone, &tok).await?;
        self.outcome.lens_upgraded = true;
        let snap = plan::read(self.client, self.bank, id, None).await?;
        out.line(text::upgraded(
            &self.outcome.lens_version,
            &snap.lens.version,
            milestone,
            out.lang,
        ));
        set_link(link, id, self.client.region(), &snap.lens.version);
        self.outcome.lens_version = snap.lens.version.clone();
        self.warn_missing(&snap, out);
        let plan = self.plan_and_show(&snap, link, out)?;
        self.write(id, &snap, &plan, link, out).await
    }

    /// The writes. The base of every question in step with the Tool is
    /// stored even when a call fails, so a re-run only redoes the rest.
    async fn write(
        &mut self,
        id: &str,
        snap: &Snapshot,
        plan: &Plan<'a>,
        link: &mut Option<WaToolLink>,
        out: &mut Out<'_>,
    ) -> Result<(), Error> {
        let region = self.client.region().to_string();
        let mut base = start_base(link, id, &region, &snap.lens.version);
        let mut risks = listed_risks(self.bank, &snap.listed);
        for p in plan.questions.iter().filter(|p| p.request.is_none()) {
            record(&mut base, p, &p.tool);
        }
        let res = self
            .write_answers(id, plan, &mut base, &mut risks, out)
            .await;
        let res = match res {
            Ok(()) => self.write_workload(id, plan, &mut base).await,
            Err(e) => Err(e),
        };
        store_base(link, base);
        res.map_err(|e| partial(e, self.outcome.written, self.outcome.planned))?;
        out.line(text::written_summary(
            self.outcome.written,
            self.outcome.planned,
            self.outcome.workload_updated,
            out.lang,
        ));
        self.report_risks(out);
        if let Some(name) = &self.opts.milestone {
            let num = self
                .client
                .create_milestone(id, name, &token(&["milestone", id, name]))
                .await
                .map_err(|e| partial(e, self.outcome.written, self.outcome.planned))?;
            out.line(text::milestone_created(num, name, out.lang));
            self.outcome.milestone_number = Some(num);
        }
        match self.view(id, snap, plan, risks).await {
            Ok(v) => store_view(link, v),
            Err(e) => out.warn(text::view_not_refreshed(&e)),
        }
        let url = console_url(&region, id);
        out.line(text::console(&url, out.lang));
        self.outcome.console_url = Some(url);
        Ok(())
    }

    /// The Tool's view after the push: the risk counts are read again only
    /// when something was written.
    async fn view(
        &self,
        id: &str,
        snap: &Snapshot,
        plan: &Plan<'a>,
        risks: BTreeMap<String, QuestionRisk>,
    ) -> Result<wasec_core::review::sync::ToolView, Error> {
        let others = plan_others(plan, snap);
        if self.outcome.written == 0 && !self.outcome.workload_updated {
            let items = self.client.list_improvements(id, None).await?;
            return Ok(crate::view::build(
                self.bank, &snap.lens, &items, risks, others,
            ));
        }
        crate::view::read(self.client, self.bank, id, None, risks, others).await
    }

    async fn write_answers(
        &mut self,
        id: &str,
        plan: &Plan<'a>,
        base: &mut SyncBase,
        risks: &mut BTreeMap<String, QuestionRisk>,
        out: &mut Out<'_>,
    ) -> Result<(), Error> {
        for p in &plan.questions {
            let Some((req, _)) = &p.request else { continue };
            let ans = self
                .client
                .update_answer(id, &p.q.wa_question_id, req, self.opts.backoff)
                .await?;
            self.outcome.written += 1;
            record(base, p, &facets::from_tool(&ans.state));
            if let Some(r) = ans.risk {
                risks.insert(p.q.id.clone(), r);
                self.compare_risk(p, r);
            }
            out.line(text::question_written(
                &p.q.id,
                self.outcome.written,
                self.outcome.planned,
                out.lang,
            ));
        }
        Ok(())
    }

    async fn write_workload(
        &mut self,
        id: &str,
        plan: &Plan<'a>,
        base: &mut SyncBase,
    ) -> Result<(), Error> {
        let update = &plan.workload.update;
        if !update.is_empty() {
            self.client.update_workload(id, update).await?;
            self.outcome.workload_updated = true;
        }
        let merged = &plan.workload.merged;
        let want: Facets = merged
            .iter()
            .filter_map(|m| m.wasec.clone().map(|w| (m.key.clone(), w)))
            .collect();
        base.wasec.workload = facets::fingerprints(&want);
        base.tool.workload = facets::fingerprints(&crate::merge::results(merged));
        Ok(())
    }

    /// The Tool computes its own risk; wasec warns where they differ (only
    /// where the Tool holds exactly the review's answer).
    fn compare_risk(&mut self, p: &plan::QuestionPlan, tool: QuestionRisk) {
        let Some(answer) = self.review.answer(&p.q.id) else {
            return;
        };
        if p.kept() > 0 || !answer.is_answered(p.q.best_practices.len()) {
            return;
        }
        let wasec = scoring::question_risk(p.q, Some(answer));
        if tool != wasec {
            self.outcome.risk_mismatches.push(RiskMismatch {
                question: p.q.id.clone(),
                tool,
                wasec,
            });
        }
    }

    fn report_risks(&self, out: &mut Out<'_>) {
        for m in &self.outcome.risk_mismatches {
            out.warn(text::risk_mismatch(
                &m.question,
                risk_api(m.tool),
                risk_api(m.wasec),
            ));
        }
    }
}

fn count_settled(plan: &Plan) -> usize {
    let q: usize = plan
        .questions
        .iter()
        .map(|p| p.merged.iter().filter(|m| m.is_conflict()).count())
        .sum();
    q + plan
        .workload
        .merged
        .iter()
        .filter(|m| m.is_conflict())
        .count()
}

fn partial(e: Error, written: usize, planned: usize) -> Error {
    Error::Partial {
        written,
        planned,
        source: Box::new(e),
    }
}

/// The wasec and Tool facets of a question after it is in step.
fn record(base: &mut SyncBase, p: &plan::QuestionPlan, tool_after: &Facets) {
    let q = p.q.wa_question_id.clone();
    base.wasec
        .questions
        .insert(q.clone(), facets::fingerprints(&p.want));
    base.tool
        .questions
        .insert(q, facets::fingerprints(tool_after));
}

fn start_base(link: &Option<WaToolLink>, id: &str, region: &str, lens_version: &str) -> SyncBase {
    let old = link
        .as_ref()
        .and_then(|l| l.sync.as_ref())
        .and_then(|s| s.base(region, id))
        .cloned();
    let mut b = old.unwrap_or_else(|| SyncBase {
        workload_id: id.to_string(),
        region: region.to_string(),
        at: wasec_core::now(),
        lens_version: String::new(),
        wasec: Default::default(),
        tool: Default::default(),
    });
    b.at = wasec_core::now();
    b.lens_version = lens_version.to_string();
    b
}

fn store_base(link: &mut Option<WaToolLink>, base: SyncBase) {
    if let Some(l) = link.as_mut() {
        l.sync.get_or_insert_with(WaSync::default).set_base(base);
    }
}

fn store_view(link: &mut Option<WaToolLink>, v: wasec_core::review::sync::ToolView) {
    if let Some(l) = link.as_mut() {
        l.sync.get_or_insert_with(WaSync::default).tool = Some(v);
    }
}

/// Point the link at this workload, keeping the bases of others.
pub(crate) fn set_link(link: &mut Option<WaToolLink>, id: &str, region: &str, lens_version: &str) {
    let sync = link.as_mut().and_then(|l| l.sync.take());
    *link = Some(WaToolLink {
        workload_id: id.to_string(),
        region: region.to_string(),
        lens_version: lens_version.to_string(),
        sync,
    });
}

fn listed_risks(bank: &Bank, listed: &[ListedQuestion]) -> BTreeMap<String, QuestionRisk> {
    bank.questions()
        .iter()
        .filter_map(|q| {
            let l = listed.iter().find(|l| l.question_id == q.wa_question_id)?;
            Some((q.id.clone(), l.risk?))
        })
        .collect()
}

/// Tool choices the bank does not know, as the Tool now holds them.
fn plan_others(plan: &Plan, snap: &Snapshot) -> Vec<wasec_core::review::sync::ToolChoice> {
    let titles = snap.titles();
    plan.questions
        .iter()
        .flat_map(|p| crate::mapping::to_answer(p.q, &p.result, &titles).1)
        .collect()
}

fn needs_upgrade(lens: &LensInfo) -> bool {
    matches!(lens.status.as_str(), "NOT_CURRENT" | "DEPRECATED")
}

/// CURRENT: go on. NOT_CURRENT: upgrade or keep only when asked.
/// DEPRECATED: only an upgrade. DELETED / UNSHARED: nothing to write to.
fn lens_decision(lens: &LensInfo, action: &LensAction) -> Result<Option<String>, String> {
    let default_name = || text::upgrade_milestone_name(&lens.version);
    match (lens.status.as_str(), action) {
        ("NOT_CURRENT" | "DEPRECATED", LensAction::Upgrade { milestone }) => {
            Ok(Some(milestone.clone().unwrap_or_else(default_name)))
        }
        ("NOT_CURRENT", LensAction::Keep) => Ok(None),
        ("NOT_CURRENT", LensAction::Refuse) => Err(text::lens_not_current(&lens.version)),
        ("DEPRECATED", _) => Err(text::lens_deprecated(&lens.version)),
        ("DELETED" | "UNSHARED", _) => Err(text::lens_gone(&lens.status)),
        _ => Ok(None),
    }
}

fn check_milestone_name(name: &str, taken: &[MilestoneInfo]) -> Vec<String> {
    let mut p = Vec::new();
    let n = api_len(name);
    if !(3..=100).contains(&n) {
        p.push(text::bad_milestone_name(name, n));
    }
    if let Some(m) = taken.iter().find(|m| m.name == name) {
        p.push(text::milestone_taken(name, m));
    }
    p
}

fn check_arns(profiles: &[String], templates: &[String]) -> Vec<String> {
    let mut p = Vec::new();
    if profiles.len() > 1 || templates.len() > 1 {
        p.push(text::one_arn_each());
    }
    for a in profiles.iter().filter(|a| !crate::meta::is_profile_arn(a)) {
        p.push(text::bad_arn("--profile-arn", a));
    }
    for a in templates
        .iter()
        .filter(|a| !crate::meta::is_template_arn(a))
    {
        p.push(text::bad_arn("--review-template-arn", a));
    }
    p
}

/// For a dry run before CreateWorkload: an empty workload that lists the
/// bank's questions and choices.
fn assumed_snapshot(bank: &Bank, spec: &NewWorkload) -> Snapshot {
    let listed: Vec<ListedQuestion> = bank
        .questions()
        .iter()
        .map(|q| ListedQuestion {
            question_id: q.wa_question_id.clone(),
            title: q.title.en.clone(),
            choices: crate::mapping::bank_choice_ids(q)
                .into_iter()
                .map(|c| (c.to_string(), String::new()))
                .collect(),
            risk: Some(QuestionRisk::Unanswered),
        })
        .collect();
    let answers = listed
        .iter()
        .map(|l| {
            let a = ToolAnswer {
                question_id: l.question_id.clone(),
                title: l.title.clone(),
                choices: l.choices.clone(),
                state: WaState::empty(),
                risk: None,
            };
            (l.question_id.clone(), a)
        })
        .collect();
    Snapshot {
        workload: WorkloadInfo {
            name: spec.name.clone(),
            description: spec.description.clone(),
            environment: spec.environment.clone(),
            review_owner: spec.review_owner.clone(),
            aws_regions: spec.aws_regions.clone(),
            non_aws_regions: spec.non_aws_regions.clone(),
            account_ids: spec.account_ids.clone(),
            ..Default::default()
        },
        lens: LensInfo::default(),
        listed,
        answers,
    }
}
