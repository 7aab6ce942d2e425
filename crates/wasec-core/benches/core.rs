//! Start-up and per-change costs every front end pays: parsing the
//! embedded bank, parsing a review, and scoring + planning a review with
//! 2,000 evidence items.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wasec_core::review::{EvidenceItem, EvidenceStatus};
use wasec_core::{Bank, demo, review, scoring};

fn big_review(bank: &Bank) -> wasec_core::Review {
    let mut r = demo::review(bank).unwrap();
    let checks = bank.check_ids();
    let template = r.evidence[0].clone();
    for i in 0..2000 {
        r.evidence.push(EvidenceItem {
            check: checks[i % checks.len()].to_string(),
            status: if i % 7 == 0 {
                EvidenceStatus::Fail
            } else {
                EvidenceStatus::Pass
            },
            summary: format!("resource {i}"),
            resources: vec![format!("arn:aws:s3:::bucket-{i}")],
            ..template.clone()
        });
    }
    r
}

fn benches(c: &mut Criterion) {
    c.bench_function("bank: parse and validate the embedded bank", |b| {
        b.iter(|| black_box(Bank::embedded().unwrap()))
    });
    let bank = Bank::embedded().unwrap();
    let big = big_review(&bank);
    let text = review::render(&big);
    c.bench_function("review: parse 2,000 evidence items", |b| {
        b.iter(|| black_box(review::parse(&text, "big.yaml", &bank).unwrap()))
    });
    c.bench_function("scoring: score + plan with 2,000 evidence items", |b| {
        b.iter(|| {
            black_box(scoring::score(&bank, &big));
            black_box(scoring::plan(&bank, &big));
        })
    });
}

criterion_group!(core, benches);
criterion_main!(core);
