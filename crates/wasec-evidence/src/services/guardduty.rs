//! GuardDuty: detector enabled, protection plans turned on.
//!
//! Calls per Region: `ListDetectors` (paginated; there is at most one
//! detector per Region) and `GetDetector` for it.

use aws_sdk_guardduty::Client;
use aws_sdk_guardduty::types::{DataSourceStatus, DetectorStatus, FeatureStatus};

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;

const A_LIST: &str = "guardduty:ListDetectors";
const A_GET: &str = "guardduty:GetDetector";

/// Protection plans expected on, by GuardDuty feature name. Runtime
/// monitoring may show up under its older EKS-only name.
const EXPECTED: &[(&str, &str, &[&str])] = &[
    ("S3 Protection", "S3 保護", &["S3_DATA_EVENTS"]),
    ("EKS Protection", "EKS 保護", &["EKS_AUDIT_LOGS"]),
    (
        "Malware Protection for EC2",
        "EC2 のマルウェア保護",
        &["EBS_MALWARE_PROTECTION"],
    ),
    ("RDS Protection", "RDS 保護", &["RDS_LOGIN_EVENTS"]),
    ("Lambda Protection", "Lambda 保護", &["LAMBDA_NETWORK_LOGS"]),
    (
        "Runtime Monitoring",
        "ランタイムモニタリング",
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

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let ids = client
        .list_detectors()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
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
            .map_err(|e| Failure::from_sdk(A_GET, &e)),
    };
    Ok(evaluate(&detector, &cx.account, &cx.region))
}

fn evaluate(
    detector: &Result<Option<Detector>, Failure>,
    account: &str,
    region: &str,
) -> Vec<Finding> {
    use CheckId::{GuardDutyEnabled as ENABLED, GuardDutyProtectionPlans as PLANS};
    let d = match detector {
        Err(f) => return f.findings(&[ENABLED, PLANS]),
        Ok(None) => {
            return vec![
                Finding::fail(
                    ENABLED,
                    tr!(
                        "no GuardDuty detector in this region",
                        "このリージョンに GuardDuty のディテクターがありません"
                    ),
                ),
                Finding::fail(
                    PLANS,
                    tr!(
                        "GuardDuty is not enabled, so no protection plan is on",
                        "GuardDuty が有効でないため、保護プランも有効ではありません"
                    ),
                ),
            ];
        }
        Ok(Some(d)) => d,
    };
    let arn = format!("arn:aws:guardduty:{region}:{account}:detector/{}", d.id);
    if !d.enabled {
        return vec![
            Finding::fail(
                ENABLED,
                tr!(
                    "the GuardDuty detector is suspended",
                    "GuardDuty のディテクターが一時停止中です"
                ),
            )
            .with_resources([arn.clone()]),
            Finding::fail(
                PLANS,
                tr!(
                    "GuardDuty is suspended, so no protection plan is active",
                    "GuardDuty が一時停止中のため、保護プランも動作していません"
                ),
            )
            .with_resources([arn]),
        ];
    }
    let enabled = Finding::pass(
        ENABLED,
        tr!(
            "the GuardDuty detector is enabled",
            "GuardDuty のディテクターは有効です"
        ),
    )
    .with_resources([arn.clone()]);
    let is_on = |names: &[&str]| {
        d.features
            .iter()
            .any(|(n, on)| *on && names.contains(&n.as_str()))
    };
    let off: Vec<(&str, &str)> = EXPECTED
        .iter()
        .filter(|(_, _, names)| !is_on(names))
        .map(|(en, ja, _)| (*en, *ja))
        .collect();
    let total = EXPECTED.len();
    let plans = if off.is_empty() {
        Finding::pass(
            PLANS,
            tr!(
                "all {total} GuardDuty protection plans are enabled",
                "GuardDuty の保護プラン {total} 種類がすべて有効です"
            ),
        )
    } else {
        let k = off.len();
        let en = off.iter().map(|o| o.0).collect::<Vec<_>>().join(", ");
        let ja = off.iter().map(|o| o.1).collect::<Vec<_>>().join("、");
        Finding::fail(
            PLANS,
            tr!(
                "{k} of {total} protection plans off: {en}",
                "保護プラン {total} 種類中 {k} 種類が無効です: {ja}"
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

    fn det(enabled: bool, features: Vec<(String, bool)>) -> Result<Option<Detector>, Failure> {
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
        assert!(f[1].summary.en.contains("RDS Protection"));
        assert!(f[1].summary.en.contains("Lambda Protection"));
        assert!(f[1].summary.ja.contains("RDS 保護"));
        assert!(f[1].summary.en.starts_with("2 of 6"));
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
        let e = Failure::new(
            A_GET,
            crate::check::FailureKind::AccessDenied,
            "AccessDeniedException",
        );
        let f = evaluate(&Err(e), "1", "r");
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Unknown));
        assert!(f[0].summary.en.contains("denied"));
    }
}
