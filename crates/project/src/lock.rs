//! The project's lock: `edx-matrix.lock` beside the matrix, read with the matrix by
//! [`Project::load`](crate::Project::load) so every command sees the same locked commits, and
//! compared with the matrix for `check` (`lock-stale`, located in both files).

use crate::Project;
use edx_matrix_formats::{Diagnostic, Location, Source};
use edx_matrix_formats::{LockRead, read_lock};
use edx_matrix_model::EntryField;
use edx_matrix_model::{Code, Filter, Subject, resolve};
use edx_matrix_model::{Lock, Stale, stale_entries};
use std::path::{Path, PathBuf};

/// The lock of a project, as read.
#[derive(Clone, Debug)]
pub struct ProjectLock {
    /// The lock file's name and text.
    pub source: Source,
    /// The entries and where they were written.
    pub read: LockRead,
}

impl ProjectLock {
    /// Returns the well-formed entries.
    pub fn lock(&self) -> &Lock {
        &self.read.lock
    }

    /// Returns whether the file itself has errors (malformed, duplicate or unknown entries):
    /// commands that use locked commits refuse such a lock rather than half of it.
    pub fn has_errors(&self) -> bool {
        self.read.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Returns the lock file of the matrix at `path`: the same name with the extension `.lock`
/// (`edx-matrix.toml` → `edx-matrix.lock`).
pub fn lock_path(path: &Path) -> PathBuf {
    path.with_extension("lock")
}

impl Project {
    /// Returns this project with the lock text `text` (read from the file `name`).
    pub fn with_lock(mut self, name: impl Into<String>, text: impl Into<String>) -> Project {
        let source = Source::new(name, text);
        let read = read_lock(&source.text, self.matrix());
        self.lock = Some(ProjectLock { source, read });
        // Templates see the locked commits: render again with them.
        self.rendering = std::sync::OnceLock::new();
        self
    }

    /// Returns the lock, when the project has one.
    pub fn lock(&self) -> Option<&ProjectLock> {
        self.lock.as_ref()
    }

    /// Returns the well-formed locked commits (empty without a lock).
    pub fn locked(&self) -> Lock {
        self.lock
            .as_ref()
            .map(|l| l.lock().clone())
            .unwrap_or_default()
    }

    /// Returns every problem of the lock, each with the source it is located in: the lock
    /// file's own, then `lock-stale` (a matrix or lock with errors is not compared). A stale entry whose
    /// row the matrix still builds is reported in the lock and at the matrix's value.
    pub fn lock_diagnostics(&self) -> Vec<(Source, Diagnostic)> {
        let Some(lock) = &self.lock else {
            return Vec::new();
        };
        let mut out: Vec<(Source, Diagnostic)> = lock
            .read
            .diagnostics
            .iter()
            .map(|d| (lock.source.clone(), d.clone()))
            .collect();
        // A malformed lock or a matrix with errors is not compared: fix those first.
        if self.has_errors() || lock.has_errors() {
            return out;
        }
        let rows = resolve(self.matrix(), &Filter::default()).rows;
        for stale in stale_entries(lock.lock(), &rows) {
            match stale {
                Stale::Changed {
                    entry,
                    origin,
                    branch,
                } => {
                    let e = &lock.lock().entries()[entry];
                    let spans = lock.read.spans_of(e).cloned().unwrap_or_default();
                    let (span, now, field) = if e.origin == origin {
                        (
                            spans.branch,
                            format!("branch `{branch}`"),
                            EntryField::Branch,
                        )
                    } else {
                        (
                            spans.origin,
                            format!("origin `{origin}`"),
                            EntryField::Origin,
                        )
                    };
                    let message = format!(
                        "the lock of `{}` in stage `{}` of `{}` is stale: the matrix builds {now} now",
                        e.application, e.stage, e.deployment
                    );
                    let d = Diagnostic::new(
                        Code::LockStale,
                        Location::Span(span),
                        &message,
                        "locked before the change",
                    )
                    .with_help(format!(
                        "re-lock it: `edx-matrix lock --deployment {} --stage {}`",
                        e.deployment, e.stage
                    ));
                    out.push((lock.source.clone(), d));
                    if let Some(d) = self.in_matrix(
                        &e.deployment,
                        &e.stage,
                        &e.application,
                        field,
                        &message,
                        "changed since the lock",
                    ) {
                        out.push((self.source().clone(), d));
                    }
                }
                Stale::Removed { entry } => {
                    let e = &lock.lock().entries()[entry];
                    let span = lock
                        .read
                        .spans_of(e)
                        .map(|s| s.entry.clone())
                        .unwrap_or(0..0);
                    let d = Diagnostic::new(
                        Code::LockStale,
                        Location::Span(span),
                        format!(
                            "the lock has `{}` in stage `{}` of `{}`, which the matrix no longer builds there",
                            e.application, e.stage, e.deployment
                        ),
                        "not built by this stage",
                    )
                    .with_help(format!("re-lock it: `edx-matrix lock --deployment {} --stage {}`", e.deployment, e.stage));
                    out.push((lock.source.clone(), d));
                }
                Stale::Unlocked {
                    deployment,
                    stage,
                    application,
                } => {
                    let message = format!(
                        "stage `{stage}` of `{deployment}` is locked but `{application}` is not: it was added after the lock"
                    );
                    let help = format!(
                        "lock it: `edx-matrix lock --deployment {deployment} --stage {stage}`"
                    );
                    let d = Diagnostic::new(Code::LockStale, Location::File, &message, "no entry")
                        .with_help(help.clone());
                    out.push((lock.source.clone(), d));
                    if let Some(d) = self.in_matrix(
                        &deployment,
                        &stage,
                        &application,
                        EntryField::Branch,
                        &message,
                        "not locked",
                    ) {
                        out.push((self.source().clone(), d.with_help(help)));
                    }
                }
            }
        }
        out
    }

    /// A `lock-stale` diagnostic at the matrix's value of (deployment, stage, application), when
    /// the matrix is TOML (its source map places it).
    fn in_matrix(
        &self,
        deployment: &str,
        stage: &str,
        application: &str,
        field: EntryField,
        message: &str,
        label: &str,
    ) -> Option<Diagnostic> {
        let matrix = self.matrix();
        let release = matrix
            .deployments
            .iter()
            .find(|d| d.name.as_str() == deployment)?
            .stages
            .iter()
            .find(|p| p.stage.as_str() == stage)?
            .release
            .as_str();
        let entry = matrix
            .release_map
            .iter()
            .position(|e| e.release.as_str() == release && e.deployment.as_str() == deployment)?;
        let app = matrix.release_map[entry]
            .apps
            .iter()
            .position(|v| v.application.as_str() == application)?;
        let (span, note) = self.source_map.as_ref()?.locate(
            matrix,
            Subject::EntryApp {
                entry,
                app,
                field: Some(field),
            },
            Code::LockStale,
        );
        let mut d = Diagnostic::new(Code::LockStale, Location::Span(span?), message, label);
        d.notes.extend(note);
        Some(d)
    }
}
