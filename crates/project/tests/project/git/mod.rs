//! The integration tests of `edx_matrix_project::git` (the former `git` crate): every test runs the real
//! `git` against repositories created in temporary directories, never the network.
#![allow(clippy::unwrap_used)]

mod commit_counts;
mod diff_use_case;
mod discover;
mod gaps;
mod history;
mod lock_history;
mod remote;
mod support;
mod upstream;
mod wanted;
mod wiring;
