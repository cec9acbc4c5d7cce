//! A Python package (`version_matrix.py`, usually with `types.py`) read as a matrix source:
//! what `--file DIR`, `history` and `diff` load through the importer, as a [`Loaded`].
//!
//! A [`Loaded`] carries one source; a package has two files. The file with errors (`types.py`
//! first) is the source, its diagnostics located in it; diagnostics of the other file keep their
//! place in their message (`types.py:12:5: …`).

use crate::python_import::{Options, PyFile, import};
use crate::{Diagnostic, Format, Loaded, Location, Source};

/// The module that must be in a directory for it to be a Python matrix package.
pub const VERSION_MATRIX: &str = "version_matrix.py";
/// The module that usually sits next to it.
pub const TYPES: &str = "types.py";

/// Imports a package from the text of its files (`types` absent in the single-file layout).
pub fn load(types: Option<Source>, version_matrix: Source) -> Loaded {
    let types = types.unwrap_or_else(|| {
        let name = version_matrix
            .name
            .strip_suffix(VERSION_MATRIX)
            .map_or_else(|| TYPES.to_owned(), |dir| format!("{dir}{TYPES}"));
        Source::new(name, String::new())
    });
    let imported = import(types, version_matrix, &Options::default());
    let errors = |f: &PyFile| f.diagnostics.iter().any(Diagnostic::is_error);
    let (primary, other) = if errors(&imported.types) {
        (imported.types, imported.version_matrix)
    } else {
        (imported.version_matrix, imported.types)
    };
    let mut diagnostics = primary.diagnostics;
    for mut d in other.diagnostics {
        let place = d
            .line_col(&other.source)
            .map(|(line, col)| format!("{}:{line}:{col}: ", other.source.name))
            .unwrap_or_else(|| format!("{}: ", other.source.name));
        d.message = format!("{place}{}", d.message);
        d.location = Location::File;
        d.secondary.clear();
        diagnostics.push(d);
    }
    Loaded {
        source: primary.source,
        // Not TOML: no `[pipelines]`, `[runbooks]` or TOML spans to read.
        format: Format::PythonPackage,
        matrix: imported.matrix,
        python: imported.python,
        diagnostics,
        sections: Vec::new(),
    }
}
