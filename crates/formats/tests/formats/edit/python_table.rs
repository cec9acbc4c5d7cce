//! Edits keep the `[python]` table (the member names `import python` recorded).

use edx_matrix_formats::edit::release;
use edx_matrix_formats::{PythonNames, Source, load_toml};

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
fn edits_keep_the_python_table() {
    let text = format!("{BASE}{PYTHON}");
    let edited = release::add(
        &text,
        &release::NewRelease {
            name: "verawood".into(),
            branch: "release/verawood".into(),
            python: "3.12".into(),
            node: "24".into(),
        },
    )
    .unwrap();
    assert_eq!(
        load_toml(Source::new("m.toml", edited.text)).python,
        names()
    );
}
