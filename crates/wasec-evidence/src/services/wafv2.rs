//! AWS WAF (v2, Regional scope): internet-facing ALBs sit behind a web
//! ACL, and web ACLs log their traffic. (CloudFront distributions are
//! judged in the CloudFront module from their own web ACL field.)
//!
//! Calls per Region: `ListWebACLs` (marker-paginated) and
//! elbv2 `DescribeLoadBalancers` (paginated) concurrently, then
//! `GetWebACLForResource` per internet-facing ALB and
//! `GetLoggingConfiguration` per web ACL ("nonexistent item" means none).

use aws_sdk_elasticloadbalancingv2::types::{LoadBalancerSchemeEnum, LoadBalancerTypeEnum};
use aws_sdk_wafv2::Client;
use aws_sdk_wafv2::types::Scope as WafScope;
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const PROTECTED: &str = "waf.public_endpoints_protected";
const LOGGING: &str = "service_logging.coverage";

const A_ACLS: &str = "wafv2:ListWebACLs";
const A_FOR_RESOURCE: &str = "wafv2:GetWebACLForResource";
const A_LOGGING: &str = "wafv2:GetLoggingConfiguration";
const A_LBS: &str = "elasticloadbalancing:DescribeLoadBalancers";

// This module also reports `service_logging.coverage`, declared (with the
// WAF actions it needs) in `elbv2`: each check id is declared once.
pub const CHECKS: &[CheckMeta] = &[CheckMeta {
    id: PROTECTED,
    title_en: "Internet-facing endpoints protected by AWS WAF",
    title_ja: "インターネット公開エンドポイントの AWS WAF による保護",
    bps: &["SEC05-BP03"],
    service: "wafv2",
    // Also covers CloudFront, which reports under this id from its own
    // distribution list.
    actions: &[A_LBS, A_FOR_RESOURCE, "cloudfront:ListDistributions"],
    scope: Scope::Regional,
}];

#[derive(Debug, Clone, PartialEq)]
struct Acl {
    arn: String,
    logging: Result<bool, ErrorMetadata>,
}

/// An internet-facing ALB and whether a web ACL guards it.
#[derive(Debug, Clone, PartialEq)]
struct Alb {
    arn: String,
    protected: Result<bool, ErrorMetadata>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&cx.sdk);
    let (acls, lbs) = futures::join!(
        list_acls(&client),
        elb.describe_load_balancers()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    );
    let public_albs: Result<Vec<String>, ErrorMetadata> = lbs
        .map(
            |list: Vec<aws_sdk_elasticloadbalancingv2::types::LoadBalancer>| {
                list.iter()
                    .filter(|lb| {
                        lb.r#type() == Some(&LoadBalancerTypeEnum::Application)
                        // A missing scheme means the default, internet-facing.
                        && lb.scheme() != Some(&LoadBalancerSchemeEnum::Internal)
                    })
                    .filter_map(|lb| lb.load_balancer_arn().map(str::to_string))
                    .collect()
            },
        )
        .map_err(|e| e.meta().clone());
    let albs: Result<Vec<Alb>, ErrorMetadata> = match public_albs {
        Err(e) => Err(e),
        Ok(arns) => Ok(futures::stream::iter(arns)
            .map(|arn| {
                let client = client.clone();
                async move {
                    let protected = match client
                        .get_web_acl_for_resource()
                        .resource_arn(&arn)
                        .send()
                        .await
                    {
                        Ok(r) => Ok(r.web_acl().is_some()),
                        Err(e) if e.code() == Some("WAFNonexistentItemException") => Ok(false),
                        Err(e) => Err(e.meta().clone()),
                    };
                    Alb { arn, protected }
                }
            })
            .buffered(4)
            .collect()
            .await),
    };
    let protected = eval_protected(&albs);
    let arns = match acls {
        Ok(a) => a,
        Err(e) => {
            return vec![protected, Finding::unknown_from(LOGGING, A_ACLS, &e)];
        }
    };
    let acls: Vec<Acl> = futures::stream::iter(arns)
        .map(|arn| {
            let client = client.clone();
            async move {
                let logging = match client
                    .get_logging_configuration()
                    .resource_arn(&arn)
                    .send()
                    .await
                {
                    Ok(l) => Ok(l.logging_configuration().is_some()),
                    Err(e) if e.code() == Some("WAFNonexistentItemException") => Ok(false),
                    Err(e) => Err(e.meta().clone()),
                };
                Acl { arn, logging }
            }
        })
        .buffered(4)
        .collect()
        .await;
    vec![protected, eval_logging(&acls)]
}

async fn list_acls(
    client: &Client,
) -> Result<
    Vec<String>,
    aws_sdk_wafv2::error::SdkError<aws_sdk_wafv2::operation::list_web_acls::ListWebACLsError>,
> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let page = client
            .list_web_acls()
            .scope(WafScope::Regional)
            .limit(100)
            .set_next_marker(marker.take())
            .send()
            .await?;
        out.extend(
            page.web_acls()
                .iter()
                .filter_map(|a| a.arn().map(str::to_string)),
        );
        match page.next_marker() {
            // An empty page with a marker would loop forever; stop on it.
            Some(m) if !m.is_empty() && !page.web_acls().is_empty() => marker = Some(m.to_string()),
            _ => return Ok(out),
        }
    }
}

fn eval_protected(albs: &Result<Vec<Alb>, ErrorMetadata>) -> Finding {
    let albs = match albs {
        Ok(a) => a,
        Err(e) => return Finding::unknown_from(PROTECTED, A_LBS, e),
    };
    if albs.is_empty() {
        return Finding::not_applicable(
            PROTECTED,
            "no internet-facing application load balancer in this Region",
        );
    }
    let bad: Vec<String> = albs
        .iter()
        .filter(|a| matches!(a.protected, Ok(false)))
        .map(|a| a.arn.clone())
        .collect();
    let n = albs.len();
    if !bad.is_empty() {
        return Finding::fail(
            PROTECTED,
            format!(
                "{} of {n} internet-facing ALB(s) without a WAF web ACL",
                bad.len()
            ),
        )
        .with_resources(bad)
        .public(true);
    }
    match albs.iter().find_map(|a| a.protected.as_ref().err()) {
        Some(e) => Finding::unknown_from(PROTECTED, A_FOR_RESOURCE, e),
        None => Finding::pass(
            PROTECTED,
            format!("all {n} internet-facing ALB(s) have a WAF web ACL"),
        ),
    }
}

fn eval_logging(acls: &[Acl]) -> Finding {
    if acls.is_empty() {
        return Finding::not_applicable(LOGGING, "no Regional WAF web ACL in this Region");
    }
    let bad: Vec<String> = acls
        .iter()
        .filter(|a| matches!(a.logging, Ok(false)))
        .map(|a| a.arn.clone())
        .collect();
    let n = acls.len();
    if !bad.is_empty() {
        return Finding::fail(
            LOGGING,
            format!("{} of {n} WAF web ACL(s) without logging", bad.len()),
        )
        .with_resources(bad);
    }
    match acls.iter().find_map(|a| a.logging.as_ref().err()) {
        Some(e) => Finding::unknown_from(LOGGING, A_LOGGING, e),
        None => Finding::pass(LOGGING, format!("all {n} WAF web ACL(s) log traffic")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn acl(arn: &str, logging: bool) -> Acl {
        Acl {
            arn: arn.into(),
            logging: Ok(logging),
        }
    }

    fn alb(arn: &str, protected: bool) -> Alb {
        Alb {
            arn: arn.into(),
            protected: Ok(protected),
        }
    }

    fn err() -> ErrorMetadata {
        ErrorMetadata::builder().code("NotImplemented").build()
    }

    #[test]
    fn covered_albs_pass_uncovered_fail_public() {
        let f = eval_protected(&Ok(vec![alb("alb1", true), alb("alb2", true)]));
        assert_eq!(f.status, EvidenceStatus::Pass);
        let f = eval_protected(&Ok(vec![alb("alb1", true), alb("alb2", false)]));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources, vec!["alb2".to_string()]);
    }

    #[test]
    fn no_public_albs_is_not_applicable() {
        assert_eq!(
            eval_protected(&Ok(vec![])).status,
            EvidenceStatus::NotApplicable
        );
    }

    #[test]
    fn lookup_errors_give_unknown_unless_something_failed() {
        let broken = Alb {
            arn: "alb1".into(),
            protected: Err(err()),
        };
        let f = eval_protected(&Ok(vec![broken.clone()]));
        assert_eq!(f.status, EvidenceStatus::Unknown);
        assert!(f.summary.contains(A_FOR_RESOURCE));
        assert_eq!(
            eval_protected(&Ok(vec![broken, alb("alb2", false)])).status,
            EvidenceStatus::Fail
        );
        assert_eq!(eval_protected(&Err(err())).status, EvidenceStatus::Unknown);
    }

    #[test]
    fn logging_pass_fail_unknown_na() {
        assert_eq!(eval_logging(&[acl("w", true)]).status, EvidenceStatus::Pass);
        let f = eval_logging(&[acl("w", false), acl("x", true)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["w".to_string()]);
        let broken = Acl {
            arn: "w".into(),
            logging: Err(err()),
        };
        assert_eq!(eval_logging(&[broken]).status, EvidenceStatus::Unknown);
        assert_eq!(eval_logging(&[]).status, EvidenceStatus::NotApplicable);
    }
}
