//! Old spellings kept for one release. Each is hidden from help and completion; using one
//! prints one warning on standard error (unless `--quiet`) naming the new spelling.
//!
//! Value parsers run while clap parses, before the output settings exist: they [`record`] the
//! use, and [`flush`] prints it once the command line is parsed.

use crate::output::Output;
use std::sync::Mutex;

/// Uses of old spellings recorded while parsing: (old, new).
static USED: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());

/// Returns the warning for `old` used instead of `new`.
pub(crate) fn warning(old: &str, new: &str) -> String {
    format!("warning: `{old}` is deprecated and will be removed in the next release; use `{new}`")
}

/// Records the use of `old` instead of `new`, printed by [`flush`].
pub(crate) fn record(old: &str, new: &str) {
    // A poisoned lock only means another thread panicked while pushing: keep what is there.
    let mut used = USED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let entry = (old.to_owned(), new.to_owned());
    if !used.contains(&entry) {
        used.push(entry);
    }
}

/// Prints the warnings [`record`] collected (unless `--quiet`), once each.
pub(crate) fn flush(out: &Output) {
    let used = std::mem::take(
        &mut *USED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner),
    );
    for (old, new) in used {
        out.note(&warning(&old, &new));
    }
}

/// Prints the warning for `old` used instead of `new` now (unless `--quiet`).
pub(crate) fn warn(out: &Output, old: &str, new: &str) {
    out.note(&warning(old, new));
}
