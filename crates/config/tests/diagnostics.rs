//! One invalid fixture per diagnostic code: each declares, in `# expect: CODE LINE:COL` header
//! lines (or a `.expect` file beside a JSON fixture), the diagnostics it must produce. Positions
//! were computed from the fixture text independently of this crate.
#![allow(clippy::unwrap_used)]

use codespan_reporting::term::termcolor::NoColor;
use edx_matrix_config::{Location, Source, load_json, load_toml, render};
use edx_matrix_model::Code;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixtures(dir: &str, ext: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    files
}

fn rendered(loaded: &edx_matrix_config::Loaded) -> String {
    let mut out = NoColor::new(Vec::new());
    render(&loaded.diagnostics, &loaded.source, &mut out).unwrap();
    String::from_utf8(out.into_inner()).unwrap()
}

/// Checks one fixture's expectations; returns the codes it covers.
fn check_fixture(
    loaded: &edx_matrix_config::Loaded,
    expectations: &[(String, String)],
) -> Vec<Code> {
    let name = &loaded.source.name;
    let mut covered = Vec::new();
    for (code, place) in expectations {
        let found = loaded.diagnostics.iter().any(|d| {
            d.code.as_str() == code
                && match &d.location {
                    Location::Span(span) => {
                        let (line, col) = loaded.source.line_col(span.start);
                        *place == format!("{line}:{col}")
                    }
                    Location::JsonPath(path) => path == place,
                    Location::File => false,
                }
        });
        assert!(
            found,
            "{name}: expected `{code}` at {place}, got:\n{}",
            rendered(loaded)
        );
        covered.push(Code::from_name(code).unwrap());
    }
    // No unexpected errors: one mistake must not cascade into others.
    for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
        assert!(
            expectations.iter().any(|(code, _)| code == d.code.as_str()),
            "{name}: unexpected error `{}`: {}",
            d.code,
            d.message
        );
    }
    covered
}

#[test]
fn every_invalid_toml_fixture_reports_its_code_at_its_position() {
    let mut covered = BTreeSet::new();
    for path in fixtures("invalid", "toml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let expectations: Vec<(String, String)> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(|l| {
                let (code, place) = l.split_once(' ').unwrap();
                (code.to_owned(), place.to_owned())
            })
            .collect();
        assert!(!expectations.is_empty(), "{path:?} has no `# expect:` line");
        let name = format!("invalid/{}", path.file_name().unwrap().to_string_lossy());
        let loaded = load_toml(Source::new(name.clone(), text));
        covered.extend(check_fixture(&loaded, &expectations));
        insta::assert_snapshot!(name.replace(['/', '.'], "-"), rendered(&loaded));
    }
    for path in fixtures("invalid-json", "json") {
        let text = std::fs::read_to_string(&path).unwrap();
        let expect = std::fs::read_to_string(path.with_extension("expect")).unwrap();
        let expectations: Vec<(String, String)> = expect
            .lines()
            .map(|l| {
                let (code, place) = l.split_once(' ').unwrap();
                (code.to_owned(), place.to_owned())
            })
            .collect();
        let name = format!(
            "invalid-json/{}",
            path.file_name().unwrap().to_string_lossy()
        );
        let loaded = load_json(Source::new(name.clone(), text));
        covered.extend(check_fixture(&loaded, &expectations));
        insta::assert_snapshot!(name.replace(['/', '.'], "-"), rendered(&loaded));
    }
    // Codes only `import python` emits, about `.py` files: their fixtures are
    // tests/fixtures/python-invalid/ and the tests crates/interop/tests/python_import.rs.
    // `pipeline-*` codes come from edx-matrix-pipeline, which reads `[pipelines]`; its tests
    // cover them with the fixtures in tests/fixtures/invalid-pipelines/.
    let python_only = [
        Code::PythonSyntax,
        Code::PythonUnreadable,
        Code::PythonUnknownArgument,
        Code::PythonSpecialCase,
    ];
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| {
            !covered.contains(c) && !python_only.contains(c) && !c.as_str().starts_with("pipeline-")
        })
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "codes without an invalid fixture: {missing:?}"
    );
}

#[test]
fn every_valid_fixture_loads_without_errors() {
    for path in fixtures("valid", "toml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let loaded = load_toml(Source::new(path.display().to_string(), text));
        assert!(!loaded.has_errors(), "{}", rendered(&loaded));
    }
}

#[test]
fn every_code_is_documented() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/diagnostics.md"),
    )
    .unwrap();
    for code in Code::ALL {
        assert!(
            doc.contains(&format!("### `{}`", code.as_str())),
            "docs/diagnostics.md lacks `{code}`"
        );
    }
}

#[test]
fn code_list_snapshot() {
    let list: Vec<String> = Code::ALL
        .iter()
        .map(|c| {
            format!(
                "{:<24} {:<8} {}",
                c.as_str(),
                c.default_severity().as_str(),
                c.description()
            )
        })
        .collect();
    insta::assert_snapshot!(list.join("\n"));
}
