//! Loading the question bank: YAML -> raw structs -> validated [`Bank`].
//!
//! Syntax and type errors come from the YAML layer with file, line and
//! column. Everything that needs the whole picture (duplicates, missing
//! translations, unknown risk levels, malformed check ids) is checked here
//! and names the offending item. All problems are collected, not just the
//! first, so a team fixing its own questions sees the full list at once.

use super::model::*;
use crate::i18n::{Lang, Text, TextList};
use crate::yaml::{self, YamlError};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: String,
    wa_question_id: String,
    none_of_these_choice_id: String,
    none_of_these_confidence: String,
    area: Text,
    title: Text,
    #[serde(default)]
    description: Text,
    best_practices: Vec<RawBp>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBp {
    id: String,
    title: Text,
    url: Text,
    risk: String,
    wa_choice_id: String,
    wa_choice_id_confidence: String,
    automation: String,
    /// Why the automation level is what it is (one line per language).
    #[serde(default)]
    automation_note: Text,
    good: Text,
    improve: TextList,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    checks: Vec<String>,
    #[serde(default)]
    mappings: Mappings,
}

/// Why a bank could not be loaded.
#[derive(Debug)]
pub enum BankError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Yaml(YamlError),
    /// Semantic problems, one line per offending item.
    Invalid(Vec<String>),
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BankError::Io { path, source } => write!(f, "{}: {}", path.display(), source),
            BankError::Yaml(e) => write!(f, "{e}"),
            BankError::Invalid(problems) => {
                write!(f, "question bank is invalid ({} problems):", problems.len())?;
                for p in problems {
                    write!(f, "\n  - {p}")?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for BankError {}

impl From<YamlError> for BankError {
    fn from(e: YamlError) -> Self {
        BankError::Yaml(e)
    }
}

/// The question files shipped inside the binary.
const EMBEDDED_LENS: (&str, &str) = (
    "questions/lens.yaml",
    include_str!("../../../../questions/lens.yaml"),
);
const EMBEDDED: [(&str, &str); 11] = [
    (
        "questions/sec01.yaml",
        include_str!("../../../../questions/sec01.yaml"),
    ),
    (
        "questions/sec02.yaml",
        include_str!("../../../../questions/sec02.yaml"),
    ),
    (
        "questions/sec03.yaml",
        include_str!("../../../../questions/sec03.yaml"),
    ),
    (
        "questions/sec04.yaml",
        include_str!("../../../../questions/sec04.yaml"),
    ),
    (
        "questions/sec05.yaml",
        include_str!("../../../../questions/sec05.yaml"),
    ),
    (
        "questions/sec06.yaml",
        include_str!("../../../../questions/sec06.yaml"),
    ),
    (
        "questions/sec07.yaml",
        include_str!("../../../../questions/sec07.yaml"),
    ),
    (
        "questions/sec08.yaml",
        include_str!("../../../../questions/sec08.yaml"),
    ),
    (
        "questions/sec09.yaml",
        include_str!("../../../../questions/sec09.yaml"),
    ),
    (
        "questions/sec10.yaml",
        include_str!("../../../../questions/sec10.yaml"),
    ),
    (
        "questions/sec11.yaml",
        include_str!("../../../../questions/sec11.yaml"),
    ),
];

impl Bank {
    /// The built-in Security pillar bank.
    pub fn embedded() -> Result<Bank, BankError> {
        let lens: Lens = yaml::from_str(EMBEDDED_LENS.1, EMBEDDED_LENS.0)?;
        let files: Vec<(String, String)> = EMBEDDED
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        let raw = parse_all(&files)?;
        build(lens, raw)
    }

    /// A bank from in-memory texts: a lens file and `(name, text)` question
    /// files (the names appear in error messages).
    pub fn from_sources(lens: &str, questions: &[(&str, &str)]) -> Result<Bank, BankError> {
        let lens: Lens = yaml::from_str(lens, "lens.yaml")?;
        let files: Vec<(String, String)> = questions
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        build(lens, parse_all(&files)?)
    }

    /// The bank for `--questions DIR`: with a `lens.yaml` the directory
    /// replaces the built-in bank; without one its questions extend it
    /// (a question with a built-in id replaces that question).
    pub fn load(dir: Option<&Path>) -> Result<Bank, BankError> {
        let Some(dir) = dir else {
            return Bank::embedded();
        };
        let (lens_file, files) = read_dir(dir)?;
        let raw_dir = parse_all(&files)?;
        match lens_file {
            Some((name, text)) => build(yaml::from_str(&text, &name)?, raw_dir),
            None => {
                let lens: Lens = yaml::from_str(EMBEDDED_LENS.1, EMBEDDED_LENS.0)?;
                let builtin: Vec<(String, String)> = EMBEDDED
                    .iter()
                    .map(|(n, t)| (n.to_string(), t.to_string()))
                    .collect();
                let mut raw = parse_all(&builtin)?;
                for q in raw_dir {
                    match raw.iter().position(|b| b.id == q.id) {
                        Some(i) => raw[i] = q,
                        None => raw.push(q),
                    }
                }
                build(lens, raw)
            }
        }
    }
}

type Files = Vec<(String, String)>;

/// `glossary.yaml` beside the question files holds the Japanese wording
/// rules (see questions/glossary.yaml), not a question.
const GLOSSARY: &str = "glossary";

fn read_dir(dir: &Path) -> Result<(Option<(String, String)>, Files), BankError> {
    let io = |source| BankError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    paths.sort();
    let mut lens = None;
    let mut files = Vec::new();
    for path in paths {
        let stem = path.file_stem().and_then(|s| s.to_str());
        // The wording rules beside the questions are not a question.
        if stem == Some(GLOSSARY) {
            continue;
        }
        let text = read_limited(&path)?;
        let name = path.display().to_string();
        if stem == Some("lens") {
            lens = Some((name, text));
        } else {
            files.push((name, text));
        }
    }
    if files.is_empty() {
        return Err(BankError::Invalid(vec![format!(
            "{}: no question files (*.yaml) found",
            dir.display()
        )]));
    }
    Ok((lens, files))
}

/// Read a question file: a regular file, at most the YAML size limit.
fn read_limited(path: &Path) -> Result<String, BankError> {
    crate::bounded::read_text(path).map_err(|e| match e {
        crate::bounded::ReadError::Io(source) => BankError::Io {
            path: path.to_path_buf(),
            source,
        },
        other => BankError::Yaml(YamlError {
            file: path.display().to_string(),
            line: None,
            column: None,
            message: other.to_string(),
        }),
    })
}

fn parse_all(files: &[(String, String)]) -> Result<Vec<RawQuestion>, BankError> {
    files
        .iter()
        .map(|(name, text)| yaml::from_str::<RawQuestion>(text, name).map_err(BankError::from))
        .collect()
}

fn valid_question_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    bytes.len() >= 3
        && bytes[0].is_ascii_uppercase()
        && bytes
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

fn valid_bp_id(qid: &str, id: &str) -> bool {
    id.strip_prefix(qid)
        .and_then(|rest| rest.strip_prefix("-BP"))
        .is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Check ids look like `service.snake_case_name`.
pub fn valid_check_id(id: &str) -> bool {
    let mut parts = id.split('.');
    let ok = |s: Option<&str>| {
        s.is_some_and(|s| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
    };
    ok(parts.next()) && ok(parts.next()) && parts.next().is_none()
}

/// Security Hub CSPM control ids look like `Service.N`: a service prefix
/// (`IAM`, `CloudTrail`, `Opensearch`) and a control number without a
/// leading zero.
pub fn valid_control_id(id: &str) -> bool {
    let Some((service, number)) = id.split_once('.') else {
        return false;
    };
    let mut first = service.bytes();
    first.next().is_some_and(|b| b.is_ascii_uppercase())
        && first.all(|b| b.is_ascii_alphanumeric())
        && !number.is_empty()
        && !number.starts_with('0')
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// The recommendations of CIS AWS Foundations Benchmark v3.0.0.
const CIS_V3: [&str; 62] = [
    "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.10", "1.11", "1.12", "1.13",
    "1.14", "1.15", "1.16", "1.17", "1.18", "1.19", "1.20", "1.21", "1.22", "2.1.1", "2.1.2",
    "2.1.3", "2.1.4", "2.2.1", "2.3.1", "2.3.2", "2.3.3", "2.4.1", "3.1", "3.2", "3.3", "3.4",
    "3.5", "3.6", "3.7", "3.8", "3.9", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8",
    "4.9", "4.10", "4.11", "4.12", "4.13", "4.14", "4.15", "4.16", "5.1", "5.2", "5.3", "5.4",
    "5.5", "5.6",
];

fn valid_choice_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Where AWS publishes its guidance; the Japanese pages live under `/ja_jp/`.
const DOCS_HOST: &str = "https://docs.aws.amazon.com/";
const DOCS_JA: &str = "https://docs.aws.amazon.com/ja_jp/";

/// What is wrong with a BP's guidance links: each must be an https page on
/// docs.aws.amazon.com, and the Japanese one the same page under `/ja_jp/`.
fn guidance_url_problems(url: &Text) -> impl Iterator<Item = String> {
    let page = |u: &str, prefix: &str| {
        u.strip_prefix(prefix).is_some_and(|path| {
            !path.is_empty() && !path.chars().any(|c| c.is_whitespace() || c.is_control())
        })
    };
    let en_ok = page(&url.en, DOCS_HOST) && !url.en.starts_with(DOCS_JA);
    let ja_ok = page(&url.ja, DOCS_JA);
    let mut out = Vec::new();
    if !en_ok {
        out.push(format!(
            "url.en '{}' is not an English page on {DOCS_HOST}",
            url.en
        ));
    }
    if !ja_ok {
        out.push(format!("url.ja '{}' is not a page under {DOCS_JA}", url.ja));
    } else if en_ok && url.ja[DOCS_JA.len()..] != url.en[DOCS_HOST.len()..] {
        out.push(format!(
            "url.ja '{}' is not the Japanese version of url.en '{}'",
            url.ja, url.en
        ));
    }
    out.into_iter()
}

const CYBER_TRUST: [&str; 22] = [
    "B1", "B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10", "B11", "B12", "B13", "B14", "B15",
    "B16", "B17", "B18", "B19", "B20", "B21", "B22",
];

struct Problems(Vec<String>);

impl Problems {
    fn text(&mut self, item: &str, field: &str, text: &Text) {
        for lang in text.missing() {
            self.0.push(format!(
                "{item}: {field} has no {} translation",
                lang_name(lang)
            ));
        }
    }
    fn list(&mut self, item: &str, field: &str, list: &TextList) {
        for lang in Lang::ALL {
            let entries = list.get(lang);
            if entries.is_empty() || entries.iter().any(|s| s.trim().is_empty()) {
                self.0.push(format!(
                    "{item}: {field} has no {} translation",
                    lang_name(lang)
                ));
            }
        }
    }
}

fn lang_name(lang: Lang) -> &'static str {
    match lang {
        Lang::En => "English",
        Lang::Ja => "Japanese",
    }
}

fn build(lens: Lens, raw: Vec<RawQuestion>) -> Result<Bank, BankError> {
    let mut p = Problems(Vec::new());
    p.text("lens", "framework", &lens.framework);
    p.text("lens", "pillar_name", &lens.pillar_name);
    let mut question_ids = HashSet::new();
    let mut wa_ids = HashSet::new();
    let mut bp_ids = HashSet::new();
    let mut questions = Vec::with_capacity(raw.len());
    for rq in raw {
        if !valid_question_id(&rq.id) {
            p.0.push(format!(
                "{}: malformed question id (expected e.g. SEC01)",
                rq.id
            ));
        }
        if !question_ids.insert(rq.id.clone()) {
            p.0.push(format!("{}: duplicate question id", rq.id));
        }
        if !wa_ids.insert(rq.wa_question_id.clone()) {
            p.0.push(format!(
                "{}: duplicate wa_question_id '{}'",
                rq.id, rq.wa_question_id
            ));
        }
        p.text(&rq.id, "area", &rq.area);
        p.text(&rq.id, "title", &rq.title);
        p.text(&rq.id, "description", &rq.description);
        if rq.best_practices.is_empty() {
            p.0.push(format!("{}: has no best practices", rq.id));
        }
        if !valid_choice_id(&rq.none_of_these_choice_id) {
            p.0.push(format!("{}: malformed none_of_these_choice_id", rq.id));
        }
        let none_conf = Confidence::parse(&rq.none_of_these_confidence).unwrap_or_else(|| {
            p.0.push(format!(
                "{}: unknown none_of_these_confidence '{}' (expected high, medium or low)",
                rq.id, rq.none_of_these_confidence
            ));
            Confidence::Low
        });
        let mut choice_ids = HashSet::from([rq.none_of_these_choice_id.clone()]);
        let mut bps = Vec::with_capacity(rq.best_practices.len());
        for rb in rq.best_practices {
            bps.push(build_bp(&mut p, &rq.id, rb, &mut bp_ids, &mut choice_ids));
        }
        questions.push(Question {
            id: rq.id,
            wa_question_id: rq.wa_question_id,
            none_of_these_choice_id: rq.none_of_these_choice_id,
            none_of_these_confidence: none_conf,
            area: rq.area,
            title: rq.title,
            description: rq.description,
            best_practices: bps,
        });
    }
    check_retired(&mut p, &lens, &questions);
    if p.0.is_empty() {
        Ok(Bank::new(lens, questions))
    } else {
        Err(BankError::Invalid(p.0))
    }
}

/// A retired choice must not be a choice id the bank still uses. (One
/// whose question the bank lacks is simply never met: a team bank may
/// copy the shipped lens file.)
fn check_retired(p: &mut Problems, lens: &Lens, questions: &[Question]) {
    let mut seen = HashSet::new();
    for r in &lens.retired_choices {
        let item = format!("lens retired_choices {}", r.choice_id);
        if !valid_choice_id(&r.choice_id) {
            p.0.push(format!("{item}: malformed choice id"));
        }
        if !seen.insert(r.choice_id.as_str()) {
            p.0.push(format!("{item}: listed twice"));
        }
        let current = questions.iter().any(|q| {
            q.none_of_these_choice_id == r.choice_id
                || q.best_practices
                    .iter()
                    .any(|b| b.wa_choice_id == r.choice_id)
        });
        if current {
            p.0.push(format!("{item}: still a choice id of the bank"));
        }
    }
}

fn build_bp(
    p: &mut Problems,
    qid: &str,
    rb: RawBp,
    bp_ids: &mut HashSet<String>,
    choice_ids: &mut HashSet<String>,
) -> BestPractice {
    let id = rb.id.clone();
    if !valid_bp_id(qid, &id) {
        p.0.push(format!(
            "{id}: malformed best practice id (expected {qid}-BPnn)"
        ));
    }
    if !bp_ids.insert(id.clone()) {
        p.0.push(format!("{id}: duplicate best practice id"));
    }
    if !valid_choice_id(&rb.wa_choice_id) {
        p.0.push(format!(
            "{id}: malformed wa_choice_id '{}'",
            rb.wa_choice_id
        ));
    } else if !choice_ids.insert(rb.wa_choice_id.clone()) {
        p.0.push(format!(
            "{id}: duplicate wa_choice_id '{}' in {qid}",
            rb.wa_choice_id
        ));
    }
    p.text(&id, "title", &rb.title);
    p.text(&id, "url", &rb.url);
    if rb.url.missing().is_empty() {
        p.0.extend(guidance_url_problems(&rb.url).map(|e| format!("{id}: {e}")));
    }
    p.text(&id, "good", &rb.good);
    p.list(&id, "improve", &rb.improve);
    let risk = Risk::parse(&rb.risk).unwrap_or_else(|| {
        p.0.push(format!(
            "{id}: unknown risk level '{}' (expected High, Medium or Low)",
            rb.risk
        ));
        Risk::High
    });
    let automation = Automation::parse(&rb.automation).unwrap_or_else(|| {
        p.0.push(format!(
            "{id}: unknown automation '{}' (expected automatable, partial or process)",
            rb.automation
        ));
        Automation::Process
    });
    let confidence = Confidence::parse(&rb.wa_choice_id_confidence).unwrap_or_else(|| {
        p.0.push(format!(
            "{id}: unknown wa_choice_id_confidence '{}' (expected high, medium or low)",
            rb.wa_choice_id_confidence
        ));
        Confidence::Low
    });
    let mut seen = HashSet::new();
    let mut known = 0;
    for c in &rb.checks {
        if !valid_check_id(c) {
            p.0.push(format!(
                "{id}: malformed check id '{c}' (expected service.check_name)"
            ));
        } else if !seen.insert(c) {
            p.0.push(format!("{id}: check '{c}' listed twice"));
        } else if crate::catalog::CheckId::parse(c).is_none() {
            p.0.push(format!(
                "{id} lists check {c}, which is not implemented (not in wasec's check catalogue)"
            ));
        } else {
            known += 1;
        }
    }
    if !rb.automation_note.en.trim().is_empty() || !rb.automation_note.ja.trim().is_empty() {
        p.text(&id, "automation_note", &rb.automation_note);
    }
    // Counted over valid checks: a malformed id is reported on its own.
    if known == rb.checks.len()
        && let Some(why) = automation.check_count_problem(known)
    {
        p.0.push(format!("{id}: {why}"));
    }
    let mut seen = HashSet::new();
    for c in &rb.mappings.security_hub {
        if !valid_control_id(c) {
            p.0.push(format!(
                "{id}: malformed Security Hub control id '{c}' (expected Service.N, e.g. IAM.4)"
            ));
        } else if !seen.insert(c) {
            p.0.push(format!("{id}: Security Hub control '{c}' listed twice"));
        }
    }
    let mut seen = HashSet::new();
    for r in &rb.mappings.cis_v3 {
        if !CIS_V3.contains(&r.as_str()) {
            p.0.push(format!(
                "{id}: '{r}' is not a CIS AWS Foundations Benchmark v3.0 recommendation"
            ));
        } else if !seen.insert(r) {
            p.0.push(format!("{id}: CIS recommendation '{r}' listed twice"));
        }
    }
    for d in &rb.mappings.cyber_trust {
        if !CYBER_TRUST.contains(&d.as_str()) {
            p.0.push(format!(
                "{id}: unknown Cyber Trust domain '{d}' (expected B1..B22)"
            ));
        }
    }
    BestPractice {
        id,
        title: rb.title,
        url: rb.url,
        risk,
        wa_choice_id: rb.wa_choice_id,
        wa_choice_id_confidence: confidence,
        automation,
        automation_note: rb.automation_note,
        good: rb.good,
        improve: rb.improve,
        services: rb.services,
        checks: rb.checks,
        mappings: rb.mappings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_id_format() {
        assert!(valid_check_id("iam.root_mfa"));
        assert!(valid_check_id("s3.account_public_access_block"));
        assert!(!valid_check_id("iam"));
        assert!(!valid_check_id("IAM.root"));
        assert!(!valid_check_id("iam.root.mfa"));
        assert!(!valid_check_id("iam.root-mfa"));
    }

    fn url(en: &str, ja: &str) -> Vec<String> {
        guidance_url_problems(&Text::new(en, ja)).collect()
    }

    #[test]
    fn guidance_urls_are_aws_docs_pages_in_both_languages() {
        let en = "https://docs.aws.amazon.com/wellarchitected/latest/framework/sec_x.html";
        let ja = "https://docs.aws.amazon.com/ja_jp/wellarchitected/latest/framework/sec_x.html";
        assert!(url(en, ja).is_empty());
        // Plain http, another host, a look-alike host, a bare host.
        for bad in [
            "http://docs.aws.amazon.com/wellarchitected/x.html",
            "https://example.com/wellarchitected/x.html",
            "https://docs.aws.amazon.com.example.com/x.html",
            "https://docs.aws.amazon.com/",
            "https://docs.aws.amazon.com/a b.html",
        ] {
            assert_eq!(url(bad, ja).len(), 1, "{bad}");
        }
        // The English link must not be the Japanese page, and vice versa.
        assert_eq!(url(ja, ja).len(), 1);
        assert_eq!(url(en, en).len(), 1);
        // The Japanese page must be the same page as the English one.
        let other = "https://docs.aws.amazon.com/ja_jp/wellarchitected/latest/framework/sec_y.html";
        let p = url(en, other);
        assert_eq!(p.len(), 1);
        assert!(p[0].contains("not the Japanese version"), "{p:?}");
    }

    #[test]
    fn control_id_format() {
        for ok in ["IAM.4", "CloudTrail.7", "Opensearch.1", "EC2.170", "S3.22"] {
            assert!(valid_control_id(ok), "{ok}");
        }
        for bad in [
            "IAM", "IAM.", "IAM.04", "IAM.0", "iam.4", "IAM-4", "IAM.4a", ".4", "IAM.4.1", "IA M.4",
        ] {
            assert!(!valid_control_id(bad), "{bad}");
        }
    }

    #[test]
    fn cis_v3_list_is_the_benchmark() {
        // 22 IAM, 9 storage, 9 logging, 16 monitoring, 6 networking; no repeats.
        for (section, n) in [("1.", 22), ("2.", 9), ("3.", 9), ("4.", 16), ("5.", 6)] {
            let count = CIS_V3.iter().filter(|r| r.starts_with(section)).count();
            assert_eq!(count, n, "{section}");
        }
        assert_eq!(CIS_V3.iter().collect::<HashSet<_>>().len(), CIS_V3.len());
    }

    #[test]
    fn the_builtin_bank_grades_every_bp_with_a_reason_and_enough_checks() {
        let bank = Bank::embedded().expect("the built-in bank loads");
        for (_, b) in bank.bps() {
            assert!(
                b.automation_note.missing().is_empty(),
                "{}: automation_note needs en and ja",
                b.id
            );
            let (min, max) = b.automation.check_range();
            assert!(b.checks.len() >= min, "{} has too few checks", b.id);
            assert!(max.is_none_or(|m| b.checks.len() <= m), "{}", b.id);
        }
    }

    #[test]
    fn an_automatable_bp_on_one_check_is_refused() {
        let lens = include_str!("../../../../questions/lens.yaml");
        let q = include_str!("../../../../questions/sec02.yaml");
        // SEC02-BP01 is automatable with four checks; keep one.
        let one = q.replacen(
            "checks: [iam.password_policy_strong, iam.console_users_mfa, iam.admins_have_mfa, iam.no_initial_access_keys]",
            "checks: [iam.password_policy_strong]",
            1,
        );
        assert_ne!(one, q, "the fixture line changed: update this test");
        let err = Bank::from_sources(lens, &[("sec02.yaml", &one)]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("SEC02-BP01: automatable needs at least 2 checks, lists 1"),
            "{text}"
        );
        // A process BP that lists a check is refused too.
        let process = q.replacen("automation: partial", "automation: process", 1);
        let err = Bank::from_sources(lens, &[("sec02.yaml", &process)]).unwrap_err();
        assert!(
            err.to_string().contains("evidence must not decide it"),
            "{err}"
        );
    }

    #[test]
    fn a_check_outside_the_catalogue_is_refused() {
        let lens = include_str!("../../../../questions/lens.yaml");
        let q = include_str!("../../../../questions/sec02.yaml");
        let bad = q.replacen("iam.password_policy_strong", "iam.no_such_check", 1);
        let err = Bank::from_sources(lens, &[("sec02.yaml", &bad)]).unwrap_err();
        assert!(
            err.to_string()
                .contains("SEC02-BP01 lists check iam.no_such_check, which is not implemented"),
            "{err}"
        );
    }

    #[test]
    fn retired_choices_load_and_must_not_be_current_ids() {
        let bank = Bank::embedded().unwrap();
        let retired = &bank.lens().retired_choices;
        assert_eq!(retired.len(), 11);
        assert!(retired.iter().all(|r| {
            bank.questions()
                .iter()
                .any(|q| q.wa_question_id == r.question)
        }));
        let mut lens = bank.lens().clone();
        let current = bank.questions()[0].best_practices[0].wa_choice_id.clone();
        lens.retired_choices[0].choice_id = current.clone();
        lens.retired_choices[1].choice_id = lens.retired_choices[2].choice_id.clone();
        let mut p = Problems(Vec::new());
        check_retired(&mut p, &lens, bank.questions());
        assert_eq!(p.0.len(), 2, "{:?}", p.0);
        assert!(p.0[0].contains(&current) && p.0[0].contains("still a choice id"));
        assert!(p.0[1].contains("listed twice"));
    }

    #[test]
    fn bp_id_format() {
        assert!(valid_bp_id("SEC01", "SEC01-BP01"));
        assert!(!valid_bp_id("SEC01", "SEC02-BP01"));
        assert!(!valid_bp_id("SEC01", "SEC01-BP1"));
    }
}
