//! Which views work for the served source, so the pages link only to pages that answer: the
//! history needs the file committed in git (the built-in example has its own), the diff of the
//! working tree needs the file committed at `HEAD` (the example has no working tree).

use crate::state::AppState;
use edx_matrix_project::MatrixSource;

/// The views a page may link to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Views {
    /// `/history` and `/api/v1/history` answer.
    pub history: bool,
    /// `/diff` and `/api/v1/diff` (the working tree against `HEAD`) answer.
    pub diff: bool,
}

impl AppState {
    /// Returns the views that work now (a commit can make them work: asked per page, with a
    /// few `git` runs off the async threads).
    pub async fn views(&self) -> Views {
        let file = match self.source() {
            MatrixSource::Example => {
                return Views {
                    history: true,
                    diff: false,
                };
            }
            MatrixSource::File(file) => file.clone(),
        };
        let committed = tokio::task::spawn_blocking(move || committed_at_head(&file))
            .await
            .unwrap_or(false);
        Views {
            history: committed,
            diff: committed,
        }
    }
}

/// Whether `file` (a Python package: its `version_matrix.py`) is in a git repository and in
/// its `HEAD` commit.
fn committed_at_head(file: &std::path::Path) -> bool {
    let Ok((repo, path, Some(head))) = crate::history::locate("views", file) else {
        return false;
    };
    let path = if edx_matrix_project::is_python_package(file) {
        format!(
            "{path}/{}",
            edx_matrix_formats::python_package::VERSION_MATRIX
        )
    } else {
        path
    };
    matches!(repo.show_file(&head, &path), Ok(Some(_)))
}
