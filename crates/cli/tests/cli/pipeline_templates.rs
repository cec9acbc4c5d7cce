//! Template-made pipelines, end to end: the walk-through of `docs/pipelines.md` step by step, and
//! the example's MFE template with per-stage vars.

use crate::harness::{Env, fixture};
use serde_json::Value;

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
    let env = Env::with_example_matrix(edx_matrix_formats::example::TEXT);
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
    let promoted = Env::with_example_matrix(&edx_matrix_test_support::pin_pro(
        edx_matrix_formats::example::TEXT,
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
    assert!(edx_matrix_formats::example::TEXT.contains(site));
    let text = edx_matrix_formats::example::TEXT
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
