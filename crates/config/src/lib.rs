//! `edx-matrix.toml` and the interchange JSON: reading with located diagnostics, writing back.
//!
//! [`load_toml`] and [`load_json`] never fail: every problem, from a TOML syntax error to a
//! stage on an undefined release, becomes a [`Diagnostic`] with a stable code and a location
//! (line and column, or a JSON path). Callers decide what to do with a matrix that has errors.
//!
//! ```
//! use edx_matrix_config::{load_toml, Source};
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

pub mod catalogue;
pub mod diagnostic;
pub mod edit;
pub mod example;
pub mod interchange;
pub mod lints;
pub mod python_names;
pub mod runbook;
pub mod spanned;
pub mod template;
pub mod toml_load;
pub mod toml_write;
pub mod vars_load;

pub use diagnostic::{Diagnostic, Location, Source, Summary, render};

use edx_matrix_model::{Matrix, check};
use std::collections::HashSet;

/// Which format a matrix was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `edx-matrix.toml`.
    Toml,
    /// The interchange JSON (`model.json`).
    ModelJson,
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
    // Parse once: the matrix and the runbook sections are read from the same document, which is
    // dropped before the (allocation-heavy) checks run.
    let mut sections = Vec::new();
    let mut runbook_diagnostics = Vec::new();
    let (matrix, map, mut diagnostics) = match toml_load::parse(&source.text) {
        Ok(doc) => {
            let (matrix, map, diagnostics) = toml_load::read_document(&doc, &source.text);
            sections = doc.as_table().iter().map(|(k, _)| k.to_owned()).collect();
            if sections
                .iter()
                .any(|s| s == "runbooks" || s == "operations")
            {
                runbook_diagnostics =
                    runbook::read_root(doc.as_table(), &source.text, &matrix).diagnostics;
            }
            (matrix, map, diagnostics)
        }
        Err(diagnostic) => (
            Matrix::default(),
            toml_load::TomlSourceMap::default(),
            vec![*diagnostic],
        ),
    };
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
    }
    let diagnostics = lints::apply(diagnostics, &map.lints);
    let mut loaded = finish(source, Format::Toml, matrix, diagnostics);
    loaded.sections = sections;
    loaded
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
    }
}

fn position(location: &Location) -> (usize, usize, String) {
    match location {
        Location::File => (0, 0, String::new()),
        Location::Span(span) => (1, span.start, String::new()),
        Location::JsonPath(path) => (2, 0, path.clone()),
    }
}
