//! Runs every service's checks over the account's regions with bounded
//! concurrency. Nothing here can stop a run: a service that times out or
//! panics yields `unknown` findings for its checks, and the run goes on.

use crate::check::{Finding, Scope};
use crate::clients::{self, GLOBAL_REGION};
use crate::registry;
use crate::services::{Service, ServiceCtx};
use aws_config::SdkConfig;
use futures::FutureExt;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use wasec_core::review::EvidenceStatus;

/// Region label stamped on account-wide evidence.
pub const GLOBAL: &str = "global";

/// Concurrency and time limits.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Service/region tasks in flight at once.
    pub global: usize,
    /// Tasks of one service in flight at once (one service's API quota is
    /// shared by all regions' callers, so spread the load).
    pub per_service: usize,
    /// Wall-clock budget of one service in one region.
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

/// Progress events, one pair per service and region.
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
        /// Set when the service did not finish normally.
        problem: Option<String>,
    },
}

pub type ProgressFn = Arc<dyn Fn(Progress) + Send + Sync>;

/// Run `services` for `account` over `regions` (already filtered to the
/// enabled ones). Global services run once, in us-east-1.
pub async fn run(
    services: &'static [Service],
    sdk: &SdkConfig,
    account: &str,
    regions: &[String],
    limits: Limits,
    progress: ProgressFn,
) -> Vec<Located> {
    let global_sem = Arc::new(Semaphore::new(limits.global.max(1)));
    let mut tasks = tokio::task::JoinSet::new();
    for service in services.iter().filter(|s| !s.checks.is_empty()) {
        let per_service = Arc::new(Semaphore::new(limits.per_service.max(1)));
        let targets: Vec<(String, String)> = match registry::scope(service) {
            Scope::Global => vec![(GLOBAL_REGION.to_string(), GLOBAL.to_string())],
            Scope::Regional => regions.iter().map(|r| (r.clone(), r.clone())).collect(),
        };
        for (call_region, label) in targets {
            let cx = ServiceCtx {
                sdk: clients::for_region(sdk, &call_region),
                account: account.to_string(),
                region: call_region,
            };
            let (global_sem, per_service, progress) =
                (global_sem.clone(), per_service.clone(), progress.clone());
            tasks.spawn(async move {
                let _g = global_sem.acquire_owned().await.ok();
                let _s = per_service.acquire_owned().await.ok();
                progress(Progress::Started {
                    service: service.name,
                    region: label.clone(),
                });
                let start = Instant::now();
                let fut = AssertUnwindSafe((service.collect)(&cx)).catch_unwind();
                let (findings, problem) = match tokio::time::timeout(limits.task_timeout, fut).await
                {
                    Ok(Ok(f)) => (f, None),
                    Ok(Err(_)) => {
                        let why = "internal error (panic) while collecting".to_string();
                        (unknown_all(service, &why), Some(why))
                    }
                    Err(_) => {
                        let why = format!("timed out after {} s", limits.task_timeout.as_secs());
                        (unknown_all(service, &why), Some(why))
                    }
                };
                progress(Progress::Finished {
                    service: service.name,
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
    // Stable output regardless of completion order.
    out.sort_by(|a, b| (a.finding.check, &a.region).cmp(&(b.finding.check, &b.region)));
    out
}

fn unknown_all(service: &Service, why: &str) -> Vec<Finding> {
    service
        .checks
        .iter()
        .map(|c| {
            Finding::new(
                c.id,
                EvidenceStatus::Unknown,
                format!("cannot tell: {} {why}", service.name),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckMeta;
    use futures::future::BoxFuture;

    const SLOW: &[CheckMeta] = &[CheckMeta {
        id: "test.slow",
        title_en: "slow",
        title_ja: "遅い",
        bps: &[],
        service: "test",
        actions: &[],
        scope: Scope::Regional,
    }];
    const BOOM: &[CheckMeta] = &[CheckMeta {
        id: "test.boom",
        title_en: "boom",
        title_ja: "失敗",
        bps: &[],
        service: "test",
        actions: &[],
        scope: Scope::Global,
    }];

    fn slow(cx: &ServiceCtx) -> BoxFuture<'_, Vec<Finding>> {
        Box::pin(async move {
            if cx.region == "eu-west-1" {
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
            vec![Finding::pass("test.slow", "fine")]
        })
    }

    fn boom(_cx: &ServiceCtx) -> BoxFuture<'_, Vec<Finding>> {
        Box::pin(async move { panic!("boom") })
    }

    static TEST_SERVICES: &[Service] = &[
        Service {
            name: "Slow",
            checks: SLOW,
            collect: slow,
        },
        Service {
            name: "Boom",
            checks: BOOM,
            collect: boom,
        },
    ];

    #[tokio::test]
    async fn timeouts_and_panics_become_unknown_and_the_run_continues() {
        let sdk = SdkConfig::builder().build();
        let regions = vec!["us-east-1".to_string(), "eu-west-1".to_string()];
        let limits = Limits {
            task_timeout: Duration::from_millis(300),
            ..Limits::default()
        };
        let events = Arc::new(std::sync::Mutex::new(Vec::new()));
        let sink = events.clone();
        let progress: ProgressFn = Arc::new(move |p| sink.lock().unwrap().push(p));
        let out = run(
            TEST_SERVICES,
            &sdk,
            "123456789012",
            &regions,
            limits,
            progress,
        )
        .await;
        let find = |check: &str, region: &str| {
            out.iter()
                .find(|l| l.finding.check == check && l.region == region)
                .map(|l| l.finding.clone())
                .unwrap()
        };
        assert_eq!(find("test.slow", "us-east-1").status, EvidenceStatus::Pass);
        let timed_out = find("test.slow", "eu-west-1");
        assert_eq!(timed_out.status, EvidenceStatus::Unknown);
        assert!(
            timed_out.summary.contains("timed out"),
            "{}",
            timed_out.summary
        );
        let panicked = find("test.boom", GLOBAL);
        assert_eq!(panicked.status, EvidenceStatus::Unknown);
        assert_eq!(out.len(), 3);
        // One start and one finish per service and region.
        assert_eq!(events.lock().unwrap().len(), 6);
    }
}
