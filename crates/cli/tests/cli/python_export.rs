//! `export python`: real CPython (with pydantic) imports the exported acme package and computes,
//! through its own properties, exactly the rows `resolve --format json` prints; the operators'
//! hand-written `accessors.py` works on it unchanged; `import python` reads it back to the same
//! model; `--check` passes on what was written and fails on a one-character change.

use crate::harness::{Env, fixtures};
use edx_matrix_test_support::require_python;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Where the operators keep their package (their `accessors.py` imports it by this path).
const PACKAGE: &str = "root/bridge/settings/openedx";

/// The fields `rows.py` computes (every row field but the `overridden` flags).
fn projected(rows: &Value) -> Vec<Value> {
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| {
            // The package has neither the override flags nor the stages' vars.
            let mut row = row.clone();
            row.as_object_mut().unwrap().remove("overridden");
            row.as_object_mut().unwrap().remove("vars");
            row
        })
        .collect()
}

/// The interchange JSON with its release map in a canonical order (it is a map, and an entry's
/// applications a set), as `Matrix::canonical` orders it.
pub(crate) fn canonical(mut model: Value) -> Value {
    let map = model["release_map"].as_array_mut().unwrap();
    let key = |e: &Value| (e["release"].to_string(), e["deployment"].to_string());
    map.sort_by_key(key);
    for entry in map {
        let apps = entry["apps"].as_array_mut().unwrap();
        apps.sort_by_key(|a| a["application"].to_string());
    }
    model
}

fn python_json(python: &Path, args: &[&str]) -> Value {
    let output = Command::new(python).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn export_acme(env: &Env) {
    let run = env.run(&[
        "--example",
        "export",
        "python",
        "-o",
        PACKAGE,
        "--accessors",
    ]);
    run.ok();
    // The example's vars have no place in the package: the export says so.
    assert!(
        run.stderr.contains(
            "warning: the vars of `pro` and its stages CI, QA, Production are not written: the Python package has no place for them"
        ),
        "{}",
        run.stderr
    );
}

/// The interchange JSON without `vars` (the Python package does not carry them).
fn without_vars(mut model: Value) -> Value {
    for deployment in model["deployments"].as_array_mut().unwrap() {
        let deployment = deployment.as_object_mut().unwrap();
        deployment.remove("vars");
        for stage in deployment["stages"].as_array_mut().unwrap() {
            stage.as_object_mut().unwrap().remove("vars");
        }
    }
    model
}

#[test]
fn cpython_computes_the_rows_resolve_gives_for_acme() {
    let Some(python) = require_python(module_path!(), &["pydantic"]) else {
        return;
    };
    let env = Env::new();
    export_acme(&env);
    let rows_py = fixtures().join("python-export/rows.py");
    let root = env.path("root");
    let got = python_json(
        &python,
        &[
            rows_py.to_str().unwrap(),
            root.to_str().unwrap(),
            "bridge.settings.openedx",
        ],
    );
    let resolved: Value =
        serde_json::from_str(env.run(&["--example", "resolve", "--format", "json"]).ok()).unwrap();
    let want = projected(&resolved);
    assert_eq!(want.len(), 129);
    assert_eq!(got["bridge.settings.openedx"].as_array().unwrap(), &want);
}

#[test]
fn operators_accessors_work_unchanged_on_the_export() {
    let Some(python) = require_python(module_path!(), &["pydantic"]) else {
        return;
    };
    let env = Env::new();
    export_acme(&env);
    std::fs::copy(
        fixtures().join("python-export/operators/accessors.py"),
        env.path(&format!("{PACKAGE}/operators_accessors.py")),
    )
    .unwrap();
    let check = fixtures().join("python-export/accessors_check.py");
    let expected = fixtures().join("acme/expected-resolved.json");
    for module in ["operators_accessors", "accessors"] {
        let output = Command::new(&python)
            .args([
                check.to_str().unwrap(),
                env.path("root").to_str().unwrap(),
                &format!("bridge.settings.openedx.{module}"),
                expected.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{module}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            "ok 190\n",
            "{module}"
        );
    }
}

#[test]
fn export_then_import_python_is_the_same_model() {
    let env = Env::new();
    export_acme(&env);
    env.run(&["import", "python", PACKAGE, "-o", "back.toml"])
        .ok();
    let before = env.run(&["--example", "export", "model-json"]);
    let after = env.run(&["--file", "back.toml", "export", "model-json"]);
    let before = without_vars(canonical(serde_json::from_str(before.ok()).unwrap()));
    let after = canonical(serde_json::from_str(after.ok()).unwrap());
    assert!(before == after, "{before:#}\n---\n{after:#}");
}

#[test]
fn check_passes_on_the_export_and_fails_on_one_changed_character() {
    let env = Env::new();
    export_acme(&env);
    let check = |env: &Env| {
        env.run(&[
            "--example",
            "export",
            "python",
            "--accessors",
            "--check",
            PACKAGE,
        ])
    };
    let run = check(&env);
    run.code(0);
    assert_eq!(run.stdout, "");
    let types = format!("{PACKAGE}/types.py");
    let text = env.read(&types);
    env.write(&types, &text.replacen("release/teak", "release/teaK", 1));
    let run = check(&env);
    run.code(1);
    insta::assert_snapshot!(run.snapshot());
    // Nothing was written by the check.
    assert_ne!(env.read(&types), text);
}

#[test]
fn export_python_refuses_to_replace_files_without_force() {
    let env = Env::new();
    export_acme(&env);
    let run = env.run(&["--example", "export", "python", "-o", PACKAGE]);
    run.code(3);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    env.run(&["--example", "export", "python", "-o", PACKAGE, "--force"])
        .ok();
}

/// The names `import python` records in `[python]` come back out of `export python`: the
/// operators' `OpenEdxApplication.edxapp` keeps working after the round trip.
#[test]
fn export_uses_the_python_names_import_recorded() {
    let env = Env::new();
    let renamed = fixtures().join("acme/python-layout/renamed");
    env.run(&[
        "import",
        "python",
        renamed.to_str().unwrap(),
        "-o",
        "m.toml",
        "--apply-special-cases",
    ])
    .ok();
    assert!(env.read("m.toml").contains("edx-platform = \"edxapp\""));
    env.run(&["-f", "m.toml", "export", "python", "-o", "out"])
        .ok();
    let types = env.read("out/types.py");
    assert!(
        types.contains("    edxapp = (\"edx-platform\", "),
        "{types}"
    );
    assert!(types.contains("    learn = ("), "{types}");
}

/// The drop-in with the operators' hand-written code: `import python` keeps it, `export python`
/// writes it back, `--check` passes on that and fails on a change to a method.
#[test]
fn check_covers_the_hand_written_code_the_export_carries() {
    let env = Env::new();
    let original = fixtures().join("python-eras/handwritten");
    for file in ["types.py", "version_matrix.py"] {
        env.write(
            &format!("orig/{file}"),
            &std::fs::read_to_string(original.join(file)).unwrap(),
        );
    }
    env.run(&["import", "python", "orig", "-o", "edx-matrix.toml"])
        .ok();
    assert!(env.read("edx-matrix.toml").contains("[python.code"));
    env.run(&["export", "python", "-o", "out"]).ok();
    let vm = env.read("out/version_matrix.py");
    assert!(
        vm.contains("    def from_deployment_name(cls, name: str)"),
        "{vm}"
    );
    env.run(&["export", "python", "--check", "out"]).code(0);
    // A changed line of hand-written code is a difference the check reports.
    env.write(
        "out/version_matrix.py",
        &vm.replacen("return member", "return None", 1),
    );
    let run = env.run(&["export", "python", "--check", "out"]);
    run.code(1);
    assert!(
        run.stdout
            .contains("-                return None\n+                return member"),
        "{}",
        run.stdout
    );
}

/// A locked stage: every application version of campus's CI entry carries `locked_commits`,
/// and CPython computes the rows `resolve` gives, commits included, through `commit(stage)`.
/// Without a lock the package is unchanged (the tests above, and the snapshots).
#[test]
fn cpython_reads_the_locked_commits() {
    let Some(python) = require_python(module_path!(), &["pydantic"]) else {
        return;
    };
    let env = Env::with_example_matrix(edx_matrix_formats::example::TEXT);
    let commits = crate::tutor_lock::lock_campus_ci(&env);
    env.run(&["export", "python", "-o", PACKAGE]).ok();
    let root = env.path("root");
    let rows_py = fixtures().join("python-export/rows.py");
    let got = python_json(
        &python,
        &[
            rows_py.to_str().unwrap(),
            root.to_str().unwrap(),
            "bridge.settings.openedx",
        ],
    );
    let resolved: Value =
        serde_json::from_str(env.run(&["resolve", "--format", "json"]).ok()).unwrap();
    let want = projected(&resolved);
    let locked = want.iter().filter(|r| r.get("commit").is_some()).count();
    assert_eq!(locked, commits.len());
    assert_eq!(got["bridge.settings.openedx"].as_array().unwrap(), &want);

    // The attribute itself, as a consumer reads it: campus builds master in CI only.
    let script = "import sys; sys.path.insert(0, sys.argv[1])\n\
        from bridge.settings.openedx.version_matrix import ReleaseMap\n\
        v = [v for v in ReleaseMap['master']['campus'] if str(v.application) == 'edx-platform'][0]\n\
        print(v.commit('CI'), v.commit('QA'), v.locked_commits)";
    let output = Command::new(&python)
        .args(["-c", script, root.to_str().unwrap()])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let platform = &commits.iter().find(|(a, _)| a == "edx-platform").unwrap().1;
    assert_eq!(
        stdout.trim_end(),
        format!("{platform} None {{'CI': '{platform}'}}")
    );

    // `import python` leaves the commits out of the matrix: the lock file holds them.
    env.run(&["import", "python", PACKAGE, "-o", "reimported.toml"])
        .ok();
    assert!(!env.read("reimported.toml").contains(platform.as_str()));
}
