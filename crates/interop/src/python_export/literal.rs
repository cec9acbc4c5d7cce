//! Python literals: strings escaped so any value reads back as itself, and the few other
//! literal shapes the export writes.

use std::fmt::Write as _;

/// Returns `value` as a double-quoted Python string literal that evaluates to exactly `value`.
///
/// Backslashes, quotes, every control character and the Unicode line and paragraph
/// separators are escaped; other characters are written as they are (the files are UTF-8).
pub fn string(value: &str) -> String {
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
pub fn optional(value: Option<&str>) -> String {
    value.map_or_else(|| "None".to_owned(), string)
}

/// Returns a `Literal[...]` alias body for `values`, or `str` when there are none (an empty
/// `Literal` is not valid Python).
pub fn literal_alias<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
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
}
