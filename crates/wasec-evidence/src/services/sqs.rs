//! SQS: queues encrypted at rest (SSE-SQS or SSE-KMS; where the team
//! requires customer managed keys, SSE-SQS and the AWS managed
//! `alias/aws/sqs` key are not enough), and queue policies that do not let
//! anyone in.
//!
//! Calls per region: `ListQueues` (paginated), then `GetQueueAttributes`
//! per queue for the attributes these checks read.

use std::collections::HashMap;

use aws_sdk_sqs::Client;
use aws_sdk_sqs::types::QueueAttributeName as Attr;
use futures::StreamExt;

use super::ServiceCtx;
use super::tally::{Noun, Tally, open_policy};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use wasec_core::Text;

const A_LIST: &str = "sqs:ListQueues";
const A_ATTRS: &str = "sqs:GetQueueAttributes";

const QUEUES: Noun = Noun {
    en: "queues",
    ja: "キュー",
};
/// The AWS managed key of SQS.
const AWS_MANAGED_KEY: &str = "alias/aws/sqs";

#[derive(Debug, Clone, PartialEq)]
struct Queue {
    url: String,
    attrs: Result<HashMap<String, String>, Failure>,
}

impl Queue {
    fn name(&self) -> &str {
        self.url.rsplit('/').next().unwrap_or(&self.url)
    }

    /// The queue ARN when it was read, else its URL.
    fn id(&self) -> &str {
        self.attrs
            .as_ref()
            .ok()
            .and_then(|a| a.get("QueueArn"))
            .map(String::as_str)
            .unwrap_or(&self.url)
    }
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let urls: Vec<String> = client
        .list_queues()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
    let mut queues: Vec<Queue> = futures::stream::iter(urls)
        .map(|url| {
            let client = client.clone();
            async move {
                let attrs = client
                    .get_queue_attributes()
                    .queue_url(&url)
                    .attribute_names(Attr::QueueArn)
                    .attribute_names(Attr::KmsMasterKeyId)
                    .attribute_names(Attr::SqsManagedSseEnabled)
                    .attribute_names(Attr::Policy)
                    .send()
                    .await
                    .map(|o| {
                        o.attributes()
                            .map(|m| {
                                m.iter()
                                    .map(|(k, v)| (k.as_str().to_string(), v.clone()))
                                    .collect()
                            })
                            .unwrap_or_default()
                    })
                    .map_err(|e| Failure::from_sdk(A_ATTRS, &e));
                Queue { url, attrs }
            }
        })
        .buffered(4)
        .collect()
        .await;
    queues.sort_by(|a, b| a.url.cmp(&b.url));
    Ok(evaluate(&queues, cx.settings.require_kms))
}

fn evaluate(queues: &[Queue], require_cmk: bool) -> Vec<Finding> {
    vec![eval_encryption(queues, require_cmk), eval_policy(queues)]
}

fn none() -> Text {
    tr!(
        "no SQS queue in this region",
        "このリージョンに SQS キューはありません"
    )
}

/// What protects a queue at rest, and whether it is good enough.
fn encryption_problem(attrs: &HashMap<String, String>, require_cmk: bool) -> Option<Text> {
    let key = attrs
        .get("KmsMasterKeyId")
        .map(String::as_str)
        .filter(|k| !k.is_empty());
    let sse_sqs = attrs
        .get("SqsManagedSseEnabled")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    match key {
        Some(k) if require_cmk && k == AWS_MANAGED_KEY => Some(tr!(
            "KmsMasterKeyId is the AWS managed key {AWS_MANAGED_KEY}, the team requires a customer managed key",
            "KmsMasterKeyId が AWS マネージドキー {AWS_MANAGED_KEY}（チームはカスタマーマネージドキーを求めています）"
        )),
        Some(_) => None,
        None if sse_sqs && require_cmk => Some(tr!(
            "SSE-SQS only (SqsManagedSseEnabled true, KmsMasterKeyId unset), the team requires a customer managed key",
            "SSE-SQS のみ（SqsManagedSseEnabled が true、KmsMasterKeyId が未設定）、チームはカスタマーマネージドキーを求めています"
        )),
        None if sse_sqs => None,
        None => Some(tr!(
            "SqsManagedSseEnabled false and KmsMasterKeyId unset",
            "SqsManagedSseEnabled が false で KmsMasterKeyId が未設定"
        )),
    }
}

fn eval_encryption(queues: &[Queue], require_cmk: bool) -> Finding {
    let mut t = Tally::new(QUEUES);
    for q in queues {
        match &q.attrs {
            Ok(a) => t.judge(q.id(), q.name(), encryption_problem(a, require_cmk), false),
            Err(f) => t.error(f),
        }
    }
    let (pass_en, pass_ja) = if require_cmk {
        (
            "are encrypted with a customer managed KMS key",
            "カスタマーマネージドキーで暗号化されています",
        )
    } else {
        (
            "are encrypted at rest (SSE-SQS or SSE-KMS)",
            "保管時に暗号化されています（SSE-SQS または SSE-KMS）",
        )
    };
    t.finish(
        CheckId::SqsEncrypted,
        (
            "are not encrypted at rest the way the team requires",
            "チームが求める方法で保管時に暗号化されていません",
        ),
        (pass_en, pass_ja),
        none(),
    )
}

fn eval_policy(queues: &[Queue]) -> Finding {
    let mut t = Tally::new(QUEUES);
    for q in queues {
        match &q.attrs {
            Ok(a) => {
                let problem = a.get("Policy").and_then(|p| open_policy(p));
                let public = problem.is_some();
                t.judge(q.id(), q.name(), problem, public);
            }
            Err(f) => t.error(f),
        }
    }
    t.finish(
        CheckId::SqsPolicyNotPublic,
        (
            "let anyone in through their queue policy",
            "キューポリシーで誰にでもアクセスを許可しています",
        ),
        (
            "have queue policies that do not let anyone in",
            "キューポリシーで誰にでもアクセスを許可してはいません",
        ),
        none(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn queue(name: &str, attrs: &[(&str, &str)]) -> Queue {
        let mut a: HashMap<String, String> = attrs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        a.insert("QueueArn".into(), format!("arn:aws:sqs:us-east-1:1:{name}"));
        Queue {
            url: format!("https://sqs.us-east-1.amazonaws.com/1/{name}"),
            attrs: Ok(a),
        }
    }

    #[test]
    fn unencrypted_queues_fail_and_sse_sqs_fails_only_where_cmk_is_required() {
        let queues = [
            queue("plain", &[("SqsManagedSseEnabled", "false")]),
            queue("sse-sqs", &[("SqsManagedSseEnabled", "true")]),
            queue("aws-key", &[("KmsMasterKeyId", AWS_MANAGED_KEY)]),
            queue(
                "cmk",
                &[("KmsMasterKeyId", "arn:aws:kms:us-east-1:1:key/k")],
            ),
        ];
        let f = eval_encryption(&queues, false);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["arn:aws:sqs:us-east-1:1:plain"]);
        assert!(
            f.summary
                .en
                .contains("plain (SqsManagedSseEnabled false and KmsMasterKeyId unset)"),
            "{}",
            f.summary.en
        );
        let f = eval_encryption(&queues, true);
        assert_eq!(f.resources.len(), 3);
        assert!(f.summary.en.contains("sse-sqs (SSE-SQS only"));
        assert_eq!(
            eval_encryption(&queues[3..], true).status,
            EvidenceStatus::Pass
        );
        assert_eq!(
            eval_encryption(&queues[1..], false).status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn open_queue_policies_fail_as_public() {
        let open = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sqs:SendMessage"}]}"#;
        let from_topic = r#"{"Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage",
            "Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:1:t"}}}]}"#;
        let queues = [
            queue("open", &[("Policy", open)]),
            queue("fed", &[("Policy", from_topic)]),
        ];
        let f = eval_policy(&queues);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources, vec!["arn:aws:sqs:us-east-1:1:open"]);
        assert!(
            f.summary
                .en
                .contains("open (Policy statement #1 (sqs:SendMessage) open to anyone)"),
            "{}",
            f.summary.en
        );
        assert_eq!(eval_policy(&queues[1..]).status, EvidenceStatus::Pass);
    }

    #[test]
    fn unreadable_queues_are_unknown_and_named_by_url() {
        let q = Queue {
            url: "https://sqs.us-east-1.amazonaws.com/1/q".into(),
            attrs: Err(Failure::new(
                A_ATTRS,
                FailureKind::AccessDenied,
                "AccessDenied",
            )),
        };
        assert_eq!(q.id(), q.url);
        assert!(
            evaluate(&[q], false)
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
