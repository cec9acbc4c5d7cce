#![allow(clippy::unwrap_used)]

use super::*;
use crate::cli::Cli;
use clap::CommandFactory;
use clap::error::ErrorKind;

/// clap's top-level help for `flag` at `width` columns (0: no limit), made as `main` makes it off
/// a terminal: the whole parse of `edx-matrix FLAG` with plain styles, the text as it is.
fn clap_page(flag: &str, width: usize) -> String {
    let mut command = Cli::command()
        .styles(clap::builder::Styles::plain())
        .term_width(width);
    let error = command
        .try_get_matches_from_mut([PROGRAM, flag])
        .expect_err("a help flag ends the parse");
    assert_eq!(error.kind(), ErrorKind::DisplayHelp);
    error.render().ansi().to_string()
}

/// The page files and the flags they answer.
const FLAGS: [(&str, &Pages, &str); 2] = [("--help", &LONG, "long"), ("-h", &SHORT, "short")];

#[test]
fn pages_are_what_clap_renders() {
    let write = std::env::var_os("EDX_MATRIX_WRITE_HELP").is_some();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("help");
    let mut stale = Vec::new();
    for (flag, pages, name) in FLAGS {
        for (file, held, width) in [
            (format!("{name}-100.txt"), pages.at_100, 100),
            (format!("{name}.txt"), pages.unwrapped, 0),
        ] {
            let rendered = clap_page(flag, width);
            if rendered != held {
                if write {
                    std::fs::write(dir.join(&file), &rendered).unwrap();
                }
                stale.push(file);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "crates/cli/help/{stale:?} differ from clap's rendering of the command tree: \
         rewrite them with `EDX_MATRIX_WRITE_HELP=1 cargo test -p edx-matrix --bin edx-matrix \
         prerendered` (then build again: the binary includes them){}",
        if write { " — rewritten now" } else { "" }
    );
}

/// The unwrapped page is used from its widest line on: clap wraps nothing there, at any width
/// above, and does wrap one column narrower (so the width really is the threshold).
#[test]
fn unwrapped_pages_hold_from_their_widest_line_on() {
    for (flag, pages, _) in FLAGS {
        let widest = widest_line(pages.unwrapped);
        assert_ne!(clap_page(flag, widest - 1), pages.unwrapped, "{flag}");
        let wider = (widest..widest + 40).chain([widest + 100, 1_000, 100_000]);
        for width in wider {
            assert_eq!(clap_page(flag, width), pages.unwrapped, "{flag} at {width}");
        }
    }
}

/// The page at 100 columns is wrapped (or the unwrapped page would do).
#[test]
fn pages_at_100_columns_are_wrapped() {
    for (flag, pages, _) in FLAGS {
        assert!(widest_line(pages.unwrapped) > 100, "{flag}");
        assert!(widest_line(pages.at_100) <= 100, "{flag}");
    }
}

/// Every `env` of the top-level options is in `SHOWN_ENV` (clap shows its value in the help),
/// and nothing else.
#[test]
fn shown_env_is_every_env_of_the_top_level_options() {
    let command = Cli::command();
    let env: Vec<&str> = command
        .get_arguments()
        .filter_map(|arg| arg.get_env())
        .map(|name| name.to_str().unwrap())
        .collect();
    assert_eq!(env, SHOWN_ENV);
}

fn args(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

#[test]
fn pages_are_chosen_by_flag_program_and_width() {
    let long = args(&["edx-matrix", "--help"]);
    let short = args(&["/usr/local/bin/edx-matrix", "-h"]);
    let columns = |c: &str| Some(OsString::from(c));
    let long_widest = widest_line(LONG.unwrapped);
    // clap's width off a terminal: COLUMNS if it is a number, else 100.
    assert_eq!(page(&long, None), Some(LONG.at_100));
    assert_eq!(page(&long, columns("100")), Some(LONG.at_100));
    assert_eq!(page(&long, columns("eighty")), Some(LONG.at_100));
    assert_eq!(page(&short, None), Some(SHORT.at_100));
    assert_eq!(
        page(&long, columns(&long_widest.to_string())),
        Some(LONG.unwrapped)
    );
    assert_eq!(page(&long, columns("100000")), Some(LONG.unwrapped));
    let short_widest = widest_line(SHORT.unwrapped).to_string();
    assert_eq!(page(&short, columns(&short_widest)), Some(SHORT.unwrapped));
    // Widths without a page: clap renders.
    assert_eq!(page(&long, columns(&(long_widest - 1).to_string())), None);
    for width in ["0", "80", "99", "101", "200"] {
        assert_eq!(page(&long, columns(width)), None, "{width}");
    }
    // Another program name, another command line: clap renders.
    assert_eq!(page(&args(&["edx-matrix-old", "--help"]), None), None);
    assert_eq!(page(&args(&["/bin/em", "-h"]), None), None);
    assert_eq!(page(&args(&["edx-matrix", "--help", "-q"]), None), None);
    assert_eq!(page(&args(&["edx-matrix", "help"]), None), None);
    assert_eq!(page(&args(&["edx-matrix", "--version"]), None), None);
    assert_eq!(page(&args(&["edx-matrix"]), None), None);
    assert_eq!(page(&[], None), None);
}

/// clap's answer to `edx-matrix FLAG` for a version flag, as `main` prints it off a terminal.
fn clap_version(flag: &str) -> String {
    let mut command = Cli::command().styles(clap::builder::Styles::plain());
    let error = command
        .try_get_matches_from_mut([PROGRAM, flag])
        .expect_err("a version flag ends the parse");
    assert_eq!(error.kind(), ErrorKind::DisplayVersion);
    error.render().ansi().to_string()
}

#[test]
fn version_is_what_clap_renders() {
    for flag in ["--version", "-V"] {
        assert_eq!(clap_version(flag), VERSION, "{flag}");
    }
    // The command's name, not the program's: a renamed program prints the same line.
    let mut command = Cli::command();
    let error = command
        .try_get_matches_from_mut(["em", "-V"])
        .expect_err("a version flag ends the parse");
    assert_eq!(error.render().to_string(), VERSION);
}

#[test]
fn version_is_asked_by_its_flags_alone() {
    assert!(is_version(&args(&["edx-matrix", "--version"])));
    assert!(is_version(&args(&["/bin/em", "-V"])));
    assert!(!is_version(&args(&["edx-matrix", "--version", "-q"])));
    assert!(!is_version(&args(&["edx-matrix", "check", "-V"])));
    assert!(!is_version(&args(&["edx-matrix", "-v"])));
    assert!(!is_version(&args(&["edx-matrix"])));
}
