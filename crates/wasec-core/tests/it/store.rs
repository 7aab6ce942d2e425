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
    let mut file = ReviewFile::create(&path, &r).unwrap();
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
    let next = review::SCHEMA_VERSION + 1;
    let text = review::render(&demo::review(&b).unwrap()).replace(
        &format!("schema_version: {}", review::SCHEMA_VERSION),
        &format!("schema_version: {next}"),
    ) + "future_field: {}\n";
    let err = review::parse(&text, "new.yaml", &b).unwrap_err();
    assert!(
        matches!(err, StoreError::NewerSchema { found, .. } if found == next),
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

/// A review file with one answer, created in a temporary folder.
fn saved(dir: &std::path::Path, name: &str) -> std::path::PathBuf {
    let b = bank();
    let path = dir.join(name);
    let mut r = Review::new("w", date!(2026 - 11 - 23));
    r.set_selected(&b, "SEC01-BP01", true).unwrap();
    ReviewFile::create(&path, &r).unwrap();
    path
}

#[cfg(unix)]
#[test]
fn saving_through_a_symlink_writes_the_target_and_keeps_the_link() {
    let b = bank();
    let dir = tempfile::tempdir().unwrap();
    let target = saved(dir.path(), "real.yaml");
    let link = dir.path().join("link.yaml");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let (mut file, mut r) = ReviewFile::open(&link, &b).unwrap();
    // One lock per file, whatever name it is opened by.
    assert!(matches!(
        ReviewFile::open(&target, &b),
        Err(StoreError::Locked { .. })
    ));
    r.set_selected(&b, "SEC02-BP01", true).unwrap();
    file.save(&r).unwrap();
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(review::load(&target, &b).unwrap().answer("SEC02").is_some());
    assert_eq!(file.path(), link, "messages name the path the user gave");
}

#[cfg(unix)]
#[test]
fn a_save_keeps_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let b = bank();
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "private.yaml");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
    let (mut file, mut r) = ReviewFile::open(&path, &b).unwrap();
    r.set_notes(&b, "SEC05", "SSH open on the bastion").unwrap();
    file.save(&r).unwrap();
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a private review stays private");
}

#[test]
fn a_hand_edit_is_never_overwritten_silently() {
    let b = bank();
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "r.yaml");
    let (mut file, mut r) = ReviewFile::open(&path, &b).unwrap();
    // Someone edits the file by hand while it is open.
    let edited = fs::read_to_string(&path)
        .unwrap()
        .replace("name: w", "name: renamed by hand");
    fs::write(&path, &edited).unwrap();
    r.set_selected(&b, "SEC03-BP01", true).unwrap();
    let err = file.save(&r).unwrap_err();
    assert!(matches!(err, StoreError::ChangedOnDisk { .. }), "{err}");
    assert!(err.to_string().contains("changed on disk"), "{err}");
    assert_eq!(fs::read_to_string(&path).unwrap(), edited, "untouched");
    // Reload takes the hand edit; a save then works.
    let mut again = file.reload(&b).unwrap();
    assert_eq!(again.workload.name, "renamed by hand");
    again.set_selected(&b, "SEC03-BP01", true).unwrap();
    file.save(&again).unwrap();
    // "Keep mine" overwrites on purpose and keeps the other version as .bak.
    fs::write(&path, fs::read_to_string(&path).unwrap() + "\n").unwrap();
    file.overwrite(&r).unwrap();
    assert_eq!(review::load(&path, &b).unwrap().workload.name, "w");
}

#[test]
fn comments_survive_a_save() {
    let b = bank();
    let dir = tempfile::tempdir().unwrap();
    let path = saved(dir.path(), "r.yaml");
    let text = fs::read_to_string(&path).unwrap().replace(
        "answers:\n",
        "# Agreed with the platform team on 2026-11-20\nanswers:\n",
    );
    fs::write(&path, text.replace("name: w", "name: w  # working title")).unwrap();
    let (mut file, mut r) = ReviewFile::open(&path, &b).unwrap();
    r.set_selected(&b, "SEC04-BP01", true).unwrap();
    file.save(&r).unwrap();
    let after = fs::read_to_string(&path).unwrap();
    assert!(
        after.contains("# Agreed with the platform team on 2026-11-20\nanswers:\n"),
        "{after}"
    );
    assert!(after.contains("name: w  # working title\n"), "{after}");
    assert!(review::load(&path, &b).unwrap().answer("SEC04").is_some());
}

#[cfg(unix)]
#[test]
fn reads_fail_fast_on_devices_pipes_and_huge_files() {
    let b = bank();
    let err = review::load(std::path::Path::new("/dev/zero"), &b).unwrap_err();
    assert!(matches!(err, StoreError::NotAFile { .. }), "{err}");
    assert!(
        err.to_string().starts_with("/dev/zero: not a regular file"),
        "{err}"
    );
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.yaml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let err = review::load(&fifo, &b).unwrap_err();
        assert!(err.to_string().contains("named pipe"), "{err}");
    }
    // A 5 GB (sparse) file: only the limit is read.
    let huge = dir.path().join("huge.yaml");
    fs::File::create(&huge)
        .unwrap()
        .set_len(5 * 1024 * 1024 * 1024)
        .unwrap();
    let err = review::load(&huge, &b).unwrap_err();
    assert!(matches!(err, StoreError::TooLarge { .. }), "{err}");
    assert!(err.to_string().contains("32 MiB limit"), "{err}");
}

#[test]
fn errors_name_the_users_path_and_the_real_cause() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("n.yaml");
    let err = ReviewFile::create(&path, &Review::new("w", date!(2026 - 11 - 23))).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert!(msg.contains("does not exist"), "{msg}");
    assert!(!msg.contains(".lock") && !msg.contains(".tmp-"), "{msg}");
    let err = wasec_core::review::write_atomic(&path, b"x").unwrap_err();
    assert!(!err.to_string().contains(".tmp-"), "{err}");
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[test]
fn old_files_get_follow_up_ids_and_the_same_ones_every_time() {
    let b = bank();
    let v1 = "schema_version: 1\nworkload:\n  name: w\n  created: 2026-11-23\nfollow_ups:\n  SEC02-BP01:\n  - text: one\n  - text: two\n";
    let a = review::parse(v1, "old.yaml", &b).unwrap();
    let again = review::parse(v1, "old.yaml", &b).unwrap();
    let ids: Vec<&str> = a.follow_ups["SEC02-BP01"]
        .iter()
        .map(|f| f.id.as_str())
        .collect();
    assert_eq!(ids.len(), 2);
    assert!(ids.iter().all(|id| id.len() >= 4), "{ids:?}");
    assert_ne!(ids[0], ids[1]);
    assert_eq!(a, again, "migration is deterministic");
    assert_eq!(a.schema_version, review::SCHEMA_VERSION);
    // Written back, the ids stay.
    let back = review::parse(&review::render(&a), "new.yaml", &b).unwrap();
    assert_eq!(back, a);
}
