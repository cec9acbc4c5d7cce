//! Regression tests of issue 22 (hardening) for hostile values in the matrix and its Python
//! source: rows 7 (deep Python), 8 (values reaching Tutor), 9 (names Concourse treats
//! specially) and the low rows 11, 12 and 14. Each asserts the exit code, the message with its
//! location, and that nothing was written.

use crate::harness::{Env, fixture};
use crate::serve::{Child, http_get};
use std::io::{BufRead, BufReader};
use std::process::Stdio;

/// A Python package directory `py/` (the current layout) whose `version_matrix.py` ends with
/// `extra`; returns the line `extra` starts on.
fn python_package(env: &Env, extra: &str) -> usize {
    env.write(
        "py/types.py",
        &fixture("acme/python-layout/current/types.py"),
    );
    let text = fixture("acme/python-layout/current/version_matrix.py");
    let line = text.lines().count() + 1;
    env.write("py/version_matrix.py", &format!("{text}{extra}"));
    line
}

/// Row 7: 300,000 terms or subscripts in one expression are refused at their place (no stack
/// overflow in the evaluator or in dropping the syntax tree), and nothing is written.
#[test]
fn row07_deeply_nested_python_is_refused_at_its_place() {
    for (what, extra) in [
        ("sum", format!("X = 1{}\n", "+1".repeat(300_000))),
        ("subscripts", format!("X = a{}\n", "[0]".repeat(300_000))),
        (
            "brackets",
            format!("X = {}1{}\n", "(".repeat(40_000), ")".repeat(40_000)),
        ),
    ] {
        let env = Env::new();
        let line = python_package(&env, &extra);
        let run = env.run(&["import", "python", "py"]);
        run.code(1);
        assert!(
            run.stderr.contains("error[python-unreadable]")
                && run.stderr.contains("the importer reads at most 100"),
            "{what}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("version_matrix.py:{line}:5")),
            "{what}: {}",
            run.stderr
        );
        assert!(!env.path("edx-matrix.toml").exists());
        // `check` of the package says the same.
        let run = env.run(&["-f", "py", "check"]);
        run.code(1);
        assert!(run.stderr.contains("error[python-unreadable]"), "{what}");
    }
}

/// Row 7, served: an 80 KB line in the served package does not kill the server; it keeps
/// serving and reports the error.
#[test]
fn row07_serve_survives_an_80kb_python_line() {
    let env = Env::new();
    python_package(&env, "");
    let mut child = Child(
        env.command(&["-f", "py", "serve", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .rsplit(" at http://")
        .next()
        .and_then(|a| a.strip_suffix('/'))
        .unwrap_or_else(|| panic!("{line:?}"))
        .to_owned();
    python_package(&env, &format!("X = 1{}\n", "+1".repeat(40_000)));
    // The server polls the package every 250 ms: wait for the reload to report the error.
    let mut diagnostics = String::new();
    for _ in 0..120 {
        assert!(child.0.try_wait().unwrap().is_none(), "the server died");
        diagnostics = http_get(&addr, "/api/v1/diagnostics");
        if diagnostics.contains("python-unreadable") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    assert!(diagnostics.contains("python-unreadable"), "{diagnostics}");
    let health = http_get(&addr, "/healthz");
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
}

/// The example matrix with `online`'s QA stage given `vars`.
fn online_qa_vars(vars: &str) -> Env {
    let text = edx_matrix_config::example::TEXT.replace(
        "online         = { CI = \"master\",   QA = \"master\",   Production = \"master\" }",
        &format!(
            "online         = {{ CI = \"master\",   QA = {{ release = \"master\", vars = {{ {vars} }} }},   Production = \"master\" }}"
        ),
    );
    Env::with_example_matrix(&text)
}

/// Row 8: `TUTOR_*` vars get the branch's refusal: shell metacharacters, Jinja, Tutor's plugin
/// list, and a setting the export derives from the matrix; located at the stage, nothing written.
#[test]
fn row08_tutor_vars_get_the_refusal_of_branches() {
    for (var, says) in [
        (
            "TUTOR_NOTES_REPOSITORY_VERSION = \"master;touch${IFS}pwned\"",
            "replace `NOTES_REPOSITORY_VERSION`, which the export sets from the matrix",
        ),
        (
            "TUTOR_LMS_HOST = \"lms;touch${IFS}pwned\"",
            "var `TUTOR_LMS_HOST` contains ';'",
        ),
        (
            "TUTOR_PLATFORM_NAME = \"{{ 7*7 }}\"",
            "var `TUTOR_PLATFORM_NAME` contains '{'",
        ),
        (
            "TUTOR_PLUGINS = \"evil\"",
            "would set Tutor's `PLUGINS`, which decides what code Tutor runs",
        ),
    ] {
        let env = online_qa_vars(var);
        let before = env.read("edx-matrix.toml");
        let run = env.run(&["export", "tutor", "online", "QA", "-o", "out"]);
        run.code(1);
        assert!(
            run.stderr.contains("error: [TMP]/edx-matrix.toml:36:") && run.stderr.contains(says),
            "{var}: {}",
            run.stderr
        );
        assert!(!env.path("out").exists(), "{var}: nothing is written");
        let all = env.run(&["export", "tutor", "--all", "-o", "out"]);
        all.code(1);
        assert!(!env.path("out").exists());
        assert_eq!(env.read("edx-matrix.toml"), before);
    }
    // A plain value still passes.
    let env = online_qa_vars("TUTOR_LMS_HOST = \"qa.online.example\"");
    env.run(&["export", "tutor", "online", "QA", "-o", "out"])
        .ok();
}
