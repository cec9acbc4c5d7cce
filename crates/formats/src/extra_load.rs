//! Reading and writing an application version's `extra` table (`edx_matrix_model::Extra`): any
//! TOML/JSON value but a date or a JSON `null` (neither has a form in the other format, nor a
//! Python literal `export python` could write back), numbers finite. Names are the model's
//! check (`invalid-extra`); values are kept as written.

use crate::spanned::{TomlReader, item_span, key_span};
use edx_matrix_model::vars::FloatText;
use edx_matrix_model::{Extra, ExtraValue};
use std::ops::Range;
use toml_edit::{Array, InlineTable, Item, Value};

/// Reads the `extra` table `item` of an application version; `what` names it in messages.
/// Returns the values and the span of each name.
pub(crate) fn read_extra(
    reader: &mut TomlReader,
    item: &Item,
    what: &str,
    fallback: &Range<usize>,
) -> (Extra, Vec<Range<usize>>) {
    let mut out = Extra::default();
    let mut spans = Vec::new();
    let Some(table) = reader.table(item, what, fallback) else {
        return (out, spans);
    };
    for (name, value) in table.iter() {
        let span = key_span(table, name, fallback);
        let value_span = item_span(value, &span);
        let label = format!("`{name}` in {what}");
        let parsed = item_value(reader, value, &label, &value_span);
        if let Some(parsed) = parsed {
            out.0.push((name.to_owned(), parsed));
            spans.push(span);
        }
    }
    (out, spans)
}

/// Reads an `extra` item already checked by the loader (edits read a file that passed `check`);
/// values with a problem are left out.
pub(crate) fn read_checked(item: &Item) -> Extra {
    let mut reader = TomlReader::new("");
    read_extra(&mut reader, item, "`extra`", &(0..0)).0
}

/// A value written in any TOML form: inline, or as `[…]` / `[[…]]` tables (as `toml` and
/// editors write nested tables).
fn item_value(
    reader: &mut TomlReader,
    item: &Item,
    what: &str,
    span: &Range<usize>,
) -> Option<ExtraValue> {
    match item {
        Item::Value(v) => toml_value(reader, v, what, span),
        Item::Table(t) => {
            let mut entries = Vec::with_capacity(t.len());
            for (k, v) in t.iter() {
                let vspan = item_span(v, span);
                entries.push((k.to_owned(), item_value(reader, v, what, &vspan)?));
            }
            Some(ExtraValue::Table(entries))
        }
        Item::ArrayOfTables(tables) => {
            let mut items = Vec::with_capacity(tables.len());
            for t in tables.iter() {
                let tspan = t.span().unwrap_or_else(|| span.clone());
                let mut entries = Vec::with_capacity(t.len());
                for (k, v) in t.iter() {
                    let vspan = item_span(v, &tspan);
                    entries.push((k.to_owned(), item_value(reader, v, what, &vspan)?));
                }
                items.push(ExtraValue::Table(entries));
            }
            Some(ExtraValue::List(items))
        }
        Item::None => None,
    }
}

fn toml_value(
    reader: &mut TomlReader,
    value: &Value,
    what: &str,
    span: &Range<usize>,
) -> Option<ExtraValue> {
    let here = |v: &Value| v.span().unwrap_or_else(|| span.clone());
    Some(match value {
        Value::String(s) => ExtraValue::String(s.value().clone()),
        Value::Integer(i) => ExtraValue::Integer(*i.value()),
        Value::Float(f) => {
            let v = *f.value();
            if !v.is_finite() {
                reader.wrong_type(here(value), "a finite number", "not a number", what);
                return None;
            }
            ExtraValue::Float(FloatText(float_text(v)))
        }
        Value::Boolean(b) => ExtraValue::Boolean(*b.value()),
        Value::Datetime(_) => {
            reader.wrong_type(
                here(value),
                "a string, number, boolean, array or table",
                "datetime",
                what,
            );
            return None;
        }
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter() {
                out.push(toml_value(reader, item, what, &here(item))?);
            }
            ExtraValue::List(out)
        }
        Value::InlineTable(t) => {
            let mut out = Vec::with_capacity(t.len());
            for (k, v) in t.iter() {
                out.push((k.to_owned(), toml_value(reader, v, what, &here(v))?));
            }
            ExtraValue::Table(out)
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

fn toml_of(value: &ExtraValue) -> Value {
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
            Value::Array(a)
        }
        ExtraValue::Table(entries) => {
            let mut t = InlineTable::new();
            for (k, v) in entries {
                t.insert(k.as_str(), toml_of(v));
            }
            Value::InlineTable(t)
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
