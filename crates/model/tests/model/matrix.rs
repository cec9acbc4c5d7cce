//! The matrix's own accessors: finding a release, an application, a deployment or an entry by
//! name, and whether a version overrides anything (mutation testing found these reached only
//! through other crates).

use crate::build::campus;
use edx_matrix_model::AppVersion;

#[test]
fn definitions_are_found_by_name_and_only_by_their_name() {
    let matrix = campus().done();
    assert_eq!(
        matrix.release("verawood").map(|r| r.branch.as_str()),
        Some("release/verawood")
    );
    assert_eq!(
        matrix.release("ulmo").map(|r| r.branch.as_str()),
        Some("release/ulmo")
    );
    assert!(matrix.release("teak").is_none());
    assert_eq!(
        matrix
            .application("learning")
            .and_then(|a| a.path.as_ref())
            .map(|p| p.as_str()),
        Some("learn")
    );
    assert!(
        matrix
            .application("edx-platform")
            .is_some_and(|a| a.path.is_none())
    );
    assert!(matrix.application("forum").is_none());
    assert!(matrix.deployment("campus").is_some());
    assert!(matrix.deployment("mitx").is_none());
    assert_eq!(
        matrix
            .entry("verawood", "campus")
            .map(|e| e.release.as_str()),
        Some("verawood")
    );
    assert!(matrix.entry("verawood", "mitx").is_none());
    assert_eq!(matrix.app_version_count(), 4);
}

#[test]
fn any_one_override_alone_is_an_override() {
    let plain = || AppVersion::plain("learning", "ulmo");
    assert!(!plain().has_overrides());
    let mut branch = plain();
    branch.branch = Some("fix/learning".into());
    let mut origin = plain();
    origin.origin = Some("https://github.com/campus/frontend-app-learning".into());
    let mut runtime = plain();
    runtime.runtime = Some("22".into());
    let mut translations = plain();
    translations.translations = Some(vec!["make pull_translations".into()]);
    for version in [branch, origin, runtime, translations] {
        assert!(version.has_overrides(), "{version:?}");
    }
}

#[test]
fn canonical_orders_entries_as_the_releases_then_the_deployments_are_listed_and_apps_by_name() {
    let matrix = campus()
        .deployment("mitx", &[("CI", "ulmo")])
        .plain_entry("ulmo", "mitx", &["learning", "edx-platform"])
        .done();
    // Listed: ulmo/campus, verawood/campus, ulmo/mitx (learning before edx-platform).
    let mut shuffled = matrix.clone();
    shuffled.release_map.reverse();
    let canonical = shuffled.canonical();
    let order: Vec<_> = canonical
        .release_map
        .iter()
        .map(|e| {
            (
                e.release.as_str(),
                e.deployment.as_str(),
                e.apps
                    .iter()
                    .map(|a| a.application.as_str())
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            ("ulmo", "campus", vec!["edx-platform", "learning"]),
            ("ulmo", "mitx", vec!["edx-platform", "learning"]),
            ("verawood", "campus", vec!["edx-platform", "learning"]),
        ]
    );
    assert_eq!(canonical.releases, matrix.releases);
    assert_eq!(canonical.deployments, matrix.deployments);
}
