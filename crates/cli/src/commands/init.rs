//! `edx-matrix init`: a commented starter file.

use crate::cli::{GlobalArgs, InitArgs};
use crate::error::CmdResult;
use crate::matrix_file;
use crate::output::Output;
use edx_matrix_config::catalogue;
use std::process::ExitCode;

pub fn run(_global: &GlobalArgs, _out: &Output, args: &InitArgs) -> CmdResult {
    matrix_file::write_new(&args.path, &catalogue::starter_file(), args.force)?;
    eprintln!(
        "wrote `{}`; edit it, then run `edx-matrix check`",
        args.path.display()
    );
    Ok(ExitCode::SUCCESS)
}
