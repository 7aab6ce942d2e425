//! The contract between the runner and the service modules.
//!
//! What a check is (id, titles, service, scope, IAM actions) lives in the
//! AWS-free catalogue, [`wasec_core::catalog`]. A service module turns API
//! data into [`Finding`]s for its checks; an API call that fails becomes a
//! [`Failure`], which renders as an `unknown` finding naming the IAM action.

use wasec_core::Text;
pub use wasec_core::catalog::{CheckId, Scope, Service};
use wasec_core::review::EvidenceStatus;

/// Bilingual text from two format strings that capture the same variables:
/// `tr!("{n} buckets", "{n} 個のバケット")`.
#[macro_export]
macro_rules! tr {
    ($en:literal, $ja:literal $(,)?) => {
        ::wasec_core::Text::new(format!($en), format!($ja))
    };
}

/// One result of a check, before it is stamped with account, region and time.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub check: CheckId,
    pub status: EvidenceStatus,
    /// What was found, in English and Japanese (never command syntax, never
    /// a secret value).
    pub summary: Text,
    /// The resources the finding is about, sorted and without duplicates
    /// (so that collecting an unchanged account twice gives the same item).
    pub resources: Vec<String>,
    /// A failing resource reachable from the internet.
    pub public: bool,
}

impl Finding {
    pub fn new(check: CheckId, status: EvidenceStatus, summary: Text) -> Finding {
        Finding {
            check,
            status,
            summary,
            resources: Vec::new(),
            public: false,
        }
    }

    pub fn pass(check: CheckId, summary: Text) -> Finding {
        Finding::new(check, EvidenceStatus::Pass, summary)
    }

    pub fn fail(check: CheckId, summary: Text) -> Finding {
        Finding::new(check, EvidenceStatus::Fail, summary)
    }

    pub fn unknown(check: CheckId, summary: Text) -> Finding {
        Finding::new(check, EvidenceStatus::Unknown, summary)
    }

    pub fn not_applicable(check: CheckId, summary: Text) -> Finding {
        Finding::new(check, EvidenceStatus::NotApplicable, summary)
    }

    /// Add resources; the list stays sorted and free of duplicates.
    pub fn with_resources(mut self, resources: impl IntoIterator<Item = String>) -> Finding {
        self.resources.extend(resources);
        self.resources.sort();
        self.resources.dedup();
        self
    }

    pub fn public(mut self, public: bool) -> Finding {
        self.public = public;
        self
    }
}

/// Why an API call gave no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The caller lacks the permission (or an SCP denies it).
    AccessDenied,
    /// No answer within the time budget.
    Timeout,
    /// Anything else; the error code says what.
    Other,
}

/// A failed API call, kept until it is known which checks depended on it.
/// It renders as an `unknown` finding naming the IAM action, never the
/// request details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The IAM action of the call, e.g. `iam:GetAccountSummary`.
    pub action: &'static str,
    pub kind: FailureKind,
    /// The service's error code, or a short description when it has none.
    pub code: String,
}

impl Failure {
    pub fn new(action: &'static str, kind: FailureKind, code: impl Into<String>) -> Failure {
        Failure {
            action,
            kind,
            code: code.into(),
        }
    }

    /// From an SDK error (`SdkError<E>`) or its metadata.
    pub fn from_sdk<E>(action: &'static str, err: &E) -> Failure
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::fmt::Display,
    {
        Failure::classify(action, err.code(), &err.to_string())
    }

    /// From the metadata of an error kept for later (`e.meta().clone()`).
    pub fn from_meta(
        action: &'static str,
        meta: &aws_smithy_types::error::metadata::ErrorMetadata,
    ) -> Failure {
        Failure::classify(action, meta.code(), meta.message().unwrap_or_default())
    }

    fn classify(action: &'static str, code: Option<&str>, text: &str) -> Failure {
        match code {
            Some(c) if is_access_denied(c) => Failure::new(action, FailureKind::AccessDenied, c),
            Some(c) => Failure::new(action, FailureKind::Other, c),
            // SDK timeouts and connection problems carry no error code.
            None if text.contains("timed out") || text.contains("timeout") => {
                Failure::new(action, FailureKind::Timeout, "timeout")
            }
            None if text.contains("dispatch failure") || text.contains("connector error") => {
                Failure::new(action, FailureKind::Other, "connection error")
            }
            None => Failure::new(action, FailureKind::Other, "error"),
        }
    }

    /// The `unknown` summary for checks that needed this call.
    pub fn summary(&self) -> Text {
        let (action, code) = (self.action, self.code.as_str());
        match self.kind {
            FailureKind::AccessDenied => tr!(
                "cannot tell: access to {action} was denied; grant the action listed in the wasec IAM policy",
                "判定できません: {action} へのアクセスが拒否されました。wasec の IAM ポリシーに記載されたこのアクションを許可してください"
            ),
            FailureKind::Timeout => tr!(
                "cannot tell: {action} did not answer in time; collecting again later may settle it",
                "判定できません: {action} が時間内に応答しませんでした。後で再収集すると判定できる場合があります"
            ),
            FailureKind::Other => tr!(
                "cannot tell: {action} failed ({code})",
                "判定できません: {action} が失敗しました（{code}）"
            ),
        }
    }

    /// The `unknown` finding of `check` caused by this failure.
    pub fn finding(&self, check: CheckId) -> Finding {
        Finding::unknown(check, self.summary())
    }

    /// The `unknown` findings of every check in `checks`.
    pub fn findings(&self, checks: &[CheckId]) -> Vec<Finding> {
        checks.iter().map(|c| self.finding(*c)).collect()
    }
}

/// Error codes that mean "missing permission".
pub fn is_access_denied(code: &str) -> bool {
    matches!(
        code,
        "AccessDenied"
            | "AccessDeniedException"
            | "UnauthorizedOperation"
            | "AuthorizationError"
            | "AuthorizationErrorException"
            | "Forbidden"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_types::error::metadata::ErrorMetadata;

    #[test]
    fn resources_are_sorted_and_unique() {
        let f = Finding::pass(CheckId::IamRootMfa, tr!("ok", "ok"))
            .with_resources(["b".to_string(), "a".to_string()])
            .with_resources(["b".to_string()]);
        assert_eq!(f.resources, vec!["a", "b"]);
    }

    #[test]
    fn failures_name_the_action_in_both_languages_without_command_syntax() {
        let denied = ErrorMetadata::builder().code("AccessDenied").build();
        let f = Failure::from_meta("iam:GetAccountSummary", &denied).finding(CheckId::IamRootMfa);
        assert_eq!(f.status, EvidenceStatus::Unknown);
        assert!(f.summary.en.contains("iam:GetAccountSummary"));
        assert!(f.summary.ja.contains("iam:GetAccountSummary"));
        assert!(f.summary.en.contains("wasec IAM policy"));
        assert!(!f.summary.en.contains('`') && !f.summary.ja.contains('`'));
        let other = ErrorMetadata::builder().code("Throttling").build();
        let f = Failure::from_meta("kms:ListKeys", &other);
        assert_eq!(f.kind, FailureKind::Other);
        assert!(f.summary().en.contains("(Throttling)"));
        let t = Failure::classify("s3:GetBucketPolicy", None, "operation timed out");
        assert_eq!(t.kind, FailureKind::Timeout);
    }
}
