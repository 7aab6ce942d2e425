//! wasec-evidence (under construction in this session).
