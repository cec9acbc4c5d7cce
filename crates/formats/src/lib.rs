//! `edx-matrix.toml` and the interchange JSON: reading with located diagnostics, writing back.
//!
//! [`load_toml`] and [`load_json`] never fail: every problem, from a TOML syntax error to a
//! stage on an undefined release, becomes a [`Diagnostic`] with a stable code and a location
//! (line and column, or a JSON path). Callers decide what to do with a matrix that has errors.
//!
//! ```
//! use edx_matrix_formats::{load_toml, Source};
//!
//! let text = r#"
//! stages = ["CI"]
//! [releases]
//! ulmo = { branch = "release/ulmo", python = "3.11", node = "24" }
//! [applications]
//! forum = { kind = "ida", repository = "https://github.com/openedx/cs_comments_service" }
//! [deployments]
//! campus = { CI = "ulmo" }
//! [[map]]
//! releases = ["ulmo"]
//! deployments = ["campus"]
//! [map.apps]
//! forum = {}
//! "#;
//! let loaded = load_toml(Source::new("edx-matrix.toml", text));
//! assert!(!loaded.has_errors());
//! assert_eq!(loaded.matrix.release_map[0].apps[0].application.as_str(), "forum");
//! ```
#![deny(missing_docs)]

mod catalogue;
pub mod chart;
mod diagnostic;
pub mod edit;
pub mod env;
pub mod example;
mod excerpt;
mod extra_load;
mod gates;
pub mod github_actions;
pub mod interchange;
mod lints;
mod lock_file;
pub mod operations;
pub mod python_export;
pub mod python_import;
mod python_names;
pub mod python_package;
mod runbook;
mod schema;
mod spanned;
pub mod starter;
mod template;
mod terminal;
mod text_form;
pub mod toml_load;
pub mod toml_write;
pub mod tutor;
mod vars_load;

pub use diagnostic::{Diagnostic, Location, Source, Summary, render};
pub use python_names::PythonNames;

pub use catalogue::standard;
pub use diagnostic::{JsonDiagnostic, Secondary};
use edx_matrix_model::{Matrix, check};
pub use lock_file::{Like, LockRead, read_lock, write_lock, write_lock_like};
pub use runbook::{
    due::due_after,
    plan::{Origin, Plan},
    runbooks::Runbooks,
};
pub use schema::{keys_without_shape, schema};
pub use spanned::{TomlReader, item_span, key_span};
use std::collections::HashSet;
pub use terminal::{redact_matrix, safe, safe_lines, source_line};
pub use text_form::TextForm;

/// Which format a matrix was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `edx-matrix.toml`.
    Toml,
    /// The interchange JSON (`model.json`).
    ModelJson,
    /// A Python matrix package (`types.py` + `version_matrix.py`), read through the importer.
    PythonPackage,
}

/// A matrix read from a source, with every diagnostic about it.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// Where it was read from.
    pub source: Source,
    /// The format of the source.
    pub format: Format,
    /// The matrix (partial when there are errors).
    pub matrix: Matrix,
    /// Format and model diagnostics, errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
    /// The top-level keys of a TOML source (`stages`, `releases`, `pipelines`, …), so readers of
    /// optional sections can skip parsing the file again when theirs is absent.
    pub sections: Vec<String>,
    /// The Python names of the `[python]` table (empty when there is none).
    pub python: PythonNames,
}

impl Loaded {
    /// Returns whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Returns whether the TOML source has the top-level section `name`.
    pub fn has_section(&self, name: &str) -> bool {
        self.sections.iter().any(|s| s == name)
    }

    /// Returns the error and warning counts.
    pub fn summary(&self) -> Summary {
        Summary::of(&self.diagnostics)
    }
}

/// Reads and checks a TOML matrix.
pub fn load_toml(source: Source) -> Loaded {
    load_toml_with(source, |_, _, _| ()).loaded
}

/// Everything [`load_toml_with`] read from one parse of a TOML matrix.
#[derive(Clone, Debug)]
pub struct TomlRead<T> {
    /// The matrix and every diagnostic (the runbook and operations ones included).
    pub loaded: Loaded,
    /// The `[runbooks]` and `[operations]` sections (their diagnostics are in `loaded`).
    pub runbooks: runbook::RunbookFile,
    /// Where every part of the matrix was written.
    pub source_map: toml_load::TomlSourceMap,
    /// What the caller's section reader returned (the default when the text is not TOML).
    pub sections: T,
}

/// Reads and checks a TOML matrix, parsing the text once: the matrix, the `[runbooks]` and
/// `[operations]` sections (their diagnostics join the others, the values are returned), and
/// whatever `sections` reads from the same parsed root table (the project loader reads
/// `[pipelines]` this way). `sections` is not called when the text is not valid TOML, and is
/// given an empty table when the file has no section outside the matrix's own
/// ([`toml_load::MATRIX_KEYS`]): the matrix is read without `toml_edit`, which then parses the
/// file only for such a section.
pub fn load_toml_with<T: Default>(
    source: Source,
    sections: impl FnOnce(&toml_edit::Table, &str, &Matrix) -> T,
) -> TomlRead<T> {
    // Parse once: the matrix and the other sections are read from the same document, which is
    // dropped before the (allocation-heavy) checks run.
    let mut section_names = Vec::new();
    let mut runbooks = runbook::RunbookFile::default();
    let mut extra = T::default();
    let mut python = PythonNames::default();
    let mut python_diagnostics = Vec::new();
    let (matrix, map, mut diagnostics) = match toml_load::parse(&source.text) {
        Ok(mut parsed) => {
            let (matrix, map, diagnostics) = toml_load::read_document(&mut parsed, &source.text);
            section_names = parsed.section_names();
            let doc = &parsed;
            if section_names
                .iter()
                .any(|s| s == "runbooks" || s == "operations" || s == "gates")
            {
                runbooks = runbook::read_root(doc.root(), &source.text, &matrix);
            }
            // `toml_edit` parses the file only for a section outside the matrix: the readers
            // given the root read only those, so an empty root stands for a file without any.
            let other = section_names
                .iter()
                .any(|s| !toml_load::MATRIX_KEYS.contains(&s.as_str()));
            extra = if other {
                sections(doc.root(), &source.text, &matrix)
            } else {
                sections(&toml_edit::Table::new(), &source.text, &matrix)
            };
            if section_names.iter().any(|s| s == "python") {
                let (names, found) = PythonNames::read(doc.root(), &source.text);
                python = names;
                python_diagnostics = found;
            }
            if KEEP_DOCUMENTS.load(std::sync::atomic::Ordering::Relaxed) && !parsed.read_by_blocks()
            {
                std::mem::forget(parsed);
            }
            (matrix, map, diagnostics)
        }
        Err(diagnostic) => (
            Matrix::default(),
            toml_load::TomlSourceMap::default(),
            vec![*diagnostic],
        ),
    };
    let runbook_diagnostics = std::mem::take(&mut runbooks.diagnostics);
    let syntax_failed = diagnostics
        .iter()
        .any(|d| d.code == edx_matrix_model::Code::TomlSyntax);
    if !syntax_failed {
        for problem in check(&matrix) {
            if map.is_poisoned(&problem.at) {
                continue;
            }
            let (span, note) = map.locate(&matrix, problem.at, problem.code);
            let location = span.map_or(Location::File, Location::Span);
            let mut d = Diagnostic::new(problem.code, location, problem.message, problem.label);
            d.help = problem.help;
            d.notes.extend(note);
            for related in problem.related {
                if let (Some(span), _) = map.locate(&matrix, related.at, problem.code) {
                    d.secondary.push(toml_load::secondary(span, related.label));
                }
            }
            diagnostics.push(d);
        }
        diagnostics.extend(runbook_diagnostics);
        diagnostics.extend(python_diagnostics);
    }
    let diagnostics = lints::apply(diagnostics, &map.lints);
    let mut loaded = finish(source, Format::Toml, matrix, diagnostics);
    loaded.sections = section_names;
    loaded.python = python;
    TomlRead {
        loaded,
        runbooks,
        source_map: map,
        sections: extra,
    }
}

/// Set by [`keep_documents_until_exit`].
static KEEP_DOCUMENTS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Tells the loaders that this process exits after one command, so the parsed TOML document of
/// a small file (one not read block by block) is left to the end of the process instead of
/// freed: freeing it is about 0.11M instructions of the 156-row estate's `check` (3.5M), and
/// the system takes the memory back at exit anyway. Never for a process that loads again and
/// again (the server): each load would keep its document.
pub fn keep_documents_until_exit() {
    KEEP_DOCUMENTS.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// How many times matrix text has been parsed for reading on this thread (by
/// [`toml_load::parse`], behind every [`load_toml`], and by the section readers that parse on
/// their own). Tests use it to show that a command reads its file once: a test hook, built only
/// with the `test-hooks` feature (which only dev-dependencies enable).
#[cfg(feature = "test-hooks")]
pub fn parse_count() -> usize {
    PARSES.with(std::cell::Cell::get)
}

/// Counts one parse of matrix text (see `parse_count`); nothing without `test-hooks`.
pub(crate) fn count_parse() {
    #[cfg(feature = "test-hooks")]
    PARSES.with(|n| n.set(n.get() + 1));
}

#[cfg(feature = "test-hooks")]
thread_local! {
    static PARSES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Keeps its tokens only when this crate is built with `test-hooks`: how the binary, which cannot
/// name the feature of a dependency, prints [`parse_count`]-style counts in test builds only
/// (cargo enables the feature for the binary the tests run through the dev-dependency).
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
#[macro_export]
macro_rules! with_test_hooks {
    ($($tokens:tt)*) => { $($tokens)* };
}

/// Without `test-hooks`: nothing.
#[cfg(not(feature = "test-hooks"))]
#[doc(hidden)]
#[macro_export]
macro_rules! with_test_hooks {
    ($($tokens:tt)*) => {};
}

/// Parses matrix text as a TOML document, for a section reader of another crate that reads the
/// text on its own (`[pipelines]`); counted as a parse like every other.
pub fn parse_document(text: &str) -> Result<toml_edit::Document<&str>, toml_edit::TomlError> {
    count_parse();
    toml_edit::Document::parse(text)
}

/// Reads and checks an interchange JSON matrix.
pub fn load_json(source: Source) -> Loaded {
    let (matrix, diagnostics) = interchange::read(&source.text);
    finish(source, Format::ModelJson, matrix, diagnostics)
}

/// Sorts diagnostics by position and drops exact repeats (one block expands to many entries,
/// and the same mistake in it would otherwise be reported once per entry).
fn finish(source: Source, format: Format, matrix: Matrix, diagnostics: Vec<Diagnostic>) -> Loaded {
    let mut seen = HashSet::new();
    let mut diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .filter(|d| seen.insert((d.code, d.location.clone(), d.message.clone())))
        .collect();
    diagnostics.sort_by_key(|d| position(&d.location));
    Loaded {
        source,
        format,
        matrix,
        diagnostics,
        sections: Vec::new(),
        python: PythonNames::default(),
    }
}

fn position(location: &Location) -> (usize, usize, String) {
    match location {
        Location::File => (0, 0, String::new()),
        Location::Span(span) => (1, span.start, String::new()),
        Location::JsonPath(path) => (2, 0, path.clone()),
    }
}
