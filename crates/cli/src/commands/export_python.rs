//! `edx-matrix export python`: write the Python package (`types.py`, `version_matrix.py`, and with
//! `--accessors` `accessors.py`) into a directory, print it, or `--check` a directory against it.

use crate::error::{CmdResult, CommandError, Kind, exit_code};
use crate::output::Output;
use edx_matrix_formats::python_export::Package;
use edx_matrix_project::Project;
use std::path::PathBuf;
use std::process::ExitCode;

/// `export python`.
#[derive(clap::Args, Debug)]
pub(crate) struct ExportPythonArgs {
    /// Write the files into this directory instead of standard output
    #[arg(long, short = 'o', value_name = "DIR", conflicts_with = "check", value_parser = crate::args::OutputPath)]
    pub output: Option<PathBuf>,
    /// Also write `accessors.py` (the lookups consumers call), for estates without their own
    #[arg(long)]
    pub accessors: bool,
    /// Write nothing; exit 1 with a unified diff when DIR's files differ from the export
    #[arg(long, value_name = "DIR")]
    pub check: Option<PathBuf>,
    /// Replace files that exist
    #[arg(long)]
    pub force: bool,
}

pub(crate) fn run(project: &Project, out: &Output, args: &ExportPythonArgs) -> CmdResult {
    // Each locked row's commit on the entry it is built from, and the `[python]` names `import
    // python` recorded: the project's use case.
    let package = project.export_python(args.accessors);
    for warning in &package.warnings {
        out.note(&format!("warning: {warning}"));
    }
    if let Some(dir) = &args.check {
        return check(dir, &package);
    }
    let Some(dir) = &args.output else {
        let mut text = String::new();
        for (name, contents) in package.files() {
            text.push_str(&format!("# ==> {name} <==\n{contents}"));
        }
        out.print(&text)?;
        return Ok(ExitCode::SUCCESS);
    };
    let files = package.files();
    for (name, _) in &files {
        let path = dir.join(name);
        if !args.force && path.exists() {
            return Err(
                CommandError::io(format!("`{}` already exists", path.display()))
                    .with_hint("pass `--force` to replace it, or `--check DIR` to compare"),
            );
        }
    }
    // All or nothing: a failure while writing leaves no file.
    let staged: Vec<(std::path::PathBuf, Vec<u8>)> = files
        .iter()
        .map(|(name, contents)| (std::path::PathBuf::from(name), contents.as_bytes().to_vec()))
        .collect();
    edx_matrix_project::fsio::create_all(
        dir,
        &staged,
        edx_matrix_project::fsio::Mode::Public,
        true,
    )?;
    let written: Vec<String> = files
        .iter()
        .map(|(name, _)| format!("`{}`", dir.join(name).display()))
        .collect();
    eprintln!("wrote {}", written.join(", "));
    Ok(ExitCode::SUCCESS)
}

/// Compares `dir` with the export: 0 when every file is equal, 1 with a unified diff per file
/// that differs or is missing.
fn check(dir: &std::path::Path, package: &Package) -> CmdResult {
    let mut diff = String::new();
    let mut differing = Vec::new();
    for (name, want) in package.files() {
        let path = dir.join(name);
        let have = match fs_err::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(e.into()),
        };
        if have != want {
            differing.push(format!("`{}`", path.display()));
            diff.push_str(
                &similar::TextDiff::from_lines(have.as_str(), want)
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{name}"), &format!("b/{name}"))
                    .to_string(),
            );
        }
    }
    if differing.is_empty() {
        eprintln!("`{}` is what `export python` writes", dir.display());
        return Ok(ExitCode::SUCCESS);
    }
    print!("{diff}");
    eprintln!(
        "error: {} differ{} from the matrix; regenerate with `edx-matrix export python -o {} --force`",
        differing.join(", "),
        if differing.len() == 1 { "s" } else { "" },
        dir.display()
    );
    Ok(ExitCode::from(exit_code(Kind::CheckFailed)))
}
