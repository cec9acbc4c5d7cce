//! The validator's rules one at a time, each on the smallest configuration that breaks it
//! (mutation testing of `validate.rs`: `validator.rs` checks resources, `passed` and groups on
//! one realistic pipeline; these check the other rules and where each problem is reported).
//! What is a problem is Concourse's rule (its configuration docs: a task step needs `file` or
//! `config`, `set_pipeline` needs `file`, `set_pipeline: self` is the running pipeline, ...).

use edx_matrix_pipeline::validate;
use serde_json::{Value, json};

fn problems(config: &Value) -> Vec<(String, String)> {
    validate(config)
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect()
}

fn at(path: &str, message: &str) -> (String, String) {
    (path.to_owned(), message.to_owned())
}

/// A pipeline of one resource `src` and one job `a` whose plan is `steps`.
fn one_job(steps: Value) -> Value {
    json!({
        "resources": [{"name": "src", "type": "git", "source": {}}],
        "jobs": [{"name": "a", "plan": steps}],
    })
}

#[test]
fn every_top_level_key_of_concourse_is_known_and_no_other() {
    let config = json!({
        "resource_types": [], "resources": [], "jobs": [], "groups": [],
        "var_sources": [], "display": {}, "prototypes": [],
    });
    assert_eq!(problems(&config), []);
    assert_eq!(
        problems(&json!({"jobs": [], "resource": []})),
        [at("$.resource", "unknown top-level key `resource`")]
    );
    assert_eq!(
        problems(&json!(["jobs"])),
        [at("$", "a pipeline configuration must be a mapping")]
    );
}

#[test]
fn a_resource_needs_a_name_and_a_type_in_a_list() {
    let config = json!({"resources": [
        {"name": "src", "type": "git"},
        {"name": "img"},
        {"name": "bin", "type": ""},
        {"type": "git"},
    ]});
    assert_eq!(
        problems(&config),
        [
            at("$.resources[3]", "resource has no `name`"),
            at("$.resources[1]", "resource has no `type`"),
            at("$.resources[2]", "resource has no `type`"),
        ]
    );
    assert_eq!(
        problems(&json!({"resources": {"src": {"type": "git"}}})),
        [at("$.resources", "`resources` must be a list")]
    );
}

#[test]
fn a_job_needs_a_plan_that_is_a_list_of_mappings() {
    let config = json!({"jobs": [{"name": "a"}, {"name": "b", "plan": {}}]});
    assert_eq!(
        problems(&config),
        [
            at("$.jobs[0]", "job `a` has no `plan`"),
            at(
                "$.jobs[1].plan",
                "the plan of job `b` must be a list of steps"
            ),
        ]
    );
    assert_eq!(
        problems(&one_job(json!([3]))),
        [at(
            "$.jobs[0].plan[0]",
            "a step of job `a` must be a mapping"
        )]
    );
    assert_eq!(
        problems(&one_job(json!([{"trigger": true}]))),
        [at(
            "$.jobs[0].plan[0]",
            "a step of job `a` has no step type (`get`, `put`, `task`, `set_pipeline`, `in_parallel`, `do`, `try`, `load_var`)"
        )]
    );
    // `load_var` is a step of its own.
    assert_eq!(
        problems(&one_job(json!([{"load_var": "v", "file": "src/v"}]))),
        []
    );
}

#[test]
fn a_task_needs_a_file_or_a_config_and_a_valid_name() {
    assert_eq!(
        problems(&one_job(json!([{"task": "t", "file": "x.yml"}]))),
        []
    );
    assert_eq!(
        problems(&one_job(
            json!([{"task": "t", "config": {"run": {"path": "true"}}}])
        )),
        []
    );
    assert_eq!(
        problems(&one_job(json!([{"task": "t"}]))),
        [at(
            "$.jobs[0].plan[0]",
            "task `t` of job `a` has neither `file` nor `config`"
        )]
    );
    assert_eq!(
        problems(&one_job(json!([{"task": "T", "file": "x.yml"}]))),
        [at(
            "$.jobs[0].plan[0].task",
            "step name `T` is not a valid identifier: it must start with a lower-case letter"
        )]
    );
}

#[test]
fn set_pipeline_needs_a_file_and_a_valid_name_but_self() {
    assert_eq!(
        problems(&one_job(
            json!([{"set_pipeline": "self", "file": "src/p.yml"}])
        )),
        []
    );
    assert_eq!(
        problems(&one_job(
            json!([{"set_pipeline": "other", "file": "src/p.yml"}])
        )),
        []
    );
    assert_eq!(
        problems(&one_job(
            json!([{"set_pipeline": "Other", "file": "src/p.yml"}])
        )),
        [at(
            "$.jobs[0].plan[0].set_pipeline",
            "pipeline name `Other` is not a valid identifier: it must start with a lower-case letter"
        )]
    );
    assert_eq!(
        problems(&one_job(json!([{"set_pipeline": "other"}]))),
        [at(
            "$.jobs[0].plan[0]",
            "`set_pipeline: other` of job `a` has no `file`"
        )]
    );
}

#[test]
fn a_put_to_an_unknown_resource_is_reported_where_the_resource_is_named() {
    assert_eq!(
        problems(&one_job(json!([{"put": "out", "resource": "src"}]))),
        []
    );
    assert_eq!(
        problems(&one_job(json!([{"put": "src", "resource": "nope"}]))),
        [at(
            "$.jobs[0].plan[0].resource",
            "job `a` puts to unknown resource `nope`"
        )]
    );
    assert_eq!(
        problems(&one_job(json!([{"put": "nope"}]))),
        [at(
            "$.jobs[0].plan[0].put",
            "job `a` puts to unknown resource `nope`"
        )]
    );
    assert_eq!(
        problems(&one_job(json!([{"get": "Src", "resource": "src"}]))),
        [at(
            "$.jobs[0].plan[0].get",
            "step name `Src` is not a valid identifier: it must start with a lower-case letter"
        )]
    );
}

#[test]
fn steps_inside_other_steps_and_hooks_are_checked_at_their_path() {
    let nope = json!({"put": "nope"});
    let cases = [
        (
            json!({"in_parallel": [nope]}),
            "$.jobs[0].plan[0].in_parallel[0]",
        ),
        (
            json!({"in_parallel": {"steps": [nope], "limit": 1}}),
            "$.jobs[0].plan[0].in_parallel.steps[0]",
        ),
        (
            json!({"do": [{"get": "src"}, nope]}),
            "$.jobs[0].plan[0].do[1]",
        ),
        (
            json!({"aggregate": [nope]}),
            "$.jobs[0].plan[0].aggregate[0]",
        ),
        (json!({"try": nope}), "$.jobs[0].plan[0].try"),
        (
            json!({"get": "src", "on_failure": nope}),
            "$.jobs[0].plan[0].on_failure",
        ),
        (
            json!({"task": "t", "file": "x.yml", "ensure": {"do": [nope]}}),
            "$.jobs[0].plan[0].ensure.do[0]",
        ),
    ];
    for (step, path) in cases {
        assert_eq!(
            problems(&one_job(json!([step]))),
            [at(
                &format!("{path}.put"),
                "job `a` puts to unknown resource `nope`"
            )],
            "{step}"
        );
    }
    // A job's own hooks.
    let mut config = one_job(json!([{"get": "src"}]));
    config["jobs"][0]["on_abort"] = nope;
    assert_eq!(
        problems(&config),
        [at(
            "$.jobs[0].on_abort.put",
            "job `a` puts to unknown resource `nope`"
        )]
    );
    assert_eq!(
        problems(&one_job(json!([{"in_parallel": 3}]))),
        [at(
            "$.jobs[0].plan[0].in_parallel",
            "`in_parallel` must be a list of steps"
        )]
    );
    assert_eq!(
        problems(&one_job(json!([{"in_parallel": {"limit": 2}}]))),
        [at(
            "$.jobs[0].plan[0].in_parallel.steps",
            "`in_parallel` must be a list of steps"
        )]
    );
}

#[test]
fn passed_names_jobs_in_a_list_and_they_may_come_later() {
    // `deploy` is listed before the job it waits for, and `build` uses `src` inside a `do`.
    let config = json!({
        "resources": [{"name": "src", "type": "git"}],
        "jobs": [
            {"name": "deploy", "plan": [{"get": "src", "passed": ["build"]}]},
            {"name": "build", "plan": [{"do": [{"try": {"get": "src"}}]}]},
        ],
    });
    assert_eq!(problems(&config), []);
    let mut passed_a_name = config.clone();
    passed_a_name["jobs"][0]["plan"][0]["passed"] = json!("build");
    assert_eq!(
        problems(&passed_a_name),
        [at(
            "$.jobs[0].plan[0].passed",
            "`passed` must be a list of job names"
        )]
    );
    let mut passed_a_number = config;
    passed_a_number["jobs"][0]["plan"][0]["passed"] = json!([1, "build"]);
    assert_eq!(
        problems(&passed_a_number),
        [at(
            "$.jobs[0].plan[0].passed[0]",
            "a `passed` job must be a name"
        )]
    );
}

#[test]
fn groups_name_known_resources_and_jobs_by_name() {
    let config = json!({
        "resources": [{"name": "src", "type": "git"}],
        "jobs": [{"name": "a", "plan": [{"get": "src"}]}],
        "groups": [{"name": "all", "jobs": ["a"], "resources": ["src"]}],
    });
    assert_eq!(problems(&config), []);
    let mut unknown = config.clone();
    unknown["groups"][0]["resources"] = json!(["src", "nope"]);
    assert_eq!(
        problems(&unknown),
        [at(
            "$.groups[0].resources[1]",
            "group `all` has unknown resource `nope`"
        )]
    );
    let mut number = config.clone();
    number["groups"][0]["jobs"] = json!([1, "a"]);
    assert_eq!(
        problems(&number),
        [at("$.groups[0].jobs[0]", "a group's job must be a name")]
    );
    // No groups: no job has to be in one.
    let mut none = config.clone();
    none["groups"] = json!([]);
    assert_eq!(problems(&none), []);
    let mut twice = config;
    twice["groups"] = json!([{"name": "all", "jobs": ["a"]}, {"name": "all", "jobs": ["a"]}]);
    assert_eq!(
        problems(&twice),
        [at(
            "$.groups[1].name",
            "groups[1] and groups[0] have the same name `all`"
        )]
    );
}
