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
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;

const DESCRIBE: &str = "cloudtrail:DescribeTrails";
const STATUS: &str = "cloudtrail:GetTrailStatus";
const SELECTORS: &str = "cloudtrail:GetEventSelectors";

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

/// One trail visible in the region, with its per-trail lookups.
#[derive(Debug, Clone)]
struct Trail {
    arn: String,
    home_region: String,
    multi_region: bool,
    /// Created in the management account for every member account.
    organization: bool,
    log_validation: bool,
    kms_key: Option<String>,
    cw_log_group: Option<String>,
    logging: Result<bool, Failure>,
    recording: Result<Recording, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let list = client
        .describe_trails()
        .include_shadow_trails(true)
        .send()
        .await
        .map_err(|e| Failure::from_sdk(DESCRIBE, &e))?
        .trail_list
        .unwrap_or_default();
    let mut trails: Vec<Trail> = futures::stream::iter(list)
        .map(|t| {
            let client = client.clone();
            async move {
                // The ARN works for shadow trails too; the name only in the home region.
                let id = t.trail_arn().or(t.name()).unwrap_or_default().to_string();
                let logging = client
                    .get_trail_status()
                    .name(&id)
                    .send()
                    .await
                    .map(|s| s.is_logging().unwrap_or(false))
                    .map_err(|e| Failure::from_sdk(STATUS, &e));
                let recording = client
                    .get_event_selectors()
                    .trail_name(&id)
                    .send()
                    .await
                    .map(|s| recording_of(s.event_selectors(), s.advanced_event_selectors()))
                    .map_err(|e| Failure::from_sdk(SELECTORS, &e));
                Trail {
                    arn: id,
                    home_region: t.home_region().unwrap_or_default().to_string(),
                    multi_region: t.is_multi_region_trail().unwrap_or(false),
                    organization: t.is_organization_trail().unwrap_or(false),
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
    trails.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(evaluate(&trails, &cx.region))
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
    use CheckId::*;
    let home: Vec<&Trail> = trails.iter().filter(|t| t.home_region == region).collect();
    vec![
        eval_multi_region(trails),
        eval_organization(trails),
        eval_home(
            CloudTrailLogValidation,
            &home,
            ("log file validation", "ログファイルの整合性検証"),
            |t| t.log_validation,
        ),
        eval_home(
            CloudTrailKmsEncrypted,
            &home,
            ("SSE-KMS encryption", "SSE-KMS 暗号化"),
            |t| t.kms_key.is_some(),
        ),
        eval_home(
            CloudTrailCwLogsIntegration,
            &home,
            ("CloudWatch Logs delivery", "CloudWatch Logs への配信"),
            |t| t.cw_log_group.is_some(),
        ),
        eval_s3_data(trails),
    ]
}

/// Logging with read and write management events.
fn records_management(t: &Trail) -> bool {
    matches!(t.logging, Ok(true)) && matches!(&t.recording, Ok(r) if r.mgmt_read && r.mgmt_write)
}

fn eval_multi_region(trails: &[Trail]) -> Finding {
    let id = CheckId::CloudTrailMultiRegionLogging;
    let multi: Vec<&Trail> = trails.iter().filter(|t| t.multi_region).collect();
    if multi.is_empty() {
        return Finding::fail(
            id,
            tr!(
                "no multi-region trail applies to this region",
                "このリージョンに適用されるマルチリージョンの CloudTrail 証跡がありません"
            ),
        );
    }
    let good: Vec<String> = multi
        .iter()
        .filter(|t| records_management(t))
        .map(|t| t.arn.clone())
        .collect();
    if !good.is_empty() {
        let n = good.len();
        return Finding::pass(
            id,
            tr!(
                "{n} multi-region trails log read and write management events",
                "マルチリージョンの CloudTrail 証跡 {n} 件が読み取りと書き込みの管理イベントを記録しています"
            ),
        )
        .with_resources(good);
    }
    if let Some(f) = first_error(id, &multi) {
        return f;
    }
    let (n, why_en, why_ja) = (
        multi.len(),
        not_recording(&multi, false),
        not_recording(&multi, true),
    );
    Finding::fail(
        id,
        tr!(
            "{n} multi-region trails, but none logs both read and write management events: {why_en}",
            "マルチリージョンの CloudTrail 証跡は {n} 件ありますが、読み取りと書き込みの管理イベントを両方記録しているものはありません: {why_ja}"
        ),
    )
    .with_resources(multi.iter().map(|t| t.arn.clone()))
}

/// Why each trail does not record management events.
fn not_recording(trails: &[&Trail], ja: bool) -> String {
    let reasons: Vec<String> = trails
        .iter()
        .map(|t| {
            let why = match (&t.logging, &t.recording) {
                (Ok(false), _) => ["logging stopped", "記録停止中"],
                (_, Ok(r)) if !r.mgmt_read && !r.mgmt_write => {
                    ["no management events", "管理イベントなし"]
                }
                (_, Ok(r)) if !r.mgmt_read => ["write events only", "書き込みイベントのみ"],
                _ => ["read events only", "読み取りイベントのみ"],
            };
            if ja {
                format!("{}({})", t.arn, why[1])
            } else {
                format!("{} ({})", t.arn, why[0])
            }
        })
        .collect();
    sample(&reasons, 3)
}

/// An organization trail (from the management account) records every
/// member account into one place: the standardized location SEC04-BP02
/// asks for.
fn eval_organization(trails: &[Trail]) -> Finding {
    let id = CheckId::CloudTrailOrganizationTrail;
    let org: Vec<&Trail> = trails.iter().filter(|t| t.organization).collect();
    if org.is_empty() {
        return Finding::fail(
            id,
            tr!(
                "no organization trail applies to this region: events stay in this account unless another trail copies them out",
                "このリージョンに適用される組織の証跡がありません。別の CloudTrail 証跡で持ち出さない限り、イベントはこのアカウント内にとどまります"
            ),
        );
    }
    let good: Vec<String> = org
        .iter()
        .filter(|t| records_management(t))
        .map(|t| t.arn.clone())
        .collect();
    if !good.is_empty() {
        let n = good.len();
        return Finding::pass(
            id,
            tr!(
                "{n} organization trails log management events for every account",
                "組織の証跡 {n} 件がすべてのアカウントの管理イベントを記録しています"
            ),
        )
        .with_resources(good);
    }
    if let Some(f) = first_error(id, &org) {
        return f;
    }
    let (why_en, why_ja) = (not_recording(&org, false), not_recording(&org, true));
    Finding::fail(
        id,
        tr!(
            "organization trails exist but do not log management events: {why_en}",
            "組織の証跡はありますが管理イベントを記録していません: {why_ja}"
        ),
    )
    .with_resources(org.iter().map(|t| t.arn.clone()))
}

fn eval_s3_data(trails: &[Trail]) -> Finding {
    let id = CheckId::CloudTrailS3DataEvents;
    if trails.is_empty() {
        return Finding::fail(
            id,
            tr!(
                "no trail applies to this region",
                "このリージョンに適用される CloudTrail 証跡がありません"
            ),
        );
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
        return Finding::pass(
            id,
            tr!(
                "S3 object-level read and write events are recorded for all buckets",
                "すべてのバケットの S3 オブジェクトレベルの読み取り・書き込みイベントが記録されています"
            ),
        )
        .with_resources(read.into_iter().chain(write));
    }
    let all: Vec<&Trail> = trails.iter().collect();
    if let Some(f) = first_error(id, &all) {
        return f;
    }
    let (en, ja) = match (read.is_empty(), write.is_empty()) {
        (true, true) => ("read and write", "読み取り・書き込み"),
        (true, false) => ("read", "読み取り"),
        _ => ("write", "書き込み"),
    };
    Finding::fail(
        id,
        tr!(
            "no logging trail records S3 object-level {en} events for all buckets",
            "すべてのバケットの S3 オブジェクトレベルの{ja}イベントを記録している CloudTrail 証跡がありません"
        ),
    )
    .with_resources(trails.iter().map(|t| t.arn.clone()))
}

/// A per-trail setting judged in the trail's home region.
fn eval_home(
    id: CheckId,
    home: &[&Trail],
    what: (&str, &str),
    ok: impl Fn(&Trail) -> bool,
) -> Finding {
    let (what_en, what_ja) = what;
    if home.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "no trail is homed in this region",
                "このリージョンをホームとする CloudTrail 証跡はありません"
            ),
        );
    }
    let n = home.len();
    let bad: Vec<String> = home
        .iter()
        .filter(|t| !ok(t))
        .map(|t| t.arn.clone())
        .collect();
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} trails homed here have {what_en}",
                "このリージョンをホームとする CloudTrail 証跡 {n} 件すべてで{what_ja}が有効です"
            ),
        )
        .with_resources(home.iter().map(|t| t.arn.clone()));
    }
    let (k, list) = (bad.len(), sample(&bad, 5));
    Finding::fail(
        id,
        tr!(
            "{k} of {n} trails lack {what_en}: {list}",
            "CloudTrail 証跡 {n} 件中 {k} 件で{what_ja}が無効です: {list}"
        ),
    )
    .with_resources(bad)
}

/// `unknown` if a trail's status or selectors could not be read.
fn first_error(id: CheckId, trails: &[&Trail]) -> Option<Finding> {
    trails
        .iter()
        .find_map(|t| match (&t.logging, &t.recording) {
            (Err(f), _) | (_, Err(f)) => Some(f.finding(id)),
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
            organization: false,
            log_validation: true,
            kms_key: Some("arn:aws:kms:us-east-1:1:key/k".into()),
            cw_log_group: Some("arn:aws:logs:us-east-1:1:log-group:ct".into()),
            logging: Ok(true),
            recording: Ok(ALL_MGMT),
        }
    }

    use CheckId::*;
    const MULTI_REGION: CheckId = CloudTrailMultiRegionLogging;
    const LOG_VALIDATION: CheckId = CloudTrailLogValidation;
    const KMS: CheckId = CloudTrailKmsEncrypted;
    const CW_LOGS: CheckId = CloudTrailCwLogsIntegration;
    const S3_DATA: CheckId = CloudTrailS3DataEvents;
    const ORG: CheckId = CloudTrailOrganizationTrail;

    fn by_id(f: &[Finding], id: CheckId) -> &Finding {
        f.iter().find(|x| x.check == id).unwrap()
    }

    #[test]
    fn no_trails_fails_logging_and_skips_home_checks() {
        let f = evaluate(&[], "us-east-1");
        assert_eq!(f.len(), crate::check::Service::CloudTrail.checks().count());
        assert_eq!(by_id(&f, ORG).status, EvidenceStatus::Fail);
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
        assert!(
            f.summary.en.contains("t1 (logging stopped)"),
            "{}",
            f.summary.en
        );
        assert!(f.summary.en.contains("t2 (write events only)"));
    }

    #[test]
    fn single_region_trail_does_not_count_as_multi_region() {
        let f = eval_multi_region(&[trail("t1", "us-east-1", false)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
    }

    #[test]
    fn status_error_gives_unknown_not_fail() {
        let mut t = trail("t1", "us-east-1", true);
        t.logging = Err(Failure::new(
            STATUS,
            crate::check::FailureKind::AccessDenied,
            "AccessDeniedException",
        ));
        let f = eval_multi_region(&[t]);
        assert_eq!(f.status, EvidenceStatus::Unknown);
        assert!(f.summary.en.contains(STATUS));
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
        assert!(f.summary.en.contains("write"));
    }

    #[test]
    fn organization_trail_flag() {
        let mut org = trail("org", "us-east-1", true);
        org.organization = true;
        let f = evaluate(
            &[trail("local", "us-east-1", true), org.clone()],
            "eu-west-1",
        );
        assert_eq!(by_id(&f, ORG).status, EvidenceStatus::Pass);
        assert_eq!(by_id(&f, ORG).resources, vec!["org".to_string()]);
        org.logging = Ok(false);
        let f = evaluate(&[org], "us-east-1");
        assert_eq!(by_id(&f, ORG).status, EvidenceStatus::Fail);
        assert!(by_id(&f, ORG).summary.en.contains("org (logging stopped)"));
    }
}
