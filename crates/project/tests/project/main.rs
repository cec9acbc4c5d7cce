//! The project loader: one integration-test binary, one module per concept.
#![allow(clippy::unwrap_used)]

mod chart;
mod edit_file;
mod edits;
mod edits_canonical;
mod git;
mod loads;
mod lock;
mod source;
mod wiring;
