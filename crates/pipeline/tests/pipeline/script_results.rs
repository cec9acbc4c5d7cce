//! What `pipelines` returns, checked shape by shape, and where errors from the library or a
//! loaded file are placed (issue 29's mutation run of `script/eval.rs`). Each message is the
//! rule's wording: what was expected, and what was found.

use super::template_bounds::{only_error, render_loading, render_with};

/// The one error of a template whose `pipelines` returns `value` (its `def` on line 2).
fn returned(value: &str) -> (usize, String) {
    let template =
        format!("# returns {value}\ndef pipelines(matrix, standard):\n    return {value}\n");
    let outcome = render_with("", &[("pipelines/r.star", &template)]);
    let d = only_error(&outcome);
    assert_eq!(d.file, "pipelines/r.star");
    (d.line, d.message.clone())
}

#[test]
fn what_pipelines_returned_is_checked_shape_by_shape() {
    let pipeline = "pipeline(name, config, team)";
    let cases = [
        (
            "{}".to_owned(),
            format!("result error: `pipelines` must return a list of pipelines (`{pipeline}`), not a dict"),
        ),
        (
            "None".to_owned(),
            format!("result error: `pipelines` must return a list of pipelines (`{pipeline}`), not None"),
        ),
        (
            "[{\"name\": \"a\", \"config\": {}}, 1]".to_owned(),
            "result error: item 1 of the list `pipelines` returned is a number, not a pipeline (a dict with `name`, `team`, `config`)".to_owned(),
        ),
        (
            "[True]".to_owned(),
            "result error: item 0 of the list `pipelines` returned is a boolean, not a pipeline (a dict with `name`, `team`, `config`)".to_owned(),
        ),
        (
            "[\"a\"]".to_owned(),
            "result error: item 0 of the list `pipelines` returned is a string, not a pipeline (a dict with `name`, `team`, `config`)".to_owned(),
        ),
        (
            "[[]]".to_owned(),
            "result error: item 0 of the list `pipelines` returned is a list, not a pipeline (a dict with `name`, `team`, `config`)".to_owned(),
        ),
        (
            "[{\"name\": \"a\", \"config\": {}, \"colour\": 1}]".to_owned(),
            "result error: item 0 has the key `colour`; a pipeline has only `name`, `team` and `config`".to_owned(),
        ),
        (
            "[{\"name\": 1, \"config\": {}}]".to_owned(),
            "result error: item 0 has no `name` string".to_owned(),
        ),
        (
            "[{\"name\": \"a\", \"team\": 3, \"config\": {}}]".to_owned(),
            "result error: pipeline `a`: `team` is a number, not a string".to_owned(),
        ),
        (
            "[{\"name\": \"a\", \"config\": None}]".to_owned(),
            "result error: pipeline `a`: `config` is None, not a dict (the pipeline configuration)".to_owned(),
        ),
        (
            "[{\"name\": \"a\", \"config\": []}]".to_owned(),
            "result error: pipeline `a`: `config` is a list, not a dict (the pipeline configuration)".to_owned(),
        ),
    ];
    for (value, message) in cases {
        assert_eq!(returned(&value), (2, message), "{value}");
    }
    // A value that is not plain data: where it is, and what it is.
    let (line, message) = returned("[{\"name\": \"a\", \"config\": {\"f\": len}}]");
    assert_eq!(line, 2);
    assert!(
        message.starts_with(
            "result error: `pipelines` returned a value that is not plain data (dicts, lists, strings, numbers, booleans, None): it holds a value of type `function` (at `value[0].config.f`)"
        ),
        "{message}"
    );
}

#[test]
fn an_error_inside_the_library_is_placed_at_the_templates_call() {
    let template = "\
load(\"@edx-matrix//lib.star\", \"stage_vars\")
def pipelines(matrix, standard):
    n = 1
    v = stage_vars(matrix, \"campus\", \"Nope\")
    return []
";
    let outcome = render_with("", &[("pipelines/lib-call.star", template)]);
    let d = only_error(&outcome);
    assert_eq!(
        (d.file.as_str(), d.line, d.column),
        ("pipelines/lib-call.star", 4, 9),
        "{d:?}"
    );
    assert!(
        d.message
            .contains("deployment `campus` has no stage `Nope`"),
        "{}",
        d.message
    );
}

#[test]
fn brackets_nested_too_deep_in_a_loaded_file_are_refused_at_the_load() {
    let helper = format!("x = 1\ny = {}{}\n", "(".repeat(201), ")".repeat(201));
    let outcome = render_loading("", &helper);
    let d = only_error(&outcome);
    assert_eq!(
        (d.file.as_str(), d.line),
        ("pipelines/main.star", 1),
        "{d:?}"
    );
    assert!(
        d.message.contains(
            "`pipelines/helper.star` line 2, column 205: brackets nest more than 200 deep (the most a template may)"
        ),
        "{}",
        d.message
    );
}
