//! The integration tests of `edx-matrix-formats`' readers and writers (the former `config` crate), one module per concern. The
//! fixture-per-case tests of `tests/fixtures/{valid,invalid,invalid-json}` are `tests/fixtures.rs`.
#![allow(clippy::unwrap_used)]

mod acme;
mod diagnostics;
mod lock_file;
mod python_table;
mod roundtrip;
mod vars;
mod wiring;
