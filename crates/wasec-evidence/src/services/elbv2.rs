//! Elastic Load Balancing v2 (ALB/NLB): HTTP only as a redirect to HTTPS,
//! TLS 1.2+ policies, ALBs drop invalid headers, ALB access logs, and
//! internal ALBs that authenticate their clients (mutual TLS or ALB
//! authentication).
//!
//! Calls per region: `DescribeLoadBalancers` (paginated), then per load
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
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;
use wasec_core::Text;

const A_LBS: &str = "elasticloadbalancing:DescribeLoadBalancers";
const A_LISTENERS: &str = "elasticloadbalancing:DescribeListeners";
const A_ATTRS: &str = "elasticloadbalancing:DescribeLoadBalancerAttributes";

#[derive(Debug, Clone, PartialEq)]
struct Listener {
    port: i32,
    protocol: String,
    ssl_policy: Option<String>,
    /// Default action redirects to HTTPS.
    redirects_to_https: bool,
    /// Mutual TLS mode: `off`, `passthrough` or `verify`.
    mtls: Option<String>,
    /// Default action authenticates users (OIDC or Cognito).
    authenticates: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Lb {
    arn: String,
    internet_facing: bool,
    alb: bool,
    listeners: Result<Vec<Listener>, Failure>,
    /// ALB attributes; `None` for other types.
    attrs: Option<Result<HashMap<String, String>, Failure>>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let lbs = client
        .describe_load_balancers()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LBS, &e))?;
    let mut lbs: Vec<Lb> = futures::stream::iter(lbs)
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
                    .map(|ls| ls.iter().map(listener).collect())
                    .map_err(|e| Failure::from_sdk(A_LISTENERS, &e));
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
                            .map_err(|e| Failure::from_sdk(A_ATTRS, &e)),
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
    lbs.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(evaluate(&lbs))
}

fn listener(l: &aws_sdk_elasticloadbalancingv2::types::Listener) -> Listener {
    Listener {
        port: l.port().unwrap_or_default(),
        protocol: l
            .protocol()
            .map(|p| p.as_str().to_string())
            .unwrap_or_default(),
        ssl_policy: l.ssl_policy().map(str::to_string),
        redirects_to_https: l.default_actions().iter().any(|a| {
            a.r#type() == Some(&ActionTypeEnum::Redirect)
                && a.redirect_config().and_then(|r| r.protocol()) == Some("HTTPS")
        }),
        mtls: l
            .mutual_authentication()
            .and_then(|m| m.mode())
            .map(str::to_string),
        authenticates: l.default_actions().iter().any(|a| {
            matches!(
                a.r#type(),
                Some(ActionTypeEnum::AuthenticateOidc | ActionTypeEnum::AuthenticateCognito)
            )
        }),
    }
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
    vec![
        eval_https_only(lbs),
        eval_tls(lbs),
        eval_logging(lbs),
        eval_mutual_tls(lbs),
    ]
}

/// Collects failures with their reasons, remembering whether any is
/// internet-facing.
#[derive(Default)]
struct Tally {
    judged: usize,
    bad: Vec<(String, Text)>,
    public: bool,
    error: Option<Failure>,
}

impl Tally {
    fn judge(&mut self, lb: &Lb, problem: Option<Text>) {
        self.judged += 1;
        if let Some(why) = problem {
            self.bad.push((lb.arn.clone(), why));
            self.public |= lb.internet_facing;
        }
    }

    fn error(&mut self, f: &Failure) {
        self.error.get_or_insert(f.clone());
    }

    fn finish(self, id: CheckId, fail: (&str, &str), pass: (&str, &str), none: Text) -> Finding {
        let n = self.judged;
        if !self.bad.is_empty() {
            let k = self.bad.len();
            let en: Vec<String> = self
                .bad
                .iter()
                .map(|(a, w)| format!("{a} ({})", w.en))
                .collect();
            let ja: Vec<String> = self
                .bad
                .iter()
                .map(|(a, w)| format!("{a}({})", w.ja))
                .collect();
            let (list_en, list_ja) = (sample(&en, 3), sample(&ja, 3));
            let (fail_en, fail_ja) = fail;
            return Finding::fail(
                id,
                tr!(
                    "{k} of {n} load balancers {fail_en}: {list_en}",
                    "ロードバランサー {n} 件中 {k} 件が{fail_ja}: {list_ja}"
                ),
            )
            .with_resources(self.bad.into_iter().map(|(a, _)| a))
            .public(self.public);
        }
        if let Some(f) = self.error {
            return f.finding(id);
        }
        if n == 0 {
            return Finding::not_applicable(id, none);
        }
        let (en, ja) = pass;
        Finding::pass(
            id,
            tr!(
                "all {n} load balancers {en}",
                "ロードバランサー {n} 件すべてが{ja}"
            ),
        )
    }
}

/// Listener ports as `HTTP:80, HTTPS:8443`.
fn ports(ls: &[&Listener]) -> String {
    ls.iter()
        .map(|l| format!("{}:{}", l.protocol, l.port))
        .collect::<Vec<_>>()
        .join(", ")
}

fn eval_https_only(lbs: &[Lb]) -> Finding {
    let mut t = Tally::default();
    for lb in lbs.iter().filter(|l| l.alb) {
        match &lb.listeners {
            Ok(ls) => {
                let plain: Vec<&Listener> = ls
                    .iter()
                    .filter(|l| l.protocol == "HTTP" && !l.redirects_to_https)
                    .collect();
                let p = ports(&plain);
                t.judge(
                    lb,
                    (!plain.is_empty())
                        .then(|| tr!("{p} forwards plain HTTP", "{p} が平文の HTTP を転送")),
                )
            }
            Err(f) => t.error(f),
        }
    }
    t.finish(
        CheckId::ElbHttpsOnly,
        (
            "serve plain HTTP without redirecting to HTTPS",
            "HTTPS へリダイレクトせずに平文の HTTP を提供しています",
        ),
        (
            "use HTTPS or redirect HTTP to HTTPS",
            "HTTPS を使うか HTTP を HTTPS へリダイレクトしています",
        ),
        tr!(
            "no application load balancer in this region",
            "このリージョンに Application Load Balancer はありません"
        ),
    )
}

fn eval_tls(lbs: &[Lb]) -> Finding {
    let mut t = Tally::default();
    for lb in lbs {
        let listeners = match &lb.listeners {
            Ok(ls) => ls,
            Err(f) => {
                t.error(f);
                continue;
            }
        };
        let tls: Vec<&Listener> = listeners
            .iter()
            .filter(|l| l.protocol == "HTTPS" || l.protocol == "TLS")
            .collect();
        let headers_ok = match &lb.attrs {
            Some(Ok(a)) => attr_true(a, "routing.http.drop_invalid_header_fields.enabled"),
            Some(Err(f)) => {
                t.error(f);
                true
            }
            None => true,
        };
        if tls.is_empty() && !lb.alb {
            continue;
        }
        let mut why: Vec<Text> = tls
            .iter()
            .filter(|l| !l.ssl_policy.as_deref().is_some_and(policy_is_modern))
            .map(|l| {
                let (port, policy) = (l.port, l.ssl_policy.clone().unwrap_or_default());
                tr!(
                    "port {port} policy {policy}",
                    "ポート {port} のポリシー {policy}"
                )
            })
            .collect();
        if !headers_ok {
            why.push(tr!(
                "drop_invalid_header_fields off",
                "drop_invalid_header_fields が無効"
            ));
        }
        t.judge(lb, join(why));
    }
    t.finish(
        CheckId::ElbTlsPolicyModern,
        (
            "allow TLS below 1.2 or (ALB) keep invalid HTTP headers",
            "TLS 1.2 未満を許可するか、（ALB で）不正な HTTP ヘッダーを残しています",
        ),
        (
            "use TLS 1.2+ policies and drop invalid headers",
            "TLS 1.2 以上のポリシーを使い、不正なヘッダーを破棄しています",
        ),
        tr!(
            "no load balancer with TLS listeners in this region",
            "このリージョンに TLS リスナーのあるロードバランサーはありません"
        ),
    )
}

fn join(parts: Vec<Text>) -> Option<Text> {
    (!parts.is_empty()).then(|| {
        Text::new(
            parts
                .iter()
                .map(|p| p.en.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            parts
                .iter()
                .map(|p| p.ja.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        )
    })
}

fn eval_logging(lbs: &[Lb]) -> Finding {
    let mut t = Tally::default();
    for lb in lbs {
        match &lb.attrs {
            Some(Ok(a)) => t.judge(
                lb,
                (!attr_true(a, "access_logs.s3.enabled")).then(|| {
                    tr!(
                        "access_logs.s3.enabled false",
                        "access_logs.s3.enabled が false"
                    )
                }),
            ),
            Some(Err(f)) => t.error(f),
            None => {}
        }
    }
    t.finish(
        CheckId::ElbAccessLogs,
        ("have access logging off", "アクセスログが無効です"),
        ("write access logs", "アクセスログを記録しています"),
        tr!(
            "no application load balancer in this region",
            "このリージョンに Application Load Balancer はありません"
        ),
    )
}

/// Internal ALBs carry service-to-service traffic, where each side should
/// prove who it is: an HTTPS listener should verify client certificates
/// (mutual TLS `verify`, or `passthrough` to targets that verify) or
/// authenticate users (OIDC/Cognito). Internet-facing ALBs serve the public
/// and are not judged here.
fn eval_mutual_tls(lbs: &[Lb]) -> Finding {
    let mut t = Tally::default();
    for lb in lbs.iter().filter(|l| l.alb && !l.internet_facing) {
        match &lb.listeners {
            Ok(ls) => {
                let https: Vec<&Listener> = ls.iter().filter(|l| l.protocol == "HTTPS").collect();
                if https.is_empty() {
                    continue;
                }
                let open: Vec<&Listener> = https
                    .into_iter()
                    .filter(|l| {
                        !l.authenticates
                            && !matches!(l.mtls.as_deref(), Some("verify" | "passthrough"))
                    })
                    .collect();
                let p = ports(&open);
                t.judge(
                    lb,
                    (!open.is_empty()).then(|| {
                        tr!(
                            "{p} mutual TLS off, no ALB authentication",
                            "{p} は相互 TLS 無効で ALB の認証もなし"
                        )
                    }),
                )
            }
            Err(f) => t.error(f),
        }
    }
    t.finish(
        CheckId::ElbMutualTls,
        (
            "accept clients without mutual TLS or ALB authentication (the application may still authenticate: confirm)",
            "相互 TLS も ALB の認証もなしにクライアントを受け付けています（アプリケーション側で認証している可能性があるため確認してください）",
        ),
        (
            "verify client certificates or authenticate users",
            "クライアント証明書を検証するかユーザーを認証しています",
        ),
        tr!(
            "no internal application load balancer with an HTTPS listener in this region",
            "このリージョンに HTTPS リスナーのある内部向け Application Load Balancer はありません"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn listener(protocol: &str, policy: Option<&str>, redirect: bool) -> Listener {
        Listener {
            port: if protocol == "HTTP" { 80 } else { 443 },
            protocol: protocol.into(),
            ssl_policy: policy.map(str::to_string),
            redirects_to_https: redirect,
            mtls: None,
            authenticates: false,
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
    fn well_configured_public_alb_passes_and_is_not_judged_for_mutual_tls() {
        let lb = alb(
            "a",
            true,
            vec![
                listener("HTTP", None, true),
                listener("HTTPS", Some(MODERN), false),
            ],
        );
        let f = evaluate(&[lb]);
        assert!(
            f[..3].iter().all(|x| x.status == EvidenceStatus::Pass),
            "{f:?}"
        );
        assert_eq!(f[3].status, EvidenceStatus::NotApplicable);
    }

    #[test]
    fn plain_http_on_public_alb_fails_naming_the_listener() {
        let lb = alb("a", true, vec![listener("HTTP", None, false)]);
        let f = eval_https_only(&[lb]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources, vec!["a".to_string()]);
        assert!(
            f.summary.en.contains("a (HTTP:80 forwards plain HTTP)"),
            "{}",
            f.summary.en
        );
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
        let f = eval_tls(&[old]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(
            f.summary
                .en
                .contains("port 443 policy ELBSecurityPolicy-2016-08")
        );
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
    fn internal_albs_must_authenticate_clients() {
        let mut verify = listener("HTTPS", Some(MODERN), false);
        verify.mtls = Some("verify".into());
        let mut oidc = listener("HTTPS", Some(MODERN), false);
        oidc.authenticates = true;
        let open = listener("HTTPS", Some(MODERN), false);
        let f = eval_mutual_tls(&[
            alb("ok", false, vec![verify]),
            alb("sso", false, vec![oidc]),
            alb("open", false, vec![open.clone()]),
            alb("public", true, vec![open]),
        ]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["open".to_string()]);
        assert!(
            f.summary.en.starts_with("1 of 3 load balancers"),
            "{}",
            f.summary.en
        );
        assert!(f.summary.en.contains("HTTPS:443 mutual TLS off"));
        assert!(!f.public);
    }

    #[test]
    fn listener_errors_are_unknown() {
        let mut lb = alb("a", true, vec![]);
        lb.listeners = Err(Failure::new(
            A_LISTENERS,
            FailureKind::AccessDenied,
            "AccessDenied",
        ));
        let f = evaluate(&[lb]);
        assert_eq!(f[0].status, EvidenceStatus::Unknown);
        assert_eq!(f[1].status, EvidenceStatus::Unknown);
        assert_eq!(f[2].status, EvidenceStatus::Pass);
    }
}
