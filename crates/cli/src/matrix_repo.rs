//! The git repository holding the matrix file, for `edx-matrix diff` and `edx-matrix history`.

use crate::cli::GlobalArgs;
use crate::error::CommandError;
use crate::matrix_file;
use crate::output::Output;
pub use edx_matrix_model::error_chain::error_chain;
use edx_matrix_project::Project;
use edx_matrix_project::git::{GitError, LocalRepo};
use std::path::PathBuf;

/// The matrix file and the working tree it lives in.
pub struct MatrixRepo {
    /// The working tree.
    pub repo: LocalRepo,
    /// The matrix file as located (`--file`, `EDX_MATRIX_FILE` or the nearest `edx-matrix.toml`).
    pub file: PathBuf,
    /// The matrix file relative to the top-level of the working tree, forward slashes.
    pub path: String,
}

/// Locates the matrix file and opens the working tree of its directory. `command` names the
/// subcommand in the error `--example` gets.
pub fn open(global: &GlobalArgs, command: &str) -> Result<MatrixRepo, CommandError> {
    if global.example {
        return Err(CommandError::usage(format!(
            "`{command}` reads the git history of a matrix file; the built-in example has none"
        ))
        .with_hint(
            "run it inside the repository that holds `edx-matrix.toml`, or pass `--file PATH`",
        ));
    }
    let file = matrix_file::locate(global)?;
    let dir = match file.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let repo = LocalRepo::open(&dir).map_err(git_error)?;
    let path = repo.relative_path(&file).map_err(git_error)?;
    Ok(MatrixRepo { repo, file, path })
}

/// Sorts a git error into a command error: a bad revision or a directory outside any
/// repository is the user's to fix (usage, exit 2); anything else is a failure (exit 3).
pub fn git_error(err: GitError) -> CommandError {
    let message = error_chain(&err);
    match err {
        GitError::InvalidRev { .. } | GitError::UnknownRev { .. } => CommandError::usage(message),
        GitError::NotARepository { .. } | GitError::OutsideRepository { .. } => {
            CommandError::usage(message)
                .with_hint("`diff` and `history` read the matrix file's git repository")
        }
        _ => CommandError::io(message),
    }
}

pub use edx_matrix_project::git::history::load_text;

/// Prints the errors of a revision's matrix (not of its `[pipelines]`: `diff` reports those as
/// a pipeline impact it cannot compute) and fails when it has any; returns it otherwise.
pub fn require_valid(out: &Output, project: Project) -> Result<Project, CommandError> {
    if project.matrix_errors() == 0 {
        return Ok(project);
    }
    let pipelines = project.pipeline_diagnostics().len();
    let all = project.diagnostics();
    let errors: Vec<_> = all[..all.len() - pipelines]
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    out.diagnostics(&errors, project.source())?;
    eprintln!(
        "error: `{}` has {} error{}",
        project.source().name,
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
    );
    Err(CommandError::matrix_reported())
}

/// Reads the Python package `mr` names as it was at revision `rev` (through the importer);
/// an error when `version_matrix.py` does not exist there.
pub fn python_package_at(mr: &MatrixRepo, rev: &str) -> Result<Project, CommandError> {
    use edx_matrix_formats::python_package::{TYPES, VERSION_MATRIX};
    let show = |name: &str| -> Result<Option<String>, CommandError> {
        let path = format!("{}/{name}", mr.path);
        mr.repo.show_file(rev, &path).map_err(git_error)
    };
    let version_matrix = show(VERSION_MATRIX)?.ok_or_else(|| {
        CommandError::usage(format!(
            "`{}/{VERSION_MATRIX}` does not exist at revision `{rev}`",
            mr.path
        ))
    })?;
    let text = edx_matrix_project::package_text(show(TYPES)?.as_deref(), &version_matrix);
    Ok(Project::from_text(
        format!("{rev}:{}", mr.path),
        edx_matrix_project::SourceFormat::PythonPackage,
        text,
    ))
}
