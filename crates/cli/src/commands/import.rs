//! `edx-matrix import`: write `edx-matrix.toml` from another format.

use crate::cli::{GlobalArgs, ImportCommand};
use crate::error::{CmdResult, CommandError};
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_config::{Source, load_json, toml_write};
use std::process::ExitCode;

pub fn run(_global: &GlobalArgs, out: &Output, command: &ImportCommand) -> CmdResult {
    match command {
        ImportCommand::Json {
            input,
            output,
            force,
        } => {
            let text = fs_err::read_to_string(input)?;
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
            let toml = toml_write::write_faithful(&loaded.matrix, &header);
            matrix_file::write_new(output, &toml, *force)?;
            if output.as_os_str() != "-" {
                eprintln!(
                    "wrote `{}`: {} releases, {} applications, {} deployments, {} application versions",
                    output.display(),
                    loaded.matrix.releases.len(),
                    loaded.matrix.applications.len(),
                    loaded.matrix.deployments.len(),
                    loaded.matrix.app_version_count()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
