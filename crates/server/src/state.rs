//! The shared server state: the current [`Snapshot`], swapped atomically when the source
//! changes, so requests in flight keep the view they started with and none is dropped.

use crate::snapshot::{Attempt, Good, Snapshot};
use crate::source::{FileStamp, MatrixSource};
use arc_swap::ArcSwap;
use std::sync::Arc;
use std::time::SystemTime;
use tokio::sync::Mutex;

/// What a reload did, for logging.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReloadReport {
    /// The source's display name.
    pub source: String,
    /// The generation after the reload.
    pub generation: u64,
    /// Whether anything was (re)loaded; `false` when the source was unchanged.
    pub changed: bool,
    /// Whether the new version is served (it has no errors).
    pub good: bool,
    /// Error count of the latest attempt.
    pub errors: usize,
    /// Warning count of the latest attempt.
    pub warnings: usize,
    /// Why the source could not be read, if it could not.
    pub read_error: Option<String>,
}

/// A function told about every reload that changed something.
pub type ReloadHook = Arc<dyn Fn(&ReloadReport) + Send + Sync>;

/// What the reloader remembers between polls.
#[derive(Default)]
struct Watch {
    stamp: Option<FileStamp>,
    text: Option<String>,
}

/// The state every handler shares.
pub struct AppState {
    source: MatrixSource,
    snapshot: ArcSwap<Snapshot>,
    watch: Mutex<Watch>,
    pub(crate) webhook_secret: Option<Box<[u8]>>,
    on_reload: Option<ReloadHook>,
    pub(crate) history: crate::history::Cache,
    pub(crate) diff: crate::diff::Cache,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("source", &self.source)
            .field("generation", &self.snapshot.load().generation)
            .field("webhook", &self.webhook_secret.is_some())
            .finish_non_exhaustive()
    }
}

impl AppState {
    /// Loads `source` for the first time; fails only when it cannot be read at all.
    pub(crate) fn load(
        source: MatrixSource,
        webhook_secret: Option<&str>,
        on_reload: Option<ReloadHook>,
    ) -> Result<Self, String> {
        let stamp = source.stamp();
        let text = source.read_text()?;
        let loaded = source.load(text.clone());
        let (latest, good) = attempt(&source, 1, Ok(loaded), None);
        Ok(AppState {
            snapshot: ArcSwap::from_pointee(Snapshot::new(latest, good)),
            watch: Mutex::new(Watch {
                stamp,
                text: Some(text),
            }),
            webhook_secret: webhook_secret
                .filter(|s| !s.is_empty())
                .map(|s| s.as_bytes().into()),
            on_reload,
            history: crate::history::Cache::default(),
            diff: crate::diff::Cache::default(),
            source,
        })
    }

    /// Returns the current snapshot.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.snapshot.load_full()
    }

    /// Returns the source served.
    pub fn source(&self) -> &MatrixSource {
        &self.source
    }

    /// Re-reads the source if it changed (or always, with `force`) and swaps in the result.
    ///
    /// A version with errors, or a file that cannot be read, becomes the latest attempt (its
    /// diagnostics are shown) while the last good matrix stays served.
    pub async fn reload(&self, force: bool) -> ReloadReport {
        let mut watch = self.watch.lock().await;
        let current = self.snapshot.load_full();
        let stamp = self.source.stamp();
        let unchanged = |current: &Snapshot| ReloadReport {
            source: self.source.name(),
            generation: current.generation,
            changed: false,
            good: current.latest.is_good(),
            errors: current.latest.summary().errors,
            warnings: current.latest.summary().warnings,
            read_error: current.latest.outcome.as_ref().err().cloned(),
        };
        if !force && stamp == watch.stamp && stamp.is_some() {
            return unchanged(&current);
        }
        let source = self.source.clone();
        let text = tokio::task::spawn_blocking(move || source.read_text())
            .await
            .unwrap_or_else(|e| Err(format!("cannot read the matrix: {e}")));
        // Even a forced reload (the webhook) bumps the generation only when the content changed:
        // a new generation reloads every open dashboard.
        let same_text = matches!((&text, &watch.text), (Ok(new), Some(old)) if new == old);
        let same_error = text.is_err()
            && watch.text.is_none()
            && current.latest.outcome.as_ref().err() == text.as_ref().err();
        if same_text || same_error {
            watch.stamp = stamp;
            return unchanged(&current);
        }
        watch.stamp = stamp;
        watch.text = text.as_ref().ok().cloned();
        let outcome = match text {
            Ok(text) => {
                let source = self.source.clone();
                tokio::task::spawn_blocking(move || source.load(text))
                    .await
                    .map_err(|e| format!("cannot load the matrix: {e}"))
            }
            Err(e) => Err(e),
        };
        let (latest, good) = attempt(
            &self.source,
            current.generation + 1,
            outcome,
            current.good.clone(),
        );
        let snapshot = Snapshot::new(latest, good);
        let summary = snapshot.latest.summary();
        let report = ReloadReport {
            source: self.source.name(),
            generation: snapshot.generation,
            changed: true,
            good: snapshot.latest.is_good(),
            errors: summary.errors,
            warnings: summary.warnings,
            read_error: snapshot.latest.outcome.as_ref().err().cloned(),
        };
        self.snapshot.store(Arc::new(snapshot));
        drop(watch);
        if let Some(hook) = &self.on_reload {
            hook(&report);
        }
        report
    }
}

/// Records an attempt and decides the good matrix to serve after it.
fn attempt(
    source: &MatrixSource,
    generation: u64,
    outcome: Result<edx_matrix_project::Project, String>,
    previous_good: Option<Arc<Good>>,
) -> (Arc<Attempt>, Option<Arc<Good>>) {
    let mut good = previous_good;
    let outcome = match outcome.map(|p| {
        let templates = p.templates().map(|t| t.files.clone());
        (p.pipelines, templates, p.loaded)
    }) {
        Ok((pipelines, templates, loaded)) if !loaded.has_errors() => {
            match Good::new(loaded.clone(), pipelines, templates, generation) {
                Ok(g) => {
                    good = Some(Arc::new(g));
                    Ok(Arc::new(loaded))
                }
                Err(e) => Err(format!("cannot serialise the matrix: {e}")),
            }
        }
        Ok((_, _, loaded)) => Ok(Arc::new(loaded)),
        Err(e) => Err(e),
    };
    let latest = Arc::new(Attempt {
        source_name: source.name(),
        generation,
        at: SystemTime::now(),
        outcome,
    });
    (latest, good)
}
