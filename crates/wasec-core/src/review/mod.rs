//! A review in progress: the model, the operations every front end uses to
//! change it, and crash-safe storage.

mod comments;
mod model;
mod ops;
mod store;
pub mod sync;

pub use model::*;
pub use ops::{AnswerError, check_bp_in_question};
pub use store::{
    ReviewFile, StoreError, backup_path, load, parse, read_limited, render, write_atomic,
};
