//! `import python`: reads the Python module pair existing installations keep (`types.py` and
//! `version_matrix.py`) by parsing it, never running it, and builds a [`Matrix`].
//!
//! It reads what the code means, not how it is spelt: a symbol table of both files
//! (`symbols`) → expressions evaluated against it with Python's semantics (`eval`) → the
//! resolving properties read as decision lists (`rules`) and run on each release and
//! application to find the defaults → the matrix (`build`, `interpret`). The single-file
//! layout (everything in `version_matrix.py`, `types.py` empty) is read the same way.
//! Every refusal is a [`Diagnostic`] located in the `.py` file it concerns.

mod bindings;
mod build;
mod code;
mod comments;
mod comprehension;
mod deployments;
mod depth;
mod display;
mod entries;
mod eval;
mod expr;
mod extra;
mod interpret;
mod members;
mod number;
mod report;
mod rules;
mod symbols;

use crate::{Diagnostic, PythonNames, Source, toml_write};
pub(crate) use comments::Attached;
use edx_matrix_model::Code;
use edx_matrix_model::Matrix;
use expr::Sink;
pub use interpret::import;

/// Choices the Python does not make by itself.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// The IDA runtime default when releases carry none (overrides a constant in the code).
    pub default_python: Option<String>,
    /// The MFE runtime default when releases carry none (overrides a constant in the code).
    pub default_node: Option<String>,
    /// Turns plain constant special cases of the resolving properties into overrides.
    pub apply_special_cases: bool,
}

/// One Python file and what the import says about it.
#[derive(Clone, Debug)]
pub struct PyFile {
    /// The file.
    pub source: Source,
    /// Errors and warnings located in it.
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of an import.
#[derive(Clone, Debug)]
pub struct Imported {
    /// The matrix (partial when there are errors).
    pub matrix: Matrix,
    /// `types.py` and its diagnostics.
    pub types: PyFile,
    /// `version_matrix.py` and its diagnostics.
    pub version_matrix: PyFile,
    /// Comment lines for the output: unknown arguments kept, special cases applied.
    pub comments: Vec<String>,
    /// The Python names that differ from the derived ones (the `[python]` table).
    pub python: PythonNames,
    /// The package's comments, attached to what they describe.
    pub attached: Attached,
}

impl Imported {
    /// Returns whether either file has an error.
    pub fn has_errors(&self) -> bool {
        self.types
            .diagnostics
            .iter()
            .chain(&self.version_matrix.diagnostics)
            .any(Diagnostic::is_error)
    }

    /// Returns the matrix as `edx-matrix.toml` text, the comments at the top.
    pub fn to_toml(&self) -> String {
        let mut header = vec![
            "edx-matrix release matrix, imported from Python (types.py + version_matrix.py)."
                .to_owned(),
            "Check it with `edx-matrix check`; `edx-matrix expand` shows every entry spelled out."
                .to_owned(),
        ];
        if !self.comments.is_empty() {
            header.push(String::new());
            header.extend(self.comments.iter().map(|c| one_line(c)));
        }
        let refs: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut toml = self
            .attached
            .place(&toml_write::write_faithful(&self.matrix, &refs));
        let python = self.python.to_toml();
        if !python.is_empty() {
            toml.push('\n');
            toml.push_str(&python);
        }
        toml
    }
}

/// Keeps a comment on one line whatever the Python held.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A parsed file and the byte ranges of its comments, in order.
type Parsed = (ruff_python_ast::ModModule, Vec<std::ops::Range<usize>>);

/// Parses a file, reporting a syntax error at its place, and a tree nested deeper than the
/// importer reads ([`depth::MAX_DEPTH`]) at the first place it goes past it.
fn parse(text: &str, sink: &mut Sink) -> Option<Parsed> {
    match ruff_python_parser::parse_module(text) {
        Ok(parsed) => {
            let comments = parsed
                .tokens()
                .iter()
                .filter(|t| t.kind() == ruff_python_ast::token::TokenKind::Comment)
                .map(|t| {
                    use ruff_text_size::Ranged;
                    t.start().to_usize()..t.end().to_usize()
                })
                .collect();
            let module = parsed.into_syntax();
            let depth = depth::measure(&module);
            let Some(at) = depth.too_deep else {
                return Some((module, comments));
            };
            sink.push(
                Code::PythonUnreadable,
                at.start().to_usize()..at.end().to_usize(),
                format!(
                    "Python nested {} levels deep: the importer reads at most {} (a shorter \
                     expression, or a value split into named constants)",
                    depth.max,
                    depth::MAX_DEPTH
                ),
                "too deep from here",
            );
            depth::drop_deep(module, depth.max);
            None
        }
        Err(e) => {
            let at = e.location.start().to_usize()..e.location.end().to_usize();
            sink.push(
                Code::PythonSyntax,
                at,
                format!("invalid Python: {}", e.error),
                "here",
            );
            None
        }
    }
}
