//! The `[pipelines]` reader's rules one at a time (`src/read.rs`, `src/read/*`,
//! `src/settings.rs`): what a setting is read as, and each problem at its place, with the
//! settings the reader still returns. `settings.rs` checks many problems in one file.

use crate::support::bare_acme;
use edx_matrix_formats::{Location, Source, load_toml};
use edx_matrix_pipeline::{Settings, settings_of};

/// A diagnostic: its code, `line:col` (the line counted from the end of the acme matrix, so
/// line 1 is the first line of `settings`), the length of its span, its message and its help.
type Found = (String, String, usize, String, Vec<String>);

/// Reads `settings` appended to the acme matrix without its own `[pipelines]`.
fn read(settings: &str) -> (Settings, Vec<Found>) {
    let bare = bare_acme();
    let text = format!("{bare}{settings}");
    let loaded = load_toml(Source::new("edx-matrix.toml", text.as_str()));
    assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
    let (read, diagnostics) = settings_of(&loaded);
    let offset = bare.lines().count();
    let found = diagnostics
        .iter()
        .map(|d| {
            let Location::Span(span) = &d.location else {
                panic!("no place: {d:?}")
            };
            let (line, col) = loaded.source.line_col(span.start);
            (
                d.code.as_str().to_owned(),
                format!("{}:{col}", line - offset),
                span.len(),
                d.message.clone(),
                d.help.clone(),
            )
        })
        .collect();
    (read, found)
}

fn found(code: &str, at: &str, len: usize, message: &str, help: &[&str]) -> Found {
    (
        code.to_owned(),
        at.to_owned(),
        len,
        message.to_owned(),
        help.iter().map(|h| (*h).to_owned()).collect(),
    )
}

#[test]
fn a_misspelled_stage_is_undefined_and_the_stage_is_suggested() {
    let (_, got) = read("[pipelines.stages.Producton]\ngate = \"manual\"\n");
    assert_eq!(
        got,
        [found(
            "pipeline-undefined",
            "1:19",
            "Producton".len(),
            "`pipelines.stages` names stage `Producton`, which is not defined",
            &["did you mean `Production`?"],
        )]
    );
}

#[test]
fn an_approval_gate_names_a_declared_resource_and_only_that() {
    let resources = "[pipelines.resources.approval]\ntype = \"git\"\nsource = {}\n\
                     [pipelines.resources.tasks]\ntype = \"git\"\nsource = {}\n";
    let (settings, got) = read(&format!(
        "{resources}[pipelines.stages.Production]\ngate = {{ approval = \"aproval\" }}\n"
    ));
    assert_eq!(
        got,
        [found(
            "pipeline-undefined",
            "8:21",
            "\"aproval\"".len(),
            "`gate` of `pipelines.stages.Production` names resource `aproval`, which is not in `pipelines.resources`",
            &["did you mean `approval`?"],
        )]
    );
    assert!(settings.stages["Production"].gate.is_none());
    let (settings, got) = read(&format!(
        "{resources}[pipelines.stages.Production]\ngate = {{ approval = \"approval\" }}\n"
    ));
    assert_eq!(got, []);
    assert_eq!(
        format!("{:?}", settings.stages["Production"].gate),
        "Some(Approval(\"approval\"))"
    );
}

#[test]
fn a_task_file_names_a_declared_resource_and_only_that() {
    let resources = "[pipelines.resources.tasks]\ntype = \"git\"\nsource = {}\n\
                     [pipelines.resources.approval]\ntype = \"git\"\nsource = {}\n";
    let (settings, got) = read(&format!(
        "{resources}[pipelines.deploy]\ntask = {{ resource = \"taks\", file = \"deploy.yml\" }}\n"
    ));
    assert_eq!(
        got,
        [found(
            "pipeline-undefined",
            "8:21",
            "\"taks\"".len(),
            "`pipelines.deploy.task` names resource `taks`, which is not in `pipelines.resources`",
            &["did you mean `tasks`?"],
        )]
    );
    // The task is not kept: the deploy stays the default one.
    assert_eq!(settings.deploy, Settings::default().deploy);
}

/// A task with an invalid template in its image tag or a param is reported at the brace (the
/// value is a plain one-line string) and not kept.
#[test]
fn a_task_with_an_invalid_template_is_not_kept_and_the_brace_is_pointed_at() {
    let (settings, got) = read(
        "[pipelines.build.mfe]\ntask = { image = \"node\", tag = \"node-{nde}\", run = [\"npm\", \"ci\"] }\n",
    );
    assert_eq!(got.len(), 1, "{got:#?}");
    let (code, at, len, message, _) = &got[0];
    assert_eq!(code, "invalid-template");
    // `task = { image = "node", tag = "` is 32 characters, `node-` 5 more: the brace is 38.
    assert_eq!((at.as_str(), *len), ("2:38", 1));
    assert!(
        message.starts_with("invalid template in `tag` of `task` of `pipelines.build.mfe`: "),
        "{message}"
    );
    assert!(settings.build_mfe.task.is_none());

    let (settings, got) = read(
        "[pipelines.build.mfe]\ntask = { image = \"node\", run = [\"npm\", \"ci\"], params = { SITE = \"x{site}\" } }\n",
    );
    assert_eq!(got.len(), 1, "{got:#?}");
    let (code, at, len, message, _) = &got[0];
    assert_eq!(code, "invalid-template");
    // `task = { image = "node", run = ["npm", "ci"], params = { SITE = "x` is 66 characters.
    assert_eq!((at.as_str(), *len), ("2:67", 1));
    assert!(
        message
            .starts_with("invalid template in param `SITE` of `task` of `pipelines.build.mfe`: "),
        "{message}"
    );
    assert!(settings.build_mfe.task.is_none());
}

#[test]
fn a_meta_uri_with_a_concourse_var_is_not_checked_as_a_url_and_any_other_is() {
    let (settings, got) = read("[pipelines.meta]\nuri = \"((matrix-repository))\"\n");
    assert_eq!(got, []);
    assert_eq!(settings.meta.uri, "((matrix-repository))");
    let (_, got) = read("[pipelines.meta]\nuri = \"matrix-repository\"\n");
    assert_eq!(got.len(), 1, "{got:#?}");
    let (code, at, _, message, _) = &got[0];
    assert_eq!((code.as_str(), at.as_str()), ("pipeline-invalid", "2:7"));
    assert!(
        message.starts_with("`uri` of `pipelines.meta` is not a repository URL: "),
        "{message}"
    );
}

#[test]
fn a_family_named_like_an_application_with_its_own_pipeline_clashes() {
    let (_, got) = read("[pipelines.families]\nforum = [\"learning\"]\n");
    assert_eq!(
        got,
        [found(
            "pipeline-duplicate",
            "2:1",
            "forum".len(),
            "family `forum` has the name of application `forum`, which has its own pipeline",
            &["add `forum` to the family, or rename the family"],
        )]
    );
    // In the family, `forum` has no pipeline of its own.
    let (_, got) = read("[pipelines.families]\nforum = [\"forum\", \"learning\"]\n");
    assert_eq!(got, []);
}

#[test]
fn the_meta_pipeline_named_like_a_component_pipeline_clashes() {
    let (_, got) = read("[pipelines.meta]\nname = \"forum\"\n");
    assert_eq!(
        got,
        [found(
            "pipeline-duplicate",
            "2:1",
            "name".len(),
            "the meta pipeline is called `forum`, like a component pipeline",
            &[],
        )]
    );
    // A family's name is a pipeline's too.
    let (_, got) =
        read("[pipelines.families]\nweb = [\"learning\"]\n[pipelines.meta]\nname = \"web\"\n");
    assert_eq!(got.len(), 1, "{got:#?}");
    assert_eq!(got[0].1, "4:1");
    // An application in a family has no pipeline of its own: its name is free.
    let (_, got) =
        read("[pipelines.families]\nweb = [\"forum\"]\n[pipelines.meta]\nname = \"forum\"\n");
    assert_eq!(got, []);
}

/// `template_steps`, `template_memory_mib` and `template_depth` are read when they are between
/// 1 and their ceiling (docs/pipelines.md: 100,000,000 steps, 2,048 MiB, 1,000 levels), else
/// refused at their value with the default named, the default kept.
#[test]
fn template_bounds_are_read_between_one_and_their_ceiling() {
    let (settings, got) = read(
        "[pipelines]\ntemplate_steps = 100000000\ntemplate_memory_mib = 1\ntemplate_depth = 7\n",
    );
    assert_eq!(got, []);
    let limits = settings.template_limits;
    assert_eq!(
        (limits.steps, limits.memory_mib, limits.depth),
        (100_000_000, 1, 7)
    );
    let (settings, got) = read(
        "[pipelines]\ntemplate_steps = 100000001\ntemplate_memory_mib = 2048\ntemplate_depth = 0\n",
    );
    let defaults = Settings::default().template_limits;
    assert_eq!(
        (
            settings.template_limits.steps,
            settings.template_limits.memory_mib,
            settings.template_limits.depth
        ),
        (defaults.steps, 2048, defaults.depth)
    );
    assert_eq!(
        got,
        [
            found(
                "pipeline-invalid",
                "2:18",
                "100000001".len(),
                "`template_steps` must be between 1 and 100000000 (its ceiling), found 100000001",
                &["the default is 2000000"],
            ),
            found(
                "pipeline-invalid",
                "4:18",
                1,
                "`template_depth` must be between 1 and 1000 (its ceiling), found 0",
                &["the default is 100"],
            ),
        ]
    );
}

/// Without `paths`, the meta pipeline triggers on the matrix file and the template patterns,
/// both relative to the repository (docs/pipelines.md, "The meta pipeline").
#[test]
fn the_meta_pipeline_triggers_on_the_matrix_and_the_templates_by_default() {
    let (settings, got) = read(
        "[pipelines]\ntemplates = [\"pipelines/*.star\", \"extra.star\"]\n[pipelines.meta]\nfile = \"ops/edx-matrix.toml\"\n",
    );
    assert_eq!(got, []);
    assert_eq!(
        settings.meta_paths(),
        [
            "ops/edx-matrix.toml",
            "ops/pipelines/*.star",
            "ops/extra.star"
        ]
    );
    let (settings, _) = read("[pipelines]\ntemplates = [\"pipelines/*.star\"]\n");
    assert_eq!(
        settings.meta_paths(),
        ["edx-matrix.toml", "pipelines/*.star"]
    );
    let (settings, _) = read(
        "[pipelines]\ntemplates = [\"pipelines/*.star\"]\n[pipelines.meta]\npaths = [\"a\", \"b/c\"]\n",
    );
    assert_eq!(settings.meta_paths(), ["a", "b/c"]);
}

/// A family's and the meta pipeline's names are pipeline names: Concourse identifiers, and not
/// `self` (`set_pipeline: self` is the running pipeline).
#[test]
fn family_and_meta_names_are_pipeline_names() {
    let (_, got) =
        read("[pipelines.families]\nWeb = [\"learning\"]\n[pipelines.meta]\nname = \"self\"\n");
    assert_eq!(
        got,
        [
            found(
                "pipeline-invalid",
                "2:1",
                "Web".len(),
                "the family name `Web` is not a valid Concourse identifier: it must start with a lower-case letter",
                &[],
            ),
            found(
                "pipeline-invalid",
                "4:8",
                "\"self\"".len(),
                "the meta pipeline name `self` is not a valid Concourse identifier: Concourse reads `set_pipeline: self` as the running pipeline, so setting it would replace the meta pipeline",
                &[],
            ),
        ]
    );
}
