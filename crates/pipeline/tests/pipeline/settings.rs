//! The `[pipelines]` settings diagnostics, and one invalid fixture per pipeline diagnostic
//! code.

use crate::support::{acme_with_settings, bare_acme, load};
use edx_matrix_formats::{Location, Source, load_toml};
use edx_matrix_pipeline::settings_of;
use std::collections::HashSet;

#[test]
fn settings_problems_are_all_reported_with_their_place() {
    let text = format!(
        "{}{}",
        bare_acme(),
        r#"
[pipelines]
team = "Acme"
chek_every = "5m"
[pipelines.families]
mfe = ["learning", "lerning"]
web = ["learning"]
[pipelines.build.ida]
task = { image = "x", run = ["echo", "{release}"] }
[pipelines.build.forum]
task = { resource = "tasks", file = "../t.yml" }
[pipelines.stages.Prod]
gate = "manul"
[pipelines.deploy]
task = { resource = "ci" }
[pipelines.meta]
tag = "latest"
"#
    );
    let loaded = load_toml(Source::new("m.toml", text.as_str()));
    let (_, diagnostics) = settings_of(&loaded);
    let got: Vec<(String, usize, String, Vec<String>)> = diagnostics
        .iter()
        .map(|d| {
            let Location::Span(span) = &d.location else {
                panic!("{d:?}")
            };
            (
                d.code.as_str().to_owned(),
                loaded.source.line_col(span.start).0 - bare_acme().lines().count(),
                d.message.clone(),
                d.help.clone(),
            )
        })
        .collect();
    let expected: Vec<(&str, usize, &str, Vec<&str>)> = vec![
        (
            "unknown-key",
            4,
            "unknown key `chek_every` in `pipelines`",
            vec!["did you mean `check_every`?"],
        ),
        (
            "pipeline-invalid",
            3,
            "the team name `Acme` is not a valid Concourse identifier: it must start with a lower-case letter",
            vec![],
        ),
        (
            "pipeline-undefined",
            6,
            "family `mfe` names application `lerning`, which is not defined",
            vec!["did you mean `learning`?"],
        ),
        (
            "pipeline-duplicate",
            7,
            "application `learning` is in family `mfe` and in family `web`",
            vec![],
        ),
        (
            "pipeline-invalid",
            9,
            "placeholders are not expanded in `run` of `task` of `pipelines.build.ida`: `{release}`",
            vec!["read the value from the task's environment instead (`$RELEASE`)"],
        ),
        (
            "pipeline-undefined",
            11,
            "`task` of `pipelines.build.forum` names resource `tasks`, which is not in `pipelines.resources`",
            vec![],
        ),
        (
            "pipeline-invalid",
            11,
            "`file` of `task` of `pipelines.build.forum` must be a relative path inside the resource: it has an empty or `..` component",
            vec![],
        ),
        (
            "pipeline-invalid",
            15,
            "`pipelines.deploy.task` must have either `resource` and `file` (a task file) or `image` and `run` (an inline task), found `resource`",
            vec![
                "e.g. `{ resource = \"ci\", file = \"tasks/build.yml\" }` or `{ image = \"node\", tag = \"{runtime}\", run = [\"npm\", \"run\", \"build\"] }`",
            ],
        ),
        (
            "pipeline-undefined",
            12,
            "`pipelines.stages` names stage `Prod`, which is not defined",
            vec![],
        ),
        (
            "pipeline-invalid",
            13,
            "unknown gate `manul` in `gate` of `pipelines.stages.Prod`",
            vec!["did you mean `manual`?"],
        ),
        (
            "pipeline-invalid",
            17,
            "`tag` of `pipelines.meta` must pin a version of the edx-matrix image",
            vec![],
        ),
    ];
    let expected: Vec<(String, usize, String, Vec<String>)> = expected
        .into_iter()
        .map(|(c, l, m, h)| {
            (
                c.to_owned(),
                l,
                m.to_owned(),
                h.into_iter().map(str::to_owned).collect(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn the_acme_settings_have_no_problems() {
    let loaded = load(&acme_with_settings());
    let (settings, diagnostics) = settings_of(&loaded);
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
    assert!(settings.declared);
    assert_eq!(settings.team, "acme");
}

// ── One invalid fixture per pipeline diagnostic code ────────────────────────────────────────

/// Each fixture is its own test (`tests/fixtures.rs`), which checks that it yields the codes it
/// declares; here, that every `pipeline-*` code is declared by one.
#[test]
fn every_pipeline_code_has_an_invalid_pipelines_fixture() {
    use edx_matrix_model::Code;
    let mut covered = HashSet::new();
    for path in edx_matrix_test_support::fixtures::files("invalid-pipelines", "toml") {
        let text = std::fs::read_to_string(&path).unwrap();
        let expectations = edx_matrix_test_support::fixtures::header_expectations(&text);
        assert!(!expectations.is_empty(), "{path:?} has no `# expect:` line");
        covered.extend(
            expectations.iter().map(|(c, _)| {
                Code::from_name(c).unwrap_or_else(|| panic!("{path:?}: no code `{c}`"))
            }),
        );
    }
    for code in Code::ALL
        .iter()
        .filter(|c| c.as_str().starts_with("pipeline-"))
        // Found in rendered template pipelines, not in the settings (tests/pipeline/templates.rs).
        .filter(|c| **c != Code::PipelineCommandLine)
    {
        assert!(covered.contains(code), "no fixture for `{code}`");
    }
}
