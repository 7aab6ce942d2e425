//! One run over many accounts: the accounts of a list or an organization
//! (optionally one shard of them), each scanned through its member role
//! or read from Security Hub CSPM, a few accounts at a time.
//!
//! Results leave as events, one per account as soon as it is done, so the
//! caller can save each into the review (a crash or a later failure keeps
//! every finished account) and nothing holds the whole organization's
//! responses. An account that cannot be entered becomes a [`Refusal`],
//! never an error of the run.

use crate::clients::{self, AwsOptions, Clients, RequestCounter};
use crate::collect::{self, CollectOptions, Outcome};
use crate::contact::{self, ContactError};
use crate::hub_source::{self, AccountControls, HubRead};
use crate::org::{self, AccountChoice, Member, Refusal};
use crate::runner::ProgressFn;
use crate::tr;
use std::sync::Arc;
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use wasec_core::{Lang, Text};

/// Where evidence comes from (`--source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// wasec reads each account itself.
    #[default]
    Scan,
    /// Control results from Security Hub CSPM, read centrally.
    SecurityHub,
    /// Security Hub for accounts it has results for, a scan for the rest.
    Auto,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Scan => "scan",
            Source::SecurityHub => "securityhub",
            Source::Auto => "auto",
        }
    }
}

/// How to run over many accounts.
#[derive(Debug, Clone)]
pub struct OrgOptions {
    pub accounts: AccountChoice,
    pub role_name: String,
    pub external_id: Option<String>,
    /// `--shard I/N`: only the accounts `wasec_core::evidence::shard` gives slice I.
    pub shard: Option<(usize, usize)>,
    /// Accounts in flight at once (each with the per-service bounds of `run`).
    pub account_concurrency: usize,
    pub source: Source,
    /// Regions, limits and settings of each account's scan.
    pub run: CollectOptions,
}

/// Who runs the collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub account: String,
    pub arn: String,
}

/// How one account ended.
#[derive(Debug, Clone)]
pub enum AccountResult {
    Scanned(Box<Outcome>),
    /// Control results read from Security Hub CSPM.
    SecurityHub {
        controls: AccountControls,
        region: String,
        aggregated: bool,
    },
    /// `--source securityhub`, and Security Hub has nothing on the account
    /// (or could not be read).
    NoHubData {
        region: String,
        why: Text,
    },
    Unreachable(Refusal),
}

/// One account, done.
#[derive(Debug, Clone)]
pub struct AccountDone {
    pub account: String,
    /// The account's name in the organization (empty for `--accounts`).
    pub name: String,
    pub result: AccountResult,
    /// Requests made in the account (its scan; Security Hub reads are the
    /// run's, not an account's).
    pub requests: u64,
    pub elapsed: Duration,
    pub finished_at: OffsetDateTime,
}

/// What the Security Hub sweep found.
#[derive(Debug, Clone, Default)]
pub struct HubSummary {
    pub region: String,
    pub aggregated: bool,
    pub findings: usize,
    pub dropped: usize,
    /// The sweep failed: why (auto then scans every account).
    pub error: Option<Text>,
}

/// Progress of a run.
#[derive(Debug, Clone)]
pub enum Event {
    /// The accounts are known; `accounts` are this run's (after `--shard`).
    Planned {
        caller: Caller,
        accounts: Vec<String>,
        listed: usize,
    },
    Done(Box<AccountDone>),
}

/// The run as a whole.
#[derive(Debug, Clone)]
pub struct OrgOutcome {
    pub caller: Caller,
    pub home: String,
    pub accounts: Vec<String>,
    pub hub: Option<HubSummary>,
    pub warnings: Vec<Text>,
    pub requests: u64,
    pub started_at: OffsetDateTime,
    pub elapsed: Duration,
}

/// Collect over many accounts with the AWS CLI's credential rules.
pub async fn collect_org(
    opts: &AwsOptions,
    org: &OrgOptions,
    events: Sender<Event>,
) -> Result<OrgOutcome, ContactError> {
    let counter = RequestCounter::default();
    let sdk = clients::load(opts, &counter).await;
    contact::check_credentials(&sdk, opts).await?;
    collect_org_with(&Clients::new(sdk), &counter, org, events).await
}

/// Collect with ready clients (tests pass their own).
pub async fn collect_org_with(
    aws: &Clients,
    counter: &RequestCounter,
    org: &OrgOptions,
    events: Sender<Event>,
) -> Result<OrgOutcome, ContactError> {
    let started_at = wasec_core::now();
    let clock = Instant::now();
    let home = collect::home_region(aws, &org.run.regions)?;
    let aws = aws.for_region(&home);
    let sts: aws_sdk_sts::Client = aws.client();
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| contact::explain_call(&e, &contact::sts_host(aws.sdk())))?;
    let caller = Caller {
        account: me.account().unwrap_or_default().to_string(),
        arn: me.arn().unwrap_or_default().to_string(),
    };
    let listed = members(&aws, &caller, &org.accounts).await?;
    let ids: Vec<String> = listed.iter().map(|m| m.id.clone()).collect();
    let chosen = match org.shard {
        Some((i, n)) => wasec_core::evidence::shard(&ids, i, n),
        None => {
            let mut all = ids.clone();
            all.sort();
            all
        }
    };
    let mut chosen_members: Vec<Member> = listed
        .iter()
        .filter(|m| chosen.contains(&m.id))
        .cloned()
        .collect();
    chosen_members.sort_by(|a, b| a.id.cmp(&b.id));
    let mut warnings = Vec::new();
    let (hub, hub_summary) = match org.source {
        Source::Scan => (None, None),
        _ => {
            let whole_org = matches!(org.accounts, AccountChoice::Organization { ou: None })
                && org.shard.is_none();
            let filter = (!whole_org).then_some(chosen.as_slice());
            let (read, summary) = read_hub(&aws, &home, filter).await;
            if let Some(why) = &summary.error {
                warnings.push(why.clone());
            }
            (read.map(Arc::new), Some(summary))
        }
    };
    let _ = events.send(Event::Planned {
        caller: caller.clone(),
        accounts: chosen.clone(),
        listed: listed.len(),
    });
    let shared = Arc::new(Shared {
        aws,
        caller: caller.clone(),
        org: org.clone(),
        hub,
        hub_region: hub_summary
            .as_ref()
            .map(|h| h.region.clone())
            .unwrap_or_default(),
        hub_error: hub_summary.as_ref().and_then(|h| h.error.clone()),
    });
    let gate = Arc::new(tokio::sync::Semaphore::new(org.account_concurrency.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for m in chosen_members {
        let (shared, gate, events) = (shared.clone(), gate.clone(), events.clone());
        tasks.spawn(async move {
            let _permit = gate.acquire_owned().await.ok();
            let done = one_account(&shared, m).await;
            let _ = events.send(Event::Done(Box::new(done)));
        });
    }
    while tasks.join_next().await.is_some() {}
    Ok(OrgOutcome {
        caller,
        home,
        accounts: chosen,
        hub: hub_summary,
        warnings,
        requests: counter.get(),
        started_at,
        elapsed: clock.elapsed(),
    })
}

/// What every account's task reads.
struct Shared {
    aws: Clients,
    caller: Caller,
    org: OrgOptions,
    hub: Option<Arc<HubRead>>,
    hub_region: String,
    hub_error: Option<Text>,
}

/// The accounts named by the choice; duplicates go.
async fn members(
    aws: &Clients,
    caller: &Caller,
    choice: &AccountChoice,
) -> Result<Vec<Member>, ContactError> {
    let plain = |id: &str| Member {
        id: id.to_string(),
        name: String::new(),
        status: String::new(),
    };
    let mut out: Vec<Member> = match choice {
        AccountChoice::Current => vec![plain(&caller.account)],
        AccountChoice::List(l) => l.iter().map(|a| plain(a)).collect(),
        AccountChoice::Organization { ou } => org::list_members(aws, ou.as_deref()).await?,
    };
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|m| seen.insert(m.id.clone()));
    Ok(out)
}

async fn read_hub(
    aws: &Clients,
    home: &str,
    filter: Option<&[String]>,
) -> (Option<HubRead>, HubSummary) {
    match hub_source::sweep(aws, home, filter).await {
        Ok(read) => {
            let summary = HubSummary {
                region: read.region.clone(),
                aggregated: read.aggregated,
                findings: read.findings,
                dropped: read.dropped,
                error: None,
            };
            (Some(read), summary)
        }
        Err(f) => {
            let u = f.summary();
            let (en, ja) = (u.en, u.ja);
            let summary = HubSummary {
                region: home.to_string(),
                error: Some(tr!(
                    "Security Hub CSPM could not be read in {home}: {en}",
                    "{home} の Security Hub CSPM を読み取れませんでした: {ja}"
                )),
                ..HubSummary::default()
            };
            (None, summary)
        }
    }
}

async fn one_account(s: &Shared, m: Member) -> AccountDone {
    let start = Instant::now();
    let role = org::role_arn(org::partition_of(&s.caller.arn), &m.id, &s.org.role_name);
    let hub_has = s.hub.as_ref().is_some_and(|h| h.covers(&m.id));
    let (result, requests) = if !m.active() {
        let r = Refusal::not_active(&m.id, &m.status, &role);
        (AccountResult::Unreachable(r), 0)
    } else if hub_has && s.org.source != Source::Scan {
        let hub = s.hub.as_ref().expect("hub_has implies a read");
        let controls = hub.accounts.get(&m.id).cloned().unwrap_or_default();
        let result = AccountResult::SecurityHub {
            controls,
            region: hub.region.clone(),
            aggregated: hub.aggregated,
        };
        (result, 0)
    } else if s.org.source == Source::SecurityHub {
        (no_hub_data(s, &m.id), 0)
    } else {
        scan(s, &m.id, &role).await
    };
    AccountDone {
        account: m.id,
        name: m.name,
        result,
        requests,
        elapsed: start.elapsed(),
        finished_at: wasec_core::now(),
    }
}

fn no_hub_data(s: &Shared, account: &str) -> AccountResult {
    let region = s.hub_region.clone();
    let why = match &s.hub_error {
        Some(e) => e.clone(),
        None => tr!(
            "cannot tell: Security Hub CSPM read from {region} has no control results for account {account} (Security Hub CSPM is not enabled there, or the account is not a member of this administrator); collect it with --source scan or auto",
            "判定できません: {region} から読み取った Security Hub CSPM に、アカウント {account} のコントロール結果がありません（そのアカウントで Security Hub CSPM が有効でないか、この管理者のメンバーではありません）。--source scan または auto で収集してください"
        ),
    };
    AccountResult::NoHubData { region, why }
}

/// Scan one account: with the caller's own credentials when it is the
/// caller's account, else through the member role.
async fn scan(s: &Shared, account: &str, role: &str) -> (AccountResult, u64) {
    let counter = RequestCounter::default();
    let aws = if account == s.caller.account {
        s.aws.counted(account, &counter)
    } else {
        match org::assume(&s.aws, role, s.org.external_id.as_deref()).await {
            Ok(creds) => s.aws.for_account(creds, account, &counter),
            Err(r) => return (AccountResult::Unreachable(r), 0),
        }
    };
    let quiet: ProgressFn = Arc::new(|_| {});
    match collect::collect_with(&aws, &counter, &s.org.run, quiet).await {
        Ok(outcome) => (AccountResult::Scanned(Box::new(outcome)), counter.get()),
        Err(e) => {
            let (en, ja) = (e.message(Lang::En), e.message(Lang::Ja));
            let r = Refusal::collect_failed(role, &en.replace('\n', " "), &ja.replace('\n', " "));
            (AccountResult::Unreachable(r), counter.get())
        }
    }
}

/// Run on a fresh multi-threaded runtime, for callers without one (the CLI).
pub fn collect_org_blocking(
    opts: &AwsOptions,
    org: &OrgOptions,
    events: Sender<Event>,
) -> std::io::Result<Result<OrgOutcome, ContactError>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    Ok(rt.block_on(collect_org(opts, org, events)))
}
