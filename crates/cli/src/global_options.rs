//! The options every command takes ([`GlobalArgs`]: `--file`, `--example`, `--color`, `-q`,
//! `-v`), given before or after the command at any depth, without clap's `global = true`.
//!
//! clap copies a global option into all 31 commands (and the nested ones) before it parses
//! anything, and merges the levels' values after: 0.26M instructions of every command's run, a
//! tenth of an estate's `resolve` (docs/benchmarks.md). Here the top-level command has them as its
//! own options; [`add`] gives them to a command when its deferred builder runs (`crate::lazy`:
//! only the command parsed, or every one when help, completions or the manual page walk the
//! tree) and [`add_below`] to the commands nested in it; [`merged`] reads their values once,
//! with clap's rule. The first parse of a run leaves them off where the command line cannot give
//! them ([`leaving_off`], [`left_off`], [`TopOptions`]; 84K instructions of every run); an error
//! or help is parsed again with them everywhere. What a user sees is what clap's global options showed, byte for byte: the
//! unit tests compare every command's help, usage, manual page, completions and parse with
//! clap's own global options (`global_options/tests.rs`), and
//! `crates/cli/tests/cli/global_options.rs` holds the old binary's output of every case.

use crate::cli::{Cli, ColorChoice, GlobalArgs};
use clap::builder::Resettable;
use clap::parser::ValueSource;
use clap::{ArgMatches, Args, Command, FromArgMatches};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set by `main::parse` for its first parse only: the options may be left off a command whose
/// part of the command line cannot give them ([`left_off`]).
static MAY_LEAVE_OFF: AtomicBool = AtomicBool::new(false);
/// Set when a command was built without the options (its text differs from the full tree's).
static LEFT_OFF: AtomicBool = AtomicBool::new(false);

/// Runs `parse` allowing [`left_off`]; returns its result and whether any command was built
/// without the options. Every other build of the tree (help of a failed parse, completions, the
/// manual page, the unit tests) has them on every command.
pub(crate) fn leaving_off<T>(parse: impl FnOnce() -> T) -> (T, bool) {
    MAY_LEAVE_OFF.store(true, Ordering::Relaxed);
    LEFT_OFF.store(false, Ordering::Relaxed);
    let parsed = parse();
    MAY_LEAVE_OFF.store(false, Ordering::Relaxed);
    (parsed, LEFT_OFF.load(Ordering::Relaxed))
}

/// Whether the command `cmd` (about to be built) can do without the options, and is: inside
/// [`leaving_off`], when no word of the command line from the command's name on is one of the
/// options (or `--help`, `--version`), clap can give them to neither it nor the commands in it,
/// and their values come from the levels above (`merged`). Adding them was a third of the
/// parsed command's build (options, defaults filled in, the variable read: 30K instructions).
/// What the parse answers is the same; an error or help is not: the caller parses again with
/// the full tree.
pub(crate) fn left_off(cmd: &Command) -> bool {
    if !MAY_LEAVE_OFF.load(Ordering::Relaxed) || !absent_from(cmd.get_name(), std::env::args_os()) {
        return false;
    }
    LEFT_OFF.store(true, Ordering::Relaxed);
    true
}

/// Bits of [`could_be`]'s answer, one per option.
const FILE: u8 = 1;
const EXAMPLE: u8 = 2;
const COLOR: u8 = 4;
const QUIET: u8 = 8;
const VERBOSE: u8 = 16;

/// Which of the options clap could read `arg` as (bits), or `None` if it could be a request for
/// help or the version (whose text must list the options) or is not UTF-8 (cannot tell):
/// `--NAME`, `--NAME=VALUE`, a short name anywhere in a cluster (`-qv`, `-fx.toml`).
fn could_be(arg: &std::ffi::OsStr) -> Option<u8> {
    let arg = arg.to_str()?;
    if let Some(long) = arg.strip_prefix("--") {
        return match long.split_once('=').map_or(long, |(long, _)| long) {
            "file" => Some(FILE),
            "example" => Some(EXAMPLE),
            "color" => Some(COLOR),
            "quiet" => Some(QUIET),
            "verbose" => Some(VERBOSE),
            "help" | "version" => None,
            _ => Some(0),
        };
    }
    let Some(shorts) = arg.strip_prefix('-') else {
        return Some(0);
    };
    shorts.chars().try_fold(0, |bits, short| match short {
        'f' => Some(bits | FILE),
        'q' => Some(bits | QUIET),
        'v' => Some(bits | VERBOSE),
        'h' | 'V' => None,
        _ => Some(bits),
    })
}

/// Whether no word of `args` after the first `name` could be one of the options, `--help` or
/// `--version` ([`could_be`]). Words before belong to the commands above; from the first `name`
/// on, some may too (a value `resolve` of `--file`), which only makes the answer more cautious.
/// `name` missing (an alias) answers no.
fn absent_from(name: &str, args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    let mut args = args.into_iter().skip(1);
    if !args.by_ref().any(|a| a == name) {
        return false;
    }
    args.all(|arg| could_be(&arg) == Some(0))
}

/// The options the top-level command needs for the command line `args` (bits), or `None` if it
/// needs every one of them as the derive defines them ([`could_be`] answered `None`).
/// `--file` always: `EDX_MATRIX_FILE` gives it a value unwritten.
fn needed_on_top(args: impl IntoIterator<Item = std::ffi::OsString>) -> Option<u8> {
    args.into_iter()
        .skip(1)
        .try_fold(FILE, |bits, arg| could_be(&arg).map(|b| bits | b))
}

/// The options of the top-level command as `Cli` flattens them: [`GlobalArgs`]'s own; inside
/// [`leaving_off`], only those the command line can give there ([`needed_on_top`]), defined for
/// parsing alone (no help: an error or help is the full tree's, parsed again). The top-level
/// command's options not written were 23K instructions of every run (built, their defaults
/// filled in and checked).
#[derive(Debug, Clone)]
pub(crate) struct TopOptions(pub GlobalArgs);

impl std::ops::Deref for TopOptions {
    type Target = GlobalArgs;
    fn deref(&self) -> &GlobalArgs {
        &self.0
    }
}

impl FromArgMatches for TopOptions {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        GlobalArgs::from_arg_matches(matches).map(TopOptions)
    }
    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.0.update_from_arg_matches(matches)
    }
}

impl Args for TopOptions {
    fn group_id() -> Option<clap::Id> {
        GlobalArgs::group_id()
    }
    fn augment_args(cmd: Command) -> Command {
        on_top(cmd, GlobalArgs::augment_args)
    }
    fn augment_args_for_update(cmd: Command) -> Command {
        on_top(cmd, GlobalArgs::augment_args_for_update)
    }
}

/// [`TopOptions`]'s options added to the top-level command `cmd`: `full` (the derive's) or
/// the ones needed.
fn on_top(cmd: Command, full: fn(Command) -> Command) -> Command {
    use clap::{Arg, ArgAction, builder::EnumValueParser};
    let needed = match MAY_LEAVE_OFF.load(Ordering::Relaxed) {
        true => needed_on_top(std::env::args_os()),
        false => None,
    };
    let Some(needed) = needed else {
        return full(cmd);
    };
    LEFT_OFF.store(true, Ordering::Relaxed);
    let flag = |id: &'static str| Arg::new(id).long(id).action(ArgAction::SetTrue);
    let mut cmd = cmd.arg(
        Arg::new("file")
            .long("file")
            .short('f')
            .env("EDX_MATRIX_FILE")
            .value_parser(clap::value_parser!(PathBuf))
            .action(ArgAction::Set),
    );
    if needed & EXAMPLE != 0 {
        cmd = cmd.arg(flag("example").conflicts_with("file"));
    }
    if needed & COLOR != 0 {
        cmd = cmd.arg(
            Arg::new("color")
                .long("color")
                .value_parser(EnumValueParser::<ColorChoice>::new())
                .default_value("auto")
                .action(ArgAction::Set),
        );
    }
    if needed & (QUIET | VERBOSE) != 0 {
        cmd = cmd.arg(flag("quiet").short('q').conflicts_with("verbose"));
        cmd = cmd.arg(flag("verbose").short('v'));
    }
    cmd
}

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
///
/// Not `Cli::from_arg_matches_mut`: its reading of the top-level options would be thrown away.
pub(crate) fn cli_from(matches: &mut ArgMatches) -> Result<Cli, clap::Error> {
    let global = merged(matches);
    let command = crate::cli::Command::from_arg_matches_mut(matches)?;
    Ok(Cli {
        global: TopOptions(global),
        command,
    })
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
        // A level built without the options (`left_off`) does not know them.
        for level in levels
            .iter()
            .filter(|l| l.try_contains_id(id).unwrap_or(false))
        {
            if let Some(source) = level.value_source(id) {
                if best.is_none_or(|(was, _)| was <= source) {
                    best = Some((source, level));
                }
            }
        }
        best.map(|(_, level)| level)
    };
    GlobalArgs {
        file: from("file").and_then(|m| m.get_one::<PathBuf>("file").cloned()),
        example: from("example").is_some_and(|m| m.get_flag("example")),
        // No level with a value: not even the default, left off (`on_top`).
        color: (from("color").and_then(|m| m.get_one::<ColorChoice>("color").copied()))
            .unwrap_or(ColorChoice::Auto),
        quiet: from("quiet").is_some_and(|m| m.get_flag("quiet")),
        verbose: from("verbose").is_some_and(|m| m.get_flag("verbose")),
    }
}

#[cfg(test)]
mod tests;
