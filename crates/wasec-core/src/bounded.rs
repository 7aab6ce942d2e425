//! Reading input files safely: only regular files, and never more than
//! [`yaml::MAX_INPUT_BYTES`] bytes actually read (a file's size on disk is
//! not trusted: `/dev/zero`, a FIFO or a growing file would lie). The
//! review store and the question bank both read through here.

use crate::yaml;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}", plain(.0))]
    Io(io::Error),
    #[error("not a regular file ({0})")]
    NotAFile(&'static str),
    #[error("larger than the {} MiB limit", yaml::MAX_INPUT_BYTES / (1024 * 1024))]
    TooLarge,
    #[error("not UTF-8 text")]
    NotUtf8,
}

/// An I/O error in plain words.
pub fn plain(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The bytes of a regular file, at most the input limit.
pub fn read_bytes(path: &Path) -> Result<Vec<u8>, ReadError> {
    // Look before opening: opening a FIFO would block until a writer comes.
    let meta = fs::metadata(path).map_err(ReadError::Io)?;
    if let Some(kind) = not_a_file(&meta) {
        return Err(ReadError::NotAFile(kind));
    }
    let limit = yaml::MAX_INPUT_BYTES as u64;
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|f| f.take(limit + 1).read_to_end(&mut bytes))
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// The text of a regular file, at most the input limit.
pub fn read_text(path: &Path) -> Result<String, ReadError> {
    String::from_utf8(read_bytes(path)?).map_err(|_| ReadError::NotUtf8)
}

/// `None` for a regular file, else what it is.
fn not_a_file(meta: &fs::Metadata) -> Option<&'static str> {
    let ft = meta.file_type();
    if ft.is_file() {
        return None;
    }
    if ft.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return Some("a named pipe");
        }
        if ft.is_char_device() || ft.is_block_device() {
            return Some("a device");
        }
        if ft.is_socket() {
            return Some("a socket");
        }
    }
    Some("not a file")
}
