//! The rules of single values (runtime versions), each at the field it is about: mutation
//! testing found a version rule no domain test reached.

use crate::build::campus;
use edx_matrix_model::{Code, Subject, check};
use edx_matrix_model::{EntryField, ReleaseField};

fn invalid_runtimes(matrix: &edx_matrix_model::Matrix) -> Vec<(Subject, String)> {
    check(matrix)
        .into_iter()
        .filter(|p| p.code == Code::InvalidRuntime)
        .map(|p| (p.at, p.message))
        .collect()
}

#[test]
fn a_release_runtime_that_is_not_a_version_is_reported_at_its_field() {
    let mut matrix = campus().done();
    matrix.releases[0].python = Some("3.11; rm -rf /".into());
    matrix.releases[1].node = Some("".into());
    assert_eq!(
        invalid_runtimes(&matrix),
        [
            (
                Subject::Release {
                    index: 0,
                    field: Some(ReleaseField::Python),
                },
                "invalid Python version `3.11; rm -rf /`".to_owned()
            ),
            (
                Subject::Release {
                    index: 1,
                    field: Some(ReleaseField::Node),
                },
                "invalid Node version ``".to_owned()
            ),
        ]
    );
}

#[test]
fn an_entry_runtime_override_that_is_not_a_version_is_reported_at_it() {
    let mut matrix = campus().done();
    matrix.release_map[1].apps[1].runtime = Some("$(node)".into());
    let found = invalid_runtimes(&matrix);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(
        found[0].0,
        Subject::EntryApp {
            entry: 1,
            app: 1,
            field: Some(EntryField::Runtime),
        }
    );
}

#[test]
fn versions_of_letters_digits_and_dots_are_accepted() {
    let mut matrix = campus().done();
    matrix.releases[0].python = Some("3.11.4+local_1-rc".into());
    matrix.release_map[1].apps[1].runtime = Some("lts".into());
    assert_eq!(invalid_runtimes(&matrix), []);
}

#[test]
fn an_extra_name_may_have_a_hundred_characters_and_one_dunder_side() {
    use edx_matrix_model::name_problem;
    let hundred = format!("a{}", "b".repeat(99));
    assert_eq!(name_problem(&hundred), None);
    assert!(name_problem(&format!("{hundred}c")).is_some());
    assert!(name_problem(&"x".repeat(250)).is_some());
    assert_eq!(name_problem("__private"), None);
    assert_eq!(name_problem("trailing__"), None);
    assert!(name_problem("__dunder__").is_some());
}

#[test]
fn a_branch_name_refused_for_its_characters_says_which_kind() {
    use edx_matrix_model::branch_name_problem;
    assert_eq!(
        branch_name_problem("release/((registry-password))"),
        Some("a branch name cannot contain `((` (a Concourse credential reference)")
    );
    assert_eq!(
        branch_name_problem("release/ulmo\u{2028}x"),
        Some(
            "a branch name cannot contain line separators, NEL or bidirectional control characters"
        )
    );
    assert_eq!(
        branch_name_problem("release/ulmo\tx"),
        Some("a branch name cannot contain control characters")
    );
    assert_eq!(
        branch_name_problem("release/ulmo\u{7f}"),
        Some("a branch name cannot contain control characters")
    );
}

#[test]
fn an_scp_like_url_needs_a_user_a_host_without_slash_and_a_path() {
    use edx_matrix_model::url::repository_url_problem;
    assert_eq!(
        repository_url_problem("git@github.com:openedx/edx-platform"),
        None
    );
    for bad in [
        "@github.com:openedx/edx-platform",
        "git@:openedx/edx-platform",
        "git@github.com:",
        "git@github.com/openedx:edx-platform",
    ] {
        assert!(repository_url_problem(bad).is_some(), "{bad}");
    }
}
