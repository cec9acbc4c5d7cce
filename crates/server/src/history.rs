//! The git history of the served matrix file, for `/history` and `/api/v1/history`.
//!
//! The history is read with [`edx_matrix_git::history::file_history`] (the same computation as
//! `edx-matrix history`) when asked for, and kept until `HEAD` moves: a request costs two quick
//! `git` calls when nothing was committed since the last one. The built-in example, and a file
//! outside any git working tree, have no history.

use crate::source::MatrixSource;
use crate::state::AppState;
use axum::http::StatusCode;
use edx_matrix_git::history::{History, file_history};
use edx_matrix_git::{GitError, LocalRepo};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// Why there is no history to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unavailable {
    /// 404 when the matrix has no git history, 500 when git failed.
    pub status: StatusCode,
    /// What the page and the API say.
    pub reason: String,
}

impl Unavailable {
    pub(crate) fn none(reason: String) -> Self {
        Unavailable {
            status: StatusCode::NOT_FOUND,
            reason,
        }
    }

    pub(crate) fn failed(err: &GitError) -> Self {
        Unavailable {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            reason: error_chain(err),
        }
    }
}

/// The last history read, with the `HEAD` commit it was read at.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    last: Mutex<Option<(String, Arc<History>)>>,
}

/// Returns the history of the served file, reading it again only when `HEAD` moved.
pub(crate) async fn history(state: &Arc<AppState>) -> Result<Arc<History>, Unavailable> {
    let file = match state.source() {
        MatrixSource::Example => {
            return Err(Unavailable::none(
                "history is unavailable: the built-in example is not in a git repository"
                    .to_owned(),
            ));
        }
        MatrixSource::File(file) => file.clone(),
    };
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || read(&state.history, file))
        .await
        .unwrap_or_else(|e| {
            Err(Unavailable {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                reason: format!("cannot read the history: {e}"),
            })
        })
}

/// Opens the git repository holding `file`, and returns it with the file's path in it and the
/// `HEAD` commit (`None` in a repository without commits). `what` names the view in the reasons
/// (`history is unavailable: …`).
pub(crate) fn locate(
    what: &str,
    file: &Path,
) -> Result<(LocalRepo, String, Option<String>), Unavailable> {
    let shown = file.display().to_string();
    let dir = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let outside = || {
        Unavailable::none(format!(
            "{what} is unavailable: `{shown}` is not in a git repository"
        ))
    };
    let repo = match LocalRepo::open(&dir) {
        Ok(repo) => repo,
        Err(GitError::NotARepository { .. }) => return Err(outside()),
        Err(err) => return Err(Unavailable::failed(&err)),
    };
    let path = match repo.relative_path(file) {
        Ok(path) => path,
        Err(GitError::NotARepository { .. } | GitError::OutsideRepository { .. }) => {
            return Err(outside());
        }
        Err(err) => return Err(Unavailable::failed(&err)),
    };
    let head = match repo.resolve_rev("HEAD") {
        Ok(head) => Some(head),
        // A repository without commits.
        Err(GitError::UnknownRev { .. } | GitError::InvalidRev { .. }) => None,
        Err(err) => return Err(Unavailable::failed(&err)),
    };
    Ok((repo, path, head))
}

fn read(cache: &Cache, file: PathBuf) -> Result<Arc<History>, Unavailable> {
    let (repo, path, head) = locate("history", &file)?;
    let no_history = || {
        Unavailable::none(format!(
            "history is unavailable: `{path}` has no committed history"
        ))
    };
    let Some(head) = head else {
        return Err(no_history());
    };
    // A poisoned lock only means another reader panicked; the cached value is still whole.
    let mut last = cache.last.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((at, history)) = last.as_ref() {
        if *at == head && history.file == path {
            return Ok(Arc::clone(history));
        }
    }
    let history = file_history(&repo, &path, None).map_err(|e| Unavailable::failed(&e))?;
    if history.revisions == 0 {
        return Err(no_history());
    }
    let history = Arc::new(history);
    *last = Some((head, Arc::clone(&history)));
    Ok(history)
}

pub(crate) use edx_matrix_model::error_chain::error_chain;
