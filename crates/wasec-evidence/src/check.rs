//! The contract between the runner and the service modules.
//!
//! Each service module (`services/<service>.rs`) declares its checks as
//! static [`CheckMeta`] beside the code (Prowler-style metadata: id, titles,
//! BPs, service, IAM actions, scope) and one `collect` function that makes
//! the fewest API calls it can for all its checks and returns [`Finding`]s.
//! A module never fails a run: an API error becomes `unknown` findings that
//! name the IAM action (see [`Finding::unknown_from`]).

use wasec_core::review::EvidenceStatus;

/// Where a check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Once per account (IAM, Organizations, S3 account settings, CloudFront ...).
    Global,
    /// Once per enabled region.
    Regional,
}

/// What a check is, declared beside its code.
#[derive(Debug, Clone, Copy)]
pub struct CheckMeta {
    /// Stable id used in the question bank, e.g. `iam.root_mfa`.
    pub id: &'static str,
    pub title_en: &'static str,
    pub title_ja: &'static str,
    /// Best practices it informs (must match the bank's `checks:` lists).
    pub bps: &'static [&'static str],
    /// Service prefix as in IAM actions, e.g. `iam`, `s3`, `ec2`.
    pub service: &'static str,
    /// Read-only IAM actions the check needs (feeds `wasec iam-policy`).
    pub actions: &'static [&'static str],
    pub scope: Scope,
}

/// One result of a check, before it is stamped with account, region and time.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub check: &'static str,
    pub status: EvidenceStatus,
    pub summary: String,
    pub resources: Vec<String>,
    /// A failing resource reachable from the internet.
    pub public: bool,
}

impl Finding {
    pub fn new(check: &'static str, status: EvidenceStatus, summary: impl Into<String>) -> Finding {
        Finding {
            check,
            status,
            summary: summary.into(),
            resources: Vec::new(),
            public: false,
        }
    }

    pub fn pass(check: &'static str, summary: impl Into<String>) -> Finding {
        Finding::new(check, EvidenceStatus::Pass, summary)
    }

    pub fn fail(check: &'static str, summary: impl Into<String>) -> Finding {
        Finding::new(check, EvidenceStatus::Fail, summary)
    }

    pub fn not_applicable(check: &'static str, summary: impl Into<String>) -> Finding {
        Finding::new(check, EvidenceStatus::NotApplicable, summary)
    }

    pub fn with_resources(mut self, resources: impl IntoIterator<Item = String>) -> Finding {
        self.resources.extend(resources);
        self
    }

    pub fn public(mut self, public: bool) -> Finding {
        self.public = public;
        self
    }

    /// An `unknown` finding for a check whose API call failed. The summary
    /// names the IAM action and the error code, never the request details.
    pub fn unknown_from<E>(check: &'static str, action: &str, err: &E) -> Finding
    where
        E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::fmt::Display,
    {
        // SDK timeouts carry no error code; name them so the reader knows
        // that retrying later (or a longer timeout) may settle the check.
        let text = err.to_string();
        let code = err.code().unwrap_or(if text.contains("timed out") {
            "timeout"
        } else {
            "error"
        });
        let summary = if is_access_denied(code) {
            format!("cannot tell: access denied to {action} (grant it, see `wasec iam-policy`)")
        } else {
            format!("cannot tell: {action} failed ({code})")
        };
        Finding::new(check, EvidenceStatus::Unknown, summary)
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
            | "Forbidden"
    )
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Regional => "regional",
        }
    }
}
