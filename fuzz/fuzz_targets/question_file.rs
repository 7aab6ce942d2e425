//! Any bytes as a question file: the loader must return Ok or Err, never
//! panic, hang or run out of memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

const LENS: &str = include_str!("../../questions/lens.yaml");

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = wasec_core::Bank::from_sources(LENS, &[("fuzz.yaml", text)]);
    }
});
