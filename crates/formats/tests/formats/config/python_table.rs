//! The `[python]` table: read by the loader, written back the same, its unknown keys reported
//! where they are; and releases without runtimes. (That edits keep it is tested in the edit crate.)
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::{PythonNames, Source, interchange, load_json, load_toml};
use edx_matrix_model::{Code, Filter, resolve};

/// A matrix without a `[python]` table.
const BASE: &str = include_str!("../../../../../tests/fixtures/python-table/matrix.toml");

/// The `[python]` table `names()` describes, appended to `BASE`.
const PYTHON: &str = include_str!("../../../../../tests/fixtures/python-table/python-table.toml");

fn names() -> PythonNames {
    let mut n = PythonNames::default();
    n.classes
        .insert("deployment".into(), "OpenLearningOpenEdxDeployment".into());
    n.applications.insert("forum".into(), "comments".into());
    n.applications.insert("learning".into(), "learn".into());
    n
}

#[test]
fn the_loader_reads_the_python_table() {
    let loaded = load_toml(Source::new("m.toml", format!("{BASE}{PYTHON}")));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.python, names());
    assert!(load_toml(Source::new("m.toml", BASE)).python.is_empty());
}

#[test]
fn the_writer_writes_what_the_loader_reads() {
    let text = format!("{BASE}\n{}", names().to_toml());
    assert_eq!(load_toml(Source::new("m.toml", text)).python, names());
    assert_eq!(PythonNames::default().to_toml(), "");
}

#[test]
fn unknown_keys_in_the_python_table_are_located() {
    let text = format!("{BASE}{PYTHON}\n[python.members.stages]\nCI = \"ci\"\n");
    let source = Source::new("m.toml", text.clone());
    let loaded = load_toml(source.clone());
    let unknown: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::UnknownKey)
        .map(|d| d.line_col(&source).unwrap())
        .collect();
    let line = text
        .lines()
        .position(|l| l == "[python.members.stages]")
        .unwrap()
        + 1;
    assert_eq!(unknown, vec![(line, 17)]);
    let classes = format!("{BASE}\n[python.classes]\nenvironment = \"Env\"\n");
    let loaded = load_toml(Source::new("m.toml", classes));
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.code == Code::UnknownKey)
    );
}

#[test]
fn a_release_without_runtimes_gives_rows_without_runtime() {
    let loaded = load_toml(Source::new("m.toml", BASE));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    // An MFE without a path is a warning, not an error.
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.code == Code::MfeWithoutPath && !d.is_error())
    );
    let rows = resolve(&loaded.matrix, &Filter::default()).rows;
    assert!(rows.iter().all(|r| r.runtime_version.is_none()));
    // The interchange JSON says `null` and reads it back.
    let json = interchange::to_json(&loaded.matrix);
    let text = serde_json::to_string(&json).unwrap();
    assert!(text.contains("\"python_version\":null"), "{text}");
    let back = load_json(Source::new("m.json", text));
    assert!(!back.has_errors(), "{:#?}", back.diagnostics);
    assert_eq!(back.matrix.releases, loaded.matrix.releases);
}
