//! Account Management: alternate contacts AWS uses to reach the security
//! team. Calls: `GetAlternateContact` three times (security, operations,
//! billing), concurrently.

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use aws_sdk_account::types::AlternateContactType;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

const A_GET: &str = "account:GetAlternateContact";

/// Whether each contact type is set: (security, operations, billing).
pub type Contacts = [Result<bool, Failure>; 3];

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: aws_sdk_account::Client = cx.client();
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
                Err(e) if e.code() == Some("ResourceNotFoundException") => Ok(false),
                Err(e) => Err(Failure::from_sdk(A_GET, &e)),
            }
        }
    };
    let (s, o, b) = tokio::join!(
        get(AlternateContactType::Security),
        get(AlternateContactType::Operations),
        get(AlternateContactType::Billing)
    );
    Ok(vec![evaluate(&[s, o, b])])
}

/// The security contact decides; missing operations/billing contacts are named.
pub fn evaluate(c: &Contacts) -> Finding {
    let id = CheckId::AccountAlternateContacts;
    let missing: Vec<(&str, &str)> = [("operations", "運用"), ("billing", "請求")]
        .into_iter()
        .zip(&c[1..])
        .filter(|(_, v)| matches!(v, Ok(false)))
        .map(|(n, _)| n)
        .collect();
    let (also_en, also_ja) = if missing.is_empty() {
        (String::new(), String::new())
    } else {
        let en: Vec<&str> = missing.iter().map(|m| m.0).collect();
        let ja: Vec<&str> = missing.iter().map(|m| m.1).collect();
        (
            format!(" ({} contact not set)", en.join(" and ")),
            format!("（{}の連絡先は未設定）", ja.join("・")),
        )
    };
    match &c[0] {
        Err(f) => f.finding(id),
        Ok(true) => Finding::pass(
            id,
            tr!(
                "a security alternate contact is set{also_en}",
                "セキュリティの代替連絡先が設定されています{also_ja}"
            ),
        ),
        Ok(false) => Finding::fail(
            id,
            tr!(
                "no security alternate contact is set{also_en}",
                "セキュリティの代替連絡先が設定されていません{also_ja}"
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    #[test]
    fn security_contact_decides() {
        assert_eq!(
            evaluate(&[Ok(true), Ok(true), Ok(true)]).status,
            EvidenceStatus::Pass
        );
        let f = evaluate(&[Ok(false), Ok(true), Ok(false)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.en.contains("billing") && f.summary.ja.contains("請求"));
        let u = Failure::new(A_GET, FailureKind::AccessDenied, "AccessDenied");
        assert_eq!(
            evaluate(&[Err(u), Ok(true), Ok(true)]).status,
            EvidenceStatus::Unknown
        );
    }
}
