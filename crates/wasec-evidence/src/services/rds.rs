//! RDS: no publicly accessible databases or public manual snapshots,
//! storage encrypted, log exports on, automatic minor version upgrades.
//!
//! Calls per Region: `DescribeDBInstances`, `DescribeDBClusters` and
//! `DescribeDBSnapshots` (manual only; all paginated, run concurrently), then
//! `DescribeDBSnapshotAttributes` per manual snapshot (only manual snapshots
//! can be shared). Aurora member instances are judged through their cluster
//! for encryption and log exports, which live at cluster level.
//!
//! `service_logging.coverage` (declared in `elbv2`) and
//! `runtime.supported_versions` (declared in `lambda`) are shared ids: each
//! check id is declared once in the registry, so this module reports under
//! them without listing them in its `CHECKS`.

use aws_sdk_rds::Client;
use aws_smithy_types::error::metadata::{ErrorMetadata, ProvideErrorMetadata};
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding, Scope};

const NOT_PUBLIC: &str = "rds.not_public";
const ENCRYPTED: &str = "datastores.encrypted";
const LOGGING: &str = "service_logging.coverage";
const RUNTIME: &str = "runtime.supported_versions";

const A_INSTANCES: &str = "rds:DescribeDBInstances";
const A_CLUSTERS: &str = "rds:DescribeDBClusters";
const A_SNAPSHOTS: &str = "rds:DescribeDBSnapshots";
const A_SNAP_ATTRS: &str = "rds:DescribeDBSnapshotAttributes";

pub const CHECKS: &[CheckMeta] = &[
    CheckMeta {
        id: NOT_PUBLIC,
        title_en: "RDS databases and snapshots not public",
        title_ja: "RDS データベースとスナップショットの非公開",
        bps: &["SEC03-BP07", "SEC05-BP02"],
        service: "rds",
        actions: &[A_INSTANCES, A_CLUSTERS, A_SNAPSHOTS, A_SNAP_ATTRS],
        scope: Scope::Regional,
    },
    CheckMeta {
        id: ENCRYPTED,
        title_en: "Data stores encrypted at rest",
        title_ja: "データストアの保管時の暗号化",
        bps: &["SEC08-BP02"],
        service: "rds",
        actions: &[A_INSTANCES, A_CLUSTERS],
        scope: Scope::Regional,
    },
];

/// A DB instance or cluster.
#[derive(Debug, Clone, PartialEq)]
struct Db {
    arn: String,
    cluster: bool,
    /// Instance that belongs to a cluster (judged through the cluster).
    member: bool,
    public: bool,
    encrypted: bool,
    log_exports: usize,
    auto_minor: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    arn: String,
    public: Result<bool, ErrorMetadata>,
}

struct Inventory {
    instances: Result<Vec<Db>, ErrorMetadata>,
    clusters: Result<Vec<Db>, ErrorMetadata>,
    snapshots: Result<Vec<Snapshot>, ErrorMetadata>,
}

pub async fn collect(cx: &ServiceCtx) -> Vec<Finding> {
    let client = Client::new(&cx.sdk);
    let (instances, clusters, snaps) = futures::join!(
        client
            .describe_db_instances()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
        client
            .describe_db_clusters()
            .into_paginator()
            .items()
            .send()
            .try_collect(),
        client
            .describe_db_snapshots()
            .snapshot_type("manual")
            .into_paginator()
            .items()
            .send()
            .try_collect(),
    );
    let instances = instances
        .map(|list| {
            list.iter()
                .map(|i| Db {
                    arn: i.db_instance_arn().unwrap_or_default().to_string(),
                    cluster: false,
                    member: i.db_cluster_identifier().is_some(),
                    public: i.publicly_accessible().unwrap_or(false),
                    encrypted: i.storage_encrypted().unwrap_or(false),
                    log_exports: i.enabled_cloudwatch_logs_exports().len(),
                    auto_minor: i.auto_minor_version_upgrade(),
                })
                .collect()
        })
        .map_err(|e| e.meta().clone());
    let clusters = clusters
        .map(|list| {
            list.iter()
                .map(|c| Db {
                    arn: c.db_cluster_arn().unwrap_or_default().to_string(),
                    cluster: true,
                    member: false,
                    public: c.publicly_accessible().unwrap_or(false),
                    encrypted: c.storage_encrypted().unwrap_or(false),
                    log_exports: c.enabled_cloudwatch_logs_exports().len(),
                    auto_minor: None,
                })
                .collect()
        })
        .map_err(|e| e.meta().clone());
    let snapshots = match snaps {
        Err(e) => Err(e.meta().clone()),
        Ok(list) => Ok(futures::stream::iter(list)
            .map(|s| {
                let client = client.clone();
                async move {
                    let id = s.db_snapshot_identifier().unwrap_or_default().to_string();
                    let public = client
                        .describe_db_snapshot_attributes()
                        .db_snapshot_identifier(&id)
                        .send()
                        .await
                        .map(|a| {
                            a.db_snapshot_attributes_result().is_some_and(|r| {
                                r.db_snapshot_attributes().iter().any(|at| {
                                    at.attribute_name() == Some("restore")
                                        && at.attribute_values().iter().any(|v| v == "all")
                                })
                            })
                        })
                        .map_err(|e| e.meta().clone());
                    Snapshot {
                        arn: s.db_snapshot_arn().unwrap_or(&id).to_string(),
                        public,
                    }
                }
            })
            .buffered(4)
            .collect()
            .await),
    };
    evaluate(&Inventory {
        instances,
        clusters,
        snapshots,
    })
}

fn evaluate(inv: &Inventory) -> Vec<Finding> {
    vec![
        eval_not_public(inv),
        eval_encrypted(inv),
        eval_logging(inv),
        eval_runtime(inv),
    ]
}

/// Instances outside clusters plus clusters: where storage and logs are set.
fn storage_units(inv: &Inventory) -> Result<Vec<&Db>, (&'static str, &ErrorMetadata)> {
    let instances = inv.instances.as_ref().map_err(|e| (A_INSTANCES, e))?;
    let clusters = inv.clusters.as_ref().map_err(|e| (A_CLUSTERS, e))?;
    Ok(instances
        .iter()
        .filter(|d| !d.member)
        .chain(clusters.iter())
        .collect())
}

fn eval_not_public(inv: &Inventory) -> Finding {
    let mut bad: Vec<String> = Vec::new();
    let mut judged = 0;
    let mut error: Option<(&str, &ErrorMetadata)> = None;
    for (list, action) in [(&inv.instances, A_INSTANCES), (&inv.clusters, A_CLUSTERS)] {
        match list {
            Ok(dbs) => {
                judged += dbs.len();
                bad.extend(dbs.iter().filter(|d| d.public).map(|d| d.arn.clone()));
            }
            Err(e) => error = error.or(Some((action, e))),
        }
    }
    let db_bad = bad.len();
    match &inv.snapshots {
        Ok(snaps) => {
            for s in snaps {
                match &s.public {
                    Ok(p) => {
                        judged += 1;
                        if *p {
                            bad.push(s.arn.clone());
                        }
                    }
                    Err(e) => error = error.or(Some((A_SNAP_ATTRS, e))),
                }
            }
        }
        Err(e) => error = error.or(Some((A_SNAPSHOTS, e))),
    }
    if !bad.is_empty() {
        let snap_bad = bad.len() - db_bad;
        return Finding::fail(
            NOT_PUBLIC,
            format!("{db_bad} publicly accessible database(s), {snap_bad} manual snapshot(s) restorable by anyone"),
        )
        .with_resources(bad)
        .public(true);
    }
    match error {
        Some((a, e)) => Finding::unknown_from(NOT_PUBLIC, a, e),
        None if judged == 0 => Finding::not_applicable(
            NOT_PUBLIC,
            "no RDS database or manual snapshot in this Region",
        ),
        None => Finding::pass(
            NOT_PUBLIC,
            format!("none of {judged} database(s)/manual snapshot(s) is public"),
        ),
    }
}

/// Shared shape of the per-database checks.
fn judge(
    check: &'static str,
    units: &[&Db],
    ok: impl Fn(&Db) -> bool,
    fail: &str,
    pass: &str,
) -> Finding {
    if units.is_empty() {
        return Finding::not_applicable(check, "no RDS database in this Region");
    }
    let bad: Vec<&Db> = units.iter().copied().filter(|d| !ok(d)).collect();
    let n = units.len();
    if bad.is_empty() {
        Finding::pass(check, format!("all {n} RDS database(s) {pass}"))
    } else {
        let public = bad.iter().any(|d| d.public);
        Finding::fail(
            check,
            format!("{} of {n} RDS database(s) {fail}", bad.len()),
        )
        .with_resources(bad.iter().map(|d| d.arn.clone()))
        .public(public)
    }
}

fn eval_encrypted(inv: &Inventory) -> Finding {
    match storage_units(inv) {
        Err((a, e)) => Finding::unknown_from(ENCRYPTED, a, e),
        Ok(units) => judge(
            ENCRYPTED,
            &units,
            |d| d.encrypted,
            "have unencrypted storage",
            "have encrypted storage",
        ),
    }
}

fn eval_logging(inv: &Inventory) -> Finding {
    match storage_units(inv) {
        Err((a, e)) => Finding::unknown_from(LOGGING, a, e),
        Ok(units) => judge(
            LOGGING,
            &units,
            |d| d.log_exports > 0,
            "export no logs to CloudWatch Logs",
            "export logs to CloudWatch Logs",
        ),
    }
}

fn eval_runtime(inv: &Inventory) -> Finding {
    match &inv.instances {
        Err(e) => Finding::unknown_from(RUNTIME, A_INSTANCES, e),
        Ok(list) => {
            let units: Vec<&Db> = list.iter().filter(|d| !d.cluster).collect();
            judge(
                RUNTIME,
                &units,
                |d| d.auto_minor != Some(false),
                "have automatic minor version upgrades off",
                "take automatic minor version upgrades",
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasec_core::review::EvidenceStatus;

    fn db(arn: &str) -> Db {
        Db {
            arn: arn.into(),
            cluster: false,
            member: false,
            public: false,
            encrypted: true,
            log_exports: 1,
            auto_minor: Some(true),
        }
    }

    fn inv(instances: Vec<Db>, clusters: Vec<Db>, snapshots: Vec<Snapshot>) -> Inventory {
        Inventory {
            instances: Ok(instances),
            clusters: Ok(clusters),
            snapshots: Ok(snapshots),
        }
    }

    fn by_id(f: &[Finding], id: &str) -> Finding {
        f.iter().find(|x| x.check == id).cloned().unwrap()
    }

    #[test]
    fn empty_region_is_not_applicable() {
        assert!(
            evaluate(&inv(vec![], vec![], vec![]))
                .iter()
                .all(|f| f.status == EvidenceStatus::NotApplicable)
        );
    }

    #[test]
    fn private_encrypted_logged_database_passes() {
        let snap = Snapshot {
            arn: "s".into(),
            public: Ok(false),
        };
        let f = evaluate(&inv(vec![db("a")], vec![], vec![snap]));
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Pass), "{f:?}");
    }

    #[test]
    fn public_instance_and_snapshot_fail_as_public() {
        let mut a = db("a");
        a.public = true;
        let snap = Snapshot {
            arn: "s".into(),
            public: Ok(true),
        };
        let f = eval_not_public(&inv(vec![a, db("b")], vec![], vec![snap]));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(f.resources, vec!["a".to_string(), "s".to_string()]);
        assert!(
            f.summary
                .starts_with("1 publicly accessible database(s), 1 manual snapshot")
        );
    }

    #[test]
    fn unencrypted_unlogged_and_no_auto_upgrade_fail() {
        let mut a = db("a");
        a.encrypted = false;
        a.log_exports = 0;
        a.auto_minor = Some(false);
        let f = evaluate(&inv(vec![a], vec![], vec![]));
        assert_eq!(by_id(&f, ENCRYPTED).status, EvidenceStatus::Fail);
        assert_eq!(by_id(&f, LOGGING).status, EvidenceStatus::Fail);
        assert_eq!(by_id(&f, RUNTIME).status, EvidenceStatus::Fail);
        assert!(!by_id(&f, ENCRYPTED).public);
    }

    #[test]
    fn aurora_members_are_judged_through_their_cluster() {
        let mut member = db("member");
        member.member = true;
        member.log_exports = 0; // Aurora instances never list exports.
        let mut cluster = db("cluster");
        cluster.cluster = true;
        cluster.auto_minor = None;
        let f = evaluate(&inv(vec![member], vec![cluster.clone()], vec![]));
        assert_eq!(by_id(&f, LOGGING).status, EvidenceStatus::Pass);
        cluster.encrypted = false;
        let f = evaluate(&inv(vec![], vec![cluster], vec![]));
        assert_eq!(by_id(&f, ENCRYPTED).resources, vec!["cluster".to_string()]);
    }

    #[test]
    fn errors_are_unknown_but_public_findings_still_fail() {
        let e = ErrorMetadata::builder().code("AccessDenied").build();
        let mut i = inv(vec![db("a")], vec![], vec![]);
        i.clusters = Err(e.clone());
        let f = evaluate(&i);
        assert_eq!(by_id(&f, ENCRYPTED).status, EvidenceStatus::Unknown);
        assert_eq!(by_id(&f, NOT_PUBLIC).status, EvidenceStatus::Unknown);
        assert_eq!(by_id(&f, RUNTIME).status, EvidenceStatus::Pass);
        let snap = Snapshot {
            arn: "s".into(),
            public: Ok(true),
        };
        let mut i = inv(
            vec![],
            vec![],
            vec![
                snap,
                Snapshot {
                    arn: "t".into(),
                    public: Err(e),
                },
            ],
        );
        i.instances = Ok(vec![]);
        assert_eq!(eval_not_public(&i).status, EvidenceStatus::Fail);
    }
}
