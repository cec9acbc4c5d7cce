//! Where the served matrix comes from: a file that is re-read when it changes, or the built-in
//! example.

use edx_matrix_formats::example;
use edx_matrix_formats::python_package::{TYPES, VERSION_MATRIX};
use edx_matrix_project::{Project, is_python_package, read_file, read_package};
use std::path::PathBuf;
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

impl FileStamp {
    /// The stamp of a file with metadata `meta`.
    pub(crate) fn of(meta: &std::fs::Metadata) -> Self {
        FileStamp {
            modified: meta.modified().ok(),
            len: meta.len(),
        }
    }
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
        std::fs::metadata(path)
            .ok()
            .map(|meta| FileStamp::of(&meta))
    }

    /// Returns the path of the lock beside a matrix file (none for the example or a Python
    /// package, which have no lock).
    fn lock_path(&self) -> Option<PathBuf> {
        match self {
            MatrixSource::File(path) if !is_python_package(path) => {
                Some(edx_matrix_project::lock_path(path))
            }
            _ => None,
        }
    }

    /// Returns the stamp of the lock beside the matrix, or `None` when there is none.
    pub(crate) fn lock_stamp(&self) -> Option<FileStamp> {
        let meta = std::fs::metadata(self.lock_path()?).ok()?;
        Some(FileStamp::of(&meta))
    }

    /// Reads the lock beside the matrix, through the same bounded read as the matrix; `None`
    /// when there is none or it cannot be read (the stage pages then show no commits).
    pub(crate) fn read_lock(&self) -> Option<String> {
        read_file(&self.lock_path()?).ok()
    }

    /// Reads the source text.
    pub(crate) fn read_text(&self) -> Result<String, String> {
        match self {
            // Bounded, and a FIFO or device is refused before it is opened (see
            // `edx_matrix_project::fsio`): a reload never blocks on a special file in the matrix's place.
            MatrixSource::File(dir) if is_python_package(dir) => {
                read_package(dir).map_err(|e| e.message())
            }
            MatrixSource::File(path) => read_file(path).map_err(|e| e.message()),
            MatrixSource::Example => Ok(example::TEXT.to_owned()),
        }
    }

    /// Parses and checks `text` read from this source: the whole project, its pipeline templates
    /// run, so the dashboard reports what `edx-matrix check` reports. Served without
    /// authentication: no credential in any URL the pages or the API show (the pipelines are
    /// rendered from the redacted matrix, as `/diff` renders them).
    pub(crate) fn load(&self, text: String, lock: Option<String>) -> Project {
        let mut project = match self {
            // The templates from the matrix file's directory (the example's are embedded).
            MatrixSource::File(path) => {
                let project = Project::from_path_text(path, self.name(), text)
                    .with_templates(&edx_matrix_project::Directory::of(path));
                // The lock beside the matrix as read with it ([`Self::read_lock`]).
                match (self.lock_path(), lock) {
                    (Some(at), Some(text)) => project.with_lock(at.display().to_string(), text),
                    _ => project,
                }
            }
            MatrixSource::Example => {
                Project::from_text(self.name(), edx_matrix_project::Format::Toml, text)
                    .with_templates(&edx_matrix_project::Embedded)
            }
        };
        edx_matrix_formats::redact_matrix(&mut project.loaded.matrix);
        // Rendered here, on the loading thread, not by the first request that needs it; a
        // matrix without `[pipelines]` has none to render.
        if project.declares_pipelines() {
            let _ = project.rendering();
        }
        project
    }
}
