//! The git repository holding the matrix file, for `edx-matrix diff` and `edx-matrix history`:
//! locating it and turning the application layer's errors into command errors. Loading a
//! revision or the working tree is [`edx_matrix_project::RepoFile`]'s.

use crate::cli::GlobalArgs;
use crate::error::CommandError;
use crate::matrix_file;
use crate::output::Output;
pub(crate) use edx_matrix_model::error_chain;
use edx_matrix_project::DiffError;
use edx_matrix_project::git::GitError;
use edx_matrix_project::{Invalid, LoadError, RepoFile};

/// Locates the matrix file and opens the working tree of its directory. `command` names the
/// subcommand in the error `--example` gets.
pub(crate) fn open(global: &GlobalArgs, command: &str) -> Result<RepoFile, CommandError> {
    if global.example {
        return Err(CommandError::usage(format!(
            "`{command}` reads the git history of a matrix file; the built-in example has none"
        ))
        .with_hint(
            "run it inside the repository that holds `edx-matrix.toml`, or pass `--file PATH`",
        ));
    }
    let file = matrix_file::locate(global)?;
    RepoFile::open(&file).map_err(git_error)
}

/// Sorts a git error into a command error: a bad revision or a directory outside any
/// repository is the user's to fix (usage, exit 2); anything else is a failure (exit 3).
pub(crate) fn git_error(err: GitError) -> CommandError {
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

/// Sorts a load error: git's as [`git_error`], a missing file a usage error, an unreadable
/// working-tree file an I/O failure.
pub(crate) fn load_error(err: LoadError) -> CommandError {
    match err {
        LoadError::Git(e) => git_error(e),
        e @ LoadError::Missing { .. } => CommandError::usage(e.to_string()),
        LoadError::Read(e) => matrix_file::read_error(e),
    }
}

/// Prints why the `diff` use case refused and returns the command's error: a side's errors
/// (of its matrix, not its `[pipelines]`: `diff` reports those as a pipeline impact it cannot
/// compute), or its lock's.
pub(crate) fn diff_error(out: &Output, err: DiffError) -> CommandError {
    match err {
        DiffError::Load(e) => load_error(e),
        DiffError::Invalid(invalid) => match print_invalid(out, &invalid) {
            Ok(()) => CommandError::matrix_reported(),
            Err(e) => e,
        },
        DiffError::InvalidLock(project) => match matrix_file::require_valid_lock(out, &project) {
            Ok(()) => CommandError::matrix_reported(),
            Err(e) => e,
        },
    }
}

/// Prints the errors of a refused side and the summary line.
fn print_invalid(out: &Output, invalid: &Invalid) -> Result<(), CommandError> {
    out.diagnostics(&invalid.errors, invalid.project.source())?;
    eprintln!(
        "error: `{}` has {} error{}",
        invalid.project.source().name,
        invalid.errors.len(),
        if invalid.errors.len() == 1 { "" } else { "s" },
    );
    Ok(())
}
