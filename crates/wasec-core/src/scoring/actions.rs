//! The plan as work: plan items that share a root cause become one action.
//!
//! The improvement plan has one item per BP. Evidence often shows that
//! several of them fail for the same reason: one open security group
//! contradicts one BP and leaves a gap in another, one VPC without flow
//! logs weakens both detection and network protection. Fixing that one
//! thing is one piece of work, so it is one [`Action`] that lists every BP
//! it helps close.
//!
//! * A failing check is a root cause. Its action carries every plan item
//!   whose BP fails on that check, with the failing items (resources,
//!   account, region) so the reader sees what to fix.
//! * A BP that fails on several checks needs all of them fixed: it belongs
//!   to the action of each check, and [`Action::closes_alone`] says which
//!   BPs one action closes by itself.
//! * A plan item without failing evidence is its own action: the work is
//!   putting the BP in place.
//!
//! Every plan item is in at least one action; actions are ranked like the
//! plan (priority first, then the rank of their most urgent item).

use super::{Level, PlanItem, PlanKind, plan};
use crate::bank::Bank;
use crate::review::{ActionStatus, EvidenceItem, EvidenceStatus, FollowUp, Review};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use time::Date;

/// What an action fixes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Cause {
    /// A failing evidence check (fix it on the resources in `findings`).
    Check { check: String },
    /// No failing evidence: the work is putting this BP in place.
    Practice { bp_id: String },
}

/// One piece of work: a root cause and the plan items it helps close.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    /// 1 is the most urgent.
    pub rank: usize,
    /// The highest priority of its items.
    pub priority: Level,
    pub cause: Cause,
    /// The failing evidence items of the check (empty for a practice).
    pub findings: Vec<EvidenceItem>,
    /// The plan items this action works on, in plan order.
    pub items: Vec<PlanItem>,
}

impl Action {
    /// The BPs it works on, in plan order.
    pub fn bp_ids(&self) -> impl Iterator<Item = &str> {
        self.items.iter().map(|i| i.bp_id.as_str())
    }

    /// A failing resource is reachable from the internet.
    pub fn public(&self) -> bool {
        self.findings.iter().any(|f| f.public)
    }

    /// Some item is a contradiction (marked in place, evidence fails).
    pub fn has_contradiction(&self) -> bool {
        self.items.iter().any(|i| i.kind == PlanKind::Contradiction)
    }

    /// Every follow-up agreed on its BPs, in plan order.
    pub fn follow_ups(&self) -> impl Iterator<Item = (&str, &FollowUp)> {
        self.items
            .iter()
            .flat_map(|i| i.actions.iter().map(move |f| (i.bp_id.as_str(), f)))
    }

    /// The follow-up that drives the action: of those still to do (open or
    /// in progress), the one due first (undated last); `None` when nothing
    /// is still to do.
    pub fn lead(&self) -> Option<&FollowUp> {
        self.follow_ups()
            .map(|(_, f)| f)
            .filter(|f| matches!(f.status, ActionStatus::Open | ActionStatus::InProgress))
            .min_by_key(|f| (f.due.is_none(), f.due))
    }

    /// Follow-ups still to do whose due date has passed.
    pub fn overdue(&self, today: Date) -> usize {
        self.follow_ups()
            .filter(|(_, f)| f.is_overdue(today))
            .count()
    }

    /// The BPs this action closes by itself: those with no failing
    /// evidence from any other check. The others also need the actions
    /// named by [`needs_also`].
    pub fn closes_alone<'a>(&'a self, all: &'a [Action]) -> impl Iterator<Item = &'a str> + 'a {
        self.bp_ids()
            .filter(move |bp| needs_also(all, bp, self.rank).is_empty())
    }
}

/// The ranks of the other actions a BP is part of (besides `rank`).
pub fn needs_also(all: &[Action], bp: &str, rank: usize) -> Vec<usize> {
    all.iter()
        .filter(|a| a.rank != rank && a.bp_ids().any(|b| b == bp))
        .map(|a| a.rank)
        .collect()
}

/// The ranks of the actions a BP is part of.
pub fn actions_for(all: &[Action], bp: &str) -> Vec<usize> {
    all.iter()
        .filter(|a| a.bp_ids().any(|b| b == bp))
        .map(|a| a.rank)
        .collect()
}

/// The review's plan, grouped into actions.
pub fn actions(bank: &Bank, review: &Review) -> Vec<Action> {
    group(bank, review, plan(bank, review))
}

/// Group plan items (as [`plan`] returns them) into actions.
pub fn group(bank: &Bank, review: &Review, items: Vec<PlanItem>) -> Vec<Action> {
    // Failing evidence per check, over the plan's BPs.
    let mut by_check: BTreeMap<&str, (Vec<usize>, Vec<&EvidenceItem>)> = BTreeMap::new();
    let mut has_fail = vec![false; items.len()];
    for (i, item) in items.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for e in review.evidence_for(bank, &item.bp_id) {
            if e.status != EvidenceStatus::Fail {
                continue;
            }
            has_fail[i] = true;
            let entry = by_check.entry(e.check.as_str()).or_default();
            if seen.insert(e.check.as_str()) {
                entry.0.push(i);
            }
            if !entry.1.iter().any(|x| std::ptr::eq(*x, e)) {
                entry.1.push(e);
            }
        }
    }
    let mut out: Vec<Action> = by_check
        .into_iter()
        .map(|(check, (idx, findings))| Action {
            rank: 0,
            priority: idx
                .iter()
                .map(|&i| items[i].priority)
                .max()
                .unwrap_or(Level::Low),
            cause: Cause::Check {
                check: check.to_string(),
            },
            findings: findings.into_iter().cloned().collect(),
            items: idx.iter().map(|&i| items[i].clone()).collect(),
        })
        .collect();
    for (item, failing) in items.iter().zip(&has_fail) {
        if !failing {
            out.push(Action {
                rank: 0,
                priority: item.priority,
                cause: Cause::Practice {
                    bp_id: item.bp_id.clone(),
                },
                findings: Vec::new(),
                items: vec![item.clone()],
            });
        }
    }
    // Most urgent first; ties by the rank of the most urgent item, then
    // by the number of items (more BPs closed by one fix first).
    let first = |a: &Action| a.items.iter().map(|i| i.rank).min().unwrap_or(usize::MAX);
    out.sort_by(|a, b| {
        b.priority
            .cmp(&a.priority)
            .then(first(a).cmp(&first(b)))
            .then(b.items.len().cmp(&a.items.len()))
            .then(cause_key(&a.cause).cmp(cause_key(&b.cause)))
    });
    for (i, a) in out.iter_mut().enumerate() {
        a.rank = i + 1;
    }
    out
}

fn cause_key(c: &Cause) -> &str {
    match c {
        Cause::Check { check } => check,
        Cause::Practice { bp_id } => bp_id,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo;
    use time::macros::date;

    fn demo_actions() -> (Bank, Review, Vec<Action>) {
        let bank = Bank::embedded().unwrap();
        let review = demo::review(&bank).unwrap();
        let actions = actions(&bank, &review);
        (bank, review, actions)
    }

    fn check_action<'a>(actions: &'a [Action], check: &str) -> &'a Action {
        actions
            .iter()
            .find(|a| {
                a.cause
                    == Cause::Check {
                        check: check.into(),
                    }
            })
            .unwrap_or_else(|| panic!("no action for {check}"))
    }

    #[test]
    fn one_open_security_group_is_one_action_for_every_bp_it_fails() {
        let (_, _, actions) = demo_actions();
        let sg = check_action(&actions, "ec2.sg_no_admin_ports_open");
        let bps: Vec<&str> = sg.bp_ids().collect();
        assert_eq!(bps, ["SEC05-BP02", "SEC06-BP03"]);
        assert_eq!(sg.rank, 1, "the public failure comes first");
        assert_eq!(sg.priority, Level::Critical);
        assert!(sg.public() && sg.has_contradiction());
        assert_eq!(sg.findings.len(), 1);
        assert!(sg.findings[0].resources[0].ends_with("sg-0bastion"));
    }

    #[test]
    fn missing_flow_logs_group_detection_and_network_items() {
        let (_, _, actions) = demo_actions();
        let flow = check_action(&actions, "vpc.flow_logs");
        let bps: Vec<&str> = flow.bp_ids().collect();
        assert!(
            bps.contains(&"SEC04-BP01") && bps.contains(&"SEC05-BP03"),
            "{bps:?}"
        );
        // SEC04-BP01 also fails on log retention: closing it needs both.
        let retention = check_action(&actions, "logs.retention_set");
        assert!(retention.bp_ids().any(|b| b == "SEC04-BP01"));
        assert_eq!(
            needs_also(&actions, "SEC04-BP01", flow.rank),
            [retention.rank]
        );
        let alone: Vec<&str> = flow.closes_alone(&actions).collect();
        assert_eq!(alone, ["SEC05-BP03"]);
    }

    #[test]
    fn every_plan_item_is_in_an_action_and_ranks_follow_priority() {
        let (bank, review, actions) = demo_actions();
        let plan = plan(&bank, &review);
        for item in &plan {
            assert!(
                !actions_for(&actions, &item.bp_id).is_empty(),
                "{} is in no action",
                item.bp_id
            );
        }
        assert!(actions.len() < plan.len(), "grouping merges items");
        for (i, a) in actions.iter().enumerate() {
            assert_eq!(a.rank, i + 1);
            assert!(!a.items.is_empty());
            let max = a.items.iter().map(|i| i.priority).max().unwrap();
            assert_eq!(a.priority, max);
        }
        for w in actions.windows(2) {
            assert!(w[0].priority >= w[1].priority);
        }
        // An item with no failing evidence is its own practice action.
        let practice = actions
            .iter()
            .find(|a| matches!(a.cause, Cause::Practice { .. }))
            .unwrap();
        assert_eq!(practice.items.len(), 1);
        assert!(practice.findings.is_empty());
    }

    #[test]
    fn the_lead_follow_up_is_the_open_one_due_first_and_overdue_is_counted() {
        let (_, _, actions) = demo_actions();
        let sg = check_action(&actions, "ec2.sg_no_admin_ports_open");
        let lead = sg.lead().expect("the demo agreed an action on SEC05-BP02");
        assert_eq!(lead.owner, "Ben Carter");
        assert_eq!(lead.due, Some(date!(2026 - 11 - 27)));
        assert_eq!(sg.overdue(date!(2026 - 11 - 27)), 0);
        assert_eq!(sg.overdue(date!(2026 - 12 - 01)), 1);
    }

    #[test]
    fn a_review_without_evidence_has_one_practice_action_per_item() {
        let bank = Bank::embedded().unwrap();
        let mut review = demo::review(&bank).unwrap();
        review.evidence.clear();
        let plan = plan(&bank, &review);
        let actions = actions(&bank, &review);
        assert_eq!(actions.len(), plan.len());
        for (a, p) in actions.iter().zip(&plan) {
            assert_eq!(
                a.cause,
                Cause::Practice {
                    bp_id: p.bp_id.clone()
                }
            );
        }
    }
}
