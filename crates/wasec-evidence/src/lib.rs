//! wasec evidence: read-only AWS checks whose results attach to the best
//! practices they prove or disprove.
//!
//! Layout: `check` (the contract), `services/*` (one module per AWS service,
//! metadata beside code), `registry` (all services in one list), `policy`
//! (the IAM policy generated from the registry), `clients` (SDK config,
//! retries, timeouts, request counting), `runner` (bounded concurrency over
//! services and regions), `collect` (a whole run) and `apply` (evidence into
//! the review, suggestions and contradictions).

pub mod apply;
pub mod check;
pub mod clients;
pub mod collect;
pub mod policy;
pub mod registry;
pub mod runner;
pub mod services;
pub mod util;

pub use collect::{Outcome, RegionChoice, collect, collect_blocking, collect_with};
