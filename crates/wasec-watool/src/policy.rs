//! The IAM actions `wasec pull` and `wasec push` call, for the policy that
//! `wasec iam-policy --wa-tool pull|push` prints. The end-to-end test
//! checks every call the test double sees against these lists, so a new
//! call without a policy entry fails CI.

/// What `pull` (and the read half of `push`) calls.
pub const READ_ACTIONS: &[&str] = &[
    "wellarchitected:GetAnswer",
    "wellarchitected:GetLensReview",
    "wellarchitected:GetWorkload",
    "wellarchitected:ListAnswers",
    "wellarchitected:ListMilestones",
    "wellarchitected:ListWorkloads",
];

/// What only `push` calls: the Tool's writes. Nothing here deletes.
pub const WRITE_ACTIONS: &[&str] = &[
    "wellarchitected:CreateMilestone",
    "wellarchitected:CreateWorkload",
    "wellarchitected:UpdateAnswer",
];

/// IAM policy statements for pulling (`write == false`) or pushing.
pub fn statements(write: bool) -> Vec<serde_json::Value> {
    let mut out = vec![serde_json::json!({
        "Sid": "WasecWellArchitectedRead",
        "Effect": "Allow",
        "Action": READ_ACTIONS,
        "Resource": "*"
    })];
    if write {
        out.push(serde_json::json!({
            "Sid": "WasecWellArchitectedWrite",
            "Effect": "Allow",
            "Action": WRITE_ACTIONS,
            // CreateWorkload has no resource ARN before the call.
            "Resource": "*"
        }));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_read_and_writes_never_delete() {
        let verb = |a: &str| a.split_once(':').unwrap().1.to_string();
        assert!(
            READ_ACTIONS
                .iter()
                .all(|a| verb(a).starts_with("Get") || verb(a).starts_with("List"))
        );
        assert!(WRITE_ACTIONS.iter().all(|a| !verb(a).contains("Delete")));
        assert_eq!(statements(false).len(), 1);
        assert_eq!(statements(true).len(), 2);
    }
}
