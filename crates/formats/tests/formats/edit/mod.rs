//! The integration tests of `edx-matrix-formats`' edits (the former `edit` crate), one module per concern. (Most edit
//! tests are unit tests beside the code; the CLI's tests run every edit command end to end.)
#![allow(clippy::unwrap_used)]

mod app_add;
mod entry_blocks;
mod entry_layout;
mod entry_summary;
mod entry_values;
mod fmt_rules;
mod meaning;
mod names_and_places;
mod python_table;
mod release_retire;
mod release_rows;
mod upgrade_notes;
mod upgrade_summary;
mod upgrade_translate;
mod wiring;

/// A formatted matrix of one release, one deployment, one stage and one application: the
/// smallest file the edits' summaries and `fmt`'s rules are shown on.
const ONE_RELEASE: &str = r#"stages = ["CI"]

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
