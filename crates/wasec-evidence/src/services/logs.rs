//! CloudWatch Logs: every log group keeps logs long enough to investigate
//! an incident (at least [`MIN_RETENTION_DAYS`]) and then expires, rather
//! than "never expire" (unbounded growth, no lifecycle) or a short window;
//! log groups use a customer managed KMS key where the team requires it.
//!
//! CloudWatch Logs always encrypts log data at rest with a key it
//! manages, so without a team requirement the encryption check passes and
//! says how many groups use a customer managed key.
//!
//! Calls per region: `DescribeLogGroups` (paginated).

use aws_sdk_cloudwatchlogs::Client;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;

const A_GROUPS: &str = "logs:DescribeLogGroups";

/// Minimum retention (CIS-style one year).
const MIN_RETENTION_DAYS: i32 = 365;
/// Failing groups listed in `resources`; the counts stay exact.
const MAX_RESOURCES: usize = 100;

#[derive(Debug, Clone, PartialEq)]
struct Group {
    arn: String,
    name: String,
    retention_days: Option<i32>,
    kms_key: bool,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let list = client
        .describe_log_groups()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_GROUPS, &e))?;
    let mut groups: Vec<Group> = list
        .iter()
        .map(|g| Group {
            arn: g
                .arn()
                .or(g.log_group_name())
                .unwrap_or_default()
                .trim_end_matches(":*")
                .to_string(),
            name: g.log_group_name().unwrap_or_default().to_string(),
            retention_days: g.retention_in_days(),
            kms_key: g.kms_key_id().is_some_and(|k| !k.is_empty()),
        })
        .collect();
    groups.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(vec![
        eval_retention(&groups),
        eval_encryption(&groups, cx.settings.require_kms),
    ])
}

fn eval_retention(groups: &[Group]) -> Finding {
    let id = CheckId::LogsRetentionSet;
    if groups.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "no log group in this region",
                "このリージョンにロググループはありません"
            ),
        );
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
            id,
            tr!(
                "all {n} log groups keep logs {MIN_RETENTION_DAYS}+ days and then expire",
                "ロググループ {n} 件すべてがログを {MIN_RETENTION_DAYS} 日以上保持し、その後に期限切れになります"
            ),
        );
    }
    let (a, b) = (never.len(), short.len());
    let mut labels: Vec<String> = never
        .iter()
        .map(|g| format!("{} (never expire)", g.name))
        .chain(
            short
                .iter()
                .map(|g| format!("{} ({} days)", g.name, g.retention_days.unwrap_or_default())),
        )
        .collect();
    labels.sort();
    let mut labels_ja: Vec<String> = never
        .iter()
        .map(|g| format!("{}（無期限）", g.name))
        .chain(
            short
                .iter()
                .map(|g| format!("{}（{} 日）", g.name, g.retention_days.unwrap_or_default())),
        )
        .collect();
    labels_ja.sort();
    let (list_en, list_ja) = (sample(&labels, 5), sample(&labels_ja, 5));
    let listed = if a + b > MAX_RESOURCES {
        tr!(
            " (first {MAX_RESOURCES} in resources)",
            "（リソース欄は先頭 {MAX_RESOURCES} 件）"
        )
    } else {
        tr!("", "")
    };
    let (listed_en, listed_ja) = (listed.en, listed.ja);
    Finding::fail(
        id,
        tr!(
            "{n} log groups: {a} never expire, {b} keep logs under {MIN_RETENTION_DAYS} days{listed_en}: {list_en}",
            "ロググループ {n} 件中 {a} 件が無期限、{b} 件が {MIN_RETENTION_DAYS} 日未満の保持です{listed_ja}: {list_ja}"
        ),
    )
    .with_resources(
        never
            .iter()
            .chain(short.iter())
            .take(MAX_RESOURCES)
            .map(|g| g.arn.clone()),
    )
}

fn eval_encryption(groups: &[Group], team_requires_kms: bool) -> Finding {
    let id = CheckId::LogsKmsEncrypted;
    if groups.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "no log group in this region",
                "このリージョンにロググループはありません"
            ),
        );
    }
    let n = groups.len();
    let with_key = groups.iter().filter(|g| g.kms_key).count();
    let plain: Vec<&Group> = groups.iter().filter(|g| !g.kms_key).collect();
    if !team_requires_kms || plain.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} log groups are encrypted at rest (CloudWatch Logs does this by default); {with_key} use a customer managed KMS key",
                "ロググループ {n} 件すべてが保管時に暗号化されています（CloudWatch Logs の既定動作）。うち {with_key} 件がカスタマーマネージドキーを使っています"
            ),
        );
    }
    let k = plain.len();
    let list = sample(&plain.iter().map(|g| g.name.clone()).collect::<Vec<_>>(), 5);
    Finding::fail(
        id,
        tr!(
            "the team requires customer managed KMS keys, but {k} of {n} log groups use only the CloudWatch Logs default key: {list}",
            "チームはカスタマーマネージドキーを求めていますが、ロググループ {n} 件中 {k} 件が CloudWatch Logs の既定のキーのみです: {list}"
        ),
    )
    .with_resources(plain.iter().take(MAX_RESOURCES).map(|g| g.arn.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn group(name: &str, days: Option<i32>) -> Group {
        Group {
            arn: format!("arn:aws:logs:us-east-1:1:log-group:{name}"),
            name: name.into(),
            retention_days: days,
            kms_key: false,
        }
    }

    #[test]
    fn long_retention_passes_and_empty_is_not_applicable() {
        assert_eq!(
            eval_retention(&[group("a", Some(365)), group("b", Some(3653))]).status,
            EvidenceStatus::Pass
        );
        assert_eq!(eval_retention(&[]).status, EvidenceStatus::NotApplicable);
    }

    #[test]
    fn never_expire_and_short_retention_fail_with_the_setting() {
        let f = eval_retention(&[
            group("never", None),
            group("short", Some(30)),
            group("ok", Some(400)),
        ]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec![
                "arn:aws:logs:us-east-1:1:log-group:never",
                "arn:aws:logs:us-east-1:1:log-group:short"
            ]
        );
        assert!(f.summary.en.contains("1 never expire"));
        assert!(f.summary.en.contains("short (30 days)"));
        assert!(f.summary.ja.contains("short（30 日）"));
    }

    #[test]
    fn resources_are_capped_but_counts_exact() {
        let groups: Vec<Group> = (0..150).map(|i| group(&format!("g{i:03}"), None)).collect();
        let f = eval_retention(&groups);
        assert_eq!(f.resources.len(), MAX_RESOURCES);
        assert!(f.summary.en.contains("150 never expire"));
        assert!(f.summary.en.contains("first 100"));
    }

    #[test]
    fn kms_is_judged_only_where_the_team_requires_it() {
        let mut keyed = group("keyed", Some(365));
        keyed.kms_key = true;
        let groups = [keyed, group("plain", Some(365))];
        let f = eval_encryption(&groups, false);
        assert_eq!(f.status, EvidenceStatus::Pass);
        assert!(f.summary.en.contains("1 use a customer managed KMS key"));
        let f = eval_encryption(&groups, true);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec!["arn:aws:logs:us-east-1:1:log-group:plain"]
        );
    }
}
