//! Counting a range in a shallow cache repository, and whether the count is exact. A shallow
//! fetch cuts the history at its boundary commits (listed in the repository's `shallow` file):
//! a walk of `OLD..NEW` that reaches one stops there, so its count is only a lower bound. The
//! walk lists its commits, and a boundary among them says so.

use std::collections::HashSet;

use crate::git::upstream::fetch::CacheRepo;

/// The largest `rev-list` output read (41 bytes a commit: about 400,000 commits).
const MAX_LIST: u64 = 16 * 1024 * 1024;

/// A range walked: how many commits, and whether the walk stopped at a shallow boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Walk {
    pub commits: u64,
    pub cut: bool,
}

/// The boundary commits of the cache repository's shallow history (none when it is complete).
pub(super) fn shallow_commits(repo: &CacheRepo<'_>) -> HashSet<String> {
    std::fs::read_to_string(repo.dir().join("shallow"))
        .map(|text| text.lines().map(|l| l.trim().to_owned()).collect())
        .unwrap_or_default()
}

/// Walks `range` (`OLD..NEW`) without fetching anything, counting its commits.
pub(super) fn walk(
    repo: &CacheRepo<'_>,
    range: &str,
    shallow: &HashSet<String>,
) -> Result<Walk, String> {
    let out = repo
        .git_in(&["--no-lazy-fetch", "rev-list", range, "--"], MAX_LIST)
        .map_err(|e| format!("not counted: {}", super::reason(&e)))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let mut walk = Walk {
        commits: 0,
        cut: false,
    };
    for id in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        walk.commits += 1;
        walk.cut |= shallow.contains(id);
    }
    Ok(walk)
}
