//! Where a project is read from — a matrix file (TOML or interchange JSON), a Python package
//! directory, or the built-in example — and the one way it is loaded from there: its text, its
//! pipeline templates (the file's directory, or the example's embedded ones) and the lock
//! beside it. [`Project::load`] (every command) and the server (each reload, then
//! [`MatrixSource::load_served`]) go through it.

use crate::{Directory, Embedded, Format, Project, ReadError, format_of, lock_path, read_file};
use crate::{is_python_package, read_package};
use edx_matrix_formats::example;
use std::path::PathBuf;

/// The matrix a project is read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MatrixSource {
    /// A matrix file (interchange JSON when its name ends in `.json`), or a Python package
    /// directory (`version_matrix.py`, usually `types.py`), read through the importer.
    File(PathBuf),
    /// The built-in acme example; it never changes.
    Example,
}

impl MatrixSource {
    /// Returns the name shown on a page and in diagnostics.
    pub fn name(&self) -> String {
        match self {
            MatrixSource::File(path) => path.display().to_string(),
            MatrixSource::Example => example::NAME.to_owned(),
        }
    }

    /// Returns the path of the lock beside a matrix file (none for the example or a Python
    /// package, which have no lock: a package is generated from a TOML matrix that has it).
    pub fn lock_path(&self) -> Option<PathBuf> {
        match self {
            MatrixSource::File(path) if !is_python_package(path) => Some(lock_path(path)),
            _ => None,
        }
    }

    /// Reads the source text: bounded, and a FIFO or device is refused before it is opened
    /// (see [`crate::fsio`]), so no read blocks on a special file in the matrix's place.
    pub fn read_text(&self) -> Result<String, ReadError> {
        match self {
            MatrixSource::File(dir) if is_python_package(dir) => read_package(dir),
            MatrixSource::File(path) => read_file(path),
            MatrixSource::Example => Ok(example::TEXT.to_owned()),
        }
    }

    /// Reads the lock beside the matrix through the same bounded read: `Ok(None)` when there
    /// is none (nothing at its path, not even a dangling symlink).
    pub fn read_lock(&self) -> Result<Option<String>, ReadError> {
        let Some(path) = self.lock_path() else {
            return Ok(None);
        };
        if std::fs::symlink_metadata(&path).is_err() {
            return Ok(None);
        }
        read_file(&path).map(Some)
    }

    /// Parses and checks `text` read from this source (and `lock`, the lock read with it),
    /// with the pipeline templates of its directory (the example's are embedded).
    pub fn load(&self, text: String, lock: Option<String>) -> Project {
        self.load_as(self.name(), text, lock)
    }

    /// [`MatrixSource::load`], the source called `name` in diagnostics.
    pub(crate) fn load_as(&self, name: String, text: String, lock: Option<String>) -> Project {
        match self {
            MatrixSource::File(path) => {
                let project = Project::from_text(name, format_of(path), text)
                    .with_templates(&Directory::of(path));
                match (self.lock_path(), lock) {
                    (Some(at), Some(text)) => project.with_lock(at.display().to_string(), text),
                    _ => project,
                }
            }
            MatrixSource::Example => {
                Project::from_text(name, Format::Toml, text).with_templates(&Embedded)
            }
        }
    }

    /// [`MatrixSource::load`] for serving: served without authentication, so no credential in
    /// any URL the pages or the API show (redacted before the pipelines are rendered from it,
    /// as `diff` renders them), and its pipelines rendered now, on the loading thread, rather
    /// than by the first request that needs them (a matrix without `[pipelines]` has none).
    pub fn load_served(&self, text: String, lock: Option<String>) -> Project {
        let mut project = self.load(text, lock);
        project.redact();
        if project.declares_pipelines() {
            let _ = project.rendering();
        }
        project
    }
}
