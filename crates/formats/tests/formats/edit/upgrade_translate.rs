//! The copy `upgrade` makes of a shared block for the upgraded deployment: the old release's
//! name renamed in every kind of value (a string, each string of an array, `release`), in both
//! the inline and the table form of an application; names of other releases left alone.

use edx_matrix_formats::edit::upgrade::{Upgrade, upgrade};

const SHARED: &str = r#"stages = ["CI"]

[releases]
olive = { branch = "open-release/olive.master", python = "3.8", node = "16" }
palm  = { branch = "open-release/palm.master", python = "3.8", node = "16" }

[applications]
learning  = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-learning", path = "learn" }
authoring = { kind = "mfe", repository = "https://github.com/openedx/frontend-app-authoring", path = "authoring" }

[deployments]
mitx         = { CI = "olive" }
mitx-staging = { CI = "olive" }

[[map]]
releases    = ["olive"]
deployments = ["mitx", "mitx-staging"]
[map.apps]
learning = { branch = "mitx/olive", translations = ["olive", "main"], release = "olive" }
[map.apps.authoring]
branch       = "fix/olive"
translations = ["olive", "palmetto"]
"#;

#[test]
fn the_copy_renames_the_old_release_in_every_value_of_both_forms() {
    let out = upgrade(SHARED, &Upgrade::new(["mitx"], "CI", "palm")).expect("upgrades");
    let copy = &out.text[out.text.find("releases    = [\"palm\"]").expect("a copy")..];
    assert_eq!(
        copy,
        r#"releases    = ["palm"]
deployments = ["mitx"]
[map.apps]
learning = { branch = "mitx/palm", translations = ["palm", "main"], release = "palm" }
[map.apps.authoring]
branch       = "fix/palm"
translations = ["palm", "palmetto"]
"#
    );
}

#[test]
fn a_release_named_after_the_old_one_is_not_renamed_in_release() {
    // `release` names a release: only the old release itself becomes the new one, not a
    // release whose name merely contains it as a word (`olive-lts`).
    let text = SHARED
        .replace(
            "palm  = { branch",
            "olive-lts = { branch = \"acme/olive-lts\", python = \"3.8\", node = \"16\" }\npalm  = { branch",
        )
        .replace("release = \"olive\" }", "release = \"olive-lts\" }");
    let out = upgrade(text.as_str(), &Upgrade::new(["mitx"], "CI", "palm")).expect("upgrades");
    let copy = &out.text[out.text.find("releases    = [\"palm\"]").expect("a copy")..];
    assert!(
        copy.contains(
            r#"learning = { branch = "mitx/palm", translations = ["palm", "main"], release = "olive-lts" }"#
        ),
        "{copy}"
    );
}

#[test]
fn release_in_the_table_form_becomes_the_new_release() {
    let text = SHARED.replace("branch       = \"fix/olive\"", "release      = \"olive\"");
    let out = upgrade(text.as_str(), &Upgrade::new(["mitx"], "CI", "palm")).expect("upgrades");
    let copy = &out.text[out.text.find("releases    = [\"palm\"]").expect("a copy")..];
    assert!(
        copy.ends_with("[map.apps.authoring]\nrelease      = \"palm\"\ntranslations = [\"palm\", \"palmetto\"]\n"),
        "{copy}"
    );
}
