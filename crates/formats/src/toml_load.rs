//! Reads `edx-matrix.toml` into a [`Matrix`], collecting every format problem with its span and
//! remembering where each value came from so model problems can be located too.
//!
//! The walk is by hand over a spanned tree (`toml_load/tree.rs`) rather than through serde,
//! because serde stops at the first error and `check` must report them all. The tree is built
//! from `toml_parser`'s events; `toml_edit` parses only text the builder refuses (its errors are
//! the `toml-syntax` diagnostics) and files with a section outside the matrix
//! ([`Parsed::root`]).

mod applications;
mod block_app;
mod deployments;
mod lints_table;
mod map;
#[cfg(test)]
mod oracle;
mod releases;
mod source_map;
mod split;
pub(crate) mod tree;

use crate::diagnostic::{Diagnostic, Location, Secondary};
use crate::spanned::TomlReader;
pub(crate) use applications::APPLICATION_KEYS;
use applications::read_applications;
pub(crate) use block_app::APP_VERSION_KEYS;
use deployments::read_deployments;
use edx_matrix_model::{Code, Matrix};
use lints_table::read_lints;
pub(crate) use map::BLOCK_KEYS;
use map::read_map;
pub(crate) use releases::RELEASE_KEYS;
use releases::read_releases;
pub use source_map::TomlSourceMap;
use std::ops::Range;
use tree::Table;

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

/// The top-level keys read from the tree; a file with any other (`pipelines`, `runbooks`, …)
/// is parsed by `toml_edit` too, for the readers of those sections.
pub const MATRIX_KEYS: &[&str] = &[
    "stages",
    "releases",
    "applications",
    "deployments",
    "map",
    "lints",
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
        Ok(mut parsed) => read_document(&mut parsed, text),
        Err(diagnostic) => (
            Matrix::default(),
            TomlSourceMap::default(),
            vec![*diagnostic],
        ),
    }
}

/// A parsed matrix text: its tree and, for a large file read block by block, its `[[map]]`
/// blocks already read (the tree then holds every other section).
#[derive(Debug)]
pub struct Parsed<'a> {
    tree: tree::Table<'a>,
    text: &'a str,
    /// The blocks cut out when they were read apart (the `toml_edit` root is then the rest).
    cut: Vec<Range<usize>>,
    /// The `toml_edit` document, parsed when a reader of another section asks for it.
    doc: std::cell::OnceCell<toml_edit::Document<String>>,
    blocks: Option<split::MapRead>,
}

impl<'a> Parsed<'a> {
    fn new(tree: tree::Table<'a>, text: &'a str) -> Self {
        Self {
            tree,
            text,
            cut: Vec::new(),
            doc: std::cell::OnceCell::new(),
            blocks: None,
        }
    }

    /// The root table as `toml_edit` reads it, for the readers of the sections outside the
    /// matrix (`[pipelines]`, `[runbooks]`, …). Parsed on the first call: a matrix without
    /// such a section never pays for it.
    pub fn root(&self) -> &toml_edit::Table {
        self.doc
            .get_or_init(|| {
                let text = if self.cut.is_empty() {
                    self.text.to_owned()
                } else {
                    split::rest(self.text, &self.cut)
                };
                // The tree was read from this text, so `toml_edit` reads it too; an empty
                // document otherwise (never a panic on user input).
                toml_edit::Document::parse(text).unwrap_or_else(|_| {
                    toml_edit::Document::parse(String::new())
                        .unwrap_or_else(|_| unreachable!("the empty document parses"))
                })
            })
            .as_table()
    }

    /// The top-level keys written (`map` included when its blocks were read apart).
    pub fn section_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.tree.iter().map(|(k, _)| k.to_owned()).collect();
        if self.blocks.is_some() {
            names.push("map".to_owned());
        }
        names
    }

    /// Whether the `[[map]]` blocks were parsed and read one at a time.
    pub fn read_by_blocks(&self) -> bool {
        self.blocks.is_some()
    }
}

/// Parses the TOML syntax only; a syntax error becomes a `toml-syntax` diagnostic. A file of
/// 256 KiB or more in the plain layout is parsed block by block
/// ([`parse_by_blocks`]).
pub(crate) fn parse(text: &str) -> Result<Parsed<'_>, Box<Diagnostic>> {
    crate::count_parse();
    if text.len() >= split::SPLIT_FROM
        && let Some(parsed) = parse_by_blocks(text)
    {
        return Ok(parsed);
    }
    if has_other_header(text) {
        // `toml_edit` parses the file for that section anyway: the tree is read from its
        // document rather than built a second time.
        return parse_edit(text);
    }
    parse_whole(text)
}

/// Whether a line of `text` starts with the header of a section outside the matrix
/// (`[pipelines]`, `[[runbooks.x]]`, …). A guess that costs one search: a section it misses
/// (an indented header, a dotted root key) is parsed twice, one it imagines (`[pythonic]`) is
/// read through `toml_edit`; either reads the same.
fn has_other_header(text: &str) -> bool {
    // `memchr` finds the line starts: `split('\n')` cost 47K instructions on a 5 KB file.
    let bytes = text.as_bytes();
    let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', bytes).map(|at| at + 1));
    starts.filter(|&at| bytes.get(at) == Some(&b'[')).any(|at| {
        let rest = text[at..].trim_start_matches(['[', ' ', '\t']);
        TOP_LEVEL_KEYS
            .iter()
            .filter(|k| !MATRIX_KEYS.contains(k))
            .any(|k| rest.starts_with(k))
    })
}

/// Parses `text` as one document: into the tree straight from `toml_parser`'s events, or, for
/// whatever the builder leaves to it (every error among them), through `toml_edit`
/// ([`parse_edit`]).
pub(crate) fn parse_whole(text: &str) -> Result<Parsed<'_>, Box<Diagnostic>> {
    match tree::build::parse(text, 0) {
        Some(tree) => Ok(Parsed::new(tree, text)),
        None => parse_edit(text),
    }
}

/// Parses `text` with `toml_edit` and reads its document into the tree: the path of any text
/// the builder refuses, and the oracle the builder is tested against.
pub fn parse_edit(text: &str) -> Result<Parsed<'_>, Box<Diagnostic>> {
    match toml_edit::Document::parse(text.to_owned()) {
        Ok(doc) => {
            let parsed = Parsed::new(tree::from_edit::table(doc.as_table()), text);
            let _ = parsed.doc.set(doc);
            Ok(parsed)
        }
        Err(e) => Err(syntax_error(text, &e)),
    }
}

/// Parses the `[[map]]` blocks one at a time, reading each into the release map, and the rest
/// as one tree (`toml_load/split.rs`). `None` when the layout is not the plain one or a piece
/// is one the builder leaves to `toml_edit`: `parse_whole` then reads it (and reports any
/// error).
pub fn parse_by_blocks(text: &str) -> Option<Parsed<'_>> {
    let blocks = split::blocks(text)?;
    if blocks.is_empty() {
        return None;
    }
    let tree = tree::build::parse_pieces(text, &split::gaps(text, &blocks))?;
    if tree.contains_key("map") {
        return None;
    }
    let read = split::read_blocks(text, &blocks)?;
    Some(Parsed {
        cut: blocks,
        blocks: Some(read),
        ..Parsed::new(tree, text)
    })
}

fn syntax_error(text: &str, e: &toml_edit::TomlError) -> Box<Diagnostic> {
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
}

/// Reads the matrix from a parsed document of `text` (see [`read`]).
pub fn read_document(
    parsed: &mut Parsed<'_>,
    text: &str,
) -> (Matrix, TomlSourceMap, Vec<Diagnostic>) {
    let whole = 0..text.len().min(1);
    let mut reader = Reader {
        toml: TomlReader::new(text),
        map: TomlSourceMap::default(),
    };
    let root = &parsed.tree;
    reader
        .toml
        .node_unknown_keys(root, TOP_LEVEL_KEYS, "the matrix file", &whole);
    let mut matrix = Matrix::default();

    match root.get("stages") {
        Some(item) => {
            if let Some(stages) = reader.toml.node_string_array(item, "`stages`", &whole) {
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
    match parsed.blocks.take() {
        Some(read) => {
            matrix.release_map = read.release_map;
            reader.map.blocks = read.map.blocks;
            reader.map.entry_origins = read.map.entry_origins;
            reader.map.entry_apps = read.map.entry_apps;
            reader.map.poisoned.extend(read.map.poisoned);
            reader.toml.extend(read.diagnostics);
        }
        None => read_map(&mut reader, root, &mut matrix),
    }
    read_lints(&mut reader, root);
    (matrix, reader.map, reader.toml.into_diagnostics())
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or("").trim().to_owned()
}

fn section<'t, 'a>(
    reader: &mut Reader,
    root: &'t Table<'a>,
    key: &str,
    what: &str,
) -> Option<&'t Table<'a>> {
    let fallback = reader.toml.fallback();
    match root.get(key) {
        Some(item) => reader.toml.node_table(item, &format!("`{key}`"), &fallback),
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
