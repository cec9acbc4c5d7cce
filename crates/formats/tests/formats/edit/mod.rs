//! The integration tests of `edx-matrix-formats`' edits (the former `edit` crate), one module per concern. (Most edit
//! tests are unit tests beside the code; the CLI's tests run every edit command end to end.)
#![allow(clippy::unwrap_used)]

mod app_add;
mod entry_summary;
mod fmt_rules;
mod meaning;
mod names_and_places;
mod python_table;
mod release_retire;
mod upgrade_notes;
mod upgrade_summary;
mod upgrade_translate;
mod wiring;
