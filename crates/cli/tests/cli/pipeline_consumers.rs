//! Pipelines answer to the programs that read them: `pipeline validate` locates every field of
//! the wrong type (one fixture per kind of mistake in `tests/fixtures/invalid-concourse/`), and
//! every pipeline the example renders loads in ol-concourse's typed model (PyPI
//! `ol-concourse`, read through PyYAML), which refuses those fixtures too.

use crate::harness::{Env, fixtures};
use edx_matrix_test_support::{require_python, workspace_root};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixtures, each with its one expected problem: `(file, "LINE:COL", path, message start)`
/// from its `# expect: LINE:COL PATH MESSAGE` line.
fn invalid_files() -> Vec<(PathBuf, String, String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fixtures().join("invalid-concourse")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = text
            .lines()
            .find_map(|l| l.strip_prefix("# expect: "))
            .unwrap_or_else(|| panic!("{} has no `# expect:` line", path.display()));
        let mut parts = expect.splitn(3, ' ');
        let (at, at_path, message) = (
            parts.next().unwrap().to_owned(),
            parts.next().unwrap().to_owned(),
            parts.next().unwrap_or("").to_owned(),
        );
        out.push((path, at, at_path, message));
    }
    out.sort();
    assert!(out.len() >= 10, "{out:?}");
    out
}

#[test]
fn validate_locates_each_wrong_type_by_path_and_line() {
    let env = Env::new();
    for (path, at, at_path, message) in invalid_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        env.write(&name, &std::fs::read_to_string(&path).unwrap());
        let run = env.run(&["pipeline", "validate", &name]);
        run.code(1);
        let errors: Vec<&str> = run
            .stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        let expected = format!("error: {name}:{at}: {at_path}: {message}");
        assert_eq!(errors.len(), 1, "{name}: {}", run.stderr);
        assert!(
            errors[0].starts_with(&expected),
            "{name}: expected `{expected}…`, got `{}`",
            errors[0]
        );
        // The JSON report carries the same place.
        let json: serde_json::Value = serde_json::from_str(
            &env.run(&["pipeline", "validate", &name, "--format", "json"])
                .stdout,
        )
        .unwrap();
        let (line, column) = at.split_once(':').unwrap();
        let problem = &json["problems"][0];
        assert_eq!(json["valid"], false, "{name}");
        assert_eq!(problem["path"], at_path.as_str(), "{name}");
        assert_eq!(problem["line"].to_string(), line, "{name}");
        assert_eq!(problem["column"].to_string(), column, "{name}");
    }
}

/// Runs the ol-concourse loader on `files`; `None` when no Python has it (skipped, or a
/// failure under `CI=true`).
fn ol_concourse(test: &str, files: &[PathBuf]) -> Option<std::process::Output> {
    let python = require_python(test, &["ol_concourse", "yaml"])?;
    let script = workspace_root().join("tests/consumers/ol_concourse_load.py");
    Some(
        Command::new(python)
            .arg(script)
            .args(files)
            .output()
            .unwrap(),
    )
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    files.sort();
    files
}

#[test]
fn ol_concourse_loads_every_pipeline_the_example_renders() {
    let env = Env::new();
    env.run(&["--example", "pipeline", "render", "--all", "-o", "out"])
        .ok();
    let files = yaml_files(&env.path("out"));
    // Standard (forum, ...), template-made (edx-platform, the MFE pipelines) and meta.
    assert_eq!(files.len(), 15);
    for name in [
        "forum.yml",
        "edx-platform.yml",
        "pro-teak-mfe-pipeline.yml",
        "edx-matrix.yml",
    ] {
        assert!(files.contains(&env.path("out").join(name)), "{name}");
    }
    let Some(out) = ol_concourse(module_path!(), &files) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("ol-concourse loaded 15 pipelines"),
        "{stdout}"
    );
}

#[test]
fn ol_concourse_refuses_the_wrong_types_validate_refuses() {
    let files: Vec<PathBuf> = invalid_files().into_iter().map(|(p, ..)| p).collect();
    let Some(out) = ol_concourse(module_path!(), &files) else {
        return;
    };
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    for file in &files {
        assert!(
            stdout.contains(&format!("{}: ", file.display())),
            "ol-concourse accepted {}:\n{stdout}",
            file.display()
        );
    }
}
