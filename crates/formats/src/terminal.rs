//! Making values from the file (or from git) safe to print on a terminal: control characters,
//! line separators and bidi controls shown as escapes (`\u{1b}`), long values clipped.
//!
//! Every human-readable message built from a value goes through [`safe`] (diagnostics do it in
//! [`crate::render`]); the JSON forms keep values whole.

use edx_matrix_model::names::is_hidden_char;
use std::borrow::Cow;

/// The longest value a human message shows whole, in characters; longer ones are clipped.
pub(crate) const MAX_SHOWN_CHARS: usize = 200;

/// Returns whether `c` is shown as an escape: a control character other than tab, or one of
/// [`is_hidden_char`].
pub(crate) fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t') || is_hidden_char(c)
}

/// Pushes `c` onto `out`, as `\u{…}` when it [`needs_escape`].
pub(crate) fn push_escaped(out: &mut String, c: char) {
    if needs_escape(c) {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    } else {
        out.push(c);
    }
}

/// Returns `text` with every character that [`needs_escape`] escaped, and clipped to
/// `max_chars` characters (with `…(N more bytes)` saying how much was left out).
pub(crate) fn clip(text: &str, max_chars: usize) -> Cow<'_, str> {
    let short = text.len() <= max_chars;
    if short && !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len().min(max_chars * 4) + 24);
    for (n, (i, c)) in text.char_indices().enumerate() {
        if n == max_chars {
            out.push_str(&format!("…({} more bytes)", text.len() - i));
            break;
        }
        push_escaped(&mut out, c);
    }
    Cow::Owned(out)
}

/// `clip` to `MAX_SHOWN_CHARS`: what a message shows of a value, and what is printed of a
/// git commit subject.
pub fn safe(text: &str) -> Cow<'_, str> {
    clip(text, MAX_SHOWN_CHARS)
}

/// Makes each line of a message safe to show: messages may hold several lines on purpose, each
/// is `clip`ped to `4 × MAX_SHOWN_CHARS` characters. What the terminal and the dashboard show
/// of a diagnostic's message, labels, notes and help.
pub fn safe_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| clip(line, 4 * MAX_SHOWN_CHARS))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Returns one line of a source file as shown outside a terminal diagnostic (the dashboard):
/// URL credentials masked with `*`, characters that `needs_escape` escaped, clipped to
/// `4 × MAX_SHOWN_CHARS` characters.
pub fn source_line(line: &str) -> String {
    let masks = crate::excerpt::credential_masks(line, 0);
    let mut out = String::new();
    for (n, (i, c)) in line.char_indices().enumerate() {
        if n == 4 * MAX_SHOWN_CHARS {
            out.push_str(&format!("…({} more bytes)", line.len() - i));
            break;
        }
        if masks.iter().any(|m| m.contains(&i)) {
            out.push('*');
        } else {
            push_escaped(&mut out, c);
        }
    }
    out
}

/// Replaces every URL in `matrix` (repositories, origins) by its redacted form
/// ([`edx_matrix_model::url::redact_url`]): what a server serves.
pub fn redact_matrix(matrix: &mut edx_matrix_model::Matrix) {
    use edx_matrix_model::names::GitUrl;
    let redact = |url: &mut GitUrl| {
        if let std::borrow::Cow::Owned(shown) = edx_matrix_model::url::redact_url(url.as_str()) {
            *url = GitUrl::new(shown);
        }
    };
    for app in &mut matrix.applications {
        if let Some(url) = &mut app.repository {
            redact(url);
        }
    }
    for entry in &mut matrix.release_map {
        for version in &mut entry.apps {
            if let Some(url) = &mut version.origin {
                redact(url);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_clips() {
        assert_eq!(safe("plain"), "plain");
        assert_eq!(safe("\u{1b}[31mevil\u{7}\0"), "\\u{1b}[31mevil\\u{7}\\u{0}");
        assert_eq!(safe("a\u{2028}b\u{202e}"), "a\\u{2028}b\\u{202e}");
        assert_eq!(safe("tab\there"), "tab\there");
        let long = "a".repeat(10_000);
        let shown = safe(&long);
        assert!(shown.starts_with(&"a".repeat(200)));
        assert!(shown.ends_with("…(9800 more bytes)"), "{shown}");
        assert_eq!(clip("ééé", 2), "éé…(2 more bytes)");
        assert_eq!(
            source_line("o = \"https://u:TOK@h/x\" # \u{1b}"),
            "o = \"https://u:***@h/x\" # \\u{1b}"
        );
    }
}
