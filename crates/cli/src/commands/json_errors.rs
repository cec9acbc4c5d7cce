//! Which command line asked for JSON: its errors that have a JSON form (an unknown name) are
//! then printed as JSON too, the object the API answers.

use crate::cli::Command;
use crate::commands::edit::{AppCommand, ReleaseCommand};
use crate::commands::export::ExportCommand;
use crate::commands::query::QueryCommand;
use crate::format::Format;

/// Returns whether `command` was given `--format json` (the commands that take a name and
/// print JSON; `explain`'s diagnostic code is a name too).
pub(crate) fn asked(command: &Command) -> bool {
    let format = match command {
        Command::Resolve(a) => a.format,
        Command::Show(a) => a.format,
        Command::History(a) => a.format,
        Command::Runbook(a) => a.format,
        Command::Logs(a) => a.format,
        Command::Lock(a) => a.format,
        Command::Explain(a) => a.format,
        Command::Query(q) => match &**q {
            QueryCommand::Deployments { format, .. }
            | QueryCommand::Stages { format, .. }
            | QueryCommand::Release { format, .. }
            | QueryCommand::Version { format, .. } => *format,
        },
        Command::Export(a) => match &a.command {
            Some(ExportCommand::Tutor { format, .. }) => *format,
            _ => return false,
        },
        Command::Upgrade(a) => a.options.format,
        Command::Promote(a) => a.options.format,
        Command::Set(a) => a.options.format,
        Command::Include(a) => a.options.format,
        Command::Exclude(a) => a.options.format,
        Command::Release(r) => match &**r {
            ReleaseCommand::Add { options, .. } | ReleaseCommand::Retire { options, .. } => {
                options.format
            }
        },
        Command::App(r) => match &**r {
            AppCommand::Add { options, .. } | AppCommand::Remove { options, .. } => options.format,
        },
        _ => return false,
    };
    format == Format::Json
}
