//! One module per subcommand; [`run`] dispatches.

pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod diff;
pub(crate) mod discover;
pub(crate) mod edit;
pub(crate) mod expand;
pub(crate) mod explain;
pub(crate) mod export;
pub(crate) mod export_python;
pub(crate) mod history;
pub(crate) mod import;
pub(crate) mod init;
pub(crate) mod json_errors;
pub(crate) mod jwt_keygen;
pub(crate) mod lock;
pub(crate) mod logs;
pub(crate) mod man;
pub(crate) mod pipeline;
pub(crate) mod query;
pub(crate) mod resolve;
pub(crate) mod runbook;
pub(crate) mod schema;
pub(crate) mod serve;
pub(crate) mod show;
pub(crate) mod verify_refs;

use crate::cli::{Cli, Command};
use crate::error::CmdResult;
use crate::output::Output;

/// Runs the command the user asked for.
pub(crate) fn run(cli: Cli) -> CmdResult {
    let out = Output::new(&cli.global);
    crate::deprecated::flush(&out);
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
        Command::Runbook(args) => runbook::run(global, &out, &args),
        Command::JwtKeygen(args) => jwt_keygen::run(global, &out, &args),
        Command::Logs(args) => logs::run(global, &out, &args),
        Command::Schema(args) => schema::run(&out, &args),
        Command::Completions(args) => completions::completions(&out, &args),
        Command::Man(args) => man::run(&out, &args),
        Command::Explain(args) => explain::run(&out, &args),
        Command::VerifyRefs(args) => verify_refs::run(global, &out, &args),
        Command::Lock(args) => lock::run(global, &out, &args),
        Command::Discover(args) => discover::run(global, &out, &args),
        Command::Diff(args) => diff::run(global, &out, &args),
        Command::History(args) => history::run(global, &out, &args),
        Command::Pipeline(command) => pipeline::run(global, &out, &command),
        Command::Upgrade(args) => edit::upgrade(global, &out, &args),
        Command::Promote(args) => edit::promote(global, &out, &args),
        Command::Set(args) => edit::set(global, &out, &args),
        Command::Include(args) => edit::include(global, &out, &args),
        Command::Exclude(args) => edit::exclude(global, &out, &args),
        Command::Release(command) => edit::release(global, &out, &command),
        Command::App(command) => edit::app(global, &out, &command),
        Command::Fmt(args) => edit::fmt(global, &out, &args),
        Command::Serve(args) => serve::run(global, &out, &args),
    }
}
