//! The generator's own rules on a small matrix written for them: the order of chains in a
//! family, which applications a pipeline lists, and where translation commands go.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::load;
use edx_matrix_pipeline::{Generated, all, settings_of};
use serde_json::Value;

/// Catalogue order differs from name order (learning before authoring, zeta before alpha), so
/// an order taken from names instead of the matrix shows.
const TEXT: &str = r#"stages = ["CI"]

[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "20" }

[applications]
platform  = { kind = "ida", repository = "https://github.com/openedx/edx-platform" }
learning  = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }
authoring = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-authoring", path = "authoring" }
gradebook = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-gradebook", path = "gradebook" }

[deployments]
zeta  = { CI = "ulmo" }
alpha = { CI = "ulmo" }

[[map]]
releases    = ["ulmo"]
deployments = ["zeta", "alpha"]
[map.apps]
platform  = { translations = ["make pull_translations"] }
learning  = { translations = [] }
authoring = { translations = ["atlas pull translations/authoring"] }

[pipelines]
team = "main"

[pipelines.families]
mfe = ["learning", "authoring", "gradebook"]
"#;

fn pipelines() -> Vec<Generated> {
    let loaded = load(TEXT);
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    all(&loaded.matrix, &settings)
}

fn find(name: &str) -> Generated {
    pipelines()
        .into_iter()
        .find(|g| g.info.name == name)
        .unwrap_or_else(|| panic!("no pipeline `{name}`"))
}

/// The names of the jobs of `pipeline`, in order.
fn job_names(pipeline: &Generated) -> Vec<String> {
    pipeline
        .pipeline
        .jobs
        .iter()
        .map(|j| j.name.clone())
        .collect()
}

/// Whether any step of the jobs whose name contains `application` sets
/// `TRANSLATION_OVERRIDES`, and to what.
fn translation_params(pipeline: &Generated, application: &str) -> Vec<String> {
    fn walk(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    if key == "TRANSLATION_OVERRIDES" {
                        out.push(value.as_str().unwrap_or_default().to_owned());
                    }
                    walk(value, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for job in &pipeline.pipeline.jobs {
        if job.name.contains(application) {
            walk(&serde_json::to_value(job).unwrap(), &mut out);
        }
    }
    out
}

#[test]
fn a_family_lists_only_the_applications_it_builds_in_catalogue_order() {
    let mfe = find("mfe");
    assert_eq!(mfe.info.applications, ["learning", "authoring"]);
}

#[test]
fn chains_follow_the_matrix_order_of_deployments_then_the_familys_applications() {
    let jobs = job_names(&find("mfe"));
    let first = |needle: &str| {
        jobs.iter()
            .position(|j| j.contains(needle))
            .unwrap_or_else(|| panic!("no job with `{needle}` in {jobs:?}"))
    };
    let builds: Vec<&String> = jobs.iter().filter(|j| j.starts_with("build")).collect();
    assert_eq!(builds.len(), 4, "{jobs:?}");
    // zeta's chains come before alpha's, and in each the family's order: learning, authoring.
    assert!(first("zeta") < first("alpha"), "{jobs:?}");
    let zeta: Vec<&&String> = builds.iter().filter(|j| j.contains("zeta")).collect();
    assert!(
        zeta[0].contains("learning") && zeta[1].contains("authoring"),
        "{jobs:?}"
    );
    let alpha: Vec<&&String> = builds.iter().filter(|j| j.contains("alpha")).collect();
    assert!(
        alpha[0].contains("learning") && alpha[1].contains("authoring"),
        "{jobs:?}"
    );
}

#[test]
fn translation_commands_reach_only_mfes_that_have_some() {
    let mfe = find("mfe");
    let mut authoring = translation_params(&mfe, "authoring");
    assert!(!authoring.is_empty());
    authoring.dedup();
    assert_eq!(authoring, ["atlas pull translations/authoring"]);
    assert_eq!(translation_params(&mfe, "learning"), Vec::<String>::new());
    // An IDA's translation commands are never run (check warns about them).
    let platform = find("platform");
    assert_eq!(
        translation_params(&platform, "platform"),
        Vec::<String>::new()
    );
}
