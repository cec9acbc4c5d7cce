//! Property tests: any valid matrix survives TOML (explicit and compact) and interchange JSON
//! round trips, and resolves identically before and after. The matrices are
//! `edx_matrix_test_support::TOML_SHAPES` (templated branches, braces, forks,
//! entries taking another release's defaults).
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::toml_write::{Layout, write, write_faithful};
use edx_matrix_formats::{Source, interchange, load_json, load_toml, toml_load};
use edx_matrix_model::{Filter, Matrix, resolve};
use edx_matrix_test_support::{TOML_SHAPES, matrix};
use proptest::prelude::*;

fn rows_json(m: &Matrix) -> String {
    serde_json::to_string(&resolve(m, &Filter::default()).rows).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn valid_models_round_trip(m in matrix(&TOML_SHAPES)) {
        let errors: Vec<_> = edx_matrix_model::check(&m).into_iter().filter(|p| p.severity == edx_matrix_model::Severity::Error).collect();
        prop_assert!(errors.is_empty(), "generator made an invalid matrix: {errors:?}");
        let rows = rows_json(&m);
        for (label, text) in [
            ("explicit", write(&m, Layout::Explicit, &["t"])),
            ("faithful", write_faithful(&m, &["t"])),
        ] {
            let back = load_toml(Source::new(label, text.clone()));
            prop_assert!(!back.has_errors(), "{label}:\n{text}\n{:#?}", back.diagnostics);
            prop_assert_eq!(back.matrix.clone().canonical(), m.clone().canonical(), "{}:\n{}", label, text);
            prop_assert_eq!(rows_json(&back.matrix), rows.clone());
            // The large-file path (blocks parsed one at a time) reads the same matrix.
            if let Some(mut parsed) = toml_load::parse_by_blocks(&text) {
                let (by_blocks, _, diagnostics) = toml_load::read_document(&mut parsed, &text);
                prop_assert!(diagnostics.is_empty(), "{label} by blocks: {diagnostics:#?}");
                prop_assert_eq!(&by_blocks, &toml_load::read(&text).0, "{} by blocks:\n{}", label, text);
            }
        }
        let json = serde_json::to_string(&interchange::to_json(&m)).unwrap();
        let back = load_json(Source::new("m.json", json));
        prop_assert!(!back.has_errors(), "{:#?}", back.diagnostics);
        prop_assert_eq!(back.matrix.clone(), m.clone());
        prop_assert_eq!(rows_json(&back.matrix), rows);
    }
}
