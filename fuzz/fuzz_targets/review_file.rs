//! Any bytes as a review file: parse must return Ok or Err, never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static BANK: OnceLock<wasec_core::Bank> = OnceLock::new();
    let bank = BANK.get_or_init(|| wasec_core::Bank::embedded().expect("bank"));
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(review) = wasec_core::review::parse(text, "fuzz.yaml", bank) {
            // Whatever parses must render and parse back to the same review.
            let again = wasec_core::review::parse(&wasec_core::review::render(&review), "again.yaml", bank)
                .expect("rendered review parses");
            assert_eq!(again, review);
        }
    }
});
