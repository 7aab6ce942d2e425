//! What happens behind a client's back: edits made "in the console",
//! injected failures, a workload left on an older lens version, profiles
//! and review templates that exist in the account. Reached through the
//! Rust API of [`crate::Double`] or the admin HTTP paths under `/_double/`
//! (a prefix the real API never uses).

use super::*;
use crate::api::{ApiResult, Body};
use serde_json::json;

/// Fail calls of one operation: let `after` calls through, then answer the
/// next `times` calls with `status` (429 throttling, 500 internal error,
/// 503 unavailable, 403 access denied, 409 conflict).
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub op: String,
    pub status: u16,
    pub after: usize,
    pub times: usize,
}

/// Which lens version a workload's review is on.
#[derive(Debug, Clone, PartialEq)]
pub struct LensSetup {
    pub version: String,
    /// CURRENT, NOT_CURRENT, DEPRECATED, DELETED or UNSHARED.
    pub status: String,
    /// Choices the version lists beyond the current lens: question id ->
    /// (choice id, title).
    pub extra: BTreeMap<String, Vec<(String, String)>>,
    /// Current-lens choice ids the version does not list.
    pub missing: Vec<String>,
}

impl LensSetup {
    /// An older version that still lists the bank's retired choice ids
    /// (`retired_choices` in `questions/lens.yaml`), NOT_CURRENT.
    pub fn previous(bank: &Bank) -> LensSetup {
        let mut extra: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for r in &bank.lens().retired_choices {
            extra
                .entry(r.question.clone())
                .or_default()
                .push((r.choice_id.clone(), r.title.clone()));
        }
        LensSetup {
            version: "2023-10-03".into(),
            status: "NOT_CURRENT".into(),
            extra,
            missing: Vec::new(),
        }
    }

    /// From the admin JSON: `{"LensVersion", "LensStatus", "ExtraChoices":
    /// {qid: [{"ChoiceId", "Title"}]}, "MissingChoices": [..]}`.
    pub fn from_json(v: &Value) -> ApiResult<LensSetup> {
        let b = Body(v);
        let status = b
            .enum_opt("LensStatus", &LENS_STATUSES)?
            .unwrap_or("NOT_CURRENT");
        let mut extra: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        if let Some(m) = v.get("ExtraChoices").and_then(Value::as_object) {
            for (q, list) in m {
                for c in list.as_array().into_iter().flatten() {
                    let cb = Body(c);
                    let id = cb.str_req("ChoiceId", 1, 64)?.to_string();
                    let title = cb.str_opt("Title", 0, 512)?.unwrap_or_default().to_string();
                    extra.entry(q.clone()).or_default().push((id, title));
                }
            }
        }
        Ok(LensSetup {
            version: b.str_req("LensVersion", 1, 32)?.to_string(),
            status: status.to_string(),
            extra,
            missing: b
                .strings("MissingChoices", usize::MAX, 1, 64)?
                .unwrap_or_default(),
        })
    }
}

impl State {
    pub fn add_fault(&mut self, f: Fault) {
        self.faults.push(f);
    }

    pub fn clear_faults(&mut self) {
        self.faults.clear();
    }

    /// Count the call and return the injected failure it meets, if any.
    pub fn take_fault(&mut self, op: &str) -> Option<ApiError> {
        *self.calls.entry(op.to_string()).or_default() += 1;
        let f = self.faults.iter_mut().find(|f| f.op == op && f.times > 0)?;
        if f.after > 0 {
            f.after -= 1;
            return None;
        }
        f.times -= 1;
        Some(ApiError::injected(f.status))
    }

    pub fn force_risk(&mut self, qid: &str, risk: &str) {
        self.force_risk.insert(qid.to_string(), risk.to_string());
    }

    pub fn set_lens(&mut self, id: &str, s: &LensSetup) -> ApiResult<()> {
        let to_choice = |(id, title): &(String, String)| Choice {
            id: id.clone(),
            title: title.clone(),
            risk: Some(Risk::Medium),
        };
        let lens = LensReview {
            version: s.version.clone(),
            status: s.status.clone(),
            extra: s
                .extra
                .iter()
                .map(|(q, cs)| (q.clone(), cs.iter().map(to_choice).collect()))
                .collect(),
            missing: s.missing.iter().cloned().collect(),
        };
        self.workload_any_mut(id)?.lens = lens;
        Ok(())
    }

    /// An UpdateAnswer made by someone else (in the console): same rules,
    /// not counted as a call of the client under test.
    pub fn console_update_answer(&mut self, id: &str, qid: &str, body: &Value) -> ApiResult<()> {
        let region = self.workload_any_mut(id)?.region.clone();
        let a = self.apply_update(self.workload(&region, id)?, qid, body)?;
        let w = self.workload_any_mut(id)?;
        w.answers.insert(qid.to_string(), a);
        w.updated_at = now();
        Ok(())
    }

    /// An UpdateWorkload made in the console.
    pub fn console_update_workload(&mut self, id: &str, body: &Value) -> ApiResult<()> {
        let region = self.workload_any_mut(id)?.region.clone();
        self.update_workload(&region, id, body).map(|_| ())
    }

    /// Make a workload belong to another account, as a workload shared
    /// with the caller does (ListWorkloads shows it with that Owner).
    pub fn set_owner(&mut self, id: &str, account: &str) -> ApiResult<()> {
        self.workload_any_mut(id)?.owner = account.to_string();
        Ok(())
    }

    pub fn register_profile(&mut self, arn: &str) {
        self.profiles.insert(arn.to_string());
    }

    /// A review template whose answers (question id -> UpdateAnswer body)
    /// a workload created from it starts with.
    pub fn register_template(&mut self, arn: &str, answers: &Value) -> ApiResult<()> {
        let scratch = Workload {
            id: String::new(),
            owner: String::new(),
            region: String::new(),
            meta: Meta::default(),
            profiles: Vec::new(),
            templates: Vec::new(),
            lens: self.current_lens(),
            answers: BTreeMap::new(),
            milestones: Vec::new(),
            updated_at: 0.0,
        };
        let mut out = BTreeMap::new();
        for (qid, body) in answers.as_object().into_iter().flatten() {
            out.insert(qid.clone(), self.apply_update(&scratch, qid, body)?);
        }
        self.templates.insert(arn.to_string(), out);
        Ok(())
    }

    /// (id, name, region) of every workload.
    pub fn workload_list(&self) -> Vec<(String, String, String)> {
        self.workloads
            .iter()
            .map(|w| (w.id.clone(), w.meta.name.clone(), w.region.clone()))
            .collect()
    }

    pub fn milestone_names(&self, id: &str) -> Vec<String> {
        self.workloads
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.milestones.iter().map(|m| m.name.clone()).collect())
            .unwrap_or_default()
    }

    /// GetAnswer's `Answer` for the current answers, any region.
    pub fn peek_answer(&self, id: &str, qid: &str) -> ApiResult<Value> {
        let region = self
            .workloads
            .iter()
            .find(|w| w.id == id)
            .map(|w| w.region.clone())
            .unwrap_or_default();
        let v = self.get_answer(&region, id, LENS_ALIAS, qid, &BTreeMap::new())?;
        Ok(v["Answer"].clone())
    }

    /// GetWorkload's `Workload`, any region.
    pub fn peek_workload(&self, id: &str) -> ApiResult<Value> {
        let w = self
            .workloads
            .iter()
            .find(|w| w.id == id)
            .ok_or_else(|| workload_not_found(id))?;
        Ok(self.workload_json(w, &w.meta, &w.answers, &w.lens))
    }

    pub fn calls_json(&self) -> Value {
        json!(self.calls)
    }
}
