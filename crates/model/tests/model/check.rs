//! The semantic checks, each rule tested on a matrix built as data: the problem's code and
//! the exact subject it points at.

use crate::build::{Build, campus};
use edx_matrix_model::{AppField, EntryField};
use edx_matrix_model::{AppKind, AppVersion, Application, Code, Matrix, Subject, check};

/// (code, subject) of every problem, in the order `check` reports them.
fn problems(matrix: &Matrix) -> Vec<(Code, Subject)> {
    check(matrix).into_iter().map(|p| (p.code, p.at)).collect()
}

fn stage_release(deployment: usize, index: usize) -> Subject {
    Subject::Stage {
        deployment,
        index,
        release: true,
    }
}

#[test]
fn the_base_matrix_is_clean() {
    assert_eq!(problems(&campus().done()), []);
}

#[test]
fn a_later_stage_on_a_newer_release_breaks_the_promotion_order() {
    // QA runs verawood while CI, before it, runs ulmo.
    let mut matrix = campus().done();
    matrix.deployments[0].stages[0].release = "ulmo".into();
    matrix.deployments[0].stages[1].release = "verawood".into();
    let found = check(&matrix);
    let order: Vec<_> = found
        .iter()
        .filter(|p| p.code == Code::PromotionOrder)
        .collect();
    assert_eq!(order.len(), 1, "{found:#?}");
    assert_eq!(order[0].at, stage_release(0, 1));
    assert_eq!(order[0].related[0].at, stage_release(0, 0));
    assert_eq!(
        order[0].message,
        "stage `QA` of `campus` runs `verawood`, newer than `ulmo` on the earlier stage `CI`"
    );
}

#[test]
fn promotion_order_follows_the_stage_order_not_the_listing_order() {
    // Listed Production, QA, CI: in promotion order CI=verawood, QA=ulmo, Production=ulmo.
    let mut matrix = campus().done();
    matrix.deployments[0].stages.reverse();
    assert_eq!(problems(&matrix), []);
    // Listed in reverse with Production newer than QA: the problem is at Production (index 0).
    matrix.deployments[0].stages[0].release = "verawood".into();
    assert_eq!(
        problems(&matrix),
        [(Code::PromotionOrder, stage_release(0, 0))]
    );
}

#[test]
fn a_rolling_line_is_newer_than_every_named_release() {
    let base = || {
        Build::stages(&["CI", "QA"])
            .release("verawood", "release/verawood", "3.12", "24")
            .release("master", "master", "3.12", "24")
            .ida(
                "edx-platform",
                "https://github.com/openedx/openedx-platform",
            )
            .plain_entry("verawood", "campus", &["edx-platform"])
            .plain_entry("master", "campus", &["edx-platform"])
    };
    let testing_master = base()
        .deployment("campus", &[("CI", "master"), ("QA", "verawood")])
        .done();
    assert_eq!(problems(&testing_master), []);
    let master_after = base()
        .deployment("campus", &[("CI", "verawood"), ("QA", "master")])
        .done();
    assert_eq!(
        problems(&master_after),
        [(Code::PromotionOrder, stage_release(0, 1))]
    );
}

#[test]
fn an_entry_application_missing_from_the_catalogue_is_reported_at_it() {
    let mut matrix = campus().done();
    matrix.release_map[1]
        .apps
        .push(AppVersion::plain("lerning", "verawood"));
    let found = check(&matrix);
    assert_eq!(
        found.iter().map(|p| (p.code, p.at)).collect::<Vec<_>>(),
        [(
            Code::UnknownApplication,
            Subject::EntryApp {
                entry: 1,
                app: 2,
                field: None
            }
        )]
    );
    assert!(found[0].help.iter().any(|h| h.contains("`learning`")));
}

#[test]
fn entry_values_are_checked_field_by_field() {
    let mut bad = AppVersion::plain("edx-platform", "nosuch");
    bad.branch = Some("has space".into());
    bad.origin = Some("not a url".into());
    let mut matrix = campus().done();
    matrix.release_map[0].apps[0] = bad;
    let at = |field| Subject::EntryApp {
        entry: 0,
        app: 0,
        field,
    };
    let found = problems(&matrix);
    assert!(found.contains(&(Code::UndefinedRelease, at(Some(EntryField::Release)))));
    assert!(
        found
            .iter()
            .any(|(_, s)| *s == at(Some(EntryField::Branch)))
    );
    assert!(
        found
            .iter()
            .any(|(_, s)| *s == at(Some(EntryField::Origin)))
    );
}

#[test]
fn an_application_included_twice_in_one_entry_is_a_duplicate() {
    let mut matrix = campus().done();
    matrix.release_map[0]
        .apps
        .push(AppVersion::plain("learning", "ulmo"));
    assert_eq!(
        problems(&matrix),
        [(
            Code::DuplicateApplication,
            Subject::EntryApp {
                entry: 0,
                app: 2,
                field: None
            }
        )]
    );
}

/// Each entry is checked on its own (an application in every entry is no duplicate), a third
/// inclusion points back at the first, and an application outside the catalogue included twice
/// is a duplicate too.
#[test]
fn duplicates_are_counted_per_entry_and_point_at_the_first() {
    let mut matrix = campus().done();
    for app in ["learning", "learning", "nosuch", "nosuch"] {
        matrix.release_map[1]
            .apps
            .push(AppVersion::plain(app, "verawood"));
    }
    let at = |app| Subject::EntryApp {
        entry: 1,
        app,
        field: None,
    };
    let found = check(&matrix);
    let duplicates: Vec<_> = found
        .iter()
        .filter(|p| p.code == Code::DuplicateApplication)
        .map(|p| (p.at, p.related.iter().map(|r| r.at).collect::<Vec<_>>()))
        .collect();
    assert_eq!(
        duplicates,
        [
            (at(2), vec![at(1)]),
            (at(3), vec![at(1)]),
            (at(5), vec![at(4)]),
        ]
    );
    let unknown = found.iter().filter(|p| p.code == Code::UnknownApplication);
    assert_eq!(unknown.map(|p| p.at).collect::<Vec<_>>(), [at(4), at(5)]);
}

/// Entries that list applications in the same places (whose look-ups are reused) or in other
/// places, with releases alternately defined and not: each is checked as if alone.
#[test]
fn every_entry_is_checked_whatever_the_entry_before_it_held() {
    let mut matrix = campus().done();
    matrix.release_map[0].apps = vec![
        AppVersion::plain("nosuch", "ulmo"),
        AppVersion::plain("learning", "gone"),
        AppVersion::plain("edx-platform", "ulmo"),
    ];
    matrix.release_map[1].apps = vec![
        AppVersion::plain("nosuch", "verawood"),
        AppVersion::plain("edx-platform", "gone"),
        AppVersion::plain("learning", "verawood"),
        AppVersion::plain("edx-platform", "verawood"),
    ];
    let at = |entry, app, field| Subject::EntryApp { entry, app, field };
    let release = Some(EntryField::Release);
    assert_eq!(
        problems(&matrix),
        [
            (Code::UnknownApplication, at(0, 0, None)),
            (Code::UndefinedRelease, at(0, 1, release)),
            (Code::UnknownApplication, at(1, 0, None)),
            (Code::UndefinedRelease, at(1, 1, release)),
            (Code::DuplicateApplication, at(1, 3, None)),
        ]
    );
}

#[test]
fn translations_on_an_ida_are_reported() {
    let mut matrix = campus().done();
    matrix.release_map[0].apps[0].translations = Some(vec!["make pull_translations".into()]);
    matrix.release_map[0].apps[1].translations = Some(vec!["make pull_translations".into()]);
    assert_eq!(
        problems(&matrix),
        [(
            Code::TranslationsOnIda,
            Subject::EntryApp {
                entry: 0,
                app: 0,
                field: None
            }
        )]
    );
}

#[test]
fn an_application_without_repository_needs_an_origin_in_each_entry() {
    let theme = Application {
        name: "theme".into(),
        kind: AppKind::Ida,
        repository: None,
        path: None,
    };
    let mut forked = AppVersion::plain("theme", "verawood");
    forked.origin = Some("https://github.com/acme/theme".into());
    let mut matrix = campus().application(theme).done();
    matrix.release_map[0]
        .apps
        .push(AppVersion::plain("theme", "ulmo"));
    matrix.release_map[1].apps.push(forked);
    assert_eq!(
        problems(&matrix),
        [(
            Code::EmptyOrigin,
            Subject::EntryApp {
                entry: 0,
                app: 2,
                field: None
            }
        )]
    );
}

#[test]
fn a_second_entry_for_the_same_release_and_deployment_is_a_duplicate() {
    let matrix = campus()
        .plain_entry("ulmo", "campus", &["edx-platform"])
        .done();
    let found = check(&matrix);
    assert_eq!(
        found.iter().map(|p| (p.code, p.at)).collect::<Vec<_>>(),
        [(Code::DuplicateEntry, Subject::Entry { index: 2 })]
    );
    assert_eq!(found[0].related[0].at, Subject::Entry { index: 0 });
}

#[test]
fn entries_must_name_defined_releases_and_deployments_and_include_something() {
    let matrix = campus()
        .plain_entry("ulmo", "campuss", &["edx-platform"])
        .plain_entry("teak", "campus", &["edx-platform"])
        .plain_entry("verawood", "campus", &[])
        .done();
    let found = problems(&matrix);
    assert!(found.contains(&(Code::UndefinedDeployment, Subject::Entry { index: 2 })));
    assert!(found.contains(&(Code::UndefinedRelease, Subject::Entry { index: 3 })));
    assert!(found.contains(&(Code::EmptyEntry, Subject::Entry { index: 4 })));
    // An entry for an undefined name is reported as such, not also as unused.
    assert!(!found.contains(&(Code::UnusedEntry, Subject::Entry { index: 2 })));
    assert!(!found.contains(&(Code::UnusedEntry, Subject::Entry { index: 3 })));
}

#[test]
fn a_stage_whose_release_has_no_entry_is_missing_one() {
    let mut matrix = campus().done();
    matrix.release_map.remove(1);
    let found = check(&matrix);
    let missing: Vec<_> = found
        .iter()
        .filter(|p| p.code == Code::MissingEntry)
        .map(|p| p.at)
        .collect();
    assert_eq!(missing, [stage_release(0, 0)]);
    // verawood is then used by a stage but has no entry: it is not "unused".
    assert!(!found.iter().any(|p| p.code == Code::UnusedRelease));
}

#[test]
fn entries_and_releases_no_stage_runs_are_unused() {
    let mut matrix = campus()
        .release("teak", "release/teak", "3.11", "20")
        .plain_entry("teak", "campus", &["edx-platform"])
        .done();
    matrix.deployments[0].stages[0].release = "ulmo".into();
    let found = problems(&matrix);
    assert_eq!(
        found,
        [
            (Code::UnusedEntry, Subject::Entry { index: 1 }),
            (Code::UnusedEntry, Subject::Entry { index: 2 }),
            (
                Code::UnusedRelease,
                Subject::Release {
                    index: 1,
                    field: None
                }
            ),
            (
                Code::UnusedRelease,
                Subject::Release {
                    index: 2,
                    field: None
                }
            ),
        ]
    );
}

#[test]
fn a_repository_renamed_upstream_is_a_warning_at_its_repository() {
    let mut matrix = campus()
        .ida("forum", "https://github.com/openedx/forum")
        .done();
    assert_eq!(problems(&matrix), []);
    // The scp-like spelling of the old edx-platform URL; a fork of that name is not upstream.
    let forum = matrix
        .applications
        .iter()
        .position(|a| a.name.as_str() == "forum")
        .unwrap();
    matrix.applications[0].repository = Some("git@github.com:openedx/edx-platform.git".into());
    matrix.applications[forum].repository = Some("https://github.com/acme/edx-platform".into());
    assert_eq!(
        problems(&matrix),
        [(
            Code::RenamedRepository,
            Subject::Application {
                index: 0,
                field: Some(AppField::Repository)
            }
        )]
    );
    assert_eq!(
        Code::RenamedRepository.default_severity(),
        edx_matrix_model::Severity::Warning
    );
}

#[test]
fn mfes_need_a_path_of_one_segment_and_idas_have_none() {
    let mut matrix = campus()
        .mfe(
            "authoring",
            "https://github.com/openedx/frontend-app-authoring",
            "a/b",
        )
        .done();
    matrix.applications[0].path = Some("lms".into());
    matrix.applications[1].path = None;
    let at = |index, field| Subject::Application { index, field };
    assert_eq!(
        problems(&matrix),
        [
            (Code::PathOnIda, at(0, Some(AppField::Path))),
            (Code::MfeWithoutPath, at(1, None)),
            (Code::InvalidPath, at(2, Some(AppField::Path))),
        ]
    );
}

#[test]
fn stages_must_be_in_the_stage_order_once_each_and_deployments_need_one() {
    let matrix = campus()
        .deployment(
            "mitx",
            &[("CI", "ulmo"), ("Staging", "ulmo"), ("CI", "ulmo")],
        )
        .deployment("empty", &[])
        .plain_entry("ulmo", "mitx", &["edx-platform"])
        .done();
    let found = problems(&matrix);
    let stage = |index| Subject::Stage {
        deployment: 1,
        index,
        release: false,
    };
    assert!(found.contains(&(Code::UndefinedStage, stage(1))));
    assert!(found.contains(&(Code::DuplicateName, stage(2))));
    assert!(found.contains(&(Code::EmptyDeployment, Subject::Deployment { index: 2 })));
}

#[test]
fn names_are_valid_and_unique() {
    let matrix = campus()
        .ida(
            "edx-platform",
            "https://github.com/openedx/openedx-platform",
        )
        .ida("bad name", "https://github.com/openedx/x")
        .done();
    let found = problems(&matrix);
    assert!(found.contains(&(
        Code::DuplicateName,
        Subject::Application {
            index: 2,
            field: None
        }
    )));
    assert!(found.contains(&(
        Code::InvalidName,
        Subject::Application {
            index: 3,
            field: None
        }
    )));
}

#[test]
fn extra_names_are_python_identifiers_other_than_the_entrys_fields() {
    use edx_matrix_model::{Extra, ExtraValue};
    let mut matrix = campus().done();
    let value = || ExtraValue::Boolean(true);
    matrix.release_map[0].apps[0].extra = Extra(vec![
        ("branding".into(), value()),
        ("branch_override".into(), value()),
        ("build-args".into(), value()),
        ("class".into(), value()),
    ]);
    // Values are not checked: any value the formats can write is kept.
    matrix.release_map[0].apps[1].extra = Extra(vec![(
        "_ok1".into(),
        ExtraValue::Table(vec![("not-an-identifier".into(), ExtraValue::List(vec![]))]),
    )]);
    let at = |i| Subject::EntryApp {
        entry: 0,
        app: 0,
        field: Some(EntryField::Extra(i)),
    };
    assert_eq!(
        problems(&matrix),
        [
            (Code::InvalidExtra, at(1)),
            (Code::InvalidExtra, at(2)),
            (Code::InvalidExtra, at(3)),
        ]
    );
}
