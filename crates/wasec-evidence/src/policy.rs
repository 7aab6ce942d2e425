//! The least-privilege IAM policy for `wasec collect`, generated from the
//! catalogue's declared actions so that it always matches what the code
//! calls (a test records every operation the collector sends and checks
//! it against [`actions`]).

use crate::registry;
use std::collections::BTreeSet;
use wasec_core::catalog::CheckId;

/// Verbs that only read. An action outside these needs a written reason in
/// [`NON_READ_EXCEPTIONS`].
pub const READ_PREFIXES: &[&str] = &["Get", "List", "Describe", "BatchGet"];

/// Actions whose verb is not a read, and why wasec still needs them.
pub const NON_READ_EXCEPTIONS: &[(&str, &str)] = &[(
    "iam:GenerateCredentialReport",
    "asks IAM to (re)build the account's credential report, the only source of \
     per-user password/key/MFA ages; it changes no identity, permission or resource \
     and AWS rate-limits it to one new report every 4 hours",
)];

/// Actions named by an HTTP verb that only reads: API Gateway authorizes
/// its management API as `apigateway:GET` (reads), `POST`, `PATCH` ...
pub const HTTP_READ_ACTIONS: &[&str] = &["apigateway:GET"];

/// Every action, sorted and unique.
pub fn actions() -> Vec<&'static str> {
    let mut set: BTreeSet<&'static str> = registry::RUNNER_ACTIONS.iter().copied().collect();
    for c in CheckId::ALL {
        set.extend(c.info().actions.iter().copied());
    }
    set.into_iter().collect()
}

/// True when the action's verb is a read or a listed exception.
pub fn is_read_only(action: &str) -> bool {
    let Some((_, verb)) = action.split_once(':') else {
        return false;
    };
    READ_PREFIXES.iter().any(|p| verb.starts_with(p))
        || NON_READ_EXCEPTIONS.iter().any(|(a, _)| *a == action)
        || HTTP_READ_ACTIONS.contains(&action)
}

/// The IAM action that authorises an SDK operation, from the service and
/// operation names the SDK records for each call (`Metadata` in the config
/// bag). Most operations share their action's name; the table lists the
/// ones that do not. `None` for a service wasec does not know.
pub fn action_for(sdk_service: &str, operation: &str) -> Option<String> {
    let prefix = match sdk_service {
        "AccessAnalyzer" => "access-analyzer",
        "Account" => "account",
        "ACM" => "acm",
        "Backup" => "backup",
        "CloudFront" => "cloudfront",
        "CloudTrail" => "cloudtrail",
        "CloudWatch Logs" => "logs",
        "Config Service" => "config",
        "EC2" => "ec2",
        "ECR" => "ecr",
        "Elastic Load Balancing v2" => "elasticloadbalancing",
        "GuardDuty" => "guardduty",
        "IAM" => "iam",
        "Inspector2" => "inspector2",
        "KMS" => "kms",
        "Lambda" => "lambda",
        "Macie2" => "macie2",
        "Organizations" => "organizations",
        "RDS" => "rds",
        "S3" | "S3 Control" => "s3",
        "Secrets Manager" => "secretsmanager",
        "SecurityHub" => "securityhub",
        "STS" => "sts",
        "WAFV2" => "wafv2",
        // Services read through their own SDK crates (issue 12).
        "API Gateway" => "apigateway",
        "DynamoDB" => "dynamodb",
        "EFS" => "elasticfilesystem",
        "EKS" => "eks",
        "Elastic Load Balancing" => "elasticloadbalancing",
        "SNS" => "sns",
        "SQS" => "sqs",
        "SSM" => "ssm",
        _ => return None,
    };
    let action = match (sdk_service, operation) {
        ("S3", "ListBuckets") => "ListAllMyBuckets",
        ("S3", "GetBucketEncryption") => "GetEncryptionConfiguration",
        ("S3", "GetPublicAccessBlock") => "GetBucketPublicAccessBlock",
        ("S3", "HeadBucket") => "ListBucket",
        ("S3 Control", "GetPublicAccessBlock") => "GetAccountPublicAccessBlock",
        // API Gateway's management API is authorized by HTTP verb.
        ("API Gateway", op) if op.starts_with("Get") => "GET",
        (_, op) => op,
    };
    Some(format!("{prefix}:{action}"))
}

/// Actions that would read more than wasec needs if granted on every
/// resource, each with its own statement: the Sid and the resources wasec
/// reads. `apigateway:GET` on `*` would also read API key values; wasec
/// reads REST APIs (with their stages and resources) and custom domain
/// names only.
pub const SCOPED: &[(&str, &str, &[&str])] = &[(
    "apigateway:GET",
    "WasecReadOnlyApiGateway",
    &[
        "arn:aws:apigateway:*::/restapis",
        "arn:aws:apigateway:*::/restapis/*",
        "arn:aws:apigateway:*::/domainnames",
    ],
)];

/// The policy document as JSON: one statement for the actions granted on
/// every resource, then one per [`SCOPED`] action.
pub fn document() -> serde_json::Value {
    let unscoped: Vec<&str> = actions()
        .into_iter()
        .filter(|a| !SCOPED.iter().any(|(s, _, _)| s == a))
        .collect();
    let mut statements = vec![serde_json::json!({
        "Sid": "WasecReadOnlyEvidence",
        "Effect": "Allow",
        "Action": unscoped,
        "Resource": "*"
    })];
    for (action, sid, resources) in SCOPED {
        statements.push(serde_json::json!({
            "Sid": sid,
            "Effect": "Allow",
            "Action": [action],
            "Resource": resources
        }));
    }
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": statements
    })
}

/// What the member role in each account needs (`wasec iam-policy
/// --member`): the scan policy, as for a single account.
pub fn member_document() -> serde_json::Value {
    document()
}

/// What the calling (management, delegated administrator or audit)
/// account needs for an organization run (`wasec iam-policy
/// --management`): list the organization, assume the member role named
/// `role_name` in any account, read Security Hub CSPM centrally. It does
/// not include the scan policy: attach that too when the calling account
/// is collected itself.
pub fn management_document(role_name: &str) -> serde_json::Value {
    let mut list: Vec<&str> = crate::org::LISTING_ACTIONS.to_vec();
    list.push("sts:GetCallerIdentity");
    list.sort_unstable();
    let mut hub: Vec<&str> = crate::hub_source::ACTIONS.to_vec();
    hub.sort_unstable();
    serde_json::json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WasecListOrganization",
                "Effect": "Allow",
                "Action": list,
                "Resource": "*"
            },
            {
                "Sid": "WasecAssumeMemberRole",
                "Effect": "Allow",
                "Action": [crate::org::A_ASSUME_ROLE],
                "Resource": format!("arn:*:iam::*:role/{role_name}")
            },
            {
                "Sid": "WasecReadSecurityHub",
                "Effect": "Allow",
                "Action": hub,
                "Resource": "*"
            }
        ]
    })
}

/// The CloudFormation template (usable as a StackSet over an
/// organization) that creates the member role: trusted by one account,
/// optionally only with an external id, allowed exactly the scan policy.
/// Shipped as `iam/wasec-member-role.cfn.yaml`; a test keeps the file
/// equal to this output.
pub fn member_role_template() -> String {
    let mut t = String::from(MEMBER_ROLE_HEAD);
    // The statements of the member policy, scoped ones included (a single
    // `Resource: "*"` statement would grant `apigateway:GET` on API keys).
    let doc = member_document();
    for st in doc["Statement"].as_array().into_iter().flatten() {
        let field = |k: &str| st[k].as_str().unwrap_or_default().to_string();
        t.push_str(&format!("              - Sid: {}\n", field("Sid")));
        t.push_str(&format!("                Effect: {}\n", field("Effect")));
        match &st["Resource"] {
            serde_json::Value::Array(list) => {
                t.push_str("                Resource:\n");
                for r in list.iter().filter_map(|r| r.as_str()) {
                    t.push_str(&format!("                  - \"{r}\"\n"));
                }
            }
            r => t.push_str(&format!(
                "                Resource: \"{}\"\n",
                r.as_str().unwrap_or("*")
            )),
        }
        t.push_str("                Action:\n");
        for a in st["Action"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a.as_str())
        {
            t.push_str(&format!("                  - {a}\n"));
        }
    }
    t.push_str(MEMBER_ROLE_TAIL);
    t
}

const MEMBER_ROLE_HEAD: &str = r#"# Generated by `wasec iam-policy --member --cfn`; do not edit by hand.
# The read-only role wasec assumes in each member account. Deploy it to
# every account with a service-managed StackSet (automatic deployment to
# the organization or to OUs), then run from the trusted account:
#   wasec collect review.yaml --organization --role-name WasecReadOnly
AWSTemplateFormatVersion: "2010-09-09"
Description: Read-only role for wasec (AWS Well-Architected Security pillar evidence)
Parameters:
  TrustedAccountId:
    Type: String
    AllowedPattern: "^[0-9]{12}$"
    Description: The account wasec runs from (management, delegated administrator or audit account)
  ExternalId:
    Type: String
    Default: ""
    Description: If set, wasec must pass it with --external-id
  RoleName:
    Type: String
    Default: WasecReadOnly
    AllowedPattern: "^[A-Za-z0-9+=,.@_-]{1,64}$"
Conditions:
  HasExternalId:
    Fn::Not:
      - Fn::Equals:
          - Ref: ExternalId
          - ""
Resources:
  WasecReadOnlyRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName:
        Ref: RoleName
      Description: wasec evidence collection (read-only)
      MaxSessionDuration: 3600
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              AWS:
                Fn::Sub: arn:${AWS::Partition}:iam::${TrustedAccountId}:root
            Action: sts:AssumeRole
            Condition:
              Fn::If:
                - HasExternalId
                - StringEquals:
                    sts:ExternalId:
                      Ref: ExternalId
                - Ref: AWS::NoValue
      Policies:
        - PolicyName: WasecReadOnlyEvidence
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
"#;

const MEMBER_ROLE_TAIL: &str = r#"Outputs:
  RoleArn:
    Value:
      Fn::GetAtt:
        - WasecReadOnlyRole
        - Arn
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_management_policy_lists_assumes_the_named_role_and_reads_security_hub() {
        let doc = management_document("AuditRole");
        let all: Vec<&str> = doc["Statement"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["Action"].as_array().unwrap().iter())
            .map(|a| a.as_str().unwrap())
            .collect();
        for a in [
            "organizations:ListAccounts",
            "organizations:ListAccountsForParent",
            "organizations:ListChildren",
            "organizations:DescribeOrganization",
            "sts:AssumeRole",
            "securityhub:GetFindings",
            "securityhub:ListFindingAggregators",
        ] {
            assert!(all.contains(&a), "{a} missing");
        }
        let assume = &doc["Statement"][1];
        assert_eq!(assume["Resource"], "arn:*:iam::*:role/AuditRole");
        // Only sts:AssumeRole may name a resource; nothing writes.
        assert!(
            all.iter()
                .filter(|a| **a != "sts:AssumeRole")
                .all(|a| is_read_only(a))
        );
    }

    #[test]
    fn the_member_role_template_carries_every_scan_action_once() {
        let t = member_role_template();
        for a in actions() {
            let line = format!("                  - {a}\n");
            assert_eq!(t.matches(&line).count(), 1, "{a}");
        }
        assert!(t.contains("sts:ExternalId") && t.contains("TrustedAccountId"));
    }

    #[test]
    fn every_action_reads() {
        let bad: Vec<_> = actions().into_iter().filter(|a| !is_read_only(a)).collect();
        assert!(bad.is_empty(), "non-read actions in the policy: {bad:?}");
    }

    #[test]
    fn verbs_are_classified() {
        assert!(is_read_only("s3:GetBucketPolicy"));
        assert!(is_read_only("iam:GenerateCredentialReport"));
        assert!(!is_read_only("iam:GenerateServiceLastAccessedDetails"));
        assert!(!is_read_only("s3:PutBucketPolicy"));
        assert!(!is_read_only("DescribeThings"));
        assert!(is_read_only("apigateway:GET"));
        assert!(!is_read_only("apigateway:POST"));
    }

    #[test]
    fn operations_map_to_their_actions() {
        assert_eq!(
            action_for("S3", "ListBuckets").unwrap(),
            "s3:ListAllMyBuckets"
        );
        assert_eq!(
            action_for("S3 Control", "GetPublicAccessBlock").unwrap(),
            "s3:GetAccountPublicAccessBlock"
        );
        assert_eq!(
            action_for("Elastic Load Balancing v2", "DescribeListeners").unwrap(),
            "elasticloadbalancing:DescribeListeners"
        );
        assert_eq!(
            action_for("IAM", "GetAccountSummary").unwrap(),
            "iam:GetAccountSummary"
        );
        assert_eq!(action_for("Nope", "X"), None);
        assert_eq!(
            action_for("API Gateway", "GetRestApis").unwrap(),
            "apigateway:GET"
        );
        assert_eq!(
            action_for("EFS", "DescribeFileSystemPolicy").unwrap(),
            "elasticfilesystem:DescribeFileSystemPolicy"
        );
        assert_eq!(
            action_for("Elastic Load Balancing", "DescribeLoadBalancerPolicies").unwrap(),
            "elasticloadbalancing:DescribeLoadBalancerPolicies"
        );
    }

    #[test]
    fn document_is_valid_json_with_the_runner_actions() {
        let text = serde_json::to_string_pretty(&document()).unwrap();
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        let list = back["Statement"][0]["Action"].as_array().unwrap();
        assert!(list.iter().any(|a| a == "sts:GetCallerIdentity"));
        assert!(list.iter().any(|a| a == "ec2:DescribeRegions"));
        assert!(list.iter().any(|a| a == "iam:GetAccountSummary"));
        // API Gateway's reads are limited to what wasec reads (not API keys).
        let apigw = &back["Statement"][1];
        assert_eq!(apigw["Action"], serde_json::json!(["apigateway:GET"]));
        assert!(
            apigw["Resource"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| !r.as_str().unwrap().contains("apikeys"))
        );
        assert!(!list.iter().any(|a| a == "apigateway:GET"));
        // Managed policies are limited to 6,144 characters without spaces.
        let compact = serde_json::to_string(&document()).unwrap();
        assert!(compact.len() < 6144, "policy too long: {}", compact.len());
    }
}
