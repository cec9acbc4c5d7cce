//! The built-in example: the acme estate from `examples/acme/edx-matrix.toml`, embedded so
//! `--example` works without any file.

/// The display name of the example source.
pub const NAME: &str = "<example: acme>";

/// The example matrix text.
pub const TEXT: &str = include_str!("../../../examples/acme/edx-matrix.toml");
