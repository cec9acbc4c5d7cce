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
use super::tree::{Table, Value, build};
use super::{Reader, TomlSourceMap};
use crate::diagnostic::Diagnostic;
use crate::spanned::TomlReader;
use edx_matrix_model::ReleaseMapEntry;
use headers::Header;
use std::ops::Range;

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
    let (headers, balanced) = headers::headers(text)?;
    cut(headers, balanced, text.len())
}

/// The blocks the `headers` of a text of `len` bytes delimit (see [`blocks`]).
fn cut(headers: Vec<Header>, balanced: bool, len: usize) -> Option<Vec<Range<usize>>> {
    let mut blocks: Vec<Range<usize>> = Vec::new();
    let mut in_block = false;
    for Header { start, words } in headers {
        let names_map = words
            .trim_start_matches('[')
            .split(['.', ']'])
            .next()
            .is_some_and(|first| first.contains("map"));
        let quoted = words.contains(['"', '\'']);
        if words == "[[map]]" {
            if let Some(last) = blocks.last_mut().filter(|_| in_block) {
                last.end = start;
            }
            blocks.push(start..len);
            in_block = true;
        } else if words == "[map.apps]" {
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
    }
    balanced.then_some(blocks)
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
///
/// Parsing a block (its tree) is most of the work and needs nothing from the other blocks, so
/// it runs on the machine's other cores ([`edx_matrix_model::parallel`]) while this thread reads the trees
/// in the file's order: the result is the same whatever the number of threads.
pub(super) fn read_blocks(text: &str, blocks: &[Range<usize>]) -> Option<MapRead> {
    // Below 16 blocks (a few thousand entries) a thread costs more than it saves.
    let threads = edx_matrix_model::parallel::threads_for(blocks.len(), 16);
    read_blocks_on(text, blocks, threads)
}

/// How many runs of blocks each parsing thread may have parsed ahead of the reading: enough
/// to keep it busy, few enough that memory stays a few runs' trees.
const AHEAD: usize = 2;

/// The blocks a parsing thread parses and hands over at once: a hand-over per block woke the
/// threads 5,000 times for a million entries (`perf stat`: context switches), each a cost.
const RUN: usize = 16;

/// [`read_blocks`] with `threads` parsing threads (0: everything on this thread).
pub(super) fn read_blocks_on(
    text: &str,
    blocks: &[Range<usize>],
    threads: usize,
) -> Option<MapRead> {
    let parse = |block: &Range<usize>| build::parse(text.get(block.clone())?, block.start);
    let mut read = BlocksRead::new(text);
    if threads == 0 {
        for block in blocks {
            read.block(&parse(block)?)?;
        }
        return Some(read.finish());
    }
    std::thread::scope(|scope| {
        let (receivers, returns): (Vec<_>, Vec<_>) = (0..threads)
            .map(|first| {
                let (sender, receiver) = std::sync::mpsc::sync_channel(AHEAD);
                // The trees come back to be freed where they were allocated: freed on the
                // reading thread, they went to the parsing thread's malloc arena under its
                // lock, which that thread held to allocate (3,000 context switches).
                let (give_back, given_back) = std::sync::mpsc::channel::<Vec<Table<'_>>>();
                scope.spawn(move || {
                    for run in blocks.chunks(RUN).skip(first).step_by(threads) {
                        // `None` at the first block refused: the reading stops there.
                        let trees: Option<Vec<_>> = run.iter().map(parse).collect();
                        let refused = trees.is_none();
                        // A closed channel: the reading stopped at a refused block.
                        if sender.send(trees).is_err() || refused {
                            break;
                        }
                        given_back.try_iter().for_each(drop);
                    }
                    // Until the reading ends (and drops its end of the channel).
                    given_back.iter().for_each(drop);
                });
                (receiver, give_back)
            })
            .unzip();
        // Run `i` was parsed by thread `i % threads`, which sends its runs in order.
        for i in 0..blocks.len().div_ceil(RUN) {
            let trees = receivers[i % threads].recv().ok()??;
            for tree in &trees {
                read.block(tree)?;
            }
            // A parsing thread that has ended has dropped its end: the trees are freed here.
            let _ = returns[i % threads].send(trees);
        }
        Some(read.finish())
    })
}

/// The reading of the blocks' trees, in the file's order.
struct BlocksRead {
    reader: Reader,
    release_map: Vec<ReleaseMapEntry>,
    state: BlockRead,
    fallback: Range<usize>,
}

impl BlocksRead {
    fn new(text: &str) -> Self {
        let reader = Reader {
            toml: TomlReader::new(text),
            map: TomlSourceMap::default(),
        };
        let fallback = reader.toml.fallback();
        Self {
            reader,
            release_map: Vec::new(),
            state: BlockRead::default(),
            fallback,
        }
    }

    /// Reads one block's tree; `None` when it is not exactly one `[[map]]` table.
    fn block(&mut self, tree: &Table<'_>) -> Option<()> {
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
        read_block(
            &mut self.reader,
            table,
            &self.fallback,
            &mut self.state,
            &mut self.release_map,
        );
        Some(())
    }

    fn finish(self) -> MapRead {
        MapRead {
            release_map: self.release_map,
            map: self.reader.map,
            diagnostics: self.reader.toml.into_diagnostics(),
        }
    }
}

mod headers;
#[cfg(test)]
mod lexer_oracle;
#[cfg(test)]
mod scan_props;
#[cfg(test)]
pub(super) mod tests;
