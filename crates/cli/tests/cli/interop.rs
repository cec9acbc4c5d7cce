//! `import python`, `export model-json|tutor|github-actions|env`, `schema` (`completions`
//! and `man` have completion.rs and man_pages.rs).

use crate::harness::{Env, fixture, fixtures};
use edx_matrix_test_support::project_rows;
use serde_json::Value;
use std::process::Command;

#[test]
fn import_python_both_layouts_resolve_to_the_expected_rows() {
    for layout in ["current", "legacy"] {
        let env = Env::new();
        let dir = fixtures().join(format!("acme/python-layout/{layout}"));
        let run = env.run(&["import", "python", dir.to_str().unwrap()]);
        run.code(0);
        assert!(
            run.stderr.contains("Python lines became 106 TOML lines"),
            "{}",
            run.stderr
        );
        let resolved = env.run(&["resolve", "--format", "json"]);
        let rows: Value = serde_json::from_str(resolved.ok()).unwrap();
        let expected: Value = serde_json::from_str(&fixture(&format!(
            "acme/python-layout/{layout}/expected-resolved.json"
        )))
        .unwrap();
        assert_eq!(project_rows(&rows), project_rows(&expected), "{layout}");
        env.run(&["check"]).code(0);
    }
}

#[test]
fn import_python_reads_the_renamed_and_single_file_layouts() {
    for layout in ["renamed", "single-file"] {
        let env = Env::new();
        let dir = fixtures().join(format!("acme/python-layout/{layout}"));
        env.run(&[
            "import",
            "python",
            dir.to_str().unwrap(),
            "--apply-special-cases",
        ])
        .code(0);
        let resolved = env.run(&["resolve", "--format", "json"]);
        let rows: Value = serde_json::from_str(resolved.ok()).unwrap();
        let expected: Value = serde_json::from_str(&fixture(&format!(
            "acme/python-layout/{layout}/expected-resolved.json"
        )))
        .unwrap();
        assert_eq!(project_rows(&rows), project_rows(&expected), "{layout}");
        let toml = std::fs::read_to_string(env.path("edx-matrix.toml")).unwrap();
        assert!(toml.contains("[python.members.applications]"), "{toml}");
        assert!(toml.contains("edx-platform = \"edxapp\""), "{toml}");
    }
}

#[test]
fn import_python_refuses_broken_python_with_locations() {
    let cases = [
        ("syntax-error", "python-syntax", "version_matrix.py:41:17"),
        (
            "unknown-application",
            "unknown-application",
            "version_matrix.py:31:29",
        ),
        (
            "release-key-not-a-release",
            "undefined-release",
            "version_matrix.py:37:5",
        ),
    ];
    for (dir, code, place) in cases {
        let env = Env::new();
        // Each case keeps only its broken `version_matrix.py`; `types.py` is the current layout's.
        env.write(
            "py/types.py",
            &fixture("acme/python-layout/current/types.py"),
        );
        env.write(
            "py/version_matrix.py",
            &fixture(&format!("python-invalid/{dir}/version_matrix.py")),
        );
        let path = env.path("py");
        let run = env.run(&["import", "python", path.to_str().unwrap()]);
        run.code(1);
        assert!(
            run.stderr.contains(&format!("error[{code}]")),
            "{}",
            run.stderr
        );
        assert!(run.stderr.contains(place), "{}", run.stderr);
        assert!(run.stderr.contains("nothing was written"));
        assert!(!env.path("edx-matrix.toml").exists());
        // The same as JSON, for scripts.
        let json = env.run(&[
            "import",
            "python",
            path.to_str().unwrap(),
            "--format",
            "json",
        ]);
        json.code(1);
        let report: Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(report["ok"], false);
        assert_eq!(report["diagnostics"][0]["code"], code);
    }
}

#[test]
fn import_python_legacy_defaults_from_flags() {
    let env = Env::new();
    let dir = fixtures().join("acme/python-layout/legacy");
    let run = env.run(&[
        "import",
        "python",
        dir.to_str().unwrap(),
        "--default-python",
        "3.9",
        "-o",
        "-",
    ]);
    assert!(
        run.ok()
            .contains("teak     = { branch = \"release/teak\", python = \"3.9\", node = \"16\" }")
    );
}

/// The example matrix with a forked learning MFE on a hostile branch, running hostile
/// translation commands.
fn hostile_env() -> Env {
    let text = fixture("../../examples/acme/edx-matrix.toml");
    let from = "learning = { origin = \"https://github.com/acme-edu/frontend-app-learning\", branch = \"acme/verawood-fix-jumpnav\" }";
    assert!(text.contains(from));
    let to = r#"learning = { origin = "https://github.com/acme-edu/frontend-app-learning", branch = "fix/it's-\"q\"-$(x)-`y`-#z", translations = ["echo \"it's $HOME\" `date` \\ $(id)", "npm run pull -- --lang='fr'"] }"#;
    Env::with_matrix(&text.replace(from, to))
}

#[test]
fn export_env_survives_hostile_values_through_a_real_shell() {
    let env = hostile_env();
    env.run(&["check"]).code(0);
    env.run(&["export", "env", "campus", "QA", "-o", "env.sh"])
        .code(0);
    let script = r#"eval "$(cat env.sh)"; printf '%s\0%s\0%s\0%s\0%s' "$EDX_APP_LEARNING_RELEASE_BRANCH" "$EDX_APP_LEARNING_TRANSLATIONS" "$EDX_ENVIRONMENT" "$EDX_APP_EDX_PLATFORM_GIT_ORIGIN" "$EDX_APP_LEARNING_PATH""#;
    let out = Command::new("sh")
        .arg("-c")
        .arg(script)
        .current_dir(env.dir.path())
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Nothing in the values ran: `$(x)` or `id` would have complained or printed.
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let values: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .split('\0')
        .map(str::to_owned)
        .collect();
    assert_eq!(
        values,
        [
            "fix/it's-\"q\"-$(x)-`y`-#z",
            "echo \"it's $HOME\" `date` \\ $(id)\nnpm run pull -- --lang='fr'",
            "campus-qa",
            "https://github.com/acme-edu/edx-platform",
            "learn",
        ]
    );
    // Standard output and `-o` carry the same text.
    let listing = env.run(&["export", "env", "campus", "QA"]);
    assert_eq!(listing.ok(), env.read("env.sh"));
}

#[test]
fn export_env_rejects_unknown_names() {
    let run = Env::new().run(&["--example", "export", "env", "campus", "Staging"]);
    run.code(2);
    assert!(
        run.stderr.contains("unknown stage `Staging`"),
        "{}",
        run.stderr
    );
}

#[test]
fn export_tutor_writes_a_directory_and_refuses_to_overwrite() {
    let env = Env::new();
    env.run(&[
        "--example",
        "export",
        "tutor",
        "pro",
        "Production",
        "-o",
        "tutor",
    ])
    .code(0);
    let readme = env.read("tutor/README.md");
    assert!(readme.contains("tutor plugins enable notes mfe edx_matrix_pro_production\n"));
    let plugin = env.read("tutor/edx_matrix_pro_production.py");
    assert!(plugin.contains("(\"EDX_PLATFORM_VERSION\", \"pro/teak\"),"));
    let again = env.run(&[
        "--example",
        "export",
        "tutor",
        "pro",
        "Production",
        "-o",
        "tutor",
    ]);
    again.code(3);
    assert!(again.stderr.contains("--force"));
    env.run(&[
        "--example",
        "export",
        "tutor",
        "pro",
        "Production",
        "-o",
        "tutor",
        "--force",
    ])
    .code(0);
}

#[test]
fn export_github_actions_filters() {
    let env = Env::new();
    let run = env.run(&[
        "--example",
        "export",
        "github-actions",
        "-d",
        "pro",
        "--type",
        "mfe",
    ]);
    let value: Value = serde_json::from_str(run.ok()).unwrap();
    let jobs = value["include"].as_array().unwrap();
    assert_eq!(jobs.len(), 12);
    assert!(
        jobs.iter()
            .all(|j| j["deployment"] == "pro" && j["type"] == "MFE")
    );
    let all = env.run(&["--example", "export", "github-actions"]);
    assert!(
        all.stderr.is_empty(),
        "129 rows fit in one matrix: {}",
        all.stderr
    );
    let typo = env.run(&["--example", "export", "github-actions", "-d", "prod"]);
    typo.code(2);
    assert!(
        typo.stderr.contains("did you mean `pro`?"),
        "{}",
        typo.stderr
    );
}

#[test]
fn exports_refuse_an_invalid_matrix() {
    let env = Env::with_matrix(&fixture("invalid/undefined-release.toml"));
    for args in [
        &["export", "github-actions"][..],
        &["export", "env", "site", "CI"],
        &["export", "tutor", "site", "CI"],
        &["export", "model-json"],
    ] {
        let run = env.run(args);
        run.code(1);
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn export_model_json_subcommand_matches_the_format_flag() {
    let env = Env::new();
    let a = env.run(&["--example", "export", "model-json"]);
    let b = env.run(&["--example", "export", "--format", "model-json"]);
    assert_eq!(a.ok(), b.ok());
    let none = env.run(&["--example", "export"]);
    none.code(2);
}

#[test]
fn schema_is_json_schema_and_can_be_written() {
    let env = Env::new();
    let run = env.run(&["schema"]);
    let schema: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["additionalProperties"], false);
    env.run(&["schema", "-o", "edx-matrix.schema.json"]).code(0);
    assert_eq!(env.read("edx-matrix.schema.json"), run.stdout);
}

#[test]
fn export_tutor_refuses_hostile_values_with_their_location() {
    let text = edx_matrix_formats::example::TEXT.replace(
        "branch = \"acme/verawood-fix-jumpnav\"",
        "branch = \"master;touch$(id)\"",
    );
    let env = Env::with_example_matrix(&text);
    let run = env.run(&["export", "tutor", "campus", "QA", "-o", "out"]);
    run.code(1);
    assert!(
        run.stderr.contains(
            "error: [TMP]/edx-matrix.toml:86:85: \"master;touch$(id)\" contains ';', which Tutor's build files would pass to a shell"
        ),
        "{}",
        run.stderr
    );
    assert!(!env.path("out").exists(), "nothing is written");
    // `--all` refuses too, before writing any stage.
    let all = env.run(&["export", "tutor", "--all", "-o", "out"]);
    all.code(1);
    assert!(!env.path("out").exists());
    // A paragraph separator is refused as well, on standard output too.
    let text = edx_matrix_formats::example::TEXT.replace(
        "branch = \"acme/verawood-fix-jumpnav\"",
        "branch = \"acme/verawood\\u2029fix\"",
    );
    let env = Env::with_example_matrix(&text);
    let run = env.run(&["export", "tutor", "campus", "QA"]);
    run.code(1);
    // `check`'s value rules refuse it first (invalid-branch), at the same place.
    assert!(
        run.stderr.contains("error[invalid-branch]")
            && run.stderr.contains("[TMP]/edx-matrix.toml:86:85"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn export_tutor_all_writes_one_directory_per_stage() {
    let env = Env::new();
    let run = env.run(&["--example", "export", "tutor", "--all", "-o", "tutor"]);
    run.code(0);
    let mut dirs: Vec<String> = std::fs::read_dir(env.path("tutor"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    assert_eq!(dirs.len(), 12);
    assert_eq!(dirs[0], "campus-CI");
    assert!(
        env.path("tutor/pro-Production/edx_matrix_pro_production.py")
            .is_file()
    );
    assert!(env.path("tutor/pro-Production/README.md").is_file());
    // Warnings and what is not mapped go to standard error, named by plugin.
    assert!(
        run.stderr
            .contains("warning: edx_matrix_pro_production: the MFEs need different Node versions"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("not mapped: edx_matrix_campus_ci: xqwatcher https://github.com/acme-edu/xqueue-watcher at main"), "{}", run.stderr);
    let usage = env.run(&["--example", "export", "tutor", "--all"]);
    usage.code(2);
    let usage = env.run(&["--example", "export", "tutor", "pro"]);
    usage.code(2);
}

#[test]
fn export_tutor_json_summarises_each_stage() {
    let env = Env::new();
    let run = env.run(&[
        "--example",
        "export",
        "tutor",
        "--all",
        "-o",
        "t",
        "--format",
        "json",
    ]);
    let stages: Value = serde_json::from_str(run.ok()).unwrap();
    let stages = stages.as_array().unwrap();
    assert_eq!(stages.len(), 12);
    let pro = stages
        .iter()
        .find(|s| s["deployment"] == "pro" && s["stage"] == "Production")
        .unwrap();
    assert_eq!(pro["settings"]["EDX_PLATFORM_VERSION"], "pro/teak");
    assert_eq!(pro["settings"]["OPENEDX_COMMON_VERSION"], "release/teak");
    assert_eq!(
        pro["plugin_file"],
        "t/pro-Production/edx_matrix_pro_production.py"
    );
    assert_eq!(pro["removed_mfes"].as_array().unwrap().len(), 3);
    let one = env.run(&[
        "--example",
        "export",
        "tutor",
        "online",
        "QA",
        "--format",
        "json",
    ]);
    let one: Value = serde_json::from_str(one.ok()).unwrap();
    assert_eq!(one[0]["enable"][4], "edx_matrix_online_qa");
    assert_eq!(one[0]["plugin_file"], Value::Null);
    assert_eq!(one[0]["settings_from_vars"], serde_json::json!([]));
}

/// `--format json` lists the settings the stage's `TUTOR_*` vars set, with their types (the
/// stage's over the deployment's), as the plugin sets them; other vars are not Tutor's.
#[test]
fn export_tutor_json_lists_the_settings_of_tutor_vars() {
    let online =
        "online         = { CI = \"master\",   QA = \"master\",   Production = \"master\" }";
    assert!(edx_matrix_formats::example::TEXT.contains(online));
    let text = edx_matrix_formats::example::TEXT.replace(
        online,
        "online = { CI = \"master\", QA = { release = \"master\", vars = { TUTOR_LMS_HOST = \"qa.online.example\", TUTOR_ENABLE_HTTPS = false } }, Production = \"master\", vars = { TUTOR_LMS_HOST = \"online.example\", TUTOR_ENABLE_HTTPS = true, TUTOR_MAX_WORKERS = 4, SITE_NAME = \"pipelines only\" } }",
    );
    let env = Env::with_example_matrix(&text);
    let run = env.run(&["export", "tutor", "online", "QA", "--format", "json"]);
    let stage: Value = serde_json::from_str(run.ok()).unwrap();
    let settings = &stage[0]["settings"];
    assert_eq!(settings["LMS_HOST"], "qa.online.example");
    assert_eq!(settings["ENABLE_HTTPS"], false);
    assert_eq!(settings["MAX_WORKERS"], 4);
    assert_eq!(settings["OPENEDX_COMMON_VERSION"], "master");
    assert_eq!(settings.get("SITE_NAME"), None);
    assert_eq!(
        stage[0]["settings_from_vars"],
        serde_json::json!(["LMS_HOST", "ENABLE_HTTPS", "MAX_WORKERS"])
    );
    let production = env.run(&[
        "export",
        "tutor",
        "online",
        "Production",
        "--format",
        "json",
    ]);
    let production: Value = serde_json::from_str(production.ok()).unwrap();
    assert_eq!(production[0]["settings"]["ENABLE_HTTPS"], true);
    assert_eq!(production[0]["settings"]["LMS_HOST"], "online.example");
}
