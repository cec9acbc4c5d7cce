//! The headers as `toml_parser`'s lexer finds them (the cut was made so before the byte scan),
//! kept as the oracle of the scan (`headers.rs`): on valid TOML both must find the same
//! headers, and the scan may give up only where the text is not valid TOML.

use super::cut;
use super::headers::Header;
use std::ops::Range;
use toml_parser::Source;
use toml_parser::lexer::TokenKind;

/// The `[[map]]` blocks cut at the headers the lexer finds.
pub(super) fn blocks_by_lexer(text: &str) -> Option<Vec<Range<usize>>> {
    let (headers, balanced) = headers_by_lexer(text)?;
    cut(headers, balanced, text.len())
}

/// The headers from `toml_parser`'s tokens: a `[` at a line's start outside any bracket, its
/// words up to the line's end or comment; and whether every bracket closes.
fn headers_by_lexer(text: &str) -> Option<(Vec<Header>, bool)> {
    let mut found = Vec::new();
    let mut depth: i64 = 0;
    let mut line_start = true;
    let mut tokens = Source::new(text).lex().peekable();
    while let Some(token) = tokens.next() {
        let span = token.span();
        match token.kind() {
            TokenKind::Eof => break,
            TokenKind::Newline => {
                line_start = true;
                continue;
            }
            TokenKind::Whitespace | TokenKind::Comment => continue,
            TokenKind::LeftSquareBracket if line_start && depth == 0 => {
                let start = span.start();
                let mut words = String::from("[");
                while let Some(next) = tokens.peek() {
                    match next.kind() {
                        TokenKind::Newline | TokenKind::Comment | TokenKind::Eof => break,
                        TokenKind::Whitespace => {}
                        _ => words.push_str(&text[next.span().start()..next.span().end()]),
                    }
                    tokens.next();
                }
                found.push(Header { start, words });
                line_start = false;
                continue;
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket => depth += 1,
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket => depth -= 1,
            _ => {}
        }
        if depth < 0 {
            return None;
        }
        line_start = false;
    }
    Some((found, depth == 0))
}
