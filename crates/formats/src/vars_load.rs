//! Reading `vars` tables (`[deployments.<name>.vars]`, a stage's `vars`): names usable as
//! environment variables, values that are strings, numbers or booleans, never a Concourse
//! `((var))` (a matrix change must not be able to pull a credential into a pipeline).

use crate::spanned::{TomlReader, item_span, key_span};
use edx_matrix_model::names::is_hidden_char;
use edx_matrix_model::{
    Code,
    vars::{VarValue, Vars},
};
use std::ops::Range;
use toml_edit::{Item, Value};

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
    item: &Item,
    what: &str,
    fallback: &Range<usize>,
) -> Vars {
    let mut out = Vars::default();
    let Some(table) = reader.table(item, what, fallback) else {
        return out;
    };
    for (name, value) in table.iter() {
        let span = key_span(table, name, fallback);
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
        let value_span = item_span(value, &span);
        let parsed = match value.as_value() {
            Some(Value::String(s)) => {
                let s = s.value();
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
                VarValue::String(s.clone())
            }
            Some(Value::Integer(i)) => VarValue::Integer(*i.value()),
            Some(Value::Float(f)) => {
                let v = *f.value();
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
            Some(Value::Boolean(b)) => VarValue::Boolean(*b.value()),
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
