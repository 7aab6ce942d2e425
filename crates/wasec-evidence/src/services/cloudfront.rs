//! CloudFront (global): viewers and origins reached over HTTPS with TLS 1.2
//! or later, a WAF web ACL on every distribution, standard access logging.
//!
//! Calls (once per account): `ListDistributions` (paginated; the summaries
//! carry behaviors, origins, certificate and web ACL) and
//! `GetDistributionConfig` per distribution, only for the logging setting.
//! Every distribution is internet-facing, so failures are `public`.

use aws_sdk_cloudfront::Client;
use aws_sdk_cloudfront::types::DistributionSummary;
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;
use wasec_core::Text;

const A_LIST: &str = "cloudfront:ListDistributions";
const A_CONFIG: &str = "cloudfront:GetDistributionConfig";

/// Viewer security policies that still allow TLS below 1.2.
const OLD_VIEWER_TLS: &[&str] = &["SSLv3", "TLSv1", "TLSv1_2016", "TLSv1.1_2016"];

#[derive(Debug, Clone, PartialEq)]
struct Origin {
    id: String,
    /// `None` for S3/VPC origins (always HTTPS or private).
    protocol_policy: Option<String>,
    ssl_protocols: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Dist {
    arn: String,
    /// (path pattern, viewer protocol policy); `*` is the default behavior.
    viewer_policies: Vec<(String, String)>,
    /// Only set for custom certificates; the default certificate cannot be tuned.
    min_tls: Option<String>,
    origins: Vec<Origin>,
    web_acl: bool,
    logging: Result<bool, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let pages = client
        .list_distributions()
        .into_paginator()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
    let summaries: Vec<DistributionSummary> = pages
        .iter()
        .filter_map(|p| p.distribution_list())
        .flat_map(|l| l.items().iter().cloned())
        .collect();
    let mut dists: Vec<Dist> = futures::stream::iter(summaries)
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
                    .map_err(|e| Failure::from_sdk(A_CONFIG, &e));
                to_dist(&s, logging)
            }
        })
        .buffered(4)
        .collect()
        .await;
    dists.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(evaluate(&dists))
}

fn to_dist(s: &DistributionSummary, logging: Result<bool, Failure>) -> Dist {
    let mut viewer_policies: Vec<(String, String)> = s
        .default_cache_behavior()
        .map(|b| {
            (
                "*".to_string(),
                b.viewer_protocol_policy().as_str().to_string(),
            )
        })
        .into_iter()
        .collect();
    if let Some(cb) = s.cache_behaviors() {
        viewer_policies.extend(cb.items().iter().map(|b| {
            (
                b.path_pattern().to_string(),
                b.viewer_protocol_policy().as_str().to_string(),
            )
        }));
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
                id: o.id().to_string(),
                protocol_policy: Some(c.origin_protocol_policy().as_str().to_string()),
                ssl_protocols: c
                    .origin_ssl_protocols()
                    .map(|p| p.items().iter().map(|x| x.as_str().to_string()).collect())
                    .unwrap_or_default(),
            },
            None => Origin {
                id: o.id().to_string(),
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
    use CheckId::*;
    if dists.is_empty() {
        let none = tr!(
            "no CloudFront distribution",
            "CloudFront ディストリビューションはありません"
        );
        return [CloudFrontTls, CloudFrontWafEnabled, CloudFrontAccessLogs]
            .into_iter()
            .map(|id| Finding::not_applicable(id, none.clone()))
            .collect();
    }
    vec![eval_tls(dists), eval_waf(dists), eval_logging(dists)]
}

/// The transport problems of one distribution, each naming the property.
fn tls_problems(d: &Dist) -> Vec<Text> {
    let mut p = Vec::new();
    let http: Vec<&str> = d
        .viewer_policies
        .iter()
        .filter(|(_, v)| v == "allow-all")
        .map(|(path, _)| path.as_str())
        .collect();
    if !http.is_empty() {
        let paths = http.join(" ");
        p.push(tr!(
            "viewer protocol allow-all on {paths}",
            "{paths} のビューワープロトコルが allow-all"
        ));
    }
    if let Some(m) = d.min_tls.as_deref().filter(|m| OLD_VIEWER_TLS.contains(m)) {
        p.push(tr!(
            "viewer security policy {m}",
            "ビューワーのセキュリティポリシー {m}"
        ));
    }
    for o in &d.origins {
        let id = &o.id;
        match o.protocol_policy.as_deref() {
            Some("http-only") => p.push(tr!("origin {id} http-only", "オリジン {id} が http-only")),
            Some("match-viewer") if !http.is_empty() => p.push(tr!(
                "origin {id} match-viewer with HTTP viewers",
                "オリジン {id} が match-viewer で HTTP のビューワーあり"
            )),
            _ => {}
        }
        if o.ssl_protocols
            .iter()
            .any(|s| s == "SSLv3" || s == "TLSv1" || s == "TLSv1.1")
        {
            p.push(tr!(
                "origin {id} allows TLS below 1.2",
                "オリジン {id} が TLS 1.2 未満を許可"
            ));
        }
    }
    p
}

/// A failing listing of distributions with their reasons.
fn fail_list(bad: &[(&Dist, Vec<Text>)]) -> (String, String) {
    let en: Vec<String> = bad
        .iter()
        .map(|(d, w)| {
            let w: Vec<&str> = w.iter().map(|t| t.en.as_str()).collect();
            format!("{} ({})", d.arn, w.join(", "))
        })
        .collect();
    let ja: Vec<String> = bad
        .iter()
        .map(|(d, w)| {
            let w: Vec<&str> = w.iter().map(|t| t.ja.as_str()).collect();
            format!("{}({})", d.arn, w.join("、"))
        })
        .collect();
    (sample(&en, 3), sample(&ja, 3))
}

fn eval_tls(dists: &[Dist]) -> Finding {
    let id = CheckId::CloudFrontTls;
    let bad: Vec<(&Dist, Vec<Text>)> = dists
        .iter()
        .map(|d| (d, tls_problems(d)))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let n = dists.len();
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} distributions use HTTPS with TLS 1.2 or later to viewers and origins",
                "ディストリビューション {n} 件すべてがビューワーとオリジンに TLS 1.2 以上の HTTPS を使っています"
            ),
        );
    }
    let k = bad.len();
    let (list_en, list_ja) = fail_list(&bad);
    Finding::fail(
        id,
        tr!(
            "{k} of {n} distributions allow plain HTTP or TLS below 1.2: {list_en}",
            "ディストリビューション {n} 件中 {k} 件が平文の HTTP または TLS 1.2 未満を許可しています: {list_ja}"
        ),
    )
    .with_resources(bad.iter().map(|(d, _)| d.arn.clone()))
    .public(true)
}

fn eval_waf(dists: &[Dist]) -> Finding {
    let id = CheckId::CloudFrontWafEnabled;
    let bad: Vec<String> = dists
        .iter()
        .filter(|d| !d.web_acl)
        .map(|d| d.arn.clone())
        .collect();
    let n = dists.len();
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} distributions have a WAF web ACL",
                "ディストリビューション {n} 件すべてに WAF ウェブ ACL があります"
            ),
        );
    }
    let (k, list) = (bad.len(), sample(&bad, 5));
    Finding::fail(
        id,
        tr!(
            "{k} of {n} distributions have no WAF web ACL: {list}",
            "ディストリビューション {n} 件中 {k} 件に WAF ウェブ ACL がありません: {list}"
        ),
    )
    .with_resources(bad)
    .public(true)
}

fn eval_logging(dists: &[Dist]) -> Finding {
    let id = CheckId::CloudFrontAccessLogs;
    let bad: Vec<String> = dists
        .iter()
        .filter(|d| matches!(d.logging, Ok(false)))
        .map(|d| d.arn.clone())
        .collect();
    let n = dists.len();
    if !bad.is_empty() {
        let (k, list) = (bad.len(), sample(&bad, 5));
        return Finding::fail(
            id,
            tr!(
                "{k} of {n} distributions have standard access logging off: {list}",
                "ディストリビューション {n} 件中 {k} 件で標準アクセスログが無効です: {list}"
            ),
        )
        .with_resources(bad)
        .public(true);
    }
    if let Some(f) = dists.iter().find_map(|d| d.logging.as_ref().err()) {
        return f.finding(id);
    }
    Finding::pass(
        id,
        tr!(
            "all {n} distributions write standard access logs",
            "ディストリビューション {n} 件すべてが標準アクセスログを記録しています"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn good(arn: &str) -> Dist {
        Dist {
            arn: arn.into(),
            viewer_policies: vec![
                ("*".into(), "redirect-to-https".into()),
                ("/api/*".into(), "https-only".into()),
            ],
            min_tls: Some("TLSv1.2_2021".into()),
            origins: vec![
                Origin {
                    id: "app".into(),
                    protocol_policy: Some("https-only".into()),
                    ssl_protocols: vec!["TLSv1.2".into()],
                },
                Origin {
                    id: "bucket".into(),
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
        let f = evaluate(&[]);
        assert_eq!(f.len(), 3);
        assert!(f.iter().all(|f| f.status == EvidenceStatus::NotApplicable));
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
    fn http_viewers_and_origins_fail_naming_path_and_origin() {
        let mut d = good("d");
        d.viewer_policies
            .push(("/img/*".into(), "allow-all".into()));
        d.origins[0].protocol_policy = Some("match-viewer".into());
        let p: Vec<String> = tls_problems(&d).into_iter().map(|t| t.en).collect();
        assert_eq!(
            p,
            vec![
                "viewer protocol allow-all on /img/*",
                "origin app match-viewer with HTTP viewers"
            ]
        );
        let f = eval_tls(&[d, good("ok")]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources, vec!["d".to_string()]);
        assert!(
            f.summary
                .ja
                .contains("/img/* のビューワープロトコルが allow-all")
        );
    }

    #[test]
    fn old_tls_fails_and_the_default_certificate_is_not_judged() {
        let mut d = good("d");
        d.min_tls = Some("TLSv1_2016".into());
        d.origins[0].ssl_protocols.push("TLSv1".into());
        let p: Vec<String> = tls_problems(&d).into_iter().map(|t| t.en).collect();
        assert_eq!(
            p,
            vec![
                "viewer security policy TLSv1_2016",
                "origin app allows TLS below 1.2"
            ]
        );
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
        d.logging = Err(Failure::new(
            A_CONFIG,
            FailureKind::AccessDenied,
            "AccessDenied",
        ));
        assert_eq!(eval_logging(&[d]).status, EvidenceStatus::Unknown);
    }
}
