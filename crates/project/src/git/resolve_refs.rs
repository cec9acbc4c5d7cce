//! [`resolve_refs`]: the commit each wanted branch or tag points at, for `edx-matrix lock` —
//! the `verify-refs` machinery (one listing per origin, concurrently, bounded output), keeping
//! the object ids.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::git::verify::{distinct_origins, list_all};
use crate::git::{Progress, RemoteError, RemoteRefs, WantedRef};

/// What [`resolve_refs`] found.
#[derive(Debug, Default, Serialize)]
pub struct ResolvedRefs {
    /// How many distinct origins were listed (one `ls-remote` each, retries aside).
    pub checked_origins: usize,
    /// The commit of every wanted ref found (an annotated tag's peeled commit).
    pub commits: BTreeMap<WantedRef, String>,
    /// Wanted refs whose origin answered without them, sorted.
    pub missing: Vec<WantedRef>,
    /// Origins that could not be listed, with the last error, sorted by origin.
    pub unreachable: Vec<(String, RemoteError)>,
}

impl ResolvedRefs {
    /// Tells whether every wanted ref was resolved.
    #[must_use]
    pub fn is_ok(&self) -> bool {
        self.missing.is_empty() && self.unreachable.is_empty()
    }
}

/// Resolves every wanted ref to the commit its origin advertises for it, listing each distinct
/// origin once as [`verify_refs`](crate::git::verify_refs) does (same precedence: `refs/heads/` before
/// `refs/tags/`, or the exact name when it starts with `refs/`).
pub fn resolve_refs(
    remote: &dyn RemoteRefs,
    wanted: &[WantedRef],
    jobs: usize,
    retries: u32,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> ResolvedRefs {
    let wanted: BTreeSet<&WantedRef> = wanted.iter().collect();
    let origins = distinct_origins(&wanted);
    let listed = list_all(remote, &origins, jobs, retries, on_progress);
    let mut report = ResolvedRefs {
        checked_origins: origins.len(),
        ..ResolvedRefs::default()
    };
    let mut refs: HashMap<&str, HashMap<String, String>> = HashMap::new();
    for (origin, result) in listed {
        match result {
            Ok(list) => {
                refs.insert(origin, list.into_iter().map(|r| (r.name, r.oid)).collect());
            }
            Err(err) => report.unreachable.push((origin.to_owned(), err)),
        }
    }
    for want in wanted {
        let Some(names) = refs.get(want.origin.as_str()) else {
            continue;
        };
        let found = if want.branch.starts_with("refs/") {
            names.get(&want.branch)
        } else {
            names
                .get(&format!("refs/heads/{}", want.branch))
                .or_else(|| names.get(&format!("refs/tags/{}", want.branch)))
        };
        match found {
            Some(oid) => {
                report.commits.insert(want.clone(), oid.clone());
            }
            None => report.missing.push(want.clone()),
        }
    }
    report
}
