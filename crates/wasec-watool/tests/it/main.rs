//! The real SDK client against the WA Tool double (wasec-testkit): one
//! test binary, grouped by topic.

mod common;
mod double;
mod failures;
mod inputs;
mod lens;
mod pull;
mod sync;
