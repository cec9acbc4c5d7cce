//! Loading many revisions of the file as Projects, on several threads, in commit order.

use super::pins::Pins;
use super::{Revision, first_error, load_text};
use crate::{Format, Project};
use std::num::NonZeroUsize;
use std::path::Path;
use std::thread;

/// Loads the text of each revision (or takes why it has none), in order: the matrix's stage pins,
/// or why the revision is skipped. Loading is almost all of `history`'s time, so a long history is split
/// into contiguous runs loaded on one thread per core (at most 8).
pub(super) fn load_revisions(
    revisions: Vec<Revision>,
    format: Option<Format>,
) -> Vec<Result<Pins, String>> {
    let load = |revision: Revision| -> Result<Pins, String> {
        let path = &revision.path;
        let name = format!("{}:{path}", revision.commit.short_hash);
        let loaded = match format {
            Some(format) => Project::from_text(name, format, revision.text?),
            None => load_text(Path::new(path), name, revision.text?),
        };
        if loaded.has_errors() {
            Err(first_error(&loaded.loaded))
        } else {
            Ok(Pins::from(loaded.matrix()))
        }
    };
    let threads = thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(8);
    if threads < 2 || revisions.len() < 2 * PER_THREAD_AT_LEAST {
        return revisions.into_iter().map(load).collect();
    }
    let run = revisions.len().div_ceil(threads).max(PER_THREAD_AT_LEAST);
    let mut items = revisions.into_iter();
    let mut runs = Vec::new();
    loop {
        let next: Vec<_> = items.by_ref().take(run).collect();
        if next.is_empty() {
            break;
        }
        runs.push(next);
    }
    thread::scope(|scope| {
        let handles: Vec<_> = runs
            .into_iter()
            .map(|run| scope.spawn(move || run.into_iter().map(load).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| {
                h.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// Below this many revisions per thread, starting threads costs more than it saves.
pub(super) const PER_THREAD_AT_LEAST: usize = 32;
