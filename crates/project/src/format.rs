//! Which format a matrix source is in: decided here and nowhere else.

use edx_matrix_formats::python_package::VERSION_MATRIX;
use std::path::Path;

pub use edx_matrix_formats::Format;

/// Returns the format of the matrix at `path`: a Python package when `path` is a directory
/// holding `version_matrix.py`, interchange JSON when the name ends in `.json`,
/// `edx-matrix.toml` otherwise.
pub fn format_of(path: &Path) -> Format {
    if path.is_dir() && path.join(VERSION_MATRIX).is_file() {
        Format::PythonPackage
    } else if path.extension().is_some_and(|e| e == "json") {
        Format::ModelJson
    } else {
        Format::Toml
    }
}

/// Returns whether `path` is a Python matrix package (see [`format_of`]).
pub fn is_python_package(path: &Path) -> bool {
    format_of(path) == Format::PythonPackage
}
