//! Writing a configuration as YAML with numbers as YAML numbers.

use crate::concourse::RenderError;
use serde::ser::{Error as _, Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

/// Returns `value` as YAML: serialized to JSON values first (serde_json reads its own number
/// form), then written with every number as a YAML integer or float.
pub(crate) fn to_string<T: Serialize>(value: &T) -> Result<String, RenderError> {
    let value = serde_json::to_value(value).map_err(|e| RenderError::new(e.to_string()))?;
    value_to_string(&value)
}

/// [`to_string`] of what is already a JSON value: written as it is, not copied first (a
/// rendered pipeline's value is megabytes at 200 deployments; the copy and its drop were a
/// third of `render --all`'s instructions).
pub(crate) fn value_to_string(value: &Value) -> Result<String, RenderError> {
    serde_saphyr::to_string(&Plain(value)).map_err(|e| RenderError::new(e.to_string()))
}

/// [`value_to_string`] appended to `out` (a buffer reused piece after piece).
pub(crate) fn value_to_fmt(value: &Value, out: &mut String) -> Result<(), RenderError> {
    serde_saphyr::to_fmt_writer(out, &Plain(value)).map_err(|e| RenderError::new(e.to_string()))
}

/// A JSON value serialized with plain numbers.
struct Plain<'a>(&'a Value);

impl Serialize for Plain<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    serializer.serialize_u64(u)
                } else if let Some(i) = n.as_i64() {
                    serializer.serialize_i64(i)
                } else {
                    // A float, or an integer beyond 64 bits (Starlark has big integers):
                    // Concourse reads neither exactly, so only finite floats pass.
                    match n.as_f64() {
                        Some(f) if f.is_finite() && !is_integer_text(&n.to_string()) => {
                            serializer.serialize_f64(f)
                        }
                        _ => Err(S::Error::custom(format!(
                            "the number {n} does not fit a 64-bit integer or float"
                        ))),
                    }
                }
            }
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Plain(item))?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (key, item) in map {
                    out.serialize_entry(key, &Plain(item))?;
                }
                out.end()
            }
        }
    }
}

fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::{to_string, value_to_string};
    use serde_json::{Value, json};

    #[test]
    fn numbers_are_yaml_numbers() {
        let yaml = to_string(&json!({"max_in_flight": 1, "depth": -2, "ratio": 0.5})).unwrap();
        assert_eq!(yaml, "max_in_flight: 1\ndepth: -2\nratio: 0.5\n");
    }

    #[test]
    fn a_value_is_written_as_its_serialization_is() {
        let value = json!({"jobs": [{"name": "build", "max_in_flight": 2, "public": true,
            "plan": [{"get": "repo", "trigger": false}, {"task": "t", "params": null}]}]});
        let expected = "jobs:\n- name: build\n  max_in_flight: 2\n  public: true\n  plan:\n  \
            - get: repo\n    trigger: false\n  - task: t\n    params: null\n";
        assert_eq!(value_to_string(&value).unwrap(), expected);
        assert_eq!(to_string(&value).unwrap(), expected);
    }

    #[test]
    fn a_number_beyond_64_bits_is_an_error_not_a_map() {
        let big: Value = serde_json::from_str("{\"n\": 123456789012345678901234567890}").unwrap();
        let error = to_string(&big).unwrap_err().to_string();
        assert!(error.contains("123456789012345678901234567890"), "{error}");
    }
}
