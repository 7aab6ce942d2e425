//! A tally of judged resources for one check: how many were judged, which
//! failed and why, whether a failing one is reachable from the internet,
//! and the first read error. It turns into one finding with the same
//! wording in every module that uses it:
//! "2 of 5 topics are not encrypted with KMS: a (KmsMasterKeyId unset), b (...)".
//!
//! Failing resources win over read errors (what was seen to fail is
//! reported); a read error without failures makes the check `unknown`;
//! nothing judged is `not_applicable`.

use crate::check::{CheckId, Failure, Finding};
use crate::tr;
use crate::util::sample;
use wasec_core::Text;

/// Failing resources listed in `resources`; the counts stay exact.
pub const MAX_RESOURCES: usize = 100;
/// Failing resources named in the summary.
const IN_SUMMARY: usize = 5;

/// What is counted, in both languages (plural English, e.g. "topics").
#[derive(Debug, Clone, Copy)]
pub struct Noun {
    pub en: &'static str,
    pub ja: &'static str,
}

/// A (English, Japanese) phrase completing "k of n NOUN ...".
pub type Phrase<'a> = (&'a str, &'a str);

#[derive(Debug, Clone)]
struct Bad {
    resource: String,
    label: String,
    why: Text,
}

#[derive(Debug, Clone)]
pub struct Tally {
    noun: Noun,
    judged: usize,
    bad: Vec<Bad>,
    public: bool,
    error: Option<Failure>,
}

impl Tally {
    pub fn new(noun: Noun) -> Tally {
        Tally {
            noun,
            judged: 0,
            bad: Vec::new(),
            public: false,
            error: None,
        }
    }

    /// A resource that passes.
    pub fn pass(&mut self) {
        self.judged += 1;
    }

    /// A resource that fails: its identifier for `resources` (an ARN where
    /// there is one), a short label for the summary and what is wrong.
    pub fn fail(&mut self, resource: &str, label: &str, why: Text, public: bool) {
        self.judged += 1;
        self.bad.push(Bad {
            resource: resource.to_string(),
            label: label.to_string(),
            why,
        });
        self.public |= public;
    }

    /// Pass or fail, by `problem`.
    pub fn judge(&mut self, resource: &str, label: &str, problem: Option<Text>, public: bool) {
        match problem {
            Some(why) => self.fail(resource, label, why, public),
            None => self.pass(),
        }
    }

    /// A resource that could not be read (the first error is kept).
    pub fn error(&mut self, f: &Failure) {
        self.error.get_or_insert_with(|| f.clone());
    }

    /// The finding: `fail` and `pass` complete "k of n NOUN ..." and "all n
    /// NOUN ..."; `none` is said when nothing was judged.
    pub fn finish(self, id: CheckId, fail: Phrase, pass: Phrase, none: Text) -> Finding {
        let n = self.judged;
        let (noun_en, noun_ja) = (self.noun.en, self.noun.ja);
        if !self.bad.is_empty() {
            let mut bad = self.bad;
            bad.sort_by(|a, b| (&a.label, &a.resource).cmp(&(&b.label, &b.resource)));
            let k = bad.len();
            let en: Vec<String> = bad
                .iter()
                .map(|b| format!("{} ({})", b.label, b.why.en))
                .collect();
            let ja: Vec<String> = bad
                .iter()
                .map(|b| format!("{}（{}）", b.label, b.why.ja))
                .collect();
            let (list_en, list_ja) = (sample(&en, IN_SUMMARY), sample(&ja, IN_SUMMARY));
            let (fail_en, fail_ja) = fail;
            let capped = if k > MAX_RESOURCES {
                tr!(
                    " (first {MAX_RESOURCES} in resources)",
                    "（リソース欄は先頭 {MAX_RESOURCES} 件）"
                )
            } else {
                tr!("", "")
            };
            let (capped_en, capped_ja) = (capped.en, capped.ja);
            let mut resources: Vec<String> = bad.into_iter().map(|b| b.resource).collect();
            resources.sort();
            resources.dedup();
            resources.truncate(MAX_RESOURCES);
            return Finding::fail(
                id,
                tr!(
                    "{k} of {n} {noun_en} {fail_en}{capped_en}: {list_en}",
                    "{noun_ja} {n} 件中 {k} 件が{fail_ja}{capped_ja}: {list_ja}"
                ),
            )
            .with_resources(resources)
            .public(self.public);
        }
        if let Some(f) = self.error {
            return f.finding(id);
        }
        if n == 0 {
            return Finding::not_applicable(id, none);
        }
        let (pass_en, pass_ja) = pass;
        Finding::pass(
            id,
            tr!(
                "all {n} {noun_en} {pass_en}",
                "{noun_ja} {n} 件すべてが{pass_ja}"
            ),
        )
    }
}

/// Several problems of one resource as one reason: "a, b" / "a、b".
pub fn join(parts: &[Text]) -> Option<Text> {
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

/// Why a resource policy lets anyone in, naming the open statements and
/// their actions: `Policy statement "Open" (sns:Publish) open to anyone`.
/// `None` when no statement is open or the text is not a JSON policy.
pub fn open_policy(text: &str) -> Option<Text> {
    let doc: serde_json::Value = serde_json::from_str(text).ok()?;
    let open: Vec<String> = crate::util::statements(&doc)
        .into_iter()
        .enumerate()
        .filter(|(_, s)| crate::util::statement_is_public(s))
        .map(|(i, s)| {
            let sid = s
                .get("Sid")
                .and_then(serde_json::Value::as_str)
                .filter(|s| !s.is_empty())
                .map(|s| format!("\"{s}\""))
                .unwrap_or_else(|| format!("#{}", i + 1));
            let actions = crate::util::strings(s.get("Action")).join(", ");
            if actions.is_empty() {
                sid
            } else {
                format!("{sid} ({actions})")
            }
        })
        .collect();
    (!open.is_empty()).then(|| {
        let list = open.join("; ");
        tr!(
            "Policy statement {list} open to anyone",
            "Policy のステートメント {list} が誰にでも開放"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::FailureKind;
    use wasec_core::review::EvidenceStatus;

    const TOPICS: Noun = Noun {
        en: "topics",
        ja: "トピック",
    };
    const FAIL: Phrase = ("are open", "公開されています");
    const PASS: Phrase = ("are closed", "非公開です");

    fn none() -> Text {
        tr!("no topic", "トピックなし")
    }

    #[test]
    fn failures_name_resource_label_and_reason_in_both_languages() {
        let mut t = Tally::new(TOPICS);
        t.pass();
        t.fail("arn:b", "b", tr!("why b", "理由 b"), false);
        t.fail("arn:a", "a", tr!("why a", "理由 a"), true);
        t.error(&Failure::new("sns:X", FailureKind::Other, "Boom"));
        let f = t.finish(CheckId::IamRootMfa, FAIL, PASS, none());
        assert_eq!(f.status, EvidenceStatus::Fail);
        assert_eq!(f.summary.en, "2 of 3 topics are open: a (why a), b (why b)");
        assert_eq!(
            f.summary.ja,
            "トピック 3 件中 2 件が公開されています: a（理由 a）, b（理由 b）"
        );
        assert_eq!(f.resources, vec!["arn:a", "arn:b"]);
        assert!(f.public);
    }

    #[test]
    fn errors_without_failures_are_unknown_and_nothing_judged_is_not_applicable() {
        let mut t = Tally::new(TOPICS);
        t.pass();
        t.error(&Failure::new(
            "sns:X",
            FailureKind::AccessDenied,
            "AccessDenied",
        ));
        let f = t.finish(CheckId::IamRootMfa, FAIL, PASS, none());
        assert_eq!(f.status, EvidenceStatus::Unknown);
        assert!(f.summary.en.contains("sns:X"));
        let f = Tally::new(TOPICS).finish(CheckId::IamRootMfa, FAIL, PASS, none());
        assert_eq!(f.status, EvidenceStatus::NotApplicable);
        let mut t = Tally::new(TOPICS);
        t.judge("arn:a", "a", None, true);
        let f = t.finish(CheckId::IamRootMfa, FAIL, PASS, none());
        assert_eq!(f.status, EvidenceStatus::Pass);
        assert_eq!(f.summary.en, "all 1 topics are closed");
        assert!(!f.public);
    }

    #[test]
    fn resources_are_capped_but_counts_stay_exact() {
        let mut t = Tally::new(TOPICS);
        for i in 0..150 {
            t.fail(
                &format!("arn:{i:03}"),
                &format!("t{i:03}"),
                tr!("x", "x"),
                false,
            );
        }
        let f = t.finish(CheckId::IamRootMfa, FAIL, PASS, none());
        assert_eq!(f.resources.len(), MAX_RESOURCES);
        assert!(
            f.summary
                .en
                .starts_with("150 of 150 topics are open (first 100")
        );
        assert!(f.summary.en.ends_with("(+145)"), "{}", f.summary.en);
    }

    #[test]
    fn open_policies_name_their_statements_and_actions() {
        let doc = r#"{"Statement":[
            {"Sid":"Owner","Effect":"Allow","Principal":{"AWS":"*"},"Action":"sns:Publish",
             "Condition":{"StringEquals":{"AWS:SourceOwner":"123456789012"}}},
            {"Sid":"Open","Effect":"Allow","Principal":"*","Action":["sns:Publish","sns:Subscribe"]},
            {"Effect":"Allow","Principal":{"AWS":"*"},"Action":"sns:GetTopicAttributes"}]}"#;
        let why = open_policy(doc).unwrap();
        assert_eq!(
            why.en,
            "Policy statement \"Open\" (sns:Publish, sns:Subscribe); #3 (sns:GetTopicAttributes) open to anyone"
        );
        assert!(why.ja.contains("\"Open\" (sns:Publish, sns:Subscribe)"));
        let owner_only = r#"{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::1:root"},"Action":"*"}]}"#;
        assert_eq!(open_policy(owner_only), None);
        assert_eq!(open_policy("not json"), None);
    }
}
