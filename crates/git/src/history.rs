//! The history of a matrix file: from every committed revision, the release each
//! (deployment, stage) ran and the commit that changed it, and the lead time of each release
//! from a deployment's first stage to its last. `edx-matrix history` prints it and the
//! dashboard of `edx-matrix serve` shows it.

mod builder;
pub(crate) mod dates;
mod pins;
mod revisions;

use crate::{FileCommit, GitError, LocalRepo};
use builder::Builder;
pub use dates::{epoch_seconds, format_duration};
use edx_matrix_config::Loaded;
use edx_matrix_project::{Project, SourceFormat};
pub use narrow::parse_day;
use revisions::load_revisions;
use serde::Serialize;
use std::path::Path;

pub mod example;
mod narrow;

/// The commit a change landed in.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CommitRef {
    /// The full commit hash.
    pub hash: String,
    /// The abbreviated commit hash.
    pub short_hash: String,
    /// The author date in strict ISO 8601: when the change was written (kept through rebases,
    /// cherry-picks and merges of a pull request, unlike the committer date).
    pub date: String,
    /// The first line of the commit message.
    pub subject: String,
}

/// The subject has every URL's credential redacted: every view (terminal, page, JSON) shows it.
/// The terminal and the pages also escape and clip it
/// ([`safe`](edx_matrix_config::terminal::safe)); JSON keeps it whole otherwise.
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

impl CommitRef {
    /// The subject as a page or a terminal shows it: control, line-separator and bidi characters
    /// escaped, clipped to 200 characters (a 2 MB subject made a 6.9 MB page, issue 22).
    pub fn shown_subject(&self) -> std::borrow::Cow<'_, str> {
        edx_matrix_config::terminal::safe(&self.subject)
    }

    /// Returns the calendar day of the commit (`2024-06-01`).
    pub fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }
}

/// A stage's release changing in a commit; `release` is `None` when the stage was removed, or
/// when the revision cannot be read (`unreadable`): what the stage ran from there until the next
/// readable revision is unknown, and no state is carried across the gap.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct TimelineEvent {
    /// The release the stage runs from this commit on.
    pub release: Option<String>,
    /// The commit that made the change.
    pub commit: CommitRef,
    /// Set when this revision could not be read: the start of a gap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unreadable: Option<Unreadable>,
}

/// Why a revision could not be read.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    /// The first error, or why the file is not there.
    pub reason: String,
    /// Where: the file's path in that commit.
    pub location: String,
}

/// Which way a lead time measured across a gap of unreadable revisions may be off.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The first stage may have got the release inside the gap, earlier: at least this long.
    AtLeast,
    /// The last stage may have got it inside the gap, earlier: at most this long.
    AtMost,
}

/// The releases one (deployment, stage) ran, oldest first.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Timeline {
    /// The deployment.
    pub deployment: String,
    /// The stage.
    pub stage: String,
    /// Every change of the stage's release, oldest first.
    pub changes: Vec<TimelineEvent>,
}

/// When a release first reached the first and the last stage of a deployment.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct LeadTime {
    /// The deployment.
    pub deployment: String,
    /// The release.
    pub release: String,
    /// The first commit where the deployment's first stage runs the release.
    pub first_stage: Option<CommitRef>,
    /// The first commit where the deployment's last stage runs the release.
    pub last_stage: Option<CommitRef>,
    /// Seconds from `first_stage` to `last_stage`, when both exist in that order.
    pub seconds: Option<i64>,
    /// A rolling line (`master`): the last stage never "finishes" it, so no lead time is due.
    pub rolling: bool,
    /// Set when a gap of unreadable revisions comes right before one end: `seconds` is a bound.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bound: Option<Bound>,
    /// Why `seconds` is omitted when gaps come before both ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted: Option<String>,
}

/// A revision that was not read, and why.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The commit.
    pub commit: CommitRef,
    /// The file's path in that commit.
    pub path: String,
    /// Why it was skipped: the file is missing, or its first error.
    pub reason: String,
}

/// The history of a matrix file, as [`file_history`] reads it.
#[derive(Serialize, Debug)]
pub struct History {
    /// The file's path relative to the top-level of the working tree.
    pub file: String,
    /// The revisions of the file that were read (skipped ones included).
    pub revisions: usize,
    /// The first and last stage of the newest readable revision.
    pub first_stage: Option<String>,
    /// See `first_stage`.
    pub last_stage: Option<String>,
    /// One timeline per (deployment, stage), in order of first appearance.
    pub timelines: Vec<Timeline>,
    /// One lead time per (deployment, release) seen at the first or last stage.
    pub lead_times: Vec<LeadTime>,
    /// The revisions that do not load without errors.
    pub skipped: Vec<Skipped>,
    /// Every deployment of any readable revision, in order of first appearance.
    #[serde(skip)]
    pub deployments_seen: Vec<String>,
    /// Every release of any readable revision: the newest revision's releases in its order (the
    /// order the grid colours them by), then the releases only older revisions define, newest
    /// first.
    #[serde(skip)]
    pub releases: Vec<String>,
    /// Every stage of any readable revision, in promotion order: the newest revision's stages,
    /// then the stages only older revisions have.
    #[serde(skip)]
    pub stages: Vec<String>,
    /// Every revision read (skipped ones included), oldest first: what a change is compared with
    /// to show the commit's diff.
    #[serde(skip)]
    pub commits: Vec<CommitRef>,
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

impl History {
    /// Returns the revision read just before the one at `hash`, if any.
    pub fn previous(&self, hash: &str) -> Option<&CommitRef> {
        let at = self.commits.iter().position(|c| c.hash == hash)?;
        at.checked_sub(1).map(|i| &self.commits[i])
    }
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
/// text, see `edx_matrix_project::package_text`), or `None` for the format of its path.
pub(crate) fn history_in_format(
    file: &str,
    revisions: Vec<Revision>,
    format: Option<SourceFormat>,
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
/// [`edx_matrix_project::format_of`]). `name` is what diagnostics call the source.
pub fn load_text(path: &Path, name: String, text: String) -> Project {
    Project::from_path_text(path, name, text)
}

/// Describes the first error of a matrix that has errors, with its line when it has one:
/// `2 errors; first: line 3: unknown release `ulmo``.
pub fn first_error(loaded: &Loaded) -> String {
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    let Some(first) = errors.first() else {
        return "no errors".to_owned();
    };
    let place = first
        .line_col(&loaded.source)
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
        let acme = edx_matrix_config::example::TEXT;
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
                _ => Ok(edx_matrix_test_support::acme::pin_pro(
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
