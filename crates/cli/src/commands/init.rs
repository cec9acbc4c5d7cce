//! `edx-matrix init`: a commented starter file.

use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_formats::{example, starter};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub(crate) struct InitArgs {
    /// Where to write the starter file (with `--example`: the directory to write the whole
    /// example into, matrix and pipeline templates)
    #[arg(default_value = "edx-matrix.toml")]
    pub path: PathBuf,
    /// Replace the file if it exists
    #[arg(long)]
    pub force: bool,
}

/// Returns the files of the built-in example, by path relative to the directory it is written
/// into: the matrix (with its `[pipelines]` section) and the pipeline templates. Other parts of
/// the example (a git history, ...) add their files here.
pub(crate) fn example_files() -> Vec<(PathBuf, &'static str)> {
    let mut files = vec![(PathBuf::from(matrix_file::FILE_NAME), example::TEXT)];
    for (path, text) in example::TEMPLATES {
        files.push((PathBuf::from(path), text));
    }
    files
}

/// Writes the example into `dir`, refusing (before writing anything) when a file exists and
/// `force` is not given.
pub(crate) fn write_example(dir: &Path, force: bool) -> Result<Vec<PathBuf>, CommandError> {
    let files: Vec<(PathBuf, &str)> = example_files()
        .into_iter()
        .map(|(p, t)| (dir.join(p), t))
        .collect();
    if !force {
        if let Some((path, _)) = files.iter().find(|(p, _)| p.exists()) {
            return Err(
                CommandError::io(format!("`{}` already exists", path.display()))
                    .with_hint("pass `--force` to replace it"),
            );
        }
    }
    for (path, text) in &files {
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent)?;
        }
        matrix_file::write_new(path, text, true)?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

pub(crate) fn run(global: &GlobalArgs, _out: &Output, args: &InitArgs) -> CmdResult {
    if global.example {
        // `init --example DIR`: PATH is the directory to write the example into.
        let dir = if args.path == Path::new(matrix_file::FILE_NAME) {
            Path::new(".")
        } else {
            args.path.as_path()
        };
        let written = write_example(dir, args.force)?;
        eprintln!(
            "wrote the acme example ({}) into `{}`; try `edx-matrix --file {} pipeline list`",
            crate::output::count(written.len(), "file", "files"),
            dir.display(),
            dir.join(matrix_file::FILE_NAME).display()
        );
        // The example's synthetic history as a real repository, so `history` and `serve` show
        // it; never into a repository that exists (its branches are the user's).
        if dir.join(".git").exists() {
            eprintln!(
                "`{}` is a git repository already: its history is left as it is",
                dir.display()
            );
        } else {
            edx_matrix_project::git::history::example::write_repository(dir).map_err(|e| {
                CommandError::io(format!(
                    "cannot write the example's history: {}",
                    edx_matrix_model::error_chain(&e)
                ))
            })?;
            eprintln!(
                "and its history as a git repository: try `edx-matrix --file {} history`",
                dir.join(matrix_file::FILE_NAME).display()
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    matrix_file::write_new(&args.path, &starter::text(), args.force)?;
    eprintln!(
        "wrote `{}`; edit it, then run `edx-matrix check`",
        args.path.display()
    );
    Ok(ExitCode::SUCCESS)
}
