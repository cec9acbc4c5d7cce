//! One test per fixture file (datatest-stable; a failure names the file): every
//! `tests/fixtures/invalid-pipelines/*.toml` is a valid matrix whose `[pipelines]` settings yield
//! exactly the `# expect: CODE LINE:COL` diagnostics it declares, in order. That every
//! `pipeline-*` code has a fixture is checked in `tests/pipeline/settings.rs`.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::{Location, Source, load_toml};
use edx_matrix_pipeline::settings_of;
use edx_matrix_test_support::fixtures;
use std::path::Path;

fn invalid_pipelines(path: &Path, text: String) -> datatest_stable::Result<()> {
    let expected = fixtures::header_expectations(&text);
    assert!(
        !expected.is_empty(),
        "{} declares no expectation",
        path.display()
    );
    let loaded = load_toml(Source::new("edx-matrix.toml", text));
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(
        errors.is_empty(),
        "{}: the matrix has errors: {errors:#?}",
        path.display()
    );
    let (_, diagnostics) = settings_of(&loaded);
    let got: Vec<(String, String)> = diagnostics
        .iter()
        .map(|d| {
            let Location::Span(span) = &d.location else {
                panic!("{}: no position: {d:?}", path.display())
            };
            let (line, col) = loaded.source.line_col(span.start);
            (d.code.as_str().to_owned(), format!("{line}:{col}"))
        })
        .collect();
    assert_eq!(got, expected, "{}: {diagnostics:#?}", path.display());
    Ok(())
}

datatest_stable::harness! {
    { test = invalid_pipelines, root = fixtures::root("invalid-pipelines"), pattern = r"\.toml$" },
}
