//! The load use cases of a matrix file kept in git: the file as it is at a revision (with that
//! revision's templates and lock) or in the working tree. `edx-matrix diff` and the server's
//! `/diff` and `/api/v1/diff` load their sides here, so both name and read them alike.

use crate::git::templates::project_at;
use crate::git::{GitError, LocalRepo};
use crate::{Format, Project, ReadError};
use edx_matrix_formats::python_package::{TYPES, VERSION_MATRIX};
use std::fmt;
use std::path::{Path, PathBuf};

/// A matrix file (or Python package directory) and the git working tree it lives in.
#[derive(Debug)]
pub struct RepoFile {
    /// The working tree.
    pub repo: LocalRepo,
    /// The matrix file as located.
    pub file: PathBuf,
    /// The matrix file relative to the top-level of the working tree, forward slashes.
    pub path: String,
}

/// One version of the file: what a side of a diff names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Version {
    /// The file at a git revision (a hash, `HEAD~2`, a tag, …).
    Revision(String),
    /// The file in the working tree, as it is on disk.
    WorkingTree,
}

/// Why a version could not be loaded.
#[derive(Debug)]
pub enum LoadError {
    /// git failed, or the revision is unknown or malformed.
    Git(GitError),
    /// The file does not exist at that revision.
    Missing {
        /// The path in the repository.
        path: String,
        /// The revision as given.
        rev: String,
    },
    /// The working-tree file cannot be read.
    Read(ReadError),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Git(e) => write!(f, "{}", edx_matrix_model::error_chain(e)),
            LoadError::Missing { path, rev } => {
                write!(f, "`{path}` does not exist at revision `{rev}`")
            }
            LoadError::Read(e) => write!(f, "{}", e.message()),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<GitError> for LoadError {
    fn from(e: GitError) -> Self {
        LoadError::Git(e)
    }
}

/// What a revision is called in the names of its files (`LABEL:edx-matrix.toml`): the revision
/// as given, a full commit hash shortened to 7 digits (the history's links give full hashes).
pub fn revision_label(rev: &str) -> &str {
    if rev.len() == 40 && rev.bytes().all(|b| b.is_ascii_hexdigit()) {
        &rev[..7]
    } else {
        rev
    }
}

impl RepoFile {
    /// Opens the working tree holding `file` (its directory's).
    pub fn open(file: &Path) -> Result<RepoFile, GitError> {
        let dir = match file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let repo = LocalRepo::open(&dir)?;
        let path = repo.relative_path(file)?;
        Ok(RepoFile {
            repo,
            file: file.to_path_buf(),
            path,
        })
    }

    /// Returns whether the file is a Python package directory (read through the importer).
    pub fn is_python_package(&self) -> bool {
        crate::is_python_package(&self.file)
    }

    /// Loads `version` of the file.
    pub fn load(&self, version: &Version) -> Result<Project, LoadError> {
        match version {
            Version::Revision(rev) => self.at(rev),
            Version::WorkingTree => self.working_tree().map_err(LoadError::Read),
        }
    }

    /// Loads the file as it was at revision `rev`, called `LABEL:PATH` ([`revision_label`]):
    /// a TOML or JSON matrix with that revision's pipeline templates and lock, a Python package
    /// through the importer.
    pub fn at(&self, rev: &str) -> Result<Project, LoadError> {
        let label = revision_label(rev);
        let name = format!("{label}:{}", self.path);
        let missing = |path: String| LoadError::Missing {
            path,
            rev: rev.to_owned(),
        };
        if self.is_python_package() {
            let show = |file: &str| self.repo.show_file(rev, &format!("{}/{file}", self.path));
            let version_matrix = show(VERSION_MATRIX)?
                .ok_or_else(|| missing(format!("{}/{VERSION_MATRIX}", self.path)))?;
            let text = crate::package_text(show(TYPES)?.as_deref(), &version_matrix);
            return Ok(Project::from_text(name, Format::PythonPackage, text));
        }
        let text =
            (self.repo.show_file(rev, &self.path)?).ok_or_else(|| missing(self.path.clone()))?;
        // The revision's templates and lock too: its tree, not the working tree.
        Ok(project_at(&self.repo, rev, label, &self.path, name, text))
    }

    /// Loads the file as it is in the working tree (with the templates of its directory and the
    /// lock beside it), called [`RepoFile::working_tree_name`].
    pub fn working_tree(&self) -> Result<Project, ReadError> {
        // A package's name is its directory's: the importer names each of its files.
        let name = if self.is_python_package() {
            self.path.clone()
        } else {
            self.working_tree_name()
        };
        Project::load_as(&self.file, name)
    }

    /// What the working-tree side is called: `PATH (working tree)`; a Python package's
    /// `PATH/version_matrix.py`, as the importer names it.
    pub fn working_tree_name(&self) -> String {
        if self.is_python_package() {
            format!("{}/{VERSION_MATRIX}", self.path)
        } else {
            format!("{} (working tree)", self.path)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_hash_is_shortened_anything_else_kept() {
        let hash = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(revision_label(hash), "0123456");
        assert_eq!(revision_label("HEAD~1"), "HEAD~1");
        assert_eq!(revision_label("0123456"), "0123456");
        assert_eq!(
            revision_label(&hash.replace('0', "g")),
            hash.replace('0', "g")
        );
    }
}
