//! The history of a Python matrix package (a directory holding `version_matrix.py` and usually
//! `types.py`): every commit that changed either file, each revision imported statically through
//! the project loader, in the same [`History`] as a TOML file's. A revision that does not import
//! is listed in [`History::skipped`] with the reason.

use crate::git::history::{CommitRef, History, Revision, history_in_format};
use crate::git::{GitError, LocalRepo};
use crate::{Format, package_text};
use edx_matrix_formats::python_package::{TYPES, VERSION_MATRIX};

/// Reads the history of the package at `dir` (relative to the top level, forward slashes).
/// With `deployment`, only that deployment's timelines and lead times are kept.
///
/// # Errors
///
/// Returns the [`GitError`] when git fails to list or read the revisions.
pub fn package_history(
    repo: &LocalRepo,
    dir: &str,
    deployment: Option<&str>,
) -> Result<History, GitError> {
    let [types, version_matrix] = [TYPES, VERSION_MATRIX].map(|f| format!("{dir}/{f}"));
    let mut log = repo.paths_log(dir, &[types.clone(), version_matrix.clone()])?;
    log.reverse();
    // One `git cat-file --batch` for both files of every revision.
    let mut wanted: Vec<(&str, &str)> = Vec::with_capacity(2 * log.len());
    for c in &log {
        wanted.push((c.hash.as_str(), types.as_str()));
        wanted.push((c.hash.as_str(), version_matrix.as_str()));
    }
    let contents = if wanted.is_empty() {
        Vec::new()
    } else {
        repo.show_files(&wanted)?
    };
    let mut revisions = Vec::with_capacity(log.len());
    let mut contents = contents.into_iter();
    for commit in &log {
        let (Some(t), Some(v)) = (contents.next(), contents.next()) else {
            break;
        };
        let mut texts = [None, None];
        let mut reason = None;
        for (slot, content) in [t, v].into_iter().enumerate() {
            match content {
                Ok(text) => texts[slot] = text,
                Err(
                    err @ (GitError::NotUtf8 { .. }
                    | GitError::NotAFile { .. }
                    | GitError::TooLarge { .. }),
                ) => {
                    reason.get_or_insert(err.to_string());
                }
                Err(err) => return Err(err),
            }
        }
        let [t, v] = texts;
        let text = match (reason, v) {
            (Some(reason), _) => Err(reason),
            (None, Some(v)) => Ok(package_text(t.as_deref(), &v)),
            (None, None) => Err(format!("`{version_matrix}` does not exist in this commit")),
        };
        revisions.push(Revision {
            commit: CommitRef::from(commit),
            path: dir.to_owned(),
            text,
        });
    }
    Ok(history_in_format(
        dir,
        revisions,
        Some(Format::PythonPackage),
        deployment,
    ))
}
