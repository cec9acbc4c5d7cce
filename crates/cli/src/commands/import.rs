//! `edx-matrix import`: write `edx-matrix.toml` from another format.

use crate::cli::GlobalArgs;
use crate::error::{CmdResult, CommandError};
use crate::format::{DIAGNOSTICS, Format, formats};
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_formats::{Source, load_json, toml_write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Subcommand, Debug)]
pub(crate) enum ImportCommand {
    /// Read the Python matrix modules (`types.py`, `version_matrix.py`) by parsing them, and write
    /// `edx-matrix.toml`
    Python(ImportPythonArgs),
    /// Read interchange JSON (`model.json`) and write `edx-matrix.toml`
    Json {
        /// The interchange JSON file
        input: PathBuf,
        /// Where to write the TOML matrix (`-` for standard output)
        #[arg(long, short = 'o', default_value = "edx-matrix.toml", value_parser = crate::args::OutputPath)]
        output: PathBuf,
        /// Replace the output file if it exists
        #[arg(long)]
        force: bool,
    },
}

#[derive(clap::Args, Debug)]
pub(crate) struct ImportPythonArgs {
    /// The directory holding `types.py` and `version_matrix.py`
    pub dir: PathBuf,
    /// Where to write the TOML matrix (`-` for standard output)
    #[arg(long, short = 'o', default_value = "edx-matrix.toml", value_parser = crate::args::OutputPath)]
    pub output: PathBuf,
    /// Replace the output file if it exists
    #[arg(long)]
    pub force: bool,
    /// The IDA (Python) runtime default when releases carry none [default: what the code says]
    #[arg(long, value_name = "VERSION")]
    pub default_python: Option<String>,
    /// The MFE (Node) runtime default when releases carry none [default: what the code says]
    #[arg(long, value_name = "VERSION")]
    pub default_node: Option<String>,
    /// Turn plain constant special cases in the resolving properties into explicit overrides
    #[arg(long)]
    pub apply_special_cases: bool,
    /// How to report problems
    #[arg(long, value_parser = formats(DIAGNOSTICS), default_value_t = Format::Human)]
    pub format: Format,
}

pub(crate) fn run(_global: &GlobalArgs, out: &Output, command: &ImportCommand) -> CmdResult {
    match command {
        ImportCommand::Python(args) => python(out, args),
        ImportCommand::Json {
            input,
            output,
            force,
        } => {
            let text =
                edx_matrix_project::read_file(input).map_err(crate::matrix_file::read_error)?;
            let loaded = load_json(Source::new(input.display().to_string(), text));
            // Warnings (ignored keys, unused entries) are shown; errors stop the import.
            out.diagnostics(&loaded.diagnostics, &loaded.source)?;
            if loaded.has_errors() {
                eprintln!(
                    "error: `{}` has errors; nothing was written",
                    input.display()
                );
                return Err(CommandError::matrix_reported());
            }
            let header = [
                "edx-matrix release matrix, imported from interchange JSON.",
                "Check it with `edx-matrix check`; `edx-matrix expand` shows every entry spelled out.",
            ];
            let toml = canonical(toml_write::write_faithful(&loaded.matrix, &header));
            matrix_file::write_new(output, &toml, *force)?;
            if output.as_os_str() != "-" {
                out.note(&format!(
                    "wrote `{}`: {}",
                    output.display(),
                    crate::output::matrix_size(&loaded.matrix)
                ));
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The imported file in `fmt`'s layout, so `fmt --check` passes on what the import wrote.
/// Formatting never changes the meaning; the writer's text is kept if it could not be parsed
/// (then `check` reports it).
fn canonical(text: String) -> String {
    match edx_matrix_formats::edit::fmt::fmt(&text) {
        Ok(formatted) => formatted.text,
        Err(_) => text,
    }
}

#[derive(serde::Serialize)]
struct PythonReport {
    ok: bool,
    written: Option<String>,
    python_lines: usize,
    toml_lines: usize,
    diagnostics: Vec<edx_matrix_formats::JsonDiagnostic>,
}

fn python(out: &Output, args: &ImportPythonArgs) -> CmdResult {
    use edx_matrix_formats::python_import::{Options, import};
    let read = |name: &str| -> Result<Source, CommandError> {
        let path = args.dir.join(name);
        let text = edx_matrix_project::read_file(&path).map_err(crate::matrix_file::read_error)?;
        Ok(Source::new(path.display().to_string(), text))
    };
    if args.format == Format::Json && args.output.as_os_str() == "-" {
        return Err(CommandError::usage(
            "`--format json` prints the report to standard output: write the TOML with `-o FILE`",
        ));
    }
    let options = Options {
        default_python: args.default_python.clone(),
        default_node: args.default_node.clone(),
        apply_special_cases: args.apply_special_cases,
    };
    // The single-file layout keeps everything in `version_matrix.py`.
    let types = if args.dir.join("types.py").exists() {
        read("types.py")?
    } else {
        Source::new(
            args.dir.join("types.py").display().to_string(),
            String::new(),
        )
    };
    let imported = import(types, read("version_matrix.py")?, &options);
    let files = [&imported.types, &imported.version_matrix];
    let python_lines: usize = files.iter().map(|f| f.source.text.lines().count()).sum();
    let failed = imported.has_errors();
    let toml = (!failed).then(|| canonical(imported.to_toml()));
    let toml_lines = toml.as_deref().map_or(0, |t| t.lines().count());
    if let Some(toml) = &toml {
        matrix_file::write_new(&args.output, toml, args.force)?;
    }
    let written =
        (!failed && args.output.as_os_str() != "-").then(|| args.output.display().to_string());
    match args.format {
        Format::Json => out.json(&PythonReport {
            ok: !failed,
            written: written.clone(),
            python_lines,
            toml_lines,
            diagnostics: files
                .iter()
                .flat_map(|f| f.diagnostics.iter().map(|d| d.to_json(&f.source)))
                .collect(),
        })?,
        _ => {
            for file in files {
                out.diagnostics(&file.diagnostics, &file.source)?;
            }
            if failed {
                eprintln!(
                    "error: `{}` cannot be imported as it is; nothing was written",
                    args.dir.display()
                );
            } else if let Some(path) = &written {
                let m = &imported.matrix;
                out.note(&format!(
                    "wrote `{path}`: {}; {python_lines} Python lines became {toml_lines} TOML lines",
                    crate::output::matrix_size(m)
                ));
            }
        }
    }
    if failed {
        return Err(CommandError::matrix_reported());
    }
    Ok(ExitCode::SUCCESS)
}
