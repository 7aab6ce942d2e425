//! The likelihood x severity risk matrix.
//!
//! Rows are the likelihood of the threat event, columns its severity:
//!
//! | likelihood \ severity | Low    | Medium | High     | Critical |
//! |-----------------------|--------|--------|----------|----------|
//! | Critical              | High   | High   | Critical | Critical |
//! | High                  | Medium | High   | High     | Critical |
//! | Medium                | Low    | Medium | High     | High     |
//! | Low                   | Low    | Low    | Medium   | High     |

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// One level of the four-step scale used for likelihood, severity and priority.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    /// Low to Critical.
    pub const ALL: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Level::Low => lang.pick("Low", "低"),
            Level::Medium => lang.pick("Medium", "中"),
            Level::High => lang.pick("High", "高"),
            Level::Critical => lang.pick("Critical", "重大"),
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

pub type Likelihood = Level;
pub type Severity = Level;
pub type Priority = Level;

use Level::*;

/// `PRIORITY[likelihood][severity]`, both indexed Low..Critical.
const PRIORITY: [[Level; 4]; 4] = [
    // likelihood Low
    [Low, Low, Medium, High],
    // likelihood Medium
    [Low, Medium, High, High],
    // likelihood High
    [Medium, High, High, Critical],
    // likelihood Critical
    [High, High, Critical, Critical],
];

/// The priority of a risk with this likelihood and severity.
pub fn priority(likelihood: Likelihood, severity: Severity) -> Priority {
    PRIORITY[likelihood.index()][severity.index()]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every cell, written out the way the seed's table reads (rows
    /// Critical..Low, columns Low..Critical), independently of `PRIORITY`.
    #[test]
    fn every_cell_matches_the_seed_table() {
        let table = [
            (Critical, [High, High, Critical, Critical]),
            (High, [Medium, High, High, Critical]),
            (Medium, [Low, Medium, High, High]),
            (Low, [Low, Low, Medium, High]),
        ];
        let mut checked = 0;
        for (likelihood, row) in table {
            for (severity, expected) in Level::ALL.into_iter().zip(row) {
                assert_eq!(
                    priority(likelihood, severity),
                    expected,
                    "likelihood {likelihood:?} x severity {severity:?}"
                );
                checked += 1;
            }
        }
        assert_eq!(checked, 16);
    }

    #[test]
    fn examples_from_the_issue() {
        assert_eq!(priority(High, High), High);
        assert_eq!(priority(Critical, High), Critical);
    }

    #[test]
    fn priority_never_decreases_with_either_axis() {
        for l in Level::ALL {
            for w in Level::ALL.windows(2) {
                assert!(priority(l, w[0]) <= priority(l, w[1]));
                assert!(priority(w[0], l) <= priority(w[1], l));
            }
        }
    }
}
