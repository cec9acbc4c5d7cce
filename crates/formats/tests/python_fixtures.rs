//! One test per fixture file (datatest-stable; a failure names the file):
//!
//! - the JSON Schema accepts every `tests/fixtures/valid/*.toml` (the loader accepts them);
//! - every broken Python file in `tests/fixtures/python-invalid/CASE/` imports (with the other
//!   file of acme's current layout) to exactly the errors its `.expect` file beside it
//!   declares, one a line: `FILE LINE:COL CODE`, or `FILE LINE:COL "PART OF THE MESSAGE"`.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::Source;
use edx_matrix_formats::python_import::{Options, import};
use edx_matrix_formats::schema;
use edx_matrix_test_support::fixtures;
use std::path::Path;

fn valid_matches_the_schema(path: &Path, text: String) -> datatest_stable::Result<()> {
    let table: toml::Table = toml::from_str(&text)?;
    let instance = serde_json::to_value(table)?;
    let validator = jsonschema::validator_for(&schema())?;
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert_eq!(errors, Vec::<String>::new(), "{}", path.display());
    Ok(())
}

/// An error the import must report: where, and its code or part of its message.
#[derive(Debug)]
struct Expected {
    file: String,
    at: (usize, usize),
    code: Option<String>,
    says: Option<String>,
}

fn expectations(path: &Path) -> Vec<Expected> {
    let expect = path.with_extension("expect");
    let text = std::fs::read_to_string(&expect).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (every fixture declares what it expects)",
            expect.display()
        )
    });
    let expected: Vec<Expected> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let mut parts = line.splitn(3, ' ');
            let (Some(file), Some(at), Some(what)) = (parts.next(), parts.next(), parts.next())
            else {
                panic!(
                    "{}: `FILE LINE:COL CODE|\"MESSAGE\"`, not {line:?}",
                    expect.display()
                )
            };
            let (line_no, col) = at.split_once(':').unwrap();
            let at = (line_no.parse().unwrap(), col.parse().unwrap());
            let says = what
                .strip_prefix('"')
                .and_then(|w| w.strip_suffix('"'))
                .map(str::to_owned);
            Expected {
                file: file.to_owned(),
                at,
                code: says.is_none().then(|| what.to_owned()),
                says,
            }
        })
        .collect();
    assert!(!expected.is_empty(), "{} is empty", expect.display());
    expected
}

fn python_invalid(path: &Path, broken: String) -> datatest_stable::Result<()> {
    let broken_name = path.file_name().unwrap().to_string_lossy().into_owned();
    let file = |name: &str| {
        if name == broken_name {
            broken.clone()
        } else {
            fixtures::text(&format!("acme/python-layout/current/{name}"))
        }
    };
    let imported = import(
        Source::new("types.py", file("types.py")),
        Source::new("version_matrix.py", file("version_matrix.py")),
        &Options::default(),
    );
    let found: Vec<(String, (usize, usize), &str, &str)> =
        [&imported.types, &imported.version_matrix]
            .into_iter()
            .flat_map(|f| {
                f.diagnostics.iter().filter(|d| d.is_error()).map(|d| {
                    (
                        f.source.name.clone(),
                        d.line_col(&f.source).unwrap_or((0, 0)),
                        d.code.as_str(),
                        d.message.as_str(),
                    )
                })
            })
            .collect();
    let expected = expectations(path);
    assert!(
        imported.has_errors(),
        "{}: imported without errors",
        path.display()
    );
    assert_eq!(found.len(), expected.len(), "{}: {found:?}", path.display());
    for (got, want) in found.iter().zip(&expected) {
        assert_eq!(
            (got.0.as_str(), got.1),
            (want.file.as_str(), want.at),
            "{}: {found:?}",
            path.display()
        );
        if let Some(code) = &want.code {
            assert_eq!(got.2, code, "{}: {found:?}", path.display());
        }
        if let Some(says) = &want.says {
            assert!(
                got.3.contains(says.as_str()),
                "{}: {found:?}",
                path.display()
            );
        }
    }
    Ok(())
}

datatest_stable::harness! {
    { test = valid_matches_the_schema, root = fixtures::root("valid"), pattern = r"\.toml$" },
    { test = python_invalid, root = fixtures::root("python-invalid"), pattern = r"\.py$" },
}
