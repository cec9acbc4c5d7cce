//! The acme example, hand-written in TOML, must resolve to the independently written
//! `expected-resolved.json`, and its interchange JSON must round-trip.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::{Source, example, interchange, load_json, load_toml, toml_write};
use edx_matrix_model::{Filter, resolve};
use edx_matrix_test_support::project_rows;
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/acme");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}")).unwrap()
}

#[test]
fn hand_written_toml_resolves_to_expected_rows() {
    let loaded = load_toml(Source::new(example::NAME, example::TEXT));
    let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let rows = serde_json::to_value(resolve(&loaded.matrix, &Filter::default()).rows).unwrap();
    let expected: Value = serde_json::from_str(&fixture("expected-resolved.json")).unwrap();
    assert_eq!(project_rows(&rows), project_rows(&expected));
}

#[test]
fn hand_written_toml_is_the_model_json() {
    let toml = load_toml(Source::new(example::NAME, example::TEXT));
    let json = load_json(Source::new("model.json", fixture("model.json")));
    assert!(!json.has_errors(), "{:#?}", json.diagnostics);
    assert_eq!(toml.matrix.canonical(), json.matrix.canonical());
}

#[test]
fn model_json_round_trips_through_toml() {
    let original: Value = serde_json::from_str(&fixture("model.json")).unwrap();
    let json = load_json(Source::new("model.json", fixture("model.json")));
    let text = toml_write::write_faithful(&json.matrix, &["imported"]);
    // The import uses the format's sugar: fewer blocks than entries, `{release}` templates.
    assert!(
        text.matches("[[map]]").count() < json.matrix.release_map.len(),
        "{text}"
    );
    assert!(text.contains("branch = \"acme/{release}\""), "{text}");
    let back = load_toml(Source::new("imported.toml", text.clone()));
    assert!(!back.has_errors(), "{text}\n{:#?}", back.diagnostics);
    assert_eq!(
        back.matrix.clone().canonical(),
        json.matrix.clone().canonical()
    );
    // The exported JSON is the original, entry for entry (release map compared as a map).
    let exported = interchange::to_json(&back.matrix);
    for key in ["releases", "applications", "deployments"] {
        assert_eq!(exported[key], original[key], "{key}");
    }
    let sort = |v: &Value| {
        let mut entries = v.as_array().unwrap().clone();
        entries.sort_by_key(|e| (e["release"].to_string(), e["deployment"].to_string()));
        entries
    };
    assert_eq!(
        sort(&exported["release_map"]),
        sort(&original["release_map"])
    );
}

#[test]
fn example_has_only_the_expected_warnings() {
    let loaded = load_toml(Source::new(example::NAME, example::TEXT));
    let codes: Vec<_> = loaded
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.message.clone()))
        .collect();
    insta::assert_debug_snapshot!(codes);
}
