//! The top-level help (`edx-matrix --help`, `-h`) and the version (`--version`, `-V`) written
//! from text clap rendered once, where clap would write exactly that text: no command tree
//! built, no help template run.
//!
//! clap's rendering of the top-level help was 1.0M of its 1.46M instructions (building the root
//! command 0.24M, the help template 0.76M: 31 commands' lines wrapped one word at a time), and
//! building the root command 0.3M of `--version`'s 0.7M (docs/benchmarks.md, "Round 6"). The
//! help pages in `crates/cli/help/` are clap's own output, and `tests::pages_are_what_clap_renders`
//! renders them again from the command tree and fails when they differ (`EDX_MATRIX_WRITE_HELP=1`
//! rewrites them), so clap stays the one source of the text; the version line likewise.
//!
//! A help page is used only where clap's text does not depend on anything but the width:
//! - no standard stream is a terminal: clap then wraps at `COLUMNS`, or 100 columns without it,
//!   and writes no colours (on a terminal clap renders as before: its width is the terminal's,
//!   and its colours are clap's to decide);
//! - the width is 100 (the page at 100 columns) or at least the widest line of the unwrapped page
//!   (clap wraps nothing there);
//! - the program is called `edx-matrix` (clap's usage line names the program as it was called);
//! - `EDX_MATRIX_FILE` is unset (clap shows its value beside `--file`);
//! - the command line is exactly `--help` or `-h`.
//!
//! The version line depends on none of these (clap writes the command's name, not the
//! program's, and no style): `--version` or `-V` alone is enough.
//!
//! Anything else is clap's, as before.

use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// The pages of one help flag, clap's text with plain styles (what it writes off a terminal).
struct Pages {
    /// At 100 columns: clap's width when no standard stream is a terminal and `COLUMNS` is unset.
    at_100: &'static str,
    /// Wrapped nowhere: clap's text at any width from its widest line on.
    unwrapped: &'static str,
}

/// `--help`: every option with its long help.
const LONG: Pages = Pages {
    at_100: include_str!("../help/long-100.txt"),
    unwrapped: include_str!("../help/long.txt"),
};

/// `-h`: the summary.
const SHORT: Pages = Pages {
    at_100: include_str!("../help/short-100.txt"),
    unwrapped: include_str!("../help/short.txt"),
};

/// The environment variables whose values clap shows in the top-level help (the `env` of its
/// options): a page holds the text without them. The test checks the list against the tree.
const SHOWN_ENV: &[&str] = &["EDX_MATRIX_FILE"];

/// The name the usage line of the pages gives the program.
const PROGRAM: &str = "edx-matrix";

/// What clap writes for `--version` and `-V`: the command's name and the package's version.
const VERSION: &str = concat!("edx-matrix ", env!("CARGO_PKG_VERSION"), "\n");

/// Writes the version or the top-level help if this command line asks for it and the text clap
/// would write is held here; returns false (nothing written) otherwise.
pub(crate) fn print_if_prerendered() -> bool {
    let args: Vec<OsString> = std::env::args_os().take(3).collect();
    let text = if is_version(&args) {
        VERSION
    } else if help_depends_on_more_than_width() {
        return false;
    } else {
        match page(&args, std::env::var_os("COLUMNS")) {
            Some(page) => page,
            None => return false,
        }
    };
    // As clap's own printing: a failed write (a closed pipe) is not an error of `--help`.
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    true
}

/// Whether clap's help would depend on more than `COLUMNS`: a terminal's width and colours, or
/// the value of an environment variable it shows.
fn help_depends_on_more_than_width() -> bool {
    std::io::stdin().is_terminal()
        || std::io::stdout().is_terminal()
        || std::io::stderr().is_terminal()
        || SHOWN_ENV
            .iter()
            .any(|name| std::env::var_os(name).is_some())
}

/// Whether these arguments (the program's name first) ask for the version alone.
fn is_version(args: &[OsString]) -> bool {
    matches!(args, [_, flag] if flag == "--version" || flag == "-V")
}

/// The page for these arguments (the program's name first) and `COLUMNS`, off a terminal.
fn page(args: &[OsString], columns: Option<OsString>) -> Option<&'static str> {
    let [program, flag] = args else {
        return None;
    };
    if Path::new(program).file_name()? != PROGRAM {
        return None;
    }
    let pages = if flag == "--help" {
        &LONG
    } else if flag == "-h" {
        &SHORT
    } else {
        return None;
    };
    // clap's width off a terminal: `COLUMNS` if it is a number, else 100.
    let width = columns
        .as_deref()
        .and_then(|c| c.to_str())
        .and_then(|c| c.parse::<usize>().ok())
        .unwrap_or(100);
    if width == 100 {
        Some(pages.at_100)
    } else if width >= widest_line(pages.unwrapped) {
        Some(pages.unwrapped)
    } else {
        None
    }
}

/// The columns of the page's widest line, one per character: the test checks that clap wraps
/// nothing from exactly this width on (a character of another width would fail it).
fn widest_line(page: &str) -> usize {
    page.lines()
        .map(|line| line.chars().count())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests;
