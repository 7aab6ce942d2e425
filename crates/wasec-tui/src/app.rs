//! The application state. Everything the views draw is here; `update`
//! is the only code that changes it.

use crate::editor::TextEditor;
use crate::msg::Collector;
use crate::theme::Theme;
use std::collections::HashMap;
use wasec_core::bank::{BestPractice, Question, Risk};
use wasec_core::review::{FollowUp, NaReason};
use wasec_core::scoring::{self, BpEvidence, EvidenceSummary, Level, PlanItem, Scorecard};
use wasec_core::{Bank, Lang, Review};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Review,
    Dashboard,
    Facilitator,
    /// One row per AWS account with evidence: its evidence-adjusted score
    /// and question risks, and its most urgent action.
    Accounts,
}

/// One account's standing, as the accounts view shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountRow {
    pub account: String,
    pub score: Option<f64>,
    pub counts: wasec_core::review::RiskCounts,
    /// Evidence-adjusted risk per question, in bank order.
    pub risks: Vec<wasec_core::review::QuestionRisk>,
    /// Failing evidence items.
    pub failing: usize,
    /// The plan's first item for this account: BP and priority.
    pub top: Option<(String, Level)>,
}

impl AccountRow {
    /// Every account with evidence, scored on its own evidence (the
    /// standing comes from core, as in the reports).
    pub fn all(bank: &Bank, review: &Review) -> Vec<AccountRow> {
        scoring::by_account(bank, review)
            .into_iter()
            .map(|(account, s)| AccountRow {
                account,
                score: s.score,
                counts: s.counts,
                risks: s.risks,
                failing: s.failing,
                top: s.top.map(|t| (t.bp, t.priority)),
            })
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Questions,
    Bps,
    Detail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacilPane {
    Participants,
    Parking,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NaTarget {
    Bp(String),
    Question(String),
}

/// What the notes editor writes to: a question's notes or one BP's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotesTarget {
    Question(String),
    Bp(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinePurpose {
    Participant,
    Parking,
}

/// The follow-up action form: text, owner, due date (YYYY-MM-DD).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpForm {
    pub fields: [TextEditor; 3],
    pub focus: usize,
    pub error: Option<String>,
}

impl Default for FollowUpForm {
    fn default() -> Self {
        FollowUpForm {
            fields: [
                TextEditor::new("", false),
                TextEditor::new("", false),
                TextEditor::new("", false),
            ],
            focus: 0,
            error: None,
        }
    }
}

impl FollowUpForm {
    /// A form filled with an existing action, for editing it.
    pub fn from_action(f: &FollowUp) -> Self {
        let due = f.due.map(|d| d.to_string()).unwrap_or_default();
        FollowUpForm {
            fields: [
                TextEditor::new(&f.text, false),
                TextEditor::new(&f.owner, false),
                TextEditor::new(&due, false),
            ],
            focus: 0,
            error: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    /// Pick a not-applicable reason; `None` in `options` clears the mark.
    NaPicker {
        target: NaTarget,
        options: Vec<Option<NaReason>>,
        sel: usize,
    },
    FilterPicker {
        sel: usize,
    },
    Notes {
        target: NotesTarget,
        editor: TextEditor,
        /// The text when the editor opened: leaving with other text asks.
        original: String,
    },
    /// Add a follow-up (`index: None`) or edit the one at `index`;
    /// `from_list` returns to the follow-up list when done.
    FollowUp {
        bp: String,
        index: Option<usize>,
        from_list: bool,
        form: FollowUpForm,
        /// The form as it opened: leaving a changed form asks.
        original: Box<FollowUpForm>,
    },
    /// The follow-up actions of one BP: change status, edit, delete, add.
    FollowUps {
        bp: String,
        sel: usize,
    },
    Search {
        input: TextEditor,
    },
    Line {
        purpose: LinePurpose,
        input: TextEditor,
    },
    /// A question with a few answers (unsaved changes on quit, a file
    /// changed on disk, typed text about to be dropped). `resume` is the
    /// overlay to go back to (the editor whose text is in question).
    Choose {
        prompt: Prompt,
        options: Vec<Choice>,
        sel: usize,
        resume: Option<Box<Overlay>>,
    },
    /// Where to write the review instead (after a failed save).
    SaveAs {
        input: TextEditor,
        quit_after: bool,
    },
}

/// What a [`Overlay::Choose`] asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prompt {
    /// Quitting with changes that are not on disk.
    UnsavedQuit,
    /// The file changed on disk since it was read or written.
    ChangedOnDisk,
    /// Leaving an editor whose text changed.
    DiscardEdit,
}

/// One answer of a [`Overlay::Choose`], with its key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    RetrySave,
    SaveAs,
    QuitAnyway,
    Reload,
    KeepMine,
    SaveEdit,
    Discard,
    KeepEditing,
    Stay,
}

impl Choice {
    /// The letter that picks it (never j, k or q: those move and cancel).
    pub fn key(self) -> char {
        match self {
            Choice::RetrySave => 'r',
            Choice::SaveAs => 'a',
            Choice::QuitAnyway => 'Q',
            Choice::Reload => 'l',
            Choice::KeepMine => 'm',
            Choice::SaveEdit => 's',
            Choice::Discard => 'd',
            Choice::KeepEditing => 'e',
            Choice::Stay => 'c',
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Choice::RetrySave => lang.pick("retry the save", "もう一度保存する"),
            Choice::SaveAs => lang.pick("save as another file…", "別のファイルに保存…"),
            Choice::QuitAnyway => lang.pick(
                "quit without saving (a rescue copy is written)",
                "保存せずに終了（救出用コピーを書き出します）",
            ),
            Choice::Reload => lang.pick(
                "load the file from disk (your version stays in undo)",
                "ディスクのファイルを読み込む（自分の版は u で戻せます）",
            ),
            Choice::KeepMine => lang.pick(
                "keep mine: overwrite it (theirs is kept as .bak)",
                "自分の版で上書き（相手の版は .bak に残ります）",
            ),
            Choice::SaveEdit => lang.pick("save the text", "入力内容を保存"),
            Choice::Discard => lang.pick("discard the text", "入力内容を破棄"),
            Choice::KeepEditing => lang.pick("keep editing", "編集を続ける"),
            Choice::Stay => lang.pick("cancel", "キャンセル"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterKind {
    Risk(Risk),
    Evidence(BpEvidence),
}

/// The choices of the filter picker, in order (`None` = show everything).
pub const FILTER_OPTIONS: [Option<FilterKind>; 8] = [
    None,
    Some(FilterKind::Risk(Risk::High)),
    Some(FilterKind::Risk(Risk::Medium)),
    Some(FilterKind::Risk(Risk::Low)),
    Some(FilterKind::Evidence(BpEvidence::Fail)),
    Some(FilterKind::Evidence(BpEvidence::Unknown)),
    Some(FilterKind::Evidence(BpEvidence::Pass)),
    Some(FilterKind::Evidence(BpEvidence::None)),
];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    pub text: String,
    pub kind: Option<FilterKind>,
}

impl Filter {
    pub fn is_active(&self) -> bool {
        !self.text.trim().is_empty() || self.kind.is_some()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// The demo: changes live in memory only.
    Memory,
    /// Opened, nothing changed yet.
    Clean,
    /// A change waits for the runtime to save it.
    Pending,
    Saved(String),
    Failed(String),
    /// The file changed on disk; nothing is written until the user decides.
    Conflict,
}

impl SaveState {
    /// Whether the review holds changes that are not on disk.
    pub fn unsaved(&self) -> bool {
        matches!(
            self,
            SaveState::Pending | SaveState::Failed(_) | SaveState::Conflict
        )
    }
}

/// Numbers derived from the review, recomputed after each change rather
/// than on every frame.
#[derive(Debug, Clone)]
pub struct Derived {
    pub card: Scorecard,
    pub plan: Vec<PlanItem>,
    pub evidence: HashMap<String, EvidenceSummary>,
    /// Plan items per cell, `[likelihood][severity]`, both indexed Low..Critical.
    pub matrix: [[usize; 4]; 4],
    pub answered: usize,
}

impl Derived {
    pub fn compute(bank: &Bank, review: &Review) -> Derived {
        let evidence = bank
            .bps()
            .map(|(_, b)| (b.id.clone(), scoring::evidence_summary(bank, review, &b.id)))
            .collect();
        let plan = scoring::plan(bank, review);
        let mut matrix = [[0; 4]; 4];
        for p in &plan {
            matrix[level_index(p.likelihood)][level_index(p.severity)] += 1;
        }
        let answered = bank
            .questions()
            .iter()
            .filter(|q| review.is_answered(bank, &q.id))
            .count();
        Derived {
            card: scoring::score(bank, review),
            plan,
            evidence,
            matrix,
            answered,
        }
    }

    pub fn bp_evidence(&self, bp: &str) -> BpEvidence {
        self.evidence
            .get(bp)
            .map(|s| s.status())
            .unwrap_or(BpEvidence::None)
    }
}

pub fn level_index(l: Level) -> usize {
    Level::ALL.iter().position(|x| *x == l).unwrap_or(0)
}

pub struct App {
    pub bank: Bank,
    pub review: Review,
    pub lang: Lang,
    pub theme: Theme,
    /// File name shown in the status line.
    pub label: String,
    /// False for the demo: nothing is written to disk.
    pub persistent: bool,
    pub view: View,
    pub focus: Pane,
    pub q_idx: usize,
    /// Index into `visible_bps()`.
    pub bp_idx: usize,
    pub detail_scroll: u16,
    pub dash_idx: usize,
    pub facil_pane: FacilPane,
    pub facil_idx: usize,
    pub overlay: Option<Overlay>,
    pub filter: Filter,
    pub undo: Vec<Review>,
    pub redo: Vec<Review>,
    pub save: SaveState,
    /// A one-off message for the status line (cleared by the next key).
    pub message: Option<String>,
    pub timer_running: bool,
    /// Timer seconds not yet written to disk.
    pub unsaved_secs: u64,
    /// Evidence collection progress while it runs.
    pub progress: Option<String>,
    pub collector: Option<Box<dyn Collector>>,
    pub derived: Derived,
    /// A quit waits for the last save to succeed.
    pub quitting: bool,
    pub quit: bool,
    /// Where a rescue copy of unsaved changes was written, if one was.
    pub rescued: Option<String>,
    /// Today, for overdue follow-ups (set from the clock; tests fix it).
    pub today: time::Date,
    /// The accounts view's rows, computed while that view is shown (one
    /// scoring per account is too much to redo on every change otherwise).
    pub accounts: Vec<AccountRow>,
    pub acc_idx: usize,
}

/// How many undo steps are kept.
pub const UNDO_LIMIT: usize = 200;

impl App {
    /// A UI over `review`. `persistent` says whether changes are saved
    /// (false for the demo). Add a collector with [`App::with_collector`].
    pub fn new(
        bank: Bank,
        review: Review,
        lang: Lang,
        label: impl Into<String>,
        persistent: bool,
    ) -> App {
        let derived = Derived::compute(&bank, &review);
        App {
            bank,
            review,
            lang,
            theme: Theme::from_env(),
            label: label.into(),
            persistent,
            view: View::Review,
            focus: Pane::Bps,
            q_idx: 0,
            bp_idx: 0,
            detail_scroll: 0,
            dash_idx: 0,
            facil_pane: FacilPane::Parking,
            facil_idx: 0,
            overlay: None,
            filter: Filter::default(),
            undo: Vec::new(),
            redo: Vec::new(),
            save: if persistent {
                SaveState::Clean
            } else {
                SaveState::Memory
            },
            message: None,
            timer_running: false,
            unsaved_secs: 0,
            progress: None,
            collector: None,
            derived,
            quitting: false,
            quit: false,
            rescued: None,
            today: wasec_core::now().date(),
            accounts: Vec::new(),
            acc_idx: 0,
        }
    }

    pub fn with_collector(mut self, collector: Box<dyn Collector>) -> App {
        self.collector = Some(collector);
        self
    }

    pub fn with_theme(mut self, theme: Theme) -> App {
        self.theme = theme;
        self
    }

    pub fn question(&self) -> &Question {
        &self.bank.questions()[self.q_idx.min(self.bank.questions().len() - 1)]
    }

    /// The BPs the BP list shows, as (question index, BP index): the
    /// current question's, or with a filter active, every match in the bank.
    pub fn visible_bps(&self) -> Vec<(usize, usize)> {
        let qs = self.bank.questions();
        if !self.filter.is_active() {
            let qi = self.q_idx.min(qs.len() - 1);
            return (0..qs[qi].best_practices.len())
                .map(|bi| (qi, bi))
                .collect();
        }
        let needle = self.filter.text.trim().to_lowercase();
        let mut out = Vec::new();
        for (qi, q) in qs.iter().enumerate() {
            for (bi, b) in q.best_practices.iter().enumerate() {
                if self.matches(b, &needle) {
                    out.push((qi, bi));
                }
            }
        }
        out
    }

    fn matches(&self, b: &BestPractice, needle: &str) -> bool {
        let text_ok = needle.is_empty()
            || b.id.to_lowercase().contains(needle)
            || b.title.en.to_lowercase().contains(needle)
            || b.title.ja.contains(needle)
            || b.services.iter().any(|s| s.to_lowercase().contains(needle))
            // "What good looks like" names the controls (MFA, KMS, ...)
            // that titles often leave out.
            || b.good.en.to_lowercase().contains(needle)
            || b.good.ja.contains(needle);
        let kind_ok = match self.filter.kind {
            None => true,
            Some(FilterKind::Risk(r)) => b.risk == r,
            Some(FilterKind::Evidence(e)) => self.derived.bp_evidence(&b.id) == e,
        };
        text_ok && kind_ok
    }

    /// The focused BP and its question.
    pub fn focused_bp(&self) -> Option<(&Question, &BestPractice)> {
        let (qi, bi) = *self.visible_bps().get(self.bp_idx)?;
        let q = &self.bank.questions()[qi];
        Some((q, &q.best_practices[bi]))
    }
}
