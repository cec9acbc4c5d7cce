//! When lock entries arrived: for each entry, the author date of the oldest commit of the lock
//! file's history from which on, without a break, the lock held that entry's commit (same
//! origin and branch) — what a soak gate measures ([`edx_matrix_model::soak_verdict`]).
//! The history is read newest first, 64 revisions at a time, and stops when every entry
//! found its start or after [`MAX_REVISIONS`] revisions (an entry unchanged for longer counts
//! from the oldest revision read: less soak, never more).

use crate::git::{GitError, LocalRepo};
use edx_matrix_formats::read_lock;
use edx_matrix_model::Arrival;
use edx_matrix_model::Matrix;
use edx_matrix_model::history::epoch_seconds;
use edx_matrix_model::{Lock, LockEntry};
use std::path::Path;

/// The most revisions of the lock file read.
pub(crate) const MAX_REVISIONS: usize = 1000;

/// How many revisions one `git cat-file --batch` reads.
const CHUNK: usize = 64;

/// Returns when each of `entries` (the lock as it is in the working tree) arrived, from the
/// history of the lock file at `lock_path` in the git repository holding it. An entry the
/// newest committed revision does not hold (or a lock outside any repository, or never
/// committed) is [`Arrival::Uncommitted`]. `matrix` names what the old locks may hold.
///
/// # Errors
///
/// Returns an error when git fails on a repository that exists.
pub fn arrivals(
    lock_path: &Path,
    matrix: &Matrix,
    entries: &[&LockEntry],
) -> Result<Vec<Arrival>, GitError> {
    let mut found = vec![Arrival::Uncommitted; entries.len()];
    let dir = match lock_path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let repo = match LocalRepo::open(dir) {
        Ok(repo) => repo,
        Err(GitError::NotARepository { .. }) => return Ok(found),
        Err(e) => return Err(e),
    };
    let path = repo.relative_path(lock_path)?;
    let log = repo.file_log(&path)?;
    let log = &log[..log.len().min(MAX_REVISIONS)];
    let mut open = vec![true; entries.len()];
    for chunk in log.chunks(CHUNK) {
        let files: Vec<(&str, &str)> = chunk
            .iter()
            .map(|c| (c.hash.as_str(), c.path_at_commit.as_str()))
            .collect();
        let texts = repo.show_files(&files)?;
        for (commit, text) in chunk.iter().zip(texts) {
            // A revision without the file, or one that is not text, holds no entry.
            let lock = match text {
                Ok(Some(text)) => read_lock(&text, matrix).lock,
                Ok(None) | Err(_) => Lock::default(),
            };
            let date = epoch_seconds(&commit.date);
            for (i, entry) in entries.iter().enumerate() {
                if !open[i] {
                    continue;
                }
                let held = lock
                    .get(&entry.deployment, &entry.stage, &entry.application)
                    .is_some_and(|old| {
                        old.commit == entry.commit
                            && old.origin == entry.origin
                            && old.branch == entry.branch
                    });
                match (held, date) {
                    (true, Some(date)) => found[i] = Arrival::Since(date),
                    _ => open[i] = false,
                }
            }
            if !open.contains(&true) {
                return Ok(found);
            }
        }
    }
    Ok(found)
}
