//! What an edit says about a bad name and how it names a place (mutation testing: a name
//! check that accepts everything, and an empty `Place`, passed every other test of the crate).

use edx_matrix_formats::edit::app::{NewApp, add};
use edx_matrix_formats::edit::release::{NewRelease, add as add_release};
use edx_matrix_formats::edit::{EditError, Place};
use edx_matrix_model::AppKind;

const TEXT: &str = edx_matrix_formats::example::TEXT;

#[test]
fn a_new_name_that_breaks_the_name_rule_is_an_invalid_value() {
    let err = add_release(
        TEXT,
        &NewRelease {
            name: "Willow Tree".to_owned(),
            branch: "release/willow".to_owned(),
            python: "3.12".to_owned(),
            node: "24".to_owned(),
        },
    )
    .expect_err("refused");
    assert!(
        matches!(&err, EditError::InvalidValue { what: "release name", value, .. } if value == "Willow Tree"),
        "{err:?}"
    );
    let err = add(
        TEXT,
        &NewApp {
            name: "-notes".to_owned(),
            kind: Some(AppKind::Ida),
            repository: None,
            path: None,
        },
    )
    .expect_err("refused");
    assert!(
        matches!(&err, EditError::InvalidValue { what: "application name", value, .. } if value == "-notes"),
        "{err:?}"
    );
}

#[test]
fn a_place_reads_as_its_line_and_what_is_there() {
    let place = Place {
        line: 12,
        what: "stage `QA` of `campus`".to_owned(),
    };
    assert_eq!(place.to_string(), "line 12: stage `QA` of `campus`");
}
