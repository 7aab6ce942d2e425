//! CreateMilestone, ListMilestones and UpgradeLensReview (which records a
//! milestone of the answers before it moves the review to the current lens).

use super::*;
use crate::api::{Body, max_results, paginate};
use serde_json::json;

impl State {
    /// Name free and quota left, or the error the service gives.
    fn check_milestone(&self, w: &Workload, name: &str) -> ApiResult<()> {
        if w.milestones.iter().any(|m| m.name == name) {
            return Err(ApiError::conflict(
                "MILESTONE",
                name,
                format!("Milestone name {name} is already used on workload {}", w.id),
            ));
        }
        if w.milestones.len() >= MAX_MILESTONES {
            return Err(ApiError::quota(
                "MILESTONE",
                &w.id,
                "L-MILESTONES",
                format!(
                    "Workload {} already has the maximum of {MAX_MILESTONES} milestones",
                    w.id
                ),
            ));
        }
        Ok(())
    }

    fn record_milestone(w: &mut Workload, name: &str) -> i64 {
        let number = w.milestones.len() as i64 + 1;
        w.milestones.push(Milestone {
            number,
            name: name.to_string(),
            recorded_at: now(),
            answers: w.answers.clone(),
            lens: w.lens.clone(),
            meta: w.meta.clone(),
        });
        number
    }

    pub fn create_milestone(&mut self, region: &str, id: &str, body: &Value) -> ApiResult<Value> {
        let b = Body(body);
        let token = b.str_req("ClientRequestToken", 1, 2048)?.to_string();
        let name = b.str_req("MilestoneName", 3, 100)?.to_string();
        let params = token_params(body, &[id]);
        if let Some(done) = self.replay(region, "CreateMilestone", &token, &params)? {
            return Ok(done);
        }
        self.check_milestone(self.workload(region, id)?, &name)?;
        let number = Self::record_milestone(self.workload_mut(region, id)?, &name);
        let result = json!({ "WorkloadId": id, "MilestoneNumber": number });
        self.remember(region, "CreateMilestone", &token, &params, &result);
        Ok(result)
    }

    pub fn list_milestones(&self, region: &str, id: &str, body: &Value) -> ApiResult<Value> {
        let b = Body(body);
        let max = max_results(b.int_opt("MaxResults")?, 50)?;
        let token = b.str_opt("NextToken", 1, usize::MAX)?;
        let w = self.workload(region, id)?;
        let all: Vec<Value> = w
            .milestones
            .iter()
            .map(|m| {
                let mut summary = self.summary(w);
                summary["WorkloadName"] = json!(m.meta.name);
                json!({ "MilestoneNumber": m.number, "MilestoneName": m.name,
                    "RecordedAt": m.recorded_at, "WorkloadSummary": summary })
            })
            .collect();
        let scope = format!("milestones/{id}");
        let (items, next) = paginate(&all, &scope, token, max.min(self.config.page_size))?;
        Ok(json!({ "WorkloadId": id, "MilestoneSummaries": items, "NextToken": next }))
    }

    /// Moves the review to the current lens version: answers to choices
    /// the current version does not list are dropped; a milestone named
    /// `MilestoneName` keeps the answers as they were.
    pub fn upgrade_lens_review(
        &mut self,
        region: &str,
        id: &str,
        lens: &str,
        body: &Value,
    ) -> ApiResult<Value> {
        Self::check_lens(lens)?;
        let b = Body(body);
        let name = b.str_req("MilestoneName", 3, 100)?.to_string();
        let token = b
            .str_opt("ClientRequestToken", 1, 2048)?
            .map(str::to_string);
        let params = token_params(body, &[id, lens]);
        if let Some(t) = &token
            && let Some(done) = self.replay(region, "UpgradeLensReview", t, &params)?
        {
            return Ok(done);
        }
        let w = self.workload(region, id)?;
        if w.lens.status == "CURRENT" {
            return Err(ApiError::validation(format!(
                "The lens review of workload {id} is already on the current lens version {}",
                w.lens.version
            )));
        }
        self.check_milestone(w, &name)?;
        let current = self.current_lens();
        let known: BTreeSet<String> = self
            .questions
            .iter()
            .flat_map(|q| self.choices(&current, &q.id))
            .map(|c| c.id)
            .collect();
        let w = self.workload_mut(region, id)?;
        Self::record_milestone(w, &name);
        for a in w.answers.values_mut() {
            a.selected.retain(|c| known.contains(c));
            a.choices.retain(|c, _| known.contains(c));
        }
        w.lens = current;
        w.updated_at = now();
        let result = json!({});
        if let Some(t) = token {
            self.remember(region, "UpgradeLensReview", &t, &params, &result);
        }
        Ok(result)
    }
}
