//! What a resolved row carries beside its identity — the entry's extra values — written by hand
//! from the matrix built beside each test (mutation testing found these unasserted).

use crate::build::campus;
use edx_matrix_model::{Extra, ExtraValue, Filter, resolve};

#[test]
fn a_row_carries_its_entrys_extra_values_and_none_without_them() {
    let mut matrix = campus().done();
    // release_map[0] is (ulmo, campus): edx-platform, learning.
    let branding = Extra(vec![(
        "branding".into(),
        ExtraValue::String("campus-theme".into()),
    )]);
    matrix.release_map[0].apps[0].extra = branding.clone();
    let resolution = resolve(&matrix, &Filter::default());
    let extras: Vec<_> = resolution
        .rows
        .iter()
        .map(|r| (r.stage, r.application, r.extra))
        .collect();
    assert_eq!(
        extras,
        [
            ("CI", "edx-platform", None),
            ("CI", "learning", None),
            ("Production", "edx-platform", Some(&branding)),
            ("Production", "learning", None),
            ("QA", "edx-platform", Some(&branding)),
            ("QA", "learning", None),
        ]
    );
}

#[test]
fn an_entry_resolves_on_its_own_with_its_release_defaults_and_none_without_one() {
    use edx_matrix_model::{Index, resolve_entry};
    let matrix = campus().done();
    let index = Index::new(&matrix);
    let apps = resolve_entry(&index, "verawood", "campus").expect("the verawood entry");
    let brief: Vec<_> = apps
        .iter()
        .map(|a| {
            (
                a.application,
                a.git_origin,
                a.release_branch,
                a.runtime_version,
            )
        })
        .collect();
    assert_eq!(
        brief,
        [
            (
                "edx-platform",
                "https://github.com/openedx/openedx-platform",
                "release/verawood",
                Some("3.12"),
            ),
            (
                "learning",
                "https://github.com/openedx/frontend-app-learning",
                "release/verawood",
                Some("24"),
            ),
        ]
    );
    assert!(resolve_entry(&index, "verawood", "mitx").is_none());
    assert!(resolve_entry(&index, "teak", "campus").is_none());
}

#[test]
fn an_extra_value_is_found_by_its_name() {
    let extra = Extra(vec![
        ("branding".into(), ExtraValue::String("campus-theme".into())),
        ("build_args".into(), ExtraValue::Integer(2)),
    ]);
    assert_eq!(extra.get("build_args"), Some(&ExtraValue::Integer(2)));
    assert_eq!(
        extra.get("branding"),
        Some(&ExtraValue::String("campus-theme".into()))
    );
    assert_eq!(extra.get("theme"), None);
}
