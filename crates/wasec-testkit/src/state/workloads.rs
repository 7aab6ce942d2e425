//! CreateWorkload, ListWorkloads, GetWorkload, UpdateWorkload.

use super::*;
use crate::api::{Body, check_account_id, max_results, paginate};
use serde_json::json;

const ENVIRONMENTS: [&str; 2] = ["PRODUCTION", "PREPRODUCTION"];
const IMPROVEMENT: [&str; 5] = [
    "NOT_APPLICABLE",
    "NOT_STARTED",
    "IN_PROGRESS",
    "COMPLETE",
    "RISK_ACKNOWLEDGED",
];

/// `ProfileArn` pattern of the model, checked by hand.
fn is_profile_arn(s: &str) -> bool {
    arn_tail(s, "profile/").is_some_and(|id| {
        !id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    })
}

/// `TemplateArn` pattern (50 to 250 characters, a 32-hex id).
fn is_template_arn(s: &str) -> bool {
    (50..=250).contains(&s.len())
        && arn_tail(s, "review-template/").is_some_and(|id| {
            id.len() == 32
                && id
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

/// `arn:aws…:wellarchitected:<region>:<12 digits>:<kind><id>` -> id.
fn arn_tail<'a>(s: &'a str, kind: &str) -> Option<&'a str> {
    let parts: Vec<&str> = s.splitn(6, ':').collect();
    let ok = parts.len() == 6
        && parts[0] == "arn"
        && parts[1].starts_with("aws")
        && parts[2] == "wellarchitected"
        && parts[3].split('-').count() >= 3
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit());
    if !ok {
        return None;
    }
    parts[5].strip_prefix(kind)
}

/// The fields CreateWorkload and UpdateWorkload share, checked against the model.
fn read_meta(b: &Body, m: &mut Meta) -> ApiResult<()> {
    if let Some(v) = b.str_opt("WorkloadName", 3, 100)? {
        m.name = v.into();
    }
    if let Some(v) = b.str_opt("Description", 3, 250)? {
        m.description = v.into();
    }
    if let Some(v) = b.enum_opt("Environment", &ENVIRONMENTS)? {
        m.environment = v.into();
    }
    if let Some(v) = b.str_opt("ReviewOwner", 3, 255)? {
        m.review_owner = v.into();
    }
    if let Some(v) = b.strings("AccountIds", 100, 12, 12)? {
        for a in &v {
            check_account_id("AccountIds", a)?;
        }
        m.account_ids = v;
    }
    if let Some(v) = b.strings("AwsRegions", 50, 0, 100)? {
        m.aws_regions = v;
    }
    if let Some(v) = b.strings("NonAwsRegions", 5, 3, 25)? {
        m.non_aws_regions = v;
    }
    if let Some(v) = b.str_opt("ArchitecturalDesign", 0, 2048)? {
        if !(v.is_empty()
            || v.starts_with("https://")
            || v.starts_with("http://")
            || v.starts_with("ftp://"))
        {
            return Err(ApiError::field(
                "ArchitecturalDesign",
                "ArchitecturalDesign must be a URL",
            ));
        }
        m.architectural_design = v.into();
    }
    if let Some(v) = b.str_opt("IndustryType", 0, 100)? {
        m.industry_type = v.into();
    }
    if let Some(v) = b.str_opt("Industry", 0, 100)? {
        m.industry = v.into();
    }
    if let Some(v) = b.str_opt("Notes", 0, 2084)? {
        m.notes = v.into();
    }
    Ok(())
}

impl State {
    pub fn create_workload(&mut self, region: &str, body: &Value) -> ApiResult<Value> {
        let b = Body(body);
        let token = b.str_req("ClientRequestToken", 1, 2048)?.to_string();
        let params = token_params(body, &[]);
        if let Some(done) = self.replay(region, "CreateWorkload", &token, &params)? {
            return Ok(done);
        }
        let w = self.new_workload_from(region, &b)?;
        let result = json!({ "WorkloadId": w.id, "WorkloadArn": w.arn() });
        self.workloads.push(w);
        self.remember(region, "CreateWorkload", &token, &params, &result);
        Ok(result)
    }

    fn new_workload_from(&mut self, region: &str, b: &Body) -> ApiResult<Workload> {
        let mut meta = Meta::default();
        b.str_req("WorkloadName", 3, 100)?;
        b.str_req("Description", 3, 250)?;
        if !b.has("Environment") {
            return Err(ApiError::field("Environment", "Environment is required"));
        }
        read_meta(b, &mut meta)?;
        // The API reference: "You also must specify ReviewOwner, even though
        // the parameter is listed as not being required."
        if meta.review_owner.is_empty() {
            return Err(ApiError::field("ReviewOwner", "ReviewOwner is required"));
        }
        if meta.aws_regions.is_empty() && meta.non_aws_regions.is_empty() {
            return Err(ApiError::field(
                "AwsRegions",
                "AwsRegions or NonAwsRegions is required",
            ));
        }
        let lenses = b.strings("Lenses", usize::MAX, 1, 128)?.unwrap_or_default();
        if lenses.is_empty() {
            return Err(ApiError::field("Lenses", "Lenses is required"));
        }
        for l in &lenses {
            Self::check_lens(l)?;
        }
        let profiles = self.arns(b, "ProfileArns", is_profile_arn, "PROFILE")?;
        let templates = self.arns(b, "ReviewTemplateArns", is_template_arn, "REVIEW_TEMPLATE")?;
        self.check_name_free(region, &meta.name, None)?;
        meta.improvement_status = "NOT_STARTED".into();
        let answers = templates
            .first()
            .and_then(|t| self.templates.get(t))
            .cloned()
            .unwrap_or_default();
        Ok(Workload {
            id: self.new_workload_id(),
            owner: self.config.account.clone(),
            region: region.to_string(),
            meta,
            profiles,
            templates,
            lens: self.current_lens(),
            answers,
            milestones: Vec::new(),
            updated_at: now(),
        })
    }

    /// ProfileArns / ReviewTemplateArns: at most one, model pattern, and
    /// known to the double (registered through its admin hooks).
    fn arns(
        &self,
        b: &Body,
        name: &str,
        valid: fn(&str) -> bool,
        kind: &str,
    ) -> ApiResult<Vec<String>> {
        let list = b.strings(name, 1, 0, 2084)?.unwrap_or_default();
        for a in &list {
            if !valid(a) {
                return Err(ApiError::field(
                    name,
                    format!("{name}: {a:?} does not match the ARN pattern"),
                ));
            }
            let known = match kind {
                "PROFILE" => self.profiles.contains(a),
                _ => self.templates.contains_key(a),
            };
            if !known {
                return Err(ApiError::not_found(
                    kind,
                    a,
                    format!("No {} {a} found", kind.to_lowercase()),
                ));
            }
        }
        Ok(list)
    }

    fn check_name_free(&self, region: &str, name: &str, except: Option<&str>) -> ApiResult<()> {
        let clash = self.workloads.iter().find(|w| {
            w.region == region
                && w.owner == self.config.account
                && Some(w.id.as_str()) != except
                && normalize_name(&w.meta.name) == normalize_name(name)
        });
        match clash {
            Some(w) => Err(ApiError::conflict(
                "WORKLOAD",
                &w.id,
                format!(
                    "Workload name {name} is already in use by workload {}",
                    w.id
                ),
            )),
            None => Ok(()),
        }
    }

    pub(super) fn summary(&self, w: &Workload) -> Value {
        json!({
            "WorkloadId": w.id, "WorkloadArn": w.arn(), "WorkloadName": w.meta.name,
            "Owner": w.owner, "UpdatedAt": w.updated_at, "Lenses": [LENS_ALIAS],
            "RiskCounts": risk_counts_json(&self.risk_counts(&w.lens, &w.answers)),
            "ImprovementStatus": w.meta.improvement_status,
        })
    }

    pub fn list_workloads(&self, region: &str, body: &Value) -> ApiResult<Value> {
        let b = Body(body);
        let max = max_results(b.int_opt("MaxResults")?, 50)?;
        let prefix = b.str_opt("WorkloadNamePrefix", 0, 100)?.unwrap_or_default();
        let token = b.str_opt("NextToken", 1, usize::MAX)?;
        // Prefix matching ignores case here; the service's behaviour is not documented.
        let all: Vec<Value> = self
            .workloads
            .iter()
            .filter(|w| w.region == region)
            .filter(|w| {
                w.meta
                    .name
                    .to_lowercase()
                    .starts_with(&prefix.to_lowercase())
            })
            .map(|w| self.summary(w))
            .collect();
        let scope = format!("workloads/{region}/{prefix}");
        let (items, next) = paginate(&all, &scope, token, max.min(self.config.page_size))?;
        Ok(json!({ "WorkloadSummaries": items, "NextToken": next }))
    }

    pub fn workload_json(
        &self,
        w: &Workload,
        meta: &Meta,
        answers: &BTreeMap<String, AnswerRec>,
        lens: &LensReview,
    ) -> Value {
        let profiles: Vec<Value> = w
            .profiles
            .iter()
            .map(|p| json!({ "ProfileArn": p, "ProfileVersion": "1" }))
            .collect();
        json!({
            "WorkloadId": w.id, "WorkloadArn": w.arn(), "WorkloadName": meta.name,
            "Description": meta.description, "Environment": meta.environment,
            "UpdatedAt": w.updated_at, "AccountIds": meta.account_ids,
            "AwsRegions": meta.aws_regions, "NonAwsRegions": meta.non_aws_regions,
            "ArchitecturalDesign": meta.architectural_design, "ReviewOwner": meta.review_owner,
            "IndustryType": meta.industry_type, "Industry": meta.industry, "Notes": meta.notes,
            "ImprovementStatus": meta.improvement_status,
            "RiskCounts": risk_counts_json(&self.risk_counts(lens, answers)),
            "Lenses": [LENS_ALIAS], "Owner": w.owner, "Profiles": profiles,
        })
    }

    pub fn get_workload(&self, region: &str, id: &str) -> ApiResult<Value> {
        let w = self.workload(region, id)?;
        Ok(json!({ "Workload": self.workload_json(w, &w.meta, &w.answers, &w.lens) }))
    }

    pub fn update_workload(&mut self, region: &str, id: &str, body: &Value) -> ApiResult<Value> {
        let b = Body(body);
        let mut meta = self.workload(region, id)?.meta.clone();
        read_meta(&b, &mut meta)?;
        if let Some(s) = b.enum_opt("ImprovementStatus", &IMPROVEMENT)? {
            meta.improvement_status = s.into();
        }
        b.bool_opt("IsReviewOwnerUpdateAcknowledged")?;
        self.check_name_free(region, &meta.name, Some(id))?;
        let w = self.workload_mut(region, id)?;
        w.meta = meta;
        w.updated_at = now();
        let w = self.workload(region, id)?;
        Ok(json!({ "Workload": self.workload_json(w, &w.meta, &w.answers, &w.lens) }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arn_patterns_follow_the_model() {
        assert!(is_profile_arn(
            "arn:aws:wellarchitected:us-east-1:123456789012:profile/abc123"
        ));
        assert!(!is_profile_arn(
            "arn:aws:wellarchitected:us-east-1:1234:profile/abc123"
        ));
        assert!(!is_profile_arn(
            "arn:aws:s3:us-east-1:123456789012:profile/abc"
        ));
        let t = format!(
            "arn:aws:wellarchitected:us-east-1:123456789012:review-template/{}",
            "a".repeat(32)
        );
        assert!(is_template_arn(&t));
        assert!(!is_template_arn(&t.replace("review-template", "profile")));
    }
}
