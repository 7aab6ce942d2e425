//! Organizations: is the account part of an organization.

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};
use crate::util::{self, Unknown};

pub const CHECKS: &[CheckMeta] = &[CheckMeta {
    id: "org.member_of_organization",
    title_en: "The account belongs to an AWS Organization",
    title_ja: "アカウントが AWS Organizations の組織に属している",
    bps: &["SEC01-BP01", "SEC03-BP05"],
    service: "organizations",
    actions: &["organizations:DescribeOrganization"],
    scope: Scope::Global,
}];

/// The organization seen from this account: `None` when it has none.
#[derive(Debug, Clone, PartialEq)]
pub struct Org {
    pub id: String,
    pub management_account: String,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = aws_sdk_organizations::Client::new(&cx.sdk);
    let org = match client.describe_organization().send().await {
        Ok(o) => Ok(o.organization().map(|o| Org {
            id: o.id().unwrap_or_default().to_string(),
            management_account: o.master_account_id().unwrap_or_default().to_string(),
        })),
        Err(e) if util::code(&e) == Some("AWSOrganizationsNotInUseException") => Ok(None),
        Err(e) => Err(Unknown::from("organizations:DescribeOrganization", &e)),
    };
    vec![evaluate(&org, &cx.account)]
}

pub fn evaluate(org: &Result<Option<Org>, Unknown>, account: &str) -> Finding {
    let id = "org.member_of_organization";
    match org {
        Err(u) => u.finding(id),
        Ok(None) => Finding::fail(id, "the account is not part of an AWS Organization"),
        Ok(Some(o)) if o.management_account == account => Finding::pass(
            id,
            format!("this is the management account of organization {}", o.id),
        ),
        Ok(Some(o)) => Finding::pass(
            id,
            format!(
                "member of organization {} (management account {})",
                o.id, o.management_account
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    #[test]
    fn membership() {
        let org = Org {
            id: "o-abc".into(),
            management_account: "111".into(),
        };
        assert_eq!(
            evaluate(&Ok(Some(org.clone())), "222").status,
            EvidenceStatus::Pass
        );
        assert!(
            evaluate(&Ok(Some(org)), "111")
                .summary
                .contains("management account")
        );
        assert_eq!(evaluate(&Ok(None), "222").status, EvidenceStatus::Fail);
        let u = Unknown("cannot tell: access denied to organizations:DescribeOrganization".into());
        assert_eq!(evaluate(&Err(u), "222").status, EvidenceStatus::Unknown);
    }
}
