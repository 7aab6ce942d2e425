//! The crate's one error type. Messages are for people: they name what
//! failed, why, and what to do; the texts live in [`crate::text`].

use crate::text;

/// How the Tool (or the SDK) refused a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFailure {
    /// ResourceNotFoundException; `what` names the resource when the
    /// response says which (`workload 0123…`, `milestone 7`, `question x`).
    NotFound {
        what: Option<String>,
    },
    AccessDenied,
    Conflict,
    Quota,
    Validation,
    Throttled,
    /// 5xx after the SDK's retries.
    Server,
    /// Anything else (network, credentials, unmodelled errors).
    Other,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A WA Tool call failed.
    #[error("{}", text::api_error(action, kind, message, region))]
    Api {
        action: &'static str,
        kind: ApiFailure,
        message: String,
        region: String,
    },
    /// A command-line or input problem found before anything was written.
    #[error("{0}")]
    Usage(String),
    /// Several problems found before the first write; nothing was written.
    #[error("{}", text::invalid(.0))]
    Invalid(Vec<String>),
    /// The review and the Tool disagree and no `--prefer` settles it.
    #[error("{}", text::conflicts(*.0))]
    Conflicts(usize),
    /// A failure after some questions were written.
    #[error("{}", text::partial(*written, *planned, source))]
    Partial {
        written: usize,
        planned: usize,
        source: Box<Error>,
    },
    /// The custom lens export is larger than the Tool accepts.
    #[error("{}", text::lens_too_large(*.0))]
    LensTooLarge(usize),
}

impl Error {
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            Error::Api {
                kind: ApiFailure::Conflict,
                ..
            }
        )
    }

    pub fn kind(&self) -> Option<&ApiFailure> {
        match self {
            Error::Api { kind, .. } => Some(kind),
            Error::Partial { source, .. } => source.kind(),
            _ => None,
        }
    }
}
