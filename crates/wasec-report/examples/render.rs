//! Render the demo review and the sample review in every format and both
//! languages into a directory, for looking at the layout:
//! `cargo run -p wasec-report --example render -- /tmp/out [evidence-count] [REVIEW.yaml...]`

use wasec_core::{Bank, Lang, Review};
use wasec_report::{Format, Options, build, render, sample};

fn main() {
    let mut args = std::env::args().skip(1);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "reports".into()));
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(60);
    std::fs::create_dir_all(&dir).unwrap();
    let bank = Bank::embedded().unwrap();
    let mut reviews: Vec<(String, Review)> = vec![
        ("demo".into(), wasec_core::demo::review(&bank).unwrap()),
        ("sample".into(), sample::review(&bank, n)),
    ];
    for path in args {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = std::path::Path::new(&path)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .to_string();
        reviews.push((
            name,
            wasec_core::review::parse(&text, &path, &bank).unwrap(),
        ));
    }
    let today = time::macros::date!(2026 - 12 - 01);
    for (name, review) in &reviews {
        for lang in Lang::ALL {
            let report = build(&bank, review, lang, today);
            for f in Format::ALL {
                let t = std::time::Instant::now();
                let bytes = render(&report, f, &Options::default()).unwrap();
                let path = dir.join(format!("{name}-{}.{}", lang.code(), f.extension()));
                std::fs::write(&path, &bytes).unwrap();
                println!(
                    "{} {} bytes in {:?}",
                    path.display(),
                    bytes.len(),
                    t.elapsed()
                );
            }
        }
    }
}
