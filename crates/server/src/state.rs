//! The shared server state: the current [`Snapshot`], swapped atomically when the source
//! changes, so requests in flight keep the view they started with and none is dropped.

use crate::snapshot::{Attempt, Good, Rendered, Snapshot};
use crate::source::{lock_stamp, read_lock, read_text, stamp};
use crate::watch::{TemplateStamps, Watch, read_templates, stamp_templates};
use arc_swap::ArcSwap;
use edx_matrix_project::MatrixSource;
use edx_matrix_project::Project;
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
pub(crate) type ReloadHook = Arc<dyn Fn(&ReloadReport) + Send + Sync>;

/// The state every handler shares.
pub struct AppState {
    source: MatrixSource,
    snapshot: ArcSwap<Snapshot>,
    watch: Mutex<Watch>,
    pub(crate) webhook_secret: Option<Box<[u8]>>,
    on_reload: Option<ReloadHook>,
    /// The time pages count the age of locked commits to.
    pub(crate) clock: crate::Clock,
    pub(crate) history: crate::history::Cache,
    pub(crate) diff: crate::diff::Cache,
    pub(crate) revisions: crate::revisions::RevisionLoads,
    /// How `/diff` counts commit ranges, when it does (`Options::count_commits`).
    pub(crate) count_commits: Option<edx_matrix_project::git::CountSettings>,
    /// The branch heads push webhooks reported (`/api/v1/hooks/push`), in memory only.
    pub(crate) heads: crate::branch_heads::BranchHeads,
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
        clock: crate::Clock,
    ) -> Result<Self, String> {
        let stamp = stamp(&source);
        let lock_stamp = lock_stamp(&source);
        let text = read_text(&source)?;
        let lock_text = read_lock(&source);
        let project = source.load_served(text.clone(), lock_text.clone());
        let mut watch = Watch {
            stamp,
            text: Some(text),
            lock_stamp,
            lock_text,
            ..Watch::default()
        };
        // The template directories are known only now: unless there are none, the first poll
        // compares their files.
        watch.loaded(&project, &source, TemplateStamps::new(), Default::default());
        let (latest, good) = attempt(&source, 1, Ok(project), None);
        Ok(AppState {
            snapshot: ArcSwap::from_pointee(Snapshot::new(latest, good)),
            watch: Mutex::new(watch),
            webhook_secret: webhook_secret
                .filter(|s| !s.is_empty())
                .map(|s| s.as_bytes().into()),
            on_reload,
            clock,
            history: crate::history::Cache::default(),
            diff: crate::diff::Cache::default(),
            revisions: crate::revisions::RevisionLoads::default(),
            count_commits: None,
            heads: crate::branch_heads::BranchHeads::default(),
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

    /// Re-reads the source if it or one of its pipeline templates changed (or always, with
    /// `force`) and swaps in the result.
    ///
    /// A version with errors (its templates' included), or a file that cannot be read, becomes
    /// the latest attempt (its diagnostics are shown) while the last good matrix stays served.
    pub async fn reload(&self, force: bool) -> ReloadReport {
        let mut watch = self.watch.lock().await;
        let current = self.snapshot.load_full();
        // Stamps first, then the files: a change between the two is seen by the next poll.
        let (stamp, lock_stamp, template_stamps) = {
            let (source, dirs) = (self.source.clone(), watch.template_dirs.clone());
            blocking(move || {
                let stamps = stamp_templates(&source, &dirs);
                (stamp(&source), lock_stamp(&source), stamps)
            })
            .await
            .unwrap_or_default()
        };
        let unchanged = |current: &Snapshot| ReloadReport {
            source: self.source.name(),
            generation: current.generation,
            changed: false,
            good: current.latest.is_good(),
            errors: current.latest.summary().errors,
            warnings: current.latest.summary().warnings,
            read_error: current.latest.outcome.as_ref().err().cloned(),
        };
        if !force
            && stamp == watch.stamp
            && stamp.is_some()
            && lock_stamp == watch.lock_stamp
            && watch.templates_unchanged(&template_stamps)
        {
            return unchanged(&current);
        }
        let (text, lock_text, templates) = {
            let (source, dirs) = (self.source.clone(), watch.template_dirs.clone());
            blocking(move || {
                let templates = read_templates(&source, &dirs);
                (read_text(&source), read_lock(&source), templates)
            })
            .await
            .unwrap_or_else(|e| {
                (
                    Err(format!("cannot read the matrix: {e}")),
                    None,
                    Default::default(),
                )
            })
        };
        // Even a forced reload (the webhook) bumps the generation only when the content changed
        // (the matrix text or a template): a new generation reloads every open dashboard.
        // The lock beside the matrix is part of what is served: a lock that alone changed
        // (a re-lock, a promotion's commits) reloads too.
        let same_text = matches!((&text, &watch.text), (Ok(new), Some(old)) if new == old)
            && lock_text == watch.lock_text
            && templates == watch.templates;
        let same_error = text.is_err()
            && watch.text.is_none()
            && current.latest.outcome.as_ref().err() == text.as_ref().err();
        if same_text || same_error {
            watch.stamp = stamp;
            watch.lock_stamp = lock_stamp;
            watch.template_stamps = Some(template_stamps);
            return unchanged(&current);
        }
        watch.stamp = stamp;
        watch.text = text.as_ref().ok().cloned();
        watch.lock_stamp = lock_stamp;
        watch.lock_text.clone_from(&lock_text);
        let outcome = match text {
            Ok(text) => {
                let source = self.source.clone();
                blocking(move || source.load_served(text, lock_text))
                    .await
                    .map_err(|e| format!("cannot load the matrix: {e}"))
            }
            Err(e) => Err(e),
        };
        match &outcome {
            Ok(project) => watch.loaded(project, &self.source, template_stamps, templates),
            // What was read is remembered even when loading failed: the file that made it fail
            // being removed is then a change, and the next poll reloads.
            Err(_) => {
                watch.template_stamps = Some(template_stamps);
                watch.templates = templates;
            }
        }
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

/// Runs file-system work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, tokio::task::JoinError> {
    tokio::task::spawn_blocking(work).await
}

/// Records an attempt and decides the good matrix to serve after it: one without errors, in
/// the matrix or its templates.
fn attempt(
    source: &MatrixSource,
    generation: u64,
    outcome: Result<Project, String>,
    previous_good: Option<Arc<Good>>,
) -> (Arc<Attempt>, Option<Arc<Good>>) {
    let mut good = previous_good;
    let mut templates = Vec::new();
    let outcome = match outcome.map(|p| (Rendered::of(&p), p.locked(), p.pipelines, p.loaded)) {
        Ok((rendered, lock, pipelines, loaded)) => {
            templates.clone_from(&rendered.diagnostics);
            let fails = rendered.diagnostics.iter().any(|(_, d)| d.is_error());
            if loaded.has_errors() || fails {
                Ok(Arc::new(loaded))
            } else {
                match Good::new(loaded.clone(), pipelines, rendered, generation, lock) {
                    Ok(g) => {
                        good = Some(Arc::new(g));
                        Ok(Arc::new(loaded))
                    }
                    Err(e) => Err(format!("cannot serialise the matrix: {e}")),
                }
            }
        }
        Err(e) => Err(e),
    };
    let latest = Arc::new(Attempt {
        source_name: source.name(),
        generation,
        at: SystemTime::now(),
        outcome,
        templates,
    });
    (latest, good)
}
