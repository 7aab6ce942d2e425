//! The question bank: every question and best practice of the pillar, in
//! English and Japanese, with WA Tool ids, risk levels and the evidence
//! checks that inform each best practice.

mod load;
mod model;

pub use load::{BankError, valid_check_id, valid_control_id};
pub use model::*;
