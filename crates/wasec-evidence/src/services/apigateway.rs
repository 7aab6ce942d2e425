//! API Gateway REST APIs: stages write access and execution logs, methods
//! require authorization, stages that call HTTP backends present a client
//! certificate, custom domain names (and APIs that set a security policy)
//! allow TLS 1.2+ only, and stages of public APIs have an AWS WAF web ACL.
//!
//! Calls per region: `GetRestApis` and `GetDomainNames` (paginated), then
//! per API `GetStages` (which carries the log settings, the client
//! certificate and the web ACL) and `GetResources` with the methods
//! embedded (paginated). IAM authorizes all of them as `apigateway:GET`.
//!
//! `OPTIONS` methods answer CORS pre-flight requests, which browsers send
//! without credentials, so they are not judged for authorization. A
//! method open by design (a public read API) still fails the authorization
//! check: the summary asks to confirm it.

use aws_sdk_apigateway::Client;
use aws_sdk_apigateway::types::{ConnectionType, EndpointType, IntegrationType};
use futures::StreamExt;

use super::ServiceCtx;
use super::tally::{Noun, Tally, join};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;
use wasec_core::Text;

/// The IAM action of every call here (API Gateway authorizes by HTTP verb).
const A_GET: &str = "apigateway:GET";

const STAGES: Noun = Noun {
    en: "stages",
    ja: "ステージ",
};
const PUBLIC_STAGES: Noun = Noun {
    en: "stages of public REST APIs",
    ja: "公開 REST API のステージ",
};
const APIS: Noun = Noun {
    en: "REST APIs",
    ja: "REST API",
};
const DOMAINS: Noun = Noun {
    en: "custom domain names and REST APIs with a security policy",
    ja: "カスタムドメイン名とセキュリティポリシーを設定した REST API",
};

#[derive(Debug, Clone, PartialEq)]
struct Stage {
    name: String,
    access_logs: bool,
    /// `loggingLevel` of the stage-wide method setting (`*/*`).
    execution_log_level: Option<String>,
    client_certificate: bool,
    web_acl: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Method {
    /// `GET /items`
    label: String,
    authorization: String,
    /// Integration of type HTTP or HTTP_PROXY reached over the internet.
    http_backend: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Api {
    id: String,
    name: String,
    /// Not a PRIVATE endpoint: reachable from the internet.
    public: bool,
    security_policy: Option<String>,
    stages: Result<Vec<Stage>, Failure>,
    methods: Result<Vec<Method>, Failure>,
}

#[derive(Debug, Clone, PartialEq)]
struct Domain {
    name: String,
    arn: String,
    security_policy: Option<String>,
}

struct Inventory {
    region: String,
    apis: Vec<Api>,
    domains: Result<Vec<Domain>, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let (apis, domains) = futures::join!(
        client
            .get_rest_apis()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
        client
            .get_domain_names()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    );
    let apis = apis.map_err(|e| Failure::from_sdk(A_GET, &e))?;
    let domains = domains
        .map(|list| {
            list.iter()
                .map(|d| {
                    let name = d.domain_name().unwrap_or_default().to_string();
                    Domain {
                        arn: d.domain_name_arn().map(str::to_string).unwrap_or_else(|| {
                            format!("arn:aws:apigateway:{}::/domainnames/{name}", cx.region)
                        }),
                        name,
                        security_policy: d.security_policy().map(|p| p.as_str().to_string()),
                    }
                })
                .collect()
        })
        .map_err(|e| Failure::from_sdk(A_GET, &e));
    let mut apis: Vec<Api> = futures::stream::iter(apis)
        .map(|a| {
            let client = client.clone();
            async move {
                let id = a.id().unwrap_or_default().to_string();
                let (stages, methods) = futures::join!(stages(&client, &id), methods(&client, &id));
                Api {
                    name: a.name().unwrap_or(&id).to_string(),
                    public: !a
                        .endpoint_configuration()
                        .is_some_and(|e| e.types().contains(&EndpointType::Private)),
                    security_policy: a.security_policy().map(|p| p.as_str().to_string()),
                    id,
                    stages,
                    methods,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    apis.sort_by(|a, b| (&a.name, &a.id).cmp(&(&b.name, &b.id)));
    Ok(evaluate(&Inventory {
        region: cx.region.clone(),
        apis,
        domains,
    }))
}

async fn stages(client: &Client, api: &str) -> Result<Vec<Stage>, Failure> {
    let out = client
        .get_stages()
        .rest_api_id(api)
        .send()
        .await
        .map_err(|e| Failure::from_sdk(A_GET, &e))?;
    let mut stages: Vec<Stage> = out
        .item()
        .iter()
        .map(|s| Stage {
            name: s.stage_name().unwrap_or_default().to_string(),
            access_logs: s
                .access_log_settings()
                .and_then(|a| a.destination_arn())
                .is_some_and(|d| !d.is_empty()),
            execution_log_level: s
                .method_settings()
                .and_then(|m| m.get("*/*"))
                .and_then(|m| m.logging_level())
                .map(str::to_string),
            client_certificate: s.client_certificate_id().is_some_and(|c| !c.is_empty()),
            web_acl: s.web_acl_arn().is_some_and(|w| !w.is_empty()),
        })
        .collect();
    stages.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(stages)
}

async fn methods(client: &Client, api: &str) -> Result<Vec<Method>, Failure> {
    let resources = client
        .get_resources()
        .rest_api_id(api)
        .embed("methods")
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_GET, &e))?;
    let mut methods: Vec<Method> = resources
        .iter()
        .flat_map(|r| {
            let path = r.path().unwrap_or("/").to_string();
            r.resource_methods()
                .into_iter()
                .flatten()
                .map(move |(verb, m)| {
                    let integration = m.method_integration();
                    Method {
                        label: format!("{verb} {path}"),
                        authorization: m.authorization_type().unwrap_or("NONE").to_string(),
                        http_backend: integration.is_some_and(|i| {
                            matches!(
                                i.r#type(),
                                Some(IntegrationType::Http | IntegrationType::HttpProxy)
                            ) && i.connection_type() != Some(&ConnectionType::VpcLink)
                        }),
                    }
                })
        })
        .collect();
    methods.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(methods)
}

fn evaluate(inv: &Inventory) -> Vec<Finding> {
    vec![
        eval_logging(inv),
        eval_authorization(inv),
        eval_client_certificate(inv),
        eval_tls(inv),
        eval_waf(inv),
    ]
}

fn stage_arn(region: &str, api: &Api, stage: &Stage) -> String {
    format!(
        "arn:aws:apigateway:{region}::/restapis/{}/stages/{}",
        api.id, stage.name
    )
}

fn api_arn(region: &str, api: &Api) -> String {
    format!("arn:aws:apigateway:{region}::/restapis/{}", api.id)
}

fn no_stage() -> Text {
    tr!(
        "no deployed REST API stage in this region",
        "このリージョンにデプロイ済みの REST API ステージはありません"
    )
}

/// Judge every stage of every API with `problem(api, stage)`.
fn judge_stages(
    inv: &Inventory,
    noun: Noun,
    problem: impl Fn(&Api, &Stage) -> Option<Text>,
) -> Tally {
    let mut t = Tally::new(noun);
    for api in &inv.apis {
        match &api.stages {
            Ok(stages) => {
                for s in stages {
                    let label = format!("{}/{}", api.name, s.name);
                    t.judge(
                        &stage_arn(&inv.region, api, s),
                        &label,
                        problem(api, s),
                        api.public,
                    );
                }
            }
            Err(f) => t.error(f),
        }
    }
    t
}

fn eval_logging(inv: &Inventory) -> Finding {
    judge_stages(inv, STAGES, |_, s| {
        let mut why = Vec::new();
        if !s.access_logs {
            why.push(tr!("accessLogSettings unset", "accessLogSettings が未設定"));
        }
        let level = s.execution_log_level.as_deref().unwrap_or("OFF");
        if !matches!(level, "ERROR" | "INFO") {
            why.push(tr!(
                "execution logging {level} for */*",
                "*/* の実行ログが {level}"
            ));
        }
        join(&why)
    })
    .finish(
        CheckId::ApiGatewayStageLogging,
        (
            "do not write both access and execution logs",
            "アクセスログと実行ログの両方を記録していません",
        ),
        (
            "write access and execution logs",
            "アクセスログと実行ログを記録しています",
        ),
        no_stage(),
    )
}

fn eval_authorization(inv: &Inventory) -> Finding {
    let mut t = Tally::new(APIS);
    for api in &inv.apis {
        let methods = match &api.methods {
            Ok(m) => m,
            Err(f) => {
                t.error(f);
                continue;
            }
        };
        let judged: Vec<&Method> = methods
            .iter()
            .filter(|m| !m.label.starts_with("OPTIONS "))
            .collect();
        if judged.is_empty() {
            continue;
        }
        let open: Vec<String> = judged
            .iter()
            .filter(|m| m.authorization.eq_ignore_ascii_case("NONE"))
            .map(|m| m.label.clone())
            .collect();
        let problem = (!open.is_empty()).then(|| {
            let list = sample(&open, 3);
            tr!(
                "authorizationType NONE on {list}",
                "{list} の authorizationType が NONE"
            )
        });
        let label = format!("{} ({})", api.name, api.id);
        t.judge(&api_arn(&inv.region, api), &label, problem, api.public);
    }
    t.finish(
        CheckId::ApiGatewayMethodsAuthorized,
        (
            "have methods anyone can call without authorization (confirm each is meant to be open)",
            "認可なしで誰でも呼び出せるメソッドを持っています（公開が意図どおりかそれぞれ確認してください）",
        ),
        (
            "require IAM, Cognito or a Lambda authorizer on every method",
            "すべてのメソッドで IAM・Cognito・Lambda オーソライザーによる認可を求めています",
        ),
        tr!(
            "no REST API method in this region",
            "このリージョンに REST API のメソッドはありません"
        ),
    )
}

fn eval_client_certificate(inv: &Inventory) -> Finding {
    let mut t = Tally::new(STAGES);
    for api in &inv.apis {
        let backends: Vec<String> = match &api.methods {
            Ok(m) => m
                .iter()
                .filter(|m| m.http_backend)
                .map(|m| m.label.clone())
                .collect(),
            Err(f) => {
                t.error(f);
                continue;
            }
        };
        if backends.is_empty() {
            continue;
        }
        let stages = match &api.stages {
            Ok(s) => s,
            Err(f) => {
                t.error(f);
                continue;
            }
        };
        let list = sample(&backends, 2);
        for s in stages {
            let label = format!("{}/{}", api.name, s.name);
            let problem = (!s.client_certificate).then(|| {
                tr!(
                    "clientCertificateId unset, HTTP backend of {list}",
                    "clientCertificateId が未設定、{list} の HTTP バックエンド"
                )
            });
            t.judge(&stage_arn(&inv.region, api, s), &label, problem, false);
        }
    }
    t.finish(
        CheckId::ApiGatewayClientCertificate,
        (
            "call HTTP backends without a client certificate, so the backend cannot tell API Gateway's calls from others",
            "クライアント証明書なしで HTTP バックエンドを呼び出しており、バックエンドは API Gateway からの呼び出しを見分けられません",
        ),
        (
            "present a client certificate to their HTTP backends",
            "HTTP バックエンドにクライアント証明書を提示しています",
        ),
        tr!(
            "no REST API stage calls an HTTP backend over the internet in this region",
            "このリージョンにインターネット経由で HTTP バックエンドを呼び出す REST API ステージはありません"
        ),
    )
}

/// Security policies that still allow TLS 1.0 or 1.1.
fn policy_allows_old_tls(policy: &str) -> bool {
    policy == "TLS_1_0" || policy.contains("TLS_1_0") || policy.contains("TLS10")
}

fn eval_tls(inv: &Inventory) -> Finding {
    let mut t = Tally::new(DOMAINS);
    match &inv.domains {
        Ok(domains) => {
            for d in domains {
                let Some(p) = &d.security_policy else {
                    continue;
                };
                let problem = policy_allows_old_tls(p)
                    .then(|| tr!("securityPolicy {p}", "securityPolicy が {p}"));
                t.judge(&d.arn, &d.name, problem, true);
            }
        }
        Err(f) => t.error(f),
    }
    for api in &inv.apis {
        let Some(p) = &api.security_policy else {
            continue;
        };
        let problem =
            policy_allows_old_tls(p).then(|| tr!("securityPolicy {p}", "securityPolicy が {p}"));
        let label = format!("{} ({})", api.name, api.id);
        t.judge(&api_arn(&inv.region, api), &label, problem, api.public);
    }
    t.finish(
        CheckId::ApiGatewayDomainTls,
        (
            "allow TLS 1.0",
            "TLS 1.0 を許可しています",
        ),
        (
            "allow TLS 1.2 or later only",
            "TLS 1.2 以上のみを許可しています",
        ),
        tr!(
            "no API Gateway custom domain name or REST API security policy in this region",
            "このリージョンに API Gateway のカスタムドメイン名や REST API のセキュリティポリシーはありません"
        ),
    )
}

fn eval_waf(inv: &Inventory) -> Finding {
    let public_only = Inventory {
        region: inv.region.clone(),
        apis: inv.apis.iter().filter(|a| a.public).cloned().collect(),
        domains: Ok(Vec::new()),
    };
    judge_stages(&public_only, PUBLIC_STAGES, |_, s| {
        (!s.web_acl).then(|| tr!("webAclArn unset", "webAclArn が未設定"))
    })
    .finish(
        CheckId::ApiGatewayWafAttached,
        (
            "have no AWS WAF web ACL",
            "AWS WAF ウェブ ACL が関連付けられていません",
        ),
        (
            "have an AWS WAF web ACL",
            "AWS WAF ウェブ ACL が関連付けられています",
        ),
        tr!(
            "no stage of a public REST API in this region",
            "このリージョンに公開 REST API のステージはありません"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn stage(name: &str) -> Stage {
        Stage {
            name: name.into(),
            access_logs: true,
            execution_log_level: Some("ERROR".into()),
            client_certificate: true,
            web_acl: true,
        }
    }

    fn method(label: &str, auth: &str, http: bool) -> Method {
        Method {
            label: label.into(),
            authorization: auth.into(),
            http_backend: http,
        }
    }

    fn api(name: &str, stages: Vec<Stage>, methods: Vec<Method>) -> Api {
        Api {
            id: format!("{name}-id"),
            name: name.into(),
            public: true,
            security_policy: None,
            stages: Ok(stages),
            methods: Ok(methods),
        }
    }

    fn inv(apis: Vec<Api>, domains: Vec<Domain>) -> Inventory {
        Inventory {
            region: "us-east-1".into(),
            apis,
            domains: Ok(domains),
        }
    }

    #[test]
    fn stages_without_logs_name_each_missing_setting() {
        let mut quiet = stage("prod");
        quiet.access_logs = false;
        quiet.execution_log_level = None;
        let mut info = stage("dev");
        info.execution_log_level = Some("INFO".into());
        let i = inv(vec![api("shop", vec![quiet, info], vec![])], vec![]);
        let f = eval_logging(&i);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec!["arn:aws:apigateway:us-east-1::/restapis/shop-id/stages/prod"]
        );
        assert!(
            f.summary
                .en
                .contains("shop/prod (accessLogSettings unset, execution logging OFF for */*)"),
            "{}",
            f.summary.en
        );
        assert!(f.public);
        assert!(eval_logging(&inv(vec![], vec![])).status == EvidenceStatus::NotApplicable);
    }

    #[test]
    fn methods_without_authorization_fail_except_options() {
        let open = api(
            "open",
            vec![stage("prod")],
            vec![
                method("GET /items", "NONE", false),
                method("OPTIONS /items", "NONE", false),
                method("POST /items", "AWS_IAM", false),
            ],
        );
        let closed = api(
            "closed",
            vec![stage("prod")],
            vec![
                method("GET /", "COGNITO_USER_POOLS", false),
                method("OPTIONS /", "NONE", false),
            ],
        );
        let f = eval_authorization(&inv(vec![open, closed.clone()], vec![]));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec!["arn:aws:apigateway:us-east-1::/restapis/open-id"]
        );
        assert!(
            f.summary
                .en
                .contains("open (open-id) (authorizationType NONE on GET /items)"),
            "{}",
            f.summary.en
        );
        assert_eq!(
            eval_authorization(&inv(vec![closed], vec![])).status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn client_certificates_are_judged_only_for_http_backends() {
        let mut bare = stage("prod");
        bare.client_certificate = false;
        let http = api(
            "proxy",
            vec![bare.clone()],
            vec![method("ANY /{proxy+}", "AWS_IAM", true)],
        );
        let lambda = api("fn", vec![bare], vec![method("GET /", "AWS_IAM", false)]);
        let f = eval_client_certificate(&inv(vec![http, lambda.clone()], vec![]));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec!["arn:aws:apigateway:us-east-1::/restapis/proxy-id/stages/prod"]
        );
        assert!(
            f.summary
                .en
                .contains("proxy/prod (clientCertificateId unset, HTTP backend of ANY /{proxy+})")
        );
        assert_eq!(
            eval_client_certificate(&inv(vec![lambda], vec![])).status,
            EvidenceStatus::NotApplicable
        );
        let certified = api(
            "proxy",
            vec![stage("prod")],
            vec![method("GET /", "AWS_IAM", true)],
        );
        assert_eq!(
            eval_client_certificate(&inv(vec![certified], vec![])).status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn old_tls_policies_fail_on_domains_and_apis() {
        let domain = |name: &str, p: Option<&str>| Domain {
            name: name.into(),
            arn: format!("arn:aws:apigateway:us-east-1::/domainnames/{name}"),
            security_policy: p.map(str::to_string),
        };
        let mut legacy = api("legacy", vec![], vec![]);
        legacy.security_policy = Some("TLS_1_0".into());
        let mut modern = api("modern", vec![], vec![]);
        modern.security_policy = Some("SecurityPolicy_TLS13_1_3_2025_09".into());
        let i = inv(
            vec![legacy, modern, api("unset", vec![], vec![])],
            vec![
                domain("old.example.com", Some("TLS_1_0")),
                domain("new.example.com", Some("TLS_1_2")),
            ],
        );
        let f = eval_tls(&i);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources.len(), 2);
        assert!(
            f.summary.en.starts_with("2 of 4 custom domain names"),
            "{}",
            f.summary.en
        );
        assert!(
            f.summary
                .en
                .contains("old.example.com (securityPolicy TLS_1_0)")
        );
        assert!(f.public);
    }

    #[test]
    fn only_public_apis_need_a_web_acl() {
        let mut bare = stage("prod");
        bare.web_acl = false;
        let mut private = api("internal", vec![bare.clone()], vec![]);
        private.public = false;
        let f = eval_waf(&inv(
            vec![
                api("edge", vec![bare, stage("v2")], vec![]),
                private.clone(),
            ],
            vec![],
        ));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(
            f.resources,
            vec!["arn:aws:apigateway:us-east-1::/restapis/edge-id/stages/prod"]
        );
        assert!(
            f.summary
                .en
                .starts_with("1 of 2 stages of public REST APIs have no")
        );
        assert_eq!(
            eval_waf(&inv(vec![private], vec![])).status,
            EvidenceStatus::NotApplicable
        );
    }

    #[test]
    fn read_errors_are_unknown() {
        let mut a = api("x", vec![], vec![]);
        a.stages = Err(Failure::new(
            A_GET,
            FailureKind::AccessDenied,
            "AccessDeniedException",
        ));
        a.methods = Err(Failure::new(
            A_GET,
            FailureKind::AccessDenied,
            "AccessDeniedException",
        ));
        let mut i = inv(vec![a], vec![]);
        i.domains = Err(Failure::new(
            A_GET,
            FailureKind::AccessDenied,
            "AccessDeniedException",
        ));
        for f in evaluate(&i) {
            assert_eq!(f.status, EvidenceStatus::Unknown, "{}", f.check);
            assert!(f.summary.en.contains(A_GET));
        }
    }
}
