//! AWS WAF (v2, regional scope): internet-facing ALBs sit behind a web
//! ACL, and web ACLs log their traffic. (CloudFront distributions are
//! judged in the CloudFront module from their own web ACL field.)
//!
//! Calls per region: `ListWebACLs` (marker-paginated) and
//! elbv2 `DescribeLoadBalancers` (paginated) concurrently, then
//! `GetWebACLForResource` per internet-facing ALB and
//! `GetLoggingConfiguration` per web ACL ("nonexistent item" means none).

use aws_sdk_elasticloadbalancingv2::types::{LoadBalancerSchemeEnum, LoadBalancerTypeEnum};
use aws_sdk_wafv2::Client;
use aws_sdk_wafv2::types::Scope as WafScope;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;

const A_ACLS: &str = "wafv2:ListWebACLs";
const A_FOR_RESOURCE: &str = "wafv2:GetWebACLForResource";
const A_LOGGING: &str = "wafv2:GetLoggingConfiguration";
const A_LBS: &str = "elasticloadbalancing:DescribeLoadBalancers";

#[derive(Debug, Clone, PartialEq)]
struct Acl {
    arn: String,
    logging: Result<bool, Failure>,
}

/// An internet-facing ALB and whether a web ACL guards it.
#[derive(Debug, Clone, PartialEq)]
struct Alb {
    arn: String,
    protected: Result<bool, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let elb: aws_sdk_elasticloadbalancingv2::Client = cx.client();
    let (acls, lbs) = futures::join!(
        list_acls(&client),
        elb.describe_load_balancers()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    );
    let public_albs: Result<Vec<String>, Failure> = lbs
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
        .map_err(|e| Failure::from_sdk(A_LBS, &e));
    let albs: Result<Vec<Alb>, Failure> = match public_albs {
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
                        Err(e) => Err(Failure::from_sdk(A_FOR_RESOURCE, &e)),
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
            return Ok(vec![
                protected,
                Failure::from_sdk(A_ACLS, &e).finding(CheckId::WafLogging),
            ]);
        }
    };
    let mut acls: Vec<Acl> = futures::stream::iter(arns)
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
                    Err(e) => Err(Failure::from_sdk(A_LOGGING, &e)),
                };
                Acl { arn, logging }
            }
        })
        .buffered(4)
        .collect()
        .await;
    acls.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(vec![protected, eval_logging(&acls)])
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

fn eval_protected(albs: &Result<Vec<Alb>, Failure>) -> Finding {
    let id = CheckId::WafAlbsProtected;
    let albs = match albs {
        Ok(a) => a,
        Err(f) => return f.finding(id),
    };
    if albs.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "no internet-facing application load balancer in this region",
                "このリージョンにインターネット向けの Application Load Balancer はありません"
            ),
        );
    }
    let mut bad: Vec<String> = albs
        .iter()
        .filter(|a| matches!(a.protected, Ok(false)))
        .map(|a| a.arn.clone())
        .collect();
    bad.sort();
    let n = albs.len();
    if !bad.is_empty() {
        let (k, list) = (bad.len(), sample(&bad, 5));
        return Finding::fail(
            id,
            tr!(
                "{k} of {n} internet-facing ALBs have no WAF web ACL: {list}",
                "インターネット向け ALB {n} 件中 {k} 件に WAF ウェブ ACL がありません: {list}"
            ),
        )
        .with_resources(bad)
        .public(true);
    }
    match albs.iter().find_map(|a| a.protected.as_ref().err()) {
        Some(f) => f.finding(id),
        None => Finding::pass(
            id,
            tr!(
                "all {n} internet-facing ALBs have a WAF web ACL",
                "インターネット向け ALB {n} 件すべてに WAF ウェブ ACL があります"
            ),
        ),
    }
}

fn eval_logging(acls: &[Acl]) -> Finding {
    let id = CheckId::WafLogging;
    if acls.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "no regional WAF web ACL in this region",
                "このリージョンにリージョン別の WAF ウェブ ACL はありません"
            ),
        );
    }
    let bad: Vec<String> = acls
        .iter()
        .filter(|a| matches!(a.logging, Ok(false)))
        .map(|a| a.arn.clone())
        .collect();
    let n = acls.len();
    if !bad.is_empty() {
        let (k, list) = (bad.len(), sample(&bad, 5));
        return Finding::fail(
            id,
            tr!(
                "{k} of {n} WAF web ACLs have no logging configuration: {list}",
                "WAF ウェブ ACL {n} 件中 {k} 件にログ設定がありません: {list}"
            ),
        )
        .with_resources(bad);
    }
    match acls.iter().find_map(|a| a.logging.as_ref().err()) {
        Some(f) => f.finding(id),
        None => Finding::pass(
            id,
            tr!(
                "all {n} WAF web ACLs log traffic",
                "WAF ウェブ ACL {n} 件すべてがトラフィックを記録しています"
            ),
        ),
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

    fn err() -> Failure {
        Failure::new(
            A_FOR_RESOURCE,
            crate::check::FailureKind::Other,
            "NotImplemented",
        )
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
        assert!(f.summary.en.contains(A_FOR_RESOURCE));
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
