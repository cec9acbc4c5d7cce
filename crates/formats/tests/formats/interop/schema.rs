//! The JSON Schema accepts the matrices the loader accepts and rejects unknown keys.
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::{keys_without_shape, schema};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn as_json(toml_text: &str) -> Value {
    let table: toml::Table = toml::from_str(toml_text).unwrap();
    serde_json::to_value(table).unwrap()
}

fn errors(instance: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// The valid fixtures, one test each, are in `tests/fixtures.rs`.
#[test]
fn accepts_the_example() {
    let text = std::fs::read_to_string(root().join("examples/acme/edx-matrix.toml")).unwrap();
    assert_eq!(errors(&as_json(&text)), Vec::<String>::new());
}

#[test]
fn rejects_unknown_keys_and_wrong_shapes() {
    let example = std::fs::read_to_string(root().join("examples/acme/edx-matrix.toml")).unwrap();
    let cases = [
        ("stages = [", "colour = \"blue\"\nstages = ["),
        (
            "[releases]\n",
            "[releases]\nolive = { branch = \"x\", python = \"3.8\", node = \"16\", nodejs = \"16\" }\n",
        ),
        ("learning = {}", "learning = { brnach = \"main\" }"),
        // A stage's vars: a value that is a list, a name that is not an identifier, an
        // unknown key beside `release`.
        ("MAX_UPLOAD_MB    = 100", "MAX_UPLOAD_MB    = [100]"),
        ("MAX_UPLOAD_MB    = 100", "\"MAX-UPLOAD\"    = 100"),
        (
            "{ release = \"ulmo\",     vars",
            "{ release = \"ulmo\", relase = \"x\", vars",
        ),
        (
            "kind = \"ida\", repository = \"https://github.com/openedx/edx-platform\"",
            "kind = \"daemon\", repository = \"https://github.com/openedx/edx-platform\"",
        ),
    ];
    for (from, to) in cases {
        assert!(example.contains(from), "{from}");
        let broken = example.replacen(from, to, 1);
        let found = errors(&as_json(&broken));
        assert!(!found.is_empty(), "accepted: {to}");
    }
    // The loader rejects the same unknown key.
    let loaded = edx_matrix_formats::load_toml(edx_matrix_formats::Source::new(
        "x.toml",
        example.replacen("stages = [", "colour = \"blue\"\nstages = [", 1),
    ));
    assert!(
        loaded
            .diagnostics
            .iter()
            .any(|d| d.code == edx_matrix_model::Code::UnknownKey)
    );
}

#[test]
fn every_key_of_the_loader_has_a_shape() {
    assert_eq!(keys_without_shape(), Vec::<String>::new());
    let schema = schema();
    let top: Vec<&str> = schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(top, edx_matrix_formats::toml_load::TOP_LEVEL_KEYS);
}
