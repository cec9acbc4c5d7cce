//! Reading `vars` tables (`[deployments.<name>.vars]`, a stage's `vars`): names usable as
//! environment variables, values that are strings, numbers or booleans, never a Concourse
//! `((var))` (a matrix change must not be able to pull a credential into a pipeline).

use crate::spanned::TomlReader;
use crate::toml_load::tree::{Node, Value};
use edx_matrix_model::names::is_hidden_char;
use edx_matrix_model::{
    Code,
    vars::{VarValue, Vars},
};
use std::ops::Range;

/// The longest var name, in characters: the matrix's own names' limit
/// ([`edx_matrix_model::names::MAX_NAME_LEN`]).
pub(crate) const MAX_VAR_NAME_LEN: usize = edx_matrix_model::names::MAX_NAME_LEN;

/// Returns whether `name` is a valid var name: a letter or `_`, then letters, digits, `_`.
pub(crate) fn is_var_name(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads the `vars` table `item` (`what` names it in messages), reporting every problem.
pub(crate) fn read_vars(
    reader: &mut TomlReader,
    item: &Node<'_>,
    what: &str,
    fallback: &Range<usize>,
) -> Vars {
    let mut out = Vars::default();
    let Some(table) = reader.node_table(item, what, fallback) else {
        return out;
    };
    for entry in table.entries() {
        let (name, value) = (entry.key.as_ref(), &entry.node);
        let span = entry.key_span.clone().unwrap_or_else(|| fallback.clone());
        if name.len() > MAX_VAR_NAME_LEN {
            reader.push(
                Code::InvalidVars,
                span.clone(),
                format!(
                    "a var name in {what} is {} characters long; the limit is {MAX_VAR_NAME_LEN}",
                    name.len()
                ),
                "var name too long",
            );
            continue;
        }
        if !is_var_name(name) {
            reader
                .push(
                    Code::InvalidVars,
                    span.clone(),
                    format!("`{name}` in {what} is not a valid var name"),
                    "not a var name",
                )
                .help
                .push(
                    "a var name is a letter or `_`, then letters, digits and `_` (`SITE_URL`)"
                        .to_owned(),
                );
            continue;
        }
        let value_span = value.span_or(&span);
        let parsed = match &value.value {
            Value::String(s) => {
                if s.contains("((") {
                    reader
                        .push(
                            Code::InvalidVars,
                            value_span,
                            format!("var `{name}` in {what} holds Concourse `((…))` syntax"),
                            "a credential reference in a matrix value",
                        )
                        .help
                        .push("matrix values reach pipelines as data; write credential references in the pipeline template, not in the matrix".to_owned());
                    continue;
                }
                if s.chars()
                    .any(|c| (c.is_control() && c != '\t') || is_hidden_char(c))
                {
                    reader.push(
                        Code::InvalidVars,
                        value_span,
                        format!(
                            "var `{name}` in {what} holds a control, line-separator or bidirectional character (a newline, U+2028, U+202E, ...)"
                        ),
                        "hidden character",
                    );
                    continue;
                }
                VarValue::String(s.to_string())
            }
            Value::Integer(i) => VarValue::Integer(*i),
            Value::Float(f) => {
                let v = *f;
                if !v.is_finite() {
                    reader.push(
                        Code::InvalidVars,
                        value_span,
                        format!("var `{name}` in {what} is not a finite number"),
                        "not finite",
                    );
                    continue;
                }
                VarValue::Float(edx_matrix_model::vars::FloatText(v.to_string()))
            }
            Value::Boolean(b) => VarValue::Boolean(*b),
            _ => {
                reader.wrong_type(
                    value_span,
                    "a string, number or boolean",
                    value.type_name(),
                    &format!("var `{name}` in {what}"),
                );
                continue;
            }
        };
        out.0.push((name.to_owned(), parsed));
    }
    out
}
