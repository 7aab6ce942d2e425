//! wasec-report (under construction in this session).
