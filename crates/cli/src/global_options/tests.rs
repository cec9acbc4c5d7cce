//! The options every command takes, added per command ([`super::add`]) and merged by
//! [`super::merged`], against clap's own `global = true` as the oracle: the same command tree
//! with the top-level options made global and [`super::add`] turned off ([`CLAP_GLOBAL`]), so
//! that clap copies them into every command and merges their values itself. Every command's help,
//! usage, manual page, arguments and completions, and the options parsed from command lines at
//! several levels, must be the same.

#![allow(clippy::unwrap_used)]

use crate::cli::Cli;
use clap::{ColorChoice, Command, CommandFactory, FromArgMatches};
use std::cell::Cell;
use std::ffi::OsString;

thread_local! {
    /// Set: [`super::add`] adds nothing, clap's `global = true` does it all (this thread's
    /// commands: each test runs on a thread of its own).
    pub(super) static CLAP_GLOBAL: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with the oracle's commands ([`CLAP_GLOBAL`]).
fn as_clap<R>(f: impl FnOnce() -> R) -> R {
    CLAP_GLOBAL.set(true);
    let result = f();
    CLAP_GLOBAL.set(false);
    result
}

const IDS: [&str; 5] = ["file", "example", "color", "quiet", "verbose"];

/// The command line as the binary builds it (plain styles, fixed width).
fn ours() -> Command {
    Cli::command()
        .styles(clap::builder::Styles::plain())
        .color(ColorChoice::Never)
        .term_width(100)
}

/// The same, with the top-level options `global = true`: clap copies them into every command
/// (build it and parse with it inside [`as_clap`]).
fn clap_global() -> Command {
    let mut cmd = ours();
    for id in IDS {
        cmd = cmd.mut_arg(id, |a| a.global(true));
    }
    cmd
}

/// Every text a command shows, and its arguments as clap holds them, depth first.
fn surface(cmd: &mut Command, path: &str, out: &mut Vec<(String, String)>) {
    let args: Vec<String> = cmd
        .get_arguments()
        .map(|a| {
            format!(
                "{} {} {}",
                a.get_id(),
                a.get_display_order(),
                a.is_global_set()
            )
        })
        .collect();
    out.push((format!("{path} arguments"), args.join("\n")));
    out.push((format!("{path} -h"), cmd.render_help().to_string()));
    out.push((format!("{path} --help"), cmd.render_long_help().to_string()));
    out.push((format!("{path} usage"), cmd.render_usage().to_string()));
    let mut roff = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .date("2026-12-06")
        .render(&mut roff)
        .unwrap();
    out.push((format!("{path} man"), String::from_utf8(roff).unwrap()));
    for sub in cmd.get_subcommands_mut() {
        let path = format!("{path} {}", sub.get_name());
        surface(sub, &path, out);
    }
}

/// Every command's path (the help command's too), from the fully built tree.
fn paths(cmd: &Command, path: &[String], out: &mut Vec<Vec<String>>) {
    out.push(path.to_vec());
    for sub in cmd.get_subcommands() {
        let mut sub_path = path.to_vec();
        sub_path.push(sub.get_name().to_owned());
        paths(sub, &sub_path, out);
    }
}

#[test]
fn every_command_shows_what_clap_global_options_show() {
    let (mut ours, mut clap_global) = (ours(), clap_global());
    ours.build();
    as_clap(|| clap_global.build());
    let (mut a, mut b) = (Vec::new(), Vec::new());
    surface(&mut ours, "edx-matrix", &mut a);
    surface(&mut clap_global, "edx-matrix", &mut b);
    assert_eq!(a.len(), b.len());
    // Ours are not `global` (a flag nothing shown reads): their one difference.
    for ((what, ours), (_, theirs)) in a.iter().zip(&b) {
        if what.ends_with(" arguments") {
            assert!(!ours.contains("true"), "{what}: {ours}");
            assert_eq!(ours, &theirs.replace("true", "false"), "{what}");
            continue;
        }
        assert_eq!(ours, theirs, "{what}");
    }
    // Each command past the root has the options (a check that the walk saw them).
    let check = a
        .iter()
        .find(|(w, _)| w == "edx-matrix check --help")
        .unwrap();
    assert!(
        check.1.contains("Global Options:\n  -f, --file <PATH>"),
        "{}",
        check.1
    );
}

#[test]
fn every_command_completes_what_clap_global_options_complete() {
    let mut tree = ours();
    tree.build();
    let mut all = Vec::new();
    paths(&tree, &[], &mut all);
    for path in all {
        for last in ["--", "", "-", "--f", "--color="] {
            let mut words: Vec<OsString> = vec!["edx-matrix".into()];
            words.extend(path.iter().map(OsString::from));
            words.push(last.into());
            let index = words.len() - 1;
            let complete = |mut cmd: Command| {
                let candidates =
                    clap_complete::engine::complete(&mut cmd, words.clone(), index, None).unwrap();
                candidates
                    .iter()
                    .map(|c| format!("{:?} {:?}", c.get_value(), c.get_help()))
                    .collect::<Vec<_>>()
            };
            let theirs = as_clap(|| complete(clap_global()));
            assert_eq!(complete(ours()), theirs, "{words:?}");
        }
    }
}

#[test]
fn every_command_line_parses_as_with_clap_global_options() {
    let lines: &[&[&str]] = &[
        &["check"],
        &["-f", "a", "check"],
        &["check", "-f", "a"],
        &["-f", "a", "check", "-f", "b"],
        &["-f", "a", "-f", "b", "check"],
        &["check", "-f", "a", "--file=b"],
        &["--example", "check", "-f", "a"],
        &["-f", "a", "check", "--example"],
        &["--example", "-f", "a", "check"],
        &["-q", "check", "-v"],
        &["-q", "-v", "check"],
        &["check", "-v", "-q"],
        &["-v", "check", "-v"],
        &["-v", "-v", "check"],
        &["--color", "always", "check", "--color", "never"],
        &["--color", "never", "check"],
        &["check", "--color", "sometimes"],
        &["check", "--fil", "a"],
        &[
            "query",
            "-f",
            "a",
            "deployments",
            "-r",
            "x",
            "-f",
            "b",
            "-q",
        ],
        &["query", "--example", "deployments", "-r", "x", "-v"],
        &["query", "deployments", "-r", "x", "-q", "-v"],
        &[
            "-f", "a", "pipeline", "--color", "always", "render", "-f", "b", "--all",
        ],
        &["pipeline", "render", "--all", "-q", "--verbose"],
        &["help", "check", "-f", "a"],
        &["-f", "a", "help", "check"],
        &["show", "x", "--verbos"],
    ];
    // Ours as `main` parses; clap's global options merged by clap.
    let parse = |cmd: Command, line: &[&str], ours: bool| -> String {
        let mut cmd = cmd;
        let argv = std::iter::once("edx-matrix").chain(line.iter().copied());
        match cmd.try_get_matches_from_mut(argv) {
            Ok(mut matches) => {
                let cli = if ours {
                    super::cli_from(&mut matches)
                } else {
                    Cli::from_arg_matches_mut(&mut matches)
                };
                match cli {
                    Ok(cli) => format!("{:?}", cli.global),
                    Err(e) => format!("error {}", e.render()),
                }
            }
            Err(e) => format!("error {:?} {}", e.kind(), e.render()),
        }
    };
    for line in lines {
        let theirs = as_clap(|| parse(clap_global(), line, false));
        assert_eq!(parse(ours(), line, true), theirs, "{line:?}");
    }
    // And the options are taken at every level at all (a check of the lines above).
    let line = [
        "-f",
        "a",
        "query",
        "deployments",
        "-r",
        "x",
        "-f",
        "b",
        "-q",
    ];
    let deep = parse(ours(), &line, true);
    assert!(
        deep.contains("file: Some(\"b\")") && deep.contains("quiet: true"),
        "{deep}"
    );
}

/// `could_be` knows every name of the options (and of help and the version).
#[test]
fn every_name_of_the_options_is_recognised() {
    let mut cmd = Cli::command();
    cmd.build();
    for (id, bit) in IDS.iter().zip([
        super::FILE,
        super::EXAMPLE,
        super::COLOR,
        super::QUIET,
        super::VERBOSE,
    ]) {
        let arg = cmd.get_arguments().find(|a| a.get_id() == id).unwrap();
        let long = format!("--{}", arg.get_long().unwrap());
        assert_eq!(super::could_be(long.as_ref()), Some(bit), "{long}");
        assert_eq!(
            super::could_be(format!("{long}=x").as_ref()),
            Some(bit),
            "{long}"
        );
        if let Some(short) = arg.get_short() {
            assert_eq!(
                super::could_be(format!("-{short}").as_ref()),
                Some(bit),
                "{short}"
            );
            assert_eq!(
                super::could_be(format!("-o{short}x").as_ref()),
                Some(bit),
                "{short}"
            );
        }
    }
    for other in ["-h", "--help", "-V", "--version", "-oh"] {
        assert_eq!(super::could_be(other.as_ref()), None, "{other}");
    }
    for other in ["--format", "--files", "-o", "json", "-", "--"] {
        assert_eq!(super::could_be(other.as_ref()), Some(0), "{other}");
    }
}

#[test]
fn the_top_level_command_needs_the_options_written_anywhere() {
    let needed = |line: &[&str]| {
        let argv = std::iter::once("edx-matrix").chain(line.iter().copied());
        super::needed_on_top(argv.map(OsString::from))
    };
    assert_eq!(needed(&["resolve", "--format", "json"]), Some(super::FILE));
    assert_eq!(
        needed(&["--example", "resolve", "-v", "--color=never"]),
        Some(super::FILE | super::EXAMPLE | super::VERBOSE | super::COLOR)
    );
    assert_eq!(needed(&["resolve", "-q"]), Some(super::FILE | super::QUIET));
    assert_eq!(needed(&["resolve", "--help"]), None);
    assert_eq!(needed(&["-V"]), None);
}

#[test]
fn options_are_looked_for_from_the_command_name_on() {
    let absent = |line: &[&str]| {
        let argv = std::iter::once("edx-matrix").chain(line.iter().copied());
        super::absent_from("resolve", argv.map(OsString::from))
    };
    assert!(absent(&[
        "--file", "x", "-q", "resolve", "--format", "json"
    ]));
    assert!(absent(&[
        "-f", "resolve", "resolve", "-o", "out", "--", "x"
    ]));
    assert!(absent(&["resolve", "--formats=--file"]));
    for options in [
        &["--file", "x"][..],
        &["--file=x"],
        &["-fx"],
        &["-oqx"],
        &["-v"],
        &["--color=never"],
        &["--example"],
        &["--quiet"],
        &["--verbose"],
        &["-h"],
        &["--help"],
        &["-V"],
        &["--version"],
        &["--", "-q"],
    ] {
        let line: Vec<&str> = ["resolve", "--format", "json"]
            .into_iter()
            .chain(options.iter().copied())
            .collect();
        assert!(!absent(&line), "{line:?}");
    }
    // Not the command's line at all (an alias, another command): the options stay.
    assert!(!absent(&["check"]));
}
