//! Amazon Macie: enabled, and actually looking for sensitive data
//! (automated discovery on, or at least one classification job).
//!
//! Calls per Region: `GetMacieSession`; when enabled,
//! `GetAutomatedDiscoveryConfiguration` and, if discovery is off, one
//! `ListClassificationJobs` page of size 1.

use aws_sdk_macie2::Client;
use aws_sdk_macie2::types::{AutomatedDiscoveryStatus, MacieStatus};
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;

const A_SESSION: &str = "macie2:GetMacieSession";
const A_DISCOVERY: &str = "macie2:GetAutomatedDiscoveryConfiguration";
const A_JOBS: &str = "macie2:ListClassificationJobs";

#[derive(Debug, Clone, PartialEq)]
enum Session {
    NotEnabled,
    Paused,
    Enabled,
}

/// How Macie looks for sensitive data, when enabled.
#[derive(Debug, Clone, PartialEq)]
struct Discovery {
    automated: Result<bool, Failure>,
    /// `None` when not asked (automated discovery is on).
    has_jobs: Option<Result<bool, Failure>>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let session = match client.get_macie_session().send().await {
        Ok(s) if s.status() == Some(&MacieStatus::Enabled) => Session::Enabled,
        Ok(_) => Session::Paused,
        Err(e) if is_not_enabled(e.meta()) => Session::NotEnabled,
        Err(e) => return Err(Failure::from_sdk(A_SESSION, &e)),
    };
    let discovery = if session == Session::Enabled {
        let automated = client
            .get_automated_discovery_configuration()
            .send()
            .await
            .map(|c| c.status() == Some(&AutomatedDiscoveryStatus::Enabled))
            .map_err(|e| Failure::from_sdk(A_DISCOVERY, &e));
        let has_jobs = if matches!(automated, Ok(true)) {
            None
        } else {
            Some(
                client
                    .list_classification_jobs()
                    .max_results(1)
                    .send()
                    .await
                    .map(|j| !j.items().is_empty())
                    .map_err(|e| Failure::from_sdk(A_JOBS, &e)),
            )
        };
        Some(Discovery {
            automated,
            has_jobs,
        })
    } else {
        None
    };
    Ok(evaluate(&session, discovery.as_ref()))
}

/// Macie answers "not enabled" with an access-denied error whose message
/// says so (emulators use ResourceNotFound); a real permission problem has
/// a different message.
fn is_not_enabled(meta: &ErrorMetadata) -> bool {
    meta.code() == Some("ResourceNotFoundException")
        || (meta.code() == Some("AccessDeniedException")
            && meta
                .message()
                .is_some_and(|m| m.to_ascii_lowercase().contains("not enabled")))
}

fn evaluate(session: &Session, discovery: Option<&Discovery>) -> Vec<Finding> {
    use CheckId::{MacieAutomatedDiscovery as DISCOVERY, MacieEnabled as ENABLED};
    let enabled = match session {
        Session::Enabled => Finding::pass(ENABLED, tr!("Macie is enabled", "Macie は有効です")),
        Session::Paused => Finding::fail(ENABLED, tr!("Macie is paused", "Macie は一時停止中です")),
        Session::NotEnabled => Finding::fail(
            ENABLED,
            tr!(
                "Macie is not enabled in this region",
                "このリージョンで Macie が有効ではありません"
            ),
        ),
    };
    let discovery = match discovery {
        None => Finding::fail(
            DISCOVERY,
            tr!(
                "Macie is not running, so no sensitive data discovery",
                "Macie が動作していないため、機密データの検出も行われていません"
            ),
        ),
        Some(d) => match (&d.automated, &d.has_jobs) {
            (Ok(true), _) => Finding::pass(
                DISCOVERY,
                tr!(
                    "automated sensitive data discovery is on",
                    "機密データの自動検出が有効です"
                ),
            ),
            (_, Some(Ok(true))) => Finding::pass(
                DISCOVERY,
                tr!(
                    "sensitive data discovery jobs exist",
                    "機密データの検出ジョブがあります"
                ),
            ),
            (Err(f), _) | (_, Some(Err(f))) => f.finding(DISCOVERY),
            _ => Finding::fail(
                DISCOVERY,
                tr!(
                    "automated discovery is off and no classification job exists",
                    "自動検出が無効で、分類ジョブもありません"
                ),
            ),
        },
    };
    vec![enabled, discovery]
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn err(code: &str, msg: &str) -> ErrorMetadata {
        ErrorMetadata::builder().code(code).message(msg).build()
    }

    #[test]
    fn not_enabled_detection() {
        assert!(is_not_enabled(&err(
            "AccessDeniedException",
            "Macie is not enabled."
        )));
        assert!(is_not_enabled(&err("ResourceNotFoundException", "x")));
        assert!(!is_not_enabled(&err(
            "AccessDeniedException",
            "User is not authorized to perform macie2:GetMacieSession"
        )));
    }

    #[test]
    fn enabled_with_automated_discovery_passes() {
        let d = Discovery {
            automated: Ok(true),
            has_jobs: None,
        };
        let f = evaluate(&Session::Enabled, Some(&d));
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Pass));
    }

    #[test]
    fn jobs_count_when_automated_is_off() {
        let d = Discovery {
            automated: Ok(false),
            has_jobs: Some(Ok(true)),
        };
        assert_eq!(
            evaluate(&Session::Enabled, Some(&d))[1].status,
            EvidenceStatus::Pass
        );
        let d = Discovery {
            automated: Ok(false),
            has_jobs: Some(Ok(false)),
        };
        assert_eq!(
            evaluate(&Session::Enabled, Some(&d))[1].status,
            EvidenceStatus::Fail
        );
    }

    #[test]
    fn discovery_errors_are_unknown_unless_jobs_prove_it() {
        let e = Failure::new(
            A_DISCOVERY,
            crate::check::FailureKind::Other,
            "NotImplemented",
        );
        let d = Discovery {
            automated: Err(e.clone()),
            has_jobs: Some(Err(e.clone())),
        };
        assert_eq!(
            evaluate(&Session::Enabled, Some(&d))[1].status,
            EvidenceStatus::Unknown
        );
        let d = Discovery {
            automated: Err(e),
            has_jobs: Some(Ok(true)),
        };
        assert_eq!(
            evaluate(&Session::Enabled, Some(&d))[1].status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn disabled_or_paused_fail_both() {
        for s in [Session::NotEnabled, Session::Paused] {
            let f = evaluate(&s, None);
            assert!(f.iter().all(|x| x.status == EvidenceStatus::Fail));
        }
    }
}
