//! Any text given as interchange JSON: importing, checking and rendering must never panic, and a
//! valid import must write to TOML that loads back to the same matrix.
#![no_main]

use codespan_reporting::term::termcolor::NoColor;
use edx_matrix_formats::{Source, load_json, load_toml, render, toml_write};
use edx_matrix_model::{Filter, resolve};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let loaded = load_json(Source::new("fuzz.json", text));
    let _ = render(
        &loaded.diagnostics,
        &loaded.source,
        &mut NoColor::new(std::io::sink()),
    );
    let _ = resolve(&loaded.matrix, &Filter::default());
    if !loaded.has_errors() {
        let written = toml_write::write_faithful(&loaded.matrix, &[]);
        let again = load_toml(Source::new("again.toml", written));
        assert!(!again.has_errors(), "{:?}", again.diagnostics);
        assert_eq!(again.matrix.canonical(), loaded.matrix.clone().canonical());
    }
});
