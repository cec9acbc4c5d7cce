//! The branch heads the server has been told of by push webhooks (`POST /api/v1/hooks/push`),
//! in memory only, for the (repository, branch) pairs the served matrix builds: what the
//! dashboard compares each locked commit with. Nothing is fetched: a branch no push was seen
//! for since the server started is "not checked".
//!
//! A repository is known by its key, `host/path` lowercased without scheme, port, credential or
//! `.git` (the same repository whatever URL form the matrix or the payload uses), so no URL a
//! credential could be in is ever stored or shown.

use edx_matrix_model::format_timestamp;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::Mutex;

/// The most (repository, branch) heads kept: a bound on memory whatever the pushes; the
/// matrix's pairs are far fewer.
pub(crate) const MAX_HEADS: usize = 10_000;

/// The all-zero id a push of a deleted branch has as its new head.
const DELETED: &str = "0000000000000000000000000000000000000000";

/// A branch head as a push reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Head {
    /// The new head (40 hex; all zeros for a deleted branch).
    pub commit: String,
    /// When the push was received, in seconds since the epoch (the server's clock).
    pub seen_at: i64,
    /// Whether the push said it was forced (GitHub's `forced`; GitLab does not say).
    pub forced: bool,
}

/// The heads seen, keyed by (repository key, branch).
#[derive(Debug, Default)]
pub(crate) struct BranchHeads {
    heads: Mutex<HashMap<(String, String), Head>>,
}

impl BranchHeads {
    /// Records `head` as the head of `branch` of the repository `key`; `false` when the store
    /// is full and the pair is new (nothing recorded).
    pub(crate) fn record(&self, key: String, branch: String, head: Head) -> bool {
        let mut heads = self.heads.lock().unwrap_or_else(|e| e.into_inner());
        let pair = (key, branch);
        if heads.len() >= MAX_HEADS && !heads.contains_key(&pair) {
            return false;
        }
        heads.insert(pair, head);
        true
    }

    /// Returns the head last seen of `branch` of the repository at `origin` (any URL form).
    pub(crate) fn get(&self, origin: &str, branch: &str) -> Option<Head> {
        let key = repo_key(origin)?;
        let heads = self.heads.lock().unwrap_or_else(|e| e.into_inner());
        heads.get(&(key, branch.to_owned())).cloned()
    }

    /// Compares `commit`, locked on `branch` of `origin`, with the head last seen there.
    pub(crate) fn status(&self, origin: &str, branch: &str, commit: &str) -> HeadStatus {
        match self.get(origin, branch) {
            None => HeadStatus::NotChecked,
            Some(head) if head.commit == commit => HeadStatus::Matches(head),
            Some(head) if head.commit == DELETED => HeadStatus::Deleted(head),
            Some(head) if head.forced => HeadStatus::ForcePushed(head),
            Some(head) => HeadStatus::Behind(head),
        }
    }
}

/// A locked commit against its branch's head, as far as pushes told.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum HeadStatus {
    /// No push of the branch seen since the server started.
    NotChecked,
    /// The head seen is the locked commit.
    Matches(Head),
    /// The head seen is another commit, pushed without force: the branch moved on since the
    /// lock (`edx-matrix verify-refs --locked` proves the commit is still on it).
    Behind(Head),
    /// The head seen is another commit, pushed with force: the locked commit may be gone.
    ForcePushed(Head),
    /// The branch was deleted.
    Deleted(Head),
}

impl HeadStatus {
    /// The status's name in the API: `not-checked`, `matches`, `behind`, `force-pushed`,
    /// `deleted`.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            HeadStatus::NotChecked => "not-checked",
            HeadStatus::Matches(_) => "matches",
            HeadStatus::Behind(_) => "behind",
            HeadStatus::ForcePushed(_) => "force-pushed",
            HeadStatus::Deleted(_) => "deleted",
        }
    }

    fn head(&self) -> Option<&Head> {
        match self {
            HeadStatus::NotChecked => None,
            HeadStatus::Matches(h)
            | HeadStatus::Behind(h)
            | HeadStatus::ForcePushed(h)
            | HeadStatus::Deleted(h) => Some(h),
        }
    }

    /// What the stage page says: `matches branch head (seen at …)`, `behind branch head (head
    /// 0123456789ab, seen at …)`, ….
    pub(crate) fn text(&self) -> String {
        let Some(h) = self.head() else {
            return "branch head: not checked".to_owned();
        };
        let seen = format_timestamp(h.seen_at);
        let short = h.commit.get(..12).unwrap_or(&h.commit);
        match self {
            HeadStatus::Matches(_) => format!("matches branch head (seen at {seen})"),
            HeadStatus::Behind(_) => format!("behind branch head (head {short}, seen at {seen})"),
            HeadStatus::ForcePushed(_) => {
                format!("branch force-pushed (head {short}, seen at {seen})")
            }
            _ => format!("branch deleted (seen at {seen})"),
        }
    }

    /// The API's `branch_head`: `{ status, head, seen_at }` (only `status` when not checked).
    pub(crate) fn json(&self) -> Value {
        match self.head() {
            None => json!({ "status": self.name() }),
            Some(h) => json!({
                "status": self.name(),
                "head": h.commit,
                "seen_at": format_timestamp(h.seen_at),
            }),
        }
    }
}

/// Seconds since the epoch of `at` (negative before 1970).
pub(crate) fn seconds_since_epoch(at: std::time::SystemTime) -> i64 {
    match at.duration_since(std::time::UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |s| -s),
    }
}

/// Returns the key of the repository at `url`: `host/path`, lowercased, without scheme,
/// credential, port, trailing `/` or `.git`; `git@host:path` (scp-like) counts as
/// `host/path`. `None` for what names no host and path.
pub(crate) fn repo_key(url: &str) -> Option<String> {
    let url = url.trim();
    let (authority, path) = match url.split_once("://") {
        Some((_, rest)) => rest.split_once('/')?,
        // `user@host:path`, git's scp-like form (a local path has no `:` before a `/`).
        None => {
            let (host, path) = url.split_once(':')?;
            if host.contains('/') {
                return None;
            }
            (host, path)
        }
    };
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host.rsplit_once(':') {
        Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => host,
    };
    let path = path.trim_matches('/');
    let path = path
        .strip_suffix(".git")
        .unwrap_or(path)
        .trim_end_matches('/');
    if host.is_empty() || path.is_empty() {
        return None;
    }
    Some(format!("{host}/{path}").to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_url_form_of_a_repository_has_one_key() {
        for url in [
            "https://github.com/Acme-Edu/edx-platform",
            "https://github.com/acme-edu/edx-platform.git",
            "https://x-access-token:secret@github.com/acme-edu/edx-platform/",
            "https://***@github.com/acme-edu/edx-platform",
            "ssh://git@github.com:22/acme-edu/edx-platform.git",
            "git@github.com:acme-edu/edx-platform.git",
            "git://github.com/acme-edu/edx-platform.git",
        ] {
            assert_eq!(
                repo_key(url).as_deref(),
                Some("github.com/acme-edu/edx-platform"),
                "{url}"
            );
        }
        assert_eq!(repo_key("/srv/git/edx-platform"), None);
        assert_eq!(repo_key("https://github.com/"), None);
        assert_eq!(repo_key("https://github.com"), None);
    }

    #[test]
    fn a_full_store_keeps_its_pairs_and_refuses_new_ones() {
        let heads = BranchHeads::default();
        let head = |c: char| Head {
            commit: c.to_string().repeat(40),
            seen_at: 0,
            forced: false,
        };
        for i in 0..MAX_HEADS {
            assert!(heads.record(format!("h/r{i}"), "main".into(), head('a')));
        }
        assert!(!heads.record("h/new".into(), "main".into(), head('a')));
        assert!(heads.record("h/r0".into(), "main".into(), head('b')));
        assert_eq!(heads.get("https://h/r0", "main"), Some(head('b')));
        assert_eq!(heads.get("https://h/new", "main"), None);
    }

    #[test]
    fn statuses_compare_the_locked_commit_with_the_head_seen() {
        let heads = BranchHeads::default();
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let origin = "https://github.com/o/r";
        assert_eq!(heads.status(origin, "main", &a), HeadStatus::NotChecked);
        let at = |commit: &str, forced| Head {
            commit: commit.to_owned(),
            seen_at: 1_796_464_800,
            forced,
        };
        heads.record("github.com/o/r".into(), "main".into(), at(&a, true));
        let status = heads.status(origin, "main", &a);
        assert_eq!(
            status.text(),
            "matches branch head (seen at 2026-12-05T10:00:00Z)"
        );
        assert_eq!(heads.status(origin, "other", &a), HeadStatus::NotChecked);
        heads.record("github.com/o/r".into(), "main".into(), at(&b, false));
        assert_eq!(
            heads.status(origin, "main", &a).text(),
            "behind branch head (head bbbbbbbbbbbb, seen at 2026-12-05T10:00:00Z)"
        );
        heads.record("github.com/o/r".into(), "main".into(), at(&b, true));
        assert_eq!(heads.status(origin, "main", &a).name(), "force-pushed");
        heads.record("github.com/o/r".into(), "main".into(), at(DELETED, false));
        assert_eq!(
            heads.status(origin, "main", &a).json(),
            json!({"status": "deleted", "head": DELETED, "seen_at": "2026-12-05T10:00:00Z"})
        );
    }
}
