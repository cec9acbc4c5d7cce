//! Loading revisions for `/diff?base=&head=` and `/api/v1/diff`: at most [`CONCURRENT`] at once
//! (a request waits up to [`WAIT`] for its turn, then gets a 503), and the last [`CACHED`]
//! comparisons kept by commit hash, so asking again for the same revisions runs no template.
//!
//! A revision's templates run inside their bounds (`[pipelines] template_*`, with hard
//! ceilings), on a blocking thread, never on the async workers.

use crate::diff::WorkingDiff;
use crate::history::Unavailable;
use axum::http::StatusCode;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many revision comparisons run at once.
pub(crate) const CONCURRENT: usize = 2;
/// How long a request waits for its turn.
pub(crate) const WAIT: Duration = Duration::from_secs(30);
/// How many comparisons are kept.
pub(crate) const CACHED: usize = 16;

/// What identifies a comparison: the base commit and its revision as given (empty for none), the
/// head's (empty for the served matrix) and the served generation.
pub(crate) type Key = (String, String, u64);

/// The limiter and the cache.
#[derive(Debug)]
pub(crate) struct RevisionLoads {
    permits: Arc<Semaphore>,
    cache: Mutex<VecDeque<(Key, Arc<WorkingDiff>)>>,
}

impl Default for RevisionLoads {
    fn default() -> Self {
        RevisionLoads {
            permits: Arc::new(Semaphore::new(CONCURRENT)),
            cache: Mutex::new(VecDeque::with_capacity(CACHED)),
        }
    }
}

impl RevisionLoads {
    /// Waits for a turn to load revisions; a 503 when none comes within [`WAIT`].
    pub(crate) async fn permit(&self) -> Result<OwnedSemaphorePermit, Unavailable> {
        let busy = || Unavailable {
            status: StatusCode::SERVICE_UNAVAILABLE,
            reason: format!(
                "diff is unavailable: {CONCURRENT} revision comparisons are running; try again"
            ),
        };
        match tokio::time::timeout(WAIT, Arc::clone(&self.permits).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(busy()),
        }
    }

    /// Returns the comparison `key` if it is kept (and keeps it longest).
    pub(crate) fn get(&self, key: &Key) -> Option<Arc<WorkingDiff>> {
        // A poisoned lock only means another reader panicked; the entries are whole.
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        let at = cache.iter().position(|(k, _)| k == key)?;
        let entry = cache.remove(at)?;
        let diff = Arc::clone(&entry.1);
        cache.push_front(entry);
        Some(diff)
    }

    /// Keeps the comparison `key`, dropping the one used least recently past [`CACHED`].
    pub(crate) fn put(&self, key: Key, diff: Arc<WorkingDiff>) {
        let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
        cache.retain(|(k, _)| *k != key);
        cache.push_front((key, diff));
        cache.truncate(CACHED);
    }

    /// Returns how many comparisons are kept (for tests).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.cache.lock().map_or(0, |c| c.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn diff(file: &str) -> Arc<WorkingDiff> {
        let mut diff = edx_matrix_project::compare(
            edx_matrix_project::Project::example().diff_side(),
            edx_matrix_project::Project::example().diff_side(),
        );
        diff.file = Some(file.to_owned());
        Arc::new(WorkingDiff {
            diff,
            generation: 1,
            working_tree: false,
            at_head: false,
            pipeline_origins: Default::default(),
        })
    }

    #[test]
    fn the_least_recently_used_comparison_goes_first() {
        let loads = RevisionLoads::default();
        let key = |i: usize| (format!("{i}"), String::new(), 1);
        for i in 0..CACHED {
            loads.put(key(i), diff(&i.to_string()));
        }
        // 0 used again: 1 is now the least recently used.
        assert_eq!(
            loads.get(&key(0)).and_then(|d| d.file.clone()),
            Some("0".to_owned())
        );
        loads.put(key(CACHED), diff("new"));
        assert_eq!(loads.len(), CACHED);
        assert!(loads.get(&key(1)).is_none());
        assert!(loads.get(&key(0)).is_some());
        assert!(loads.get(&key(2)).is_some());
    }

    #[tokio::test]
    async fn no_more_than_the_limit_load_at_once() {
        let loads = RevisionLoads::default();
        let mut held = Vec::new();
        for _ in 0..CONCURRENT {
            held.push(
                loads
                    .permit()
                    .await
                    .unwrap_or_else(|e| panic!("{}", e.reason)),
            );
        }
        assert_eq!(loads.permits.available_permits(), 0);
        drop(held.pop());
        assert!(loads.permit().await.is_ok());
    }
}
