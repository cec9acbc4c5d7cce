//! Hostile templates end inside their bounds (issue 22, rows 1-3): an endless loop at the step
//! bound, list doubling at the memory bound, deep nesting at the depth bound, each a located
//! `pipeline-template` diagnostic naming the bound and the setting that raises it.

use edx_matrix_formats::{Source, load_toml};
use edx_matrix_model::Code;
use edx_matrix_pipeline::{Outcome, TemplateDiagnostic, TemplateFiles, render_all, settings_of};

const MATRIX: &str = r#"
stages = ["CI"]
[releases]
ulmo = { branch = "release/ulmo" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments]
campus = { CI = "ulmo" }
[[map]]
releases = ["ulmo"]
deployments = ["campus"]
[map.apps]
forum = {}
[pipelines]
templates = ["pipelines/*.star"]
"#;

pub(crate) fn render_with(settings_extra: &str, files: &[(&str, &str)]) -> Outcome {
    render_matrix(format!("{MATRIX}{settings_extra}"), files)
}

/// Renders a template that loads `x` from `pipelines/helper.star` (the text `helper`) and
/// returns no pipeline: what a loaded file may do, whatever the template does with it.
pub(crate) fn render_loading(settings_extra: &str, helper: &str) -> Outcome {
    let template = "\
load(\"helper.star\", \"x\")
def pipelines(matrix, standard):
    return []
";
    render_with(
        settings_extra,
        &[
            ("pipelines/helper.star", helper),
            ("pipelines/main.star", template),
        ],
    )
}

/// Renders the templates `files` (the ones defining `pipelines` are the entries) against the
/// matrix `text`, which must load without a problem.
pub(crate) fn render_matrix(text: String, files: &[(&str, &str)]) -> Outcome {
    let loaded = load_toml(Source::new("edx-matrix.toml", text));
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let mut templates = TemplateFiles::default();
    for (path, text) in files {
        templates
            .files
            .insert((*path).to_owned(), (*text).to_owned());
        if text.contains("def pipelines") {
            templates.entries.push((*path).to_owned());
        }
    }
    render_all(&loaded.matrix, &settings, &templates)
}

/// The one diagnostic of a template run that failed.
pub(crate) fn only_error(outcome: &Outcome) -> &TemplateDiagnostic {
    assert!(outcome.pipelines.is_empty() || outcome.diagnostics.len() == 1);
    assert_eq!(outcome.diagnostics.len(), 1, "{:?}", outcome.diagnostics);
    let d = &outcome.diagnostics[0];
    assert_eq!(d.code, Code::PipelineTemplate);
    d
}

#[test]
fn a_nested_endless_loop_stops_at_the_step_bound() {
    let template = "\
def pipelines(matrix, standard):
    n = 0
    for i in range(2147483647):
        for j in range(2147483647):
            n += 1
    return []
";
    // The default bound (two million) takes long in a debug build: a lower one here.
    let outcome = render_with(
        "template_steps = 20000\n",
        &[("pipelines/spin.star", template)],
    );
    let d = only_error(&outcome);
    assert_eq!(d.file, "pipelines/spin.star");
    // The statement about to run: `n += 1`, after twelve spaces (docs/pipelines.md's 5:13).
    assert_eq!((d.line, d.column), (5, 13), "{d:?}");
    assert_eq!(
        d.message,
        "limit error: the template went past its bound of 20000 steps (function calls and loop iterations); raise it with `[pipelines] template_steps = N` (now 20000, at most 100000000)"
    );
}

#[test]
fn a_loop_inside_one_expression_stops_at_the_step_bound_too() {
    let template = "\
def pipelines(matrix, standard):
    return [1 for i in range(2147483647) for j in range(2147483647)]
";
    let outcome = render_with(
        "template_steps = 5000\n",
        &[("pipelines/spin.star", template)],
    );
    let d = only_error(&outcome);
    // No statement boundary inside the comprehension: placed at `def pipelines`.
    assert_eq!((d.line, d.file.as_str()), (1, "pipelines/spin.star"));
    assert!(
        d.message
            .contains("bound of 5000 steps (function calls and loop iterations); raise it with `[pipelines] template_steps = N` (now 5000"),
        "{}",
        d.message
    );
}

#[test]
fn a_loaded_file_spends_the_same_budget() {
    let helper = "\
def spin():
    for i in range(2147483647):
        n = i
x = spin()
";
    let outcome = render_loading("template_steps = 100000\n", helper);
    let d = only_error(&outcome);
    assert!(d.message.contains("bound of 100000 steps"), "{}", d.message);
    assert_eq!(d.file, "pipelines/helper.star", "{d:?}");
    assert_eq!(d.line, 3, "{d:?}");
}

#[test]
fn list_doubling_stops_at_the_memory_bound_long_before_gigabytes() {
    // Forty doublings would be 4.4 GB (and a panic inside Starlark at 4 GiB).
    let template = "\
def pipelines(matrix, standard):
    x = [1]
    for i in range(40):
        x = x + x
    return []
";
    let outcome = render_with(
        "template_memory_mib = 16\n",
        &[("pipelines/grow.star", template)],
    );
    let d = only_error(&outcome);
    assert_eq!(
        (d.file.as_str(), d.line),
        ("pipelines/grow.star", 4),
        "{d:?}"
    );
    assert_eq!(
        d.message,
        "limit error: the template went past its bound of 16 MiB of template memory; raise it with `[pipelines] template_memory_mib = N` (now 16, at most 2048)"
    );
}

#[test]
fn string_doubling_stops_at_the_default_memory_bound() {
    let template = "\
s = \"x\"
for i in range(40):
    s = s + s
def pipelines(matrix, standard):
    return []
";
    let outcome = render_with("", &[("pipelines/grow.star", template)]);
    let d = only_error(&outcome);
    assert!(
        d.message.contains("bound of 256 MiB of template memory"),
        "{}",
        d.message
    );
}

fn nested(depth: usize) -> String {
    format!(
        "\
def pipelines(matrix, standard):
    x = []
    for i in range({depth}):
        x = [x]
    return [{{\"name\": \"deep\", \"config\": {{\"jobs\": x}}}}]
"
    )
}

#[test]
fn a_value_nested_300_deep_is_a_diagnostic_not_a_stack_overflow() {
    let outcome = render_with("", &[("pipelines/deep.star", &nested(300))]);
    let d = only_error(&outcome);
    assert_eq!(
        (d.file.as_str(), d.line),
        ("pipelines/deep.star", 1),
        "{d:?}"
    );
    assert!(
        d.message.starts_with(
            "limit error: `pipelines` returned a value that is nested too deep (at `value[0].config.jobs[0][0][0]"
        ),
        "{}",
        d.message
    );
    assert!(
        d.message.ends_with(
            "the template went past its bound of 100 levels of nesting; raise it with `[pipelines] template_depth = N` (now 100, at most 1000)"
        ),
        "{}",
        d.message
    );
}

#[test]
fn a_value_nested_a_hundred_thousand_deep_is_refused_the_same_way() {
    let outcome = render_with(
        "template_depth = 1000\n",
        &[("pipelines/deep.star", &nested(100_000))],
    );
    let d = only_error(&outcome);
    assert!(
        d.message.contains("is nested too deep") && d.message.contains("at its ceiling, 1000"),
        "{}",
        d.message
    );
}

#[test]
fn a_list_containing_itself_is_too_deep_not_endless() {
    let template = "\
def pipelines(matrix, standard):
    x = []
    x.append(x)
    return [{\"name\": \"loop\", \"config\": {\"jobs\": x}}]
";
    let outcome = render_with("", &[("pipelines/cycle.star", template)]);
    let d = only_error(&outcome);
    assert!(d.message.contains("is nested too deep"), "{}", d.message);
}

#[test]
fn a_small_value_shared_exponentially_often_stops_at_the_memory_bound() {
    // 2^60 parts once copied out, from 60 lists.
    let template = "\
def pipelines(matrix, standard):
    x = [\"abcdefgh\"]
    for i in range(60):
        x = [x, x]
    return [{\"name\": \"wide\", \"config\": {\"jobs\": x}}]
";
    // At the default 256 MiB the copy runs through millions of parts before the bound (26 s
    // of the binary's 31 s, debug build): 1 MiB shows the same rule after a 256th of the work.
    // The default's own value is shown by `string_doubling_stops_at_the_default_memory_bound`.
    let outcome = render_with(
        "template_depth = 100\ntemplate_memory_mib = 1\n",
        &[("pipelines/wide.star", template)],
    );
    let d = only_error(&outcome);
    assert_eq!(
        (d.file.as_str(), d.line),
        ("pipelines/wide.star", 1),
        "{d:?}"
    );
    assert!(
        d.message.starts_with(
            "limit error: `pipelines` returned a value that is too large to copy out (at `value[0].config.jobs[0][0]"
        ),
        "{}",
        d.message
    );
    assert!(
        d.message.ends_with(
            "the template went past its bound of 1 MiB of template memory; raise it with `[pipelines] template_memory_mib = N` (now 1, at most 2048)"
        ),
        "{}",
        d.message
    );
}

#[test]
fn a_loaded_file_defining_a_deep_value_is_refused_before_freezing() {
    let helper = "\
x = []
for i in range(100000):
    x = [x]
";
    let outcome = render_loading("", helper);
    let d = only_error(&outcome);
    assert_eq!(
        (d.file.as_str(), d.line),
        ("pipelines/main.star", 1),
        "{d:?}"
    );
    assert!(
        d.message
            .contains("`x` of `pipelines/helper.star` is nested too deep"),
        "{}",
        d.message
    );
}

#[test]
fn brackets_nested_past_the_parser_bound_are_a_syntax_error_at_their_place() {
    let template = format!(
        "def pipelines(matrix, standard):\n    return {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let outcome = render_with("", &[("pipelines/brackets.star", &template)]);
    let d = only_error(&outcome);
    assert_eq!((d.line, d.column), (2, 212), "{d:?}");
    assert_eq!(
        d.message,
        "syntax error: brackets nest more than 200 deep (the most a template may)"
    );
}

#[test]
fn the_repr_of_a_deep_value_does_not_overflow_the_stack() {
    // Starlark's `str` recurses; the template thread's stack has room for what the memory
    // bound lets a template build.
    let template = "\
def pipelines(matrix, standard):
    x = []
    for i in range(100000):
        x = [x]
    s = str(x)
    return []
";
    let outcome = render_with("", &[("pipelines/repr.star", template)]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
}

#[test]
fn bounds_out_of_range_are_refused_at_their_place() {
    let text = format!(
        "{MATRIX}template_steps = 0\ntemplate_memory_mib = 4096\ntemplate_depth = \"deep\"\n"
    );
    let loaded = load_toml(Source::new("edx-matrix.toml", text.clone()));
    let (settings, diagnostics) = settings_of(&loaded);
    let found: Vec<(Code, &str, String)> = diagnostics
        .iter()
        .map(|d| {
            let edx_matrix_formats::Location::Span(span) = &d.location else {
                panic!("{d:?}");
            };
            (d.code, &text[span.clone()], d.message.clone())
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                Code::PipelineInvalid,
                "0",
                "`template_steps` must be between 1 and 100000000 (its ceiling), found 0"
                    .to_owned()
            ),
            (
                Code::PipelineInvalid,
                "4096",
                "`template_memory_mib` must be between 1 and 2048 (its ceiling), found 4096"
                    .to_owned()
            ),
            (
                Code::WrongType,
                "\"deep\"",
                "`pipelines.template_depth` must be an integer, found string".to_owned()
            ),
        ]
    );
    // The defaults stay.
    assert_eq!(settings.template_limits, Default::default());
}
