//! RDS (and the engines on its API: Aurora, DocumentDB, Neptune): no
//! publicly accessible databases or public manual snapshots, storage and
//! manual snapshots encrypted, log exports on, automatic minor version
//! upgrades, and databases only in private subnets (no route to an
//! internet gateway).
//!
//! Calls per region: `DescribeDBInstances`, `DescribeDBClusters` and
//! `DescribeDBSnapshots` (manual only; all paginated, run concurrently),
//! then `DescribeDBSnapshotAttributes` per manual snapshot (only manual
//! snapshots can be shared) and, when there are DB instances, one
//! `ec2:DescribeRouteTables`. Aurora member instances are judged through
//! their cluster for encryption and log exports, which live at cluster
//! level.

use std::collections::BTreeMap;

use aws_sdk_rds::Client;
use futures::StreamExt;

use super::ServiceCtx;
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;
use wasec_core::Text;

const A_INSTANCES: &str = "rds:DescribeDBInstances";
const A_CLUSTERS: &str = "rds:DescribeDBClusters";
const A_SNAPSHOTS: &str = "rds:DescribeDBSnapshots";
const A_SNAP_ATTRS: &str = "rds:DescribeDBSnapshotAttributes";
const A_ROUTES: &str = "ec2:DescribeRouteTables";

/// A DB instance or cluster.
#[derive(Debug, Clone, PartialEq)]
struct Db {
    arn: String,
    name: String,
    cluster: bool,
    /// Instance that belongs to a cluster (judged through the cluster).
    member: bool,
    public: bool,
    encrypted: bool,
    log_exports: usize,
    auto_minor: Option<bool>,
    /// (VPC, subnet ids) of the DB subnet group (instances only).
    subnets: Option<(String, Vec<String>)>,
}

#[derive(Debug, Clone, PartialEq)]
struct Snapshot {
    arn: String,
    encrypted: bool,
    public: Result<bool, Failure>,
}

/// Which route tables reach an internet gateway.
#[derive(Debug, Clone, Default, PartialEq)]
struct Routes {
    /// Subnet → its explicitly associated table reaches an IGW.
    explicit: BTreeMap<String, bool>,
    /// VPC → its main table reaches an IGW.
    main: BTreeMap<String, bool>,
}

struct Inventory {
    instances: Result<Vec<Db>, Failure>,
    clusters: Result<Vec<Db>, Failure>,
    snapshots: Result<Vec<Snapshot>, Failure>,
    routes: Result<Routes, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let client: Client = cx.client();
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
    let instances: Result<Vec<Db>, Failure> = instances
        .map(|list| list.iter().map(instance).collect())
        .map_err(|e| Failure::from_sdk(A_INSTANCES, &e));
    let clusters = clusters
        .map(|list| {
            list.iter()
                .map(|c| Db {
                    arn: c.db_cluster_arn().unwrap_or_default().to_string(),
                    name: c.db_cluster_identifier().unwrap_or_default().to_string(),
                    cluster: true,
                    member: false,
                    public: c.publicly_accessible().unwrap_or(false),
                    encrypted: c.storage_encrypted().unwrap_or(false),
                    log_exports: c.enabled_cloudwatch_logs_exports().len(),
                    auto_minor: None,
                    subnets: None,
                })
                .collect()
        })
        .map_err(|e| Failure::from_sdk(A_CLUSTERS, &e));
    let snapshots = match snaps {
        Err(e) => Err(Failure::from_sdk(A_SNAPSHOTS, &e)),
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
                        .map_err(|e| Failure::from_sdk(A_SNAP_ATTRS, &e));
                    Snapshot {
                        arn: s.db_snapshot_arn().unwrap_or(&id).to_string(),
                        encrypted: s.encrypted().unwrap_or(false),
                        public,
                    }
                }
            })
            .buffered(4)
            .collect()
            .await),
    };
    // Route tables matter only when some instance sits in a subnet group.
    let needs_routes = instances
        .as_ref()
        .is_ok_and(|l| l.iter().any(|d| d.subnets.is_some()));
    let routes = if needs_routes {
        route_tables(&cx.client()).await
    } else {
        Ok(Routes::default())
    };
    Ok(evaluate(&Inventory {
        instances,
        clusters,
        snapshots,
        routes,
    }))
}

fn instance(i: &aws_sdk_rds::types::DbInstance) -> Db {
    Db {
        arn: i.db_instance_arn().unwrap_or_default().to_string(),
        name: i.db_instance_identifier().unwrap_or_default().to_string(),
        cluster: false,
        member: i.db_cluster_identifier().is_some(),
        public: i.publicly_accessible().unwrap_or(false),
        encrypted: i.storage_encrypted().unwrap_or(false),
        log_exports: i.enabled_cloudwatch_logs_exports().len(),
        auto_minor: i.auto_minor_version_upgrade(),
        subnets: i.db_subnet_group().map(|g| {
            (
                g.vpc_id().unwrap_or_default().to_string(),
                g.subnets()
                    .iter()
                    .filter_map(|s| s.subnet_identifier().map(str::to_string))
                    .collect(),
            )
        }),
    }
}

/// Subnets whose route table sends some traffic to an internet gateway. A
/// subnet without an explicit association uses its VPC's main table.
async fn route_tables(ec2: &aws_sdk_ec2::Client) -> Result<Routes, Failure> {
    let tables = ec2
        .describe_route_tables()
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .map_err(|e| Failure::from_sdk(A_ROUTES, &e))?;
    let mut explicit: BTreeMap<String, bool> = BTreeMap::new();
    let mut main_public: BTreeMap<String, bool> = BTreeMap::new();
    for t in &tables {
        let to_igw = t.routes().iter().any(|r| {
            r.gateway_id().is_some_and(|g| g.starts_with("igw-"))
                && (r.destination_cidr_block() == Some("0.0.0.0/0")
                    || r.destination_ipv6_cidr_block() == Some("::/0"))
        });
        for a in t.associations() {
            if a.main() == Some(true) {
                main_public.insert(t.vpc_id().unwrap_or_default().to_string(), to_igw);
            }
            if let Some(s) = a.subnet_id() {
                explicit.insert(s.to_string(), to_igw);
            }
        }
    }
    Ok(Routes {
        explicit,
        main: main_public,
    })
}

impl Routes {
    /// A subnet without its own table follows its VPC's main table.
    fn is_public(&self, vpc: &str, subnet: &str) -> bool {
        self.explicit
            .get(subnet)
            .copied()
            .unwrap_or_else(|| self.main.get(vpc) == Some(&true))
    }
}

fn evaluate(inv: &Inventory) -> Vec<Finding> {
    vec![
        eval_not_public(inv),
        eval_encrypted(inv),
        eval_logging(inv),
        eval_runtime(inv),
        eval_subnets(inv),
    ]
}

/// Instances outside clusters plus clusters: where storage and logs are set.
fn storage_units(inv: &Inventory) -> Result<Vec<&Db>, &Failure> {
    let instances = inv.instances.as_ref()?;
    let clusters = inv.clusters.as_ref()?;
    Ok(instances
        .iter()
        .filter(|d| !d.member)
        .chain(clusters.iter())
        .collect())
}

fn eval_not_public(inv: &Inventory) -> Finding {
    let id = CheckId::RdsNotPublic;
    let mut dbs: Vec<&Db> = Vec::new();
    let mut snaps: Vec<&Snapshot> = Vec::new();
    let mut judged = 0;
    let mut error: Option<&Failure> = None;
    for list in [&inv.instances, &inv.clusters] {
        match list {
            Ok(l) => {
                judged += l.len();
                dbs.extend(l.iter().filter(|d| d.public));
            }
            Err(f) => error = error.or(Some(f)),
        }
    }
    match &inv.snapshots {
        Ok(list) => {
            for s in list {
                match &s.public {
                    Ok(p) => {
                        judged += 1;
                        if *p {
                            snaps.push(s);
                        }
                    }
                    Err(f) => error = error.or(Some(f)),
                }
            }
        }
        Err(f) => error = error.or(Some(f)),
    }
    if !dbs.is_empty() || !snaps.is_empty() {
        let (d, s) = (dbs.len(), snaps.len());
        let names: Vec<String> = dbs
            .iter()
            .map(|d| format!("{} (PubliclyAccessible)", d.name))
            .chain(snaps.iter().map(|s| format!("{} (restore: all)", s.arn)))
            .collect();
        let list = sample(&names, 5);
        return Finding::fail(
            id,
            tr!(
                "{d} publicly accessible databases and {s} manual snapshots restorable by anyone: {list}",
                "パブリックアクセス可能なデータベース {d} 件と誰でも復元できる手動スナップショット {s} 件があります: {list}"
            ),
        )
        .with_resources(dbs.iter().map(|d| d.arn.clone()).chain(snaps.iter().map(|s| s.arn.clone())))
        .public(true);
    }
    match error {
        Some(f) => f.finding(id),
        None if judged == 0 => Finding::not_applicable(
            id,
            tr!(
                "no RDS database or manual snapshot in this region",
                "このリージョンに RDS データベースや手動スナップショットはありません"
            ),
        ),
        None => Finding::pass(
            id,
            tr!(
                "none of {judged} databases and manual snapshots is public",
                "データベースと手動スナップショット {judged} 件のいずれも公開されていません"
            ),
        ),
    }
}

/// Shared shape of the per-database checks: `problem` names what is wrong.
fn judge(
    id: CheckId,
    units: &[&Db],
    problem: impl Fn(&Db) -> Option<Text>,
    fail: (&str, &str),
    pass: (&str, &str),
) -> Finding {
    if units.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "no RDS database in this region",
                "このリージョンに RDS データベースはありません"
            ),
        );
    }
    let bad: Vec<(&Db, Text)> = units
        .iter()
        .filter_map(|d| Some((*d, problem(d)?)))
        .collect();
    let n = units.len();
    if bad.is_empty() {
        let (en, ja) = pass;
        return Finding::pass(
            id,
            tr!(
                "all {n} RDS databases {en}",
                "RDS データベース {n} 件すべてが{ja}"
            ),
        );
    }
    let k = bad.len();
    let public = bad.iter().any(|(d, _)| d.public);
    let en: Vec<String> = bad
        .iter()
        .map(|(d, w)| format!("{} ({})", d.name, w.en))
        .collect();
    let ja: Vec<String> = bad
        .iter()
        .map(|(d, w)| format!("{}({})", d.name, w.ja))
        .collect();
    let (list_en, list_ja) = (sample(&en, 5), sample(&ja, 5));
    let (fail_en, fail_ja) = fail;
    Finding::fail(
        id,
        tr!(
            "{k} of {n} RDS databases {fail_en}: {list_en}",
            "RDS データベース {n} 件中 {k} 件が{fail_ja}: {list_ja}"
        ),
    )
    .with_resources(bad.iter().map(|(d, _)| d.arn.clone()))
    .public(public)
}

/// Storage of instances and clusters, and manual snapshots: a snapshot of
/// an unencrypted database stays unencrypted after the database is gone.
fn eval_encrypted(inv: &Inventory) -> Finding {
    let id = CheckId::RdsStorageEncrypted;
    let units = match storage_units(inv) {
        Err(f) => return f.finding(id),
        Ok(u) => u,
    };
    let snapshots: &[Snapshot] = inv.snapshots.as_deref().unwrap_or_default();
    let mut bad: Vec<(String, String, String)> = units
        .iter()
        .filter(|d| !d.encrypted)
        .map(|d| {
            (
                d.arn.clone(),
                format!("{} (StorageEncrypted false)", d.name),
                format!("{}(StorageEncrypted false)", d.name),
            )
        })
        .collect();
    bad.extend(snapshots.iter().filter(|s| !s.encrypted).map(|s| {
        (
            s.arn.clone(),
            format!("{} (snapshot not encrypted)", s.arn),
            format!("{}（スナップショット未暗号化）", s.arn),
        )
    }));
    let n = units.len() + snapshots.len();
    if n == 0 {
        return Finding::not_applicable(
            id,
            tr!(
                "no RDS database or manual snapshot in this region",
                "このリージョンに RDS データベースや手動スナップショットはありません"
            ),
        );
    }
    if bad.is_empty() {
        if let Err(f) = &inv.snapshots {
            return f.finding(id);
        }
        return Finding::pass(
            id,
            tr!(
                "all {n} databases and manual snapshots are encrypted at rest",
                "データベースと手動スナップショット {n} 件すべてが保管時に暗号化されています"
            ),
        );
    }
    let k = bad.len();
    let en: Vec<String> = bad.iter().map(|b| b.1.clone()).collect();
    let ja: Vec<String> = bad.iter().map(|b| b.2.clone()).collect();
    let (list_en, list_ja) = (sample(&en, 5), sample(&ja, 5));
    Finding::fail(
        id,
        tr!(
            "{k} of {n} databases and manual snapshots are not encrypted at rest: {list_en}",
            "データベースと手動スナップショット {n} 件中 {k} 件が保管時に暗号化されていません: {list_ja}"
        ),
    )
    .with_resources(bad.into_iter().map(|b| b.0))
}

fn eval_logging(inv: &Inventory) -> Finding {
    let id = CheckId::RdsLogExports;
    match storage_units(inv) {
        Err(f) => f.finding(id),
        Ok(units) => judge(
            id,
            &units,
            |d| (d.log_exports == 0).then(|| tr!("no log exports", "ログのエクスポートなし")),
            (
                "export no logs to CloudWatch Logs",
                "CloudWatch Logs にログをエクスポートしていません",
            ),
            (
                "export logs to CloudWatch Logs",
                "CloudWatch Logs にログをエクスポートしています",
            ),
        ),
    }
}

fn eval_runtime(inv: &Inventory) -> Finding {
    let id = CheckId::RdsAutoMinorUpgrade;
    match &inv.instances {
        Err(f) => f.finding(id),
        Ok(list) => {
            let units: Vec<&Db> = list.iter().filter(|d| !d.cluster).collect();
            judge(
                id,
                &units,
                |d| {
                    (d.auto_minor == Some(false)).then(|| {
                        tr!(
                            "AutoMinorVersionUpgrade false",
                            "AutoMinorVersionUpgrade false"
                        )
                    })
                },
                (
                    "have automatic minor version upgrades off",
                    "マイナーバージョンの自動アップグレードが無効です",
                ),
                (
                    "take automatic minor version upgrades",
                    "マイナーバージョンの自動アップグレードを適用しています",
                ),
            )
        }
    }
}

/// The data tier belongs in private subnets: a DB subnet group containing
/// a subnet that routes to an internet gateway puts the database one
/// setting (PubliclyAccessible) away from the internet.
fn eval_subnets(inv: &Inventory) -> Finding {
    let id = CheckId::RdsSubnetsPrivate;
    let list = match &inv.instances {
        Err(f) => return f.finding(id),
        Ok(l) => l,
    };
    let units: Vec<&Db> = list.iter().filter(|d| d.subnets.is_some()).collect();
    if !units.is_empty()
        && let Err(f) = &inv.routes
    {
        return f.finding(id);
    }
    let routes = inv.routes.as_ref().cloned().unwrap_or_default();
    judge(
        id,
        &units,
        |d| {
            let (vpc, subnets) = d.subnets.as_ref()?;
            let public: Vec<&str> = subnets
                .iter()
                .filter(|s| routes.is_public(vpc, s))
                .map(String::as_str)
                .collect();
            let list = public.join(" ");
            (!public.is_empty()).then(|| {
                tr!(
                    "subnets with an internet gateway route: {list}",
                    "インターネットゲートウェイへの経路があるサブネット: {list}"
                )
            })
        },
        (
            "have subnets that route to an internet gateway",
            "インターネットゲートウェイへの経路があるサブネットを使っています",
        ),
        (
            "use only subnets without a route to an internet gateway",
            "インターネットゲートウェイへの経路がないサブネットのみを使っています",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    fn db(name: &str) -> Db {
        Db {
            arn: format!("arn:aws:rds:us-east-1:1:db:{name}"),
            name: name.into(),
            cluster: false,
            member: false,
            public: false,
            encrypted: true,
            log_exports: 1,
            auto_minor: Some(true),
            subnets: Some(("vpc-1".into(), vec!["subnet-private".into()])),
        }
    }

    fn routes() -> Routes {
        Routes {
            explicit: BTreeMap::from([
                ("subnet-public".to_string(), true),
                ("subnet-private".to_string(), false),
            ]),
            main: BTreeMap::from([("vpc-1".to_string(), true)]),
        }
    }

    fn inv(instances: Vec<Db>, clusters: Vec<Db>, snapshots: Vec<Snapshot>) -> Inventory {
        Inventory {
            instances: Ok(instances),
            clusters: Ok(clusters),
            snapshots: Ok(snapshots),
            routes: Ok(routes()),
        }
    }

    fn snap(arn: &str, public: bool, encrypted: bool) -> Snapshot {
        Snapshot {
            arn: arn.into(),
            encrypted,
            public: Ok(public),
        }
    }

    fn by_id(f: &[Finding], id: CheckId) -> Finding {
        f.iter().find(|x| x.check == id).cloned().unwrap()
    }

    #[test]
    fn empty_region_is_not_applicable() {
        let f = evaluate(&inv(vec![], vec![], vec![]));
        assert_eq!(f.len(), crate::check::Service::Rds.checks().count());
        assert!(f.iter().all(|f| f.status == EvidenceStatus::NotApplicable));
    }

    #[test]
    fn private_encrypted_logged_database_passes() {
        let f = evaluate(&inv(vec![db("a")], vec![], vec![snap("s", false, true)]));
        assert!(f.iter().all(|x| x.status == EvidenceStatus::Pass), "{f:?}");
    }

    #[test]
    fn public_instance_and_snapshot_fail_as_public() {
        let mut a = db("a");
        a.public = true;
        let f = eval_not_public(&inv(vec![a, db("b")], vec![], vec![snap("s", true, true)]));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.public);
        assert_eq!(
            f.resources,
            vec!["arn:aws:rds:us-east-1:1:db:a".to_string(), "s".to_string()]
        );
        assert!(
            f.summary
                .en
                .starts_with("1 publicly accessible databases and 1 manual snapshots")
        );
        assert!(f.summary.en.contains("a (PubliclyAccessible)"));
    }

    #[test]
    fn unencrypted_unlogged_and_no_auto_upgrade_fail() {
        let mut a = db("a");
        a.encrypted = false;
        a.log_exports = 0;
        a.auto_minor = Some(false);
        let f = evaluate(&inv(
            vec![a, db("b")],
            vec![],
            vec![snap("old", false, false)],
        ));
        let enc = by_id(&f, CheckId::RdsStorageEncrypted);
        assert_eq!(enc.status, EvidenceStatus::Fail);
        assert_eq!(
            enc.resources,
            vec![
                "arn:aws:rds:us-east-1:1:db:a".to_string(),
                "old".to_string()
            ]
        );
        assert!(enc.summary.en.contains("a (StorageEncrypted false)"));
        assert_eq!(
            by_id(&f, CheckId::RdsLogExports).status,
            EvidenceStatus::Fail
        );
        assert_eq!(
            by_id(&f, CheckId::RdsAutoMinorUpgrade).status,
            EvidenceStatus::Fail
        );
        assert!(!enc.public);
    }

    #[test]
    fn aurora_members_are_judged_through_their_cluster() {
        let mut member = db("member");
        member.member = true;
        member.log_exports = 0; // Aurora instances never list exports.
        let mut cluster = db("cluster");
        cluster.cluster = true;
        cluster.auto_minor = None;
        cluster.subnets = None;
        let f = evaluate(&inv(vec![member], vec![cluster.clone()], vec![]));
        assert_eq!(
            by_id(&f, CheckId::RdsLogExports).status,
            EvidenceStatus::Pass
        );
        cluster.encrypted = false;
        let f = evaluate(&inv(vec![], vec![cluster], vec![]));
        assert_eq!(
            by_id(&f, CheckId::RdsStorageEncrypted).resources,
            vec!["arn:aws:rds:us-east-1:1:db:cluster".to_string()]
        );
    }

    #[test]
    fn databases_in_subnets_that_reach_an_internet_gateway_fail() {
        let mut exposed = db("exposed");
        exposed.subnets = Some((
            "vpc-1".into(),
            vec!["subnet-private".into(), "subnet-public".into()],
        ));
        let f = eval_subnets(&inv(vec![exposed, db("private")], vec![], vec![]));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.resources, vec!["arn:aws:rds:us-east-1:1:db:exposed"]);
        assert!(
            f.summary
                .en
                .contains("exposed (subnets with an internet gateway route: subnet-public)"),
            "{}",
            f.summary.en
        );
        // A subnet without its own table follows the VPC's main table.
        let r = routes();
        assert!(r.is_public("vpc-1", "subnet-x"));
        assert!(!r.is_public("vpc-1", "subnet-private"));
        assert!(!r.is_public("vpc-2", "subnet-x"));
    }

    #[test]
    fn errors_are_unknown_but_public_findings_still_fail() {
        let e = Failure::new(A_CLUSTERS, FailureKind::AccessDenied, "AccessDenied");
        let mut i = inv(vec![db("a")], vec![], vec![]);
        i.clusters = Err(e.clone());
        let f = evaluate(&i);
        assert_eq!(
            by_id(&f, CheckId::RdsStorageEncrypted).status,
            EvidenceStatus::Unknown
        );
        assert_eq!(
            by_id(&f, CheckId::RdsNotPublic).status,
            EvidenceStatus::Unknown
        );
        assert_eq!(
            by_id(&f, CheckId::RdsAutoMinorUpgrade).status,
            EvidenceStatus::Pass
        );
        let mut i = inv(
            vec![],
            vec![],
            vec![
                snap("s", true, true),
                Snapshot {
                    arn: "t".into(),
                    encrypted: true,
                    public: Err(e),
                },
            ],
        );
        i.instances = Ok(vec![]);
        assert_eq!(eval_not_public(&i).status, EvidenceStatus::Fail);
    }
}
