//! Integration tests of wasec-evidence, in one binary (each test binary
//! links the whole AWS SDK): the catalogue against the bank and policy,
//! checks against a seeded moto server, and the retry policy against a
//! local stub server.

mod common;
mod moto;
mod org;
mod registry;
mod retries;
mod services_more;
mod stub;
