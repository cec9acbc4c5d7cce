//! Where the served matrix comes from: a file that is re-read when it changes, or the built-in
//! example.

use edx_matrix_config::{Loaded, Source, example, load_json, load_toml};
use edx_matrix_interop::python_package::{self, TYPES, VERSION_MATRIX};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// The matrix a server serves.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatrixSource {
    /// A matrix file (interchange JSON when its name ends in `.json`), watched for changes; or
    /// a Python package directory (`version_matrix.py`, usually `types.py`), read through the
    /// importer.
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
        let meta = std::fs::metadata(path).ok()?;
        Some(FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }

    /// Reads the source text.
    pub(crate) fn read_text(&self) -> Result<String, String> {
        let read = |path: &Path| {
            std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))
        };
        match self {
            MatrixSource::File(dir) if is_python_package(dir) => {
                // Both files as one text, `types.py` first, split at a NUL (which Python source
                // cannot contain).
                let types = dir.join(TYPES);
                let types = if types.is_file() {
                    read(&types)?
                } else {
                    String::new()
                };
                Ok(format!("{types}\0{}", read(&dir.join(VERSION_MATRIX))?))
            }
            MatrixSource::File(path) => read(path),
            MatrixSource::Example => Ok(example::TEXT.to_owned()),
        }
    }

    /// Parses and checks `text` read from this source.
    pub(crate) fn load(&self, text: String) -> Loaded {
        if let MatrixSource::File(dir) = self {
            if is_python_package(dir) {
                let (types, version_matrix) = text.split_once('\0').unwrap_or(("", &text));
                let name = |file: &str| dir.join(file).display().to_string();
                let types = (!types.is_empty()).then(|| Source::new(name(TYPES), types));
                return python_package::load(
                    types,
                    Source::new(name(VERSION_MATRIX), version_matrix),
                );
            }
        }
        let source = Source::new(self.name(), text);
        match self {
            MatrixSource::File(path) if is_json(path) => load_json(source),
            _ => load_toml(source),
        }
    }
}

/// Returns whether `path` is a Python matrix package (a directory holding `version_matrix.py`).
pub fn is_python_package(path: &Path) -> bool {
    path.is_dir() && path.join(VERSION_MATRIX).is_file()
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}
