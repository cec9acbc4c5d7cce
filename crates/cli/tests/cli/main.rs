//! End-to-end tests of the `edx-matrix` binary: one test binary, one module per command.
#![allow(clippy::unwrap_used)]

mod harness;

mod arguments;
mod basics;
mod completion;
mod conventions;
mod diff;
mod edits;
mod explain;
mod git;
mod hardening;
mod hardening_git;
mod hardening_inputs;
mod history;
mod history_charts;
mod interop;
mod lock;
mod man_pages;
mod matrix_history;
mod no_pipelines;
mod pipeline_consumers;
mod pipeline_templates;
mod pipelines;
mod project;
mod promote_gates;
mod promote_lock;
mod promote_several;
mod python_export;
mod python_package;
mod readme;
mod release_upstream;
mod runbook;
mod schema_taplo;
pub(crate) mod serve;
mod template_hardening;
mod tutor;
mod tutor_defaults;
mod tutor_mfes;
mod tutor_venv;
mod verify_locked;
mod wiring;
mod written_files;
