//! `wasec collect --accounts ... | --organization | --source securityhub`:
//! one run over many accounts. Finished accounts are saved into the review
//! as the run goes (each save takes every account finished since the last
//! one; saves are spaced so that they cost under a tenth of the run), so
//! an interrupted run keeps the accounts finished before its last save;
//! the review's lock is taken only to write, so the TUI can save between.

use super::Ctx;
use super::evidence::{CollectArgs, SourceArg, contact_failed};
use anyhow::Context;
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use wasec_core::evidence::{self, Run};
use wasec_core::review::{EvidenceCounts, EvidenceRun, EvidenceSource, EvidenceStatus};
use wasec_core::{Bank, Lang};
use wasec_evidence::apply;
use wasec_evidence::clients::AwsOptions;
use wasec_evidence::multi::{self, AccountDone, AccountResult, Caller, Event, OrgOptions, Source};
use wasec_evidence::org::AccountChoice;
use wasec_evidence::runner::Limits;
use wasec_evidence::services::Settings;
use wasec_evidence::{CollectOptions, RegionChoice};

pub fn collect(ctx: &Ctx, args: CollectArgs) -> anyhow::Result<ExitCode> {
    let bank = ctx.bank()?;
    let lang = ctx.lang;
    // A bad file stops the run before any API call.
    ctx.load(&args.file)?;
    let opts = AwsOptions {
        profile: args.profile.clone(),
        endpoint_url: args.endpoint_url.clone(),
        ..AwsOptions::default()
    };
    let org = options(&args);
    errln!(
        "{}",
        lang.pick(
            "wasec: collecting evidence from many accounts (read-only API calls)...",
            "wasec: 複数のアカウントからエビデンスを収集しています（読み取り専用の API 呼び出し）..."
        )
    );
    let (tx, rx) = mpsc::channel();
    let mut saver = Saver::new(ctx, bank, &args.file);
    let mut shown = Shown::new(lang);
    let outcome = std::thread::scope(|scope| {
        let worker = scope.spawn(|| multi::collect_org_blocking(&opts, &org, tx));
        while let Ok(event) = rx.recv() {
            let mut batch = vec![event];
            // Whatever else finished meanwhile goes into the same save.
            batch.extend(rx.try_iter());
            for event in batch {
                match event {
                    Event::Planned {
                        caller, accounts, ..
                    } => {
                        shown.start(accounts.len());
                        saver.caller = Some(caller);
                    }
                    Event::Done(done) => {
                        let line = saver.add(&done);
                        shown.account(&line.text(lang));
                    }
                }
            }
            saver.flush_if_due();
        }
        worker.join().expect("the collection thread does not panic")
    });
    shown.finish();
    let outcome = match outcome.context("cannot start the async runtime")? {
        Ok(o) => o,
        Err(e) => {
            saver.flush();
            return Ok(contact_failed(ctx, &e));
        }
    };
    saver.flush();
    if let Some(e) = saver.error.take() {
        return Err(e.context(format!(
            "the evidence of {} accounts could not be saved to {}",
            saver.pending.len(),
            args.file.display()
        )));
    }
    for w in &outcome.warnings {
        errln!("{} {}", lang.pick("warning:", "警告:"), w.get(lang));
    }
    let (auto_answered, contradictions) = finish_review(ctx, bank, &args)?;
    let unreachable = saver
        .lines
        .iter()
        .filter(|l| l.outcome == "unreachable")
        .count();
    if args.json {
        let out = serde_json::json!({
            "caller": outcome.caller.arn,
            "account": outcome.caller.account,
            "source": org.source.as_str(),
            "shard": args.shard.map(|s| format!("{}/{}", s.0, s.1)),
            "accounts_total": outcome.accounts.len(),
            "unreachable": unreachable,
            "accounts": saver.lines.iter().map(AccountLine::json).collect::<Vec<_>>(),
            "requests": outcome.requests,
            "duration_ms": outcome.elapsed.as_millis() as u64,
            "securityhub": outcome.hub.as_ref().map(|h| serde_json::json!({
                "region": h.region,
                "aggregated": h.aggregated,
                "findings": h.findings,
                "dropped": h.dropped,
                "error": h.error.as_ref().map(|e| e.get(lang).to_string()),
                "unmapped_controls": saver.unmapped,
            })),
            "warnings": outcome.warnings.iter().map(|w| w.get(lang)).collect::<Vec<_>>(),
            "auto_answered": auto_answered,
            "contradictions": contradictions,
        });
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        print_summary(lang, &outcome, &saver, &contradictions)?;
    }
    if args.fail_on_unreachable && unreachable > 0 {
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

fn options(args: &CollectArgs) -> OrgOptions {
    let accounts = match (&args.accounts, args.organization) {
        (Some(list), _) => AccountChoice::List(list.0.clone()),
        (None, true) => AccountChoice::Organization {
            ou: args.ou.clone(),
        },
        (None, false) => AccountChoice::Current,
    };
    OrgOptions {
        accounts,
        role_name: args.role_name.clone(),
        external_id: args.external_id.clone(),
        shard: args.shard.map(|s| (s.0, s.1)),
        account_concurrency: usize::from(args.account_concurrency),
        source: match args.source {
            SourceArg::Scan => Source::Scan,
            SourceArg::Securityhub => Source::SecurityHub,
            SourceArg::Auto => Source::Auto,
        },
        run: CollectOptions {
            regions: args
                .regions
                .as_deref()
                .map(RegionChoice::parse)
                .unwrap_or_default(),
            limits: Limits {
                task_timeout: Duration::from_secs(args.timeout.max(1)),
                ..Limits::default()
            },
            settings: Settings {
                require_kms: args.require_kms,
            },
        },
    }
}

/// After the last account: auto-answer (if asked) and contradictions, over
/// the whole review.
fn finish_review(
    ctx: &Ctx,
    bank: &Bank,
    args: &CollectArgs,
) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let (mut file, mut review) = ctx.open(&args.file)?;
    let applied = if args.auto_answer {
        let sugg = evidence::suggestions(bank, &review);
        let applied = evidence::auto_answer(bank, &mut review, &sugg.auto);
        if !applied.is_empty() {
            ctx.save(&mut file, &mut review)?;
        }
        applied
    } else {
        Vec::new()
    };
    Ok((applied, evidence::contradictions(bank, &review)))
}

/// One account's outcome, as shown and reported.
#[derive(Debug, Clone)]
struct AccountLine {
    account: String,
    name: String,
    /// scanned, securityhub, no_securityhub_data, unreachable
    outcome: &'static str,
    source: EvidenceSource,
    counts: EvidenceCounts,
    checks: usize,
    failing: usize,
    requests: u64,
    elapsed: Duration,
    /// Why it is unknown (unreachable, no Security Hub data).
    reason: Option<wasec_core::Text>,
    role: Option<String>,
}

impl AccountLine {
    fn text(&self, lang: Lang) -> String {
        let (id, secs) = (&self.account, self.elapsed.as_secs_f64());
        let (n, f) = (self.checks, self.failing);
        match (self.outcome, lang) {
            ("scanned", Lang::En) => {
                format!("account {id}: {n} checks, {f} failing ({secs:.1} s)")
            }
            ("scanned", Lang::Ja) => {
                format!("アカウント {id}: チェック {n} 件、不合格 {f} 件（{secs:.1} 秒）")
            }
            ("securityhub", Lang::En) => {
                format!("account {id}: {n} Security Hub CSPM controls, {f} failing")
            }
            ("securityhub", Lang::Ja) => {
                format!("アカウント {id}: Security Hub CSPM のコントロール {n} 件、不合格 {f} 件")
            }
            (_, _) => {
                let why = self.reason.as_ref().map(|r| r.get(lang)).unwrap_or("");
                format!("{} {id}: {why}", lang.pick("account", "アカウント"))
            }
        }
    }

    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "account": self.account,
            "name": self.name,
            "outcome": self.outcome,
            "source": self.source.as_str(),
            "checks": self.checks,
            "failing": self.failing,
            "counts": {
                "pass": self.counts.pass,
                "fail": self.counts.fail,
                "unknown": self.counts.unknown,
                "not_applicable": self.counts.not_applicable,
            },
            "requests": self.requests,
            "duration_ms": self.elapsed.as_millis() as u64,
            "role": self.role,
            "reason": self.reason.as_ref().map(|r| r.en.clone()),
        })
    }
}

/// Streams finished accounts into the review file.
struct Saver<'a> {
    ctx: &'a Ctx,
    bank: &'a Bank,
    path: &'a Path,
    caller: Option<Caller>,
    started_at: time::OffsetDateTime,
    /// The run's record per source, growing with each account.
    records: BTreeMap<&'static str, EvidenceRun>,
    /// Accounts done but not yet saved (a failed save is retried).
    pending: Vec<Run>,
    lines: Vec<AccountLine>,
    unmapped: BTreeMap<String, usize>,
    error: Option<anyhow::Error>,
    /// When the last save ended and what it cost (see `flush_if_due`).
    saved_at: Instant,
    save_cost: Duration,
}

impl<'a> Saver<'a> {
    fn new(ctx: &'a Ctx, bank: &'a Bank, path: &'a Path) -> Saver<'a> {
        Saver {
            ctx,
            bank,
            path,
            caller: None,
            started_at: wasec_core::now(),
            records: BTreeMap::new(),
            pending: Vec::new(),
            lines: Vec::new(),
            unmapped: BTreeMap::new(),
            error: None,
            saved_at: Instant::now(),
            save_cost: Duration::ZERO,
        }
    }

    /// Save now unless the last save was very recent for its cost: a save
    /// rewrites the whole review, which grows with the accounts, so saving
    /// after every account of a large organization would be quadratic.
    /// Waiting nine times the last save's cost keeps saving under a tenth
    /// of the run while a small review is still saved after each account.
    fn flush_if_due(&mut self) {
        if self.saved_at.elapsed() >= self.save_cost * 9 {
            self.flush();
        }
    }

    /// Turn an account into a run ready to merge, and its line.
    fn add(&mut self, done: &AccountDone) -> AccountLine {
        let caller = self.caller.clone().unwrap_or(Caller {
            account: String::new(),
            arn: String::new(),
        });
        let (mut run, unmapped) = apply::account_run(self.bank, &caller, done);
        for (control, n) in unmapped {
            *self.unmapped.entry(control).or_default() += n;
        }
        let line = line(done, &run);
        run.record = self.grow_record(&caller, done, &run);
        self.pending.push(run);
        self.lines.push(line.clone());
        line
    }

    /// The cumulative record of this run for the account's source.
    fn grow_record(&mut self, caller: &Caller, done: &AccountDone, run: &Run) -> EvidenceRun {
        let source = run.record.source;
        let rec = self
            .records
            .entry(source.as_str())
            .or_insert_with(|| EvidenceRun {
                started_at: self.started_at,
                finished_at: self.started_at,
                by: caller.arn.clone(),
                account: caller.account.clone(),
                accounts: Vec::new(),
                regions: Vec::new(),
                source,
                counts: EvidenceCounts::default(),
            });
        rec.finished_at = rec.finished_at.max(done.finished_at);
        rec.accounts.push(done.account.clone());
        rec.accounts.sort();
        let regions: BTreeSet<String> = rec
            .regions
            .iter()
            .chain(run.scopes.iter().flat_map(|s| s.regions.iter()))
            .cloned()
            .collect();
        rec.regions = regions.into_iter().collect();
        for e in &run.items {
            rec.counts.add(e.status);
        }
        rec.clone()
    }

    /// Save every pending account; on failure keep them for the next try.
    fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let start = Instant::now();
        let result = (|| -> anyhow::Result<()> {
            let (mut file, mut review) = self.ctx.open(self.path)?;
            for run in &self.pending {
                // The cumulative record of the run's source, at its latest.
                let mut run = run.clone();
                if let Some(r) = self.records.get(run.record.source.as_str()) {
                    run.record = r.clone();
                }
                evidence::merge_part(&mut review, run);
            }
            self.ctx.save(&mut file, &mut review)
        })();
        self.saved_at = Instant::now();
        self.save_cost = start.elapsed();
        match result {
            Ok(()) => {
                self.pending.clear();
                self.error = None;
            }
            Err(e) => self.error = Some(e),
        }
    }
}

fn line(done: &AccountDone, run: &Run) -> AccountLine {
    let mut counts = EvidenceCounts::default();
    for e in &run.items {
        counts.add(e.status);
    }
    let failing: BTreeSet<&str> = run
        .items
        .iter()
        .filter(|e| e.status == EvidenceStatus::Fail)
        .map(|e| e.summary.as_str())
        .collect();
    let checks: BTreeSet<&str> = run.items.iter().map(|e| e.check.as_str()).collect();
    let (outcome, reason, role, checks, failing) = match &done.result {
        AccountResult::Scanned(_) => {
            let failing_checks: BTreeSet<&str> = run
                .items
                .iter()
                .filter(|e| e.status == EvidenceStatus::Fail)
                .map(|e| e.check.as_str())
                .collect();
            ("scanned", None, None, checks.len(), failing_checks.len())
        }
        AccountResult::SecurityHub { .. } => {
            ("securityhub", None, None, run.items.len(), failing.len())
        }
        AccountResult::NoHubData { why, .. } => {
            ("no_securityhub_data", Some(why.clone()), None, 0, 0)
        }
        AccountResult::Unreachable(r) => (
            "unreachable",
            Some(r.summary.clone()),
            Some(r.role_arn.clone()),
            0,
            0,
        ),
    };
    AccountLine {
        account: done.account.clone(),
        name: done.name.clone(),
        outcome,
        source: run.record.source,
        counts,
        checks,
        failing,
        requests: done.requests,
        elapsed: done.elapsed,
        reason,
        role,
    }
}

/// Progress: a bar when stderr is a terminal, plain lines otherwise.
struct Shown {
    lang: Lang,
    bar: Option<indicatif::ProgressBar>,
}

impl Shown {
    fn new(lang: Lang) -> Shown {
        Shown { lang, bar: None }
    }

    fn start(&mut self, total: usize) {
        if std::io::stderr().is_terminal() {
            let bar = indicatif::ProgressBar::new(total as u64);
            let template = match self.lang {
                Lang::En => "{bar:30} {pos}/{len} accounts ({elapsed})",
                Lang::Ja => "{bar:30} {pos}/{len} アカウント（{elapsed}）",
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(250));
            self.bar = Some(bar);
        } else {
            errln!(
                "{}",
                match self.lang {
                    Lang::En => format!("{total} accounts to collect"),
                    Lang::Ja => format!("収集するアカウント: {total} 件"),
                }
            );
        }
    }

    fn account(&mut self, line: &str) {
        match &self.bar {
            Some(bar) => {
                bar.println(line);
                bar.inc(1);
            }
            None => {
                errln!("{line}");
            }
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn print_summary(
    lang: Lang,
    outcome: &multi::OrgOutcome,
    saver: &Saver,
    contradictions: &[String],
) -> anyhow::Result<()> {
    let done = saver.lines.len();
    let unreachable: Vec<&AccountLine> =
        saver.lines.iter().filter(|l| l.reason.is_some()).collect();
    outln!(
        "{} {} ({})",
        lang.pick("Caller", "呼び出し元"),
        outcome.caller.account,
        outcome.caller.arn
    )?;
    outln!(
        "{}: {done}, {} {}",
        lang.pick("Accounts", "アカウント"),
        unreachable.len(),
        lang.pick("without evidence", "件はエビデンスなし")
    )?;
    let mut lines = saver.lines.clone();
    lines.sort_by(|a, b| a.account.cmp(&b.account));
    for l in &lines {
        outln!("  {}", l.text(lang))?;
    }
    if let Some(h) = &outcome.hub {
        let region = &h.region;
        let agg = if h.aggregated {
            lang.pick(" (aggregation region)", "（集約リージョン）")
        } else {
            ""
        };
        outln!(
            "Security Hub CSPM: {region}{agg}, {} {}",
            h.findings,
            lang.pick("findings read", "件の検出結果を読み取り")
        )?;
        if !saver.unmapped.is_empty() {
            let list: Vec<String> = saver
                .unmapped
                .iter()
                .map(|(c, n)| format!("{c} ({n})"))
                .collect();
            outln!(
                "  {}: {}",
                lang.pick(
                    "controls no BP maps (not written)",
                    "どの BP にも対応しないコントロール（書き込みなし）"
                ),
                list.join(", ")
            )?;
        }
    }
    outln!(
        "{}: {}, {:.1} s",
        lang.pick("API requests", "API リクエスト"),
        outcome.requests,
        outcome.elapsed.as_secs_f64()
    )?;
    if !contradictions.is_empty() {
        outln!(
            "{}: {}",
            lang.pick(
                "Contradictions (marked in place, but evidence fails)",
                "矛盾（実施済みとされているがエビデンスは不合格）"
            ),
            contradictions.join(", ")
        )?;
    }
    Ok(())
}
