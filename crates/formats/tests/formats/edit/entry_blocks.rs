//! Where `set`, `include` and `exclude` put the blocks they make, and which block they reuse
//! (mutation testing of `edit/entry/isolate.rs`: the edits' meaning was checked, the place and
//! the layout of the blocks were not).

use edx_matrix_formats::edit::entry::{Override, Patch, Target, exclude, include, set};
use edx_matrix_formats::example::TEXT as ACME;

/// The last line of the last `[[map]]` block of `campus` in the example.
const LAST_CAMPUS_LINE: &str = "branch = \"acme/verawood-fix-jumpnav\" }\n";

#[test]
fn a_new_pair_gets_a_block_right_after_the_last_block_of_its_deployment() {
    let target = Target::new(&"campus".into(), &"master".into(), &"forum".into());
    let out = include(ACME, &target, &Patch::default()).expect("includes");
    // Laid out like the block before it, and before the next block's comment.
    let expected = ACME.replacen(
        LAST_CAMPUS_LINE,
        &format!(
            "{LAST_CAMPUS_LINE}\n[[map]]\nreleases    = [\"master\"]\ndeployments = [\"campus\"]\n[map.apps]\nforum = {{}}\n"
        ),
        1,
    );
    assert_ne!(expected, ACME);
    assert_eq!(out.text, expected);
    assert_eq!(out.summary, "included `forum` of `campus` on `master`");
}

#[test]
fn a_block_of_exactly_the_pairs_left_takes_the_application_unless_commented() {
    // xqwatcher leaves campus x verawood: master and ulmo keep it on both deployments, and the
    // learning block covers exactly those pairs. Commented (as in the example), that block is
    // about something else and a new block is made; without its comment, it is reused.
    let comment = "# The learning MFE: upstream, except on verawood where a fix is being upstreamed from our fork.\n";
    let xqwatcher = "xqwatcher = { origin = \"https://github.com/acme-edu/xqueue-watcher\", branch = \"main\" }";
    let target = Target::new(&"campus".into(), &"verawood".into(), &"xqwatcher".into());
    let patch = Patch {
        branch: Override::Unset,
        ..Patch::default()
    };
    let text = ACME.replace(comment, "");
    let out = set(text.as_str(), &target, &patch).expect("sets");
    let blocks = format!(
        r#"
[[map]]
releases    = ["verawood"]
deployments = ["campus-staging"]
[map.apps]
{xqwatcher}

[[map]]
releases    = ["verawood"]
deployments = ["campus"]
[map.apps]
xqwatcher = {{ origin = "https://github.com/acme-edu/xqueue-watcher" }}
"#
    );
    let reused = format!(
        "{blocks}\n[[map]]\nreleases    = [\"master\", \"ulmo\"]\ndeployments = [\"campus\", \"campus-staging\"]\n[map.apps]\nlearning  = {{}}\n{xqwatcher}\n"
    );
    assert!(out.text.contains(&reused), "{}", out.text);
    assert_eq!(
        out.text.matches("[[map]]").count(),
        text.matches("[[map]]").count() + 2
    );

    // `exclude` reuses it too (for `set`, joining the blocks afterwards would hide a new block
    // made instead).
    let out = exclude(text.as_str(), &target).expect("excludes");
    let kept =
        "\n[[map]]\nreleases    = [\"verawood\"]\ndeployments = [\"campus-staging\"]\n[map.apps]\n";
    assert!(
        out.text.contains(&format!(
            "{kept}{xqwatcher}\n\n[[map]]\nreleases    = [\"master\", \"ulmo\"]\ndeployments = [\"campus\", \"campus-staging\"]\n[map.apps]\nlearning  = {{}}\n{xqwatcher}\n"
        )),
        "{}",
        out.text
    );

    let out = set(ACME, &target, &patch).expect("sets");
    let made = format!(
        "\n[[map]]\nreleases    = [\"master\", \"ulmo\"]\ndeployments = [\"campus\", \"campus-staging\"]\n[map.apps]\n{xqwatcher}\n{blocks}\n{comment}[[map]]\nreleases    = [\"master\", \"ulmo\"]\ndeployments = [\"campus\", \"campus-staging\"]\n[map.apps]\nlearning = {{}}\n"
    );
    assert!(out.text.contains(&made), "{}", out.text);
    assert_eq!(
        out.text.matches("[[map]]").count(),
        ACME.matches("[[map]]").count() + 3
    );
}

#[test]
fn the_targets_own_block_takes_the_changed_application() {
    // pro x teak has a block of its own (communications on Node 22): learning moves into it
    // with its new branch, and verawood and ulmo keep it in a new block (the block of exactly
    // those pairs is commented: about communications).
    let target = Target::new(&"pro".into(), &"teak".into(), &"learning".into());
    let patch = Patch {
        branch: Override::Set("pro/teak-fix".to_owned()),
        ..Patch::default()
    };
    let out = set(ACME, &target, &patch).expect("sets");
    let start = out.text.find("# pro: three").expect("pro's blocks");
    let end = out.text.find("# ── Pipelines").expect("the pipelines");
    assert_eq!(
        &out.text[start..end],
        r#"# pro: three stages on three releases. notes-api tracks master inside every block.
[[map]]
releases    = ["verawood", "ulmo", "teak"]
deployments = ["pro"]
[map.apps]
edx-platform      = { origin = "https://github.com/acme-edu/edx-platform", branch = "pro/{release}" }
edxapp_theme      = { origin = "https://github.com/acme-edu/pro-theme", branch = "pro-{release}" }
notes-api         = { release = "master" }
authoring         = {}
learner-dashboard = {}

[[map]]
releases    = ["verawood", "ulmo"]
deployments = ["pro"]
[map.apps]
learning = {}

# communications needs Node 22 on teak.
[[map]]
releases    = ["verawood", "ulmo"]
deployments = ["pro"]
[map.apps]
communications = {}

[[map]]
releases    = ["teak"]
deployments = ["pro"]
[map.apps]
communications = { runtime = "22" }
learning       = { branch = "pro/teak-fix" }

"#
    );
}
