//! Reads `edx-matrix.toml` into a [`Matrix`], collecting every format problem with its span and
//! remembering where each value came from so model problems can be located too.
//!
//! The walk is by hand over `toml_edit`'s spanned document rather than through serde, because
//! serde stops at the first error and `check` must report them all.

mod applications;
mod block_app;
mod deployments;
mod lints_table;
mod map;
mod releases;
mod source_map;

use crate::diagnostic::{Diagnostic, Location, Secondary};
use crate::spanned::TomlReader;
pub use applications::APPLICATION_KEYS;
use applications::read_applications;
pub use block_app::APP_VERSION_KEYS;
use deployments::read_deployments;
use edx_matrix_model::{Code, Matrix};
use lints_table::read_lints;
pub use map::BLOCK_KEYS;
use map::read_map;
pub use releases::RELEASE_KEYS;
use releases::read_releases;
pub use source_map::TomlSourceMap;
use std::ops::Range;
use toml_edit::TableLike;

type Span = Range<usize>;

/// The top-level keys of the format.
pub const TOP_LEVEL_KEYS: &[&str] = &[
    "stages",
    "releases",
    "applications",
    "deployments",
    "map",
    "lints",
    "pipelines",
    "runbooks",
    "operations",
    "gates",
    "python",
];

/// The matrix walk: the shared TOML helpers plus the source map being built.
struct Reader {
    toml: TomlReader,
    map: TomlSourceMap,
}

/// Parses TOML text into a matrix, its source map and the format diagnostics.
///
/// A TOML syntax error stops the reading (there is nothing reliable to continue with) and gives
/// an empty matrix; every other problem is reported and reading goes on.
pub fn read(text: &str) -> (Matrix, TomlSourceMap, Vec<Diagnostic>) {
    match parse(text) {
        Ok(doc) => read_document(&doc, text),
        Err(diagnostic) => (
            Matrix::default(),
            TomlSourceMap::default(),
            vec![*diagnostic],
        ),
    }
}

/// Parses the TOML syntax only; a syntax error becomes a `toml-syntax` diagnostic.
pub fn parse(text: &str) -> Result<toml_edit::Document<&str>, Box<Diagnostic>> {
    crate::count_parse();
    toml_edit::Document::parse(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let span = if span.is_empty() {
            span.start..(span.start + 1).min(text.len()).max(span.start)
        } else {
            span
        };
        let message = e.message().trim().to_owned();
        Box::new(Diagnostic::new(
            Code::TomlSyntax,
            Location::Span(span),
            format!("invalid TOML: {}", first_line(&message)),
            first_line(&message),
        ))
    })
}

/// Reads the matrix from a parsed document of `text` (see [`read`]).
pub fn read_document(
    doc: &toml_edit::Document<&str>,
    text: &str,
) -> (Matrix, TomlSourceMap, Vec<Diagnostic>) {
    let whole = 0..text.len().min(1);
    let mut reader = Reader {
        toml: TomlReader::new(text),
        map: TomlSourceMap::default(),
    };
    let root = doc.as_table();
    reader
        .toml
        .unknown_keys(root, TOP_LEVEL_KEYS, "the matrix file", &whole);
    let mut matrix = Matrix::default();

    match root.get("stages") {
        Some(item) => {
            if let Some(stages) = reader.toml.string_array(item, "`stages`", &whole) {
                for (name, span) in stages {
                    matrix.stages.push(name.into());
                    reader.map.stages.push(span);
                }
            }
        }
        None => reader.toml.missing(whole.clone(), "stages", "the matrix file (the stage promotion order, e.g. `stages = [\"CI\", \"QA\", \"Production\"]`)"),
    }
    read_releases(&mut reader, root, &mut matrix);
    read_applications(&mut reader, root, &mut matrix);
    read_deployments(&mut reader, root, &mut matrix);
    read_map(&mut reader, root, &mut matrix);
    read_lints(&mut reader, root);
    (matrix, reader.map, reader.toml.into_diagnostics())
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_owned()
}

fn section<'a>(
    reader: &mut Reader,
    root: &'a toml_edit::Table,
    key: &str,
    what: &str,
) -> Option<&'a dyn TableLike> {
    let fallback = reader.toml.fallback();
    match root.get(key) {
        Some(item) => reader.toml.table(item, &format!("`{key}`"), &fallback),
        None => {
            reader.toml.missing(fallback, key, what);
            None
        }
    }
}

/// Adds a secondary label to a diagnostic.
pub(crate) fn secondary(span: Span, label: impl Into<String>) -> Secondary {
    Secondary {
        location: Location::Span(span),
        label: label.into(),
    }
}
