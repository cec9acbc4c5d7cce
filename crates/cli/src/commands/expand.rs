//! `edx-matrix expand`: the release map spelled out, so a reviewer sees what the file means.

use crate::cli::GlobalArgs;
use crate::error::CmdResult;
use crate::format::{Allowed, Format, formats};
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_formats::{interchange, toml_write};
use std::process::ExitCode;

/// The formats of `expand`.
const FORMATS: Allowed = &[
    (
        Format::Toml,
        "`edx-matrix.toml` with one block per (release, deployment) and no templates",
    ),
    (Format::Json, "The interchange JSON"),
];

#[derive(clap::Args, Debug)]
pub(crate) struct ExpandArgs {
    /// Output format
    #[arg(long, value_parser = formats(FORMATS), default_value_t = Format::Toml)]
    pub format: Format,
}

pub(crate) fn run(global: &GlobalArgs, out: &Output, args: &ExpandArgs) -> CmdResult {
    let mut loaded = matrix_file::load_valid(global, out)?.into_loaded();
    // Vars merged: each stage shows every value it gets, the deployment's included.
    edx_matrix_model::vars::merge_into_stages(&mut loaded.matrix);
    match args.format {
        Format::Json => out.json(&interchange::to_json(&loaded.matrix))?,
        _ => {
            let mut text = toml_write::write(
                &loaded.matrix,
                toml_write::Layout::Explicit,
                &[&format!(
                    "`{}` expanded: one block per (release, deployment), no templates",
                    loaded.source.name
                )],
            );
            // The `[python]` names are kept, so the expanded file exports the same package.
            let python = loaded.python.to_toml();
            if !python.is_empty() {
                text.push('\n');
                text.push_str(&python);
            }
            out.print(&text)?
        }
    }
    Ok(ExitCode::SUCCESS)
}
