//! CloudTrail: multi-Region trail, log file validation, KMS encryption,
//! CloudWatch Logs delivery and S3 data events.
//!
//! Calls: one `DescribeTrails` (shadow trails included, so a multi-Region
//! trail homed elsewhere is seen in every Region), then `GetTrailStatus` and
//! `GetEventSelectors` per visible trail (usually one or two).
//! Per-trail settings (validation, KMS, CloudWatch Logs) are judged only in
//! the trail's home Region so a multi-Region trail is not reported once per
//! Region.

use aws_sdk_cloudtrail::Client;
use aws_sdk_cloudtrail::types::{AdvancedEventSelector, EventSelector, ReadWriteType};
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const MULTI_REGION: &str = "cloudtrail.multi_region_logging";
const LOG_VALIDATION: &str = "cloudtrail.log_validation";
const KMS: &str = "cloudtrail.kms_encrypted";
const CW_LOGS: &str = "cloudtrail.cw_logs_integration";
const S3_DATA: &str = "cloudtrail.s3_data_events";

const DESCRIBE: &str = "cloudtrail:DescribeTrails";
const STATUS: &str = "cloudtrail:GetTrailStatus";
const SELECTORS: &str = "cloudtrail:GetEventSelectors";

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: MULTI_REGION,
        title_en: "Multi-Region CloudTrail trail logging management events",
        title_ja: "マルチリージョン CloudTrail 証跡による管理イベントの記録",
        bps: &["SEC04-BP01"],
        service: "cloudtrail",
        actions: &[DESCRIBE, STATUS, SELECTORS],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: LOG_VALIDATION,
        title_en: "CloudTrail log file validation",
        title_ja: "CloudTrail ログファイルの整合性検証",
        bps: &["SEC04-BP01", "SEC06-BP04", "SEC10-BP03"],
        service: "cloudtrail",
        actions: &[DESCRIBE],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: KMS,
        title_en: "CloudTrail logs encrypted with a KMS key",
        title_ja: "CloudTrail ログの KMS キーによる暗号化",
        bps: &["SEC04-BP01", "SEC08-BP02"],
        service: "cloudtrail",
        actions: &[DESCRIBE],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: CW_LOGS,
        title_en: "CloudTrail delivery to CloudWatch Logs",
        title_ja: "CloudTrail の CloudWatch Logs への配信",
        bps: &["SEC04-BP01", "SEC04-BP03"],
        service: "cloudtrail",
        actions: &[DESCRIBE],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: S3_DATA,
        title_en: "S3 object-level data events recorded by CloudTrail",
        title_ja: "CloudTrail による S3 データイベントの記録",
        bps: &["SEC04-BP01"],
        service: "cloudtrail",
        actions: &[DESCRIBE, STATUS, SELECTORS],
        scope: Scope::Regional,
    },
];

/// What the event selectors of one trail record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Recording {
    mgmt_read: bool,
    mgmt_write: bool,
    /// S3 object read events for all buckets.
    s3_read: bool,
    /// S3 object write events for all buckets.
    s3_write: bool,
}

/// One trail visible in the Region, with its per-trail lookups.
#[derive(Debug, Clone)]
struct Trail {
    arn: String,
    home_region: String,
    multi_region: bool,
    log_validation: bool,
    kms_key: Option<String>,
    cw_log_group: Option<String>,
    logging: Result<bool, ErrorMetadata>,
    recording: Result<Recording, ErrorMetadata>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let described = client
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await;
    let list = match described {
        Ok(out) => out.trail_list.unwrap_or_default(),
        Err(e) => {
            return CHECKS
                .iter()
                .map(|c| Finding::unknown_from(c.id, DESCRIBE, &e))
                .collect();
        }
    };
    let trails: Vec<Trail> = futures::stream::iter(list)
        .map(|t| {
            let client = client.clone();
            async move {
                // The ARN works for shadow trails too; the name only in the home Region.
                let id = t.trail_arn().or(t.name()).unwrap_or_default().to_string();
                let logging = client
                    .get_trail_status()
                    .name(&id)
                    .send()
                    .await
                    .map(|s| s.is_logging().unwrap_or(false))
                    .map_err(|e| e.meta().clone());
                let recording = client
                    .get_event_selectors()
                    .trail_name(&id)
                    .send()
                    .await
                    .map(|s| recording_of(s.event_selectors(), s.advanced_event_selectors()))
                    .map_err(|e| e.meta().clone());
                Trail {
                    arn: id,
                    home_region: t.home_region().unwrap_or_default().to_string(),
                    multi_region: t.is_multi_region_trail().unwrap_or(false),
                    log_validation: t.log_file_validation_enabled().unwrap_or(false),
                    kms_key: t.kms_key_id().map(str::to_string),
                    cw_log_group: t.cloud_watch_logs_log_group_arn().map(str::to_string),
                    logging,
                    recording,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    evaluate(&trails, &cx.region)
}

/// What CloudTrail records when no selector was ever configured.
const DEFAULT_RECORDING: Recording = Recording {
    mgmt_read: true,
    mgmt_write: true,
    s3_read: false,
    s3_write: false,
};

fn merge(into: &mut Recording, from: Recording) {
    into.mgmt_read |= from.mgmt_read;
    into.mgmt_write |= from.mgmt_write;
    into.s3_read |= from.s3_read;
    into.s3_write |= from.s3_write;
}

/// Everything a trail's selectors record.
fn recording_of(basic: &[EventSelector], advanced: &[AdvancedEventSelector]) -> Recording {
    // A trail that was never given selectors uses the default one (all
    // management events); some endpoints return that as empty lists.
    if basic.is_empty() && advanced.is_empty() {
        return DEFAULT_RECORDING;
    }
    let mut r = basic_recording(basic);
    for adv in advanced {
        let fields: Vec<(&str, &[String])> = adv
            .field_selectors()
            .iter()
            .map(|f| (f.field(), f.equals()))
            .collect();
        merge(&mut r, advanced_recording(&fields));
    }
    r
}

/// (read, write) for a selector's ReadWriteType; a missing value means All.
fn rw(t: Option<&ReadWriteType>) -> (bool, bool) {
    match t {
        Some(ReadWriteType::ReadOnly) => (true, false),
        Some(ReadWriteType::WriteOnly) => (false, true),
        _ => (true, true),
    }
}

/// Basic (non-advanced) event selectors.
fn basic_recording(selectors: &[EventSelector]) -> Recording {
    let mut r = Recording::default();
    for s in selectors {
        let (read, write) = rw(s.read_write_type());
        if s.include_management_events().unwrap_or(true) {
            r.mgmt_read |= read;
            r.mgmt_write |= write;
        }
        for d in s.data_resources() {
            // "arn:aws:s3" (or the bucket-less prefix) selects every bucket.
            let all_buckets = d.r#type() == Some("AWS::S3::Object")
                && d.values()
                    .iter()
                    .any(|v| v.trim_end_matches(':') == "arn:aws:s3");
            if all_buckets {
                r.s3_read |= read;
                r.s3_write |= write;
            }
        }
    }
    r
}

/// One advanced event selector, given as (field, equals-values) pairs.
fn advanced_recording(fields: &[(&str, &[String])]) -> Recording {
    let eq = |name: &str| fields.iter().find(|(f, _)| *f == name).map(|(_, v)| *v);
    let read_only = eq("readOnly");
    let (read, write) = match read_only {
        Some(v) if v.iter().all(|x| x == "true") => (true, false),
        Some(v) if v.iter().all(|x| x == "false") => (false, true),
        _ => (true, true),
    };
    let mut r = Recording::default();
    let category = eq("eventCategory").unwrap_or_default();
    if category.iter().any(|c| c == "Management") {
        r.mgmt_read = read;
        r.mgmt_write = write;
    }
    let s3_objects = eq("resources.type").is_some_and(|v| v.iter().any(|t| t == "AWS::S3::Object"));
    // Any resources.ARN condition narrows the selector to some buckets.
    let narrowed = fields.iter().any(|(f, _)| *f == "resources.ARN");
    if category.iter().any(|c| c == "Data") && s3_objects && !narrowed {
        r.s3_read = read;
        r.s3_write = write;
    }
    r
}

fn evaluate(trails: &[Trail], region: &str) -> Vec<Finding> {
    let home: Vec<&Trail> = trails.iter().filter(|t| t.home_region == region).collect();
    vec![
        eval_multi_region(trails),
        eval_home(LOG_VALIDATION, &home, "log file validation", |t| {
            t.log_validation
        }),
        eval_home(KMS, &home, "SSE-KMS encryption", |t| t.kms_key.is_some()),
        eval_home(CW_LOGS, &home, "CloudWatch Logs delivery", |t| {
            t.cw_log_group.is_some()
        }),
        eval_s3_data(trails),
    ]
}

fn eval_multi_region(trails: &[Trail]) -> Finding {
    let multi: Vec<&Trail> = trails.iter().filter(|t| t.multi_region).collect();
    if multi.is_empty() {
        return Finding::fail(MULTI_REGION, "no multi-Region trail applies to this Region");
    }
    let good: Vec<String> = multi
        .iter()
        .filter(|t| {
            matches!(t.logging, Ok(true))
                && matches!(&t.recording, Ok(r) if r.mgmt_read && r.mgmt_write)
        })
        .map(|t| t.arn.clone())
        .collect();
    if !good.is_empty() {
        return Finding::pass(
            MULTI_REGION,
            format!(
                "{} multi-Region trail(s) logging read and write management events",
                good.len()
            ),
        )
        .with_resources(good);
    }
    if let Some(f) = first_error(MULTI_REGION, &multi) {
        return f;
    }
    Finding::fail(
        MULTI_REGION,
        format!(
            "{} multi-Region trail(s), but none is logging both read and write management events",
            multi.len()
        ),
    )
    .with_resources(multi.iter().map(|t| t.arn.clone()))
}

fn eval_s3_data(trails: &[Trail]) -> Finding {
    if trails.is_empty() {
        return Finding::fail(S3_DATA, "no trail applies to this Region");
    }
    let mut read = Vec::new();
    let mut write = Vec::new();
    for t in trails.iter().filter(|t| matches!(t.logging, Ok(true))) {
        if let Ok(r) = &t.recording {
            if r.s3_read {
                read.push(t.arn.clone());
            }
            if r.s3_write {
                write.push(t.arn.clone());
            }
        }
    }
    if !read.is_empty() && !write.is_empty() {
        let mut res = read;
        res.extend(write);
        res.sort();
        res.dedup();
        return Finding::pass(
            S3_DATA,
            "S3 object-level read and write events are recorded for all buckets",
        )
        .with_resources(res);
    }
    let all: Vec<&Trail> = trails.iter().collect();
    if let Some(f) = first_error(S3_DATA, &all) {
        return f;
    }
    let missing = match (read.is_empty(), write.is_empty()) {
        (true, true) => "read and write",
        (true, false) => "read",
        _ => "write",
    };
    Finding::fail(
        S3_DATA,
        format!("no logging trail records S3 object-level {missing} events for all buckets"),
    )
}

/// A per-trail setting judged in the trail's home Region.
fn eval_home(
    check: &'static str,
    home: &[&Trail],
    what: &str,
    ok: impl Fn(&Trail) -> bool,
) -> Finding {
    if home.is_empty() {
        return Finding::not_applicable(check, "no trail is homed in this Region");
    }
    let bad: Vec<String> = home
        .iter()
        .filter(|t| !ok(t))
        .map(|t| t.arn.clone())
        .collect();
    if bad.is_empty() {
        Finding::pass(
            check,
            format!("all {} trail(s) homed here have {what}", home.len()),
        )
        .with_resources(home.iter().map(|t| t.arn.clone()))
    } else {
        Finding::fail(
            check,
            format!("{} of {} trail(s) lack {what}", bad.len(), home.len()),
        )
        .with_resources(bad)
    }
}

/// `unknown` if a trail's status or selectors could not be read.
fn first_error(check: &'static str, trails: &[&Trail]) -> Option<Finding> {
    trails
        .iter()
        .find_map(|t| match (&t.logging, &t.recording) {
            (Err(e), _) => Some(Finding::unknown_from(check, STATUS, e)),
            (_, Err(e)) => Some(Finding::unknown_from(check, SELECTORS, e)),
            _ => None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_cloudtrail::types::DataResource;
    use wasec_core::review::EvidenceStatus;

    const ALL_MGMT: Recording = Recording {
        mgmt_read: true,
        mgmt_write: true,
        s3_read: false,
        s3_write: false,
    };

    fn trail(arn: &str, home: &str, multi: bool) -> Trail {
        Trail {
            arn: arn.into(),
            home_region: home.into(),
            multi_region: multi,
            log_validation: true,
            kms_key: Some("arn:aws:kms:us-east-1:1:key/k".into()),
            cw_log_group: Some("arn:aws:logs:us-east-1:1:log-group:ct".into()),
            logging: Ok(true),
            recording: Ok(ALL_MGMT),
        }
    }

    fn by_id<'a>(f: &'a [Finding], id: &str) -> &'a Finding {
        f.iter().find(|x| x.check == id).unwrap()
    }

    #[test]
    fn no_trails_fails_logging_and_skips_home_checks() {
        let f = evaluate(&[], "us-east-1");
        assert_eq!(f.len(), CHECKS.len());
        assert_eq!(by_id(&f, MULTI_REGION).status, EvidenceStatus::Fail);
        assert_eq!(by_id(&f, S3_DATA).status, EvidenceStatus::Fail);
        assert_eq!(
            by_id(&f, LOG_VALIDATION).status,
            EvidenceStatus::NotApplicable
        );
    }

    #[test]
    fn logging_multi_region_trail_passes() {
        let f = evaluate(&[trail("t1", "us-east-1", true)], "us-east-1");
        assert_eq!(by_id(&f, MULTI_REGION).status, EvidenceStatus::Pass);
        assert_eq!(by_id(&f, MULTI_REGION).resources, vec!["t1".to_string()]);
        assert_eq!(by_id(&f, LOG_VALIDATION).status, EvidenceStatus::Pass);
        assert_eq!(by_id(&f, KMS).status, EvidenceStatus::Pass);
        assert_eq!(by_id(&f, CW_LOGS).status, EvidenceStatus::Pass);
        assert_eq!(by_id(&f, S3_DATA).status, EvidenceStatus::Fail);
    }

    #[test]
    fn stopped_or_write_only_trail_fails() {
        let mut stopped = trail("t1", "us-east-1", true);
        stopped.logging = Ok(false);
        let mut write_only = trail("t2", "us-east-1", true);
        write_only.recording = Ok(Recording {
            mgmt_read: false,
            ..ALL_MGMT
        });
        let f = eval_multi_region(&[stopped, write_only]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources.len(), 2);
    }

    #[test]
    fn single_region_trail_does_not_count_as_multi_region() {
        let f = eval_multi_region(&[trail("t1", "us-east-1", false)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
    }

    #[test]
    fn status_error_gives_unknown_not_fail() {
        let mut t = trail("t1", "us-east-1", true);
        t.logging = Err(ErrorMetadata::builder()
            .code("AccessDeniedException")
            .build());
        let f = eval_multi_region(&[t]);
        assert_eq!(f.status, EvidenceStatus::Unknown);
        assert!(f.summary.contains(STATUS));
    }

    #[test]
    fn home_checks_only_judge_trails_homed_here() {
        let mut t = trail("t1", "us-east-1", true);
        t.log_validation = false;
        t.kms_key = None;
        t.cw_log_group = None;
        let here = evaluate(std::slice::from_ref(&t), "us-east-1");
        assert_eq!(by_id(&here, LOG_VALIDATION).status, EvidenceStatus::Fail);
        assert_eq!(by_id(&here, KMS).status, EvidenceStatus::Fail);
        assert_eq!(by_id(&here, CW_LOGS).status, EvidenceStatus::Fail);
        assert_eq!(by_id(&here, KMS).resources, vec!["t1".to_string()]);
        let elsewhere = evaluate(&[t], "eu-west-1");
        assert_eq!(
            by_id(&elsewhere, LOG_VALIDATION).status,
            EvidenceStatus::NotApplicable
        );
        // The shadow copy still covers the Region for logging.
        assert_eq!(by_id(&elsewhere, MULTI_REGION).status, EvidenceStatus::Pass);
    }

    #[test]
    fn basic_selectors_parse_management_and_s3() {
        let sel = EventSelector::builder()
            .read_write_type(ReadWriteType::All)
            .include_management_events(true)
            .data_resources(
                DataResource::builder()
                    .r#type("AWS::S3::Object")
                    .values("arn:aws:s3")
                    .build(),
            )
            .build();
        let r = basic_recording(&[sel]);
        assert_eq!(
            r,
            Recording {
                mgmt_read: true,
                mgmt_write: true,
                s3_read: true,
                s3_write: true
            }
        );

        let one_bucket = EventSelector::builder()
            .read_write_type(ReadWriteType::WriteOnly)
            .include_management_events(false)
            .data_resources(
                DataResource::builder()
                    .r#type("AWS::S3::Object")
                    .values("arn:aws:s3:::only-this/")
                    .build(),
            )
            .build();
        assert_eq!(basic_recording(&[one_bucket]), Recording::default());
    }

    #[test]
    fn no_selectors_means_the_default_management_selector() {
        assert_eq!(recording_of(&[], &[]), DEFAULT_RECORDING);
        let data_only = EventSelector::builder()
            .include_management_events(false)
            .build();
        let r = recording_of(&[data_only], &[]);
        assert!(!r.mgmt_read && !r.mgmt_write);
    }

    #[test]
    fn advanced_selectors_parse_categories_and_narrowing() {
        let mgmt = ["Management".to_string()];
        let data = ["Data".to_string()];
        let s3 = ["AWS::S3::Object".to_string()];
        let ro = ["true".to_string()];
        let r = advanced_recording(&[("eventCategory", &mgmt[..])]);
        assert!(r.mgmt_read && r.mgmt_write && !r.s3_read);
        let r = advanced_recording(&[
            ("eventCategory", &data[..]),
            ("resources.type", &s3[..]),
            ("readOnly", &ro[..]),
        ]);
        assert!(r.s3_read && !r.s3_write && !r.mgmt_read);
        let arn = ["arn:aws:s3:::b/".to_string()];
        let r = advanced_recording(&[
            ("eventCategory", &data[..]),
            ("resources.type", &s3[..]),
            ("resources.ARN", &arn[..]),
        ]);
        assert!(!r.s3_read && !r.s3_write);
    }

    #[test]
    fn s3_data_events_can_come_from_two_trails() {
        let mut a = trail("a", "us-east-1", true);
        a.recording = Ok(Recording {
            s3_read: true,
            ..ALL_MGMT
        });
        let mut b = trail("b", "us-east-1", false);
        b.recording = Ok(Recording {
            s3_write: true,
            ..ALL_MGMT
        });
        assert_eq!(
            eval_s3_data(&[a.clone(), b.clone()]).status,
            EvidenceStatus::Pass
        );
        b.logging = Ok(false);
        let f = eval_s3_data(&[a, b]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.contains("write"));
    }
}
