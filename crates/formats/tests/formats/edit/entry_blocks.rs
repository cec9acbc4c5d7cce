//! Where `set`, `include` and `exclude` put the blocks they make, and which block they reuse
//! (mutation testing of `edit/entry/isolate.rs`: the edits' meaning was checked, the place and
//! the layout of the blocks were not).

use edx_matrix_formats::edit::entry::{Patch, Target, include};
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
