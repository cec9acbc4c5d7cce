//! `upgrade` on a shared block: where the copy for the upgraded deployment goes and what the
//! summary counts (mutation testing found neither asserted: a copy inserted before its source,
//! or a summary without the release-map count, passed every test).

use edx_matrix_formats::edit::upgrade::{Upgrade, upgrade};

const TWO: &str = r#"stages = ["CI", "QA"]

[releases]
olive = { branch = "open-release/olive.master", python = "3.8", node = "16" }
palm  = { branch = "open-release/palm.master", python = "3.8", node = "16" }

[applications]
edx-platform = { kind = "ida", repository = "https://github.com/openedx/edx-platform" }

[deployments]
mitx         = { CI = "olive", QA = "olive" }
mitx-staging = { CI = "olive", QA = "olive" }

# shared
[[map]]
releases    = ["olive"]
deployments = ["mitx", "mitx-staging"]
[map.apps]
edx-platform = { branch = "mitx/olive" }
"#;

#[test]
fn the_copy_for_one_deployment_follows_its_source_and_is_counted() {
    let out = upgrade(TWO, &Upgrade::new(["mitx"], "CI", "palm")).expect("upgrades");
    assert_eq!(
        out.summary,
        "upgraded stage `CI` of `mitx` to `palm`; release map: 0 blocks extended, 1 block added"
    );
    // The whole block list after the edit: the source (with its comment) first, then the copy.
    let blocks = &out.text[out.text.find("# shared").expect("comment kept")..];
    assert_eq!(
        blocks,
        r#"# shared
[[map]]
releases    = ["olive"]
deployments = ["mitx", "mitx-staging"]
[map.apps]
edx-platform = { branch = "mitx/olive" }

[[map]]
releases    = ["palm"]
deployments = ["mitx"]
[map.apps]
edx-platform = { branch = "mitx/palm" }
"#
    );
}

#[test]
fn a_deployment_that_has_an_entry_for_the_release_only_changes_its_pin() {
    let text = TWO.replace("\"mitx/olive\" }\n", "\"mitx/olive\" }\n\n[[map]]\nreleases    = [\"palm\"]\ndeployments = [\"mitx\"]\n[map.apps]\nedx-platform = {}\n");
    let out = upgrade(text.as_str(), &Upgrade::new(["mitx"], "CI", "palm")).expect("upgrades");
    // No block extended or added: the summary says nothing about the release map.
    assert_eq!(out.summary, "upgraded stage `CI` of `mitx` to `palm`");
    assert_eq!(
        out.text,
        text.replace(
            "mitx         = { CI = \"olive\", QA = \"olive\" }",
            "mitx         = { CI = \"palm\", QA = \"olive\" }"
        )
    );
}

#[test]
fn an_application_the_new_release_does_not_build_is_named_dropped_and_a_new_one_added() {
    let text = TWO
        .replace(
            "[deployments]",
            "forum        = { kind = \"ida\", repository = \"https://github.com/openedx/cs_comments_service\" }\n\n[deployments]",
        )
        .replace(
            "\"mitx/olive\" }\n",
            "\"mitx/olive\" }\n\n[[map]]\nreleases    = [\"palm\"]\ndeployments = [\"mitx\"]\n[map.apps]\nforum = {}\n",
        );
    let out = upgrade(text.as_str(), &Upgrade::new(["mitx"], "CI", "palm")).expect("upgrades");
    assert_eq!(
        out.summary,
        "upgraded stage `CI` of `mitx` to `palm`\n`mitx` CI: `forum` added, `edx-platform` dropped"
    );
}
