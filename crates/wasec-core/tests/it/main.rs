//! wasec-core's integration tests as one binary (one link instead of six).

mod bank;
mod follow_ups;
mod glossary;
mod mutations;
mod scoring;
mod store;
