//! The integration tests of `edx-matrix-formats`' imports and exports (the former `interop` crate), one module per concern. The
//! fixture-per-case tests (schema over `tests/fixtures/valid`, `tests/fixtures/python-invalid`)
//! are `tests/fixtures.rs`.
#![allow(clippy::unwrap_used)]

mod exports;
mod python_eras;
mod python_export;
mod python_import;
mod python_spellings;
mod schema;
mod schema_agreement;
mod tutor_export;
mod wiring;
