//! The integration tests of `edx-matrix-pipeline`: one binary, one module per concern. The
//! fixture-per-case tests of `tests/fixtures/invalid-pipelines` are `tests/fixtures.rs`.
#![allow(clippy::unwrap_used)]

mod consumers;
mod generate;
mod impact;
mod pipelines;
mod script_data;
mod script_results;
mod script_rules;
mod settings;
mod support;
mod template_bounds;
mod templates;
mod validator;
mod wiring;
