//! IAM: root user, credential report, password policy, policies, roles and
//! federation. Each API is called once (the credential report and the
//! account authorization details feed many checks).
//!
//! Split by concern: `fetch` (the API calls, into [`IamData`]),
//! `credential_report` (the report's CSV and the per-user credential
//! checks) and `evaluate` (everything else, pure). Evaluation is pure so
//! that paths moto cannot produce (root MFA on, root keys, a root row in
//! the credential report, role last-used dates) are unit-tested with
//! recorded data in `tests.rs`.

mod credential_report;
mod evaluate;
mod fetch;

pub use credential_report::{AccessKey, CredRow, parse_credential_report};
pub use evaluate::evaluate;

use super::ServiceCtx;
use crate::check::{Failure, Finding};
use serde_json::Value;
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Root fields of `GetAccountSummary`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RootSummary {
    pub mfa_enabled: bool,
    pub access_keys_present: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct PasswordPolicy {
    pub min_length: Option<i32>,
    pub symbols: bool,
    pub numbers: bool,
    pub upper: bool,
    pub lower: bool,
    pub reuse_prevention: Option<i32>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    User,
    Group,
    Role,
}

/// A user, group or role with its policies.
#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub kind: Kind,
    pub name: String,
    pub arn: String,
    /// IAM path, e.g. `/aws-service-role/` for service-linked roles.
    pub path: String,
    /// Inline policies: (name, document).
    pub inline: Vec<(String, Value)>,
    pub attached: Vec<String>,
    /// Group names (users only).
    pub groups: Vec<String>,
    /// Trust policy (roles only).
    pub trust: Option<Value>,
    pub created: Option<OffsetDateTime>,
    /// When a role was last used (roles only; IAM tracks the last 400 days).
    pub last_used: Option<OffsetDateTime>,
}

/// The parts of `GetAccountAuthorizationDetails` the checks use.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuthDetails {
    pub principals: Vec<Principal>,
    /// Customer-managed policies: ARN → default version document.
    pub local_policies: BTreeMap<String, Value>,
}

/// Everything collected; each part may have failed on its own.
#[derive(Debug, Clone)]
pub struct IamData {
    pub summary: Result<RootSummary, Failure>,
    /// Whether the root user's MFA is a virtual device.
    pub root_virtual_mfa: Result<bool, Failure>,
    pub report: Result<Vec<CredRow>, Failure>,
    pub password_policy: Result<Option<PasswordPolicy>, Failure>,
    pub auth: Result<AuthDetails, Failure>,
    /// SAML + OIDC provider count.
    pub federation: Result<usize, Failure>,
    /// (name, expiry) of IAM server certificates.
    pub server_certs: Result<Vec<(String, OffsetDateTime)>, Failure>,
    /// Users, groups and roles with AWSSupportAccess attached.
    pub support_entities: Result<Vec<String>, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let data = fetch::all(&cx.client()).await;
    Ok(evaluate(&data, &cx.account, wasec_core::now()))
}

#[cfg(test)]
mod tests;
