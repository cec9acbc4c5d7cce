//! `edx-matrix`: validate, resolve, edit and deploy an Open edX release matrix.

mod args;
mod cli;
mod commands;
mod complete;
mod deprecated;
mod error;
mod format;
mod global_options;
mod lazy;
mod line_diff;
mod matrix_file;
mod matrix_repo;
mod names;
mod output;
mod prerendered;
mod unknown_command;

use clap::CommandFactory;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A completion request from a shell's script answers and exits here, before any output.
    complete::complete_if_asked();
    // `--version`, and `--help` off a terminal, from the text clap rendered once (prerendered.rs).
    if prerendered::print_if_prerendered() {
        return ExitCode::SUCCESS;
    }
    let cli = match parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout with success, usage errors to stderr.
            if !e.use_stderr() {
                print_help_or_version(&e);
                return ExitCode::SUCCESS;
            }
            // A mistyped command is an unknown name like any other: suggestions by distance
            // (clap's own list can put `schema` before `check` for `chek`).
            let text = match unknown_command::message(&e) {
                Some(text) => text,
                None => e.render().to_string(),
            };
            // A usage error quotes the refused value: escaped (and clipped) like every other
            // value that reaches the terminal, so `show $'x\a'` cannot ring or recolour it.
            eprint!("{}", edx_matrix_formats::safe_lines(&text));
            return ExitCode::from(error::exit_code(error::Kind::Usage));
        }
    };
    let json = commands::json_errors::asked(&cli.command);
    let code = match commands::run(cli) {
        Ok(code) => code,
        Err(e) => e.report(json),
    };
    // A test hook: how many times the matrix text was parsed (the tests show each command
    // reads its file once). Only in test builds (`edx-matrix-formats`'s `test-hooks`).
    edx_matrix_formats::with_test_hooks! {
        if std::env::var_os("EDX_MATRIX_REPORT_PARSES").is_some() {
            eprintln!(
                "edx-matrix: parsed matrix text {} times",
                edx_matrix_formats::parse_count()
            );
        }
    }
    code
}

/// Parses the command line as `Cli::try_parse` does, with the options every command takes merged
/// over the levels they are given at (`global_options::cli_from`). First with the options left
/// off the commands whose part of the command line cannot hold them (`global_options::left_off`):
/// if that parse fails (a usage error, help), again with the full tree, so every text shown is
/// the full tree's.
fn parse() -> Result<cli::Cli, clap::Error> {
    match global_options::leaving_off(parse_with_tree) {
        (Err(_), true) => parse_with_tree(),
        (parsed, _) => parsed,
    }
}

/// One parse with the command tree built once, left to the process's exit: freeing it (every
/// command it built) was 81K instructions of `--version`'s 763K (docs/benchmarks.md), for memory
/// the process returns a moment later anyway. Off a terminal, clap's default styles too: setting
/// plain ones copied them into all 31 commands (18K instructions); help is stripped of their
/// escapes when printed ([`print_help_or_version`]), usage errors always are.
fn parse_with_tree() -> Result<cli::Cli, clap::Error> {
    let mut command = cli::Cli::command();
    let parsed = match command.try_get_matches_from_mut(std::env::args_os()) {
        // As `try_parse`: a conversion error is formatted with the command.
        Ok(mut matches) => global_options::cli_from(&mut matches)
            .map_err(|e| e.format(&mut command))
            .and_then(|cli| refuse_file_with_example(cli, &mut command)),
        Err(e) => Err(e),
    };
    std::mem::forget(command);
    parsed
}

/// `--file` (or `EDX_MATRIX_FILE`) with `--example` is a usage error wherever each is written:
/// clap checks the conflict of two global options only when both are given at one level, so
/// `--file x.toml check --example` silently read the example.
fn refuse_file_with_example(
    cli: cli::Cli,
    command: &mut clap::Command,
) -> Result<cli::Cli, clap::Error> {
    if cli.global.example && cli.global.file.is_some() {
        return Err(command.error(
            clap::error::ErrorKind::ArgumentConflict,
            "the argument '--example' cannot be used with '--file <PATH>'",
        ));
    }
    Ok(cli)
}

/// Prints help or the version to standard output. Not on a terminal, without clap's printing,
/// which parses every byte through a stripping stream (a third of `--help`'s instructions), nor
/// `StyledStr`'s `Display`, which strips the same way (another 0.1M, docs/benchmarks.md): the
/// styles' escapes (`ESC [ ... m`, all clap writes) are cut out here.
fn print_help_or_version(e: &clap::Error) {
    if std::io::stdout().is_terminal() {
        let _ = e.print();
        return;
    }
    let text = without_escapes(&e.render().ansi().to_string());
    let mut stdout = std::io::stdout().lock();
    let _ = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
}

/// `text` without its SGR escape sequences (`ESC [ parameters m`).
fn without_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        rest = match rest.find('m') {
            Some(end) => &rest[end + 1..],
            None => "",
        };
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_are_cut_out_of_help() {
        let styled = "\x1b[1m\x1b[4mUsage:\x1b[0m \x1b[1medx-matrix\x1b[0m [OPTIONS]\n";
        assert_eq!(
            super::without_escapes(styled),
            "Usage: edx-matrix [OPTIONS]\n"
        );
        assert_eq!(super::without_escapes("plain\n"), "plain\n");
    }
}
