//! Report wording in English and Japanese, and the generated reading of
//! the result. Kept in one place so every format uses the same words.

use crate::model::{BpState, Report};
use wasec_core::Lang;
use wasec_core::review::{ActionStatus, Environment, EvidenceStatus};
use wasec_core::scoring::PlanKind;

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

pub fn action_status(s: ActionStatus, lang: Lang) -> &'static str {
    s.label(lang)
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

pub fn kind(k: PlanKind, lang: Lang) -> &'static str {
    match k {
        PlanKind::Gap => lang.pick("Gap", "未実施"),
        PlanKind::Contradiction => lang.pick("Contradiction", "矛盾"),
    }
}

pub fn no_evidence(lang: Lang) -> &'static str {
    lang.pick("No evidence collected", "エビデンス未収集")
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
    executive_summary => "Executive summary", "エグゼクティブサマリー";
    risk_overview => "Risk overview", "リスクの概観";
    plan => "Improvement plan", "改善計画";
    questions => "Results by question", "質問別の結果";
    appendix_evidence => "Appendix A: Evidence inventory", "付録A: エビデンス一覧";
    appendix_mappings => "Appendix B: Framework mappings", "付録B: フレームワーク対応表";
    workload => "Workload", "ワークロード";
    environment => "Environment", "環境";
    review_date => "Review date", "レビュー日";
    generated => "Report date", "報告日";
    reviewers => "Reviewers", "レビュー担当者";
    owner => "Owner", "担当者";
    accounts => "AWS accounts", "AWSアカウント";
    regions => "Regions", "リージョン";
    framework => "Framework", "フレームワーク";
    score => "Score", "スコア";
    overall_score => "Overall score", "総合スコア";
    high_risk => "High risks", "高リスク";
    medium_risk => "Medium risks", "中リスク";
    no_risk => "No risk", "リスクなし";
    unanswered => "Unanswered", "未回答";
    not_applicable => "Not applicable", "該当なし";
    contradictions => "Contradictions", "矛盾";
    plan_items => "Plan items", "改善項目";
    top_items => "Top five priorities", "優先度の高い上位5項目";
    priority => "Priority", "優先度";
    best_practice => "Best practice", "ベストプラクティス";
    risk => "Risk", "リスク";
    evidence => "Evidence", "エビデンス";
    how_to_improve => "How to improve", "改善方法";
    due => "Due", "期限";
    status => "Status", "状況";
    action => "Action", "対応";
    question => "Question", "質問";
    answers => "Answers", "回答";
    notes => "Notes", "メモ";
    check => "Check", "チェック";
    summary => "Summary", "概要";
    resources => "Resources", "リソース";
    region => "Region", "リージョン";
    score_by_question => "Score by question (0-100, colour = question risk)", "質問別スコア（0-100、色は質問のリスク）";
    heat_map => "Plan items by likelihood and severity (colour = priority)", "発生可能性と深刻度による改善項目（色は優先度）";
    likelihood => "Likelihood", "発生可能性";
    severity => "Severity", "深刻度";
    none => "none", "なし";
    question_na => "This question does not apply", "この質問は該当しません";
    reason => "Reason", "理由";
    more => "more", "件 その他";
    kind => "Type", "種別";
    page => "Page", "ページ";
    no_plan => "No open items: every applicable best practice is in place.", "改善項目はありません。該当するベストプラクティスはすべて実施済みです。";
    no_evidence_items => "No evidence items have been collected for this review.", "このレビューにはエビデンスが収集されていません。";
    security_hub => "Security Hub controls", "Security Hub コントロール";
    cis => "CIS AWS v3.0", "CIS AWS v3.0";
    cyber_trust => "Cyber Trust mark", "Cyber Trust mark";
    in_place_count => "in place", "実施済み";
    legend => "Legend", "凡例";
    pass_fail => "pass / fail", "合格 / 不合格";
    description => "Description", "概要";
    method => "How to read this report: question risk follows the AWS Well-Architected Tool rules (a missing high-risk best practice makes the question high risk). The score weighs every applicable best practice by its risk (high 3, medium 2, low 1). Each improvement item is prioritised on a likelihood × severity matrix: severity is the best practice's risk, likelihood comes from the evidence collected from the AWS accounts (a failing public resource is critical). A contradiction is a best practice marked in place whose evidence fails.",
        "本報告書の読み方: 質問のリスクは AWS Well-Architected Tool の規則に従います（高リスクのベストプラクティスが未実施なら、その質問は高リスク）。スコアは該当する各ベストプラクティスをリスクで重み付けします（高3、中2、低1）。改善項目の優先度は発生可能性×深刻度のマトリクスで決めます。深刻度はベストプラクティスのリスク、発生可能性はAWSアカウントから収集したエビデンスによります（公開リソースの不合格は重大）。「矛盾」は、実施済みとされながらエビデンスが不合格のベストプラクティスです。";
}

/// What to say when the plan is empty: either everything applicable is in
/// place, or questions are still open (an empty plan is then no good news).
pub fn empty_plan(r: &Report) -> String {
    let l = L { lang: r.lang };
    if r.counts.unanswered == 0 {
        return l.no_plan().to_string();
    }
    let n = r.counts.unanswered;
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

/// A one-paragraph reading of the result, written from the numbers only
/// (no free text from the review), so it can be trusted to match the tables.
pub fn narrative(r: &Report) -> String {
    let c = &r.counts;
    let answered = c.high + c.medium + c.none + c.not_applicable;
    let total = answered + c.unanswered;
    let p = &r.priority_counts;
    let urgent = p.critical + p.high;
    let band = band(r.score);
    let top = r.plan.first();
    match r.lang {
        Lang::En => {
            let mut s = format!(
                "{} scores {:.1} out of 100 on the Security pillar, which reads as {}. \
                 {} of {} questions are answered: {} high risk and {} medium risk. ",
                r.workload.name,
                r.score,
                [
                    "a weak baseline",
                    "a partial baseline",
                    "a solid baseline",
                    "a strong baseline"
                ][band],
                answered,
                total,
                plural(c.high, "question carries", "questions carry"),
                c.medium
            );
            s.push_str(&format!(
                "The improvement plan holds {}, {} of them critical or high priority",
                plural(r.plan.len() as u32, "item", "items"),
                urgent
            ));
            if r.contradictions > 0 {
                s.push_str(&format!(
                    "; {} marked in place but the evidence fails, so {} should be rechecked first",
                    plural(r.contradictions as u32, "practice is", "practices are"),
                    if r.contradictions == 1 { "it" } else { "they" }
                ));
            }
            s.push_str(". ");
            if let Some(t) = top {
                s.push_str(&format!("Start with {} ({}).", t.bp_id, t.title));
            }
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
                "{}のセキュリティの柱のスコアは100点中{:.1}点で、{}と評価できます。\
                 {}問中{}問に回答済みで、高リスクが{}問、中リスクが{}問あります。",
                r.workload.name,
                r.score,
                [
                    "基礎的な対策が不足している状態",
                    "対策が部分的な状態",
                    "基本的な対策が整った状態",
                    "対策が十分に整った状態"
                ][band],
                total,
                answered,
                c.high,
                c.medium
            );
            s.push_str(&format!(
                "改善計画は{}項目で、そのうち{}項目が優先度「重大」または「高」です。",
                r.plan.len(),
                urgent
            ));
            if r.contradictions > 0 {
                s.push_str(&format!(
                    "実施済みとされながらエビデンスが不合格のプラクティスが{}件あり、最初に再確認が必要です。",
                    r.contradictions
                ));
            }
            if let Some(t) = top {
                s.push_str(&format!(
                    "まず{}（{}）から着手してください。",
                    t.bp_id, t.title
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

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// 0: below 40, 1: below 65, 2: below 85, 3: 85 and above.
fn band(score: f64) -> usize {
    match score {
        s if s < 40.0 => 0,
        s if s < 65.0 => 1,
        s if s < 85.0 => 2,
        _ => 3,
    }
}
