//! Finding, reading and (atomically) writing matrix files.

use crate::cli::GlobalArgs;
use crate::error::CommandError;
use crate::output::Output;
use edx_matrix_formats::python_package::VERSION_MATRIX;
use edx_matrix_project::{Project, ReadError, Scope, format_of};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file name looked for in the current directory and its parents.
pub(crate) const FILE_NAME: &str = "edx-matrix.toml";

/// Returns the matrix file to use: `--file`/`EDX_MATRIX_FILE`, else the nearest
/// `edx-matrix.toml` from the current directory up.
pub(crate) fn locate(global: &GlobalArgs) -> Result<PathBuf, CommandError> {
    if let Some(file) = &global.file {
        return Ok(file.clone());
    }
    let cwd = std::env::current_dir()
        .map_err(|e| CommandError::io(format!("cannot read the current directory: {e}")))?;
    for dir in cwd.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Ok(candidate);
        }
    }
    Err(CommandError::usage(format!(
        "no `{FILE_NAME}` in `{}` or any parent directory",
        cwd.display()
    ))
    .with_hint("pass `--file PATH`, set `EDX_MATRIX_FILE`, create one with `edx-matrix init`, or try `--example`"))
}

/// Returns whether `path` is a Python matrix package (a directory holding `version_matrix.py`,
/// and usually `types.py`), which read-only commands read through the importer.
pub(crate) fn is_python_package(path: &Path) -> bool {
    edx_matrix_project::is_python_package(path)
}

/// Refuses a Python package for a command that changes the matrix, saying how to convert it.
pub(crate) fn refuse_python_package(path: &Path, command: &str) -> Result<(), CommandError> {
    if !is_python_package(path) {
        return Ok(());
    }
    let dir = path.display();
    Err(CommandError::usage(format!(
        "`{dir}` is a Python package: {command} change `edx-matrix.toml`, never Python"
    ))
    .with_hint(format!(
        "convert it first: `edx-matrix import python {dir} -o edx-matrix.toml`, then edit the TOML \
         and regenerate the package with `edx-matrix export python -o {dir} --force`"
    )))
}

/// Reads and checks the project at `path` (its format decided by
/// [`edx_matrix_project::format_of`]: a Python package directory, interchange JSON or TOML).
pub(crate) fn read(path: &Path) -> Result<Project, CommandError> {
    if path.is_dir() && !is_python_package(path) {
        return Err(CommandError::usage(format!(
            "`{}` is a directory without `{VERSION_MATRIX}`",
            path.display(),
        ))
        .with_hint("pass a matrix file, or a Python package directory holding `version_matrix.py` (and usually `types.py`)"));
    }
    Project::load(path).map_err(read_error)
}

/// Turns a file that cannot be read into the command's error (exit 3).
pub(crate) fn read_error(e: ReadError) -> CommandError {
    e.error.into()
}

/// Loads the project the global options select, with every diagnostic `check` reports;
/// `--verbose` says which file was read, in which format, and how long it took.
pub(crate) fn load(global: &GlobalArgs) -> Result<Project, CommandError> {
    let started = std::time::Instant::now();
    let (what, project) = if global.example {
        ("the built-in example".to_owned(), Project::example())
    } else {
        let path = locate(global)?;
        let what = format!("`{}` ({:?})", path.display(), format_of(&path));
        (what, read(&path)?)
    };
    if global.verbose {
        eprintln!(
            "edx-matrix: read {what} in {:.1} ms: {}",
            started.elapsed().as_secs_f64() * 1000.0,
            crate::output::count(project.diagnostics().len(), "diagnostic", "diagnostics")
        );
    }
    Ok(project)
}

/// For a command that reads the matrix and exits (`check`, `resolve`): the loaders keep the
/// parsed document instead of freeing it ([`edx_matrix_formats::keep_documents_until_exit`]),
/// and the command hands what it loaded to [`keep_until_exit`]. Never for `serve`.
pub(crate) fn exits_after_reading() {
    edx_matrix_formats::keep_documents_until_exit();
}

/// Leaves `value` to the end of the process instead of freeing it: freeing a loaded matrix
/// just before exit costs instructions (about 70K of the 156-row estate's `check`) and gives
/// back memory the system takes back at exit anyway.
pub(crate) fn keep_until_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Loads the project and refuses (printing its errors) when it has any.
pub(crate) fn load_valid(global: &GlobalArgs, out: &Output) -> Result<Project, CommandError> {
    let project = require_valid(out, load(global)?, true)?;
    require_valid_lock(out, &project)?;
    Ok(project)
}

/// Prints the problems of a malformed lock (`lock-invalid`, `lock-duplicate`, `lock-unknown`,
/// unknown keys, TOML syntax) and fails: no command uses half a lock. A stale lock is only
/// `check`'s business.
pub(crate) fn require_valid_lock(out: &Output, project: &Project) -> Result<(), CommandError> {
    let Some(lock) = project.lock().filter(|l| l.has_errors()) else {
        return Ok(());
    };
    let errors: Vec<_> = lock
        .read
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    out.diagnostics(&errors, &lock.source)?;
    eprintln!(
        "error: the lock `{}` has {} error{}; fix it first (`edx-matrix check` lists everything)",
        lock.source.name,
        errors.len(),
        if errors.len() == 1 { "" } else { "s" },
    );
    Err(CommandError::matrix_reported())
}

/// Prints the errors of `project` (all of them: [`Scope::Project`]) and fails when it has any
/// (with `advise`, the summary line says to fix them first); returns it otherwise.
pub(crate) fn require_valid(
    out: &Output,
    project: Project,
    advise: bool,
) -> Result<Project, CommandError> {
    let invalid = match project.require_valid(Scope::Project) {
        Ok(project) => return Ok(project),
        Err(invalid) => invalid,
    };
    let errors = &invalid.errors;
    out.diagnostics(errors, invalid.project.source())?;
    let one = errors.len() == 1;
    let advice = match (advise, one) {
        (false, _) => "",
        (true, true) => "; fix it first (`edx-matrix check` lists everything)",
        (true, false) => "; fix them first (`edx-matrix check` lists everything)",
    };
    eprintln!(
        "error: `{}` has {} error{}{advice}",
        invalid.project.source().name,
        errors.len(),
        if one { "" } else { "s" },
    );
    Err(CommandError::matrix_reported())
}

/// Writes `contents` to `path` (`-`: standard output) atomically, with the mode the umask
/// gives, refusing to replace an existing file unless `force`.
pub(crate) fn write_new(path: &Path, contents: &str, force: bool) -> Result<(), CommandError> {
    if path == Path::new("-") {
        std::io::stdout().write_all(contents.as_bytes())?;
        return Ok(());
    }
    edx_matrix_project::fsio::create(
        path,
        contents.as_bytes(),
        edx_matrix_project::fsio::Mode::Public,
        force,
    )?;
    Ok(())
}
