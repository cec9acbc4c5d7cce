//! `set`'s summary names only what happened (mutation testing: trying the join of blocks
//! when nothing was joined, `coalesce(..) > 0` → `>= 0`, passed every test).

use edx_matrix_formats::edit::entry::{Override, Patch, Target, set};

const ONE: &str = r#"stages = ["CI"]

[releases]
ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }

[applications]
forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }

[deployments]
campus = { CI = "ulmo" }

[[map]]
releases    = ["ulmo"]
deployments = ["campus"]
[map.apps]
forum = {}
"#;

#[test]
fn a_set_in_place_says_only_set() {
    let patch = Patch {
        branch: Override::Set("campus/ulmo".to_owned()),
        ..Patch::default()
    };
    let target = Target::new(&"campus".into(), &"ulmo".into(), &"forum".into());
    let out = set(ONE, &target, &patch).expect("sets");
    assert_eq!(out.summary, "set `forum` of `campus` on `ulmo`");
    assert_eq!(
        out.text,
        ONE.replace("forum = {}", r#"forum = { branch = "campus/ulmo" }"#)
    );
}
