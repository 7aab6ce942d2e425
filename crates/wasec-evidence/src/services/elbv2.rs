//! Elastic Load Balancing v2 (ALB/NLB): HTTP only as a redirect to HTTPS,
//! modern TLS policies, ALBs drop invalid headers, ALB access logs.
//!
//! Calls per Region: `DescribeLoadBalancers` (paginated), then per load
//! balancer `DescribeListeners` and, for ALBs only,
//! `DescribeLoadBalancerAttributes`. Failures on internet-facing load
//! balancers are flagged `public`.
//!
//! Only the listener's default action is read for the redirect check; a
//! listener rule that forwards plain HTTP is not seen (that would cost one
//! `DescribeRules` call per listener).

use std::collections::HashMap;

use aws_sdk_elasticloadbalancingv2::Client;
use aws_sdk_elasticloadbalancingv2::types::{
    ActionTypeEnum, LoadBalancerSchemeEnum, LoadBalancerTypeEnum,
};
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const HTTPS_ONLY: &str = "elb.https_only";
const TLS_POLICY: &str = "elb.tls_policy_modern";
const LOGGING: &str = "service_logging.coverage";

const A_LBS: &str = "elasticloadbalancing:DescribeLoadBalancers";
const A_LISTENERS: &str = "elasticloadbalancing:DescribeListeners";
const A_ATTRS: &str = "elasticloadbalancing:DescribeLoadBalancerAttributes";

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: HTTPS_ONLY,
        title_en: "Load balancers serve HTTPS only (HTTP redirects)",
        title_ja: "ロードバランサーの HTTPS 限定（HTTP はリダイレクト）",
        bps: &["SEC09-BP02"],
        service: "elasticloadbalancing",
        actions: &[A_LBS, A_LISTENERS],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: TLS_POLICY,
        title_en: "Modern TLS policies on load balancer listeners",
        title_ja: "ロードバランサーリスナーの最新 TLS ポリシー",
        bps: &["SEC09-BP02"],
        service: "elasticloadbalancing",
        actions: &[A_LBS, A_LISTENERS, A_ATTRS],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: LOGGING,
        title_en: "Access logging on services",
        title_ja: "サービスのアクセスログ記録",
        bps: &["SEC04-BP01"],
        service: "elasticloadbalancing",
        // Declared once for every module that reports logging coverage
        // (CloudFront, WAF and RDS report under this id too).
        actions: &[
            A_LBS,
            A_ATTRS,
            "cloudfront:GetDistributionConfig",
            "wafv2:ListWebACLs",
            "wafv2:GetLoggingConfiguration",
            "rds:DescribeDBInstances",
            "rds:DescribeDBClusters",
        ],
        scope: Scope::Regional,
    },
];

#[derive(Debug, Clone, PartialEq)]
struct Listener {
    protocol: String,
    ssl_policy: Option<String>,
    /// Default action redirects to HTTPS.
    redirects_to_https: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Lb {
    arn: String,
    internet_facing: bool,
    alb: bool,
    listeners: Result<Vec<Listener>, ErrorMetadata>,
    /// ALB attributes; `None` for other types.
    attrs: Option<Result<HashMap<String, String>, ErrorMetadata>>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let lbs = match client
        .describe_load_balancers()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
    {
        Ok(l) => l,
        Err(e) => {
            return CHECKS
                .iter()
                .map(|c| Finding::unknown_from(c.id, A_LBS, &e))
                .collect();
        }
    };
    let lbs: Vec<Lb> = futures::stream::iter(lbs)
        .map(|lb| {
            let client = client.clone();
            async move {
                let arn = lb.load_balancer_arn().unwrap_or_default().to_string();
                let alb = lb.r#type() == Some(&LoadBalancerTypeEnum::Application);
                let listeners = client
                    .describe_listeners()
                    .load_balancer_arn(&arn)
                    .into_paginator()
                    .items()
                    .send()
                    .try_collect()
                    .await
                    .map(|ls| {
                        ls.iter()
                            .map(|l| Listener {
                                protocol: l
                                    .protocol()
                                    .map(|p| p.as_str().to_string())
                                    .unwrap_or_default(),
                                ssl_policy: l.ssl_policy().map(str::to_string),
                                redirects_to_https: l.default_actions().iter().any(|a| {
                                    a.r#type() == Some(&ActionTypeEnum::Redirect)
                                        && a.redirect_config().and_then(|r| r.protocol())
                                            == Some("HTTPS")
                                }),
                            })
                            .collect()
                    })
                    .map_err(|e| e.meta().clone());
                let attrs = if alb {
                    Some(
                        client
                            .describe_load_balancer_attributes()
                            .load_balancer_arn(&arn)
                            .send()
                            .await
                            .map(|a| {
                                a.attributes()
                                    .iter()
                                    .filter_map(|kv| {
                                        Some((kv.key()?.to_string(), kv.value()?.to_string()))
                                    })
                                    .collect()
                            })
                            .map_err(|e| e.meta().clone()),
                    )
                } else {
                    None
                };
                Lb {
                    arn,
                    // AWS creates internet-facing load balancers unless told
                    // otherwise; a missing scheme is read the same way.
                    internet_facing: lb.scheme() != Some(&LoadBalancerSchemeEnum::Internal),
                    alb,
                    listeners,
                    attrs,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    evaluate(&lbs)
}

/// TLS policies that allow only TLS 1.2 or later.
fn policy_is_modern(policy: &str) -> bool {
    ["TLS13", "TLS-1-2", "FS-1-2"]
        .iter()
        .any(|p| policy.contains(p))
}

fn attr_true(attrs: &HashMap<String, String>, key: &str) -> bool {
    attrs.get(key).is_some_and(|v| v == "true")
}

fn evaluate(lbs: &[Lb]) -> Vec<Finding> {
    vec![eval_https_only(lbs), eval_tls(lbs), eval_logging(lbs)]
}

/// Collects failures, remembering whether any is internet-facing.
#[derive(Default)]
struct Tally {
    judged: usize,
    bad: Vec<String>,
    public: bool,
    error: Option<(&'static str, ErrorMetadata)>,
}

impl Tally {
    fn judge(&mut self, lb: &Lb, ok: bool) {
        self.judged += 1;
        if !ok {
            self.bad.push(lb.arn.clone());
            self.public |= lb.internet_facing;
        }
    }

    fn error(&mut self, action: &'static str, e: &ErrorMetadata) {
        self.error.get_or_insert((action, e.clone()));
    }

    fn finish(self, check: &'static str, fail: &str, pass: &str, none: &str) -> Finding {
        let n = self.judged;
        if !self.bad.is_empty() {
            let exposed = if self.public {
                " (internet-facing among them)"
            } else {
                ""
            };
            Finding::fail(
                check,
                format!("{} of {n} load balancer(s) {fail}{exposed}", self.bad.len()),
            )
            .with_resources(self.bad)
            .public(self.public)
        } else if let Some((action, e)) = self.error {
            Finding::unknown_from(check, action, &e)
        } else if n == 0 {
            Finding::not_applicable(check, none)
        } else {
            Finding::pass(check, format!("all {n} load balancer(s) {pass}"))
        }
    }
}

fn eval_https_only(lbs: &[Lb]) -> Finding {
    let mut t = Tally::default();
    for lb in lbs.iter().filter(|l| l.alb) {
        match &lb.listeners {
            Ok(ls) => t.judge(
                lb,
                ls.iter()
                    .all(|l| l.protocol != "HTTP" || l.redirects_to_https),
            ),
            Err(e) => t.error(A_LISTENERS, e),
        }
    }
    t.finish(
        HTTPS_ONLY,
        "serve plain HTTP without redirecting to HTTPS",
        "use HTTPS or redirect HTTP to HTTPS",
        "no application load balancer in this Region",
    )
}

fn eval_tls(lbs: &[Lb]) -> Finding {
    let mut t = Tally::default();
    for lb in lbs {
        let listeners = match &lb.listeners {
            Ok(ls) => ls,
            Err(e) => {
                t.error(A_LISTENERS, e);
                continue;
            }
        };
        let tls: Vec<&Listener> = listeners
            .iter()
            .filter(|l| l.protocol == "HTTPS" || l.protocol == "TLS")
            .collect();
        let headers_ok = match &lb.attrs {
            Some(Ok(a)) => attr_true(a, "routing.http.drop_invalid_header_fields.enabled"),
            Some(Err(e)) => {
                t.error(A_ATTRS, e);
                true
            }
            None => true,
        };
        if tls.is_empty() && !lb.alb {
            continue;
        }
        let policies_ok = tls
            .iter()
            .all(|l| l.ssl_policy.as_deref().is_some_and(policy_is_modern));
        t.judge(lb, policies_ok && headers_ok);
    }
    t.finish(
        TLS_POLICY,
        "allow TLS below 1.2 or (ALB) keep invalid HTTP headers",
        "use TLS 1.2+ policies and drop invalid headers",
        "no load balancer with TLS listeners in this Region",
    )
}

fn eval_logging(lbs: &[Lb]) -> Finding {
    let mut t = Tally::default();
    for lb in lbs {
        match &lb.attrs {
            Some(Ok(a)) => t.judge(lb, attr_true(a, "access_logs.s3.enabled")),
            Some(Err(e)) => t.error(A_ATTRS, e),
            None => {}
        }
    }
    t.finish(
        LOGGING,
        "(ALB) have access logging off",
        "(ALB) write access logs",
        "no application load balancer in this Region",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn listener(protocol: &str, policy: Option<&str>, redirect: bool) -> Listener {
        Listener {
            protocol: protocol.into(),
            ssl_policy: policy.map(str::to_string),
            redirects_to_https: redirect,
        }
    }

    fn alb(arn: &str, public: bool, listeners: Vec<Listener>) -> Lb {
        let attrs: HashMap<String, String> = [
            (
                "routing.http.drop_invalid_header_fields.enabled".to_string(),
                "true".to_string(),
            ),
            ("access_logs.s3.enabled".to_string(), "true".to_string()),
        ]
        .into();
        Lb {
            arn: arn.into(),
            internet_facing: public,
            alb: true,
            listeners: Ok(listeners),
            attrs: Some(Ok(attrs)),
        }
    }

    const MODERN: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    #[test]
    fn well_configured_alb_passes_all() {
        let lb = alb(
            "a",
            true,
            vec![
                listener("HTTP", None, true),
                listener("HTTPS", Some(MODERN), false),
            ],
        );
        let f = evaluate(&[lb]);
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Pass), "{f:?}");
    }

    #[test]
    fn plain_http_on_public_alb_fails_and_is_public() {
        let lb = alb("a", true, vec![listener("HTTP", None, false)]);
        let f = eval_https_only(&[lb]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources, vec!["a".to_string()]);
        let internal = alb("b", false, vec![listener("HTTP", None, false)]);
        assert!(!eval_https_only(&[internal]).public);
    }

    #[test]
    fn old_tls_policy_or_kept_headers_fail() {
        let old = alb(
            "a",
            false,
            vec![listener("HTTPS", Some("ELBSecurityPolicy-2016-08"), false)],
        );
        assert_eq!(eval_tls(&[old]).status, EvidenceStatus::Fail);
        let mut headers = alb("b", false, vec![listener("HTTPS", Some(MODERN), false)]);
        headers.attrs = Some(Ok(HashMap::new()));
        assert_eq!(eval_tls(&[headers]).status, EvidenceStatus::Fail);
        assert!(policy_is_modern("ELBSecurityPolicy-FS-1-2-Res-2020-10"));
        assert!(policy_is_modern("ELBSecurityPolicy-TLS-1-2-Ext-2018-06"));
        assert!(!policy_is_modern("ELBSecurityPolicy-TLS-1-1-2017-01"));
    }

    #[test]
    fn nlb_without_tls_is_not_judged() {
        let nlb = Lb {
            arn: "n".into(),
            internet_facing: true,
            alb: false,
            listeners: Ok(vec![listener("TCP", None, false)]),
            attrs: None,
        };
        let f = evaluate(&[nlb]);
        assert!(
            f.iter().all(|x| x.status == EvidenceStatus::NotApplicable),
            "{f:?}"
        );
    }

    #[test]
    fn access_logs_off_fails() {
        let mut lb = alb("a", true, vec![]);
        lb.attrs = Some(Ok(HashMap::from([(
            "access_logs.s3.enabled".to_string(),
            "false".to_string(),
        )])));
        let f = eval_logging(&[lb]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
    }

    #[test]
    fn listener_errors_are_unknown() {
        let mut lb = alb("a", true, vec![]);
        lb.listeners = Err(ErrorMetadata::builder().code("AccessDenied").build());
        let f = evaluate(&[lb]);
        assert_eq!(f[0].status, EvidenceStatus::Unknown);
        assert_eq!(f[1].status, EvidenceStatus::Unknown);
        assert_eq!(f[2].status, EvidenceStatus::Pass);
    }
}
