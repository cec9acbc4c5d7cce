//! The large-file read path: the `[[map]]` blocks parsed and read one at a time.
//!
//! A million-entry matrix is a few thousand `[[map]]` blocks of a few hundred applications, and
//! `toml_edit`'s document of the whole 18 MB file (with its token vector) was most of `check`'s
//! 943 MiB (docs/benchmarks.md). Here the text is cut at its table headers with
//! `toml_parser`'s lexer (no token vector, no document): each block's text is parsed on its
//! own, read into the release map and dropped, and the rest of the file (the pieces between the
//! blocks) is one small tree for the other sections (`toml_edit` parses it, the blocks blanked
//! out and every byte offset unchanged, only for a section outside the matrix).
//!
//! Only the plain layout is cut: every header naming `map` is exactly `[[map]]` or, after one,
//! `[map.apps]`, and the rest has no `map` key. Anything else (and any piece the tree builder
//! refuses, every syntax error among them) goes back to the whole-document path, so
//! diagnostics are the same by construction. Each piece is parsed with the file's spans (the
//! builder is given its offset).

use super::map::{BlockRead, read_block};
use super::tree::{Value, build};
use super::{Reader, TomlSourceMap};
use crate::diagnostic::Diagnostic;
use crate::spanned::TomlReader;
use edx_matrix_model::ReleaseMapEntry;
use std::ops::Range;
use toml_parser::Source;
use toml_parser::lexer::TokenKind;

/// Files from this size are read block by block (below it, one document is cheaper: cutting
/// the text lexes it once more).
pub(super) const SPLIT_FROM: usize = 256 * 1024;

/// The `[[map]]` blocks, already read: what [`read_map`](super::map) would have produced.
#[derive(Debug, Default)]
pub(super) struct MapRead {
    pub(super) release_map: Vec<ReleaseMapEntry>,
    pub(super) map: TomlSourceMap,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// Cuts `text` into its `[[map]]` blocks (each from its `[[map]]` to the next header that is not
/// its `[map.apps]`) and the rest, or `None` when the layout is not the plain one.
pub(super) fn blocks(text: &str) -> Option<Vec<Range<usize>>> {
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

/// Returns `text` with the `blocks` blanked out (every byte but newlines a space), so that the
/// rest parses with the same spans.
pub(super) fn rest(text: &str, blocks: &[Range<usize>]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for block in blocks {
        for byte in &mut bytes[block.clone()] {
            if *byte != b'\n' {
                *byte = b' ';
            }
        }
    }
    // Every byte of a block became ASCII; the others are `text`'s own.
    String::from_utf8(bytes).unwrap_or_default()
}

/// The text between the `blocks` (the file without them), as ranges.
pub(super) fn gaps(text: &str, blocks: &[Range<usize>]) -> Vec<Range<usize>> {
    let mut gaps = Vec::with_capacity(blocks.len() + 1);
    let mut at = 0;
    for block in blocks {
        if block.start > at {
            gaps.push(at..block.start);
        }
        at = block.end;
    }
    if at < text.len() {
        gaps.push(at..text.len());
    }
    gaps
}

/// Parses and reads each block on its own, with the file's spans; `None` when a block is one
/// the tree builder leaves to `toml_edit` (the whole document then reports any error) or is
/// not one `[[map]]` table.
pub(super) fn read_blocks(text: &str, blocks: &[Range<usize>]) -> Option<MapRead> {
    let mut reader = Reader {
        toml: TomlReader::new(text),
        map: TomlSourceMap::default(),
    };
    let mut release_map = Vec::new();
    let mut state = BlockRead::default();
    let fallback = reader.toml.fallback();
    for block in blocks {
        let tree = build::parse(text.get(block.clone())?, block.start)?;
        let Some(Value::ArrayOfTables(tables)) = tree.get("map").map(|n| &n.value) else {
            return None;
        };
        let [table] = tables.as_slice() else {
            return None;
        };
        let table = table.as_table_like()?;
        if tree.len() != 1 {
            return None;
        }
        read_block(&mut reader, table, &fallback, &mut state, &mut release_map);
    }
    Some(MapRead {
        release_map,
        map: reader.map,
        diagnostics: reader.toml.into_diagnostics(),
    })
}

#[cfg(test)]
pub(super) mod tests;
