//! Classic Load Balancers (the Elastic Load Balancing API before v2):
//! connections over HTTPS or SSL only, TLS 1.2+ negotiation policies, and
//! access logs.
//!
//! Calls per region: `DescribeLoadBalancers` (paginated; it carries the
//! listeners and the policy names each listener uses), then per load
//! balancer `DescribeLoadBalancerAttributes` and, only for load balancers
//! with an HTTPS or SSL listener, `DescribeLoadBalancerPolicies`. Failures
//! on internet-facing load balancers are flagged `public`.
//!
//! A classic load balancer cannot redirect HTTP to HTTPS itself, so every
//! HTTP listener carries plain traffic. A TCP listener whose front and back
//! port are both 443 is taken as TLS passed through to the instances and
//! not judged.

use std::collections::BTreeMap;

use aws_sdk_elasticloadbalancing::Client;
use futures::StreamExt;

use super::ServiceCtx;
use super::tally::{Noun, Tally, join};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use wasec_core::Text;

const A_LBS: &str = "elasticloadbalancing:DescribeLoadBalancers";
const A_ATTRS: &str = "elasticloadbalancing:DescribeLoadBalancerAttributes";
const A_POLICIES: &str = "elasticloadbalancing:DescribeLoadBalancerPolicies";

const LBS: Noun = Noun {
    en: "classic load balancers",
    ja: "Classic Load Balancer",
};

/// Protocols a negotiation policy may enable that are older than TLS 1.2.
const OLD_PROTOCOLS: &[&str] = &[
    "Protocol-SSLv2",
    "Protocol-SSLv3",
    "Protocol-TLSv1",
    "Protocol-TLSv1.1",
];

#[derive(Debug, Clone, PartialEq)]
struct Listener {
    protocol: String,
    port: i32,
    instance_protocol: String,
    instance_port: i32,
    policy_names: Vec<String>,
}

impl Listener {
    fn label(&self) -> String {
        format!("{}:{}", self.protocol, self.port)
    }

    fn tls(&self) -> bool {
        matches!(self.protocol.as_str(), "HTTPS" | "SSL")
    }

    /// Plain at the load balancer and not an obvious TLS pass-through.
    fn plain(&self) -> bool {
        match self.protocol.as_str() {
            "HTTP" => true,
            "TCP" => {
                !(self.port == 443 && self.instance_port == 443 && self.instance_protocol != "HTTP")
            }
            _ => false,
        }
    }
}

/// A negotiation policy of one load balancer: its attributes by name.
type Policies = BTreeMap<String, BTreeMap<String, String>>;

#[derive(Debug, Clone, PartialEq)]
struct Lb {
    arn: String,
    name: String,
    internet_facing: bool,
    listeners: Vec<Listener>,
    access_logs: Result<bool, Failure>,
    /// Read only when some listener is HTTPS or SSL.
    policies: Option<Result<Policies, Failure>>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let list = client
        .describe_load_balancers()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LBS, &e))?;
    let mut lbs: Vec<Lb> = futures::stream::iter(list)
        .map(|d| {
            let client = client.clone();
            let (account, region) = (cx.account.clone(), cx.region.clone());
            async move {
                let name = d.load_balancer_name().unwrap_or_default().to_string();
                let listeners: Vec<Listener> = d
                    .listener_descriptions()
                    .iter()
                    .filter_map(|ld| {
                        let l = ld.listener()?;
                        Some(Listener {
                            protocol: l.protocol().to_ascii_uppercase(),
                            port: l.load_balancer_port(),
                            instance_protocol: l
                                .instance_protocol()
                                .unwrap_or(l.protocol())
                                .to_ascii_uppercase(),
                            instance_port: l.instance_port(),
                            policy_names: ld.policy_names().to_vec(),
                        })
                    })
                    .collect();
                let access_logs = client
                    .describe_load_balancer_attributes()
                    .load_balancer_name(&name)
                    .send()
                    .await
                    .map(|a| {
                        a.load_balancer_attributes()
                            .and_then(|a| a.access_log())
                            .is_some_and(|l| l.enabled())
                    })
                    .map_err(|e| Failure::from_sdk(A_ATTRS, &e));
                let policies = if listeners.iter().any(Listener::tls) {
                    Some(policies(&client, &name).await)
                } else {
                    None
                };
                Lb {
                    arn: format!(
                        "arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{name}"
                    ),
                    name,
                    internet_facing: d.scheme() != Some("internal"),
                    listeners,
                    access_logs,
                    policies,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    lbs.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(evaluate(&lbs))
}

async fn policies(client: &Client, name: &str) -> Result<Policies, Failure> {
    let out = client
        .describe_load_balancer_policies()
        .load_balancer_name(name)
        .send()
        .await
        .map_err(|e| Failure::from_sdk(A_POLICIES, &e))?;
    Ok(out
        .policy_descriptions()
        .iter()
        .map(|p| {
            let attrs = p
                .policy_attribute_descriptions()
                .iter()
                .filter_map(|a| {
                    Some((
                        a.attribute_name()?.to_string(),
                        a.attribute_value()?.to_string(),
                    ))
                })
                .collect();
            (p.policy_name().unwrap_or_default().to_string(), attrs)
        })
        .collect())
}

fn evaluate(lbs: &[Lb]) -> Vec<Finding> {
    vec![
        eval_listeners(lbs),
        eval_tls_policy(lbs),
        eval_access_logs(lbs),
    ]
}

fn none() -> Text {
    tr!(
        "no classic load balancer in this region",
        "このリージョンに Classic Load Balancer はありません"
    )
}

fn eval_listeners(lbs: &[Lb]) -> Finding {
    let mut t = Tally::new(LBS);
    for lb in lbs {
        let plain: Vec<String> = lb
            .listeners
            .iter()
            .filter(|l| l.plain())
            .map(Listener::label)
            .collect();
        let problem = (!plain.is_empty()).then(|| {
            let p = plain.join(", ");
            if lb.internet_facing {
                tr!(
                    "{p} without TLS, internet-facing",
                    "{p} が TLS なし、インターネット向け"
                )
            } else {
                tr!("{p} without TLS", "{p} が TLS なし")
            }
        });
        t.judge(&lb.arn, &lb.name, problem, lb.internet_facing);
    }
    t.finish(
        CheckId::ClbTlsListeners,
        (
            "accept connections without TLS",
            "TLS なしの接続を受け付けています",
        ),
        (
            "accept HTTPS or SSL connections only",
            "HTTPS または SSL の接続のみを受け付けています",
        ),
        none(),
    )
}

/// What a listener's negotiation policy allows: `None` when it allows
/// TLS 1.2+ only, else why not.
fn weak_policy(listener: &Listener, policies: &Policies) -> Option<Text> {
    let port = listener.port;
    // The listener names its negotiation policy among its policies; a
    // predefined policy may be named directly.
    let named = listener.policy_names.iter().find_map(|n| {
        policies
            .get(n)
            .filter(|attrs| {
                attrs
                    .keys()
                    .any(|k| k.starts_with("Protocol-") || k == "Reference-Security-Policy")
            })
            .map(|attrs| (n.as_str(), Some(attrs)))
            .or_else(|| {
                n.starts_with("ELBSecurityPolicy-")
                    .then_some((n.as_str(), None))
            })
    });
    let Some((name, attrs)) = named else {
        return Some(tr!(
            "port {port} lists no SSL negotiation policy",
            "ポート {port} に SSL ネゴシエーションポリシーがありません"
        ));
    };
    let reference = attrs
        .and_then(|a| a.get("Reference-Security-Policy"))
        .map(String::as_str)
        .unwrap_or(name);
    let enabled_old: Vec<&str> = OLD_PROTOCOLS
        .iter()
        .copied()
        .filter(|p| attrs.is_some_and(|a| a.get(*p).is_some_and(|v| v == "true")))
        .collect();
    let states_protocols = attrs.is_some_and(|a| a.keys().any(|k| k.starts_with("Protocol-")));
    let weak = if states_protocols {
        !enabled_old.is_empty()
    } else {
        !reference_is_modern(reference)
    };
    weak.then(|| {
        let what = if enabled_old.is_empty() {
            reference.to_string()
        } else {
            format!("{name} enables {}", enabled_old.join(", "))
        };
        let what_ja = if enabled_old.is_empty() {
            reference.to_string()
        } else {
            format!("{name} で {} が有効", enabled_old.join(", "))
        };
        tr!(
            "port {port} policy {what}",
            "ポート {port} のポリシー {what_ja}"
        )
    })
}

/// Predefined policies that allow only TLS 1.2 or later.
fn reference_is_modern(policy: &str) -> bool {
    ["TLS13", "TLS-1-2", "FS-1-2"]
        .iter()
        .any(|p| policy.contains(p))
}

fn eval_tls_policy(lbs: &[Lb]) -> Finding {
    let mut t = Tally::new(LBS);
    for lb in lbs {
        let Some(policies) = &lb.policies else {
            continue;
        };
        let policies = match policies {
            Ok(p) => p,
            Err(f) => {
                t.error(f);
                continue;
            }
        };
        let why: Vec<Text> = lb
            .listeners
            .iter()
            .filter(|l| l.tls())
            .filter_map(|l| weak_policy(l, policies))
            .collect();
        t.judge(&lb.arn, &lb.name, join(&why), lb.internet_facing);
    }
    t.finish(
        CheckId::ClbTlsPolicyModern,
        (
            "allow TLS below 1.2 on HTTPS or SSL listeners",
            "HTTPS・SSL リスナーで TLS 1.2 未満を許可しています",
        ),
        (
            "with HTTPS or SSL listeners allow TLS 1.2 or later only",
            "（HTTPS・SSL リスナーあり）TLS 1.2 以上のみを許可しています",
        ),
        tr!(
            "no classic load balancer with an HTTPS or SSL listener in this region",
            "このリージョンに HTTPS・SSL リスナーのある Classic Load Balancer はありません"
        ),
    )
}

fn eval_access_logs(lbs: &[Lb]) -> Finding {
    let mut t = Tally::new(LBS);
    for lb in lbs {
        match &lb.access_logs {
            Ok(on) => t.judge(
                &lb.arn,
                &lb.name,
                (!on).then(|| tr!("AccessLog.Enabled false", "AccessLog.Enabled が false")),
                lb.internet_facing,
            ),
            Err(f) => t.error(f),
        }
    }
    t.finish(
        CheckId::ClbAccessLogs,
        ("have access logging off", "アクセスログを記録していません"),
        ("write access logs", "アクセスログを記録しています"),
        none(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn listener(protocol: &str, port: i32, policies: &[&str]) -> Listener {
        Listener {
            protocol: protocol.into(),
            port,
            instance_protocol: if protocol == "HTTPS" {
                "HTTP".into()
            } else {
                protocol.into()
            },
            instance_port: if port == 443 && protocol == "HTTPS" {
                80
            } else {
                port
            },
            policy_names: policies.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn lb(name: &str, public: bool, listeners: Vec<Listener>, policies: Option<Policies>) -> Lb {
        Lb {
            arn: format!("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/{name}"),
            name: name.into(),
            internet_facing: public,
            listeners,
            access_logs: Ok(true),
            policies: policies.map(Ok),
        }
    }

    fn policy(name: &str, attrs: &[(&str, &str)]) -> Policies {
        BTreeMap::from([(
            name.to_string(),
            attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )])
    }

    #[test]
    fn plain_listeners_fail_and_name_port_and_exposure() {
        let web = lb(
            "web",
            true,
            vec![listener("HTTP", 80, &[]), listener("HTTPS", 443, &["p"])],
            None,
        );
        let inner = lb("inner", false, vec![listener("TCP", 5000, &[])], None);
        let passthrough = Listener {
            protocol: "TCP".into(),
            port: 443,
            instance_protocol: "TCP".into(),
            instance_port: 443,
            policy_names: vec![],
        };
        let ok = lb(
            "ok",
            true,
            vec![listener("SSL", 443, &["p"]), passthrough],
            None,
        );
        let f = eval_listeners(&[web, inner, ok]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert!(
            f.summary
                .en
                .contains("web (HTTP:80 without TLS, internet-facing)"),
            "{}",
            f.summary.en
        );
        assert!(f.summary.en.contains("inner (TCP:5000 without TLS)"));
        assert!(
            f.summary
                .ja
                .contains("web（HTTP:80 が TLS なし、インターネット向け）")
        );
        assert_eq!(f.resources.len(), 2);
        assert!(f.resources.iter().all(|r| !r.ends_with("/ok")));
    }

    #[test]
    fn negotiation_policies_are_judged_by_their_protocols_or_reference() {
        let https = || vec![listener("HTTPS", 443, &["custom"])];
        // Protocols stated (as AWS returns them): TLS 1.0 on fails.
        let old = policy(
            "custom",
            &[
                ("Reference-Security-Policy", "ELBSecurityPolicy-2016-08"),
                ("Protocol-TLSv1", "true"),
                ("Protocol-TLSv1.2", "true"),
            ],
        );
        let modern = policy(
            "custom",
            &[
                (
                    "Reference-Security-Policy",
                    "ELBSecurityPolicy-TLS-1-2-2017-01",
                ),
                ("Protocol-TLSv1", "false"),
                ("Protocol-TLSv1.2", "true"),
            ],
        );
        // Only the reference stated (as moto returns it).
        let by_name = policy(
            "custom",
            &[(
                "Reference-Security-Policy",
                "ELBSecurityPolicy-TLS-1-2-2017-01",
            )],
        );
        let old_name = policy(
            "custom",
            &[("Reference-Security-Policy", "ELBSecurityPolicy-2016-08")],
        );
        let f = eval_tls_policy(&[
            lb("old", true, https(), Some(old)),
            lb("modern", true, https(), Some(modern)),
            lb("by-name", false, https(), Some(by_name)),
            lb("old-name", false, https(), Some(old_name)),
            // A predefined policy named directly on the listener.
            lb(
                "direct",
                false,
                vec![listener(
                    "HTTPS",
                    443,
                    &["ELBSecurityPolicy-TLS-1-2-2017-01"],
                )],
                Some(Policies::new()),
            ),
            lb(
                "nothing",
                false,
                vec![listener("SSL", 8443, &[])],
                Some(Policies::new()),
            ),
            lb("plain-only", true, vec![listener("HTTP", 80, &[])], None),
        ]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        let names: Vec<&str> = f
            .resources
            .iter()
            .map(|r| r.rsplit('/').next().unwrap())
            .collect();
        assert_eq!(names, vec!["nothing", "old", "old-name"]);
        assert!(
            f.summary.en.starts_with("3 of 6 classic load balancers"),
            "{}",
            f.summary.en
        );
        assert!(
            f.summary
                .en
                .contains("old (port 443 policy custom enables Protocol-TLSv1)"),
            "{}",
            f.summary.en
        );
        assert!(
            f.summary
                .en
                .contains("old-name (port 443 policy ELBSecurityPolicy-2016-08)")
        );
        assert!(
            f.summary
                .en
                .contains("nothing (port 8443 lists no SSL negotiation policy)")
        );
        assert!(f.public);
    }

    #[test]
    fn access_logs_off_fail_and_errors_are_unknown() {
        let mut off = lb("off", false, vec![listener("HTTPS", 443, &[])], None);
        off.access_logs = Ok(false);
        let f = eval_access_logs(&[off, lb("on", true, vec![], None)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.en.contains("off (AccessLog.Enabled false)"));
        assert!(!f.public);
        let mut denied = lb("d", true, vec![], None);
        denied.access_logs = Err(Failure::new(
            A_ATTRS,
            FailureKind::AccessDenied,
            "AccessDenied",
        ));
        let f = eval_access_logs(&[denied]);
        assert_eq!(f.status, EvidenceStatus::Unknown);
        assert!(f.summary.en.contains(A_ATTRS));
    }

    #[test]
    fn no_load_balancer_is_not_applicable() {
        assert!(
            evaluate(&[])
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
        assert_eq!(evaluate(&[]).len(), super::super::elb::CLASSIC.len());
    }
}
