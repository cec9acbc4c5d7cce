//! Which format a matrix source is in: decided here and nowhere else.

use std::path::Path;

pub use edx_matrix_config::Format as SourceFormat;

/// Returns the format of the matrix at `path`: interchange JSON when the name ends in `.json`,
/// `edx-matrix.toml` otherwise.
///
/// (A Python package directory read through the interop importer is meant to be decided here
/// too.)
pub fn format_of(path: &Path) -> SourceFormat {
    if path.extension().is_some_and(|e| e == "json") {
        SourceFormat::ModelJson
    } else {
        SourceFormat::Toml
    }
}
