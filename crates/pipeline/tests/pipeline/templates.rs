//! Pipeline templates: the example's pipelines, template errors located, patching, teams,
//! lints, confined loads, and the meta pipeline setting teams.

#![allow(clippy::unwrap_used)]

use edx_matrix_formats::{Source, example, load_toml};
use edx_matrix_model::Code;
use edx_matrix_pipeline::TemplatePattern;
use edx_matrix_pipeline::{Outcome, TemplateFiles, render_all, settings_of};
use serde_json::Value;

const MATRIX: &str = r#"
stages = ["CI", "QA"]
[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
learning = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }
[deployments]
campus = { CI = "ulmo", QA = { release = "ulmo", vars = { SITE_URL = "https://qa.campus.example", DEBUG = true } }, vars = { SITE_URL = "https://campus.example", WORKERS = 4 } }
online = { CI = "ulmo", QA = "ulmo" }
[[map]]
releases = ["ulmo"]
deployments = ["campus", "online"]
[map.apps]
forum = {}
learning = {}
[pipelines]
team = "acme"
templates = ["pipelines/*.star"]
"#;

fn render(files: &[(&str, &str)]) -> Outcome {
    let loaded = load_toml(Source::new("edx-matrix.toml", MATRIX));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let mut templates = TemplateFiles::default();
    for (path, text) in files {
        templates
            .files
            .insert((*path).to_owned(), (*text).to_owned());
        if text.contains("def pipelines") {
            templates.entries.push((*path).to_owned());
        }
    }
    render_all(&loaded.matrix, &settings, &templates)
}

fn schema_errors(config: &Value) -> Vec<String> {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/concourse_jsonschema.patched.json"
    ))
    .unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    validator
        .iter_errors(config)
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn every_example_pipeline_renders_validates_and_is_snapshotted() {
    let loaded = load_toml(Source::new(example::NAME, example::TEXT));
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    assert_eq!(
        settings
            .templates
            .iter()
            .map(|t| t.pattern.as_str())
            .collect::<Vec<_>>(),
        ["pipelines/*.star"]
    );
    let mut files = TemplateFiles::default();
    for (path, text) in example::TEMPLATES {
        files.files.insert((*path).to_owned(), (*text).to_owned());
        files.entries.push((*path).to_owned());
    }
    let outcome = render_all(&loaded.matrix, &settings, &files);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let names: Vec<&str> = outcome
        .pipelines
        .iter()
        .map(|p| p.info.name.as_str())
        .collect();
    assert!(names.contains(&"edx-platform"));
    assert!(names.contains(&"pro-teak-mfe-pipeline"));
    assert!(names.contains(&"forum"));
    assert_eq!(names.last(), Some(&"edx-matrix"));
    for p in &outcome.pipelines {
        assert_eq!(
            schema_errors(&p.config),
            Vec::<String>::new(),
            "{}",
            p.info.name
        );
        assert!(
            edx_matrix_pipeline::validate(&p.config).is_empty(),
            "{}",
            p.info.name
        );
        // The YAML written is the configuration checked: numbers stay numbers (serde_json's
        // private number map once leaked into `max_in_flight` and `depth`), and the file passes
        // `pipeline validate`.
        let yaml = p.to_yaml().unwrap();
        assert_eq!(
            edx_matrix_pipeline::yaml::read(&yaml).unwrap().value,
            p.config,
            "{}",
            p.info.name
        );
        assert_eq!(
            edx_matrix_pipeline::check_file(&yaml),
            Vec::new(),
            "{}",
            p.info.name
        );
        insta::assert_json_snapshot!(format!("example-{}", p.info.name), p.config);
    }
    // MFE pipelines go to the deployment's team; the others to `[pipelines] team`.
    let mfe = outcome
        .pipelines
        .iter()
        .find(|p| p.info.name == "pro-teak-mfe-pipeline")
        .unwrap();
    assert_eq!(mfe.info.team, "pro");
    assert_eq!(mfe.info.source, "pipelines/mfe.star");
    // pro's Production stage names its bucket in its vars.
    let text = mfe.config.to_string();
    assert!(text.contains(r#""bucket":"acme-pro-mfe""#), "{text}");
    // Without an `MFE_BUCKET` var, a stage's bucket is named after its deployment and stage.
    let online = outcome
        .pipelines
        .iter()
        .find(|p| p.info.name == "online-master-mfe-pipeline")
        .unwrap();
    let text = online.config.to_string();
    assert!(
        text.contains(r#""bucket":"acme-online-production-mfe""#),
        "{text}"
    );
    // The standard pipelines a template returns unchanged stay `standard`.
    let forum = outcome
        .pipelines
        .iter()
        .find(|p| p.info.name == "forum")
        .unwrap();
    assert_eq!(forum.info.source, "standard");
}

fn only_error(outcome: &Outcome) -> (String, usize, usize, String) {
    assert_eq!(outcome.diagnostics.len(), 1, "{:?}", outcome.diagnostics);
    let d = &outcome.diagnostics[0];
    assert_eq!(d.code, Code::PipelineTemplate);
    assert!(outcome.pipelines.is_empty());
    (d.file.clone(), d.line, d.column, d.message.clone())
}

#[test]
fn template_errors_are_located() {
    // Syntax.
    let (file, line, column, message) = only_error(&render(&[(
        "pipelines/a.star",
        "def pipelines(matrix, standard):\n    return [\n",
    )]));
    assert_eq!((file.as_str(), line), ("pipelines/a.star", 3), "{message}");
    assert!(message.starts_with("syntax error"), "{message}");
    let _ = column;
    // Runtime.
    let (file, line, column, message) = only_error(&render(&[(
        "pipelines/a.star",
        "def pipelines(matrix, standard):\n    x = {}\n    return x[\"missing\"]\n",
    )]));
    assert_eq!(
        (file.as_str(), line, column),
        ("pipelines/a.star", 3, 12),
        "{message}"
    );
    assert!(message.starts_with("runtime error"), "{message}");
    // Not a pipeline.
    let (_, line, _, message) = only_error(&render(&[(
        "pipelines/a.star",
        "# comment\ndef pipelines(matrix, standard):\n    return [{\"name\": \"x\"}]\n",
    )]));
    assert_eq!(line, 2);
    assert!(message.contains("has no `config`"), "{message}");
    // An invalid Concourse pipeline.
    let (_, _, _, message) = only_error(&render(&[(
        "pipelines/a.star",
        "def pipelines(matrix, standard):\n    return [{\"name\": \"x\", \"config\": {\"jobs\": [{\"name\": \"j\"}]}}]\n",
    )]));
    assert!(
        message.contains("not a valid Concourse pipeline"),
        "{message}"
    );
    // Two pipelines with one name, across templates.
    let one = "def pipelines(matrix, standard):\n    return [{\"name\": \"same\", \"config\": {\"jobs\": []}}]\n";
    let (file, _, _, message) = only_error(&render(&[
        ("pipelines/a.star", one),
        ("pipelines/b.star", one),
    ]));
    assert_eq!(file, "pipelines/b.star");
    assert!(
        message.contains("two pipelines are called `same`"),
        "{message}"
    );
    // A load outside the template's directory.
    let (file, line, _, message) = only_error(&render(&[
        (
            "pipelines/a.star",
            "load(\"../secrets.star\", \"x\")\ndef pipelines(matrix, standard):\n    return []\n",
        ),
        ("secrets.star", "x = 1\n"),
    ]));
    assert_eq!((file.as_str(), line), ("pipelines/a.star", 1));
    assert!(
        message.contains("outside the template's directory"),
        "{message}"
    );
    assert!(message.starts_with("load error"), "{message}");
    // A file that is there but not a `.star` file in the directory is not readable either.
    let (_, _, _, message) = only_error(&render(&[(
        "pipelines/a.star",
        "load(\"/etc/passwd\", \"x\")\ndef pipelines(matrix, standard):\n    return []\n",
    )]));
    assert!(message.contains("load refused"), "{message}");
}

#[test]
fn loads_inside_the_directory_and_the_library_work() {
    let outcome = render(&[
        (
            "pipelines/a.star",
            "load(\"helpers.star\", \"team_of\")\nload(\"@edx-matrix//lib.star\", \"pipeline\")\ndef pipelines(matrix, standard):\n    return [pipeline(\"x\", {\"jobs\": []}, team_of())]\n",
        ),
        (
            "pipelines/helpers.star",
            "def team_of():\n    return \"blue\"\n",
        ),
    ]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    assert_eq!(outcome.pipelines[0].info.team, "blue");
}

#[test]
fn a_template_patches_a_standard_pipeline() {
    let template = r#"
load("@edx-matrix//lib.star", "patch_jobs", "pipeline")
def limit(job):
    if job["name"].startswith("build-"):
        job["max_in_flight"] = 1
        job["build_log_retention"] = {"builds": 20}
    return job
def pipelines(matrix, standard):
    forum = [p for p in standard if p["name"] == "forum"][0]
    return [pipeline("forum", patch_jobs(forum["config"], limit), forum["team"])]
"#;
    let outcome = render(&[("pipelines/forum.star", template)]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let forum = &outcome.pipelines[0];
    assert_eq!(forum.info.source, "pipelines/forum.star");
    let jobs = forum.config["jobs"].as_array().unwrap();
    let build = jobs
        .iter()
        .find(|j| j["name"] == "build-forum-ulmo-campus")
        .unwrap();
    assert_eq!(build["max_in_flight"], 1);
    let deploy = jobs
        .iter()
        .find(|j| j["name"] == "deploy-forum-ulmo-campus-ci")
        .unwrap();
    assert!(deploy.get("max_in_flight").is_none());
    assert!(schema_errors(&forum.config).is_empty());
}

#[test]
fn one_pipeline_per_deployment_and_release_in_teams_with_stage_vars() {
    let template = r#"
load("@edx-matrix//lib.star", "chains", "identifier", "job", "pipeline", "stage_vars", "task")
def pipelines(matrix, standard):
    out = []
    for c in chains(matrix, ["learning"]):
        jobs = []
        for stage in c["stages"]:
            params = {k: str(v) for k, v in stage_vars(matrix, c["deployment"], stage).items()}
            jobs.append(job("build-" + identifier(stage), [task("build", "node", ["npm", "run", "build"], tag = c["runtime_version"], params = params)]))
        out.append(pipeline(identifier(c["deployment"], c["release"], "mfe"), {"jobs": jobs}, team = c["deployment"]))
    return out
"#;
    let outcome = render(&[("pipelines/mfe.star", template)]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let summary: Vec<(&str, &str)> = outcome
        .pipelines
        .iter()
        .map(|p| (p.info.name.as_str(), p.info.team.as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            ("campus-ulmo-mfe", "campus"),
            ("online-ulmo-mfe", "online"),
            ("edx-matrix", "acme")
        ]
    );
    let campus = &outcome.pipelines[0].config;
    assert_eq!(
        campus["jobs"][0]["plan"][0]["params"]["SITE_URL"],
        "https://campus.example"
    );
    assert_eq!(
        campus["jobs"][1]["plan"][0]["params"]["SITE_URL"],
        "https://qa.campus.example"
    );
    assert_eq!(campus["jobs"][1]["plan"][0]["params"]["WORKERS"], "4");
    assert_eq!(campus["jobs"][1]["plan"][0]["params"]["DEBUG"], "True");
    // The meta pipeline sets each into its team, side by side, itself last.
    let meta = &outcome.pipelines[2].config;
    let step = &meta["jobs"][0]["plan"][2];
    assert_eq!(step["in_parallel"]["fail_fast"], false);
    let sets = step["in_parallel"]["steps"].as_array().unwrap();
    assert_eq!(sets.len(), 2);
    assert_eq!(sets[0]["set_pipeline"], "campus-ulmo-mfe");
    assert_eq!(sets[0]["team"], "campus");
    assert_eq!(sets[1]["team"], "online");
    assert_eq!(step["ensure"]["set_pipeline"], "self");
    assert!(step["ensure"].get("team").is_none());
    assert_eq!(meta["jobs"][0]["plan"].as_array().unwrap().len(), 3);
    assert!(schema_errors(meta).is_empty());
}

#[test]
fn a_matrix_value_on_a_command_line_is_a_warning_naming_pipeline_job_and_step() {
    let template = r#"
load("@edx-matrix//lib.star", "job", "pipeline", "rows", "task")
def pipelines(matrix, standard):
    row = rows(matrix, application = "forum")[0]
    return [pipeline("bad", {"jobs": [job("clone", [task("fetch", "alpine/git", ["git", "clone", row["git_origin"]])])]})]
"#;
    let outcome = render(&[("pipelines/bad.star", template)]);
    assert_eq!(outcome.diagnostics.len(), 1, "{:?}", outcome.diagnostics);
    let d = &outcome.diagnostics[0];
    assert_eq!(d.code, Code::PipelineCommandLine);
    assert!(!d.is_error());
    assert_eq!((d.file.as_str(), d.line), ("pipelines/bad.star", 3));
    assert!(
        d.message
            .contains("pipeline `bad`, job `clone`, task `fetch`")
            && d.message
                .contains("https://github.com/openedx/cs_comments_service"),
        "{}",
        d.message
    );
    // A warning does not stop rendering.
    assert_eq!(outcome.pipelines.len(), 2);
}

#[test]
fn concourse_vars_in_matrix_vars_are_errors() {
    let text = MATRIX.replace("\"https://campus.example\"", "\"((site-url))\"");
    let loaded = load_toml(Source::new("edx-matrix.toml", text.as_str()));
    let d: Vec<_> = loaded
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::InvalidVars)
        .collect();
    assert_eq!(d.len(), 1, "{:?}", loaded.diagnostics);
    assert!(d[0].is_error());
    assert!(d[0].message.contains("var `SITE_URL`"), "{}", d[0].message);
    let bad = MATRIX.replace("WORKERS = 4", "WORKERS = [4]");
    let loaded = load_toml(Source::new("edx-matrix.toml", bad.as_str()));
    assert!(loaded.has_errors());
}

#[test]
fn template_patterns_are_checked() {
    let text = MATRIX.replace("pipelines/*.star", "../elsewhere/*.star");
    let loaded = load_toml(Source::new("edx-matrix.toml", text.as_str()));
    let (settings, diagnostics) = settings_of(&loaded);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].code, Code::PipelineTemplate);
    assert_eq!(settings.templates, Vec::<TemplatePattern>::new());
}
