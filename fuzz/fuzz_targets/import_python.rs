//! Any pair of texts given as `types.py` and `version_matrix.py` (split at the first NUL byte):
//! importing, rendering diagnostics and writing the TOML must never panic, and an import without
//! errors must write TOML that loads without errors.
#![no_main]

use codespan_reporting::term::termcolor::NoColor;
use edx_matrix_formats::{Source, load_toml, render};
use edx_matrix_formats::python_import::{Options, import};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (types, version_matrix) = text.split_once('\0').unwrap_or(("", text));
    for apply_special_cases in [false, true] {
        let options = Options {
            apply_special_cases,
            ..Options::default()
        };
        let imported = import(
            Source::new("types.py", types),
            Source::new("version_matrix.py", version_matrix),
            &options,
        );
        for file in [&imported.types, &imported.version_matrix] {
            let _ = render(
                &file.diagnostics,
                &file.source,
                &mut NoColor::new(std::io::sink()),
            );
        }
        if !imported.has_errors() {
            let loaded = load_toml(Source::new("imported.toml", imported.to_toml()));
            assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
        }
    }
});
