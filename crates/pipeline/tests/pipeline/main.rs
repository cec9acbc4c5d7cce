//! The integration tests of `edx-matrix-pipeline`: one binary, one module per concern. The
//! fixture-per-case tests of `tests/fixtures/invalid-pipelines` are `tests/fixtures.rs`.
#![allow(clippy::unwrap_used)]

mod consumers;
mod generate;
mod impact;
mod pipelines;
mod render_rules;
mod script_data;
mod script_results;
mod script_rules;
mod settings;
mod settings_rules;
mod support;
mod template_bounds;
mod templates;
mod validate_rules;
mod validator;
mod wiring;
