//! One module per AWS service. Each exposes `CHECKS` (metadata) and
//! `collect` (all of the service's checks for one scope).

use crate::check::{CheckMeta, Finding};
use futures::future::BoxFuture;

pub mod accessanalyzer;
pub mod account;
pub mod acm;
pub mod backup;
pub mod cloudfront;
pub mod cloudtrail;
pub mod config;
pub mod ec2;
pub mod ecr;
pub mod elbv2;
pub mod guardduty;
pub mod iam;
pub mod inspector2;
pub mod kms;
pub mod lambda;
pub mod logs;
pub mod macie;
pub mod organizations;
pub mod rds;
pub mod s3;
pub mod secretsmanager;
pub mod securityhub;
pub mod wafv2;

/// What a service module gets: the SDK config for one region (endpoint,
/// credentials, retry and timeout settings already applied) and where it is.
pub struct ServiceCtx {
    pub sdk: aws_config::SdkConfig,
    pub account: String,
    /// The region this call covers (`us-east-1` for global services).
    pub region: String,
}

/// A service's entry in the registry.
pub struct Service {
    /// Name shown in progress output, e.g. "KMS".
    pub name: &'static str,
    pub checks: &'static [CheckMeta],
    pub collect: for<'a> fn(&'a ServiceCtx) -> BoxFuture<'a, Vec<Finding>>,
}
