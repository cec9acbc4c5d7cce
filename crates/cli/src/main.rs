//! `edx-matrix`: validate, resolve, edit and deploy an Open edX release matrix.

mod args;
mod cli;
mod commands;
mod complete;
mod deprecated;
mod edit_file;
mod error;
mod format;
mod lazy;
mod line_diff;
mod matrix_file;
mod matrix_repo;
mod names;
mod output;
mod unknown_command;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A completion request from a shell's script answers and exits here, before any output.
    complete::complete_if_asked();
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success, usage errors to stderr.
            if !e.use_stderr() {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            // A mistyped command is an unknown name like any other: suggestions by distance
            // (clap's own list can put `schema` before `check` for `chek`).
            let text = match unknown_command::message(&e) {
                Some(text) => text,
                None => e.render().to_string(),
            };
            // A usage error quotes the refused value: escaped (and clipped) like every other
            // value that reaches the terminal, so `show $'x\a'` cannot ring or recolour it.
            eprint!("{}", edx_matrix_config::terminal::safe_lines(&text));
            return ExitCode::from(error::exit_code(error::Kind::Usage));
        }
    };
    let code = match commands::run(cli) {
        Ok(code) => code,
        Err(e) => e.report(),
    };
    // A test hook: how many times the matrix text was parsed (the tests show each command
    // reads its file once).
    if std::env::var_os("EDX_MATRIX_REPORT_PARSES").is_some() {
        eprintln!(
            "edx-matrix: parsed matrix text {} times",
            edx_matrix_config::parse_count()
        );
    }
    code
}
