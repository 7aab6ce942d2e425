//! ACM: certificates not about to expire (or expired while in use), no
//! weak RSA keys.
//!
//! Calls per Region: `ListCertificates` (paginated). The summaries carry
//! expiry, key algorithm, status and in-use flags, so no per-certificate
//! `DescribeCertificate` is needed. All key types are requested explicitly:
//! by default ListCertificates returns only RSA-2048 certificates.

use aws_sdk_acm::Client;
use aws_sdk_acm::types::{CertificateStatus, Filters, KeyAlgorithm};

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const HEALTH: &str = "acm.cert_health";
const A_LIST: &str = "acm:ListCertificates";

/// Certificates expiring within this many days fail (as Security Hub ACM.1).
const EXPIRY_DAYS: i64 = 30;

pub const CHECKS: &[CheckMeta] = &[CheckMeta {
    id: HEALTH,
    title_en: "ACM certificates valid and using strong keys",
    title_ja: "ACM 証明書の有効期限と鍵長",
    bps: &["SEC09-BP01"],
    service: "acm",
    actions: &[A_LIST],
    scope: Scope::Regional,
}];

#[derive(Debug, Clone, PartialEq)]
struct Cert {
    arn: String,
    issued: bool,
    expired: bool,
    in_use: bool,
    /// Seconds since the epoch.
    not_after: Option<i64>,
    key: String,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let mut all_types = Filters::builder();
    for v in KeyAlgorithm::values() {
        all_types = all_types.key_types(KeyAlgorithm::from(*v));
    }
    let listed = client
        .list_certificates()
        .includes(all_types.build())
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await;
    let summaries = match listed {
        Ok(s) => s,
        Err(e) => return vec![Finding::unknown_from(HEALTH, A_LIST, &e)],
    };
    let certs: Vec<Cert> = summaries
        .iter()
        .map(|s| Cert {
            arn: s.certificate_arn().unwrap_or_default().to_string(),
            issued: s.status() == Some(&CertificateStatus::Issued),
            expired: s.status() == Some(&CertificateStatus::Expired),
            in_use: s.in_use().unwrap_or(false),
            not_after: s.not_after().map(|d| d.secs()),
            key: s
                .key_algorithm()
                .map(|k| k.as_str().to_string())
                .unwrap_or_default(),
        })
        .collect();
    vec![evaluate(
        &certs,
        time::OffsetDateTime::now_utc().unix_timestamp(),
    )]
}

fn evaluate(certs: &[Cert], now: i64) -> Finding {
    let limit = now + EXPIRY_DAYS * 86_400;
    let mut expiring = Vec::new();
    let mut expired = Vec::new();
    let mut weak = Vec::new();
    let mut judged = 0;
    for c in certs {
        if c.issued {
            judged += 1;
            if c.not_after.is_some_and(|t| t <= limit) {
                expiring.push(c.arn.clone());
            }
            if c.key == "RSA_1024" {
                weak.push(c.arn.clone());
            }
        } else if c.expired && c.in_use {
            judged += 1;
            expired.push(c.arn.clone());
        }
    }
    if judged == 0 {
        return Finding::not_applicable(HEALTH, "no issued certificate in this Region");
    }
    let mut problems = Vec::new();
    if !expired.is_empty() {
        problems.push(format!("{} expired but still in use", expired.len()));
    }
    if !expiring.is_empty() {
        problems.push(format!(
            "{} expire within {EXPIRY_DAYS} days",
            expiring.len()
        ));
    }
    if !weak.is_empty() {
        problems.push(format!(
            "{} use RSA keys shorter than 2048 bits",
            weak.len()
        ));
    }
    if problems.is_empty() {
        return Finding::pass(
            HEALTH,
            format!(
                "{judged} certificate(s) valid for over {EXPIRY_DAYS} days with keys of 2048 bits or more"
            ),
        );
    }
    let mut res: Vec<String> = expired.into_iter().chain(expiring).chain(weak).collect();
    res.sort();
    res.dedup();
    Finding::fail(
        HEALTH,
        format!(
            "{} of {judged} certificate(s): {}",
            res.len(),
            problems.join("; ")
        ),
    )
    .with_resources(res)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    const NOW: i64 = 1_800_000_000;
    const DAY: i64 = 86_400;

    fn cert(arn: &str, days_left: i64, key: &str) -> Cert {
        Cert {
            arn: arn.into(),
            issued: true,
            expired: false,
            in_use: true,
            not_after: Some(NOW + days_left * DAY),
            key: key.into(),
        }
    }

    #[test]
    fn long_lived_strong_certs_pass() {
        let f = evaluate(
            &[cert("a", 200, "RSA_2048"), cert("b", 31, "EC_prime256v1")],
            NOW,
        );
        assert_eq!(f.status, EvidenceStatus::Pass);
    }

    #[test]
    fn expiring_and_weak_certs_fail() {
        let f = evaluate(
            &[
                cert("a", 10, "RSA_2048"),
                cert("b", 300, "RSA_1024"),
                cert("c", 300, "RSA_4096"),
            ],
            NOW,
        );
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["a".to_string(), "b".to_string()]);
        assert!(f.summary.contains("expire within 30 days"));
        assert!(f.summary.contains("shorter than 2048"));
    }

    #[test]
    fn expired_in_use_fails_but_unused_expired_is_ignored() {
        let mut gone = cert("x", -5, "RSA_2048");
        gone.issued = false;
        gone.expired = true;
        let f = evaluate(std::slice::from_ref(&gone), NOW);
        assert_eq!(f.status, EvidenceStatus::Fail);
        gone.in_use = false;
        assert_eq!(evaluate(&[gone], NOW).status, EvidenceStatus::NotApplicable);
    }

    #[test]
    fn pending_certs_only_is_not_applicable() {
        let mut p = cert("p", 100, "RSA_2048");
        p.issued = false;
        assert_eq!(evaluate(&[p], NOW).status, EvidenceStatus::NotApplicable);
        assert_eq!(evaluate(&[], NOW).status, EvidenceStatus::NotApplicable);
    }
}
