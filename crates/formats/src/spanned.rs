//! The shared helpers for walking `toml_edit`'s spanned document by hand.
//!
//! The matrix loader ([`toml_load`](crate::toml_load)), the runbook reader
//! ([`runbook`](crate::runbook)) and the `[pipelines]` reader of `edx-matrix-pipeline` all read
//! parts of the same file and must report every problem, located, in the same words: an unknown
//! key with a "did you mean", a missing key, a value of the wrong type. [`TomlReader`] owns those
//! words and the diagnostics they produce; each reader adds only what is specific to its section.
//!
//! ```
//! use edx_matrix_formats::TomlReader;
//!
//! let text = "[operations]\ngrafana_ulr = 1\n";
//! let doc = toml_edit::Document::parse(text).unwrap();
//! let mut reader = TomlReader::new(text);
//! let at = reader.fallback();
//! let table = reader.table(&doc["operations"], "`operations`", &at).unwrap();
//! reader.unknown_keys(table, &["grafana_url"], "`[operations]`", &at);
//! let diagnostics = reader.into_diagnostics();
//! assert_eq!(diagnostics[0].message, "unknown key `grafana_ulr` in `[operations]`");
//! assert_eq!(diagnostics[0].help, ["did you mean `grafana_url`?"]);
//! ```

use crate::diagnostic::{Diagnostic, Location};
use crate::template::Template;
use edx_matrix_model::Code;
use edx_matrix_model::did_you_mean;
use std::borrow::Cow;
use std::ops::Range;
use toml_edit::{Item, TableLike, Value};

type Span = Range<usize>;

/// The words naming a value in a message: a string, or a closure that builds them only when a
/// problem is reported (a large file reads a million values without one, and formatting each
/// one's name up front was a measurable part of reading it).
pub trait What {
    /// Returns the words.
    fn words(&self) -> Cow<'_, str>;
}

impl What for str {
    fn words(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl What for String {
    fn words(&self) -> Cow<'_, str> {
        Cow::Borrowed(self)
    }
}

impl<F: Fn() -> String> What for F {
    fn words(&self) -> Cow<'_, str> {
        Cow::Owned(self())
    }
}

/// Returns the span of `key` in `table`, or `fallback` when it has none.
pub fn key_span(table: &dyn TableLike, key: &str, fallback: &Span) -> Span {
    table
        .key(key)
        .and_then(|k| k.span())
        .unwrap_or_else(|| fallback.clone())
}

/// Returns the span of `item`, or `fallback` when it has none.
pub fn item_span(item: &Item, fallback: &Span) -> Span {
    item.span().unwrap_or_else(|| fallback.clone())
}

/// Collects located diagnostics while a spanned TOML document is read.
///
/// Each method takes `what`, the words naming the value in a message (``"`kind` of application
/// `forum`"``), and a span to point at when the value itself has none.
#[derive(Clone, Debug)]
pub struct TomlReader {
    diagnostics: Vec<Diagnostic>,
    fallback: Span,
}

impl TomlReader {
    /// Returns a reader of `text` whose fallback span is the start of the file.
    pub fn new(text: &str) -> Self {
        Self {
            diagnostics: Vec::new(),
            fallback: 0..text.len().min(1),
        }
    }

    /// Returns the span used when nothing better is known (the start of the file).
    pub fn fallback(&self) -> Span {
        self.fallback.clone()
    }

    /// Adds problems found by another reader (a `[[map]]` block read on its own).
    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(diagnostics);
    }

    /// Returns how many problems were reported so far (to tell whether a part read cleanly).
    pub fn reported(&self) -> usize {
        self.diagnostics.len()
    }

    /// Returns the diagnostics collected, in the order they were reported.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Reports a problem at `span` and returns it, to add help or secondary labels.
    pub fn push(
        &mut self,
        code: Code,
        span: Span,
        message: String,
        label: &str,
    ) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(code, Location::Span(span), message, label));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Reports each key of `table` outside `allowed`, with a "did you mean" or the list of
    /// allowed keys.
    pub fn unknown_keys(
        &mut self,
        table: &dyn TableLike,
        allowed: &[&str],
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) {
        for (key, _) in table.iter() {
            if allowed.contains(&key) {
                continue;
            }
            let span = key_span(table, key, fallback);
            self.unknown_key(key, span, allowed, what);
        }
    }

    /// Reports the unknown key `key` at `span`, with a "did you mean" or the allowed keys.
    pub(crate) fn unknown_key(
        &mut self,
        key: &str,
        span: Span,
        allowed: &[&str],
        what: &(impl What + ?Sized),
    ) {
        let suggestion = did_you_mean(key, allowed.iter().copied());
        let d = self.push(
            Code::UnknownKey,
            span,
            format!("unknown key `{key}` in {}", what.words()),
            "unknown key",
        );
        d.help.push(match suggestion {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!(
                "expected one of {}",
                allowed
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        });
    }

    /// Reports that `key` is missing in `what`.
    pub fn missing(&mut self, span: Span, key: &str, what: &(impl What + ?Sized)) {
        self.push(
            Code::MissingKey,
            span,
            format!("missing key `{key}` in {}", what.words()),
            &format!("`{key}` is required here"),
        );
    }

    /// Reports that `what` is a `found` (a TOML type name) where `expected` was wanted.
    pub fn wrong_type(
        &mut self,
        span: Span,
        expected: &str,
        found: &str,
        what: &(impl What + ?Sized),
    ) {
        self.push(
            Code::WrongType,
            span,
            format!("{} must be {expected}, found {found}", what.words()),
            &format!("expected {expected}"),
        );
    }

    /// Returns a string value and its span, reporting any other type.
    pub fn string(
        &mut self,
        item: &Item,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<(String, Span)> {
        let span = item_span(item, fallback);
        match item.as_str() {
            Some(s) => Some((s.to_owned(), span)),
            None => {
                self.wrong_type(span, "a string", item.type_name(), what);
                None
            }
        }
    }

    /// Returns a boolean value, reporting any other type.
    pub fn boolean(
        &mut self,
        item: &Item,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<bool> {
        match item.as_bool() {
            Some(b) => Some(b),
            None => {
                let span = item_span(item, fallback);
                self.wrong_type(span, "a boolean", item.type_name(), what);
                None
            }
        }
    }

    /// Returns a table (or inline table), reporting any other type.
    pub fn table<'a>(
        &mut self,
        item: &'a Item,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<&'a dyn TableLike> {
        match item.as_table_like() {
            Some(t) => Some(t),
            None => {
                let span = item_span(item, fallback);
                self.wrong_type(span, "a table", item.type_name(), what);
                None
            }
        }
    }

    /// Returns an array of strings with the span of each, reporting a value that is not an
    /// array (`None`) and each item that is not a string (left out).
    pub fn string_array(
        &mut self,
        item: &Item,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<Vec<(String, Span)>> {
        let span = item_span(item, fallback);
        let Some(array) = item.as_array() else {
            self.wrong_type(span, "an array of strings", item.type_name(), what);
            return None;
        };
        let mut out = Vec::with_capacity(array.len());
        for value in array.iter() {
            let vspan = value.span().unwrap_or_else(|| span.clone());
            match value.as_str() {
                Some(s) => out.push((s.to_owned(), vspan)),
                None => self.wrong_type(
                    vspan,
                    "a string",
                    value.type_name(),
                    &format!("each item of {}", what.words()),
                ),
            }
        }
        Some(out)
    }

    /// Returns the tables of an array of tables (`[[key]]` blocks) or of an inline array of
    /// inline tables. Reports each item of an inline array that is not a table as `each`
    /// (left out), and any other value as not being `expected` (`None`).
    pub fn tables<'a>(
        &mut self,
        item: &'a Item,
        what: &(impl What + ?Sized),
        each: &(impl What + ?Sized),
        expected: &str,
        fallback: &Span,
    ) -> Option<Vec<&'a dyn TableLike>> {
        match item {
            Item::ArrayOfTables(array) => Some(array.iter().map(|t| t as &dyn TableLike).collect()),
            Item::Value(Value::Array(array)) => {
                let mut out = Vec::new();
                for value in array.iter() {
                    match value.as_inline_table() {
                        Some(t) => out.push(t as &dyn TableLike),
                        None => {
                            let span = value.span().unwrap_or_else(|| fallback.clone());
                            self.wrong_type(span, "a table", value.type_name(), each);
                        }
                    }
                }
                Some(out)
            }
            other => {
                let span = item_span(other, fallback);
                self.wrong_type(span, expected, other.type_name(), what);
                None
            }
        }
    }

    /// Returns a `{release}`/`{deployment}` template and its span; an invalid one is reported
    /// at the offending brace when the value is a plain one-line string.
    pub fn template(
        &mut self,
        item: &Item,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<(Template, Span)> {
        let (text, span) = self.string(item, what, fallback)?;
        self.template_of(&text, span, what)
    }

    /// Parses the template `text` written at `span`, reporting an invalid one.
    pub(crate) fn template_of(
        &mut self,
        text: &str,
        span: Span,
        what: &(impl What + ?Sized),
    ) -> Option<(Template, Span)> {
        match Template::parse(text) {
            Ok(t) => Some((t, span)),
            Err(e) => {
                // Point into the string when it is a plain basic string on one line.
                let (start, len) = if span.len() == text.len() + 2 {
                    (span.start + 1 + e.offset, e.len)
                } else {
                    (span.start, span.len())
                };
                self.push(
                    Code::InvalidTemplate,
                    start..start + len,
                    format!("invalid template in {}", what.words()),
                    &e.message,
                );
                None
            }
        }
    }
}
