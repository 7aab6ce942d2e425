//! wasec-tui: the terminal UI of wasec (`wasec review FILE`, `wasec demo`).
//!
//! Structure: [`app`] holds the state, [`action`] lists every intent as
//! data, [`update`] applies actions (pure, no I/O), [`view`] draws the
//! state, [`keymap`] maps keys to actions and [`terminal`] owns the real
//! terminal and the event loop. Background work (evidence collection)
//! talks to the loop through [`msg::Msg`] on an mpsc channel.

pub mod action;
pub mod app;
pub mod editor;
#[doc(hidden)]
pub mod fixture;
pub mod keymap;
pub mod msg;
pub mod terminal;
pub mod text;
pub mod theme;
pub mod update;
pub mod view;

pub use action::{Action, Effect};
pub use app::App;
pub use msg::{Collector, Msg};
pub use terminal::run;
pub use update::update;
