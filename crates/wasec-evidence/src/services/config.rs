//! AWS Config: recorder on and recording everything, delivery channel set,
//! conformance packs deployed.
//!
//! Calls per Region: `DescribeConfigurationRecorders`,
//! `DescribeConfigurationRecorderStatus`, `DescribeDeliveryChannels`,
//! `DescribeConformancePacks` (paginated). All four run concurrently.

use aws_sdk_config::Client;
use aws_sdk_config::types::{RecorderStatus, RecordingStrategyType};
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const RECORDER: &str = "config.recorder_all_regions";
const PACKS: &str = "config.conformance_packs";

const A_RECORDERS: &str = "config:DescribeConfigurationRecorders";
const A_STATUS: &str = "config:DescribeConfigurationRecorderStatus";
const A_CHANNELS: &str = "config:DescribeDeliveryChannels";
const A_PACKS: &str = "config:DescribeConformancePacks";

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: RECORDER,
        title_en: "AWS Config recorder on with a delivery channel",
        title_ja: "AWS Config レコーダーの有効化と配信チャネル",
        bps: &["SEC01-BP03", "SEC04-BP01"],
        service: "config",
        actions: &[A_RECORDERS, A_STATUS, A_CHANNELS],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: PACKS,
        title_en: "AWS Config conformance packs deployed",
        title_ja: "AWS Config コンフォーマンスパックの展開",
        bps: &["SEC01-BP03", "SEC01-BP06"],
        service: "config",
        actions: &[A_PACKS],
        scope: Scope::Regional,
    },
];

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

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
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
        (Err(e), _, _) => Finding::unknown_from(RECORDER, A_RECORDERS, &e),
        (_, Err(e), _) => Finding::unknown_from(RECORDER, A_STATUS, &e),
        (_, _, Err(e)) => Finding::unknown_from(RECORDER, A_CHANNELS, &e),
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
        .map_err(|e| e.meta().clone());
    vec![recorder, eval_packs(&packs)]
}

fn eval_recorder(recorders: &[Recorder], channels: &[String]) -> Finding {
    // Only the customer-managed recorder gives account-wide coverage.
    let own: Vec<&Recorder> = recorders.iter().filter(|r| !r.service_linked).collect();
    let Some(r) = own.first() else {
        return Finding::fail(RECORDER, "no configuration recorder in this Region");
    };
    let mut problems = Vec::new();
    if !r.recording {
        problems.push("recorder is stopped");
    }
    if r.last_failed {
        problems.push("last recording attempt failed");
    }
    if !r.all_types {
        problems.push("records only selected resource types");
    }
    if channels.is_empty() {
        problems.push("no delivery channel");
    }
    let res = std::iter::once(format!("recorder:{}", r.name))
        .chain(channels.iter().map(|c| format!("channel:{c}")));
    if problems.is_empty() {
        Finding::pass(
            RECORDER,
            "recorder records all supported resource types and delivers to a channel",
        )
        .with_resources(res)
    } else {
        Finding::fail(RECORDER, problems.join("; ")).with_resources(res)
    }
}

fn eval_packs(packs: &Result<Vec<String>, ErrorMetadata>) -> Finding {
    match packs {
        Err(e) => Finding::unknown_from(PACKS, A_PACKS, e),
        Ok(p) if p.is_empty() => {
            Finding::fail(PACKS, "no conformance pack deployed in this Region")
        }
        Ok(p) => Finding::pass(PACKS, format!("{} conformance pack(s) deployed", p.len()))
            .with_resources(p.clone()),
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
                "recorder:default".to_string(),
                "channel:default".to_string()
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
        assert!(f.summary.contains("no delivery channel"));
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
        assert!(f.summary.contains("stopped"));
        assert!(f.summary.contains("selected resource types"));
        assert!(f.summary.contains("failed"));
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
        let e = ErrorMetadata::builder().code("NotImplemented").build();
        assert_eq!(eval_packs(&Err(e)).status, EvidenceStatus::Unknown);
    }
}
