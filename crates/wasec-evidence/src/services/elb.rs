//! Elastic Load Balancing: one service (one IAM prefix,
//! `elasticloadbalancing`) read through two APIs, ELBv2 for application
//! and network load balancers ([`super::elbv2`]) and the classic API for
//! Classic Load Balancers ([`super::clb`]). Both run at once; each keeps
//! its own errors, so a classic API that fails makes only the classic
//! checks `unknown` (and the other way round). When both fail the module
//! fails as a whole: the runner then says why for every check.

use super::{ServiceCtx, clb, elbv2};
use crate::check::{CheckId, Failure, Finding, Service};

/// The checks the classic API reports.
pub const CLASSIC: &[CheckId] = &[
    CheckId::ClbTlsListeners,
    CheckId::ClbTlsPolicyModern,
    CheckId::ClbAccessLogs,
];

/// The regional Elastic Load Balancing checks the ELBv2 API reports.
fn v2_checks() -> Vec<CheckId> {
    Service::Elbv2
        .checks()
        .filter(|c| c.scope() == crate::check::Scope::Regional && !CLASSIC.contains(c))
        .collect()
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let (v2, classic) = futures::join!(elbv2::collect(cx), clb::collect(cx));
    match (v2, classic) {
        (Err(f), Err(_)) => Err(f),
        (v2, classic) => {
            let mut out = v2.unwrap_or_else(|f| f.findings(&v2_checks()));
            out.extend(classic.unwrap_or_else(|f| f.findings(CLASSIC)));
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_apis_split_the_service_checks_between_them() {
        let v2 = v2_checks();
        assert!(v2.contains(&CheckId::ElbHttpsOnly));
        for c in CLASSIC {
            assert_eq!(c.service(), Service::Elbv2, "{c}");
            assert!(!v2.contains(c), "{c}");
        }
        let all: Vec<CheckId> = Service::Elbv2
            .checks()
            .filter(|c| c.scope() == crate::check::Scope::Regional)
            .collect();
        assert_eq!(all.len(), v2.len() + CLASSIC.len());
    }
}
