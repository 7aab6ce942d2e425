//! One module per AWS service (and scope). Each exposes
//! `async fn collect(&ServiceCtx) -> Result<Vec<Finding>, Failure>`: one
//! finding per check the catalogue assigns to that service and scope, or
//! the failure that stopped it (the runner then reports every one of those
//! checks as `unknown`).

use crate::clients::{Clients, SdkClient};
use std::sync::Arc;

pub mod accessanalyzer;
pub mod accessanalyzer_unused;
pub mod account;
pub mod acm;
pub mod backup;
pub mod cloudfront;
pub mod cloudtrail;
pub mod config;
pub mod config_aggregator;
pub mod coverage;
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
pub mod securityhub_central;
pub mod wafv2;
// Services read through their own SDK crates (issue 12).
pub mod apigateway;
pub mod clb;
pub mod dynamodb;
pub mod efs;
pub mod eks;
pub mod elb;
pub mod sns;
pub mod sqs;
pub mod ssm;
pub mod tally;

/// What the team requires beyond AWS defaults (from `wasec collect` options).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// Customer managed KMS keys are required for data at rest (S3 default
    /// encryption, CloudWatch Logs), not only where a policy asks for them.
    pub require_kms: bool,
}

/// What a service module gets: clients for one region, where it is, and
/// every region of the run (for account-wide views that read them all).
#[derive(Debug, Clone)]
pub struct ServiceCtx {
    pub aws: Clients,
    pub account: String,
    /// The region this call covers (`us-east-1` for global services).
    pub region: String,
    /// Every region the run scans.
    pub regions: Vec<String>,
    pub settings: Arc<Settings>,
}

impl ServiceCtx {
    /// A service client for this context's region.
    pub fn client<C: SdkClient>(&self) -> C {
        self.aws.client()
    }
}
