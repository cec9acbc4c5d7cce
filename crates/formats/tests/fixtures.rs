//! One test per fixture file (datatest-stable; a failure names the file): every
//! `tests/fixtures/invalid/*.toml` and `tests/fixtures/invalid-json/*.json` yields the codes it
//! declares at the positions it declares and no other error, its rendered diagnostics an insta
//! snapshot; every `tests/fixtures/valid/*.toml` loads without errors. That every code has a
//! fixture is checked in `tests/config/diagnostics.rs`.
#![allow(clippy::unwrap_used)]

use codespan_reporting::term::termcolor::NoColor;
use edx_matrix_formats::{Loaded, Location, Source, load_json, load_toml, render};
use edx_matrix_test_support::fixtures;
use std::path::Path;

fn rendered(loaded: &Loaded) -> String {
    let mut out = NoColor::new(Vec::new());
    render(&loaded.diagnostics, &loaded.source, &mut out).unwrap();
    String::from_utf8(out.into_inner()).unwrap()
}

/// Each expected code is reported at its place, and no error that is not expected: one
/// mistake must not cascade into others.
fn check_fixture(loaded: &Loaded, expectations: &[(String, String)]) {
    let name = &loaded.source.name;
    assert!(!expectations.is_empty(), "{name} declares no expectation");
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
    }
    for d in loaded.diagnostics.iter().filter(|d| d.is_error()) {
        assert!(
            expectations.iter().any(|(code, _)| code == d.code.as_str()),
            "{name}: unexpected error `{}`: {}",
            d.code,
            d.message
        );
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

fn invalid_toml(path: &Path, text: String) -> datatest_stable::Result<()> {
    let expectations = fixtures::header_expectations(&text);
    let name = format!("invalid/{}", file_name(path));
    let loaded = load_toml(Source::new(name.clone(), text));
    check_fixture(&loaded, &expectations);
    insta::assert_snapshot!(name.replace(['/', '.'], "-"), rendered(&loaded));
    Ok(())
}

fn invalid_json(path: &Path, text: String) -> datatest_stable::Result<()> {
    let expectations = fixtures::file_expectations(path);
    let name = format!("invalid-json/{}", file_name(path));
    let loaded = load_json(Source::new(name.clone(), text));
    check_fixture(&loaded, &expectations);
    insta::assert_snapshot!(name.replace(['/', '.'], "-"), rendered(&loaded));
    Ok(())
}

fn valid_toml(path: &Path, text: String) -> datatest_stable::Result<()> {
    let loaded = load_toml(Source::new(path.display().to_string(), text));
    assert!(!loaded.has_errors(), "{}", rendered(&loaded));
    Ok(())
}

datatest_stable::harness! {
    { test = invalid_toml, root = fixtures::root("invalid"), pattern = r"\.toml$" },
    { test = invalid_json, root = fixtures::root("invalid-json"), pattern = r"\.json$" },
    { test = valid_toml, root = fixtures::root("valid"), pattern = r"\.toml$" },
}
