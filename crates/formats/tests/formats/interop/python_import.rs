//! `import python` against the acme fixtures: both layouts, the resolved rows, the errors.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::python_import::{Imported, Options, import};
use edx_matrix_formats::{Source, load_toml};
use edx_matrix_model::{Code, Filter, resolve};
use edx_matrix_test_support::project_rows;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(fixtures().join(relative)).unwrap()
}

/// Imports a layout directory.
fn import_dir(dir: &str, options: &Options) -> Imported {
    let file = |name: &str| {
        if fixtures().join(dir).join(name).exists() {
            read(&format!("{dir}/{name}"))
        } else {
            String::new() // the single-file layout has no types.py
        }
    };
    import(
        Source::new("types.py", file("types.py")),
        Source::new("version_matrix.py", file("version_matrix.py")),
        options,
    )
}

/// Resolves the imported TOML (read back through the loader) into the 8 row fields.
fn resolved_rows(imported: &Imported) -> Value {
    rows_of(imported, false)
}

/// Resolves the imported TOML; `with_path` adds each MFE row's path.
fn rows_of(imported: &Imported, with_path: bool) -> Value {
    let toml = imported.to_toml();
    let loaded = load_toml(Source::new("edx-matrix.toml", toml));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let rows = resolve(&loaded.matrix, &Filter::default()).rows;
    let mut projected = project_rows(&serde_json::to_value(&rows).unwrap());
    if with_path {
        for (row, resolved) in projected.iter_mut().zip(&rows) {
            if let Some(path) = resolved.path {
                row["path"] = json!(path);
            }
        }
    }
    Value::Array(projected)
}

fn errors(imported: &Imported) -> Vec<(Code, String, (usize, usize))> {
    [&imported.types, &imported.version_matrix]
        .into_iter()
        .flat_map(|f| {
            f.diagnostics.iter().filter(|d| d.is_error()).map(|d| {
                (
                    d.code,
                    f.source.name.clone(),
                    d.line_col(&f.source).unwrap_or((0, 0)),
                )
            })
        })
        .collect()
}

#[test]
fn current_layout_resolves_to_the_expected_rows() {
    let imported = import_dir("acme/python-layout/current", &Options::default());
    assert_eq!(errors(&imported), vec![]);
    let expected: Value =
        serde_json::from_str(&read("acme/python-layout/current/expected-resolved.json")).unwrap();
    assert_eq!(resolved_rows(&imported), expected);
}

/// Compares row lists, naming the first row that differs.
fn assert_same_rows(got: &Value, expected: &Value, what: &str) {
    let (got, expected) = (got.as_array().unwrap(), expected.as_array().unwrap());
    for (i, (g, e)) in got.iter().zip(expected).enumerate() {
        assert_eq!(g, e, "{what}: row {i} differs");
    }
    assert_eq!(got.len(), expected.len(), "{what}: row count");
}

#[test]
fn renamed_and_single_file_layouts_resolve_as_python_computes_them() {
    let options = Options {
        apply_special_cases: true,
        ..Options::default()
    };
    for layout in ["renamed", "single-file"] {
        let imported = import_dir(&format!("acme/python-layout/{layout}"), &options);
        assert_eq!(errors(&imported), vec![], "{layout}");
        let expected: Value = serde_json::from_str(&read(&format!(
            "acme/python-layout/{layout}/expected-resolved.json"
        )))
        .unwrap();
        assert_same_rows(&rows_of(&imported, layout == "renamed"), &expected, layout);
    }
}

#[test]
fn legacy_layout_takes_runtime_defaults_from_the_code() {
    let imported = import_dir("acme/python-layout/legacy", &Options::default());
    assert_eq!(errors(&imported), vec![]);
    let expected: Value =
        serde_json::from_str(&read("acme/python-layout/legacy/expected-resolved.json")).unwrap();
    assert_eq!(resolved_rows(&imported), expected);
    assert!(
        imported
            .matrix
            .releases
            .iter()
            .all(|r| r.python.as_ref().is_some_and(|v| v == "3.8")
                && r.node.as_ref().is_some_and(|v| v == "16"))
    );
}

#[test]
fn legacy_defaults_can_be_given_on_the_command_line() {
    let options = Options {
        default_python: Some("3.9".into()),
        default_node: None,
        apply_special_cases: false,
    };
    let imported = import_dir("acme/python-layout/legacy", &options);
    assert!(
        imported
            .matrix
            .releases
            .iter()
            .all(|r| r.python.as_ref().is_some_and(|v| v == "3.9")
                && r.node.as_ref().is_some_and(|v| v == "16"))
    );
}

#[test]
fn imported_toml_is_much_shorter_than_the_python() {
    for layout in ["current", "legacy"] {
        let dir = format!("acme/python-layout/{layout}");
        let imported = import_dir(&dir, &Options::default());
        let python = read(&format!("{dir}/types.py")).lines().count()
            + read(&format!("{dir}/version_matrix.py")).lines().count();
        let toml = imported.to_toml().lines().count();
        eprintln!("{layout}: {python} Python lines -> {toml} TOML lines");
        assert!(python >= 5 * toml, "{layout}: {python} vs {toml}");
    }
}

fn warnings(imported: &Imported) -> Vec<(Code, String, (usize, usize))> {
    [&imported.types, &imported.version_matrix]
        .into_iter()
        .flat_map(|f| {
            f.diagnostics.iter().filter(|d| !d.is_error()).map(|d| {
                (
                    d.code,
                    f.source.name.clone(),
                    d.line_col(&f.source).unwrap_or((0, 0)),
                )
            })
        })
        .collect()
}

/// Each broken file of `tests/fixtures/python-invalid/` is its own test (`tests/fixtures.rs`),
/// which checks the errors its `.expect` file declares: here, that every case has both.
#[test]
fn every_python_invalid_case_declares_what_it_expects() {
    let mut cases = 0;
    for entry in std::fs::read_dir(fixtures().join("python-invalid")).unwrap() {
        let dir = entry.unwrap().path();
        let broken: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "py"))
            .collect();
        assert_eq!(broken.len(), 1, "{dir:?}: one broken file a case");
        assert!(
            broken[0].with_extension("expect").is_file(),
            "{:?} has no .expect",
            broken[0]
        );
        cases += 1;
    }
    assert!(cases >= 10, "{cases}");
}

fn current_with(
    types_edit: (&str, &str),
    matrix_edit: (&str, &str),
    options: &Options,
) -> Imported {
    let dir = "acme/python-layout/current";
    let types = read(&format!("{dir}/types.py"));
    let matrix = read(&format!("{dir}/version_matrix.py"));
    assert!(types.contains(types_edit.0) && matrix.contains(matrix_edit.0));
    import(
        Source::new("types.py", types.replacen(types_edit.0, types_edit.1, 1)),
        Source::new(
            "version_matrix.py",
            matrix.replacen(matrix_edit.0, matrix_edit.1, 1),
        ),
        options,
    )
}

const BRANCH_RULE: &str = "        return self.branch_override or self.release.branch";
const SPECIAL_BRANCH: &str = r#"        if self.application == "edx-platform" and self.release == "master":
            return "acme/special"
        if self.release == "teak" and self.application_type == "MFE":
            return "mfe/teak"
        return self.branch_override or self.release.branch"#;

#[test]
fn special_cases_are_reported_and_applied_on_request() {
    let none = ("", "");
    let imported = current_with((BRANCH_RULE, SPECIAL_BRANCH), none, &Options::default());
    assert_eq!(errors(&imported), vec![]);
    let special: Vec<_> = warnings(&imported)
        .into_iter()
        .filter(|w| w.0 == Code::PythonSpecialCase)
        .collect();
    // Both special cases are named by their line; the rule after them is standard.
    assert_eq!(
        special,
        vec![
            (Code::PythonSpecialCase, "types.py".to_owned(), (123, 9)),
            (Code::PythonSpecialCase, "types.py".to_owned(), (125, 9)),
        ]
    );
    let edx_platform_master = |imported: &Imported| {
        imported
            .matrix
            .release_map
            .iter()
            .flat_map(|e| &e.apps)
            .filter(|v| v.application == "edx-platform" && v.release == "master")
            .map(|v| v.branch.as_ref().map(|b| b.to_string()))
            .collect::<Vec<_>>()
    };
    // Without the flag the matrix follows the standard rule.
    assert_eq!(
        edx_platform_master(&imported),
        vec![Some("acme/master".into()), Some("acme/master".into()), None]
    );
    let options = Options {
        apply_special_cases: true,
        ..Options::default()
    };
    let applied = current_with((BRANCH_RULE, SPECIAL_BRANCH), none, &options);
    assert_eq!(
        edx_platform_master(&applied),
        vec![Some("acme/special".into()); 3]
    );
    let toml = applied.to_toml();
    assert!(
        toml.contains(
            "# applied special case of types.py:123 as overrides on 3 application versions"
        ),
        "{toml}"
    );
}

#[test]
fn unknown_keyword_arguments_are_warned_about_and_kept_as_extra_values() {
    let entry = "                runtime_version_override=\"22\",\n";
    let imported = current_with(
        ("", ""),
        (
            entry,
            "                runtime_version_override=\"22\",\n                build_args=[\"--no-cache\",\n    \"--pull\"],\n",
        ),
        &Options::default(),
    );
    assert_eq!(errors(&imported), vec![]);
    assert!(warnings(&imported).contains(&(
        Code::PythonUnknownArgument,
        "version_matrix.py".to_owned(),
        (649, 17)
    )));
    let toml = imported.to_toml();
    assert!(
        toml.contains(
            "communications = { runtime = \"22\", extra = { build_args = [\"--no-cache\", \"--pull\"] } }\n"
        ),
        "{toml}"
    );
    assert!(!load_toml(Source::new("x.toml", toml)).has_errors());
}

#[test]
fn unreadable_values_are_errors_not_guesses() {
    let imported = current_with(
        ("", ""),
        (
            "branch_override=\"pro/teak\"",
            "branch_override=\"pro/\" + RELEASE",
        ),
        &Options::default(),
    );
    let found = errors(&imported);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, Code::PythonUnreadable);
}

#[test]
fn names_that_differ_from_the_derived_ones_go_to_the_python_table() {
    let options = Options {
        apply_special_cases: true,
        ..Options::default()
    };
    let imported = import_dir("acme/python-layout/renamed", &options);
    let p = &imported.python;
    assert_eq!(
        p.applications.get("edx-platform").map(String::as_str),
        Some("edxapp")
    );
    assert_eq!(
        p.applications.get("authoring").map(String::as_str),
        Some("course_authoring")
    );
    assert_eq!(
        p.applications.get("learning").map(String::as_str),
        Some("learn")
    );
    // Derived names are not recorded; neither are the default class names.
    assert!(!p.applications.contains_key("forum"));
    assert!(p.classes.is_empty(), "{:?}", p.classes);
    let loaded = load_toml(Source::new("edx-matrix.toml", imported.to_toml()));
    assert_eq!(&loaded.python, p);
    // The current layout spells every name the derived way.
    let current = import_dir("acme/python-layout/current", &Options::default());
    assert!(current.python.is_empty(), "{:?}", current.python);
    // The single-file layout: deployment members `campus_staging` are derived, so empty too.
    let single = import_dir("acme/python-layout/single-file", &options);
    assert!(single.python.deployments.is_empty());
    assert_eq!(
        single
            .python
            .applications
            .get("edx-platform")
            .map(String::as_str),
        Some("edxapp")
    );
}

#[test]
fn a_special_case_after_the_override_check_spares_explicit_overrides() {
    // `renamed`: `if self.branch_override: return …` comes first, then the special case.
    let options = Options {
        apply_special_cases: true,
        ..Options::default()
    };
    let imported = import_dir("acme/python-layout/renamed", &options);
    let branches: Vec<(String, Option<String>)> = imported
        .matrix
        .release_map
        .iter()
        .filter(|e| e.release == "master")
        .flat_map(|e| {
            e.apps
                .iter()
                .filter(|v| v.application == "edx-platform")
                .map(move |v| {
                    (
                        e.deployment.to_string(),
                        v.branch.as_ref().map(|b| b.to_string()),
                    )
                })
        })
        .collect();
    assert_eq!(
        branches,
        vec![
            ("campus".into(), Some("acme/master".into())),
            ("campus-staging".into(), Some("acme/master".into())),
            ("online".into(), Some("acme/master-stable".into())),
        ]
    );
    let special: Vec<_> = warnings(&imported)
        .into_iter()
        .filter(|w| w.0 == Code::PythonSpecialCase)
        .collect();
    assert_eq!(special.len(), 1, "{special:?}");
}

#[test]
fn truncated_layouts_never_panic() {
    // The fuzz target's property on inputs near real ones: prefixes of each layout's files
    // import without panicking (errors are fine), with and without special cases.
    for layout in ["current", "legacy", "renamed", "single-file"] {
        let dir = format!("acme/python-layout/{layout}");
        let types = if layout == "single-file" {
            String::new()
        } else {
            read(&format!("{dir}/types.py"))
        };
        let matrix = read(&format!("{dir}/version_matrix.py"));
        for step in (0..matrix.len()).step_by(211) {
            let Some(cut) = matrix.get(..step) else {
                continue;
            };
            for apply_special_cases in [false, true] {
                let options = Options {
                    apply_special_cases,
                    ..Options::default()
                };
                let _ = import(
                    Source::new("types.py", types.clone()),
                    Source::new("version_matrix.py", cut),
                    &options,
                );
            }
        }
        for step in (0..types.len()).step_by(97) {
            let Some(cut) = types.get(..step) else {
                continue;
            };
            let _ = import(
                Source::new("types.py", cut),
                Source::new("version_matrix.py", matrix.clone()),
                &Options::default(),
            );
        }
    }
}
