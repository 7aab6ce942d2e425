//! Every service module in one list. A module runs the checks the
//! catalogue assigns to its service and scope; the runner, `wasec
//! iam-policy` and the tests read this list and the catalogue, so they
//! cannot drift apart.

use crate::check::{CheckId, Failure, Finding, Scope, Service};
use crate::services::{self, ServiceCtx};
use futures::future::BoxFuture;

/// What a module's collect returns.
pub type Collected = Result<Vec<Finding>, Failure>;

/// A service module's entry.
#[derive(Clone, Copy)]
pub struct Module {
    pub service: Service,
    pub scope: Scope,
    pub collect: for<'a> fn(&'a ServiceCtx) -> BoxFuture<'a, Collected>,
}

impl Module {
    /// Name shown in progress output, e.g. "CloudWatch Logs".
    pub fn name(&self) -> &'static str {
        self.service.name().en
    }

    /// The checks this module reports: every catalogue check of its
    /// service and scope.
    pub fn checks(&self) -> Vec<CheckId> {
        CheckId::ALL
            .iter()
            .copied()
            .filter(|c| c.service() == self.service && c.scope() == self.scope)
            .collect()
    }
}

impl std::fmt::Debug for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.name(), self.scope.as_str())
    }
}

/// Turn a module's `async fn collect(&ServiceCtx)` into the registry's
/// function-pointer type (a boxed, sendable future).
macro_rules! module {
    ($service:ident, $scope:ident, $module:ident) => {
        Module {
            service: Service::$service,
            scope: Scope::$scope,
            collect: {
                fn collect(cx: &ServiceCtx) -> BoxFuture<'_, Collected> {
                    Box::pin(services::$module::collect(cx))
                }
                collect
            },
        }
    };
}

/// All modules. Order is the order work is queued: the slow, global
/// modules first so that they overlap with the regional ones.
pub static MODULES: &[Module] = &[
    module!(Iam, Global, iam),
    module!(S3, Global, s3),
    module!(Organizations, Global, organizations),
    module!(Account, Global, account),
    module!(CloudFront, Global, cloudfront),
    module!(AccessAnalyzer, Global, accessanalyzer_unused),
    module!(Config, Global, config_aggregator),
    module!(SecurityHub, Global, securityhub_central),
    module!(Ec2, Regional, ec2),
    module!(AccessAnalyzer, Regional, accessanalyzer),
    module!(Acm, Regional, acm),
    module!(Backup, Regional, backup),
    module!(CloudTrail, Regional, cloudtrail),
    module!(Config, Regional, config),
    module!(Ecr, Regional, ecr),
    module!(Elbv2, Regional, elb),
    module!(GuardDuty, Regional, guardduty),
    module!(Inspector, Regional, inspector2),
    module!(Kms, Regional, kms),
    module!(Lambda, Regional, lambda),
    module!(Logs, Regional, logs),
    module!(Macie, Regional, macie),
    module!(Rds, Regional, rds),
    module!(SecretsManager, Regional, secretsmanager),
    module!(SecurityHub, Regional, securityhub),
    module!(Wafv2, Regional, wafv2),
    // Services read through their own SDK crates (issue 12).
    module!(Sns, Regional, sns),
    module!(Sqs, Regional, sqs),
    module!(DynamoDb, Regional, dynamodb),
    module!(Efs, Regional, efs),
    module!(Eks, Regional, eks),
    module!(ApiGateway, Regional, apigateway),
    module!(Ssm, Regional, ssm),
];

/// The module that reports `check`.
pub fn module_of(check: CheckId) -> Option<&'static Module> {
    MODULES
        .iter()
        .find(|m| m.service == check.service() && m.scope == check.scope())
}

/// Actions the runner itself calls, outside any check: who am I, and which
/// regions are enabled.
pub const RUNNER_ACTIONS: &[&str] = &["sts:GetCallerIdentity", "ec2:DescribeRegions"];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_check_has_exactly_one_module_and_every_module_has_checks() {
        for c in CheckId::ALL {
            let n = MODULES
                .iter()
                .filter(|m| m.service == c.service() && m.scope == c.scope())
                .count();
            assert_eq!(n, 1, "{c} is reported by {n} modules");
        }
        let mut seen = BTreeSet::new();
        for m in MODULES {
            assert!(seen.insert((m.service, m.scope)), "{m:?} twice");
            assert!(!m.checks().is_empty(), "{m:?} has no check");
        }
    }
}
