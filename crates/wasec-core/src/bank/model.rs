//! Question bank types: plain data, validated on load.

use crate::i18n::{Lang, Text, TextList};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// The level of risk exposed when a best practice is not in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Risk {
    Low,
    Medium,
    High,
}

impl Risk {
    /// Scoring weight (High 3, Medium 2, Low 1).
    pub fn weight(self) -> u32 {
        match self {
            Risk::High => 3,
            Risk::Medium => 2,
            Risk::Low => 1,
        }
    }

    pub fn parse(s: &str) -> Option<Risk> {
        match s.to_ascii_lowercase().as_str() {
            "high" => Some(Risk::High),
            "medium" => Some(Risk::Medium),
            "low" => Some(Risk::Low),
            _ => None,
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Risk::High => lang.pick("High", "高"),
            Risk::Medium => lang.pick("Medium", "中"),
            Risk::Low => lang.pick("Low", "低"),
        }
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label(Lang::En))
    }
}

/// How far API evidence can decide a best practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Automation {
    /// Evidence can decide it for most workloads.
    Automatable,
    /// Evidence helps; a person confirms scope and intent.
    Partial,
    /// Only people can tell (documents, training, exercises).
    Process,
}

impl Automation {
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Automation::Automatable => lang.pick("automatable", "自動判定可"),
            Automation::Partial => lang.pick("partial", "一部自動"),
            Automation::Process => lang.pick("process (people decide)", "プロセス（人が判断）"),
        }
    }

    /// The fewest and most checks a BP of this level may list. An
    /// automatable BP may be selected by `--auto-answer`, so it never rests
    /// on one check; a partial BP has at least one check to help the
    /// person deciding; a process BP has none, so evidence never suggests
    /// it is in place.
    pub fn check_range(self) -> (usize, Option<usize>) {
        match self {
            Automation::Automatable => (2, None),
            Automation::Partial => (1, None),
            Automation::Process => (0, Some(0)),
        }
    }

    /// Why `checks` checks do not fit this level, if they do not.
    pub fn check_count_problem(self, checks: usize) -> Option<String> {
        let (min, max) = self.check_range();
        let name = self.label(Lang::En);
        if checks < min {
            Some(format!(
                "{name} needs at least {min} checks, lists {checks} (grade it lower, or add checks)"
            ))
        } else if max.is_some_and(|m| checks > m) {
            Some(format!(
                "{name} lists {checks} checks; evidence must not decide it (grade it partial, or remove the checks)"
            ))
        } else {
            None
        }
    }

    pub fn parse(s: &str) -> Option<Automation> {
        match s {
            "automatable" => Some(Automation::Automatable),
            "partial" => Some(Automation::Partial),
            "process" => Some(Automation::Process),
            _ => None,
        }
    }
}

/// How sure the reference was of a WA Tool choice id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    High,
    Medium,
    Low,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::High => "high",
            Confidence::Medium => "medium",
            Confidence::Low => "low",
        }
    }

    pub fn parse(s: &str) -> Option<Confidence> {
        match s {
            "high" => Some(Confidence::High),
            "medium" => Some(Confidence::Medium),
            "low" => Some(Confidence::Low),
            _ => None,
        }
    }
}

/// Cross-references to other frameworks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mappings {
    /// AWS Security Hub CSPM control ids (e.g. `IAM.4`). A control id is the
    /// same in every standard that includes it (FSBP, CIS, NIST, PCI DSS), so
    /// this list is not limited to the FSBP standard.
    #[serde(default)]
    pub security_hub: Vec<String>,
    /// CIS AWS Foundations Benchmark v3.0 recommendation ids.
    #[serde(default)]
    pub cis_v3: Vec<String>,
    /// Singapore CSA Cyber Trust mark domains (B8..B22).
    #[serde(default)]
    pub cyber_trust: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BestPractice {
    pub id: String,
    pub title: Text,
    /// The AWS guidance page of the BP, in English and Japanese (the same
    /// page under `/ja_jp/`). Validated on load: https on docs.aws.amazon.com.
    pub url: Text,
    pub risk: Risk,
    pub wa_choice_id: String,
    pub wa_choice_id_confidence: Confidence,
    pub automation: Automation,
    /// Why the automation level is what it is, judged against the checks
    /// that exist (empty in banks that do not say).
    pub automation_note: Text,
    pub good: Text,
    pub improve: TextList,
    pub services: Vec<String>,
    pub checks: Vec<String>,
    pub mappings: Mappings,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Question {
    pub id: String,
    pub wa_question_id: String,
    pub none_of_these_choice_id: String,
    pub none_of_these_confidence: Confidence,
    pub area: Text,
    pub title: Text,
    pub description: Text,
    pub best_practices: Vec<BestPractice>,
}

impl Question {
    pub fn bp(&self, id: &str) -> Option<&BestPractice> {
        self.best_practices.iter().find(|b| b.id == id)
    }
}

/// What the question set is and how it maps to the WA Tool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lens {
    pub schema: u32,
    pub framework: Text,
    pub framework_version: String,
    pub lens_alias: String,
    pub pillar_id: String,
    pub pillar_name: Text,
    pub languages: Vec<Lang>,
    /// Choice ids that earlier versions of the WA Tool lens list and this
    /// bank does not. Choice ids, not BP numbers, are the durable key: the
    /// framework renumbers BPs, the Tool keeps a choice's id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub retired_choices: Vec<RetiredChoice>,
}

/// A choice of an earlier lens version (a workload whose lens review was
/// never upgraded may still show it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetiredChoice {
    pub choice_id: String,
    /// The WA question id it belongs to (e.g. `protect-compute`).
    pub question: String,
    /// Its title in the lens versions that list it.
    pub title: String,
    /// The BP id it had then (e.g. `SEC06-BP02`); for people, never a key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub old_bp: String,
    /// The framework version from which the lens no longer lists it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub retired_in: String,
}

/// A validated question bank.
#[derive(Debug, Clone)]
pub struct Bank {
    lens: Lens,
    questions: Vec<Question>,
    /// BP id -> (question index, BP index).
    bp_index: HashMap<String, (usize, usize)>,
    /// check id -> BP ids it informs, in bank order.
    check_index: HashMap<String, Vec<String>>,
}

impl Bank {
    pub(crate) fn new(lens: Lens, questions: Vec<Question>) -> Bank {
        let mut bp_index = HashMap::new();
        let mut check_index: HashMap<String, Vec<String>> = HashMap::new();
        for (qi, q) in questions.iter().enumerate() {
            for (bi, bp) in q.best_practices.iter().enumerate() {
                bp_index.insert(bp.id.clone(), (qi, bi));
                for c in &bp.checks {
                    check_index
                        .entry(c.clone())
                        .or_default()
                        .push(bp.id.clone());
                }
            }
        }
        Bank {
            lens,
            questions,
            bp_index,
            check_index,
        }
    }

    pub fn lens(&self) -> &Lens {
        &self.lens
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions
            .iter()
            .find(|q| q.id.eq_ignore_ascii_case(id))
    }

    /// The question a BP belongs to, and the BP.
    pub fn bp(&self, id: &str) -> Option<(&Question, &BestPractice)> {
        let (qi, bi) = *self.bp_index.get(id)?;
        let q = &self.questions[qi];
        Some((q, &q.best_practices[bi]))
    }

    pub fn bps(&self) -> impl Iterator<Item = (&Question, &BestPractice)> {
        self.questions
            .iter()
            .flat_map(|q| q.best_practices.iter().map(move |b| (q, b)))
    }

    pub fn bp_count(&self) -> usize {
        self.bp_index.len()
    }

    /// BP ids a check informs.
    pub fn bps_for_check(&self, check: &str) -> &[String] {
        self.check_index
            .get(check)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Every check id the bank refers to, sorted.
    pub fn check_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> = self.check_index.keys().map(String::as_str).collect();
        ids.sort_unstable();
        ids
    }

    /// BP ids whose Security Hub control mapping lists `control` (e.g. "IAM.4").
    pub fn bps_for_control(&self, control: &str) -> Vec<&str> {
        self.bps()
            .filter(|(_, b)| b.mappings.security_hub.iter().any(|c| c == control))
            .map(|(_, b)| b.id.as_str())
            .collect()
    }
}
