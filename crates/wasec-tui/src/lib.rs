//! wasec-tui (under construction in this session).
