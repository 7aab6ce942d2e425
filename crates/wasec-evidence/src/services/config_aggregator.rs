//! AWS Config, account-wide: are every scanned region's configuration
//! records collected in one place (an aggregator)?
//!
//! Calls: `DescribeConfigurationAggregators` and
//! `DescribeAggregationAuthorizations` per scanned region, and
//! `organizations:DescribeOrganization` once. A region counts as collected
//! when an aggregator in this account covers it, or when this account has
//! authorized another account's aggregator there. An organization
//! aggregator in the management account cannot be seen from a member
//! account, so a member with nothing visible is `unknown`, not `fail`.

use aws_sdk_config::Client;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::StreamExt;
use std::collections::BTreeMap;

use super::ServiceCtx;
use super::coverage::{Coverage, Wording, verdict};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;

const A_AGGREGATORS: &str = "config:DescribeConfigurationAggregators";
const A_AUTHORIZATIONS: &str = "config:DescribeAggregationAuthorizations";
const A_ORG: &str = "organizations:DescribeOrganization";

/// An aggregator in this account.
#[derive(Debug, Clone, PartialEq)]
struct Aggregator {
    arn: String,
    all_regions: bool,
    regions: Vec<String>,
}

/// What one region showed.
#[derive(Debug, Clone, PartialEq)]
struct RegionView {
    aggregators: Result<Vec<Aggregator>, Failure>,
    /// Accounts authorized to aggregate this region.
    authorized: Result<Vec<String>, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let views: BTreeMap<String, RegionView> = futures::stream::iter(cx.regions.clone())
        .map(|r| {
            let client: Client = cx.aws.for_region(&r).client();
            async move { (r, read_region(&client).await) }
        })
        .buffered(3)
        .collect()
        .await;
    let org: aws_sdk_organizations::Client = cx.client();
    let member = match org.describe_organization().send().await {
        Ok(o) => Ok(o
            .organization()
            .is_some_and(|o| o.master_account_id() != Some(cx.account.as_str()))),
        Err(e) if e.code() == Some("AWSOrganizationsNotInUseException") => Ok(false),
        Err(e) => Err(Failure::from_sdk(A_ORG, &e)),
    };
    Ok(vec![evaluate(&views, member)])
}

async fn read_region(client: &Client) -> RegionView {
    let (aggregators, authorizations) = futures::join!(
        client.describe_configuration_aggregators().send(),
        client.describe_aggregation_authorizations().send(),
    );
    RegionView {
        aggregators: aggregators
            .map(|o| {
                o.configuration_aggregators()
                    .iter()
                    .map(|a| {
                        let (mut all, mut regions) = (false, Vec::new());
                        for s in a.account_aggregation_sources() {
                            all |= s.all_aws_regions();
                            regions.extend(s.aws_regions().iter().cloned());
                        }
                        if let Some(o) = a.organization_aggregation_source() {
                            all |= o.all_aws_regions();
                            regions.extend(o.aws_regions().iter().cloned());
                        }
                        Aggregator {
                            arn: a
                                .configuration_aggregator_arn()
                                .unwrap_or_default()
                                .to_string(),
                            all_regions: all,
                            regions,
                        }
                    })
                    .collect()
            })
            .map_err(|e| Failure::from_sdk(A_AGGREGATORS, &e)),
        authorized: authorizations
            .map(|o| {
                o.aggregation_authorizations()
                    .iter()
                    .filter_map(|a| a.authorized_account_id().map(str::to_string))
                    .collect()
            })
            .map_err(|e| Failure::from_sdk(A_AUTHORIZATIONS, &e)),
    }
}

fn evaluate(views: &BTreeMap<String, RegionView>, member: Result<bool, Failure>) -> Finding {
    let id = CheckId::ConfigAggregator;
    let own: Vec<&Aggregator> = views
        .values()
        .filter_map(|v| v.aggregators.as_ref().ok())
        .flatten()
        .collect();
    let coverage: BTreeMap<String, Coverage> = views
        .iter()
        .map(|(region, v)| {
            let by_own = own
                .iter()
                .find(|a| a.all_regions || a.regions.contains(region))
                .map(|a| a.arn.clone());
            let by_other = v
                .authorized
                .as_ref()
                .ok()
                .and_then(|a| a.first())
                .map(|acct| format!("account {acct}"));
            let c = match (by_own.or(by_other), &v.aggregators, &v.authorized) {
                (Some(by), _, _) => Coverage::By(by),
                (None, Err(f), _) | (None, _, Err(f)) => Coverage::Unknown(f.clone()),
                (None, Ok(_), Ok(_)) => Coverage::NotCovered,
            };
            (region.clone(), c)
        })
        .collect();
    let note = match member {
        Ok(true) => Some(tr!(
            "cannot tell from a member account: an organization aggregator lives in the management or delegated administrator account, where this account's records may be collected",
            "メンバーアカウントからは判定できません: 組織のアグリゲーターは管理アカウントまたは委任管理者アカウントにあり、そこでこのアカウントの記録が集約されている可能性があります"
        )),
        Ok(false) => None,
        Err(f) => Some(f.summary()),
    };
    verdict(
        id,
        &coverage,
        Wording {
            pass: ("configuration records are collected by", "設定記録の集約先"),
            fail: (
                "no AWS Config aggregator collects these scanned regions",
                "次のスキャン対象リージョンを集約する AWS Config アグリゲーターがありません",
            ),
        },
        note,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn view(aggs: Vec<Aggregator>, authorized: Vec<&str>) -> RegionView {
        RegionView {
            aggregators: Ok(aggs),
            authorized: Ok(authorized.into_iter().map(str::to_string).collect()),
        }
    }

    fn agg(all: bool, regions: &[&str]) -> Aggregator {
        Aggregator {
            arn: "arn:aws:config:us-east-1:1:config-aggregator/config-aggregator-x".into(),
            all_regions: all,
            regions: regions.iter().map(|r| r.to_string()).collect(),
        }
    }

    #[test]
    fn an_all_region_aggregator_or_authorizations_cover_regions() {
        let views = BTreeMap::from([
            ("eu-west-1".to_string(), view(vec![], vec![])),
            ("us-east-1".to_string(), view(vec![agg(true, &[])], vec![])),
        ]);
        let f = evaluate(&views, Ok(false));
        assert_eq!(f.status, EvidenceStatus::Pass, "{}", f.summary.en);
        let views = BTreeMap::from([
            ("eu-west-1".to_string(), view(vec![], vec!["999988887777"])),
            ("us-east-1".to_string(), view(vec![], vec!["999988887777"])),
        ]);
        let f = evaluate(&views, Ok(true));
        assert_eq!(f.status, EvidenceStatus::Pass);
        assert!(f.summary.en.contains("account 999988887777"));
    }

    #[test]
    fn uncovered_regions_fail_by_name_except_where_a_member_cannot_see() {
        let views = BTreeMap::from([
            ("eu-west-1".to_string(), view(vec![], vec![])),
            (
                "us-east-1".to_string(),
                view(vec![agg(false, &["us-east-1"])], vec![]),
            ),
        ]);
        let f = evaluate(&views, Ok(false));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.en.ends_with(": eu-west-1"), "{}", f.summary.en);
        let nothing = BTreeMap::from([("eu-west-1".to_string(), view(vec![], vec![]))]);
        assert_eq!(evaluate(&nothing, Ok(false)).status, EvidenceStatus::Fail);
        assert_eq!(evaluate(&nothing, Ok(true)).status, EvidenceStatus::Unknown);
    }
}
