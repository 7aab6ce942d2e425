//! Shared verdict for account-wide views that read every scanned region:
//! is each region covered (its data reaches one central place), not
//! covered, or unknown because its calls failed?

use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;
use std::collections::BTreeMap;
use wasec_core::Text;

/// How one scanned region stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Coverage {
    /// Covered, and by what (an ARN or an account id, language-neutral).
    By(String),
    NotCovered,
    Unknown(Failure),
}

/// What the summaries say.
pub struct Wording {
    /// Pass: "{what}" covers every scanned region.
    pub pass: (&'static str, &'static str),
    /// Fail: regions not covered.
    pub fail: (&'static str, &'static str),
}

/// One finding over all scanned regions. `member_note` (when `Some`)
/// replaces a failure when nothing at all was found, for views that a
/// member account cannot see (they live in a management account).
pub fn verdict(
    id: CheckId,
    regions: &BTreeMap<String, Coverage>,
    words: Wording,
    member_note: Option<Text>,
) -> Finding {
    let mut by: Vec<String> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    let mut failure: Option<&Failure> = None;
    for (region, c) in regions {
        match c {
            Coverage::By(what) => by.push(what.clone()),
            Coverage::NotCovered => missing.push(region.clone()),
            Coverage::Unknown(f) => {
                failure = failure.or(Some(f));
                missing.push(region.clone());
            }
        }
    }
    by.sort();
    by.dedup();
    if missing.is_empty() {
        let (n, list) = (regions.len(), sample(&by, 3));
        let (en, ja) = words.pass;
        return Finding::pass(
            id,
            tr!(
                "{en} ({list}) for all {n} scanned regions",
                "スキャンしたリージョン {n} 件すべてで{ja}（{list}）"
            ),
        )
        .with_resources(by);
    }
    if let Some(f) = failure {
        return f.finding(id);
    }
    if by.is_empty()
        && let Some(note) = member_note
    {
        return Finding::unknown(id, note);
    }
    let list = missing.join(", ");
    let (en, ja) = words.fail;
    Finding::fail(id, tr!("{en}: {list}", "{ja}: {list}")).with_resources(by)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    const WORDS: Wording = Wording {
        pass: ("collected by", "集約先"),
        fail: ("not collected", "集約されていない"),
    };

    fn map(items: &[(&str, Coverage)]) -> BTreeMap<String, Coverage> {
        items
            .iter()
            .map(|(r, c)| (r.to_string(), c.clone()))
            .collect()
    }

    #[test]
    fn every_region_must_be_covered() {
        let id = CheckId::ConfigAggregator;
        let all = map(&[
            ("eu-west-1", Coverage::By("agg".into())),
            ("us-east-1", Coverage::By("agg".into())),
        ]);
        let f = verdict(id, &all, WORDS, None);
        assert_eq!(f.status, EvidenceStatus::Pass);
        assert_eq!(f.resources, vec!["agg"]);
        let part = map(&[
            ("eu-west-1", Coverage::NotCovered),
            ("us-east-1", Coverage::By("agg".into())),
        ]);
        let f = verdict(id, &part, WORDS, Some(tr!("member", "メンバー")));
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert!(f.summary.en.ends_with("not collected: eu-west-1"));
        let none = map(&[("eu-west-1", Coverage::NotCovered)]);
        assert_eq!(
            verdict(id, &none, WORDS, Some(tr!("member", "メンバー"))).status,
            EvidenceStatus::Unknown
        );
        assert_eq!(verdict(id, &none, WORDS, None).status, EvidenceStatus::Fail);
        let failed = map(&[(
            "eu-west-1",
            Coverage::Unknown(Failure::new(
                "config:X",
                FailureKind::AccessDenied,
                "AccessDenied",
            )),
        )]);
        assert_eq!(
            verdict(id, &failed, WORDS, None).status,
            EvidenceStatus::Unknown
        );
    }
}
