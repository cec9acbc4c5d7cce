//! Arguments refused by the parser, before any file is read: malformed names (the model's rule)
//! and `--format` values a command does not take. Exit 2, nothing on standard output, nothing
//! written.

use crate::harness::Env;

const ACME: &str = include_str!("../../../../examples/acme/edx-matrix.toml");

const RULE: &str =
    "names start with a letter or digit and contain only letters, digits, `-`, `_` and `.`";

#[test]
fn a_malformed_name_of_each_kind_is_a_usage_error_with_the_rule() {
    let env = Env::new();
    for (args, kind, value) in [
        (&["--example", "show", "a b"][..], "deployment", "a b"),
        (
            &["--example", "query", "release", "campus", "Q/A"][..],
            "stage",
            "Q/A",
        ),
        (&["--example", "runbook", "ulmo;x"][..], "release", "ulmo;x"),
        (
            &["--example", "resolve", "--application", ".hidden"][..],
            "application",
            ".hidden",
        ),
    ] {
        let run = env.run(args);
        run.code(2);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        let want = format!("invalid value '{value}'");
        assert!(run.stderr.contains(&want), "{args:?}: {}", run.stderr);
        let want = format!("not a valid {kind} name: {RULE}");
        assert!(run.stderr.contains(&want), "{args:?}: {}", run.stderr);
    }
    // A name longer than 100 characters says so.
    let long = "a".repeat(101);
    let run = env.run(&["--example", "logs", "campus", &long]);
    run.code(2);
    assert!(
        run.stderr
            .contains("not a valid stage name: it is longer than 100 characters"),
        "{}",
        run.stderr
    );
    // A valid name the matrix lacks is still the command's own error (exit 2, with a hint).
    let run = env.run(&["--example", "show", "nowhere"]);
    run.code(2);
    assert!(
        run.stderr.contains("unknown deployment `nowhere`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_edit_with_a_malformed_name_is_refused_and_writes_nothing() {
    let env = Env::with_matrix(ACME);
    for args in [
        &[
            "release", "add", "bad name", "--branch", "b", "--python", "3.12", "--node", "24",
        ][..],
        &["app", "remove", "-"][..],
        &["upgrade", "campus,bad/one", "--stage", "CI", "--to", "ulmo"][..],
        &["set", "campus", "verawood", "learning$", "--branch", "x"][..],
        &["promote", "campus", "--stage", "Q A"][..],
    ] {
        let run = env.run(args);
        run.code(2);
        assert!(run.stderr.contains(RULE), "{args:?}: {}", run.stderr);
        assert_eq!(env.read("edx-matrix.toml"), ACME, "{args:?}");
    }
}

#[test]
fn each_command_takes_only_its_own_formats() {
    let env = Env::new();
    for (args, allowed) in [
        (
            &["--example", "check", "--format", "yaml"][..],
            "human, json",
        ),
        (
            &["--example", "resolve", "--format", "markdown"][..],
            "human, json, env",
        ),
        (
            &["--example", "diff", "--format", "svg"][..],
            "human, markdown, json",
        ),
        (
            &["--example", "history", "--format", "markdown"][..],
            "human, json, svg",
        ),
        (
            &["--example", "runbook", "ulmo", "--format", "yaml"][..],
            "human, markdown, json",
        ),
        (&["jwt-keygen", "--format", "text"][..], "yaml, json"),
        (
            &["--example", "pipeline", "meta", "--format", "table"][..],
            "yaml, json",
        ),
        (
            &["--example", "export", "--format", "json"][..],
            "model-json",
        ),
    ] {
        let run = env.run(args);
        run.code(2);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        let want = format!("[possible values: {allowed}]");
        assert!(run.stderr.contains(&want), "{args:?}: {}", run.stderr);
    }
    // `--help` lists the command's values with the command's descriptions, no other.
    let help = env.run(&["expand", "--help"]);
    let text = help.ok();
    assert!(
        text.contains("toml: `edx-matrix.toml` with one block per"),
        "{text}"
    );
    assert!(text.contains("json: The interchange JSON"), "{text}");
    for other in ["human", "table", "markdown", "yaml", "svg"] {
        assert!(!text.contains(&format!("{other}:")), "{other} in {text}");
    }
    // Defaults stay: `check` renders for people, `expand` writes TOML.
    let run = env.run(&["--example", "expand"]);
    assert!(run.ok().contains("[releases]"));
}

/// `--file` and `--example` name two different matrices: refused together wherever each is
/// written (clap alone refused them only at one level), and `EDX_MATRIX_FILE` counts as
/// `--file`, as clap counts it at one level.
#[test]
fn file_and_example_together_are_a_usage_error_at_any_level() {
    let env = Env::with_matrix(ACME);
    let want = "the argument '--example' cannot be used with '--file <PATH>'";
    for args in [
        &["--file", "edx-matrix.toml", "check", "--example"][..],
        &["--example", "check", "--file", "edx-matrix.toml"][..],
        &["-f", "edx-matrix.toml", "resolve", "--example"][..],
    ] {
        let run = env.run(args);
        run.code(2);
        assert!(run.stdout.is_empty(), "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(want), "{args:?}: {}", run.stderr);
    }
    let output = env
        .command(&["check", "--example"])
        .env("EDX_MATRIX_FILE", env.path("edx-matrix.toml"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    // Either alone is fine.
    env.run(&["--file", "edx-matrix.toml", "check", "-q"]).ok();
    env.run(&["check", "--example", "-q"]).ok();
}
