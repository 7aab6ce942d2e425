//! Shared moto plumbing for the integration tests.
//!
//! The endpoint comes from `WASEC_MOTO_ENDPOINT`; when it is unset the tests
//! start moto themselves through `scripts/moto.sh` (which installs it into
//! `.venv/` on first use) and the server stops when the test process exits.
//! If moto cannot be started the tests fail with the reason; they never
//! pass silently without it.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use wasec_evidence::clients::{self, Clients, RequestCounter};

pub const ACCOUNT: &str = "123456789012";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The moto endpoint, starting a server on first use if needed.
pub fn endpoint() -> &'static str {
    static EP: OnceLock<String> = OnceLock::new();
    EP.get_or_init(|| {
        if let Ok(ep) = std::env::var("WASEC_MOTO_ENDPOINT") {
            return ep.trim_end_matches('/').to_string();
        }
        let script = repo_root().join("scripts/moto.sh");
        let out = std::process::Command::new("bash")
            .arg(&script)
            .arg("start")
            .arg("--watch")
            .arg(std::process::id().to_string())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        assert!(
            out.status.success(),
            "moto is required for these tests and could not be started with {}:\n{}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .lines()
            .last()
            .unwrap_or_default()
            .to_string()
    })
}

/// Tests share one moto server: run them one at a time on a reset state.
pub fn exclusive() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    let guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    reset(endpoint());
    guard
}

/// POST /moto-api/reset with a bare HTTP/1.1 request (no extra client).
pub fn reset(ep: &str) {
    let hostport = ep.trim_start_matches("http://");
    let mut s = std::net::TcpStream::connect(hostport)
        .unwrap_or_else(|e| panic!("moto at {ep} is not reachable: {e}"));
    write!(s, "POST /moto-api/reset HTTP/1.1\r\nHost: {hostport}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
    let mut resp = String::new();
    s.read_to_string(&mut resp).unwrap();
    assert!(
        resp.starts_with("HTTP/1.1 200") || resp.starts_with("HTTP/1.0 200"),
        "moto reset failed: {resp}"
    );
}

/// SDK configuration pointed at moto with dummy credentials.
pub async fn sdk(counter: &RequestCounter) -> SdkConfig {
    aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint())
        .region(Region::new("us-east-1"))
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            "testing", "testing", None, None, "tests",
        ))
        .retry_config(clients::retry_config())
        .http_client(clients::counting_http_client(counter))
        .load()
        .await
}

/// Clients for the collector, pointed at moto.
pub async fn clients(counter: &RequestCounter) -> Clients {
    Clients::new(sdk(counter).await)
}

/// Records every SDK operation a client sends, as (SDK service name,
/// operation name), read from the metadata the SDK stores for each call.
#[derive(Debug, Clone, Default)]
pub struct Recorder(Arc<Mutex<BTreeSet<(String, String)>>>);

impl Recorder {
    pub fn operations(&self) -> BTreeSet<(String, String)> {
        self.0.lock().unwrap().clone()
    }
}

impl Intercept for Recorder {
    fn name(&self) -> &'static str {
        "wasec-test-operation-recorder"
    }

    // After the operation's configuration is applied (it carries Metadata).
    fn read_before_serialization(
        &self,
        _context: &BeforeSerializationInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(m) = cfg.load::<Metadata>() {
            self.0
                .lock()
                .unwrap()
                .insert((m.service().to_string(), m.name().to_string()));
        }
        Ok(())
    }
}

pub fn s3(sdk: &SdkConfig) -> aws_sdk_s3::Client {
    aws_sdk_s3::Client::from_conf(
        aws_sdk_s3::config::Builder::from(sdk)
            .force_path_style(true)
            .build(),
    )
}

/// A small multi-threaded runtime for one test body.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime")
}
