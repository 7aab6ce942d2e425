//! The check catalogue: every evidence check wasec knows, with a typed id,
//! titles in both languages, the AWS service it reads, where it runs and
//! the read-only IAM actions it needs.
//!
//! It is plain data (no AWS SDK), so the TUI, reports and the bank loader
//! can name checks without the evidence crate. The direction of the
//! check-to-BP mapping lives in the question bank only (`checks:` per BP);
//! a check does not list its BPs.
//!
//! Adding a check: one entry in `checks.rs`, the code that emits it in the
//! service's module of `wasec-evidence`, and the check id in the `checks:`
//! line of the BPs it informs.

mod checks;

pub use checks::CheckId;

use crate::i18n::Lang;
use std::fmt;
use std::str::FromStr;

/// Where a check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// Once per account: IAM, Organizations, S3 account settings,
    /// CloudFront, and account-wide views that read every scanned region.
    Global,
    /// Once per scanned region.
    Regional,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Global => "global",
            Scope::Regional => "regional",
        }
    }
}

/// A string in both languages, fixed at compile time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticText {
    pub en: &'static str,
    pub ja: &'static str,
}

impl StaticText {
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Ja => self.ja,
        }
    }
}

macro_rules! services {
    ($($variant:ident = $id:literal, $en:literal, $ja:literal;)*) => {
        /// The AWS services wasec reads. The id is what review files store
        /// in an evidence item's `service` field.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Service { $($variant),* }

        impl Service {
            pub const ALL: &'static [Service] = &[$(Service::$variant),*];

            /// Stable lower-case id, the service's IAM action prefix (`s3`,
            /// `elasticloadbalancing`, `access-analyzer`).
            pub fn id(self) -> &'static str {
                match self { $(Service::$variant => $id),* }
            }

            /// Display name.
            pub fn name(self) -> StaticText {
                match self { $(Service::$variant => StaticText { en: $en, ja: $ja }),* }
            }
        }
    };
}

services! {
    Iam = "iam", "IAM", "IAM";
    S3 = "s3", "S3", "S3";
    Organizations = "organizations", "Organizations", "Organizations";
    Account = "account", "Account Management", "アカウント管理";
    Ec2 = "ec2", "EC2", "EC2";
    AccessAnalyzer = "access-analyzer", "IAM Access Analyzer", "IAM Access Analyzer";
    Acm = "acm", "ACM", "ACM";
    Backup = "backup", "AWS Backup", "AWS Backup";
    CloudFront = "cloudfront", "CloudFront", "CloudFront";
    CloudTrail = "cloudtrail", "CloudTrail", "CloudTrail";
    Config = "config", "AWS Config", "AWS Config";
    Ecr = "ecr", "ECR", "ECR";
    Elbv2 = "elasticloadbalancing", "Elastic Load Balancing", "Elastic Load Balancing";
    GuardDuty = "guardduty", "GuardDuty", "GuardDuty";
    Inspector = "inspector2", "Inspector", "Inspector";
    Kms = "kms", "KMS", "KMS";
    Lambda = "lambda", "Lambda", "Lambda";
    Logs = "logs", "CloudWatch Logs", "CloudWatch Logs";
    Macie = "macie2", "Macie", "Macie";
    Rds = "rds", "RDS", "RDS";
    SecretsManager = "secretsmanager", "Secrets Manager", "Secrets Manager";
    SecurityHub = "securityhub", "Security Hub CSPM", "Security Hub CSPM";
    Wafv2 = "wafv2", "AWS WAF", "AWS WAF";
    // Services read through their own SDK crates (issue 12); classic load
    // balancers are Elastic Load Balancing (Elbv2), one IAM prefix.
    Sns = "sns", "SNS", "SNS";
    Sqs = "sqs", "SQS", "SQS";
    DynamoDb = "dynamodb", "DynamoDB", "DynamoDB";
    Efs = "elasticfilesystem", "EFS", "EFS";
    Eks = "eks", "EKS", "EKS";
    ApiGateway = "apigateway", "API Gateway", "API Gateway";
    Ssm = "ssm", "Systems Manager", "Systems Manager";
}

impl Service {
    pub fn parse(id: &str) -> Option<Service> {
        Service::ALL.iter().copied().find(|s| s.id() == id)
    }

    /// Every check of this service.
    pub fn checks(self) -> impl Iterator<Item = CheckId> {
        CheckId::ALL
            .iter()
            .copied()
            .filter(move |c| c.service() == self)
    }
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What the catalogue says about one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckInfo {
    /// Stable id used in the question bank and in review files.
    pub id: &'static str,
    pub service: Service,
    pub scope: Scope,
    /// What a pass means, in both languages.
    pub title: StaticText,
    /// Read-only IAM actions its code calls (feeds `wasec iam-policy`).
    pub actions: &'static [&'static str],
}

impl CheckId {
    pub fn as_str(self) -> &'static str {
        self.info().id
    }

    pub fn service(self) -> Service {
        self.info().service
    }

    pub fn scope(self) -> Scope {
        self.info().scope
    }

    pub fn title(self, lang: Lang) -> &'static str {
        self.info().title.get(lang)
    }

    /// The check with this id, if wasec implements it.
    pub fn parse(id: &str) -> Option<CheckId> {
        CheckId::ALL.iter().copied().find(|c| c.as_str() == id)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CheckId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CheckId::parse(s).ok_or_else(|| format!("{s} is not a check wasec implements"))
    }
}

impl PartialEq<str> for CheckId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CheckId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// The metadata of a check id, if wasec implements it.
pub fn find(id: &str) -> Option<&'static CheckInfo> {
    CheckId::parse(id).map(CheckId::info)
}

/// Evidence about an account as a whole, written by the collector rather
/// than by a check: "wasec could not get into this account" (the member
/// role could not be assumed, the account is suspended). It informs no BP.
pub const ACCOUNT_ACCESS: &str = "wasec.account_access";

/// Evidence read from Security Hub CSPM (`--source securityhub`): one item
/// per control, account and region, informing the BPs the bank maps the
/// control to (the item's `bps`). The control id leads the summary.
pub const SECHUB_CONTROL: &str = "sechub.control";

/// Evidence ids no catalogue check produces, with their titles.
pub const SOURCE_IDS: &[(&str, StaticText)] = &[
    (
        ACCOUNT_ACCESS,
        StaticText {
            en: "wasec can read the account",
            ja: "wasec がアカウントを読み取れる",
        },
    ),
    (
        SECHUB_CONTROL,
        StaticText {
            en: "Security Hub CSPM control result",
            ja: "Security Hub CSPM のコントロール結果",
        },
    ),
];

/// The title of a check id in `lang`, or the id itself for checks wasec
/// does not know (evidence from an older version or another source).
pub fn title(id: &str, lang: Lang) -> &str {
    if let Some(c) = find(id) {
        return c.title.get(lang);
    }
    SOURCE_IDS
        .iter()
        .find(|(s, _)| *s == id)
        .map(|(_, t)| t.get(lang))
        .unwrap_or(id)
}

/// Ids earlier versions of wasec emitted, with the ids that replaced them.
/// A collection run replaces evidence under these ids too, so an old
/// review file does not keep stale items forever.
pub const RETIRED: &[(&str, &[CheckId])] = &[
    (
        "resource_policies.not_public",
        &[
            CheckId::KmsKeyPolicyNotPublic,
            CheckId::LambdaPolicyNotPublic,
            CheckId::EcrRepositoryPolicyNotPublic,
            CheckId::SecretsManagerPolicyNotPublic,
        ],
    ),
    (
        "service_logging.coverage",
        &[
            CheckId::ElbAccessLogs,
            CheckId::CloudFrontAccessLogs,
            CheckId::WafLogging,
            CheckId::RdsLogExports,
        ],
    ),
    (
        "runtime.supported_versions",
        &[
            CheckId::LambdaSupportedRuntimes,
            CheckId::RdsAutoMinorUpgrade,
        ],
    ),
    (
        "waf.public_endpoints_protected",
        &[CheckId::WafAlbsProtected, CheckId::CloudFrontWafEnabled],
    ),
    ("datastores.encrypted", &[CheckId::RdsStorageEncrypted]),
];

/// True for ids of this or an earlier version of wasec.
pub fn is_wasec_check(id: &str) -> bool {
    CheckId::parse(id).is_some() || RETIRED.iter().any(|(old, _)| *old == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn ids_are_unique_well_formed_and_parse_back() {
        let mut seen = BTreeSet::new();
        for c in CheckId::ALL {
            assert!(seen.insert(c.as_str()), "{c} declared twice");
            assert!(crate::bank::valid_check_id(c.as_str()), "{c}");
            assert_eq!(CheckId::parse(c.as_str()), Some(*c));
            assert_eq!(c.as_str().parse::<CheckId>(), Ok(*c));
        }
        assert!(CheckId::parse("nope.nothing").is_none());
    }

    #[test]
    fn every_check_is_complete() {
        for c in CheckId::ALL {
            let i = c.info();
            assert!(
                !i.title.en.trim().is_empty() && !i.title.ja.trim().is_empty(),
                "{c}"
            );
            assert!(!i.actions.is_empty(), "{c} declares no IAM action");
            let prefix = format!("{}:", i.service.id());
            assert!(
                i.actions.iter().any(|a| a.starts_with(&prefix)),
                "{c}: the service id is not the IAM prefix of any of its actions"
            );
            for a in i.actions {
                let (svc, verb) = a.split_once(':').unwrap_or_else(|| panic!("{c}: {a}"));
                assert!(!svc.is_empty() && verb.chars().next().is_some_and(char::is_uppercase));
            }
        }
    }

    #[test]
    fn every_service_has_checks_and_ids_round_trip() {
        for s in Service::ALL {
            assert!(s.checks().next().is_some(), "{s} has no check");
            assert_eq!(Service::parse(s.id()), Some(*s));
        }
    }

    #[test]
    fn retired_ids_are_not_current_and_point_to_current_ones() {
        for (old, new) in RETIRED {
            assert!(
                CheckId::parse(old).is_none(),
                "{old} is both current and retired"
            );
            assert!(!new.is_empty());
            assert!(is_wasec_check(old));
        }
        assert_eq!(
            title("iam.root_mfa", Lang::En),
            CheckId::IamRootMfa.title(Lang::En)
        );
        assert_eq!(title("team.custom", Lang::Ja), "team.custom");
    }
}
