//! Print the demo review as wasec writes it (useful to eyeball the format).
fn main() {
    let bank = wasec_core::Bank::embedded().expect("bank");
    let review = wasec_core::demo::review(&bank).expect("demo");
    print!("{}", wasec_core::review::render(&review));
}
