//! (to be written: see check.rs for the contract)

use super::ServiceCtx;
use crate::check::{CheckMeta, Finding};

pub const CHECKS: &[CheckMeta] = &[];

pub async fn collect(_cx: &ServiceCtx) -> Vec<Finding> {
    Vec::new()
}
