//! What a review last exchanged with the AWS Well-Architected Tool: the
//! base of a three-way sync, per workload, and the Tool's own view of the
//! review (its risks and improvement items) as read at the last sync.
//!
//! The base holds *facets*: small named parts of a question or workload
//! (`choice/<choice id>`, `notes`, `applicable`, `description`, ...) as
//! wasec wanted them and as the Tool held them right after the last push
//! or pull. Texts are kept as fingerprints, so the review file does not
//! carry every note twice. Choice ids, not BP numbers, are the keys: the
//! framework renumbers BPs, the Tool keeps a choice's id. The sync logic
//! itself lives in `wasec-watool`; this is plain data.

use super::model::{QuestionRisk, RiskCounts};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::OffsetDateTime;

/// Facet name -> value (or fingerprint). Absent means the default
/// (unselected, empty, applicable).
pub type Facets = BTreeMap<String, String>;

/// One side of a base: per WA question id, and the workload's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncSide {
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub questions: BTreeMap<String, Facets>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub workload: Facets,
}

/// What was in sync with one workload after the last push or pull.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncBase {
    pub workload_id: String,
    pub region: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// The Tool's lens version at that time (LensVersion).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lens_version: String,
    /// What the review wanted.
    #[serde(default)]
    pub wasec: SyncSide,
    /// What the Tool held.
    #[serde(default)]
    pub tool: SyncSide,
}

/// An improvement item as the Tool lists it (ListLensReviewImprovements).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolImprovement {
    /// Bank question id (SEC03), or the WA question id when the bank lacks it.
    pub question: String,
    pub risk: QuestionRisk,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub url: String,
}

/// A choice the Tool has on a question that the question bank does not
/// know (for example a retired id on a workload never upgraded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolChoice {
    pub question: String,
    pub choice_id: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title: String,
    /// selected, not_applicable or unselected (with notes).
    pub status: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
}

/// The Tool's own view of the workload's security pillar, kept beside
/// wasec's scoring (never mixed into it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolView {
    #[serde(with = "time::serde::rfc3339")]
    pub read_at: OffsetDateTime,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lens_version: String,
    /// CURRENT, NOT_CURRENT, DEPRECATED, ...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub lens_status: String,
    /// The pillar's risk counts as the Tool computes them.
    pub risk_counts: RiskCounts,
    /// The Tool's risk per bank question id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub risks: BTreeMap<String, QuestionRisk>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub improvements: Vec<ToolImprovement>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_choices: Vec<ToolChoice>,
}

/// Sync state of a linked review.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WaSync {
    /// One base per workload (region and id) the review was synced with.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bases: Vec<SyncBase>,
    /// The Tool's view at the last pull or push of the linked workload.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool: Option<ToolView>,
}

impl WaSync {
    pub fn base(&self, region: &str, workload_id: &str) -> Option<&SyncBase> {
        self.bases
            .iter()
            .find(|b| b.region == region && b.workload_id == workload_id)
    }

    /// Replace (or add) the base of `b`'s workload.
    pub fn set_base(&mut self, b: SyncBase) {
        self.bases
            .retain(|x| !(x.region == b.region && x.workload_id == b.workload_id));
        self.bases.push(b);
        self.bases
            .sort_by(|x, y| (&x.region, &x.workload_id).cmp(&(&y.region, &y.workload_id)));
    }
}
