//! DynamoDB: point-in-time recovery, deletion protection, and a customer
//! managed KMS key where the team requires one.
//!
//! DynamoDB always encrypts tables at rest (with an AWS owned key unless
//! told otherwise), so without a team requirement the key check passes and
//! says how many tables use SSE-KMS. With `--require-kms` a table passes
//! only with a key whose manager is the customer, which takes one
//! `kms:DescribeKey` per distinct key (the AWS managed `aws/dynamodb` key
//! has an ordinary key ARN).
//!
//! Calls per region: `ListTables` (paginated), then per table
//! `DescribeTable` and `DescribeContinuousBackups`.

use std::collections::BTreeMap;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::types::{PointInTimeRecoveryStatus, SseType};
use aws_sdk_kms::types::KeyManagerType;
use futures::StreamExt;

use super::ServiceCtx;
use super::tally::{Noun, Tally};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use wasec_core::Text;

const A_LIST: &str = "dynamodb:ListTables";
const A_DESCRIBE: &str = "dynamodb:DescribeTable";
const A_BACKUPS: &str = "dynamodb:DescribeContinuousBackups";
const A_KEY: &str = "kms:DescribeKey";

const TABLES: Noun = Noun {
    en: "tables",
    ja: "テーブル",
};

#[derive(Debug, Clone, PartialEq)]
struct Described {
    arn: String,
    deletion_protection: bool,
    /// The KMS key of SSE-KMS; `None` for the AWS owned key.
    kms_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
struct Table {
    name: String,
    described: Result<Described, Failure>,
    pitr: Result<bool, Failure>,
}

impl Table {
    fn id(&self) -> String {
        match &self.described {
            Ok(d) => d.arn.clone(),
            Err(_) => self.name.clone(),
        }
    }
}

/// Key ARN → managed by the customer (read only when the team requires it).
type KeyManagers = BTreeMap<String, Result<bool, Failure>>;

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
    let names: Vec<String> = client
        .list_tables()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_LIST, &e))?;
    let mut tables: Vec<Table> = futures::stream::iter(names)
        .map(|name| {
            let client = client.clone();
            async move {
                let (described, backups) = futures::join!(
                    client.describe_table().table_name(&name).send(),
                    client
                        .describe_continuous_backups()
                        .table_name(&name)
                        .send(),
                );
                let described = described
                    .map_err(|e| Failure::from_sdk(A_DESCRIBE, &e))
                    .map(|o| {
                        let t = o.table();
                        let sse = t.and_then(|t| t.sse_description());
                        Described {
                            arn: t
                                .and_then(|t| t.table_arn())
                                .unwrap_or(name.as_str())
                                .to_string(),
                            deletion_protection: t
                                .and_then(|t| t.deletion_protection_enabled())
                                .unwrap_or(false),
                            kms_key: sse
                                .filter(|s| s.sse_type() == Some(&SseType::Kms))
                                .and_then(|s| s.kms_master_key_arn())
                                .map(str::to_string),
                        }
                    });
                let pitr = backups
                    .map(|o| {
                        o.continuous_backups_description()
                            .and_then(|c| c.point_in_time_recovery_description())
                            .and_then(|p| p.point_in_time_recovery_status())
                            == Some(&PointInTimeRecoveryStatus::Enabled)
                    })
                    .map_err(|e| Failure::from_sdk(A_BACKUPS, &e));
                Table {
                    name,
                    described,
                    pitr,
                }
            }
        })
        .buffered(4)
        .collect()
        .await;
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let require_cmk = cx.settings.require_kms;
    let managers = if require_cmk {
        key_managers(&cx.client(), &tables).await
    } else {
        KeyManagers::new()
    };
    Ok(evaluate(&tables, require_cmk.then_some(&managers)))
}

async fn key_managers(kms: &aws_sdk_kms::Client, tables: &[Table]) -> KeyManagers {
    let keys: std::collections::BTreeSet<String> = tables
        .iter()
        .filter_map(|t| t.described.as_ref().ok()?.kms_key.clone())
        .collect();
    futures::stream::iter(keys)
        .map(|key| async move {
            let manager = kms
                .describe_key()
                .key_id(&key)
                .send()
                .await
                .map(|o| {
                    o.key_metadata().and_then(|m| m.key_manager())
                        == Some(&KeyManagerType::Customer)
                })
                .map_err(|e| Failure::from_sdk(A_KEY, &e));
            (key, manager)
        })
        .buffered(4)
        .collect()
        .await
}

/// `managers` is `Some` when the team requires customer managed keys.
fn evaluate(tables: &[Table], managers: Option<&KeyManagers>) -> Vec<Finding> {
    vec![
        eval_pitr(tables),
        eval_cmk(tables, managers),
        eval_deletion_protection(tables),
    ]
}

fn none() -> Text {
    tr!(
        "no DynamoDB table in this region",
        "このリージョンに DynamoDB テーブルはありません"
    )
}

fn eval_pitr(tables: &[Table]) -> Finding {
    let mut t = Tally::new(TABLES);
    for table in tables {
        match &table.pitr {
            Ok(on) => t.judge(
                &table.id(),
                &table.name,
                (!on).then(|| {
                    tr!(
                        "PointInTimeRecoveryStatus DISABLED",
                        "PointInTimeRecoveryStatus が DISABLED"
                    )
                }),
                false,
            ),
            Err(f) => t.error(f),
        }
    }
    t.finish(
        CheckId::DynamoDbPitrEnabled,
        (
            "have point-in-time recovery off",
            "ポイントインタイムリカバリを有効にしていません",
        ),
        (
            "have point-in-time recovery on",
            "ポイントインタイムリカバリを有効にしています",
        ),
        none(),
    )
}

fn eval_deletion_protection(tables: &[Table]) -> Finding {
    let mut t = Tally::new(TABLES);
    for table in tables {
        match &table.described {
            Ok(d) => t.judge(
                &d.arn,
                &table.name,
                (!d.deletion_protection).then(|| {
                    tr!(
                        "DeletionProtectionEnabled false",
                        "DeletionProtectionEnabled が false"
                    )
                }),
                false,
            ),
            Err(f) => t.error(f),
        }
    }
    t.finish(
        CheckId::DynamoDbDeletionProtection,
        (
            "have deletion protection off",
            "削除保護を有効にしていません",
        ),
        ("have deletion protection on", "削除保護を有効にしています"),
        none(),
    )
}

fn eval_cmk(tables: &[Table], managers: Option<&KeyManagers>) -> Finding {
    let id = CheckId::DynamoDbKmsCmk;
    let Some(managers) = managers else {
        // No team requirement: DynamoDB encrypts every table at rest.
        if tables.is_empty() {
            return Finding::not_applicable(id, none());
        }
        let n = tables.len();
        let with_key = tables
            .iter()
            .filter(|t| t.described.as_ref().is_ok_and(|d| d.kms_key.is_some()))
            .count();
        return Finding::pass(
            id,
            tr!(
                "all {n} tables are encrypted at rest (DynamoDB does this always); {with_key} use a KMS key (SSE-KMS)",
                "テーブル {n} 件すべてが保管時に暗号化されています（DynamoDB の常時の動作）。うち {with_key} 件が KMS キー（SSE-KMS）を使っています"
            ),
        );
    };
    let mut t = Tally::new(TABLES);
    for table in tables {
        let d = match &table.described {
            Ok(d) => d,
            Err(f) => {
                t.error(f);
                continue;
            }
        };
        match &d.kms_key {
            None => t.fail(
                &d.arn,
                &table.name,
                tr!(
                    "SSEDescription absent: the AWS owned key",
                    "SSEDescription なし: AWS 所有キー"
                ),
                false,
            ),
            Some(key) => match managers.get(key) {
                Some(Ok(true)) => t.pass(),
                Some(Ok(false)) => t.fail(
                    &d.arn,
                    &table.name,
                    tr!(
                        "KMSMasterKeyArn {key} is an AWS managed key",
                        "KMSMasterKeyArn {key} が AWS マネージドキー"
                    ),
                    false,
                ),
                Some(Err(f)) => t.error(f),
                None => t.error(&Failure::new(
                    A_KEY,
                    crate::check::FailureKind::Other,
                    "not read",
                )),
            },
        }
    }
    t.finish(
        id,
        (
            "do not use a customer managed KMS key, which the team requires",
            "チームが求めるカスタマーマネージドキーを使っていません",
        ),
        (
            "use a customer managed KMS key",
            "カスタマーマネージドキーを使っています",
        ),
        none(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    const CMK: &str = "arn:aws:kms:us-east-1:1:key/customer";
    const AWS_KEY: &str = "arn:aws:kms:us-east-1:1:key/aws-dynamodb";

    fn table(name: &str, pitr: bool, protected: bool, key: Option<&str>) -> Table {
        Table {
            name: name.into(),
            described: Ok(Described {
                arn: format!("arn:aws:dynamodb:us-east-1:1:table/{name}"),
                deletion_protection: protected,
                kms_key: key.map(str::to_string),
            }),
            pitr: Ok(pitr),
        }
    }

    fn managers() -> KeyManagers {
        BTreeMap::from([
            (CMK.to_string(), Ok(true)),
            (AWS_KEY.to_string(), Ok(false)),
        ])
    }

    #[test]
    fn pitr_and_deletion_protection_name_the_setting() {
        let tables = [
            table("orders", false, false, None),
            table("ledger", true, true, None),
        ];
        let f = eval_pitr(&tables);
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec!["arn:aws:dynamodb:us-east-1:1:table/orders"]
        );
        assert!(
            f.summary
                .en
                .contains("orders (PointInTimeRecoveryStatus DISABLED)")
        );
        let f = eval_deletion_protection(&tables);
        assert!(
            f.summary
                .en
                .contains("orders (DeletionProtectionEnabled false)")
        );
        assert!(
            f.summary
                .ja
                .contains("orders（DeletionProtectionEnabled が false）")
        );
        assert_eq!(eval_pitr(&tables[1..]).status, EvidenceStatus::Pass);
        assert_eq!(
            eval_deletion_protection(&tables[1..]).status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn keys_are_judged_only_where_the_team_requires_cmk() {
        let tables = [
            table("owned", true, true, None),
            table("aws-managed", true, true, Some(AWS_KEY)),
            table("cmk", true, true, Some(CMK)),
        ];
        let f = eval_cmk(&tables, None);
        assert_eq!(f.status, EvidenceStatus::Pass);
        assert!(f.summary.en.contains("2 use a KMS key"), "{}", f.summary.en);
        let m = managers();
        let f = eval_cmk(&tables, Some(&m));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(
            f.resources,
            vec![
                "arn:aws:dynamodb:us-east-1:1:table/aws-managed",
                "arn:aws:dynamodb:us-east-1:1:table/owned"
            ]
        );
        assert!(
            f.summary
                .en
                .contains("owned (SSEDescription absent: the AWS owned key)")
        );
        assert!(f.summary.en.contains(&format!(
            "aws-managed (KMSMasterKeyArn {AWS_KEY} is an AWS managed key)"
        )));
        assert_eq!(
            eval_cmk(&tables[2..], Some(&m)).status,
            EvidenceStatus::Pass
        );
    }

    #[test]
    fn read_errors_are_unknown() {
        let mut t = table("t", true, true, Some(CMK));
        t.pitr = Err(Failure::new(
            A_BACKUPS,
            FailureKind::AccessDenied,
            "AccessDeniedException",
        ));
        let denied_key = BTreeMap::from([(
            CMK.to_string(),
            Err(Failure::new(
                A_KEY,
                FailureKind::AccessDenied,
                "AccessDeniedException",
            )),
        )]);
        let f = evaluate(&[t], Some(&denied_key));
        assert_eq!(f[0].status, EvidenceStatus::Unknown);
        assert!(f[0].summary.en.contains(A_BACKUPS));
        assert_eq!(f[1].status, EvidenceStatus::Unknown);
        assert!(f[1].summary.en.contains(A_KEY));
        assert_eq!(f[2].status, EvidenceStatus::Pass);
        assert!(
            evaluate(&[], None)
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }
}
