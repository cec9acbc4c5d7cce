//! The tests of `edx_matrix_formats::chart` on histories read from git (the former `chart` crate), one module per concern.
#![allow(clippy::unwrap_used)]

mod svg;
mod wiring;
