//! [`Double`]: a running double in this process, with the hooks tests use.

use crate::api::ApiError;
use crate::http::{self, Shared, lock};
use crate::state::{Config, Fault, LensSetup, State};
use serde_json::Value;
use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, Mutex};
use wasec_core::Bank;

/// A running double. Its server thread lives until the process ends.
#[derive(Clone)]
pub struct Double {
    addr: SocketAddr,
    state: Shared,
}

impl Double {
    /// Start on an ephemeral port of 127.0.0.1 with the default settings.
    pub fn start(bank: &Bank) -> std::io::Result<Double> {
        Double::start_with(bank, Config::default())
    }

    pub fn start_with(bank: &Bank, config: Config) -> std::io::Result<Double> {
        Double::bind(bank, config, "127.0.0.1:0")
    }

    /// Start on `addr` (the standalone server uses this).
    pub fn bind(bank: &Bank, config: Config, addr: &str) -> std::io::Result<Double> {
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let state = Arc::new(Mutex::new(State::new(bank, config)));
        http::spawn(state.clone(), listener)?;
        Ok(Double { addr, state })
    }

    /// The endpoint URL for a client (`--endpoint-url`).
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn account(&self) -> String {
        lock(&self.state).config.account.clone()
    }

    /// Requests an operation received (every attempt, including failed
    /// ones), e.g. `calls("UpdateAnswer")`.
    pub fn calls(&self, op: &str) -> usize {
        lock(&self.state).calls.get(op).copied().unwrap_or(0)
    }

    pub fn all_calls(&self) -> BTreeMap<String, usize> {
        lock(&self.state).calls.clone()
    }

    /// Inject failures: see [`Fault`].
    pub fn fault(&self, op: &str, status: u16, after: usize, times: usize) {
        lock(&self.state).add_fault(Fault {
            op: op.into(),
            status,
            after,
            times,
        });
    }

    /// Forget every injected fault.
    pub fn clear_faults(&self) {
        lock(&self.state).clear_faults();
    }

    /// The next `times` calls of `op` get 429 ThrottlingException.
    pub fn throttle(&self, op: &str, times: usize) {
        self.fault(op, 429, 0, times);
    }

    /// Every call of `op` gets 403 AccessDeniedException.
    pub fn deny(&self, op: &str) {
        self.fault(op, 403, 0, usize::MAX);
    }

    /// Report `risk` (HIGH, MEDIUM, ...) for a question whatever the answer.
    pub fn force_risk(&self, wa_question_id: &str, risk: &str) {
        lock(&self.state).force_risk(wa_question_id, risk);
    }

    pub fn set_page_size(&self, n: usize) {
        lock(&self.state).config.page_size = n.max(1);
    }

    /// Put a workload's review on another lens version.
    pub fn set_lens(&self, workload_id: &str, setup: &LensSetup) -> Result<(), ApiError> {
        lock(&self.state).set_lens(workload_id, setup)
    }

    /// Edit an answer "in the console": `body` is an UpdateAnswer body.
    pub fn console_update_answer(
        &self,
        workload_id: &str,
        wa_question_id: &str,
        body: &Value,
    ) -> Result<(), ApiError> {
        lock(&self.state).console_update_answer(workload_id, wa_question_id, body)
    }

    /// Edit a workload "in the console": `body` is an UpdateWorkload body.
    pub fn console_update_workload(&self, workload_id: &str, body: &Value) -> Result<(), ApiError> {
        lock(&self.state).console_update_workload(workload_id, body)
    }

    /// Make a workload look shared by another account (its Owner).
    pub fn set_owner(&self, workload_id: &str, account: &str) -> Result<(), ApiError> {
        lock(&self.state).set_owner(workload_id, account)
    }

    pub fn register_profile(&self, arn: &str) {
        lock(&self.state).register_profile(arn);
    }

    /// A review template: question id -> UpdateAnswer body.
    pub fn register_template(&self, arn: &str, answers: &Value) -> Result<(), ApiError> {
        lock(&self.state).register_template(arn, answers)
    }

    /// (id, name, region) of every workload.
    pub fn workloads(&self) -> Vec<(String, String, String)> {
        lock(&self.state).workload_list()
    }

    pub fn milestones(&self, workload_id: &str) -> Vec<String> {
        lock(&self.state).milestone_names(workload_id)
    }

    /// The `Answer` GetAnswer would return now.
    pub fn answer(&self, workload_id: &str, wa_question_id: &str) -> Value {
        lock(&self.state)
            .peek_answer(workload_id, wa_question_id)
            .unwrap_or(Value::Null)
    }

    /// The `Workload` GetWorkload would return now.
    pub fn workload(&self, workload_id: &str) -> Value {
        lock(&self.state)
            .peek_workload(workload_id)
            .unwrap_or(Value::Null)
    }
}
