//! `verify-refs --locked`: every locked commit still on its branch upstream. A branch whose head
//! is the locked commit needs nothing more; any other is fetched (commits only) into a scratch
//! repository and asked whether the commit is an ancestor of the head. A force-push that dropped
//! the commit is reported at its entry in the lock file.

use crate::error::CommandError;
use edx_matrix_model::{Filter, resolve};
use edx_matrix_project::Project;
use edx_matrix_project::git::{GitCli, WantedRef, commit_on_branch, redact_url, resolve_refs};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What the locked commits check found.
#[derive(Serialize)]
pub(super) struct LockedReport {
    /// How many locked commits were checked (entries that still match the matrix).
    pub checked: usize,
    /// The locked commits no longer reachable from their branch.
    pub not_on_branch: Vec<NotOnBranch>,
    /// Locked commits that could not be checked (the fetch failed), with the reason.
    pub unchecked: Vec<(String, String)>,
}

/// One locked commit that is not on its branch.
#[derive(Serialize)]
pub(super) struct NotOnBranch {
    deployment: String,
    stage: String,
    application: String,
    origin: String,
    branch: String,
    commit: String,
    head: String,
    /// `edx-matrix.lock:LINE:COL` of the entry.
    place: String,
}

impl LockedReport {
    /// The report for people.
    pub(super) fn render(&self) -> String {
        let mut text = String::new();
        for n in &self.not_on_branch {
            let _ = writeln!(
                text,
                "{}: locked commit {} of `{}` ({} {}) is not on `{}` of {} (head {}): force-pushed?",
                n.place, n.commit, n.application, n.deployment, n.stage, n.branch, n.origin, n.head
            );
        }
        for (what, reason) in &self.unchecked {
            let _ = writeln!(text, "not checked: {what}: {reason}");
        }
        let _ = writeln!(
            text,
            "{} locked commit{}: {} not on their branch\n",
            self.checked,
            if self.checked == 1 { "" } else { "s" },
            self.not_on_branch.len()
        );
        text
    }
}

/// Checks every lock entry that still matches the matrix.
pub(super) fn check(
    project: &Project,
    git: &GitCli,
    jobs: usize,
    retries: u32,
) -> Result<LockedReport, CommandError> {
    let Some(lock) = project.lock() else {
        return Err(CommandError::usage("no lock to verify"));
    };
    let mut rows = resolve(project.matrix(), &Filter::default()).rows;
    lock.lock().apply(&mut rows);
    let rows: Vec<_> = rows.into_iter().filter(|r| r.commit.is_some()).collect();
    let wanted = WantedRef::of_rows(&rows);
    let heads = resolve_refs(git, &wanted, jobs, retries, &|_| {});
    let scratch = tempfile::tempdir()
        .map_err(|e| CommandError::io(format!("cannot create a scratch directory: {e}")))?;
    // One scratch repository per origin: a fetch of one never mixes with another's objects.
    let mut repos: BTreeMap<&str, usize> = BTreeMap::new();
    let mut report = LockedReport {
        checked: 0,
        not_on_branch: Vec::new(),
        unchecked: Vec::new(),
    };
    for row in &rows {
        let (Some(commit), Some(head)) = (
            row.commit,
            heads
                .commits
                .get(&WantedRef::new(row.git_origin, row.release_branch)),
        ) else {
            // A missing branch or an unreachable origin is verify-refs' own report.
            continue;
        };
        report.checked += 1;
        let next = repos.len();
        let repo = scratch
            .path()
            .join(repos.entry(row.git_origin).or_insert(next).to_string());
        match commit_on_branch(
            &repo,
            row.git_origin,
            row.release_branch,
            head,
            commit,
            git.timeout(),
        ) {
            Ok(true) => {}
            Ok(false) => {
                let place = lock
                    .lock()
                    .get(row.deployment, row.stage, row.application)
                    .and_then(|e| lock.read.spans_of(e))
                    .map(|s| {
                        let (line, col) = lock.source.line_col(s.entry.start);
                        format!("{}:{line}:{col}", lock.source.name)
                    })
                    .unwrap_or_else(|| lock.source.name.clone());
                report.not_on_branch.push(NotOnBranch {
                    deployment: row.deployment.to_owned(),
                    stage: row.stage.to_owned(),
                    application: row.application.to_owned(),
                    origin: redact_url(row.git_origin),
                    branch: row.release_branch.to_owned(),
                    commit: commit.to_owned(),
                    head: head.clone(),
                    place,
                });
            }
            Err(e) => report.unchecked.push((
                format!("{} {} {}", row.deployment, row.stage, row.application),
                edx_matrix_model::error_chain(&e),
            )),
        }
    }
    Ok(report)
}
