//! A local, stateful test double of the WA Tool REST API (restJson1).
//!
//! moto has no Well-Architected backend, so the tests start this server on
//! 127.0.0.1 and point the real SDK client at it (`--endpoint-url`). It
//! serves only the operations wasec uses and enforces the rules the API
//! documents: MaxResults 1-50, notes limits (2,084 per question, 250 per
//! choice), workload-name uniqueness ignoring case and spaces, milestone
//! names unique per workload and at most 100 milestones, idempotency
//! tokens, and unknown choice ids rejected with ValidationException.
//!
//! It is a double of the documented API, not a copy of the service: its
//! questions and choice ids come from the wasec question bank (so it
//! accepts exactly the bank's ids), and its risk rule is the one wasec
//! assumes. Neither was verified against a live account.
//!
//! Test hooks: count calls per operation, inject ThrottlingException (429
//! with `x-amzn-errortype`, which the SDK retries), deny an operation
//! (AccessDeniedException), force a question's risk, add choice ids the
//! bank does not know (a retired id), and inject ConflictException.

mod http;
mod state;

use http::{Request, Response};
use state::State;
use std::collections::{BTreeMap, BTreeSet};
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex, MutexGuard};
use wasec_core::Bank;

/// A running double. The server thread lives until the process ends.
#[derive(Clone)]
pub struct Double {
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
pub(crate) struct Hooks {
    pub calls: BTreeMap<String, usize>,
    pub throttle: BTreeMap<String, usize>,
    pub conflict: BTreeMap<String, usize>,
    pub deny: BTreeSet<String>,
}

impl Double {
    /// Start a server on an ephemeral port of 127.0.0.1.
    pub fn start(bank: &Bank) -> std::io::Result<Double> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::new(bank)));
        let shared = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming().flatten() {
                let st = shared.clone();
                std::thread::spawn(move || http::serve(conn, &|req| handle(&st, req)));
            }
        });
        Ok(Double { addr, state })
    }

    /// The endpoint URL for the SDK (`--endpoint-url`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many requests an operation received (attempts, including
    /// throttled and rejected ones), e.g. `calls("UpdateAnswer")`.
    pub fn calls(&self, op: &str) -> usize {
        self.lock().hooks.calls.get(op).copied().unwrap_or(0)
    }

    /// Every operation name with its call count.
    pub fn all_calls(&self) -> BTreeMap<String, usize> {
        self.lock().hooks.calls.clone()
    }

    /// Answer the next `times` calls of `op` with 429 ThrottlingException.
    pub fn throttle(&self, op: &str, times: usize) {
        self.lock().hooks.throttle.insert(op.to_string(), times);
    }

    /// Answer the next `times` calls of `op` with 409 ConflictException.
    pub fn conflict(&self, op: &str, times: usize) {
        self.lock().hooks.conflict.insert(op.to_string(), times);
    }

    /// Answer every call of `op` with 403 AccessDeniedException.
    pub fn deny(&self, op: &str) {
        self.lock().hooks.deny.insert(op.to_string());
    }

    /// Make the double report `risk` (HIGH, MEDIUM, ...) for a question,
    /// whatever the answer (to exercise wasec's disagreement report).
    pub fn force_risk(&self, wa_question_id: &str, risk: &str) {
        self.lock()
            .force_risk
            .insert(wa_question_id.to_string(), risk.to_string());
    }

    /// Add a choice the bank does not know (for example a retired id).
    pub fn add_choice(&self, wa_question_id: &str, choice_id: &str, title: &str) {
        self.lock().add_choice(wa_question_id, choice_id, title);
    }

    /// Set the lens version reported by GetLensReview.
    pub fn set_lens_version(&self, v: &str) {
        self.lock().lens_version = v.to_string();
    }

    /// Workload ids and names held by the double.
    pub fn workloads(&self) -> Vec<(String, String)> {
        self.lock()
            .workloads
            .iter()
            .map(|w| (w.id.clone(), w.name.clone()))
            .collect()
    }

    /// Milestone names of a workload.
    pub fn milestones(&self, workload_id: &str) -> Vec<String> {
        self.lock()
            .workloads
            .iter()
            .find(|w| w.id == workload_id)
            .map(|w| w.milestones.iter().map(|m| m.name.clone()).collect())
            .unwrap_or_default()
    }
}

fn handle(state: &Arc<Mutex<State>>, req: Request) -> Response {
    let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
    let Some((op, params)) = route(&req) else {
        return Response::error(
            404,
            "UnknownOperationException",
            &format!("no route for {} {}", req.method, req.path),
        );
    };
    *st.hooks.calls.entry(op.to_string()).or_default() += 1;
    if !req
        .header("authorization")
        .is_some_and(|a| a.starts_with("AWS4-HMAC-SHA256"))
    {
        return Response::error(
            403,
            "AccessDeniedException",
            "request is not signed with SigV4",
        );
    }
    if st.hooks.deny.contains(op) {
        return Response::error(
            403,
            "AccessDeniedException",
            &format!("not authorized to perform wellarchitected:{op}"),
        );
    }
    if let Some(n) = st.hooks.throttle.get_mut(op).filter(|n| **n > 0) {
        *n -= 1;
        return Response::error(429, "ThrottlingException", "Rate exceeded");
    }
    if let Some(n) = st.hooks.conflict.get_mut(op).filter(|n| **n > 0) {
        *n -= 1;
        return Response::error(
            409,
            "ConflictException",
            "a concurrent update is in progress",
        );
    }
    let body: serde_json::Value = if req.body.is_empty() {
        serde_json::Value::Object(Default::default())
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                return Response::error(
                    400,
                    "ValidationException",
                    &format!("cannot parse body: {e}"),
                );
            }
        }
    };
    let result = match op {
        "CreateWorkload" => st.create_workload(&body),
        "ListWorkloads" => st.list_workloads(&body),
        "GetWorkload" => st.get_workload(&params[0]),
        "GetLensReview" => st.get_lens_review(&params[0], &params[1], &req.query),
        "ListAnswers" => st.list_answers(&params[0], &params[1], &req.query),
        "GetAnswer" => st.get_answer(&params[0], &params[1], &params[2], &req.query),
        "UpdateAnswer" => st.update_answer(&params[0], &params[1], &params[2], &body),
        "CreateMilestone" => st.create_milestone(&params[0], &body),
        "ListMilestones" => st.list_milestones(&params[0], &body),
        _ => unreachable!("route returns known operations"),
    };
    match result {
        Ok(v) => Response::json(200, &v),
        Err(e) => Response::error(e.status, e.code, &e.message),
    }
}

/// Map method and path to an operation name and its path labels.
fn route(req: &Request) -> Option<(&'static str, Vec<String>)> {
    let segs: Vec<String> = req
        .path
        .trim_start_matches('/')
        .split('/')
        .map(http::percent_decode)
        .collect();
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let op = match (req.method.as_str(), s.as_slice()) {
        ("POST", ["workloads"]) => "CreateWorkload",
        ("POST", ["workloadsSummaries"]) => "ListWorkloads",
        ("GET", ["workloads", _]) => "GetWorkload",
        ("GET", ["workloads", _, "lensReviews", _]) => "GetLensReview",
        ("GET", ["workloads", _, "lensReviews", _, "answers"]) => "ListAnswers",
        ("GET", ["workloads", _, "lensReviews", _, "answers", _]) => "GetAnswer",
        ("PATCH", ["workloads", _, "lensReviews", _, "answers", _]) => "UpdateAnswer",
        ("POST", ["workloads", _, "milestones"]) => "CreateMilestone",
        ("POST", ["workloads", _, "milestonesSummaries"]) => "ListMilestones",
        _ => return None,
    };
    // Labels: the segments after "workloads", "lensReviews" and "answers".
    let mut params = Vec::new();
    for (i, seg) in s.iter().enumerate() {
        if i > 0 && matches!(s[i - 1], "workloads" | "lensReviews" | "answers") {
            params.push(seg.to_string());
        }
    }
    Some((op, params))
}
