//! A Python matrix package as one project source.
//!
//! A package is two files; a [`Project`](crate::Project) is loaded from one text. The text of a
//! package is its `types.py` and its `version_matrix.py` joined by a NUL, which Python source
//! cannot contain: the server compares it to see a change, git history reads it at every
//! revision, and [`load`] splits it again.

use crate::read::{ReadError, read_file};
use edx_matrix_formats::python_package::{self, TYPES, VERSION_MATRIX};
use edx_matrix_formats::{Loaded, Source};
use std::path::Path;

/// Joins the files of a package into its text (`types` is absent in the single-file layout).
pub(crate) fn package_text(types: Option<&str>, version_matrix: &str) -> String {
    format!("{}\0{version_matrix}", types.unwrap_or_default())
}

/// Reads the package in `dir` as its text (see `package_text`).
pub(crate) fn read_package(dir: &Path) -> Result<String, ReadError> {
    let types = dir.join(TYPES);
    let types = if types.is_file() {
        Some(read_file(&types)?)
    } else {
        None
    };
    let version_matrix = read_file(&dir.join(VERSION_MATRIX))?;
    Ok(package_text(types.as_deref(), &version_matrix))
}

/// Imports a package from its text; `dir` is the package's name in diagnostics (a path, or
/// `abc1234:settings/matrix`).
pub(crate) fn load(dir: &str, text: &str) -> Loaded {
    let (types, version_matrix) = text.split_once('\0').unwrap_or(("", text));
    let name = |file: &str| {
        if dir.is_empty() {
            file.to_owned()
        } else {
            format!("{}/{file}", dir.trim_end_matches('/'))
        }
    };
    let types = (!types.is_empty()).then(|| Source::new(name(TYPES), types));
    python_package::load(types, Source::new(name(VERSION_MATRIX), version_matrix))
}
