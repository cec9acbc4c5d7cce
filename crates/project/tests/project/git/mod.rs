//! The integration tests of `edx-matrix-git`, one binary: every test runs the real
//! `git` against repositories created in temporary directories, never the network.
#![allow(clippy::unwrap_used)]

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
