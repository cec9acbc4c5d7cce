//! The integration tests of `edx-matrix-model`: the domain's rules — resolution and the
//! semantic checks — tested on matrices built as data, independently of any file format.
#![allow(clippy::unwrap_used)]

mod build;
mod check;
mod check_help;
mod check_values;
mod compare;
mod known_names;
mod lock;
mod lock_rebuild;
mod lock_rows;
mod lock_time;
mod lookup;
mod matrix;
mod resolve;
mod resolve_stream;
mod resolve_values;
mod vars;
mod wiring;
