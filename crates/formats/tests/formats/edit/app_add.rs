//! `app add`'s rules that mutation testing found unasserted: what the catalogue fills in (only
//! for the kind it knows), which paths are refused, where a first IDA or a first MFE goes, and
//! when the note about filled-in values is given.

use edx_matrix_formats::edit::EditError;
use edx_matrix_formats::edit::app::{NewApp, add};
use edx_matrix_model::AppKind;

/// A catalogue of MFEs only (`learning`).
const MFES: &str = r#"stages = ["CI"]

[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }

[applications]
learning = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }

[deployments]
campus = { CI = "ulmo" }

[[map]]
releases    = ["ulmo"]
deployments = ["campus"]
[map.apps]
learning = {}
"#;

/// A catalogue of IDAs only (`forum`).
fn idas() -> String {
    MFES.replace(
        r#"learning = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }"#,
        r#"forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }"#,
    )
    .replace("learning = {}", "forum = {}")
}

fn app(name: &str, kind: Option<AppKind>, repository: Option<&str>, path: Option<&str>) -> NewApp {
    NewApp {
        name: name.to_owned(),
        kind,
        repository: repository.map(str::to_owned),
        path: path.map(str::to_owned),
    }
}

/// The `[applications]` section's lines of `text`.
fn catalogue(text: &str) -> Vec<&str> {
    text.split("[applications]\n")
        .nth(1)
        .expect("section")
        .split("\n\n")
        .next()
        .expect("rows")
        .lines()
        .collect()
}

#[test]
fn a_first_ida_goes_before_the_mfes_and_a_first_mfe_after_the_idas() {
    let repository = Some("https://github.com/acme-edu/notes");
    let out = add(
        MFES,
        &app("acme-notes", Some(AppKind::Ida), repository, None),
    )
    .expect("adds");
    assert_eq!(
        catalogue(&out.text),
        [
            r#"acme-notes = { kind = "ida", repository = "https://github.com/acme-edu/notes" }"#,
            r#"learning   = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }"#,
        ]
    );
    let text = idas();
    let out = add(
        text.as_str(),
        &app("acme-shop", Some(AppKind::Mfe), repository, Some("shop")),
    )
    .expect("adds");
    assert_eq!(
        catalogue(&out.text),
        [
            r#"forum     = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }"#,
            r#"acme-shop = { kind = "mfe", repository = "https://github.com/acme-edu/notes", path = "shop" }"#,
        ]
    );
    // Nothing came from the catalogue: only the note that no entry includes it yet.
    assert_eq!(
        out.notes,
        [
            "`acme-shop` is in no release-map entry yet: add it with `edx-matrix include DEPLOYMENT RELEASE acme-shop`"
        ]
    );
}

#[test]
fn the_catalogue_fills_in_only_for_the_kind_it_knows_and_says_so() {
    // learner-record is a standard MFE: given as an MFE with its own repository, the path
    // still comes from the catalogue, and the note says what was filled in.
    let out = add(
        MFES,
        &app(
            "learner-record",
            Some(AppKind::Mfe),
            Some("https://github.com/acme-edu/frontend-app-learner-record"),
            None,
        ),
    )
    .expect("adds");
    assert_eq!(
        catalogue(&out.text)[1],
        r#"learner-record = { kind = "mfe", repository = "https://github.com/acme-edu/frontend-app-learner-record", path = "learner-record" }"#
    );
    assert_eq!(
        out.notes[0],
        "filled from the standard Open edX catalogue: kind `mfe`, repository `https://github.com/acme-edu/frontend-app-learner-record`, path `learner-record`"
    );
    // Given as an IDA, it is not the catalogue's application: nothing is filled in.
    let out = add(MFES, &app("learner-record", Some(AppKind::Ida), None, None)).expect("adds");
    assert_eq!(
        catalogue(&out.text)[0],
        r#"learner-record = { kind = "ida" }"#
    );
    assert_eq!(out.notes.len(), 1, "{:?}", out.notes);
}

#[test]
fn a_path_is_refused_on_an_ida_and_must_be_one_segment_on_an_mfe() {
    let repository = Some("https://github.com/acme-edu/notes");
    let err = add(
        MFES,
        &app("acme-notes", Some(AppKind::Ida), repository, Some("notes")),
    )
    .expect_err("refused");
    assert_eq!(
        err.to_string(),
        "`acme-notes` is an IDA: only MFEs have a `--path`"
    );
    assert!(matches!(err, EditError::Refused { .. }));
    let err = add(
        MFES,
        &app(
            "acme-shop",
            Some(AppKind::Mfe),
            repository,
            Some("shop/now"),
        ),
    )
    .expect_err("refused");
    assert_eq!(
        err,
        EditError::invalid("path", "shop/now", "use one URL path segment (`learn`)")
    );
}
