//! What the served matrix changes against its committed version, for `/diff` and `/api/v1/diff`.
//!
//! The served matrix (the last version of the file that loaded without errors) is compared with
//! the file at `HEAD` by [`edx_matrix_model::compare`], the comparison behind `edx-matrix diff`.
//! The result is kept until `HEAD` moves or the served matrix is reloaded. The built-in example, a
//! file outside any git working tree, and a file never committed have nothing to compare with.

use crate::history::{Unavailable, locate};
use crate::source::MatrixSource;
use crate::state::AppState;
use axum::http::StatusCode;
use edx_matrix_git::history::{first_error, load_text};
use edx_matrix_model::Matrix;
use edx_matrix_model::compare::{Comparison, compare};
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
    tokio::task::spawn_blocking(move || {
        read(&state.diff, &file, &good.loaded.matrix, good.generation)
    })
    .await
    .unwrap_or_else(|e| {
        Err(Unavailable {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            reason: format!("cannot compute the diff: {e}"),
        })
    })
}

fn read(
    cache: &Cache,
    file: &Path,
    served: &Matrix,
    generation: u64,
) -> Result<Arc<WorkingDiff>, Unavailable> {
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
    let show = |file: &str| {
        repo.show_file(&head, file)
            .map_err(|e| Unavailable::failed(&e))
    };
    let (base, committed) = if crate::source::is_python_package(file) {
        use edx_matrix_interop::python_package::{self, TYPES, VERSION_MATRIX};
        let name = |f: &str| format!("{path}/{f}");
        let version_matrix = show(&name(VERSION_MATRIX))?.ok_or_else(never)?;
        let types = show(&name(TYPES))?
            .map(|text| edx_matrix_config::Source::new(format!("HEAD:{}", name(TYPES)), text));
        let base = format!("HEAD:{}", name(VERSION_MATRIX));
        let loaded = python_package::load(
            types,
            edx_matrix_config::Source::new(base.clone(), version_matrix),
        );
        (base, loaded)
    } else {
        let text = show(&path)?.ok_or_else(never)?;
        let base = format!("HEAD:{path}");
        let loaded = load_text(Path::new(&path), base.clone(), text);
        (base, loaded)
    };
    if committed.has_errors() {
        return Err(Unavailable::none(format!(
            "diff is unavailable: `{base}` has errors ({})",
            first_error(&committed)
        )));
    }
    let diff = Arc::new(WorkingDiff {
        changes: compare(&committed.matrix, served),
        head: format!("{path} (working tree)"),
        file: path,
        commit: head,
        generation,
        base,
    });
    *last = Some(Arc::clone(&diff));
    Ok(diff)
}
