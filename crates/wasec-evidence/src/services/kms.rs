//! KMS: customer-managed key rotation, keys pending deletion, key policies
//! not public.
//!
//! Calls per Region: `ListKeys` (paginated), `DescribeKey` per key (to tell
//! AWS-managed from customer-managed keys), then only for customer-managed
//! keys `GetKeyPolicy`, and `GetKeyRotationStatus` for the enabled
//! symmetric keys with KMS-generated material (the only ones that can
//! rotate automatically).

use aws_sdk_kms::Client;
use aws_sdk_kms::types::{KeyManagerType, KeySpec, KeyState, OriginType};
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use super::accessanalyzer::policy_is_public;
use crate::check::{CheckMeta, Finding, Scope};

const ROTATION: &str = "kms.cmk_rotation";
const PENDING: &str = "kms.keys_not_pending_deletion";
const POLICY: &str = "resource_policies.not_public";

const A_LIST: &str = "kms:ListKeys";
const A_DESCRIBE: &str = "kms:DescribeKey";
const A_ROTATION: &str = "kms:GetKeyRotationStatus";
const A_POLICY: &str = "kms:GetKeyPolicy";

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: ROTATION,
        title_en: "Automatic rotation of customer-managed KMS keys",
        title_ja: "カスタマーマネージドキーの自動ローテーション",
        bps: &["SEC02-BP05", "SEC08-BP01"],
        service: "kms",
        actions: &[A_LIST, A_DESCRIBE, A_ROTATION],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: PENDING,
        title_en: "KMS keys not scheduled for deletion",
        title_ja: "削除予定の KMS キーがないこと",
        bps: &["SEC08-BP01"],
        service: "kms",
        actions: &[A_LIST, A_DESCRIBE],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: POLICY,
        title_en: "Resource-based policies not public",
        title_ja: "リソースベースポリシーが公開されていないこと",
        bps: &["SEC03-BP07", "SEC08-BP04"],
        service: "kms",
        // Declared once for every module that reads resource policies
        // (Lambda, ECR and Secrets Manager report under this id too).
        actions: &[
            A_LIST,
            A_DESCRIBE,
            A_POLICY,
            "lambda:GetPolicy",
            "ecr:GetRepositoryPolicy",
            "secretsmanager:GetResourcePolicy",
        ],
        scope: Scope::Regional,
    },
];

/// A customer-managed key and what was learned about it.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    arn: String,
    state: KeyState,
    /// Enabled, symmetric, KMS-generated material: rotation applies.
    rotatable: bool,
    /// `None` when not asked (key not rotatable).
    rotation: Option<Result<bool, ErrorMetadata>>,
    /// `None` when not asked (key pending deletion).
    policy_public: Option<Result<Option<bool>, ErrorMetadata>>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let entries = match client
        .list_keys()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
    {
        Ok(e) => e,
        Err(e) => {
            return CHECKS
                .iter()
                .map(|c| Finding::unknown_from(c.id, A_LIST, &e))
                .collect();
        }
    };
    let described: Vec<Result<Option<Key>, ErrorMetadata>> = futures::stream::iter(entries)
        .map(|entry| {
            let client = client.clone();
            async move {
                let id = entry
                    .key_arn()
                    .or(entry.key_id())
                    .unwrap_or_default()
                    .to_string();
                let meta = client
                    .describe_key()
                    .key_id(&id)
                    .send()
                    .await
                    .map_err(|e| e.meta().clone())?;
                let Some(m) = meta.key_metadata() else {
                    return Ok(None);
                };
                if m.key_manager() != Some(&KeyManagerType::Customer) {
                    return Ok(None);
                }
                let state = m.key_state().cloned().unwrap_or(KeyState::Enabled);
                let rotatable = state == KeyState::Enabled
                    && m.key_spec().is_none_or(|s| *s == KeySpec::SymmetricDefault)
                    && m.origin().is_none_or(|o| *o == OriginType::AwsKms);
                let arn = m.arn().unwrap_or(&id).to_string();
                let rotation = if rotatable {
                    Some(
                        client
                            .get_key_rotation_status()
                            .key_id(&arn)
                            .send()
                            .await
                            .map(|r| r.key_rotation_enabled())
                            .map_err(|e| e.meta().clone()),
                    )
                } else {
                    None
                };
                let policy_public = if is_pending(&state) {
                    None
                } else {
                    Some(
                        client
                            .get_key_policy()
                            .key_id(&arn)
                            .policy_name("default")
                            .send()
                            .await
                            .map(|p| p.policy().and_then(policy_is_public))
                            .map_err(|e| e.meta().clone()),
                    )
                };
                Ok(Some(Key {
                    arn,
                    state,
                    rotatable,
                    rotation,
                    policy_public,
                }))
            }
        })
        .buffered(4)
        .collect()
        .await;
    evaluate(&described)
}

fn is_pending(state: &KeyState) -> bool {
    matches!(
        state,
        KeyState::PendingDeletion | KeyState::PendingReplicaDeletion
    )
}

fn evaluate(described: &[Result<Option<Key>, ErrorMetadata>]) -> Vec<Finding> {
    let keys: Vec<&Key> = described
        .iter()
        .filter_map(|k| k.as_ref().ok().and_then(Option::as_ref))
        .collect();
    let describe_err = described.iter().find_map(|k| k.as_ref().err());
    vec![
        eval_rotation(&keys, describe_err),
        eval_pending(&keys, describe_err),
        eval_policy(&keys, describe_err),
    ]
}

/// Shared tail: fail if anything failed, else unknown on any error, else pass
/// (or not applicable when there was nothing to judge).
fn verdict(
    check: &'static str,
    judged: usize,
    bad: Vec<String>,
    error: Option<(&str, &ErrorMetadata)>,
    fail: String,
    pass: String,
    none: &str,
) -> Finding {
    if !bad.is_empty() {
        Finding::fail(check, fail).with_resources(bad)
    } else if let Some((action, e)) = error {
        Finding::unknown_from(check, action, e)
    } else if judged == 0 {
        Finding::not_applicable(check, none)
    } else {
        Finding::pass(check, pass)
    }
}

fn eval_rotation(keys: &[&Key], describe_err: Option<&ErrorMetadata>) -> Finding {
    let judged: Vec<&Key> = keys.iter().copied().filter(|k| k.rotatable).collect();
    let bad: Vec<String> = judged
        .iter()
        .filter(|k| matches!(k.rotation, Some(Ok(false))))
        .map(|k| k.arn.clone())
        .collect();
    let error = describe_err.map(|e| (A_DESCRIBE, e)).or_else(|| {
        judged.iter().find_map(|k| match &k.rotation {
            Some(Err(e)) => Some((A_ROTATION, e)),
            _ => None,
        })
    });
    let n = judged.len();
    verdict(
        ROTATION,
        n,
        bad.clone(),
        error,
        format!(
            "{} of {n} enabled symmetric customer-managed key(s) without automatic rotation",
            bad.len()
        ),
        format!("all {n} enabled symmetric customer-managed key(s) rotate automatically"),
        "no enabled symmetric customer-managed key in this Region",
    )
}

fn eval_pending(keys: &[&Key], describe_err: Option<&ErrorMetadata>) -> Finding {
    let bad: Vec<String> = keys
        .iter()
        .filter(|k| is_pending(&k.state))
        .map(|k| k.arn.clone())
        .collect();
    let n = keys.len();
    verdict(
        PENDING,
        n,
        bad.clone(),
        describe_err.map(|e| (A_DESCRIBE, e)),
        format!(
            "{} customer-managed key(s) scheduled for deletion: confirm this is intended",
            bad.len()
        ),
        format!("none of {n} customer-managed key(s) is scheduled for deletion"),
        "no customer-managed key in this Region",
    )
}

fn eval_policy(keys: &[&Key], describe_err: Option<&ErrorMetadata>) -> Finding {
    let judged: Vec<&Key> = keys
        .iter()
        .copied()
        .filter(|k| k.policy_public.is_some())
        .collect();
    let bad: Vec<String> = judged
        .iter()
        .filter(|k| matches!(k.policy_public, Some(Ok(Some(true)))))
        .map(|k| k.arn.clone())
        .collect();
    let error = describe_err.map(|e| (A_DESCRIBE, e)).or_else(|| {
        judged.iter().find_map(|k| match &k.policy_public {
            Some(Err(e)) => Some((A_POLICY, e)),
            _ => None,
        })
    });
    let n = judged.len();
    let public = !bad.is_empty();
    verdict(
        POLICY,
        n,
        bad.clone(),
        error,
        format!(
            "{} KMS key policy(ies) allow any AWS principal without a limiting condition",
            bad.len()
        ),
        format!("none of {n} KMS key policy(ies) is public"),
        "no customer-managed KMS key in this Region",
    )
    .public(public)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn key(arn: &str) -> Key {
        Key {
            arn: arn.into(),
            state: KeyState::Enabled,
            rotatable: true,
            rotation: Some(Ok(true)),
            policy_public: Some(Ok(Some(false))),
        }
    }

    fn denied() -> ErrorMetadata {
        ErrorMetadata::builder()
            .code("AccessDeniedException")
            .build()
    }

    #[test]
    fn healthy_keys_pass_everything() {
        let f = evaluate(&[Ok(Some(key("k1"))), Ok(None)]);
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Pass), "{f:?}");
        assert!(!f[2].public);
    }

    #[test]
    fn only_aws_managed_keys_is_not_applicable() {
        let f = evaluate(&[Ok(None)]);
        assert!(f.iter().all(|x| x.status == EvidenceStatus::NotApplicable));
    }

    #[test]
    fn rotation_off_fails_and_lists_key() {
        let mut k = key("k1");
        k.rotation = Some(Ok(false));
        let f = evaluate(&[Ok(Some(k)), Ok(Some(key("k2")))]);
        assert_eq!(f[0].status, EvidenceStatus::Fail);
        assert_eq!(f[0].resources, vec!["k1".to_string()]);
        assert!(f[0].summary.starts_with("1 of 2"));
    }

    #[test]
    fn asymmetric_or_imported_keys_are_not_judged_for_rotation() {
        let mut k = key("k1");
        k.rotatable = false;
        k.rotation = None;
        assert_eq!(
            evaluate(&[Ok(Some(k))])[0].status,
            EvidenceStatus::NotApplicable
        );
    }

    #[test]
    fn pending_deletion_fails() {
        let mut k = key("k1");
        k.state = KeyState::PendingDeletion;
        k.rotatable = false;
        k.rotation = None;
        k.policy_public = None;
        let f = evaluate(&[Ok(Some(k))]);
        assert_eq!(f[1].status, EvidenceStatus::Fail);
        assert_eq!(f[1].resources, vec!["k1".to_string()]);
    }

    #[test]
    fn public_policy_fails_and_is_public() {
        let mut k = key("k1");
        k.policy_public = Some(Ok(Some(true)));
        let f = evaluate(&[Ok(Some(k))]);
        assert_eq!(f[2].status, EvidenceStatus::Fail);
        assert!(f[2].public);
    }

    #[test]
    fn errors_are_unknown_but_do_not_hide_failures() {
        let mut k = key("k1");
        k.rotation = Some(Err(denied()));
        let f = evaluate(&[Ok(Some(k))]);
        assert_eq!(f[0].status, EvidenceStatus::Unknown);
        assert!(f[0].summary.contains(A_ROTATION));
        let mut bad = key("k2");
        bad.rotation = Some(Ok(false));
        let f = evaluate(&[Err(denied()), Ok(Some(bad))]);
        assert_eq!(f[0].status, EvidenceStatus::Fail);
        assert_eq!(f[1].status, EvidenceStatus::Unknown);
        assert!(f[1].summary.contains(A_DESCRIBE));
    }
}
