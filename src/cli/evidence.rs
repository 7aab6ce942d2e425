//! `wasec collect` and `wasec iam-policy`: read-only evidence from AWS.

use super::Ctx;
use anyhow::Context;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;
use wasec_core::Lang;
use wasec_core::evidence;
use wasec_evidence::apply;
use wasec_evidence::clients::AwsOptions;
use wasec_evidence::contact::ContactError;
use wasec_evidence::runner::{Limits, Progress, ProgressFn};
use wasec_evidence::services::Settings;
use wasec_evidence::{CollectOptions, Outcome, RegionChoice};

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The review file to attach evidence to.
    pub file: PathBuf,
    /// AWS profile (default: AWS_PROFILE or the default profile).
    #[arg(long)]
    pub profile: Option<String>,
    /// Regions to scan: a comma-separated list, or `all` for every enabled
    /// region. Default: the configured region.
    #[arg(long, value_name = "LIST|all")]
    pub regions: Option<String>,
    /// Assume this role first (for example a read-only audit role). For
    /// many accounts use --role-name instead (or a profile with role_arn).
    #[arg(long, value_name = "ARN", conflicts_with_all = ["accounts", "organization"])]
    pub role_arn: Option<String>,
    /// External id for --role-arn, or for the member role of
    /// --accounts / --organization.
    #[arg(long)]
    pub external_id: Option<String>,
    /// Collect from these accounts (comma-separated 12-digit ids), each
    /// through the member role (--role-name); the account of the current
    /// credentials is read with them directly.
    #[arg(long, value_name = "ID,ID,...", value_parser = parse_account_list, conflicts_with = "organization")]
    pub accounts: Option<AccountList>,
    /// Collect from every ACTIVE account of the AWS Organization (run from
    /// the management account or a delegated administrator).
    #[arg(long)]
    pub organization: bool,
    /// With --organization: only this OU and the OUs under it.
    #[arg(long, value_name = "OU_ID", requires = "organization", value_parser = parse_ou)]
    pub ou: Option<String>,
    /// The role assumed in each member account. The StackSet template
    /// iam/wasec-member-role.cfn.yaml creates it, read-only.
    #[arg(long, value_name = "NAME", default_value = wasec_evidence::org::DEFAULT_ROLE_NAME, value_parser = parse_role_name)]
    pub role_name: String,
    /// Accounts collected at once (each also bounded per service).
    #[arg(long, value_name = "N", default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=64))]
    pub account_concurrency: u16,
    /// Collect only slice I of N of the accounts (sorted, every N-th), for
    /// a CI matrix or batch array job; combine the files with `wasec merge`.
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<Shard>,
    /// Where evidence comes from: `scan` reads each account, `securityhub`
    /// reads Security Hub CSPM control results centrally (from the
    /// aggregation region when there is one), `auto` uses Security Hub
    /// for accounts it has results for and scans the rest.
    #[arg(long, value_enum, default_value_t = SourceArg::Scan)]
    pub source: SourceArg,
    /// Exit 1 when an account could not be read (role not assumable,
    /// account suspended). Without it such accounts are reported as
    /// unknown evidence and the run exits 0.
    #[arg(long)]
    pub fail_on_unreachable: bool,
    /// Send every API call to this endpoint (an emulator such as moto).
    /// AWS_ENDPOINT_URL is honoured as well.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Print a machine-readable summary on stdout.
    #[arg(long)]
    pub json: bool,
    /// Mark automatable BPs as in place when all their evidence passes.
    #[arg(long)]
    pub auto_answer: bool,
    /// Time budget of one service in one region, in seconds.
    #[arg(long, default_value_t = 120, value_name = "SECONDS")]
    pub timeout: u64,
    /// The team requires customer managed KMS keys for data at rest: S3
    /// buckets must default to SSE-KMS and log groups must name a KMS key
    /// (without it, only buckets whose policy demands SSE-KMS are judged).
    #[arg(long, env = "WASEC_REQUIRE_KMS")]
    pub require_kms: bool,
}

/// Validated account ids of `--accounts`.
#[derive(Debug, Clone)]
pub struct AccountList(pub Vec<String>);

/// `--shard I/N`.
#[derive(Debug, Clone, Copy)]
pub struct Shard(pub usize, pub usize);

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SourceArg {
    Scan,
    Securityhub,
    Auto,
}

fn parse_account_list(s: &str) -> Result<AccountList, String> {
    evidence::parse_accounts(s).map(AccountList)
}

fn parse_shard(s: &str) -> Result<Shard, String> {
    evidence::parse_shard(s).map(|(i, n)| Shard(i, n))
}

fn parse_ou(s: &str) -> Result<String, String> {
    if wasec_evidence::org::valid_parent_id(s) {
        Ok(s.to_string())
    } else {
        Err(format!(
            "\"{s}\" is not an OU id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)"
        ))
    }
}

/// IAM role names: 1 to 64 of letters, digits and `+=,.@_-`.
fn parse_role_name(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if ok {
        Ok(s.to_string())
    } else {
        Err(format!(
            "\"{s}\" is not an IAM role name (1 to 64 letters, digits or +=,.@_-; no path)"
        ))
    }
}

impl CollectArgs {
    /// Many accounts, or a source other than a scan: the organization path.
    pub fn many(&self) -> bool {
        self.accounts.is_some() || self.organization || self.source != SourceArg::Scan
    }
}

#[derive(Debug, Args)]
pub struct IamPolicyArgs {
    /// Also allow WA Tool sync: `pull` (reads only) or `push` (reads plus
    /// CreateWorkload, UpdateAnswer, CreateMilestone; nothing deletes).
    #[arg(long, value_enum, value_name = "pull|push")]
    pub wa_tool: Option<WaToolAccess>,
    /// The policy of the member role each account of an organization run
    /// needs (the scan policy).
    #[arg(long, conflicts_with_all = ["management", "wa_tool"])]
    pub member: bool,
    /// With --member: print the CloudFormation template (for a StackSet)
    /// that creates the member role (iam/wasec-member-role.cfn.yaml).
    #[arg(long, requires = "member")]
    pub cfn: bool,
    /// The policy of the account an organization run starts from: list the
    /// organization, assume the member role, read Security Hub CSPM.
    #[arg(long, conflicts_with = "wa_tool")]
    pub management: bool,
    /// With --management: the member role's name.
    #[arg(long, value_name = "NAME", requires = "management", default_value = wasec_evidence::org::DEFAULT_ROLE_NAME, value_parser = parse_role_name)]
    pub role_name: String,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum WaToolAccess {
    Pull,
    Push,
}

pub fn iam_policy(_ctx: &Ctx, args: IamPolicyArgs) -> anyhow::Result<ExitCode> {
    use wasec_evidence::policy;
    if args.cfn {
        out!("{}", policy::member_role_template())?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.management {
        let doc = policy::management_document(&args.role_name);
        outln!("{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    if args.member {
        let doc = policy::member_document();
        outln!("{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut doc = policy::document();
    if let Some(access) = args.wa_tool {
        let extra = wasec_watool::policy::statements(matches!(access, WaToolAccess::Push));
        doc["Statement"]
            .as_array_mut()
            .expect("the evidence policy has a statement list")
            .extend(extra);
    }
    outln!("{}", serde_json::to_string_pretty(&doc)?)?;
    Ok(ExitCode::SUCCESS)
}

fn progress_printer(lang: Lang) -> ProgressFn {
    Arc::new(move |p| {
        if let Progress::Finished {
            service,
            region,
            findings,
            elapsed,
            problem,
        } = p
        {
            let mut err = std::io::stderr().lock();
            let _ = match problem {
                Some(why) => writeln!(err, "  ! {service:<16} {region:<15} {why}"),
                None => writeln!(
                    err,
                    "  ✓ {service:<16} {region:<15} {findings:>3} {} {:>6.1} s",
                    lang.pick("findings", "件"),
                    elapsed.as_secs_f64()
                ),
            };
        }
    })
}

pub fn collect(ctx: &Ctx, args: CollectArgs) -> anyhow::Result<ExitCode> {
    if args.many() {
        return super::collect_org::collect(ctx, args);
    }
    if args.shard.is_some() {
        anyhow::bail!("--shard needs --accounts or --organization (it picks a slice of them)");
    }
    if args.external_id.is_some() && args.role_arn.is_none() {
        anyhow::bail!("--external-id needs --role-arn, --accounts or --organization");
    }
    let bank = ctx.bank()?;
    let lang = ctx.lang;
    // Fail on a bad file before spending API calls; the file is opened
    // (and locked) again only to write, so edits made meanwhile survive.
    ctx.load(&args.file)?;
    let opts = AwsOptions {
        profile: args.profile.clone(),
        region: None,
        role_arn: args.role_arn.clone(),
        external_id: args.external_id.clone(),
        endpoint_url: args.endpoint_url.clone(),
        attempt_timeout: None,
        operation_timeout: None,
    };
    let run = CollectOptions {
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
    };
    errln!(
        "{}",
        lang.pick(
            "wasec: collecting evidence (read-only API calls)...",
            "wasec: エビデンスを収集しています（読み取り専用の API 呼び出し）..."
        )
    );
    let outcome = match wasec_evidence::collect_blocking(&opts, &run, progress_printer(lang))
        .context("cannot start the async runtime")?
    {
        Ok(o) => o,
        Err(e) => return Ok(contact_failed(ctx, &e)),
    };
    for w in &outcome.warnings {
        eprintln!("{} {}", lang.pick("warning:", "警告:"), w.get(lang));
    }

    let (mut file, mut review) = ctx.open(&args.file)?;
    let run = apply::run(bank, &outcome);
    let items = run.items.clone();
    evidence::merge(&mut review, run);
    let sugg = evidence::suggestions(bank, &review);
    let applied = if args.auto_answer {
        evidence::auto_answer(bank, &mut review, &sugg.auto)
    } else {
        Vec::new()
    };
    let contradictions = evidence::contradictions(bank, &review);
    ctx.save(&mut file, &mut review)?;

    let per_question = evidence::per_question(bank, &items);
    let covered = evidence::bps_covered(bank, &items);
    if args.json {
        let questions: Vec<_> = per_question
            .iter()
            .map(|(q, c)| {
                serde_json::json!({"id": q, "pass": c.pass, "fail": c.fail, "unknown": c.unknown, "not_applicable": c.not_applicable})
            })
            .collect();
        let run = review
            .evidence_runs
            .last()
            .map(|r| r.counts)
            .unwrap_or_default();
        let out = serde_json::json!({
            "account": outcome.account,
            "caller": outcome.caller_arn,
            "regions": outcome.regions,
            "skipped_regions": outcome.skipped.iter().map(|(r, why)| serde_json::json!({"region": r, "reason": why.get(lang)})).collect::<Vec<_>>(),
            "warnings": outcome.warnings.iter().map(|w| w.get(lang)).collect::<Vec<_>>(),
            "requests": outcome.requests,
            "duration_ms": outcome.elapsed.as_millis() as u64,
            "items": items.len(),
            "checks": outcome.findings.iter().map(|l| l.finding.check).collect::<std::collections::BTreeSet<_>>().len(),
            "counts": {"pass": run.pass, "fail": run.fail, "unknown": run.unknown, "not_applicable": run.not_applicable},
            "bps_with_evidence": covered.len(),
            "questions": questions,
            "suggested_in_place": sugg.in_place,
            "auto_answered": applied,
            "contradictions": contradictions,
        });
        outln!("{}", serde_json::to_string_pretty(&out)?)?;
    } else {
        print_summary(
            ctx,
            &outcome,
            &per_question,
            covered.len(),
            &sugg,
            &applied,
            &contradictions,
            args.auto_answer,
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

#[allow(clippy::too_many_arguments)]
fn print_summary(
    ctx: &Ctx,
    outcome: &Outcome,
    per_question: &std::collections::BTreeMap<String, wasec_core::review::EvidenceCounts>,
    bps: usize,
    sugg: &evidence::Suggestions,
    applied: &[String],
    contradictions: &[String],
    auto: bool,
) -> anyhow::Result<()> {
    let lang = ctx.lang;
    let bank = ctx.bank()?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} {} ({})",
        lang.pick("Account", "アカウント"),
        outcome.account,
        outcome.caller_arn
    )?;
    writeln!(
        out,
        "{}: {}",
        lang.pick("Regions", "リージョン"),
        outcome.regions.join(", ")
    )?;
    for (r, why) in &outcome.skipped {
        writeln!(
            out,
            "  {} {r}: {}",
            lang.pick("skipped", "スキップ"),
            why.get(lang)
        )?;
    }
    writeln!(
        out,
        "{}: {} {}, {:.1} s",
        lang.pick("API requests", "API リクエスト"),
        outcome.requests,
        lang.pick("requests", "件"),
        outcome.elapsed.as_secs_f64()
    )?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<7} {:>5} {:>5} {:>8} {:>5}  {}",
        "",
        "pass",
        "fail",
        "unknown",
        "n/a",
        lang.pick("question", "質問")
    )?;
    let mut total = wasec_core::review::EvidenceCounts::default();
    for q in bank.questions() {
        let Some(c) = per_question.get(&q.id) else {
            continue;
        };
        writeln!(
            out,
            "{:<7} {:>5} {:>5} {:>8} {:>5}  {}",
            q.id,
            c.pass,
            c.fail,
            c.unknown,
            c.not_applicable,
            q.title.get(lang)
        )?;
        total.pass += c.pass;
        total.fail += c.fail;
        total.unknown += c.unknown;
        total.not_applicable += c.not_applicable;
    }
    writeln!(
        out,
        "{:<7} {:>5} {:>5} {:>8} {:>5}",
        lang.pick("total", "合計"),
        total.pass,
        total.fail,
        total.unknown,
        total.not_applicable
    )?;
    writeln!(
        out,
        "{}: {} BPs",
        lang.pick(
            "Best practices with evidence",
            "エビデンスのあるベストプラクティス"
        ),
        bps
    )?;
    if !contradictions.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            lang.pick(
                "Contradictions (marked in place, but evidence fails):",
                "矛盾（実施済みとされているがエビデンスは不合格）:"
            )
        )?;
        for bp in contradictions {
            let title = bank.bp(bp).map(|(_, b)| b.title.get(lang)).unwrap_or("");
            writeln!(out, "  {bp}  {title}")?;
        }
    }
    let pending: Vec<&String> = sugg
        .in_place
        .iter()
        .filter(|b| !applied.contains(b))
        .collect();
    if !pending.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            lang.pick(
                "Evidence suggests these BPs are in place (answers unchanged):",
                "エビデンスからは以下の BP が実施済みと考えられます（回答は未変更）:"
            )
        )?;
        for bp in pending {
            let auto_ok = sugg.auto.contains(bp);
            let title = bank.bp(bp).map(|(_, b)| b.title.get(lang)).unwrap_or("");
            let mark = if auto_ok && !auto { " *" } else { "" };
            writeln!(out, "  {bp}{mark}  {title}")?;
        }
        if !auto && !sugg.auto.is_empty() {
            writeln!(
                out,
                "{}",
                lang.pick(
                    "  (* = automatable: `--auto-answer` would select it)",
                    "  （* = 自動判定可能: `--auto-answer` で選択されます）"
                )
            )?;
        }
    }
    if !applied.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            lang.pick(
                "Selected from evidence (--auto-answer):",
                "エビデンスから選択（--auto-answer）:"
            )
        )?;
        for bp in applied {
            writeln!(out, "  {bp}")?;
        }
    }
    Ok(())
}

/// First contact failed: the cause and the fix in the user's language, the
/// SDK's own words only with `-v`. Exit code 2, like other usage errors.
pub(super) fn contact_failed(ctx: &Ctx, e: &ContactError) -> ExitCode {
    eprintln!("wasec: {}", e.message(ctx.lang));
    match (ctx.verbose, e.detail()) {
        (true, Some(raw)) => eprintln!(
            "{}: {raw}",
            ctx.lang.pick("AWS SDK error", "AWS SDK のエラー")
        ),
        (false, Some(_)) => eprintln!(
            "{}",
            ctx.lang.pick(
                "(run with -v to see the AWS SDK's error)",
                "（-v を付けると AWS SDK のエラーを表示します）"
            )
        ),
        _ => {}
    }
    ExitCode::from(2)
}
