//! wasec's test kit (dev-only): a stateful double of the AWS
//! Well-Architected Tool REST API.
//!
//! moto has no Well-Architected backend, so wasec's sync is tested against
//! this double, started in process ([`Double::start`]) or as a standalone
//! server (`cargo run -p wasec-testkit --bin wa-tool-double -- --port N`)
//! for other clients: `scripts/wa_double_boto3.py` drives it with boto3,
//! which checks every request against AWS's own service model.
//!
//! It follows the service model (botocore
//! `wellarchitected/2020-03-31/service-2.json`): routes, field names,
//! length, count, enum and pattern limits, error shapes with their
//! required members. Workloads, idempotency tokens and page tokens are per
//! Region (taken from the SigV4 credential scope). Behaviour the model and
//! the API reference leave open is a documented guess (see the crate
//! README). It is a double of the documented API, not a copy of the
//! service, and was not checked against a live account.
//!
//! Operations: CreateWorkload, ListWorkloads, GetWorkload, UpdateWorkload,
//! GetLensReview, UpgradeLensReview, ListAnswers, GetAnswer, UpdateAnswer,
//! ListLensReviewImprovements, CreateMilestone, ListMilestones, and STS
//! GetCallerIdentity. Hooks ([`Double`] methods, or HTTP under
//! `/_double/`): call counts, injected throttling, 5xx, access denied and
//! conflicts (optionally after N good calls), a small page size, a
//! workload on an older (NOT_CURRENT or DEPRECATED) lens version, edits
//! made "in the console", profiles and review templates, forced risks.

pub mod api;
mod double;
pub mod http;
pub mod state;

pub use double::Double;
pub use state::{Config, Fault, LensSetup};
