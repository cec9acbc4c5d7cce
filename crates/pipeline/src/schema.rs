//! Concourse's pipeline schema: the shape and type of every field, checked with the public
//! JSON Schema (cappyzawa/concourse-pipeline-jsonschema, draft-04, patched where it refused
//! what Concourse accepts; Apache-2.0, see `crates/pipeline/schema/NOTICE.md` and README.md).
//!
//! Each problem names the field by the validator's path (`$.jobs[0].max_in_flight`), so it can
//! be located in the file it came from.

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::{JsonType, ValidationError};
use serde_json::Value;
use std::sync::OnceLock;

const SCHEMA: &str = include_str!("../schema/concourse_jsonschema.patched.json");

/// The compiled schema (compiled once; it is part of the binary, so it always compiles: a
/// test says so).
fn validator() -> Option<&'static jsonschema::Validator> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let value: Value = serde_json::from_str(SCHEMA).ok()?;
            jsonschema::draft4::new(&value).ok()
        })
        .as_ref()
}

/// One field of a configuration that does not have the shape the schema gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SchemaProblem {
    /// Where: `$.jobs[0].plan[1].params`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// Returns every field of `config` the schema refuses, in the schema validator's order.
pub(crate) fn check(config: &Value) -> Vec<SchemaProblem> {
    let Some(validator) = validator() else {
        return vec![SchemaProblem {
            path: "$".to_owned(),
            message: "the built-in Concourse schema does not compile".to_owned(),
        }];
    };
    let mut out = Vec::new();
    for error in validator.iter_errors(config) {
        explain(config, &error, &mut out);
    }
    out
}

/// Adds the problems `error` stands for. An `anyOf` (a step is a get, a put, a task, ...) is
/// explained by the alternative the value meant: the one whose own key is there (no
/// `required` error at the value itself), with the fewest errors.
fn explain(config: &Value, error: &ValidationError<'_>, out: &mut Vec<SchemaProblem>) {
    let path = path_of(config, error);
    match error.kind() {
        ValidationErrorKind::AnyOf { context } => {
            let at = error.instance_path().as_str();
            let meant = context
                .iter()
                .filter(|errors| {
                    !errors.iter().any(|e| {
                        e.instance_path().as_str() == at
                            && matches!(
                                e.kind(),
                                ValidationErrorKind::Required { .. }
                                    | ValidationErrorKind::Type { .. }
                            )
                    })
                })
                .min_by_key(|errors| errors.len());
            match meant {
                Some(errors) => {
                    for e in errors {
                        explain(config, e, out);
                    }
                }
                None => out.push(SchemaProblem {
                    path,
                    message: none_of(error.instance(), context),
                }),
            }
        }
        ValidationErrorKind::Type { kind } => out.push(SchemaProblem {
            path,
            message: format!(
                "must be {}, not {}",
                expected(kind),
                describe(error.instance())
            ),
        }),
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for key in unexpected {
                out.push(SchemaProblem {
                    path: format!("{path}.{key}"),
                    message: format!("unknown key `{key}`"),
                });
            }
        }
        ValidationErrorKind::Required { property } => out.push(SchemaProblem {
            path,
            message: format!(
                "`{}` is missing",
                property
                    .as_str()
                    .map_or(property.to_string(), str::to_owned)
            ),
        }),
        _ => out.push(SchemaProblem {
            path,
            message: error.to_string(),
        }),
    }
}

/// The message of a value that is none of an `anyOf`'s alternatives.
fn none_of(instance: &Value, context: &[Vec<ValidationError<'static>>]) -> String {
    let mut types: Vec<String> = Vec::new();
    let mut keys: Vec<String> = Vec::new();
    for errors in context {
        for e in errors {
            match e.kind() {
                ValidationErrorKind::Type { kind } => types.push(expected(kind)),
                ValidationErrorKind::Required { property } => {
                    keys.push(format!("`{}`", property.as_str().unwrap_or("?")));
                }
                _ => {}
            }
        }
    }
    types.dedup();
    keys.dedup();
    if instance.is_object() && !keys.is_empty() {
        format!("has none of the keys {}", keys.join(", "))
    } else if !types.is_empty() {
        format!("must be {}, not {}", types.join(" or "), describe(instance))
    } else {
        format!(
            "{} fits none of the forms Concourse accepts here",
            describe(instance)
        )
    }
}

fn expected(kind: &TypeKind) -> String {
    let name = |t: JsonType| match t {
        JsonType::Array => "a list",
        JsonType::Boolean => "a boolean",
        JsonType::Integer => "an integer",
        JsonType::Null => "null",
        JsonType::Number => "a number",
        JsonType::Object => "a mapping",
        JsonType::String => "a string",
    };
    match kind {
        TypeKind::Single(t) => name(*t).to_owned(),
        TypeKind::Multiple(set) => set.iter().map(name).collect::<Vec<_>>().join(" or "),
    }
}

/// A value as a problem names it: its type and, for a scalar, itself.
pub(crate) fn describe(value: &Value) -> String {
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", Value::String(s.clone())),
        Value::Array(_) => "a list".to_owned(),
        Value::Object(_) => "a mapping".to_owned(),
    }
}

/// The validator's path of the value an error is about, walking `config` so a key made of
/// digits is not taken for a list index.
fn path_of(config: &Value, error: &ValidationError<'_>) -> String {
    let mut path = "$".to_owned();
    let mut at = Some(config);
    for segment in error.instance_path().as_str().split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        match at {
            Some(Value::Array(items)) => {
                let index = segment.parse::<usize>().ok();
                path.push_str(&format!("[{segment}]"));
                at = index.and_then(|i| items.get(i));
            }
            Some(Value::Object(map)) => {
                path.push('.');
                path.push_str(&segment);
                at = map.get(&segment);
            }
            _ => {
                path.push('.');
                path.push_str(&segment);
                at = None;
            }
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn problems(config: &Value) -> Vec<(String, String)> {
        check(config)
            .into_iter()
            .map(|p| (p.path, p.message))
            .collect()
    }

    #[test]
    fn the_built_in_schema_compiles() {
        assert!(validator().is_some());
    }

    #[test]
    fn wrong_types_are_named_at_their_field() {
        let config = json!({"jobs": [{"name": "a", "max_in_flight": {"n": "1"}, "plan": [
            {"get": "x", "trigger": "yes"},
        ]}]});
        assert_eq!(
            problems(&config),
            [
                (
                    "$.jobs[0].max_in_flight".to_owned(),
                    "must be an integer, not a mapping".to_owned()
                ),
                (
                    "$.jobs[0].plan[0].trigger".to_owned(),
                    "must be a boolean, not the string \"yes\"".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn unknown_keys_and_stepless_steps() {
        let config = json!({"jobs": [{"name": "a", "plan": [{"gett": "x"}]}], "job": []});
        let found = problems(&config);
        assert!(
            found.contains(&("$.job".to_owned(), "unknown key `job`".to_owned())),
            "{found:?}"
        );
        assert!(
            found
                .iter()
                .any(|(path, message)| path == "$.jobs[0].plan[0]"
                    && message.starts_with("has none of the keys `get`")),
            "{found:?}"
        );
    }

    #[test]
    fn a_missing_key_is_named_at_its_mapping() {
        // A resource needs a `type` (Concourse's resource schema).
        let found = problems(&json!({"resources": [{"name": "src", "source": {}}]}));
        assert_eq!(
            found,
            [("$.resources[0]".to_owned(), "`type` is missing".to_owned())]
        );
    }

    #[test]
    fn a_value_of_none_of_the_forms_says_what_it_is() {
        // A step is a mapping; `in_parallel` a list of steps or a mapping with `steps`.
        let step = |step: Value| problems(&json!({"jobs": [{"name": "a", "plan": [step]}]}));
        let at = |path: &str, message: &str| vec![(path.to_owned(), message.to_owned())];
        assert_eq!(
            step(json!(3)),
            at("$.jobs[0].plan[0]", "must be a mapping, not the number 3")
        );
        assert_eq!(
            step(json!(["get"])),
            at("$.jobs[0].plan[0]", "must be a mapping, not a list")
        );
        assert_eq!(
            step(json!({"in_parallel": "x"})),
            at(
                "$.jobs[0].plan[0].in_parallel",
                "must be a mapping or a list, not the string \"x\""
            )
        );
        // A mapping meant the mapping form: its field is explained, not the list form.
        assert_eq!(
            step(json!({"in_parallel": {"steps": 3}})),
            at(
                "$.jobs[0].plan[0].in_parallel.steps",
                "must be a list, not the number 3"
            )
        );
    }

    #[test]
    fn a_mapping_given_where_only_scalars_fit_says_which_types_fit() {
        // The built-in schema has no such `anyOf` (an object there always misses a key of an
        // object form); a patched schema may: the types are the message, not "none of the keys".
        let schema = json!({"anyOf": [{"type": "string"}, {"type": "integer"}]});
        let validator = jsonschema::draft4::new(&schema).expect("a draft-04 schema");
        let config = json!({"a": 1});
        let mut out = Vec::new();
        for error in validator.iter_errors(&config) {
            explain(&config, &error, &mut out);
        }
        assert_eq!(
            out,
            [SchemaProblem {
                path: "$".to_owned(),
                message: "must be a string or an integer, not a mapping".to_owned()
            }]
        );
    }

    #[test]
    fn a_key_made_of_digits_or_a_slash_is_a_key_in_the_path() {
        // The validator's path is a JSON pointer (`/1`, `a~1b`): a mapping's key `1` is `.1`,
        // a list's element 1 is `[1]`, and `~1` / `~0` stand for `/` and `~`.
        let config = json!({"jobs": [{"name": "a", "plan": [{"task": "t", "config": {
            "platform": "linux",
            "run": {"path": "true"},
            "params": {"1": [], "a/b~c": {}},
        }}]}]});
        let params = "$.jobs[0].plan[0].config.params";
        assert_eq!(
            problems(&config),
            [
                (
                    format!("{params}.1"),
                    "must be a string, not a list".to_owned()
                ),
                (
                    format!("{params}.a/b~c"),
                    "must be a string, not a mapping".to_owned()
                ),
            ]
        );
    }
}
