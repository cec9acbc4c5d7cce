//! Deployment and stage `vars` passed through to Tutor: a var named `TUTOR_<SETTING>` sets
//! Tutor's `<SETTING>` (`TUTOR_LMS_HOST = "lms.pro.example"` sets `LMS_HOST`), with its type
//! (strings, numbers and booleans stay what they are in `config.yml`). Other vars are the
//! pipelines' and the env export's, not Tutor's.

use crate::tutor::quoted;
use edx_matrix_model::Matrix;
use edx_matrix_model::names::is_hidden_char;
use edx_matrix_model::vars::{self, VarValue};

/// The prefix that marks a var as a Tutor setting.
pub(crate) const PREFIX: &str = "TUTOR_";

/// Returns the Tutor settings the stage's vars set, in vars order, and a warning for each var
/// with the prefix that cannot be passed (a name that is not a Tutor setting name, a value with
/// line separators or bidirectional controls).
pub(crate) fn settings(
    matrix: &Matrix,
    deployment: &str,
    stage: &str,
) -> (Vec<(String, VarValue)>, Vec<String>) {
    let mut settings = Vec::new();
    let mut warnings = Vec::new();
    for (name, value) in vars::of_stage(matrix, deployment, stage).iter() {
        let Some(setting) = name.strip_prefix(PREFIX) else {
            continue;
        };
        let valid_name = setting.starts_with(|c: char| c.is_ascii_uppercase())
            && setting
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !valid_name {
            warnings.push(format!(
                "var `{name}` is not passed to Tutor: `{setting}` is not a Tutor setting name (upper-case letters, digits, `_`)"
            ));
            continue;
        }
        if let VarValue::String(text) = value {
            if text.chars().any(|c| is_hidden_char(c) || c.is_control()) {
                warnings.push(format!(
                    "var `{name}` is not passed to Tutor: its value has a control, line-separator or bidirectional character"
                ));
                continue;
            }
        }
        settings.push((setting.to_owned(), value.clone()));
    }
    (settings, warnings)
}

/// Returns `value` as a Python literal for the plugin.
pub(crate) fn python_literal(value: &VarValue) -> String {
    match value {
        VarValue::String(s) => quoted(s),
        VarValue::Integer(i) => i.to_string(),
        VarValue::Float(f) => f.0.clone(),
        VarValue::Boolean(true) => "True".to_owned(),
        VarValue::Boolean(false) => "False".to_owned(),
    }
}
