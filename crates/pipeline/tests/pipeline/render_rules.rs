//! What `render_all` says about template-made pipelines beyond their configuration: their
//! summary (`list`), where their problems are located, and the JSON they are written as
//! (mutation testing of `render.rs`).

use crate::template_bounds::render_with;
use edx_matrix_model::Code;
use edx_matrix_pipeline::Outcome;
use serde_json::json;

fn render(template: &str) -> Outcome {
    render_with("", &[("pipelines/a.star", template)])
}

/// A job of one task, valid for the schema and the validator.
const JOB: &str = r#"{"name": "NAME", "plan": [{"task": "t", "file": "ci/t.yml"}]}"#;

#[test]
fn a_template_pipeline_is_listed_with_its_jobs_and_its_groups_as_releases() {
    let jobs = [JOB.replace("NAME", "one"), JOB.replace("NAME", "two")].join(", ");
    let template = format!(
        "def pipelines(matrix, standard):\n    return [\n        \
         {{\"name\": \"grouped\", \"config\": {{\"jobs\": [{jobs}], \"groups\": [\
         {{\"name\": \"ulmo\", \"jobs\": [\"one\"]}}, {{\"name\": \"teak\", \"jobs\": [\"two\"]}}]}}}},\n        \
         {{\"name\": \"bare\", \"config\": {{\"jobs\": []}}}},\n    ]\n"
    );
    let outcome = render(&template);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let summary: Vec<(&str, &str, usize, Vec<&str>, &str)> = outcome
        .pipelines
        .iter()
        .map(|p| {
            (
                p.info.name.as_str(),
                p.info.kind,
                p.info.jobs,
                p.info.releases.iter().map(String::as_str).collect(),
                p.info.source.as_str(),
            )
        })
        .collect();
    assert_eq!(
        summary[..2],
        [
            (
                "grouped",
                "template",
                2,
                vec!["ulmo", "teak"],
                "pipelines/a.star"
            ),
            ("bare", "template", 0, vec![], "pipelines/a.star"),
        ]
    );
    // Then the meta pipeline, setting both.
    assert_eq!(summary.len(), 3);
    assert_eq!(summary[2].1, "meta");
}

#[test]
fn a_returned_pipelines_problem_is_located_at_the_def_of_pipelines() {
    // The template runs fine; what it returned is wrong: the place to look is `def pipelines`
    // (line 4 here, column 1), not line 1.
    let head = "# Pipelines of the acme estate.\n\n# One per family.\n";
    let cases = [
        (
            "{\"name\": \"edx-matrix\", \"config\": {\"jobs\": []}}",
            "pipeline `edx-matrix` has the meta pipeline's name",
        ),
        (
            "{\"name\": \"x\", \"config\": {\"jobs\": [{\"name\": \"j\"}]}}",
            "pipeline `x` is not a valid Concourse pipeline: ",
        ),
    ];
    for (pipeline, message) in cases {
        let outcome = render(&format!(
            "{head}def pipelines(matrix, standard):\n    return [{pipeline}]\n"
        ));
        assert!(outcome.pipelines.is_empty());
        let found: Vec<(&str, usize, usize, Code, bool)> = outcome
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.file.as_str(),
                    d.line,
                    d.column,
                    d.code,
                    d.message.starts_with(message),
                )
            })
            .collect();
        assert_eq!(
            found,
            [("pipelines/a.star", 4, 1, Code::PipelineTemplate, true)],
            "{:?}",
            outcome.diagnostics
        );
    }
}

#[test]
fn a_rendered_pipeline_is_written_as_pretty_json_that_reads_back() {
    let outcome = render(
        "def pipelines(matrix, standard):\n    return [{\"name\": p[\"name\"], \"team\": p[\"team\"], \"config\": p[\"config\"]} for p in standard]\n",
    );
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    for p in &outcome.pipelines {
        let text = p.to_json();
        // One value per file, ending in a newline; indented, one key a line.
        assert!(text.ends_with("}\n"), "{text}");
        assert!(text.starts_with("{\n  \""), "{text}");
        // `fly` reads the file as YAML: the same configuration.
        assert_eq!(
            edx_matrix_pipeline::yaml::read(&text).unwrap().value,
            p.config,
            "{}",
            p.info.name
        );
    }
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&outcome.pipelines[0].to_json()).unwrap()["jobs"]
            [0]["name"],
        json!("build-forum-ulmo-campus")
    );
}
