//! Finding, reading and (atomically) writing matrix files.

use crate::cli::GlobalArgs;
use crate::error::CommandError;
use crate::output::Output;
use edx_matrix_config::{Loaded, Source, example, load_json, load_toml};
use edx_matrix_interop::python_package;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The file name looked for in the current directory and its parents.
pub const FILE_NAME: &str = "edx-matrix.toml";

/// Returns the matrix file to use: `--file`/`EDX_MATRIX_FILE`, else the nearest
/// `edx-matrix.toml` from the current directory up.
pub fn locate(global: &GlobalArgs) -> Result<PathBuf, CommandError> {
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
pub fn is_python_package(path: &Path) -> bool {
    path.is_dir() && path.join(python_package::VERSION_MATRIX).is_file()
}

/// Refuses a Python package for a command that changes the matrix, saying how to convert it.
pub fn refuse_python_package(path: &Path, command: &str) -> Result<(), CommandError> {
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

/// Reads a Python package through the importer (parsed, never executed).
fn read_python_package(dir: &Path) -> Result<Loaded, CommandError> {
    let read = |name: &str| -> Result<Source, CommandError> {
        let path = dir.join(name);
        Ok(Source::new(
            path.display().to_string(),
            fs_err::read_to_string(&path)?,
        ))
    };
    let types = if dir.join(python_package::TYPES).is_file() {
        Some(read(python_package::TYPES)?)
    } else {
        None
    };
    Ok(python_package::load(
        types,
        read(python_package::VERSION_MATRIX)?,
    ))
}

/// Reads a matrix file (interchange JSON when it ends in `.json`), or a Python package when
/// `path` is one.
pub fn read(path: &Path) -> Result<Loaded, CommandError> {
    if is_python_package(path) {
        return read_python_package(path);
    }
    if path.is_dir() {
        return Err(CommandError::usage(format!(
            "`{}` is a directory without `{}`",
            path.display(),
            python_package::VERSION_MATRIX
        ))
        .with_hint("pass a matrix file, or a Python package directory holding `version_matrix.py` (and usually `types.py`)"));
    }
    let text = fs_err::read_to_string(path)?;
    let source = Source::new(path.display().to_string(), text);
    Ok(if path.extension().is_some_and(|e| e == "json") {
        load_json(source)
    } else {
        load_toml(source)
    })
}

/// Loads the matrix the global options select, with every diagnostic.
pub fn load(global: &GlobalArgs) -> Result<Loaded, CommandError> {
    if global.example {
        return Ok(load_toml(Source::new(example::NAME, example::TEXT)));
    }
    read(&locate(global)?)
}

/// Loads the matrix and refuses (printing its errors) when it has any.
pub fn load_valid(global: &GlobalArgs, out: &Output) -> Result<Loaded, CommandError> {
    require_valid(out, load(global)?, true)
}

/// Prints the errors of `loaded` and fails when it has any (with `advise`, the summary line says
/// to fix them first); returns it otherwise.
pub fn require_valid(out: &Output, loaded: Loaded, advise: bool) -> Result<Loaded, CommandError> {
    if !loaded.has_errors() {
        return Ok(loaded);
    }
    let errors: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .cloned()
        .collect();
    out.diagnostics(&errors, &loaded.source)?;
    let one = errors.len() == 1;
    let advice = match (advise, one) {
        (false, _) => "",
        (true, true) => "; fix it first (`edx-matrix check` lists everything)",
        (true, false) => "; fix them first (`edx-matrix check` lists everything)",
    };
    eprintln!(
        "error: `{}` has {} error{}{advice}",
        loaded.source.name,
        errors.len(),
        if one { "" } else { "s" },
    );
    Err(CommandError::matrix_reported())
}

/// Writes `contents` to `path` atomically (a temporary file in the same directory, then a
/// rename), refusing to replace an existing file unless `force`.
pub fn write_new(path: &Path, contents: &str, force: bool) -> Result<(), CommandError> {
    if path == Path::new("-") {
        std::io::stdout().write_all(contents.as_bytes())?;
        return Ok(());
    }
    if !force && path.exists() {
        return Err(
            CommandError::io(format!("`{}` already exists", path.display()))
                .with_hint("pass `--force` to replace it"),
        );
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| {
        CommandError::io(format!("cannot create a file in `{}`: {e}", dir.display()))
    })?;
    tmp.write_all(contents.as_bytes())
        .map_err(|e| CommandError::io(format!("cannot write `{}`: {e}", path.display())))?;
    tmp.persist(path)
        .map_err(|e| CommandError::io(format!("cannot write `{}`: {}", path.display(), e.error)))?;
    Ok(())
}
