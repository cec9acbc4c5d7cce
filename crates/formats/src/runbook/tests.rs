#![allow(clippy::unwrap_used)]

use super::read::bad_char;
use super::*;
use crate::operations::{Operations, grafana_url_problem, is_valid_datasource_uid};
use crate::{Location, Source, load_toml};
use edx_matrix_model::Code;

const BASE: &str = r#"stages = ["CI", "QA", "Production"]
[releases]
redwood = { branch = "open-release/redwood.master", python = "3.11", node = "18" }
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
[deployments]
campus = { CI = "ulmo", QA = "redwood", Production = "redwood" }
[[map]]
releases = ["redwood", "ulmo"]
deployments = ["campus"]
[map.apps]
forum = {}
"#;

fn load(extra: &str) -> (String, crate::Loaded) {
    let text = format!("{BASE}{extra}");
    let loaded = load_toml(Source::new("edx-matrix.toml", text.clone()));
    (text, loaded)
}

/// Returns (code, line, column, width, message) of every diagnostic.
fn diagnostics(extra: &str) -> Vec<(String, usize, usize, usize, String)> {
    let (_, loaded) = load(extra);
    loaded
        .diagnostics
        .iter()
        .map(|d| {
            let Location::Span(span) = &d.location else {
                panic!("unlocated: {d:?}")
            };
            let (line, col) = loaded.source.line_col(span.start);
            (
                d.code.as_str().to_owned(),
                line,
                col,
                span.len(),
                d.message.clone(),
            )
        })
        .collect()
}

fn runbooks(extra: &str) -> RunbookFile {
    let (text, loaded) = load(extra);
    read(&text, &loaded.matrix)
}

const GOOD: &str = r#"
[[runbooks.redwood]]
text = "Generate keys"
command = "edx-matrix jwt-keygen"
stages = ["CI", "QA"]
source = "operators"

[[runbooks.redwood]]
text = """Flush the cache
and restart"""
when = "every-deploy"

[operations]
grafana_url = "https://grafana.example.org/"
loki_datasource = "loki_1"
"#;

#[test]
fn a_good_runbook_has_no_diagnostics_and_reads_back() {
    let (_, loaded) = load(GOOD);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let file = runbooks(GOOD);
    assert!(file.diagnostics.is_empty());
    let steps = file.runbooks.for_release("redwood").unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(
        steps[0],
        RunbookStep {
            text: "Generate keys".into(),
            command: Some("edx-matrix jwt-keygen".into()),
            when: When::FirstDeploy,
            stages: vec!["CI".into(), "QA".into()],
            source: Some("operators".into()),
        }
    );
    assert_eq!(steps[1].text, "Flush the cache\nand restart");
    assert_eq!(steps[1].when, When::EveryDeploy);
    assert_eq!(
        file.operations,
        Operations {
            grafana_url: Some("https://grafana.example.org".into()),
            loki_datasource: Some("loki_1".into()),
        }
    );
}

#[test]
fn steps_for_filters_by_stage_and_first_deploy() {
    let file = runbooks(GOOD);
    let texts = |stage: Option<&str>, first: bool| -> Vec<String> {
        let plan = file.runbooks.steps_for("redwood", stage, first);
        assert_eq!(plan.origin, Origin::Matrix);
        plan.steps.into_iter().map(|s| s.text).collect()
    };
    assert_eq!(texts(Some("CI"), true).len(), 2);
    assert_eq!(
        texts(Some("Production"), true),
        ["Flush the cache\nand restart"]
    );
    assert_eq!(texts(Some("CI"), false), ["Flush the cache\nand restart"]);
    assert_eq!(texts(None, true).len(), 2);
}

#[test]
fn a_release_without_a_runbook_gets_the_built_in_steps() {
    let file = runbooks(GOOD);
    let plan = file.runbooks.steps_for("ulmo", Some("CI"), true);
    assert_eq!(plan.origin, Origin::BuiltIn);
    assert_eq!(plan.steps.len(), 1);
    assert_eq!(
        plan.steps[0].command.as_deref(),
        Some("./manage.py lms showmigrations")
    );
    // Not a first deploy: the migration check is not due.
    assert!(
        file.runbooks
            .steps_for("ulmo", Some("CI"), false)
            .steps
            .is_empty()
    );
    // An explicitly empty runbook means no steps, not the built-in ones.
    let file = runbooks("[runbooks]\nulmo = []\n");
    let plan = file.runbooks.steps_for("ulmo", None, true);
    assert_eq!((plan.origin, plan.steps.len()), (Origin::Matrix, 0));
}

#[test]
fn unknown_keys_are_located_with_a_suggestion() {
    let extra = "[[runbooks.redwood]]\ntext = \"x\"\ncommnd = \"y\"\n[operations]\ngrafana = \"https://g\"\n";
    let got = diagnostics(extra);
    assert_eq!(
        got,
        [
            (
                "unknown-key".into(),
                16,
                1,
                6,
                "unknown key `commnd` in a step of the runbook of release `redwood`".into()
            ),
            (
                "unknown-key".into(),
                18,
                1,
                7,
                "unknown key `grafana` in `[operations]`".into()
            ),
        ]
    );
    let (_, loaded) = load(extra);
    assert_eq!(loaded.diagnostics[0].help, ["did you mean `command`?"]);
    assert_eq!(
        loaded.diagnostics[1].help,
        ["expected one of `grafana_url`, `loki_datasource`"]
    );
}

#[test]
fn a_runbook_for_an_undefined_release_is_an_error_with_a_suggestion() {
    let extra = "[[runbooks.redwod]]\ntext = \"x\"\n";
    let got = diagnostics(extra);
    assert_eq!(
        got,
        [(
            "runbook-undefined-release".into(),
            14,
            12,
            6,
            "runbook for release `redwod`, which is not defined in `[releases]`".into()
        )]
    );
    let (_, loaded) = load(extra);
    assert!(loaded.has_errors());
    assert_eq!(loaded.diagnostics[0].help, ["did you mean `redwood`?"]);
}

#[test]
fn a_stage_outside_the_stage_order_is_an_error() {
    let got = diagnostics("[[runbooks.ulmo]]\ntext = \"x\"\nstages = [\"CI\", \"Prod\"]\n");
    assert_eq!(
        got,
        [(
            "runbook-undefined-stage".into(),
            16,
            17,
            6,
            "stage `Prod` of a step of the runbook of release `ulmo` is not in the stage order"
                .into()
        )]
    );
}

#[test]
fn wrong_types_are_reported_where_they_are() {
    let got = diagnostics(
        "[runbooks]\nulmo = \"x\"\nredwood = [{ text = 1, stages = \"CI\" }, 3]\n[operations]\ngrafana_url = 5\n",
    );
    let codes: Vec<(&str, usize, usize)> = got
        .iter()
        .map(|(c, l, col, _, _)| (c.as_str(), *l, *col))
        .collect();
    assert_eq!(
        codes,
        [
            ("wrong-type", 15, 8),
            ("wrong-type", 16, 21),
            ("wrong-type", 16, 33),
            ("wrong-type", 16, 41),
            ("wrong-type", 18, 15),
        ],
        "{got:#?}"
    );
    assert!(got[0].4.contains("an array of tables"));
}

#[test]
fn missing_text_bad_when_and_multi_line_commands_are_refused() {
    let extra = "[[runbooks.ulmo]]\ncommand = \"a\"\n[[runbooks.ulmo]]\ntext = \"x\"\nwhen = \"first_deploy\"\n[[runbooks.ulmo]]\ntext = \" \"\ncommand = \"a\\nb\"\n";
    let got = diagnostics(extra);
    let codes: Vec<(&str, usize)> = got.iter().map(|(c, l, ..)| (c.as_str(), *l)).collect();
    assert_eq!(
        codes,
        [
            ("missing-key", 15),
            ("invalid-runbook-step", 18),
            ("invalid-runbook-step", 20),
            ("invalid-runbook-step", 21),
        ],
        "{got:#?}"
    );
    let (_, loaded) = load(extra);
    assert_eq!(loaded.diagnostics[1].help, ["did you mean `first-deploy`?"]);
    assert!(
        runbooks(extra)
            .runbooks
            .for_release("ulmo")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_terminal_escape_in_text_is_refused() {
    let got = diagnostics("[[runbooks.ulmo]]\ntext = \"red \\u001b[31m\"\n");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].0, "invalid-runbook-step");
    assert!(got[0].4.contains("'\\u{1b}'"), "{}", got[0].4);
}

#[test]
fn grafana_urls_and_datasource_uids_are_validated() {
    for good in [
        "https://grafana.example.org",
        "http://localhost:3000/grafana/",
    ] {
        assert_eq!(grafana_url_problem(good), None, "{good}");
    }
    for bad in [
        "grafana.example.org",
        "ftp://g",
        "https://",
        "https://user@host",
        "https://g/?orgId=1",
        "https://g/#x",
        "https://g/a b",
        "https://g/\"x",
        "javascript:alert(1)",
    ] {
        assert!(grafana_url_problem(bad).is_some(), "{bad}");
    }
    assert!(is_valid_datasource_uid("P8E80F9AEF21F6940"));
    assert!(!is_valid_datasource_uid("a\"b"));
    assert!(!is_valid_datasource_uid(""));
    let got = diagnostics("[operations]\ngrafana_url = \"grafana\"\nloki_datasource = \"a b\"\n");
    let codes: Vec<&str> = got.iter().map(|d| d.0.as_str()).collect();
    assert_eq!(codes, ["invalid-grafana-url", "invalid-grafana-url"]);
}

#[test]
fn runbook_errors_cannot_be_lowered_by_lints() {
    let (_, loaded) = load("[lints]\nrunbook-undefined-stage = \"allow\"\n");
    assert_eq!(loaded.diagnostics.len(), 1);
    assert_eq!(loaded.diagnostics[0].code, Code::UnknownLint);
}

#[test]
fn the_built_in_section_is_valid_and_does_not_replace_a_runbook() {
    let section = builtin::section(&["redwood", "ulmo"]);
    let (_, loaded) = load(&section);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let file = runbooks(&section);
    let redwood = file.runbooks.for_release("redwood").unwrap();
    assert_eq!(redwood, builtin::steps("redwood").as_slice());
    assert_eq!(
        redwood
            .iter()
            .filter_map(|s| s.command.as_deref())
            .collect::<Vec<_>>(),
        ["./manage.py lms showmigrations", "edx-matrix jwt-keygen"]
    );
    assert!(section.starts_with("[[runbooks.redwood]]\n"), "{section}");

    let mut doc: toml_edit::DocumentMut = format!("{BASE}{GOOD}").parse().unwrap();
    assert!(!builtin::insert(&mut doc, "redwood"));
    assert!(builtin::insert(&mut doc, "ulmo"));
    let file = read(&doc.to_string(), &load("").1.matrix);
    assert!(file.diagnostics.is_empty());
    assert_eq!(file.runbooks.for_release("redwood").unwrap().len(), 2);
    assert_eq!(file.runbooks.for_release("ulmo").unwrap().len(), 1);
}

#[test]
fn every_built_in_step_names_its_source() {
    for release in builtin::releases().into_iter().chain(["any"]) {
        for step in builtin::steps(release) {
            assert!(step.source.as_deref().is_some_and(|s| !s.is_empty()));
            assert_eq!(bad_char(&step.text, false), None);
        }
    }
    assert_eq!(builtin::releases(), ["redwood", "olive"]);
}

fn sample_plan(stage: Option<&str>) -> Plan {
    Plan {
        release: "redwood".into(),
        stage: stage.map(str::to_owned),
        first_deploy: true,
        origin: Origin::Matrix,
        steps: vec![
            RunbookStep {
                text: "Generate keys\nthen store them".into(),
                command: Some("edx-matrix jwt-keygen".into()),
                when: When::FirstDeploy,
                stages: vec!["CI".into()],
                source: Some("notes".into()),
            },
            RunbookStep {
                text: "Check `x`".into(),
                command: Some("echo ```".into()),
                when: When::EveryDeploy,
                stages: Vec::new(),
                source: Some("https://example.org/notes".into()),
            },
        ],
    }
}

#[test]
fn plans_render_as_text() {
    assert_eq!(
        sample_plan(None).to_text(),
        "runbook for release `redwood`
  1. [first deploy; CI] Generate keys
     then store them
     $ edx-matrix jwt-keygen
     source: notes
  2. [every deploy] Check `x`
     $ echo ```
     source: https://example.org/notes
"
    );
    let mut plan = sample_plan(Some("QA"));
    plan.steps.clear();
    plan.origin = Origin::BuiltIn;
    assert_eq!(
        plan.to_text(),
        "runbook for release `redwood`, stage `QA` (built-in steps: the matrix has no runbook for it)\n  no steps\n"
    );
}

#[test]
fn plans_render_as_markdown_with_safe_fences() {
    assert_eq!(
        sample_plan(Some("CI")).to_markdown(),
        "### Runbook for release `redwood`, stage `CI`

- [ ] Generate keys _(first deploy)_
  then store them

  ```sh
  edx-matrix jwt-keygen
  ```

  Source: notes
- [ ] Check `x` _(every deploy)_

  ````sh
  echo ```
  ````

  Source: <https://example.org/notes>
"
    );
}
