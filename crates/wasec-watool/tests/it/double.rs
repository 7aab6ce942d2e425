//! The double enforces the documented API (checked with the raw SDK).

use crate::common::*;
use aws_sdk_wellarchitected as wa;
use std::io::{Read, Write};
use wa::error::ProvideErrorMetadata;
use wasec_testkit::Double;
use wasec_watool::block_on;

async fn sdk(d: &Double, region: &str) -> wa::Client {
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .region(aws_config::Region::new(region.to_string()))
        .endpoint_url(d.endpoint())
        .test_credentials()
        .load()
        .await;
    wa::Client::new(&conf)
}

fn create(
    c: &wa::Client,
    name: &str,
    token: &str,
    description: &str,
) -> wa::operation::create_workload::builders::CreateWorkloadFluentBuilder {
    c.create_workload()
        .workload_name(name)
        .description(description)
        .environment(wa::types::WorkloadEnvironment::Production)
        .review_owner("owner@example.com")
        .lenses("wellarchitected")
        .aws_regions("us-east-1")
        .client_request_token(token)
}

#[test]
fn page_size_and_name_uniqueness() {
    let (_bank, d, _review) = setup();
    block_on(async {
        let c = sdk(&d, REGION).await;
        let e = c.list_workloads().max_results(51).send().await.unwrap_err();
        assert_eq!(e.code(), Some("ValidationException"));
        create(&c, "My Shop", "t1", "test workload")
            .send()
            .await
            .unwrap();
        let e = create(&c, "my  shop", "t2", "test workload")
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("ConflictException"));
    });
    assert_eq!(d.workloads().len(), 1);
}

/// Why: the double accepted a replayed token with different parameters.
#[test]
fn a_token_replayed_with_other_parameters_is_refused() {
    let (_bank, d, _review) = setup();
    block_on(async {
        let c = sdk(&d, REGION).await;
        let a = create(&c, "Token Shop", "tok", "first")
            .send()
            .await
            .unwrap();
        let b = create(&c, "Token Shop", "tok", "first")
            .send()
            .await
            .unwrap();
        assert_eq!(
            a.workload_id(),
            b.workload_id(),
            "same token, same parameters: same result"
        );
        let e = create(&c, "Token Shop", "tok", "changed")
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("ConflictException"));
        assert!(e.message().unwrap().contains("different parameters"));
    });
}

/// Why: the double had one global region.
#[test]
fn workloads_are_regional() {
    let (_bank, d, _review) = setup();
    block_on(async {
        let tokyo = sdk(&d, "ap-northeast-1").await;
        let id = create(&tokyo, "Regional Shop", "r1", "in Tokyo")
            .send()
            .await
            .unwrap()
            .workload_id
            .unwrap();
        let ireland = sdk(&d, "eu-west-1").await;
        let e = ireland
            .get_workload()
            .workload_id(&id)
            .send()
            .await
            .unwrap_err();
        assert_eq!(e.code(), Some("ResourceNotFoundException"));
        assert!(
            ireland
                .list_workloads()
                .send()
                .await
                .unwrap()
                .workload_summaries()
                .is_empty()
        );
        // The same name is free in another Region.
        create(&ireland, "Regional Shop", "r2", "in Ireland")
            .send()
            .await
            .unwrap();
    });
}

#[test]
fn unsigned_requests_and_unknown_routes_are_refused() {
    let (_bank, d, _review) = setup();
    let addr = d.endpoint().trim_start_matches("http://").to_string();
    let send = |req: &str| {
        let mut s = std::net::TcpStream::connect(&addr).unwrap();
        s.write_all(req.as_bytes()).unwrap();
        let mut buf = String::new();
        s.read_to_string(&mut buf).unwrap();
        buf
    };
    let r = send("GET /workloads/0123 HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    assert!(
        r.starts_with("HTTP/1.1 403") && r.contains("AccessDeniedException"),
        "{r}"
    );
    let r = send("GET /lenses/x HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    assert!(
        r.starts_with("HTTP/1.1 404") && r.contains("UnknownOperationException"),
        "{r}"
    );
    // The admin routes need no signature: the console edit hook.
    let r = send("GET /_double/calls HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    assert!(r.starts_with("HTTP/1.1 200"), "{r}");
}
