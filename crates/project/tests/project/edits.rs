//! The rule every edit follows ([`Project::apply_edit`]): the whole project — matrix, runbooks,
//! operations and `[pipelines]` — is checked before and after the edit.

use edx_matrix_formats::edit::release::{self, NewRelease};
use edx_matrix_formats::edit::{EditError, EditOutcome};
use edx_matrix_model::Code;
use edx_matrix_project::{Format, Precondition, Project, Refusal};
use edx_matrix_test_support::workspace_root;

fn valid() -> String {
    std::fs::read_to_string(workspace_root().join("tests/fixtures/valid/pipelines.toml")).unwrap()
}

fn project(text: &str) -> Project {
    Project::from_text("edx-matrix.toml", Format::Toml, text)
}

/// A release to add, as `release add willow` would.
pub(crate) fn willow() -> NewRelease {
    NewRelease {
        name: "willow".to_owned(),
        branch: "release/willow".to_owned(),
        python: "3.12".to_owned(),
        node: "20".to_owned(),
    }
}

#[test]
fn an_edit_of_a_valid_project_is_accepted_and_checked() {
    let text = valid();
    let edited = project(&text)
        .apply_edit(Precondition::Valid, |base| release::add(base, &willow()))
        .unwrap();
    assert!(edited.changed());
    assert_eq!(edited.before.source().text, text);
    assert!(!edited.after.has_errors());
    let has_willow = |p: &Project| {
        p.matrix()
            .releases
            .iter()
            .any(|r| r.name.as_str() == "willow")
    };
    assert!(has_willow(&edited.after));
    assert!(!has_willow(&edited.before));
    assert_eq!(edited.after.source().text, edited.outcome.text);
    // The edited project keeps the file's name, for its diagnostics.
    assert_eq!(edited.after.source().name, "edx-matrix.toml");
}

#[test]
fn a_project_with_an_error_elsewhere_is_not_edited() {
    // The error is in `[pipelines]`, which the edit itself never reads.
    let text = valid().replace(r#"check_every = "5m""#, r#"check_every = "5 minutes""#);
    assert_ne!(text, valid());
    let mut called = false;
    let refusal = project(&text)
        .apply_edit(Precondition::Valid, |base| {
            called = true;
            release::add(base, &willow())
        })
        .unwrap_err();
    assert!(!called, "the edit must not run on a project with errors");
    let Refusal::Invalid(before) = &refusal else {
        panic!("expected Refusal::Invalid, got {refusal:?}");
    };
    let codes: Vec<_> = before.errors().map(|d| d.code).collect();
    assert_eq!(codes, [Code::PipelineInvalid]);
    assert_eq!(
        refusal.to_string(),
        "`edx-matrix.toml` has 1 error already; edits are made only to a valid matrix"
    );
}

#[test]
fn an_edit_whose_result_would_not_pass_check_is_refused() {
    // A result whose matrix is fine but whose `[pipelines]` is not: only the whole-project
    // check sees it.
    let text = valid();
    let refusal = project(&text)
        .apply_edit(Precondition::Valid, |base| {
            Ok(EditOutcome {
                text: base
                    .text
                    .replace(r#"check_every = "5m""#, "check_every = 5"),
                summary: "broke it".to_owned(),
                notes: Vec::new(),
            })
        })
        .unwrap_err();
    let Refusal::WouldBreak {
        errors_before,
        after,
    } = &refusal
    else {
        panic!("expected Refusal::WouldBreak, got {refusal:?}");
    };
    assert_eq!(*errors_before, 0);
    // The matrix is fine: the one error is in `[pipelines]`.
    assert_eq!(after.matrix_errors(), 0);
    assert_eq!(after.errors().count(), 1);
    assert!(after.pipeline_diagnostics().iter().any(|d| d.is_error()));
    assert!(
        refusal
            .to_string()
            .starts_with("refused: the edit would leave `edx-matrix.toml` with 1 error ")
    );
}

#[test]
fn the_edit_s_own_refusal_is_passed_on() {
    let refusal = project(&valid())
        .apply_edit(Precondition::Valid, |base| {
            release::retire(base, &"nosuch".into())
        })
        .unwrap_err();
    assert!(
        matches!(refusal, Refusal::Edit(EditError::Unknown(_))),
        "{refusal:?}"
    );
    assert!(refusal.project().is_none());
}

#[test]
fn a_format_may_start_from_errors_but_not_add_any() {
    let text = valid().replace(r#"check_every = "5m""#, r#"check_every = "5 minutes""#);
    let edited = project(&text)
        .apply_edit(Precondition::Any, |base| {
            edx_matrix_formats::edit::fmt::fmt(base.text)
        })
        .unwrap();
    assert_eq!(edited.after.errors().count(), 1);
    let refusal = project(&text)
        .apply_edit(Precondition::Any, |base| {
            Ok(EditOutcome {
                // A second `[pipelines]` error next to the first.
                text: base.text.replace(r#"team        = "acme""#, "team = 3"),
                summary: String::new(),
                notes: Vec::new(),
            })
        })
        .unwrap_err();
    assert!(matches!(
        refusal,
        Refusal::WouldBreak {
            errors_before: 1,
            ..
        }
    ));
}
