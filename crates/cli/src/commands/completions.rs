//! `edx-matrix completions` and `edx-matrix man`: generated from the clap definition, so they
//! always match the binary.

use crate::cli::Cli;
use crate::error::CmdResult;
use crate::output::Output;
use clap::CommandFactory;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

pub fn completions(out: &Output, args: &CompletionsArgs) -> CmdResult {
    let mut command = Cli::command();
    let mut buffer = Vec::new();
    clap_complete::generate(args.shell, &mut command, "edx-matrix", &mut buffer);
    out.print(&String::from_utf8_lossy(&buffer))?;
    Ok(ExitCode::SUCCESS)
}

pub fn man(out: &Output) -> CmdResult {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buffer)?;
    out.print(&String::from_utf8_lossy(&buffer))?;
    Ok(ExitCode::SUCCESS)
}
