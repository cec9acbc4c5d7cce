//! The history of a Python matrix package (a directory holding `version_matrix.py` and usually
//! `types.py`): every commit that changed either file, each revision imported statically by the
//! loader the caller gives (the importer lives in another crate), in the same [`History`] as a
//! TOML file's. A revision that does not import is listed in [`History::skipped`] with the reason.

use crate::history::{History, assemble, load_revisions};
use crate::{GitError, LocalRepo, local_repo::FileCommit};
use edx_matrix_config::{Loaded, Source};

/// The two files of a package revision: `types.py` (absent in the single-file layout) and
/// `version_matrix.py`.
pub type PackageFiles = (Option<Source>, Source);

/// Reads the history of the package at `dir` (relative to the top-level, forward slashes).
/// `files` names `types.py` and `version_matrix.py`; `load` imports one revision.
///
/// # Errors
///
/// Returns the [`GitError`] when git fails to list or read the revisions.
pub fn package_history(
    repo: &LocalRepo,
    dir: &str,
    files: [&str; 2],
    load: &(dyn Fn(Option<Source>, Source) -> Loaded + Sync),
    deployment: Option<&str>,
) -> Result<History, GitError> {
    let [types, version_matrix] = files.map(|f| format!("{dir}/{f}"));
    let mut log = repo.paths_log(dir, &[types.clone(), version_matrix.clone()])?;
    log.reverse();
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
    let mut texts: Vec<Result<PackageFiles, String>> = Vec::with_capacity(log.len());
    let mut contents = contents.into_iter();
    for commit in &log {
        let (Some(t), Some(v)) = (contents.next(), contents.next()) else {
            break;
        };
        let mut sources = [None, None];
        let mut reason = None;
        for (slot, (content, path)) in [(t, &types), (v, &version_matrix)].into_iter().enumerate() {
            match content {
                Ok(text) => {
                    sources[slot] =
                        text.map(|text| Source::new(format!("{}:{path}", commit.short_hash), text));
                }
                Err(err @ (GitError::NotUtf8 { .. } | GitError::NotAFile { .. })) => {
                    reason.get_or_insert(err.to_string());
                }
                Err(err) => return Err(err),
            }
        }
        let [t, v] = sources;
        texts.push(match (reason, v) {
            (Some(reason), _) => Err(reason),
            (None, Some(v)) => Ok((t, v)),
            (None, None) => Err(format!("`{version_matrix}` does not exist in this commit")),
        });
    }
    let loader = |_: &FileCommit, (t, v): PackageFiles| load(t, v);
    let revisions = load_revisions(&log, texts, &loader);
    Ok(assemble(dir, &log, revisions, deployment))
}
