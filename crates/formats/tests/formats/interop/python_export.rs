//! `export python` on random models: real CPython (with pydantic) imports every exported package
//! and computes, through its own properties, exactly the rows `resolve` gives; `import python`
//! reads every package back to the same model. One Python process per batch of models.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::PythonNames;
use edx_matrix_formats::Source;
use edx_matrix_formats::python_export::{Options, export};
use edx_matrix_formats::python_import;
use edx_matrix_model::{Filter, Matrix, resolve};
use edx_matrix_test_support::{PYTHON_SHAPES, matrix};
use edx_matrix_test_support::{require_python, workspace_root};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;
use std::process::Command;

const BATCHES: usize = 2;
const PER_BATCH: usize = 24;

fn draw(runner: &mut TestRunner, n: usize) -> Vec<Matrix> {
    let strategy = matrix(&PYTHON_SHAPES);
    (0..n)
        .map(|_| strategy.new_tree(runner).unwrap().current())
        .collect()
}

/// `resolve`'s rows as JSON, without the `overridden` flags `rows.py` does not compute.
fn resolved(m: &Matrix) -> Value {
    let mut rows = serde_json::to_value(resolve(m, &Filter::default()).rows).unwrap();
    for row in rows.as_array_mut().unwrap() {
        row.as_object_mut().unwrap().remove("overridden");
    }
    rows
}

#[test]
fn cpython_computes_the_rows_resolve_gives_for_random_models() {
    let Some(python) = require_python(module_path!(), &["pydantic"]) else {
        return;
    };
    let rows_py = workspace_root().join("tests/fixtures/python-export/rows.py");
    let mut runner = TestRunner::deterministic();
    for _ in 0..BATCHES {
        let models = draw(&mut runner, PER_BATCH);
        let root = tempfile::tempdir().unwrap();
        let mut packages = Vec::new();
        for (i, m) in models.iter().enumerate() {
            let package = export(
                m,
                &PythonNames::default(),
                &Options {
                    accessors: true,
                    ..Options::default()
                },
            );
            let dir = root.path().join(format!("pkg{i}"));
            std::fs::create_dir_all(&dir).unwrap();
            for (name, text) in package.files() {
                std::fs::write(dir.join(name), text).unwrap();
            }
            packages.push(format!("pkg{i}"));
        }
        let output = Command::new(&python)
            .arg(&rows_py)
            .arg(root.path())
            .args(&packages)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let got: Value = serde_json::from_slice(&output.stdout).unwrap();
        for (m, package) in models.iter().zip(&packages) {
            let want = resolved(m);
            assert!(
                got[package] == want,
                "{package} differs\nmodel: {m:#?}\npython: {:#}\nresolve: {want:#}\ntypes.py:\n{}",
                got[package],
                std::fs::read_to_string(root.path().join(package).join("types.py")).unwrap()
            );
        }
    }
}

#[test]
fn import_python_reads_every_export_back_to_the_same_model() {
    let mut runner = TestRunner::deterministic();
    for m in draw(&mut runner, 64) {
        let package = export(&m, &PythonNames::default(), &Options::default());
        let imported = python_import::import(
            Source::new("types.py", package.types_py.clone()),
            Source::new("version_matrix.py", package.version_matrix_py.clone()),
            &python_import::Options::default(),
        );
        let errors: Vec<_> = imported
            .types
            .diagnostics
            .iter()
            .chain(&imported.version_matrix.diagnostics)
            .filter(|d| d.is_error())
            .collect();
        assert!(
            errors.is_empty(),
            "{errors:#?}\n{}\n{}",
            package.types_py,
            package.version_matrix_py
        );
        assert_eq!(imported.matrix.canonical(), m.clone().canonical());
    }
}

fn acme() -> Matrix {
    use edx_matrix_formats::{example, load_toml};
    load_toml(Source::new(example::NAME, example::TEXT)).matrix
}

/// The names the operators' package uses where they differ from the derived ones (as
/// `python-layout/renamed` spells them), as `import python` records them.
fn renamed() -> PythonNames {
    let mut names = PythonNames::default();
    for (app, member) in [
        ("edx-platform", "edxapp"),
        ("edxapp_theme", "theme"),
        ("notes-api", "notes"),
        ("learning", "learn"),
        ("authoring", "course_authoring"),
        ("discussions", "discussion"),
    ] {
        names.applications.insert(app.to_owned(), member.to_owned());
    }
    names
}

#[test]
fn acme_package_snapshots() {
    let package = export(
        &acme(),
        &PythonNames::default(),
        &Options {
            accessors: true,
            ..Options::default()
        },
    );
    // Only the vars the package has no place for (see `vars_left_out_…`).
    assert_eq!(package.warnings.len(), 1, "{:?}", package.warnings);
    assert!(package.warnings[0].starts_with("the vars of `pro`"));
    insta::assert_snapshot!("acme_types_py", package.types_py);
    insta::assert_snapshot!("acme_version_matrix_py", package.version_matrix_py);
    insta::assert_snapshot!("acme_accessors_py", package.accessors_py.unwrap());
}

#[test]
fn recorded_names_are_used_and_unusable_ones_warned_about() {
    let mut names = renamed();
    names
        .classes
        .insert("deployment".to_owned(), "Deployments".to_owned());
    names
        .classes
        .insert("release".to_owned(), "not a name".to_owned());
    names
        .releases
        .insert("teak".to_owned(), "_value_".to_owned());
    let package = export(
        &acme(),
        &names,
        &Options {
            accessors: true,
            ..Options::default()
        },
    );
    assert!(
        package.types_py.contains(
            r#"    edxapp = ("edx-platform", "https://github.com/openedx/edx-platform")"#
        )
    );
    assert!(
        package
            .types_py
            .contains("    learn = (\n        \"learning\",")
    );
    assert!(
        package
            .version_matrix_py
            .contains("class Deployments(Enum):")
    );
    assert!(
        package
            .accessors_py
            .unwrap()
            .contains("for deployment in Deployments")
    );
    assert!(
        package
            .types_py
            .contains("class OpenEdxSupportedRelease(StrEnum):")
    );
    assert!(package.types_py.contains("    teak = (\"teak\","));
    // The two unusable names, and the vars left out.
    assert_eq!(package.warnings.len(), 3, "{:?}", package.warnings);
}

#[test]
fn cpython_sees_the_recorded_member_names() {
    let Some(python) = require_python(module_path!(), &["pydantic"]) else {
        return;
    };
    let m = acme();
    let package = export(
        &m,
        &renamed(),
        &Options {
            accessors: true,
            ..Options::default()
        },
    );
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("acme");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in package.files() {
        std::fs::write(dir.join(name), text).unwrap();
    }
    // What the operators' consumers write, by member name.
    let script = r#"
import sys
sys.path.insert(0, sys.argv[1])
from acme.types import OpenEdxApplication, OpenEdxMicroFrontend, OpenEdxSupportedRelease
from acme.version_matrix import OpenLearningOpenEdxDeployment, ReleaseMap
from acme.accessors import fetch_application_version
assert OpenEdxApplication.edxapp == "edx-platform"
assert OpenEdxApplication.theme.repository == ""
assert OpenEdxMicroFrontend.learn.path == "learn"
assert OpenEdxMicroFrontend.course_authoring.repository.endswith("frontend-app-authoring")
assert str(OpenEdxSupportedRelease.verawood) == "verawood"
assert f"{OpenEdxSupportedRelease.master}" == "master"
pro = OpenLearningOpenEdxDeployment.pro.value
assert pro.release_by_env("QA") == OpenEdxSupportedRelease.ulmo
v = fetch_application_version(OpenEdxSupportedRelease.master, "campus", OpenEdxApplication.edxapp)
print(v.release_branch, v.git_origin, v.runtime_version)
"#;
    let output = Command::new(&python)
        .args(["-c", script])
        .arg(root.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The row `resolve` gives for it.
    let rows = resolve(
        &m,
        &Filter {
            deployment: Some("campus".into()),
            stage: Some("CI".into()),
            application: Some("edx-platform".into()),
            ..Filter::default()
        },
    )
    .rows;
    let r = &rows[0];
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!(
            "{} {} {}\n",
            r.release_branch,
            r.git_origin,
            r.runtime_version.unwrap_or("None")
        )
    );
}

#[test]
fn vars_left_out_of_the_package_are_named_in_a_warning() {
    use edx_matrix_model::vars::{VarValue, Vars};
    let warning = |m: &Matrix| -> Vec<String> {
        export(m, &PythonNames::default(), &Options::default())
            .warnings
            .into_iter()
            .filter(|w| w.contains("vars"))
            .collect()
    };
    let mut m = acme();
    assert_eq!(
        warning(&m),
        [
            "the vars of `pro` and its stages CI, QA, Production are not written: the Python package has no place for them (`resolve --format json` gives every row its stage's vars)"
        ]
    );
    for d in &mut m.deployments {
        d.vars = Vars::default();
        for s in &mut d.stages {
            s.vars = Vars::default();
        }
    }
    assert!(warning(&m).is_empty());
    let one = || Vars(vec![("A".to_owned(), VarValue::Integer(1))]);
    m.deployments[0].stages[1].vars = one();
    m.deployments[1].vars = one();
    let (first, second) = (m.deployments[0].name.clone(), m.deployments[1].name.clone());
    assert_eq!(
        warning(&m),
        [format!(
            "the vars of `{first}`'s stages QA; `{second}` are not written: the Python package has no place for them (`resolve --format json` gives every row its stage's vars)"
        )]
    );
}
