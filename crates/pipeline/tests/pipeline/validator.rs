//! The pipeline validator on a small hand-written pipeline: undeclared resources, `passed`
//! jobs, groups and names.

use edx_matrix_pipeline::validate;
use serde_json::{Value, json};

fn small() -> Value {
    json!({
        "resources": [
            {"name": "src", "type": "git", "source": {"uri": "https://example.invalid/x"}},
            {"name": "img", "type": "registry-image", "source": {"repository": "x"}},
            {"name": "other", "type": "git", "source": {}}
        ],
        "jobs": [
            {"name": "build", "plan": [
                {"get": "src", "trigger": true},
                {"task": "t", "file": "src/t.yml"},
                {"put": "img"}
            ]},
            {"name": "deploy", "plan": [
                {"in_parallel": [
                    {"get": "artifact", "resource": "img", "passed": ["build"]},
                    {"get": "src", "passed": ["build"]}
                ]},
                {"task": "d", "file": "src/d.yml"}
            ]}
        ],
        "groups": [{"name": "all", "jobs": ["build", "deploy"]}]
    })
}

fn problems_after(change: impl FnOnce(&mut Value)) -> Vec<(String, String)> {
    let mut config = small();
    change(&mut config);
    validate(&config)
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect()
}

fn one(path: &str, message: &str) -> Vec<(String, String)> {
    vec![(path.to_owned(), message.to_owned())]
}

#[test]
fn validator_accepts_the_small_pipeline() {
    assert_eq!(problems_after(|_| {}), vec![]);
}

#[test]
fn validator_rejects_a_get_of_an_undeclared_resource() {
    let got = problems_after(|c| c["jobs"][0]["plan"][0]["get"] = json!("sauce"));
    assert_eq!(
        got[0],
        one(
            "$.jobs[0].plan[0].get",
            "job `build` gets unknown resource `sauce`"
        )[0]
    );
    let got =
        problems_after(|c| c["jobs"][1]["plan"][0]["in_parallel"][0]["resource"] = json!("image"));
    assert_eq!(
        got[0],
        one(
            "$.jobs[1].plan[0].in_parallel[0].resource",
            "job `deploy` gets unknown resource `image`"
        )[0]
    );
    let got = problems_after(|c| c["jobs"][0]["plan"][2]["put"] = json!("nope"));
    assert_eq!(
        got,
        [
            one("$.jobs[0].plan[2].put", "job `build` puts to unknown resource `nope`")[0].clone(),
            // ... so `build` no longer uses `img`, which `deploy` wants to have passed it.
            one(
                "$.jobs[1].plan[0].in_parallel[0].passed[0]",
                "job `deploy`: `artifact` is constrained to pass job `build`, which does not use resource `img`"
            )[0]
            .clone(),
        ]
    );
}

#[test]
fn validator_rejects_passed_jobs_that_do_not_exist_or_do_not_use_the_resource() {
    let got =
        problems_after(|c| c["jobs"][1]["plan"][0]["in_parallel"][1]["passed"] = json!(["biuld"]));
    assert_eq!(
        got,
        one(
            "$.jobs[1].plan[0].in_parallel[1].passed[0]",
            "job `deploy`: `src` is constrained to pass unknown job `biuld`"
        )
    );
    let got = problems_after(|c| {
        c["jobs"][1]["plan"][0]["in_parallel"][1] = json!({"get": "other", "passed": ["build"]})
    });
    assert_eq!(
        got,
        one(
            "$.jobs[1].plan[0].in_parallel[1].passed[0]",
            "job `deploy`: `other` is constrained to pass job `build`, which does not use resource `other`"
        )
    );
}

#[test]
fn validator_rejects_groups_naming_missing_jobs_and_ungrouped_jobs() {
    let got = problems_after(|c| c["groups"][0]["jobs"] = json!(["build", "deploy", "deplyo"]));
    assert_eq!(
        got,
        one(
            "$.groups[0].jobs[2]",
            "group `all` has unknown job `deplyo`"
        )
    );
    let got = problems_after(|c| c["groups"][0]["jobs"] = json!(["build"]));
    assert_eq!(got, one("$.jobs[1]", "job `deploy` belongs to no group"));
    // Concourse's glob patterns in groups.
    assert_eq!(
        problems_after(|c| c["groups"][0]["jobs"] = json!(["*"])),
        vec![]
    );
    assert_eq!(
        problems_after(|c| c["groups"][0]["jobs"] = json!(["build", "dep?oy"])),
        vec![]
    );
    // A name without `*` or `?` is the whole name, not a prefix (it is looked up, not scanned).
    let got = problems_after(|c| c["groups"][0]["jobs"] = json!(["buil", "deploy"]));
    assert_eq!(
        got,
        [
            one("$.groups[0].jobs[0]", "group `all` has unknown job `buil`"),
            one("$.jobs[0]", "job `build` belongs to no group"),
        ]
        .concat()
    );
}

#[test]
fn validator_rejects_invalid_and_duplicate_names() {
    let got = problems_after(|c| c["jobs"][0]["name"] = json!("Build"));
    assert_eq!(
        got[0],
        one(
            "$.jobs[0].name",
            "job `Build` is not a valid identifier: it must start with a lower-case letter"
        )[0]
    );
    let got = problems_after(|c| c["resources"][2]["name"] = json!("src"));
    assert_eq!(
        got,
        one(
            "$.resources[2].name",
            "resources[2] and resources[0] have the same name `src`"
        )
    );
    let got = problems_after(|c| c["resources"][2]["name"] = json!("my resource"));
    assert_eq!(
        got,
        one(
            "$.resources[2].name",
            "resource `my resource` is not a valid identifier: it may contain only lower-case letters, digits, `-`, `_` and `.`"
        )
    );
    // `((vars))` are interpolated before Concourse checks names.
    assert_eq!(
        problems_after(|c| c["resources"][2]["name"] = json!("((name))")),
        vec![]
    );
}
