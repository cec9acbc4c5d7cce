//! Regression tests of issue 22 (hardening) for hostile values in the matrix and its Python
//! source: rows 7 (deep Python), 8 (values reaching Tutor), 9 (names Concourse treats
//! specially) and the low rows 11, 12 and 14. Each asserts the exit code, the message with its
//! location, and that nothing was written.

use crate::harness::{Env, fixture};
use crate::serve::http_get;
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
    // The first node past the limit: where the sum and the subscripts start (each level starts
    // at the same place), the 101st list (each starts one bracket further).
    for (what, extra, column) in [
        ("sum", format!("X = 1{}\n", "+1".repeat(300_000)), 5),
        ("subscripts", format!("X = a{}\n", "[0]".repeat(300_000)), 5),
        (
            "lists",
            format!("X = {}1{}\n", "[".repeat(40_000), "]".repeat(40_000)),
            104,
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
            run.stderr
                .contains(&format!("version_matrix.py:{line}:{column}")),
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
    let (mut child, addr) = crate::serve::start(
        env.command(&["-f", "py", "serve", "--addr", "127.0.0.1:0"])
            .stderr(Stdio::null()),
    );
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
    let text = edx_matrix_formats::example::TEXT.replace(
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

/// Row 9: a pipeline named `self` is refused wherever the name comes from (the meta pipeline,
/// a family, an application's own pipeline), with the reason; `pipeline meta` emits no
/// `set_pipeline: self`.
#[test]
fn row09_no_pipeline_is_named_self() {
    let valid = fixture("valid/pipelines.toml");
    for (text, line, says) in [
        (
            valid.replace("name  = \"edx-matrix\"", "name  = \"self\""),
            166,
            "the meta pipeline name `self` is not a valid Concourse identifier: Concourse reads `set_pipeline: self` as the running pipeline",
        ),
        (
            valid.replace("mfe          = [", "self         = ["),
            128,
            "the family name `self` is not a valid Concourse identifier",
        ),
        (
            valid.replace(
                "[applications]\n",
                "[applications]\nself = { kind = \"ida\", repository = \"https://github.com/openedx/self\" }\n",
            ),
            121,
            "application `self` would get the pipeline `self`: Concourse reads `set_pipeline: self`",
        ),
    ] {
        let env = Env::with_matrix(&text);
        let run = env.run(&["check"]);
        run.code(1);
        assert!(
            run.stderr.contains("error[pipeline-invalid]") && run.stderr.contains(says),
            "{says}: {}",
            run.stderr
        );
        assert!(
            run.stderr.contains(&format!("edx-matrix.toml:{line}:")),
            "{says}: {}",
            run.stderr
        );
        let run = env.run(&["pipeline", "meta"]);
        run.code(1);
        assert!(!run.stdout.contains("set_pipeline: self"), "{}", run.stdout);
    }
}

/// Row 12: a var value with a line separator or a bidi control is refused where it is written;
/// so is a 100,000-character var name.
#[test]
fn row12_hidden_characters_and_huge_names_in_vars_are_refused() {
    for (vars, says) in [
        ("SITE = \"a\\u202Eb\"", "var `SITE` in"),
        ("SITE = \"a\\u2028b\"", "var `SITE` in"),
        (
            &format!("{} = \"x\"", "A".repeat(100_000)) as &str,
            "is 100000 characters long; the limit is 100",
        ),
    ] {
        let env = online_qa_vars(vars);
        let run = env.run(&["check"]);
        run.code(1);
        assert!(
            run.stderr.contains("error[invalid-vars]") && run.stderr.contains(says),
            "{says}: {}",
            &run.stderr[..run.stderr.len().min(2000)]
        );
        assert!(run.stderr.contains("edx-matrix.toml:36:"), "{says}");
        assert!(run.stderr.len() < 20_000, "{}", run.stderr.len());
    }
}

/// Row 14: `upgrade --to` an unknown release is a usage error (exit 2) like every unknown name,
/// still saying how to add it; an invalid `[python]` name is reported at its place.
#[test]
fn row14_unknown_release_and_invalid_python_names() {
    let env = Env::with_example_matrix(edx_matrix_formats::example::TEXT);
    let run = env.run_refused(&["upgrade", "pro", "--stage", "CI", "--to", "nosuch"], 2);
    assert!(
        run.stderr.contains("unknown release `nosuch`")
            && run.stderr.contains("edx-matrix release add nosuch"),
        "{}",
        run.stderr
    );
    let text = format!(
        "{}\n[python.classes]\nrelease = \"Not-A-Name\"\n",
        edx_matrix_formats::example::TEXT
    );
    let env = Env::with_matrix(&text);
    let run = env.run(&["check"]);
    run.code(1);
    assert!(
        run.stderr.contains("error[invalid-name]")
            && run.stderr.contains(
                "`Not-A-Name` (`release` in `[python.classes]`) is not a Python identifier"
            ),
        "{}",
        run.stderr
    );
}

/// Row 14: a template-made pipeline with a 301-character name is refused by `check` (the
/// identifier length rule), so `render --all -o` refuses before writing instead of failing
/// half-way; and `render --all -o` writes its files all or nothing.
#[test]
fn row14_a_301_character_pipeline_name_is_refused_before_rendering() {
    let env = Env::new();
    env.run(&["init", "--example", "acme"]).ok();
    env.write(
        "acme/pipelines/long.star",
        "load(\"@edx-matrix//lib.star\", \"pipeline\")\n\
         def pipelines(matrix, standard):\n    \
         return [pipeline(\"p\" * 301, standard[0][\"config\"], standard[0][\"team\"])]\n",
    );
    let run = env.run(&["--file", "acme/edx-matrix.toml", "check"]);
    run.code(1);
    assert!(
        run.stderr.contains("error[pipeline-template]")
            && run.stderr.contains("it is longer than 200 bytes")
            && run.stderr.contains("acme/pipelines/long.star:2"),
        "{}",
        run.stderr
    );
    let run = env.run(&[
        "--file",
        "acme/edx-matrix.toml",
        "pipeline",
        "render",
        "--all",
        "-o",
        "out",
    ]);
    run.code(1);
    assert!(!env.path("out").exists());
    // Without it, every pipeline is written, and nothing else is left beside `out`.
    std::fs::remove_file(env.path("acme/pipelines/long.star")).unwrap();
    let before: Vec<_> = std::fs::read_dir(env.dir.path()).unwrap().collect();
    env.run(&[
        "--file",
        "acme/edx-matrix.toml",
        "pipeline",
        "render",
        "--all",
        "-o",
        "out",
    ])
    .ok();
    let after: Vec<_> = std::fs::read_dir(env.dir.path()).unwrap().collect();
    assert_eq!(after.len(), before.len() + 1);
    assert!(env.path("out/edx-matrix.yml").is_file());
}
