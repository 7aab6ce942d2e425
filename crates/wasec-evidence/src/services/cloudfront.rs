//! CloudFront (global): HTTPS to viewers and origins with modern TLS, a WAF
//! web ACL on every distribution, standard access logging.
//!
//! Calls (once per account): `ListDistributions` (paginated; the summaries
//! carry behaviors, origins, certificate and web ACL) and
//! `GetDistributionConfig` per distribution, only for the logging setting.
//! Every distribution is internet-facing, so failures are `public`.

use aws_sdk_cloudfront::Client;
use aws_sdk_cloudfront::types::DistributionSummary;
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const TLS: &str = "cloudfront.tls";
const WAF: &str = "waf.public_endpoints_protected";
const LOGGING: &str = "service_logging.coverage";

const A_LIST: &str = "cloudfront:ListDistributions";
const A_CONFIG: &str = "cloudfront:GetDistributionConfig";

/// Every check id this module reports; `waf.public_endpoints_protected` is declared in `wafv2`, `service_logging.coverage` in `elbv2`.
const EMITS: &[&str] = &[TLS, WAF, LOGGING];

pub const CHECKS: &[CheckMeta] = &[CheckMeta {
    id: TLS,
    title_en: "CloudFront uses HTTPS with modern TLS to viewers and origins",
    title_ja: "CloudFront の HTTPS 化と最新 TLS（ビューワー・オリジン）",
    bps: &["SEC09-BP02"],
    service: "cloudfront",
    actions: &[A_LIST],
    scope: Scope::Global,
}];

/// Viewer minimum protocol versions that still allow TLS below 1.2.
const OLD_VIEWER_TLS: &[&str] = &["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016"];

#[derive(Debug, Clone, PartialEq)]
struct Origin {
    /// `None` for S3/VPC origins (always HTTPS or private).
    protocol_policy: Option<String>,
    ssl_protocols: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Dist {
    arn: String,
    viewer_policies: Vec<String>,
    /// Only set for custom certificates; the default certificate cannot be tuned.
    min_tls: Option<String>,
    origins: Vec<Origin>,
    web_acl: bool,
    logging: Result<bool, ErrorMetadata>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let pages = match client
        .list_distributions()
        .into_paginator()
        .send()
        .try_collect()
        .await
    {
        Ok(p) => p,
        Err(e) => {
            return EMITS
                .iter()
                .map(|id| Finding::unknown_from(id, A_LIST, &e))
                .collect();
        }
    };
    let summaries: Vec<DistributionSummary> = pages
        .iter()
        .filter_map(|p| p.distribution_list())
        .flat_map(|l| l.items().iter().cloned())
        .collect();
    let dists: Vec<Dist> = futures::stream::iter(summaries)
        .map(|s| {
            let client = client.clone();
            async move {
                let logging = client
                    .get_distribution_config()
                    .id(s.id())
                    .send()
                    .await
                    .map(|c| {
                        c.distribution_config()
                            .and_then(|d| d.logging())
                            .is_some_and(|l| l.enabled())
                    })
                    .map_err(|e| e.meta().clone());
                to_dist(&s, logging)
            }
        })
        .buffered(4)
        .collect()
        .await;
    evaluate(&dists)
}

fn to_dist(s: &DistributionSummary, logging: Result<bool, ErrorMetadata>) -> Dist {
    let mut viewer_policies: Vec<String> = s
        .default_cache_behavior()
        .map(|b| b.viewer_protocol_policy().as_str().to_string())
        .into_iter()
        .collect();
    if let Some(cb) = s.cache_behaviors() {
        viewer_policies.extend(
            cb.items()
                .iter()
                .map(|b| b.viewer_protocol_policy().as_str().to_string()),
        );
    }
    let min_tls = s
        .viewer_certificate()
        .filter(|v| !v.cloud_front_default_certificate().unwrap_or(false))
        .and_then(|v| v.minimum_protocol_version())
        .map(|m| m.as_str().to_string());
    let origins = s
        .origins()
        .map(|o| o.items())
        .unwrap_or_default()
        .iter()
        .map(|o| match o.custom_origin_config() {
            Some(c) => Origin {
                protocol_policy: Some(c.origin_protocol_policy().as_str().to_string()),
                ssl_protocols: c
                    .origin_ssl_protocols()
                    .map(|p| p.items().iter().map(|x| x.as_str().to_string()).collect())
                    .unwrap_or_default(),
            },
            None => Origin {
                protocol_policy: None,
                ssl_protocols: Vec::new(),
            },
        })
        .collect();
    Dist {
        arn: s.arn().to_string(),
        viewer_policies,
        min_tls,
        origins,
        web_acl: !s.web_acl_id().is_empty(),
        logging,
    }
}

fn evaluate(dists: &[Dist]) -> Vec<Finding> {
    if dists.is_empty() {
        return EMITS
            .iter()
            .map(|id| Finding::not_applicable(id, "no CloudFront distribution"))
            .collect();
    }
    vec![eval_tls(dists), eval_waf(dists), eval_logging(dists)]
}

/// The transport problems of one distribution.
fn tls_problems(d: &Dist) -> Vec<&'static str> {
    let mut p = Vec::new();
    let viewer_http = d.viewer_policies.iter().any(|v| v == "allow-all");
    if viewer_http {
        p.push("viewers may use HTTP");
    }
    if d.min_tls
        .as_deref()
        .is_some_and(|m| OLD_VIEWER_TLS.contains(&m))
    {
        p.push("viewer TLS below 1.2 allowed");
    }
    let origin_http = d
        .origins
        .iter()
        .any(|o| match o.protocol_policy.as_deref() {
            Some("http-only") => true,
            Some("match-viewer") => viewer_http,
            _ => false,
        });
    if origin_http {
        p.push("origin traffic over HTTP");
    }
    if d.origins
        .iter()
        .any(|o| o.ssl_protocols.iter().any(|s| s == "SSLv3"))
    {
        p.push("SSLv3 allowed to an origin");
    }
    p
}

fn eval_tls(dists: &[Dist]) -> Finding {
    let mut bad = Vec::new();
    let mut kinds: Vec<&str> = Vec::new();
    for d in dists {
        let p = tls_problems(d);
        if !p.is_empty() {
            bad.push(d.arn.clone());
            for k in p {
                if !kinds.contains(&k) {
                    kinds.push(k);
                }
            }
        }
    }
    let n = dists.len();
    if bad.is_empty() {
        Finding::pass(
            TLS,
            format!("all {n} distribution(s) use HTTPS with TLS 1.2+ to viewers and origins"),
        )
    } else {
        Finding::fail(
            TLS,
            format!("{} of {n} distribution(s): {}", bad.len(), kinds.join("; ")),
        )
        .with_resources(bad)
        .public(true)
    }
}

fn eval_waf(dists: &[Dist]) -> Finding {
    let bad: Vec<String> = dists
        .iter()
        .filter(|d| !d.web_acl)
        .map(|d| d.arn.clone())
        .collect();
    let n = dists.len();
    if bad.is_empty() {
        Finding::pass(WAF, format!("all {n} distribution(s) have a WAF web ACL"))
    } else {
        Finding::fail(
            WAF,
            format!("{} of {n} distribution(s) without a WAF web ACL", bad.len()),
        )
        .with_resources(bad)
        .public(true)
    }
}

fn eval_logging(dists: &[Dist]) -> Finding {
    let bad: Vec<String> = dists
        .iter()
        .filter(|d| matches!(d.logging, Ok(false)))
        .map(|d| d.arn.clone())
        .collect();
    let n = dists.len();
    if !bad.is_empty() {
        return Finding::fail(
            LOGGING,
            format!(
                "{} of {n} distribution(s) with standard access logging off",
                bad.len()
            ),
        )
        .with_resources(bad)
        .public(true);
    }
    if let Some(e) = dists.iter().find_map(|d| d.logging.as_ref().err()) {
        return Finding::unknown_from(LOGGING, A_CONFIG, e);
    }
    Finding::pass(
        LOGGING,
        format!("all {n} distribution(s) write standard access logs"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn good(arn: &str) -> Dist {
        Dist {
            arn: arn.into(),
            viewer_policies: vec!["redirect-to-https".into(), "https-only".into()],
            min_tls: Some("TLSv1.2_2021".into()),
            origins: vec![
                Origin {
                    protocol_policy: Some("https-only".into()),
                    ssl_protocols: vec!["TLSv1.2".into()],
                },
                Origin {
                    protocol_policy: None,
                    ssl_protocols: vec![],
                },
            ],
            web_acl: true,
            logging: Ok(true),
        }
    }

    #[test]
    fn no_distributions_is_not_applicable() {
        assert!(
            evaluate(&[])
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }

    #[test]
    fn good_distribution_passes_all() {
        assert!(
            evaluate(&[good("d")])
                .iter()
                .all(|f| f.status == EvidenceStatus::Pass)
        );
    }

    #[test]
    fn http_viewers_and_origins_fail() {
        let mut d = good("d");
        d.viewer_policies.push("allow-all".into());
        d.origins[0].protocol_policy = Some("match-viewer".into());
        assert_eq!(
            tls_problems(&d),
            vec!["viewers may use HTTP", "origin traffic over HTTP"]
        );
        let f = eval_tls(&[d, good("ok")]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources, vec!["d".to_string()]);
    }

    #[test]
    fn old_tls_and_sslv3_origin_fail() {
        let mut d = good("d");
        d.min_tls = Some("TLSv1_2016".into());
        d.origins[0].ssl_protocols.push("SSLv3".into());
        assert_eq!(
            tls_problems(&d),
            vec!["viewer TLS below 1.2 allowed", "SSLv3 allowed to an origin"]
        );
        // The default certificate is not judged on minimum version.
        let mut default_cert = good("e");
        default_cert.min_tls = None;
        assert!(tls_problems(&default_cert).is_empty());
    }

    #[test]
    fn missing_waf_and_logging_fail() {
        let mut d = good("d");
        d.web_acl = false;
        d.logging = Ok(false);
        let f = evaluate(&[d]);
        assert_eq!(f[1].status, EvidenceStatus::Fail);
        assert_eq!(f[2].status, EvidenceStatus::Fail);
        assert!(f[1].public && f[2].public);
    }

    #[test]
    fn logging_error_is_unknown() {
        let mut d = good("d");
        d.logging = Err(ErrorMetadata::builder().code("AccessDenied").build());
        assert_eq!(eval_logging(&[d]).status, EvidenceStatus::Unknown);
    }
}
