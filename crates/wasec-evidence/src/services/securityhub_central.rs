//! Security Hub CSPM, account-wide: do every scanned region's findings
//! reach one place? A region counts when a cross-region finding aggregator
//! in this account links it, or when this account is a member whose
//! findings go to an administrator account.
//!
//! Calls per scanned region: `ListFindingAggregators` (then
//! `GetFindingAggregator` for each, usually one) and
//! `GetAdministratorAccount`. moto implements neither: tested on recorded
//! data.

use aws_sdk_securityhub::Client;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::StreamExt;
use std::collections::BTreeMap;

use super::ServiceCtx;
use super::coverage::{Coverage, Wording, verdict};
use crate::check::{CheckId, Failure, Finding};

const A_LIST: &str = "securityhub:ListFindingAggregators";
const A_GET: &str = "securityhub:GetFindingAggregator";
const A_ADMIN: &str = "securityhub:GetAdministratorAccount";

/// A cross-region aggregator: where it lives and which regions it links.
#[derive(Debug, Clone, PartialEq)]
struct Aggregator {
    arn: String,
    home: String,
    /// `ALL_REGIONS`, `ALL_REGIONS_EXCEPT_SPECIFIED`, `SPECIFIED_REGIONS`
    /// (or `NO_REGIONS`).
    mode: String,
    regions: Vec<String>,
}

impl Aggregator {
    fn links(&self, region: &str) -> bool {
        let listed = self.regions.iter().any(|r| r == region);
        region == self.home
            || match self.mode.as_str() {
                "ALL_REGIONS" => true,
                "ALL_REGIONS_EXCEPT_SPECIFIED" => !listed,
                "SPECIFIED_REGIONS" => listed,
                _ => false,
            }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct RegionView {
    aggregators: Result<Vec<Aggregator>, Failure>,
    /// The administrator account this region's findings go to, if any.
    administrator: Result<Option<String>, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let views: BTreeMap<String, RegionView> = futures::stream::iter(cx.regions.clone())
        .map(|r| {
            let client: Client = cx.aws.for_region(&r).client();
            async move {
                let view = read_region(&client, &r).await;
                (r, view)
            }
        })
        .buffered(3)
        .collect()
        .await;
    Ok(vec![evaluate(&views)])
}

/// "Not subscribed" answers mean "nothing here", not a failure.
fn not_enabled<E: ProvideErrorMetadata>(e: &E) -> bool {
    e.code() == Some("InvalidAccessException")
}

async fn read_region(client: &Client, region: &str) -> RegionView {
    let (list, admin) = futures::join!(
        client.list_finding_aggregators().send(),
        client.get_administrator_account().send(),
    );
    let aggregators = match list {
        Err(e) if not_enabled(&e) => Ok(Vec::new()),
        Err(e) => Err(Failure::from_sdk(A_LIST, &e)),
        Ok(o) => {
            let mut out = Vec::new();
            let mut failed = None;
            for a in o.finding_aggregators() {
                let Some(arn) = a.finding_aggregator_arn() else {
                    continue;
                };
                match client
                    .get_finding_aggregator()
                    .finding_aggregator_arn(arn)
                    .send()
                    .await
                {
                    Ok(g) => out.push(Aggregator {
                        arn: arn.to_string(),
                        home: g.finding_aggregation_region().unwrap_or(region).to_string(),
                        mode: g.region_linking_mode().unwrap_or_default().to_string(),
                        regions: g.regions().to_vec(),
                    }),
                    Err(e) => failed = Some(Failure::from_sdk(A_GET, &e)),
                }
            }
            match failed {
                Some(f) if out.is_empty() => Err(f),
                _ => Ok(out),
            }
        }
    };
    let administrator = match admin {
        Err(e) if not_enabled(&e) => Ok(None),
        Err(e) => Err(Failure::from_sdk(A_ADMIN, &e)),
        Ok(o) => Ok(o
            .administrator()
            .filter(|a| a.member_status() != Some("Removed"))
            .and_then(|a| a.account_id())
            .map(str::to_string)),
    };
    RegionView {
        aggregators,
        administrator,
    }
}

fn evaluate(views: &BTreeMap<String, RegionView>) -> Finding {
    let aggregators: Vec<&Aggregator> = views
        .values()
        .filter_map(|v| v.aggregators.as_ref().ok())
        .flatten()
        .collect();
    let coverage: BTreeMap<String, Coverage> = views
        .iter()
        .map(|(region, v)| {
            let by_aggregator = aggregators
                .iter()
                .find(|a| a.links(region))
                .map(|a| a.arn.clone());
            let by_admin = v
                .administrator
                .as_ref()
                .ok()
                .cloned()
                .flatten()
                .map(|a| format!("administrator account {a}"));
            let c = match (by_aggregator.or(by_admin), &v.aggregators, &v.administrator) {
                (Some(by), _, _) => Coverage::By(by),
                (None, Err(f), _) | (None, _, Err(f)) => Coverage::Unknown(f.clone()),
                (None, Ok(_), Ok(_)) => Coverage::NotCovered,
            };
            (region.clone(), c)
        })
        .collect();
    verdict(
        CheckId::SechubFindingsAggregated,
        &coverage,
        Wording {
            pass: (
                "Security Hub CSPM findings are gathered by",
                "Security Hub CSPM の検出結果の集約先",
            ),
            fail: (
                "no finding aggregator or administrator account gathers the findings of",
                "検出結果を集約するアグリゲーターや管理者アカウントがないリージョン",
            ),
        },
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn agg(mode: &str, regions: &[&str]) -> Aggregator {
        Aggregator {
            arn: "arn:aws:securityhub:us-east-1:1:finding-aggregator/a".into(),
            home: "us-east-1".into(),
            mode: mode.into(),
            regions: regions.iter().map(|r| r.to_string()).collect(),
        }
    }

    fn view(aggs: Vec<Aggregator>, admin: Option<&str>) -> RegionView {
        RegionView {
            aggregators: Ok(aggs),
            administrator: Ok(admin.map(str::to_string)),
        }
    }

    #[test]
    fn linking_modes() {
        assert!(agg("ALL_REGIONS", &[]).links("eu-west-1"));
        assert!(!agg("ALL_REGIONS_EXCEPT_SPECIFIED", &["eu-west-1"]).links("eu-west-1"));
        assert!(agg("SPECIFIED_REGIONS", &["eu-west-1"]).links("eu-west-1"));
        assert!(!agg("SPECIFIED_REGIONS", &["eu-west-1"]).links("ap-northeast-1"));
        assert!(agg("NO_REGIONS", &[]).links("us-east-1"), "its own region");
    }

    #[test]
    fn aggregator_or_administrator_covers_each_region() {
        let views = BTreeMap::from([
            (
                "ap-northeast-1".to_string(),
                view(vec![], Some("999988887777")),
            ),
            ("eu-west-1".to_string(), view(vec![], None)),
            (
                "us-east-1".to_string(),
                view(vec![agg("SPECIFIED_REGIONS", &["eu-west-1"])], None),
            ),
        ]);
        let f = evaluate(&views);
        assert_eq!(f.status, EvidenceStatus::Pass, "{}", f.summary.en);
        assert!(f.summary.en.contains("administrator account 999988887777"));
        let views = BTreeMap::from([
            ("ap-northeast-1".to_string(), view(vec![], None)),
            (
                "us-east-1".to_string(),
                view(vec![agg("SPECIFIED_REGIONS", &[])], None),
            ),
        ]);
        let f = evaluate(&views);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(
            f.summary.en.ends_with(": ap-northeast-1"),
            "{}",
            f.summary.en
        );
        let denied = RegionView {
            aggregators: Err(Failure::new(
                A_LIST,
                FailureKind::AccessDenied,
                "AccessDeniedException",
            )),
            administrator: Ok(None),
        };
        let views = BTreeMap::from([("us-east-1".to_string(), denied)]);
        assert_eq!(evaluate(&views).status, EvidenceStatus::Unknown);
    }
}
