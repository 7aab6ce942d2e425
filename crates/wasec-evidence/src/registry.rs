//! Every service module in one list. The runner, `wasec iam-policy` and the
//! bank cross-check all read this list, so they cannot drift apart.

use crate::check::Finding;
use crate::check::{CheckMeta, Scope};
use crate::services::{self, Service, ServiceCtx};
use futures::future::BoxFuture;

/// Turn a module's `async fn collect(&ServiceCtx)` into the registry's
/// function-pointer type (a boxed, sendable future).
macro_rules! service {
    ($name:literal, $module:ident) => {
        Service {
            name: $name,
            checks: services::$module::CHECKS,
            collect: {
                fn collect(cx: &ServiceCtx) -> BoxFuture<'_, Vec<Finding>> {
                    Box::pin(services::$module::collect(cx))
                }
                collect
            },
        }
    };
}

/// All services. Order is the order work is queued: the slow, global
/// services first so that they overlap with the regional ones.
pub static SERVICES: &[Service] = &[
    service!("IAM", iam),
    service!("S3", s3),
    service!("Organizations", organizations),
    service!("Account", account),
    service!("EC2", ec2),
    service!("Access Analyzer", accessanalyzer),
    service!("ACM", acm),
    service!("Backup", backup),
    service!("CloudFront", cloudfront),
    service!("CloudTrail", cloudtrail),
    service!("Config", config),
    service!("ECR", ecr),
    service!("ELBv2", elbv2),
    service!("GuardDuty", guardduty),
    service!("Inspector", inspector2),
    service!("KMS", kms),
    service!("Lambda", lambda),
    service!("CloudWatch Logs", logs),
    service!("Macie", macie),
    service!("RDS", rds),
    service!("Secrets Manager", secretsmanager),
    service!("Security Hub", securityhub),
    service!("WAF", wafv2),
];

/// Every check of every service.
pub fn checks() -> impl Iterator<Item = &'static CheckMeta> {
    SERVICES.iter().flat_map(|s| s.checks.iter())
}

/// The metadata of one check.
pub fn check(id: &str) -> Option<&'static CheckMeta> {
    checks().find(|c| c.id == id)
}

/// Where a service runs: once for the account when all its checks are
/// global, else once per region. (A module's checks share one scope; the
/// registry tests enforce that.)
pub fn scope(service: &Service) -> Scope {
    if service.checks.iter().all(|c| c.scope == Scope::Global) {
        Scope::Global
    } else {
        Scope::Regional
    }
}

/// Actions the runner itself calls, outside any check: who am I, and which
/// regions are enabled.
pub const RUNNER_ACTIONS: &[&str] = &["sts:GetCallerIdentity", "ec2:DescribeRegions"];

/// Disagreements between the question bank's `checks:` lists and the
/// registry's `bps` lists, in both directions, plus registry problems
/// (duplicate ids, mixed scopes, unknown BPs). Empty means they agree.
pub fn bank_mismatches(bank: &wasec_core::Bank) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for service in SERVICES {
        let scopes: std::collections::BTreeSet<&str> =
            service.checks.iter().map(|c| c.scope.as_str()).collect();
        if scopes.len() > 1 {
            problems.push(format!(
                "service {} mixes global and regional checks",
                service.name
            ));
        }
    }
    for c in checks() {
        if !seen.insert(c.id) {
            problems.push(format!("check {} is declared twice", c.id));
        }
        for bp in c.bps {
            match bank.bp(bp) {
                None => problems.push(format!("check {} names unknown BP {bp}", c.id)),
                Some((_, b)) if !b.checks.iter().any(|x| x == c.id) => problems.push(format!(
                    "check {} informs {bp}, but {bp} does not list it in checks:",
                    c.id
                )),
                Some(_) => {}
            }
        }
    }
    for (_, b) in bank.bps() {
        for id in &b.checks {
            match check(id) {
                None => problems.push(format!(
                    "{} lists check {id}, which is not implemented",
                    b.id
                )),
                Some(c) if !c.bps.contains(&b.id.as_str()) => problems.push(format!(
                    "{} lists check {id}, whose bps do not include {}",
                    b.id, b.id
                )),
                Some(_) => {}
            }
        }
    }
    problems
}
