//! The locked commits that change between two locks: per (deployment, stage, application), the
//! range `old..new` (also when the branch did not move: a relock), or a commit locked on one
//! side only, with a GitHub compare link when the origin is on GitHub. Counting the commits of
//! a range needs the remote: `edx_matrix_project::git::commit_counts` fills [`CommitChange::count`].

use super::Change;
use crate::lock::{Lock, LockEntry};
use crate::url::redact_url;
use serde::Serialize;

/// One side of a commit change: the branch and the commit locked.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct LockedCommit {
    /// The branch (or tag) the commit was the head of when locked.
    pub branch: String,
    /// The full 40-hex commit id.
    pub commit: String,
}

/// How many commits a range holds, as `git rev-list --count` tells.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommitCount {
    /// Commits in the new commit that are not in the old one (`old..new`).
    pub added: u64,
    /// Commits in the old commit that are not in the new one (`new..old`): more than zero when
    /// the new commit does not descend from the old (a force-push or a rollback).
    pub rolled_back: u64,
}

/// A locked commit that changes, keyed by (deployment, stage, application).
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct CommitChange {
    /// `changed` (locked on both sides, another commit), `added` (locked in the head only) or
    /// `removed` (locked in the base only).
    pub change: Change,
    /// The deployment.
    pub deployment: String,
    /// The stage.
    pub stage: String,
    /// The application.
    pub application: String,
    /// The origin (the head's, or the base's for a removed entry), credential redacted.
    pub origin: String,
    /// The base's locked commit, unless added.
    pub old: Option<LockedCommit>,
    /// The head's locked commit, unless removed.
    pub new: Option<LockedCommit>,
    /// `https://github.com/OWNER/REPO/compare/OLD...NEW` for a changed commit of a GitHub origin
    /// (the same origin on both sides).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compare_url: Option<String>,
    /// The commits of the range, when they were counted (`diff --count-commits`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<CommitCount>,
    /// Why the range was not counted, when counting was asked for and failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count_note: Option<String>,
}

impl CommitChange {
    /// Returns the range `old..new`, each side shortened to `width` characters (a side locked
    /// on one side only is shown alone).
    pub fn range(&self, width: usize) -> String {
        let short = |c: &LockedCommit| c.commit.get(..width).unwrap_or(&c.commit).to_owned();
        match (&self.old, &self.new) {
            (Some(o), Some(n)) => format!("{}..{}", short(o), short(n)),
            (Some(o), None) => short(o),
            (None, Some(n)) => short(n),
            (None, None) => String::new(),
        }
    }

    /// Describes the count for people: `3 commits`, `rolls back 2 commits`, `rolls back 2
    /// commits, adds 1`.
    pub fn count_text(&self) -> Option<String> {
        let c = self.count?;
        let commits = |n: u64| format!("{n} commit{}", if n == 1 { "" } else { "s" });
        Some(match (c.added, c.rolled_back) {
            (a, 0) => commits(a),
            (0, r) => format!("rolls back {}", commits(r)),
            (a, r) => format!("rolls back {}, adds {a}", commits(r)),
        })
    }
}

/// Returns the locked commits that change from `old` to `new`, sorted by (deployment, stage,
/// application). An entry whose commit is the same on both sides is not a change, whatever
/// else changed (its branch or origin is a row change).
pub fn commit_changes(old: &Lock, new: &Lock) -> Vec<CommitChange> {
    let mut out = Vec::new();
    let (mut a, mut b) = (
        old.entries().iter().peekable(),
        new.entries().iter().peekable(),
    );
    loop {
        let order = match (a.peek(), b.peek()) {
            (None, None) => break,
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(x), Some(y)) => x.key().cmp(&y.key()),
        };
        match order {
            std::cmp::Ordering::Less => out.extend(a.next().map(|o| change(Some(o), None))),
            std::cmp::Ordering::Greater => out.extend(b.next().map(|n| change(None, Some(n)))),
            std::cmp::Ordering::Equal => {
                let (Some(o), Some(n)) = (a.next(), b.next()) else {
                    break;
                };
                if o.commit != n.commit {
                    out.push(change(Some(o), Some(n)));
                }
            }
        }
    }
    out
}

fn change(old: Option<&LockEntry>, new: Option<&LockEntry>) -> CommitChange {
    let Some(any) = new.or(old) else {
        unreachable!("a change has at least one side")
    };
    let side = |e: &LockEntry| LockedCommit {
        branch: e.branch.clone(),
        commit: e.commit.clone(),
    };
    // A lock's origin is redacted already; a hand-written one is redacted again, to be sure.
    let origin = redact_url(&any.origin).into_owned();
    let compare_url = match (old, new) {
        (Some(o), Some(n)) if o.origin == n.origin => {
            github_compare_url(&origin, &o.commit, &n.commit)
        }
        _ => None,
    };
    CommitChange {
        change: match (old, new) {
            (Some(_), Some(_)) => Change::Changed,
            (None, _) => Change::Added,
            (Some(_), None) => Change::Removed,
        },
        deployment: any.deployment.clone(),
        stage: any.stage.clone(),
        application: any.application.clone(),
        origin,
        old: old.map(side),
        new: new.map(side),
        compare_url,
        count: None,
        count_note: None,
    }
}

/// Returns GitHub's compare page of `old...new` for a `github.com` origin (`https://`,
/// `ssh://git@` or `git@github.com:` form, with or without `.git`), or `None` for any other
/// host. The link is built from the owner and repository names only: a credential in the
/// origin never reaches it.
pub(crate) fn github_compare_url(origin: &str, old: &str, new: &str) -> Option<String> {
    let origin = redact_url(origin);
    let path = if let Some(rest) = origin.strip_prefix("git@github.com:") {
        rest
    } else {
        let (scheme, rest) = origin.split_once("://")?;
        if !matches!(scheme, "https" | "http" | "ssh" | "git") {
            return None;
        }
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next().unwrap_or(authority);
        if !host.eq_ignore_ascii_case("github.com") {
            return None;
        }
        path
    };
    let path = path.trim_end_matches('/');
    let path = path.strip_suffix(".git").unwrap_or(path);
    let (owner, repo) = path.split_once('/')?;
    let plain = |s: &str| {
        !s.is_empty()
            && !s.starts_with('.')
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    let hex = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_hexdigit());
    (plain(owner) && plain(repo) && hex(old) && hex(new))
        .then(|| format!("https://github.com/{owner}/{repo}/compare/{old}...{new}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_links_drop_credentials_and_other_hosts_get_none() {
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let want = format!("https://github.com/acme-edu/edx-platform/compare/{a}...{b}");
        for origin in [
            "https://github.com/acme-edu/edx-platform",
            "https://github.com/acme-edu/edx-platform.git",
            "https://github.com/acme-edu/edx-platform/",
            "https://x-access-token:ghp_SECRET@github.com/acme-edu/edx-platform",
            "https://ghp_SECRET@github.com/acme-edu/edx-platform.git",
            "ssh://git@github.com/acme-edu/edx-platform.git",
            "git@github.com:acme-edu/edx-platform.git",
        ] {
            assert_eq!(
                github_compare_url(origin, &a, &b).as_deref(),
                Some(want.as_str()),
                "{origin}"
            );
        }
        for origin in [
            "https://gitlab.com/acme-edu/edx-platform",
            "https://github.com.evil.example/acme-edu/edx-platform",
            "https://github.com/acme-edu",
            "https://github.com/acme-edu/edx-platform/tree/x",
            "file:///srv/git/edx-platform.git",
            "/srv/git/github.com/a/b",
        ] {
            assert_eq!(github_compare_url(origin, &a, &b), None, "{origin}");
        }
        // The commits go into the link's path: only hex ids make one.
        let origin = "https://github.com/acme-edu/edx-platform";
        for (old, new) in [
            ("", b.as_str()),
            (a.as_str(), ""),
            ("zz", b.as_str()),
            (a.as_str(), "../x"),
        ] {
            assert_eq!(github_compare_url(origin, old, new), None, "{old}..{new}");
        }
    }
}
