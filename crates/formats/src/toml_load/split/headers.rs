//! The table headers of a TOML text, found in one pass over its bytes.
//!
//! Cutting an 18 MB matrix at its headers with `toml_parser`'s lexer cost 0.72G instructions,
//! a fifth of the whole `check` (issue 23): a token per word, for a question that only needs
//! to know where strings, comments and brackets are. This pass skips everything else. It is
//! exact on valid TOML (a header is a `[` that starts a line outside any string, comment,
//! array or inline table), and gives up (`None`) on what cannot be valid there: an unterminated
//! string, a closing bracket with nothing open. Whatever it gets wrong on other invalid text,
//! the pieces are each parsed afterwards and any that fails sends the file to the whole-document
//! path, which reports the error.

/// One header: where its `[` is and its words without spaces or comment (`[[map]]`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Header {
    pub(crate) start: usize,
    pub(crate) words: String,
}

/// The headers of `text` in order, and whether its brackets all close; `None` when the text
/// cannot be valid TOML (see the module's comment).
pub(crate) fn headers(text: &str) -> Option<(Vec<Header>, bool)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut depth: i64 = 0;
    let mut line_start = true;
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        match byte {
            b'\n' => {
                line_start = true;
                at += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                at += 1;
                continue;
            }
            b'#' => {
                at = line_end(bytes, at);
                continue;
            }
            b'"' | b'\'' => at = string_end(bytes, at)?,
            b'[' if line_start && depth == 0 => {
                let end = line_end(bytes, at);
                let line = &text[at..end];
                // A comment ends the words, unless a quote comes first: a quoted key may hold
                // a `#`, and the caller gives up on any quoted header anyway.
                let line = match line.find(['#', '"', '\'']) {
                    Some(cut) if line.as_bytes()[cut] == b'#' => &line[..cut],
                    _ => line,
                };
                let words = line
                    .chars()
                    .filter(|c| !matches!(c, ' ' | '\t' | '\r'))
                    .collect();
                found.push(Header { start: at, words });
                at = end;
            }
            b'[' | b'{' => {
                depth += 1;
                at += 1;
            }
            b']' | b'}' => {
                depth -= 1;
                if depth < 0 {
                    return None;
                }
                at += 1;
            }
            // A run of bytes that mean nothing here (keys, values, `=`, `,`), skipped at once.
            _ => {
                at += 1;
                while bytes.get(at).is_some_and(|&b| !SPECIAL[usize::from(b)]) {
                    at += 1;
                }
            }
        }
        line_start = false;
    }
    Some((found, depth == 0))
}

/// The bytes the scan stops at: line ends, blanks, comments, quotes and brackets.
const SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    let stops = b"\n \t\r#\"'[]{}";
    let mut i = 0;
    while i < stops.len() {
        special[stops[i] as usize] = true;
        i += 1;
    }
    special
};

/// The offset of the newline ending the line `at` is on (or the text's end).
fn line_end(bytes: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |n| at + n)
}

/// The offset just after the string opening at `at` (a `"` or `'`); `None` when it does not
/// end where TOML says it must.
fn string_end(bytes: &[u8], at: usize) -> Option<usize> {
    let quote = bytes[at];
    let basic = quote == b'"';
    let multi_line = bytes.get(at + 1) == Some(&quote) && bytes.get(at + 2) == Some(&quote);
    if multi_line {
        let mut i = at + 3;
        loop {
            match *bytes.get(i)? {
                b'\\' if basic => i += 2,
                b if b == quote
                    && bytes.get(i + 1) == Some(&quote)
                    && bytes.get(i + 2) == Some(&quote) =>
                {
                    // Up to two more quotes belong to the content (`""""` ends with one `"`).
                    let mut end = i + 3;
                    while end < i + 5 && bytes.get(end) == Some(&quote) {
                        end += 1;
                    }
                    return Some(end);
                }
                _ => i += 1,
            }
        }
    }
    if bytes.get(at + 1) == Some(&quote) {
        // The empty string.
        return Some(at + 2);
    }
    let mut i = at + 1;
    loop {
        // A literal string has no escapes: its `\\` is found and stepped over like any byte.
        i += memchr::memchr3(quote, b'\\', b'\n', bytes.get(i..)?)?;
        match bytes[i] {
            b'\n' => return None,
            b'\\' if basic => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
}
