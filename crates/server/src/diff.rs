//! What the served matrix changes against its committed version, for `/diff` and `/api/v1/diff`.
//!
//! The served matrix (the last version of the file that loaded without errors) is compared with
//! the file at `HEAD` by [`edx_matrix_model::compare`], the comparison behind `edx-matrix diff`.
//! The result is kept until `HEAD` moves or the served matrix is reloaded. The built-in example, a
//! file outside any git working tree, and a file never committed have nothing to compare with.

use crate::history::{Unavailable, locate};
use crate::snapshot::Good;
use crate::source::MatrixSource;
use crate::state::AppState;
use axum::http::StatusCode;
use edx_matrix_git::history::{first_error, load_text};
use edx_matrix_model::compare::{Comparison, compare};
use edx_matrix_pipeline::impact::{PipelineImpact, Side, impact};
use serde::Serialize;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The served matrix against the file at `HEAD`.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct WorkingDiff {
    /// The file's path in the repository.
    pub file: String,
    /// The commit `HEAD` points to.
    pub commit: String,
    /// The generation of the served matrix that was compared.
    pub generation: u64,
    /// What the base side is called: `HEAD:<file>`.
    pub base: String,
    /// What the head side is called: `<file> (working tree)`.
    pub head: String,
    /// The changes, as `edx-matrix diff --format json` has them.
    #[serde(flatten)]
    pub changes: Comparison,
    /// The generated pipelines to re-set, as `edx-matrix diff --format json` has them.
    pub pipelines: PipelineImpact,
}

/// The last diff computed, with the `HEAD` commit and the generation it was computed at.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    last: Mutex<Option<Arc<WorkingDiff>>>,
}

/// Returns what the served matrix changes against `HEAD`.
pub(crate) async fn diff(state: &Arc<AppState>) -> Result<Arc<WorkingDiff>, Unavailable> {
    let file = match state.source() {
        MatrixSource::Example => {
            return Err(Unavailable::none(
                "diff is unavailable: the built-in example is not in a git repository".to_owned(),
            ));
        }
        MatrixSource::File(file) => file.clone(),
    };
    let snapshot = state.snapshot();
    let Some(good) = snapshot.good.clone() else {
        return Err(Unavailable {
            status: StatusCode::SERVICE_UNAVAILABLE,
            reason: format!(
                "`{}` has not loaded without errors yet",
                snapshot.latest.source_name
            ),
        });
    };
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || read(&state.diff, &file, &good))
        .await
        .unwrap_or_else(|e| {
            Err(Unavailable {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                reason: format!("cannot compute the diff: {e}"),
            })
        })
}

fn read(cache: &Cache, file: &Path, served: &Good) -> Result<Arc<WorkingDiff>, Unavailable> {
    let generation = served.generation;
    let (repo, path, head) = locate("diff", file)?;
    let never = || {
        Unavailable::none(format!(
            "diff is unavailable: `{path}` has never been committed"
        ))
    };
    let Some(head) = head else {
        return Err(never());
    };
    // A poisoned lock only means another reader panicked; the cached value is still whole.
    let mut last = cache.last.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(diff) = last.as_ref() {
        if diff.commit == head && diff.generation == generation && diff.file == path {
            return Ok(Arc::clone(diff));
        }
    }
    let text = repo
        .show_file(&head, &path)
        .map_err(|e| Unavailable::failed(&e))?
        .ok_or_else(never)?;
    let base = format!("HEAD:{path}");
    let committed = load_text(Path::new(&path), base.clone(), text);
    // Broken `[pipelines]` at `HEAD` still gives the rest of the diff (as `edx-matrix diff`).
    if committed.matrix_errors() > 0 {
        return Err(Unavailable::none(format!(
            "diff is unavailable: `{base}` has errors ({})",
            first_error(&committed.loaded)
        )));
    }
    let head_name = format!("{path} (working tree)");
    let pipelines = impact(
        committed.pipeline_side(),
        Side {
            name: &head_name,
            matrix: &served.loaded.matrix,
            settings: &served.pipelines,
            errors: 0,
        },
    );
    let diff = Arc::new(WorkingDiff {
        changes: compare(committed.matrix(), &served.loaded.matrix),
        pipelines,
        head: head_name,
        file: path,
        commit: head,
        generation,
        base,
    });
    *last = Some(Arc::clone(&diff));
    Ok(diff)
}
