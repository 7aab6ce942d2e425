//! Messages from background work (evidence collection) to the UI loop, and
//! the hook a collector plugs into.

use std::sync::mpsc::Sender;
use wasec_core::Review;
use wasec_core::evidence::Run;

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// `done` of `total` checks finished; `label` names the current one.
    EvidenceProgress {
        done: usize,
        total: usize,
        label: String,
    },
    /// Collection ended: the run, ready to merge, or an error.
    EvidenceDone(Result<Box<Run>, String>),
}

/// Gathers evidence off the UI thread. `start` must return quickly: it
/// spawns its own work and reports through `tx`, ending with exactly one
/// `Msg::EvidenceDone`.
pub trait Collector: Send {
    fn start(&mut self, review: Review, tx: Sender<Msg>);
}

/// Any `FnMut(Review, Sender<Msg>)` closure is a collector.
impl<F> Collector for F
where
    F: FnMut(Review, Sender<Msg>) + Send,
{
    fn start(&mut self, review: Review, tx: Sender<Msg>) {
        self(review, tx)
    }
}
