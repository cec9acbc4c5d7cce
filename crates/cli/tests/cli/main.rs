//! End-to-end tests of the `edx-matrix` binary: one test binary, one module per command.
#![allow(clippy::unwrap_used)]

mod harness;

mod arguments;
mod basics;
mod diff;
mod edits;
mod git;
mod hardening;
mod history;
mod history_charts;
mod interop;
mod matrix_history;
mod pipeline_templates;
mod pipelines;
mod project;
mod promote_several;
mod python_export;
mod python_package;
mod readme;
mod runbook;
pub(crate) mod serve;
mod tutor;
mod wiring;
