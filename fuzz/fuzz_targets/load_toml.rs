//! Any text given as `edx-matrix.toml`: loading, checking, rendering diagnostics, writing back and
//! resolving must never panic.
#![no_main]

use codespan_reporting::term::termcolor::NoColor;
use edx_matrix_formats::{Source, interchange, load_toml, render, toml_write};
use edx_matrix_model::{Filter, resolve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = load_toml(Source::new("fuzz.toml", text));
    let _ = render(
        &loaded.diagnostics,
        &loaded.source,
        &mut NoColor::new(std::io::sink()),
    );
    for d in &loaded.diagnostics {
        let _ = d.to_json(&loaded.source);
    }
    let _ = resolve(&loaded.matrix, &Filter::default());
    let _ = interchange::to_json(&loaded.matrix);
    if !loaded.has_errors() {
        // A valid matrix must write back to text that loads to the same matrix.
        let written = toml_write::write(&loaded.matrix, toml_write::Layout::Explicit, &[]);
        let again = load_toml(Source::new("again.toml", written));
        assert!(!again.has_errors());
        assert_eq!(again.matrix.canonical(), loaded.matrix.clone().canonical());
    }
});
