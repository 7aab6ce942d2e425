//! The table of checks. One entry per check: variant, id, service, scope,
//! titles (what a pass means) and the IAM actions its code calls.

use super::{CheckInfo, Scope, Service, StaticText};

macro_rules! checks {
    ($(
        $variant:ident = $id:literal {
            $service:ident, $scope:ident,
            en: $en:literal,
            ja: $ja:literal,
            actions: $actions:expr $(,)?
        }
    )*) => {
        /// A check wasec implements. Code names checks through this type,
        /// never through strings.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum CheckId { $($variant),* }

        impl CheckId {
            /// Every check, in catalogue order.
            pub const ALL: &'static [CheckId] = &[$(CheckId::$variant),*];

            pub fn info(self) -> &'static CheckInfo {
                match self {
                    $(CheckId::$variant => &CheckInfo {
                        id: $id,
                        service: Service::$service,
                        scope: Scope::$scope,
                        title: StaticText { en: $en, ja: $ja },
                        actions: $actions,
                    }),*
                }
            }
        }
    };
}

// Actions several checks share.
const IAM_REPORT: &[&str] = &["iam:GenerateCredentialReport", "iam:GetCredentialReport"];
const IAM_AUTH: &[&str] = &["iam:GetAccountAuthorizationDetails"];
const IAM_AUTH_REPORT: &[&str] = &[
    "iam:GetAccountAuthorizationDetails",
    "iam:GenerateCredentialReport",
    "iam:GetCredentialReport",
];
const EC2_INSTANCES: &[&str] = &["ec2:DescribeInstances"];
const CT_TRAILS: &[&str] = &["cloudtrail:DescribeTrails"];
const CT_RECORDING: &[&str] = &[
    "cloudtrail:DescribeTrails",
    "cloudtrail:GetTrailStatus",
    "cloudtrail:GetEventSelectors",
];
const ELB_LISTENERS: &[&str] = &[
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeListeners",
];
const ELB_ATTRS: &[&str] = &[
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
];
const KMS_KEYS: &[&str] = &["kms:ListKeys", "kms:DescribeKey"];
const LAMBDA_LIST: &[&str] = &["lambda:ListFunctions"];
const RDS_DBS: &[&str] = &["rds:DescribeDBInstances", "rds:DescribeDBClusters"];
const SM_LIST: &[&str] = &["secretsmanager:ListSecrets"];
const GD: &[&str] = &["guardduty:ListDetectors", "guardduty:GetDetector"];
const INSPECTOR: &[&str] = &["inspector2:BatchGetAccountStatus"];
const CF_LIST: &[&str] = &["cloudfront:ListDistributions"];

// Actions of the services read through their own SDK crates (issue 12).
const SNS_TOPICS: &[&str] = &["sns:ListTopics", "sns:GetTopicAttributes"];
const SQS_QUEUES: &[&str] = &["sqs:ListQueues", "sqs:GetQueueAttributes"];
const EKS_CLUSTERS: &[&str] = &["eks:ListClusters", "eks:DescribeCluster"];
/// API Gateway authorizes its management API by HTTP verb: `GET` reads.
const APIGW_READ: &[&str] = &["apigateway:GET"];

checks! {
    // ------------------------------------------------------------- IAM ----
    IamRootMfa = "iam.root_mfa" {
        Iam, Global,
        en: "The root user has MFA",
        ja: "ルートユーザーに MFA が設定されている",
        actions: &["iam:GetAccountSummary"],
    }
    IamRootNoAccessKeys = "iam.root_no_access_keys" {
        Iam, Global,
        en: "The root user has no access keys",
        ja: "ルートユーザーにアクセスキーがない",
        actions: &["iam:GetAccountSummary"],
    }
    IamRootHardwareMfa = "iam.root_hardware_mfa" {
        Iam, Global,
        en: "The root user's MFA is a hardware device or security key",
        ja: "ルートユーザーの MFA がハードウェアデバイスまたはセキュリティキーである",
        actions: &["iam:GetAccountSummary", "iam:ListVirtualMFADevices"],
    }
    IamRootNotUsedRecently = "iam.root_not_used_recently" {
        Iam, Global,
        en: "The root user was not used in the last 30 days",
        ja: "ルートユーザーが過去 30 日間使われていない",
        actions: IAM_REPORT,
    }
    IamConsoleUsersMfa = "iam.console_users_mfa" {
        Iam, Global,
        en: "IAM users with a console password have MFA",
        ja: "コンソールパスワードを持つ IAM ユーザーに MFA が設定されている",
        actions: IAM_REPORT,
    }
    IamAccessKeysRotated = "iam.access_keys_rotated" {
        Iam, Global,
        en: "Active access keys are younger than 90 days",
        ja: "有効なアクセスキーが作成から 90 日以内である",
        actions: IAM_REPORT,
    }
    IamSingleActiveKey = "iam.single_active_key" {
        Iam, Global,
        en: "No IAM user has two active access keys",
        ja: "有効なアクセスキーを 2 つ持つ IAM ユーザーがいない",
        actions: IAM_REPORT,
    }
    IamUnusedCredentials = "iam.unused_credentials" {
        Iam, Global,
        en: "Passwords and access keys older than 45 days were used in the last 45 days",
        ja: "作成から 45 日を超えたパスワードとアクセスキーが直近 45 日以内に使われている",
        actions: IAM_REPORT,
    }
    IamNoInitialAccessKeys = "iam.no_initial_access_keys" {
        Iam, Global,
        en: "No active access key was created and never used",
        ja: "作成後一度も使われていない有効なアクセスキーがない",
        actions: IAM_REPORT,
    }
    IamLongTermKeysInventory = "iam.long_term_keys_inventory" {
        Iam, Global,
        en: "No IAM user has long-term access keys (temporary credentials instead)",
        ja: "長期のアクセスキーを持つ IAM ユーザーがいない（一時的な認証情報を使用）",
        actions: IAM_REPORT,
    }
    IamPasswordPolicyStrong = "iam.password_policy_strong" {
        Iam, Global,
        en: "The password policy asks for 14+ characters, 24 remembered and all character classes",
        ja: "パスワードポリシーが 14 文字以上・過去 24 個の再利用禁止・全文字種を求めている",
        actions: &["iam:GetAccountPasswordPolicy"],
    }
    IamNoAdminStarPolicies = "iam.no_admin_star_policies" {
        Iam, Global,
        en: "No customer policy allows every action on every resource",
        ja: "すべてのリソースへのすべてのアクションを許可するカスタマー管理ポリシーがない",
        actions: IAM_AUTH,
    }
    IamNoServiceWildcards = "iam.no_service_wildcards" {
        Iam, Global,
        en: "No customer policy allows a whole service (service:*)",
        ja: "サービス全体（service:*）を許可するカスタマー管理ポリシーがない",
        actions: IAM_AUTH,
    }
    IamUsersNoDirectPolicies = "iam.users_no_direct_policies" {
        Iam, Global,
        en: "IAM users get permissions through groups only",
        ja: "IAM ユーザーの権限がグループ経由でのみ付与されている",
        actions: IAM_AUTH,
    }
    IamAdminsHaveMfa = "iam.admins_have_mfa" {
        Iam, Global,
        en: "IAM users with administrator permissions have MFA",
        ja: "管理者権限を持つ IAM ユーザーに MFA が設定されている",
        actions: IAM_AUTH_REPORT,
    }
    IamKmsDecryptScoped = "iam.kms_decrypt_scoped" {
        Iam, Global,
        en: "No IAM policy allows kms:Decrypt on all keys",
        ja: "すべてのキーに対する kms:Decrypt を許可する IAM ポリシーがない",
        actions: IAM_AUTH,
    }
    IamThirdPartyRolesExternalId = "iam.third_party_roles_external_id" {
        Iam, Global,
        en: "Roles trusted by other accounts require an external id",
        ja: "他のアカウントから引き受け可能なロールが外部 ID を要求している",
        actions: IAM_AUTH,
    }
    IamUnusedRoles = "iam.unused_roles" {
        Iam, Global,
        en: "Roles older than 90 days were used in the last 90 days",
        ja: "作成から 90 日を超えたロールが直近 90 日以内に使われている",
        actions: IAM_AUTH,
    }
    IdpCentralizedIdentity = "idp.centralized_identity" {
        Iam, Global,
        en: "People sign in through a central identity provider",
        ja: "人のサインインが一元化された ID プロバイダー経由である",
        actions: &[
            "iam:ListSAMLProviders",
            "iam:ListOpenIDConnectProviders",
            "iam:GetAccountAuthorizationDetails",
            "iam:GenerateCredentialReport",
            "iam:GetCredentialReport",
        ],
    }
    IamNoExpiredServerCerts = "iam.no_expired_server_certs" {
        Iam, Global,
        en: "No expired server certificate is stored in IAM",
        ja: "IAM に期限切れのサーバー証明書が保存されていない",
        actions: &["iam:ListServerCertificates"],
    }
    IrSupportRole = "ir.support_role" {
        Iam, Global,
        en: "A role, group or user can open AWS Support cases",
        ja: "AWS サポートケースを開けるロール・グループ・ユーザーがある",
        actions: &["iam:ListEntitiesForPolicy"],
    }
    IrPreprovisionedRoles = "ir.preprovisioned_roles" {
        Iam, Global,
        en: "A role for security investigations (SecurityAudit or ReadOnlyAccess) exists",
        ja: "セキュリティ調査用のロール（SecurityAudit または ReadOnlyAccess）がある",
        actions: IAM_AUTH,
    }

    // -------------------------------------------------------------- S3 ----
    S3AccountPublicAccessBlock = "s3.account_public_access_block" {
        S3, Global,
        en: "Account-level S3 Block Public Access has all four settings on",
        ja: "アカウントレベルの S3 ブロックパブリックアクセスの 4 設定がすべて有効",
        actions: &["s3:GetAccountPublicAccessBlock"],
    }
    S3BucketNotPublic = "s3.bucket_not_public" {
        S3, Global,
        en: "No S3 bucket is public through its policy or ACL",
        ja: "バケットポリシーや ACL で公開されている S3 バケットがない",
        actions: &[
            "s3:ListAllMyBuckets",
            "s3:GetBucketLocation",
            "s3:GetAccountPublicAccessBlock",
            "s3:GetBucketPolicy",
            "s3:GetBucketPublicAccessBlock",
            "s3:GetBucketOwnershipControls",
            "s3:GetBucketAcl",
        ],
    }
    S3DefaultEncryption = "s3.default_encryption" {
        S3, Global,
        en: "Buckets default to SSE-KMS where their policy or the team requires it",
        ja: "バケットポリシーまたはチームが求めるバケットで SSE-KMS がデフォルト暗号化になっている",
        actions: &[
            "s3:ListAllMyBuckets",
            "s3:GetBucketLocation",
            "s3:GetEncryptionConfiguration",
            "s3:GetBucketPolicy",
        ],
    }
    S3VersioningObjectLock = "s3.versioning_object_lock" {
        S3, Global,
        en: "Buckets have versioning enabled",
        ja: "バケットのバージョニングが有効",
        actions: &["s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketVersioning"],
    }
    S3TlsOnlyPolicy = "s3.tls_only_policy" {
        S3, Global,
        en: "Bucket policies deny requests that do not use TLS",
        ja: "バケットポリシーが TLS を使わないリクエストを拒否している",
        actions: &["s3:ListAllMyBuckets", "s3:GetBucketLocation", "s3:GetBucketPolicy"],
    }
    S3AclsDisabled = "s3.acls_disabled" {
        S3, Global,
        en: "Bucket ACLs are disabled (bucket owner enforced)",
        ja: "バケット ACL が無効（バケット所有者の強制）",
        actions: &[
            "s3:ListAllMyBuckets",
            "s3:GetBucketLocation",
            "s3:GetBucketOwnershipControls",
        ],
    }

    // --------------------------------------------- Organizations, Account ----
    OrgMemberOfOrganization = "org.member_of_organization" {
        Organizations, Global,
        en: "The account belongs to an AWS Organization",
        ja: "アカウントが AWS Organizations の組織に属している",
        actions: &["organizations:DescribeOrganization"],
    }
    OrgScpGuardrails = "org.scp_guardrails" {
        Organizations, Global,
        en: "Service control policies beyond FullAWSAccess are attached in the organization",
        ja: "組織で FullAWSAccess 以外のサービスコントロールポリシーがアタッチされている",
        actions: &[
            "organizations:DescribeOrganization",
            "organizations:ListPolicies",
            "organizations:ListTargetsForPolicy",
        ],
    }
    AccountAlternateContacts = "account.alternate_contacts" {
        Account, Global,
        en: "A security alternate contact is set",
        ja: "セキュリティの代替連絡先が設定されている",
        actions: &["account:GetAlternateContact"],
    }

    // ------------------------------------------------------------- EC2 ----
    Ec2SgNoAdminPortsOpen = "ec2.sg_no_admin_ports_open" {
        Ec2, Regional,
        en: "No security group opens SSH or RDP to the internet",
        ja: "SSH や RDP をインターネットに開放しているセキュリティグループがない",
        actions: &["ec2:DescribeSecurityGroups"],
    }
    Ec2NaclNoAdminPortsOpen = "ec2.nacl_no_admin_ports_open" {
        Ec2, Regional,
        en: "No network ACL allows SSH or RDP from the internet",
        ja: "インターネットからの SSH や RDP を許可するネットワーク ACL がない",
        actions: &["ec2:DescribeNetworkAcls"],
    }
    Ec2DefaultSgClosed = "ec2.default_sg_closed" {
        Ec2, Regional,
        en: "Default security groups allow no traffic",
        ja: "デフォルトセキュリティグループが通信を許可していない",
        actions: &["ec2:DescribeSecurityGroups"],
    }
    VpcFlowLogs = "vpc.flow_logs" {
        Ec2, Regional,
        en: "Every VPC has an active flow log",
        ja: "すべての VPC に有効なフローログがある",
        actions: &["ec2:DescribeVpcs", "ec2:DescribeFlowLogs"],
    }
    EbsDefaultEncryption = "ebs.default_encryption" {
        Ec2, Regional,
        en: "EBS encryption by default is on",
        ja: "EBS のデフォルト暗号化が有効",
        actions: &["ec2:GetEbsEncryptionByDefault"],
    }
    EbsVolumesEncrypted = "ebs.volumes_encrypted" {
        Ec2, Regional,
        en: "EBS volumes are encrypted",
        ja: "EBS ボリュームが暗号化されている",
        actions: &["ec2:DescribeVolumes"],
    }
    EbsSnapshotsEncrypted = "ebs.snapshots_encrypted" {
        Ec2, Regional,
        en: "EBS snapshots owned by the account are encrypted",
        ja: "アカウントが所有する EBS スナップショットが暗号化されている",
        actions: &["ec2:DescribeSnapshots"],
    }
    Ec2EbsSnapshotsNotPublic = "ec2.ebs_snapshots_not_public" {
        Ec2, Regional,
        en: "No EBS snapshot can be restored by anyone",
        ja: "誰でも復元できる EBS スナップショットがない",
        actions: &["ec2:DescribeSnapshots", "ec2:DescribeSnapshotAttribute"],
    }
    Ec2Imdsv2Required = "ec2.imdsv2_required" {
        Ec2, Regional,
        en: "Instances require IMDSv2",
        ja: "インスタンスが IMDSv2 を必須にしている",
        actions: EC2_INSTANCES,
    }
    Ec2InstanceProfileAttached = "ec2.instance_profile_attached" {
        Ec2, Regional,
        en: "Instances use an instance profile (IAM role)",
        ja: "インスタンスがインスタンスプロファイル（IAM ロール）を使っている",
        actions: EC2_INSTANCES,
    }
    Ec2NoPublicIpByDefault = "ec2.no_public_ip_by_default" {
        Ec2, Regional,
        en: "Subnets do not give new instances a public IP address",
        ja: "サブネットが新しいインスタンスにパブリック IP アドレスを割り当てない",
        actions: &["ec2:DescribeSubnets"],
    }
    SecretsPlaintextEc2Userdata = "secrets.plaintext_ec2_userdata" {
        Ec2, Regional,
        en: "No plaintext secret in EC2 instance user data",
        ja: "EC2 インスタンスのユーザーデータに平文のシークレットがない",
        actions: &["ec2:DescribeInstances", "ec2:DescribeInstanceAttribute"],
    }
    Ec2NoInteractiveAccess = "ec2.no_interactive_access" {
        Ec2, Regional,
        en: "Instances have no SSH key pair and no SSH or RDP open to the internet",
        ja: "インスタンスに SSH キーペアがなく、SSH や RDP がインターネットに開いていない",
        actions: &["ec2:DescribeInstances", "ec2:DescribeSecurityGroups"],
    }

    // ---------------------------------------------------- Access Analyzer ----
    AccessAnalyzerExternalEnabled = "accessanalyzer.external_enabled" {
        AccessAnalyzer, Regional,
        en: "An IAM Access Analyzer for external access is active",
        ja: "外部アクセス用の IAM Access Analyzer が有効",
        actions: &["access-analyzer:ListAnalyzers"],
    }
    AccessAnalyzerActiveFindings = "accessanalyzer.active_findings" {
        AccessAnalyzer, Regional,
        en: "No resource is shared outside the zone of trust (no active external-access finding)",
        ja: "信頼ゾーンの外に共有されたリソースがない（未対応の外部アクセスの検出結果がない）",
        actions: &["access-analyzer:ListAnalyzers", "access-analyzer:ListFindingsV2"],
    }

    AccessAnalyzerUnusedAccess = "accessanalyzer.unused_access" {
        AccessAnalyzer, Global,
        en: "IAM Access Analyzer reports no unused roles, access keys, passwords or permissions",
        ja: "IAM Access Analyzer が未使用のロール・アクセスキー・パスワード・権限を報告していない",
        actions: &["access-analyzer:ListAnalyzers", "access-analyzer:ListFindingsV2"],
    }

    // ---------------------------------------------------------------- ACM ----
    AcmCertHealth = "acm.cert_health" {
        Acm, Regional,
        en: "ACM certificates are valid for 30+ days and use keys of 2048 bits or more",
        ja: "ACM 証明書の有効期限が 30 日以上残り、鍵長が 2048 ビット以上",
        actions: &["acm:ListCertificates"],
    }

    // ------------------------------------------------------------- Backup ----
    BackupPlansAndVaultLock = "backup.plans_and_vault_lock" {
        Backup, Regional,
        en: "AWS Backup plans have resources assigned and a vault is locked",
        ja: "AWS Backup プランにリソースが割り当てられ、ボールトがロックされている",
        actions: &["backup:ListBackupPlans", "backup:ListBackupSelections", "backup:ListBackupVaults"],
    }

    // --------------------------------------------------------- CloudFront ----
    CloudFrontTls = "cloudfront.tls" {
        CloudFront, Global,
        en: "CloudFront uses HTTPS with TLS 1.2 or later to viewers and origins",
        ja: "CloudFront がビューワーとオリジンに TLS 1.2 以上の HTTPS を使っている",
        actions: CF_LIST,
    }
    CloudFrontWafEnabled = "cloudfront.waf_enabled" {
        CloudFront, Global,
        en: "CloudFront distributions have an AWS WAF web ACL",
        ja: "CloudFront ディストリビューションに AWS WAF ウェブ ACL が関連付けられている",
        actions: CF_LIST,
    }
    CloudFrontAccessLogs = "cloudfront.access_logs" {
        CloudFront, Global,
        en: "CloudFront distributions write standard access logs",
        ja: "CloudFront ディストリビューションが標準アクセスログを記録している",
        actions: &["cloudfront:ListDistributions", "cloudfront:GetDistributionConfig"],
    }

    // --------------------------------------------------------- CloudTrail ----
    CloudTrailMultiRegionLogging = "cloudtrail.multi_region_logging" {
        CloudTrail, Regional,
        en: "A multi-Region trail logs read and write management events",
        ja: "マルチリージョンの CloudTrail 証跡が読み取りと書き込みの管理イベントを記録している",
        actions: CT_RECORDING,
    }
    CloudTrailOrganizationTrail = "cloudtrail.organization_trail" {
        CloudTrail, Regional,
        en: "An organization trail logs management events for every account",
        ja: "組織の証跡がすべてのアカウントの管理イベントを記録している",
        actions: CT_RECORDING,
    }
    CloudTrailLogValidation = "cloudtrail.log_validation" {
        CloudTrail, Regional,
        en: "CloudTrail log file validation is on",
        ja: "CloudTrail のログファイルの整合性検証が有効",
        actions: CT_TRAILS,
    }
    CloudTrailKmsEncrypted = "cloudtrail.kms_encrypted" {
        CloudTrail, Regional,
        en: "CloudTrail log files are encrypted with a KMS key",
        ja: "CloudTrail のログファイルが KMS キーで暗号化されている",
        actions: CT_TRAILS,
    }
    CloudTrailCwLogsIntegration = "cloudtrail.cw_logs_integration" {
        CloudTrail, Regional,
        en: "CloudTrail delivers events to CloudWatch Logs",
        ja: "CloudTrail がイベントを CloudWatch Logs に配信している",
        actions: CT_TRAILS,
    }
    CloudTrailS3DataEvents = "cloudtrail.s3_data_events" {
        CloudTrail, Regional,
        en: "CloudTrail records S3 object-level read and write events for all buckets",
        ja: "CloudTrail がすべてのバケットの S3 オブジェクトレベルの読み取り・書き込みイベントを記録している",
        actions: CT_RECORDING,
    }

    // ------------------------------------------------------------- Config ----
    ConfigRecorderAllRegions = "config.recorder_all_regions" {
        Config, Regional,
        en: "The AWS Config recorder records all resource types and has a delivery channel",
        ja: "AWS Config レコーダーがすべてのリソースタイプを記録し、配信チャネルがある",
        actions: &[
            "config:DescribeConfigurationRecorders",
            "config:DescribeConfigurationRecorderStatus",
            "config:DescribeDeliveryChannels",
        ],
    }
    ConfigConformancePacks = "config.conformance_packs" {
        Config, Regional,
        en: "AWS Config conformance packs are deployed",
        ja: "AWS Config コンフォーマンスパックが展開されている",
        actions: &["config:DescribeConformancePacks"],
    }

    ConfigAggregator = "config.aggregator" {
        Config, Global,
        en: "An AWS Config aggregator collects every scanned region",
        ja: "AWS Config アグリゲーターがスキャン対象のすべてのリージョンを集約している",
        actions: &[
            "config:DescribeConfigurationAggregators",
            "config:DescribeAggregationAuthorizations",
            "organizations:DescribeOrganization",
        ],
    }

    // ---------------------------------------------------------------- ECR ----
    EcrImageScanning = "ecr.image_scanning" {
        Ecr, Regional,
        en: "ECR repositories scan images on push or continuously",
        ja: "ECR リポジトリがプッシュ時または継続的にイメージをスキャンしている",
        actions: &["ecr:DescribeRepositories", "ecr:GetRegistryScanningConfiguration"],
    }
    IntegrityEcrTagImmutability = "integrity.ecr_tag_immutability" {
        Ecr, Regional,
        en: "ECR image tags cannot be overwritten (immutable tags)",
        ja: "ECR イメージタグが上書きできない（タグのイミュータビリティ）",
        actions: &["ecr:DescribeRepositories"],
    }
    EcrRepositoryPolicyNotPublic = "ecr.repository_policy_not_public" {
        Ecr, Regional,
        en: "No ECR repository policy lets anyone in",
        ja: "誰でもアクセスできる ECR リポジトリポリシーがない",
        actions: &["ecr:DescribeRepositories", "ecr:GetRepositoryPolicy"],
    }

    // ------------------------------------------------ Elastic Load Balancing ----
    ElbHttpsOnly = "elb.https_only" {
        Elbv2, Regional,
        en: "Application load balancers serve HTTPS only (HTTP redirects to HTTPS)",
        ja: "Application Load Balancer が HTTPS のみで提供している（HTTP は HTTPS にリダイレクト）",
        actions: ELB_LISTENERS,
    }
    ElbTlsPolicyModern = "elb.tls_policy_modern" {
        Elbv2, Regional,
        en: "Load balancer listeners allow TLS 1.2 or later only, and ALBs drop invalid headers",
        ja: "ロードバランサーのリスナーが TLS 1.2 以上のみを許可し、ALB が不正なヘッダーを破棄している",
        actions: ELB_ATTRS,
    }
    ElbAccessLogs = "elb.access_logs" {
        Elbv2, Regional,
        en: "Application load balancers write access logs",
        ja: "Application Load Balancer がアクセスログを記録している",
        actions: &[
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
        ],
    }

    ElbMutualTls = "elb.mutual_tls" {
        Elbv2, Regional,
        en: "Internal application load balancers authenticate clients (mutual TLS or ALB authentication)",
        ja: "内部向け Application Load Balancer がクライアントを認証している（相互 TLS または ALB の認証）",
        actions: ELB_LISTENERS,
    }

    // ---------------------------------------------------------- GuardDuty ----
    GuardDutyEnabled = "guardduty.enabled" {
        GuardDuty, Regional,
        en: "GuardDuty is enabled",
        ja: "GuardDuty が有効",
        actions: GD,
    }
    GuardDutyProtectionPlans = "guardduty.protection_plans" {
        GuardDuty, Regional,
        en: "GuardDuty protection plans are enabled",
        ja: "GuardDuty の保護プランが有効",
        actions: GD,
    }

    // ---------------------------------------------------------- Inspector ----
    InspectorScanningEnabled = "inspector.scanning_enabled" {
        Inspector, Regional,
        en: "Amazon Inspector scans EC2, ECR and Lambda",
        ja: "Amazon Inspector が EC2・ECR・Lambda をスキャンしている",
        actions: INSPECTOR,
    }
    AppsecCodeScanning = "appsec.code_scanning" {
        Inspector, Regional,
        en: "Amazon Inspector scans Lambda code",
        ja: "Amazon Inspector が Lambda のコードをスキャンしている",
        actions: INSPECTOR,
    }
    InspectorOpenCriticalFindings = "inspector.open_critical_findings" {
        Inspector, Regional,
        en: "No critical finding open over 15 days and no high finding over 30 days",
        ja: "15 日を超えて未対応の重大な検出結果と 30 日を超えて未対応の高リスクの検出結果がない",
        actions: &["inspector2:BatchGetAccountStatus", "inspector2:ListFindings"],
    }

    // ---------------------------------------------------------------- KMS ----
    KmsCmkRotation = "kms.cmk_rotation" {
        Kms, Regional,
        en: "Customer managed KMS keys rotate automatically",
        ja: "カスタマーマネージドキーが自動ローテーションされている",
        actions: &["kms:ListKeys", "kms:DescribeKey", "kms:GetKeyRotationStatus"],
    }
    KmsKeysNotPendingDeletion = "kms.keys_not_pending_deletion" {
        Kms, Regional,
        en: "No customer managed KMS key is scheduled for deletion",
        ja: "削除が予定されたカスタマーマネージドキーがない",
        actions: KMS_KEYS,
    }
    KmsKeyPolicyNotPublic = "kms.key_policy_not_public" {
        Kms, Regional,
        en: "No KMS key policy lets any AWS principal in without a limiting condition",
        ja: "条件による制限なしに任意の AWS プリンシパルを許可するキーポリシーがない",
        actions: &["kms:ListKeys", "kms:DescribeKey", "kms:GetKeyPolicy"],
    }

    // ------------------------------------------------------------- Lambda ----
    SecretsPlaintextLambdaEnv = "secrets.plaintext_lambda_env" {
        Lambda, Regional,
        en: "No plaintext secret in Lambda environment variables",
        ja: "Lambda の環境変数に平文のシークレットがない",
        actions: LAMBDA_LIST,
    }
    LambdaPolicyNotPublic = "lambda.policy_not_public" {
        Lambda, Regional,
        en: "No Lambda function policy lets anyone invoke the function",
        ja: "誰でも関数を呼び出せる Lambda 関数ポリシーがない",
        actions: &["lambda:ListFunctions", "lambda:GetPolicy"],
    }
    LambdaFunctionUrlAuth = "lambda.function_url_auth" {
        Lambda, Regional,
        en: "No Lambda function URL can be called by anyone without authentication",
        ja: "認証なしで誰でも呼び出せる Lambda 関数 URL がない",
        actions: &["lambda:ListFunctions", "lambda:GetPolicy"],
    }
    LambdaSupportedRuntimes = "lambda.supported_runtimes" {
        Lambda, Regional,
        en: "Lambda functions use runtimes that are not deprecated",
        ja: "Lambda 関数がサポート終了前のランタイムを使っている",
        actions: LAMBDA_LIST,
    }

    LambdaInVpc = "lambda.in_vpc" {
        Lambda, Regional,
        en: "Lambda functions run attached to a VPC",
        ja: "Lambda 関数が VPC に接続して動作している",
        actions: LAMBDA_LIST,
    }

    // ---------------------------------------------------- CloudWatch Logs ----
    LogsRetentionSet = "logs.retention_set" {
        Logs, Regional,
        en: "Log groups keep logs for 365+ days and then expire",
        ja: "ロググループがログを 365 日以上保持し、その後に期限切れになる",
        actions: &["logs:DescribeLogGroups"],
    }

    LogsKmsEncrypted = "logs.kms_encrypted" {
        Logs, Regional,
        en: "Log groups use a customer managed KMS key where the team requires it",
        ja: "チームが求める場合にロググループがカスタマーマネージドキーを使っている",
        actions: &["logs:DescribeLogGroups"],
    }

    // -------------------------------------------------------------- Macie ----
    MacieEnabled = "macie.enabled" {
        Macie, Regional,
        en: "Amazon Macie is enabled",
        ja: "Amazon Macie が有効",
        actions: &["macie2:GetMacieSession"],
    }
    MacieAutomatedDiscovery = "macie.automated_discovery" {
        Macie, Regional,
        en: "Macie looks for sensitive data (automated discovery or a classification job)",
        ja: "Macie が機密データを検出している（自動検出または分類ジョブ）",
        actions: &[
            "macie2:GetMacieSession",
            "macie2:GetAutomatedDiscoveryConfiguration",
            "macie2:ListClassificationJobs",
        ],
    }

    // ---------------------------------------------------------------- RDS ----
    RdsNotPublic = "rds.not_public" {
        Rds, Regional,
        en: "No RDS database is publicly accessible and no manual snapshot is public",
        ja: "パブリックアクセス可能な RDS データベースや公開された手動スナップショットがない",
        actions: &[
            "rds:DescribeDBInstances",
            "rds:DescribeDBClusters",
            "rds:DescribeDBSnapshots",
            "rds:DescribeDBSnapshotAttributes",
        ],
    }
    RdsStorageEncrypted = "rds.storage_encrypted" {
        Rds, Regional,
        en: "RDS, Aurora, DocumentDB and Neptune storage and manual DB snapshots are encrypted",
        ja: "RDS・Aurora・DocumentDB・Neptune のストレージと手動 DB スナップショットが暗号化されている",
        actions: &["rds:DescribeDBInstances", "rds:DescribeDBClusters", "rds:DescribeDBSnapshots"],
    }
    RdsLogExports = "rds.log_exports" {
        Rds, Regional,
        en: "Databases export their logs to CloudWatch Logs",
        ja: "データベースがログを CloudWatch Logs にエクスポートしている",
        actions: RDS_DBS,
    }
    RdsAutoMinorUpgrade = "rds.auto_minor_upgrade" {
        Rds, Regional,
        en: "DB instances take automatic minor version upgrades",
        ja: "DB インスタンスがマイナーバージョンの自動アップグレードを適用している",
        actions: &["rds:DescribeDBInstances"],
    }

    RdsSubnetsPrivate = "rds.subnets_private" {
        Rds, Regional,
        en: "DB instances use only subnets without a route to an internet gateway",
        ja: "DB インスタンスがインターネットゲートウェイへの経路がないサブネットのみを使っている",
        actions: &["rds:DescribeDBInstances", "ec2:DescribeRouteTables"],
    }

    // ---------------------------------------------------- Secrets Manager ----
    SecretsSecretsManagerRotation = "secrets.secrets_manager_rotation" {
        SecretsManager, Regional,
        en: "Secrets rotate automatically and were rotated in the last 90 days",
        ja: "シークレットが自動ローテーションされ、直近 90 日以内にローテーションされている",
        actions: SM_LIST,
    }
    SecretsUnused = "secrets.unused" {
        SecretsManager, Regional,
        en: "Secrets older than 90 days were used in the last 90 days",
        ja: "作成から 90 日を超えたシークレットが直近 90 日以内に使われている",
        actions: SM_LIST,
    }
    SecretsManagerPolicyNotPublic = "secretsmanager.policy_not_public" {
        SecretsManager, Regional,
        en: "No secret's resource policy lets any AWS principal in",
        ja: "任意の AWS プリンシパルを許可するシークレットのリソースポリシーがない",
        actions: &["secretsmanager:ListSecrets", "secretsmanager:GetResourcePolicy"],
    }

    // -------------------------------------------------- Security Hub CSPM ----
    SechubStandardsEnabled = "sechub.standards_enabled" {
        SecurityHub, Regional,
        en: "Security Hub CSPM is enabled with the FSBP or CIS standard",
        ja: "Security Hub CSPM が有効で、FSBP または CIS 標準が適用されている",
        actions: &["securityhub:DescribeHub", "securityhub:GetEnabledStandards"],
    }
    SechubFailedControlsImport = "sechub.failed_controls_import" {
        SecurityHub, Regional,
        en: "Failed Security Hub CSPM controls (imported)",
        ja: "Security Hub CSPM で不合格のコントロール（取り込み）",
        actions: &["securityhub:DescribeHub", "securityhub:GetFindings"],
    }

    SechubFindingsAggregated = "sechub.findings_aggregated" {
        SecurityHub, Global,
        en: "Security Hub CSPM findings of every scanned region reach one place (an aggregator or an administrator account)",
        ja: "スキャン対象のすべてのリージョンの Security Hub CSPM の検出結果が 1 か所（アグリゲーターまたは管理者アカウント）に集まる",
        actions: &[
            "securityhub:ListFindingAggregators",
            "securityhub:GetFindingAggregator",
            "securityhub:GetAdministratorAccount",
        ],
    }

    // ---------------------------------------------------------------- WAF ----
    WafAlbsProtected = "waf.albs_protected" {
        Wafv2, Regional,
        en: "Internet-facing application load balancers have an AWS WAF web ACL",
        ja: "インターネット向け Application Load Balancer に AWS WAF ウェブ ACL が関連付けられている",
        actions: &[
            "elasticloadbalancing:DescribeLoadBalancers",
            "wafv2:GetWebACLForResource",
        ],
    }
    WafLogging = "waf.logging" {
        Wafv2, Regional,
        en: "AWS WAF web ACLs log their traffic",
        ja: "AWS WAF ウェブ ACL がトラフィックを記録している",
        actions: &["wafv2:ListWebACLs", "wafv2:GetLoggingConfiguration"],
    }

    // ------------------------------------------- Classic Load Balancer ----
    // Elastic Load Balancing's classic API (read beside ELBv2 by one module).
    ClbTlsListeners = "clb.tls_listeners" {
        Elbv2, Regional,
        en: "Classic Load Balancers accept only HTTPS or SSL connections",
        ja: "Classic Load Balancer が HTTPS または SSL の接続のみを受け付けている",
        actions: &["elasticloadbalancing:DescribeLoadBalancers"],
    }
    ClbTlsPolicyModern = "clb.tls_policy_modern" {
        Elbv2, Regional,
        en: "Classic Load Balancer HTTPS and SSL listeners allow TLS 1.2 or later only",
        ja: "Classic Load Balancer の HTTPS・SSL リスナーが TLS 1.2 以上のみを許可している",
        actions: &[
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerPolicies",
        ],
    }
    ClbAccessLogs = "clb.access_logs" {
        Elbv2, Regional,
        en: "Classic Load Balancers write access logs",
        ja: "Classic Load Balancer がアクセスログを記録している",
        actions: &[
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
        ],
    }

    // ---------------------------------------------------------------- SNS ----
    SnsKmsEncrypted = "sns.kms_encrypted" {
        Sns, Regional,
        en: "SNS topics are encrypted at rest with a KMS key",
        ja: "SNS トピックが KMS キーで保管時に暗号化されている",
        actions: SNS_TOPICS,
    }
    SnsPolicyNotPublic = "sns.policy_not_public" {
        Sns, Regional,
        en: "No SNS topic policy lets anyone in",
        ja: "誰でもアクセスできる SNS トピックポリシーがない",
        actions: SNS_TOPICS,
    }

    // ---------------------------------------------------------------- SQS ----
    SqsEncrypted = "sqs.encrypted" {
        Sqs, Regional,
        en: "SQS queues are encrypted at rest (a customer managed KMS key where the team requires it)",
        ja: "SQS キューが保管時に暗号化されている（チームが求める場合はカスタマーマネージドキー）",
        actions: SQS_QUEUES,
    }
    SqsPolicyNotPublic = "sqs.policy_not_public" {
        Sqs, Regional,
        en: "No SQS queue policy lets anyone in",
        ja: "誰でもアクセスできる SQS キューポリシーがない",
        actions: SQS_QUEUES,
    }

    // ----------------------------------------------------------- DynamoDB ----
    DynamoDbPitrEnabled = "dynamodb.pitr_enabled" {
        DynamoDb, Regional,
        en: "DynamoDB tables have point-in-time recovery on",
        ja: "DynamoDB テーブルでポイントインタイムリカバリが有効",
        actions: &["dynamodb:ListTables", "dynamodb:DescribeContinuousBackups"],
    }
    DynamoDbKmsCmk = "dynamodb.kms_cmk" {
        DynamoDb, Regional,
        en: "DynamoDB tables use a customer managed KMS key where the team requires it",
        ja: "チームが求める場合に DynamoDB テーブルがカスタマーマネージドキーを使っている",
        actions: &["dynamodb:ListTables", "dynamodb:DescribeTable", "kms:DescribeKey"],
    }
    DynamoDbDeletionProtection = "dynamodb.deletion_protection" {
        DynamoDb, Regional,
        en: "DynamoDB tables have deletion protection on",
        ja: "DynamoDB テーブルで削除保護が有効",
        actions: &["dynamodb:ListTables", "dynamodb:DescribeTable"],
    }

    // ---------------------------------------------------------------- EFS ----
    EfsEncrypted = "efs.encrypted" {
        Efs, Regional,
        en: "EFS file systems are encrypted at rest",
        ja: "EFS ファイルシステムが保管時に暗号化されている",
        actions: &["elasticfilesystem:DescribeFileSystems"],
    }
    EfsPolicyNotPublic = "efs.policy_not_public" {
        Efs, Regional,
        en: "No EFS file system policy lets anyone in",
        ja: "誰でもアクセスできる EFS ファイルシステムポリシーがない",
        actions: &[
            "elasticfilesystem:DescribeFileSystems",
            "elasticfilesystem:DescribeFileSystemPolicy",
        ],
    }

    // ---------------------------------------------------------------- EKS ----
    EksEndpointNotPublic = "eks.endpoint_not_public" {
        Eks, Regional,
        en: "No EKS cluster API endpoint is open to the whole internet",
        ja: "インターネット全体に公開された EKS クラスターの API エンドポイントがない",
        actions: EKS_CLUSTERS,
    }
    EksControlPlaneLogging = "eks.control_plane_logging" {
        Eks, Regional,
        en: "EKS clusters send API, audit and authenticator logs to CloudWatch Logs",
        ja: "EKS クラスターが API・監査・認証のログを CloudWatch Logs に送っている",
        actions: EKS_CLUSTERS,
    }
    EksSecretsEncrypted = "eks.secrets_encrypted" {
        Eks, Regional,
        en: "EKS clusters envelope-encrypt Kubernetes secrets (with a customer managed KMS key where the team requires it)",
        ja: "EKS クラスターが Kubernetes シークレットをエンベロープ暗号化している（チームが求める場合はカスタマーマネージドキー）",
        actions: EKS_CLUSTERS,
    }

    // -------------------------------------------------------- API Gateway ----
    ApiGatewayStageLogging = "apigateway.stage_logging" {
        ApiGateway, Regional,
        en: "API Gateway REST API stages write access logs and execution logs",
        ja: "API Gateway REST API のステージがアクセスログと実行ログを記録している",
        actions: APIGW_READ,
    }
    ApiGatewayMethodsAuthorized = "apigateway.methods_authorized" {
        ApiGateway, Regional,
        en: "API Gateway REST API methods require authorization (IAM, Cognito or a Lambda authorizer)",
        ja: "API Gateway REST API のメソッドが認可（IAM・Cognito・Lambda オーソライザー）を求めている",
        actions: APIGW_READ,
    }
    ApiGatewayClientCertificate = "apigateway.client_certificate" {
        ApiGateway, Regional,
        en: "API Gateway stages that call HTTP backends present a client certificate",
        ja: "HTTP バックエンドを呼び出す API Gateway のステージがクライアント証明書を提示している",
        actions: APIGW_READ,
    }
    ApiGatewayDomainTls = "apigateway.domain_tls" {
        ApiGateway, Regional,
        en: "API Gateway custom domain names allow TLS 1.2 or later only",
        ja: "API Gateway のカスタムドメイン名が TLS 1.2 以上のみを許可している",
        actions: APIGW_READ,
    }
    ApiGatewayWafAttached = "apigateway.waf_attached" {
        ApiGateway, Regional,
        en: "Stages of public API Gateway REST APIs have an AWS WAF web ACL",
        ja: "公開された API Gateway REST API のステージに AWS WAF ウェブ ACL が関連付けられている",
        actions: APIGW_READ,
    }

    // ---------------------------------------------------- Systems Manager ----
    SsmInstancesManaged = "ssm.instances_managed" {
        Ssm, Regional,
        en: "Running EC2 instances are managed by Systems Manager and online",
        ja: "実行中の EC2 インスタンスが Systems Manager で管理され、オンラインである",
        actions: &["ec2:DescribeInstances", "ssm:DescribeInstanceInformation"],
    }
    SsmPatchCompliance = "ssm.patch_compliance" {
        Ssm, Regional,
        en: "Managed instances are compliant with their patch baseline",
        ja: "マネージドインスタンスがパッチベースラインに準拠している",
        actions: &[
            "ec2:DescribeInstances",
            "ssm:DescribeInstanceInformation",
            "ssm:ListResourceComplianceSummaries",
        ],
    }
}
