//! Workload fields both ways (CreateWorkload, UpdateWorkload, GetWorkload)
//! and the checks the service model puts on them, made before any write.

use crate::client::{NewWorkload, WorkloadInfo, WorkloadUpdate};
use crate::facets::Facets;
use crate::notes::{api_len, truncate};
use crate::text;
use wasec_core::Review;
use wasec_core::review::Environment;

const DESCRIPTION: &str = "description";
const ENVIRONMENT: &str = "environment";
const OWNER: &str = "review_owner";
const ACCOUNTS: &str = "account_ids";
const AWS_REGIONS: &str = "aws_regions";
const OTHER_REGIONS: &str = "non_aws_regions";
/// Model limits: AccountIds 100, AwsRegions 50, NonAwsRegions 5 of 3-25 characters.
const MAX_ACCOUNTS: usize = 100;
const MAX_AWS_REGIONS: usize = 50;
const MAX_OTHER_REGIONS: usize = 5;

/// `us-east-1`, `ap-northeast-1`, `us-gov-west-1`: an AWS Region code.
pub fn looks_like_aws_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts[0].len() == 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
        && parts
            .last()
            .is_some_and(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

/// The review's regions split into AWS Regions and other locations.
pub fn split_regions(regions: &[String]) -> (Vec<String>, Vec<String>) {
    regions
        .iter()
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
        .partition(|r| looks_like_aws_region(r))
}

pub fn environment_api(e: Environment) -> &'static str {
    match e {
        Environment::Production => "PRODUCTION",
        Environment::Preproduction => "PREPRODUCTION",
    }
}

pub fn environment_from_api(s: &str) -> Environment {
    if s.eq_ignore_ascii_case("PREPRODUCTION") {
        Environment::Preproduction
    } else {
        Environment::Production
    }
}

fn sorted(v: &[String]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.trim().to_string()).collect();
    v.sort();
    v.dedup();
    v
}

/// Every problem with the review's workload fields, for the Tool's model.
pub fn check(review: &Review) -> Vec<String> {
    let w = &review.workload;
    let mut p = Vec::new();
    for a in &w.accounts {
        if a.len() != 12 || !a.bytes().all(|b| b.is_ascii_digit()) {
            p.push(text::bad_account(a));
        }
    }
    if w.accounts.len() > MAX_ACCOUNTS {
        p.push(text::too_many(
            "workload.accounts",
            w.accounts.len(),
            MAX_ACCOUNTS,
        ));
    }
    let (aws, other) = split_regions(&w.regions);
    if aws.len() > MAX_AWS_REGIONS {
        p.push(text::too_many(
            "AWS Regions in workload.regions",
            aws.len(),
            MAX_AWS_REGIONS,
        ));
    }
    if other.len() > MAX_OTHER_REGIONS {
        p.push(text::too_many(
            "non-AWS locations in workload.regions",
            other.len(),
            MAX_OTHER_REGIONS,
        ));
    }
    for r in &other {
        if !(3..=25).contains(&api_len(r)) {
            p.push(text::bad_other_region(r));
        }
    }
    let owner = w.owner.trim();
    if !owner.is_empty() && !(3..=255).contains(&api_len(owner)) {
        p.push(text::bad_owner(owner));
    }
    p
}

/// What the review says about the workload's fields, as facets. Empty
/// description or owner: no opinion (the Tool needs at least 3 characters).
pub fn wanted(review: &Review) -> Facets {
    let w = &review.workload;
    let (aws, other) = split_regions(&w.regions);
    let mut f = Facets::new();
    let description = truncate(w.description.trim(), 250).0;
    if api_len(&description) >= 3 {
        f.insert(DESCRIPTION.into(), description);
    }
    f.insert(ENVIRONMENT.into(), environment_api(w.environment).into());
    if api_len(w.owner.trim()) >= 3 {
        f.insert(OWNER.into(), w.owner.trim().to_string());
    }
    f.insert(ACCOUNTS.into(), sorted(&w.accounts).join(","));
    f.insert(AWS_REGIONS.into(), sorted(&aws).join(","));
    f.insert(OTHER_REGIONS.into(), sorted(&other).join("\n"));
    f
}

/// The Tool's workload fields as facets (defaults left out).
pub fn from_tool(w: &WorkloadInfo) -> Facets {
    let pairs = [
        (DESCRIPTION, w.description.clone()),
        (ENVIRONMENT, w.environment.clone()),
        (OWNER, w.review_owner.clone()),
        (ACCOUNTS, sorted(&w.account_ids).join(",")),
        (AWS_REGIONS, sorted(&w.aws_regions).join(",")),
        (OTHER_REGIONS, sorted(&w.non_aws_regions).join("\n")),
    ];
    pairs
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v))
        .collect()
}

fn list(v: &str, sep: char) -> Vec<String> {
    v.split(sep)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The UpdateWorkload call that moves the Tool from `tool` to `result`.
pub fn update(tool: &Facets, result: &Facets) -> WorkloadUpdate {
    let get = |f: &Facets, k: &str| f.get(k).cloned().unwrap_or_default();
    let changed = |k: &str| (get(tool, k) != get(result, k)).then(|| get(result, k));
    WorkloadUpdate {
        description: changed(DESCRIPTION).filter(|d| api_len(d) >= 3),
        environment: changed(ENVIRONMENT),
        review_owner: changed(OWNER).filter(|o| api_len(o) >= 3),
        account_ids: changed(ACCOUNTS).map(|v| list(&v, ',')),
        aws_regions: changed(AWS_REGIONS).map(|v| list(&v, ',')),
        non_aws_regions: changed(OTHER_REGIONS).map(|v| list(&v, '\n')),
    }
}

/// The review's fields from the Tool (pull).
pub fn apply_to_review(w: &WorkloadInfo, review: &mut Review) {
    let r = &mut review.workload;
    r.description = w.description.clone();
    r.environment = environment_from_api(&w.environment);
    r.owner = w.review_owner.clone();
    r.accounts = w.account_ids.clone();
    r.regions = w
        .aws_regions
        .iter()
        .chain(&w.non_aws_regions)
        .cloned()
        .collect();
}

/// The review's fields from merged facets (pull into an existing review).
pub fn apply_facets(f: &Facets, review: &mut Review) {
    let get = |k: &str| f.get(k).cloned().unwrap_or_default();
    let r = &mut review.workload;
    if !get(DESCRIPTION).is_empty() {
        r.description = get(DESCRIPTION);
    }
    r.environment = environment_from_api(&get(ENVIRONMENT));
    if !get(OWNER).is_empty() {
        r.owner = get(OWNER);
    }
    r.accounts = list(&get(ACCOUNTS), ',');
    r.regions = list(&get(AWS_REGIONS), ',')
        .into_iter()
        .chain(list(&get(OTHER_REGIONS), '\n'))
        .collect();
}

/// CreateWorkload input from the review. The review owner is required in
/// practice (the API reference says so though the model marks it optional).
pub fn new_workload(review: &Review, name: &str, region: &str) -> Result<NewWorkload, Vec<String>> {
    let w = &review.workload;
    let mut problems = check(review);
    let owner = w.owner.trim();
    if api_len(owner) < 3 {
        problems.push(text::owner_needed());
    }
    if !(3..=100).contains(&api_len(name.trim())) {
        problems.push(text::bad_workload_name(name));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut description = truncate(w.description.trim(), 250).0;
    if api_len(&description) < 3 {
        description = text::default_description(name);
    }
    let (mut aws, other) = split_regions(&w.regions);
    if aws.is_empty() && other.is_empty() {
        aws.push(region.to_string());
    }
    Ok(NewWorkload {
        name: name.trim().to_string(),
        description,
        environment: environment_api(w.environment).into(),
        review_owner: owner.to_string(),
        aws_regions: sorted(&aws),
        non_aws_regions: sorted(&other),
        account_ids: sorted(&w.accounts),
        ..NewWorkload::default()
    })
}

/// The idempotency token of a CreateWorkload: every parameter goes in, so
/// a retry of the same request reuses it and a changed request does not.
pub fn create_token(n: &NewWorkload, region: &str) -> String {
    let parts = [
        "create-workload".to_string(),
        region.to_string(),
        n.name.clone(),
        n.description.clone(),
        n.environment.clone(),
        n.review_owner.clone(),
        n.aws_regions.join(","),
        n.non_aws_regions.join("\n"),
        n.account_ids.join(","),
        n.profile_arns.join(","),
        n.review_template_arns.join(","),
    ];
    let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
    crate::token(&refs)
}

/// `arn:aws…:wellarchitected:<region>:<account>:profile/<id>` (model pattern).
pub fn is_profile_arn(s: &str) -> bool {
    arn_tail(s, "profile/").is_some_and(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}

/// `arn:aws…:wellarchitected:<region>:<account>:review-template/<32 hex>`.
pub fn is_template_arn(s: &str) -> bool {
    (50..=250).contains(&s.len())
        && arn_tail(s, "review-template/").is_some_and(|id| {
            id.len() == 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

fn arn_tail<'a>(s: &'a str, kind: &str) -> Option<&'a str> {
    let p: Vec<&str> = s.splitn(6, ':').collect();
    let ok = p.len() == 6
        && p[0] == "arn"
        && p[1].starts_with("aws")
        && p[2] == "wellarchitected"
        && looks_like_aws_region(p[3])
        && p[4].len() == 12
        && p[4].bytes().all(|b| b.is_ascii_digit());
    if ok { p[5].strip_prefix(kind) } else { None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review() -> Review {
        let mut r = Review::new("Shop", time::macros::date!(2026 - 11 - 01));
        r.workload.owner = "Aiko".into();
        r
    }

    #[test]
    fn create_input_splits_regions_and_checks_the_model() {
        let mut r = review();
        r.workload.regions = vec![
            "ap-northeast-1".into(),
            "us-gov-west-1".into(),
            "On-prem Tokyo DC".into(),
        ];
        r.workload.accounts = vec!["444455556666".into(), "111122223333".into()];
        let w = new_workload(&r, "Shop", "ap-northeast-1").unwrap();
        assert_eq!(w.aws_regions, vec!["ap-northeast-1", "us-gov-west-1"]);
        assert_eq!(w.non_aws_regions, vec!["On-prem Tokyo DC"]);
        assert_eq!(w.account_ids, vec!["111122223333", "444455556666"]);
        assert!(w.description.chars().count() >= 3);
        let mut r2 = r.clone();
        r2.workload.accounts.reverse();
        let w2 = new_workload(&r2, "Shop", "ap-northeast-1").unwrap();
        assert_eq!(
            create_token(&w2, "ap-northeast-1"),
            create_token(&w, "ap-northeast-1")
        );
        assert_ne!(
            create_token(&w, "us-east-1"),
            create_token(&w, "ap-northeast-1")
        );
        r.workload.regions.clear();
        assert_eq!(
            new_workload(&r, "Shop", "eu-west-1").unwrap().aws_regions,
            vec!["eu-west-1"]
        );
        // Every problem at once, each naming the value.
        r.workload.owner = " ".into();
        r.workload.accounts = vec!["12345".into()];
        r.workload.regions = vec!["DC".into(), "x".repeat(26)];
        let p = new_workload(&r, "Sh", "eu-west-1").unwrap_err();
        assert_eq!(p.len(), 5, "{p:?}");
        assert!(p.iter().any(|m| m.contains("\"12345\"")));
        assert!(p.iter().any(|m| m.contains("\"DC\"")));
        let six: Vec<String> = (0..6).map(|i| format!("Site {i}")).collect();
        r.workload.regions = six;
        assert!(check(&r).iter().any(|m| m.contains('6')));
    }

    #[test]
    fn fields_round_trip_and_updates_name_only_changes() {
        let mut r = review();
        r.workload.description = "Checkout".into();
        r.workload.regions = vec!["eu-west-1".into(), "Osaka DC".into()];
        let want = wanted(&r);
        let info = WorkloadInfo {
            description: "Checkout".into(),
            environment: "PRODUCTION".into(),
            review_owner: "Aiko".into(),
            aws_regions: vec!["eu-west-1".into()],
            non_aws_regions: vec!["Osaka DC".into()],
            ..Default::default()
        };
        let tool = from_tool(&info);
        let mut want_nonempty = want.clone();
        want_nonempty.retain(|_, v| !v.is_empty());
        assert_eq!(want_nonempty, tool);
        assert!(update(&tool, &want_nonempty).is_empty());
        let mut changed = tool.clone();
        changed.insert(ENVIRONMENT.into(), "PREPRODUCTION".into());
        changed.insert(ACCOUNTS.into(), "111122223333,444455556666".into());
        let u = update(&tool, &changed);
        assert_eq!(u.environment.as_deref(), Some("PREPRODUCTION"));
        assert_eq!(u.account_ids.unwrap(), vec!["111122223333", "444455556666"]);
        assert!(u.description.is_none() && u.aws_regions.is_none());
    }

    #[test]
    fn arn_patterns() {
        assert!(is_profile_arn(
            "arn:aws:wellarchitected:us-east-1:123456789012:profile/abc123"
        ));
        assert!(!is_profile_arn(
            "arn:aws:wellarchitected:us-east-1:123456789012:review-template/abc"
        ));
        let t = format!(
            "arn:aws:wellarchitected:us-east-1:123456789012:review-template/{}",
            "0a".repeat(16)
        );
        assert!(is_template_arn(&t));
        assert!(!is_template_arn(
            "arn:aws:wellarchitected:us-east-1:123:review-template/x"
        ));
    }
}
