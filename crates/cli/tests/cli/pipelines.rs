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
    let from_yaml: Value = serde_saphyr::from_str(&yaml).unwrap();
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
        run.stderr.contains("no pipeline called `froum`"),
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
        "json",
        "--format",
        "json",
    ])
    .ok();
    let meta: Value = serde_json::from_str(&env.read("json/edx-matrix.json")).unwrap();
    assert_eq!(meta["jobs"][0]["name"], "set-pipelines");
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
    let meta: Value = serde_saphyr::from_str(&env.read("meta.yml")).unwrap();
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
    assert_eq!(json["problems"][0]["path"], "$.jobs[1].name");
    env.write("broken.json", "{ not json");
    let run = env.run(&["pipeline", "validate", "broken.json"]);
    run.code(1);
    assert!(run.stderr.contains("invalid JSON"), "{}", run.stderr);
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

/// The Python blocks of the walk-through of `docs/pipelines.md`, in order.
fn walk_through_templates() -> Vec<String> {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/pipelines.md"),
    )
    .unwrap();
    let start = doc
        .find("### Walk-through: from the standard pipelines to a preview-gated one")
        .expect("the walk-through is in docs/pipelines.md");
    let section = &doc[start..];
    let section = &section[..section[4..].find("\n## ").map_or(section.len(), |i| i + 4)];
    section
        .split("```python\n")
        .skip(1)
        .map(|block| block[..block.find("```").unwrap()].to_owned())
        .collect()
}

/// Every step of the docs' walk-through works, on a matrix with the section's settings: the
/// identity template lists the standard pipelines as `standard`; the preview-gated `forum`
/// checks clean, renders, validates, has a preview job before every stage but the first, gated
/// on its issue; and `diff` between the two steps reports exactly `forum` (and the meta
/// pipeline, which sets it) as changed, with the preview jobs added.
#[test]
fn the_docs_walk_through_renders_and_validates() {
    let blocks = walk_through_templates();
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    let matrix = fixture("valid/pipelines.toml").replacen(
        "[pipelines]\n",
        "[pipelines]\ntemplates = [\"pipelines/*.star\"]\n",
        1,
    );
    let env = Env::new();
    for (dir, block) in ["one", "two"].iter().zip(&blocks) {
        env.write(&format!("{dir}/edx-matrix.toml"), &matrix);
        env.write(&format!("{dir}/pipelines/forum.star"), block);
    }
    let standard: Value = serde_json::from_str(
        Env::with_matrix(&fixture("valid/pipelines.toml"))
            .run(&["pipeline", "list", "--format", "json"])
            .ok(),
    )
    .unwrap();
    let list = |dir: &str| -> Value {
        let file = format!("{dir}/edx-matrix.toml");
        env.run(&["--file", &file, "check"]).ok();
        serde_json::from_str(
            env.run(&["--file", &file, "pipeline", "list", "--format", "json"])
                .ok(),
        )
        .unwrap()
    };
    // Step one: the same pipelines, all standard.
    assert_eq!(list("one"), standard);
    // Step two: forum rebuilt from the template; the others unchanged.
    let two = list("two");
    let forum = two
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "forum")
        .unwrap();
    assert_eq!(forum["source"], "pipelines/forum.star");
    let others = |v: &Value| -> Vec<Value> {
        (v.as_array().unwrap().iter())
            .filter(|p| p["name"] != "forum" && p["kind"] != "meta")
            .cloned()
            .collect()
    };
    assert_eq!(others(&two), others(&standard));
    env.run(&[
        "--file",
        "two/edx-matrix.toml",
        "pipeline",
        "render",
        "forum",
        "--format",
        "json",
        "-o",
        "forum.json",
    ])
    .ok();
    env.run(&["pipeline", "validate", "forum.json"]).ok();
    let config: Value = serde_json::from_str(&env.read("forum.json")).unwrap();
    let jobs: Vec<&str> = (config["jobs"].as_array().unwrap().iter())
        .map(|j| j["name"].as_str().unwrap())
        .collect();
    // forum runs on master only, in online's three stages.
    assert_eq!(
        jobs,
        [
            "build-master-online",
            "deploy-master-online-ci",
            "preview-master-online-qa",
            "deploy-master-online-qa",
            "preview-master-online-production",
            "deploy-master-online-production"
        ]
    );
    let deploy_qa = &config["jobs"][3]["plan"][0]["in_parallel"];
    assert_eq!(deploy_qa[2]["get"], "ready-master-online-qa");
    assert_eq!(deploy_qa[2]["trigger"], true);
    assert_eq!(
        deploy_qa[2]["passed"],
        serde_json::json!(["preview-master-online-qa"])
    );
    // `diff` between the steps.
    let run = env.run(&[
        "diff",
        "one/edx-matrix.toml",
        "two/edx-matrix.toml",
        "--format",
        "json",
    ]);
    let diff: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(diff["pipelines"]["computed"], true, "{diff}");
    let changes = diff["pipelines"]["changes"].as_array().unwrap();
    let names: Vec<&str> = changes
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["forum", "edx-matrix"]);
    // The template names its jobs its own way: every job is new, the standard ones go.
    assert_eq!(changes[0]["jobs"]["added"], serde_json::json!(jobs));
    let old = env.run(&[
        "--file",
        "one/edx-matrix.toml",
        "pipeline",
        "render",
        "forum",
        "--format",
        "json",
    ]);
    let old: Value = serde_json::from_str(old.ok()).unwrap();
    let old_jobs: Vec<&str> = (old["jobs"].as_array().unwrap().iter())
        .map(|j| j["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        old_jobs,
        [
            "build-forum-master-online",
            "deploy-forum-master-online-ci",
            "deploy-forum-master-online-qa",
            "deploy-forum-master-online-production"
        ]
    );
    assert_eq!(changes[0]["jobs"]["removed"], serde_json::json!(old_jobs));
}

/// The job named `name` of a rendered pipeline.
fn job<'v>(pipeline: &'v Value, name: &str) -> &'v Value {
    pipeline["jobs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|j| j["name"] == name)
        .unwrap_or_else(|| panic!("no job {name}"))
}

/// The top-level step of `job` whose `key` (`task`, `put`) is `name`.
fn step<'v>(job: &'v Value, key: &str, name: &str) -> &'v Value {
    job["plan"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s[key] == name)
        .unwrap_or_else(|| panic!("no {key} {name} in {}", job["name"]))
}

#[test]
fn the_example_mfe_template_builds_each_stage_with_that_stages_vars() {
    // The example's `pro` runs verawood in CI, ulmo in QA and teak in Production, each stage with
    // vars of its own over the deployment's.
    let env = Env::with_example_matrix(edx_matrix_config::example::TEXT);
    env.run(&["check"]).ok();
    let list: Value =
        serde_json::from_str(env.run(&["pipeline", "list", "--format", "json"]).ok()).unwrap();
    let pro_mfe: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["name"].as_str().unwrap().starts_with("pro-"))
        .map(|p| (p["name"].as_str().unwrap(), p["team"].as_str().unwrap()))
        .collect();
    assert_eq!(
        pro_mfe,
        [
            ("pro-teak-mfe-pipeline", "pro"),
            ("pro-ulmo-mfe-pipeline", "pro"),
            ("pro-verawood-mfe-pipeline", "pro"),
        ],
        "{pro_mfe:?}"
    );
    let render = |env: &Env, name: &str| -> Value {
        serde_json::from_str(
            env.run(&["pipeline", "render", name, "--format", "json"])
                .ok(),
        )
        .unwrap()
    };
    let verawood = render(&env, "pro-verawood-mfe-pipeline");
    let ulmo = render(&env, "pro-ulmo-mfe-pipeline");
    let teak = render(&env, "pro-teak-mfe-pipeline");
    // (pipeline, stage, SITE_URL, bucket, ENABLE_BETA, CDN_DISTRIBUTION), as the example's
    // `[deployments.pro]` writes them; MAX_UPLOAD_MB and SITE_NAME come from the deployment.
    let expected = [
        (
            &verawood,
            "ci",
            "https://ci.pro.acme.example",
            "acme-pro-ci-mfe",
            "true",
            "E2STAGINGPRO",
        ),
        (
            &ulmo,
            "qa",
            "https://qa.pro.acme.example",
            "acme-pro-qa-mfe",
            "false",
            "E2STAGINGPRO",
        ),
        (
            &teak,
            "production",
            "https://pro.acme.example",
            "acme-pro-mfe",
            "false",
            "E2PRODPRO",
        ),
    ];
    for (pipeline, stage, site, bucket, beta, cdn) in expected {
        for app in [
            "learning",
            "authoring",
            "learner-dashboard",
            "communications",
        ] {
            let build = job(pipeline, &format!("build-{app}-{stage}"));
            let task = step(build, "task", "build");
            let params = &task["params"];
            assert_eq!(params["SITE_URL"], site, "{app} {stage}");
            assert_eq!(params["MFE_BUCKET"], bucket, "{app} {stage}");
            assert_eq!(params["ENABLE_BETA"], beta, "{app} {stage}");
            assert_eq!(params["MAX_UPLOAD_MB"], "100", "{app} {stage}");
            assert_eq!(params["SITE_NAME"], "Acme Pro", "{app} {stage}");
            assert_eq!(params["CDN_DISTRIBUTION"], cdn, "{app} {stage}");
            // No value reaches the command line.
            let run = serde_json::to_string(&task["config"]["run"]).unwrap();
            for value in [site, bucket, cdn] {
                assert!(!run.contains(value), "{app} {stage}: {run}");
            }
            let purge = step(build, "task", "purge-cdn");
            assert_eq!(purge["params"]["CDN_DISTRIBUTION"], cdn);
            // The upload goes to that stage's bucket.
            let put = step(build, "put", &format!("bucket-{app}-{stage}"));
            assert_eq!(put["params"]["file"], "dist/dist.tgz");
            let resource = pipeline["resources"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["name"] == put["put"])
                .unwrap();
            assert_eq!(resource["type"], "s3");
            assert_eq!(resource["source"]["bucket"], bucket, "{app} {stage}");
        }
    }
    // With QA promoted to verawood, one pipeline builds CI and QA, each with its own values, and
    // QA's job takes what passed CI's.
    let promoted = Env::with_example_matrix(&edx_matrix_test_support::acme::pin_pro(
        edx_matrix_config::example::TEXT,
        ["verawood", "verawood", "teak"],
    ));
    let verawood = render(&promoted, "pro-verawood-mfe-pipeline");
    let qa = job(&verawood, "build-learning-qa");
    assert_eq!(
        step(qa, "task", "build")["params"]["SITE_URL"],
        "https://qa.pro.acme.example"
    );
    let gets = qa["plan"][0]["in_parallel"].as_array().unwrap();
    assert_eq!(gets[0]["passed"], serde_json::json!(["build-learning-ci"]));
    promoted
        .run(&["pipeline", "render", "pro-ulmo-mfe-pipeline"])
        .code(2);
}

#[test]
fn a_stage_var_with_a_concourse_secret_is_refused_with_its_location() {
    let site = "SITE_URL = \"https://ci.pro.acme.example\"";
    assert!(edx_matrix_config::example::TEXT.contains(site));
    let text = edx_matrix_config::example::TEXT
        .replace(site, "SITE_URL = \"https://((ci-host)).pro.acme.example\"");
    let env = Env::with_example_matrix(&text);
    let run = env.run(&["check"]);
    run.code(1);
    // Located at the value: its line and column in the file.
    let (line, column) = text
        .lines()
        .enumerate()
        .find_map(|(i, l)| l.find("\"https://((ci-host))").map(|c| (i + 1, c + 1)))
        .unwrap();
    assert!(
        run.stderr
            .contains(&format!("[TMP]/edx-matrix.toml:{line}:{column}")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "error[invalid-vars]: var `SITE_URL` in the `vars` of stage `CI` of deployment `pro` holds Concourse `((…))` syntax"
        ),
        "{}",
        run.stderr
    );
    env.run(&["pipeline", "render", "pro-verawood-mfe-pipeline"])
        .code(1);
}
