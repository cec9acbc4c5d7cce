//! `vars` of deployments and stages: both syntaxes, merging, and the interchange JSON and TOML
//! writer keeping them.

#![allow(clippy::unwrap_used)]

use edx_matrix_formats::{Source, interchange, load_json, load_toml, toml_write};
use edx_matrix_model::vars::{VarValue, of_stage};

const TEXT: &str = r#"
stages = ["CI", "QA"]
[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments]
online = { CI = "ulmo", QA = "ulmo", vars = { SITE = "https://online.example" } }

[deployments.campus]
CI = { release = "ulmo", vars = { SITE = "https://ci.campus.example", DEBUG = true } }
QA = "ulmo"

[deployments.campus.vars]
SITE    = "https://campus.example"
WORKERS = 4
RATIO   = 0.5

[[map]]
releases = ["ulmo"]
deployments = ["online", "campus"]
[map.apps]
forum = {}
"#;

#[test]
fn both_syntaxes_merge_and_survive_json_and_toml() {
    let loaded = load_toml(Source::new("t.toml", TEXT));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let m = &loaded.matrix;
    let ci = of_stage(m, "campus", "CI");
    assert_eq!(
        ci.get("SITE"),
        Some(&VarValue::String("https://ci.campus.example".into()))
    );
    assert_eq!(ci.get("WORKERS"), Some(&VarValue::Integer(4)));
    assert_eq!(ci.get("DEBUG"), Some(&VarValue::Boolean(true)));
    let qa = of_stage(m, "campus", "QA");
    assert_eq!(
        qa.get("SITE"),
        Some(&VarValue::String("https://campus.example".into()))
    );
    assert_eq!(qa.get("DEBUG"), None);
    assert_eq!(
        of_stage(m, "online", "QA").get("SITE"),
        Some(&VarValue::String("https://online.example".into()))
    );
    let json = interchange::to_json(m);
    assert_eq!(json["deployments"][1]["vars"]["RATIO"], 0.5);
    assert_eq!(json["deployments"][1]["stages"][0]["vars"]["DEBUG"], true);
    let back = load_json(Source::new("t.json", serde_json::to_string(&json).unwrap()));
    assert!(!back.has_errors(), "{:#?}", back.diagnostics);
    assert_eq!(back.matrix.clone().canonical(), m.clone().canonical());
    let text = toml_write::write_faithful(m, &["t"]);
    let again = load_toml(Source::new("w.toml", text.clone()));
    assert!(!again.has_errors(), "{text}\n{:#?}", again.diagnostics);
    assert_eq!(again.matrix.clone().canonical(), m.clone().canonical());
}

#[test]
fn a_stage_table_needs_a_release_and_known_keys() {
    let bad = TEXT.replace(
        r#"CI = { release = "ulmo", vars"#,
        r#"CI = { relase = "ulmo", vars"#,
    );
    let loaded = load_toml(Source::new("t.toml", bad.as_str()));
    let codes: Vec<&str> = loaded.diagnostics.iter().map(|d| d.code.as_str()).collect();
    assert!(codes.contains(&"unknown-key"), "{codes:?}");
    assert!(codes.contains(&"missing-key"), "{codes:?}");
}
