//! Pure evaluation of collected IAM data: root user, password policy,
//! customer policies, roles, federation, certificates, support access.

use super::credential_report::{day, report_checks};
use super::fetch::SUPPORT_POLICY;
use super::{AuthDetails, CredRow, IamData, Kind, PasswordPolicy, Principal};
use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::{glob, is_allow, sample, sorted, statements, strings};
use serde_json::Value;
use std::collections::BTreeSet;
use time::{Duration, OffsetDateTime};

/// The root user counts as recently used within this many days (CIS).
const ROOT_RECENT_DAYS: i64 = 30;
/// Roles unused this long are candidates for removal (IAM Access
/// Analyzer's default for unused access).
const ROLE_UNUSED_DAYS: i64 = 90;

const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const AUDIT_POLICIES: &[&str] = &[
    "arn:aws:iam::aws:policy/SecurityAudit",
    "arn:aws:iam::aws:policy/ReadOnlyAccess",
];

/// Turn collected data into one finding per check.
pub fn evaluate(d: &IamData, account: &str, now: OffsetDateTime) -> Vec<Finding> {
    let mut out = Vec::new();
    out.extend(root_checks(d, now));
    out.extend(report_checks(d, now));
    out.push(password_check(&d.password_policy));
    out.extend(policy_checks(d, account));
    out.push(unused_roles(&d.auth, now));
    out.push(federation_check(d));
    out.push(server_cert_check(&d.server_certs, now));
    out.push(support_check(&d.support_entities));
    out
}

fn root_checks(d: &IamData, now: OffsetDateTime) -> Vec<Finding> {
    use CheckId::*;
    let mut out = Vec::new();
    match &d.summary {
        Err(f) => out.extend(f.findings(&[IamRootMfa, IamRootNoAccessKeys, IamRootHardwareMfa])),
        Ok(s) => {
            out.push(if s.mfa_enabled {
                Finding::pass(
                    IamRootMfa,
                    tr!(
                        "the root user has MFA",
                        "ルートユーザーに MFA が設定されています"
                    ),
                )
            } else {
                Finding::fail(
                    IamRootMfa,
                    tr!(
                        "the root user has no MFA",
                        "ルートユーザーに MFA が設定されていません"
                    ),
                )
            });
            out.push(if s.access_keys_present {
                Finding::fail(
                    IamRootNoAccessKeys,
                    tr!(
                        "the root user has access keys",
                        "ルートユーザーにアクセスキーがあります"
                    ),
                )
            } else {
                Finding::pass(
                    IamRootNoAccessKeys,
                    tr!(
                        "the root user has no access keys",
                        "ルートユーザーにアクセスキーはありません"
                    ),
                )
            });
            out.push(match (&d.root_virtual_mfa, s.mfa_enabled) {
                (_, false) => Finding::fail(
                    IamRootHardwareMfa,
                    tr!("the root user has no MFA at all", "ルートユーザーに MFA がまったくありません"),
                ),
                (Err(f), true) => f.finding(IamRootHardwareMfa),
                (Ok(true), true) => Finding::fail(
                    IamRootHardwareMfa,
                    tr!(
                        "the root user's MFA is a virtual device (an authenticator app)",
                        "ルートユーザーの MFA は仮想デバイス（認証アプリ）です"
                    ),
                ),
                (Ok(false), true) => Finding::pass(
                    IamRootHardwareMfa,
                    tr!(
                        "the root user's MFA is not a virtual device (a hardware device or security key)",
                        "ルートユーザーの MFA は仮想デバイスではありません（ハードウェアデバイスまたはセキュリティキー）"
                    ),
                ),
            });
        }
    }
    out.push(match &d.report {
        Err(f) => f.finding(IamRootNotUsedRecently),
        Ok(rows) => root_use(rows, now),
    });
    out
}

fn root_use(rows: &[CredRow], now: OffsetDateTime) -> Finding {
    let id = CheckId::IamRootNotUsedRecently;
    let Some(r) = rows.iter().find(|r| r.is_root()) else {
        return Finding::unknown(
            id,
            tr!(
                "cannot tell: the credential report has no row for the root user",
                "判定できません: 認証情報レポートにルートユーザーの行がありません"
            ),
        );
    };
    let last = [
        r.password_last_used,
        r.keys[0].last_used,
        r.keys[1].last_used,
    ]
    .into_iter()
    .flatten()
    .max();
    match last {
        Some(t) if now - t < Duration::days(ROOT_RECENT_DAYS) => {
            let d = day(t);
            Finding::fail(
                id,
                tr!(
                    "the root user was used on {d} (within {ROOT_RECENT_DAYS} days)",
                    "ルートユーザーが {d} に使われました（{ROOT_RECENT_DAYS} 日以内）"
                ),
            )
        }
        Some(t) => {
            let d = day(t);
            Finding::pass(
                id,
                tr!(
                    "the root user was last used on {d}",
                    "ルートユーザーの最終使用日は {d} です"
                ),
            )
        }
        None => Finding::pass(
            id,
            tr!(
                "no recorded use of the root user",
                "ルートユーザーの使用記録はありません"
            ),
        ),
    }
}

fn password_check(p: &Result<Option<PasswordPolicy>, Failure>) -> Finding {
    let id = CheckId::IamPasswordPolicyStrong;
    let p = match p {
        Err(f) => return f.finding(id),
        Ok(None) => {
            return Finding::fail(
                id,
                tr!(
                    "no account password policy is set (AWS defaults apply)",
                    "アカウントのパスワードポリシーが設定されていません（AWS の既定値が適用されます）"
                ),
            );
        }
        Ok(Some(p)) => p,
    };
    let mut weak_en = Vec::new();
    let mut weak_ja = Vec::new();
    let len = p.min_length.unwrap_or(0);
    if len < 14 {
        weak_en.push(format!("minimum length {len} < 14"));
        weak_ja.push(format!("最小文字数 {len} < 14"));
    }
    let reuse = p.reuse_prevention.unwrap_or(0);
    if reuse < 24 {
        weak_en.push(format!("reuse prevention {reuse} < 24"));
        weak_ja.push(format!("再利用禁止 {reuse} < 24"));
    }
    for (on, en, ja) in [
        (p.symbols, "symbols", "記号"),
        (p.numbers, "numbers", "数字"),
        (p.upper, "uppercase", "大文字"),
        (p.lower, "lowercase", "小文字"),
    ] {
        if !on {
            weak_en.push(format!("{en} not required"));
            weak_ja.push(format!("{ja}が不要"));
        }
    }
    if weak_en.is_empty() {
        Finding::pass(
            id,
            tr!(
                "password policy: 14+ characters, 24 passwords remembered, all character classes",
                "パスワードポリシー: 14 文字以上、過去 24 個の再利用禁止、全文字種が必須"
            ),
        )
    } else {
        let (en, ja) = (weak_en.join(", "), weak_ja.join("、"));
        Finding::fail(
            id,
            tr!(
                "password policy is weak: {en}",
                "パスワードポリシーが弱いです: {ja}"
            ),
        )
    }
}

/// Allow statements of a document with their actions and resources.
fn allows(doc: &Value) -> impl Iterator<Item = (Vec<&str>, Vec<&str>)> {
    statements(doc)
        .into_iter()
        .filter(|s| is_allow(s))
        .map(|s| (strings(s.get("Action")), strings(s.get("Resource"))))
}

fn is_star_admin(doc: &Value) -> bool {
    allows(doc).any(|(a, r)| a.iter().any(|a| *a == "*" || *a == "*:*") && r.contains(&"*"))
}

fn service_wildcards(doc: &Value) -> Vec<String> {
    allows(doc)
        .flat_map(|(a, _)| a.into_iter())
        .filter(|a| a.ends_with(":*") && *a != "*:*")
        .map(str::to_string)
        .collect()
}

fn decrypt_everywhere(doc: &Value) -> bool {
    allows(doc).any(|(a, r)| {
        let decrypts = a
            .iter()
            .any(|p| glob(p, "kms:Decrypt") || glob(p, "kms:ReEncryptFrom"));
        let all_keys = r.iter().any(|r| *r == "*" || r.ends_with("key/*"));
        decrypts && all_keys
    })
}

/// Every customer-authored document: (resource, label, document). The
/// resource is the policy ARN, or the principal's ARN for inline policies.
fn customer_docs(a: &AuthDetails) -> Vec<(String, String, &Value)> {
    let mut out: Vec<(String, String, &Value)> = a
        .local_policies
        .iter()
        .map(|(arn, d)| (arn.clone(), arn.clone(), d))
        .collect();
    for p in &a.principals {
        for (name, d) in &p.inline {
            out.push((p.arn.clone(), format!("{} (inline {name})", p.arn), d));
        }
    }
    out
}

/// Pass or fail over customer policies: `hits` are (resource, label).
fn flagged(
    id: CheckId,
    checked: usize,
    hits: Vec<(String, String)>,
    pass: (&str, &str),
    fail: (&str, &str),
) -> Finding {
    if hits.is_empty() {
        let (en, ja) = pass;
        return Finding::pass(
            id,
            tr!(
                "{en} ({checked} customer policies checked)",
                "{ja}（カスタマー管理ポリシー {checked} 件を確認）"
            ),
        );
    }
    let n = hits.len();
    let labels = sorted(hits.iter().map(|(_, l)| l.clone()).collect());
    let list = sample(&labels, 5);
    let (en, ja) = fail;
    Finding::fail(id, tr!("{n} {en}: {list}", "{n} 件の{ja}: {list}"))
        .with_resources(hits.into_iter().map(|(r, _)| r))
}

fn policy_checks(d: &IamData, account: &str) -> Vec<Finding> {
    use CheckId::*;
    let ids = [
        IamNoAdminStarPolicies,
        IamNoServiceWildcards,
        IamUsersNoDirectPolicies,
        IamAdminsHaveMfa,
        IamKmsDecryptScoped,
        IamThirdPartyRolesExternalId,
        IrPreprovisionedRoles,
    ];
    let a = match &d.auth {
        Err(f) => return f.findings(&ids),
        Ok(a) => a,
    };
    let docs = customer_docs(a);
    let checked = docs.len();
    let pick = |test: &dyn Fn(&Value) -> Option<String>| -> Vec<(String, String)> {
        docs.iter()
            .filter_map(|(r, l, d)| test(d).map(|extra| (r.clone(), format!("{l}{extra}"))))
            .collect()
    };
    vec![
        flagged(
            IamNoAdminStarPolicies,
            checked,
            pick(&|d| is_star_admin(d).then(String::new)),
            (
                "no customer policy allows * on *",
                "* に対する * を許可するカスタマー管理ポリシーはありません",
            ),
            (
                "customer policies allow * on *",
                "カスタマー管理ポリシーが * に対する * を許可しています",
            ),
        ),
        flagged(
            IamNoServiceWildcards,
            checked,
            pick(&|d| {
                let w = service_wildcards(d);
                (!w.is_empty()).then(|| format!(" [{}]", w.join(" ")))
            }),
            (
                "no customer policy allows service:* actions",
                "service:* アクションを許可するカスタマー管理ポリシーはありません",
            ),
            (
                "customer policies allow whole services (service:*)",
                "カスタマー管理ポリシーがサービス全体（service:*）を許可しています",
            ),
        ),
        direct_user_policies(a),
        admins_mfa(a, &d.report),
        flagged(
            IamKmsDecryptScoped,
            checked,
            pick(&|d| decrypt_everywhere(d).then(String::new)),
            (
                "no IAM policy allows kms:Decrypt on all keys",
                "すべてのキーに対する kms:Decrypt を許可する IAM ポリシーはありません",
            ),
            (
                "policies allow kms:Decrypt or kms:ReEncryptFrom on all keys",
                "ポリシーがすべてのキーに対する kms:Decrypt または kms:ReEncryptFrom を許可しています",
            ),
        ),
        external_id_check(a, account),
        responders(a),
    ]
}

fn direct_user_policies(a: &AuthDetails) -> Finding {
    let id = CheckId::IamUsersNoDirectPolicies;
    let users: Vec<&Principal> = a
        .principals
        .iter()
        .filter(|p| p.kind == Kind::User)
        .collect();
    let n = users.len();
    let direct: Vec<&&Principal> = users
        .iter()
        .filter(|u| !u.inline.is_empty() || !u.attached.is_empty())
        .collect();
    if direct.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "no IAM user has policies of its own ({n} users)",
                "独自のポリシーを持つ IAM ユーザーはいません（ユーザー {n} 人）"
            ),
        );
    }
    let bad = direct.len();
    let list = sample(&sorted(direct.iter().map(|u| u.name.clone()).collect()), 5);
    Finding::fail(
        id,
        tr!(
            "{bad} of {n} IAM users have policies attached directly: {list}",
            "IAM ユーザー {n} 人中 {bad} 人にポリシーが直接アタッチされています: {list}"
        ),
    )
    .with_resources(direct.iter().map(|u| u.arn.clone()))
}

fn responders(a: &AuthDetails) -> Finding {
    let id = CheckId::IrPreprovisionedRoles;
    let roles: Vec<&Principal> = a
        .principals
        .iter()
        .filter(|p| {
            p.kind == Kind::Role
                && p.attached
                    .iter()
                    .any(|x| AUDIT_POLICIES.contains(&x.as_str()))
        })
        .collect();
    if roles.is_empty() {
        return Finding::fail(
            id,
            tr!(
                "no role has SecurityAudit or ReadOnlyAccess attached for investigations",
                "調査用に SecurityAudit または ReadOnlyAccess をアタッチしたロールがありません"
            ),
        );
    }
    let list = sample(&sorted(roles.iter().map(|r| r.name.clone()).collect()), 5);
    Finding::pass(
        id,
        tr!(
            "roles ready for investigations: {list}",
            "調査に使えるロール: {list}"
        ),
    )
    .with_resources(roles.iter().map(|r| r.arn.clone()))
}

/// Users who are administrators (AdministratorAccess or a */* policy,
/// directly or through a group) without MFA.
fn admins_mfa(a: &AuthDetails, report: &Result<Vec<CredRow>, Failure>) -> Finding {
    let id = CheckId::IamAdminsHaveMfa;
    let rows = match report {
        Err(f) => return f.finding(id),
        Ok(r) => r,
    };
    let admin_policy =
        |arn: &String| arn == ADMIN_POLICY || a.local_policies.get(arn).is_some_and(is_star_admin);
    let grants_admin = |p: &Principal| {
        p.attached.iter().any(admin_policy) || p.inline.iter().any(|(_, d)| is_star_admin(d))
    };
    let admin_groups: BTreeSet<&str> = a
        .principals
        .iter()
        .filter(|p| p.kind == Kind::Group && grants_admin(p))
        .map(|p| p.name.as_str())
        .collect();
    let admins: Vec<&Principal> = a
        .principals
        .iter()
        .filter(|p| {
            p.kind == Kind::User
                && (grants_admin(p) || p.groups.iter().any(|g| admin_groups.contains(g.as_str())))
        })
        .collect();
    let no_mfa: Vec<&&Principal> = admins
        .iter()
        .filter(|u| !rows.iter().any(|r| r.user == u.name && r.mfa_active))
        .collect();
    let n = admins.len();
    if admins.is_empty() {
        Finding::pass(
            id,
            tr!(
                "no IAM user holds administrator permissions",
                "管理者権限を持つ IAM ユーザーはいません"
            ),
        )
    } else if no_mfa.is_empty() {
        Finding::pass(
            id,
            tr!(
                "all {n} administrator users have MFA",
                "管理者ユーザー {n} 人全員に MFA があります"
            ),
        )
    } else {
        let bad = no_mfa.len();
        let list = sample(&sorted(no_mfa.iter().map(|u| u.name.clone()).collect()), 5);
        Finding::fail(
            id,
            tr!(
                "{bad} of {n} administrator users have no MFA: {list}",
                "管理者ユーザー {n} 人中 {bad} 人に MFA がありません: {list}"
            ),
        )
        .with_resources(no_mfa.iter().map(|u| u.arn.clone()))
    }
}

/// Roles trusting another account (or anyone) without an sts:ExternalId
/// condition. Organization membership is not checked: any other account
/// counts as a third party here.
fn external_id_check(a: &AuthDetails, account: &str) -> Finding {
    let id = CheckId::IamThirdPartyRolesExternalId;
    let mut bad: Vec<&Principal> = Vec::new();
    let mut cross = 0;
    for r in a.principals.iter().filter(|p| p.kind == Kind::Role) {
        let Some(trust) = &r.trust else { continue };
        for s in statements(trust).into_iter().filter(|s| is_allow(s)) {
            let aws = s.get("Principal").and_then(|p| match p {
                Value::String(s) => Some(vec![s.as_str()]),
                Value::Object(o) => Some(strings(o.get("AWS"))),
                _ => None,
            });
            let foreign = aws
                .unwrap_or_default()
                .into_iter()
                .any(|p| p == "*" || !p.contains(account));
            if !foreign {
                continue;
            }
            cross += 1;
            let has_external_id = s.get("Condition").is_some_and(|c| {
                c.to_string()
                    .to_ascii_lowercase()
                    .contains("sts:externalid")
            });
            if !has_external_id && !bad.iter().any(|b| b.arn == r.arn) {
                bad.push(r);
            }
        }
    }
    if bad.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "{cross} cross-account trust statements, all require an external id",
                "他アカウントを信頼するステートメント {cross} 件はすべて外部 ID を要求しています"
            ),
        );
    }
    let n = bad.len();
    let list = sample(&sorted(bad.iter().map(|r| r.name.clone()).collect()), 5);
    Finding::fail(
        id,
        tr!(
            "{n} roles trust other accounts without an external id condition: {list}",
            "{n} 個のロールが外部 ID の条件なしで他のアカウントを信頼しています: {list}"
        ),
    )
    .with_resources(bad.iter().map(|r| r.arn.clone()))
}

/// Roles people or workloads created that have not been used for 90 days.
/// Service-linked and IAM Identity Center roles are managed by AWS and are
/// left out; roles younger than 90 days cannot have been unused that long
/// and are not judged, so a brand-new account is `not_applicable`.
fn unused_roles(auth: &Result<AuthDetails, Failure>, now: OffsetDateTime) -> Finding {
    let id = CheckId::IamUnusedRoles;
    let a = match auth {
        Err(f) => return f.finding(id),
        Ok(a) => a,
    };
    let limit = Duration::days(ROLE_UNUSED_DAYS);
    let judged: Vec<&Principal> = a
        .principals
        .iter()
        .filter(|p| {
            p.kind == Kind::Role
                && !p.path.starts_with("/aws-service-role/")
                && !p.path.starts_with("/aws-reserved/")
                && p.created.is_some_and(|c| now - c > limit)
        })
        .collect();
    if judged.is_empty() {
        return Finding::not_applicable(
            id,
            tr!(
                "no role is older than {ROLE_UNUSED_DAYS} days, so none could have gone unused that long",
                "作成から {ROLE_UNUSED_DAYS} 日を超えたロールがないため、未使用のロールは判断できません"
            ),
        );
    }
    let n = judged.len();
    let mut bad_en = Vec::new();
    let mut bad_ja = Vec::new();
    let mut arns = Vec::new();
    let mut stale: Vec<&&Principal> = judged
        .iter()
        .filter(|r| r.last_used.is_none_or(|t| now - t > limit))
        .collect();
    stale.sort_by(|a, b| a.name.cmp(&b.name));
    for r in &stale {
        match r.last_used.map(day) {
            Some(d) => {
                bad_en.push(format!("{} (last used {d})", r.name));
                bad_ja.push(format!("{}（最終使用 {d}）", r.name));
            }
            None => {
                bad_en.push(format!("{} (no use recorded)", r.name));
                bad_ja.push(format!("{}（使用記録なし）", r.name));
            }
        }
        arns.push(r.arn.clone());
    }
    if stale.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {n} roles older than {ROLE_UNUSED_DAYS} days were used within {ROLE_UNUSED_DAYS} days",
                "作成から {ROLE_UNUSED_DAYS} 日を超えたロール {n} 個はすべて直近 {ROLE_UNUSED_DAYS} 日以内に使われています"
            ),
        );
    }
    let bad = stale.len();
    let (list_en, list_ja) = (sample(&bad_en, 5), sample(&bad_ja, 5));
    Finding::fail(
        id,
        tr!(
            "{bad} of {n} roles were not used in the last {ROLE_UNUSED_DAYS} days: {list_en}",
            "ロール {n} 個中 {bad} 個が直近 {ROLE_UNUSED_DAYS} 日間使われていません: {list_ja}"
        ),
    )
    .with_resources(arns)
}

fn federation_check(d: &IamData) -> Finding {
    let id = CheckId::IdpCentralizedIdentity;
    let providers = match &d.federation {
        Err(f) => return f.finding(id),
        Ok(n) => *n,
    };
    // IAM Identity Center creates AWSReservedSSO_* roles in member accounts.
    let sso_roles = d
        .auth
        .as_ref()
        .map(|a| {
            a.principals
                .iter()
                .filter(|p| p.kind == Kind::Role && p.name.starts_with("AWSReservedSSO_"))
                .count()
        })
        .unwrap_or(0);
    let console_users = d
        .report
        .as_ref()
        .map(|r| {
            r.iter()
                .filter(|r| !r.is_root() && r.password_enabled)
                .count()
        })
        .unwrap_or(0);
    if providers > 0 || sso_roles > 0 {
        let summary = if console_users > 0 {
            tr!(
                "federation in use: {providers} SAML/OIDC providers, {sso_roles} IAM Identity Center roles; {console_users} IAM users still have console passwords",
                "フェデレーションを使用中: SAML/OIDC プロバイダー {providers} 件、IAM Identity Center のロール {sso_roles} 個。ただしコンソールパスワードを持つ IAM ユーザーが {console_users} 人います"
            )
        } else {
            tr!(
                "federation in use: {providers} SAML/OIDC providers, {sso_roles} IAM Identity Center roles",
                "フェデレーションを使用中: SAML/OIDC プロバイダー {providers} 件、IAM Identity Center のロール {sso_roles} 個"
            )
        };
        Finding::pass(id, summary)
    } else if console_users > 0 {
        Finding::fail(
            id,
            tr!(
                "no identity provider or IAM Identity Center roles; {console_users} IAM users sign in with passwords",
                "ID プロバイダーも IAM Identity Center のロールもなく、IAM ユーザー {console_users} 人がパスワードでサインインしています"
            ),
        )
    } else {
        Finding::unknown(
            id,
            tr!(
                "cannot tell: no identity provider, IAM Identity Center role or console user found",
                "判定できません: ID プロバイダー、IAM Identity Center のロール、コンソールユーザーのいずれも見つかりません"
            ),
        )
    }
}

fn server_cert_check(
    c: &Result<Vec<(String, OffsetDateTime)>, Failure>,
    now: OffsetDateTime,
) -> Finding {
    let id = CheckId::IamNoExpiredServerCerts;
    let list = match c {
        Err(f) => return f.finding(id),
        Ok(l) => l,
    };
    let n = list.len();
    let expired: Vec<String> = sorted(
        list.iter()
            .filter(|(_, t)| *t < now)
            .map(|(name, t)| format!("{name} ({})", day(*t)))
            .collect(),
    );
    if expired.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "no expired server certificate ({n} stored)",
                "期限切れのサーバー証明書はありません（保存数 {n}）"
            ),
        );
    }
    let bad = expired.len();
    let names = sample(&expired, 5);
    Finding::fail(
        id,
        tr!(
            "{bad} expired server certificates in IAM: {names}",
            "IAM に期限切れのサーバー証明書が {bad} 件あります: {names}"
        ),
    )
    .with_resources(
        list.iter()
            .filter(|(_, t)| *t < now)
            .map(|(name, _)| format!("server-certificate/{name}")),
    )
}

fn support_check(v: &Result<Vec<String>, Failure>) -> Finding {
    let id = CheckId::IrSupportRole;
    match v {
        Err(f) => f.finding(id),
        Ok(v) if v.is_empty() => Finding::fail(
            id,
            tr!(
                "no user, group or role has AWSSupportAccess attached",
                "AWSSupportAccess をアタッチしたユーザー・グループ・ロールがありません"
            ),
        ),
        Ok(v) => {
            let list = sample(v, 5);
            let policy = SUPPORT_POLICY.rsplit('/').next().unwrap_or_default();
            Finding::pass(
                id,
                tr!(
                    "{policy} is attached to {list}",
                    "{policy} のアタッチ先: {list}"
                ),
            )
            .with_resources(v.clone())
        }
    }
}
