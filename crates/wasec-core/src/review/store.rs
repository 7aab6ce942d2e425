//! Crash-safe storage of review files. Nothing here may lose a reviewer's
//! work:
//!
//! * Saving is atomic: the new text goes to a temporary file in the same
//!   folder, is fsynced, and is renamed over the old file; the folder is
//!   fsynced too. A process killed at any point leaves either the old or
//!   the new file, never a torn one. The previous version is kept as
//!   `FILE.bak`.
//! * A file reached through a symbolic link is written at the link's
//!   target (the link stays), and locked there, so two links to one file
//!   share one lock.
//! * The new file keeps the old one's permission bits (a `0600` review
//!   stays private) and, where the process may, its owner.
//! * A save never overwrites a change made on disk since the file was read
//!   (a hand edit while the TUI is open): it stops with
//!   [`StoreError::ChangedOnDisk`] and the caller decides.
//! * The reviewer's YAML comments survive a save (see [`super::comments`]).
//! * A writer holds an advisory lock on `.FILE.lock` for as long as it has
//!   the file open; a second writer is refused with the first one's pid.
//!   The OS drops the lock when a process dies, so no stale locks.
//! * Reads stop at [`yaml::MAX_INPUT_BYTES`] bytes actually read, and only
//!   regular files are read (a FIFO or a device fails at once).
//! * Files from a newer schema, or naming best practices this bank does not
//!   know, are refused rather than silently rewritten without that data.
//!
//! Every error names the path the user gave and the real cause, never a
//! temporary or lock file.

use super::comments::Comments;
use super::model::{Review, SCHEMA_VERSION};
use crate::bank::Bank;
use crate::bounded::{self, ReadError};
use crate::yaml::{self, YamlError};
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, Read, Seek, Write};
use std::path::{Path, PathBuf};

const HEADER: &str = "# wasec review file. Edit it with `wasec review FILE` or by hand; keep the ids.\n# Comments you add are kept when wasec saves the file.\n";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: cannot read it: {}", .path.display(), bounded::plain(.source))]
    Read { path: PathBuf, source: io::Error },
    #[error("{}: not a regular file ({kind}); a review is a YAML file", .path.display())]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error(
        "{}: larger than the {} MiB limit for review files",
        .path.display(),
        yaml::MAX_INPUT_BYTES / (1024 * 1024)
    )]
    TooLarge { path: PathBuf },
    #[error("{0}")]
    Yaml(YamlError),
    #[error(
        "{}: written by a newer wasec (review schema {found}; this build reads up to {SCHEMA_VERSION}). Upgrade wasec; the file was not changed.",
        .path.display()
    )]
    NewerSchema { path: PathBuf, found: u32 },
    #[error("{}: the review does not match the question bank:{}\n(use --questions DIR if it was made with another question set)", .path.display(), bullets(.problems))]
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
    #[error("{} is open for writing by another wasec process ({holder}); close it first", .path.display())]
    Locked { path: PathBuf, holder: String },
    #[error("{} already exists; not overwriting it", .0.display())]
    Exists(PathBuf),
    #[error("cannot {action} {}: {cause}", .path.display())]
    Write {
        path: PathBuf,
        action: &'static str,
        cause: String,
    },
    #[error(
        "{} changed on disk since wasec read it (edited by hand or by another program); not overwriting it",
        .path.display()
    )]
    ChangedOnDisk { path: PathBuf },
}

fn bullets(problems: &[String]) -> String {
    problems.iter().map(|p| format!("\n  - {p}")).collect()
}

/// A failed write in plain words, about the folder or disk where it failed.
fn write_cause(e: &io::Error, path: &Path) -> String {
    let folder = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
        _ => ".".into(),
    };
    match e.kind() {
        io::ErrorKind::NotFound => format!("the folder '{folder}' does not exist"),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            format!("permission denied (the file or the folder '{folder}' is read-only)")
        }
        io::ErrorKind::StorageFull => "the disk is full".into(),
        io::ErrorKind::QuotaExceeded => "the disk quota is exceeded".into(),
        _ => e.to_string(),
    }
}

fn write_err<'a>(
    path: &'a Path,
    action: &'static str,
) -> impl FnOnce(io::Error) -> StoreError + 'a {
    move |e| StoreError::Write {
        path: path.to_path_buf(),
        action,
        cause: write_cause(&e, path),
    }
}

/// Parse review text and check it against the bank. Files of an older
/// schema are migrated in memory (follow-ups get ids).
pub fn parse(text: &str, name: &str, bank: &Bank) -> Result<Review, StoreError> {
    let path = PathBuf::from(name);
    // Read the schema version first so a newer file gets a clear message
    // rather than an "unknown field" error about whatever it added.
    #[derive(serde::Deserialize)]
    struct Version {
        schema_version: Option<u32>,
    }
    // `Version` does not deny unknown fields, so this reads only the version.
    let version: Version = yaml::from_str(text, name).map_err(StoreError::Yaml)?;
    if let Some(found) = version.schema_version.filter(|v| *v > SCHEMA_VERSION) {
        return Err(StoreError::NewerSchema { path, found });
    }
    let mut review: Review = yaml::from_str(text, name).map_err(StoreError::Yaml)?;
    let problems = review.validate(bank);
    if !problems.is_empty() {
        return Err(StoreError::Invalid { path, problems });
    }
    review.schema_version = SCHEMA_VERSION;
    review.assign_follow_up_ids();
    Ok(review)
}

/// Render a review as YAML text, with a short header.
pub fn render(review: &Review) -> String {
    let body = yaml::to_string(review).expect("review model always serializes");
    format!("{HEADER}{body}")
}

/// Read a review without taking the write lock (for score, plan, report).
pub fn load(path: &Path, bank: &Bank) -> Result<Review, StoreError> {
    let text = read_limited(path)?;
    parse(&text, &path.display().to_string(), bank)
}

/// Read at most [`yaml::MAX_INPUT_BYTES`] bytes of a regular file.
pub fn read_limited(path: &Path) -> Result<String, StoreError> {
    let bytes = read_bytes(path)?;
    String::from_utf8(bytes).map_err(|_| read_error(path, ReadError::NotUtf8))
}

fn read_bytes(path: &Path) -> Result<Vec<u8>, StoreError> {
    bounded::read_bytes(path).map_err(|e| read_error(path, e))
}

fn read_error(path: &Path, e: ReadError) -> StoreError {
    let path = path.to_path_buf();
    match e {
        ReadError::Io(source) => StoreError::Read { path, source },
        ReadError::NotAFile(kind) => StoreError::NotAFile { path, kind },
        ReadError::TooLarge => StoreError::TooLarge { path },
        ReadError::NotUtf8 => StoreError::Yaml(YamlError {
            file: path.display().to_string(),
            line: None,
            column: None,
            message: "not UTF-8 text".into(),
        }),
    }
}

/// A review file opened for writing: holds the lock until dropped, and
/// remembers what it last read or wrote so a save can tell whether
/// someone else changed the file since.
#[derive(Debug)]
pub struct ReviewFile {
    /// The path as the user gave it (for messages).
    path: PathBuf,
    /// Where the bytes live: the target when `path` is a symbolic link.
    real: PathBuf,
    _lock: File,
    /// The file's content as last read or written by us.
    known: Option<Vec<u8>>,
    comments: Comments,
}

impl ReviewFile {
    /// Open an existing review for writing.
    pub fn open(path: &Path, bank: &Bank) -> Result<(ReviewFile, Review), StoreError> {
        let real = real_path(path);
        let lock = acquire_lock(path, &real)?;
        let bytes = read_bytes(path)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let review = parse(&text, &path.display().to_string(), bank)?;
        let file = ReviewFile {
            path: path.to_path_buf(),
            real,
            _lock: lock,
            comments: Comments::extract(&text),
            known: Some(bytes),
        };
        Ok((file, review))
    }

    /// Create a new review file; refuses to overwrite an existing one.
    pub fn create(path: &Path, review: &Review) -> Result<ReviewFile, StoreError> {
        let real = real_path(path);
        let lock = acquire_lock(path, &real)?;
        if path.exists() || real.exists() {
            return Err(StoreError::Exists(path.to_path_buf()));
        }
        let mut file = ReviewFile {
            path: path.to_path_buf(),
            real,
            _lock: lock,
            known: None,
            comments: Comments::default(),
        };
        file.save(review)?;
        Ok(file)
    }

    /// The path as the user gave it.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Atomically replace the file with `review`, keeping the old one as
    /// `.bak`, unless the file changed on disk since we read or wrote it.
    pub fn save(&mut self, review: &Review) -> Result<(), StoreError> {
        if self.changed_on_disk() {
            return Err(StoreError::ChangedOnDisk {
                path: self.path.clone(),
            });
        }
        self.write(review)
    }

    /// Save even though the file changed on disk ("keep mine"). The
    /// overwritten version is still kept as `.bak`.
    pub fn overwrite(&mut self, review: &Review) -> Result<(), StoreError> {
        self.write(review)
    }

    /// Read the file again (after it changed on disk), taking its content
    /// and comments as the new base.
    pub fn reload(&mut self, bank: &Bank) -> Result<Review, StoreError> {
        let bytes = read_bytes(&self.path)?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let review = parse(&text, &self.path.display().to_string(), bank)?;
        self.comments = Comments::extract(&text);
        self.known = Some(bytes);
        Ok(review)
    }

    /// Whether the file on disk differs from what we last read or wrote.
    /// A file that was deleted counts as unchanged: nothing there to lose.
    pub fn changed_on_disk(&self) -> bool {
        match (&self.known, read_bytes(&self.real)) {
            (Some(known), Ok(now)) => *known != now,
            (None, Ok(_)) => true,
            (_, Err(_)) => false,
        }
    }

    fn write(&mut self, review: &Review) -> Result<(), StoreError> {
        let text = self.comments.reinsert(&render(review));
        write_file(&self.path, &self.real, text.as_bytes())?;
        self.known = Some(text.into_bytes());
        Ok(())
    }
}

/// Where a path's bytes live: a symbolic link's final target (the link
/// itself is left alone), else the path.
fn real_path(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn sidecar(path: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{prefix}{name}{suffix}"))
}

/// Path of the backup kept on every save (beside the real file).
pub fn backup_path(path: &Path) -> PathBuf {
    sidecar(&real_path(path), "", ".bak")
}

fn acquire_lock(path: &Path, real: &Path) -> Result<File, StoreError> {
    let lock_path = sidecar(real, ".", ".lock");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(write_err(path, "open for writing"))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            return Err(StoreError::Locked {
                path: path.to_path_buf(),
                holder: if holder.is_empty() {
                    "pid unknown".into()
                } else {
                    holder.to_string()
                },
            });
        }
        Err(TryLockError::Error(e)) => return Err(write_err(path, "lock")(e)),
    }
    let stamp = (|| {
        file.set_len(0)?;
        file.rewind()?;
        write!(file, "pid {}", std::process::id())
    })();
    stamp.map_err(write_err(path, "lock"))?;
    Ok(file)
}

/// Write `bytes` to `path` so that readers (and a crash) see either the
/// old or the new content, never a mix. Errors name `path`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    write_file(path, &real_path(path), bytes)
}

/// [`write_atomic`] at `real`, reporting errors against `shown`.
fn write_file(shown: &Path, real: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let tmp = sidecar(real, ".", &format!(".tmp-{}", std::process::id()));
    let old = fs::metadata(real).ok();
    let result = (|| {
        let mut f = File::create(&tmp).map_err(write_err(shown, "save"))?;
        if let Some(old) = &old {
            keep_owner_and_mode(&f, old);
        }
        f.write_all(bytes).map_err(write_err(shown, "save"))?;
        f.sync_all().map_err(write_err(shown, "save"))?;
        drop(f);
        if old.is_some() {
            keep_backup(shown, real)?;
        }
        fs::rename(&tmp, real).map_err(write_err(shown, "save"))?;
        sync_dir(real);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Give the new file the old one's permission bits and, where allowed,
/// its owner and group (root editing a user's file, say).
#[cfg(unix)]
fn keep_owner_and_mode(f: &File, old: &fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let _ = std::os::unix::fs::fchown(f, Some(old.uid()), Some(old.gid()));
    let _ = f.set_permissions(old.permissions());
}

#[cfg(not(unix))]
fn keep_owner_and_mode(f: &File, old: &fs::Metadata) {
    let _ = f.set_permissions(old.permissions());
}

fn keep_backup(shown: &Path, real: &Path) -> Result<(), StoreError> {
    let bak = sidecar(real, "", ".bak");
    let _ = fs::remove_file(&bak);
    // A hard link is instant and atomic; fall back to a copy where the
    // file system has no links.
    if fs::hard_link(real, &bak).is_err() {
        fs::copy(real, &bak).map_err(write_err(shown, "keep a backup of"))?;
    }
    Ok(())
}

#[cfg(unix)]
fn sync_dir(path: &Path) {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(not(unix))]
fn sync_dir(_path: &Path) {}
