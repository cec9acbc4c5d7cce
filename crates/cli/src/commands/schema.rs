//! `edx-matrix schema`: the JSON Schema of `edx-matrix.toml`.

use crate::args::WriteArgs;
use crate::error::{CmdResult, CommandError};
use crate::matrix_file;
use crate::output::Output;
use std::path::Path;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub(crate) struct SchemaArgs {
    #[command(flatten)]
    pub write: WriteArgs,
}

pub(crate) fn run(out: &Output, args: &SchemaArgs) -> CmdResult {
    let mut text = serde_json::to_string_pretty(&edx_matrix_formats::schema())
        .map_err(|e| CommandError::io(e.to_string()))?;
    text.push('\n');
    match &args.write.output {
        Some(path) if path != Path::new("-") => {
            matrix_file::write_new(path, &text, args.write.force)?;
        }
        _ => out.print(&text)?,
    }
    Ok(ExitCode::SUCCESS)
}
