//! The history of a matrix file: from every committed revision, the release each
//! (deployment, stage) ran and the commit that changed it, and the lead time of each release
//! from a deployment's first stage to its last. `edx-matrix history` prints it and the
//! dashboard of `edx-matrix serve` shows it.

mod builder;
mod pins;
mod revisions;

use crate::git::{FileCommit, GitError, LocalRepo};
use crate::{Format, Project};
use builder::Builder;
use edx_matrix_formats::Loaded;
pub use edx_matrix_model::history::{
    Bound, CommitRef, History, LeadTime, Timeline, TimelineEvent, format_duration, parse_day,
};
pub(crate) use edx_matrix_model::history::{Skipped, Unreadable, epoch_seconds};
use revisions::load_revisions;
use std::path::Path;

pub mod example;

/// The subject has every URL's credential redacted: every view (terminal, page, JSON) shows it.
/// The terminal and the pages also escape and clip it
/// ([`safe`](edx_matrix_formats::safe)); JSON keeps it whole otherwise.
impl From<&FileCommit> for CommitRef {
    fn from(c: &FileCommit) -> Self {
        CommitRef {
            hash: c.hash.clone(),
            short_hash: c.short_hash.clone(),
            date: c.date.clone(),
            subject: edx_matrix_model::url::redact_text(&c.subject).into_owned(),
        }
    }
}

/// One revision of a matrix file, for [`history_of_revisions`]: the commit, the file's path in
/// it, and its text or why there is none.
#[derive(Debug, Clone)]
pub struct Revision {
    /// The commit.
    pub commit: CommitRef,
    /// The file's path in that commit.
    pub path: String,
    /// The file's text, or why it cannot be read (the revision is then skipped).
    pub text: Result<String, String>,
}

/// Reads the history of the matrix file at `path` (relative to the top-level of `repo`, as
/// [`LocalRepo::relative_path`] returns it), oldest change first. With `deployment`, only that
/// deployment's timelines and lead times are kept ([`History::deployments_seen`] still lists
/// every deployment, to suggest a name).
///
/// A file without committed history gives a history of 0 revisions. Revisions that do not load
/// without errors are listed in [`History::skipped`].
///
/// # Errors
///
/// Returns the [`GitError`] when git fails to list or read the revisions.
pub fn file_history(
    repo: &LocalRepo,
    path: &str,
    deployment: Option<&str>,
) -> Result<History, GitError> {
    let mut log = repo.file_log(path)?;
    log.reverse();
    // One `git cat-file --batch` for every revision: a process per revision would dominate.
    let wanted: Vec<(&str, &str)> = log
        .iter()
        .map(|c| (c.hash.as_str(), c.path_at_commit.as_str()))
        .collect();
    let contents = if wanted.is_empty() {
        Vec::new()
    } else {
        repo.show_files(&wanted)?
    };
    let mut revisions = Vec::with_capacity(contents.len());
    for (commit, content) in log.iter().zip(contents) {
        let text = match content {
            Ok(Some(text)) => Ok(text),
            Ok(None) => Err("the file does not exist in this commit".to_owned()),
            Err(
                err @ (GitError::NotUtf8 { .. }
                | GitError::NotAFile { .. }
                | GitError::TooLarge { .. }),
            ) => Err(err.to_string()),
            Err(err) => return Err(err),
        };
        revisions.push(Revision {
            commit: CommitRef::from(commit),
            path: commit.path_at_commit.clone(),
            text,
        });
    }
    Ok(history_of_revisions(path, revisions, deployment))
}

/// Computes the history of a matrix file from its revisions, oldest first, as [`file_history`]
/// does from git: the built-in example's history ([`example::revisions`]) goes through here too.
/// With `deployment`, only that deployment's timelines and lead times are kept.
pub fn history_of_revisions(
    file: &str,
    revisions: Vec<Revision>,
    deployment: Option<&str>,
) -> History {
    history_in_format(file, revisions, None, deployment)
}

/// [`history_of_revisions`] with the format of every revision's text given (a Python package's
/// text, see `crate::package_text`), or `None` for the format of its path.
pub(crate) fn history_in_format(
    file: &str,
    revisions: Vec<Revision>,
    format: Option<Format>,
    deployment: Option<&str>,
) -> History {
    let mut builder = Builder::new(deployment);
    let mut skipped = Vec::new();
    let count = revisions.len();
    let commits: Vec<CommitRef> = revisions.iter().map(|r| r.commit.clone()).collect();
    let paths: Vec<String> = revisions.iter().map(|r| r.path.clone()).collect();
    for ((commit, path), revision) in commits
        .iter()
        .zip(paths)
        .zip(load_revisions(revisions, format))
    {
        match revision {
            Ok(pins) => builder.add(commit, &pins),
            Err(reason) => {
                // A load error may quote the revision's text: no credential shown.
                let reason = edx_matrix_model::url::redact_text(&reason).into_owned();
                builder.gap(commit, &reason, &path);
                skipped.push(Skipped {
                    commit: commit.clone(),
                    path,
                    reason,
                });
            }
        }
    }
    let deployments_seen = builder.seen_deployments.clone();
    let releases = Builder::all(&builder.releases);
    let stages = Builder::all(&builder.stages);
    let (timelines, lead_times, first_stage, last_stage) = builder.finish();
    History {
        file: file.to_owned(),
        revisions: count,
        first_stage,
        last_stage,
        timelines,
        lead_times,
        skipped,
        deployments_seen,
        releases,
        stages,
        commits,
    }
}

/// Loads project text read from git or a file, in the format of `path` (see
/// [`crate::format_of`]). `name` is what diagnostics call the source.
pub fn load_text(path: &Path, name: String, text: String) -> Project {
    Project::from_path_text(path, name, text)
}

/// Describes the first error of a matrix that has errors, with its line when it has one:
/// `2 errors; first: line 3: unknown release `ulmo``.
pub(crate) fn first_error(loaded: &Loaded) -> String {
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    first_error_of(&errors, &loaded.source)
}

/// [`first_error`] of the errors `errors` of `source`.
pub(crate) fn first_error_of(
    errors: &[edx_matrix_formats::Diagnostic],
    source: &edx_matrix_formats::Source,
) -> String {
    let Some(first) = errors.first() else {
        return "no errors".to_owned();
    };
    let place = first
        .line_col(source)
        .map(|(line, _)| format!("line {line}: "))
        .unwrap_or_default();
    format!(
        "{} error{}; first: {place}{}",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
        first.message
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use revisions::PER_THREAD_AT_LEAST;

    /// Enough revisions to load on several threads: every outcome stays with its revision.
    #[test]
    fn loads_many_revisions_in_order() {
        let acme = edx_matrix_formats::example::TEXT;
        let n = 8 * PER_THREAD_AT_LEAST + 5;
        let commit = |i: usize| CommitRef {
            hash: format!("{i:040x}"),
            short_hash: format!("{i:07x}"),
            date: "2024-01-01T00:00:00Z".to_owned(),
            subject: format!("revision {i}"),
        };
        // Revision i pins `pro`'s CI stage to a release that encodes i % 3; every 7th does not
        // parse, every 11th has no file.
        let releases = ["teak", "ulmo", "verawood"];
        let revisions = (0..n)
            .map(|i| match i {
                _ if i % 11 == 5 => Err(format!("no file in {i}")),
                _ if i % 7 == 3 => Ok(format!("{acme}\n[broken\n")),
                _ => Ok(edx_matrix_test_support::pin_pro(
                    acme,
                    [releases[i % 3], "ulmo", "teak"],
                )),
            })
            .enumerate()
            .map(|(i, text)| Revision {
                commit: commit(i),
                path: "edx-matrix.toml".to_owned(),
                text,
            })
            .collect();
        let loaded = load_revisions(revisions, None);
        assert_eq!(loaded.len(), n);
        for (i, revision) in loaded.iter().enumerate() {
            match revision {
                Ok(pins) => {
                    assert!(i % 11 != 5 && i % 7 != 3, "{i}");
                    assert_eq!(pins.stages, ["CI", "QA", "Production"]);
                    let pro = pins
                        .deployments
                        .iter()
                        .find(|(d, _)| d == "pro")
                        .expect("pro");
                    let ci = ("CI".to_owned(), releases[i % 3].to_owned());
                    assert_eq!(pro.1[0], ci, "{i}");
                }
                Err(reason) if i % 11 == 5 => assert_eq!(reason, &format!("no file in {i}")),
                Err(reason) => {
                    assert_eq!(i % 7, 3, "{i}: {reason}");
                    assert!(reason.contains("invalid TOML"), "{i}: {reason}");
                }
            }
        }
    }
}
