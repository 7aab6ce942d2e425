//! Building the SDK configuration the way the AWS CLI does (default
//! credential chain, profiles, `AWS_ENDPOINT_URL`), plus what a read-only
//! scanner needs on top: adaptive retries, timeouts, an optional role to
//! assume, and a count of every HTTP request sent.

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Region used for account-wide (global) services in the `aws` partition.
pub const GLOBAL_REGION: &str = "us-east-1";

/// How to reach AWS. Everything is optional: unset fields fall back to the
/// AWS CLI's rules (environment, `~/.aws/config`, instance roles ...).
#[derive(Debug, Clone, Default)]
pub struct AwsOptions {
    pub profile: Option<String>,
    /// Region used for STS and as the default scan region.
    pub region: Option<String>,
    pub role_arn: Option<String>,
    pub external_id: Option<String>,
    pub endpoint_url: Option<String>,
    /// Per-attempt and whole-operation timeouts (default 10 s / 30 s).
    pub attempt_timeout: Option<Duration>,
    pub operation_timeout: Option<Duration>,
}

/// Counts HTTP requests made through the SDK (retries included), so runs
/// can report their real API cost.
#[derive(Debug, Clone, Default)]
pub struct RequestCounter(Arc<AtomicU64>);

impl RequestCounter {
    pub fn get(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[derive(Debug)]
struct CountingClient {
    inner: SharedHttpClient,
    count: RequestCounter,
}

#[derive(Debug)]
struct CountingConnector {
    inner: SharedHttpConnector,
    count: RequestCounter,
}

impl HttpClient for CountingClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(CountingConnector {
            inner: self.inner.http_connector(settings, components),
            count: self.count.clone(),
        })
    }
}

impl HttpConnector for CountingConnector {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        self.count.0.fetch_add(1, Ordering::Relaxed);
        self.inner.call(request)
    }
}

/// The SDK's default HTTPS client (hyper 1 + rustls with aws-lc), wrapped
/// so that every request it sends is counted.
pub fn counting_http_client(count: &RequestCounter) -> SharedHttpClient {
    use aws_smithy_http_client::{Builder, tls};
    let inner = Builder::new()
        .tls_provider(tls::Provider::Rustls(
            tls::rustls_provider::CryptoMode::AwsLc,
        ))
        .build_https();
    SharedHttpClient::new(CountingClient {
        inner,
        count: count.clone(),
    })
}

/// Retries: adaptive mode (client-side rate limiting when throttled), at
/// most 5 attempts, as recommended for scanners that fan out calls. The
/// backoff starts at 200 ms and is capped at 5 s (SDK default: 1 s / 20 s)
/// so that a persistently failing API (an unsupported region or service)
/// costs a couple of seconds, not half a minute; throttling is paced by
/// the adaptive rate limiter rather than by long sleeps.
pub fn retry_config() -> RetryConfig {
    RetryConfig::adaptive()
        .with_max_attempts(5)
        .with_initial_backoff(Duration::from_millis(200))
        .with_max_backoff(Duration::from_secs(5))
}

fn timeout_config(opts: &AwsOptions) -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(Duration::from_millis(3100))
        .operation_attempt_timeout(opts.attempt_timeout.unwrap_or(Duration::from_secs(10)))
        .operation_timeout(opts.operation_timeout.unwrap_or(Duration::from_secs(30)))
        .build()
}

/// Load the base configuration. With `role_arn`, the loaded credentials are
/// used to assume that role (optionally with an external id) and the
/// returned config signs with the role's temporary credentials.
pub async fn load(opts: &AwsOptions, count: &RequestCounter) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config())
        .timeout_config(timeout_config(opts))
        .http_client(counting_http_client(count));
    if let Some(p) = &opts.profile {
        loader = loader.profile_name(p);
    }
    if let Some(u) = &opts.endpoint_url {
        loader = loader.endpoint_url(u);
    }
    loader = match &opts.region {
        Some(r) => loader.region(Region::new(r.clone())),
        None => loader.region(
            aws_config::meta::region::RegionProviderChain::default_provider()
                .or_else(GLOBAL_REGION),
        ),
    };
    let base = loader.load().await;
    let Some(role) = &opts.role_arn else {
        return base;
    };
    let mut builder =
        aws_config::sts::AssumeRoleProvider::builder(role).session_name("wasec-collect");
    if let Some(x) = &opts.external_id {
        builder = builder.external_id(x);
    }
    let provider = builder.configure(&base).build().await;
    base.into_builder()
        .credentials_provider(aws_types::sdk_config::SharedCredentialsProvider::new(
            provider,
        ))
        .build()
}

/// The same configuration pointed at another region.
pub fn for_region(sdk: &SdkConfig, region: &str) -> SdkConfig {
    sdk.to_builder()
        .region(Region::new(region.to_string()))
        .build()
}
