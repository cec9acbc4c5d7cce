//! End-to-end tests of the `edx-matrix` binary: one test binary, one module per command.
#![allow(clippy::unwrap_used)]

mod harness;

mod basics;
mod edits;
mod git;
mod hardening;
mod interop;
mod pipelines;
mod readme;
mod runbook;
mod serve;
