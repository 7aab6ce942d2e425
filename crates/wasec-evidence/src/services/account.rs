//! Account: alternate contacts AWS uses to reach the security team.

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};
use crate::util::{self, Unknown};
use aws_sdk_account::types::AlternateContactType;

pub const CHECKS: &[CheckMeta] = &[CheckMeta {
    id: "account.alternate_contacts",
    title_en: "Security alternate contact is set",
    title_ja: "セキュリティの代替連絡先が設定されている",
    bps: &["SEC01-BP02", "SEC10-BP01"],
    service: "account",
    actions: &["account:GetAlternateContact"],
    scope: Scope::Global,
}];

/// Whether each contact type is set: (security, operations, billing).
pub type Contacts = [Result<bool, Unknown>; 3];

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = aws_sdk_account::Client::new(&cx.sdk);
    let get = |t: AlternateContactType| {
        let client = client.clone();
        async move {
            match client
                .get_alternate_contact()
                .alternate_contact_type(t)
                .send()
                .await
            {
                Ok(o) => Ok(o
                    .alternate_contact()
                    .is_some_and(|c| c.email_address().is_some_and(|e| !e.is_empty()))),
                Err(e) if util::code(&e) == Some("ResourceNotFoundException") => Ok(false),
                Err(e) => Err(Unknown::from("account:GetAlternateContact", &e)),
            }
        }
    };
    let (s, o, b) = tokio::join!(
        get(AlternateContactType::Security),
        get(AlternateContactType::Operations),
        get(AlternateContactType::Billing)
    );
    vec![evaluate(&[s, o, b])]
}

/// The security contact decides; missing operations/billing contacts are named.
pub fn evaluate(c: &Contacts) -> Finding {
    let id = "account.alternate_contacts";
    let missing: Vec<&str> = ["operations", "billing"]
        .iter()
        .zip(&c[1..])
        .filter(|(_, v)| matches!(v, Ok(false)))
        .map(|(n, _)| *n)
        .collect();
    let also = if missing.is_empty() {
        String::new()
    } else {
        format!(" ({} contact not set)", missing.join(" and "))
    };
    match &c[0] {
        Err(u) => u.finding(id),
        Ok(true) => Finding::pass(id, format!("a security alternate contact is set{also}")),
        Ok(false) => Finding::fail(id, format!("no security alternate contact is set{also}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    #[test]
    fn security_contact_decides() {
        assert_eq!(
            evaluate(&[Ok(true), Ok(true), Ok(true)]).status,
            EvidenceStatus::Pass
        );
        let f = evaluate(&[Ok(false), Ok(true), Ok(false)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.contains("billing"));
        let u = Unknown("cannot tell: access denied to account:GetAlternateContact".into());
        assert_eq!(
            evaluate(&[Err(u), Ok(true), Ok(true)]).status,
            EvidenceStatus::Unknown
        );
    }
}
