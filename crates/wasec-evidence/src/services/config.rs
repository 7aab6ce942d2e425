//! AWS Config: recorder on and recording everything, delivery channel set,
//! conformance packs deployed.
//!
//! Calls per Region: `DescribeConfigurationRecorders`,
//! `DescribeConfigurationRecorderStatus`, `DescribeDeliveryChannels`,
//! `DescribeConformancePacks` (paginated). All four run concurrently.

use aws_sdk_config::Client;
use aws_sdk_config::types::{RecorderStatus, RecordingStrategyType};

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;

const A_RECORDERS: &str = "config:DescribeConfigurationRecorders";
const A_STATUS: &str = "config:DescribeConfigurationRecorderStatus";
const A_CHANNELS: &str = "config:DescribeDeliveryChannels";
const A_PACKS: &str = "config:DescribeConformancePacks";

/// A recorder joined with its status.
#[derive(Debug, Clone, PartialEq)]
struct Recorder {
    name: String,
    recording: bool,
    last_failed: bool,
    /// Records every supported resource type (possibly minus exclusions is *not* all).
    all_types: bool,
    /// Service-linked recorders record only what their service asks for.
    service_linked: bool,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let (recorders, statuses, channels, packs) = futures::join!(
        client.describe_configuration_recorders().send(),
        client.describe_configuration_recorder_status().send(),
        client.describe_delivery_channels().send(),
        client
            .describe_conformance_packs()
            .into_paginator()
            .send()
            .try_collect(),
    );
    let recorder = match (recorders, statuses, channels) {
        (Err(e), _, _) => {
            Failure::from_sdk(A_RECORDERS, &e).finding(CheckId::ConfigRecorderAllRegions)
        }
        (_, Err(e), _) => {
            Failure::from_sdk(A_STATUS, &e).finding(CheckId::ConfigRecorderAllRegions)
        }
        (_, _, Err(e)) => {
            Failure::from_sdk(A_CHANNELS, &e).finding(CheckId::ConfigRecorderAllRegions)
        }
        (Ok(r), Ok(s), Ok(c)) => {
            let joined: Vec<Recorder> = r
                .configuration_recorders()
                .iter()
                .map(|rec| {
                    let name = rec.name().unwrap_or_default().to_string();
                    let status = s
                        .configuration_recorders_status()
                        .iter()
                        .find(|st| st.name() == rec.name());
                    let group = rec.recording_group();
                    // No recording group means the default: all supported types.
                    let all_types = group.is_none_or(|g| {
                        g.all_supported()
                            || g.recording_strategy().and_then(|s| s.use_only())
                                == Some(&RecordingStrategyType::AllSupportedResourceTypes)
                    });
                    Recorder {
                        name,
                        recording: status.is_some_and(|st| st.recording()),
                        last_failed: status.and_then(|st| st.last_status())
                            == Some(&RecorderStatus::Failure),
                        all_types,
                        service_linked: rec.service_principal().is_some(),
                    }
                })
                .collect();
            let channels: Vec<String> = c
                .delivery_channels()
                .iter()
                .filter_map(|d| d.name().map(str::to_string))
                .collect();
            eval_recorder(&joined, &channels)
        }
    };
    let packs = packs
        .map(|pages| {
            pages
                .iter()
                .flat_map(|p| p.conformance_pack_details())
                .map(|d| d.conformance_pack_arn().to_string())
                .collect::<Vec<_>>()
        })
        .map_err(|e| Failure::from_sdk(A_PACKS, &e));
    Ok(vec![recorder, eval_packs(&packs)])
}

fn eval_recorder(recorders: &[Recorder], channels: &[String]) -> Finding {
    let id = CheckId::ConfigRecorderAllRegions;
    // Only the customer-managed recorder gives account-wide coverage.
    let own: Vec<&Recorder> = recorders.iter().filter(|r| !r.service_linked).collect();
    let Some(r) = own.first() else {
        return Finding::fail(
            id,
            tr!(
                "no configuration recorder in this region",
                "このリージョンに設定レコーダーがありません"
            ),
        );
    };
    let mut en = Vec::new();
    let mut ja = Vec::new();
    for (bad, e, j) in [
        (!r.recording, "recorder is stopped", "レコーダーが停止中"),
        (
            r.last_failed,
            "last recording attempt failed",
            "直近の記録が失敗",
        ),
        (
            !r.all_types,
            "records only selected resource types",
            "一部のリソースタイプのみ記録",
        ),
        (
            channels.is_empty(),
            "no delivery channel",
            "配信チャネルなし",
        ),
    ] {
        if bad {
            en.push(e);
            ja.push(j);
        }
    }
    let res = std::iter::once(format!("recorder:{}", r.name))
        .chain(channels.iter().map(|c| format!("channel:{c}")));
    let name = &r.name;
    if en.is_empty() {
        Finding::pass(
            id,
            tr!(
                "recorder {name} records all supported resource types and delivers to a channel",
                "レコーダー {name} がすべての対応リソースタイプを記録し、チャネルに配信しています"
            ),
        )
        .with_resources(res)
    } else {
        let (en, ja) = (en.join("; "), ja.join("、"));
        Finding::fail(id, tr!("recorder {name}: {en}", "レコーダー {name}: {ja}"))
            .with_resources(res)
    }
}

fn eval_packs(packs: &Result<Vec<String>, Failure>) -> Finding {
    let id = CheckId::ConfigConformancePacks;
    match packs {
        Err(f) => f.finding(id),
        Ok(p) if p.is_empty() => Finding::fail(
            id,
            tr!(
                "no conformance pack deployed in this region",
                "このリージョンにコンフォーマンスパックが展開されていません"
            ),
        ),
        Ok(p) => {
            let (n, list) = (p.len(), sample(p, 3));
            Finding::pass(
                id,
                tr!(
                    "{n} conformance packs deployed: {list}",
                    "コンフォーマンスパック {n} 件が展開されています: {list}"
                ),
            )
            .with_resources(p.clone())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn good() -> Recorder {
        Recorder {
            name: "default".into(),
            recording: true,
            last_failed: false,
            all_types: true,
            service_linked: false,
        }
    }

    #[test]
    fn recording_recorder_with_channel_passes() {
        let f = eval_recorder(&[good()], &["default".into()]);
        assert_eq!(f.status, EvidenceStatus::Pass);
        assert_eq!(
            f.resources,
            vec![
                "channel:default".to_string(),
                "recorder:default".to_string()
            ]
        );
    }

    #[test]
    fn missing_recorder_or_channel_fails() {
        assert_eq!(
            eval_recorder(&[], &["c".into()]).status,
            EvidenceStatus::Fail
        );
        let f = eval_recorder(&[good()], &[]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.en.contains("no delivery channel"));
        assert!(f.summary.ja.contains("配信チャネルなし"));
    }

    #[test]
    fn stopped_partial_or_failing_recorder_fails() {
        let r = Recorder {
            recording: false,
            all_types: false,
            last_failed: true,
            ..good()
        };
        let f = eval_recorder(&[r], &["c".into()]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.en.contains("stopped"));
        assert!(f.summary.en.contains("selected resource types"));
        assert!(f.summary.en.contains("failed"));
    }

    #[test]
    fn service_linked_recorder_alone_does_not_count() {
        let r = Recorder {
            service_linked: true,
            ..good()
        };
        assert_eq!(
            eval_recorder(&[r], &["c".into()]).status,
            EvidenceStatus::Fail
        );
    }

    #[test]
    fn packs_pass_fail_unknown() {
        assert_eq!(
            eval_packs(&Ok(vec!["arn:p".into()])).status,
            EvidenceStatus::Pass
        );
        assert_eq!(eval_packs(&Ok(vec![])).status, EvidenceStatus::Fail);
        let e = Failure::new(A_PACKS, crate::check::FailureKind::Other, "NotImplemented");
        assert_eq!(eval_packs(&Err(e)).status, EvidenceStatus::Unknown);
    }
}
