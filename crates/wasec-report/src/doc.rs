//! The report as a document: sections of paragraphs, tables, lists and
//! charts (as data), laid out once from the [`Report`] model. PDF, HTML and
//! Markdown are writers over this structure; none of them decides what the
//! report says or in which order.

use crate::labels::{self, L};
use crate::model::{AccountResult, ActionRow, BpState, Report};
use wasec_core::Lang;
use wasec_core::review::{ActionStatus, EvidenceStatus, QuestionRisk};
use wasec_core::scoring::{Level, PlanKind};

/// Section ids that writers and tests refer to.
pub mod id {
    pub const ANSWER: &str = "answer";
    pub const CONTENTS: &str = "contents";
    pub const PROGRESS: &str = "progress";
    pub const OVERVIEW: &str = "overview";
    pub const ACCOUNTS: &str = "accounts";
    pub const PLAN: &str = "plan";
    pub const FOLLOW_UPS: &str = "follow-ups";
    pub const QUESTIONS: &str = "questions";
    pub const ABOUT: &str = "about";
    pub const METHOD: &str = "method";
    pub const EVIDENCE: &str = "evidence";
    pub const MAPPINGS: &str = "mappings";
}

#[derive(Debug, Clone)]
pub struct Document {
    pub lang: Lang,
    pub title: String,
    pub subtitle: String,
    /// The report date.
    pub date: String,
    pub sections: Vec<Section>,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Anchor for links and the table of contents.
    pub id: String,
    pub title: String,
    /// 1: a part of the report (starts a page on paper); 2: a question.
    pub level: u8,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone)]
pub enum Block {
    /// The one sentence that answers the reader (large type).
    Lead(Text),
    Para(Text),
    /// Secondary text (legends, introductions).
    Small(Text),
    /// A heading inside a section.
    Heading(String),
    /// Key figures in boxes.
    Figures(Vec<Figure>),
    Table(Table),
    /// A bulleted list.
    List(Vec<Text>),
    /// Text typed by people (notes): paragraphs and line breaks kept.
    Note {
        label: String,
        text: String,
    },
    Chart(Chart),
    /// Key/value pairs.
    Facts(Vec<(String, Text)>),
    /// The table of contents (level 1 and 2 sections).
    Toc,
    /// An improvement entry: a badge, a heading line and its steps. The
    /// anchor is what "N more steps" links point to.
    Steps {
        anchor: String,
        badge: Option<(Tone, String)>,
        head: Text,
        steps: Vec<String>,
    },
}

/// Inline text: runs with a style and an optional link.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Text(pub Vec<Span>);

#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub text: String,
    pub style: Style,
    pub link: Option<Link>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Strong,
    /// Red, bold: overdue, contradiction.
    Alert,
    Muted,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A place in the document.
    Anchor(String),
    /// A place in the document; paper adds its page number ("p. 18").
    PageOf(String),
    Url(String),
}

impl Text {
    pub fn plain(s: impl Into<String>) -> Text {
        Text(vec![Span::plain(s)])
    }
    pub fn strong(s: impl Into<String>) -> Text {
        Text(vec![Span::styled(s, Style::Strong)])
    }
    pub fn push(mut self, span: Span) -> Text {
        self.0.push(span);
        self
    }
    pub fn text(mut self, s: impl Into<String>) -> Text {
        self.0.push(Span::plain(s));
        self
    }
    /// The text without styles or links.
    pub fn flat(&self) -> String {
        self.0.iter().map(|s| s.text.as_str()).collect()
    }
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|s| s.text.is_empty())
    }
}

impl Span {
    pub fn plain(s: impl Into<String>) -> Span {
        Span::styled(s, Style::Plain)
    }
    pub fn styled(s: impl Into<String>, style: Style) -> Span {
        Span {
            text: s.into(),
            style,
            link: None,
        }
    }
    pub fn link(mut self, link: Link) -> Span {
        self.link = Some(link);
        self
    }
}

/// Colours the writers map to their palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Critical,
    High,
    Medium,
    Low,
    /// Score bands, weakest to strongest.
    Band(u8),
    Neutral,
    Navy,
}

impl From<Level> for Tone {
    fn from(l: Level) -> Tone {
        match l {
            Level::Critical => Tone::Critical,
            Level::High => Tone::High,
            Level::Medium => Tone::Medium,
            Level::Low => Tone::Low,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub value: String,
    pub label: String,
    /// A second line under the label (the declared value, a unit).
    pub note: String,
    pub tone: Tone,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    /// Share of the width (the columns of a table add up to 1).
    pub width: f32,
}

#[derive(Debug, Clone, Default)]
pub struct Row {
    pub anchor: Option<String>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Each entry is a paragraph of the cell.
    pub lines: Vec<Text>,
    /// A filled badge (priority).
    pub badge: Option<Tone>,
}

impl Cell {
    pub fn text(s: impl Into<String>) -> Cell {
        Cell {
            lines: vec![Text::plain(s)],
            badge: None,
        }
    }
    pub fn lines(lines: Vec<Text>) -> Cell {
        Cell { lines, badge: None }
    }
    pub fn badge(l: Level, lang: Lang) -> Cell {
        Cell {
            lines: vec![Text::strong(l.label(lang))],
            badge: Some(l.into()),
        }
    }
    pub fn flat(&self) -> String {
        self.lines
            .iter()
            .map(Text::flat)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[derive(Debug, Clone)]
pub enum Chart {
    Bars(Bars),
    Heat(Heat),
    Trend(Trend),
}

/// One bar per question.
#[derive(Debug, Clone)]
pub struct Bars {
    pub title: String,
    pub legend: String,
    pub bars: Vec<Bar>,
    /// The colour bands, weakest first.
    pub bands: Vec<(Tone, String)>,
}

#[derive(Debug, Clone)]
pub struct Bar {
    pub id: String,
    /// "SEC05 Network".
    pub label: String,
    /// The evidence-adjusted score.
    pub value: Option<f64>,
    /// The declared score.
    pub declared: Option<f64>,
    pub tone: Tone,
    pub contradicted: bool,
    /// The value as shown ("54" or "Unanswered").
    pub text: String,
}

/// The likelihood x severity heat map.
#[derive(Debug, Clone)]
pub struct Heat {
    pub title: String,
    pub legend: String,
    pub row_title: String,
    pub col_title: String,
    pub rows: Vec<String>,
    pub cols: Vec<String>,
    /// `cells[row][col]`.
    pub cells: Vec<Vec<HeatCell>>,
}

#[derive(Debug, Clone)]
pub struct HeatCell {
    pub count: u32,
    pub priority: Level,
    pub label: String,
}

/// Score and HRI/MRI per milestone.
#[derive(Debug, Clone)]
pub struct Trend {
    pub title: String,
    pub points: Vec<TrendPoint>,
    pub declared_label: String,
    pub adjusted_label: String,
    pub high_label: String,
    pub medium_label: String,
}

#[derive(Debug, Clone)]
pub struct TrendPoint {
    pub label: String,
    pub date: String,
    pub declared: Option<f64>,
    pub adjusted: Option<f64>,
    pub high: u32,
    pub medium: u32,
}

fn section(id: &str, title: &str, level: u8) -> Section {
    Section {
        id: id.to_string(),
        title: title.to_string(),
        level,
        blocks: Vec::new(),
    }
}

/// Anchor of a BP's improvement steps.
pub fn steps_anchor(bp: &str) -> String {
    format!("steps-{bp}")
}

/// Anchor of a BP's row on its question page.
pub fn bp_anchor(bp: &str) -> String {
    bp.to_string()
}

/// Anchor of an action's row in the plan.
pub fn action_anchor(rank: usize) -> String {
    format!("action-{rank}")
}

/// Lay out the document.
pub fn build(r: &Report) -> Document {
    let l = L { lang: r.lang };
    let sections = vec![
        answer(r, &l),
        contents(&l),
        progress(r, &l),
        overview(r, &l),
    ]
    .into_iter()
    .chain(accounts(r, &l))
    .chain([plan(r, &l), follow_ups(r, &l)])
    .chain(questions(r, &l))
    .chain([
        about(r, &l),
        method(r, &l),
        evidence(r, &l),
        mappings(r, &l),
    ])
    .collect();
    Document {
        lang: r.lang,
        title: r.title.clone(),
        subtitle: r.workload.name.clone(),
        date: r.generated.clone(),
        sections,
    }
}

/// "<a> (<b>)" in English, "<a>（<b>）" in Japanese.
pub fn paren(lang: Lang, a: &str, b: &str) -> String {
    match lang {
        Lang::En => format!("{a} ({b})"),
        Lang::Ja => format!("{a}（{b}）"),
    }
}

pub(crate) fn dash(s: &str) -> String {
    if s.trim().is_empty() {
        "-".into()
    } else {
        s.to_string()
    }
}

/// Page one: the verdict, the figures in both views, the top three
/// actions and what changed since the last milestone.
fn answer(r: &Report, l: &L) -> Section {
    let mut s = section(id::ANSWER, l.answer(), 1);
    let (d, a) = (&r.declared, &r.evidence_adjusted);
    s.blocks.push(Block::Lead(Text::plain(&r.verdict)));
    let open_actions = r.actions.len();
    s.blocks.push(Block::Figures(vec![
        Figure {
            value: labels::score_text(a.score),
            label: r
                .lang
                .pick("Score with evidence", "エビデンス反映スコア")
                .into(),
            note: format!("{} {}", l.declared(), labels::score_text(d.score)),
            tone: a
                .score
                .map(|s| Tone::Band(labels::band(s) as u8))
                .unwrap_or(Tone::Neutral),
        },
        Figure {
            value: a.counts.high.to_string(),
            label: l.high_risk().into(),
            note: format!("{} {}", l.declared(), d.counts.high),
            tone: Tone::Critical,
        },
        Figure {
            value: a.counts.medium.to_string(),
            label: l.medium_risk().into(),
            note: format!("{} {}", l.declared(), d.counts.medium),
            tone: Tone::Medium,
        },
        Figure {
            value: open_actions.to_string(),
            label: l.actions().into(),
            note: format!("{} {}", r.plan.len(), l.plan_items()),
            tone: Tone::Navy,
        },
        Figure {
            value: r.overdue.to_string(),
            label: l.overdue_follow_ups().into(),
            note: format!("{} {}", r.follow_ups.len(), l.follow_ups()),
            tone: if r.overdue > 0 {
                Tone::Critical
            } else {
                Tone::Neutral
            },
        },
        Figure {
            value: r.contradictions.to_string(),
            label: l.contradictions().into(),
            note: r
                .lang
                .pick("in place, evidence fails", "実施済みだが不合格")
                .into(),
            tone: if r.contradictions > 0 {
                Tone::High
            } else {
                Tone::Neutral
            },
        },
    ]));

    s.blocks.push(Block::Heading(l.top_actions().into()));
    if r.actions.is_empty() {
        s.blocks
            .push(Block::Para(Text::plain(labels::empty_plan(r))));
    } else {
        s.blocks.push(Block::Table(top_actions(r, l)));
    }

    s.blocks
        .push(Block::Heading(l.declared_vs_adjusted().into()));
    s.blocks.push(Block::Table(views_table(r, l)));
    s.blocks.push(Block::Small(Text::plain(format!(
        "{}: {}. {}: {}.",
        l.declared(),
        l.declared_note(),
        l.adjusted(),
        l.adjusted_note()
    ))));

    s.blocks.push(Block::Heading(l.since_last().into()));
    s.blocks.push(match &r.changes {
        Some(_) => Block::Para(changes_text(r)),
        None => Block::Small(Text::plain(l.no_milestones())),
    });
    s
}

fn top_actions(r: &Report, l: &L) -> Table {
    let rows = r
        .actions
        .iter()
        .take(3)
        .map(|a| Row {
            anchor: None,
            cells: vec![
                Cell::text(a.rank.to_string()),
                Cell::badge(a.priority, r.lang),
                Cell::lines(action_what(a, r, false)),
                Cell::lines(owner_lines(a, r, l)),
            ],
        })
        .collect();
    Table {
        columns: vec![
            col("#", 0.05),
            col(l.priority(), 0.11),
            col(l.what_to_fix(), 0.56),
            col(
                &format!("{} / {} / {}", l.owner(), l.due(), l.status()),
                0.28,
            ),
        ],
        rows,
    }
}

pub(crate) fn col(title: &str, width: f32) -> Column {
    Column {
        title: title.to_string(),
        width,
    }
}

/// The action's title, what was agreed, and the BPs it closes.
fn action_what(a: &ActionRow, r: &Report, full: bool) -> Vec<Text> {
    let l = L { lang: r.lang };
    let mut lines = vec![Text::strong(&a.title)];
    if a.public {
        lines[0].0.push(Span::styled(
            r.lang.pick(
                " (reachable from the internet)",
                "（インターネットから到達可能）",
            ),
            Style::Alert,
        ));
    }
    if !a.agreed.is_empty() {
        lines.push(Text(vec![
            Span::styled(format!("{}: ", l.agreed()), Style::Muted),
            Span::plain(&a.agreed),
        ]));
    }
    let mut closes = Text(vec![Span::styled(
        format!("{}: ", l.closes()),
        Style::Muted,
    )]);
    for (i, b) in a.bps.iter().enumerate() {
        if i > 0 {
            closes.0.push(Span::plain(r.lang.pick(", ", "、")));
        }
        let name = if full {
            format!("{} {}", b.bp_id, b.title)
        } else {
            b.bp_id.clone()
        };
        closes
            .0
            .push(Span::plain(name).link(Link::Anchor(bp_anchor(&b.bp_id))));
        if b.kind == PlanKind::Contradiction {
            closes.0.push(Span::styled(
                format!(" ▲{}", labels::kind(PlanKind::Contradiction, r.lang)),
                Style::Alert,
            ));
        }
        if !b.needs_also.is_empty() {
            let others: Vec<String> = b.needs_also.iter().map(|n| format!("#{n}")).collect();
            closes.0.push(Span::styled(
                match r.lang {
                    Lang::En => format!(" (with {})", others.join(", ")),
                    Lang::Ja => format!("（{}と合わせて）", others.join("、")),
                },
                Style::Muted,
            ));
        }
    }
    lines.push(closes);
    if full && !a.first_step.is_empty() {
        // The step is the bank's guidance for the action's first BP: say whose.
        let whose = a.bps.first().map(|b| b.bp_id.as_str()).unwrap_or("");
        let mut step = Text(vec![
            Span::styled(
                format!("{}: ", paren(r.lang, l.next_step(), whose)),
                Style::Muted,
            ),
            Span::plain(&a.first_step),
        ]);
        if a.more_steps > 0
            && let Some(b) = a.bps.first()
        {
            step.0.push(Span::plain(" ("));
            step.0.push(
                Span::plain(labels::more_steps(a.more_steps, r.lang))
                    .link(Link::PageOf(steps_anchor(&b.bp_id))),
            );
            step.0.push(Span::plain(")"));
        }
        lines.push(step);
    }
    lines
}

fn owner_lines(a: &ActionRow, r: &Report, l: &L) -> Vec<Text> {
    if a.lead.is_none() {
        return vec![Text(vec![Span::styled(
            r.lang.pick("No follow-up agreed", "フォローアップ未合意"),
            Style::Alert,
        )])];
    }
    let owner = if a.owner.is_empty() {
        Text(vec![Span::styled(l.unassigned(), Style::Alert)])
    } else {
        Text::plain(&a.owner)
    };
    let due = match &a.due {
        Some(d) if a.overdue => Text(vec![Span::styled(
            format!("{d} {}", overdue_mark(r.lang)),
            Style::Alert,
        )]),
        Some(d) => Text::plain(d),
        None => Text(vec![Span::styled(l.no_due(), Style::Muted)]),
    };
    let status = a
        .status
        .map(|s| s.label(r.lang).to_string())
        .unwrap_or_default();
    let mut lines = vec![owner, due, Text::plain(status)];
    if a.overdue && a.due.is_none() {
        lines.push(Text(vec![Span::styled(overdue_mark(r.lang), Style::Alert)]));
    }
    lines
}

pub fn overdue_mark(lang: Lang) -> &'static str {
    lang.pick("OVERDUE", "期限超過")
}

fn views_table(r: &Report, l: &L) -> Table {
    let (d, a) = (&r.declared, &r.evidence_adjusted);
    let row = |k: &str, dv: String, av: String| Row {
        anchor: None,
        cells: vec![
            Cell::text(k),
            Cell::text(dv.clone()),
            if av != dv {
                Cell::lines(vec![Text::strong(av)])
            } else {
                Cell::text(av)
            },
        ],
    };
    Table {
        columns: vec![col("", 0.4), col(l.declared(), 0.3), col(l.adjusted(), 0.3)],
        rows: vec![
            row(
                l.score(),
                labels::score_text(d.score),
                labels::score_text(a.score),
            ),
            row(
                l.high_risk(),
                d.counts.high.to_string(),
                a.counts.high.to_string(),
            ),
            row(
                l.medium_risk(),
                d.counts.medium.to_string(),
                a.counts.medium.to_string(),
            ),
            row(
                l.unanswered(),
                d.counts.unanswered.to_string(),
                a.counts.unanswered.to_string(),
            ),
        ],
    }
}

/// "Since 'Kick-off' (2026-10-06): score 38.5 → 60.1 (+21.6), ..."
fn changes_text(r: &Report) -> Text {
    let Some(c) = &r.changes else {
        return Text::default();
    };
    let lang = r.lang;
    let arrow = |b: String, a: String| format!("{b} → {a}");
    let list = |moves: &[crate::model::RiskMove]| -> String {
        moves
            .iter()
            .map(|m| {
                paren(
                    lang,
                    &format!("{} {}", m.question_id, m.topic),
                    &format!(
                        "{} → {}",
                        labels::risk_short(m.before, lang),
                        labels::risk_short(m.after, lang)
                    ),
                )
            })
            .collect::<Vec<_>>()
            .join(lang.pick(", ", "、"))
    };
    // The figures once; the two languages differ only in the words around them.
    let moved = |before: Option<f64>, after: Option<f64>| {
        (
            arrow(labels::score_text(before), labels::score_text(after)),
            labels::delta(before, after),
        )
    };
    let (score, score_delta) = moved(c.score_before, c.score_after);
    let (adjusted, adjusted_delta) = moved(c.adjusted_before, c.adjusted_after);
    let high = arrow(c.high_before.to_string(), c.high_after.to_string());
    let medium = arrow(c.medium_before.to_string(), c.medium_after.to_string());
    let (since, headline, with_evidence, counts) = match lang {
        Lang::En => (
            format!("Since “{}” ({}): ", c.since, c.since_date),
            format!("score {score} ({score_delta})"),
            format!(", with evidence {adjusted} ({adjusted_delta})"),
            format!("; high-risk questions {high}, medium-risk {medium}."),
        ),
        Lang::Ja => (
            format!("「{}」（{}）から: ", c.since, c.since_date),
            format!("スコア {score}（{score_delta}）"),
            format!("、エビデンス反映 {adjusted}（{adjusted_delta}）"),
            format!("、高リスクの質問 {high}、中リスク {medium}。"),
        ),
    };
    let mut t = Text::default()
        .text(since)
        .push(Span::styled(headline, Style::Strong));
    if c.adjusted_before.is_some() {
        t = t.text(with_evidence);
    }
    t = t.text(counts);
    let l = L { lang };
    let mut parts = Vec::new();
    if !c.better.is_empty() {
        parts.push(format!("{}: {}", l.better(), list(&c.better)));
    }
    if !c.worse.is_empty() {
        parts.push(format!("{}: {}", l.worse(), list(&c.worse)));
    }
    if !c.answered.is_empty() {
        parts.push(format!("{}: {}", l.newly_answered(), list(&c.answered)));
    }
    if parts.is_empty() {
        parts.push(l.nothing_moved().to_string());
    }
    t.text(format!(
        " {}{}",
        parts.join(lang.pick(". ", "。")),
        lang.pick(".", "。")
    ))
}

fn contents(l: &L) -> Section {
    let mut s = section(id::CONTENTS, l.contents(), 1);
    s.blocks.push(Block::Toc);
    s
}

fn progress(r: &Report, l: &L) -> Section {
    let mut s = section(id::PROGRESS, l.progress(), 1);
    if r.milestones.is_empty() {
        s.blocks.push(Block::Para(Text::plain(l.no_milestones())));
        return s;
    }
    let name = |m: &crate::model::MilestoneRow| {
        if m.current {
            l.now().to_string()
        } else {
            m.name.clone()
        }
    };
    s.blocks.push(Block::Chart(Chart::Trend(Trend {
        title: l.trend().into(),
        points: r
            .milestones
            .iter()
            .map(|m| TrendPoint {
                label: name(m),
                date: m.date.clone(),
                declared: m.declared.score,
                adjusted: m.evidence_adjusted.and_then(|v| v.score),
                high: m.declared.counts.high,
                medium: m.declared.counts.medium,
            })
            .collect(),
        declared_label: paren(l.lang, l.score(), l.declared()),
        adjusted_label: paren(l.lang, l.score(), l.adjusted()),
        high_label: l.high_short().into(),
        medium_label: l.medium_short().into(),
    })));
    let rows = r
        .milestones
        .iter()
        .map(|m| {
            let adj = m.evidence_adjusted;
            Row {
                anchor: None,
                cells: vec![
                    if m.current {
                        Cell::lines(vec![Text::strong(name(m))])
                    } else {
                        Cell::text(name(m))
                    },
                    Cell::text(&m.date),
                    Cell::text(labels::score_text(m.declared.score)),
                    Cell::text(labels::score_text(adj.and_then(|v| v.score))),
                    Cell::text(format!(
                        "{} / {}",
                        m.declared.counts.high, m.declared.counts.medium
                    )),
                    Cell::text(
                        adj.map(|v| format!("{} / {}", v.counts.high, v.counts.medium))
                            .unwrap_or_else(|| "-".into()),
                    ),
                ],
            }
        })
        .collect();
    s.blocks.push(Block::Table(Table {
        columns: vec![
            col(l.milestone(), 0.24),
            col(l.date(), 0.12),
            col(&paren(l.lang, l.score(), l.declared()), 0.16),
            col(&paren(l.lang, l.score(), l.adjusted()), 0.16),
            col(&paren(l.lang, "HRI / MRI", l.declared()), 0.16),
            col(&paren(l.lang, "HRI / MRI", l.adjusted()), 0.16),
        ],
        rows,
    }));
    s.blocks.push(Block::Heading(l.since_last().into()));
    s.blocks.push(Block::Para(changes_text(r)));
    s
}

fn overview(r: &Report, l: &L) -> Section {
    let mut s = section(id::OVERVIEW, l.risk_overview(), 1);
    s.blocks.push(Block::Para(Text::plain(&r.summary)));
    let bars = r
        .questions
        .iter()
        .map(|q| {
            let adj = &q.evidence_adjusted;
            let text = match (adj.risk, adj.score) {
                (QuestionRisk::Unanswered | QuestionRisk::NotApplicable, _) | (_, None) => {
                    adj.risk_label.clone()
                }
                (_, Some(v)) => format!("{v:.0}"),
            };
            Bar {
                id: q.id.clone(),
                label: format!("{} {}", q.id, q.topic),
                value: adj.score,
                declared: q.declared.score,
                tone: adj
                    .score
                    .map(|v| Tone::Band(labels::band(v) as u8))
                    .unwrap_or(Tone::Neutral),
                contradicted: q.contradictions > 0,
                text,
            }
        })
        .collect();
    s.blocks.push(Block::Chart(Chart::Bars(Bars {
        title: l.score_by_question().into(),
        legend: l.bars_legend().into(),
        bars,
        bands: (0..4u8)
            .map(|b| (Tone::Band(b), labels::band_label(b as usize, r.lang).into()))
            .collect(),
    })));
    s.blocks.push(Block::Chart(Chart::Heat(heat(r, l))));
    s
}

/// Per-account standing, when the evidence comes from several accounts.
fn accounts(r: &Report, l: &L) -> Option<Section> {
    if r.accounts.is_empty() {
        return None;
    }
    let mut s = section(id::ACCOUNTS, l.by_account(), 1);
    s.blocks
        .push(Block::Small(Text::plain(l.by_account_intro())));
    let rows: Vec<StandingRow> = r.accounts.iter().map(StandingRow::from).collect();
    let ids: Vec<String> = r.questions.iter().map(|q| q.id.clone()).collect();
    s.blocks
        .push(Block::Table(standing_table(&rows, &ids, l.account(), l)));
    s.blocks.push(Block::Small(Text::plain(l.risk_legend())));
    Some(s)
}

/// One line of an accounts x questions (or workloads x questions) table.
pub struct StandingRow {
    pub name: String,
    pub score: Option<f64>,
    pub declared: Option<f64>,
    pub high: u32,
    pub medium: u32,
    pub risks: Vec<QuestionRisk>,
    pub failing: usize,
    /// BP id, title, priority.
    pub top: Option<(String, String, Level)>,
}

impl From<&AccountResult> for StandingRow {
    fn from(a: &AccountResult) -> StandingRow {
        StandingRow {
            name: a.account.clone(),
            score: a.score,
            declared: a.declared_score,
            high: a.high,
            medium: a.medium,
            risks: a.risks.clone(),
            failing: a.failing,
            top: a
                .top
                .as_ref()
                .map(|t| (t.bp_id.clone(), t.title.clone(), t.priority)),
        }
    }
}

/// Name, score with evidence (declared), HRI/MRI, a risk mark per
/// question, failing evidence and the most urgent item.
pub fn standing_table(rows: &[StandingRow], questions: &[String], name: &str, l: &L) -> Table {
    let q_width = 0.042;
    let mut columns = vec![
        col(name, 0.15),
        col(l.score(), 0.085),
        col(l.hri_mri(), 0.06),
    ];
    // "SEC05" -> "5": the legend under the table names the questions.
    columns.extend(questions.iter().map(|q| {
        let n = q.trim_start_matches("SEC").trim_start_matches('0');
        col(n, q_width)
    }));
    columns.push(col(l.failing(), 0.05));
    let used: f32 = columns.iter().map(|c| c.width).sum();
    columns.push(col(l.first_action(), 1.0 - used));
    let rows = rows
        .iter()
        .map(|a| {
            let mut cells = vec![
                Cell::text(&a.name),
                Cell::lines(vec![
                    Text::strong(labels::score_text(a.score)),
                    Text(vec![Span::styled(
                        format!("({})", labels::score_text(a.declared)),
                        Style::Muted,
                    )]),
                ]),
                Cell::text(format!("{}/{}", a.high, a.medium)),
            ];
            cells.extend(a.risks.iter().map(|&risk| risk_cell(risk, l.lang)));
            cells.push(Cell::text(a.failing.to_string()));
            cells.push(match &a.top {
                Some((bp, title, priority)) => Cell::lines(vec![
                    Text::strong(format!("{} {bp}", priority.label(l.lang))),
                    Text::plain(title),
                ]),
                None => Cell::text("-"),
            });
            Row {
                anchor: None,
                cells,
            }
        })
        .collect();
    Table { columns, rows }
}

fn risk_cell(risk: QuestionRisk, lang: Lang) -> Cell {
    let tone = match risk {
        QuestionRisk::High => Some(Tone::Critical),
        QuestionRisk::Medium => Some(Tone::Medium),
        QuestionRisk::None => Some(Tone::Low),
        QuestionRisk::Unanswered | QuestionRisk::NotApplicable => None,
    };
    Cell {
        lines: vec![Text::strong(labels::risk_mark(risk, lang))],
        badge: tone,
    }
}

fn heat(r: &Report, l: &L) -> Heat {
    let m = &r.matrix;
    Heat {
        title: l.heat_map().into(),
        legend: l.heat_legend().into(),
        row_title: l.likelihood().into(),
        col_title: l.severity().into(),
        rows: m
            .likelihood
            .iter()
            .map(|x| x.label(r.lang).into())
            .collect(),
        cols: m.severity.iter().map(|x| x.label(r.lang).into()).collect(),
        cells: m
            .counts
            .iter()
            .zip(&m.priority)
            .map(|(counts, prios)| {
                counts
                    .iter()
                    .zip(prios)
                    .map(|(&count, &priority)| HeatCell {
                        count,
                        priority,
                        label: priority.label(r.lang).into(),
                    })
                    .collect()
            })
            .collect(),
    }
}

fn plan(r: &Report, l: &L) -> Section {
    let mut s = section(id::PLAN, l.plan(), 1);
    if r.plan.is_empty() {
        s.blocks
            .push(Block::Para(Text::plain(labels::empty_plan(r))));
        return s;
    }
    s.blocks.push(Block::Small(Text::plain(l.plan_intro())));
    let rows = r
        .actions
        .iter()
        .map(|a| Row {
            anchor: Some(action_anchor(a.rank)),
            cells: vec![
                Cell::text(a.rank.to_string()),
                Cell::badge(a.priority, r.lang),
                Cell::lines(action_what(a, r, true)),
                Cell::lines(owner_lines(a, r, l)),
            ],
        })
        .collect();
    s.blocks.push(Block::Table(Table {
        columns: vec![
            col("#", 0.05),
            col(l.priority(), 0.11),
            col(l.what_to_fix(), 0.6),
            col(
                &format!("{} / {} / {}", l.owner(), l.due(), l.status()),
                0.24,
            ),
        ],
        rows,
    }));
    s.blocks.push(Block::Heading(
        r.lang
            .pick("Plan items by priority", "優先度順の改善項目")
            .into(),
    ));
    let rows = r
        .plan
        .iter()
        .map(|p| {
            let mut bp = Text(vec![
                Span::styled(&p.bp_id, Style::Strong).link(Link::Anchor(bp_anchor(&p.bp_id))),
                Span::plain(format!(" {}", p.title)),
            ]);
            if p.kind == PlanKind::Contradiction {
                bp.0.push(Span::styled(
                    format!(" ▲{}", labels::kind(p.kind, r.lang)),
                    Style::Alert,
                ));
            }
            let actions: Vec<Span> = p
                .actions
                .iter()
                .map(|n| Span::plain(format!("#{n} ")).link(Link::Anchor(action_anchor(*n))))
                .collect();
            Row {
                anchor: None,
                cells: vec![
                    Cell::text(p.rank.to_string()),
                    Cell::badge(p.priority, r.lang),
                    Cell::lines(vec![bp]),
                    Cell::text(p.risk.label(r.lang)),
                    Cell::text(&p.evidence_summary),
                    Cell::lines(vec![Text(actions)]),
                ],
            }
        })
        .collect();
    s.blocks.push(Block::Table(Table {
        columns: vec![
            col("#", 0.05),
            col(l.priority(), 0.11),
            col("BP", 0.34),
            col(l.risk(), 0.08),
            col(l.evidence(), 0.32),
            col(l.action(), 0.1),
        ],
        rows,
    }));
    s
}

fn follow_ups(r: &Report, l: &L) -> Section {
    let mut s = section(id::FOLLOW_UPS, l.follow_ups(), 1);
    if r.follow_ups.is_empty() {
        s.blocks.push(Block::Para(Text::plain(l.no_follow_ups())));
        return s;
    }
    s.blocks
        .push(Block::Small(Text::plain(l.follow_ups_intro())));
    let rows = r
        .follow_ups
        .iter()
        .map(|f| {
            let mut bp = vec![
                Text(vec![
                    Span::styled(&f.bp_id, Style::Strong).link(Link::Anchor(bp_anchor(&f.bp_id))),
                    Span::plain(format!(" {}", f.bp_title)),
                ]),
                Text(vec![Span::styled(
                    labels::bp_state(f.bp_state, r.lang),
                    Style::Muted,
                )]),
            ];
            if let Some(rank) = f.actions.first() {
                bp[1]
                    .0
                    .push(Span::styled(format!(" · {} ", l.action()), Style::Muted));
                bp[1]
                    .0
                    .push(Span::plain(format!("#{rank}")).link(Link::Anchor(action_anchor(*rank))));
            }
            let due = match (&f.due, f.overdue) {
                (Some(d), true) => Text(vec![
                    Span::styled(d, Style::Alert),
                    Span::styled(format!(" {}", overdue_mark(r.lang)), Style::Alert),
                ]),
                (Some(d), false) => Text::plain(d),
                (None, _) => Text(vec![Span::styled(l.no_due(), Style::Muted)]),
            };
            let owner = if f.owner.is_empty() {
                Text(vec![Span::styled(l.unassigned(), Style::Alert)])
            } else {
                Text::plain(&f.owner)
            };
            let status = match f.status {
                ActionStatus::Done | ActionStatus::WontDo => {
                    Text(vec![Span::styled(&f.status_label, Style::Muted)])
                }
                _ => Text::plain(&f.status_label),
            };
            Row {
                anchor: None,
                cells: vec![
                    Cell::lines(bp),
                    Cell::lines(vec![Text::plain(&f.text)]),
                    Cell::lines(vec![owner]),
                    Cell::lines(vec![due]),
                    Cell::lines(vec![status]),
                ],
            }
        })
        .collect();
    s.blocks.push(Block::Table(Table {
        columns: vec![
            col(l.best_practice(), 0.3),
            col(l.action(), 0.34),
            col(l.owner(), 0.13),
            col(l.due(), 0.12),
            col(l.status(), 0.11),
        ],
        rows,
    }));
    s
}

/// How many evidence items a BP row lists on its question page; the rest
/// are counted and left to Appendix A.
const EVIDENCE_PER_BP: usize = 6;

fn questions(r: &Report, l: &L) -> Vec<Section> {
    let mut intro = section(id::QUESTIONS, l.questions(), 1);
    intro
        .blocks
        .push(Block::Small(Text::plain(l.questions_intro())));
    let mut out = vec![intro];
    for q in &r.questions {
        let mut s = section(&q.id, &format!("{} {}", q.id, q.title), 2);
        let (d, a) = (&q.declared, &q.evidence_adjusted);
        let mut facts = vec![
            (
                l.topic().to_string(),
                Text::plain(format!("{} · {}", q.topic, q.area)),
            ),
            (
                paren(l.lang, l.risk(), l.declared()),
                Text::plain(format!(
                    "{} · {} {}",
                    d.risk_label,
                    l.score(),
                    labels::score_text(d.score)
                )),
            ),
        ];
        if (a.risk, a.score) != (d.risk, d.score) {
            facts.push((
                paren(l.lang, l.risk(), l.adjusted()),
                Text(vec![Span::styled(
                    format!(
                        "{} · {} {}",
                        a.risk_label,
                        l.score(),
                        labels::score_text(a.score)
                    ),
                    Style::Alert,
                )]),
            ));
        }
        facts.push((
            l.answers().to_string(),
            Text::plain(format!(
                "{}/{} {}",
                q.selected,
                q.applicable,
                l.in_place_count()
            )),
        ));
        if let Some(reason) = &q.not_applicable {
            facts.push((
                l.question_na().to_string(),
                Text::plain(format!("{}: {reason}", l.reason())),
            ));
        }
        s.blocks.push(Block::Facts(facts));
        if !q.notes.is_empty() {
            s.blocks.push(Block::Note {
                label: l.notes().into(),
                text: q.notes.clone(),
            });
        }
        s.blocks.push(Block::Table(bp_table(r, l, q)));
        let in_plan: Vec<_> = q
            .best_practices
            .iter()
            .filter(|b| b.plan_rank.is_some())
            .collect();
        if !in_plan.is_empty() {
            s.blocks.push(Block::Heading(l.how_to_improve().into()));
        }
        for b in in_plan {
            let p = r.plan.iter().find(|p| p.bp_id == b.id);
            let badge = p.map(|p| {
                (
                    Tone::from(p.priority),
                    format!("#{} {}", p.rank, p.priority.label(r.lang)),
                )
            });
            let mut head = Text(vec![Span::styled(
                format!("{} {}", b.id, b.title),
                Style::Strong,
            )]);
            head.0.push(Span::plain(" · "));
            head.0
                .push(Span::plain(l.guidance()).link(Link::Url(b.url.clone())));
            if !b.actions.is_empty() {
                head.0
                    .push(Span::styled(format!(" · {} ", l.action()), Style::Muted));
                for n in &b.actions {
                    head.0
                        .push(Span::plain(format!("#{n} ")).link(Link::Anchor(action_anchor(*n))));
                }
            }
            s.blocks.push(Block::Steps {
                anchor: steps_anchor(&b.id),
                badge,
                head,
                steps: b.how_to_improve.clone(),
            });
        }
        out.push(s);
    }
    out
}

fn bp_table(r: &Report, l: &L, q: &crate::model::QuestionResult) -> Table {
    let rows = q
        .best_practices
        .iter()
        .map(|b| {
            let mut head = vec![Text(vec![
                Span::styled(&b.id, Style::Strong).link(Link::Url(b.url.clone())),
                Span::plain(format!(" {}", b.title)),
            ])];
            if b.contradiction {
                head.push(Text(vec![Span::styled(
                    format!("▲ {}", labels::kind(PlanKind::Contradiction, r.lang)),
                    Style::Alert,
                )]));
            }
            let mut state = vec![Text(vec![Span::styled(
                match b.state {
                    BpState::InPlace => format!("● {}", b.state_label),
                    BpState::NotInPlace => format!("○ {}", b.state_label),
                    _ => b.state_label.clone(),
                },
                if b.state == BpState::InPlace {
                    Style::Strong
                } else {
                    Style::Plain
                },
            )])];
            if let Some(na) = &b.na_reason {
                state.push(Text::plain(format!("{}: {na}", l.reason())));
            }
            let mut ev: Vec<Text> = Vec::new();
            if !b.note.is_empty() {
                for (i, para) in b.note.split('\n').enumerate() {
                    let mut t = Text::default();
                    if i == 0 {
                        t.0.push(Span::styled(format!("{}: ", l.notes()), Style::Muted));
                    }
                    t.0.push(Span::plain(para.trim_end_matches('\r')));
                    ev.push(t);
                }
            }
            for id in &b.follow_ups {
                if let Some(f) = r.follow_up(id) {
                    let mut t = Text(vec![Span::styled(
                        format!("{}: ", l.action()),
                        Style::Muted,
                    )]);
                    t.0.push(Span::plain(format!(
                        "{} ({}, {}, {})",
                        f.text,
                        dash(&f.owner),
                        f.due.as_deref().unwrap_or("-"),
                        f.status_label
                    )));
                    if f.overdue {
                        t.0.push(Span::styled(
                            format!(" {}", overdue_mark(r.lang)),
                            Style::Alert,
                        ));
                    }
                    ev.push(t);
                }
            }
            for &i in b.evidence_items.iter().take(EVIDENCE_PER_BP) {
                let e = &r.evidence[i];
                let mut s = format!("{}: {}", e.check, e.summary);
                if !e.resources.is_empty() {
                    s = paren(r.lang, &s, &e.resources.join(", "));
                    if e.more_resources > 0 {
                        s.push_str(&format!(" +{}", e.more_resources));
                    }
                }
                ev.push(Text(vec![
                    Span::styled(
                        format!("[{}] ", labels::status(e.status, r.lang)),
                        if e.status == EvidenceStatus::Fail {
                            Style::Alert
                        } else {
                            Style::Muted
                        },
                    ),
                    Span::plain(s),
                ]));
            }
            if b.evidence_items.len() > EVIDENCE_PER_BP {
                ev.push(Text(vec![
                    Span::styled(
                        format!(
                            "+{} {} ",
                            b.evidence_items.len() - EVIDENCE_PER_BP,
                            l.more()
                        ),
                        Style::Muted,
                    ),
                    Span::plain(l.appendix_evidence()).link(Link::PageOf(id::EVIDENCE.into())),
                ]));
            }
            if ev.is_empty() {
                ev.push(Text::plain("-"));
            }
            Row {
                anchor: Some(bp_anchor(&b.id)),
                cells: vec![
                    Cell::lines(head),
                    Cell::text(b.risk.label(r.lang)),
                    Cell::lines(state),
                    Cell::lines(ev),
                ],
            }
        })
        .collect();
    Table {
        columns: vec![
            col(l.best_practice(), 0.3),
            col(l.risk(), 0.08),
            col(l.answers(), 0.16),
            col(
                &format!("{} / {} / {}", l.notes(), l.action(), l.evidence()),
                0.46,
            ),
        ],
        rows,
    }
}

fn about(r: &Report, l: &L) -> Section {
    let mut s = section(id::ABOUT, l.about(), 1);
    let w = &r.workload;
    let mut facts = vec![
        (l.workload(), w.name.clone()),
        (l.environment(), w.environment.clone()),
        (l.owner(), dash(&w.owner)),
        (l.review_date(), w.review_date.clone()),
        (l.generated(), r.generated.clone()),
        (l.reviewers(), dash(&w.reviewers.join(", "))),
        (l.accounts(), dash(&w.accounts.join(", "))),
        (l.regions(), dash(&w.regions.join(", "))),
        (
            l.framework(),
            format!(
                "{}, {}",
                paren(r.lang, &r.framework, &r.framework_version),
                r.pillar
            ),
        ),
    ];
    if !w.description.is_empty() {
        facts.push((l.description(), w.description.clone()));
    }
    s.blocks.push(Block::Facts(
        facts
            .into_iter()
            .map(|(k, v)| (k.to_string(), Text::plain(v)))
            .collect(),
    ));
    s
}

fn method(r: &Report, l: &L) -> Section {
    let mut s = section(id::METHOD, l.how_to_read(), 1);
    s.blocks.push(Block::Para(Text::plain(l.method())));
    let levels = [Level::Critical, Level::High, Level::Medium, Level::Low];
    let sev = [Level::Low, Level::Medium, Level::High];
    let rows = levels
        .iter()
        .map(|lk| Row {
            anchor: None,
            cells: std::iter::once(Cell::lines(vec![Text::strong(lk.label(r.lang))]))
                .chain(
                    sev.iter()
                        .map(|sv| Cell::badge(wasec_core::scoring::priority(*lk, *sv), r.lang)),
                )
                .collect(),
        })
        .collect();
    s.blocks.push(Block::Heading(
        r.lang.pick("Priority matrix", "優先度のマトリクス").into(),
    ));
    s.blocks.push(Block::Table(Table {
        columns: std::iter::once(col(
            &format!("{} \\ {}", l.likelihood(), l.severity()),
            0.31,
        ))
        .chain(sev.iter().map(|sv| col(sv.label(r.lang), 0.23)))
        .collect(),
        rows,
    }));
    s.blocks.push(Block::Small(Text::plain(l.heat_legend())));
    s
}

fn evidence(r: &Report, l: &L) -> Section {
    let mut s = section(id::EVIDENCE, l.appendix_evidence(), 1);
    if r.evidence.is_empty() {
        s.blocks
            .push(Block::Para(Text::plain(l.no_evidence_items())));
        return s;
    }
    let k = &r.evidence_counts;
    s.blocks.push(Block::Small(Text::plain(format!(
        "{}: {} · {} · {} · {} · {}",
        l.evidence(),
        k.total(),
        labels::count_status(k.fail, EvidenceStatus::Fail, r.lang),
        labels::count_status(k.pass, EvidenceStatus::Pass, r.lang),
        labels::count_status(k.unknown, EvidenceStatus::Unknown, r.lang),
        labels::count_status(k.not_applicable, EvidenceStatus::NotApplicable, r.lang),
    ))));
    let rows = r
        .evidence
        .iter()
        .map(|e| {
            let status = labels::status(e.status, r.lang);
            let status = match e.status {
                EvidenceStatus::Fail => Cell {
                    lines: vec![Text::strong(status)],
                    badge: Some(Tone::Critical),
                },
                EvidenceStatus::Pass => Cell {
                    lines: vec![Text::plain(status)],
                    badge: Some(Tone::Low),
                },
                _ => Cell::text(status),
            };
            let mut res: Vec<Text> = e.resources.iter().map(Text::plain).collect();
            if e.more_resources > 0 {
                res.push(Text::plain(format!("+{} {}", e.more_resources, l.more())));
            }
            if res.is_empty() {
                res.push(Text::plain("-"));
            }
            let mut summary = vec![Text::plain(&e.summary)];
            if e.public {
                summary.push(Text(vec![Span::styled(
                    r.lang
                        .pick("reachable from the internet", "インターネットから到達可能"),
                    Style::Alert,
                )]));
            }
            let mut place = vec![Text::plain(dash(&e.region))];
            if !e.account.is_empty() {
                place.push(Text::plain(&e.account));
            }
            place.push(Text::plain(e.bps.join(", ")));
            Row {
                anchor: None,
                cells: vec![
                    Cell::text(&e.check),
                    status,
                    Cell::lines(summary),
                    Cell::lines(res),
                    Cell::lines(place),
                ],
            }
        })
        .collect();
    s.blocks.push(Block::Table(Table {
        columns: vec![
            col(l.check(), 0.2),
            col(l.status(), 0.09),
            col(l.summary(), 0.29),
            col(l.resources(), 0.25),
            col(&format!("{} / BP", l.region()), 0.17),
        ],
        rows,
    }));
    s
}

fn mappings(r: &Report, l: &L) -> Section {
    let mut s = section(id::MAPPINGS, l.appendix_mappings(), 1);
    s.blocks.push(Block::Small(Text::plain(l.mappings_intro())));
    let rows = r
        .mappings
        .iter()
        .map(|m| Row {
            anchor: None,
            cells: vec![
                Cell::text(format!("{} {}", m.bp_id, m.title)),
                Cell::text(labels::bp_state(m.state, r.lang)),
                Cell::text(dash(&m.security_hub.join(", "))),
                Cell::text(dash(&m.cis_v3.join(", "))),
                Cell::text(dash(&m.cyber_trust.join(", "))),
            ],
        })
        .collect();
    s.blocks.push(Block::Table(Table {
        columns: vec![
            col(l.best_practice(), 0.38),
            col(l.status(), 0.12),
            col(l.security_hub(), 0.18),
            col(l.cis(), 0.16),
            col(l.cyber_trust(), 0.16),
        ],
        rows,
    }));
    s
}
