//! Report rendering time. Targets: the demo and the stress review in under
//! 1 s each (and under 600 KB), a review with 2,000 evidence items in under
//! 3 s. Sizes are printed once before the timings.
//!
//! `cargo bench -p wasec-report`

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use wasec_core::{Bank, Lang};
use wasec_report::{Format, Options, build, render, sample};

fn bench(c: &mut Criterion) {
    let bank = Bank::embedded().unwrap();
    let today = time::macros::date!(2026 - 12 - 01);
    let demo = wasec_core::demo::review(&bank).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/stress.yaml");
    let stress =
        wasec_core::review::parse(&std::fs::read_to_string(path).unwrap(), path, &bank).unwrap();
    let big = sample::review(&bank, 2000);
    let opts = Options::default();

    let mut g = c.benchmark_group("report");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    for (name, review) in [("demo", &demo), ("stress", &stress), ("evidence2000", &big)] {
        for lang in Lang::ALL {
            let report = build(&bank, review, lang, today);
            let bytes = render(&report, Format::Pdf, &opts).unwrap();
            let pages = lopdf::Document::load_mem(&bytes).unwrap().get_pages().len();
            println!(
                "{name}/{lang}: PDF {} bytes ({} KB), {pages} pages",
                bytes.len(),
                bytes.len().div_ceil(1024)
            );
            g.bench_function(format!("pdf/{name}/{lang}"), |b| {
                b.iter(|| {
                    // Model and rendering together: what `wasec report` does.
                    let report = build(&bank, black_box(review), lang, today);
                    render(&report, Format::Pdf, &opts).unwrap()
                })
            });
        }
    }
    let report = build(&bank, &big, Lang::En, today);
    for f in [Format::Markdown, Format::Html, Format::Csv, Format::Json] {
        g.bench_function(format!("{}/evidence2000/en", f.extension()), |b| {
            b.iter(|| render(black_box(&report), f, &opts).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
