//! The review file model: plain serde data, kept diff-friendly (maps are
//! sorted, empty fields are omitted) so a review can live in git.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, OffsetDateTime};

/// The newest review schema this build reads and writes. Version 2 added
/// follow-up ids and the evidence item's `service`, `source` and
/// `summary_ja`; version 1 files load and are migrated on their next save.
pub const SCHEMA_VERSION: u32 = 2;

time::serde::format_description!(iso_date, Date, "[year]-[month]-[day]");

pub use iso_date::option as opt_date;

fn is_false(b: &bool) -> bool {
    !*b
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub schema_version: u32,
    pub workload: Workload,
    /// The framework version of the bank the answers were given against.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub framework_version: String,
    /// Answers keyed by question id (SEC01..).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, Answer>,
    /// Follow-up actions keyed by BP id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub follow_ups: BTreeMap<String, Vec<FollowUp>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceItem>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_runs: Vec<EvidenceRun>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub milestones: Vec<Milestone>,
    #[serde(default, skip_serializing_if = "Facilitation::is_empty")]
    pub facilitation: Facilitation,
    /// Where this review lives in the AWS Well-Architected Tool, once pushed or pulled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wa_tool: Option<WaToolLink>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Environment {
    #[default]
    Production,
    Preproduction,
}

impl Environment {
    pub fn as_str(self) -> &'static str {
        match self {
            Environment::Production => "production",
            Environment::Preproduction => "preproduction",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Workload {
    pub name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    #[serde(default)]
    pub environment: Environment,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reviewers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    #[serde(with = "iso_date")]
    pub created: Date,
    #[serde(default, with = "opt_date", skip_serializing_if = "Option::is_none")]
    pub review_date: Option<Date>,
    #[serde(
        default,
        with = "time::serde::rfc3339::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated: Option<OffsetDateTime>,
}

/// Why a best practice or a whole question does not apply (the WA Tool's reasons).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NaReason {
    OutOfScope,
    BusinessPriorities,
    ArchitectureConstraints,
    Other,
    None,
}

impl NaReason {
    pub const ALL: [NaReason; 5] = [
        NaReason::OutOfScope,
        NaReason::BusinessPriorities,
        NaReason::ArchitectureConstraints,
        NaReason::Other,
        NaReason::None,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NaReason::OutOfScope => "out_of_scope",
            NaReason::BusinessPriorities => "business_priorities",
            NaReason::ArchitectureConstraints => "architecture_constraints",
            NaReason::Other => "other",
            NaReason::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<NaReason> {
        NaReason::ALL
            .into_iter()
            .find(|r| r.as_str() == s.to_ascii_lowercase().replace('-', "_"))
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            NaReason::OutOfScope => lang.pick("Out of scope", "対象範囲外"),
            NaReason::BusinessPriorities => lang.pick("Business priorities", "ビジネス上の優先度"),
            NaReason::ArchitectureConstraints => {
                lang.pick("Architecture constraints", "アーキテクチャ上の制約")
            }
            NaReason::Other => lang.pick("Other", "その他"),
            NaReason::None => lang.pick("None", "なし"),
        }
    }
}

/// The answer to one question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// BP ids the workload has in place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selected: Vec<String>,
    /// BP ids that do not apply, with the reason.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub not_applicable: BTreeMap<String, NaReason>,
    /// Reviewed, and none of the BPs is in place.
    #[serde(default, skip_serializing_if = "is_false")]
    pub none_of_these: bool,
    /// The whole question does not apply to this workload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question_not_applicable: Option<NaReason>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// Short notes per BP (the WA Tool keeps up to 250 characters per choice).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub bp_notes: BTreeMap<String, String>,
}

impl Answer {
    pub fn is_selected(&self, bp: &str) -> bool {
        self.selected.iter().any(|s| s == bp)
    }

    pub fn is_bp_na(&self, bp: &str) -> bool {
        self.not_applicable.contains_key(bp)
    }

    /// A question counts as answered once the reviewer has said something
    /// about it: selected a BP, chose "none of these", or marked it (or
    /// every BP) not applicable.
    pub fn is_answered(&self, bp_count: usize) -> bool {
        !self.selected.is_empty()
            || self.none_of_these
            || self.question_not_applicable.is_some()
            || (bp_count > 0 && self.not_applicable.len() >= bp_count)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    #[default]
    Open,
    InProgress,
    Done,
    WontDo,
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::WontDo => "wont_do",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            ActionStatus::Open => lang.pick("Open", "未着手"),
            ActionStatus::InProgress => lang.pick("In progress", "対応中"),
            ActionStatus::Done => lang.pick("Done", "完了"),
            ActionStatus::WontDo => lang.pick("Won't do", "対応しない"),
        }
    }

    /// The next status in the order a reviewer walks through them
    /// (open, in progress, done, won't do, open again).
    pub fn cycle(self) -> ActionStatus {
        match self {
            ActionStatus::Open => ActionStatus::InProgress,
            ActionStatus::InProgress => ActionStatus::Done,
            ActionStatus::Done => ActionStatus::WontDo,
            ActionStatus::WontDo => ActionStatus::Open,
        }
    }

    pub fn parse(s: &str) -> Option<ActionStatus> {
        [
            ActionStatus::Open,
            ActionStatus::InProgress,
            ActionStatus::Done,
            ActionStatus::WontDo,
        ]
        .into_iter()
        .find(|a| a.as_str() == s)
    }
}

/// A follow-up action agreed for a BP.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// Short id, unique within the review and never reused while the
    /// action exists, so scripts can name it (`follow-up set FILE 3f9a`).
    /// Empty only in files written before schema 2; filled on load.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub owner: String,
    #[serde(default, with = "opt_date", skip_serializing_if = "Option::is_none")]
    pub due: Option<Date>,
    #[serde(default)]
    pub status: ActionStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceStatus {
    Pass,
    Fail,
    Unknown,
    NotApplicable,
}

impl EvidenceStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceStatus::Pass => "pass",
            EvidenceStatus::Fail => "fail",
            EvidenceStatus::Unknown => "unknown",
            EvidenceStatus::NotApplicable => "not_applicable",
        }
    }
}

/// Where an evidence item came from.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum EvidenceSource {
    /// wasec read the account itself.
    #[default]
    Scan,
    /// A control finding read from AWS Security Hub CSPM.
    SecurityHub,
    /// Merged from another review file or written by hand.
    Import,
}

impl EvidenceSource {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceSource::Scan => "scan",
            EvidenceSource::SecurityHub => "securityhub",
            EvidenceSource::Import => "import",
        }
    }

    fn is_scan(&self) -> bool {
        *self == EvidenceSource::Scan
    }
}

/// One fact gathered by an evidence check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceItem {
    /// The check that produced it (e.g. `iam.root_mfa`).
    pub check: String,
    /// The AWS service the item is about (IAM prefix, e.g. `s3`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub service: String,
    #[serde(default, skip_serializing_if = "EvidenceSource::is_scan")]
    pub source: EvidenceSource,
    pub status: EvidenceStatus,
    /// What was found, in English.
    pub summary: String,
    /// The same in Japanese (empty in items from older wasec versions).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary_ja: String,
    /// ARNs or other resource identifiers the item is about.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resources: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// AWS region, or `global` for account-wide checks.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    #[serde(with = "time::serde::rfc3339")]
    pub collected_at: OffsetDateTime,
    /// The failing resource is reachable from the internet (raises likelihood).
    #[serde(default, skip_serializing_if = "is_false")]
    pub public: bool,
    /// BPs this item informs when it is not the check's usual set (for
    /// example an imported Security Hub finding); empty means "the check's BPs".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bps: Vec<String>,
}

impl Default for EvidenceItem {
    fn default() -> Self {
        EvidenceItem {
            check: String::new(),
            service: String::new(),
            source: EvidenceSource::Scan,
            status: EvidenceStatus::Unknown,
            summary: String::new(),
            summary_ja: String::new(),
            resources: Vec::new(),
            account: String::new(),
            region: String::new(),
            collected_at: OffsetDateTime::UNIX_EPOCH,
            public: false,
            bps: Vec::new(),
        }
    }
}

impl EvidenceItem {
    /// The summary in `lang`, falling back to English.
    pub fn summary(&self, lang: crate::Lang) -> &str {
        match lang {
            crate::Lang::Ja if !self.summary_ja.is_empty() => &self.summary_ja,
            _ => &self.summary,
        }
    }
}

/// A record of one evidence collection run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRun {
    #[serde(with = "time::serde::rfc3339")]
    pub started_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub finished_at: OffsetDateTime,
    /// The caller identity (ARN) that collected it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub by: String,
    /// The account scanned (or, for a run over many, the caller's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub account: String,
    /// Every account a run over several accounts covered.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<String>,
    #[serde(default, skip_serializing_if = "EvidenceSource::is_scan")]
    pub source: EvidenceSource,
    #[serde(default)]
    pub counts: EvidenceCounts,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceCounts {
    #[serde(default)]
    pub pass: u32,
    #[serde(default)]
    pub fail: u32,
    #[serde(default)]
    pub unknown: u32,
    #[serde(default)]
    pub not_applicable: u32,
}

impl EvidenceCounts {
    pub fn add(&mut self, status: EvidenceStatus) {
        match status {
            EvidenceStatus::Pass => self.pass += 1,
            EvidenceStatus::Fail => self.fail += 1,
            EvidenceStatus::Unknown => self.unknown += 1,
            EvidenceStatus::NotApplicable => self.not_applicable += 1,
        }
    }

    pub fn total(&self) -> u32 {
        self.pass + self.fail + self.unknown + self.not_applicable
    }
}

impl FollowUp {
    /// Still to do (open or in progress) and its due date has passed.
    pub fn is_overdue(&self, today: Date) -> bool {
        matches!(self.status, ActionStatus::Open | ActionStatus::InProgress)
            && self.due.is_some_and(|d| d < today)
    }
}

/// Per-question risk, as in the WA Tool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionRisk {
    High,
    Medium,
    None,
    Unanswered,
    NotApplicable,
}

impl QuestionRisk {
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionRisk::High => "high",
            QuestionRisk::Medium => "medium",
            QuestionRisk::None => "none",
            QuestionRisk::Unanswered => "unanswered",
            QuestionRisk::NotApplicable => "not_applicable",
        }
    }

    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            QuestionRisk::High => lang.pick("High risk", "高リスク"),
            QuestionRisk::Medium => lang.pick("Medium risk", "中リスク"),
            QuestionRisk::None => lang.pick("No risk", "リスクなし"),
            QuestionRisk::Unanswered => lang.pick("Unanswered", "未回答"),
            QuestionRisk::NotApplicable => lang.pick("Not applicable", "該当なし"),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskCounts {
    pub high: u32,
    pub medium: u32,
    pub none: u32,
    pub unanswered: u32,
    pub not_applicable: u32,
}

impl RiskCounts {
    pub fn add(&mut self, risk: QuestionRisk) {
        match risk {
            QuestionRisk::High => self.high += 1,
            QuestionRisk::Medium => self.medium += 1,
            QuestionRisk::None => self.none += 1,
            QuestionRisk::Unanswered => self.unanswered += 1,
            QuestionRisk::NotApplicable => self.not_applicable += 1,
        }
    }
}

/// The overall result of one view of a review (declared, or adjusted by
/// evidence): the score and the question risk counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ViewScore {
    /// 0-100 over the applicable best practices; `None` when nothing applies.
    pub score: Option<f64>,
    pub counts: RiskCounts,
}

/// A named snapshot of answers and scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// The declared score; absent when nothing applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    pub counts: RiskCounts,
    #[serde(default)]
    pub risks: BTreeMap<String, QuestionRisk>,
    /// The evidence-adjusted view at the time (absent before schema 2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence_adjusted: Option<ViewScore>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub adjusted_risks: BTreeMap<String, QuestionRisk>,
    #[serde(default)]
    pub answers: BTreeMap<String, Answer>,
}

/// What a facilitated meeting keeps: who was there, open points, time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facilitation {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parking_lot: Vec<ParkingItem>,
    /// Seconds spent per question id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub time_spent: BTreeMap<String, u64>,
    /// Total meeting seconds across sessions.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub meeting_seconds: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Facilitation {
    pub fn is_empty(&self) -> bool {
        self == &Facilitation::default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParkingItem {
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub question: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub resolved: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaToolLink {
    pub workload_id: String,
    pub region: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lens_version: String,
    /// The three-way sync base per workload and the Tool's own view.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<super::sync::WaSync>,
}
