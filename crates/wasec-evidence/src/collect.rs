//! One collection run end to end: credentials, identity, regions, checks.

use crate::clients::{self, AwsOptions, Clients, RequestCounter};
use crate::contact::{self, ContactError};
use crate::registry;
use crate::runner::{self, Limits, Located, ProgressFn, Target};
use crate::services::Settings;
use crate::tr;
use std::sync::Arc;
use std::time::Instant;
use time::OffsetDateTime;
use wasec_core::Text;

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

/// How to run a collection, beyond where to connect.
#[derive(Debug, Clone, Default)]
pub struct CollectOptions {
    pub regions: RegionChoice,
    pub limits: Limits,
    pub settings: Settings,
}

/// What a run produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub account: String,
    pub caller_arn: String,
    pub regions: Vec<String>,
    /// Regions asked for but not scanned, with the reason.
    pub skipped: Vec<(String, Text)>,
    /// Things the user should know that did not stop the run.
    pub warnings: Vec<Text>,
    pub findings: Vec<Located>,
    pub requests: u64,
    pub started_at: OffsetDateTime,
    pub finished_at: OffsetDateTime,
    pub elapsed: std::time::Duration,
}

/// Collect evidence with the AWS CLI's credential rules.
pub async fn collect(
    opts: &AwsOptions,
    run: &CollectOptions,
    progress: ProgressFn,
) -> Result<Outcome, ContactError> {
    let counter = RequestCounter::default();
    let sdk = clients::load(opts, &counter).await;
    contact::check_credentials(&sdk, opts).await?;
    collect_with(&Clients::new(sdk), &counter, run, progress).await
}

/// Collect with ready clients (tests pass their own, with interceptors).
pub async fn collect_with(
    aws: &Clients,
    counter: &RequestCounter,
    run: &CollectOptions,
    progress: ProgressFn,
) -> Result<Outcome, ContactError> {
    let started_at = wasec_core::now();
    let clock = Instant::now();
    let home = home_region(aws, &run.regions)?;
    let aws = aws.for_region(&home);
    let sts: aws_sdk_sts::Client = aws.client();
    let me = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| contact::explain_call(&e, &contact::sts_host(aws.sdk())))?;
    let account = me.account().unwrap_or_default().to_string();
    let caller_arn = me.arn().unwrap_or_default().to_string();
    let mut warnings = Vec::new();
    let (regions, skipped) = resolve_regions(&aws, &run.regions, &home, &mut warnings).await?;
    let target = Target {
        account: account.clone(),
        regions: regions.clone(),
        settings: Arc::new(run.settings.clone()),
    };
    let findings = runner::run(registry::MODULES, &aws, &target, run.limits, progress).await;
    Ok(Outcome {
        account,
        caller_arn,
        regions,
        skipped,
        warnings,
        findings,
        requests: counter.get(),
        started_at,
        finished_at: wasec_core::now(),
        elapsed: clock.elapsed(),
    })
}

/// Where STS and the region list go: the configured region, else the
/// first requested one, else (for `all`) us-east-1.
pub fn home_region(aws: &Clients, regions: &RegionChoice) -> Result<String, ContactError> {
    match (aws.region(), regions) {
        (Some(r), _) => Ok(r.to_string()),
        (None, RegionChoice::List(l)) if !l.is_empty() => Ok(l[0].clone()),
        (None, RegionChoice::All) => Ok(clients::GLOBAL_REGION.to_string()),
        (None, _) => Err(ContactError::NoRegion),
    }
}

type Resolved = (Vec<String>, Vec<(String, Text)>);

/// Enabled regions per `ec2:DescribeRegions`; a requested region that is
/// not enabled (opt-in region not opted in) is skipped with a note. When
/// the call is denied, the requested list is trusted as given and the user
/// is warned: the first call after sign-in being denied usually means the
/// wasec policy is not attached.
async fn resolve_regions(
    aws: &Clients,
    choice: &RegionChoice,
    home: &str,
    warnings: &mut Vec<Text>,
) -> Result<Resolved, ContactError> {
    let ec2: aws_sdk_ec2::Client = aws.client();
    let listed = ec2.describe_regions().all_regions(true).send().await;
    let known: Option<Vec<(String, bool)>> = match listed {
        Ok(out) => Some(
            out.regions()
                .iter()
                .filter_map(|r| {
                    let name = r.region_name()?.to_string();
                    let enabled = r.opt_in_status().is_none_or(|s| s != "not-opted-in");
                    Some((name, enabled))
                })
                .collect(),
        ),
        Err(e) => {
            let failure = crate::check::Failure::from_sdk("ec2:DescribeRegions", &e);
            if *choice == RegionChoice::All {
                return Err(ContactError::RegionsNotListed {
                    raw: aws_smithy_types::error::display::DisplayErrorContext(&e).to_string(),
                });
            }
            if failure.kind == crate::check::FailureKind::AccessDenied {
                warnings.push(tr!(
                    "the first call (ec2:DescribeRegions) was denied: this identity does not seem to have wasec's read-only policy; attach the policy printed by \"wasec iam-policy\" (iam/wasec-read-only.json). Checks it cannot read are reported as unknown.",
                    "最初の呼び出し（ec2:DescribeRegions）が拒否されました。この ID には wasec の読み取り専用ポリシーがないようです。\"wasec iam-policy\" が出力するポリシー（iam/wasec-read-only.json）をアタッチしてください。読み取れないチェックは「不明」になります。"
                ));
            }
            None
        }
    };
    let wanted: Vec<String> = match choice {
        RegionChoice::Configured => vec![home.to_string()],
        RegionChoice::List(l) => l.clone(),
        RegionChoice::All => known
            .iter()
            .flatten()
            .filter(|(_, on)| *on)
            .map(|(n, _)| n.clone())
            .collect(),
    };
    let mut regions = Vec::new();
    let mut skipped = Vec::new();
    for r in &wanted {
        match known.as_ref().map(|k| k.iter().find(|(n, _)| n == r)) {
            Some(Some((_, false))) => skipped.push((
                r.clone(),
                tr!(
                    "not enabled for this account (opt-in region)",
                    "このアカウントで有効になっていません（オプトインリージョン）"
                ),
            )),
            Some(None) => skipped.push((
                r.clone(),
                tr!(
                    "not a region this account knows",
                    "このアカウントが認識していないリージョンです"
                ),
            )),
            _ => {
                if !regions.contains(r) {
                    regions.push(r.clone())
                }
            }
        }
    }
    if regions.is_empty() {
        return Err(ContactError::NoEnabledRegion { asked: wanted });
    }
    regions.sort();
    Ok((regions, skipped))
}

/// Run on a fresh multi-threaded runtime, for callers without one (the CLI).
pub fn collect_blocking(
    opts: &AwsOptions,
    run: &CollectOptions,
    progress: ProgressFn,
) -> std::io::Result<Result<Outcome, ContactError>> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    Ok(rt.block_on(collect(opts, run, progress)))
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
