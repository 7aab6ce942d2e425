//! AWS Backup: plans exist and have resources assigned; a vault is locked
//! (WORM) so backups survive a compromised account.
//!
//! Calls per Region: `ListBackupPlans` and `ListBackupVaults` (paginated,
//! concurrent), then one `ListBackupSelections` page of size 1 per plan
//! (enough to know whether anything is assigned).
//! Vaults are always encrypted by AWS Backup, so encryption is not judged.

use aws_sdk_backup::Client;
use aws_sdk_backup::types::VaultType;
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const PLANS: &str = "backup.plans_and_vault_lock";

const A_PLANS: &str = "backup:ListBackupPlans";
const A_SELECTIONS: &str = "backup:ListBackupSelections";
const A_VAULTS: &str = "backup:ListBackupVaults";

pub const CHECKS: &[CheckMeta] = &[CheckMeta {
    id: PLANS,
    title_en: "AWS Backup plans with resources and a locked vault",
    title_ja: "AWS Backup プランの割り当てとボールトロック",
    bps: &["SEC07-BP04", "SEC10-BP03"],
    service: "backup",
    actions: &[A_PLANS, A_SELECTIONS, A_VAULTS],
    scope: Scope::Regional,
}];

#[derive(Debug, Clone, PartialEq)]
struct Plan {
    arn: String,
    assigned: Result<bool, ErrorMetadata>,
}

#[derive(Debug, Clone, PartialEq)]
struct Vault {
    arn: String,
    locked: bool,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let (plans, vaults) = futures::join!(
        client
            .list_backup_plans()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
        client
            .list_backup_vaults()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    );
    let plans = match plans {
        Err(e) => return vec![Finding::unknown_from(PLANS, A_PLANS, &e)],
        Ok(p) => p,
    };
    let vaults: Vec<Vault> = match vaults {
        Err(e) => return vec![Finding::unknown_from(PLANS, A_VAULTS, &e)],
        Ok(v) => v
            .iter()
            .map(|v| Vault {
                arn: v.backup_vault_arn().unwrap_or_default().to_string(),
                // Logically air-gapped vaults are always locked in compliance mode.
                locked: v.locked().unwrap_or(false)
                    || v.vault_type() == Some(&VaultType::LogicallyAirGappedBackupVault),
            })
            .collect(),
    };
    let plans: Vec<Plan> = futures::stream::iter(plans)
        .map(|p| {
            let client = client.clone();
            async move {
                let assigned = client
                    .list_backup_selections()
                    .backup_plan_id(p.backup_plan_id().unwrap_or_default())
                    .max_results(1)
                    .send()
                    .await
                    .map(|s| !s.backup_selections_list().is_empty())
                    .map_err(|e| e.meta().clone());
                Plan {
                    arn: p.backup_plan_arn().unwrap_or_default().to_string(),
                    assigned,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    vec![evaluate(&plans, &vaults)]
}

fn evaluate(plans: &[Plan], vaults: &[Vault]) -> Finding {
    let mut problems: Vec<String> = Vec::new();
    if plans.is_empty() {
        problems.push("no backup plan".into());
    }
    let empty: Vec<&Plan> = plans
        .iter()
        .filter(|p| matches!(p.assigned, Ok(false)))
        .collect();
    if !empty.is_empty() {
        problems.push(format!(
            "{} plan(s) with no resources assigned",
            empty.len()
        ));
    }
    let locked: Vec<&Vault> = vaults.iter().filter(|v| v.locked).collect();
    if locked.is_empty() {
        problems.push("no vault has Vault Lock".into());
    }
    if !problems.is_empty() {
        let mut res: Vec<String> = empty.iter().map(|p| p.arn.clone()).collect();
        if locked.is_empty() {
            res.extend(vaults.iter().map(|v| v.arn.clone()));
        }
        return Finding::fail(PLANS, problems.join("; ")).with_resources(res);
    }
    if let Some(e) = plans.iter().find_map(|p| p.assigned.as_ref().err()) {
        return Finding::unknown_from(PLANS, A_SELECTIONS, e);
    }
    Finding::pass(
        PLANS,
        format!(
            "{} backup plan(s) with resources assigned, {} locked vault(s)",
            plans.len(),
            locked.len()
        ),
    )
    .with_resources(
        plans
            .iter()
            .map(|p| p.arn.clone())
            .chain(locked.iter().map(|v| v.arn.clone())),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn plan(arn: &str, assigned: bool) -> Plan {
        Plan {
            arn: arn.into(),
            assigned: Ok(assigned),
        }
    }

    fn vault(arn: &str, locked: bool) -> Vault {
        Vault {
            arn: arn.into(),
            locked,
        }
    }

    #[test]
    fn assigned_plan_and_locked_vault_pass() {
        let f = evaluate(&[plan("p", true)], &[vault("v", true), vault("w", false)]);
        assert_eq!(f.status, EvidenceStatus::Pass);
        assert_eq!(f.resources, vec!["p".to_string(), "v".to_string()]);
    }

    #[test]
    fn nothing_configured_fails() {
        let f = evaluate(&[], &[]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.contains("no backup plan"));
        assert!(f.summary.contains("Vault Lock"));
    }

    #[test]
    fn empty_plan_or_unlocked_vaults_fail() {
        let f = evaluate(&[plan("p", false)], &[vault("v", true)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["p".to_string()]);
        let f = evaluate(&[plan("p", true)], &[vault("v", false)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["v".to_string()]);
    }

    #[test]
    fn selection_error_is_unknown() {
        let p = Plan {
            arn: "p".into(),
            assigned: Err(ErrorMetadata::builder().code("NotImplemented").build()),
        };
        assert_eq!(
            evaluate(&[p], &[vault("v", true)]).status,
            EvidenceStatus::Unknown
        );
    }
}
