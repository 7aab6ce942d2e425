//! Every user-facing string of the crate. Progress and plan lines come in
//! English and Japanese (`--lang`); warnings and errors are English, as in
//! the rest of the CLI.

use crate::client::{LensInfo, MilestoneInfo, NewWorkload, WorkloadSummary};
use crate::error::{ApiFailure, Error};
use crate::facets::{self, APPLICABLE, EVIDENCE, NOTES};
use crate::mapping::reason_api;
use crate::merge::{How, Merged, Prefer};
use crate::notes::Cut;
use crate::plan::Labels;
use std::fmt::Write as _;
use wasec_core::Lang;
use wasec_core::bank::Question;
use wasec_core::review::sync::ToolChoice;
use wasec_core::review::{Answer, QuestionRisk, WaToolLink};

// ---- errors -------------------------------------------------------------

pub fn api_error(action: &str, kind: &ApiFailure, message: &str, region: &str) -> String {
    match kind {
        ApiFailure::NotFound { what: Some(w) } if w.starts_with("workload") => format!(
            "{action}: {w} not found in {region} ({message}). WA Tool workloads are regional: is --region {region} the region the workload was created in?"
        ),
        ApiFailure::NotFound { what: Some(w) } => format!("{action}: {w} not found ({message})"),
        ApiFailure::NotFound { what: None } => format!(
            "{action}: not found ({message}). If this is the workload: WA Tool workloads are regional; is --region {region} the region it was created in?"
        ),
        ApiFailure::AccessDenied => format!(
            "{action}: access denied ({message}). The caller needs the IAM permission wellarchitected:{action} (see `wasec iam-policy --wa-tool push`)."
        ),
        ApiFailure::Conflict => format!("{action}: conflict ({message})"),
        ApiFailure::Quota => format!(
            "{action}: service quota exceeded ({message}). A workload has at most 100 milestones and the API has no call to delete one; accounts also have a workload quota per Region (ask AWS for an increase in Service Quotas)."
        ),
        ApiFailure::Validation => format!("{action}: the WA Tool rejected the request ({message})"),
        ApiFailure::Throttled => {
            format!("{action}: still throttled after retries ({message}); try again later")
        }
        ApiFailure::Server => {
            format!("{action}: the WA Tool failed after retries ({message}); try again later")
        }
        ApiFailure::Other => format!("{action}: {message}"),
    }
}

pub fn invalid(problems: &[String]) -> String {
    let mut s = format!(
        "nothing was written; {} problem(s) to fix first:",
        problems.len()
    );
    for p in problems {
        let _ = write!(s, "\n  - {p}");
    }
    s
}

pub fn conflicts(n: usize) -> String {
    format!(
        "{n} conflict(s): the review and the WA Tool both changed the same thing since the last sync (shown above). Nothing was written. Settle them with --prefer wasec (write the review's) or --prefer tool (keep the Tool's), or `wasec pull` the Tool's changes into the review first."
    )
}

pub fn partial(written: usize, planned: usize, source: &Error) -> String {
    format!(
        "{written} of {planned} questions written, then: {source}. The workload link and what was written are saved in the review; run the same push again to continue."
    )
}

pub fn lens_too_large(n: usize) -> String {
    format!(
        "the lens JSON is {n} characters; the WA Tool accepts at most {}. Export fewer questions (--questions DIR) or shorten the guidance.",
        crate::lens::LENS_JSON_MAX
    )
}

pub fn bad_account(a: &str) -> String {
    format!("workload.accounts: {a:?} is not a 12-digit AWS account id")
}

pub fn too_many(what: &str, n: usize, max: usize) -> String {
    format!("{what}: {n} given, the WA Tool accepts at most {max}")
}

pub fn bad_other_region(r: &str) -> String {
    format!(
        "workload.regions: {r:?} is not an AWS Region code, so it goes to the Tool as a non-AWS location, which must be 3 to 25 characters"
    )
}

pub fn bad_owner(o: &str) -> String {
    format!("workload.owner: {o:?} must be 3 to 255 characters for the WA Tool")
}

pub fn owner_needed() -> String {
    "the review has no owner (workload.owner, at least 3 characters); the WA Tool needs a review owner to create a workload. Set it with `wasec review` or in the file.".into()
}

pub fn bad_workload_name(n: &str) -> String {
    format!("workload name {n:?} must be 3 to 100 characters for the WA Tool")
}

pub fn default_description(name: &str) -> String {
    format!("Security review of {name} (created by wasec)")
}

pub fn bad_milestone_name(name: &str, n: usize) -> String {
    format!("milestone name {name:?} has {n} characters; the WA Tool needs 3 to 100")
}

pub fn milestone_taken(name: &str, m: &MilestoneInfo) -> String {
    let when = m
        .recorded_at
        .map(|t| format!(", recorded {}", t.date()))
        .unwrap_or_default();
    format!(
        "milestone name {name:?} is already used on this workload (milestone {}{when}); milestone names are unique per workload: choose another name",
        m.number
    )
}

pub fn same_milestone_names(name: &str) -> String {
    format!(
        "--milestone and the lens upgrade milestone are both {name:?}; they need different names"
    )
}

pub fn milestone_quota(taken: usize, adding: usize) -> String {
    format!(
        "the workload has {taken} milestones and this push would add {adding}; the WA Tool allows at most 100 per workload and has no API to delete one. Push without --milestone, or use a new workload."
    )
}

pub fn arns_only_on_create() -> String {
    "--profile-arn and --review-template-arn apply only when --create makes a new workload".into()
}

pub fn one_arn_each() -> String {
    "a workload takes at most one profile and one review template".into()
}

pub fn bad_arn(flag: &str, a: &str) -> String {
    format!(
        "{flag} {a:?} is not a Well-Architected ARN of that kind (arn:aws:wellarchitected:REGION:ACCOUNT:...)"
    )
}

pub fn upgrade_milestone_name(version: &str) -> String {
    let v = if version.is_empty() {
        "the old lens"
    } else {
        version
    };
    format!("Before lens upgrade from {v} (wasec)")
}

pub fn lens_not_current(version: &str) -> String {
    format!(
        "the workload's lens review is on version {version}, which is not the current one (LensStatus NOT_CURRENT). Choice ids differ between versions, so wasec does not write without a decision: pass --upgrade-lens to upgrade it first (the Tool records a milestone with the answers as they were), or --keep-lens-version to write to version {version} as it is (bank choices it does not list are skipped)."
    )
}

pub fn lens_deprecated(version: &str) -> String {
    format!(
        "the workload's lens review is on version {version}, which AWS has deprecated (LensStatus DEPRECATED). wasec does not write answers to a deprecated lens version; pass --upgrade-lens to move the review to the current version first (the Tool records a milestone with the old answers)."
    )
}

pub fn lens_gone(status: &str) -> String {
    format!(
        "the workload's lens review has LensStatus {status}: the lens is no longer available to this account, so there is nothing to write to"
    )
}

pub fn create_failed(e: Error, name: &str, region: &str) -> Error {
    match e {
        Error::Api {
            kind: ApiFailure::Conflict,
            message,
            ..
        } => Error::Usage(format!(
            "a workload with a name like {name:?} already exists in {region} (names are unique per account and Region, ignoring case and spaces), or this create request was already made with other values: {message}"
        )),
        other => other,
    }
}

pub fn no_target() -> String {
    "pass --workload-id ID or --workload-name NAME [--create] (the review is not linked to a workload yet)".into()
}

pub fn linked_elsewhere(link: &WaToolLink, region: &str) -> String {
    format!(
        "the review is linked to workload {} in {}, not {region}; pass --region {} (WA Tool workloads are regional), or --workload-id / --workload-name",
        link.workload_id, link.region, link.region
    )
}

pub fn no_such_name(name: &str, region: &str) -> String {
    format!(
        "no workload named {name:?} in {region}. Check --region, pass --workload-id, or add --create to create it."
    )
}

pub fn several_named(name: &str, ws: &[WorkloadSummary]) -> String {
    let ids: Vec<&str> = ws.iter().map(|w| w.id.as_str()).collect();
    format!(
        "several workloads of this account match the name {name:?} ({}); pass --workload-id",
        ids.join(", ")
    )
}

fn owners(ws: &[WorkloadSummary]) -> String {
    ws.iter()
        .map(|w| format!("{} owned by account {}", w.id, w.owner))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn only_shared(name: &str, ws: &[WorkloadSummary], me: &str) -> String {
    format!(
        "the only workloads named {name:?} belong to other accounts ({}), shared with this account ({me}); wasec does not write to another account's workload by name. Pass --workload-id ID to write to it on purpose, or --create to create this account's own.",
        owners(ws)
    )
}

pub fn shared_same_name(name: &str, ws: &[WorkloadSummary]) -> String {
    format!(
        "workloads named {name:?} shared by other accounts exist ({}); creating this account's own",
        owners(ws)
    )
}

pub fn relinking(link: &WaToolLink) -> String {
    format!(
        "--relink: the review was linked to workload {} in {}; it will be linked to the new workload",
        link.workload_id, link.region
    )
}

pub fn would_duplicate_region(link: &WaToolLink, name: &str, region: &str) -> String {
    format!(
        "the review is linked to workload {} in {}; creating {name:?} in {region} would make a second copy. Run with --region {} to push to the linked workload, or add --relink to create a new one in {region} on purpose.",
        link.workload_id, link.region, link.region
    )
}

pub fn would_duplicate(link: &WaToolLink, linked_name: &str, name: &str) -> String {
    format!(
        "the review is linked to workload {} ({linked_name:?}) in {}; creating {name:?} would make a second workload for the same review. Push without --workload-name to use the link, or add --relink to create a new one on purpose.",
        link.workload_id, link.region
    )
}

pub fn exists_in_other_region(name: &str, id: &str, there: &str, here: &str) -> String {
    format!(
        "a workload named {name:?} already exists in {there} ({id}), one of the review's Regions; creating it in {here} would make a second one. Run with --region {there} to push to it, or add --relink to create one in {here} on purpose."
    )
}

pub fn linked_gone(link: &WaToolLink) -> String {
    format!(
        "the linked workload {} no longer exists in {}; creating a new one",
        link.workload_id, link.region
    )
}

pub fn not_listed(q: &str, ids: &[String], version: &str) -> String {
    format!(
        "{q}: the workload's lens version {version} does not list {}; not written (check with `aws wellarchitected list-answers --pillar-id security`)",
        ids.join(", ")
    )
}

pub fn view_not_refreshed(e: &Error) -> String {
    format!("the answers were written, but the Tool's risks could not be read back: {e}")
}

pub fn risk_mismatch(q: &str, tool: &str, wasec: &str) -> String {
    format!("{q}: the WA Tool rates it {tool} but wasec rates it {wasec}")
}

pub fn na_question_marks_not_sent(q: &Question, a: &Answer) -> Option<String> {
    let mut marks: Vec<String> = a.selected.iter().map(|b| format!("{b} selected")).collect();
    marks.extend(
        a.not_applicable
            .keys()
            .map(|b| format!("{b} not applicable")),
    );
    marks.extend(a.bp_notes.keys().map(|b| format!("{b} notes")));
    if a.none_of_these {
        marks.push("\"none of these\"".into());
    }
    (!marks.is_empty()).then(|| {
        format!(
            "{}: the question does not apply, and the WA Tool keeps no choices for such a question; {} stay in the review but are not sent",
            q.id,
            marks.join(", ")
        )
    })
}

pub fn unanswered_na_marks_not_sent(q: &Question, a: &Answer) -> String {
    let bps: Vec<&str> = a.not_applicable.keys().map(String::as_str).collect();
    format!(
        "{}: the question is not answered yet, so its not-applicable marks ({}) are not sent; they go with the answer (select a BP or \"none of these\")",
        q.id,
        bps.join(", ")
    )
}

pub fn stale_choices_dropped(q: &Question, ids: &[String]) -> String {
    format!(
        "{}: the question does not apply in the WA Tool; its leftover choice marks ({}) are not imported as answers",
        q.id,
        ids.join(", ")
    )
}

pub fn none_with_others(q: &Question) -> String {
    format!(
        "{}: the WA Tool has \"none of these\" together with other choices; kept the other choices",
        q.id
    )
}

pub fn tool_choice_line(o: &ToolChoice) -> String {
    let mut s = o.choice_id.clone();
    if !o.title.is_empty() {
        let _ = write!(s, " \"{}\"", o.title);
    }
    let _ = write!(s, " ({})", o.status);
    if !o.notes.is_empty() {
        let _ = write!(s, " notes: {}", o.notes);
    }
    s
}

pub fn unknown_choices_kept(q: &Question, os: &[&ToolChoice]) -> String {
    let ids: Vec<&str> = os.iter().map(|o| o.choice_id.as_str()).collect();
    format!(
        "{}: the WA Tool has choices the question bank does not know ({}); they are listed in the question notes and left as they are in the Tool by push",
        q.id,
        ids.join(", ")
    )
}

pub fn no_milestone(m: &str, id: &str, all: &[MilestoneInfo]) -> String {
    let names: Vec<String> = all
        .iter()
        .map(|x| format!("{} {:?}", x.number, x.name))
        .collect();
    let list = if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    };
    format!("no milestone {m:?} on workload {id}; it has: {list}")
}

pub fn tool_question_not_in_bank(qid: &str, title: &str) -> String {
    format!("the WA Tool question {qid:?} ({title}) is not in the question bank; not imported")
}

pub fn bank_question_not_listed(id: &str, wa: &str) -> String {
    format!("{id}: the WA Tool does not list question {wa:?}; left unanswered")
}

// ---- progress and plan lines (en, ja) -------------------------------------

pub fn workload_line(name: &str, id: &str, region: &str, l: Lang) -> String {
    match l {
        Lang::En => format!("Workload {name} ({id}) in {region}"),
        Lang::Ja => format!("ワークロード {name}（{id}、{region}）"),
    }
}

pub fn will_create(s: &NewWorkload, region: &str, dry: bool, l: Lang) -> String {
    let (name, owner, env) = (&s.name, &s.review_owner, &s.environment);
    match (l, dry) {
        (Lang::En, true) => format!(
            "Would create workload {name:?} in {region} (owner {owner}, {env}, lens wellarchitected)"
        ),
        (Lang::En, false) => format!(
            "Creating workload {name:?} in {region} (owner {owner}, {env}, lens wellarchitected)"
        ),
        (Lang::Ja, true) => format!(
            "ワークロード {name:?} を {region} に作成します（ドライラン。オーナー {owner}、{env}、レンズ wellarchitected）"
        ),
        (Lang::Ja, false) => format!(
            "ワークロード {name:?} を {region} に作成します（オーナー {owner}、{env}、レンズ wellarchitected）"
        ),
    }
}

pub fn created(name: &str, id: &str, region: &str, l: Lang) -> String {
    match l {
        Lang::En => format!("Created workload {name:?} ({id}) in {region}"),
        Lang::Ja => format!("ワークロード {name:?}（{id}）を {region} に作成しました"),
    }
}

pub fn first_sync(l: Lang) -> String {
    l.pick(
        "First sync with this workload: a value only one side has is taken from that side; values both sides have and that differ are conflicts.",
        "このワークロードとの初回同期です。片方にしかない値はその値を採用し、両方にあって異なる値は競合として扱います。",
    )
    .into()
}

pub fn would_upgrade(version: &str, milestone: &str, l: Lang) -> String {
    match l {
        Lang::En => format!(
            "Would upgrade the lens review from {version} to the current version (the Tool records milestone {milestone:?} first) and then compare again."
        ),
        Lang::Ja => format!(
            "レンズレビューを {version} から最新版にアップグレードします（先にマイルストーン {milestone:?} を記録）。その後あらためて比較します。"
        ),
    }
}

pub fn upgraded(from: &str, to: &str, milestone: &str, l: Lang) -> String {
    match l {
        Lang::En => format!(
            "Upgraded the lens review from {from} to {to}; milestone {milestone:?} keeps the answers as they were."
        ),
        Lang::Ja => format!(
            "レンズレビューを {from} から {to} にアップグレードしました。マイルストーン {milestone:?} に以前の回答が残っています。"
        ),
    }
}

pub fn dry_run(l: Lang) -> String {
    l.pick(
        "Dry run: nothing was written.",
        "ドライラン: 何も書き込んでいません。",
    )
    .into()
}

pub fn plan_summary(
    writes: usize,
    kept: usize,
    conflicts: usize,
    workload: bool,
    l: Lang,
) -> String {
    let mut s = match (conflicts, writes, l) {
        (c, n, Lang::En) if c > 0 => format!(
            "{c} conflict(s) to settle before anything is written ({n} question(s) have changes to write)."
        ),
        (c, n, Lang::Ja) if c > 0 => {
            format!("競合 {c} 件を解決するまで何も書き込みません（他に書き込む質問 {n} 問）。")
        }
        (_, 0, Lang::En) => {
            "No differences to write: the WA Tool already has the review's answers.".to_string()
        }
        (_, n, Lang::En) => format!("{n} question(s) to write."),
        (_, 0, Lang::Ja) => {
            "書き込む差分はありません。WA Tool はすでにレビューの回答を持っています。".to_string()
        }
        (_, n, Lang::Ja) => format!("{n} 問を書き込みます。"),
    };
    if workload {
        s.push_str(l.pick(
            " The workload's fields change.",
            " ワークロードの項目を更新します。",
        ));
    }
    if kept > 0 {
        let _ = match l {
            Lang::En => write!(
                s,
                " The Tool keeps {kept} value(s) the review does not have (`wasec pull FILE` brings them in)."
            ),
            Lang::Ja => write!(
                s,
                " レビューにない {kept} 件の値は WA Tool 側のまま残します（`wasec pull FILE` で取り込めます）。"
            ),
        };
    }
    s
}

pub fn question_written(q: &str, k: usize, n: usize, l: Lang) -> String {
    match l {
        Lang::En => format!("  wrote {q} ({k} of {n})"),
        Lang::Ja => format!("  {q} を書き込みました（{k}/{n}）"),
    }
}

pub fn written_summary(written: usize, planned: usize, workload: bool, l: Lang) -> String {
    let mut s = match l {
        Lang::En => format!("{written} of {planned} questions written."),
        Lang::Ja => format!("{planned} 問中 {written} 問を書き込みました。"),
    };
    if workload {
        s.push_str(l.pick(
            " Workload fields updated.",
            " ワークロードの項目を更新しました。",
        ));
    }
    s
}

pub fn milestone_created(num: i32, name: &str, l: Lang) -> String {
    match l {
        Lang::En => format!("Milestone {num} {name:?} created."),
        Lang::Ja => format!("マイルストーン {num} {name:?} を作成しました。"),
    }
}

pub fn console(url: &str, l: Lang) -> String {
    match l {
        Lang::En => format!("Open in the console: {url}"),
        Lang::Ja => format!("コンソールで開く: {url}"),
    }
}

pub fn pulled(
    name: &str,
    id: &str,
    milestone: Option<i32>,
    answered: usize,
    total: usize,
    lens: &LensInfo,
    l: Lang,
) -> String {
    let m = milestone
        .map(|m| format!(" milestone {m}"))
        .unwrap_or_default();
    match l {
        Lang::En => format!(
            "Pulled {name} ({id}){m}: {answered} of {total} questions answered; lens version {} ({}).",
            lens.version, lens.status
        ),
        Lang::Ja => format!(
            "{name}（{id}）{m} を取り込みました: {total} 問中 {answered} 問に回答あり。レンズ版 {}（{}）。",
            lens.version, lens.status
        ),
    }
}

pub fn tool_counts(high: u32, medium: u32, none: u32, unanswered: u32, na: u32, l: Lang) -> String {
    match l {
        Lang::En => format!(
            "The WA Tool's own risks: {high} high, {medium} medium, {none} none, {unanswered} unanswered, {na} not applicable."
        ),
        Lang::Ja => format!(
            "WA Tool 自身のリスク評価: 高 {high}、中 {medium}、なし {none}、未回答 {unanswered}、該当なし {na}。"
        ),
    }
}

pub fn risk_differs(q: &str, tool: QuestionRisk, ours: QuestionRisk, l: Lang) -> String {
    match l {
        Lang::En => format!(
            "  {q}: the Tool says {}, wasec says {}",
            tool.label(l),
            ours.label(l)
        ),
        Lang::Ja => format!(
            "  {q}: WA Tool は {}、wasec は {}",
            tool.label(l),
            ours.label(l)
        ),
    }
}

pub fn question_header(id: &str, wa: &str, writes: bool, _l: Lang) -> String {
    let mark = if writes { '~' } else { '=' };
    format!("{mark} {id} ({wa})\n")
}

pub fn workload_header(writes: bool, l: Lang) -> String {
    let mark = if writes { '~' } else { '=' };
    format!(
        "{mark} {}\n",
        l.pick("workload fields", "ワークロードの項目")
    )
}

/// What a facet is, for people.
fn facet_label(key: &str, labels: &Labels, l: Lang) -> String {
    let choice = facets::choice_of(key).map(|c| labels.choice(c));
    match (key, choice) {
        (NOTES, _) => l.pick("question notes", "質問のメモ").into(),
        (EVIDENCE, _) => l.pick("evidence summary", "エビデンスの要約").into(),
        (APPLICABLE, _) => l.pick("question", "質問").into(),
        (k, Some(c)) if k.starts_with("note/") => format!("{} {c}", l.pick("notes on", "メモ:")),
        (k, Some(c)) if k.starts_with("evidence/") => {
            format!("{} {c}", l.pick("evidence on", "エビデンス:"))
        }
        (_, Some(c)) => c,
        (k, None) => k.to_string(),
    }
}

fn show(key: &str, v: &str, l: Lang) -> String {
    if key.starts_with("choice/") {
        return match facets::na_reason(v) {
            Some(r) => format!(
                "{} ({})",
                l.pick("not applicable", "該当なし"),
                reason_api(r)
            ),
            None if v == facets::SELECTED => l.pick("selected", "選択").into(),
            None => l.pick("not selected", "未選択").into(),
        };
    }
    if key == APPLICABLE {
        return match facets::not_applicable_reason(v) {
            Some(r) => format!(
                "{} ({})",
                l.pick("does not apply", "該当しない"),
                reason_api(r)
            ),
            None => l.pick("applies", "該当する").into(),
        };
    }
    if v.is_empty() {
        return l.pick("(empty)", "（空）").into();
    }
    let short: String = v.chars().take(60).collect();
    let tail = if short.len() < v.len() { "…" } else { "" };
    format!("{:?}", format!("{short}{tail}").replace('\n', " "))
}

fn is_text(key: &str) -> bool {
    !(key.starts_with("choice/") || key == APPLICABLE || key == "environment")
}

/// Text in full, indented, for dry runs.
fn full_text(who: &str, v: &str) -> String {
    let mut s = format!("        {who}:\n");
    if v.is_empty() {
        s.push_str("          (empty)\n");
    }
    for line in v.lines() {
        let _ = writeln!(s, "          | {line}");
    }
    s
}

fn take_line(m: &Merged, what: &str, l: Lang) -> String {
    let (from, to) = (m.tool.as_str(), m.result.as_str());
    if m.key.starts_with("choice/") {
        let verb = match (to, facets::na_reason(to)) {
            (facets::SELECTED, _) => "+ select  ".to_string(),
            (_, Some(r)) => return format!("    ! n/a      {what} ({})\n", reason_api(r)),
            _ if from == facets::SELECTED => "- unselect".to_string(),
            _ => ". applies ".to_string(),
        };
        return format!("    {verb} {what}\n");
    }
    if m.key == APPLICABLE {
        return match facets::not_applicable_reason(to) {
            Some(r) => format!(
                "    ~ {} ({})\n",
                l.pick("question -> not applicable", "質問 -> 該当なし"),
                reason_api(r)
            ),
            None => format!(
                "    ~ {}\n",
                l.pick("question -> applicable again", "質問 -> 再び該当")
            ),
        };
    }
    format!(
        "    ~ {what}: {} -> {}\n",
        show(&m.key, from, l),
        show(&m.key, to, l)
    )
}

/// One facet of a plan, for people.
pub fn merged_line(m: &Merged, labels: &Labels, full: bool, l: Lang) -> String {
    let what = facet_label(&m.key, labels, l);
    let wasec = m.wasec.as_deref().unwrap_or_default();
    let mut s = match m.how {
        How::Same => return String::new(),
        How::Take => take_line(m, &what, l),
        How::Keep => {
            let since = if m.tool_changed {
                l.pick(
                    " (changed in the Tool since the last sync)",
                    "（前回の同期後に WA Tool で変更）",
                )
            } else {
                ""
            };
            match &m.wasec {
                Some(w) if *w != m.tool => format!(
                    "    = {what}: {} {}{since}; {} {}\n",
                    l.pick("the Tool keeps", "WA Tool 側を維持:"),
                    show(&m.key, &m.tool, l),
                    l.pick("the review has", "レビュー側:"),
                    show(&m.key, w, l)
                ),
                _ => format!("    = {what}: {}{since}\n", show(&m.key, &m.tool, l)),
            }
        }
        How::Conflict(p) => {
            let settled = match p {
                Some(Prefer::Wasec) => l.pick(
                    " -> review's value (--prefer wasec)",
                    " -> レビュー側を採用（--prefer wasec）",
                ),
                Some(Prefer::Tool) => l.pick(
                    " -> Tool's value (--prefer tool)",
                    " -> WA Tool 側を採用（--prefer tool）",
                ),
                None => "",
            };
            format!(
                "    ! {} {what}: {} {}, {} {}{settled}\n",
                l.pick("conflict on", "競合:"),
                l.pick("review", "レビュー"),
                show(&m.key, wasec, l),
                l.pick("Tool", "WA Tool"),
                show(&m.key, &m.tool, l)
            )
        }
    };
    let changes_text = matches!(m.how, How::Take | How::Conflict(_));
    if full && is_text(&m.key) && changes_text {
        s.push_str(&full_text(l.pick("Tool now", "WA Tool の現在"), &m.tool));
        s.push_str(&full_text(l.pick("review", "レビュー"), wasec));
    }
    s
}

pub fn cut_line(choice: Option<String>, cut: Cut, l: Lang) -> String {
    let what = choice
        .map(|c| format!("notes on {c}"))
        .unwrap_or_else(|| "question notes".into());
    let how = match (cut.text, cut.evidence) {
        (true, _) => l.pick(
            "cut to fit the WA Tool's limit",
            "WA Tool の上限に合わせて切り詰め",
        ),
        (false, true) => l.pick(
            "evidence summary shortened to fit the WA Tool's limit",
            "上限に合わせてエビデンスの要約を短縮",
        ),
        _ => "",
    };
    format!("    ! {what}: {how}\n")
}

pub fn truncated_warning(q: &str, choice: Option<String>, cut: Cut) -> String {
    let (what, max) = match choice {
        Some(c) => (format!("notes for {c}"), crate::notes::CHOICE_NOTES_MAX),
        None => ("notes".to_string(), crate::notes::QUESTION_NOTES_MAX),
    };
    let part = if cut.text {
        "truncated"
    } else {
        "evidence summary shortened"
    };
    format!("{q}: {what} are longer than the WA Tool's {max} characters; {part}")
}

/// One facet of a pull into an existing review.
pub fn pull_line(m: &Merged, labels: &Labels, full: bool, l: Lang) -> String {
    let what = facet_label(&m.key, labels, l);
    let wasec = m.wasec.as_deref().unwrap_or_default();
    let taken = m.wasec.as_deref() != Some(m.result.as_str());
    let mut s = match m.how {
        How::Conflict(_) => merged_line(m, labels, false, l),
        _ if taken && m.wasec.is_none() && m.result == facets::default_of(&m.key) => {
            return String::new();
        }
        _ if taken => format!(
            "    < {what}: {} ({} {})\n",
            show(&m.key, &m.result, l),
            l.pick("from the Tool; the review had", "WA Tool から。レビュー側:"),
            show(&m.key, wasec, l)
        ),
        _ if m.result != m.tool => format!(
            "    > {what}: {} ({})\n",
            show(&m.key, &m.result, l),
            l.pick("the review's, not pushed yet", "レビュー側の未反映の変更")
        ),
        _ => return String::new(),
    };
    if full && is_text(&m.key) && (taken || m.is_conflict()) {
        s.push_str(&full_text(l.pick("Tool", "WA Tool"), &m.tool));
        s.push_str(&full_text(l.pick("review now", "レビューの現在"), wasec));
    }
    s
}

pub fn pull_summary(
    changed: usize,
    fields: usize,
    unpushed: usize,
    conflicts: usize,
    l: Lang,
) -> String {
    let mut s = match l {
        Lang::En => {
            format!("{changed} question(s) and {fields} workload field(s) take the Tool's changes.")
        }
        Lang::Ja => {
            format!("{changed} 問と {fields} 件のワークロード項目に WA Tool の変更を取り込みます。")
        }
    };
    if unpushed > 0 {
        let _ = match l {
            Lang::En => write!(
                s,
                " The review keeps {unpushed} change(s) of its own (push sends them)."
            ),
            Lang::Ja => write!(
                s,
                " レビュー側の未反映の変更 {unpushed} 件はそのまま残します（push で送られます）。"
            ),
        };
    }
    if conflicts > 0 {
        let _ = match l {
            Lang::En => write!(s, " {conflicts} conflict(s)."),
            Lang::Ja => write!(s, " 競合 {conflicts} 件。"),
        };
    }
    s
}

pub fn push_summary_header(l: Lang) -> String {
    let (f, w, n, k, r) = match l {
        Lang::En => ("file", "workload", "written", "kept", "result"),
        Lang::Ja => ("ファイル", "ワークロード", "書き込み", "維持", "結果"),
    };
    format!("{f:<32} {w:<34} {n:>9} {k:>5}  {r}")
}

pub fn push_summary_row(
    file: &str,
    id: Option<&str>,
    written: usize,
    planned: usize,
    kept: usize,
    error: Option<&str>,
    l: Lang,
) -> String {
    let done = format!("{written}/{planned}");
    let result = match error {
        None => l.pick("ok", "成功").to_string(),
        Some(e) => format!(
            "{} {}",
            l.pick("failed:", "失敗:"),
            e.lines().next().unwrap_or_default()
        ),
    };
    format!(
        "{file:<32} {:<34} {done:>9} {kept:>5}  {result}",
        id.unwrap_or("-")
    )
}
