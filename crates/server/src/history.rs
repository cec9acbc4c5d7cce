//! The git history of the served matrix file, for `/history` and `/api/v1/history`.
//!
//! The history is read with [`edx_matrix_project::git::history::file_history`] (the same computation as
//! `edx-matrix history`) when asked for, and kept until `HEAD` moves: a request costs two quick
//! `git` calls when nothing was committed since the last one. The built-in example has its
//! synthetic history ([`edx_matrix_project::git::history::example`]); a file outside any git working tree
//! has none.

use crate::state::AppState;
use axum::http::StatusCode;
use edx_matrix_model::UnknownName;
use edx_matrix_model::known_names::NameKind;
use edx_matrix_project::MatrixSource;
use edx_matrix_project::git::history::{History, example, file_history, parse_day};
use edx_matrix_project::git::{GitError, LocalRepo};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Why there is no history to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Unavailable {
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
            static EXAMPLE: OnceLock<Arc<History>> = OnceLock::new();
            return Ok(Arc::clone(
                EXAMPLE.get_or_init(|| Arc::new(example::history(None))),
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
    let history = if edx_matrix_project::is_python_package(&file) {
        edx_matrix_project::git::package_history(&repo, &path, None)
    } else {
        file_history(&repo, &path, None)
    }
    .map_err(|e| Unavailable::failed(&e))?;
    if history.revisions == 0 {
        return Err(no_history());
    }
    let history = Arc::new(history);
    *last = Some((head, Arc::clone(&history)));
    Ok(history)
}

pub(crate) use edx_matrix_model::error_chain;

/// The narrowing `/history` and `/api/v1/history` accept: `?deployment=NAME&since=YYYY-MM-DD`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Narrowing {
    pub deployment: Option<String>,
    /// The day as given, and its start in seconds since the epoch.
    pub since: Option<(String, i64)>,
}

impl Narrowing {
    /// Parses the query string; the message says what is wrong. With `form`, empty values (what
    /// the page's form sends for "every deployment" and "no date") are left out.
    pub(crate) fn parse(query: Option<&str>, form: bool) -> Result<Self, String> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|e| format!("bad query string: {e}"))?;
        let mut narrowing = Narrowing::default();
        for (key, value) in pairs {
            let twice = || format!("query parameter `{key}` is given twice");
            match key.as_str() {
                "deployment" | "since" if form && value.is_empty() => {}
                "deployment" if value.is_empty() => {
                    return Err("query parameter `deployment` is empty".to_owned());
                }
                "deployment" if narrowing.deployment.is_some() => return Err(twice()),
                "deployment" => narrowing.deployment = Some(value),
                "since" if narrowing.since.is_some() => return Err(twice()),
                "since" => {
                    let at =
                        parse_day(&value).map_err(|e| format!("query parameter `since`: {e}"))?;
                    narrowing.since = Some((value, at));
                }
                _ => {
                    return Err(format!(
                        "unknown query parameter `{key}`; the filters are `deployment` and `since`"
                    ));
                }
            }
        }
        Ok(narrowing)
    }

    /// Returns `history` narrowed, or (404) why not: an unknown deployment, with a suggestion.
    pub(crate) fn apply(&self, history: &Arc<History>) -> Result<Arc<History>, UnknownName> {
        if let Some(want) = &self.deployment {
            if !history.deployments_seen.contains(want) {
                // Any deployment some revision had is a known name here.
                return Err(UnknownName::new(
                    NameKind::Deployment.what(),
                    want,
                    history.deployments_seen.iter().map(String::as_str),
                ));
            }
        }
        if self.deployment.is_none() && self.since.is_none() {
            return Ok(Arc::clone(history));
        }
        Ok(Arc::new(history.narrowed(
            self.deployment.as_deref(),
            self.since.as_ref().map(|(_, at)| *at),
        )))
    }
}
