//! A small, deterministic stand-in for the cargo-fuzz targets in `fuzz/`
//! (which need nightly): thousands of mutated question and review files
//! must each load or fail cleanly, and whatever loads must round-trip.

use wasec_core::{Bank, demo, review};

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TOKENS: [&str; 14] = [
    ":", "- ", "\n", "  ", "[", "]", "{", "}", "&a ", "*a", "\"", "'", "#", "? ",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(3) {
            0 if at < bytes.len() => {
                let end = (at + 1 + rng.below(40)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 => {
                let tok = TOKENS[rng.below(TOKENS.len())].as_bytes();
                bytes.splice(at..at, tok.iter().copied());
            }
            _ => {
                let from = rng.below(bytes.len());
                let end = (from + 1 + rng.below(60)).min(bytes.len());
                let piece: Vec<u8> = bytes[from..end].to_vec();
                bytes.splice(at.min(bytes.len())..at.min(bytes.len()), piece);
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

#[test]
fn mutated_review_files_load_or_fail_cleanly() {
    let bank = Bank::embedded().unwrap();
    let mut rng = Rng(0x5EC0_1BEE);
    let mut loaded = 0;
    for _ in 0..600 {
        let text = mutate(&mut rng, demo::DEMO_YAML);
        if let Ok(r) = review::parse(&text, "m.yaml", &bank) {
            loaded += 1;
            let again = review::parse(&review::render(&r), "again.yaml", &bank)
                .expect("rendered review parses");
            assert_eq!(again, r);
        }
    }
    assert!(
        loaded > 0,
        "no mutant parsed: the mutator is too destructive to test round trips"
    );
}

#[test]
fn mutated_question_files_load_or_fail_cleanly() {
    let lens = include_str!("../../../../questions/lens.yaml");
    let source = include_str!("../../../../questions/sec09.yaml");
    let mut rng = Rng(0xBA4C_0FFE);
    for _ in 0..600 {
        let text = mutate(&mut rng, source);
        let _ = Bank::from_sources(lens, &[("m.yaml", &text)]);
    }
}
