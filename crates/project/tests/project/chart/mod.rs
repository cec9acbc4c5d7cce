//! The integration tests of `edx-matrix-chart`: one binary, one module per concern.
#![allow(clippy::unwrap_used)]

mod svg;
mod wiring;
