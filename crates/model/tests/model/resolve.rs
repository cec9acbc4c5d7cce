//! Resolution, as `docs/domain.md#resolution` defines it: each expected row is written by hand
//! from the matrix built beside it.

use crate::build::{Build, campus};
use edx_matrix_model::{AppKind, AppVersion, Filter, Row, resolve};

/// (deployment, stage, release, application, origin, branch, runtime) of a row.
fn brief<'a>(
    row: &Row<'a>,
) -> (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
) {
    (
        row.deployment,
        row.stage,
        row.release,
        row.application,
        row.git_origin,
        row.release_branch,
        row.runtime_version.unwrap_or("-"),
    )
}

const PLATFORM: &str = "https://github.com/openedx/openedx-platform";
const LEARNING: &str = "https://github.com/openedx/frontend-app-learning";

#[test]
fn every_stage_resolves_to_its_release_defaults_in_sort_order() {
    let matrix = campus().done();
    let resolution = resolve(&matrix, &Filter::default());
    assert!(resolution.unresolved.is_empty());
    let rows: Vec<_> = resolution.rows.iter().map(brief).collect();
    assert_eq!(
        rows,
        [
            (
                "campus",
                "CI",
                "verawood",
                "edx-platform",
                PLATFORM,
                "release/verawood",
                "3.12"
            ),
            (
                "campus",
                "CI",
                "verawood",
                "learning",
                LEARNING,
                "release/verawood",
                "24"
            ),
            (
                "campus",
                "Production",
                "ulmo",
                "edx-platform",
                PLATFORM,
                "release/ulmo",
                "3.11"
            ),
            (
                "campus",
                "Production",
                "ulmo",
                "learning",
                LEARNING,
                "release/ulmo",
                "20"
            ),
            (
                "campus",
                "QA",
                "ulmo",
                "edx-platform",
                PLATFORM,
                "release/ulmo",
                "3.11"
            ),
            (
                "campus",
                "QA",
                "ulmo",
                "learning",
                LEARNING,
                "release/ulmo",
                "20"
            ),
        ]
    );
    let learning = &resolution.rows[1];
    assert_eq!(learning.kind, AppKind::Mfe);
    assert_eq!(learning.path, Some("learn"));
    assert_eq!(resolution.rows[0].kind, AppKind::Ida);
    assert_eq!(resolution.rows[0].path, None);
    assert!(resolution.rows.iter().all(|r| r.entry_release.is_none()));
}

#[test]
fn overrides_replace_each_default_and_are_flagged() {
    let mut fork = AppVersion::plain("edx-platform", "ulmo");
    fork.origin = Some("https://github.com/acme/edx-platform".into());
    fork.branch = Some("acme/ulmo".into());
    fork.runtime = Some("3.12".into());
    let mut learning = AppVersion::plain("learning", "ulmo");
    learning.runtime = Some("22".into());
    let matrix = Build::stages(&["CI"])
        .release("ulmo", "release/ulmo", "3.11", "20")
        .ida("edx-platform", PLATFORM)
        .mfe("learning", LEARNING, "learn")
        .deployment("campus", &[("CI", "ulmo")])
        .entry("ulmo", "campus", vec![fork, learning])
        .done();
    let rows = resolve(&matrix, &Filter::default()).rows;
    let briefs: Vec<_> = rows.iter().map(brief).collect();
    assert_eq!(
        briefs,
        [
            (
                "campus",
                "CI",
                "ulmo",
                "edx-platform",
                "https://github.com/acme/edx-platform",
                "acme/ulmo",
                "3.12"
            ),
            (
                "campus",
                "CI",
                "ulmo",
                "learning",
                LEARNING,
                "release/ulmo",
                "22"
            ),
        ]
    );
    assert!(rows[0].overridden.origin && rows[0].overridden.branch && rows[0].overridden.runtime);
    assert!(!rows[1].overridden.origin && !rows[1].overridden.branch);
    assert!(rows[1].overridden.runtime);
}

#[test]
fn an_entry_naming_another_release_takes_that_releases_defaults() {
    // notes-api tracks master inside the ulmo block: its branch and Python are master's, the
    // row's release stays ulmo, and the row says which release's defaults it took.
    let matrix = Build::stages(&["CI"])
        .release("ulmo", "release/ulmo", "3.11", "20")
        .release("master", "master", "3.12", "24")
        .ida("notes-api", "https://github.com/openedx/edx-notes-api")
        .deployment("campus", &[("CI", "ulmo")])
        .entry(
            "ulmo",
            "campus",
            vec![AppVersion::plain("notes-api", "master")],
        )
        .done();
    let rows = resolve(&matrix, &Filter::default()).rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].release, "ulmo");
    assert_eq!(rows[0].release_branch, "master");
    assert_eq!(rows[0].runtime_version, Some("3.12"));
    assert_eq!(rows[0].entry_release, Some("master"));
}

#[test]
fn a_release_without_runtimes_gives_rows_without_one() {
    let mut matrix = campus().done();
    for release in &mut matrix.releases {
        release.python = None;
        release.node = None;
    }
    let rows = resolve(&matrix, &Filter::default()).rows;
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r.runtime_version.is_none()));
}

#[test]
fn a_stage_without_an_entry_or_with_an_unknown_application_is_unresolved_not_a_crash() {
    let matrix = campus()
        .deployment("mitx", &[("CI", "ulmo"), ("QA", "verawood")])
        .plain_entry("verawood", "mitx", &["nosuch"])
        .done();
    let resolution = resolve(
        &matrix,
        &Filter {
            deployment: Some("mitx".into()),
            ..Filter::default()
        },
    );
    assert!(resolution.rows.is_empty());
    let unresolved: Vec<_> = resolution
        .unresolved
        .iter()
        .map(|u| (u.deployment, u.stage, u.release, u.reason))
        .collect();
    assert_eq!(
        unresolved,
        [
            (
                "mitx",
                "CI",
                "ulmo",
                "no release-map entry for this release and deployment"
            ),
            (
                "mitx",
                "QA",
                "verawood",
                "an entry names an undefined application or release"
            ),
        ]
    );
}

#[test]
fn each_filter_field_keeps_only_its_rows() {
    let matrix = campus()
        .deployment("mitx", &[("CI", "ulmo"), ("QA", "ulmo")])
        .plain_entry("ulmo", "mitx", &["edx-platform"])
        .done();
    let count = |filter: Filter| resolve(&matrix, &filter).rows.len();
    assert_eq!(count(Filter::default()), 8);
    assert_eq!(
        count(Filter {
            deployment: Some("mitx".into()),
            ..Filter::default()
        }),
        2
    );
    assert_eq!(
        count(Filter {
            stage: Some("QA".into()),
            ..Filter::default()
        }),
        3
    );
    assert_eq!(
        count(Filter {
            release: Some("verawood".into()),
            ..Filter::default()
        }),
        2
    );
    assert_eq!(
        count(Filter {
            application: Some("learning".into()),
            ..Filter::default()
        }),
        3
    );
    assert_eq!(
        count(Filter {
            kind: Some(AppKind::Ida),
            ..Filter::default()
        }),
        5
    );
    assert_eq!(
        count(Filter {
            deployment: Some("campus".into()),
            stage: Some("CI".into()),
            kind: Some(AppKind::Mfe),
            ..Filter::default()
        }),
        1
    );
    // Every row the filter lets through is one `admits` accepts, and no other.
    let filter = Filter {
        stage: Some("QA".into()),
        kind: Some(AppKind::Ida),
        ..Filter::default()
    };
    let all = resolve(&matrix, &Filter::default()).rows;
    let admitted: Vec<_> = all
        .iter()
        .filter(|r| filter.admits(r.deployment, r.stage, r.release, r.application, r.kind))
        .map(brief)
        .collect();
    let filtered: Vec<_> = resolve(&matrix, &filter).rows.iter().map(brief).collect();
    assert_eq!(admitted, filtered);
    assert_eq!(filtered.len(), 2);
}

#[test]
fn admits_needs_every_set_field_to_match() {
    let filter = Filter {
        deployment: Some("campus".into()),
        stage: Some("QA".into()),
        release: Some("ulmo".into()),
        application: Some("forum".into()),
        kind: Some(AppKind::Ida),
    };
    assert!(filter.admits("campus", "QA", "ulmo", "forum", AppKind::Ida));
    assert!(!filter.admits("mitx", "QA", "ulmo", "forum", AppKind::Ida));
    assert!(!filter.admits("campus", "CI", "ulmo", "forum", AppKind::Ida));
    assert!(!filter.admits("campus", "QA", "teak", "forum", AppKind::Ida));
    assert!(!filter.admits("campus", "QA", "ulmo", "notes", AppKind::Ida));
    assert!(!filter.admits("campus", "QA", "ulmo", "forum", AppKind::Mfe));
    assert!(Filter::default().admits("any", "stage", "at", "all", AppKind::Mfe));
}

#[test]
fn rows_stay_sorted_when_duplicate_names_break_the_visiting_order() {
    // Two deployments called `campus` (an error `check` reports): visited in file order, the
    // first yields a QA row and the second a CI row, so only the fallback sort puts CI first.
    let matrix = Build::stages(&["CI", "QA"])
        .release("ulmo", "release/ulmo", "3.11", "20")
        .ida("edx-platform", PLATFORM)
        .deployment("campus", &[("QA", "ulmo")])
        .deployment("campus", &[("CI", "ulmo")])
        .plain_entry("ulmo", "campus", &["edx-platform"])
        .done();
    let rows = resolve(&matrix, &Filter::default()).rows;
    let stages: Vec<_> = rows.iter().map(|r| r.stage).collect();
    assert_eq!(stages, ["CI", "QA"]);

    // Three rows out of order in two places.
    let matrix = Build::stages(&["CI", "QA"])
        .release("ulmo", "release/ulmo", "3.11", "20")
        .ida("edx-platform", PLATFORM)
        .ida("forum", "https://github.com/openedx/forum")
        .deployment("campus", &[("QA", "ulmo")])
        .deployment("campus", &[("CI", "ulmo")])
        .plain_entry("ulmo", "campus", &["forum", "edx-platform"])
        .done();
    let rows = resolve(&matrix, &Filter::default()).rows;
    let order: Vec<_> = rows.iter().map(|r| (r.stage, r.application)).collect();
    assert_eq!(
        order,
        [
            ("CI", "edx-platform"),
            ("CI", "forum"),
            ("QA", "edx-platform"),
            ("QA", "forum"),
        ]
    );
}
