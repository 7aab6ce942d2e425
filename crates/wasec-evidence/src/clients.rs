//! Building the SDK configuration the way the AWS CLI does (default
//! credential chain, profiles, `AWS_ENDPOINT_URL`), plus what a read-only
//! scanner needs on top: a retry policy, timeouts, an optional role to
//! assume, a count of every HTTP request sent, and one place where every
//! service client is made ([`Clients`]).

use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
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

/// Retries: adaptive mode with at most 3 attempts (one call and two
/// retries), backoff from 200 ms capped at 5 s.
///
/// Why: a scanner fans out hundreds of read calls, so the failure it meets
/// on AWS is throttling. Adaptive mode answers throttling by slowing the
/// client's own send rate (a token bucket that backs off and recovers),
/// which helps far more than extra attempts; the SDK's retry quota stops a
/// retry storm when a service is unhealthy. An error that persists (a
/// server error, a service or Region an emulator lacks) then costs two
/// short waits, well under a second, instead of four waits of up to 5 s,
/// and the check says `unknown` with the cause rather than stalling a run.
pub fn retry_config() -> RetryConfig {
    RetryConfig::adaptive()
        .with_max_attempts(3)
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
/// returned config signs with the role's temporary credentials. The region
/// is the one given, else the AWS CLI's (environment, profile); `None` when
/// neither names one.
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
    if let Some(r) = &opts.region {
        loader = loader.region(Region::new(r.clone()));
    }
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

/// The SDK configuration of one region plus the interceptors every client
/// gets. Service modules make their clients only through this type, so
/// that each client carries the same settings (and tests can observe every
/// operation the collector calls).
#[derive(Debug, Clone)]
pub struct Clients {
    sdk: SdkConfig,
    interceptors: Vec<SharedInterceptor>,
    /// Names the retry partition (the adaptive rate limiter and retry
    /// quota) of every client: one per account in an organization run, so
    /// that one throttled account does not slow the others down.
    partition: Option<Arc<str>>,
}

impl Clients {
    pub fn new(sdk: SdkConfig) -> Clients {
        Clients {
            sdk,
            interceptors: Vec::new(),
            partition: None,
        }
    }

    /// The same settings signing with other credentials (an assumed member
    /// role), with their own retry budget (`partition`, e.g. the account
    /// id) and requests also counted on `counter`.
    pub fn for_account(
        &self,
        credentials: aws_credential_types::Credentials,
        partition: &str,
        counter: &RequestCounter,
    ) -> Clients {
        let signed = Clients {
            sdk: self
                .sdk
                .to_builder()
                .credentials_provider(aws_types::sdk_config::SharedCredentialsProvider::new(
                    credentials,
                ))
                .build(),
            ..self.clone()
        };
        signed.counted(partition, counter)
    }

    /// The same clients, with their own retry budget and requests also
    /// counted on `counter` (the caller's own account in an organization run).
    pub fn counted(&self, partition: &str, counter: &RequestCounter) -> Clients {
        let mut b = self.sdk.to_builder();
        if let Some(http) = self.sdk.http_client() {
            b = b.http_client(SharedHttpClient::new(CountingClient {
                inner: http,
                count: counter.clone(),
            }));
        }
        Clients {
            sdk: b.build(),
            interceptors: self.interceptors.clone(),
            partition: Some(Arc::from(partition)),
        }
    }

    /// Add an interceptor to every client made from now on.
    pub fn with_interceptor(mut self, interceptor: impl Intercept + 'static) -> Clients {
        self.interceptors.push(SharedInterceptor::new(interceptor));
        self
    }

    pub fn sdk(&self) -> &SdkConfig {
        &self.sdk
    }

    /// The region the clients call.
    pub fn region(&self) -> Option<&str> {
        self.sdk.region().map(|r| r.as_ref())
    }

    /// True when every call goes to one endpoint (an emulator such as moto).
    pub fn fixed_endpoint(&self) -> Option<&str> {
        self.sdk.endpoint_url()
    }

    /// The same settings pointed at another region.
    pub fn for_region(&self, region: &str) -> Clients {
        Clients {
            sdk: self
                .sdk
                .to_builder()
                .region(Region::new(region.to_string()))
                .build(),
            interceptors: self.interceptors.clone(),
            partition: self.partition.clone(),
        }
    }

    /// A service client, e.g. `cx.aws.client::<aws_sdk_kms::Client>()`.
    pub fn client<C: SdkClient>(&self) -> C {
        C::from_clients(self)
    }
}

/// A retry partition of one service for one account: the SDK keeps one
/// adaptive rate limiter and retry quota per partition name.
fn partition(service: &str, account: &str) -> aws_smithy_runtime::client::retries::RetryPartition {
    aws_smithy_runtime::client::retries::RetryPartition::new(format!("{service}/{account}"))
}

/// A service client that can be made from [`Clients`].
pub trait SdkClient {
    fn from_clients(clients: &Clients) -> Self;
}

macro_rules! sdk_clients {
    ($($krate:ident),* $(,)?) => {$(
        impl SdkClient for $krate::Client {
            fn from_clients(c: &Clients) -> Self {
                let mut b = $krate::config::Builder::from(&c.sdk);
                for i in &c.interceptors {
                    b.push_interceptor(i.clone());
                }
                if let Some(p) = &c.partition {
                    b.set_retry_partition(Some(partition(stringify!($krate), p)));
                }
                $krate::Client::from_conf(b.build())
            }
        }
    )*};
}

sdk_clients!(
    aws_sdk_sts,
    aws_sdk_iam,
    aws_sdk_ec2,
    aws_sdk_organizations,
    aws_sdk_account,
    aws_sdk_cloudtrail,
    aws_sdk_config,
    aws_sdk_guardduty,
    aws_sdk_securityhub,
    aws_sdk_kms,
    aws_sdk_acm,
    aws_sdk_elasticloadbalancingv2,
    aws_sdk_cloudfront,
    aws_sdk_rds,
    aws_sdk_secretsmanager,
    aws_sdk_backup,
    aws_sdk_ecr,
    aws_sdk_wafv2,
    aws_sdk_lambda,
    aws_sdk_cloudwatchlogs,
    aws_sdk_inspector2,
    aws_sdk_macie2,
    aws_sdk_accessanalyzer,
);

// Services read through their own SDK crates (issue 12).
sdk_clients!(
    aws_sdk_elasticloadbalancing,
    aws_sdk_sns,
    aws_sdk_sqs,
    aws_sdk_dynamodb,
    aws_sdk_efs,
    aws_sdk_eks,
    aws_sdk_apigateway,
    aws_sdk_ssm,
);

impl SdkClient for aws_sdk_s3::Client {
    fn from_clients(c: &Clients) -> Self {
        let mut b = aws_sdk_s3::config::Builder::from(&c.sdk);
        if c.sdk.endpoint_url().is_some() {
            // Emulators on 127.0.0.1 cannot serve virtual-hosted bucket names.
            b = b.force_path_style(true);
        }
        for i in &c.interceptors {
            b.push_interceptor(i.clone());
        }
        if let Some(p) = &c.partition {
            b.set_retry_partition(Some(partition("aws_sdk_s3", p)));
        }
        aws_sdk_s3::Client::from_conf(b.build())
    }
}

impl SdkClient for aws_sdk_s3control::Client {
    fn from_clients(c: &Clients) -> Self {
        let mut b = aws_sdk_s3control::config::Builder::from(&c.sdk);
        if let Some(url) = c.sdk.endpoint_url() {
            // The endpoint rules would put the account id in the host name
            // (`123456789012.127.0.0.1`), which an emulator cannot serve.
            b = b.endpoint_resolver(PlainEndpoint(url.to_string()));
        }
        for i in &c.interceptors {
            b.push_interceptor(i.clone());
        }
        if let Some(p) = &c.partition {
            b.set_retry_partition(Some(partition("aws_sdk_s3control", p)));
        }
        aws_sdk_s3control::Client::from_conf(b.build())
    }
}

/// An S3 Control endpoint resolver that returns the given URL unchanged.
#[derive(Debug)]
pub struct PlainEndpoint(pub String);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for PlainEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        _params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        aws_sdk_s3control::config::endpoint::EndpointFuture::ready(Ok(
            aws_smithy_types::endpoint::Endpoint::builder()
                .url(self.0.clone())
                .build(),
        ))
    }
}
