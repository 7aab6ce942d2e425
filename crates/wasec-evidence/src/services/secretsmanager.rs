//! Secrets Manager: automatic rotation on and recent, no long-unused
//! secrets, no public resource policies.
//!
//! Calls per Region: `ListSecrets` (paginated; carries rotation and access
//! dates) and `GetResourcePolicy` per secret.

use aws_sdk_secretsmanager::Client;
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::{policy_text_is_public, sample};

const A_LIST: &str = "secretsmanager:ListSecrets";
const A_POLICY: &str = "secretsmanager:GetResourcePolicy";

/// Rotation and use are expected at least this often (as Security Hub
/// SecretsManager.3/.4 defaults).
const MAX_AGE_DAYS: i64 = 90;
const DAY: i64 = 86_400;

/// Dates are seconds since the epoch.
#[derive(Debug, Clone, PartialEq)]
struct Secret {
    arn: String,
    rotation_enabled: bool,
    created: Option<i64>,
    last_rotated: Option<i64>,
    last_accessed: Option<i64>,
    /// `Ok(None)`: no policy or unparsable policy.
    policy_public: Result<Option<bool>, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    // This paginator has no item view; flatten the pages.
    let list: Vec<_> = client
        .list_secrets()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?
        .iter()
        .flat_map(|p| p.secret_list().iter().cloned())
        .collect();
    let mut secrets: Vec<Secret> = futures::stream::iter(list)
        .map(|s| {
            let client = client.clone();
            async move {
                let arn = s.arn().or(s.name()).unwrap_or_default().to_string();
                let policy_public = client
                    .get_resource_policy()
                    .secret_id(&arn)
                    .send()
                    .await
                    .map(|p| p.resource_policy().and_then(policy_text_is_public))
                    .map_err(|e| Failure::from_sdk(A_POLICY, &e));
                Secret {
                    arn,
                    rotation_enabled: s.rotation_enabled().unwrap_or(false),
                    created: s.created_date().map(|d| d.secs()),
                    last_rotated: s.last_rotated_date().map(|d| d.secs()),
                    last_accessed: s.last_accessed_date().map(|d| d.secs()),
                    policy_public,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    secrets.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(evaluate(
        &secrets,
        time::OffsetDateTime::now_utc().unix_timestamp(),
    ))
}

fn evaluate(secrets: &[Secret], now: i64) -> Vec<Finding> {
    use CheckId::*;
    if secrets.is_empty() {
        let none = tr!(
            "no secret in this region",
            "このリージョンにシークレットはありません"
        );
        return [
            SecretsSecretsManagerRotation,
            SecretsUnused,
            SecretsManagerPolicyNotPublic,
        ]
        .into_iter()
        .map(|id| Finding::not_applicable(id, none.clone()))
        .collect();
    }
    vec![
        eval_rotation(secrets, now),
        eval_unused(secrets, now),
        eval_policy(secrets),
    ]
}

fn older_than_limit(t: Option<i64>, now: i64) -> bool {
    t.is_some_and(|t| now - t > MAX_AGE_DAYS * DAY)
}

fn eval_rotation(secrets: &[Secret], now: i64) -> Finding {
    let id = CheckId::SecretsSecretsManagerRotation;
    let off: Vec<&Secret> = secrets.iter().filter(|s| !s.rotation_enabled).collect();
    // A secret never rotated counts from its creation.
    let stale: Vec<&Secret> = secrets
        .iter()
        .filter(|s| s.rotation_enabled && older_than_limit(s.last_rotated.or(s.created), now))
        .collect();
    let n = secrets.len();
    if off.is_empty() && stale.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} secrets rotate automatically, last within {MAX_AGE_DAYS} days",
                "シークレット {n} 件すべてが自動ローテーションされ、直近 {MAX_AGE_DAYS} 日以内にローテーションされています"
            ),
        );
    }
    let (a, b) = (off.len(), stale.len());
    let en: Vec<String> = off
        .iter()
        .map(|s| format!("{} (rotation off)", s.arn))
        .chain(
            stale
                .iter()
                .map(|s| format!("{} (not rotated for {MAX_AGE_DAYS}+ days)", s.arn)),
        )
        .collect();
    let ja: Vec<String> = off
        .iter()
        .map(|s| format!("{}（ローテーション無効）", s.arn))
        .chain(
            stale
                .iter()
                .map(|s| format!("{}（{MAX_AGE_DAYS} 日以上未ローテーション）", s.arn)),
        )
        .collect();
    let (list_en, list_ja) = (sample(&en, 5), sample(&ja, 5));
    Finding::fail(
        id,
        tr!(
            "{n} secrets: {a} without automatic rotation, {b} not rotated for over {MAX_AGE_DAYS} days: {list_en}",
            "シークレット {n} 件中 {a} 件が自動ローテーションなし、{b} 件が {MAX_AGE_DAYS} 日以上ローテーションされていません: {list_ja}"
        ),
    )
    .with_resources(off.iter().chain(stale.iter()).map(|s| s.arn.clone()))
}

/// Secrets old enough to have gone unused for 90 days must have been used
/// within 90 days. Younger secrets cannot tell either way, so a region
/// whose secrets are all new is `not_applicable`, not evidence that unused
/// secrets are removed.
fn eval_unused(secrets: &[Secret], now: i64) -> Finding {
    let id = CheckId::SecretsUnused;
    let old: Vec<&Secret> = secrets
        .iter()
        .filter(|s| older_than_limit(s.created, now))
        .collect();
    if old.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "no secret is older than {MAX_AGE_DAYS} days, so none could have gone unused that long",
                "作成から {MAX_AGE_DAYS} 日を超えたシークレットがないため、未使用のシークレットは判断できません"
            ),
        );
    }
    // Never-accessed secrets count from their creation.
    let bad: Vec<String> = old
        .iter()
        .filter(|s| older_than_limit(s.last_accessed.or(s.created), now))
        .map(|s| s.arn.clone())
        .collect();
    let n = old.len();
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} secrets older than {MAX_AGE_DAYS} days were used within {MAX_AGE_DAYS} days",
                "作成から {MAX_AGE_DAYS} 日を超えたシークレット {n} 件はすべて直近 {MAX_AGE_DAYS} 日以内に使われています"
            ),
        );
    }
    let (k, list) = (bad.len(), sample(&bad, 5));
    Finding::fail(
        id,
        tr!(
            "{k} of {n} secrets older than {MAX_AGE_DAYS} days were not accessed in the last {MAX_AGE_DAYS} days: {list}",
            "作成から {MAX_AGE_DAYS} 日を超えたシークレット {n} 件中 {k} 件が直近 {MAX_AGE_DAYS} 日間アクセスされていません: {list}"
        ),
    )
    .with_resources(bad)
}

fn eval_policy(secrets: &[Secret]) -> Finding {
    let id = CheckId::SecretsManagerPolicyNotPublic;
    let bad: Vec<String> = secrets
        .iter()
        .filter(|s| matches!(s.policy_public, Ok(Some(true))))
        .map(|s| s.arn.clone())
        .collect();
    let n = secrets.len();
    if !bad.is_empty() {
        let (k, list) = (bad.len(), sample(&bad, 5));
        return Finding::fail(
            id,
            tr!(
                "{k} of {n} secret policies let any AWS principal in: {list}",
                "シークレットのポリシー {n} 件中 {k} 件が任意の AWS プリンシパルを許可しています: {list}"
            ),
        )
        .with_resources(bad)
        .public(true);
    }
    match secrets.iter().find_map(|s| s.policy_public.as_ref().err()) {
        Some(f) => f.finding(id),
        None => Finding::pass(
            id,
            tr!(
                "none of {n} secret policies is public",
                "シークレットのポリシー {n} 件のいずれも公開されていません"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    const NOW: i64 = 1_800_000_000;

    fn secret(arn: &str) -> Secret {
        Secret {
            arn: arn.into(),
            rotation_enabled: true,
            created: Some(NOW - 400 * DAY),
            last_rotated: Some(NOW - 10 * DAY),
            last_accessed: Some(NOW - DAY),
            policy_public: Ok(None),
        }
    }

    #[test]
    fn no_secrets_is_not_applicable() {
        assert!(
            evaluate(&[], NOW)
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }

    #[test]
    fn rotated_used_private_secret_passes() {
        let f = evaluate(&[secret("a")], NOW);
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Pass), "{f:?}");
    }

    #[test]
    fn rotation_off_or_stale_fails() {
        let mut off = secret("off");
        off.rotation_enabled = false;
        let mut stale = secret("stale");
        stale.last_rotated = None; // never rotated, created 400 days ago
        let f = eval_rotation(&[off, stale, secret("ok")], NOW);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["off".to_string(), "stale".to_string()]);
        assert!(f.summary.en.contains("1 without automatic rotation"));
        assert!(f.summary.en.contains("off (rotation off)"));
    }

    #[test]
    fn unused_secret_fails_but_new_secret_does_not() {
        let mut old = secret("old");
        old.last_accessed = Some(NOW - 120 * DAY);
        let mut fresh = secret("fresh");
        fresh.created = Some(NOW - 5 * DAY);
        fresh.last_accessed = None;
        let f = eval_unused(&[old, fresh.clone()], NOW);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["old".to_string()]);
        // Only new secrets: nothing to judge, and no evidence either way.
        assert_eq!(
            eval_unused(&[fresh], NOW).status,
            EvidenceStatus::NotApplicable
        );
    }

    #[test]
    fn public_policy_fails_and_errors_are_unknown() {
        let mut p = secret("p");
        p.policy_public = Ok(Some(true));
        let f = eval_policy(&[p]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        let mut e = secret("e");
        e.policy_public = Err(Failure::new(
            A_POLICY,
            crate::check::FailureKind::AccessDenied,
            "AccessDeniedException",
        ));
        assert_eq!(
            eval_policy(&[e, secret("ok")]).status,
            EvidenceStatus::Unknown
        );
    }
}
