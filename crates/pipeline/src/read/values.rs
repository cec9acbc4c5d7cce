//! TOML values of `[pipelines]` as JSON (resource `source`s, task `params`), each string
//! checked as a pipeline-setting template where placeholders are allowed.

use super::{Reader, Span};
use crate::template;
use edx_matrix_formats::{item_span, key_span};
use edx_matrix_model::Code;
use serde_json::{Map, Value};
use toml_edit::Item;

impl Reader<'_> {
    /// Converts a TOML value to JSON, checking that every string in it is a valid template
    /// when `templates` is set.
    pub(super) fn json(&mut self, item: &Item, what: &str, at: &Span, templates: bool) -> Value {
        match item {
            Item::None => Value::Null,
            Item::Value(value) => self.json_value(value, what, at, templates),
            Item::Table(table) => {
                let mut map = Map::new();
                for (k, v) in table.iter() {
                    let span = key_span(table, k, at);
                    map.insert(k.to_owned(), self.json(v, what, &span, templates));
                }
                Value::Object(map)
            }
            Item::ArrayOfTables(array) => Value::Array(
                array
                    .iter()
                    .map(|t| self.json(&Item::Table(t.clone()), what, at, templates))
                    .collect(),
            ),
        }
    }

    pub(super) fn json_value(
        &mut self,
        value: &toml_edit::Value,
        what: &str,
        at: &Span,
        templates: bool,
    ) -> Value {
        use toml_edit::Value as V;
        let span = value.span().unwrap_or_else(|| at.clone());
        match value {
            V::String(s) => {
                let text = s.value();
                if templates {
                    self.template(text, &span, what);
                }
                Value::String(text.clone())
            }
            V::Integer(i) => Value::from(*i.value()),
            V::Float(f) => {
                serde_json::Number::from_f64(*f.value()).map_or(Value::Null, Value::Number)
            }
            V::Boolean(b) => Value::Bool(*b.value()),
            V::Datetime(d) => Value::String(d.value().to_string()),
            V::Array(a) => Value::Array(
                a.iter()
                    .map(|v| self.json_value(v, what, &span, templates))
                    .collect(),
            ),
            V::InlineTable(t) => {
                let mut map = Map::new();
                for (k, v) in t.iter() {
                    map.insert(k.to_owned(), self.json_value(v, what, &span, templates));
                }
                Value::Object(map)
            }
        }
    }

    pub(super) fn template(&mut self, text: &str, span: &Span, what: &str) -> bool {
        match template::check(text) {
            Ok(()) => true,
            Err(e) => {
                // Point at the brace when the value is a plain one-line string.
                let inner = if span.len() == text.len() + 2 {
                    span.start + 1 + e.offset
                } else {
                    span.start
                };
                self.toml.push(
                    Code::InvalidTemplate,
                    inner..inner + 1,
                    format!("invalid template in {what}: {}", e.message),
                    "here",
                );
                false
            }
        }
    }

    pub(super) fn object(
        &mut self,
        item: &Item,
        what: &str,
        at: &Span,
        templates: bool,
    ) -> Map<String, Value> {
        if item.as_table_like().is_none() {
            self.toml
                .wrong_type(item_span(item, at), "a table", item.type_name(), what);
            return Map::new();
        }
        match self.json(item, what, at, templates) {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }
}
