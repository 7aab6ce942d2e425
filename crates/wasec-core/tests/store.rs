//! Review files: round trip, atomic save with backup, locking, and refusal
//! of files this build cannot represent.

use std::fs;
use time::macros::date;
use wasec_core::review::{self, ReviewFile, StoreError, backup_path};
use wasec_core::{Bank, Review, demo};

fn bank() -> Bank {
    Bank::embedded().unwrap()
}

#[test]
fn demo_round_trips_through_yaml() {
    let b = bank();
    let r = demo::review(&b).unwrap();
    let text = review::render(&r);
    let back = review::parse(&text, "x.yaml", &b).unwrap();
    assert_eq!(back, r);
    // Human-readable and diff-friendly: block style, one key per line.
    assert!(text.contains("\nanswers:\n"), "{text}");
    assert!(text.contains("SEC01-BP01"));
}

#[test]
fn save_is_atomic_and_keeps_a_backup() {
    let b = bank();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.yaml");
    let mut r = Review::new("w", date!(2026 - 11 - 23));
    let file = ReviewFile::create(&path, &r).unwrap();
    r.set_selected(&b, "SEC01-BP01", true).unwrap();
    file.save(&r).unwrap();
    let backup = review::load(&backup_path(&path), &b).unwrap();
    assert!(
        backup.answers.is_empty(),
        "backup holds the previous version"
    );
    assert!(review::load(&path, &b).unwrap().answer("SEC01").is_some());
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn create_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.yaml");
    fs::write(&path, "keep me").unwrap();
    let r = Review::new("w", date!(2026 - 11 - 23));
    assert!(matches!(
        ReviewFile::create(&path, &r),
        Err(StoreError::Exists(_))
    ));
    assert_eq!(fs::read_to_string(&path).unwrap(), "keep me");
}

#[test]
fn a_second_writer_is_refused_until_the_first_closes() {
    let b = bank();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.yaml");
    let first = ReviewFile::create(&path, &Review::new("w", date!(2026 - 11 - 23))).unwrap();
    let err = ReviewFile::open(&path, &b).unwrap_err();
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
    assert!(
        err.to_string()
            .contains(&format!("pid {}", std::process::id())),
        "{err}"
    );
    // Readers are never blocked.
    assert!(review::load(&path, &b).is_ok());
    drop(first);
    assert!(ReviewFile::open(&path, &b).is_ok());
}

#[test]
fn newer_schema_is_refused_with_a_clear_message() {
    let b = bank();
    let text = review::render(&demo::review(&b).unwrap())
        .replace("schema_version: 1", "schema_version: 2")
        + "future_field: {}\n";
    let err = review::parse(&text, "new.yaml", &b).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 2, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("Upgrade wasec"));
}

#[test]
fn unknown_best_practice_ids_are_refused() {
    let b = bank();
    let text = review::render(&demo::review(&b).unwrap()).replace("SEC10-BP01", "SEC10-BP99");
    let err = review::parse(&text, "r.yaml", &b).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("unknown best practice id 'SEC10-BP99'"),
        "{msg}"
    );
}

#[test]
fn unknown_fields_in_a_review_are_refused_with_position() {
    let b = bank();
    let text = "schema_version: 1\nworkload:\n  name: w\n  created: 2026-11-23\n  colour: red\n";
    match review::parse(text, "r.yaml", &b).unwrap_err() {
        StoreError::Yaml(e) => {
            assert_eq!(e.line, Some(5), "{e}");
            assert!(e.message.contains("colour"));
        }
        other => panic!("{other}"),
    }
}

#[test]
fn multi_line_and_japanese_notes_survive_a_round_trip() {
    let b = bank();
    let mut r = Review::new("w", date!(2026 - 11 - 23));
    let notes = "一行目: 決済データの分類。\n  indented line with trailing spaces  \n\n最後の行 \"quoted\" # not a comment";
    r.set_notes(&b, "SEC07", notes).unwrap();
    let back = review::parse(&review::render(&r), "r.yaml", &b).unwrap();
    assert_eq!(back.answer("SEC07").unwrap().notes, notes);
}
