//! CloudWatch Logs: every log group has a retention period, long enough to
//! investigate an incident (at least [`MIN_RETENTION_DAYS`]), rather than
//! "never expire" (unbounded growth, no lifecycle) or a short window.
//!
//! Calls per Region: `DescribeLogGroups` (paginated).

use aws_sdk_cloudwatchlogs::Client;

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const RETENTION: &str = "logs.retention_set";
const A_GROUPS: &str = "logs:DescribeLogGroups";

/// Minimum retention (CIS-style one year).
const MIN_RETENTION_DAYS: i32 = 365;
/// Failing groups listed in `resources`; the counts stay exact.
const MAX_RESOURCES: usize = 100;

pub const CHECKS: &[CheckMeta] = &[CheckMeta {
    id: RETENTION,
    title_en: "CloudWatch Logs retention set",
    title_ja: "CloudWatch Logs の保持期間の設定",
    bps: &["SEC04-BP01", "SEC07-BP04"],
    service: "logs",
    actions: &[A_GROUPS],
    scope: Scope::Regional,
}];

#[derive(Debug, Clone, PartialEq)]
struct Group {
    arn: String,
    retention_days: Option<i32>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    match client
        .describe_log_groups()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
    {
        Ok(list) => {
            let groups: Vec<Group> = list
                .iter()
                .map(|g| Group {
                    arn: g
                        .arn()
                        .or(g.log_group_name())
                        .unwrap_or_default()
                        .trim_end_matches(":*")
                        .to_string(),
                    retention_days: g.retention_in_days(),
                })
                .collect();
            vec![evaluate(&groups)]
        }
        Err(e) => vec![Finding::unknown_from(RETENTION, A_GROUPS, &e)],
    }
}

fn evaluate(groups: &[Group]) -> Finding {
    if groups.is_empty() {
        return Finding::not_applicable(RETENTION, "no log group in this Region");
    }
    let never: Vec<&Group> = groups
        .iter()
        .filter(|g| g.retention_days.is_none())
        .collect();
    let short: Vec<&Group> = groups
        .iter()
        .filter(|g| g.retention_days.is_some_and(|d| d < MIN_RETENTION_DAYS))
        .collect();
    let n = groups.len();
    if never.is_empty() && short.is_empty() {
        return Finding::pass(
            RETENTION,
            format!("all {n} log group(s) keep logs {MIN_RETENTION_DAYS}+ days and expire"),
        );
    }
    let mut parts = Vec::new();
    if !never.is_empty() {
        parts.push(format!("{} never expire", never.len()));
    }
    if !short.is_empty() {
        parts.push(format!(
            "{} keep logs under {MIN_RETENTION_DAYS} days",
            short.len()
        ));
    }
    let total = never.len() + short.len();
    let listed = if total > MAX_RESOURCES {
        format!(" (first {MAX_RESOURCES} listed)")
    } else {
        String::new()
    };
    Finding::fail(
        RETENTION,
        format!("{n} log group(s): {}{listed}", parts.join(", ")),
    )
    .with_resources(
        never
            .iter()
            .chain(short.iter())
            .take(MAX_RESOURCES)
            .map(|g| g.arn.clone()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn group(arn: &str, days: Option<i32>) -> Group {
        Group {
            arn: arn.into(),
            retention_days: days,
        }
    }

    #[test]
    fn long_retention_passes_and_empty_is_not_applicable() {
        assert_eq!(
            evaluate(&[group("a", Some(365)), group("b", Some(3653))]).status,
            EvidenceStatus::Pass
        );
        assert_eq!(evaluate(&[]).status, EvidenceStatus::NotApplicable);
    }

    #[test]
    fn never_expire_and_short_retention_fail() {
        let f = evaluate(&[
            group("never", None),
            group("short", Some(30)),
            group("ok", Some(400)),
        ]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["never".to_string(), "short".to_string()]);
        assert!(f.summary.contains("1 never expire"));
        assert!(f.summary.contains("1 keep logs under 365 days"));
    }

    #[test]
    fn resources_are_capped_but_counts_exact() {
        let groups: Vec<Group> = (0..150).map(|i| group(&format!("g{i}"), None)).collect();
        let f = evaluate(&groups);
        assert_eq!(f.resources.len(), MAX_RESOURCES);
        assert!(f.summary.contains("150 never expire"));
        assert!(f.summary.contains("first 100 listed"));
    }
}
