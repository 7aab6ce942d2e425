//! Secrets Manager: automatic rotation on and recent, no long-unused
//! secrets, no public resource policies.
//!
//! Calls per Region: `ListSecrets` (paginated; carries rotation and access
//! dates) and `GetResourcePolicy` per secret.

use aws_sdk_secretsmanager::Client;
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use super::accessanalyzer::policy_is_public;
use crate::check::{CheckMeta, Finding, Scope};

const ROTATION: &str = "secrets.secrets_manager_rotation";
const UNUSED: &str = "secrets.unused";
const POLICY: &str = "resource_policies.not_public";

const A_LIST: &str = "secretsmanager:ListSecrets";
const A_POLICY: &str = "secretsmanager:GetResourcePolicy";

/// Rotation and use are expected at least this often (as FSBP
/// SecretsManager.3/.4 defaults).
const MAX_AGE_DAYS: i64 = 90;
const DAY: i64 = 86_400;

/// Every check id this module reports; `resource_policies.not_public` is declared in `kms`.
const EMITS: &[&str] = &[ROTATION, UNUSED, POLICY];

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: ROTATION,
        title_en: "Secrets Manager automatic rotation",
        title_ja: "Secrets Manager シークレットの自動ローテーション",
        bps: &["SEC02-BP03", "SEC02-BP05"],
        service: "secretsmanager",
        actions: &[A_LIST],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: UNUSED,
        title_en: "No unused secrets",
        title_ja: "未使用のシークレットがないこと",
        bps: &["SEC02-BP05", "SEC03-BP06"],
        service: "secretsmanager",
        actions: &[A_LIST],
        scope: Scope::Regional,
    },
];

/// Dates are seconds since the epoch.
#[derive(Debug, Clone, PartialEq)]
struct Secret {
    arn: String,
    rotation_enabled: bool,
    created: Option<i64>,
    last_rotated: Option<i64>,
    last_accessed: Option<i64>,
    /// `Ok(None)`: no policy or unparsable policy.
    policy_public: Result<Option<bool>, ErrorMetadata>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let list = match client
        .list_secrets()
        .into_paginator()
        .send()
        .try_collect()
        .await
    {
        // This paginator has no item view; flatten the pages.
        Ok(pages) => pages
            .iter()
            .flat_map(|p| p.secret_list().iter().cloned())
            .collect::<Vec<_>>(),
        Err(e) => {
            return EMITS
                .iter()
                .map(|id| Finding::unknown_from(id, A_LIST, &e))
                .collect();
        }
    };
    let secrets: Vec<Secret> = futures::stream::iter(list)
        .map(|s| {
            let client = client.clone();
            async move {
                let arn = s.arn().or(s.name()).unwrap_or_default().to_string();
                let policy_public = client
                    .get_resource_policy()
                    .secret_id(&arn)
                    .send()
                    .await
                    .map(|p| p.resource_policy().and_then(policy_is_public))
                    .map_err(|e| e.meta().clone());
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
    evaluate(&secrets, time::OffsetDateTime::now_utc().unix_timestamp())
}

fn evaluate(secrets: &[Secret], now: i64) -> Vec<Finding> {
    if secrets.is_empty() {
        return EMITS
            .iter()
            .map(|id| Finding::not_applicable(id, "no secret in this Region"))
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
    let off: Vec<&Secret> = secrets.iter().filter(|s| !s.rotation_enabled).collect();
    // A secret never rotated counts from its creation.
    let stale: Vec<&Secret> = secrets
        .iter()
        .filter(|s| s.rotation_enabled && older_than_limit(s.last_rotated.or(s.created), now))
        .collect();
    let n = secrets.len();
    if off.is_empty() && stale.is_empty() {
        return Finding::pass(
            ROTATION,
            format!("all {n} secret(s) rotate automatically, last within {MAX_AGE_DAYS} days"),
        );
    }
    let mut parts = Vec::new();
    if !off.is_empty() {
        parts.push(format!("{} without automatic rotation", off.len()));
    }
    if !stale.is_empty() {
        parts.push(format!(
            "{} not rotated for over {MAX_AGE_DAYS} days",
            stale.len()
        ));
    }
    Finding::fail(ROTATION, format!("{n} secret(s): {}", parts.join(", ")))
        .with_resources(off.iter().chain(stale.iter()).map(|s| s.arn.clone()))
}

fn eval_unused(secrets: &[Secret], now: i64) -> Finding {
    // Never-accessed secrets count from their creation.
    let bad: Vec<String> = secrets
        .iter()
        .filter(|s| older_than_limit(s.last_accessed.or(s.created), now))
        .map(|s| s.arn.clone())
        .collect();
    let n = secrets.len();
    if bad.is_empty() {
        Finding::pass(
            UNUSED,
            format!("all {n} secret(s) were used within {MAX_AGE_DAYS} days"),
        )
    } else {
        Finding::fail(
            UNUSED,
            format!(
                "{} of {n} secret(s) not accessed for over {MAX_AGE_DAYS} days",
                bad.len()
            ),
        )
        .with_resources(bad)
    }
}

fn eval_policy(secrets: &[Secret]) -> Finding {
    let bad: Vec<String> = secrets
        .iter()
        .filter(|s| matches!(s.policy_public, Ok(Some(true))))
        .map(|s| s.arn.clone())
        .collect();
    let n = secrets.len();
    if !bad.is_empty() {
        return Finding::fail(
            POLICY,
            format!(
                "{} of {n} secret policy(ies) allow any AWS principal",
                bad.len()
            ),
        )
        .with_resources(bad)
        .public(true);
    }
    match secrets.iter().find_map(|s| s.policy_public.as_ref().err()) {
        Some(e) => Finding::unknown_from(POLICY, A_POLICY, e),
        None => Finding::pass(POLICY, format!("none of {n} secret policy(ies) is public")),
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
        assert!(f.summary.contains("1 without automatic rotation"));
    }

    #[test]
    fn unused_secret_fails_but_new_secret_does_not() {
        let mut old = secret("old");
        old.last_accessed = Some(NOW - 120 * DAY);
        let mut fresh = secret("fresh");
        fresh.created = Some(NOW - 5 * DAY);
        fresh.last_accessed = None;
        let f = eval_unused(&[old, fresh], NOW);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["old".to_string()]);
    }

    #[test]
    fn public_policy_fails_and_errors_are_unknown() {
        let mut p = secret("p");
        p.policy_public = Ok(Some(true));
        let f = eval_policy(&[p]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        let mut e = secret("e");
        e.policy_public = Err(ErrorMetadata::builder()
            .code("AccessDeniedException")
            .build());
        assert_eq!(
            eval_policy(&[e, secret("ok")]).status,
            EvidenceStatus::Unknown
        );
    }
}
