//! Reading and writing an application version's `extra` table (`edx_matrix_model::Extra`): any
//! TOML/JSON value but a date or a JSON `null` (neither has a form in the other format, nor a
//! Python literal `export python` could write back), numbers finite. Names are the model's
//! check (`invalid-extra`); values are kept as written.

use crate::spanned::TomlReader;
use crate::toml_load::tree::{Node, Table, Value, from_edit};
use edx_matrix_model::vars::FloatText;
use edx_matrix_model::{Extra, ExtraValue};
use std::ops::Range;
use toml_edit::{Array, InlineTable, Item};

/// Reads the `extra` table `item` of an application version; `what` names it in messages.
/// Returns the values and the span of each name.
pub(crate) fn read_extra(
    reader: &mut TomlReader,
    item: &Node<'_>,
    what: &str,
    fallback: &Range<usize>,
) -> (Extra, Vec<Range<usize>>) {
    let mut out = Extra::default();
    let mut spans = Vec::new();
    let Some(table) = reader.node_table(item, what, fallback) else {
        return (out, spans);
    };
    for entry in table.entries() {
        let span = entry.key_span.clone().unwrap_or_else(|| fallback.clone());
        let value_span = entry.node.span_or(&span);
        let label = format!("`{}` in {what}", entry.key);
        let parsed = node_value(reader, &entry.node, &label, &value_span);
        if let Some(parsed) = parsed {
            out.0.push((entry.key.to_string(), parsed));
            spans.push(span);
        }
    }
    (out, spans)
}

/// Reads an `extra` item already checked by the loader (edits read a file that passed `check`);
/// values with a problem are left out.
pub(crate) fn read_checked(item: &Item) -> Extra {
    let mut reader = TomlReader::new("");
    match from_edit::item_node(item) {
        Some(node) => read_extra(&mut reader, &node, "`extra`", &(0..0)).0,
        None => Extra::default(),
    }
}

/// A value written in any TOML form: inline, or as `[…]` / `[[…]]` tables (as `toml` and
/// editors write nested tables). A value without a span of its own is placed at `span`.
fn node_value(
    reader: &mut TomlReader,
    node: &Node<'_>,
    what: &str,
    span: &Range<usize>,
) -> Option<ExtraValue> {
    let entries = |reader: &mut TomlReader, table: &Table<'_>, span: &Range<usize>| {
        let mut entries = Vec::with_capacity(table.len());
        for (k, v) in table.iter() {
            entries.push((k.to_owned(), node_value(reader, v, what, &v.span_or(span))?));
        }
        Some(ExtraValue::Table(entries))
    };
    Some(match &node.value {
        Value::String(s) => ExtraValue::String(s.to_string()),
        Value::Integer(i) => ExtraValue::Integer(*i),
        Value::Float(v) => {
            if !v.is_finite() {
                reader.wrong_type(node.span_or(span), "a finite number", "not a number", what);
                return None;
            }
            ExtraValue::Float(FloatText(float_text(*v)))
        }
        Value::Boolean(b) => ExtraValue::Boolean(*b),
        Value::Datetime => {
            reader.wrong_type(
                node.span_or(span),
                "a string, number, boolean, array or table",
                "datetime",
                what,
            );
            return None;
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(node_value(reader, item, what, &item.span_or(span))?);
            }
            ExtraValue::List(out)
        }
        Value::InlineTable(t) | Value::Table(t) => entries(reader, t, span)?,
        Value::ArrayOfTables(tables) => {
            let mut items = Vec::with_capacity(tables.len());
            for t in tables {
                let tspan = t.span_or(span);
                items.push(entries(reader, t.as_table_like()?, &tspan)?);
            }
            ExtraValue::List(items)
        }
    })
}

/// A float's text as every format writes it: Rust's shortest round-trip form, with `.0` for a
/// whole number (so `1.0` stays a float in TOML, JSON and Python).
pub(crate) fn float_text(v: f64) -> String {
    let text = v.to_string();
    if text.contains(['.', 'e', 'E']) {
        text
    } else {
        format!("{text}.0")
    }
}

/// Reads `extra` from interchange JSON; `Err` holds (JSON path, message) of each value that has
/// no place (`null`).
pub(crate) fn from_json(
    value: &serde_json::Value,
    path: &str,
) -> Result<Extra, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let Some(object) = value.as_object() else {
        return Err(vec![(
            path.to_owned(),
            "`extra` must be an object".to_owned(),
        )]);
    };
    let mut out = Extra::default();
    for (k, v) in object {
        if let Some(x) = json_value(v, &format!("{path}.{k}"), &mut problems) {
            out.0.push((k.clone(), x));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn json_value(
    value: &serde_json::Value,
    path: &str,
    problems: &mut Vec<(String, String)>,
) -> Option<ExtraValue> {
    use serde_json::Value as J;
    Some(match value {
        J::Null => {
            problems.push((
                path.to_owned(),
                "an extra value cannot be `null` (TOML has no null; leave the key out)".to_owned(),
            ));
            return None;
        }
        J::Bool(b) => ExtraValue::Boolean(*b),
        J::Number(n) => match n.as_i64() {
            Some(i) => ExtraValue::Integer(i),
            None => ExtraValue::Float(FloatText(float_text(n.as_f64().unwrap_or_default()))),
        },
        J::String(s) => ExtraValue::String(s.clone()),
        J::Array(items) => ExtraValue::List(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| json_value(v, &format!("{path}[{i}]"), problems))
                .collect::<Option<Vec<_>>>()?,
        ),
        J::Object(o) => ExtraValue::Table(
            o.iter()
                .map(|(k, v)| {
                    json_value(v, &format!("{path}[{}]", serde_json::json!(k)), problems)
                        .map(|x| (k.clone(), x))
                })
                .collect::<Option<Vec<_>>>()?,
        ),
    })
}

/// `extra` as an inline TOML table, in order.
pub(crate) fn to_toml(extra: &Extra) -> InlineTable {
    let mut t = InlineTable::new();
    for (k, v) in extra.iter() {
        t.insert(k.as_str(), toml_of(v));
    }
    t
}

fn toml_of(value: &ExtraValue) -> toml_edit::Value {
    match value {
        ExtraValue::String(s) => s.as_str().into(),
        ExtraValue::Integer(i) => (*i).into(),
        ExtraValue::Float(f) => f.0.parse::<f64>().unwrap_or_default().into(),
        ExtraValue::Boolean(b) => (*b).into(),
        ExtraValue::List(items) => {
            let mut a = Array::new();
            for item in items {
                a.push(toml_of(item));
            }
            toml_edit::Value::Array(a)
        }
        ExtraValue::Table(entries) => {
            let mut t = InlineTable::new();
            for (k, v) in entries {
                t.insert(k.as_str(), toml_of(v));
            }
            toml_edit::Value::InlineTable(t)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_floats_keep_their_point() {
        assert_eq!(float_text(1.0), "1.0");
        assert_eq!(float_text(1.5), "1.5");
        assert_eq!(float_text(-0.25), "-0.25");
        assert_eq!(float_text(1e300), format!("{}.0", 1e300));
    }

    #[test]
    fn json_null_anywhere_is_refused_at_its_path() {
        let v = serde_json::json!({"a": {"b": [1, null]}, "c": null});
        let problems = from_json(&v, "$.x.extra").expect_err("nulls are refused");
        let paths: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["$.x.extra.a[\"b\"][1]", "$.x.extra.c"]);
    }
}
