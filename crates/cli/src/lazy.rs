//! [`Lazy`]: a command's arguments built only when clap enters that command.
//!
//! clap's derive builds the whole command tree (every command's arguments, value parsers and
//! help text) before parsing anything: about 0.9M instructions, more than `--version` or a
//! `resolve` of a real estate cost otherwise. Wrapped in [`Lazy`], a command's arguments are a
//! deferred builder ([`clap::Command::defer`]) that clap runs only for the command it parses (and
//! for everything when help, completions or the manual page walk the tree). The same builder adds
//! the options every command takes ([`crate::global_options`]), so they too cost only the commands
//! clap builds, and only if the command line can give them there ([`global_options::left_off`]).

use crate::global_options;
use clap::{ArgMatches, Args, Command, Error, FromArgMatches, Subcommand};
use std::io::IsTerminal;
use std::ops::Deref;
use std::sync::OnceLock;

/// The arguments (or subcommands) `T` of one command, built on demand.
#[derive(Debug, Clone)]
pub(crate) struct Lazy<T>(pub T);

impl<T> Deref for Lazy<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: FromArgMatches> FromArgMatches for Lazy<T> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, Error> {
        T::from_arg_matches(matches).map(Lazy)
    }
    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, Error> {
        T::from_arg_matches_mut(matches).map(Lazy)
    }
    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), Error> {
        self.0.update_from_arg_matches(matches)
    }
    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), Error> {
        self.0.update_from_arg_matches_mut(matches)
    }
}

impl<T: Args> Args for Lazy<T> {
    fn group_id() -> Option<clap::Id> {
        T::group_id()
    }
    fn augment_args(cmd: Command) -> Command {
        cmd.defer(|cmd| with_options(cmd, T::augment_args))
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        cmd.defer(|cmd| with_options(cmd, T::augment_args_for_update))
    }
}

/// A command's arguments: the options every command takes first (as clap's global options
/// were), then its own (`augment`), then the options again in any command nested in it.
fn with_options(cmd: Command, augment: fn(Command) -> Command) -> Command {
    let cmd = plain_off_terminal(cmd);
    if global_options::left_off(&cmd) {
        return keeping_about(cmd, augment);
    }
    global_options::add_below(keeping_about(global_options::add(cmd), augment))
}

/// Off a terminal, the command's help and usage errors written with plain styles, as they are
/// printed (`main::print_help_or_version`): set here, on the commands built, rather than on the
/// top-level command, from which clap copies them into all 31 commands (18K instructions).
fn plain_off_terminal(cmd: Command) -> Command {
    static TERMINAL: OnceLock<bool> = OnceLock::new();
    if *TERMINAL.get_or_init(|| std::io::stdout().is_terminal()) {
        return cmd;
    }
    cmd.styles(clap::builder::Styles::plain())
}

/// Runs `augment` keeping the command's own description. Deferred, the arguments are added
/// after the command's doc comment became its `about`, and a flattened group's doc comment
/// (`EditOptions`, `WriteArgs`) would replace it.
fn keeping_about(cmd: Command, augment: fn(Command) -> Command) -> Command {
    let about = cmd.get_about().cloned();
    let long_about = cmd.get_long_about().cloned();
    let mut cmd = augment(cmd);
    if let Some(about) = about {
        cmd = cmd.about(about);
    }
    if let Some(long_about) = long_about {
        cmd = cmd.long_about(long_about);
    }
    cmd
}

impl<T: Subcommand> Subcommand for Lazy<T> {
    fn augment_subcommands(cmd: Command) -> Command {
        cmd.defer(|cmd| {
            let cmd = plain_off_terminal(cmd);
            if global_options::left_off(&cmd) {
                return T::augment_subcommands(cmd);
            }
            global_options::add_below(T::augment_subcommands(global_options::add(cmd)))
        })
    }
    fn augment_subcommands_for_update(cmd: Command) -> Command {
        cmd.defer(|cmd| {
            let cmd = plain_off_terminal(cmd);
            if global_options::left_off(&cmd) {
                return T::augment_subcommands_for_update(cmd);
            }
            global_options::add_below(T::augment_subcommands_for_update(global_options::add(cmd)))
        })
    }
    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}
