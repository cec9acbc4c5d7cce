//! Where the served matrix comes from: a file that is re-read when it changes, or the built-in
//! example.

use edx_matrix_config::{Loaded, Source, example, load_json, load_toml};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The matrix a server serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatrixSource {
    /// A matrix file (interchange JSON when its name ends in `.json`), watched for changes.
    File(PathBuf),
    /// The built-in acme example; it never changes.
    Example,
}

/// What identifies one version of a file cheaply: its modification time and length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl MatrixSource {
    /// Returns the name shown on the page and in diagnostics.
    pub fn name(&self) -> String {
        match self {
            MatrixSource::File(path) => path.display().to_string(),
            MatrixSource::Example => example::NAME.to_owned(),
        }
    }

    /// Returns the file's current stamp, or `None` for the example or an unreadable file.
    pub(crate) fn stamp(&self) -> Option<FileStamp> {
        let MatrixSource::File(path) = self else {
            return None;
        };
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }

    /// Reads the source text.
    pub(crate) fn read_text(&self) -> Result<String, String> {
        match self {
            // Bounded, and a FIFO or device is refused before it is opened: a reload never
            // blocks on a special file put in the matrix's place.
            MatrixSource::File(path) => edx_matrix_fsio::read_text(path)
                .map(|text| match text.strip_prefix('\u{feff}') {
                    Some(rest) => rest.to_owned(),
                    None => text,
                })
                .map_err(|e| e.message),
            MatrixSource::Example => Ok(example::TEXT.to_owned()),
        }
    }

    /// Parses and checks `text` read from this source.
    pub(crate) fn load(&self, text: String) -> Loaded {
        let source = Source::new(self.name(), text);
        let mut loaded = match self {
            MatrixSource::File(path) if is_json(path) => load_json(source),
            _ => load_toml(source),
        };
        // Served without authentication: no credential in any URL the pages or the API show.
        edx_matrix_config::terminal::redact_matrix(&mut loaded.matrix);
        loaded
    }
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}
