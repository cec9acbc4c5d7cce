//! The project loader end to end: every command sees the problems `check` reports (the matrix,
//! runbooks, operations and `[pipelines]`), edits refuse a project that would not pass `check`,
//! the dashboard's diagnostics are `check`'s, and each command parses its file once.

use crate::harness::{Env, fixture};
use serde_json::Value;
use std::io::{Read, Write};
use std::process::Stdio;

/// `valid/pipelines.toml` with one more MFE, `notifications`, that no `[[map]]` block uses but
/// the `mfe` pipeline family names.
fn with_family_member() -> String {
    let text = fixture("valid/pipelines.toml");
    let text = text.replacen(
        "communications    = { kind = \"mfe\"",
        "notifications     = { kind = \"mfe\", repository = \"https://github.com/openedx/frontend-app-notifications\", path = \"notifications\" }\ncommunications    = { kind = \"mfe\"",
        1,
    );
    let text = text.replacen(
        "\"ora-grading\", \"communications\"]",
        "\"ora-grading\", \"communications\", \"notifications\"]",
        1,
    );
    assert!(text.contains("\"communications\", \"notifications\"]"));
    text
}

/// `valid/pipelines.toml` with a `[pipelines]` error: a `check_every` that is not a duration.
fn with_pipelines_error() -> String {
    let good = fixture("valid/pipelines.toml");
    let bad = good.replace(r#"check_every = "5m""#, r#"check_every = "5 minutes""#);
    assert_ne!(good, bad);
    bad
}

#[test]
fn app_remove_of_a_family_member_is_refused_with_the_pipeline_diagnostic() {
    let env = Env::with_matrix(&with_family_member());
    env.run(&["check"]).ok();
    let run = env.run_refused(&["app", "remove", "notifications"], 1);
    // The diagnostic is the one `check` gives for an unknown family member, located in the
    // edited text.
    assert!(
        run.stderr.contains(
            "error[pipeline-undefined]: family `mfe` names application `notifications`, \
             which is not defined"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "refused: the edit would leave `[TMP]/edx-matrix.toml` with 1 error \
             (shown above in the edited text); the file is unchanged"
        ),
        "{}",
        run.stderr
    );
    // Removing it from the family first makes the removal possible.
    let fixed = env
        .read("edx-matrix.toml")
        .replacen(", \"notifications\"]", "]", 1);
    env.write("edx-matrix.toml", &fixed);
    env.run(&["app", "remove", "notifications", "-q"]).ok();
    env.run(&["check"]).ok();
}

#[test]
fn an_edit_of_a_project_with_a_pipelines_error_is_refused() {
    let env = Env::with_matrix(&with_pipelines_error());
    env.run(&["check"]).code(1);
    for args in [
        &["app", "remove", "xqwatcher"][..],
        &["set", "online", "master", "forum", "--branch", "x"][..],
        &["release", "retire", "ulmo"][..],
        &["promote", "pro", "--stage", "QA"][..],
    ] {
        let run = env.run_refused(args, 1);
        assert!(
            run.stderr
                .contains("has 1 error already; edits are made only to a valid matrix"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains("check_every"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn commands_that_need_a_valid_matrix_refuse_a_pipelines_error() {
    let env = Env::with_matrix(&with_pipelines_error());
    for args in [
        &["resolve"][..],
        &["show"][..],
        &["export", "model-json"][..],
    ] {
        let run = env.run(args);
        run.code(1);
        assert!(
            run.stderr.contains("check_every"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains("error: `[TMP]/edx-matrix.toml` has 1 error; fix it first"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

/// Sends one GET request and returns the body of the answer.
pub(crate) fn http_get_body(addr: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    let (head, body) = out.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        // One chunk: `<hex length>\r\n<body>\r\n0\r\n\r\n`.
        let (len, rest) = body.split_once("\r\n").unwrap();
        let len = usize::from_str_radix(len.trim(), 16).unwrap();
        return rest[..len].to_owned();
    }
    body.to_owned()
}

#[test]
fn the_dashboard_diagnostics_are_those_of_check() {
    let env = Env::with_matrix(&with_pipelines_error());
    let check = env
        .command(&["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(check.status.code(), Some(1));
    let check: Value = serde_json::from_slice(&check.stdout).unwrap();
    assert_eq!(check["summary"]["errors"], 1, "{check}");
    let (_server, addr) = crate::serve::start(
        env.command(&["serve", "--addr", "127.0.0.1:0"])
            .stderr(Stdio::null()),
    );
    let served: Value = serde_json::from_str(&http_get_body(&addr, "/api/v1/diagnostics")).unwrap();
    assert_eq!(served["file"], check["file"]);
    assert_eq!(served["summary"], check["summary"]);
    assert_eq!(served["diagnostics"], check["diagnostics"]);
}

/// Runs `args` with the parse-count hook and returns how many times matrix text was parsed.
#[track_caller]
fn parses(env: &Env, args: &[&str]) -> usize {
    let output = env
        .command(args)
        .env("EDX_MATRIX_REPORT_PARSES", "1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{args:?} failed: {stderr}");
    let line = stderr
        .lines()
        .find_map(|l| l.strip_prefix("edx-matrix: parsed matrix text "))
        .unwrap_or_else(|| panic!("{args:?}: no parse count in {stderr}"));
    line.trim_end_matches(" times").parse().unwrap()
}

#[test]
fn each_command_parses_the_file_once() {
    // A project with `[pipelines]`, so the pipeline settings are read too.
    let env = Env::with_matrix(&fixture("valid/pipelines.toml"));
    for args in [
        &["check"][..],
        &["check", "--format", "json"][..],
        &["show"][..],
        &["resolve"][..],
        &["expand"][..],
        &["query", "release", "campus", "QA"][..],
        &["export", "model-json"][..],
        &["export", "env", "campus", "QA"][..],
        &["pipeline", "list"][..],
        &["pipeline", "meta"][..],
        &["logs", "campus", "QA"][..],
        &["runbook", "verawood"][..],
    ] {
        assert_eq!(parses(&env, args), 1, "{args:?}");
    }
    // A project with `[runbooks]` and `[operations]`.
    let env = Env::with_matrix(&fixture("valid/runbooks.toml"));
    for args in [
        &["check"][..],
        &["runbook", "redwood"][..],
        &["logs", "site", "QA"][..],
    ] {
        assert_eq!(parses(&env, args), 1, "{args:?}");
    }
    // `diff` of two files: once per side.
    let env = Env::new();
    env.write("a.toml", &fixture("valid/pipelines.toml"));
    env.write("b.toml", &with_family_member());
    assert_eq!(parses(&env, &["diff", "a.toml", "b.toml"]), 2);
}

#[test]
fn an_edit_loads_each_version_of_the_file_once() {
    let env = Env::with_matrix(&fixture("valid/pipelines.toml"));
    // The text before, by the loader (the edit is handed its matrix and does not read it
    // again); the text after, by the edit's own meaning check, then by the loader: three
    // parses, one more than the two versions, because the edit re-reads what it wrote to prove
    // it means what it says.
    for args in [
        &["set", "online", "master", "forum", "--branch", "x", "-q"][..],
        &[
            "upgrade",
            "pro",
            "--stage",
            "CI",
            "--to",
            "master",
            "--dry-run",
            "-q",
        ][..],
        &["exclude", "online", "master", "forum", "--dry-run", "-q"][..],
    ] {
        assert_eq!(parses(&env, args), 3, "{args:?}");
    }
}
