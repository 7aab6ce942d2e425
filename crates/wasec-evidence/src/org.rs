//! The accounts of an organization run: listing them (the whole
//! organization, or one OU and everything under it), the member role's
//! ARN, and getting into each account by assuming that role.
//!
//! The IAM actions these calls need are listed here, next to the calls,
//! and feed `wasec iam-policy --management`.

use crate::clients::Clients;
use crate::contact::ContactError;
use crate::tr;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use wasec_core::Text;

/// The member role name used when `--role-name` is not given: the role the
/// shipped StackSet template (`iam/wasec-member-role.cfn.yaml`) creates,
/// read-only by construction (unlike `OrganizationAccountAccessRole`, which
/// has administrator rights).
pub const DEFAULT_ROLE_NAME: &str = "WasecReadOnly";

/// Session name of every member-role session (visible in CloudTrail).
pub const SESSION_NAME: &str = "wasec-collect";

const A_LIST_ACCOUNTS: &str = "organizations:ListAccounts";
const A_LIST_FOR_PARENT: &str = "organizations:ListAccountsForParent";
const A_LIST_CHILDREN: &str = "organizations:ListChildren";
const A_DESCRIBE_ORG: &str = "organizations:DescribeOrganization";
pub const A_ASSUME_ROLE: &str = "sts:AssumeRole";

/// What the calling account needs to list the organization (besides
/// `sts:AssumeRole` on the member roles and the Security Hub reads).
pub const LISTING_ACTIONS: &[&str] = &[
    A_DESCRIBE_ORG,
    A_LIST_ACCOUNTS,
    A_LIST_FOR_PARENT,
    A_LIST_CHILDREN,
];

/// Which accounts a run covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountChoice {
    /// The account of the current credentials only.
    Current,
    /// These accounts (validated 12-digit ids).
    List(Vec<String>),
    /// Every account of the organization, or of one OU and the OUs under it.
    Organization { ou: Option<String> },
}

/// An account as Organizations lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub id: String,
    pub name: String,
    /// `ACTIVE`, `SUSPENDED`, `PENDING_CLOSURE`... (empty when unknown).
    pub status: String,
}

impl Member {
    pub fn active(&self) -> bool {
        self.status.is_empty() || self.status == "ACTIVE"
    }
}

/// Whether `id` looks like an OU or root id (`ou-xxxx-yyyyyyyy`, `r-xxxx`).
pub fn valid_parent_id(id: &str) -> bool {
    let ok = |s: &str, min: usize| {
        s.len() >= min
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    };
    if let Some(rest) = id.strip_prefix("ou-") {
        return rest
            .split_once('-')
            .is_some_and(|(root, ou)| ok(root, 4) && ok(ou, 8) && !ou.contains('-'));
    }
    id.strip_prefix("r-").is_some_and(|r| ok(r, 4))
}

/// The member role's ARN in `account`.
pub fn role_arn(partition: &str, account: &str, role_name: &str) -> String {
    format!("arn:{partition}:iam::{account}:role/{role_name}")
}

/// The partition of an ARN (`aws`, `aws-cn`, `aws-us-gov`), `aws` if unclear.
pub fn partition_of(arn: &str) -> &str {
    arn.split(':')
        .nth(1)
        .filter(|p| !p.is_empty())
        .unwrap_or("aws")
}

fn org_error<E>(action: &str, e: &E) -> ContactError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    ContactError::Organization {
        action: action.to_string(),
        code: e.code().unwrap_or("error").to_string(),
        raw: DisplayErrorContext(e).to_string(),
    }
}

/// Every account of the organization, or of `ou` and every OU under it,
/// in the order Organizations lists them.
pub async fn list_members(aws: &Clients, ou: Option<&str>) -> Result<Vec<Member>, ContactError> {
    let org: aws_sdk_organizations::Client = aws.client();
    // Says plainly when the caller is not in an organization at all.
    org.describe_organization()
        .send()
        .await
        .map_err(|e| org_error(A_DESCRIBE_ORG, &e))?;
    let Some(ou) = ou else {
        let mut out = Vec::new();
        let mut pages = org.list_accounts().into_paginator().send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| org_error(A_LIST_ACCOUNTS, &e))?;
            out.extend(page.accounts().iter().map(member));
        }
        return Ok(out);
    };
    let mut out = Vec::new();
    // Breadth first over the OU tree; Organizations allows five levels.
    let mut parents = vec![ou.to_string()];
    while let Some(parent) = parents.pop() {
        let mut pages = org
            .list_accounts_for_parent()
            .parent_id(&parent)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| org_error(A_LIST_FOR_PARENT, &e))?;
            out.extend(page.accounts().iter().map(member));
        }
        let mut pages = org
            .list_children()
            .parent_id(&parent)
            .child_type(aws_sdk_organizations::types::ChildType::OrganizationalUnit)
            .into_paginator()
            .send();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| org_error(A_LIST_CHILDREN, &e))?;
            parents.extend(
                page.children()
                    .iter()
                    .filter_map(|c| c.id().map(str::to_string)),
            );
        }
    }
    Ok(out)
}

fn member(a: &aws_sdk_organizations::types::Account) -> Member {
    let status = a
        .state()
        .map(|s| s.as_str().to_string())
        .or_else(|| a.status().map(|s| s.as_str().to_string()))
        .unwrap_or_default();
    Member {
        id: a.id().unwrap_or_default().to_string(),
        name: a.name().unwrap_or_default().to_string(),
        status,
    }
}

/// Why wasec could not get into an account. Rendered as one `unknown`
/// evidence item for the account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub role_arn: String,
    /// The STS error code (`AccessDenied`, ...) or the account's status.
    pub code: String,
    pub summary: Text,
}

impl Refusal {
    /// The account is not ACTIVE in the organization: nothing is called.
    pub fn not_active(account: &str, status: &str, role_arn: &str) -> Refusal {
        Refusal {
            role_arn: role_arn.to_string(),
            code: status.to_string(),
            summary: tr!(
                "cannot tell: account {account} is {status} in the organization, so wasec did not assume {role_arn} (sts:AssumeRole) and has no evidence from it",
                "判定できません: アカウント {account} は組織内で {status} の状態のため、wasec は {role_arn} を引き受けず（sts:AssumeRole）、エビデンスがありません"
            ),
        }
    }

    /// `sts:AssumeRole` into the member role failed with `code`.
    pub fn assume_failed(role_arn: &str, code: &str) -> Refusal {
        let summary = if crate::check::is_access_denied(code) {
            tr!(
                "cannot tell: wasec could not assume {role_arn}: sts:AssumeRole was denied ({code}). The role does not exist in this account, or its trust policy does not allow the calling account, or the external id does not match. Deploy the member role (iam/wasec-member-role.cfn.yaml) or pass the right --role-name and --external-id.",
                "判定できません: wasec は {role_arn} を引き受けられませんでした。sts:AssumeRole が拒否されました（{code}）。このアカウントにロールがないか、信頼ポリシーが呼び出し元アカウントを許可していないか、外部 ID が一致しません。メンバーロール（iam/wasec-member-role.cfn.yaml）をデプロイするか、正しい --role-name と --external-id を指定してください。"
            )
        } else if code == "RegionDisabledException" {
            tr!(
                "cannot tell: wasec could not assume {role_arn}: STS is not activated in this region for the account (sts:AssumeRole: {code})",
                "判定できません: wasec は {role_arn} を引き受けられませんでした。このアカウントではこのリージョンの STS が有効ではありません（sts:AssumeRole: {code}）"
            )
        } else {
            tr!(
                "cannot tell: wasec could not assume {role_arn} (sts:AssumeRole failed: {code})",
                "判定できません: wasec は {role_arn} を引き受けられませんでした（sts:AssumeRole が失敗しました: {code}）"
            )
        };
        Refusal {
            role_arn: role_arn.to_string(),
            code: code.to_string(),
            summary,
        }
    }

    /// The role was assumed but the account could not be collected (its
    /// first calls failed); `why` is the plain-words cause.
    pub fn collect_failed(role_arn: &str, why_en: &str, why_ja: &str) -> Refusal {
        Refusal {
            role_arn: role_arn.to_string(),
            code: "collect".to_string(),
            summary: tr!(
                "cannot tell: wasec assumed {role_arn} but could not collect: {why_en}",
                "判定できません: wasec は {role_arn} を引き受けましたが、収集できませんでした: {why_ja}"
            ),
        }
    }
}

/// Assume `role_arn` with the caller's credentials: temporary credentials
/// for one account's scan (one hour, the most role chaining allows).
pub async fn assume(
    aws: &Clients,
    role_arn: &str,
    external_id: Option<&str>,
) -> Result<aws_credential_types::Credentials, Refusal> {
    let sts: aws_sdk_sts::Client = aws.client();
    let out = sts
        .assume_role()
        .role_arn(role_arn)
        .role_session_name(SESSION_NAME)
        .set_external_id(external_id.map(str::to_string))
        .duration_seconds(3600)
        .send()
        .await
        .map_err(|e| {
            let failure = crate::check::Failure::from_sdk(A_ASSUME_ROLE, &e);
            Refusal::assume_failed(role_arn, &failure.code)
        })?;
    let c = out
        .credentials()
        .ok_or_else(|| Refusal::assume_failed(role_arn, "no credentials in the answer"))?;
    let expiry = std::time::SystemTime::try_from(*c.expiration()).ok();
    Ok(aws_credential_types::Credentials::new(
        c.access_key_id(),
        c.secret_access_key(),
        Some(c.session_token().to_string()),
        expiry,
        "wasec-member-role",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_ids_are_checked_before_any_call() {
        assert!(valid_parent_id("ou-ab12-cdef3456"));
        assert!(valid_parent_id("r-ab12"));
        for bad in [
            "ou-ab12",
            "OU-ab12-cdef3456",
            "ou-ab12-cd",
            "r-",
            "123456789012",
            "",
        ] {
            assert!(!valid_parent_id(bad), "{bad}");
        }
    }

    #[test]
    fn role_arns_follow_the_callers_partition() {
        assert_eq!(
            role_arn(
                partition_of("arn:aws-cn:iam::111122223333:user/a"),
                "444455556666",
                "R"
            ),
            "arn:aws-cn:iam::444455556666:role/R"
        );
        assert_eq!(partition_of("garbage"), "aws");
    }

    #[test]
    fn a_refusal_names_the_role_the_action_and_the_cause_in_both_languages() {
        let arn = "arn:aws:iam::444455556666:role/WasecReadOnly";
        let r = Refusal::assume_failed(arn, "AccessDenied");
        for text in [&r.summary.en, &r.summary.ja] {
            assert!(
                text.contains(arn) && text.contains("sts:AssumeRole"),
                "{text}"
            );
            assert!(text.contains("AccessDenied"), "{text}");
        }
        assert!(r.summary.en.contains("trust policy"));
        assert!(r.summary.ja.contains("（") && !r.summary.ja.contains('('));
        let s = Refusal::not_active("444455556666", "SUSPENDED", arn);
        assert!(s.summary.en.contains("SUSPENDED") && s.summary.en.contains(arn));
    }
}
