//! One module per subcommand; [`run`] dispatches.

mod check;
mod expand;
mod export;
mod import;
mod init;
mod query;
mod resolve;
mod serve;
mod show;

use crate::cli::{Cli, Command};
use crate::error::CmdResult;
use crate::output::Output;

/// Runs the command the user asked for.
pub fn run(cli: Cli) -> CmdResult {
    let out = Output::new(cli.global.color);
    let global = &cli.global;
    match cli.command {
        Command::Check(args) => check::run(global, &out, &args),
        Command::Resolve(args) => resolve::run(global, &out, &args),
        Command::Show(args) => show::run(global, &out, &args),
        Command::Query(query) => query::run(global, &out, &query),
        Command::Expand(args) => expand::run(global, &out, &args),
        Command::Import(import) => import::run(global, &out, &import),
        Command::Export(args) => export::run(global, &out, &args),
        Command::Init(args) => init::run(global, &out, &args),
        Command::Serve(args) => serve::run(global, &out, &args),
    }
}
