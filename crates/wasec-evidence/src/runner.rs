//! Runs every module over the account's regions with bounded concurrency.
//! Nothing here can stop a run: a module that fails, times out or panics
//! yields `unknown` findings for every check it would have reported, and
//! the run goes on.

use crate::check::{CheckId, Finding, Scope};
use crate::clients::{Clients, GLOBAL_REGION};
use crate::registry::Module;
use crate::services::{ServiceCtx, Settings};
use crate::tr;
use futures::FutureExt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;

/// Region label stamped on account-wide evidence.
pub const GLOBAL: &str = "global";

/// Concurrency and time limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Module/region tasks in flight at once.
    pub global: usize,
    /// Tasks of one module in flight at once (one service's API quota is
    /// shared by all regions' callers, so spread the load).
    pub per_service: usize,
    /// Wall-clock budget of one module in one region.
    pub task_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            global: 12,
            per_service: 3,
            task_timeout: Duration::from_secs(120),
        }
    }
}

/// A finding with the region it covers (`global` for account-wide checks).
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub region: String,
    pub finding: Finding,
}

/// Progress events, one pair per module and region.
#[derive(Debug, Clone)]
pub enum Progress {
    Started {
        service: &'static str,
        region: String,
    },
    Finished {
        service: &'static str,
        region: String,
        findings: usize,
        elapsed: Duration,
        /// Set when the module did not finish normally.
        problem: Option<String>,
    },
}

pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Who and where a run scans.
#[derive(Debug, Clone)]
pub struct Target {
    pub account: String,
    /// Enabled regions to scan, sorted.
    pub regions: Vec<String>,
    pub settings: Arc<Settings>,
}

/// Run `modules` over the target's regions. Global modules run once, in
/// us-east-1.
pub async fn run(
    modules: &'static [Module],
    aws: &Clients,
    target: &Target,
    limits: Limits,
    progress: ProgressFn,
) -> Vec<Located> {
    let global_sem = Arc::new(Semaphore::new(limits.global.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for module in modules {
        let per_service = Arc::new(Semaphore::new(limits.per_service.max(1)));
        let places: Vec<(String, String)> = match module.scope {
            Scope::Global => vec![(GLOBAL_REGION.to_string(), GLOBAL.to_string())],
            Scope::Regional => target
                .regions
                .iter()
                .map(|r| (r.clone(), r.clone()))
                .collect(),
        };
        for (call_region, label) in places {
            let cx = ServiceCtx {
                aws: aws.for_region(&call_region),
                account: target.account.clone(),
                region: call_region,
                regions: target.regions.clone(),
                settings: target.settings.clone(),
            };
            let (global_sem, per_service, progress) =
                (global_sem.clone(), per_service.clone(), progress.clone());
            tasks.spawn(async move {
                let _g = global_sem.acquire_owned().await.ok();
                let _s = per_service.acquire_owned().await.ok();
                progress(Progress::Started {
                    service: module.name(),
                    region: label.clone(),
                });
                let start = Instant::now();
                let (findings, problem) = run_one(module, &cx, limits.task_timeout).await;
                progress(Progress::Finished {
                    service: module.name(),
                    region: label.clone(),
                    findings: findings.len(),
                    elapsed: start.elapsed(),
                    problem,
                });
                findings
                    .into_iter()
                    .map(|finding| Located {
                        region: label.clone(),
                        finding,
                    })
                    .collect::<Vec<_>>()
            });
        }
    }
    let mut out = Vec::new();
    while let Some(done) = tasks.join_next().await {
        // Tasks catch their own panics, so a join error means the runtime
        // is shutting down: keep what finished.
        if let Ok(found) = done {
            out.extend(found);
        }
    }
    sort(&mut out);
    out
}

/// One module in one region: its findings, completed so that every check
/// of the module has at least one, and what went wrong if anything did.
async fn run_one(
    module: &Module,
    cx: &ServiceCtx,
    timeout: Duration,
) -> (Vec<Finding>, Option<String>) {
    let checks = module.checks();
    let fut = AssertUnwindSafe((module.collect)(cx)).catch_unwind();
    match tokio::time::timeout(timeout, fut).await {
        Ok(Ok(Ok(findings))) => (complete(&checks, findings), None),
        Ok(Ok(Err(failure))) => {
            let why = failure.summary().en;
            (failure.findings(&checks), Some(why))
        }
        Ok(Err(_)) => {
            let name = module.name();
            let text = tr!(
                "cannot tell: wasec failed while reading {name} (an internal error; please report it)",
                "判定できません: {name} の読み取り中に wasec が失敗しました（内部エラーです。報告してください）"
            );
            let why = text.en.clone();
            let f = checks.iter().map(|c| Finding::unknown(*c, text.clone()));
            (f.collect(), Some(why))
        }
        Err(_) => {
            let (name, secs) = (module.name(), timeout.as_secs());
            let text = tr!(
                "cannot tell: {name} did not finish within {secs} s; collecting again (or a longer --timeout) may settle it",
                "判定できません: {name} が {secs} 秒以内に終わりませんでした。再収集するか --timeout を延ばすと判定できる場合があります"
            );
            let why = text.en.clone();
            let f = checks.iter().map(|c| Finding::unknown(*c, text.clone()));
            (f.collect(), Some(why))
        }
    }
}

/// A module must report each of its checks; one it forgot becomes
/// `unknown` here rather than vanishing from the review.
fn complete(checks: &[CheckId], mut findings: Vec<Finding>) -> Vec<Finding> {
    for c in checks {
        if !findings.iter().any(|f| f.check == *c) {
            findings.push(Finding::unknown(
                *c,
                tr!(
                    "cannot tell: wasec produced no result for this check (a defect; please report it)",
                    "判定できません: このチェックの結果を wasec が出力しませんでした（不具合です。報告してください）"
                ),
            ));
        }
    }
    findings
}

/// Stable output regardless of completion order: by check id, region, then
/// content (a check may report several items, e.g. one per imported
/// Security Hub control).
fn sort(out: &mut [Located]) {
    out.sort_by(|a, b| {
        (
            a.finding.check.as_str(),
            &a.region,
            &a.finding.summary.en,
            &a.finding.resources,
        )
            .cmp(&(
                b.finding.check.as_str(),
                &b.region,
                &b.finding.summary.en,
                &b.finding.resources,
            ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Failure, FailureKind, Service};
    use crate::registry::Collected;
    use futures::future::BoxFuture;
    use wasec_core::review::EvidenceStatus;

    fn slow(cx: &ServiceCtx) -> BoxFuture<'_, Collected> {
        Box::pin(async move {
            if cx.region == "eu-west-1" {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            Ok(vec![Finding::pass(
                CheckId::GuardDutyEnabled,
                tr!("fine", "良好"),
            )])
        })
    }

    fn boom(_cx: &ServiceCtx) -> BoxFuture<'_, Collected> {
        Box::pin(async move { panic!("boom") })
    }

    fn denied(_cx: &ServiceCtx) -> BoxFuture<'_, Collected> {
        Box::pin(async move {
            Err(Failure::new(
                "kms:ListKeys",
                FailureKind::AccessDenied,
                "AccessDenied",
            ))
        })
    }

    static TEST_MODULES: &[Module] = &[
        // Reports one of its two checks: the other must not vanish.
        Module {
            service: Service::GuardDuty,
            scope: Scope::Regional,
            collect: slow,
        },
        Module {
            service: Service::Account,
            scope: Scope::Global,
            collect: boom,
        },
        Module {
            service: Service::Kms,
            scope: Scope::Regional,
            collect: denied,
        },
    ];

    #[tokio::test]
    async fn failures_timeouts_and_panics_become_unknown_for_every_check() {
        let regions = vec!["eu-west-1".to_string(), "us-east-1".to_string()];
        let target = Target {
            account: "123456789012".into(),
            regions: regions.clone(),
            settings: Arc::default(),
        };
        let limits = Limits {
            task_timeout: Duration::from_millis(300),
            ..Limits::default()
        };
        let events = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = events.clone();
        let progress: ProgressFn = Arc::new(move |p| sink.lock().unwrap().push(p));
        let aws = Clients::new(aws_config::SdkConfig::builder().build());
        let out = run(TEST_MODULES, &aws, &target, limits, progress).await;
        let find = |check: CheckId, region: &str| {
            out.iter()
                .find(|l| l.finding.check == check && l.region == region)
                .map(|l| l.finding.clone())
                .unwrap_or_else(|| panic!("no {check} in {region}"))
        };
        assert_eq!(
            find(CheckId::GuardDutyEnabled, "us-east-1").status,
            EvidenceStatus::Pass
        );
        let forgot = find(CheckId::GuardDutyProtectionPlans, "us-east-1");
        assert_eq!(forgot.status, EvidenceStatus::Unknown);
        assert!(forgot.summary.en.contains("no result"));
        let timed_out = find(CheckId::GuardDutyEnabled, "eu-west-1");
        assert_eq!(timed_out.status, EvidenceStatus::Unknown);
        assert!(
            timed_out.summary.en.contains("did not finish"),
            "{}",
            timed_out.summary.en
        );
        let panicked = find(CheckId::AccountAlternateContacts, GLOBAL);
        assert_eq!(panicked.status, EvidenceStatus::Unknown);
        // Every KMS check is unknown in every region, naming the action.
        for c in Service::Kms.checks() {
            for r in &regions {
                let f = find(c, r);
                assert_eq!(f.status, EvidenceStatus::Unknown);
                assert!(
                    f.summary.en.contains("kms:ListKeys") && f.summary.ja.contains("kms:ListKeys")
                );
            }
        }
        let kms = Service::Kms.checks().count();
        assert_eq!(out.len(), 2 * 2 + 1 + 2 * kms);
        // Sorted by check id, then region.
        let keys: Vec<(&str, &str)> = out
            .iter()
            .map(|l| (l.finding.check.as_str(), l.region.as_str()))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        // One start and one finish per module and region.
        assert_eq!(events.lock().unwrap().len(), 2 * (2 + 1 + 2));
    }
}
