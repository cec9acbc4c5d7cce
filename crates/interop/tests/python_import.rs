//! `import python` against the acme fixtures: both layouts, the resolved rows, the errors.
#![allow(clippy::unwrap_used)]

use edx_matrix_config::{Source, load_toml};
use edx_matrix_interop::python_import::{Imported, Options, import};
use edx_matrix_model::{Code, Filter, resolve};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(fixtures().join(relative)).unwrap()
}

fn import_dir(dir: &str, options: &Options) -> Imported {
    import(
        Source::new("types.py", read(&format!("{dir}/types.py"))),
        Source::new("version_matrix.py", read(&format!("{dir}/version_matrix.py"))),
        options,
    )
}

/// Resolves the imported TOML (read back through the loader) into the 8 row fields.
fn resolved_rows(imported: &Imported) -> Value {
    let toml = imported.to_toml();
    let loaded = load_toml(Source::new("edx-matrix.toml", toml));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let rows = resolve(&loaded.matrix, &Filter::default()).rows;
    Value::Array(
        rows.iter()
            .map(|r| {
                json!({
                    "deployment": r.deployment,
                    "stage": r.stage,
                    "release": r.release,
                    "application": r.application,
                    "type": r.kind.as_str(),
                    "git_origin": r.git_origin,
                    "release_branch": r.release_branch,
                    "runtime_version": r.runtime_version,
                })
            })
            .collect(),
    )
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

#[test]
fn legacy_layout_takes_runtime_defaults_from_the_code() {
    let imported = import_dir("acme/python-layout/legacy", &Options::default());
    assert_eq!(errors(&imported), vec![]);
    let expected: Value =
        serde_json::from_str(&read("acme/python-layout/legacy/expected-resolved.json")).unwrap();
    assert_eq!(resolved_rows(&imported), expected);
    assert!(imported.matrix.releases.iter().all(|r| r.python == "3.8" && r.node == "16"));
}

#[test]
fn legacy_defaults_can_be_given_on_the_command_line() {
    let options = Options {
        default_python: Some("3.9".into()),
        default_node: None,
        apply_special_cases: false,
    };
    let imported = import_dir("acme/python-layout/legacy", &options);
    assert!(imported.matrix.releases.iter().all(|r| r.python == "3.9" && r.node == "16"));
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
