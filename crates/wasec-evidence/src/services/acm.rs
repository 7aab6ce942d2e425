//! ACM: certificates not about to expire (or expired while in use), no
//! weak RSA keys.
//!
//! Calls per region: `ListCertificates` (paginated). The summaries carry
//! expiry, key algorithm, status and in-use flags, so no per-certificate
//! `DescribeCertificate` is needed. All key types are requested explicitly:
//! by default ListCertificates returns only RSA-2048 certificates.

use aws_sdk_acm::Client;
use aws_sdk_acm::types::{CertificateStatus, Filters, KeyAlgorithm};

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;

const A_LIST: &str = "acm:ListCertificates";

/// Certificates expiring within this many days fail (as Security Hub ACM.1).
const EXPIRY_DAYS: i64 = 30;
const DAY: i64 = 86_400;

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

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let mut all_types = Filters::builder();
    for v in KeyAlgorithm::values() {
        all_types = all_types.key_types(KeyAlgorithm::from(*v));
    }
    let summaries = client
        .list_certificates()
        .includes(all_types.build())
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
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
    Ok(vec![evaluate(
        &certs,
        time::OffsetDateTime::now_utc().unix_timestamp(),
    )])
}

fn evaluate(certs: &[Cert], now: i64) -> Finding {
    let id = CheckId::AcmCertHealth;
    let limit = now + EXPIRY_DAYS * DAY;
    // (arn, why in English, why in Japanese)
    let mut bad: Vec<(String, String, String)> = Vec::new();
    let mut judged = 0;
    for c in certs {
        if c.issued {
            judged += 1;
            if let Some(t) = c.not_after.filter(|t| *t <= limit) {
                let days = (t - now).max(0) / DAY;
                bad.push((
                    c.arn.clone(),
                    format!("expires in {days} days"),
                    format!("残り {days} 日で期限切れ"),
                ));
            }
            if c.key == "RSA_1024" {
                bad.push((
                    c.arn.clone(),
                    "RSA 1024-bit key".into(),
                    "RSA 1024 ビット鍵".into(),
                ));
            }
        } else if c.expired && c.in_use {
            judged += 1;
            bad.push((
                c.arn.clone(),
                "expired, still in use".into(),
                "期限切れのまま使用中".into(),
            ));
        }
    }
    if judged == 0 {
        return Finding::not_applicable(
            id,
            tr!(
                "no issued certificate in this region",
                "このリージョンに発行済みの証明書はありません"
            ),
        );
    }
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "{judged} certificates valid for over {EXPIRY_DAYS} days with keys of 2048 bits or more",
                "証明書 {judged} 件はいずれも有効期限が {EXPIRY_DAYS} 日以上残り、鍵長は 2048 ビット以上です"
            ),
        );
    }
    bad.sort();
    let mut arns: Vec<String> = bad.iter().map(|b| b.0.clone()).collect();
    arns.dedup();
    let n = arns.len();
    let en: Vec<String> = bad.iter().map(|(a, w, _)| format!("{a} ({w})")).collect();
    let ja: Vec<String> = bad.iter().map(|(a, _, w)| format!("{a}（{w}）")).collect();
    let (list_en, list_ja) = (sample(&en, 5), sample(&ja, 5));
    Finding::fail(
        id,
        tr!(
            "{n} of {judged} certificates expire within {EXPIRY_DAYS} days, expired while in use or use weak keys: {list_en}",
            "証明書 {judged} 件中 {n} 件が {EXPIRY_DAYS} 日以内に期限切れ、期限切れのまま使用中、または弱い鍵です: {list_ja}"
        ),
    )
    .with_resources(arns)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    const NOW: i64 = 1_800_000_000;

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
    fn expiring_and_weak_certs_fail_with_the_property() {
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
        assert!(
            f.summary.en.contains("a (expires in 10 days)"),
            "{}",
            f.summary.en
        );
        assert!(f.summary.en.contains("b (RSA 1024-bit key)"));
        assert!(f.summary.ja.contains("a（残り 10 日で期限切れ）"));
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
