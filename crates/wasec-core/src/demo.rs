//! The embedded demo review: a realistic workload that needs no AWS account.

use crate::bank::Bank;
use crate::review::{self, Review, StoreError};

/// The demo review's text, as shipped.
pub const DEMO_YAML: &str = include_str!("demo_review.yaml");

/// The demo review, parsed and checked against `bank`.
pub fn review(bank: &Bank) -> Result<Review, StoreError> {
    review::parse(DEMO_YAML, "<embedded demo review>", bank)
}
