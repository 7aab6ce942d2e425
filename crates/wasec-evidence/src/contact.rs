//! First contact with AWS in plain words. Credential, profile, region and
//! connection problems are mapped to a short message that names the cause
//! and the fix, as the AWS CLI does; the raw SDK error is kept for `-v`.
//!
//! All user-facing text of this module is here, in English and Japanese.

use aws_config::SdkConfig;
use aws_credential_types::provider::error::CredentialsError;
use aws_smithy_types::error::display::DisplayErrorContext;
use std::borrow::Cow;
use std::path::PathBuf;
use wasec_core::Lang;

use crate::clients::AwsOptions;

/// Why wasec could not start talking to AWS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContactError {
    /// No credential source in the default chain had credentials.
    NoCredentials {
        profile: String,
        files: Vec<PathBuf>,
        raw: String,
    },
    /// The profile asked for (`--profile`, `AWS_PROFILE`) is not defined.
    ProfileNotFound {
        profile: String,
        files: Vec<PathBuf>,
        raw: String,
    },
    /// An IAM Identity Center (SSO) profile without a valid cached token.
    SsoLogin {
        profile: String,
        expired: bool,
        raw: String,
    },
    /// `--role-arn` could not be assumed.
    AssumeRole { role: String, raw: String },
    /// The access key is not known to AWS (deleted, mistyped, other partition).
    InvalidKey { raw: String },
    /// Temporary credentials have expired.
    ExpiredCredentials { raw: String },
    /// The local clock is too far from AWS time for signed requests.
    ClockSkew { raw: String },
    /// No region to call or scan.
    NoRegion,
    /// `--regions` names none that the account has enabled.
    NoEnabledRegion { asked: Vec<String> },
    /// `--regions all` needs `ec2:DescribeRegions`, which failed.
    RegionsNotListed { raw: String },
    /// The endpoint could not be reached (network, DNS, proxy, endpoint URL).
    Unreachable { host: String, raw: String },
    /// The first call was denied.
    AccessDenied { action: String, raw: String },
    /// Listing the organization's accounts failed (`--organization`).
    Organization {
        action: String,
        code: String,
        raw: String,
    },
    /// Anything else, shown with the SDK's words.
    Other { raw: String },
}

impl ContactError {
    /// The message for the user, in `lang`: cause, then fix.
    pub fn message(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        match self {
            ContactError::NoCredentials { profile, files, .. } => {
                let files = paths(files);
                if ja {
                    format!(
                        "AWS の認証情報が見つかりません。wasec は次の場所を探しました: 環境変数（AWS_ACCESS_KEY_ID など）、{files} のプロファイル \"{profile}\"、Web ID トークン、コンテナの認証情報、EC2 インスタンスメタデータ。\n対処: \"aws configure\" で認証情報を設定するか、IAM Identity Center なら \"aws sso login --profile <名前>\" を実行して --profile で指定してください。"
                    )
                } else {
                    format!(
                        "Unable to locate AWS credentials. wasec looked in: the environment (AWS_ACCESS_KEY_ID and friends), profile \"{profile}\" in {files}, a web identity token, container credentials and the EC2 instance metadata service.\nFix: run \"aws configure\", or for IAM Identity Center \"aws sso login --profile <name>\" and pass --profile."
                    )
                }
            }
            ContactError::ProfileNotFound { profile, files, .. } => {
                let files = paths(files);
                if ja {
                    format!(
                        "プロファイル \"{profile}\" が見つかりません（{files} に定義がありません）。\n対処: プロファイル名を確認するか（\"aws configure list-profiles\"）、\"aws configure --profile {profile}\" で作成してください。"
                    )
                } else {
                    format!(
                        "The config profile ({profile}) could not be found in {files}.\nFix: check the name (\"aws configure list-profiles\") or create it with \"aws configure --profile {profile}\"."
                    )
                }
            }
            ContactError::SsoLogin { profile, expired, .. } => {
                let login = format!("aws sso login --profile {profile}");
                match (ja, expired) {
                    (true, true) => format!(
                        "プロファイル \"{profile}\" の IAM Identity Center（SSO）のセッションが期限切れです。\n対処: \"{login}\" を実行してから再度お試しください。"
                    ),
                    (true, false) => format!(
                        "プロファイル \"{profile}\" の IAM Identity Center（SSO）のトークンがありません。\n対処: \"{login}\" を実行してから再度お試しください。"
                    ),
                    (false, true) => format!(
                        "The IAM Identity Center (SSO) session of profile \"{profile}\" has expired.\nFix: run \"{login}\" and try again."
                    ),
                    (false, false) => format!(
                        "There is no IAM Identity Center (SSO) token for profile \"{profile}\".\nFix: run \"{login}\" and try again."
                    ),
                }
            }
            ContactError::AssumeRole { role, .. } => {
                if ja {
                    format!(
                        "ロール {role} を引き受けられませんでした。\n対処: ロールの信頼ポリシーが現在の認証情報を許可しているか、--external-id が正しいかを確認してください。"
                    )
                } else {
                    format!(
                        "Could not assume role {role}.\nFix: check that the role's trust policy allows your current credentials and that --external-id is right."
                    )
                }
            }
            ContactError::InvalidKey { .. } => lang
                .pick(
                    "The access key is not valid: AWS does not know it (deleted, mistyped, or from another partition).\nFix: check AWS_ACCESS_KEY_ID or the profile's keys, or create a new key.",
                    "アクセスキーが無効です。AWS が認識できないキーです（削除済み、入力誤り、または別のパーティションのキー）。\n対処: AWS_ACCESS_KEY_ID またはプロファイルのキーを確認するか、新しいキーを作成してください。",
                )
                .to_string(),
            ContactError::ExpiredCredentials { .. } => lang
                .pick(
                    "The credentials have expired.\nFix: get new temporary credentials (for IAM Identity Center: \"aws sso login\"), or unset stale AWS_SESSION_TOKEN values.",
                    "認証情報の有効期限が切れています。\n対処: 新しい一時的な認証情報を取得するか（IAM Identity Center なら \"aws sso login\"）、古い AWS_SESSION_TOKEN を解除してください。",
                )
                .to_string(),
            ContactError::ClockSkew { .. } => lang
                .pick(
                    "AWS rejected the request because this computer's clock is wrong: signed requests must be within 5 minutes of AWS time.\nFix: correct the system clock (enable time synchronisation, e.g. NTP) and try again.",
                    "このコンピューターの時刻がずれているため、AWS がリクエストを拒否しました。署名付きリクエストは AWS の時刻との差が 5 分以内である必要があります。\n対処: システム時刻を修正して（NTP などの時刻同期を有効にして）再度お試しください。",
                )
                .to_string(),
            ContactError::NoRegion => lang
                .pick(
                    "You must specify a region: none is configured.\nFix: pass --regions (a list or \"all\"), set AWS_REGION, or set one in the profile (\"aws configure set region ap-northeast-1\").",
                    "リージョンが設定されていません。\n対処: --regions（リストまたは \"all\"）を指定するか、AWS_REGION を設定するか、プロファイルに設定してください（\"aws configure set region ap-northeast-1\"）。",
                )
                .to_string(),
            ContactError::NoEnabledRegion { asked } => {
                let asked = asked.join(", ");
                if ja {
                    format!(
                        "指定されたリージョン（{asked}）のうち、このアカウントで有効なものがありません。\n対処: リージョン名を確認するか、オプトインリージョンを有効にしてください。"
                    )
                } else {
                    format!(
                        "None of the requested regions ({asked}) is enabled for this account.\nFix: check the region names, or enable the opt-in region."
                    )
                }
            }
            ContactError::RegionsNotListed { .. } => lang
                .pick(
                    "\"--regions all\" needs the list of enabled regions, and ec2:DescribeRegions failed.\nFix: grant ec2:DescribeRegions (it is in the wasec policy printed by \"wasec iam-policy\"), or name the regions.",
                    "\"--regions all\" には有効なリージョンの一覧が必要ですが、ec2:DescribeRegions が失敗しました。\n対処: ec2:DescribeRegions を許可するか（\"wasec iam-policy\" が出力するポリシーに含まれます）、リージョンを列挙して指定してください。",
                )
                .to_string(),
            ContactError::Unreachable { host, .. } => {
                if ja {
                    format!(
                        "{host} に接続できません。\n対処: ネットワーク、プロキシ設定（HTTPS_PROXY）、リージョン名、--endpoint-url を確認してください。"
                    )
                } else {
                    format!(
                        "Could not connect to {host}.\nFix: check the network, proxy settings (HTTPS_PROXY), the region name and --endpoint-url."
                    )
                }
            }
            ContactError::AccessDenied { action, .. } => {
                if ja {
                    format!(
                        "最初の呼び出し（{action}）が拒否されました。この ID には wasec の読み取り専用ポリシーがないようです。\n対処: \"wasec iam-policy\" が出力するポリシー（iam/wasec-read-only.json）をアタッチしてください。"
                    )
                } else {
                    format!(
                        "The first call ({action}) was denied: this identity does not seem to have wasec's read-only policy.\nFix: attach the policy printed by \"wasec iam-policy\" (iam/wasec-read-only.json)."
                    )
                }
            }
            ContactError::Organization { action, code, .. } => {
                let denied = crate::check::is_access_denied(code);
                match (ja, code.as_str()) {
                    (false, "AWSOrganizationsNotInUseException") => "This account is not in an AWS Organization, so --organization has no accounts to list.\nFix: name the accounts with --accounts, or run from the organization's management account.".to_string(),
                    (true, "AWSOrganizationsNotInUseException") => "このアカウントは AWS Organizations の組織に属していないため、--organization で一覧にするアカウントがありません。\n対処: --accounts でアカウントを指定するか、組織の管理アカウントから実行してください。".to_string(),
                    (false, "ParentNotFoundException" | "TargetNotFoundException") => format!("The OU given with --ou is not in this organization ({action}: {code}).\nFix: check the id with \"aws organizations list-organizational-units-for-parent\"."),
                    (true, "ParentNotFoundException" | "TargetNotFoundException") => format!("--ou で指定した OU がこの組織にありません（{action}: {code}）。\n対処: \"aws organizations list-organizational-units-for-parent\" で ID を確認してください。"),
                    (false, _) if denied => format!("Listing the organization's accounts was denied ({action}).\nFix: run from the management account or a delegated administrator, with the policy printed by \"wasec iam-policy --management\"."),
                    (true, _) if denied => format!("組織のアカウント一覧の取得が拒否されました（{action}）。\n対処: 管理アカウントまたは委任管理者から、\"wasec iam-policy --management\" が出力するポリシーを付けて実行してください。"),
                    (false, _) => format!("Listing the organization's accounts failed ({action}: {code}).\nFix: try again; with -v the AWS SDK's error is shown."),
                    (true, _) => format!("組織のアカウント一覧の取得に失敗しました（{action}: {code}）。\n対処: もう一度お試しください。-v を付けると AWS SDK のエラーを表示します。"),
                }
            }
            ContactError::Other { .. } => lang
                .pick("Could not talk to AWS.", "AWS と通信できませんでした。")
                .to_string(),
        }
    }

    /// The SDK's own error text, for `-v`.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ContactError::NoCredentials { raw, .. }
            | ContactError::ProfileNotFound { raw, .. }
            | ContactError::SsoLogin { raw, .. }
            | ContactError::AssumeRole { raw, .. }
            | ContactError::InvalidKey { raw }
            | ContactError::ExpiredCredentials { raw }
            | ContactError::ClockSkew { raw }
            | ContactError::RegionsNotListed { raw }
            | ContactError::Unreachable { raw, .. }
            | ContactError::AccessDenied { raw, .. }
            | ContactError::Organization { raw, .. }
            | ContactError::Other { raw } => Some(raw),
            ContactError::NoRegion | ContactError::NoEnabledRegion { .. } => None,
        }
    }
}

impl std::fmt::Display for ContactError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for ContactError {}

fn paths(files: &[PathBuf]) -> String {
    files
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(" / ")
}

/// The profile in effect and the shared files it is read from, as the AWS
/// CLI resolves them.
fn selected_profile(opts: &AwsOptions) -> (String, bool) {
    match opts
        .profile
        .clone()
        .or_else(|| std::env::var("AWS_PROFILE").ok().filter(|p| !p.is_empty()))
    {
        Some(p) => (p, true),
        None => ("default".to_string(), false),
    }
}

fn shared_files() -> Vec<PathBuf> {
    let home = std::env::var_os("HOME")
        .or_else(|| std::env::var_os("USERPROFILE"))
        .map(PathBuf::from)
        .unwrap_or_default();
    let pick = |var: &str, default: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".aws").join(default))
    };
    vec![
        pick("AWS_CONFIG_FILE", "config"),
        pick("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
    ]
}

/// What the shared files say about a profile: `None` when it is not
/// defined, else whether it (or its source profile) signs in with SSO.
async fn profile_kind(name: &str) -> Option<bool> {
    use aws_types::os_shim_internal::{Env, Fs};
    let set = aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        &Default::default(),
        Some(Cow::Owned(name.to_string())),
    )
    .await
    .ok()?;
    let mut current = set.get_profile(name)?;
    for _ in 0..8 {
        if current.get("sso_session").is_some() || current.get("sso_start_url").is_some() {
            return Some(true);
        }
        match current
            .get("source_profile")
            .and_then(|s| set.get_profile(s))
        {
            Some(next) => current = next,
            None => break,
        }
    }
    Some(false)
}

/// Resolve credentials now, before any API call, and explain a failure.
pub async fn check_credentials(sdk: &SdkConfig, opts: &AwsOptions) -> Result<(), ContactError> {
    use aws_credential_types::provider::ProvideCredentials;
    let Some(provider) = sdk.credentials_provider() else {
        return Err(no_credentials(
            opts,
            "no credentials provider configured".into(),
        ));
    };
    match provider.provide_credentials().await {
        Ok(_) => Ok(()),
        Err(e) => Err(explain_credentials(opts, &e).await),
    }
}

fn no_credentials(opts: &AwsOptions, raw: String) -> ContactError {
    ContactError::NoCredentials {
        profile: selected_profile(opts).0,
        files: shared_files(),
        raw,
    }
}

async fn explain_credentials(opts: &AwsOptions, e: &CredentialsError) -> ContactError {
    let raw = DisplayErrorContext(e).to_string();
    let (profile, named) = selected_profile(opts);
    if let Some(role) = &opts.role_arn {
        // The base credentials were found; assuming the role failed.
        if !matches!(e, CredentialsError::CredentialsNotLoaded(_)) && !raw.contains("profile") {
            return ContactError::AssumeRole {
                role: role.clone(),
                raw,
            };
        }
    }
    match profile_kind(&profile).await {
        None if named => ContactError::ProfileNotFound {
            profile,
            files: shared_files(),
            raw,
        },
        Some(true) => ContactError::SsoLogin {
            profile,
            expired: raw.to_ascii_lowercase().contains("expired"),
            raw,
        },
        _ if matches!(
            e,
            CredentialsError::CredentialsNotLoaded(_) | CredentialsError::ProviderTimedOut(_)
        ) =>
        {
            no_credentials(opts, raw)
        }
        _ if raw.contains("ExpiredToken") => ContactError::ExpiredCredentials { raw },
        _ => ContactError::Other { raw },
    }
}

/// Explain a failed first API call (`sts:GetCallerIdentity`).
pub fn explain_call<E>(
    err: &aws_smithy_runtime_api::client::result::SdkError<
        E,
        aws_smithy_runtime_api::http::Response,
    >,
    host: &str,
) -> ContactError
where
    E: aws_smithy_types::error::metadata::ProvideErrorMetadata + std::error::Error + 'static,
{
    use aws_smithy_runtime_api::client::result::SdkError;
    use aws_smithy_types::error::metadata::ProvideErrorMetadata;
    let raw = DisplayErrorContext(err).to_string();
    match err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => {
            if raw.contains("loading credentials") || raw.contains("credentials provider") {
                return ContactError::Other { raw };
            }
            ContactError::Unreachable {
                host: host.to_string(),
                raw,
            }
        }
        _ => {
            let code = err.code().unwrap_or_default();
            let message = err.message().unwrap_or_default().to_ascii_lowercase();
            match code {
                "InvalidClientTokenId" | "UnrecognizedClientException" => {
                    ContactError::InvalidKey { raw }
                }
                "ExpiredToken" | "ExpiredTokenException" | "TokenRefreshRequired" => {
                    ContactError::ExpiredCredentials { raw }
                }
                "RequestTimeTooSkewed"
                | "RequestExpired"
                | "RequestInTheFuture"
                | "InvalidSignatureException"
                | "SignatureDoesNotMatch"
                    if code != "SignatureDoesNotMatch"
                        || message.contains("expired")
                        || message.contains("skew")
                        || message.contains("earlier than")
                        || message.contains("later than") =>
                {
                    ContactError::ClockSkew { raw }
                }
                c if crate::check::is_access_denied(c) => ContactError::AccessDenied {
                    action: "sts:GetCallerIdentity".into(),
                    raw,
                },
                _ => ContactError::Other { raw },
            }
        }
    }
}

/// The host the first call goes to, for messages.
pub fn sts_host(sdk: &SdkConfig) -> String {
    match sdk.endpoint_url() {
        Some(u) => u.to_string(),
        None => format!(
            "sts.{}.amazonaws.com",
            sdk.region().map(|r| r.as_ref()).unwrap_or("us-east-1")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> Vec<ContactError> {
        let raw = "raw sdk text".to_string();
        vec![
            ContactError::NoCredentials {
                profile: "default".into(),
                files: vec!["/h/.aws/config".into(), "/h/.aws/credentials".into()],
                raw: raw.clone(),
            },
            ContactError::ProfileNotFound {
                profile: "nosuch".into(),
                files: vec!["/h/.aws/config".into()],
                raw: raw.clone(),
            },
            ContactError::SsoLogin {
                profile: "dev".into(),
                expired: true,
                raw: raw.clone(),
            },
            ContactError::AssumeRole {
                role: "arn:aws:iam::1:role/audit".into(),
                raw: raw.clone(),
            },
            ContactError::InvalidKey { raw: raw.clone() },
            ContactError::ExpiredCredentials { raw: raw.clone() },
            ContactError::ClockSkew { raw: raw.clone() },
            ContactError::NoRegion,
            ContactError::NoEnabledRegion {
                asked: vec!["xx-1".into()],
            },
            ContactError::RegionsNotListed { raw: raw.clone() },
            ContactError::Unreachable {
                host: "127.0.0.1:9".into(),
                raw: raw.clone(),
            },
            ContactError::AccessDenied {
                action: "ec2:DescribeRegions".into(),
                raw: raw.clone(),
            },
            ContactError::Other { raw: raw.clone() },
            ContactError::Organization {
                action: "organizations:ListAccounts".into(),
                code: "AccessDeniedException".into(),
                raw: raw.clone(),
            },
            ContactError::Organization {
                action: "organizations:DescribeOrganization".into(),
                code: "AWSOrganizationsNotInUseException".into(),
                raw,
            },
        ]
    }

    #[test]
    fn every_message_is_short_names_a_fix_and_hides_the_sdk_text() {
        for e in all() {
            for lang in Lang::ALL {
                let m = e.message(lang);
                assert!(!m.contains("raw sdk text"), "{m}");
                assert!(m.lines().count() <= 2, "{m}");
                let fix = lang.pick("Fix:", "対処:");
                assert!(
                    m.contains(fix) || matches!(e, ContactError::Other { .. }),
                    "{m}"
                );
            }
        }
    }

    #[test]
    fn messages_name_what_the_user_must_act_on() {
        let m = |e: &ContactError| e.message(Lang::En);
        let all = all();
        assert!(m(&all[0]).contains("/h/.aws/credentials"));
        assert!(m(&all[1]).contains("nosuch"));
        assert!(m(&all[2]).contains("aws sso login --profile dev"));
        assert!(
            all[2]
                .message(Lang::Ja)
                .contains("aws sso login --profile dev")
        );
        assert!(m(&all[10]).contains("127.0.0.1:9"));
        assert!(m(&all[11]).contains("wasec iam-policy"));
        assert!(m(&all[13]).contains("organizations:ListAccounts"));
        assert!(m(&all[13]).contains("wasec iam-policy --management"));
        assert!(m(&all[14]).contains("--accounts"));
    }
}
