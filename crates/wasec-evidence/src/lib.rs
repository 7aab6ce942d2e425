//! wasec evidence: read-only AWS checks whose results attach to the best
//! practices they prove or disprove.

pub mod check;
pub mod services;
