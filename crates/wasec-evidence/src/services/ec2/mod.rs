//! EC2 and VPC: network exposure of admin ports, default security groups,
//! flow logs, EBS encryption and snapshots, instance metadata, roles and
//! user data. One list call per resource type per region (plus one user
//! data read per instance), evaluated purely.
//!
//! Split by concern: `fetch` (API calls into [`Ec2Data`]) and `evaluate`
//! (pure: network, storage, instances). Tests in `tests.rs`.

mod evaluate;
mod fetch;

pub use evaluate::{acl_allows_admin_port, evaluate, open_admin_ports};

use super::ServiceCtx;
use crate::check::{Failure, Finding};
use std::collections::BTreeSet;

/// A security group rule reduced to what exposure checks need.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// `-1` (all), `tcp`, `udp`, `6`, ...
    pub protocol: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// CIDR blocks (IPv4 and IPv6).
    pub sources: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub ingress: Vec<Rule>,
    pub egress_rules: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AclEntry {
    pub number: i32,
    pub egress: bool,
    pub allow: bool,
    pub protocol: String,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub cidr: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NetworkAcl {
    pub id: String,
    pub entries: Vec<AclEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    pub id: String,
    pub imdsv2_required: bool,
    pub profile: bool,
    pub key_pair: bool,
    pub groups: Vec<String>,
}

/// An EBS snapshot the account owns.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub id: String,
    pub encrypted: bool,
}

/// What an instance's user data holds, as far as secrets go.
#[derive(Debug, Clone, PartialEq)]
pub enum UserData {
    /// No user data, or text without secrets.
    Clean,
    /// Secrets: (line number, key name or kind). Never the values.
    Secrets(Vec<(usize, String)>),
    /// Binary or compressed: not inspected.
    Opaque,
}

/// User data per instance id; each read may fail on its own.
pub type UserDataReads = Vec<(String, Result<UserData, Failure>)>;

#[derive(Debug, Clone)]
pub struct Ec2Data {
    pub groups: Result<Vec<SecurityGroup>, Failure>,
    pub acls: Result<Vec<NetworkAcl>, Failure>,
    pub vpcs: Result<Vec<String>, Failure>,
    pub flow_log_targets: Result<BTreeSet<String>, Failure>,
    pub ebs_default: Result<bool, Failure>,
    /// (volume id, encrypted)
    pub volumes: Result<Vec<(String, bool)>, Failure>,
    pub snapshots: Result<Vec<Snapshot>, Failure>,
    /// Own snapshots anyone can restore.
    pub public_snapshots: Result<Vec<String>, Failure>,
    /// Instances that are not terminated.
    pub instances: Result<Vec<Instance>, Failure>,
    /// User data per instance id (instances that could be read).
    pub user_data: Result<UserDataReads, Failure>,
    /// (subnet id, auto-assigns public IPv4)
    pub subnets: Result<Vec<(String, bool)>, Failure>,
}

pub async fn collect(cx: &ServiceCtx) -> Result<Vec<Finding>, Failure> {
    let data = fetch::all(&cx.client()).await;
    Ok(evaluate(&data, &cx.account, &cx.region))
}

#[cfg(test)]
mod tests;
