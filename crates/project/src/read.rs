//! Reading a matrix file: every read of a project file goes through [`read_file`].

use std::path::{Path, PathBuf};

/// A file that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read `{}`", path.display())]
pub struct ReadError {
    /// The file.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

impl ReadError {
    /// Returns the message with its cause: ``cannot read `x.toml`: No such file or directory``.
    pub fn message(&self) -> String {
        format!("{self}: {}", self.source)
    }
}

/// Reads the whole file at `path` as UTF-8 text.
pub fn read_file(path: &Path) -> Result<String, ReadError> {
    std::fs::read_to_string(path).map_err(|source| ReadError {
        path: path.to_owned(),
        source,
    })
}
