//! `edx-matrix completions SHELL`: the script a shell sources to complete `edx-matrix` (see
//! [`crate::complete`]).

use crate::error::CmdResult;
use crate::output::Output;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub(crate) struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub(crate) fn completions(out: &Output, args: &CompletionsArgs) -> CmdResult {
    let buffer = crate::complete::registration(args.shell)?;
    out.print(&String::from_utf8_lossy(&buffer))?;
    Ok(ExitCode::SUCCESS)
}
