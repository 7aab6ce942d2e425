//! SNS: topics encrypted at rest with a KMS key (SNS stores messages
//! unencrypted unless a key is set; where the team requires customer
//! managed keys, the AWS managed `alias/aws/sns` key is not enough), and
//! topic policies that do not let anyone in.
//!
//! Calls per region: `ListTopics` (paginated), then `GetTopicAttributes`
//! per topic (it carries both the key and the policy).

use std::collections::HashMap;

use aws_sdk_sns::Client;
use futures::StreamExt;

use super::ServiceCtx;
use super::tally::{Noun, Tally, open_policy};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use wasec_core::Text;

const A_LIST: &str = "sns:ListTopics";
const A_ATTRS: &str = "sns:GetTopicAttributes";

const TOPICS: Noun = Noun {
    en: "topics",
    ja: "トピック",
};
/// The AWS managed key of SNS.
const AWS_MANAGED_KEY: &str = "alias/aws/sns";

#[derive(Debug, Clone, PartialEq)]
struct Topic {
    arn: String,
    attrs: Result<HashMap<String, String>, Failure>,
}

impl Topic {
    /// The topic name (last part of the ARN).
    fn name(&self) -> &str {
        self.arn.rsplit(':').next().unwrap_or(&self.arn)
    }
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let list = client
        .list_topics()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
    let mut topics: Vec<Topic> = futures::stream::iter(list)
        .map(|t| {
            let client = client.clone();
            async move {
                let arn = t.topic_arn().unwrap_or_default().to_string();
                let attrs = client
                    .get_topic_attributes()
                    .topic_arn(&arn)
                    .send()
                    .await
                    .map(|o| o.attributes().cloned().unwrap_or_default())
                    .map_err(|e| Failure::from_sdk(A_ATTRS, &e));
                Topic { arn, attrs }
            }
        })
        .buffered(4)
        .collect()
        .await;
    topics.sort_by(|a, b| a.arn.cmp(&b.arn));
    Ok(evaluate(&topics, cx.settings.require_kms))
}

fn evaluate(topics: &[Topic], require_cmk: bool) -> Vec<Finding> {
    vec![eval_kms(topics, require_cmk), eval_policy(topics)]
}

fn none() -> Text {
    tr!(
        "no SNS topic in this region",
        "このリージョンに SNS トピックはありません"
    )
}

fn eval_kms(topics: &[Topic], require_cmk: bool) -> Finding {
    let mut t = Tally::new(TOPICS);
    for topic in topics {
        let attrs = match &topic.attrs {
            Ok(a) => a,
            Err(f) => {
                t.error(f);
                continue;
            }
        };
        let key = attrs
            .get("KmsMasterKeyId")
            .map(String::as_str)
            .filter(|k| !k.is_empty());
        let problem = match key {
            None => Some(tr!("KmsMasterKeyId unset", "KmsMasterKeyId が未設定")),
            Some(k) if require_cmk && k == AWS_MANAGED_KEY => Some(tr!(
                "KmsMasterKeyId is the AWS managed key {AWS_MANAGED_KEY}, the team requires a customer managed key",
                "KmsMasterKeyId が AWS マネージドキー {AWS_MANAGED_KEY}（チームはカスタマーマネージドキーを求めています）"
            )),
            Some(_) => None,
        };
        t.judge(&topic.arn, topic.name(), problem, false);
    }
    let (pass_en, pass_ja) = if require_cmk {
        (
            "are encrypted with a customer managed KMS key",
            "カスタマーマネージドキーで暗号化されています",
        )
    } else {
        (
            "are encrypted with a KMS key",
            "KMS キーで暗号化されています",
        )
    };
    t.finish(
        CheckId::SnsKmsEncrypted,
        (
            "are not encrypted at rest with a KMS key the team accepts",
            "チームが認める KMS キーで保管時に暗号化されていません",
        ),
        (pass_en, pass_ja),
        none(),
    )
}

fn eval_policy(topics: &[Topic]) -> Finding {
    let mut t = Tally::new(TOPICS);
    for topic in topics {
        match &topic.attrs {
            Ok(a) => {
                let problem = a.get("Policy").and_then(|p| open_policy(p));
                let public = problem.is_some();
                t.judge(&topic.arn, topic.name(), problem, public);
            }
            Err(f) => t.error(f),
        }
    }
    t.finish(
        CheckId::SnsPolicyNotPublic,
        (
            "let anyone in through their topic policy",
            "トピックポリシーで誰にでもアクセスを許可しています",
        ),
        (
            "have topic policies that do not let anyone in",
            "トピックポリシーで誰にでもアクセスを許可してはいません",
        ),
        none(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    /// SNS's default topic policy: everyone, limited to the owner account.
    const DEFAULT_POLICY: &str = r#"{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":["SNS:GetTopicAttributes","SNS:Publish"],"Resource":"arn:aws:sns:us-east-1:1:t","Condition":{"StringEquals":{"AWS:SourceOwner":"1"}}}]}"#;
    const OPEN_POLICY: &str = r#"{"Statement":[{"Sid":"Anyone","Effect":"Allow","Principal":"*","Action":"SNS:Publish","Resource":"*"}]}"#;

    fn topic(name: &str, attrs: &[(&str, &str)]) -> Topic {
        Topic {
            arn: format!("arn:aws:sns:us-east-1:1:{name}"),
            attrs: Ok(attrs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()),
        }
    }

    #[test]
    fn topics_without_a_key_fail_and_the_aws_key_only_when_the_team_requires_cmk() {
        let topics = [
            topic("plain", &[("Policy", DEFAULT_POLICY)]),
            topic("aws-key", &[("KmsMasterKeyId", AWS_MANAGED_KEY)]),
            topic(
                "cmk",
                &[("KmsMasterKeyId", "arn:aws:kms:us-east-1:1:key/k")],
            ),
        ];
        let f = eval_kms(&topics, false);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["arn:aws:sns:us-east-1:1:plain"]);
        assert!(
            f.summary.en.contains("plain (KmsMasterKeyId unset)"),
            "{}",
            f.summary.en
        );
        let f = eval_kms(&topics, true);
        assert_eq!(f.resources.len(), 2);
        assert!(
            f.summary
                .en
                .contains("aws-key (KmsMasterKeyId is the AWS managed key alias/aws/sns")
        );
        assert_eq!(eval_kms(&topics[2..], true).status, EvidenceStatus::Pass);
    }

    #[test]
    fn open_topic_policies_fail_as_public_and_the_default_policy_passes() {
        let topics = [
            topic("default", &[("Policy", DEFAULT_POLICY)]),
            topic("open", &[("Policy", OPEN_POLICY)]),
            topic("none", &[]),
        ];
        let f = eval_policy(&topics);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources, vec!["arn:aws:sns:us-east-1:1:open"]);
        assert!(
            f.summary
                .en
                .contains("open (Policy statement \"Anyone\" (SNS:Publish) open to anyone)"),
            "{}",
            f.summary.en
        );
        assert_eq!(eval_policy(&topics[..1]).status, EvidenceStatus::Pass);
    }

    #[test]
    fn unreadable_topics_are_unknown_and_no_topic_is_not_applicable() {
        let denied = Topic {
            arn: "arn:aws:sns:us-east-1:1:t".into(),
            attrs: Err(Failure::new(
                A_ATTRS,
                FailureKind::AccessDenied,
                "AuthorizationError",
            )),
        };
        for f in evaluate(&[denied], false) {
            assert_eq!(f.status, EvidenceStatus::Unknown);
            assert!(f.summary.en.contains(A_ATTRS));
        }
        assert!(
            evaluate(&[], true)
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }
}
