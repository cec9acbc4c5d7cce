//! Reading a project file: every read of a project file goes through [`read_file`], which reads
//! through `crate::fsio`'s bounded reader (size limit, special files refused before open).

use std::path::{Path, PathBuf};

/// A file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("{}", error.message)]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// Why, with a hint when there is one.
    pub error: crate::fsio::Error,
}

impl ReadError {
    /// Returns the message with its cause: ``cannot read `x.toml`: No such file or directory``.
    pub fn message(&self) -> String {
        self.error.message.clone()
    }

    /// Returns what the user can do about it, when there is something.
    pub fn hint(&self) -> Option<&str> {
        self.error.hint.as_deref()
    }
}

/// Reads the whole file at `path` as UTF-8 text, without a leading byte-order mark (it is not
/// part of the matrix; edits keep it, see `edx_matrix_formats::text_form`).
pub fn read_file(path: &Path) -> Result<String, ReadError> {
    let text = crate::fsio::read_text(path).map_err(|error| ReadError {
        path: path.to_owned(),
        error,
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}
