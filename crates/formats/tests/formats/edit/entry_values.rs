//! What `set` and `include` accept before they touch the file: the values of a [`Patch`], a
//! patch that changes something, and names the matrix defines (mutation testing of
//! `edit/entry/patch.rs` and `target.rs`: the runtime and translation rules and the name check
//! were asserted only through the CLI).

use super::ONE_RELEASE;
use edx_matrix_formats::edit::EditError;
use edx_matrix_formats::edit::entry::{Override, Patch, Target, include, set};

fn runtime(r: &str) -> Patch {
    Patch {
        runtime: Override::Set(r.to_owned()),
        ..Patch::default()
    }
}

fn translations(ts: &[&str]) -> Patch {
    Patch {
        translations: Override::Set(ts.iter().map(|t| (*t).to_owned()).collect()),
        ..Patch::default()
    }
}

fn what(result: Result<(), EditError>) -> Option<&'static str> {
    match result {
        Ok(()) => None,
        Err(EditError::InvalidValue { what, .. }) => Some(what),
        Err(other) => panic!("not an invalid value: {other}"),
    }
}

#[test]
fn a_runtime_is_a_version_of_letters_digits_and_dots() {
    assert_eq!(what(runtime("3.12").validate()), None);
    assert_eq!(what(runtime("24").validate()), None);
    assert_eq!(what(runtime("3 12").validate()), Some("runtime"));
    assert_eq!(what(runtime("$(id)").validate()), Some("runtime"));
}

#[test]
fn a_translation_command_is_one_line_that_is_not_blank() {
    assert_eq!(
        what(translations(&["make pull_translations"]).validate()),
        None
    );
    // Each rule alone: blank, and a control character in a command that is not blank.
    assert_eq!(
        what(translations(&["make a", "  "]).validate()),
        Some("translation command")
    );
    assert_eq!(
        what(translations(&["make a\nrm -rf /"]).validate()),
        Some("translation command")
    );
    assert_eq!(
        what(translations(&["make\ta"]).validate()),
        Some("translation command")
    );
}

#[test]
fn a_patch_that_keeps_everything_is_empty_and_set_refuses_it() {
    assert!(Patch::default().is_empty());
    // Each override alone makes the patch non-empty.
    assert!(!runtime("3.12").is_empty());
    assert!(!translations(&["make a"]).is_empty());
    let origin = Patch {
        origin: Override::Unset,
        ..Patch::default()
    };
    assert!(!origin.is_empty());
    let branch = Patch {
        branch: Override::Unset,
        ..Patch::default()
    };
    assert!(!branch.is_empty());
    let target = Target::new(&"campus".into(), &"ulmo".into(), &"forum".into());
    let err = set(ONE_RELEASE, &target, &Patch::default()).expect_err("refused");
    assert!(
        matches!(&err, EditError::Refused { message, .. } if message.starts_with("nothing to set")),
        "{err}"
    );
}

#[test]
fn an_unknown_deployment_release_or_application_is_the_models_unknown_name() {
    let patch = Patch {
        branch: Override::Set("fix".to_owned()),
        ..Patch::default()
    };
    for (d, r, a, word) in [
        ("campsu", "ulmo", "forum", "campsu"),
        ("campus", "ulmoo", "forum", "ulmoo"),
        ("campus", "ulmo", "frum", "frum"),
    ] {
        let target = Target::new(&d.into(), &r.into(), &a.into());
        for err in [
            set(ONE_RELEASE, &target, &patch).expect_err("unknown"),
            include(ONE_RELEASE, &target, &patch).expect_err("unknown"),
        ] {
            assert!(
                matches!(&err, EditError::Unknown(_)) && err.to_string().contains(word),
                "{d} {r} {a}: {err:?}"
            );
        }
    }
}

#[test]
fn a_set_that_changes_nothing_says_so_and_keeps_the_text() {
    let text = ONE_RELEASE.replace("forum = {}", r#"forum = { runtime = "3.12" }"#);
    let target = Target::new(&"campus".into(), &"ulmo".into(), &"forum".into());
    let out = set(text.as_str(), &target, &runtime("3.12")).expect("nothing to change");
    assert_eq!(out.text, text);
    assert_eq!(
        out.summary,
        "`forum` of `campus` on `ulmo` already has these values: nothing to change"
    );
}
