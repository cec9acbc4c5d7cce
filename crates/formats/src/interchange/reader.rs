//! The walk over `serde_json::Value` that reports every problem with its JSON path.

use crate::diagnostic::{Diagnostic, Location};
use edx_matrix_model::Code;
use serde_json::{Map, Value};

pub(super) struct Reader {
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl Reader {
    pub(super) fn at(&mut self, code: Code, path: &str, message: String, label: &str) {
        self.diagnostics.push(Diagnostic::new(
            code,
            Location::JsonPath(path.to_owned()),
            message,
            label,
        ));
    }

    pub(super) fn object<'a>(
        &mut self,
        value: &'a Value,
        path: &str,
        allowed: &[&str],
    ) -> Option<&'a Map<String, Value>> {
        let Some(object) = value.as_object() else {
            self.at(
                Code::WrongType,
                path,
                format!("`{path}` must be an object, found {}", kind(value)),
                "expected an object",
            );
            return None;
        };
        for key in object.keys() {
            if !allowed.contains(&key.as_str()) {
                self.at(
                    Code::IgnoredKey,
                    &format!("{path}.{key}"),
                    format!("unknown key `{key}` ignored"),
                    "not part of the interchange form",
                );
            }
        }
        Some(object)
    }

    pub(super) fn array<'a>(
        &mut self,
        object: &'a Map<String, Value>,
        key: &str,
        path: &str,
    ) -> &'a [Value] {
        match object.get(key) {
            Some(Value::Array(items)) => items,
            Some(other) => {
                self.at(
                    Code::WrongType,
                    &format!("{path}.{key}"),
                    format!("`{key}` must be an array, found {}", kind(other)),
                    "expected an array",
                );
                &[]
            }
            None => {
                self.at(
                    Code::MissingKey,
                    path,
                    format!("missing key `{key}`"),
                    "required",
                );
                &[]
            }
        }
    }

    pub(super) fn string(&mut self, object: &Map<String, Value>, key: &str, path: &str) -> String {
        match object.get(key) {
            Some(Value::String(s)) => s.clone(),
            Some(other) => {
                self.at(
                    Code::WrongType,
                    &format!("{path}.{key}"),
                    format!("`{key}` must be a string, found {}", kind(other)),
                    "expected a string",
                );
                String::new()
            }
            None => {
                self.at(
                    Code::MissingKey,
                    path,
                    format!("missing key `{key}`"),
                    "required",
                );
                String::new()
            }
        }
    }

    pub(super) fn optional_string(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Option<String> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(other) => {
                self.at(
                    Code::WrongType,
                    &format!("{path}.{key}"),
                    format!("`{key}` must be a string or null, found {}", kind(other)),
                    "expected a string or null",
                );
                None
            }
        }
    }
}

impl Reader {
    /// Reads an optional `vars` object at `object["vars"]`: strings, numbers, booleans.
    pub(super) fn vars(
        &mut self,
        object: &Map<String, Value>,
        path: &str,
    ) -> edx_matrix_model::vars::Vars {
        use edx_matrix_model::vars::{FloatText, VarValue};
        let mut out = edx_matrix_model::vars::Vars::default();
        let vpath = format!("{path}.vars");
        let Some(value) = object.get("vars") else {
            return out;
        };
        let Some(map) = value.as_object() else {
            self.at(
                Code::WrongType,
                &vpath,
                format!("`vars` must be an object, found {}", kind(value)),
                "expected an object",
            );
            return out;
        };
        for (name, v) in map {
            let parsed = match v {
                Value::String(s) if !s.contains("((") => Some(VarValue::String(s.clone())),
                Value::Bool(b) => Some(VarValue::Boolean(*b)),
                Value::Number(n) => Some(match n.as_i64() {
                    Some(i) => VarValue::Integer(i),
                    None => VarValue::Float(FloatText(n.to_string())),
                }),
                _ => None,
            };
            match parsed {
                Some(p) if crate::vars_load::is_var_name(name) => out.0.push((name.clone(), p)),
                _ => self.at(
                    Code::InvalidVars,
                    &format!("{vpath}.{name}"),
                    format!("var `{name}`: a var name is a letter or `_`, then letters, digits, `_`; its value a string (without `((`), number or boolean"),
                    "invalid var",
                ),
            }
        }
        out
    }

    /// Reads an optional array of strings at `object[key]` (`null` or absent: `None`),
    /// reporting every item that is not a string.
    pub(super) fn optional_string_list(
        &mut self,
        object: &Map<String, Value>,
        key: &str,
        path: &str,
        what: &str,
    ) -> Option<Vec<String>> {
        match object.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::Array(items)) => Some(
                items
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| match v.as_str() {
                        Some(s) => Some(s.to_owned()),
                        None => {
                            self.at(
                                Code::WrongType,
                                &format!("{path}.{key}[{i}]"),
                                format!("{what} must be a string, found {}", kind(v)),
                                "expected a string",
                            );
                            None
                        }
                    })
                    .collect(),
            ),
            Some(other) => {
                self.at(
                    Code::WrongType,
                    &format!("{path}.{key}"),
                    format!("`{key}` must be an array or null, found {}", kind(other)),
                    "expected an array",
                );
                None
            }
        }
    }
}

pub(super) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
