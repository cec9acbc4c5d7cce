//! An application version's extra values (`extra`): what a Python package's entries carry beside
//! the matrix's own fields (a dict of branding overrides, build arguments). The matrix does not
//! read them; it keeps them so `resolve`, the interchange JSON and `export python` give them
//! back unchanged. Any TOML/JSON value but a date: strings, numbers, booleans, lists, tables.

use crate::vars::FloatText;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};

/// One extra value.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ExtraValue {
    /// A string.
    String(String),
    /// An integer.
    Integer(i64),
    /// A finite floating-point number, as written (kept as text so values compare exactly).
    Float(FloatText),
    /// A boolean.
    Boolean(bool),
    /// A list.
    List(Vec<ExtraValue>),
    /// A table (a Python dict with string keys), in order.
    Table(Vec<(String, ExtraValue)>),
}

impl Serialize for ExtraValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            ExtraValue::String(s) => serializer.serialize_str(s),
            ExtraValue::Integer(i) => serializer.serialize_i64(*i),
            ExtraValue::Float(f) => f.serialize(serializer),
            ExtraValue::Boolean(b) => serializer.serialize_bool(*b),
            ExtraValue::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            ExtraValue::Table(entries) => serialize_entries(entries, serializer),
        }
    }
}

fn serialize_entries<S: serde::Serializer>(
    entries: &[(String, ExtraValue)],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

/// An application version's extra values by name, in order (serialized as a map).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Extra(pub Vec<(String, ExtraValue)>);

impl Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_entries(&self.0, serializer)
    }
}

impl Extra {
    /// Returns whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Returns the values in order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &ExtraValue)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// Returns the value called `name`.
    pub fn get(&self, name: &str) -> Option<&ExtraValue> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }
}

/// The names an extra value may not take: the entry's own fields, in `edx-matrix.toml` and in the
/// Python package `export python` writes (its keyword arguments and properties), since an extra
/// value comes back out as a keyword argument of the same call.
pub(crate) const RESERVED_NAMES: &[&str] = &[
    "application",
    "release",
    "branch",
    "origin",
    "runtime",
    "translations",
    "extra",
    "application_type",
    "branch_override",
    "origin_override",
    "runtime_version_override",
    "translation_overrides",
    "git_origin",
    "release_branch",
    "runtime_version",
];

/// Python's keywords (and the soft keywords a keyword argument cannot be confused with are
/// allowed): none of them can name a keyword argument.
const PYTHON_KEYWORDS: &[&str] = &[
    "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue",
    "def", "del", "elif", "else", "except", "finally", "for", "from", "global", "if", "import",
    "in", "is", "lambda", "nonlocal", "not", "or", "pass", "raise", "return", "try", "while",
    "with", "yield",
];

/// Why `name` cannot name an extra value, or `None` when it can: a Python identifier (ASCII: a
/// letter or `_`, then letters, digits, `_`; not a keyword, not a dunder) that is none of
/// `RESERVED_NAMES`.
pub fn name_problem(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let identifier = matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !identifier || name.len() > crate::names::MAX_NAME_LEN {
        return Some(format!(
            "`{name}` is not a Python identifier (a letter or `_`, then letters, digits and `_`, at most {} characters)",
            crate::names::MAX_NAME_LEN
        ));
    }
    if PYTHON_KEYWORDS.contains(&name) {
        return Some(format!("`{name}` is a Python keyword"));
    }
    if name.starts_with("__") && name.ends_with("__") {
        return Some(format!("`{name}` is a Python special name"));
    }
    if RESERVED_NAMES.contains(&name) {
        return Some(format!(
            "`{name}` is a field the matrix or the exported package already has"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_python_identifiers_that_collide_with_nothing() {
        for ok in ["branding", "build_args", "_private", "x1", "match", "type"] {
            assert_eq!(name_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "1x",
            "a-b",
            "a b",
            "é",
            "class",
            "None",
            "__init__",
            "branch",
            "branch_override",
            "git_origin",
            "application",
            "extra",
        ] {
            assert!(name_problem(bad).is_some(), "{bad}");
        }
    }
}
