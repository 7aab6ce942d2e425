//! AWS Backup: plans exist and have resources assigned; a vault is locked
//! (WORM) so backups survive a compromised account.
//!
//! Calls per Region: `ListBackupPlans` and `ListBackupVaults` (paginated,
//! concurrent), then one `ListBackupSelections` page of size 1 per plan
//! (enough to know whether anything is assigned).
//! Vaults are always encrypted by AWS Backup, so encryption is not judged.

use aws_sdk_backup::Client;
use aws_sdk_backup::types::VaultType;
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;

const A_PLANS: &str = "backup:ListBackupPlans";
const A_SELECTIONS: &str = "backup:ListBackupSelections";
const A_VAULTS: &str = "backup:ListBackupVaults";

#[derive(Debug, Clone, PartialEq)]
struct Plan {
    arn: String,
    assigned: Result<bool, Failure>,
}

#[derive(Debug, Clone, PartialEq)]
struct Vault {
    arn: String,
    locked: bool,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
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
    let plans = plans.map_err(|e| Failure::from_sdk(A_PLANS, &e))?;
    let vaults: Vec<Vault> = vaults
        .map_err(|e| Failure::from_sdk(A_VAULTS, &e))?
        .iter()
        .map(|v| Vault {
            arn: v.backup_vault_arn().unwrap_or_default().to_string(),
            // Logically air-gapped vaults are always locked in compliance mode.
            locked: v.locked().unwrap_or(false)
                || v.vault_type() == Some(&VaultType::LogicallyAirGappedBackupVault),
        })
        .collect();
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
                    .map_err(|e| Failure::from_sdk(A_SELECTIONS, &e));
                Plan {
                    arn: p.backup_plan_arn().unwrap_or_default().to_string(),
                    assigned,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    Ok(vec![evaluate(&plans, &vaults)])
}

fn evaluate(plans: &[Plan], vaults: &[Vault]) -> Finding {
    let id = CheckId::BackupPlansAndVaultLock;
    let mut en: Vec<String> = Vec::new();
    let mut ja: Vec<String> = Vec::new();
    if plans.is_empty() {
        en.push("no backup plan".into());
        ja.push("バックアッププランがありません".into());
    }
    let mut empty: Vec<String> = plans
        .iter()
        .filter(|p| matches!(p.assigned, Ok(false)))
        .map(|p| p.arn.clone())
        .collect();
    empty.sort();
    if !empty.is_empty() {
        let list = sample(&empty, 3);
        en.push(format!("plans with no resources assigned: {list}"));
        ja.push(format!("リソースが割り当てられていないプラン: {list}"));
    }
    let locked: Vec<&Vault> = vaults.iter().filter(|v| v.locked).collect();
    if locked.is_empty() {
        let n = vaults.len();
        en.push(format!("none of {n} vaults has Vault Lock"));
        ja.push(format!(
            "ボールト {n} 個のいずれにもボールトロックがありません"
        ));
    }
    if !en.is_empty() {
        let mut res = empty;
        if locked.is_empty() {
            res.extend(vaults.iter().map(|v| v.arn.clone()));
        }
        let (en, ja) = (en.join("; "), ja.join("。"));
        return Finding::fail(id, tr!("{en}", "{ja}")).with_resources(res);
    }
    if let Some(f) = plans.iter().find_map(|p| p.assigned.as_ref().err()) {
        return f.finding(id);
    }
    let (p, v) = (plans.len(), locked.len());
    Finding::pass(
        id,
        tr!(
            "{p} backup plans with resources assigned, {v} locked vaults",
            "リソースが割り当てられたバックアッププラン {p} 件、ロックされたボールト {v} 個"
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
        assert!(f.summary.en.contains("no backup plan"));
        assert!(f.summary.en.contains("Vault Lock"));
        assert!(f.summary.ja.contains("ボールトロック"));
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
            assigned: Err(Failure::new(
                A_SELECTIONS,
                crate::check::FailureKind::Other,
                "NotImplemented",
            )),
        };
        assert_eq!(
            evaluate(&[p], &[vault("v", true)]).status,
            EvidenceStatus::Unknown
        );
    }
}
