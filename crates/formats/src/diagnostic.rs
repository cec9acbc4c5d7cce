//! Located diagnostics: a model [`MatrixProblem`](edx_matrix_model::MatrixProblem) or a format error, placed in
//! a source file, rendered for a terminal or as JSON.

use crate::excerpt::{Excerpt, LineIndex};
use crate::terminal::safe;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, LabelStyle};
use codespan_reporting::term::{self, termcolor::WriteColor};
use edx_matrix_model::{Code, Severity};
use serde::Serialize;
use std::ops::Range;

/// Where in the source a diagnostic points.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// A byte range of the (TOML) source text.
    Span(Range<usize>),
    /// A JSON path into an interchange file (`$.releases[2].branch`).
    JsonPath(String),
    /// The file as a whole.
    File,
}

/// A secondary label.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Secondary {
    /// Where.
    pub location: Location,
    /// What to say there.
    pub label: String,
}

/// One problem, located in a source file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    /// The stable code.
    pub code: Code,
    /// Error or warning (after `[lints]` levels are applied).
    pub severity: Severity,
    /// One-line description.
    pub message: String,
    /// Where it is.
    pub location: Location,
    /// The label at the location.
    pub label: String,
    /// Other places worth showing.
    pub secondary: Vec<Secondary>,
    /// Hints.
    pub help: Vec<String>,
    /// Extra context ("in release `ulmo`, deployment `campus`").
    pub notes: Vec<String>,
}

impl Diagnostic {
    /// Returns a diagnostic with the code's default severity.
    pub fn new(
        code: Code,
        location: Location,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            severity: code.default_severity(),
            message: message.into(),
            location,
            label: label.into(),
            secondary: Vec::new(),
            help: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Adds a hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help.push(help.into());
        self
    }

    /// Returns whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// A source file: its display name and its text.
#[derive(Clone, Debug)]
pub struct Source {
    /// The name shown in diagnostics (a path, or `<example>`).
    pub name: String,
    /// The full text.
    pub text: String,
}

impl Source {
    /// Returns a source.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    /// Returns the 1-based (line, column) of a byte offset; columns count characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A diagnostic as one JSON object, for `--format json`.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonDiagnostic {
    /// The stable code.
    pub code: &'static str,
    /// `error` or `warning`.
    pub severity: Severity,
    /// One-line description.
    pub message: String,
    /// The file.
    pub file: String,
    /// 1-based line (absent for JSON paths).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// 1-based line where the span ends.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    /// 1-based column where the span ends (exclusive).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<usize>,
    /// The JSON path, for interchange files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_path: Option<String>,
    /// The label at the location.
    pub label: String,
    /// Secondary locations.
    pub related: Vec<JsonRelated>,
    /// Hints.
    pub help: Vec<String>,
    /// Extra context.
    pub notes: Vec<String>,
}

/// A secondary location in JSON output.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonRelated {
    /// 1-based line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The JSON path, for interchange files.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub json_path: Option<String>,
    /// What to say there.
    pub label: String,
}

impl Diagnostic {
    /// Returns the 1-based (line, column) of the primary location, if it is a span.
    pub fn line_col(&self, source: &Source) -> Option<(usize, usize)> {
        match &self.location {
            Location::Span(span) => Some(source.line_col(span.start)),
            _ => None,
        }
    }

    /// Returns this diagnostic as a JSON-ready value.
    pub fn to_json(&self, source: &Source) -> JsonDiagnostic {
        let (line, column, end_line, end_column, json_path) = locate_json(&self.location, source);
        JsonDiagnostic {
            code: self.code.as_str(),
            severity: self.severity,
            message: self.message.clone(),
            file: source.name.clone(),
            line,
            column,
            end_line,
            end_column,
            json_path,
            label: self.label.clone(),
            related: self
                .secondary
                .iter()
                .map(|s| {
                    let (line, column, _, _, json_path) = locate_json(&s.location, source);
                    JsonRelated {
                        line,
                        column,
                        json_path,
                        label: s.label.clone(),
                    }
                })
                .collect(),
            help: self.help.clone(),
            notes: self.notes.clone(),
        }
    }
}

type JsonPlace = (
    Option<usize>,
    Option<usize>,
    Option<usize>,
    Option<usize>,
    Option<String>,
);

fn locate_json(location: &Location, source: &Source) -> JsonPlace {
    match location {
        Location::Span(span) => {
            let (line, column) = source.line_col(span.start);
            let (end_line, end_column) = source.line_col(span.end);
            (
                Some(line),
                Some(column),
                Some(end_line),
                Some(end_column),
                None,
            )
        }
        Location::JsonPath(path) => (None, None, None, None, Some(path.clone())),
        Location::File => (None, None, None, None, None),
    }
}

/// Renders diagnostics for a terminal (with colour if `out` supports it), rustc-style.
pub fn render(
    diagnostics: &[Diagnostic],
    source: &Source,
    out: &mut dyn WriteColor,
) -> std::io::Result<()> {
    // Nothing to show is the common case of `check`: no line index of the file (0.1M
    // instructions for 5 KB).
    if diagnostics.is_empty() {
        return Ok(());
    }
    let config = term::Config::default();
    let index = LineIndex::new(&source.text);
    for diagnostic in diagnostics {
        let spans: Vec<Range<usize>> = std::iter::once(&diagnostic.location)
            .chain(diagnostic.secondary.iter().map(|s| &s.location))
            .filter_map(|l| match l {
                Location::Span(span) => Some(span.clone()),
                _ => None,
            })
            .collect();
        let (excerpt, moved) = Excerpt::new(&source.name, &source.text, &index, &spans);
        let cs = to_codespan(diagnostic, &source.name, &moved);
        term::emit(out, &config, &excerpt, &cs)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
    }
    Ok(())
}

/// Converts a diagnostic for codespan, with its spans moved into the excerpt (`spans`, in the
/// order of the primary then the secondary span locations) and every text made terminal-safe.
fn to_codespan(d: &Diagnostic, file: &str, spans: &[Range<usize>]) -> CsDiagnostic<()> {
    let mut spans = spans.iter().cloned();
    let base = match d.severity {
        Severity::Error => CsDiagnostic::error(),
        Severity::Warning => CsDiagnostic::warning(),
    };
    let mut labels = Vec::new();
    let mut notes = Vec::new();
    match &d.location {
        Location::Span(_) => {
            let span = spans.next().unwrap_or(0..0);
            labels.push(Label::new(LabelStyle::Primary, (), span).with_message(safe(&d.label)));
        }
        Location::JsonPath(path) => {
            notes.push(format!("at {file} {}: {}", safe(path), safe(&d.label)))
        }
        Location::File => notes.push(safe(&d.label).into_owned()),
    }
    for s in &d.secondary {
        match &s.location {
            Location::Span(_) => {
                let span = spans.next().unwrap_or(0..0);
                labels
                    .push(Label::new(LabelStyle::Secondary, (), span).with_message(safe(&s.label)));
            }
            Location::JsonPath(path) => notes.push(format!("{}: {}", safe(&s.label), safe(path))),
            Location::File => {}
        }
    }
    notes.extend(d.notes.iter().map(|n| crate::terminal::safe_lines(n)));
    notes.extend(
        d.help
            .iter()
            .map(|h| format!("help: {}", crate::terminal::safe_lines(h))),
    );
    // The code's documentation is one command away (docs/diagnostics.md, built in).
    notes.push(explain_line(d.code));
    base.with_code(d.code.as_str())
        .with_message(crate::terminal::safe_lines(&d.message))
        .with_labels(labels)
        .with_notes(notes)
}

/// Returns the help line every rendered diagnostic ends with: the command that prints its
/// code's documentation.
pub(crate) fn explain_line(code: Code) -> String {
    format!("help: for more on `{code}`, run `edx-matrix explain {code}`")
}

/// Counts of errors and warnings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Number of errors.
    pub errors: usize,
    /// Number of warnings.
    pub warnings: usize,
}

impl Summary {
    /// Counts `diagnostics`.
    pub fn of(diagnostics: &[Diagnostic]) -> Self {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Summary {
            errors,
            warnings: diagnostics.len() - errors,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let s = Source::new("f", "ab\nçd\n");
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(3), (2, 1));
        assert_eq!(s.line_col(5), (2, 2));
        assert_eq!(s.line_col(100), (3, 1));
    }
}
