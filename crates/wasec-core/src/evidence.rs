//! How evidence meets a review. The one place that decides which best
//! practices an item informs, how a collection run merges into a review,
//! what the evidence suggests and where it contradicts the answers. The
//! AWS crate only fetches and evaluates; the CLI, the TUI, reports and
//! sync all call these functions, so they cannot disagree.

use crate::bank::{Automation, Bank};
use crate::review::{EvidenceItem, EvidenceRun, EvidenceSource, EvidenceStatus, Review};
use crate::scoring::{self, BpEvidence, PlanKind};
use std::collections::{BTreeMap, BTreeSet};

/// The region name of account-wide (global) items.
pub const GLOBAL: &str = "global";

/// A scope region meaning "every region" (Security Hub CSPM read from an
/// aggregation region answers for all the regions linked to it).
pub const ANY_REGION: &str = "*";

/// How many run records a review keeps (the oldest go first).
pub const KEEP_RUNS: usize = 20;

/// What one collection run looked at. Its items replace exactly the stored
/// items inside this scope: same source, same account, one of its regions
/// (or `global`), one of its checks. Everything else stays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunScope {
    pub source: EvidenceSource,
    pub account: String,
    /// Regions scanned; account-wide items (`global`) are always in scope.
    pub regions: Vec<String>,
    /// Every check the run ran, whatever it found (a check that now finds
    /// nothing must still clear its old items).
    pub checks: BTreeSet<String>,
}

impl RunScope {
    pub fn covers(&self, item: &EvidenceItem) -> bool {
        item.source == self.source
            && item.account == self.account
            && (item.region == GLOBAL
                || self
                    .regions
                    .iter()
                    .any(|r| r == ANY_REGION || *r == item.region))
            && self.checks.contains(&item.check)
    }
}

/// A finished run, ready to merge: one scope per account it covered.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub scopes: Vec<RunScope>,
    pub items: Vec<EvidenceItem>,
    pub record: EvidenceRun,
}

impl Run {
    pub fn covers(&self, item: &EvidenceItem) -> bool {
        self.scopes.iter().any(|s| s.covers(item))
    }
}

/// What a merge did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Merged {
    /// Stored items the run replaced.
    pub removed: usize,
    pub added: usize,
}

/// Merge a run into the review: drop what its scope covered, add its
/// items, record the run (keeping the last [`KEEP_RUNS`]) and note its
/// account in the workload. Items are kept in one stable order so that
/// re-collecting an unchanged account changes nothing but times.
pub fn merge(review: &mut Review, run: Run) -> Merged {
    let before = review.evidence.len();
    review.evidence.retain(|e| !run.covers(e));
    let removed = before - review.evidence.len();
    let added = run.items.len();
    review.evidence.extend(run.items);
    sort_items(&mut review.evidence);
    record_run(review, run.record);
    for scope in &run.scopes {
        note_account(review, &scope.account);
    }
    Merged { removed, added }
}

/// Merge one part of a longer run (one account of an organization run,
/// saved as soon as it is done): like [`merge`], but the run's record
/// replaces the record of the same run (same start, caller and source)
/// instead of adding one, so a run over 200 accounts leaves one record
/// that grows with each part. The caller passes the cumulative record.
pub fn merge_part(review: &mut Review, run: Run) -> Merged {
    let r = &run.record;
    review.evidence_runs.retain(|old| {
        !(old.started_at == r.started_at && old.by == r.by && old.source == r.source)
    });
    merge(review, run)
}

/// Keep a run record, the newest [`KEEP_RUNS`] in time order.
fn record_run(review: &mut Review, record: EvidenceRun) {
    review.evidence_runs.push(record);
    review.evidence_runs.sort_by_key(|r| r.finished_at);
    let extra = review.evidence_runs.len().saturating_sub(KEEP_RUNS);
    review.evidence_runs.drain(..extra);
}

fn note_account(review: &mut Review, account: &str) {
    if !account.is_empty() && !review.workload.accounts.iter().any(|a| a == account) {
        review.workload.accounts.push(account.to_string());
    }
}

/// The accounts the review holds evidence from, sorted.
pub fn accounts(review: &Review) -> Vec<String> {
    let set: BTreeSet<&str> = review
        .evidence
        .iter()
        .map(|e| e.account.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    set.into_iter().map(str::to_string).collect()
}

/// The review as one account sees it: the same answers, only that
/// account's evidence (for per-account scores, plans and gates).
pub fn for_account(review: &Review, account: &str) -> Review {
    let mut r = review.clone();
    r.evidence.retain(|e| e.account == account);
    r
}

/// Slice `index` (1-based) of `count` of the accounts: sorted, then every
/// `count`-th, so the slices are disjoint, cover every account and stay
/// the same for the same list (`--shard I/N` across CI jobs).
pub fn shard(accounts: &[String], index: usize, count: usize) -> Vec<String> {
    let mut sorted: Vec<&String> = accounts.iter().collect();
    sorted.sort();
    sorted.dedup();
    sorted
        .into_iter()
        .enumerate()
        .filter(|(i, _)| count > 0 && index > 0 && i % count == index - 1)
        .map(|(_, a)| a.clone())
        .collect()
}

/// An AWS account id: exactly 12 ASCII digits.
pub fn valid_account_id(id: &str) -> bool {
    id.len() == 12 && id.bytes().all(|b| b.is_ascii_digit())
}

/// Parse a comma-separated account list (`--accounts`): every entry must
/// be a 12-digit account id; duplicates go, order is kept. The error names
/// the first bad entry.
pub fn parse_accounts(list: &str) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for raw in list.split(',').map(str::trim).filter(|a| !a.is_empty()) {
        if !valid_account_id(raw) {
            return Err(format!(
                "\"{raw}\" is not an AWS account id (12 digits, such as 111122223333)"
            ));
        }
        if !out.iter().any(|a| a == raw) {
            out.push(raw.to_string());
        }
    }
    if out.is_empty() {
        return Err("no account id given".to_string());
    }
    Ok(out)
}

/// Parse `--shard I/N`: 1 <= I <= N.
pub fn parse_shard(s: &str) -> Result<(usize, usize), String> {
    let bad = || format!("\"{s}\" is not a shard: write I/N with 1 <= I <= N, such as 2/4");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let i: usize = i.trim().parse().map_err(|_| bad())?;
    let n: usize = n.trim().parse().map_err(|_| bad())?;
    if i == 0 || n == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

/// What merging another review's evidence did, per account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taken {
    pub account: String,
    /// The other file's evidence replaced ours (it was newer or ours had none).
    pub taken: bool,
    pub items: usize,
}

/// Merge the evidence of `other` (a shard's output, say) into `review`:
/// per account and source, the newer collection wins whole; run records
/// are combined. Answers are never touched.
pub fn merge_from(review: &mut Review, other: &Review) -> Vec<Taken> {
    let newest = |r: &Review, source: EvidenceSource, account: &str| {
        r.evidence
            .iter()
            .filter(|e| e.source == source && e.account == account)
            .map(|e| e.collected_at)
            .max()
    };
    let keys: BTreeSet<(EvidenceSource, &str)> = other
        .evidence
        .iter()
        .map(|e| (e.source, e.account.as_str()))
        .collect();
    let mut out = Vec::new();
    for (source, account) in keys {
        let theirs: Vec<EvidenceItem> = other
            .evidence
            .iter()
            .filter(|e| e.source == source && e.account == account)
            .cloned()
            .collect();
        let taken = newest(review, source, account) <= newest(other, source, account);
        if taken {
            review
                .evidence
                .retain(|e| !(e.source == source && e.account == account));
            review.evidence.extend(theirs.iter().cloned());
            note_account(review, account);
        }
        out.push(Taken {
            account: account.to_string(),
            taken,
            items: theirs.len(),
        });
    }
    sort_items(&mut review.evidence);
    for run in &other.evidence_runs {
        if !review.evidence_runs.contains(run) {
            record_run(review, run.clone());
        }
    }
    out
}

/// The stable order of stored evidence: account, region, check, resources.
pub fn sort_items(items: &mut [EvidenceItem]) {
    for e in items.iter_mut() {
        e.resources.sort();
        e.resources.dedup();
    }
    items.sort_by(|a, b| {
        (
            &a.account,
            &a.region,
            &a.check,
            a.source,
            &a.resources,
            a.status,
        )
            .cmp(&(
                &b.account,
                &b.region,
                &b.check,
                b.source,
                &b.resources,
                b.status,
            ))
    });
}

/// The BPs an item informs: its own list when it has one (an imported
/// Security Hub control, say), else those whose `checks:` name its check.
pub fn bps_of<'a>(bank: &'a Bank, item: &'a EvidenceItem) -> &'a [String] {
    if item.bps.is_empty() {
        bank.bps_for_check(&item.check)
    } else {
        &item.bps
    }
}

/// Whether an item informs a BP.
pub fn informs(bank: &Bank, item: &EvidenceItem, bp: &str) -> bool {
    bps_of(bank, item).iter().any(|b| b == bp)
}

/// BPs the evidence says are in place but the answers do not select, and
/// which of them may be selected automatically (automatable ones only).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suggestions {
    pub in_place: Vec<String>,
    pub auto: Vec<String>,
}

/// A BP is suggested in place when it is applicable and unselected in a
/// question that applies, and every one of its checks has evidence, all
/// of which passes.
pub fn suggestions(bank: &Bank, review: &Review) -> Suggestions {
    let in_place: Vec<String> = bank
        .bps()
        .filter(|(q, b)| {
            let open = review.answer(&q.id).is_none_or(|a| {
                a.question_not_applicable.is_none() && !a.is_selected(&b.id) && !a.is_bp_na(&b.id)
            });
            open && !b.checks.is_empty()
                && b.checks.iter().all(|c| check_passes(review, c))
                && scoring::evidence_summary(bank, review, &b.id).status() == BpEvidence::Pass
        })
        .map(|(_, b)| b.id.clone())
        .collect();
    let auto = in_place
        .iter()
        .filter(|bp| {
            bank.bp(bp)
                .is_some_and(|(_, b)| b.automation == Automation::Automatable)
        })
        .cloned()
        .collect();
    Suggestions { in_place, auto }
}

/// Some item of the check exists and every one passes (or does not apply).
fn check_passes(review: &Review, check: &str) -> bool {
    let mut items = review
        .evidence
        .iter()
        .filter(|e| e.check == check && e.bps.is_empty())
        .peekable();
    items.peek().is_some()
        && items.all(|e| {
            matches!(
                e.status,
                EvidenceStatus::Pass | EvidenceStatus::NotApplicable
            )
        })
}

/// Select the given BPs; returns those actually changed.
pub fn auto_answer(bank: &Bank, review: &mut Review, bps: &[String]) -> Vec<String> {
    bps.iter()
        .filter(|bp| {
            let already = bank
                .bp(bp)
                .and_then(|(q, _)| review.answer(&q.id))
                .is_some_and(|a| a.is_selected(bp));
            !already && review.set_selected(bank, bp, true).is_ok()
        })
        .cloned()
        .collect()
}

/// Selected BPs whose evidence fails (the team says in place, the account
/// says otherwise), in plan order.
pub fn contradictions(bank: &Bank, review: &Review) -> Vec<String> {
    scoring::plan(bank, review)
        .into_iter()
        .filter(|p| p.kind == PlanKind::Contradiction)
        .map(|p| p.bp_id)
        .collect()
}

/// Pass/fail/unknown/n.a. per question over the given items (an item that
/// informs several BPs of one question counts once for that question).
pub fn per_question(
    bank: &Bank,
    items: &[EvidenceItem],
) -> BTreeMap<String, crate::review::EvidenceCounts> {
    let mut out: BTreeMap<String, crate::review::EvidenceCounts> = BTreeMap::new();
    for e in items {
        let questions: BTreeSet<&str> = bps_of(bank, e)
            .iter()
            .filter_map(|bp| bank.bp(bp).map(|(q, _)| q.id.as_str()))
            .collect();
        for q in questions {
            out.entry(q.to_string()).or_default().add(e.status);
        }
    }
    out
}

/// Distinct BPs the items inform (not-applicable items aside).
pub fn bps_covered(bank: &Bank, items: &[EvidenceItem]) -> BTreeSet<String> {
    items
        .iter()
        .filter(|e| e.status != EvidenceStatus::NotApplicable)
        .flat_map(|e| bps_of(bank, e).iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests;
