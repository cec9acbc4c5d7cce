//! What the server watches of the matrix it serves: the stamps that tell a poll the file (or
//! the Python package's files) and the lock beside it changed. Reading and loading the source
//! is the project's ([`MatrixSource`]: the same load as every command's).

use edx_matrix_formats::python_package::{TYPES, VERSION_MATRIX};
use edx_matrix_project::{MatrixSource, is_python_package};
use std::time::SystemTime;

/// What identifies one version of a file cheaply: its modification time and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl FileStamp {
    /// The stamp of a file with metadata `meta`.
    pub(crate) fn of(meta: &std::fs::Metadata) -> Self {
        FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        }
    }
}

/// Returns the source file's current stamp, or `None` for the example or an unreadable file.
pub(crate) fn stamp(source: &MatrixSource) -> Option<FileStamp> {
    let MatrixSource::File(path) = source else {
        return None;
    };
    if is_python_package(path) {
        // Either file changing changes the package.
        let mut stamp = FileStamp {
            modified: None,
            len: 0,
        };
        for name in [TYPES, VERSION_MATRIX] {
            if let Ok(meta) = std::fs::metadata(path.join(name)) {
                stamp.modified = stamp.modified.max(meta.modified().ok());
                stamp.len += meta.len();
            }
        }
        return Some(stamp);
    }
    std::fs::metadata(path)
        .ok()
        .map(|meta| FileStamp::of(&meta))
}

/// Returns the stamp of the lock beside the matrix, or `None` when there is none.
pub(crate) fn lock_stamp(source: &MatrixSource) -> Option<FileStamp> {
    let meta = std::fs::metadata(source.lock_path()?).ok()?;
    Some(FileStamp::of(&meta))
}

/// Reads the source text, or says why it cannot be read (the page shows it).
pub(crate) fn read_text(source: &MatrixSource) -> Result<String, String> {
    source.read_text().map_err(|e| e.message())
}

/// Reads the lock beside the matrix; `None` when there is none or it cannot be read (the stage
/// pages then show no commits).
pub(crate) fn read_lock(source: &MatrixSource) -> Option<String> {
    source.read_lock().ok().flatten()
}
