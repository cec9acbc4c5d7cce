//! The integration tests of `edx-matrix-formats`, one module per concept it holds: the
//! edx-matrix.toml and interchange JSON readers (`config`), the in-place edits (`edit`), and the
//! imports and exports (`interop`). The fixture-per-case tests are `tests/fixtures.rs` and
//! `tests/python_fixtures.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod config;
mod edit;
mod interop;
mod wiring;
