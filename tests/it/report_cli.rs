//! `wasec report` end to end: formats, languages, default file names,
//! standard output, and errors.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::{Path, PathBuf};
use wasec_core::Bank;

fn wasec(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("wasec").unwrap();
    cmd.current_dir(dir)
        .env("LANG", "en_US.UTF-8")
        .env_remove("WASEC_LANG")
        .env_remove("WASEC_QUESTIONS")
        // 2026-11-23 00:00 UTC: the report date is fixed.
        .env("SOURCE_DATE_EPOCH", "1795392000");
    cmd
}

/// A review file with answers, follow-ups and evidence.
fn review_file(dir: &Path) -> PathBuf {
    let bank = Bank::embedded().unwrap();
    let review = wasec_report::sample::review(&bank, 25);
    let path = dir.join("payments.yaml");
    std::fs::write(&path, wasec_core::review::render(&review)).unwrap();
    path
}

#[test]
fn default_output_is_a_dated_file_under_reports() {
    let tmp = tempfile::tempdir().unwrap();
    let file = review_file(tmp.path());
    wasec(tmp.path())
        .args(["report", file.to_str().unwrap()])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "reports/payments-api-2026-11-23.pdf",
        ));
    let pdf = std::fs::read(tmp.path().join("reports/payments-api-2026-11-23.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    assert!(
        pdf.len() > 20_000 && pdf.len() < 500_000,
        "{} bytes",
        pdf.len()
    );
    // Japanese goes next to it instead of over it.
    wasec(tmp.path())
        .args([
            "--lang",
            "ja",
            "report",
            file.to_str().unwrap(),
            "--format",
            "md",
        ])
        .assert()
        .success();
    let md =
        std::fs::read_to_string(tmp.path().join("reports/payments-api-2026-11-23-ja.md")).unwrap();
    assert!(md.contains("## 改善計画"));
}

#[test]
fn every_format_renders_to_a_chosen_path() {
    let tmp = tempfile::tempdir().unwrap();
    let file = review_file(tmp.path());
    for (fmt, marker) in [
        ("md", "# Security Pillar Review"),
        ("html", "<!DOCTYPE html>"),
        ("csv", "rank,priority"),
        ("json", "\"schema\": \"wasec.report/2\""),
    ] {
        let out = tmp.path().join(format!("out/report.{fmt}"));
        wasec(tmp.path())
            .args([
                "report",
                file.to_str().unwrap(),
                "-f",
                fmt,
                "-o",
                out.to_str().unwrap(),
            ])
            .assert()
            .success();
        let text = std::fs::read_to_string(&out).unwrap();
        assert!(text.starts_with(marker) || text.contains(marker), "{fmt}");
    }
}

#[test]
fn demo_json_goes_to_stdout() {
    let tmp = tempfile::tempdir().unwrap();
    let out = wasec(tmp.path())
        .args(["report", "--demo", "--format", "json", "-o", "-"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["schema"], "wasec.report/2");
    assert_eq!(v["generated"], "2026-11-23");
    assert_eq!(v["questions"].as_array().unwrap().len(), 11);
    assert!(!tmp.path().join("reports").exists());
}

#[test]
fn errors_exit_2_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    wasec(tmp.path())
        .args(["report", "missing.yaml"])
        .assert()
        .code(2);
    let bad_font = tmp.path().join("font.ttf");
    std::fs::write(&bad_font, b"not a font").unwrap();
    wasec(tmp.path())
        .args([
            "report",
            "--demo",
            "--font",
            bad_font.to_str().unwrap(),
            "-o",
            "x.pdf",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("font"));
    wasec(tmp.path()).args(["report"]).assert().code(2);
}

#[test]
fn font_option_replaces_the_bundled_font() {
    let tmp = tempfile::tempdir().unwrap();
    let font = Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/fonts/BIZUDPGothic-Regular.ttf");
    wasec(tmp.path())
        .args([
            "--lang",
            "ja",
            "report",
            "--demo",
            "--font",
            font.to_str().unwrap(),
            "-o",
            "f.pdf",
        ])
        .assert()
        .success();
    let pdf = std::fs::read(tmp.path().join("f.pdf")).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // One face serves both weights, so the bold face is not embedded.
    let text = String::from_utf8_lossy(&pdf);
    assert!(!text.contains("BIZUDPGothic-Bold"));
    assert!(text.contains("BIZUDPGothic-Regular"));
}

/// The stress review (long mixed notes, eight follow-ups, two milestones)
/// renders in every format and both languages through the CLI.
#[test]
fn the_stress_review_renders_in_every_format_and_language() {
    let tmp = tempfile::tempdir().unwrap();
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("crates/wasec-report/tests/fixtures/stress.yaml");
    for lang in ["en", "ja"] {
        for fmt in ["pdf", "md", "html", "csv", "json"] {
            let out = tmp.path().join(format!("stress-{lang}.{fmt}"));
            wasec(tmp.path())
                .args([
                    "--lang",
                    lang,
                    "report",
                    file.to_str().unwrap(),
                    "-f",
                    fmt,
                    "-o",
                ])
                .arg(&out)
                .assert()
                .success();
            let bytes = std::fs::read(&out).unwrap();
            assert!(bytes.len() > 2_000, "{lang} {fmt}: {} bytes", bytes.len());
        }
        let csv = std::fs::read(tmp.path().join(format!("stress-{lang}.csv"))).unwrap();
        assert!(csv.starts_with(&[0xef, 0xbb, 0xbf]), "BOM by default");
    }
    let out = tmp.path().join("no-bom.csv");
    wasec(tmp.path())
        .args([
            "report",
            file.to_str().unwrap(),
            "-f",
            "csv",
            "--no-bom",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    assert!(std::fs::read(&out).unwrap().starts_with(b"rank,"));
}

/// `wasec plan` prints the same grouped actions as the reports, with the
/// agreed follow-up and the overdue flag (judged on the report date).
#[test]
fn plan_text_and_markdown_come_from_the_report_document() {
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("demo.yaml");
    wasec(tmp.path())
        .args(["demo", "--export"])
        .arg(&demo)
        .assert()
        .success();
    // 2026-12-01: the SSH follow-up (due 2026-11-27) is overdue.
    let text = wasec(tmp.path())
        .env("SOURCE_DATE_EPOCH", "1796083200")
        .args(["plan", demo.to_str().unwrap()])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.contains("1.") && first.contains("Critical") && first.contains("sg-0bastion"),
        "{first}"
    );
    assert!(
        text.contains("SEC05-BP02") && text.contains("SEC06-BP03"),
        "one action closes both"
    );
    assert!(text.contains("Ben Carter · 2026-11-27 OVERDUE"), "{text}");
    let md = wasec(tmp.path())
        .args(["plan", demo.to_str().unwrap(), "--markdown"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(md).unwrap();
    assert!(md.starts_with("| # | Priority | BP |"), "{md}");
    assert!(md.contains("#### Actions"));
}

#[test]
fn consolidated_rolls_up_many_reviews_and_names_a_bad_file() {
    let tmp = tempfile::tempdir().unwrap();
    let bank = Bank::embedded().unwrap();
    let a = review_file(tmp.path());
    let demo = wasec_core::demo::review(&bank).unwrap();
    let b = tmp.path().join("demo.yaml");
    std::fs::write(&b, wasec_core::review::render(&demo)).unwrap();
    wasec(tmp.path())
        .args(["report", "--consolidated"])
        .args([&a, &b])
        .args(["--format", "csv"])
        .assert()
        .success()
        .stdout(predicate::str::contains("reports/portfolio-2026-11-23.csv"));
    let csv = std::fs::read_to_string(tmp.path().join("reports/portfolio-2026-11-23.csv")).unwrap();
    let rows: Vec<&str> = csv.trim_end().split("\r\n").collect();
    assert_eq!(rows.len(), 3, "{csv}");
    assert!(csv.contains(&demo.workload.name), "{csv}");

    let out = wasec(tmp.path())
        .args(["report", "--consolidated"])
        .args([&a, &b])
        .args(["--format", "json", "-o", "-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["schema"], "wasec.portfolio/1");
    assert_eq!(json["workloads"].as_array().unwrap().len(), 2);

    // A missing file stops the run with its path; nothing is written.
    let missing = tmp.path().join("nope.yaml");
    wasec(tmp.path())
        .args(["report", "--consolidated"])
        .args([&a, &missing])
        .args(["--format", "md"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.yaml"));
    assert!(!tmp.path().join("reports/portfolio-2026-11-23.md").exists());
}
