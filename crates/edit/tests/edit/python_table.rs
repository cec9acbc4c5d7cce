//! Edits keep the `[python]` table (the member names `import python` recorded).

use edx_matrix_config::{PythonNames, Source, load_toml};
use edx_matrix_edit::release;

const BASE: &str = r#"stages = ["CI"]

[releases]
ulmo   = { branch = "release/ulmo", python = "3.11", node = "24" }
master = { branch = "master" }

[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
learning = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning" }

[deployments]
site = { CI = "master" }

[[map]]
releases = ["ulmo", "master"]
deployments = ["site"]
[map.apps]
forum = {}
learning = {}
"#;

const PYTHON: &str = r#"
[python.classes]
deployment = "OpenLearningOpenEdxDeployment"

[python.members.applications]
forum = "comments"
learning = "learn"
"#;

fn names() -> PythonNames {
    let mut n = PythonNames::default();
    n.classes
        .insert("deployment".into(), "OpenLearningOpenEdxDeployment".into());
    n.applications.insert("forum".into(), "comments".into());
    n.applications.insert("learning".into(), "learn".into());
    n
}

#[test]
fn edits_keep_the_python_table() {
    let text = format!("{BASE}{PYTHON}");
    let edited = release::add(
        &text,
        &release::NewRelease {
            name: "verawood".into(),
            branch: "release/verawood".into(),
            python: "3.12".into(),
            node: "24".into(),
        },
    )
    .unwrap();
    assert_eq!(
        load_toml(Source::new("m.toml", edited.text)).python,
        names()
    );
}
