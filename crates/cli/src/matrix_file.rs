//! Finding, reading and (atomically) writing matrix files.

use crate::cli::GlobalArgs;
use crate::error::CommandError;
use crate::output::Output;
use edx_matrix_config::{Loaded, Source, example, load_json, load_toml};
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

/// Reads a matrix file (interchange JSON when it ends in `.json`).
pub fn read(path: &Path) -> Result<Loaded, CommandError> {
    let text = edx_matrix_fsio::read_text(path)?;
    // A byte-order mark is not part of the matrix (edits keep it: see `text_form`).
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
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

/// Writes `contents` to `path` (`-`: standard output) atomically, with the mode the umask
/// gives, refusing to replace an existing file unless `force`.
pub fn write_new(path: &Path, contents: &str, force: bool) -> Result<(), CommandError> {
    if path == Path::new("-") {
        std::io::stdout().write_all(contents.as_bytes())?;
        return Ok(());
    }
    edx_matrix_fsio::create(
        path,
        contents.as_bytes(),
        edx_matrix_fsio::Mode::Public,
        force,
    )?;
    Ok(())
}
