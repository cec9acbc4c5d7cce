//! What the modules of this binary share: the fixtures and the acme matrix, loaded without
//! errors.

use edx_matrix_formats::{Loaded, Source, load_toml};
use std::path::PathBuf;

/// The repository's `tests/fixtures` directory.
pub(crate) fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

/// The text of a fixture file.
pub(crate) fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap()
}

/// Loads `text`, asserting it has no errors.
pub(crate) fn load(text: &str) -> Loaded {
    let loaded = load_toml(Source::new("edx-matrix.toml", text));
    assert!(
        !loaded.has_errors(),
        "{:#?}",
        loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect::<Vec<_>>()
    );
    loaded
}

/// The acme matrix without the `[pipelines]` section the built-in example adds.
pub(crate) fn bare_acme() -> String {
    let text =
        std::fs::read_to_string(fixtures().join("../../examples/acme/edx-matrix.toml")).unwrap();
    assert!(!text.contains("[pipelines]"));
    text
}

/// The acme matrix with the `[pipelines]` settings of `valid/pipelines.toml`.
pub(crate) fn acme_with_settings() -> String {
    fixture("valid/pipelines.toml")
}
