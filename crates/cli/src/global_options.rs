//! The options every command takes ([`GlobalArgs`]: `--file`, `--example`, `--color`, `-q`,
//! `-v`), given before or after the command at any depth, without clap's `global = true`.
//!
//! clap copies a global option into all 31 commands (and the nested ones) before it parses
//! anything, and merges the levels' values after: 0.26M instructions of every command's run, a
//! tenth of an estate's `resolve` (docs/benchmarks.md). Here the top-level command has them as its
//! own options; [`add`] gives them to a command when its deferred builder runs (`crate::lazy`:
//! only the command parsed, or every one when help, completions or the manual page walk the
//! tree) and [`add_below`] to the commands nested in it; [`merged`] reads their values once,
//! with clap's rule. What a user sees is what clap's global options showed, byte for byte: the
//! unit tests compare every command's help, usage, manual page, completions and parse with
//! clap's own global options (`global_options/tests.rs`), and
//! `crates/cli/tests/cli/global_options.rs` holds the old binary's output of every case.

use crate::cli::{Cli, ColorChoice, GlobalArgs};
use clap::builder::Resettable;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, Command, FromArgMatches};
use std::path::PathBuf;

/// Adds the options to `cmd`, numbered as clap's copies were: 0 to 4 as among the top-level
/// options (the manual page and completions sort options by that number, across headings),
/// not counting in the command's own numbering (its own options start at 0 either way).
pub(crate) fn add(cmd: Command) -> Command {
    #[cfg(test)]
    if tests::CLAP_GLOBAL.get() {
        return cmd;
    }
    // Already there: added by the command above (a deferred command nested in a group).
    if cmd.get_arguments().any(|a| a.get_id() == "file") {
        return cmd;
    }
    // The derive also gives the command `GlobalArgs`'s doc comment as its description.
    let (about, long_about) = (cmd.get_about().cloned(), cmd.get_long_about().cloned());
    GlobalArgs::augment_args(cmd.next_display_order(0))
        .about(Resettable::from(about))
        .long_about(Resettable::from(long_about))
        .next_display_order(0)
}

/// Adds the options to every command nested in `cmd` (`query deployments`, `pipeline render`),
/// after their own options as clap's copies were.
pub(crate) fn add_below(cmd: Command) -> Command {
    if !cmd.has_subcommands() {
        return cmd;
    }
    cmd.mut_subcommands(|sub| add_below(add(sub)))
}

/// The options' values over every level of a parsed command line (`--file a.toml query -q
/// deployments --file b.toml`), by clap's rule for global options (`ArgMatcher::
/// propagate_globals`): of the levels that have a value, the one of the highest source (the
/// command line over the environment over a default), and among those the deepest.
/// The command line parsed from clap's matches, with the options' values [`merged`].
pub(crate) fn cli_from(matches: &mut ArgMatches) -> Result<Cli, clap::Error> {
    let global = merged(matches);
    let cli = Cli::from_arg_matches_mut(matches)?;
    Ok(Cli { global, ..cli })
}

/// The options' values over every level of a parsed command line (`--file a.toml query -q
/// deployments --file b.toml`), by clap's rule for global options (`ArgMatcher::
/// propagate_globals`): of the levels that have a value, the one of the highest source (the
/// command line over the environment over a default), and among those the deepest.
///
/// Read with the typed getters, not `GlobalArgs::from_arg_matches`: the derive's version of that
/// clones the whole `ArgMatches` (74K instructions for the five options).
pub(crate) fn merged(matches: &ArgMatches) -> GlobalArgs {
    let levels: Vec<&ArgMatches> =
        std::iter::successors(Some(matches), |m| m.subcommand().map(|(_, sub)| sub)).collect();
    let from = |id: &str| {
        let mut best: Option<(ValueSource, &ArgMatches)> = None;
        for level in &levels {
            if let Some(source) = level.value_source(id) {
                if best.is_none_or(|(was, _)| was <= source) {
                    best = Some((source, level));
                }
            }
        }
        best.map_or(matches, |(_, level)| level)
    };
    GlobalArgs {
        file: from("file").get_one::<PathBuf>("file").cloned(),
        example: from("example").get_flag("example"),
        // `--color` has a default: some level always has a value.
        color: (from("color").get_one::<ColorChoice>("color").copied())
            .unwrap_or(ColorChoice::Auto),
        quiet: from("quiet").get_flag("quiet"),
        verbose: from("verbose").get_flag("verbose"),
    }
}

#[cfg(test)]
mod tests;
