//! The cut as it was made with `toml_parser`'s lexer, kept as the oracle of the byte scan
//! (`headers.rs`): on valid TOML both must cut at the same offsets, and the scan may give up
//! only where the lexer's cut would give up or fail to parse.

use std::ops::Range;
use toml_parser::Source;
use toml_parser::lexer::TokenKind;

/// The `[[map]]` blocks found from `toml_parser`'s tokens (the code the scan replaced).
pub(super) fn blocks_by_lexer(text: &str) -> Option<Vec<Range<usize>>> {
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut in_block = false;
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
                // A header: its words up to the end of the line.
                let start = span.start();
                let mut header = String::from("[");
                while let Some(next) = tokens.peek() {
                    match next.kind() {
                        TokenKind::Newline | TokenKind::Comment | TokenKind::Eof => break,
                        TokenKind::Whitespace => {}
                        _ => header.push_str(&text[next.span().start()..next.span().end()]),
                    }
                    tokens.next();
                }
                let names_map = header
                    .trim_start_matches('[')
                    .split(['.', ']'])
                    .next()
                    .is_some_and(|first| first.contains("map"));
                let quoted = header.contains(['"', '\'']);
                if header == "[[map]]" {
                    if let Some(last) = blocks.last_mut().filter(|_| in_block) {
                        last.end = start;
                    }
                    blocks.push(start..text.len());
                    in_block = true;
                } else if header == "[map.apps]" {
                    if !in_block {
                        return None;
                    }
                } else if names_map || quoted {
                    return None;
                } else if in_block {
                    if let Some(last) = blocks.last_mut() {
                        last.end = start;
                    }
                    in_block = false;
                }
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
    (depth == 0).then_some(blocks)
}
