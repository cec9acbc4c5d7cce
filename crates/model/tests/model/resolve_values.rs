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
