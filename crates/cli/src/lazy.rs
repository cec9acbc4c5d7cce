//! [`Lazy`]: a command's arguments built only when clap enters that command.
//!
//! clap's derive builds the whole command tree (every command's arguments, value parsers and
//! help text) before parsing anything: about 0.9M instructions, more than `--version` or a
//! `resolve` of a real estate cost otherwise. Wrapped in [`Lazy`], a command's arguments are a
//! deferred builder ([`clap::Command::defer`]) that clap runs only for the command it parses (and
//! for everything when help, completions or the manual page walk the tree). The same builder adds
//! the options every command takes ([`with_global_options`]), so they too cost only the commands
//! clap builds.

use crate::cli::GlobalArgs;
use clap::{ArgMatches, Args, Command, Error, FromArgMatches, Subcommand};
use std::ops::Deref;

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
        cmd.defer(|cmd| keeping_about(with_global_options(cmd), T::augment_args))
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        cmd.defer(|cmd| keeping_about(with_global_options(cmd), T::augment_args_for_update))
    }
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
        cmd.defer(|cmd| T::augment_subcommands(with_global_options(cmd)))
    }
    fn augment_subcommands_for_update(cmd: Command) -> Command {
        cmd.defer(|cmd| T::augment_subcommands_for_update(with_global_options(cmd)))
    }
    fn has_subcommand(name: &str) -> bool {
        T::has_subcommand(name)
    }
}

/// Adds the options every command takes ([`GlobalArgs`]) to a command, as clap's
/// `global = true` on the top-level command would copy them into every command before parsing.
/// Here only the commands clap builds get them: the one parsed (and the group above it), or
/// all of them when help, completions or the manual page walk the tree.
///
/// Each copy is `global` in its command, which keeps clap's two other rules of global options
/// as they were: it copies them on into the command's own subcommands (`pipeline render`), and
/// after parsing it merges their values over every level of the command line (the top-level
/// command's options have the same ids): the command line over the environment over a default,
/// and the deeper level between two of the same source (`crates/cli/tests/cli/global_options.rs`).
///
/// The copies keep the display order they have among the top-level options (the order the
/// manual page and completions sort options by, across headings), and the command's own options
/// are then numbered from 0 as they were: clap's copies did not count in the command's order.
pub(crate) fn with_global_options(mut cmd: Command) -> Command {
    // A group above already copied them (clap's own propagation).
    if cmd.get_arguments().any(|a| a.get_id() == "file") {
        return cmd;
    }
    let template = GlobalArgs::augment_args(Command::new("edx-matrix"));
    for arg in template.get_arguments() {
        cmd = cmd.arg(arg.clone().global(true));
    }
    cmd.next_display_order(0)
}

#[cfg(test)]
mod tests;
