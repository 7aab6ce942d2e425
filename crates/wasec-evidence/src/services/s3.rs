//! S3: account Block Public Access (S3 Control) and per-bucket settings.
//! Per-bucket calls are the biggest request cost of a run, so calls whose
//! answer is already decided are skipped: the bucket's own Block Public
//! Access is read only when the account's does not already block
//! everything, and the ACL only when ACLs are still in effect.

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};
use crate::util::{self, Unknown, is_allow, sample, statements, strings};
use futures::StreamExt;
use serde_json::Value;
use std::collections::BTreeMap;
use wasec_core::review::EvidenceStatus;

const fn meta(
    id: &'static str,
    title_en: &'static str,
    title_ja: &'static str,
    bps: &'static [&'static str],
    actions: &'static [&'static str],
) -> CheckMeta {
    CheckMeta {
        id,
        title_en,
        title_ja,
        bps,
        service: "s3",
        actions,
        scope: Scope::Global,
    }
}

pub const CHECKS: &[CheckMeta] = &[
    meta(
        "s3.account_public_access_block",
        "Account-level S3 Block Public Access is fully on",
        "アカウントレベルの S3 ブロックパブリックアクセスがすべて有効",
        &["SEC03-BP07", "SEC08-BP04"],
        &["s3:GetAccountPublicAccessBlock"],
    ),
    meta(
        "s3.bucket_not_public",
        "No S3 bucket is public through its policy or ACL",
        "ポリシーや ACL で公開されている S3 バケットがない",
        &["SEC03-BP07", "SEC08-BP04"],
        &[
            "s3:ListAllMyBuckets",
            "s3:GetBucketLocation",
            "s3:GetBucketPolicy",
            "s3:GetBucketPublicAccessBlock",
            "s3:GetBucketAcl",
            "s3:GetBucketOwnershipControls",
            "s3:GetAccountPublicAccessBlock",
        ],
    ),
    meta(
        "s3.default_encryption",
        "Buckets have default encryption",
        "バケットにデフォルト暗号化が設定されている",
        &["SEC08-BP02"],
        &["s3:ListAllMyBuckets", "s3:GetEncryptionConfiguration"],
    ),
    meta(
        "s3.versioning_object_lock",
        "Buckets have versioning enabled",
        "バケットのバージョニングが有効",
        &["SEC08-BP04"],
        &["s3:ListAllMyBuckets", "s3:GetBucketVersioning"],
    ),
    meta(
        "s3.tls_only_policy",
        "Bucket policies deny requests without TLS",
        "バケットポリシーが TLS 以外のリクエストを拒否している",
        &["SEC09-BP02"],
        &["s3:ListAllMyBuckets", "s3:GetBucketPolicy"],
    ),
    meta(
        "s3.acls_disabled",
        "Bucket ACLs are disabled (bucket owner enforced)",
        "バケット ACL が無効（バケット所有者の強制）",
        &["SEC08-BP04"],
        &["s3:ListAllMyBuckets", "s3:GetBucketOwnershipControls"],
    ),
];

/// Four Block Public Access flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bpa {
    pub block_public_acls: bool,
    pub ignore_public_acls: bool,
    pub block_public_policy: bool,
    pub restrict_public_buckets: bool,
}

impl Bpa {
    pub fn all(self) -> bool {
        self.block_public_acls
            && self.ignore_public_acls
            && self.block_public_policy
            && self.restrict_public_buckets
    }
}

/// What was learnt about one bucket; `Err` keeps why a value is unknown.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub name: String,
    pub policy: Result<Option<Value>, Unknown>,
    /// `Ok(None)` when the bucket has no configuration of its own.
    pub bpa: Result<Option<Bpa>, Unknown>,
    /// Grants to everyone / all authenticated users (`None` = not read).
    pub public_acl: Result<Option<bool>, Unknown>,
    /// Object ownership is BucketOwnerEnforced (ACLs disabled).
    pub owner_enforced: Result<bool, Unknown>,
    /// Default encryption algorithm, if any.
    pub encryption: Result<Option<String>, Unknown>,
    pub versioning: Result<bool, Unknown>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let s3 = s3_client(&cx.sdk, None);
    let account_bpa = account_bpa(cx).await;
    let listed = match list_buckets(&s3).await {
        Ok(b) => b,
        Err(u) => {
            let mut out = vec![account_bpa_finding(&account_bpa)];
            out.extend(CHECKS[1..].iter().map(|c| u.finding(c.id)));
            return out;
        }
    };
    let block = account_bpa
        .as_ref()
        .ok()
        .copied()
        .flatten()
        .unwrap_or_default();
    let emulator = cx.sdk.endpoint_url().is_some();
    let home = cx.sdk.region().map(|r| r.as_ref().to_string());
    let mut clients: BTreeMap<String, aws_sdk_s3::Client> = BTreeMap::new();
    let tasks: Vec<_> = listed
        .into_iter()
        .map(|(name, region)| {
            // Bucket calls go to the bucket's region (otherwise S3 answers
            // with a redirect); an emulator serves every region itself.
            let known = match region {
                _ if emulator => Some(s3.clone()),
                Some(r) if Some(&r) == home.as_ref() => Some(s3.clone()),
                Some(r) => Some(
                    clients
                        .entry(r.clone())
                        .or_insert_with(|| s3_client(&cx.sdk, Some(&r)))
                        .clone(),
                ),
                None => None,
            };
            let (s3, sdk) = (s3.clone(), &cx.sdk);
            async move {
                let client = match known {
                    Some(c) => c,
                    None => match s3.get_bucket_location().bucket(&name).send().await {
                        Ok(o) => {
                            // An empty location constraint means us-east-1.
                            let r = o
                                .location_constraint()
                                .map(|c| c.as_str().to_string())
                                .filter(|r| !r.is_empty());
                            s3_client(sdk, Some(r.as_deref().unwrap_or("us-east-1")))
                        }
                        Err(_) => s3,
                    },
                };
                bucket(&client, name, block).await
            }
        })
        .collect();
    let buckets: Vec<Bucket> = futures::stream::iter(tasks)
        .buffer_unordered(8)
        .collect()
        .await;
    evaluate(&account_bpa, &buckets)
}

fn s3_client(sdk: &aws_config::SdkConfig, region: Option<&str>) -> aws_sdk_s3::Client {
    let mut b = aws_sdk_s3::config::Builder::from(sdk);
    if sdk.endpoint_url().is_some() {
        // Emulators on 127.0.0.1 cannot serve virtual-hosted bucket names.
        b = b.force_path_style(true);
    }
    if let Some(r) = region {
        b = b.region(aws_config::Region::new(r.to_string()));
    }
    aws_sdk_s3::Client::from_conf(b.build())
}

async fn account_bpa(cx: &ServiceCtx) -> Result<Option<Bpa>, Unknown> {
    let mut b = aws_sdk_s3control::config::Builder::from(&cx.sdk);
    if let Some(url) = cx.sdk.endpoint_url() {
        // The endpoint rules would put the account id in the host name
        // (`123456789012.127.0.0.1`), which an emulator cannot serve.
        b = b.endpoint_resolver(PlainEndpoint(url.to_string()));
    }
    let client = aws_sdk_s3control::Client::from_conf(b.build());
    match client
        .get_public_access_block()
        .account_id(&cx.account)
        .send()
        .await
    {
        Ok(out) => Ok(out.public_access_block_configuration().map(|c| Bpa {
            block_public_acls: c.block_public_acls().unwrap_or(false),
            ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
            block_public_policy: c.block_public_policy().unwrap_or(false),
            restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
        })),
        Err(e) if util::code(&e) == Some("NoSuchPublicAccessBlockConfiguration") => Ok(None),
        Err(e) => Err(Unknown::from("s3:GetAccountPublicAccessBlock", &e)),
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

async fn list_buckets(s3: &aws_sdk_s3::Client) -> Result<Vec<(String, Option<String>)>, Unknown> {
    let mut pages = s3.list_buckets().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Unknown::from("s3:ListAllMyBuckets", &e))?;
        for b in page.buckets() {
            if let Some(n) = b.name() {
                out.push((n.to_string(), b.bucket_region().map(str::to_string)));
            }
        }
    }
    Ok(out)
}

/// Read one bucket's settings, skipping calls the account settings decide.
async fn bucket(s3: &aws_sdk_s3::Client, name: String, account: Bpa) -> Bucket {
    let n = name.as_str();
    let policy = async {
        match s3.get_bucket_policy().bucket(n).send().await {
            Ok(o) => Ok(o.policy().and_then(util::decode_policy)),
            Err(e) if util::code(&e) == Some("NoSuchBucketPolicy") => Ok(None),
            Err(e) => Err(Unknown::from("s3:GetBucketPolicy", &e)),
        }
    };
    let encryption = async {
        match s3.get_bucket_encryption().bucket(n).send().await {
            Ok(o) => Ok(o
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first())
                .and_then(|r| r.apply_server_side_encryption_by_default())
                .map(|d| d.sse_algorithm().as_str().to_string())),
            Err(e) if util::code(&e) == Some("ServerSideEncryptionConfigurationNotFoundError") => {
                Ok(None)
            }
            Err(e) => Err(Unknown::from("s3:GetEncryptionConfiguration", &e)),
        }
    };
    let versioning = async {
        s3.get_bucket_versioning()
            .bucket(n)
            .send()
            .await
            .map(|o| o.status() == Some(&aws_sdk_s3::types::BucketVersioningStatus::Enabled))
            .map_err(|e| Unknown::from("s3:GetBucketVersioning", &e))
    };
    let ownership = async {
        match s3.get_bucket_ownership_controls().bucket(n).send().await {
            Ok(o) => Ok(o.ownership_controls().is_some_and(|c| {
                c.rules().iter().any(|r| {
                    r.object_ownership() == &aws_sdk_s3::types::ObjectOwnership::BucketOwnerEnforced
                })
            })),
            Err(e) if util::code(&e) == Some("OwnershipControlsNotFoundError") => Ok(false),
            Err(e) => Err(Unknown::from("s3:GetBucketOwnershipControls", &e)),
        }
    };
    let bpa = async {
        if account.restrict_public_buckets && account.ignore_public_acls {
            return Ok(None);
        }
        match s3.get_public_access_block().bucket(n).send().await {
            Ok(o) => Ok(o.public_access_block_configuration().map(|c| Bpa {
                block_public_acls: c.block_public_acls().unwrap_or(false),
                ignore_public_acls: c.ignore_public_acls().unwrap_or(false),
                block_public_policy: c.block_public_policy().unwrap_or(false),
                restrict_public_buckets: c.restrict_public_buckets().unwrap_or(false),
            })),
            Err(e) if util::code(&e) == Some("NoSuchPublicAccessBlockConfiguration") => Ok(None),
            Err(e) => Err(Unknown::from("s3:GetBucketPublicAccessBlock", &e)),
        }
    };
    let (policy, encryption, versioning, owner_enforced, bpa) =
        tokio::join!(policy, encryption, versioning, ownership, bpa);
    // ACL grants matter only when ACLs are in effect and not ignored.
    let ignored = account.ignore_public_acls
        || matches!(owner_enforced, Ok(true))
        || matches!(bpa, Ok(Some(b)) if b.ignore_public_acls);
    let public_acl = if ignored {
        Ok(None)
    } else {
        s3.get_bucket_acl()
            .bucket(n)
            .send()
            .await
            .map(|o| {
                Some(o.grants().iter().any(|g| {
                    g.grantee().and_then(|x| x.uri()).is_some_and(|u| {
                        u.ends_with("/global/AllUsers") || u.ends_with("/global/AuthenticatedUsers")
                    })
                }))
            })
            .map_err(|e| Unknown::from("s3:GetBucketAcl", &e))
    };
    Bucket {
        name,
        policy,
        bpa,
        public_acl,
        owner_enforced,
        encryption,
        versioning,
    }
}

/// A policy statement that lets anyone in: Allow to `*` with no condition.
pub fn policy_is_public(doc: &Value) -> bool {
    statements(doc)
        .into_iter()
        .filter(|s| is_allow(s) && s.get("Condition").is_none())
        .any(|s| match s.get("Principal") {
            Some(Value::String(p)) => p == "*",
            Some(Value::Object(o)) => strings(o.get("AWS")).contains(&"*"),
            _ => false,
        })
}

/// A Deny statement on `aws:SecureTransport = false`.
pub fn policy_requires_tls(doc: &Value) -> bool {
    statements(doc).into_iter().any(|s| {
        s.get("Effect").and_then(Value::as_str) == Some("Deny")
            && s.get("Condition")
                .and_then(|c| c.get("Bool"))
                .and_then(|b| b.as_object())
                .and_then(|b| {
                    b.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("aws:SecureTransport"))
                        .map(|(_, v)| v)
                })
                .is_some_and(|v| match v {
                    Value::Bool(b) => !b,
                    Value::String(s) => s.eq_ignore_ascii_case("false"),
                    Value::Array(a) => a.iter().any(|x| x == "false" || x == false),
                    _ => false,
                })
    })
}

fn account_bpa_finding(a: &Result<Option<Bpa>, Unknown>) -> Finding {
    let id = "s3.account_public_access_block";
    match a {
        Err(u) => u.finding(id),
        Ok(Some(b)) if b.all() => Finding::pass(
            id,
            "account-level Block Public Access: all four settings on",
        ),
        Ok(Some(_)) => Finding::fail(id, "account-level Block Public Access is only partly on"),
        Ok(None) => Finding::fail(id, "account-level Block Public Access is not configured"),
    }
}

fn arn(name: &str) -> String {
    format!("arn:aws:s3:::{name}")
}

/// One finding per check over all buckets: fail lists the failing buckets,
/// and any bucket whose value is unknown makes the check unknown when
/// nothing failed.
fn per_bucket(
    id: &'static str,
    buckets: &[Bucket],
    verdict: impl Fn(&Bucket) -> Result<bool, Unknown>,
    fail_text: &str,
    pass_text: &str,
) -> Finding {
    if buckets.is_empty() {
        return Finding::not_applicable(id, "the account has no S3 buckets");
    }
    let mut failing = Vec::new();
    let mut unknown: Option<(usize, Unknown)> = None;
    for b in buckets {
        match verdict(b) {
            Ok(true) => {}
            Ok(false) => failing.push(b.name.clone()),
            Err(u) => unknown = Some((unknown.map_or(1, |(n, _)| n + 1), u)),
        }
    }
    if !failing.is_empty() {
        Finding::fail(
            id,
            format!(
                "{} of {} buckets {fail_text}: {}",
                failing.len(),
                buckets.len(),
                sample(&failing, 5)
            ),
        )
        .with_resources(failing.iter().map(|n| arn(n)))
    } else if let Some((n, u)) = unknown {
        Finding::new(
            id,
            EvidenceStatus::Unknown,
            format!("{} ({n} of {} buckets)", u.0, buckets.len()),
        )
    } else {
        Finding::pass(id, format!("{pass_text} ({} buckets)", buckets.len()))
    }
}

/// Findings for the account and its buckets.
pub fn evaluate(account: &Result<Option<Bpa>, Unknown>, buckets: &[Bucket]) -> Vec<Finding> {
    let acct = account.as_ref().ok().copied().flatten().unwrap_or_default();
    let not_public = |b: &Bucket| -> Result<bool, Unknown> {
        let own = b.bpa.clone()?.unwrap_or_default();
        let by_policy = match &b.policy {
            Ok(Some(doc)) => {
                policy_is_public(doc)
                    && !(acct.restrict_public_buckets || own.restrict_public_buckets)
            }
            Ok(None) => false,
            Err(u) => return Err(u.clone()),
        };
        let by_acl = b.public_acl.clone()?.unwrap_or(false);
        Ok(!(by_policy || by_acl))
    };
    let mut public = per_bucket(
        "s3.bucket_not_public",
        buckets,
        not_public,
        "are public",
        "no bucket is public",
    );
    if public.status == EvidenceStatus::Fail {
        public = public.public(true);
    }
    vec![
        account_bpa_finding(account),
        public,
        per_bucket(
            "s3.default_encryption",
            buckets,
            |b| b.encryption.clone().map(|e| e.is_some()),
            "have no default encryption configured",
            "every bucket has default encryption",
        ),
        per_bucket(
            "s3.versioning_object_lock",
            buckets,
            |b| b.versioning.clone(),
            "have versioning off",
            "every bucket has versioning on",
        ),
        per_bucket(
            "s3.tls_only_policy",
            buckets,
            |b| {
                b.policy
                    .clone()
                    .map(|p| p.as_ref().is_some_and(policy_requires_tls))
            },
            "do not deny non-TLS requests in their policy",
            "every bucket policy denies non-TLS requests",
        ),
        per_bucket(
            "s3.acls_disabled",
            buckets,
            |b| b.owner_enforced.clone(),
            "still use ACLs",
            "every bucket has ACLs disabled",
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good(name: &str) -> Bucket {
        Bucket {
            name: name.into(),
            policy: Ok(Some(
                json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}),
            )),
            bpa: Ok(None),
            public_acl: Ok(None),
            owner_enforced: Ok(true),
            encryption: Ok(Some("aws:kms".into())),
            versioning: Ok(true),
        }
    }

    fn status(f: &[Finding], id: &str) -> EvidenceStatus {
        f.iter().find(|x| x.check == id).unwrap().status
    }

    #[test]
    fn secure_buckets_pass_and_insecure_ones_fail() {
        let on = Ok(Some(Bpa {
            block_public_acls: true,
            ignore_public_acls: true,
            block_public_policy: true,
            restrict_public_buckets: true,
        }));
        let f = evaluate(&on, &[good("a"), good("b")]);
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Pass), "{f:?}");

        let mut bad = good("open");
        bad.policy = Ok(Some(
            json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*"}}),
        ));
        bad.encryption = Ok(None);
        bad.versioning = Ok(false);
        bad.owner_enforced = Ok(false);
        bad.public_acl = Ok(Some(false));
        let f = evaluate(&Ok(None), &[good("a"), bad.clone()]);
        assert_eq!(
            status(&f, "s3.account_public_access_block"),
            EvidenceStatus::Fail
        );
        for id in [
            "s3.bucket_not_public",
            "s3.default_encryption",
            "s3.versioning_object_lock",
            "s3.tls_only_policy",
            "s3.acls_disabled",
        ] {
            let x = f.iter().find(|x| x.check == id).unwrap();
            assert_eq!(x.status, EvidenceStatus::Fail, "{id}");
            assert_eq!(x.resources, vec!["arn:aws:s3:::open".to_string()], "{id}");
        }
        assert!(
            f.iter()
                .find(|x| x.check == "s3.bucket_not_public")
                .unwrap()
                .public
        );
        // The account setting neutralises the public policy.
        let f = evaluate(&on, &[bad]);
        assert_eq!(status(&f, "s3.bucket_not_public"), EvidenceStatus::Pass);
    }

    #[test]
    fn unknowns_and_empty_accounts() {
        let mut b = good("x");
        b.versioning = Err(Unknown(
            "cannot tell: access denied to s3:GetBucketVersioning".into(),
        ));
        let f = evaluate(&Ok(None), &[b]);
        assert_eq!(
            status(&f, "s3.versioning_object_lock"),
            EvidenceStatus::Unknown
        );
        let f = evaluate(&Ok(None), &[]);
        assert_eq!(
            status(&f, "s3.default_encryption"),
            EvidenceStatus::NotApplicable
        );
    }

    #[test]
    fn tls_conditions_in_their_usual_shapes() {
        for v in [json!("false"), json!(false), json!(["false"])] {
            let doc = json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": v}}}]});
            assert!(policy_requires_tls(&doc));
        }
        let allow = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]});
        assert!(!policy_requires_tls(&allow));
        assert!(
            !policy_is_public(&allow),
            "a conditional allow is not treated as public"
        );
    }
}
