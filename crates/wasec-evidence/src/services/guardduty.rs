//! GuardDuty: detector enabled, protection plans turned on.
//!
//! Calls per Region: `ListDetectors` (paginated; there is at most one
//! detector per Region) and `GetDetector` for it.

use aws_sdk_guardduty::Client;
use aws_sdk_guardduty::types::{DataSourceStatus, DetectorStatus, FeatureStatus};
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const ENABLED: &str = "guardduty.enabled";
const PLANS: &str = "guardduty.protection_plans";

const A_LIST: &str = "guardduty:ListDetectors";
const A_GET: &str = "guardduty:GetDetector";

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: ENABLED,
        title_en: "GuardDuty enabled",
        title_ja: "GuardDuty の有効化",
        bps: &["SEC01-BP04", "SEC04-BP01", "SEC05-BP03"],
        service: "guardduty",
        actions: &[A_LIST, A_GET],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: PLANS,
        title_en: "GuardDuty protection plans enabled",
        title_ja: "GuardDuty 保護プランの有効化",
        bps: &["SEC01-BP08", "SEC10-BP06"],
        service: "guardduty",
        actions: &[A_LIST, A_GET],
        scope: Scope::Regional,
    },
];

/// Protection plans expected on, by GuardDuty feature name. Runtime
/// monitoring may show up under its older EKS-only name.
const EXPECTED: &[(&str, &[&str])] = &[
    ("S3 Protection", &["S3_DATA_EVENTS"]),
    ("EKS Protection", &["EKS_AUDIT_LOGS"]),
    ("Malware Protection for EC2", &["EBS_MALWARE_PROTECTION"]),
    ("RDS Protection", &["RDS_LOGIN_EVENTS"]),
    ("Lambda Protection", &["LAMBDA_NETWORK_LOGS"]),
    (
        "Runtime Monitoring",
        &["RUNTIME_MONITORING", "EKS_RUNTIME_MONITORING"],
    ),
];

#[derive(Debug, Clone, PartialEq)]
struct Detector {
    id: String,
    enabled: bool,
    /// (feature name, enabled)
    features: Vec<(String, bool)>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let ids = match client
        .list_detectors()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
    {
        Ok(ids) => ids,
        Err(e) => {
            return vec![
                Finding::unknown_from(ENABLED, A_LIST, &e),
                Finding::unknown_from(PLANS, A_LIST, &e),
            ];
        }
    };
    let detector = match ids.first() {
        None => Ok(None),
        Some(id) => client
            .get_detector()
            .detector_id(id)
            .send()
            .await
            .map(|d| {
                let mut features: Vec<(String, bool)> = d
                    .features()
                    .iter()
                    .filter_map(|f| {
                        Some((
                            f.name()?.as_str().to_string(),
                            f.status() == Some(&FeatureStatus::Enabled),
                        ))
                    })
                    .collect();
                // Older responses (and emulators) only carry the deprecated
                // data-source view; read it only when features are absent.
                #[allow(deprecated)]
                if features.is_empty()
                    && let Some(ds) = d.data_sources()
                {
                    let on = |s: Option<&DataSourceStatus>| s == Some(&DataSourceStatus::Enabled);
                    if let Some(s3) = ds.s3_logs() {
                        features.push(("S3_DATA_EVENTS".into(), on(s3.status())));
                    }
                    if let Some(a) = ds.kubernetes().and_then(|k| k.audit_logs()) {
                        features.push(("EKS_AUDIT_LOGS".into(), on(a.status())));
                    }
                }
                Some(Detector {
                    id: id.clone(),
                    enabled: d.status() == Some(&DetectorStatus::Enabled),
                    features,
                })
            })
            .map_err(|e| e.meta().clone()),
    };
    evaluate(&detector, &cx.account, &cx.region)
}

fn evaluate(
    detector: &Result<Option<Detector>, ErrorMetadata>,
    account: &str,
    region: &str,
) -> Vec<Finding> {
    let d = match detector {
        Err(e) => {
            return vec![
                Finding::unknown_from(ENABLED, A_GET, e),
                Finding::unknown_from(PLANS, A_GET, e),
            ];
        }
        Ok(None) => {
            return vec![
                Finding::fail(ENABLED, "no GuardDuty detector in this Region"),
                Finding::fail(
                    PLANS,
                    "GuardDuty is not enabled, so no protection plan is on",
                ),
            ];
        }
        Ok(Some(d)) => d,
    };
    let arn = format!("arn:aws:guardduty:{region}:{account}:detector/{}", d.id);
    if !d.enabled {
        return vec![
            Finding::fail(ENABLED, "GuardDuty detector is suspended").with_resources([arn.clone()]),
            Finding::fail(
                PLANS,
                "GuardDuty is suspended, so no protection plan is active",
            )
            .with_resources([arn]),
        ];
    }
    let enabled =
        Finding::pass(ENABLED, "GuardDuty detector is enabled").with_resources([arn.clone()]);
    let is_on = |names: &[&str]| {
        d.features
            .iter()
            .any(|(n, on)| *on && names.contains(&n.as_str()))
    };
    let off: Vec<&str> = EXPECTED
        .iter()
        .filter(|(_, names)| !is_on(names))
        .map(|(label, _)| *label)
        .collect();
    let plans = if off.is_empty() {
        Finding::pass(PLANS, "all GuardDuty protection plans are enabled")
    } else {
        Finding::fail(
            PLANS,
            format!(
                "{} of {} protection plans off: {}",
                off.len(),
                EXPECTED.len(),
                off.join(", ")
            ),
        )
    };
    vec![enabled, plans.with_resources([arn])]
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn all_on() -> Vec<(String, bool)> {
        [
            "S3_DATA_EVENTS",
            "EKS_AUDIT_LOGS",
            "EBS_MALWARE_PROTECTION",
            "RDS_LOGIN_EVENTS",
            "LAMBDA_NETWORK_LOGS",
            "RUNTIME_MONITORING",
        ]
        .iter()
        .map(|n| (n.to_string(), true))
        .collect()
    }

    fn det(
        enabled: bool,
        features: Vec<(String, bool)>,
    ) -> Result<Option<Detector>, ErrorMetadata> {
        Ok(Some(Detector {
            id: "d1".into(),
            enabled,
            features,
        }))
    }

    #[test]
    fn enabled_detector_with_all_plans_passes() {
        let f = evaluate(&det(true, all_on()), "111122223333", "eu-west-1");
        assert_eq!(f[0].status, EvidenceStatus::Pass);
        assert_eq!(f[1].status, EvidenceStatus::Pass);
        assert_eq!(
            f[0].resources,
            vec!["arn:aws:guardduty:eu-west-1:111122223333:detector/d1".to_string()]
        );
    }

    #[test]
    fn missing_or_suspended_detector_fails_both() {
        for d in [Ok(None), det(false, all_on())] {
            let f = evaluate(&d, "1", "r");
            assert_eq!(f[0].status, EvidenceStatus::Fail);
            assert_eq!(f[1].status, EvidenceStatus::Fail);
        }
    }

    #[test]
    fn disabled_plan_is_named() {
        let mut features = all_on();
        features[3].1 = false; // RDS
        features.retain(|(n, _)| n != "LAMBDA_NETWORK_LOGS");
        let f = evaluate(&det(true, features), "1", "r");
        assert_eq!(f[0].status, EvidenceStatus::Pass);
        assert_eq!(f[1].status, EvidenceStatus::Fail);
        assert!(f[1].summary.contains("RDS Protection"));
        assert!(f[1].summary.contains("Lambda Protection"));
        assert!(f[1].summary.starts_with("2 of 6"));
    }

    #[test]
    fn legacy_runtime_name_counts() {
        let mut features = all_on();
        features.last_mut().unwrap().0 = "EKS_RUNTIME_MONITORING".into();
        assert_eq!(
            evaluate(&det(true, features), "1", "r")[1].status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn api_error_is_unknown() {
        let e = ErrorMetadata::builder()
            .code("AccessDeniedException")
            .build();
        let f = evaluate(&Err(e), "1", "r");
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Unknown));
        assert!(f[0].summary.contains("access denied"));
    }
}
