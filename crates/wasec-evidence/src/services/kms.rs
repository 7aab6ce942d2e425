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
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::{policy_text_is_public, sample};
use wasec_core::Text;

const A_LIST: &str = "kms:ListKeys";
const A_DESCRIBE: &str = "kms:DescribeKey";
const A_ROTATION: &str = "kms:GetKeyRotationStatus";
const A_POLICY: &str = "kms:GetKeyPolicy";

/// A customer-managed key and what was learned about it.
#[derive(Debug, Clone, PartialEq)]
struct Key {
    arn: String,
    state: KeyState,
    /// Enabled, symmetric, KMS-generated material: rotation applies.
    rotatable: bool,
    /// `None` when not asked (key not rotatable).
    rotation: Option<Result<bool, Failure>>,
    /// `None` when not asked (key pending deletion).
    policy_public: Option<Result<Option<bool>, Failure>>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let entries = client
        .list_keys()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
    let mut described: Vec<Result<Option<Key>, Failure>> = futures::stream::iter(entries)
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
                    .map_err(|e| Failure::from_sdk(A_DESCRIBE, &e))?;
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
                            .map_err(|e| Failure::from_sdk(A_ROTATION, &e)),
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
                            .map(|p| p.policy().and_then(policy_text_is_public))
                            .map_err(|e| Failure::from_sdk(A_POLICY, &e)),
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
    described.sort_by(|a, b| match (a, b) {
        (Ok(Some(x)), Ok(Some(y))) => x.arn.cmp(&y.arn),
        _ => std::cmp::Ordering::Equal,
    });
    Ok(evaluate(&described))
}

fn is_pending(state: &KeyState) -> bool {
    matches!(
        state,
        KeyState::PendingDeletion | KeyState::PendingReplicaDeletion
    )
}

fn evaluate(described: &[Result<Option<Key>, Failure>]) -> Vec<Finding> {
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
    id: CheckId,
    judged: usize,
    bad: Vec<String>,
    error: Option<&Failure>,
    fail: (&str, &str),
    pass: Text,
    none: Text,
) -> Finding {
    if !bad.is_empty() {
        let (k, list) = (bad.len(), sample(&bad, 5));
        let (en, ja) = fail;
        Finding::fail(
            id,
            tr!(
                "{k} of {judged} {en}: {list}",
                "{judged} 件中 {k} 件の{ja}: {list}"
            ),
        )
        .with_resources(bad)
    } else if let Some(f) = error {
        f.finding(id)
    } else if judged == 0 {
        Finding::not_applicable(id, none)
    } else {
        Finding::pass(id, pass)
    }
}

fn eval_rotation(keys: &[&Key], describe_err: Option<&Failure>) -> Finding {
    let judged: Vec<&Key> = keys.iter().copied().filter(|k| k.rotatable).collect();
    let bad: Vec<String> = judged
        .iter()
        .filter(|k| matches!(k.rotation, Some(Ok(false))))
        .map(|k| k.arn.clone())
        .collect();
    let error = describe_err.or_else(|| {
        judged.iter().find_map(|k| match &k.rotation {
            Some(Err(e)) => Some(e),
            _ => None,
        })
    });
    let n = judged.len();
    verdict(
        CheckId::KmsCmkRotation,
        n,
        bad,
        error,
        (
            "enabled symmetric customer managed keys do not rotate automatically",
            "有効な対称カスタマーマネージドキーが自動ローテーションされていません",
        ),
        tr!(
            "all {n} enabled symmetric customer managed keys rotate automatically",
            "有効な対称カスタマーマネージドキー {n} 件すべてが自動ローテーションされています"
        ),
        tr!(
            "no enabled symmetric customer managed key in this region",
            "このリージョンに有効な対称カスタマーマネージドキーはありません"
        ),
    )
}

fn eval_pending(keys: &[&Key], describe_err: Option<&Failure>) -> Finding {
    let bad: Vec<String> = keys
        .iter()
        .filter(|k| is_pending(&k.state))
        .map(|k| k.arn.clone())
        .collect();
    let n = keys.len();
    verdict(
        CheckId::KmsKeysNotPendingDeletion,
        n,
        bad,
        describe_err,
        (
            "customer managed keys are scheduled for deletion (confirm this is intended)",
            "カスタマーマネージドキーが削除予定です（意図どおりか確認してください）",
        ),
        tr!(
            "none of {n} customer managed keys is scheduled for deletion",
            "カスタマーマネージドキー {n} 件のいずれも削除予定ではありません"
        ),
        tr!(
            "no customer managed key in this region",
            "このリージョンにカスタマーマネージドキーはありません"
        ),
    )
}

fn eval_policy(keys: &[&Key], describe_err: Option<&Failure>) -> Finding {
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
    let error = describe_err.or_else(|| {
        judged.iter().find_map(|k| match &k.policy_public {
            Some(Err(e)) => Some(e),
            _ => None,
        })
    });
    let n = judged.len();
    let public = !bad.is_empty();
    verdict(
        CheckId::KmsKeyPolicyNotPublic,
        n,
        bad,
        error,
        (
            "key policies let any AWS principal in without a limiting condition",
            "キーポリシーが条件による制限なしに任意の AWS プリンシパルを許可しています",
        ),
        tr!(
            "none of {n} key policies is public",
            "キーポリシー {n} 件のいずれも公開されていません"
        ),
        tr!(
            "no customer managed key in this region",
            "このリージョンにカスタマーマネージドキーはありません"
        ),
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

    fn denied(action: &'static str) -> Failure {
        Failure::new(
            action,
            crate::check::FailureKind::AccessDenied,
            "AccessDeniedException",
        )
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
        assert!(f[0].summary.en.starts_with("1 of 2"));
        assert!(f[0].summary.en.ends_with(": k1"));
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
        k.rotation = Some(Err(denied(A_ROTATION)));
        let f = evaluate(&[Ok(Some(k))]);
        assert_eq!(f[0].status, EvidenceStatus::Unknown);
        assert!(f[0].summary.en.contains(A_ROTATION));
        let mut bad = key("k2");
        bad.rotation = Some(Ok(false));
        let f = evaluate(&[Err(denied(A_DESCRIBE)), Ok(Some(bad))]);
        assert_eq!(f[0].status, EvidenceStatus::Fail);
        assert_eq!(f[1].status, EvidenceStatus::Unknown);
        assert!(f[1].summary.en.contains(A_DESCRIBE));
    }
}
