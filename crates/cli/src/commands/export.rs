//! `edx-matrix export`: the matrix in another format.

use crate::cli::{ExportArgs, ExportFormat, GlobalArgs};
use crate::error::CmdResult;
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_config::interchange;
use std::process::ExitCode;

pub fn run(global: &GlobalArgs, out: &Output, args: &ExportArgs) -> CmdResult {
    let loaded = matrix_file::load_valid(global, out)?;
    let text = match args.format {
        ExportFormat::ModelJson => {
            let mut text = serde_json::to_string_pretty(&interchange::to_json(&loaded.matrix))
                .map_err(|e| crate::error::CommandError::io(e.to_string()))?;
            text.push('\n');
            text
        }
    };
    match &args.output {
        Some(path) => matrix_file::write_new(path, &text, args.force)?,
        None => out.print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}
