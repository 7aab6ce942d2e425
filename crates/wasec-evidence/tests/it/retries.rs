//! The retry policy, against a local stub: a persistent server error and
//! persistent throttling each cost three attempts (one call, two retries)
//! and well under two seconds, instead of five attempts and several
//! seconds of backoff.

use crate::stub::{Response, Stub};
use aws_config::{BehaviorVersion, Region};
use std::time::{Duration, Instant};
use wasec_evidence::clients;

async fn kms(endpoint: &str) -> aws_sdk_kms::Client {
    let sdk = aws_config::defaults(BehaviorVersion::latest())
        .endpoint_url(endpoint)
        .region(Region::new("us-east-1"))
        .credentials_provider(aws_sdk_sts::config::Credentials::new(
            "testing", "testing", None, None, "tests",
        ))
        .retry_config(clients::retry_config())
        .load()
        .await;
    aws_sdk_kms::Client::new(&sdk)
}

fn runtime() -> tokio::runtime::Runtime {
    crate::common::runtime()
}

#[test]
fn a_persistent_server_error_costs_three_quick_attempts() {
    // What moto answers for a service it lacks: an HTML 500 page.
    let stub = Stub::start(|_| {
        Response::new(
            500,
            "text/html",
            "<html><title>500 Internal Server Error</title></html>",
        )
    });
    let start = Instant::now();
    let got = runtime().block_on(async { kms(&stub.url).await.list_keys().send().await });
    assert!(got.is_err());
    assert_eq!(stub.requests(), 3, "one call and two retries");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn throttling_is_retried_with_backoff_and_then_reported() {
    let stub = Stub::start(|_| {
        Response::new(
            400,
            "application/x-amz-json-1.1",
            r#"{"__type":"ThrottlingException","message":"Rate exceeded"}"#,
        )
    });
    let got = runtime().block_on(async { kms(&stub.url).await.list_keys().send().await });
    let err = got.expect_err("throttled to the end");
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    assert_eq!(err.code(), Some("ThrottlingException"));
    assert_eq!(stub.requests(), 3);
}

#[test]
fn a_client_error_is_not_retried() {
    let stub = Stub::start(|_| {
        Response::new(
            400,
            "application/x-amz-json-1.1",
            r#"{"__type":"AccessDeniedException","message":"no"}"#,
        )
    });
    let got = runtime().block_on(async { kms(&stub.url).await.list_keys().send().await });
    assert!(got.is_err());
    assert_eq!(stub.requests(), 1);
}
