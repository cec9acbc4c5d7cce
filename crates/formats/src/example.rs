//! The built-in example: the acme estate, embedded so `--example` works without any file.
//!
//! It is `examples/acme/edx-matrix.toml` (the matrix itself) followed by
//! `examples/acme/pipelines.toml` (its `[pipelines]` section), so the matrix file a reader
//! compares with the Python module it replaces stays on its own.

/// The display name of the example source.
pub const NAME: &str = "<example: acme>";

/// The example matrix text.
pub const TEXT: &str = concat!(
    include_str!("../../../examples/acme/edx-matrix.toml"),
    include_str!("../../../examples/acme/pipelines.toml")
);

/// The example's pipeline templates (`examples/acme/pipelines/*.star`), by path relative to
/// the matrix file, in the order `[pipelines] templates` matches them.
pub const TEMPLATES: &[(&str, &str)] = &[
    (
        "pipelines/edx-platform.star",
        include_str!("../../../examples/acme/pipelines/edx-platform.star"),
    ),
    (
        "pipelines/mfe.star",
        include_str!("../../../examples/acme/pipelines/mfe.star"),
    ),
    (
        "pipelines/standard.star",
        include_str!("../../../examples/acme/pipelines/standard.star"),
    ),
];
