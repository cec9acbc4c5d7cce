//! One invalid fixture per diagnostic code: each declares, in `# expect: CODE LINE:COL` header
//! lines (or a `.expect` file beside a JSON fixture), the diagnostics it must produce. Positions
//! were computed from the fixture text independently of this crate. Each fixture is its own test
//! in `tests/fixtures.rs`; here, that every code has one, is documented, and the code list.
#![allow(clippy::unwrap_used)]

use edx_matrix_model::Code;
use edx_matrix_test_support::fixtures;
use std::collections::BTreeSet;
use std::path::Path;

/// The codes the invalid fixtures declare. Each fixture is its own test of `tests/fixtures.rs`,
/// which checks that it yields what it declares.
fn declared_codes() -> BTreeSet<Code> {
    let mut declared = Vec::new();
    for path in fixtures::files("invalid", "toml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let expectations = fixtures::header_expectations(&text);
        assert!(!expectations.is_empty(), "{path:?} has no `# expect:` line");
        declared.extend(expectations);
    }
    for path in fixtures::files("invalid-json", "json") {
        let expectations = fixtures::file_expectations(&path);
        assert!(
            !expectations.is_empty(),
            "{path:?}: its .expect file is empty"
        );
        declared.extend(expectations);
    }
    declared
        .iter()
        .map(|(code, _)| Code::from_name(code).unwrap_or_else(|| panic!("no code `{code}`")))
        .collect()
}

#[test]
fn every_code_has_an_invalid_fixture() {
    let covered = declared_codes();
    // Codes only `import python` emits, about `.py` files: their fixtures are
    // tests/fixtures/python-invalid/ and the tests crates/formats/tests/formats/interop/python_import.rs.
    // `pipeline-*` codes come from edx-matrix-pipeline, which reads `[pipelines]`; its tests
    // cover them with the fixtures in tests/fixtures/invalid-pipelines/. `lock-*` codes are
    // about `edx-matrix.lock`: crates/formats/tests/formats/config/lock_file.rs and the project's tests.
    let python_only = [
        Code::PythonSyntax,
        Code::PythonUnreadable,
        Code::PythonUnknownArgument,
        Code::PythonSpecialCase,
        Code::PythonDuplicateKey,
    ];
    let missing: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| {
            !covered.contains(c)
                && !python_only.contains(c)
                && !c.as_str().starts_with("pipeline-")
                && !c.as_str().starts_with("lock-")
        })
        .map(|c| c.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "codes without an invalid fixture: {missing:?}"
    );
}

/// `tests/fixtures.rs` makes one test per file it finds: an empty or moved directory would make
/// none, silently.
#[test]
fn the_fixture_directories_hold_fixtures() {
    for (dir, ext) in [
        ("valid", "toml"),
        ("invalid", "toml"),
        ("invalid-json", "json"),
    ] {
        assert!(!fixtures::files(dir, ext).is_empty(), "{dir}");
    }
}

#[test]
fn every_json_expectation_has_its_fixture() {
    for expect in fixtures::files("invalid-json", "expect") {
        assert!(
            expect.with_extension("json").is_file(),
            "{expect:?} has no .json"
        );
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
