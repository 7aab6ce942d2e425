//! S3: account Block Public Access (S3 Control) and per-bucket settings.
//! Per-bucket calls are the biggest request cost of a run, so calls whose
//! answer is already decided are skipped: the bucket's own Block Public
//! Access is read only when the account's does not already block
//! everything, and the ACL only when ACLs are still in effect.
//!
//! Encryption at rest: since January 2023 S3 encrypts every new object
//! (SSE-S3 at least), so "has default encryption" cannot fail on AWS. What
//! `s3.default_encryption` proves is that buckets whose policy demands
//! SSE-KMS uploads (or every bucket, when the team requires customer
//! managed keys) default to SSE-KMS; its summary says how many do.

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::clients::Clients;
use crate::tr;
use crate::util::{self, sample, statements};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::StreamExt;
use serde_json::Value;
use std::collections::BTreeMap;
use wasec_core::Text;
use wasec_core::review::EvidenceStatus;

const A_LIST: &str = "s3:ListAllMyBuckets";

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

    fn off(self) -> Vec<&'static str> {
        [
            (self.block_public_acls, "BlockPublicAcls"),
            (self.ignore_public_acls, "IgnorePublicAcls"),
            (self.block_public_policy, "BlockPublicPolicy"),
            (self.restrict_public_buckets, "RestrictPublicBuckets"),
        ]
        .into_iter()
        .filter(|(on, _)| !on)
        .map(|(_, n)| n)
        .collect()
    }
}

/// Who a public ACL grants to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicAcl {
    None,
    AllUsers,
    AuthenticatedUsers,
}

/// What was learnt about one bucket; `Err` keeps why a value is unknown.
#[derive(Debug, Clone)]
pub struct Bucket {
    pub name: String,
    pub policy: Result<Option<Value>, Failure>,
    /// `Ok(None)` when the bucket has no configuration of its own.
    pub bpa: Result<Option<Bpa>, Failure>,
    /// Public grants (`None` = not read, ACLs do not apply).
    pub public_acl: Result<Option<PublicAcl>, Failure>,
    /// Object Ownership setting (`None` when none is set: ACLs apply).
    pub ownership: Result<Option<String>, Failure>,
    /// Default encryption algorithm; `None` when no configuration is
    /// returned (emulators; AWS applies SSE-S3 to every bucket).
    pub encryption: Result<Option<String>, Failure>,
    /// `Enabled`, `Suspended`, or `None` when never enabled.
    pub versioning: Result<Option<String>, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let s3: aws_sdk_s3::Client = cx.client();
    let account_bpa = account_bpa(cx).await;
    let listed = match list_buckets(&s3).await {
        Ok(b) => b,
        Err(f) => {
            // The account setting does not need the bucket list.
            let mut out = vec![account_bpa_finding(&account_bpa)];
            out.extend(f.findings(&[
                CheckId::S3BucketNotPublic,
                CheckId::S3DefaultEncryption,
                CheckId::S3VersioningObjectLock,
                CheckId::S3TlsOnlyPolicy,
                CheckId::S3AclsDisabled,
            ]));
            return Ok(out);
        }
    };
    let block = account_bpa
        .as_ref()
        .ok()
        .copied()
        .flatten()
        .unwrap_or_default();
    let emulator = cx.aws.fixed_endpoint().is_some();
    let home = cx.aws.region().map(str::to_string);
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
                        .or_insert_with(|| cx.aws.for_region(&r).client())
                        .clone(),
                ),
                None => None,
            };
            let (s3, aws) = (s3.clone(), &cx.aws);
            async move {
                let client = match known {
                    Some(c) => c,
                    None => bucket_client(&s3, aws, &name).await,
                };
                bucket(&client, name, block).await
            }
        })
        .collect();
    let mut buckets: Vec<Bucket> = futures::stream::iter(tasks)
        .buffer_unordered(8)
        .collect()
        .await;
    // Completion order varies from run to run; the review must not.
    buckets.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(evaluate(&account_bpa, &buckets, cx.settings.require_kms))
}

/// A client in the bucket's region, found with `GetBucketLocation`.
async fn bucket_client(s3: &aws_sdk_s3::Client, aws: &Clients, name: &str) -> aws_sdk_s3::Client {
    match s3.get_bucket_location().bucket(name).send().await {
        Ok(o) => {
            // An empty location constraint means us-east-1.
            let r = o
                .location_constraint()
                .map(|c| c.as_str().to_string())
                .filter(|r| !r.is_empty());
            aws.for_region(r.as_deref().unwrap_or("us-east-1")).client()
        }
        Err(_) => s3.clone(),
    }
}

async fn account_bpa(cx: &ServiceCtx) -> Result<Option<Bpa>, Failure> {
    let client: aws_sdk_s3control::Client = cx.client();
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
        Err(e) if e.code() == Some("NoSuchPublicAccessBlockConfiguration") => Ok(None),
        Err(e) => Err(Failure::from_sdk("s3:GetAccountPublicAccessBlock", &e)),
    }
}

async fn list_buckets(s3: &aws_sdk_s3::Client) -> Result<Vec<(String, Option<String>)>, Failure> {
    let mut pages = s3.list_buckets().into_paginator().send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        let page = page.map_err(|e| Failure::from_sdk(A_LIST, &e))?;
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
            Err(e) if e.code() == Some("NoSuchBucketPolicy") => Ok(None),
            Err(e) => Err(Failure::from_sdk("s3:GetBucketPolicy", &e)),
        }
    };
    let encryption = async {
        match s3.get_bucket_encryption().bucket(n).send().await {
            Ok(o) => Ok(o
                .server_side_encryption_configuration()
                .and_then(|c| c.rules().first())
                .and_then(|r| r.apply_server_side_encryption_by_default())
                .map(|d| d.sse_algorithm().as_str().to_string())),
            Err(e) if e.code() == Some("ServerSideEncryptionConfigurationNotFoundError") => {
                Ok(None)
            }
            Err(e) => Err(Failure::from_sdk("s3:GetEncryptionConfiguration", &e)),
        }
    };
    let versioning = async {
        s3.get_bucket_versioning()
            .bucket(n)
            .send()
            .await
            .map(|o| o.status().map(|s| s.as_str().to_string()))
            .map_err(|e| Failure::from_sdk("s3:GetBucketVersioning", &e))
    };
    let ownership = async {
        match s3.get_bucket_ownership_controls().bucket(n).send().await {
            Ok(o) => Ok(o
                .ownership_controls()
                .and_then(|c| c.rules().first())
                .map(|r| r.object_ownership().as_str().to_string())),
            Err(e) if e.code() == Some("OwnershipControlsNotFoundError") => Ok(None),
            Err(e) => Err(Failure::from_sdk("s3:GetBucketOwnershipControls", &e)),
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
            Err(e) if e.code() == Some("NoSuchPublicAccessBlockConfiguration") => Ok(None),
            Err(e) => Err(Failure::from_sdk("s3:GetBucketPublicAccessBlock", &e)),
        }
    };
    let (policy, encryption, versioning, ownership, bpa) =
        tokio::join!(policy, encryption, versioning, ownership, bpa);
    // ACL grants matter only when ACLs are in effect and not ignored.
    let ignored = account.ignore_public_acls
        || matches!(&ownership, Ok(Some(o)) if o == "BucketOwnerEnforced")
        || matches!(bpa, Ok(Some(b)) if b.ignore_public_acls);
    let public_acl = if ignored {
        Ok(None)
    } else {
        s3.get_bucket_acl()
            .bucket(n)
            .send()
            .await
            .map(|o| {
                let uris: Vec<&str> = o
                    .grants()
                    .iter()
                    .filter_map(|g| g.grantee().and_then(|x| x.uri()))
                    .collect();
                Some(if uris.iter().any(|u| u.ends_with("/global/AllUsers")) {
                    PublicAcl::AllUsers
                } else if uris
                    .iter()
                    .any(|u| u.ends_with("/global/AuthenticatedUsers"))
                {
                    PublicAcl::AuthenticatedUsers
                } else {
                    PublicAcl::None
                })
            })
            .map_err(|e| Failure::from_sdk("s3:GetBucketAcl", &e))
    };
    Bucket {
        name,
        policy,
        bpa,
        public_acl,
        ownership,
        encryption,
        versioning,
    }
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

/// A Deny statement that refuses uploads not encrypted with KMS: a
/// condition on `s3:x-amz-server-side-encryption` naming `aws:kms`, or on
/// the KMS key id header.
pub fn policy_requires_kms(doc: &Value) -> bool {
    statements(doc).into_iter().any(|s| {
        s.get("Effect").and_then(Value::as_str) == Some("Deny")
            && s.get("Condition")
                .and_then(Value::as_object)
                .is_some_and(|ops| {
                    ops.values().filter_map(Value::as_object).any(|keys| {
                        keys.iter().any(|(k, v)| {
                            let k = k.to_ascii_lowercase();
                            k == "s3:x-amz-server-side-encryption-aws-kms-key-id"
                                || (k == "s3:x-amz-server-side-encryption"
                                    && util::strings(Some(v))
                                        .iter()
                                        .any(|x| x.starts_with("aws:kms")))
                        })
                    })
                })
    })
}

fn account_bpa_finding(a: &Result<Option<Bpa>, Failure>) -> Finding {
    let id = CheckId::S3AccountPublicAccessBlock;
    match a {
        Err(f) => f.finding(id),
        Ok(Some(b)) if b.all() => Finding::pass(
            id,
            tr!(
                "account-level Block Public Access: all four settings on",
                "アカウントレベルのブロックパブリックアクセス: 4 設定すべて有効"
            ),
        ),
        Ok(Some(b)) => {
            let off = b.off().join(", ");
            Finding::fail(
                id,
                tr!(
                    "account-level Block Public Access is only partly on (off: {off})",
                    "アカウントレベルのブロックパブリックアクセスが一部のみ有効です（無効: {off}）"
                ),
            )
        }
        Ok(None) => Finding::fail(
            id,
            tr!(
                "account-level Block Public Access is not configured",
                "アカウントレベルのブロックパブリックアクセスが設定されていません"
            ),
        ),
    }
}

fn arn(name: &str) -> String {
    format!("arn:aws:s3:::{name}")
}

/// What one bucket is for a check: fine, failing for a reason, or unknown.
enum Verdict {
    Ok,
    Fail(Text),
    Unknown(Failure),
}

/// One finding per check over all buckets (sorted by name): fail lists the
/// failing buckets with the property; a bucket whose value is unknown makes
/// the check unknown when nothing failed.
fn per_bucket(
    id: CheckId,
    buckets: &[Bucket],
    verdict: impl Fn(&Bucket) -> Verdict,
    fail: (&str, &str),
    pass: Text,
) -> Finding {
    if buckets.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "the account has no S3 buckets",
                "このアカウントに S3 バケットはありません"
            ),
        );
    }
    let n = buckets.len();
    let mut failing: Vec<(&str, Text)> = Vec::new();
    let mut unknown: Option<(usize, Failure)> = None;
    for b in buckets {
        match verdict(b) {
            Verdict::Ok => {}
            Verdict::Fail(why) => failing.push((&b.name, why)),
            Verdict::Unknown(f) => unknown = Some((unknown.map_or(1, |(k, _)| k + 1), f)),
        }
    }
    if !failing.is_empty() {
        let bad = failing.len();
        let en: Vec<String> = failing
            .iter()
            .map(|(b, w)| format!("{b} ({})", w.en))
            .collect();
        let ja: Vec<String> = failing
            .iter()
            .map(|(b, w)| format!("{b}({})", w.ja))
            .collect();
        let (list_en, list_ja) = (sample(&en, 5), sample(&ja, 5));
        let (fail_en, fail_ja) = fail;
        return Finding::fail(
            id,
            tr!(
                "{bad} of {n} buckets {fail_en}: {list_en}",
                "バケット {n} 個中 {bad} 個が{fail_ja}: {list_ja}"
            ),
        )
        .with_resources(failing.iter().map(|(b, _)| arn(b)));
    }
    if let Some((k, f)) = unknown {
        let s = f.summary();
        let (en, ja) = (s.en, s.ja);
        return Finding::unknown(
            id,
            tr!(
                "{en} ({k} of {n} buckets)",
                "{ja}（バケット {n} 個中 {k} 個）"
            ),
        );
    }
    let (en, ja) = (pass.en, pass.ja);
    Finding::pass(id, tr!("{en} ({n} buckets)", "{ja}（バケット {n} 個）"))
}

/// A `Result` field as a verdict input.
macro_rules! read {
    ($e:expr) => {
        match &$e {
            Ok(v) => v,
            Err(f) => return Verdict::Unknown(f.clone()),
        }
    };
}

fn not_public(b: &Bucket, acct: Bpa) -> Verdict {
    let own = read!(b.bpa).unwrap_or_default();
    let restricted = acct.restrict_public_buckets || own.restrict_public_buckets;
    let by_policy = match read!(b.policy) {
        Some(doc) => util::policy_is_public(doc) && !restricted,
        None => false,
    };
    let by_acl = *read!(b.public_acl);
    match (by_policy, by_acl) {
        (true, _) => Verdict::Fail(tr!(
            "bucket policy allows anyone",
            "バケットポリシーが誰にでも許可"
        )),
        (false, Some(PublicAcl::AllUsers)) => {
            Verdict::Fail(tr!("ACL grants AllUsers", "ACL が AllUsers に付与"))
        }
        (false, Some(PublicAcl::AuthenticatedUsers)) => Verdict::Fail(tr!(
            "ACL grants AuthenticatedUsers",
            "ACL が AuthenticatedUsers に付与"
        )),
        _ => Verdict::Ok,
    }
}

fn encryption(b: &Bucket, team_requires_kms: bool) -> Verdict {
    let algo = read!(b.encryption);
    let policy = read!(b.policy);
    let kms = algo.as_deref().is_some_and(|a| a.starts_with("aws:kms"));
    let by_policy = policy.as_ref().is_some_and(policy_requires_kms);
    let current = algo
        .clone()
        .unwrap_or_else(|| "SSE-S3 (S3 default)".to_string());
    match (kms, by_policy, team_requires_kms) {
        (false, true, _) => Verdict::Fail(tr!(
            "policy requires SSE-KMS, default is {current}",
            "ポリシーは SSE-KMS を要求、デフォルトは {current}"
        )),
        (false, false, true) => Verdict::Fail(tr!(
            "team requires SSE-KMS, default is {current}",
            "チームは SSE-KMS を要求、デフォルトは {current}"
        )),
        _ => Verdict::Ok,
    }
}

/// Findings for the account and its buckets (sorted by name).
pub fn evaluate(
    account: &Result<Option<Bpa>, Failure>,
    buckets: &[Bucket],
    team_requires_kms: bool,
) -> Vec<Finding> {
    let acct = account.as_ref().ok().copied().flatten().unwrap_or_default();
    let mut public = per_bucket(
        CheckId::S3BucketNotPublic,
        buckets,
        |b| not_public(b, acct),
        ("are public", "公開されています"),
        tr!("no bucket is public", "公開されているバケットはありません"),
    );
    if public.status == EvidenceStatus::Fail {
        public = public.public(true);
    }
    let kms = buckets
        .iter()
        .filter(|b| matches!(&b.encryption, Ok(Some(a)) if a.starts_with("aws:kms")))
        .count();
    let required = buckets
        .iter()
        .filter(|b| team_requires_kms || matches!(&b.policy, Ok(Some(p)) if policy_requires_kms(p)))
        .count();
    let encryption_pass = if team_requires_kms {
        tr!(
            "every bucket defaults to SSE-KMS, as the team requires",
            "チームの要求どおり、すべてのバケットのデフォルトが SSE-KMS です"
        )
    } else {
        tr!(
            "every bucket encrypts new objects at rest (S3 applies SSE-S3 by default since January 2023); {kms} default to SSE-KMS, and the {required} whose policy requires SSE-KMS default to it",
            "すべてのバケットが新しいオブジェクトを保管時に暗号化しています（2023 年 1 月以降 S3 は SSE-S3 を既定で適用）。{kms} 個のデフォルトが SSE-KMS で、ポリシーで SSE-KMS を要求する {required} 個はすべて SSE-KMS がデフォルトです"
        )
    };
    vec![
        account_bpa_finding(account),
        public,
        per_bucket(
            CheckId::S3DefaultEncryption,
            buckets,
            |b| encryption(b, team_requires_kms),
            (
                "must default to SSE-KMS but do not",
                "SSE-KMS がデフォルトであるべきなのにそうなっていません",
            ),
            encryption_pass,
        ),
        per_bucket(
            CheckId::S3VersioningObjectLock,
            buckets,
            |b| match read!(b.versioning).as_deref() {
                Some("Enabled") => Verdict::Ok,
                Some(other) => Verdict::Fail(tr!("versioning {other}", "バージョニング {other}")),
                None => Verdict::Fail(tr!("versioning never enabled", "バージョニング未設定")),
            },
            ("have versioning off", "バージョニングが無効です"),
            tr!(
                "every bucket has versioning on",
                "すべてのバケットでバージョニングが有効です"
            ),
        ),
        per_bucket(
            CheckId::S3TlsOnlyPolicy,
            buckets,
            |b| match read!(b.policy) {
                Some(p) if policy_requires_tls(p) => Verdict::Ok,
                Some(_) => Verdict::Fail(tr!(
                    "policy has no aws:SecureTransport deny",
                    "ポリシーに aws:SecureTransport の拒否がない"
                )),
                None => Verdict::Fail(tr!("no bucket policy", "バケットポリシーなし")),
            },
            (
                "do not deny requests without TLS",
                "TLS を使わないリクエストを拒否していません",
            ),
            tr!(
                "every bucket policy denies requests without TLS",
                "すべてのバケットポリシーが TLS を使わないリクエストを拒否しています"
            ),
        ),
        per_bucket(
            CheckId::S3AclsDisabled,
            buckets,
            |b| match read!(b.ownership).as_deref() {
                Some("BucketOwnerEnforced") => Verdict::Ok,
                Some(other) => {
                    Verdict::Fail(tr!("ObjectOwnership {other}", "ObjectOwnership {other}"))
                }
                None => Verdict::Fail(tr!(
                    "no ObjectOwnership setting",
                    "ObjectOwnership の設定なし"
                )),
            },
            ("still use ACLs", "ACL を使っています"),
            tr!(
                "every bucket has ACLs disabled",
                "すべてのバケットで ACL が無効です"
            ),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use serde_json::json;

    const TLS: &str = r#"{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}"#;
    const KMS_ONLY: &str = r#"{"Effect": "Deny", "Principal": "*", "Action": "s3:PutObject", "Resource": "*", "Condition": {"StringNotEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}}}"#;

    fn doc(statements: &[&str]) -> Value {
        serde_json::from_str(&format!(r#"{{"Statement": [{}]}}"#, statements.join(","))).unwrap()
    }

    fn good(name: &str) -> Bucket {
        Bucket {
            name: name.into(),
            policy: Ok(Some(doc(&[TLS]))),
            bpa: Ok(None),
            public_acl: Ok(None),
            ownership: Ok(Some("BucketOwnerEnforced".into())),
            encryption: Ok(Some("AES256".into())),
            versioning: Ok(Some("Enabled".into())),
        }
    }

    fn finding(f: &[Finding], id: CheckId) -> &Finding {
        f.iter().find(|x| x.check == id).unwrap()
    }

    const ON: Bpa = Bpa {
        block_public_acls: true,
        ignore_public_acls: true,
        block_public_policy: true,
        restrict_public_buckets: true,
    };

    #[test]
    fn secure_buckets_pass_and_insecure_ones_fail_by_name_and_property() {
        let f = evaluate(&Ok(Some(ON)), &[good("a"), good("b")], false);
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Pass), "{f:?}");

        let mut bad = good("open");
        bad.policy = Ok(Some(
            json!({"Statement": {"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "*"}}),
        ));
        bad.versioning = Ok(Some("Suspended".into()));
        bad.ownership = Ok(Some("ObjectWriter".into()));
        bad.public_acl = Ok(Some(PublicAcl::None));
        let f = evaluate(&Ok(None), &[good("a"), bad.clone()], false);
        assert_eq!(
            finding(&f, CheckId::S3AccountPublicAccessBlock).status,
            EvidenceStatus::Fail
        );
        for (id, why) in [
            (
                CheckId::S3BucketNotPublic,
                "open (bucket policy allows anyone)",
            ),
            (
                CheckId::S3VersioningObjectLock,
                "open (versioning Suspended)",
            ),
            (
                CheckId::S3TlsOnlyPolicy,
                "open (policy has no aws:SecureTransport deny)",
            ),
            (
                CheckId::S3AclsDisabled,
                "open (ObjectOwnership ObjectWriter)",
            ),
        ] {
            let x = finding(&f, id);
            assert_eq!(x.status, EvidenceStatus::Fail, "{id}");
            assert_eq!(x.resources, vec!["arn:aws:s3:::open".to_string()], "{id}");
            assert!(x.summary.en.contains(why), "{id}: {}", x.summary.en);
        }
        // SSE-S3 is not a failure when nothing asks for SSE-KMS.
        assert_eq!(
            finding(&f, CheckId::S3DefaultEncryption).status,
            EvidenceStatus::Pass
        );
        assert!(finding(&f, CheckId::S3BucketNotPublic).public);
        // The account setting neutralises the public policy.
        let f = evaluate(&Ok(Some(ON)), &[bad], false);
        assert_eq!(
            finding(&f, CheckId::S3BucketNotPublic).status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn sse_kms_is_judged_where_a_policy_or_the_team_requires_it() {
        // A policy requiring SSE-KMS uploads, but the default is SSE-S3: fail.
        let mut weak = good("weak");
        weak.policy = Ok(Some(doc(&[TLS, KMS_ONLY])));
        // Its compliant twin defaults to SSE-KMS.
        let mut twin = good("twin");
        twin.policy = Ok(Some(doc(&[TLS, KMS_ONLY])));
        twin.encryption = Ok(Some("aws:kms".into()));
        let f = evaluate(&Ok(Some(ON)), &[good("plain"), twin.clone(), weak], false);
        let x = finding(&f, CheckId::S3DefaultEncryption);
        assert_eq!(x.status, EvidenceStatus::Fail);
        assert_eq!(x.resources, vec!["arn:aws:s3:::weak"]);
        assert!(
            x.summary
                .en
                .contains("policy requires SSE-KMS, default is AES256"),
            "{}",
            x.summary.en
        );
        let f = evaluate(&Ok(Some(ON)), &[good("plain"), twin.clone()], false);
        let x = finding(&f, CheckId::S3DefaultEncryption);
        assert_eq!(x.status, EvidenceStatus::Pass);
        assert!(
            x.summary.en.contains("1 default to SSE-KMS"),
            "{}",
            x.summary.en
        );
        assert!(x.summary.en.contains("since January 2023"));
        // The team requires customer managed keys everywhere.
        let f = evaluate(&Ok(Some(ON)), &[good("plain"), twin], true);
        let x = finding(&f, CheckId::S3DefaultEncryption);
        assert_eq!(x.status, EvidenceStatus::Fail);
        assert_eq!(x.resources, vec!["arn:aws:s3:::plain"]);
        // No configuration returned (an emulator): S3's own default.
        let mut none = good("none");
        none.encryption = Ok(None);
        none.policy = Ok(Some(doc(&[TLS, KMS_ONLY])));
        let f = evaluate(&Ok(Some(ON)), &[none], false);
        assert!(
            finding(&f, CheckId::S3DefaultEncryption)
                .summary
                .en
                .contains("SSE-S3 (S3 default)")
        );
        assert!(policy_requires_kms(&doc(&[KMS_ONLY])));
        assert!(!policy_requires_kms(&doc(&[TLS])));
    }

    #[test]
    fn unknowns_and_empty_accounts() {
        let mut b = good("x");
        b.versioning = Err(Failure::new(
            "s3:GetBucketVersioning",
            FailureKind::AccessDenied,
            "AccessDenied",
        ));
        let f = evaluate(&Ok(None), &[b, good("y")], false);
        let x = finding(&f, CheckId::S3VersioningObjectLock);
        assert_eq!(x.status, EvidenceStatus::Unknown);
        assert!(x.summary.en.contains("(1 of 2 buckets)"));
        let f = evaluate(&Ok(None), &[], false);
        assert_eq!(
            finding(&f, CheckId::S3DefaultEncryption).status,
            EvidenceStatus::NotApplicable
        );
        assert_eq!(f.len(), crate::check::Service::S3.checks().count());
    }

    #[test]
    fn tls_conditions_in_their_usual_shapes() {
        for v in [json!("false"), json!(false), json!(["false"])] {
            let doc = json!({"Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": v}}}]});
            assert!(policy_requires_tls(&doc));
        }
        let allow = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]});
        assert!(!policy_requires_tls(&allow));
        // Requiring TLS does not limit who gets in: still public.
        assert!(util::policy_is_public(&allow));
        let org = json!({"Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-1"}}}]});
        assert!(!util::policy_is_public(&org));
    }
}
