//! EKS: cluster API endpoints not open to the whole internet, control-plane
//! logs for the API server, audit and authenticator, and envelope
//! encryption of Kubernetes secrets.
//!
//! Since Kubernetes 1.28, EKS envelope-encrypts all Kubernetes API data
//! with an AWS owned KMS key by default; an `encryptionConfig` adds the
//! team's own key. So a 1.28+ cluster passes the secrets check unless the
//! team requires customer managed keys (`--require-kms`); an older cluster
//! needs an `encryptionConfig` for secrets.
//!
//! Calls per region: `ListClusters` (paginated), then `DescribeCluster`
//! per cluster.

use aws_sdk_eks::Client;
use aws_sdk_eks::types::LogType;
use futures::StreamExt;

use super::ServiceCtx;
use super::tally::{Noun, Tally};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use wasec_core::Text;

const A_LIST: &str = "eks:ListClusters";
const A_DESCRIBE: &str = "eks:DescribeCluster";

const CLUSTERS: Noun = Noun {
    en: "clusters",
    ja: "クラスター",
};
/// Control-plane log types a security investigation needs.
const NEEDED_LOGS: &[&str] = &["api", "audit", "authenticator"];
/// The first Kubernetes version EKS envelope-encrypts by default.
const DEFAULT_ENVELOPE: (u32, u32) = (1, 28);

#[derive(Debug, Clone, PartialEq)]
struct Described {
    arn: String,
    version: String,
    public_endpoint: bool,
    public_cidrs: Vec<String>,
    /// Enabled control-plane log types (lower case, as the API spells them).
    logs: Vec<String>,
    /// The customer key that encrypts secrets, if any.
    secrets_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Cluster {
    name: String,
    described: Result<Described, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let names: Vec<String> = client
        .list_clusters()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
    let mut clusters: Vec<Cluster> = futures::stream::iter(names)
        .map(|name| {
            let client = client.clone();
            async move {
                let described = client
                    .describe_cluster()
                    .name(&name)
                    .send()
                    .await
                    .map_err(|e| Failure::from_sdk(A_DESCRIBE, &e))
                    .map(|o| o.cluster().map(describe).unwrap_or_else(|| empty(&name)));
                Cluster { name, described }
            }
        })
        .buffered(4)
        .collect()
        .await;
    clusters.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(evaluate(&clusters, cx.settings.require_kms))
}

fn describe(c: &aws_sdk_eks::types::Cluster) -> Described {
    let vpc = c.resources_vpc_config();
    let mut logs: Vec<String> = c
        .logging()
        .map(|l| l.cluster_logging())
        .unwrap_or_default()
        .iter()
        .filter(|s| s.enabled() == Some(true))
        .flat_map(|s| s.types().iter().map(LogType::as_str))
        .map(str::to_string)
        .collect();
    logs.sort();
    logs.dedup();
    Described {
        arn: c.arn().unwrap_or_default().to_string(),
        version: c.version().unwrap_or_default().to_string(),
        public_endpoint: vpc.is_some_and(|v| v.endpoint_public_access()),
        public_cidrs: vpc
            .map(|v| v.public_access_cidrs().to_vec())
            .unwrap_or_default(),
        logs,
        secrets_key: c
            .encryption_config()
            .iter()
            .find(|e| e.resources().iter().any(|r| r == "secrets"))
            .and_then(|e| e.provider())
            .and_then(|p| p.key_arn())
            .map(str::to_string),
    }
}

fn empty(name: &str) -> Described {
    Described {
        arn: name.to_string(),
        version: String::new(),
        public_endpoint: false,
        public_cidrs: Vec::new(),
        logs: Vec::new(),
        secrets_key: None,
    }
}

fn evaluate(clusters: &[Cluster], require_cmk: bool) -> Vec<Finding> {
    vec![
        eval_endpoint(clusters),
        eval_logging(clusters),
        eval_secrets(clusters, require_cmk),
    ]
}

fn none() -> Text {
    tr!(
        "no EKS cluster in this region",
        "このリージョンに EKS クラスターはありません"
    )
}

/// Judge every described cluster with `problem`; read errors go to the tally.
fn judge_each(
    clusters: &[Cluster],
    public: bool,
    problem: impl Fn(&Described) -> Option<Text>,
) -> Tally {
    let mut t = Tally::new(CLUSTERS);
    for c in clusters {
        match &c.described {
            Ok(d) => t.judge(&d.arn, &c.name, problem(d), public),
            Err(f) => t.error(f),
        }
    }
    t
}

fn eval_endpoint(clusters: &[Cluster]) -> Finding {
    judge_each(clusters, true, |d| {
        // With public access on and no CIDR list, EKS allows 0.0.0.0/0.
        let open = d.public_endpoint
            && (d.public_cidrs.is_empty()
                || d.public_cidrs
                    .iter()
                    .any(|c| c == "0.0.0.0/0" || c == "::/0"));
        open.then(|| {
            let cidrs = if d.public_cidrs.is_empty() {
                "0.0.0.0/0".to_string()
            } else {
                d.public_cidrs.join(", ")
            };
            tr!(
                "endpointPublicAccess true, publicAccessCidrs {cidrs}",
                "endpointPublicAccess が true、publicAccessCidrs が {cidrs}"
            )
        })
    })
    .finish(
        CheckId::EksEndpointNotPublic,
        (
            "have an API endpoint open to the whole internet",
            "API エンドポイントをインターネット全体に公開しています",
        ),
        (
            "keep their API endpoint private or limited to known networks",
            "API エンドポイントを非公開にするか既知のネットワークに限定しています",
        ),
        none(),
    )
}

fn eval_logging(clusters: &[Cluster]) -> Finding {
    judge_each(clusters, false, |d| {
        let missing: Vec<&str> = NEEDED_LOGS
            .iter()
            .copied()
            .filter(|t| !d.logs.iter().any(|l| l == t))
            .collect();
        (!missing.is_empty()).then(|| {
            let m = missing.join(", ");
            tr!("{m} logs off", "{m} のログが無効")
        })
    })
    .finish(
        CheckId::EksControlPlaneLogging,
        (
            "do not send all of the API, audit and authenticator logs",
            "API・監査・認証のログの一部を送っていません",
        ),
        (
            "send API, audit and authenticator logs",
            "API・監査・認証のログを送っています",
        ),
        none(),
    )
}

/// `1.28` → (1, 28); `None` for an unreadable version.
fn version(v: &str) -> Option<(u32, u32)> {
    let (major, rest) = v.split_once('.')?;
    let minor: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((major.parse().ok()?, minor.parse().ok()?))
}

fn eval_secrets(clusters: &[Cluster], require_cmk: bool) -> Finding {
    judge_each(clusters, false, |d| {
        if d.secrets_key.is_some() {
            return None;
        }
        let v = d.version.as_str();
        let default_on = version(v).is_some_and(|x| x >= DEFAULT_ENVELOPE);
        match (default_on, require_cmk) {
            (true, false) => None,
            (true, true) => Some(tr!(
                "no encryptionConfig for secrets: Kubernetes {v} uses the AWS owned key, the team requires a customer managed key",
                "シークレットの encryptionConfig なし: Kubernetes {v} は AWS 所有キーを使用、チームはカスタマーマネージドキーを求めています"
            )),
            (false, _) => Some(tr!(
                "no encryptionConfig for secrets on Kubernetes {v} (before 1.28 EKS does not envelope-encrypt by default)",
                "Kubernetes {v} でシークレットの encryptionConfig なし（1.28 より前の EKS は既定でエンベロープ暗号化しません）"
            )),
        }
    })
    .finish(
        CheckId::EksSecretsEncrypted,
        (
            "do not envelope-encrypt secrets the way the team requires",
            "チームが求める方法でシークレットをエンベロープ暗号化していません",
        ),
        if require_cmk {
            (
                "envelope-encrypt secrets with the team's KMS key",
                "チームの KMS キーでシークレットをエンベロープ暗号化しています",
            )
        } else {
            (
                "envelope-encrypt secrets (the team's KMS key, or the EKS default since Kubernetes 1.28)",
                "シークレットをエンベロープ暗号化しています（チームの KMS キー、または Kubernetes 1.28 以降の EKS の既定）",
            )
        },
        none(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn cluster(name: &str, version: &str) -> Cluster {
        Cluster {
            name: name.into(),
            described: Ok(Described {
                arn: format!("arn:aws:eks:us-east-1:1:cluster/{name}"),
                version: version.into(),
                public_endpoint: false,
                public_cidrs: vec![],
                logs: NEEDED_LOGS.iter().map(|s| s.to_string()).collect(),
                secrets_key: Some("arn:aws:kms:us-east-1:1:key/k".into()),
            }),
        }
    }

    fn with(mut c: Cluster, f: impl FnOnce(&mut Described)) -> Cluster {
        f(c.described.as_mut().unwrap());
        c
    }

    #[test]
    fn endpoints_open_to_everyone_fail_as_public() {
        let open = with(cluster("open", "1.30"), |d| {
            d.public_endpoint = true;
            d.public_cidrs = vec!["0.0.0.0/0".into()];
        });
        let defaulted = with(cluster("defaulted", "1.30"), |d| d.public_endpoint = true);
        let office = with(cluster("office", "1.30"), |d| {
            d.public_endpoint = true;
            d.public_cidrs = vec!["203.0.113.0/24".into()];
        });
        let f = eval_endpoint(&[open, defaulted, office, cluster("private", "1.30")]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources.len(), 2);
        assert!(
            f.summary
                .en
                .contains("open (endpointPublicAccess true, publicAccessCidrs 0.0.0.0/0)"),
            "{}",
            f.summary.en
        );
        assert!(f.summary.en.starts_with("2 of 4 clusters"));
    }

    #[test]
    fn missing_log_types_are_named() {
        let partial = with(cluster("partial", "1.30"), |d| {
            d.logs = vec!["api".into(), "scheduler".into()]
        });
        let f = eval_logging(&[partial, cluster("full", "1.30")]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["arn:aws:eks:us-east-1:1:cluster/partial"]);
        assert!(
            f.summary
                .en
                .contains("partial (audit, authenticator logs off)"),
            "{}",
            f.summary.en
        );
    }

    #[test]
    fn secrets_encryption_follows_the_default_and_the_team_requirement() {
        let old = with(cluster("old", "1.27"), |d| d.secrets_key = None);
        let new = with(cluster("new", "1.31"), |d| d.secrets_key = None);
        let keyed = cluster("keyed", "1.27");
        let clusters = [old, new, keyed];
        let f = eval_secrets(&clusters, false);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["arn:aws:eks:us-east-1:1:cluster/old"]);
        assert!(
            f.summary
                .en
                .contains("old (no encryptionConfig for secrets on Kubernetes 1.27")
        );
        let f = eval_secrets(&clusters, true);
        assert_eq!(f.resources.len(), 2);
        assert!(f.summary.en.contains(
            "new (no encryptionConfig for secrets: Kubernetes 1.31 uses the AWS owned key"
        ));
        assert_eq!(
            eval_secrets(&clusters[1..], false).status,
            EvidenceStatus::Pass
        );
        assert_eq!(version("1.28"), Some((1, 28)));
        assert_eq!(version("1.9-eks"), Some((1, 9)));
        assert_eq!(version(""), None);
    }

    #[test]
    fn describe_errors_are_unknown() {
        let c = Cluster {
            name: "x".into(),
            described: Err(Failure::new(
                A_DESCRIBE,
                FailureKind::AccessDenied,
                "AccessDeniedException",
            )),
        };
        assert!(
            evaluate(&[c], false)
                .iter()
                .all(|f| f.status == EvidenceStatus::Unknown)
        );
        assert!(
            evaluate(&[], false)
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }
}
