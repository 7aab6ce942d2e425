//! EFS: file systems encrypted at rest, and file system policies that do
//! not let anyone in.
//!
//! Calls per region: `DescribeFileSystems` (paginated; carries the
//! encryption setting), then `DescribeFileSystemPolicy` per file system
//! ("PolicyNotFound" means the file system has no policy).
//!
//! A file system without a policy is not judged public here: without one,
//! EFS lets in whoever reaches a mount target over the network, which the
//! security-group checks look at, not anyone on the internet.

use aws_sdk_efs::Client;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use futures::StreamExt;

use super::ServiceCtx;
use super::tally::{Noun, Tally, open_policy};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use wasec_core::Text;

const A_LIST: &str = "elasticfilesystem:DescribeFileSystems";
const A_POLICY: &str = "elasticfilesystem:DescribeFileSystemPolicy";

const FILE_SYSTEMS: Noun = Noun {
    en: "file systems",
    ja: "ファイルシステム",
};

#[derive(Debug, Clone, PartialEq)]
struct FileSystem {
    arn: String,
    id: String,
    encrypted: bool,
    /// The policy text; `None` when the file system has none.
    policy: Result<Option<String>, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let list = client
        .describe_file_systems()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
    let mut systems: Vec<FileSystem> = futures::stream::iter(list)
        .map(|fs| {
            let client = client.clone();
            let (account, region) = (cx.account.clone(), cx.region.clone());
            async move {
                let id = fs.file_system_id().to_string();
                let policy = match client
                    .describe_file_system_policy()
                    .file_system_id(&id)
                    .send()
                    .await
                {
                    Ok(p) => Ok(p.policy().map(str::to_string)),
                    Err(e) if e.code() == Some("PolicyNotFound") => Ok(None),
                    Err(e) => Err(Failure::from_sdk(A_POLICY, &e)),
                };
                FileSystem {
                    arn: fs.file_system_arn().map(str::to_string).unwrap_or_else(|| {
                        format!("arn:aws:elasticfilesystem:{region}:{account}:file-system/{id}")
                    }),
                    encrypted: fs.encrypted().unwrap_or(false),
                    id,
                    policy,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    systems.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(evaluate(&systems))
}

fn evaluate(systems: &[FileSystem]) -> Vec<Finding> {
    vec![eval_encrypted(systems), eval_policy(systems)]
}

fn none() -> Text {
    tr!(
        "no EFS file system in this region",
        "このリージョンに EFS ファイルシステムはありません"
    )
}

fn eval_encrypted(systems: &[FileSystem]) -> Finding {
    let mut t = Tally::new(FILE_SYSTEMS);
    for fs in systems {
        t.judge(
            &fs.arn,
            &fs.id,
            (!fs.encrypted).then(|| tr!("Encrypted false", "Encrypted が false")),
            false,
        );
    }
    t.finish(
        CheckId::EfsEncrypted,
        ("are not encrypted at rest", "保管時に暗号化されていません"),
        ("are encrypted at rest", "保管時に暗号化されています"),
        none(),
    )
}

fn eval_policy(systems: &[FileSystem]) -> Finding {
    let mut t = Tally::new(FILE_SYSTEMS);
    for fs in systems {
        match &fs.policy {
            Ok(p) => {
                let problem = p.as_deref().and_then(open_policy);
                let public = problem.is_some();
                t.judge(&fs.arn, &fs.id, problem, public);
            }
            Err(f) => t.error(f),
        }
    }
    t.finish(
        CheckId::EfsPolicyNotPublic,
        (
            "let anyone in through their file system policy",
            "ファイルシステムポリシーで誰にでもアクセスを許可しています",
        ),
        (
            "have no file system policy that lets anyone in",
            "ファイルシステムポリシーで誰にでもアクセスを許可してはいません",
        ),
        none(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn fs(id: &str, encrypted: bool, policy: Option<&str>) -> FileSystem {
        FileSystem {
            arn: format!("arn:aws:elasticfilesystem:us-east-1:1:file-system/{id}"),
            id: id.into(),
            encrypted,
            policy: Ok(policy.map(str::to_string)),
        }
    }

    #[test]
    fn unencrypted_file_systems_fail_by_name() {
        let f = eval_encrypted(&[fs("fs-plain", false, None), fs("fs-enc", true, None)]);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec!["arn:aws:elasticfilesystem:us-east-1:1:file-system/fs-plain"]
        );
        assert!(f.summary.en.contains("fs-plain (Encrypted false)"));
        assert_eq!(
            eval_encrypted(&[fs("fs-enc", true, None)]).status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn open_policies_fail_as_public_and_scoped_ones_pass() {
        let open = r#"{"Statement":[{"Sid":"all","Effect":"Allow","Principal":{"AWS":"*"},"Action":["elasticfilesystem:ClientMount","elasticfilesystem:ClientWrite"]}]}"#;
        let scoped = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:role/app"},"Action":"elasticfilesystem:ClientMount"}]}"#;
        let systems = [
            fs("fs-open", true, Some(open)),
            fs("fs-app", true, Some(scoped)),
            fs("fs-none", true, None),
        ];
        let f = eval_policy(&systems);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources.len(), 1);
        assert!(f.summary.en.contains("fs-open (Policy statement \"all\" (elasticfilesystem:ClientMount, elasticfilesystem:ClientWrite) open to anyone)"), "{}", f.summary.en);
        assert_eq!(eval_policy(&systems[1..]).status, EvidenceStatus::Pass);
        let mut denied = fs("fs-x", true, None);
        denied.policy = Err(Failure::new(
            A_POLICY,
            FailureKind::AccessDenied,
            "AccessDeniedException",
        ));
        assert_eq!(eval_policy(&[denied]).status, EvidenceStatus::Unknown);
        assert!(
            evaluate(&[])
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }
}
