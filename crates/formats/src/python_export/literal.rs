//! Python literals: strings escaped so any value reads back as itself, and the few other
//! literal shapes the export writes.

use std::fmt::Write as _;

/// Returns `value` as a double-quoted Python string literal that evaluates to exactly `value`.
///
/// Backslashes, quotes, every control character and the Unicode line and paragraph
/// separators are escaped; other characters are written as they are (the files are UTF-8).
pub(crate) fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 && c.is_control() => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Returns `value` as a string literal, or `None` when absent.
pub(crate) fn optional(value: Option<&str>) -> String {
    value.map_or_else(|| "None".to_owned(), string)
}

/// Returns an extra value as the Python literal that evaluates to it (a table is a dict with
/// string keys, a list a list).
pub(crate) fn extra_value(value: &edx_matrix_model::ExtraValue) -> String {
    use edx_matrix_model::ExtraValue;
    match value {
        ExtraValue::String(s) => string(s),
        ExtraValue::Integer(i) => i.to_string(),
        ExtraValue::Float(f) => f.0.clone(),
        ExtraValue::Boolean(b) => if *b { "True" } else { "False" }.to_owned(),
        ExtraValue::List(items) => {
            let items: Vec<String> = items.iter().map(extra_value).collect();
            format!("[{}]", items.join(", "))
        }
        ExtraValue::Table(entries) => {
            let entries: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", string(k), extra_value(v)))
                .collect();
            format!("{{{}}}", entries.join(", "))
        }
    }
}

/// Returns a `Literal[...]` alias body for `values`, or `str` when there are none (an empty
/// `Literal` is not valid Python).
pub(crate) fn literal_alias<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = values.into_iter().map(string).collect();
    if items.is_empty() {
        "str".to_owned()
    } else {
        format!("Literal[{}]", items.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_python_would_misread() {
        assert_eq!(string("release/ulmo"), r#""release/ulmo""#);
        assert_eq!(string(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(string("x\ny\r\t\0"), r#""x\ny\r\t\x00""#);
        assert_eq!(string("\u{7f}\u{85}"), r#""\x7f\x85""#);
        assert_eq!(string("\u{2028}é"), "\"\\u2028é\"");
        assert_eq!(optional(None), "None");
        assert_eq!(literal_alias([]), "str");
        assert_eq!(literal_alias(["CI", "QA"]), r#"Literal["CI", "QA"]"#);
    }

    #[test]
    fn extra_values_are_python_literals() {
        use edx_matrix_model::ExtraValue as X;
        use edx_matrix_model::vars::FloatText;
        let v = X::Table(vec![
            ("logo".into(), X::String("a\"b".into())),
            (
                "sizes".into(),
                X::List(vec![X::Integer(-2), X::Float(FloatText("1.0".into()))]),
            ),
            ("on".into(), X::Boolean(true)),
            ("none".into(), X::Table(vec![])),
        ]);
        assert_eq!(
            extra_value(&v),
            r#"{"logo": "a\"b", "sizes": [-2, 1.0], "on": True, "none": {}}"#
        );
    }
}
