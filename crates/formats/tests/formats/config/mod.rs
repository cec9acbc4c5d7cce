//! The integration tests of `edx-matrix-config`: one binary, one module per concern. The
//! fixture-per-case tests of `tests/fixtures/{valid,invalid,invalid-json}` are `tests/fixtures.rs`.
#![allow(clippy::unwrap_used)]

mod acme;
mod diagnostics;
mod lock_file;
mod python_table;
mod roundtrip;
mod vars;
mod wiring;
