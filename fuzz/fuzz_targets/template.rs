//! Any text given as a pipeline template (`pipelines/fuzz.star`), evaluated against the built-in
//! example matrix next to the example's own templates (which it may `load()`): rendering must
//! never panic, and every template diagnostic must point at a line of a file that exists.
#![no_main]

use edx_matrix_formats::{Source, example, load_toml};
use edx_matrix_model::Matrix;
use edx_matrix_pipeline::{Settings, TemplateFiles, render_all, settings_of};
use libfuzzer_sys::fuzz_target;
use std::sync::LazyLock;

const ENTRY: &str = "pipelines/fuzz.star";

static EXAMPLE: LazyLock<(Matrix, Settings)> = LazyLock::new(|| {
    let loaded = load_toml(Source::new(example::NAME, example::TEXT));
    assert!(!loaded.has_errors());
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    (loaded.matrix, settings)
});

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (matrix, settings) = &*EXAMPLE;
    let mut files = TemplateFiles::default();
    for (path, template) in example::TEMPLATES {
        files
            .files
            .insert((*path).to_owned(), (*template).to_owned());
    }
    files.files.insert(ENTRY.to_owned(), text.to_owned());
    files.entries.push(ENTRY.to_owned());
    let outcome = render_all(matrix, settings, &files);
    for d in &outcome.diagnostics {
        assert!(d.line >= 1 && d.column >= 1, "{d:?}");
        if let Some(file) = files.files.get(&d.file) {
            assert!(
                d.line <= file.lines().count() + 1,
                "{d:?} is past the end of {}",
                d.file
            );
        }
    }
    if outcome.has_errors() {
        assert!(
            outcome.pipelines.is_empty(),
            "pipelines rendered despite an error"
        );
    }
});
