//! Lambda: no plaintext secrets in environment variables, no function URL
//! open to anyone without authentication, no other public resource-policy
//! statement, runtimes that are not deprecated, functions attached to a
//! VPC.
//!
//! Calls per region: `ListFunctions` (paginated; carries environment,
//! runtime and VPC settings) and `GetPolicy` per function ("not found"
//! means no policy). A function URL with auth type NONE is reachable only
//! when the function policy lets everyone call `lambda:InvokeFunctionUrl`,
//! so the policy decides both policy checks without extra calls.
//! Secret VALUES never leave this module: summaries name variables only.

use aws_sdk_lambda::Client;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::StreamExt;
use serde_json::Value;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::{self, glob, looks_secret, sample, statements};

const A_LIST: &str = "lambda:ListFunctions";
const A_POLICY: &str = "lambda:GetPolicy";

/// Runtimes past their Lambda deprecation date (snapshot of the published
/// schedule as of late 2026; extend it as runtimes retire).
const DEPRECATED_RUNTIMES: &[&str] = &[
    "nodejs",
    "nodejs4.3",
    "nodejs4.3-edge",
    "nodejs6.10",
    "nodejs8.10",
    "nodejs10.x",
    "nodejs12.x",
    "nodejs14.x",
    "nodejs16.x",
    "nodejs18.x",
    "python2.7",
    "python3.6",
    "python3.7",
    "python3.8",
    "python3.9",
    "java8",
    "dotnetcore1.0",
    "dotnetcore2.0",
    "dotnetcore2.1",
    "dotnetcore3.1",
    "dotnet5.0",
    "dotnet6",
    "ruby2.5",
    "ruby2.7",
    "ruby3.2",
    "go1.x",
    "provided",
];

/// What a function policy allows everyone to do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct PublicAccess {
    /// A function URL with auth type NONE that anyone may invoke.
    open_url: bool,
    /// Any other statement that lets anyone in.
    other: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Function {
    arn: String,
    name: String,
    runtime: Option<String>,
    /// Names of variables that look like plaintext secrets (values dropped).
    suspicious_vars: Vec<String>,
    /// Attached to subnets of a VPC.
    in_vpc: bool,
    policy: Result<PublicAccess, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let list = client
        .list_functions()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
    let mut functions: Vec<Function> = futures::stream::iter(list)
        .map(|f| {
            let client = client.clone();
            async move {
                let name = f.function_name().unwrap_or_default().to_string();
                let policy = match client.get_policy().function_name(&name).send().await {
                    Ok(p) => Ok(p
                        .policy()
                        .and_then(util::decode_policy)
                        .map(|d| public_access(&d))
                        .unwrap_or_default()),
                    Err(e) if e.code() == Some("ResourceNotFoundException") => {
                        Ok(PublicAccess::default())
                    }
                    Err(e) => Err(Failure::from_sdk(A_POLICY, &e)),
                };
                let mut suspicious_vars: Vec<String> = f
                    .environment()
                    .and_then(|e| e.variables())
                    .map(|vars| {
                        vars.iter()
                            .filter(|(k, v)| looks_secret(k, v))
                            .map(|(k, _)| k.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                suspicious_vars.sort();
                Function {
                    arn: f.function_arn().unwrap_or_default().to_string(),
                    name,
                    runtime: f.runtime().map(|r| r.as_str().to_string()),
                    suspicious_vars,
                    in_vpc: f.vpc_config().is_some_and(|v| !v.subnet_ids().is_empty()),
                    policy,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    functions.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(evaluate(&functions))
}

/// Sort a policy's public statements into open function URLs and the rest.
fn public_access(doc: &Value) -> PublicAccess {
    let mut out = PublicAccess::default();
    for s in statements(doc)
        .into_iter()
        .filter(|s| util::statement_is_public(s))
    {
        let url_only = util::strings(s.get("Action"))
            .iter()
            .all(|a| glob(a, "lambda:InvokeFunctionUrl") && !glob(a, "lambda:InvokeFunction"));
        // A URL statement that does not insist on AWS_IAM lets unsigned
        // callers in (auth type NONE).
        let signed = s.to_string().contains("AWS_IAM");
        if url_only && !signed {
            out.open_url = true;
        } else {
            out.other = true;
        }
    }
    out
}

fn evaluate(functions: &[Function]) -> Vec<Finding> {
    use CheckId::*;
    if functions.is_empty() {
        let none = tr!(
            "no Lambda function in this region",
            "このリージョンに Lambda 関数はありません"
        );
        return [
            SecretsPlaintextLambdaEnv,
            LambdaPolicyNotPublic,
            LambdaFunctionUrlAuth,
            LambdaSupportedRuntimes,
            LambdaInVpc,
        ]
        .into_iter()
        .map(|id| Finding::not_applicable(id, none.clone()))
        .collect();
    }
    vec![
        eval_plaintext(functions),
        eval_policy(functions),
        eval_url(functions),
        eval_runtime(functions),
        eval_vpc(functions),
    ]
}

fn names(list: &[&Function]) -> String {
    sample(&list.iter().map(|f| f.name.clone()).collect::<Vec<_>>(), 5)
}

fn eval_plaintext(functions: &[Function]) -> Finding {
    let id = CheckId::SecretsPlaintextLambdaEnv;
    let bad: Vec<&Function> = functions
        .iter()
        .filter(|f| !f.suspicious_vars.is_empty())
        .collect();
    let n = functions.len();
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "no secret-like environment variable in {n} functions",
                "関数 {n} 件の環境変数にシークレットらしき値はありません"
            ),
        );
    }
    let k = bad.len();
    let vars: Vec<String> = bad
        .iter()
        .map(|f| format!("{}: {}", f.name, f.suspicious_vars.join(", ")))
        .collect();
    let list = vars.join("; ");
    Finding::fail(
        id,
        tr!(
            "{k} of {n} functions hold secret-like variables (names only): {list}",
            "関数 {n} 件中 {k} 件がシークレットらしき変数を持っています（名前のみ表示）: {list}"
        ),
    )
    .with_resources(bad.iter().map(|f| f.arn.clone()))
}

/// Fail on functions whose policy gives `pick` to anyone; unknown when a
/// policy could not be read and nothing failed.
fn policy_check(
    id: CheckId,
    functions: &[Function],
    pick: impl Fn(&PublicAccess) -> bool,
    fail: (&str, &str),
    pass: (&str, &str),
) -> Finding {
    let bad: Vec<&Function> = functions
        .iter()
        .filter(|f| f.policy.as_ref().is_ok_and(&pick))
        .collect();
    let n = functions.len();
    if !bad.is_empty() {
        let (k, list) = (bad.len(), names(&bad));
        let (en, ja) = fail;
        return Finding::fail(
            id,
            tr!(
                "{k} of {n} functions {en}: {list}",
                "関数 {n} 件中 {k} 件が{ja}: {list}"
            ),
        )
        .with_resources(bad.iter().map(|f| f.arn.clone()))
        .public(true);
    }
    match functions.iter().find_map(|f| f.policy.as_ref().err()) {
        Some(f) => f.finding(id),
        None => {
            let (en, ja) = pass;
            Finding::pass(id, tr!("{en} ({n} functions)", "{ja}（関数 {n} 件）"))
        }
    }
}

fn eval_policy(functions: &[Function]) -> Finding {
    policy_check(
        CheckId::LambdaPolicyNotPublic,
        functions,
        |p| p.other,
        (
            "can be invoked by anyone through their resource policy",
            "リソースポリシーにより誰でも呼び出せます",
        ),
        (
            "no function policy lets anyone invoke the function",
            "誰でも呼び出せる関数ポリシーはありません",
        ),
    )
}

fn eval_url(functions: &[Function]) -> Finding {
    policy_check(
        CheckId::LambdaFunctionUrlAuth,
        functions,
        |p| p.open_url,
        (
            "have a function URL anyone can call without authentication (auth type NONE)",
            "認証なし（認証タイプ NONE）で誰でも呼び出せる関数 URL を持っています",
        ),
        (
            "no function URL can be called without authentication",
            "認証なしで呼び出せる関数 URL はありません",
        ),
    )
}

fn eval_runtime(functions: &[Function]) -> Finding {
    let id = CheckId::LambdaSupportedRuntimes;
    // Container-image functions have no managed runtime.
    let managed: Vec<&Function> = functions.iter().filter(|f| f.runtime.is_some()).collect();
    if managed.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "no Lambda function with a managed runtime",
                "マネージドランタイムを使う Lambda 関数はありません"
            ),
        );
    }
    let bad: Vec<&Function> = managed
        .iter()
        .copied()
        .filter(|f| {
            f.runtime
                .as_deref()
                .is_some_and(|r| DEPRECATED_RUNTIMES.contains(&r))
        })
        .collect();
    let n = managed.len();
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} functions use runtimes that are not deprecated",
                "関数 {n} 件すべてがサポート終了前のランタイムを使っています"
            ),
        );
    }
    let k = bad.len();
    let list: Vec<String> = bad
        .iter()
        .map(|f| format!("{} ({})", f.name, f.runtime.as_deref().unwrap_or_default()))
        .collect();
    let list = sample(&list, 5);
    Finding::fail(
        id,
        tr!(
            "{k} of {n} functions use deprecated runtimes: {list}",
            "関数 {n} 件中 {k} 件がサポート終了のランタイムを使っています: {list}"
        ),
    )
    .with_resources(bad.iter().map(|f| f.arn.clone()))
}

fn eval_vpc(functions: &[Function]) -> Finding {
    let id = CheckId::LambdaInVpc;
    let bad: Vec<&Function> = functions.iter().filter(|f| !f.in_vpc).collect();
    let n = functions.len();
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} functions run attached to a VPC",
                "関数 {n} 件すべてが VPC に接続して動作しています"
            ),
        );
    }
    let (k, list) = (bad.len(), names(&bad));
    Finding::fail(
        id,
        tr!(
            "{k} of {n} functions are not attached to a VPC (no subnets): {list}",
            "関数 {n} 件中 {k} 件が VPC に接続されていません（サブネットなし）: {list}"
        ),
    )
    .with_resources(bad.iter().map(|f| f.arn.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use serde_json::json;
    use wasec_core::review::EvidenceStatus;

    fn function(name: &str) -> Function {
        Function {
            arn: format!("arn:aws:lambda:us-east-1:1:function:{name}"),
            name: name.into(),
            runtime: Some("python3.12".into()),
            suspicious_vars: vec![],
            in_vpc: true,
            policy: Ok(PublicAccess::default()),
        }
    }

    #[test]
    fn plaintext_finding_names_variables_never_values() {
        let mut f = function("api");
        f.suspicious_vars = vec!["DB_PASSWORD".into()];
        let out = eval_plaintext(&[f, function("ok")]);
        assert_eq!(out.status, EvidenceStatus::Fail);
        assert!(out.summary.en.contains("api: DB_PASSWORD"));
        assert_eq!(out.resources.len(), 1);
        assert_eq!(
            eval_plaintext(&[function("ok")]).status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn policy_statements_split_into_open_urls_and_other_public_access() {
        let url = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl",
            "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "NONE"}}}]});
        assert_eq!(
            public_access(&url),
            PublicAccess {
                open_url: true,
                other: false
            }
        );
        let iam_url = json!({"Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::1:root"}, "Action": "lambda:InvokeFunctionUrl",
            "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}}]});
        assert_eq!(public_access(&iam_url), PublicAccess::default());
        // Any AWS account may call a URL that needs signed requests: public,
        // but not unauthenticated.
        let any_signed = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunctionUrl",
            "Condition": {"StringEquals": {"lambda:FunctionUrlAuthType": "AWS_IAM"}}}]});
        assert_eq!(
            public_access(&any_signed),
            PublicAccess {
                open_url: false,
                other: true
            }
        );
        let open = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "lambda:InvokeFunction"}]});
        assert_eq!(
            public_access(&open),
            PublicAccess {
                open_url: false,
                other: true
            }
        );
        let scoped = json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
            "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}, "StringEquals": {"AWS:SourceAccount": "1"}}}]});
        assert_eq!(public_access(&scoped), PublicAccess::default());
    }

    #[test]
    fn open_urls_and_public_policies_fail_as_public_and_errors_are_unknown() {
        let mut url = function("webhook");
        url.policy = Ok(PublicAccess {
            open_url: true,
            other: false,
        });
        let mut open = function("open");
        open.policy = Ok(PublicAccess {
            open_url: false,
            other: true,
        });
        let fs = [url, open, function("private")];
        let u = eval_url(&fs);
        assert_eq!(u.status, EvidenceStatus::Fail);
        assert!(u.public);
        assert_eq!(
            u.resources,
            vec!["arn:aws:lambda:us-east-1:1:function:webhook"]
        );
        let p = eval_policy(&fs);
        assert_eq!(
            p.resources,
            vec!["arn:aws:lambda:us-east-1:1:function:open"]
        );
        let mut e = function("e");
        e.policy = Err(Failure::new(
            A_POLICY,
            FailureKind::AccessDenied,
            "AccessDeniedException",
        ));
        assert_eq!(eval_policy(&[e]).status, EvidenceStatus::Unknown);
        assert_eq!(eval_policy(&[function("a")]).status, EvidenceStatus::Pass);
    }

    #[test]
    fn deprecated_runtimes_fail_and_images_are_skipped() {
        let mut old = function("old");
        old.runtime = Some("python3.7".into());
        let out = eval_runtime(&[old, function("new")]);
        assert_eq!(out.status, EvidenceStatus::Fail);
        assert!(out.summary.en.contains("old (python3.7)"));
        let mut image = function("img");
        image.runtime = None;
        assert_eq!(eval_runtime(&[image]).status, EvidenceStatus::NotApplicable);
        let none = evaluate(&[]);
        assert_eq!(none.len(), crate::check::Service::Lambda.checks().count());
        assert!(
            none.iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }

    #[test]
    fn functions_outside_a_vpc_are_named() {
        let mut out = function("edge");
        out.in_vpc = false;
        let f = eval_vpc(&[out, function("inside")]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec!["arn:aws:lambda:us-east-1:1:function:edge"]
        );
        assert_eq!(eval_vpc(&[function("inside")]).status, EvidenceStatus::Pass);
    }
}
