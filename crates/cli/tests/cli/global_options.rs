//! The options every command takes (`--file`, `--example`, `--color`, `-q`, `-v`): accepted
//! before and after the command at any depth, and which value wins when one is given at several
//! levels (clap's rule for `global` options, which `crates/cli/src/cli.rs` keeps: the command
//! line over the environment over a default, and between two levels of the same source the
//! deeper one). Written against the binary whose options were clap's `global = true`, before
//! they were added to each command only when it is parsed; the snapshot holds every case's
//! whole output, so a changed word in an error shows too.

use crate::harness::{Env, Run};

/// A valid matrix whose only deployment is `name` (running `ulmo`); it warns once
/// (`renamed-repository`), so `-q` has something to silence.
fn matrix(name: &str) -> String {
    format!(
        r#"stages = ["Dev", "Live"]

[releases]
ulmo = {{ branch = "release/ulmo" }}

[applications]
edx-platform = {{ kind = "ida", repository = "https://github.com/openedx/edx-platform" }}

[deployments]
{name} = {{ Dev = "ulmo", Live = "ulmo" }}

[[map]]
releases    = ["ulmo"]
deployments = ["{name}"]
[map.apps]
edx-platform = {{}}
"#
    )
}

/// The scratch directory: `edx-matrix.toml` (deployment `delta`, found by discovery),
/// `a.toml` (`alpha`), `b.toml` (`bravo`) and `e.toml` (`echo`, for `EDX_MATRIX_FILE`).
fn env() -> Env {
    let env = Env::with_matrix(&matrix("delta"));
    env.write("a.toml", &matrix("alpha"));
    env.write("b.toml", &matrix("bravo"));
    env.write("e.toml", &matrix("echo"));
    env
}

/// Runs `args` with `EDX_MATRIX_FILE` set to `file` (or unset).
fn run(env: &Env, file: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = env.command(args);
    if let Some(file) = file {
        cmd.env("EDX_MATRIX_FILE", file);
    }
    let output = cmd.output().unwrap();
    let tmp = env.dir.path().display().to_string();
    let clean = |b: &[u8]| {
        crate::harness::masked_millis(&String::from_utf8_lossy(b).replace(&tmp, "[TMP]"), " in ")
    };
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: clean(&output.stdout),
        stderr: clean(&output.stderr),
    }
}

/// The deployment a successful `show` or `query deployments` printed: which file was read.
#[track_caller]
fn deployment_shown(run: &Run) -> &'static str {
    run.code(0);
    let names = ["alpha", "bravo", "delta", "echo", "campus"];
    let found: Vec<&str> = names
        .into_iter()
        .filter(|n| run.stdout.contains(n))
        .collect();
    assert_eq!(found.len(), 1, "{}", run.stdout);
    found[0]
}

const SHOW: &[&str] = &["show"];
const QUERY: &[&str] = &["query", "deployments", "-r", "ulmo"];

#[test]
fn file_is_taken_at_any_depth_the_deepest_command_line_value_winning() {
    let env = env();
    let shown = |file: Option<&str>, args: &[&str]| deployment_shown(&run(&env, file, args));
    for (args, want) in [
        (&["show"][..], "delta"),
        (&["--file", "a.toml", "show"], "alpha"),
        (&["show", "--file", "a.toml"], "alpha"),
        (&["show", "-f", "a.toml"], "alpha"),
        (&["--file=a.toml", "show"], "alpha"),
        (&["-fa.toml", "show"], "alpha"),
        (&["show", "bravo", "--file", "b.toml"], "bravo"),
        // Given twice, the deeper level wins whichever is written first.
        (&["--file", "a.toml", "show", "--file", "b.toml"], "bravo"),
        (&["--file", "b.toml", "show", "--file", "a.toml"], "alpha"),
        // Nested commands: the group's level and the leaf's.
        (&["query", "deployments", "-r", "ulmo"], "delta"),
        (
            &["--file", "a.toml", "query", "deployments", "-r", "ulmo"],
            "alpha",
        ),
        (
            &["query", "--file", "a.toml", "deployments", "-r", "ulmo"],
            "alpha",
        ),
        (
            &["query", "deployments", "-r", "ulmo", "--file", "a.toml"],
            "alpha",
        ),
        (
            &[
                "-f",
                "a.toml",
                "query",
                "-f",
                "b.toml",
                "deployments",
                "-r",
                "ulmo",
            ],
            "bravo",
        ),
        (
            &[
                "query",
                "-f",
                "a.toml",
                "deployments",
                "-f",
                "b.toml",
                "-r",
                "ulmo",
            ],
            "bravo",
        ),
        (
            &[
                "-f",
                "b.toml",
                "query",
                "deployments",
                "-r",
                "ulmo",
                "-f",
                "a.toml",
            ],
            "alpha",
        ),
    ] {
        assert_eq!(shown(None, args), want, "{args:?}");
    }
    // The environment is below the command line at every level, above discovery.
    for (args, want) in [
        (&["show"][..], "echo"),
        (&["--file", "a.toml", "show"], "alpha"),
        (&["show", "--file", "a.toml"], "alpha"),
        (&["query", "deployments", "-r", "ulmo"], "echo"),
        (
            &["-f", "a.toml", "query", "deployments", "-r", "ulmo"],
            "alpha",
        ),
        (
            &["query", "-f", "a.toml", "deployments", "-r", "ulmo"],
            "alpha",
        ),
        (
            &["query", "deployments", "-r", "ulmo", "-f", "a.toml"],
            "alpha",
        ),
    ] {
        assert_eq!(shown(Some("e.toml"), args), want, "{args:?}");
    }
}

#[test]
fn file_reaches_pipeline_render_at_each_of_its_three_levels() {
    // Missing files: the error names the one that was read.
    let env = env();
    for (args, want) in [
        (
            &["-f", "1.toml", "pipeline", "render", "--all", "-o", "out"][..],
            "1.toml",
        ),
        (
            &["pipeline", "-f", "2.toml", "render", "--all", "-o", "out"],
            "2.toml",
        ),
        (
            &["pipeline", "render", "--all", "-o", "out", "-f", "3.toml"],
            "3.toml",
        ),
        (
            &[
                "-f", "1.toml", "pipeline", "-f", "2.toml", "render", "--all", "-o", "out",
            ],
            "2.toml",
        ),
        (
            &[
                "-f", "1.toml", "pipeline", "-f", "2.toml", "render", "-f", "3.toml", "--all",
                "-o", "out",
            ],
            "3.toml",
        ),
        (
            &[
                "-f", "1.toml", "pipeline", "render", "-f", "3.toml", "--all", "-o", "out",
            ],
            "3.toml",
        ),
    ] {
        let run = run(&env, Some("e.toml"), args);
        run.code(3);
        let message = format!("error: cannot read `{want}`: ");
        assert!(run.stderr.starts_with(&message), "{args:?}: {}", run.stderr);
        assert!(!env.path("out").exists(), "{args:?}");
    }
}

#[test]
fn example_is_taken_at_any_depth_and_refused_with_a_file_wherever_each_is() {
    let env = env();
    // The example's grid, and its deployments running `ulmo` (`pro`'s QA).
    let show = run(&env, None, &["show", "--example"]);
    assert!(show.ok().contains("campus"), "{}", show.stdout);
    let query = run(
        &env,
        None,
        &["query", "deployments", "-r", "ulmo", "--example"],
    );
    assert!(query.ok().contains("pro "), "{}", query.stdout);
    for (args, want) in [
        (&["--example", "show"][..], &show),
        (&["--example", "show", "--example"], &show),
        (&["--example", "query", "deployments", "-r", "ulmo"], &query),
        (&["query", "--example", "deployments", "-r", "ulmo"], &query),
        (
            &[
                "query",
                "--example",
                "deployments",
                "-r",
                "ulmo",
                "--example",
            ],
            &query,
        ),
    ] {
        let run = run(&env, None, args);
        assert_eq!(run.ok(), want.stdout, "{args:?}");
    }
    let conflict = "error: the argument '--example' cannot be used with '--file <PATH>'";
    let swapped = "error: the argument '--file <PATH>' cannot be used with '--example'";
    for (file, args) in [
        (None, &["--example", "--file", "a.toml", "show"][..]),
        (None, &["show", "--file", "a.toml", "--example"]),
        (None, &["--example", "show", "--file", "a.toml"]),
        (None, &["--file", "a.toml", "show", "--example"]),
        (
            None,
            &[
                "--file",
                "a.toml",
                "query",
                "deployments",
                "--example",
                "-r",
                "ulmo",
            ],
        ),
        (
            None,
            &[
                "query",
                "--example",
                "deployments",
                "-r",
                "ulmo",
                "-f",
                "a.toml",
            ],
        ),
        (Some("e.toml"), &["--example", "show"]),
        (Some("e.toml"), &["show", "--example"]),
        (
            Some("e.toml"),
            &["query", "deployments", "--example", "-r", "ulmo"],
        ),
    ] {
        let run = run(&env, file, args);
        run.code(2);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        // clap names first the option written last at one level.
        let first = run.stderr.lines().next().unwrap();
        assert!(
            [conflict, swapped].contains(&first),
            "{file:?} {args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn quiet_and_verbose_are_taken_at_any_depth_and_conflict_only_at_one_level() {
    let env = env();
    let warned = |run: &Run| run.stderr.contains("warning[renamed-repository]");
    let told = |run: &Run| {
        run.stderr
            .contains("edx-matrix: read `[TMP]/edx-matrix.toml`")
    };
    for (args, quiet, verbose) in [
        (&["check"][..], false, false),
        (&["-q", "check"], true, false),
        (&["check", "-q"], true, false),
        (&["-q", "check", "-q"], true, false),
        (&["-v", "check"], false, true),
        (&["check", "--verbose"], false, true),
        (&["-v", "check", "-v"], false, true),
        // At two levels they do not conflict, and both hold.
        (&["-q", "check", "-v"], true, true),
        (&["-v", "check", "-q"], true, true),
        (
            &["query", "-q", "deployments", "-r", "ulmo", "-v"],
            true,
            true,
        ),
    ] {
        let run = run(&env, None, args);
        run.code(0);
        assert_eq!(warned(&run), !quiet, "{args:?}: {}", run.stderr);
        assert_eq!(told(&run), verbose, "{args:?}: {}", run.stderr);
    }
    // At one level they conflict, and so does a flag given twice there.
    for args in [
        &["-q", "-v", "check"][..],
        &["check", "-q", "-v"],
        &["query", "deployments", "-v", "-r", "ulmo", "-q"],
        &["-v", "-v", "check"],
        &["check", "-q", "--quiet"],
    ] {
        let run = run(&env, None, args);
        run.code(2);
        assert!(
            run.stderr.starts_with("error: "),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn color_is_taken_at_any_depth_the_deepest_command_line_value_winning() {
    let env = env();
    let coloured = |args: &[&str]| {
        let run = run(&env, None, args);
        run.code(0);
        run.stdout.contains('\x1b')
    };
    for (args, want) in [
        (&["show"][..], false),
        (&["--color", "always", "show"], true),
        (&["show", "--color", "always"], true),
        (&["--color", "always", "show", "--color", "never"], false),
        (&["--color", "never", "show", "--color", "always"], true),
        (&["--color", "always", "show", "--color", "auto"], false),
    ] {
        assert_eq!(coloured(args), want, "{args:?}");
    }
}

/// Every case above and the usage errors around them, whole: the exit code, standard output
/// and standard error, byte for byte (what the snapshot was taken of: the options as clap's
/// `global = true`).
#[test]
fn every_case_prints_what_it_printed_with_global_options() {
    let env = env();
    let mut cases: Vec<(Option<&str>, Vec<&str>)> = Vec::new();
    let mut add = |file, args: &[&'static str]| cases.push((file, args.to_vec()));
    for tail in [SHOW, QUERY] {
        let with = |head: &[&'static str], mid: &[&'static str]| -> Vec<&'static str> {
            // `mid` goes after the command's first word (the group's level for `query`).
            let mut v = head.to_vec();
            v.push(tail[0]);
            v.extend_from_slice(mid);
            v.extend_from_slice(&tail[1..]);
            v
        };
        for (head, mid) in [
            (&[][..], &[][..]),
            (&["-f", "a.toml"], &[]),
            (&[], &["-f", "a.toml"]),
            (&["-f", "a.toml"], &["-f", "b.toml"]),
            (&["-f", "a.toml", "-f", "b.toml"], &[]),
            (&[], &["-f", "a.toml", "--file=b.toml"]),
            (&["--example"], &["-f", "a.toml"]),
            (&["-f", "a.toml"], &["--example"]),
            (&["--example", "--file", "a.toml"], &[]),
            (&[], &["--example", "--file", "a.toml"]),
            (&["-q", "-v"], &[]),
            (&[], &["-v", "-q"]),
            (&["-q"], &["-v"]),
            (&["-v"], &["-v"]),
            (&["-v", "-v"], &[]),
            (&[], &["-q", "-q"]),
            (&["--color", "always"], &["--color", "never"]),
            (&["--color", "never", "--color", "always"], &[]),
            (&[], &["--color", "sometimes"]),
            (&["--colour", "never"], &[]),
            (&[], &["--fiel", "a.toml"]),
            (&[], &["--verbos"]),
            (&[], &["--exampel"]),
            (&["--file"], &[]),
            (&[], &["--file"]),
        ] {
            add(None, &with(head, mid));
            add(Some("e.toml"), &with(head, mid));
        }
    }
    for args in [
        &["-f", "a.toml"][..],
        &["-q"],
        &["--example", "--file", "a.toml"],
        &["-f", "a.toml", "help", "show"],
        &["help", "show", "-f", "a.toml"],
        &["help", "-q"],
        &["-v", "chek"],
        &["show", "-h", "-f", "a.toml"],
        &["-f", "a.toml", "show", "--help"],
        &["query", "-f", "a.toml"],
        &["query", "-q", "--help"],
        &[
            "pipeline",
            "render",
            "-q",
            "--file",
            "missing.toml",
            "--all",
            "-o",
            "out",
        ],
        &[
            "-f",
            "missing.toml",
            "pipeline",
            "-f",
            "gone.toml",
            "validate",
            "x.yml",
        ],
        &["--example", "explain", "unknown-key", "-q"],
    ] {
        add(None, args);
        add(Some("e.toml"), args);
    }
    let mut text = String::new();
    for (file, args) in &cases {
        let run = run(&env, *file, args);
        let file = file.map_or(String::new(), |f| format!("EDX_MATRIX_FILE={f} "));
        text.push_str(&format!(
            "==> {file}edx-matrix {}\n{}\n",
            args.join(" "),
            run.snapshot()
        ));
    }
    insta::assert_snapshot!(text);
}
