//! The read-only core commands on the built-in example and on small files.

use crate::harness::{Env, fixture};
use edx_matrix_test_support::project_rows;
use serde_json::Value;

#[test]
fn example_show_grid() {
    let run = Env::new().run(&["--example", "show"]);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn example_show_one_deployment_stage() {
    let run = Env::new().run(&["--example", "show", "pro", "Production"]);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn example_check_warns_and_exits_zero() {
    let run = Env::new().run(&["--example", "check"]);
    run.code(0);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn resolve_json_equals_expected_resolved() {
    let env = Env::new();
    let run = env.run(&["--example", "resolve", "--format", "json"]);
    let got: Value = serde_json::from_str(run.ok()).unwrap();
    let expected: Value = serde_json::from_str(&fixture("acme/expected-resolved.json")).unwrap();
    assert_eq!(project_rows(&got), project_rows(&expected));
}

#[test]
fn resolve_filters_and_env() {
    let env = Env::new();
    let json = env.run(&[
        "--example",
        "resolve",
        "-d",
        "pro",
        "-s",
        "QA",
        "--type",
        "mfe",
        "--format",
        "json",
    ]);
    let rows: Value = serde_json::from_str(json.ok()).unwrap();
    let names: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["application"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "authoring",
            "communications",
            "learner-dashboard",
            "learning"
        ]
    );
    let run = env.run(&[
        "--example",
        "resolve",
        "-d",
        "campus",
        "-s",
        "QA",
        "-a",
        "learning",
        "--format",
        "env",
    ]);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn resolve_env_needs_one_component() {
    let run = Env::new().run(&["--example", "resolve", "--format", "env"]);
    run.code(2);
    assert!(run.stderr.contains("--deployment"), "{}", run.stderr);
}

#[test]
fn unknown_filter_value_is_a_usage_error_with_suggestion() {
    let run = Env::new().run(&["--example", "resolve", "-d", "campu"]);
    run.code(2);
    assert!(
        run.stderr.contains("did you mean `campus`?"),
        "{}",
        run.stderr
    );
}

#[test]
fn queries() {
    let env = Env::new();
    let run = env.run(&[
        "--example",
        "query",
        "deployments",
        "-r",
        "verawood",
        "-a",
        "learning",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(v[0]["deployment"], "campus");
    assert_eq!(v[0]["stages"], serde_json::json!(["QA", "Production"]));
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert_eq!(
        env.run(&["--example", "query", "stages", "pro", "-r", "ulmo"])
            .ok(),
        "QA\n"
    );
    assert_eq!(
        env.run(&["--example", "query", "release", "pro", "Production"])
            .ok(),
        "teak\n"
    );
    let run = env.run(&[
        "--example",
        "query",
        "version",
        "notes-api",
        "-r",
        "teak",
        "-d",
        "pro",
        "--format",
        "json",
    ]);
    let v: Value = serde_json::from_str(run.ok()).unwrap();
    assert_eq!(v[0]["release_branch"], "master");
    assert_eq!(v[0]["runtime_version"], "3.12");
    let run = env.run(&[
        "--example",
        "query",
        "version",
        "-r",
        "master",
        "-d",
        "online",
        "--type",
        "ida",
    ]);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn finds_the_file_in_a_parent_directory_and_honours_env_and_flag() {
    let env = Env::with_matrix(crate::harness::fixture("valid/minimal.toml").as_str());
    std::fs::create_dir_all(env.path("a/b")).unwrap();
    let run = env
        .command(&["query", "release", "site", "CI"])
        .current_dir(env.path("a/b"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), "ulmo\n");
    env.write(
        "other.toml",
        &crate::harness::fixture("valid/minimal.toml").replace("CI = \"ulmo\"", "CI = \"master\""),
    );
    let run = env
        .command(&["query", "release", "site", "CI"])
        .env("EDX_MATRIX_FILE", env.path("other.toml"))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&run.stdout), "master\n");
    assert_eq!(
        env.run(&["--file", "other.toml", "query", "release", "site", "CI"])
            .ok(),
        "master\n"
    );
}

#[test]
fn no_matrix_file_is_a_usage_error() {
    let run = Env::new().run(&["show"]);
    run.code(2);
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn missing_file_is_an_io_error() {
    let run = Env::new().run(&["--file", "nope.toml", "show"]);
    run.code(3);
    assert!(run.stderr.contains("nope.toml"), "{}", run.stderr);
}

#[test]
fn commands_refuse_an_invalid_matrix() {
    let env = Env::with_matrix(&fixture("invalid/undefined-release.toml"));
    let run = env.run(&["resolve"]);
    run.code(1);
    assert!(
        run.stderr.contains("error[undefined-release]"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn expand_spells_out_every_entry() {
    let run = Env::new().run(&["--example", "expand"]);
    let text = run.ok();
    assert!(!text.contains("{release}"));
    assert!(text.contains("branch = \"acme/verawood\""));
    // The expansion is itself a valid matrix that resolves identically.
    let env = Env::with_matrix(text);
    let a = env.run(&["resolve", "--format", "json"]);
    let b = env.run(&["--example", "resolve", "--format", "json"]);
    assert_eq!(a.ok(), b.ok());
}

#[test]
fn import_and_export_round_trip() {
    let env = Env::new();
    env.write("model.json", &fixture("acme/model.json"));
    let run = env.run(&["import", "json", "model.json", "-o", "edx-matrix.toml"]);
    run.code(0);
    assert!(
        run.stderr.contains("wrote `edx-matrix.toml`"),
        "{}",
        run.stderr
    );
    let exported = env.run(&["export", "--format", "model-json"]);
    let original: Value = serde_json::from_str(&fixture("acme/model.json")).unwrap();
    let back: Value = serde_json::from_str(exported.ok()).unwrap();
    let sorted = |v: &Value| {
        let mut e = v["release_map"].as_array().unwrap().clone();
        e.sort_by_key(|x| x["release"].to_string() + &x["deployment"].to_string());
        e
    };
    assert_eq!(sorted(&back), sorted(&original));
    assert_eq!(back["releases"], original["releases"]);
    assert_eq!(back["applications"], original["applications"]);
    assert_eq!(back["deployments"], original["deployments"]);
    // It refuses to overwrite.
    let again = env.run(&["import", "json", "model.json", "-o", "edx-matrix.toml"]);
    again.code(3);
    assert!(again.stderr.contains("--force"));
}

#[test]
fn import_warns_on_unknown_keys_and_rejects_kind_mismatch() {
    let env = Env::new();
    env.write("bad.json", &fixture("invalid-json/kind-mismatch.json"));
    let run = env.run(&["import", "json", "bad.json", "-o", "out.toml"]);
    run.code(1);
    assert!(!env.path("out.toml").exists());
    insta::assert_snapshot!(run.snapshot());
}

#[test]
fn init_writes_a_valid_starter() {
    let env = Env::new();
    env.run(&["init"]).code(0);
    let check = env.run(&["check"]);
    check.code(0);
    assert!(
        env.read("edx-matrix.toml")
            .contains("frontend-app-learning")
    );
    env.run(&["init"]).code(3);
}

#[test]
fn check_json_format() {
    let env = Env::with_matrix(&fixture("invalid/undefined-release.toml"));
    let run = env.run(&["check", "--format", "json"]);
    run.code(1);
    let v: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["summary"]["errors"], 1);
    assert_eq!(v["diagnostics"][0]["code"], "undefined-release");
    assert!(v["diagnostics"][0]["line"].as_u64().is_some());
}

#[test]
fn help_lists_commands() {
    let run = Env::new().run(&["--help"]);
    insta::assert_snapshot!(run.snapshot());
}
