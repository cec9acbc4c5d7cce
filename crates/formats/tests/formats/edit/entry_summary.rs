//! `set`'s summary names only what happened (mutation testing: trying the join of blocks
//! when nothing was joined, `coalesce(..) > 0` → `>= 0`, passed every test).

use super::ONE_RELEASE;
use edx_matrix_formats::edit::entry::{Override, Patch, Target, set};

#[test]
fn a_set_in_place_says_only_set() {
    let patch = Patch {
        branch: Override::Set("campus/ulmo".to_owned()),
        ..Patch::default()
    };
    let target = Target::new(&"campus".into(), &"ulmo".into(), &"forum".into());
    let out = set(ONE_RELEASE, &target, &patch).expect("sets");
    assert_eq!(out.summary, "set `forum` of `campus` on `ulmo`");
    assert_eq!(
        out.text,
        ONE_RELEASE.replace("forum = {}", r#"forum = { branch = "campus/ulmo" }"#)
    );
}
