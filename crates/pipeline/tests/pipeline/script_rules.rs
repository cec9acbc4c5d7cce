//! The template bounds' rules that `template_bounds` does not reach (issue 29's mutation run of
//! `script/`): the steps loaded files spend count against the template, a loaded file is held
//! to the depth and memory settings, the step bound's exact edge, quotes that hide no brackets.

use super::template_bounds::{only_error, render_loading, render_with};

#[test]
fn steps_a_loaded_file_spent_count_against_the_template() {
    // 600 loop iterations in each file: each alone within 1000 steps, not both.
    let helper = "\
def spin(n):
    for i in range(n):
        m = i
    return n
spent = spin(600)
";
    let template = "\
load(\"helper.star\", \"spent\")
def pipelines(matrix, standard):
    for i in range(600):
        m = i
    return []
";
    let files = [
        ("pipelines/helper.star", helper),
        ("pipelines/main.star", template),
    ];
    let outcome = render_with("template_steps = 1000\n", &files);
    let d = only_error(&outcome);
    assert_eq!(
        (d.file.as_str(), d.line),
        ("pipelines/main.star", 4),
        "{d:?}"
    );
    assert!(d.message.contains("bound of 1000 steps"), "{}", d.message);
    // Twice the bound: both fit.
    let outcome = render_with("template_steps = 2000\n", &files);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
}

#[test]
fn a_loaded_file_is_held_to_the_depth_setting() {
    let helper = "\
x = []
for i in range(30):
    x = [x]
";
    let outcome = render_loading("template_depth = 20\n", helper);
    let d = only_error(&outcome);
    assert!(
        d.message
            .contains("`x` of `pipelines/helper.star` is nested too deep")
            && d.message.contains("bound of 20 levels of nesting")
            && d.message.contains("(now 20, at most 1000)"),
        "{}",
        d.message
    );
    // 30 levels are within the default 100.
    let outcome = render_loading("", helper);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
}

#[test]
fn a_loaded_value_is_held_to_the_memory_setting_once_copied_out() {
    // 2^20 parts shared from 20 small lists: a few KiB of heap, megabytes copied out.
    let helper = "\
x = [\"abcdefgh\"]
for i in range(20):
    x = [x, x]
";
    let outcome = render_loading("template_memory_mib = 1\n", helper);
    let d = only_error(&outcome);
    assert!(
        d.message
            .contains("`x` of `pipelines/helper.star` is too large to copy out")
            && d.message.contains("(now 1, at most 2048)"),
        "{}",
        d.message
    );
}

#[test]
fn a_run_of_exactly_the_step_bound_is_within_it() {
    // Steps are function calls plus loop iterations: three iterations, each calling `f`, are
    // six (the caller's own call of `pipelines` is not the template's).
    let template = "\
def f(i):
    return i
def pipelines(matrix, standard):
    for i in [1, 2, 3]:
        n = f(i)
    return []
";
    let files = [("pipelines/six.star", template)];
    let outcome = render_with("template_steps = 6\n", &files);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let outcome = render_with("template_steps = 5\n", &files);
    let d = only_error(&outcome);
    assert!(d.message.contains("bound of 5 steps"), "{}", d.message);
}

#[test]
fn an_empty_triple_quoted_string_hides_no_brackets() {
    // `""""""` is one empty string: the brackets after it nest 100,000 deep.
    let template = format!(
        "def pipelines(matrix, standard):\n    return \"\"\"\"\"\" + {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let outcome = render_with("", &[("pipelines/quotes.star", &template)]);
    let d = only_error(&outcome);
    // Eleven columns of `    return `, six of quotes, three of ` + `, then the 201st bracket.
    assert_eq!((d.line, d.column), (2, 221), "{d:?}");
    assert_eq!(
        d.message,
        "syntax error: brackets nest more than 200 deep (the most a template may)"
    );
}

/// The bounds' matrix with `apps` more applications, built from the `forum` repository.
fn matrix_with(apps: usize) -> String {
    let mut text = String::from(
        "stages = [\"CI\"]\n[releases]\nulmo = { branch = \"release/ulmo\" }\n[applications]\n",
    );
    for i in 0..apps {
        text.push_str(&format!(
            "app-{i} = {{ kind = \"ida\", repository = \"https://github.com/openedx/app-{i}\" }}\n"
        ));
    }
    text.push_str("[deployments]\ncampus = { CI = \"ulmo\" }\n[[map]]\nreleases = [\"ulmo\"]\ndeployments = [\"campus\"]\n[map.apps]\n");
    for i in 0..apps {
        text.push_str(&format!("app-{i} = {{}}\n"));
    }
    text.push_str("[pipelines]\ntemplates = [\"pipelines/*.star\"]\ntemplate_memory_mib = 1\n");
    text
}

#[test]
fn the_matrix_data_handed_over_does_not_count_against_the_memory_bound() {
    use edx_matrix_formats::{Source, load_toml};
    use edx_matrix_pipeline::{TemplateFiles, render_all, settings_of};
    let run = |template: &str| {
        let loaded = load_toml(Source::new("edx-matrix.toml", matrix_with(400)));
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        let (settings, diagnostics) = settings_of(&loaded);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let mut templates = TemplateFiles::default();
        templates
            .files
            .insert("pipelines/data.star".to_owned(), template.to_owned());
        templates.entries.push("pipelines/data.star".to_owned());
        render_all(&loaded.matrix, &settings, &templates).diagnostics
    };
    // Reading the data is free...
    let reads = "\
def pipelines(matrix, standard):
    n = len(matrix[\"rows\"]) + len(standard)
    return []
";
    assert_eq!(run(reads), []);
    // ...a copy the template makes of it is its own memory, and passes 1 MiB.
    let copies = "\
def pipelines(matrix, standard):
    s = str(matrix) + str(standard)
    return []
";
    let diagnostics = run(copies);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert!(
        diagnostics[0]
            .message
            .contains("bound of 1 MiB of template memory"),
        "{}",
        diagnostics[0].message
    );
}

#[test]
fn what_the_module_level_allocated_counts_inside_pipelines_too() {
    // 300 KiB at the module level, 800 KiB in `pipelines` (sized from the data, so that
    // Starlark cannot compute it when it compiles the `def`): each alone within 1 MiB, not
    // both.
    let both = "\
big = \"x\" * (300 * 1024)
def pipelines(matrix, standard):
    mine = \"y\" * (len(matrix[\"stages\"]) * 800 * 1024)
    return []
";
    let run = |template: &str| {
        render_with(
            "template_memory_mib = 1\n",
            &[("pipelines/both.star", template)],
        )
    };
    let outcome = run(both);
    let d = only_error(&outcome);
    assert_eq!(
        (d.file.as_str(), d.line),
        ("pipelines/both.star", 4),
        "{d:?}"
    );
    assert!(d.message.contains("bound of 1 MiB"), "{}", d.message);
    let module_only = both.replace("len(matrix", "0 * len(matrix");
    assert_eq!(run(&module_only).diagnostics, []);
    let function_only = both.replace("\"x\" * (300 * 1024)", "\"x\"");
    assert_eq!(run(&function_only).diagnostics, []);
}

#[test]
fn a_file_loaded_after_exactly_the_step_bound_was_spent_may_still_run_without_steps() {
    // Three loop iterations are three steps: the bound, not past it. `other.star` takes none.
    let spends = "\
for i in [1, 2, 3]:
    m = i
a = 1
";
    let template = "\
load(\"spends.star\", \"a\")
load(\"other.star\", \"b\")
def pipelines(matrix, standard):
    return []
";
    let outcome = render_with(
        "template_steps = 3\n",
        &[
            ("pipelines/spends.star", spends),
            ("pipelines/other.star", "b = 2\n"),
            ("pipelines/main.star", template),
        ],
    );
    assert_eq!(outcome.diagnostics, []);
}
