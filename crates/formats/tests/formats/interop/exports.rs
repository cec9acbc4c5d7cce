//! The GitHub Actions export of real matrices (Tutor: `tutor_export.rs`).
#![allow(clippy::unwrap_used)]

use edx_matrix_formats::github_actions;
use edx_matrix_formats::{Loaded, Source, example, load_toml};
use edx_matrix_model::Filter;
use serde_json::Value;

fn acme() -> Loaded {
    let loaded = load_toml(Source::new(example::NAME, example::TEXT));
    assert!(!loaded.has_errors());
    loaded
}

#[test]
fn github_actions_include_has_one_job_per_row() {
    let loaded = acme();
    let all = github_actions::include(&loaded.matrix, &Filter::default());
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/fixtures/acme/expected-resolved.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let expected = expected.as_array().unwrap();
    let jobs = serde_json::to_value(&all).unwrap();
    let jobs = jobs["include"].as_array().unwrap();
    assert_eq!(jobs.len(), expected.len());
    for (job, row) in jobs.iter().zip(expected) {
        for (key, value) in row.as_object().unwrap() {
            assert_eq!(&job[key], value, "{key}");
        }
        let environment = format!(
            "{}-{}",
            row["deployment"].as_str().unwrap(),
            row["stage"].as_str().unwrap().to_lowercase()
        );
        assert_eq!(job["environment"], Value::String(environment));
        assert_eq!(job.get("path").is_some(), row["type"] == "MFE");
    }
    let mfes = github_actions::include(
        &loaded.matrix,
        &Filter {
            deployment: Some("pro".into()),
            kind: Some(edx_matrix_model::AppKind::Mfe),
            ..Filter::default()
        },
    );
    assert_eq!(mfes.include.len(), 12);
}
