//! [`verify_refs`]: checking that the branches and tags a matrix names exist upstream.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::git::{RemoteError, RemoteRef, RemoteRefs};

/// A branch or tag expected to exist in a repository.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct WantedRef {
    /// The repository URL.
    pub origin: String,
    /// A branch or tag name (`release/ulmo`, `open-release/palm.1`), or a full ref name
    /// starting with `refs/`.
    pub branch: String,
}

impl WantedRef {
    /// Returns a `WantedRef` for `branch` in `origin`.
    #[must_use]
    pub fn new(origin: impl Into<String>, branch: impl Into<String>) -> Self {
        Self {
            origin: origin.into(),
            branch: branch.into(),
        }
    }

    /// Returns the distinct (origin, branch) pairs that `rows` build, sorted.
    #[must_use]
    pub fn of_rows(rows: &[edx_matrix_model::Row<'_>]) -> Vec<Self> {
        rows.iter()
            .map(|r| Self::new(r.git_origin, r.release_branch))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    }
}

/// Returns the distinct origins of `wanted`, sorted: each is listed once.
pub(crate) fn distinct_origins<'a>(wanted: &BTreeSet<&'a WantedRef>) -> Vec<&'a str> {
    wanted
        .iter()
        .map(|w| w.origin.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Progress of [`verify_refs`], reported once each origin is finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// How many origins are finished, this one included.
    pub done: usize,
    /// How many distinct origins are checked in all.
    pub total: usize,
    /// The origin just finished.
    pub origin: String,
}

/// What [`verify_refs`] found.
#[derive(Debug, Default, Serialize)]
pub struct VerifyReport {
    /// How many distinct origins were queried.
    pub checked_origins: usize,
    /// Wanted refs whose origin answered without them, sorted, without duplicates.
    pub missing: Vec<WantedRef>,
    /// Origins that could not be listed, with the last error, sorted by origin. Their
    /// wanted refs count neither as present nor as missing.
    pub unreachable: Vec<(String, RemoteError)>,
    /// How many distinct wanted refs were found.
    pub present: usize,
}

impl VerifyReport {
    /// Tells whether every wanted ref was found.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty() && self.unreachable.is_empty()
    }
}

/// Checks that every wanted ref exists in its origin.
///
/// A wanted `branch` is present when the origin has `refs/heads/<branch>` or
/// `refs/tags/<branch>` (or exactly `<branch>` when it starts with `refs/`). Each
/// distinct origin (compared as written) is listed once by `remote`, with up to
/// `retries` more attempts after a transient error, by `jobs` worker threads (at least
/// one, at most one per origin). `on_progress` is called once per finished origin,
/// from the worker threads, with `done` counting up from 1.
pub fn verify_refs(
    remote: &dyn RemoteRefs,
    wanted: &[WantedRef],
    jobs: usize,
    retries: u32,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> VerifyReport {
    let wanted: BTreeSet<&WantedRef> = wanted.iter().collect();
    let origins = distinct_origins(&wanted);
    let listed = list_all(remote, &origins, jobs, retries, on_progress);

    let mut report = VerifyReport {
        checked_origins: origins.len(),
        ..VerifyReport::default()
    };
    let mut names: BTreeMap<&str, HashSet<String>> = BTreeMap::new();
    for (origin, result) in listed {
        match result {
            Ok(refs) => {
                names.insert(origin, refs.into_iter().map(|r| r.name).collect());
            }
            Err(err) => report.unreachable.push((origin.to_owned(), err)),
        }
    }
    for want in wanted {
        let Some(names) = names.get(want.origin.as_str()) else {
            continue;
        };
        if is_present(names, &want.branch) {
            report.present += 1;
        } else {
            report.missing.push(want.clone());
        }
    }
    report
}

fn is_present(names: &HashSet<String>, branch: &str) -> bool {
    if branch.starts_with("refs/") {
        return names.contains(branch);
    }
    names.contains(&format!("refs/heads/{branch}"))
        || names.contains(&format!("refs/tags/{branch}"))
}

pub(crate) type Listing<'a> = (&'a str, Result<Vec<RemoteRef>, RemoteError>);

/// Lists every origin on `jobs` scoped threads pulling from a shared queue; the
/// result is sorted by origin.
pub(crate) fn list_all<'a>(
    remote: &dyn RemoteRefs,
    origins: &[&'a str],
    jobs: usize,
    retries: u32,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Vec<Listing<'a>> {
    let next = AtomicUsize::new(0);
    let done = Mutex::new(0_usize);
    let total = origins.len();
    let workers = jobs.clamp(1, total.max(1));
    let mut results: Vec<Listing<'a>> = thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&origin) = origins.get(index) else {
                            break;
                        };
                        let result = list_with_retries(remote, origin, retries);
                        mine.push((origin, result));
                        // Report under the lock so `done` reaches the callback in order.
                        let mut done = done
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        *done += 1;
                        on_progress(Progress {
                            done: *done,
                            total,
                            origin: origin.to_owned(),
                        });
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    });
    results.sort_by(|a, b| a.0.cmp(b.0));
    results
}

fn list_with_retries(
    remote: &dyn RemoteRefs,
    origin: &str,
    retries: u32,
) -> Result<Vec<RemoteRef>, RemoteError> {
    let mut attempt = 0;
    loop {
        match remote.list_refs(origin) {
            Err(err) if err.is_transient() && attempt < retries => {
                attempt += 1;
                // Back off a little: busy servers (git daemon) reset bursts of connections.
                thread::sleep(Duration::from_millis(100) * 2_u32.pow(attempt.min(5) - 1));
            }
            result => return result,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// An in-memory remote, to test the bookkeeping without git (the git-backed tests
    /// live in `tests/`).
    struct Fake {
        calls: Mutex<Vec<String>>,
    }

    impl RemoteRefs for Fake {
        fn list_refs(&self, url: &str) -> Result<Vec<RemoteRef>, RemoteError> {
            self.calls.lock().unwrap().push(url.to_owned());
            match url {
                "a" => Ok(vec![
                    RemoteRef {
                        name: "refs/heads/main".into(),
                        oid: "1".into(),
                    },
                    RemoteRef {
                        name: "refs/tags/v1".into(),
                        oid: "2".into(),
                    },
                ]),
                "bad" => Err(RemoteError::InvalidUrl {
                    url: url.into(),
                    reason: "no".into(),
                }),
                _ => Err(RemoteError::Unreachable {
                    url: url.into(),
                    reason: "down".into(),
                }),
            }
        }
    }

    #[test]
    fn sorts_dedups_and_retries_only_transient_errors() {
        let fake = Fake {
            calls: Mutex::new(Vec::new()),
        };
        let wanted = [
            WantedRef::new("a", "v1"),
            WantedRef::new("a", "nope"),
            WantedRef::new("a", "main"),
            WantedRef::new("a", "main"),
            WantedRef::new("a", "refs/heads/main"),
            WantedRef::new("a", "refs/heads/v1"),
            WantedRef::new("down", "main"),
            WantedRef::new("bad", "main"),
        ];
        let seen = Mutex::new(Vec::new());
        let report = verify_refs(&fake, &wanted, 8, 1, &|p| seen.lock().unwrap().push(p));
        assert_eq!(report.checked_origins, 3);
        assert_eq!(report.present, 3);
        assert_eq!(
            report.missing,
            vec![
                WantedRef::new("a", "nope"),
                WantedRef::new("a", "refs/heads/v1")
            ]
        );
        let unreachable: Vec<&str> = report.unreachable.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(unreachable, ["bad", "down"]);
        let mut calls = fake.calls.into_inner().unwrap();
        calls.sort();
        assert_eq!(calls, ["a", "bad", "down", "down"]);
        let seen = seen.into_inner().unwrap();
        assert_eq!(seen.iter().map(|p| p.done).collect::<Vec<_>>(), [1, 2, 3]);
        assert!(seen.iter().all(|p| p.total == 3));
    }

    #[test]
    fn handles_nothing_wanted_and_zero_jobs() {
        let fake = Fake {
            calls: Mutex::new(Vec::new()),
        };
        let report = verify_refs(&fake, &[], 0, 0, &|_| {});
        assert_eq!(report.checked_origins, 0);
        assert!(report.is_ok());
        let report = verify_refs(&fake, &[WantedRef::new("a", "main")], 0, 0, &|_| {});
        assert_eq!(report.present, 1);
    }
}
