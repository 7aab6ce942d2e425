//! The services read through their own SDK crates (classic ELB, SNS, SQS,
//! DynamoDB, EFS, EKS, API Gateway, Systems Manager) against a seeded moto
//! server. Each weak resource has a compliant twin in the same region: a
//! failing item must name exactly the weak ones, with the property that
//! fails. Paths moto cannot produce (a stage's client certificate, the
//! Systems Manager inventory and patch compliance, AWS managed keys) are
//! covered by the pure evaluation tests in each module; see README.md.

use crate::common::{self, ACCOUNT};
use crate::moto::{Results, expect, get, names_exactly};
use std::collections::BTreeMap;
use std::sync::Arc;
use wasec_core::catalog::CheckId::*;
use wasec_core::review::EvidenceStatus::*;
use wasec_evidence::clients::RequestCounter;
use wasec_evidence::services::Settings;
use wasec_evidence::{CollectOptions, RegionChoice, collect_with};

const REGION: &str = "us-east-1";
/// An IAM server certificate ARN: moto's classic ELB takes it as given.
const CERT: &str = "arn:aws:iam::123456789012:server-certificate/web";
const OPEN_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Anyone","Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}"#;

/// Ids the seed made that the assertions need.
pub(crate) struct Seeded {
    weak_api: String,
    strong_api: String,
    weak_fs: String,
    strong_fs: String,
}

/// Weak resources and their compliant twins in us-east-1.
pub(crate) async fn seed(sdk: &aws_config::SdkConfig) -> Seeded {
    let key = aws_sdk_kms::Client::new(sdk)
        .create_key()
        .description("team key")
        .send()
        .await
        .unwrap()
        .key_metadata()
        .unwrap()
        .arn()
        .unwrap()
        .to_string();
    seed_clb(sdk).await;
    seed_sns(sdk, &key).await;
    seed_sqs(sdk, &key).await;
    seed_dynamodb(sdk, &key).await;
    let (weak_fs, strong_fs) = seed_efs(sdk).await;
    seed_eks(sdk, &key).await;
    let (weak_api, strong_api) = seed_apigateway(sdk).await;
    // A running instance: the Systems Manager checks have something to judge.
    aws_sdk_ec2::Client::new(sdk)
        .run_instances()
        .image_id("ami-12c6146b")
        .min_count(1)
        .max_count(1)
        .send()
        .await
        .unwrap();
    Seeded {
        weak_api,
        strong_api,
        weak_fs,
        strong_fs,
    }
}

async fn seed_clb(sdk: &aws_config::SdkConfig) {
    use aws_sdk_elasticloadbalancing::types as t;
    let elb = aws_sdk_elasticloadbalancing::Client::new(sdk);
    let listener = |protocol: &str, port: i32, back: &str, back_port: i32| {
        let mut l = t::Listener::builder()
            .protocol(protocol)
            .load_balancer_port(port)
            .instance_protocol(back)
            .instance_port(back_port);
        if protocol == "HTTPS" {
            l = l.ssl_certificate_id(CERT);
        }
        l.build().unwrap()
    };
    // Weak: plain HTTP beside HTTPS with a policy that allows TLS 1.0, no logs.
    elb.create_load_balancer()
        .load_balancer_name("clb-weak")
        .availability_zones("us-east-1a")
        .listeners(listener("HTTP", 80, "HTTP", 80))
        .listeners(listener("HTTPS", 443, "HTTP", 80))
        .send()
        .await
        .unwrap();
    // Twin: HTTPS only with a TLS 1.2 policy, access logs on.
    elb.create_load_balancer()
        .load_balancer_name("clb-strong")
        .availability_zones("us-east-1a")
        .listeners(listener("HTTPS", 443, "HTTP", 80))
        .send()
        .await
        .unwrap();
    for (lb, reference) in [
        ("clb-weak", "ELBSecurityPolicy-2016-08"),
        ("clb-strong", "ELBSecurityPolicy-TLS-1-2-2017-01"),
    ] {
        elb.create_load_balancer_policy()
            .load_balancer_name(lb)
            .policy_name("tls")
            .policy_type_name("SSLNegotiationPolicyType")
            .policy_attributes(
                t::PolicyAttribute::builder()
                    .attribute_name("Reference-Security-Policy")
                    .attribute_value(reference)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        elb.set_load_balancer_policies_of_listener()
            .load_balancer_name(lb)
            .load_balancer_port(443)
            .policy_names("tls")
            .send()
            .await
            .unwrap();
    }
    elb.modify_load_balancer_attributes()
        .load_balancer_name("clb-strong")
        .load_balancer_attributes(
            t::LoadBalancerAttributes::builder()
                .access_log(
                    t::AccessLog::builder()
                        .enabled(true)
                        .s3_bucket_name("elb-logs")
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
}

async fn seed_sns(sdk: &aws_config::SdkConfig, key: &str) {
    let sns = aws_sdk_sns::Client::new(sdk);
    let weak = sns.create_topic().name("topic-weak").send().await.unwrap();
    sns.set_topic_attributes()
        .topic_arn(weak.topic_arn().unwrap())
        .attribute_name("Policy")
        .attribute_value(OPEN_POLICY)
        .send()
        .await
        .unwrap();
    // Twin: the team's key and SNS's default (owner-only) policy.
    sns.create_topic()
        .name("topic-strong")
        .attributes("KmsMasterKeyId", key)
        .send()
        .await
        .unwrap();
}

async fn seed_sqs(sdk: &aws_config::SdkConfig, key: &str) {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let sqs = aws_sdk_sqs::Client::new(sdk);
    sqs.create_queue()
        .queue_name("queue-weak")
        .attributes(A::SqsManagedSseEnabled, "false")
        .attributes(A::Policy, OPEN_POLICY)
        .send()
        .await
        .unwrap();
    sqs.create_queue()
        .queue_name("queue-strong")
        .attributes(A::KmsMasterKeyId, key)
        .send()
        .await
        .unwrap();
    // SSE-SQS (the default): fine unless the team requires its own key.
    sqs.create_queue()
        .queue_name("queue-ssesqs")
        .send()
        .await
        .unwrap();
}

async fn seed_dynamodb(sdk: &aws_config::SdkConfig, key: &str) {
    use aws_sdk_dynamodb::types as t;
    let ddb = aws_sdk_dynamodb::Client::new(sdk);
    let table = |name: &str| {
        ddb.create_table()
            .table_name(name)
            .billing_mode(t::BillingMode::PayPerRequest)
            .attribute_definitions(
                t::AttributeDefinition::builder()
                    .attribute_name("pk")
                    .attribute_type(t::ScalarAttributeType::S)
                    .build()
                    .unwrap(),
            )
            .key_schema(
                t::KeySchemaElement::builder()
                    .attribute_name("pk")
                    .key_type(t::KeyType::Hash)
                    .build()
                    .unwrap(),
            )
    };
    // Weak: no recovery, no deletion protection, the AWS owned key.
    table("orders").send().await.unwrap();
    table("ledger")
        .deletion_protection_enabled(true)
        .sse_specification(
            t::SseSpecification::builder()
                .enabled(true)
                .sse_type(t::SseType::Kms)
                .kms_master_key_id(key)
                .build(),
        )
        .send()
        .await
        .unwrap();
    ddb.update_continuous_backups()
        .table_name("ledger")
        .point_in_time_recovery_specification(
            t::PointInTimeRecoverySpecification::builder()
                .point_in_time_recovery_enabled(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
}

async fn seed_efs(sdk: &aws_config::SdkConfig) -> (String, String) {
    let efs = aws_sdk_efs::Client::new(sdk);
    let weak = efs
        .create_file_system()
        .creation_token("weak")
        .encrypted(false)
        .send()
        .await
        .unwrap()
        .file_system_id()
        .to_string();
    efs.put_file_system_policy()
        .file_system_id(&weak)
        .policy(OPEN_POLICY)
        .send()
        .await
        .unwrap();
    let strong = efs
        .create_file_system()
        .creation_token("strong")
        .encrypted(true)
        .send()
        .await
        .unwrap()
        .file_system_id()
        .to_string();
    let scoped = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{ACCOUNT}:role/app"}},"Action":"elasticfilesystem:ClientMount","Resource":"*"}}]}}"#
    );
    efs.put_file_system_policy()
        .file_system_id(&strong)
        .policy(scoped)
        .send()
        .await
        .unwrap();
    (weak, strong)
}

async fn seed_eks(sdk: &aws_config::SdkConfig, key: &str) {
    use aws_sdk_eks::types as t;
    let eks = aws_sdk_eks::Client::new(sdk);
    let role = format!("arn:aws:iam::{ACCOUNT}:role/eks");
    let logs = |on: bool| {
        t::Logging::builder()
            .cluster_logging(
                t::LogSetup::builder()
                    .types(t::LogType::Api)
                    .types(t::LogType::Audit)
                    .types(t::LogType::Authenticator)
                    .enabled(on)
                    .build(),
            )
            .build()
    };
    // Weak: open endpoint, no logs, Kubernetes 1.27 without secrets encryption.
    eks.create_cluster()
        .name("eks-weak")
        .version("1.27")
        .role_arn(&role)
        .resources_vpc_config(
            t::VpcConfigRequest::builder()
                .subnet_ids("subnet-1")
                .endpoint_public_access(true)
                .public_access_cidrs("0.0.0.0/0")
                .build(),
        )
        .logging(logs(false))
        .send()
        .await
        .unwrap();
    eks.create_cluster()
        .name("eks-strong")
        .version("1.30")
        .role_arn(&role)
        .resources_vpc_config(
            t::VpcConfigRequest::builder()
                .subnet_ids("subnet-1")
                .endpoint_public_access(false)
                .endpoint_private_access(true)
                .build(),
        )
        .logging(logs(true))
        .encryption_config(
            t::EncryptionConfig::builder()
                .resources("secrets")
                .provider(t::Provider::builder().key_arn(key).build())
                .build(),
        )
        .send()
        .await
        .unwrap();
    // 1.31 relies on EKS's default envelope encryption (AWS owned key).
    eks.create_cluster()
        .name("eks-default")
        .version("1.31")
        .role_arn(&role)
        .resources_vpc_config(
            t::VpcConfigRequest::builder()
                .subnet_ids("subnet-1")
                .endpoint_public_access(true)
                .public_access_cidrs("203.0.113.0/24")
                .build(),
        )
        .logging(logs(true))
        .send()
        .await
        .unwrap();
}

/// Returns the ids of the weak and the compliant REST API.
async fn seed_apigateway(sdk: &aws_config::SdkConfig) -> (String, String) {
    use aws_sdk_apigateway::types as t;
    let apigw = aws_sdk_apigateway::Client::new(sdk);
    let mut ids = Vec::new();
    for (name, auth, integration) in [
        ("shop-weak", "NONE", t::IntegrationType::Http),
        ("shop-strong", "AWS_IAM", t::IntegrationType::Mock),
    ] {
        let api = apigw
            .create_rest_api()
            .name(name)
            .endpoint_configuration(
                t::EndpointConfiguration::builder()
                    .types(t::EndpointType::Regional)
                    .build(),
            )
            .send()
            .await
            .unwrap();
        let id = api.id().unwrap().to_string();
        let root = apigw
            .get_resources()
            .rest_api_id(&id)
            .send()
            .await
            .unwrap()
            .items()[0]
            .id()
            .unwrap()
            .to_string();
        let items = apigw
            .create_resource()
            .rest_api_id(&id)
            .parent_id(&root)
            .path_part("items")
            .send()
            .await
            .unwrap()
            .id()
            .unwrap()
            .to_string();
        // CORS pre-flight: open by nature, never judged.
        for (verb, auth, kind) in [
            ("GET", auth, integration.clone()),
            ("OPTIONS", "NONE", t::IntegrationType::Mock),
        ] {
            apigw
                .put_method()
                .rest_api_id(&id)
                .resource_id(&items)
                .http_method(verb)
                .authorization_type(auth)
                .send()
                .await
                .unwrap();
            let mut req = apigw
                .put_integration()
                .rest_api_id(&id)
                .resource_id(&items)
                .http_method(verb)
                .r#type(kind.clone());
            if kind == t::IntegrationType::Http {
                req = req
                    .integration_http_method("GET")
                    .uri("https://backend.example.com/items");
            }
            req.send().await.unwrap();
        }
        let deployment = apigw
            .create_deployment()
            .rest_api_id(&id)
            .send()
            .await
            .unwrap()
            .id()
            .unwrap()
            .to_string();
        apigw
            .create_stage()
            .rest_api_id(&id)
            .stage_name("prod")
            .deployment_id(deployment)
            .send()
            .await
            .unwrap();
        ids.push(id);
    }
    let strong = ids[1].clone();
    let replace = |path: &str, value: &str| {
        t::PatchOperation::builder()
            .op(t::Op::Replace)
            .path(path)
            .value(value)
            .build()
    };
    apigw
        .update_stage()
        .rest_api_id(&strong)
        .stage_name("prod")
        .patch_operations(replace(
            "/accessLogSettings/destinationArn",
            &format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:api-access"),
        ))
        .patch_operations(replace("/accessLogSettings/format", "$context.requestId"))
        .patch_operations(replace("/*/*/logging/loglevel", "ERROR"))
        .send()
        .await
        .unwrap();
    use aws_sdk_wafv2::types as wt;
    let waf = aws_sdk_wafv2::Client::new(sdk);
    let acl = waf
        .create_web_acl()
        .name("api")
        .scope(wt::Scope::Regional)
        .default_action(
            wt::DefaultAction::builder()
                .allow(wt::AllowAction::builder().build())
                .build(),
        )
        .visibility_config(
            wt::VisibilityConfig::builder()
                .sampled_requests_enabled(true)
                .cloud_watch_metrics_enabled(true)
                .metric_name("api")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    waf.associate_web_acl()
        .web_acl_arn(acl.summary().unwrap().arn().unwrap())
        .resource_arn(format!(
            "arn:aws:apigateway:{REGION}::/restapis/{strong}/stages/prod"
        ))
        .send()
        .await
        .unwrap();
    for (domain, policy) in [
        ("old.example.com", t::SecurityPolicy::Tls10),
        ("new.example.com", t::SecurityPolicy::Tls12),
    ] {
        apigw
            .create_domain_name()
            .domain_name(domain)
            .regional_certificate_arn(format!(
                "arn:aws:acm:{REGION}:{ACCOUNT}:certificate/{domain}"
            ))
            .security_policy(policy)
            .send()
            .await
            .unwrap();
    }
    (ids.remove(0), strong)
}

async fn collect(require_kms: bool) -> Results {
    let counter = RequestCounter::default();
    let clients = common::clients(&counter).await;
    let run = CollectOptions {
        regions: RegionChoice::List(vec![REGION.to_string()]),
        settings: Settings { require_kms },
        ..CollectOptions::default()
    };
    let outcome = collect_with(&clients, &counter, &run, Arc::new(|_| {}))
        .await
        .expect("collection against moto");
    let mut results: Results = BTreeMap::new();
    for l in outcome.findings {
        results
            .entry((l.finding.check, l.region.clone()))
            .or_default()
            .push(l.finding);
    }
    results
}

#[test]
fn new_services_weak_resources_fail_by_name_and_twins_pass() {
    let _moto = common::exclusive();
    common::runtime().block_on(weak_and_twins_body());
}

async fn weak_and_twins_body() {
    let seeded = seed(&common::sdk(&RequestCounter::default()).await).await;
    let r = collect(false).await;
    let e = REGION;
    // Classic load balancers.
    for id in [ClbTlsListeners, ClbTlsPolicyModern, ClbAccessLogs] {
        names_exactly(&r, e, id, &["loadbalancer/clb-weak"]);
        assert!(get(&r, e, id).public, "{id}: clb-weak is internet-facing");
    }
    let listeners = &get(&r, e, ClbTlsListeners).summary.en;
    assert!(
        listeners.contains("clb-weak (HTTP:80 without TLS, internet-facing)"),
        "{listeners}"
    );
    let policy = &get(&r, e, ClbTlsPolicyModern).summary.en;
    assert!(
        policy.contains("clb-weak (port 443 policy ELBSecurityPolicy-2016-08)"),
        "{policy}"
    );
    // SNS and SQS.
    names_exactly(&r, e, SnsKmsEncrypted, &[":topic-weak"]);
    names_exactly(&r, e, SnsPolicyNotPublic, &[":topic-weak"]);
    names_exactly(&r, e, SqsEncrypted, &[":queue-weak"]);
    names_exactly(&r, e, SqsPolicyNotPublic, &[":queue-weak"]);
    assert!(get(&r, e, SnsPolicyNotPublic).public && get(&r, e, SqsPolicyNotPublic).public);
    assert!(
        get(&r, e, SnsPolicyNotPublic)
            .summary
            .en
            .contains("topic-weak (Policy statement \"Anyone\" (*) open to anyone)")
    );
    assert!(
        get(&r, e, SqsEncrypted)
            .summary
            .en
            .contains("queue-weak (SqsManagedSseEnabled false and KmsMasterKeyId unset)")
    );
    // DynamoDB: without a team requirement every table is encrypted.
    names_exactly(&r, e, DynamoDbPitrEnabled, &["table/orders"]);
    names_exactly(&r, e, DynamoDbDeletionProtection, &["table/orders"]);
    expect(&r, e, &[(DynamoDbKmsCmk, Pass)]);
    // EFS.
    let weak_fs = format!("file-system/{}", seeded.weak_fs);
    names_exactly(&r, e, EfsEncrypted, &[&weak_fs]);
    names_exactly(&r, e, EfsPolicyNotPublic, &[&weak_fs]);
    assert!(
        !get(&r, e, EfsPolicyNotPublic)
            .summary
            .en
            .contains(&seeded.strong_fs)
    );
    // EKS: 1.31 without its own key relies on the EKS default.
    names_exactly(&r, e, EksEndpointNotPublic, &["cluster/eks-weak"]);
    names_exactly(&r, e, EksControlPlaneLogging, &["cluster/eks-weak"]);
    names_exactly(&r, e, EksSecretsEncrypted, &["cluster/eks-weak"]);
    assert!(
        get(&r, e, EksControlPlaneLogging)
            .summary
            .en
            .contains("eks-weak (api, audit, authenticator logs off)")
    );
    // API Gateway: every stage check names the weak stage only.
    let weak_stage = format!("/restapis/{}/stages/prod", seeded.weak_api);
    for id in [
        ApiGatewayStageLogging,
        ApiGatewayClientCertificate,
        ApiGatewayWafAttached,
    ] {
        names_exactly(&r, e, id, &[&weak_stage]);
    }
    names_exactly(
        &r,
        e,
        ApiGatewayMethodsAuthorized,
        &[&format!("/restapis/{}", seeded.weak_api)],
    );
    names_exactly(&r, e, ApiGatewayDomainTls, &["/old.example.com"]);
    let auth = &get(&r, e, ApiGatewayMethodsAuthorized).summary.en;
    assert!(
        auth.contains(&format!(
            "shop-weak ({}) (authorizationType NONE on GET /items)",
            seeded.weak_api
        )),
        "{auth}"
    );
    assert!(!auth.contains(&seeded.strong_api) && !auth.contains("OPTIONS"));
    let logs = &get(&r, e, ApiGatewayStageLogging).summary.en;
    assert!(
        logs.contains("shop-weak/prod (accessLogSettings unset, execution logging OFF for */*)"),
        "{logs}"
    );
    // moto 5.2.5 lacks the Systems Manager inventory: unknown, naming the action.
    for id in [SsmInstancesManaged, SsmPatchCompliance] {
        let f = get(&r, e, id);
        assert_eq!(f.status, Unknown, "{id}: {}", f.summary.en);
        assert!(
            f.summary.en.contains("ssm:DescribeInstanceInformation"),
            "{}",
            f.summary.en
        );
    }
}

#[test]
fn customer_managed_keys_are_judged_only_where_the_team_requires_them() {
    let _moto = common::exclusive();
    common::runtime().block_on(require_kms_body());
}

async fn require_kms_body() {
    seed(&common::sdk(&RequestCounter::default()).await).await;
    let r = collect(true).await;
    let e = REGION;
    names_exactly(&r, e, SnsKmsEncrypted, &[":topic-weak"]);
    names_exactly(&r, e, SqsEncrypted, &[":queue-weak", ":queue-ssesqs"]);
    assert!(
        get(&r, e, SqsEncrypted)
            .summary
            .en
            .contains("queue-ssesqs (SSE-SQS only")
    );
    // The customer key passes (kms:DescribeKey says CUSTOMER); the AWS owned key fails.
    names_exactly(&r, e, DynamoDbKmsCmk, &["table/orders"]);
    assert!(
        get(&r, e, DynamoDbKmsCmk)
            .summary
            .en
            .contains("orders (SSEDescription absent: the AWS owned key)")
    );
    names_exactly(
        &r,
        e,
        EksSecretsEncrypted,
        &["cluster/eks-weak", "cluster/eks-default"],
    );
}
