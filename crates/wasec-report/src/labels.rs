//! Report wording in English and Japanese, and the generated sentences.
//! Kept in one place so every format uses the same words.

use crate::model::{BpState, Report};
use wasec_core::Lang;
use wasec_core::review::{Environment, EvidenceStatus, QuestionRisk};
use wasec_core::scoring::{Level, PlanKind};

pub fn title(lang: Lang) -> &'static str {
    lang.pick("Security Pillar Review", "セキュリティの柱 レビュー報告書")
}

pub fn bp_state(s: BpState, lang: Lang) -> &'static str {
    match s {
        BpState::InPlace => lang.pick("In place", "実施済み"),
        BpState::NotInPlace => lang.pick("Not in place", "未実施"),
        BpState::NotApplicable => lang.pick("Not applicable", "該当なし"),
        BpState::Unanswered => lang.pick("Unanswered", "未回答"),
    }
}

pub fn environment(e: Environment, lang: Lang) -> &'static str {
    match e {
        Environment::Production => lang.pick("Production", "本番"),
        Environment::Preproduction => lang.pick("Pre-production", "本番前"),
    }
}

pub fn status(s: EvidenceStatus, lang: Lang) -> &'static str {
    match s {
        EvidenceStatus::Pass => lang.pick("pass", "合格"),
        EvidenceStatus::Fail => lang.pick("fail", "不合格"),
        EvidenceStatus::Unknown => lang.pick("unknown", "不明"),
        EvidenceStatus::NotApplicable => lang.pick("n/a", "対象外"),
    }
}

/// "2 fail", "2件不合格".
pub fn count_status(n: u32, s: EvidenceStatus, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{n} {}", status(s, lang)),
        Lang::Ja => format!("{}{n}件", status(s, lang)),
    }
}

pub fn kind(k: PlanKind, lang: Lang) -> &'static str {
    match k {
        PlanKind::Gap => lang.pick("Gap", "未実施"),
        PlanKind::Contradiction => lang.pick("Contradiction", "矛盾"),
    }
}

pub fn no_evidence(lang: Lang) -> &'static str {
    lang.pick("No evidence collected", "エビデンス未収集")
}

/// A short topic per question of the Security pillar, for charts and
/// lists where the area name ("Data protection" three times) does not
/// tell questions apart. `None` for a question id of a custom bank.
pub fn topic(question: &str, lang: Lang) -> Option<&'static str> {
    let (en, ja) = match question {
        "SEC01" => ("Foundations", "安全な運用"),
        "SEC02" => ("Authentication", "認証"),
        "SEC03" => ("Permissions", "アクセス許可"),
        "SEC04" => ("Detection", "検出"),
        "SEC05" => ("Network", "ネットワーク"),
        "SEC06" => ("Compute", "コンピューティング"),
        "SEC07" => ("Data classification", "データ分類"),
        "SEC08" => ("Data at rest", "保管中のデータ"),
        "SEC09" => ("Data in transit", "転送中のデータ"),
        "SEC10" => ("Incident response", "インシデント対応"),
        "SEC11" => ("Application security", "アプリケーション"),
        _ => return None,
    };
    Some(lang.pick(en, ja))
}

/// Evidence text for an executive document: command-line syntax (as the
/// collector writes it for operators) said in words, code marks removed.
pub fn plain(s: &str, lang: Lang) -> String {
    let policy = lang.pick(
        "wasec's read-only IAM policy",
        "wasec の読み取り専用 IAM ポリシー",
    );
    let mut out = s.to_string();
    for cmd in [
        "`wasec iam-policy`",
        "\"wasec iam-policy\"",
        "wasec iam-policy",
    ] {
        out = out.replace(cmd, policy);
    }
    out.replace('`', "")
}

/// "<text> (+2 more)".
pub fn and_more(head: &str, n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("{head} (+{n} more)"),
        Lang::Ja => format!("{head}（ほか{n}件）"),
    }
}

/// "4 more steps", "ほか4手順".
pub fn more_steps(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En if n == 1 => "1 more step".into(),
        Lang::En => format!("{n} more steps"),
        Lang::Ja => format!("ほか{n}手順"),
    }
}

/// "p. 18", "18ページ".
pub fn page_ref(page: usize, lang: Lang) -> String {
    match lang {
        Lang::En => format!("p. {page}"),
        Lang::Ja => format!("{page}ページ"),
    }
}

/// The band a score falls in: 0 below 40, 1 below 65, 2 below 85, 3 above.
pub fn band(score: f64) -> usize {
    match score {
        s if s < 40.0 => 0,
        s if s < 65.0 => 1,
        s if s < 85.0 => 2,
        _ => 3,
    }
}

pub fn band_label(band: usize, lang: Lang) -> &'static str {
    match band {
        0 => lang.pick("below 40: weak", "40未満: 不足"),
        1 => lang.pick("40-64: partial", "40-64: 部分的"),
        2 => lang.pick("65-84: solid", "65-84: 基本は整備"),
        _ => lang.pick("85+: strong", "85以上: 十分"),
    }
}

pub fn score_text(s: Option<f64>) -> String {
    s.map(|s| format!("{s:.1}")).unwrap_or_else(|| "-".into())
}

/// "+21.6", "-3.0", "±0".
pub fn delta(before: Option<f64>, after: Option<f64>) -> String {
    match (before, after) {
        (Some(b), Some(a)) if (a - b).abs() < 0.05 => "±0".into(),
        (Some(b), Some(a)) => format!("{:+.1}", a - b),
        _ => "-".into(),
    }
}

pub fn level(l: Level, lang: Lang) -> &'static str {
    l.label(lang)
}

pub fn risk_short(r: QuestionRisk, lang: Lang) -> &'static str {
    match r {
        QuestionRisk::High => lang.pick("High", "高"),
        QuestionRisk::Medium => lang.pick("Medium", "中"),
        QuestionRisk::None => lang.pick("None", "なし"),
        QuestionRisk::Unanswered => lang.pick("Unanswered", "未回答"),
        QuestionRisk::NotApplicable => lang.pick("N/A", "該当なし"),
    }
}

/// A question's risk in one or two characters, for accounts x questions grids.
pub fn risk_mark(r: QuestionRisk, lang: Lang) -> &'static str {
    match r {
        QuestionRisk::High => lang.pick("H", "高"),
        QuestionRisk::Medium => lang.pick("M", "中"),
        QuestionRisk::None => lang.pick("OK", "可"),
        QuestionRisk::Unanswered => lang.pick("?", "未"),
        QuestionRisk::NotApplicable => lang.pick("-", "－"),
    }
}

/// Section and column headings.
pub struct L {
    pub lang: Lang,
}

macro_rules! words {
    ($($name:ident => $en:expr, $ja:expr;)*) => {
        impl L {
            $(pub fn $name(&self) -> &'static str { self.lang.pick($en, $ja) })*
        }
    };
}

words! {
    contents => "Contents", "目次";
    answer => "The answer", "結論";
    top_actions => "Top three actions", "最優先の3つの対応";
    declared_vs_adjusted => "Declared and evidence-adjusted", "申告とエビデンス反映";
    since_last => "Since the last milestone", "前回のマイルストーンからの変化";
    progress => "Progress over time", "推移";
    risk_overview => "Risk overview", "リスクの概観";
    plan => "Improvement plan", "改善計画";
    follow_ups => "Follow-ups", "フォローアップ";
    questions => "Results by question", "質問別の結果";
    about => "About this review", "このレビューについて";
    how_to_read => "How to read this report", "本報告書の読み方";
    appendix_evidence => "Appendix A: Evidence inventory", "付録A: エビデンス一覧";
    appendix_mappings => "Appendix B: Framework mappings", "付録B: フレームワーク対応表";
    workload => "Workload", "ワークロード";
    environment => "Environment", "環境";
    review_date => "Review date", "レビュー日";
    generated => "Report date", "報告日";
    reviewers => "Reviewers", "レビュー担当者";
    owner => "Owner", "担当者";
    accounts => "AWS accounts", "AWSアカウント";
    by_account => "By AWS account", "AWSアカウント別";
    portfolio_title => "Security review portfolio", "セキュリティレビュー一覧報告";
    workloads => "Workloads", "ワークロード数";
    with_high_risk => "With high-risk questions", "高リスクの質問があるワークロード";
    top_actions_by_workload => "Top actions by workload", "ワークロード別の最優先の対応";
    nothing_to_do => "Nothing to fix in the answered questions.", "回答済みの質問に改善項目はありません。";
    reviews_included => "Reviews included", "対象のレビュー";
    file => "File", "ファイル";
    by_account_intro => "Each account judged on its own evidence; the answers are the same for all.", "各アカウントを自身のエビデンスで評価しています（回答は共通）。";
    account => "Account", "アカウント";
    failing => "Failing", "不合格";
    first_action => "Most urgent", "最優先";
    risk_legend => "H high risk, M medium risk, OK no risk, ? unanswered, - not applicable.", "高: 高リスク、中: 中リスク、可: リスクなし、未: 未回答、－: 該当なし。";
    regions => "Regions", "リージョン";
    framework => "Framework", "フレームワーク";
    score => "Score", "スコア";
    declared => "Declared", "申告";
    adjusted => "Evidence-adjusted", "エビデンス反映";
    declared_note => "what the team marked in place (the WA Tool's reading)", "チームが実施済みとした内容（WA Tool と同じ読み方）";
    adjusted_note => "a practice marked in place whose evidence fails counts as not in place", "実施済みでもエビデンスが不合格なら未実施として扱います";
    high_risk => "High-risk questions", "高リスクの質問";
    medium_risk => "Medium-risk questions", "中リスクの質問";
    high_short => "HRI", "高リスク";
    medium_short => "MRI", "中リスク";
    no_risk => "No risk", "リスクなし";
    unanswered => "Unanswered", "未回答";
    not_applicable => "Not applicable", "該当なし";
    contradictions => "Contradictions", "矛盾";
    overdue => "Overdue", "期限超過";
    overdue_follow_ups => "Overdue follow-ups", "期限超過のフォローアップ";
    plan_items => "Plan items", "改善項目";
    actions => "Actions", "対応";
    priority => "Priority", "優先度";
    best_practice => "Best practice", "ベストプラクティス";
    closes => "Closes", "解消する項目";
    risk => "Risk", "リスク";
    evidence => "Evidence", "エビデンス";
    how_to_improve => "How to improve", "改善方法";
    agreed => "Agreed", "合意した対応";
    next_step => "Next step", "次の手順";
    due => "Due", "期限";
    status => "Status", "状況";
    action => "Action", "対応";
    what_to_fix => "What to fix", "修正すること";
    question => "Question", "質問";
    topic => "Topic", "テーマ";
    answers => "Answers", "回答";
    notes => "Notes", "メモ";
    check => "Check", "チェック";
    summary => "Summary", "概要";
    resources => "Resources", "リソース";
    region => "Region", "リージョン";
    milestone => "Milestone", "マイルストーン";
    date => "Date", "日付";
    now => "Now", "現在";
    change => "Change", "変化";
    better => "Better", "改善";
    worse => "Worse", "悪化";
    newly_answered => "Answered since", "新たに回答";
    nothing_moved => "no question changed risk", "リスクが変わった質問はありません";
    score_by_question => "Score by question (0-100)", "質問別スコア（0-100）";
    bars_legend => "Bar: evidence-adjusted score, coloured by band; outline: declared score where it is higher; ▲ contradiction", "棒: エビデンス反映スコア（色は水準）、枠: 申告スコアがそれより高い場合、▲ 矛盾あり";
    heat_map => "Plan items by likelihood and severity", "発生可能性と深刻度による改善項目";
    heat_legend => "Each cell: number of plan items and the priority it gives. Severity is the practice's risk level (high, medium or low), so there is no critical column.", "各セルは改善項目の数と、その組み合わせの優先度です。深刻度はベストプラクティスのリスク（高・中・低）なので「重大」の列はありません。";
    trend => "Score and high/medium-risk questions per milestone", "マイルストーンごとのスコアと高・中リスクの質問数";
    likelihood => "Likelihood", "発生可能性";
    severity => "Severity", "深刻度";
    question_na => "This question does not apply", "この質問は該当しません";
    reason => "Reason", "理由";
    more => "more", "件 その他";
    guidance => "AWS guidance", "AWS のガイダンス";
    unassigned => "no owner", "担当者未定";
    no_due => "no date", "期限なし";
    no_follow_ups => "No follow-ups have been agreed.", "フォローアップはまだ合意されていません。";
    no_milestones => "No milestones recorded yet: record one with the milestone command to compare the next report with today's.", "マイルストーンはまだ記録されていません。milestone コマンドで記録すると、次回の報告書で今回との比較ができます。";
    no_plan => "No open items: every applicable best practice is in place.", "改善項目はありません。該当するベストプラクティスはすべて実施済みです。";
    no_evidence_items => "No evidence items have been collected for this review.", "このレビューにはエビデンスが収集されていません。";
    security_hub => "Security Hub controls", "Security Hub コントロール";
    cis => "CIS AWS v3.0", "CIS AWS v3.0";
    cyber_trust => "Cyber Trust mark", "Cyber Trust mark";
    in_place_count => "in place", "実施済み";
    description => "Description", "概要";
    follow_ups_intro => "Every follow-up agreed in the review, on gaps and on practices already in place, with its owner, due date and status. Overdue means still open after its due date on the report date.", "レビューで合意したすべてのフォローアップです（未実施の項目にも実施済みの項目にも付きます）。担当者、期限、状況を示します。「期限超過」は報告日の時点で期限を過ぎても完了していないものです。";
    plan_intro => "The plan as work: items that fail on the same check are one action, listing every practice it helps close. Full improvement steps are on the question pages.", "作業単位の改善計画です。同じチェックで不合格となる項目は1つの対応にまとめ、それで解消するベストプラクティスを列挙します。改善手順の全体は質問別のページにあります。";
    questions_intro => "One part per question: the answers given, reasons for anything not applicable, notes, the evidence for each best practice, and the improvement steps for those in the plan.", "質問ごとに、回答、該当なしとした理由、メモ、各ベストプラクティスのエビデンス、改善計画に含まれるものの改善手順を示します。";
    mappings_intro => "Each best practice against AWS Security Hub CSPM control ids, CIS AWS Foundations Benchmark v3.0 recommendations and Cyber Trust mark domains.", "各ベストプラクティスと、AWS Security Hub CSPM のコントロール、CIS AWS Foundations Benchmark v3.0 の推奨事項、Cyber Trust mark のドメインとの対応です。";
    method => "Question risk follows the AWS Well-Architected Tool rules: a missing high-risk best practice makes the question high risk. The score weighs every applicable best practice by its risk (high 3, medium 2, low 1). The evidence-adjusted view applies the same rules but counts a practice marked in place as not in place when its evidence fails (a contradiction). Each plan item is prioritised on a likelihood × severity matrix: severity is the practice's risk, likelihood comes from the evidence collected from the AWS accounts (a failing resource reachable from the internet is critical, a failure high, no or unknown evidence medium, passing evidence low).",
        "質問のリスクは AWS Well-Architected Tool の規則に従います。高リスクのベストプラクティスが未実施なら、その質問は高リスクです。スコアは該当する各ベストプラクティスをリスクで重み付けします（高3、中2、低1）。エビデンス反映の見方は同じ規則を使いますが、実施済みとされながらエビデンスが不合格のもの（矛盾）を未実施として数えます。改善項目の優先度は発生可能性×深刻度のマトリクスで決めます。深刻度はベストプラクティスのリスク、発生可能性は AWS アカウントから収集したエビデンスによります（インターネットから到達できるリソースの不合格は重大、不合格は高、エビデンスなしまたは不明は中、合格は低）。";
}

/// What to say when the plan is empty: either everything applicable is in
/// place, or questions are still open (an empty plan is then no good news).
pub fn empty_plan(r: &Report) -> String {
    let l = L { lang: r.lang };
    let n = r.declared.counts.unanswered;
    if n == 0 {
        return l.no_plan().to_string();
    }
    match r.lang {
        Lang::En => format!(
            "No plan items yet: the plan lists gaps in answered questions, and {}.",
            plural(
                n,
                "question is still unanswered",
                "questions are still unanswered"
            )
        ),
        Lang::Ja => format!(
            "改善項目はまだありません。改善計画は回答済みの質問から作られます。未回答の質問が{n}問あります。"
        ),
    }
}

/// The one sentence on page one, read from the evidence-adjusted view.
pub fn verdict(r: &Report) -> String {
    let adj = &r.evidence_adjusted;
    let name = &r.workload.name;
    let Some(score) = adj.score else {
        return match r.lang {
            Lang::En => format!(
                "{name} has no result yet: no question is answered, so there is nothing to score."
            ),
            Lang::Ja => format!("{name}はまだ評価できません。回答済みの質問がありません。"),
        };
    };
    let urgent = r
        .actions
        .iter()
        .filter(|a| a.priority >= Level::High)
        .count();
    let overdue = r.actions.iter().filter(|a| a.overdue).count();
    match r.lang {
        Lang::En => {
            let mut s = format!(
                "{name} scores {score:.1} out of 100 once evidence is counted ({}), with {}",
                [
                    "a weak baseline",
                    "a partial baseline",
                    "a solid baseline",
                    "a strong baseline"
                ][band(score)],
                plural(adj.counts.high, "high-risk question", "high-risk questions"),
            );
            if urgent > 0 {
                s.push_str(&format!(
                    " and {} of critical or high priority",
                    plural(urgent as u32, "action", "actions")
                ));
                if overdue > 0 {
                    s.push_str(&format!(", {overdue} of them overdue"));
                }
            }
            s.push('.');
            s
        }
        Lang::Ja => {
            let mut s = format!(
                "{name}のスコアはエビデンスを反映すると100点中{score:.1}点（{}）で、高リスクの質問が{}問",
                [
                    "基礎的な対策が不足",
                    "対策は部分的",
                    "基本的な対策は整備済み",
                    "対策は十分"
                ][band(score)],
                adj.counts.high
            );
            if urgent > 0 {
                s.push_str(&format!("、優先度「重大」または「高」の対応が{urgent}件"));
                if overdue > 0 {
                    s.push_str(&format!("（うち{overdue}件が期限超過）"));
                }
            }
            s.push_str("あります。");
            s
        }
    }
}

/// A one-paragraph reading of the result, written from the numbers only
/// (no free text from the review), so it can be trusted to match the tables.
pub fn narrative(r: &Report) -> String {
    let c = &r.declared.counts;
    let answered = c.high + c.medium + c.none + c.not_applicable;
    let total = answered + c.unanswered;
    let top = r.actions.first();
    let declared = score_text(r.declared.score);
    let adjusted = score_text(r.evidence_adjusted.score);
    match r.lang {
        Lang::En => {
            let mut s = format!(
                "{answered} of {total} questions are answered. As declared, the score is {declared} with {} and {} medium risk",
                plural(c.high, "high-risk question", "high-risk questions"),
                c.medium
            );
            if r.views_differ {
                s.push_str(&format!(
                    "; with evidence it is {adjusted}, because {} marked in place but failing in the accounts",
                    plural(r.contradictions as u32, "practice is", "practices are"),
                ));
            }
            s.push_str(&format!(
                ". The plan holds {} grouped into {}",
                plural(r.plan.len() as u32, "item", "items"),
                plural(r.actions.len() as u32, "action", "actions"),
            ));
            if let Some(t) = top {
                s.push_str(&format!(
                    "; start with action 1: {}",
                    t.title.trim_end_matches('.')
                ));
            }
            s.push('.');
            if c.unanswered > 0 {
                s.push_str(&format!(
                    " {} still unanswered, so the score may move once {} reviewed.",
                    plural(c.unanswered, "question is", "questions are"),
                    if c.unanswered == 1 {
                        "it is"
                    } else {
                        "they are"
                    }
                ));
            }
            s
        }
        Lang::Ja => {
            let mut s = format!(
                "{total}問中{answered}問に回答済みです。申告どおりのスコアは{declared}点で、高リスクの質問が{}問、中リスクが{}問です。",
                c.high, c.medium
            );
            if r.views_differ {
                s.push_str(&format!(
                    "エビデンスを反映すると{adjusted}点です。実施済みとされながら AWS アカウントで不合格のベストプラクティスが{}件あるためです。",
                    r.contradictions
                ));
            }
            s.push_str(&format!(
                "改善計画は{}項目で、{}件の対応にまとまります。",
                r.plan.len(),
                r.actions.len()
            ));
            if let Some(t) = top {
                s.push_str(&format!(
                    "まず対応1「{}」から着手してください。",
                    t.title.trim_end_matches('。')
                ));
            }
            if c.unanswered > 0 {
                s.push_str(&format!(
                    "未回答の質問が{}問残っているため、回答後にスコアが変わる可能性があります。",
                    c.unanswered
                ));
            }
            s
        }
    }
}

pub fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "3 workloads" / "3件のワークロード".
pub fn workload_count(n: usize, lang: Lang) -> String {
    match lang {
        Lang::En => plural(n as u32, "workload", "workloads"),
        Lang::Ja => format!("{n}件のワークロード"),
    }
}

/// "N more actions in FILE" under a workload's top three.
pub fn more_actions(n: usize, file: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{} more in its own report (wasec report {file}).",
            plural(n as u32, "action", "actions")
        ),
        Lang::Ja => format!("ほかに{n}件の対応があります（{file} の報告書を参照）。"),
    }
}

/// The roll-up's one sentence: how many workloads carry high risk and which
/// one needs attention first.
pub fn portfolio_verdict(p: &crate::portfolio::Portfolio) -> String {
    let total = p.workloads.len();
    let high: Vec<&str> = p
        .workloads
        .iter()
        .filter(|w| w.high > 0)
        .map(|w| w.name.as_str())
        .collect();
    let first = p.workloads.first();
    match p.lang {
        Lang::En => {
            let mut s = format!(
                "{} reviewed; {} high-risk questions once evidence is counted",
                plural(total as u32, "workload", "workloads"),
                match high.len() {
                    0 => "none has".to_string(),
                    n if n == total && n > 1 => "all have".to_string(),
                    n => format!(
                        "{n} ({}) {}",
                        high.join(", "),
                        if n == 1 { "has" } else { "have" }
                    ),
                }
            );
            if let Some(w) = first.filter(|w| w.high > 0) {
                s.push_str(&format!(
                    ". Start with {} (score {} with evidence)",
                    w.name,
                    score_text(w.score)
                ));
            }
            s.push('.');
            s
        }
        Lang::Ja => {
            let mut s = match high.len() {
                0 => format!(
                    "{total}件のワークロードをレビューしました。エビデンス反映後、高リスクの質問があるワークロードはありません。"
                ),
                n => format!(
                    "{total}件のワークロードをレビューしました。エビデンス反映後、{n}件（{}）に高リスクの質問があります。",
                    high.join("、")
                ),
            };
            if let Some(w) = first.filter(|w| w.high > 0) {
                s.push_str(&format!(
                    "最初に取り組むのは{}です（エビデンス反映スコア {}）。",
                    w.name,
                    score_text(w.score)
                ));
            }
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_syntax_is_said_in_words() {
        let s = "cannot tell: access denied to secretsmanager:ListSecrets (grant it, see `wasec iam-policy`)";
        let en = plain(s, Lang::En);
        assert!(
            !en.contains('`') && !en.contains("wasec iam-policy"),
            "{en}"
        );
        assert!(en.contains("wasec's read-only IAM policy"), "{en}");
        assert!(plain(s, Lang::Ja).contains("読み取り専用 IAM ポリシー"));
    }

    #[test]
    fn every_pillar_question_has_a_distinct_short_topic() {
        for lang in Lang::ALL {
            let topics: Vec<&str> = (1..=11)
                .map(|i| topic(&format!("SEC{i:02}"), lang).unwrap())
                .collect();
            let mut unique = topics.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 11, "{topics:?}");
        }
        assert_eq!(topic("CUSTOM01", Lang::En), None);
    }
}
