//! The large-file read path: the `[[map]]` blocks parsed and read one at a time.
//!
//! A million-entry matrix is a few thousand `[[map]]` blocks of a few hundred applications, and
//! `toml_edit`'s document of the whole 18 MB file (with its token vector) was most of `check`'s
//! 943 MiB (docs/benchmarks.md). Here the text is cut at its table headers with
//! `toml_parser`'s lexer (no token vector, no document): each block's text is parsed on its
//! own, read into the release map and dropped, and the rest of the file (the blocks blanked
//! out, every byte offset unchanged) is one small document for the other sections.
//!
//! Only the plain layout is cut: every header naming `map` is exactly `[[map]]` or, after one,
//! `[map.apps]`, and the rest has no `map` key. Anything else (and any syntax error in a piece)
//! goes back to the whole-document path, so diagnostics are the same by construction: the
//! spans of a block, parsed from offset 0, are moved to the block's place in the file.

use super::map::{BlockRead, read_block};
use super::source_map::BlockSpans;
use super::{Reader, Span, TomlSourceMap};
use crate::diagnostic::{Diagnostic, Location};
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

/// Parses and reads each block on its own; `None` when a block does not parse (the whole
/// document then reports the error) or is not one `[[map]]` table.
pub(super) fn read_blocks(text: &str, blocks: &[Range<usize>]) -> Option<MapRead> {
    let mut reader = Reader {
        toml: TomlReader::new(text),
        map: TomlSourceMap::default(),
    };
    let mut release_map = Vec::new();
    let mut state = BlockRead::default();
    let mut diagnostics = Vec::new();
    for block in blocks {
        let piece = &text[block.clone()];
        let doc = toml_edit::Document::parse(piece).ok()?;
        let root = doc.as_table();
        let tables = root.get("map")?.as_array_of_tables()?;
        if root.len() != 1 || tables.len() != 1 {
            return None;
        }
        let table = tables.get(0)?;
        // The block is read with spans from its own offset 0, then moved into place.
        let whole = std::mem::replace(&mut reader.toml, TomlReader::new(piece));
        let fallback = reader.toml.fallback();
        let mut entries = std::mem::take(&mut release_map);
        read_block(&mut reader, table, &fallback, &mut state, &mut entries);
        release_map = entries;
        let moved = Moved {
            offset: block.start,
            fallback,
            whole: whole.fallback(),
        };
        let found = std::mem::replace(&mut reader.toml, whole).into_diagnostics();
        diagnostics.extend(found.into_iter().map(|d| moved.diagnostic(d)));
        if let Some(spans) = reader.map.blocks.last_mut() {
            moved.block(spans);
        }
    }
    diagnostics.extend(reader.toml.into_diagnostics());
    Some(MapRead {
        release_map,
        map: reader.map,
        diagnostics,
    })
}

/// Moves spans read from a block's own text to the block's place in the file.
struct Moved {
    offset: usize,
    /// The block reader's fallback (its offset 0): it stands for the file's own fallback. No
    /// span of a block's text is `0..1` otherwise: offset 0 is the `[` of `[[map]]`.
    fallback: Span,
    whole: Span,
}

impl Moved {
    fn span(&self, span: &mut Span) {
        if *span == self.fallback {
            *span = self.whole.clone();
        } else {
            *span = span.start + self.offset..span.end + self.offset;
        }
    }

    fn location(&self, location: &mut Location) {
        if let Location::Span(span) = location {
            self.span(span);
        }
    }

    fn diagnostic(&self, mut d: Diagnostic) -> Diagnostic {
        self.location(&mut d.location);
        for secondary in &mut d.secondary {
            self.location(&mut secondary.location);
        }
        d
    }

    fn block(&self, spans: &mut BlockSpans) {
        self.span(&mut spans.header);
        spans.releases.iter_mut().for_each(|s| self.span(s));
        spans.deployments.iter_mut().for_each(|s| self.span(s));
        for app in &mut spans.apps {
            self.span(&mut app.key);
            if let Some(values) = app.values.as_deref_mut() {
                for span in [
                    &mut values.release,
                    &mut values.branch,
                    &mut values.origin,
                    &mut values.runtime,
                ]
                .into_iter()
                .flatten()
                {
                    self.span(span);
                }
                values.translations.iter_mut().for_each(|s| self.span(s));
                values.extra.iter_mut().for_each(|s| self.span(s));
            }
        }
    }
}

#[cfg(test)]
mod tests;
