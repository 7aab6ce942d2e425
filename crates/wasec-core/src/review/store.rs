//! Crash-safe storage of review files.
//!
//! * Saving is atomic: the new text goes to a temporary file in the same
//!   folder, is fsynced, and is renamed over the old file; the folder is
//!   fsynced too. A process killed at any point leaves either the old or
//!   the new file, never a torn one.
//! * The previous version is kept as `FILE.bak`.
//! * A writer holds an advisory lock on `.FILE.lock` for as long as it has
//!   the file open; a second writer is refused with the first one's pid.
//!   The OS drops the lock when a process dies, so no stale locks.
//! * Files from a newer schema, or naming best practices this bank does not
//!   know, are refused rather than silently rewritten without that data.

use super::model::{Review, SCHEMA_VERSION};
use crate::bank::Bank;
use crate::yaml::{self, YamlError};
use std::fmt;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

const HEADER: &str =
    "# wasec review file. Edit with `wasec review FILE` or by hand; keep the ids.\n";

#[derive(Debug)]
pub enum StoreError {
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    Yaml(YamlError),
    NewerSchema {
        path: PathBuf,
        found: u32,
    },
    Invalid {
        path: PathBuf,
        problems: Vec<String>,
    },
    Locked {
        path: PathBuf,
        holder: String,
    },
    Exists(PathBuf),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            StoreError::Yaml(e) => write!(f, "{e}"),
            StoreError::NewerSchema { path, found } => write!(
                f,
                "{}: written by a newer wasec (review schema {found}; this build reads up to {SCHEMA_VERSION}). Upgrade wasec; the file was not changed.",
                path.display()
            ),
            StoreError::Invalid { path, problems } => {
                write!(
                    f,
                    "{}: the review does not match the question bank:",
                    path.display()
                )?;
                for p in problems {
                    write!(f, "\n  - {p}")?;
                }
                write!(
                    f,
                    "\n(use --questions DIR if it was made with another question set)"
                )
            }
            StoreError::Locked { path, holder } => write!(
                f,
                "{} is open for writing by another wasec process ({holder}); close it first",
                path.display()
            ),
            StoreError::Exists(path) => {
                write!(f, "{} already exists; not overwriting it", path.display())
            }
        }
    }
}

impl std::error::Error for StoreError {}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Parse review text and check it against the bank.
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
    match version.schema_version {
        Some(v) if v > SCHEMA_VERSION => {
            return Err(StoreError::NewerSchema { path, found: v });
        }
        _ => {}
    }
    let review: Review = yaml::from_str(text, name).map_err(StoreError::Yaml)?;
    let problems = review.validate(bank);
    if !problems.is_empty() {
        return Err(StoreError::Invalid { path, problems });
    }
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

fn read_limited(path: &Path) -> Result<String, StoreError> {
    let mut file = File::open(path).map_err(io_err(path))?;
    let len = file.metadata().map_err(io_err(path))?.len();
    if len > yaml::MAX_INPUT_BYTES as u64 {
        return Err(StoreError::Yaml(YamlError {
            file: path.display().to_string(),
            line: None,
            column: None,
            message: format!(
                "file is {len} bytes, larger than the {} byte limit",
                yaml::MAX_INPUT_BYTES
            ),
        }));
    }
    let mut text = String::with_capacity(len as usize);
    file.read_to_string(&mut text).map_err(io_err(path))?;
    Ok(text)
}

/// A review file opened for writing: holds the lock until dropped.
#[derive(Debug)]
pub struct ReviewFile {
    path: PathBuf,
    _lock: File,
}

impl ReviewFile {
    /// Open an existing review for writing.
    pub fn open(path: &Path, bank: &Bank) -> Result<(ReviewFile, Review), StoreError> {
        let lock = acquire_lock(path)?;
        let review = load(path, bank)?;
        Ok((
            ReviewFile {
                path: path.to_path_buf(),
                _lock: lock,
            },
            review,
        ))
    }

    /// Create a new review file; refuses to overwrite an existing one.
    pub fn create(path: &Path, review: &Review) -> Result<ReviewFile, StoreError> {
        let lock = acquire_lock(path)?;
        if path.exists() {
            return Err(StoreError::Exists(path.to_path_buf()));
        }
        let file = ReviewFile {
            path: path.to_path_buf(),
            _lock: lock,
        };
        file.save(review)?;
        Ok(file)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Atomically replace the file with `review`, keeping the old one as `.bak`.
    pub fn save(&self, review: &Review) -> Result<(), StoreError> {
        write_atomic(&self.path, render(review).as_bytes())
    }
}

fn sidecar(path: &Path, prefix: &str, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!("{prefix}{name}{suffix}"))
}

/// Path of the backup kept on every save.
pub fn backup_path(path: &Path) -> PathBuf {
    sidecar(path, "", ".bak")
}

fn acquire_lock(path: &Path) -> Result<File, StoreError> {
    let lock_path = sidecar(path, ".", ".lock");
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&lock_path)
        .map_err(io_err(&lock_path))?;
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
        Err(TryLockError::Error(e)) => return Err(io_err(&lock_path)(e)),
    }
    file.set_len(0).map_err(io_err(&lock_path))?;
    file.rewind().map_err(io_err(&lock_path))?;
    write!(file, "pid {}", std::process::id()).map_err(io_err(&lock_path))?;
    Ok(file)
}

/// Write `bytes` to `path` so that readers (and a crash) see either the
/// old or the new content, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    let tmp = sidecar(path, ".", &format!(".tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = File::create(&tmp).map_err(io_err(&tmp))?;
        f.write_all(bytes).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))?;
        drop(f);
        if path.exists() {
            keep_backup(path)?;
        }
        fs::rename(&tmp, path).map_err(io_err(path))?;
        sync_dir(path);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

fn keep_backup(path: &Path) -> Result<(), StoreError> {
    let bak = backup_path(path);
    let _ = fs::remove_file(&bak);
    // A hard link is instant and atomic; fall back to a copy where the
    // file system has no links.
    if fs::hard_link(path, &bak).is_err() {
        fs::copy(path, &bak).map_err(io_err(&bak))?;
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
