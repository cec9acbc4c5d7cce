//! What a project holds and how it is read: one parse, one diagnostics list equal to what
//! `check` has always reported (the matrix loader's, then the `[pipelines]` reader's).

use edx_matrix_formats::{Source, load_toml, parse_count};
use edx_matrix_project::{Format, Project, format_of};
use edx_matrix_test_support::workspace_root;
use std::path::Path;

fn fixture(relative: &str) -> String {
    std::fs::read_to_string(workspace_root().join("tests/fixtures").join(relative)).unwrap()
}

fn broken_pipelines() -> String {
    fixture("valid/pipelines.toml").replace(r#"check_every = "5m""#, r#"check_every = "5 minutes""#)
}

#[test]
fn the_format_is_decided_by_the_path() {
    assert_eq!(format_of(Path::new("model.json")), Format::ModelJson);
    assert_eq!(format_of(Path::new("a/b/edx-matrix.toml")), Format::Toml);
    assert_eq!(format_of(Path::new("matrix")), Format::Toml);
    assert_eq!(format_of(Path::new("json")), Format::Toml);
}

#[test]
fn pipeline_problems_are_project_diagnostics() {
    let project = Project::from_text("edx-matrix.toml", Format::Toml, broken_pipelines());
    assert!(project.has_errors());
    assert_eq!(project.summary().errors, 1);
    assert_eq!(project.matrix_errors(), 0);
    let pipeline: Vec<_> = project
        .pipeline_diagnostics()
        .iter()
        .map(|d| d.code)
        .collect();
    assert_eq!(pipeline, [edx_matrix_model::Code::PipelineInvalid]);
    // The matrix itself is whole: a broken `[pipelines]` does not hide it.
    assert_eq!(project.matrix().deployments.len(), 4);
}

#[test]
fn the_diagnostics_are_the_loader_s_then_the_pipeline_reader_s() {
    // What `check` printed before the project existed, computed the old way: two parses.
    for text in [
        broken_pipelines(),
        fixture("valid/runbooks.toml"),
        "stages = [".to_owned(),
    ] {
        let loaded = load_toml(Source::new("t.toml", text.as_str()));
        let (_, pipelines) = edx_matrix_pipeline::read::read(&text, &loaded.matrix);
        let mut expected = loaded.diagnostics.clone();
        expected.extend(pipelines);
        let project = Project::from_text("t.toml", Format::Toml, text.as_str());
        assert_eq!(project.diagnostics(), expected.as_slice());
    }
}

#[test]
fn runbooks_operations_and_pipelines_are_read_from_one_parse() {
    let text = fixture("valid/runbooks.toml");
    let before = parse_count();
    let project = Project::from_text("edx-matrix.toml", Format::Toml, text.as_str());
    assert_eq!(parse_count() - before, 1);
    assert!(!project.has_errors(), "{:?}", project.diagnostics());
    assert_eq!(
        project.operations.grafana_url.as_deref(),
        // The reader drops the trailing slash of the file's `grafana_url`.
        Some("https://grafana.example.org/grafana")
    );
    assert!(
        !project
            .runbooks
            .steps_for("redwood", Some("QA"), true)
            .steps
            .is_empty()
    );

    let before = parse_count();
    let project = Project::from_text(
        "edx-matrix.toml",
        Format::Toml,
        fixture("valid/pipelines.toml"),
    );
    assert_eq!(parse_count() - before, 1);
    assert!(!project.has_errors(), "{:?}", project.diagnostics());
    assert_eq!(project.pipelines.team, "acme");
}

#[test]
fn interchange_json_has_the_default_settings() {
    let text = fixture("acme/model.json");
    let project = Project::from_path_text(Path::new("model.json"), "model.json", text);
    assert!(!project.has_errors(), "{:?}", project.diagnostics());
    assert_eq!(project.loaded.format, Format::ModelJson);
    assert!(!project.pipelines.declared);
    assert!(project.pipeline_diagnostics().is_empty());
}

#[test]
fn a_file_that_cannot_be_read_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("edx-matrix.toml");
    let err = Project::load(&missing).unwrap_err();
    let message = err.message();
    assert!(
        message.starts_with(&format!("cannot read `{}`: ", missing.display())),
        "{message}"
    );
    std::fs::write(&missing, fixture("valid/minimal.toml")).unwrap();
    let project = Project::load(&missing).unwrap();
    assert!(!project.has_errors(), "{:?}", project.diagnostics());
    assert_eq!(project.source().name, missing.display().to_string());
}
