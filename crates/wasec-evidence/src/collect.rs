//! One collection run end to end: credentials, identity, regions, checks.

use crate::clients::{self, AwsOptions, RequestCounter};
use crate::registry;
use crate::runner::{self, Limits, Located, ProgressFn};
use aws_config::SdkConfig;
use std::time::Instant;
use time::OffsetDateTime;

/// Which regions to scan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum RegionChoice {
    /// The configured region only (like the AWS CLI).
    #[default]
    Configured,
    /// Every region enabled for the account.
    All,
    List(Vec<String>),
}

impl RegionChoice {
    /// Parse `--regions`: `all` or a comma-separated list.
    pub fn parse(s: &str) -> RegionChoice {
        if s.trim().eq_ignore_ascii_case("all") {
            return RegionChoice::All;
        }
        RegionChoice::List(
            s.split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_string)
                .collect(),
        )
    }
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub account: String,
    pub caller_arn: String,
    pub regions: Vec<String>,
    /// Regions asked for but not scanned, with the reason.
    pub skipped: Vec<(String, String)>,
    pub findings: Vec<Located>,
    pub requests: u64,
    pub started_at: OffsetDateTime,
    pub finished_at: OffsetDateTime,
    pub elapsed: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error("cannot identify the caller (sts:GetCallerIdentity): {0}")]
    Identity(String),
    #[error("no region to scan: {0}")]
    NoRegion(String),
}

/// Collect evidence with the AWS CLI's credential rules.
pub async fn collect(
    opts: &AwsOptions,
    regions: &RegionChoice,
    limits: Limits,
    progress: ProgressFn,
) -> Result<Outcome, CollectError> {
    let counter = RequestCounter::default();
    let sdk = clients::load(opts, &counter).await;
    collect_with(&sdk, &counter, regions, limits, progress).await
}

/// Collect with a ready SDK configuration (tests pass their own).
pub async fn collect_with(
    sdk: &SdkConfig,
    counter: &RequestCounter,
    regions: &RegionChoice,
    limits: Limits,
    progress: ProgressFn,
) -> Result<Outcome, CollectError> {
    let started_at = wasec_core::now();
    let clock = Instant::now();
    let sts = aws_sdk_sts::Client::new(sdk);
    let me = sts.get_caller_identity().send().await.map_err(|e| {
        CollectError::Identity(aws_smithy_types::error::display::DisplayErrorContext(e).to_string())
    })?;
    let account = me.account().unwrap_or_default().to_string();
    let caller_arn = me.arn().unwrap_or_default().to_string();
    let configured = sdk
        .region()
        .map(|r| r.to_string())
        .unwrap_or_else(|| clients::GLOBAL_REGION.to_string());
    let (regions, skipped) = resolve_regions(sdk, regions, &configured).await?;
    let findings = runner::run(
        registry::SERVICES,
        sdk,
        &account,
        &regions,
        limits,
        progress,
    )
    .await;
    Ok(Outcome {
        account,
        caller_arn,
        regions,
        skipped,
        findings,
        requests: counter.get(),
        started_at,
        finished_at: wasec_core::now(),
        elapsed: clock.elapsed(),
    })
}

/// Enabled regions per `ec2:DescribeRegions`; a requested region that is
/// not enabled (opt-in region not opted in) is skipped with a note. When
/// the call is denied, the requested list is trusted as given.
async fn resolve_regions(
    sdk: &SdkConfig,
    choice: &RegionChoice,
    configured: &str,
) -> Result<(Vec<String>, Vec<(String, String)>), CollectError> {
    let ec2 = aws_sdk_ec2::Client::new(sdk);
    let listed = ec2.describe_regions().all_regions(true).send().await;
    let known: Option<Vec<(String, bool)>> = listed.ok().map(|out| {
        out.regions()
            .iter()
            .filter_map(|r| {
                let name = r.region_name()?.to_string();
                let enabled = r.opt_in_status().is_none_or(|s| s != "not-opted-in");
                Some((name, enabled))
            })
            .collect()
    });
    let wanted: Vec<String> = match choice {
        RegionChoice::Configured => vec![configured.to_string()],
        RegionChoice::List(l) => l.clone(),
        RegionChoice::All => match &known {
            Some(k) => k
                .iter()
                .filter(|(_, on)| *on)
                .map(|(n, _)| n.clone())
                .collect(),
            None => {
                return Err(CollectError::NoRegion(
                    "`--regions all` needs ec2:DescribeRegions, which failed".into(),
                ));
            }
        },
    };
    let mut regions = Vec::new();
    let mut skipped = Vec::new();
    for r in wanted {
        match known.as_ref().map(|k| k.iter().find(|(n, _)| *n == r)) {
            Some(Some((_, false))) => {
                skipped.push((r, "not enabled for this account (opt-in region)".into()))
            }
            Some(None) => skipped.push((r, "not a region this account knows".into())),
            _ => {
                if !regions.contains(&r) {
                    regions.push(r)
                }
            }
        }
    }
    if regions.is_empty() {
        return Err(CollectError::NoRegion(
            "none of the requested regions is enabled".into(),
        ));
    }
    regions.sort();
    Ok((regions, skipped))
}

/// Run on a fresh multi-threaded runtime, for callers without one (the CLI).
pub fn collect_blocking(
    opts: &AwsOptions,
    regions: &RegionChoice,
    limits: Limits,
    progress: ProgressFn,
) -> std::io::Result<Result<Outcome, CollectError>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    Ok(rt.block_on(collect(opts, regions, limits, progress)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_choice_parses() {
        assert_eq!(RegionChoice::parse("all"), RegionChoice::All);
        assert_eq!(
            RegionChoice::parse("us-east-1, eu-west-1,"),
            RegionChoice::List(vec!["us-east-1".into(), "eu-west-1".into()])
        );
    }
}
