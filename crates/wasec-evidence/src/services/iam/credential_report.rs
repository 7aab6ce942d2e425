//! The IAM credential report: its CSV (read with the `csv` crate, by header
//! name, since columns have been added over the years) and the checks over
//! per-user passwords, access keys and MFA.

use super::IamData;
use crate::check::{CheckId, Finding};
use crate::tr;
use crate::util::sample;
use time::{Duration, OffsetDateTime};
use wasec_core::Text;

/// Active access keys older than this fail rotation (CIS AWS Foundations).
pub(super) const KEY_MAX_AGE_DAYS: i64 = 90;
/// Credentials unused this long should be disabled (CIS AWS Foundations).
pub(super) const UNUSED_DAYS: i64 = 45;

/// One row of the credential report.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CredRow {
    pub user: String,
    pub arn: String,
    pub created: Option<OffsetDateTime>,
    pub password_enabled: bool,
    pub password_last_used: Option<OffsetDateTime>,
    pub password_last_changed: Option<OffsetDateTime>,
    pub mfa_active: bool,
    pub keys: [AccessKey; 2],
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccessKey {
    pub active: bool,
    pub last_rotated: Option<OffsetDateTime>,
    pub last_used: Option<OffsetDateTime>,
}

impl CredRow {
    pub fn is_root(&self) -> bool {
        self.user == "<root_account>"
    }

    /// Active keys with their number (1 or 2).
    pub(super) fn active_keys(&self) -> impl Iterator<Item = (usize, &AccessKey)> {
        self.keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.active)
            .map(|(i, k)| (i + 1, k))
    }
}

/// Parse the report. Unknown columns are ignored and missing ones read as
/// empty; "N/A", "no_information" and "not_supported" mean "no date".
pub fn parse_credential_report(text: &str) -> Result<Vec<CredRow>, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader.headers()?.clone();
    let idx = |name: &str| header.iter().position(|h| h == name);
    let (user, arn, created, pw, pw_used, pw_changed, mfa) = (
        idx("user"),
        idx("arn"),
        idx("user_creation_time"),
        idx("password_enabled"),
        idx("password_last_used"),
        idx("password_last_changed"),
        idx("mfa_active"),
    );
    let key_cols = [1, 2].map(|n| {
        (
            idx(&format!("access_key_{n}_active")),
            idx(&format!("access_key_{n}_last_rotated")),
            idx(&format!("access_key_{n}_last_used_date")),
        )
    });
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record?;
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let get = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
        let date = |i: Option<usize>| parse_time(get(i));
        let yes = |i: Option<usize>| get(i) == "true";
        rows.push(CredRow {
            user: get(user).to_string(),
            arn: get(arn).to_string(),
            created: date(created),
            password_enabled: yes(pw),
            password_last_used: date(pw_used),
            password_last_changed: date(pw_changed),
            mfa_active: yes(mfa),
            keys: key_cols.map(|(a, r, u)| AccessKey {
                active: yes(a),
                last_rotated: date(r),
                last_used: date(u),
            }),
        });
    }
    Ok(rows)
}

fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &time::format_description::well_known::Rfc3339).ok()
}

/// A date as `2026-11-23`.
pub(super) fn day(t: OffsetDateTime) -> String {
    t.date().to_string()
}

/// A check over IAM users (root excluded): `problem` says what is wrong
/// with a user, if anything (e.g. "key 1 is 120 days old").
fn user_check(
    id: CheckId,
    rows: &[CredRow],
    problem: impl Fn(&CredRow) -> Option<Text>,
    fail: (&str, &str),
    pass: (&str, &str),
) -> Finding {
    let users: Vec<&CredRow> = rows.iter().filter(|r| !r.is_root()).collect();
    let n = users.len();
    let failing: Vec<(&CredRow, Text)> = users
        .iter()
        .filter_map(|r| Some((*r, problem(r)?)))
        .collect();
    if failing.is_empty() {
        let (en, ja) = pass;
        return Finding::pass(
            id,
            tr!(
                "{en} ({n} IAM users checked)",
                "{ja}（IAM ユーザー {n} 人を確認）"
            ),
        );
    }
    let bad = failing.len();
    let (list_en, list_ja) = listing(&failing);
    let (en, ja) = fail;
    Finding::fail(
        id,
        tr!(
            "{bad} of {n} IAM users {en}: {list_en}",
            "IAM ユーザー {n} 人中 {bad} 人が{ja}: {list_ja}"
        ),
    )
    .with_resources(failing.iter().map(|(r, _)| r.arn.clone()))
}

/// "alice (why), bob (why)" in both languages, sorted by user name.
fn listing(failing: &[(&CredRow, Text)]) -> (String, String) {
    let mut sorted: Vec<&(&CredRow, Text)> = failing.iter().collect();
    sorted.sort_by(|a, b| a.0.user.cmp(&b.0.user));
    let en: Vec<String> = sorted
        .iter()
        .map(|(r, why)| format!("{} ({})", r.user, why.en))
        .collect();
    let ja: Vec<String> = sorted
        .iter()
        .map(|(r, why)| format!("{}({})", r.user, why.ja))
        .collect();
    (sample(&en, 5), sample(&ja, 5))
}

/// Join per-key or per-credential reasons.
fn join(parts: Vec<Text>) -> Option<Text> {
    (!parts.is_empty()).then(|| {
        Text::new(
            parts
                .iter()
                .map(|p| p.en.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            parts
                .iter()
                .map(|p| p.ja.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        )
    })
}

pub(super) fn report_checks(d: &IamData, now: OffsetDateTime) -> Vec<Finding> {
    use CheckId::*;
    let ids = [
        IamConsoleUsersMfa,
        IamAccessKeysRotated,
        IamSingleActiveKey,
        IamUnusedCredentials,
        IamNoInitialAccessKeys,
        IamLongTermKeysInventory,
    ];
    let rows = match &d.report {
        Err(f) => return f.findings(&ids),
        Ok(r) => r,
    };
    let age = |t: Option<OffsetDateTime>| t.map(|t| (now - t).whole_days());
    vec![
        user_check(
            IamConsoleUsersMfa,
            rows,
            |r| {
                (r.password_enabled && !r.mfa_active)
                    .then(|| tr!("password without MFA", "MFA なしのパスワード"))
            },
            (
                "have a console password without MFA",
                "MFA なしでコンソールパスワードを持っています",
            ),
            (
                "every console user has MFA",
                "コンソールユーザー全員に MFA があります",
            ),
        ),
        user_check(
            IamAccessKeysRotated,
            rows,
            |r| {
                join(
                    r.active_keys()
                        .filter_map(|(k, key)| {
                            let days = age(key.last_rotated)?;
                            (days > KEY_MAX_AGE_DAYS).then(|| {
                                tr!(
                                    "key {k} is {days} days old",
                                    "キー {k} は作成から {days} 日"
                                )
                            })
                        })
                        .collect(),
                )
            },
            (
                "have an active access key older than 90 days",
                "作成から 90 日を超えた有効なアクセスキーを持っています",
            ),
            (
                "no active access key is older than 90 days",
                "作成から 90 日を超えた有効なアクセスキーはありません",
            ),
        ),
        user_check(
            IamSingleActiveKey,
            rows,
            |r| {
                (r.active_keys().count() > 1)
                    .then(|| tr!("keys 1 and 2 are active", "キー 1 と 2 が有効"))
            },
            (
                "have two active access keys",
                "有効なアクセスキーを 2 つ持っています",
            ),
            (
                "no user has two active access keys",
                "有効なアクセスキーを 2 つ持つユーザーはいません",
            ),
        ),
        unused_credentials(rows, now),
        user_check(
            IamNoInitialAccessKeys,
            rows,
            |r| {
                join(
                    r.active_keys()
                        .filter(|(_, key)| key.last_used.is_none())
                        .map(|(k, _)| tr!("key {k} never used", "キー {k} は未使用"))
                        .collect(),
                )
            },
            (
                "have an active access key that was never used",
                "一度も使われていない有効なアクセスキーを持っています",
            ),
            (
                "every active access key has been used",
                "有効なアクセスキーはすべて使用実績があります",
            ),
        ),
        user_check(
            IamLongTermKeysInventory,
            rows,
            |r| {
                let n = r.active_keys().count();
                (n > 0).then(|| tr!("{n} active", "有効 {n} 個"))
            },
            (
                "have active long-term access keys",
                "有効な長期アクセスキーを持っています",
            ),
            (
                "no IAM user has an active access key",
                "有効なアクセスキーを持つ IAM ユーザーはいません",
            ),
        ),
    ]
}

/// Passwords and keys old enough to have gone unused for 45 days must have
/// been used within 45 days. Credentials younger than that prove nothing
/// either way: an account whose credentials are all minutes old is not
/// evidence that unused access gets removed, so it is `not_applicable`,
/// never a pass.
fn unused_credentials(rows: &[CredRow], now: OffsetDateTime) -> Finding {
    let id = CheckId::IamUnusedCredentials;
    let limit = Duration::days(UNUSED_DAYS);
    let old = |t: Option<OffsetDateTime>| t.is_some_and(|t| now - t > limit);
    let stale = |used: Option<OffsetDateTime>| used.is_none_or(|t| now - t > limit);
    let mut judged = 0;
    let mut failing: Vec<(&CredRow, Text)> = Vec::new();
    for r in rows.iter().filter(|r| !r.is_root()) {
        let mut why = Vec::new();
        if r.password_enabled && old(r.password_last_changed.or(r.created)) {
            judged += 1;
            if stale(r.password_last_used) {
                why.push(match r.password_last_used.map(day) {
                    Some(d) => tr!("password last used {d}", "パスワードの最終使用 {d}"),
                    None => tr!("password never used", "パスワードは未使用"),
                });
            }
        }
        for (n, k) in r.active_keys() {
            if old(k.last_rotated) {
                judged += 1;
                if stale(k.last_used) {
                    why.push(match k.last_used.map(day) {
                        Some(d) => tr!("key {n} last used {d}", "キー {n} の最終使用 {d}"),
                        None => tr!("key {n} never used", "キー {n} は未使用"),
                    });
                }
            }
        }
        if let Some(why) = join(why) {
            failing.push((r, why));
        }
    }
    if judged == 0 {
        return Finding::not_applicable(
            id,
            tr!(
                "no password or active access key is older than {UNUSED_DAYS} days, so none could have gone unused that long: this says nothing yet about removing unused access",
                "作成から {UNUSED_DAYS} 日を超えたパスワードや有効なアクセスキーがないため、未使用の認証情報が削除されているかはまだ判断できません"
            ),
        );
    }
    if failing.is_empty() {
        return Finding::pass(
            id,
            tr!(
                "all {judged} passwords and access keys older than {UNUSED_DAYS} days were used within {UNUSED_DAYS} days",
                "作成から {UNUSED_DAYS} 日を超えたパスワードとアクセスキー {judged} 件はすべて直近 {UNUSED_DAYS} 日以内に使われています"
            ),
        );
    }
    let bad = failing.len();
    let (list_en, list_ja) = listing(&failing);
    Finding::fail(
        id,
        tr!(
            "{bad} IAM users have a password or active key unused for {UNUSED_DAYS} days: {list_en}",
            "IAM ユーザー {bad} 人に {UNUSED_DAYS} 日以上使われていないパスワードまたは有効なキーがあります: {list_ja}"
        ),
    )
    .with_resources(failing.iter().map(|(r, _)| r.arn.clone()))
}
