//! [`TomlReader`]'s reads of the tree: the same words as its reads of a `toml_edit` document
//! (`spanned.rs`), for the matrix sections.

use super::{Node, Table, Value};
use crate::spanned::{TomlReader, What};
use crate::template::Template;
use std::ops::Range;

type Span = Range<usize>;

impl TomlReader {
    /// Reports each key of `table` outside `allowed` (see [`TomlReader::unknown_keys`]).
    pub(crate) fn node_unknown_keys(
        &mut self,
        table: &Table<'_>,
        allowed: &[&str],
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) {
        for entry in table.entries() {
            if allowed.contains(&entry.key.as_ref()) {
                continue;
            }
            let span = entry.key_span.clone().unwrap_or_else(|| fallback.clone());
            self.unknown_key(&entry.key, span, allowed, what);
        }
    }

    /// Returns a string value and its span, reporting any other type.
    pub(crate) fn node_string(
        &mut self,
        node: &Node<'_>,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<(String, Span)> {
        let span = node.span_or(fallback);
        match node.as_str() {
            Some(s) => Some((s.to_owned(), span)),
            None => {
                self.wrong_type(span, "a string", node.type_name(), what);
                None
            }
        }
    }

    /// Returns a boolean value, reporting any other type.
    pub(crate) fn node_boolean(
        &mut self,
        node: &Node<'_>,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<bool> {
        match node.as_bool() {
            Some(b) => Some(b),
            None => {
                let span = node.span_or(fallback);
                self.wrong_type(span, "a boolean", node.type_name(), what);
                None
            }
        }
    }

    /// Returns a table (or inline table), reporting any other type.
    pub(crate) fn node_table<'n, 'a>(
        &mut self,
        node: &'n Node<'a>,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<&'n Table<'a>> {
        match node.as_table_like() {
            Some(t) => Some(t),
            None => {
                let span = node.span_or(fallback);
                self.wrong_type(span, "a table", node.type_name(), what);
                None
            }
        }
    }

    /// Returns an array of strings with the span of each (see [`TomlReader::string_array`]).
    pub(crate) fn node_string_array(
        &mut self,
        node: &Node<'_>,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<Vec<(String, Span)>> {
        let span = node.span_or(fallback);
        let Some(array) = node.as_array() else {
            self.wrong_type(span, "an array of strings", node.type_name(), what);
            return None;
        };
        let mut out = Vec::with_capacity(array.len());
        for value in array {
            let vspan = value.span_or(&span);
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

    /// Returns the tables of `[[key]]` blocks or of an inline array of inline tables (see
    /// [`TomlReader::tables`]).
    pub(crate) fn node_tables<'n, 'a>(
        &mut self,
        node: &'n Node<'a>,
        what: &(impl What + ?Sized),
        each: &(impl What + ?Sized),
        expected: &str,
        fallback: &Span,
    ) -> Option<Vec<&'n Table<'a>>> {
        match &node.value {
            Value::ArrayOfTables(tables) => {
                Some(tables.iter().filter_map(Node::as_table_like).collect())
            }
            Value::Array(array) => {
                let mut out = Vec::new();
                for value in array {
                    match &value.value {
                        Value::InlineTable(t) => out.push(t),
                        _ => {
                            let span = value.span_or(fallback);
                            self.wrong_type(span, "a table", value.type_name(), each);
                        }
                    }
                }
                Some(out)
            }
            _ => {
                let span = node.span_or(fallback);
                self.wrong_type(span, expected, node.type_name(), what);
                None
            }
        }
    }

    /// Returns a `{release}`/`{deployment}` template and its span (see
    /// [`TomlReader::template`]).
    pub(crate) fn node_template(
        &mut self,
        node: &Node<'_>,
        what: &(impl What + ?Sized),
        fallback: &Span,
    ) -> Option<(Template, Span)> {
        let span = node.span_or(fallback);
        match node.as_str() {
            Some(text) => self.template_of(text, span, what),
            None => {
                self.wrong_type(span, "a string", node.type_name(), what);
                None
            }
        }
    }
}
