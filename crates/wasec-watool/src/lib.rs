//! wasec-watool (under construction in this session).
