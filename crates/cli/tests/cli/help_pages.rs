//! `--help`, `-h` and `--version` at the top level: where the binary writes a page clap rendered once
//! (`crates/cli/src/prerendered.rs`), the bytes are those clap renders live in the same
//! conditions; where the text depends on more than the width, clap renders it.

use crate::harness::Env;
use std::process::Command;

/// Standard output of a successful run of `cmd` with `COLUMNS` set to `columns` (or unset).
fn stdout(mut cmd: Command, columns: Option<&str>) -> String {
    match columns {
        Some(columns) => cmd.env("COLUMNS", columns),
        None => cmd.env_remove("COLUMNS"),
    };
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn help_pages_are_what_clap_renders_live() {
    let env = Env::new();
    let run = |args: &[&str], columns| stdout(env.command(args), columns);
    // Unset and 100 (the page at 100 columns), 229 and wider (the unwrapped pages), the widths
    // on both sides of them (clap's own rendering), and a COLUMNS clap ignores.
    let widths = [
        None,
        Some("100"),
        Some("99"),
        Some("101"),
        Some("150"),
        Some("228"),
    ];
    let widths = widths
        .into_iter()
        .chain([Some("229"), Some("260"), Some("5000"), Some("wide")]);
    for columns in widths {
        // `help` is the same long help, always rendered by clap.
        assert_eq!(
            run(&["--help"], columns),
            run(&["help"], columns),
            "{columns:?}"
        );
        // clap stops parsing at `-h`, so `-h -q` is clap's rendering of `-h`.
        assert_eq!(
            run(&["-h"], columns),
            run(&["-h", "-q"], columns),
            "{columns:?}"
        );
    }
}

#[test]
fn help_shows_the_file_from_the_environment() {
    let env = Env::new();
    let mut cmd = env.command(&["--help"]);
    cmd.env("EDX_MATRIX_FILE", "elsewhere.toml");
    let help = stdout(cmd, None);
    assert!(
        help.contains("[env: EDX_MATRIX_FILE=elsewhere.toml]"),
        "{help}"
    );
}

#[test]
fn help_names_the_program_as_it_was_called() {
    let env = Env::new();
    let renamed = env.path("em");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_edx-matrix"), &renamed).unwrap();
    for flag in ["--help", "-h"] {
        let mut cmd = Command::new(&renamed);
        cmd.arg(flag).env_clear().env("NO_COLOR", "1");
        let help = stdout(cmd, None);
        assert!(help.contains("\nUsage: em [OPTIONS] <COMMAND>\n"), "{help}");
    }
}

#[test]
fn version_is_what_clap_renders_live() {
    let env = Env::new();
    let run = |args: &[&str]| stdout(env.command(args), None);
    // clap stops parsing at a version flag, so with `-q` after it the line is clap's.
    for flag in ["--version", "-V"] {
        assert_eq!(run(&[flag]), run(&[flag, "-q"]), "{flag}");
    }
    assert_eq!(
        run(&["--version"]),
        format!("edx-matrix {}\n", env!("CARGO_PKG_VERSION"))
    );
}
