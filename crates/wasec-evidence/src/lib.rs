//! wasec evidence: read-only AWS checks whose results attach to the best
//! practices they prove or disprove.
//!
//! Layout: `check` (findings and API failures), `services/*` (one module
//! per AWS service and scope), `registry` (all modules in one list; which
//! checks a module reports comes from the catalogue in `wasec_core`),
//! `policy` (the IAM policy generated from the catalogue), `clients` (SDK
//! config, retries, timeouts, request counting, one place that makes
//! clients), `contact` (first-contact errors in plain words), `runner`
//! (bounded concurrency over modules and regions), `collect` (a whole run)
//! and `apply` (evidence into the review, suggestions and contradictions).

pub mod apply;
pub mod check;
pub mod clients;
pub mod collect;
pub mod contact;
pub mod hub_source;
pub mod multi;
pub mod org;
pub mod policy;
pub mod registry;
pub mod runner;
pub mod services;
pub mod util;

pub use collect::{CollectOptions, Outcome, RegionChoice, collect, collect_blocking, collect_with};
