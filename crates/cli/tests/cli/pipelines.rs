//! `edx-matrix pipeline list|render|meta|validate`, end to end.

use crate::harness::{Env, fixture};
use serde_json::Value;

fn acme_env() -> Env {
    Env::with_matrix(&fixture("valid/pipelines.toml"))
}

#[test]
fn list_shows_families_teams_and_releases() {
    let env = acme_env();
    let run = env.run(&["pipeline", "list"]);
    let out = run.ok();
    assert!(out.starts_with("PIPELINE"), "{out}");
    assert!(
        out.contains("edx-platform  acme  standard  edx-platform (edx-platform, edxapp_theme)"),
        "{out}"
    );
    assert!(out.contains("forum         acme  standard  forum"), "{out}");
    let json: Value =
        serde_json::from_str(env.run(&["pipeline", "list", "--format", "json"]).ok()).unwrap();
    let names: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "edx-platform",
            "mfe",
            "codejail",
            "forum",
            "notes-api",
            "xqueue",
            "xqwatcher",
            "edx-matrix"
        ]
    );
    assert_eq!(json[1]["team"], "acme");
    assert_eq!(json[1]["kind"], "component");
    assert_eq!(
        json[1]["releases"],
        serde_json::json!(["teak", "ulmo", "verawood", "master"])
    );
    assert_eq!(json[1]["source"], "standard");
    assert_eq!(json[1]["jobs"], 112);
    assert_eq!(json[7]["kind"], "meta");
    assert_eq!(json[7]["source"], "meta");
}

#[test]
fn the_example_lists_template_pipelines_with_teams_and_sources() {
    let env = Env::new();
    let json: Value = serde_json::from_str(
        env.run(&["--example", "pipeline", "list", "--format", "json"])
            .ok(),
    )
    .unwrap();
    let list = json.as_array().unwrap();
    let find = |name: &str| list.iter().find(|p| p["name"] == name).unwrap();
    assert_eq!(
        find("edx-platform")["source"],
        "pipelines/edx-platform.star"
    );
    assert_eq!(find("pro-teak-mfe-pipeline")["team"], "pro");
    assert_eq!(
        find("pro-teak-mfe-pipeline")["source"],
        "pipelines/mfe.star"
    );
    assert_eq!(find("forum")["source"], "standard");
    assert_eq!(list.last().unwrap()["name"], "edx-matrix");
}

#[test]
fn init_example_writes_matrix_and_templates_that_check_and_render() {
    let env = Env::new();
    env.run(&["init", "--example", "acme"]).ok();
    assert!(env.path("acme/pipelines/mfe.star").is_file());
    env.run(&["--file", "acme/edx-matrix.toml", "check"]).ok();
    env.run(&[
        "--file",
        "acme/edx-matrix.toml",
        "pipeline",
        "render",
        "--all",
        "-o",
        "out",
    ])
    .ok();
    assert!(env.path("out/campus-master-mfe-pipeline.yml").is_file());
    // A broken template is an error located in its file, and nothing is rendered.
    std::fs::write(
        env.path("acme/pipelines/broken.star"),
        "def pipelines(matrix, standard):\n    return 1 + \"x\"\n",
    )
    .unwrap();
    let run = env.run(&[
        "--file",
        "acme/edx-matrix.toml",
        "check",
        "--format",
        "json",
    ]);
    run.code(1);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let last = report["diagnostics"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["code"], "pipeline-template");
    assert!(
        last["file"]
            .as_str()
            .unwrap()
            .ends_with("acme/pipelines/broken.star"),
        "{last}"
    );
    assert_eq!(last["line"], 2);
    env.run(&["--file", "acme/edx-matrix.toml", "pipeline", "list"])
        .code(1);
    // Existing files are not replaced without --force.
    env.run(&["init", "--example", "acme"]).code(3);
}

#[test]
fn a_matrix_without_settings_uses_the_defaults() {
    // The acme matrix alone, without the `[pipelines]` section the built-in example adds.
    let matrix = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/acme/edx-matrix.toml"),
    )
    .unwrap();
    assert!(!matrix.contains("[pipelines]"));
    let env = Env::with_matrix(&matrix);
    let json: Value =
        serde_json::from_str(env.run(&["pipeline", "list", "--format", "json"]).ok()).unwrap();
    assert_eq!(json[0]["name"], "edx-platform");
    assert_eq!(json[0]["team"], "main");
    assert_eq!(
        json.as_array().unwrap().last().unwrap()["name"],
        "edx-matrix"
    );
}

#[test]
fn render_one_to_stdout_and_to_a_file() {
    let env = acme_env();
    let yaml = env.run(&["pipeline", "render", "forum"]).ok().to_owned();
    let json_text = env
        .run(&["pipeline", "render", "forum", "--format", "json"])
        .ok()
        .to_owned();
    let from_yaml = edx_matrix_pipeline::yaml::read(&yaml).unwrap().value;
    let from_json: Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(from_yaml, from_json);
    assert_eq!(from_json["jobs"][0]["name"], "build-forum-master-online");

    env.run(&["pipeline", "render", "forum", "-o", "forum.yml"])
        .ok();
    assert_eq!(env.read("forum.yml"), yaml);
    // An existing file is not replaced without --force, and stays as it was.
    env.write("forum.yml", "mine\n");
    let run = env.run(&["pipeline", "render", "forum", "-o", "forum.yml"]);
    run.code(3);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert_eq!(env.read("forum.yml"), "mine\n");
    env.run(&["pipeline", "render", "forum", "-o", "forum.yml", "--force"])
        .ok();
    assert_eq!(env.read("forum.yml"), yaml);
}

#[test]
fn render_unknown_name_is_a_usage_error_with_a_suggestion() {
    let run = acme_env().run(&["pipeline", "render", "froum"]);
    run.code(2);
    assert!(
        run.stderr.contains("unknown pipeline `froum`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("did you mean `forum`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn render_all_writes_every_pipeline_and_each_validates() {
    let env = Env::new();
    let run = env.run(&["--example", "pipeline", "render", "--all", "-o", "out"]);
    run.ok();
    assert!(
        run.stderr.contains("wrote 15 pipelines to `out`"),
        "{}",
        run.stderr
    );
    let mut files: Vec<String> = std::fs::read_dir(env.path("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert_eq!(files.len(), 15);
    assert!(files.contains(&"edx-matrix.yml".to_owned()));
    assert!(files.contains(&"pro-teak-mfe-pipeline.yml".to_owned()));
    for file in &files {
        let run = env.run(&["pipeline", "validate", &format!("out/{file}")]);
        run.ok();
        assert!(run.stderr.contains(": ok"), "{file}: {}", run.stderr);
    }
    // Again: the files exist, so nothing is written without --force.
    let again = env.run(&[
        "--example",
        "pipeline",
        "render",
        "--all",
        "-o",
        "out",
        "--format",
        "yaml",
    ]);
    again.code(3);
    env.run(&[
        "--example",
        "pipeline",
        "render",
        "--all",
        "-o",
        "out",
        "--force",
    ])
    .ok();
    // JSON files too.
    env.run(&[
        "--example",
        "pipeline",
        "render",
        "--all",
        "-o",
        "./json",
        "--format",
        "json",
    ])
    .ok();
    let meta: Value = serde_json::from_str(&env.read("json/edx-matrix.json")).unwrap();
    assert_eq!(meta["jobs"][0]["name"], "set-pipelines");
}

/// Without templates, `render --all` makes, checks and writes the standard pipelines one at a
/// time (issue 23): the files are byte for byte what `render NAME` and `meta` print, in YAML
/// and in JSON, into a directory whose parents did not exist.
#[test]
fn render_all_of_standard_pipelines_writes_what_render_prints() {
    let env = acme_env();
    let run = env.run(&["pipeline", "render", "--all", "-o", "a/b/out"]);
    run.ok();
    assert!(
        run.stderr.contains("wrote 8 pipelines to `a/b/out`"),
        "{}",
        run.stderr
    );
    env.run(&[
        "pipeline", "render", "--all", "-o", "js", "--format", "json",
    ])
    .ok();
    let list: Value =
        serde_json::from_str(env.run(&["pipeline", "list", "--format", "json"]).ok()).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 8);
    let mut files: Vec<String> = std::fs::read_dir(env.path("a/b/out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = names.iter().map(|n| format!("{n}.yml")).collect();
    expected.sort();
    assert_eq!(files, expected);
    for name in &names {
        // The meta pipeline is `meta`'s; every other one `render NAME`'s.
        let print = |format: &str| match *name {
            "edx-matrix" => env.run(&["pipeline", "meta", "--format", format]),
            _ => env.run(&["pipeline", "render", name, "--format", format]),
        };
        let yaml = print("yaml").ok().to_owned();
        assert_eq!(env.read(&format!("a/b/out/{name}.yml")), yaml, "{name}");
        let json = print("json").ok().to_owned();
        assert_eq!(env.read(&format!("js/{name}.json")), json, "{name}");
    }
    // Into the existing directory, one file of mine: refused at the end, nothing moved, no
    // staging left, my file as it was.
    std::fs::remove_dir_all(env.path("a/b/out")).unwrap();
    std::fs::create_dir(env.path("a/b/out")).unwrap();
    env.write("a/b/out/forum.yml", "mine\n");
    let run = env.run(&["pipeline", "render", "--all", "-o", "a/b/out"]);
    run.code(3);
    assert!(
        run.stderr.contains("forum.yml` already exists"),
        "{}",
        run.stderr
    );
    let left: Vec<String> = std::fs::read_dir(env.path("a/b/out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["forum.yml"]);
    assert_eq!(env.read("a/b/out/forum.yml"), "mine\n");
}

#[test]
fn render_all_needs_an_output_directory() {
    let run = Env::new().run(&["--example", "pipeline", "render", "--all"]);
    run.code(2);
}

#[test]
fn meta_sets_every_pipeline_and_itself() {
    let env = acme_env();
    env.run(&["pipeline", "meta", "-o", "meta.yml"]).ok();
    let meta = edx_matrix_pipeline::yaml::read(&env.read("meta.yml"))
        .unwrap()
        .value;
    let plan = meta["jobs"][0]["plan"].as_array().unwrap();
    // One set_pipeline per pipeline, side by side without fail_fast, then itself in `ensure`.
    let sets = &plan[2]["in_parallel"];
    assert_eq!(sets["fail_fast"], false);
    let mut set: Vec<&str> = sets["steps"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["set_pipeline"].as_str())
        .collect();
    set.extend(plan[2]["ensure"]["set_pipeline"].as_str());
    assert_eq!(
        set,
        [
            "edx-platform",
            "mfe",
            "codejail",
            "forum",
            "notes-api",
            "xqueue",
            "xqwatcher",
            "self"
        ]
    );
    assert_eq!(
        meta["resources"][0]["source"]["uri"],
        "https://github.com/acme-edu/release-matrix"
    );
    let args = &plan[1]["config"]["run"]["args"];
    assert_eq!(args[1], "matrix/edx-matrix.toml");
    assert_eq!(
        plan[1]["config"]["image_resource"]["source"]["tag"],
        "0.1.0"
    );
    // The meta pipeline runs exactly the command this binary understands: run it here.
    let argv: Vec<String> = args
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_owned())
        .collect();
    env.write("matrix/edx-matrix.toml", &fixture("valid/pipelines.toml"));
    let argv: Vec<&str> = argv.iter().map(String::as_str).collect();
    env.run(&argv).ok();
    let files = std::fs::read_dir(env.path("pipelines")).unwrap().count();
    assert_eq!(files, set.len());
    assert_eq!(env.read("pipelines/edx-matrix.yml"), env.read("meta.yml"));
}

/// Without a `tag` (the example sets none), the meta pipeline runs the image of the version that
/// rendered it — the tag `image/build.sh` gives the image it builds — so they cannot drift.
#[test]
fn meta_runs_the_image_of_the_rendering_version_unless_pinned() {
    let env = Env::new();
    let run = env.run(&["--version"]);
    let version = run.ok().trim().strip_prefix("edx-matrix ").unwrap();
    let run = env.run(&["--example", "pipeline", "meta", "--format", "json"]);
    let meta: Value = serde_json::from_str(run.ok()).unwrap();
    let image = &meta["jobs"][0]["plan"][1]["config"]["image_resource"]["source"];
    assert_eq!(image["repository"], "ghcr.io/acme-edu/edx-matrix");
    assert_eq!(image["tag"], version);

    let pinned = fixture("valid/pipelines.toml").replace("tag   = \"0.1.0\"", "tag = \"9.8.7\"");
    env.write("edx-matrix.toml", &pinned);
    let run = env.run(&["pipeline", "meta", "--format", "json"]);
    let meta: Value = serde_json::from_str(run.ok()).unwrap();
    let image = &meta["jobs"][0]["plan"][1]["config"]["image_resource"]["source"];
    assert_eq!(image["tag"], "9.8.7");
}

#[test]
fn validate_reports_problems_with_paths() {
    let env = Env::new();
    env.write(
        "bad.yml",
        "resources:\n- name: src\n  type: git\n  source: {}\njobs:\n- name: build\n  plan:\n  - get: sauce\n- name: Deploy\n  plan:\n  - get: src\n    passed: [bulid]\ngroups:\n- name: all\n  jobs: [build, deploy]\n",
    );
    let run = env.run(&["pipeline", "validate", "bad.yml"]);
    run.code(1);
    insta::assert_snapshot!(run.snapshot());
    let json: Value = serde_json::from_str(
        &env.run(&["pipeline", "validate", "bad.yml", "--format", "json"])
            .stdout,
    )
    .unwrap();
    assert_eq!(json["valid"], false);
    // In the order of the file, each with its line and column.
    assert_eq!(json["problems"][0]["path"], "$.jobs[0].plan[0].get");
    assert_eq!(json["problems"][0]["line"], 8);
    assert_eq!(json["problems"][0]["column"], 5);
    env.write("broken.json", "{ not json");
    let run = env.run(&["pipeline", "validate", "broken.json"]);
    run.code(1);
    assert!(run.stderr.contains("invalid YAML"), "{}", run.stderr);
    env.run(&["pipeline", "validate", "missing.yml"]).code(3);
}

const BAD_SETTINGS: &str = r#"
[pipelines]
team = "acme"
[pipelines.stages.QA]
gate = { approval = "sign-off" }
"#;

#[test]
fn check_and_render_report_pipeline_settings_problems() {
    let env = Env::with_matrix(&format!("{}{BAD_SETTINGS}", fixture("valid/minimal.toml")));
    let run = env.run(&["check"]);
    run.code(1);
    assert!(
        run.stderr.contains("error[pipeline-undefined]"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("names stage `QA`, which is not defined"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("names resource `sign-off`, which is not in `pipelines.resources`"),
        "{}",
        run.stderr
    );
    let json: Value =
        serde_json::from_str(&env.run(&["check", "--format", "json"]).stdout).unwrap();
    assert_eq!(json["summary"]["errors"], 2);
    let stage = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d["code"] == "pipeline-undefined" && d["message"].as_str().unwrap().contains("stage")
        })
        .unwrap();
    // minimal.toml has 17 lines, then a blank line, `[pipelines]`, `team`: the stage is line 21.
    assert_eq!(
        (stage["line"].as_u64(), stage["column"].as_u64()),
        (Some(21), Some(19))
    );
    let run = env.run(&["pipeline", "render", "forum", "-o", "out.yml"]);
    run.code(1);
    assert!(!env.path("out.yml").exists());
}
