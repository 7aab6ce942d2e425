//! The IAM actions `wasec pull` and `wasec push` call, for the policy that
//! `wasec iam-policy --wa-tool pull|push` prints. The end-to-end tests
//! check every call the test double sees against these lists, so a new
//! call without a policy entry fails CI. (`sts:GetCallerIdentity`, which
//! push uses to tell its own workloads from shared ones, needs no
//! permission.)

/// What `pull` (and the read half of `push`) calls.
pub const READ_ACTIONS: &[&str] = &[
    "wellarchitected:GetAnswer",
    "wellarchitected:GetLensReview",
    "wellarchitected:GetWorkload",
    "wellarchitected:ListAnswers",
    "wellarchitected:ListLensReviewImprovements",
    "wellarchitected:ListMilestones",
    "wellarchitected:ListWorkloads",
];

/// What only `push` calls: the Tool's writes. Nothing here deletes.
pub const WRITE_ACTIONS: &[&str] = &[
    "wellarchitected:CreateMilestone",
    "wellarchitected:CreateWorkload",
    "wellarchitected:UpdateAnswer",
    "wellarchitected:UpdateWorkload",
    "wellarchitected:UpgradeLensReview",
];

/// What CreateWorkload additionally needs with `--review-template-arn`
/// (the CreateWorkload API reference lists them). All read-only.
pub const TEMPLATE_ACTIONS: &[&str] = &[
    "wellarchitected:GetReviewTemplate",
    "wellarchitected:GetReviewTemplateAnswer",
    "wellarchitected:GetReviewTemplateLensReview",
    "wellarchitected:ListReviewTemplateAnswers",
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
        out.push(serde_json::json!({
            "Sid": "WasecWellArchitectedCreateFromTemplate",
            "Effect": "Allow",
            "Action": TEMPLATE_ACTIONS,
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
        let reads = READ_ACTIONS.iter().chain(TEMPLATE_ACTIONS);
        assert!(
            reads
                .map(|a| verb(a))
                .all(|v| v.starts_with("Get") || v.starts_with("List"))
        );
        assert!(WRITE_ACTIONS.iter().all(|a| !verb(a).contains("Delete")));
        assert_eq!(statements(false).len(), 1);
        assert_eq!(statements(true).len(), 3);
    }
}
