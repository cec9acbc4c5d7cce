//! The notes `upgrade` gives on the values it copies unchanged into the new release: a branch
//! or runtime that does not name the release, a fork built from the release branch, an
//! application pinned to another release; and none for a value that names the old release
//! (a branch or a runtime: renamed, so it follows the release).

use edx_matrix_formats::edit::upgrade::{Upgrade, upgrade};

const OLIVE: &str = r#"stages = ["CI"]

[releases]
nutmeg = { branch = "open-release/nutmeg.master", python = "3.8", node = "16" }
olive  = { branch = "open-release/olive.master", python = "3.8", node = "16" }
palm   = { branch = "open-release/palm.master", python = "3.8", node = "16" }

[applications]
renamed = { kind = "ida", repository = "https://github.com/openedx/renamed" }
fixed   = { kind = "ida", repository = "https://github.com/openedx/fixed" }
forked  = { kind = "ida", repository = "https://github.com/openedx/forked" }
pinned  = { kind = "ida", repository = "https://github.com/openedx/pinned" }
runtime = { kind = "ida", repository = "https://github.com/openedx/runtime" }
plain   = { kind = "ida", repository = "https://github.com/openedx/plain" }
named   = { kind = "ida", repository = "https://github.com/openedx/named" }

[deployments]
mitx = { CI = "olive" }

[[map]]
releases    = ["olive"]
deployments = ["mitx"]
[map.apps]
renamed = { branch = "mitx/olive" }
fixed   = { branch = "main" }
forked  = { origin = "https://github.com/mitodl/forked" }
pinned  = { release = "nutmeg" }
runtime = { runtime = "3.8" }
plain   = {}
named   = { runtime = "3.8-olive" }
"#;

#[test]
fn values_kept_as_they_were_are_listed_to_check() {
    let out = upgrade(OLIVE, &Upgrade::new(["mitx"], "CI", "palm")).expect("upgrades");
    assert_eq!(
        out.notes,
        [
            "`fixed`: branch `main` kept as is — check",
            "`forked`: fork `https://github.com/mitodl/forked` kept, built from the release branch of `palm` — check the fork has it",
            "`pinned`: pinned to release `nutmeg`, kept as is — check",
            "`runtime`: runtime `3.8` kept as is — check",
        ]
    );
}
