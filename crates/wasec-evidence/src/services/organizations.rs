//! Organizations: is the account part of an organization, and do service
//! control policies (beyond AWS's FullAWSAccess) guard it?
//!
//! Calls: `DescribeOrganization`; in an organization with all features,
//! `ListPolicies` (SCPs) and `ListTargetsForPolicy` per customer SCP.
//! Policies can only be listed from the management account or a delegated
//! administrator: from a member account the guardrail check is `unknown`.

use aws_sdk_organizations::Client;
use aws_sdk_organizations::types::{OrganizationFeatureSet, PolicyType};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, FailureKind, Finding};
use crate::tr;
use crate::util::sample;

const A_DESCRIBE: &str = "organizations:DescribeOrganization";
const A_POLICIES: &str = "organizations:ListPolicies";
const A_TARGETS: &str = "organizations:ListTargetsForPolicy";

/// The organization seen from this account.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    pub id: String,
    pub management_account: String,
    pub all_features: bool,
}

/// A customer SCP and where it is attached (root, OU or account ids).
#[derive(Debug, Clone, PartialEq)]
pub struct Scp {
    pub name: String,
    pub arn: String,
    pub targets: Result<Vec<String>, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let org = match client.describe_organization().send().await {
        Ok(o) => o.organization().map(|o| Org {
            id: o.id().unwrap_or_default().to_string(),
            management_account: o.master_account_id().unwrap_or_default().to_string(),
            all_features: o.feature_set() != Some(&OrganizationFeatureSet::ConsolidatedBilling),
        }),
        Err(e) if e.code() == Some("AWSOrganizationsNotInUseException") => None,
        Err(e) => return Err(Failure::from_sdk(A_DESCRIBE, &e)),
    };
    let scps = match &org {
        Some(o) if o.all_features => Some(scps(&client).await),
        _ => None,
    };
    Ok(vec![
        evaluate(org.as_ref(), &cx.account),
        evaluate_scps(org.as_ref(), scps.as_ref(), &cx.account),
    ])
}

async fn scps(client: &Client) -> Result<Vec<Scp>, Failure> {
    let list: Vec<_> = client
        .list_policies()
        .filter(PolicyType::ServiceControlPolicy)
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_POLICIES, &e))?
        .iter()
        .flat_map(|page| page.policies().iter().cloned())
        .collect();
    // AWS-managed FullAWSAccess allows everything: it guards nothing.
    let custom: Vec<(String, String, String)> = list
        .iter()
        .filter(|p| !p.aws_managed())
        .map(|p| {
            (
                p.id().unwrap_or_default().to_string(),
                p.name().unwrap_or_default().to_string(),
                p.arn().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut out: Vec<Scp> = futures::stream::iter(custom)
        .map(|(id, name, arn)| {
            let client = client.clone();
            async move {
                let targets = client
                    .list_targets_for_policy()
                    .policy_id(&id)
                    .into_paginator()
                    .send()
                    .try_collect()
                    .await
                    .map(|pages| {
                        let mut t: Vec<String> = pages
                            .iter()
                            .flat_map(|p| p.targets())
                            .filter_map(|t| t.target_id().map(str::to_string))
                            .collect();
                        t.sort();
                        t
                    })
                    .map_err(|e| Failure::from_sdk(A_TARGETS, &e));
                Scp { name, arn, targets }
            }
        })
        .buffered(4)
        .collect()
        .await;
    out.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(out)
}

pub fn evaluate(org: Option<&Org>, account: &str) -> Finding {
    let id = CheckId::OrgMemberOfOrganization;
    match org {
        None => Finding::fail(
            id,
            tr!(
                "the account is not part of an AWS Organization",
                "このアカウントは AWS Organizations の組織に属していません"
            ),
        ),
        Some(o) => {
            let (org, mgmt) = (&o.id, &o.management_account);
            let summary = if mgmt == account {
                tr!(
                    "this is the management account of organization {org}",
                    "このアカウントは組織 {org} の管理アカウントです"
                )
            } else {
                tr!(
                    "member of organization {org} (management account {mgmt})",
                    "組織 {org} のメンバーです（管理アカウント {mgmt}）"
                )
            };
            Finding::pass(id, summary).with_resources([format!("organization/{org}")])
        }
    }
}

pub fn evaluate_scps(
    org: Option<&Org>,
    scps: Option<&Result<Vec<Scp>, Failure>>,
    account: &str,
) -> Finding {
    let id = CheckId::OrgScpGuardrails;
    let Some(o) = org else {
        return Finding::fail(
            id,
            tr!(
                "the account is not in an organization, so no service control policy guards it",
                "このアカウントは組織に属していないため、サービスコントロールポリシーによる保護はありません"
            ),
        );
    };
    if !o.all_features {
        return Finding::fail(
            id,
            tr!(
                "the organization uses consolidated billing only, which has no service control policies",
                "組織が一括請求機能のみのため、サービスコントロールポリシーを使えません"
            ),
        );
    }
    let list = match scps {
        Some(Ok(l)) => l,
        Some(Err(f)) if f.kind == FailureKind::AccessDenied && o.management_account != account => {
            return Finding::unknown(
                id,
                tr!(
                    "cannot tell from a member account: service control policies are listed from the management account or a delegated administrator",
                    "メンバーアカウントからは判定できません: サービスコントロールポリシーは管理アカウントまたは委任管理者から一覧できます"
                ),
            );
        }
        Some(Err(f)) => return f.finding(id),
        None => {
            return Finding::unknown(
                id,
                tr!(
                    "cannot tell: policies were not read",
                    "判定できません: ポリシーを読み取っていません"
                ),
            );
        }
    };
    let attached: Vec<&Scp> = list
        .iter()
        .filter(|p| p.targets.as_ref().is_ok_and(|t| !t.is_empty()))
        .collect();
    if !attached.is_empty() {
        let n = attached.len();
        let names: Vec<String> = attached
            .iter()
            .map(|p| {
                let t = p.targets.as_ref().map(|t| t.join(" ")).unwrap_or_default();
                format!("{} ({t})", p.name)
            })
            .collect();
        let list = sample(&names, 5);
        return Finding::pass(
            id,
            tr!(
                "{n} customer service control policies are attached: {list}",
                "カスタマーのサービスコントロールポリシー {n} 件がアタッチされています: {list}"
            ),
        )
        .with_resources(attached.iter().map(|p| p.arn.clone()));
    }
    if let Some(f) = list.iter().find_map(|p| p.targets.as_ref().err()) {
        return f.finding(id);
    }
    let unattached: Vec<String> = list.iter().map(|p| p.name.clone()).collect();
    let summary = if unattached.is_empty() {
        tr!(
            "no service control policy beyond FullAWSAccess exists",
            "FullAWSAccess 以外のサービスコントロールポリシーがありません"
        )
    } else {
        let names = sample(&unattached, 5);
        tr!(
            "no customer service control policy is attached to the root, an OU or an account (unattached: {names})",
            "ルート・OU・アカウントにアタッチされたカスタマーのサービスコントロールポリシーがありません（未アタッチ: {names}）"
        )
    };
    Finding::fail(id, summary).with_resources(list.iter().map(|p| p.arn.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn org(mgmt: &str) -> Org {
        Org {
            id: "o-abc".into(),
            management_account: mgmt.into(),
            all_features: true,
        }
    }

    fn scp(name: &str, targets: &[&str]) -> Scp {
        Scp {
            name: name.into(),
            arn: format!("arn:aws:organizations::1:policy/o-abc/service_control_policy/p-{name}"),
            targets: Ok(targets.iter().map(|t| t.to_string()).collect()),
        }
    }

    #[test]
    fn membership() {
        assert_eq!(
            evaluate(Some(&org("111")), "222").status,
            EvidenceStatus::Pass
        );
        assert!(
            evaluate(Some(&org("111")), "111")
                .summary
                .en
                .contains("management account")
        );
        assert_eq!(evaluate(None, "222").status, EvidenceStatus::Fail);
    }

    #[test]
    fn attached_customer_scps_pass_and_unattached_ones_fail() {
        let o = org("111");
        let f = evaluate_scps(
            Some(&o),
            Some(&Ok(vec![scp("deny-leave", &["r-root"]), scp("draft", &[])])),
            "111",
        );
        assert_eq!(f.status, EvidenceStatus::Pass);
        assert!(f.summary.en.contains("deny-leave (r-root)"));
        let f = evaluate_scps(Some(&o), Some(&Ok(vec![scp("draft", &[])])), "111");
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.en.contains("unattached: draft"));
        assert_eq!(
            evaluate_scps(Some(&o), Some(&Ok(vec![])), "111").status,
            EvidenceStatus::Fail
        );
        assert_eq!(
            evaluate_scps(None, None, "111").status,
            EvidenceStatus::Fail
        );
        let billing = Org {
            all_features: false,
            ..org("111")
        };
        assert_eq!(
            evaluate_scps(Some(&billing), None, "111").status,
            EvidenceStatus::Fail
        );
    }

    #[test]
    fn a_member_account_cannot_tell() {
        let denied = Failure::new(
            A_POLICIES,
            FailureKind::AccessDenied,
            "AccessDeniedException",
        );
        let f = evaluate_scps(Some(&org("111")), Some(&Err(denied.clone())), "222");
        assert_eq!(f.status, EvidenceStatus::Unknown);
        assert!(f.summary.en.contains("member account"));
        // In the management account, a denial is a missing permission.
        let f = evaluate_scps(Some(&org("111")), Some(&Err(denied)), "111");
        assert!(f.summary.en.contains(A_POLICIES));
    }
}
