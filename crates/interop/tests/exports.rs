//! The Tutor, GitHub Actions and env exports of real matrices.
#![allow(clippy::unwrap_used)]

use edx_matrix_config::{Loaded, Source, example, load_toml};
use edx_matrix_interop::{github_actions, tutor};
use edx_matrix_model::{Filter, resolve};
use ruff_python_ast::{Expr, Stmt};
use serde_json::Value;

/// A branch git accepts that is full of characters YAML, Python and shells care about.
pub const HOSTILE_BRANCH: &str = "fix/it's-\"q\"-$(x)-`y`-#z";

fn acme() -> Loaded {
    let loaded = load_toml(Source::new(example::NAME, example::TEXT));
    assert!(!loaded.has_errors());
    loaded
}

fn hostile() -> Loaded {
    let text = example::TEXT.replace(
        "branch = \"acme/verawood-fix-jumpnav\"",
        "branch = \"fix/it's-\\\"q\\\"-$(x)-`y`-#z\"",
    );
    let loaded = load_toml(Source::new("hostile.toml", text));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    loaded
}

fn tutor_export(loaded: &Loaded, deployment: &str, stage: &str) -> tutor::TutorExport {
    let filter = Filter {
        deployment: Some(deployment.into()),
        stage: Some(stage.into()),
        ..Filter::default()
    };
    let rows = resolve(&loaded.matrix, &filter).rows;
    let release = loaded
        .matrix
        .deployment(deployment)
        .unwrap()
        .release_of(stage)
        .unwrap();
    tutor::export(&loaded.matrix, deployment, stage, release.as_str(), &rows)
}

/// Reads the plugin with a Python parser: the `MFE_APPS` callback's `setdefault(NAME, {})
/// .update({"repository": R, "version": V})` calls and `pop(NAME, None)` calls.
fn plugin_effects(source: &str) -> (Vec<(String, String, String)>, Vec<String>) {
    let module = ruff_python_parser::parse_module(source)
        .unwrap()
        .into_syntax();
    let function = module
        .body
        .iter()
        .find_map(|s| match s {
            Stmt::FunctionDef(f) => Some(f),
            _ => None,
        })
        .unwrap();
    let decorator = &function.decorator_list[0].expression;
    let decorator_text = &source[ruff_text_size::Ranged::range(decorator)];
    assert_eq!(decorator_text, "MFE_APPS.add()");
    let string = |e: &Expr| match e {
        Expr::StringLiteral(s) => s.value.to_str().to_owned(),
        other => panic!("not a string: {other:?}"),
    };
    let (mut set, mut popped) = (Vec::new(), Vec::new());
    for stmt in &function.body {
        let Stmt::Expr(e) = stmt else { continue };
        let Expr::Call(call) = e.value.as_ref() else {
            panic!()
        };
        let Expr::Attribute(method) = call.func.as_ref() else {
            panic!()
        };
        match method.attr.as_str() {
            "update" => {
                let Expr::Call(inner) = method.value.as_ref() else {
                    panic!()
                };
                let name = string(&inner.arguments.args[0]);
                let Expr::Dict(dict) = &call.arguments.args[0] else {
                    panic!()
                };
                let value = |key: &str| {
                    dict.items
                        .iter()
                        .find(|i| string(i.key.as_ref().unwrap()) == key)
                        .map(|i| string(&i.value))
                        .unwrap()
                };
                set.push((name, value("repository"), value("version")));
            }
            "pop" => popped.push(string(&call.arguments.args[0])),
            other => panic!("unexpected call {other}"),
        }
    }
    (set, popped)
}

#[test]
fn tutor_export_for_pro_production() {
    let export = tutor_export(&acme(), "pro", "Production");
    assert_eq!(export.plugin_file, "edx_matrix_pro_production.py");
    insta::assert_snapshot!("tutor_pro_production_config", export.config_yml);
    insta::assert_snapshot!("tutor_pro_production_plugin", export.plugin_py);
    let (set, popped) = plugin_effects(&export.plugin_py);
    assert_eq!(
        set.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        [
            "authoring",
            "communications",
            "learner-dashboard",
            "learning"
        ]
    );
    assert!(set.iter().all(|s| s.2 == "release/teak"));
    assert_eq!(popped, ["discussions", "gradebook", "ora-grading"]);
}

#[test]
fn tutor_export_for_online_ci() {
    let export = tutor_export(&acme(), "online", "CI");
    insta::assert_snapshot!("tutor_online_ci_config", export.config_yml);
    insta::assert_snapshot!("tutor_online_ci_plugin", export.plugin_py);
    let (set, popped) = plugin_effects(&export.plugin_py);
    assert_eq!(set.len(), 7);
    assert!(popped.is_empty());
}

#[test]
fn tutor_export_keeps_hostile_values_exact() {
    let export = tutor_export(&hostile(), "campus", "QA");
    let (set, _) = plugin_effects(&export.plugin_py);
    let learning = set.iter().find(|s| s.0 == "learning").unwrap();
    assert_eq!(
        learning.1,
        "https://github.com/acme-edu/frontend-app-learning.git"
    );
    assert_eq!(learning.2, HOSTILE_BRANCH);
    // config.yml quotes as JSON, which YAML reads back: check the edx-platform lines.
    assert!(
        export.config_yml.contains(
            "EDX_PLATFORM_REPOSITORY: \"https://github.com/acme-edu/edx-platform.git\"\n"
        )
    );
    assert!(
        export
            .config_yml
            .contains("EDX_PLATFORM_VERSION: \"acme/verawood\"\n")
    );
}

#[test]
fn git_suffix() {
    assert_eq!(tutor::with_git_suffix("https://x/y"), "https://x/y.git");
    assert_eq!(tutor::with_git_suffix("https://x/y.git"), "https://x/y.git");
    assert_eq!(tutor::with_git_suffix("https://x/y/"), "https://x/y.git");
}

#[test]
fn github_actions_include_has_one_job_per_row() {
    let loaded = acme();
    let all = github_actions::include(&loaded.matrix, &Filter::default());
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../tests/fixtures/acme/expected-resolved.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let expected = expected.as_array().unwrap();
    let jobs = serde_json::to_value(&all).unwrap();
    let jobs = jobs["include"].as_array().unwrap();
    assert_eq!(jobs.len(), expected.len());
    for (job, row) in jobs.iter().zip(expected) {
        for (key, value) in row.as_object().unwrap() {
            assert_eq!(&job[key], value, "{key}");
        }
        let environment = format!(
            "{}-{}",
            row["deployment"].as_str().unwrap(),
            row["stage"].as_str().unwrap().to_lowercase()
        );
        assert_eq!(job["environment"], Value::String(environment));
        assert_eq!(job.get("path").is_some(), row["type"] == "MFE");
    }
    let mfes = github_actions::include(
        &loaded.matrix,
        &Filter {
            deployment: Some("pro".into()),
            kind: Some(edx_matrix_model::AppKind::Mfe),
            ..Filter::default()
        },
    );
    assert_eq!(mfes.include.len(), 12);
}
