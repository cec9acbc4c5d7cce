//! [`discover_releases`]: finding named Open edX releases among a repository's refs.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::RemoteRef;

/// A named Open edX release found upstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UpstreamRelease {
    /// The release name, lowercase letters only (`palm`, `ulmo`).
    pub name: String,
    /// The branch carrying the release, without `refs/heads/` (`release/ulmo` or
    /// `open-release/palm.master`), if there is one.
    pub branch: Option<String>,
    /// The release's tags, without `refs/tags/` (`open-release/palm.1`,
    /// `release/teak.2`), in version order.
    pub tags: Vec<String>,
}

/// Finds the named releases among `refs`, sorted by name.
///
/// Recognised refs, where `<name>` is lowercase ASCII letters and `<n>` is any
/// non-empty suffix (`1`, `2a`, `3.rc1`):
///
/// - branches `refs/heads/release/<name>` (Teak and later) and
///   `refs/heads/open-release/<name>.master` (before Teak); when a release has both,
///   the branch is `release/<name>`;
/// - tags `refs/tags/release/<name>.<n>` and `refs/tags/open-release/<name>.<n>`.
///
/// Anything else, including a branch named like a tag (`refs/heads/release/teak.1`),
/// is ignored.
///
/// ```
/// use edx_matrix_git::{RemoteRef, discover_releases};
///
/// let refs = ["refs/heads/release/ulmo", "refs/tags/release/ulmo.1", "refs/heads/main"]
///     .map(|name| RemoteRef { name: name.to_owned(), oid: "0".repeat(40) });
/// let releases = discover_releases(&refs);
/// assert_eq!(releases.len(), 1);
/// assert_eq!(releases[0].name, "ulmo");
/// assert_eq!(releases[0].branch.as_deref(), Some("release/ulmo"));
/// assert_eq!(releases[0].tags, ["release/ulmo.1"]);
/// ```
#[must_use]
pub fn discover_releases(refs: &[RemoteRef]) -> Vec<UpstreamRelease> {
    #[derive(Default)]
    struct Found<'a> {
        current: Option<&'a str>,
        legacy: Option<&'a str>,
        tags: Vec<(&'a str, &'a str)>,
    }

    let mut found: BTreeMap<&str, Found<'_>> = BTreeMap::new();
    for r in refs {
        if let Some(branch) = r.name.strip_prefix("refs/heads/") {
            if let Some(name) = branch.strip_prefix("release/").filter(|n| is_name(n)) {
                found.entry(name).or_default().current = Some(branch);
            } else if let Some(name) = branch
                .strip_prefix("open-release/")
                .and_then(|rest| rest.strip_suffix(".master"))
                .filter(|n| is_name(n))
            {
                found.entry(name).or_default().legacy = Some(branch);
            }
        } else if let Some(tag) = r.name.strip_prefix("refs/tags/") {
            let Some(rest) = tag
                .strip_prefix("release/")
                .or_else(|| tag.strip_prefix("open-release/"))
            else {
                continue;
            };
            let Some((name, suffix)) = rest.split_once('.') else {
                continue;
            };
            if is_name(name) && !suffix.is_empty() && !suffix.ends_with("^{}") {
                found.entry(name).or_default().tags.push((suffix, tag));
            }
        }
    }

    found
        .into_iter()
        .map(|(name, mut f)| {
            f.tags
                .sort_by(|a, b| natural_cmp(a.0, b.0).then_with(|| a.1.cmp(b.1)));
            f.tags.dedup_by(|a, b| a.1 == b.1);
            UpstreamRelease {
                name: name.to_owned(),
                branch: f.current.or(f.legacy).map(str::to_owned),
                tags: f.tags.into_iter().map(|(_, tag)| tag.to_owned()).collect(),
            }
        })
        .collect()
}

fn is_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(|b| b.is_ascii_lowercase())
}

/// Compares version suffixes so that `2` < `2a` < `10`: runs of digits compare as
/// numbers, everything else byte by byte.
fn natural_cmp(a: &str, b: &str) -> Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let da = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let db = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let na = trim_zeros(&a[..da]);
                let nb = trim_zeros(&b[..db]);
                let order = na.len().cmp(&nb.len()).then_with(|| na.cmp(nb));
                if order != Ordering::Equal {
                    return order;
                }
                a = &a[da..];
                b = &b[db..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&c| c == b'0').count();
    &digits[zeros..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(names: &[&str]) -> Vec<RemoteRef> {
        names
            .iter()
            .map(|name| RemoteRef {
                name: (*name).to_owned(),
                oid: "0".repeat(40),
            })
            .collect()
    }

    #[test]
    fn prefers_release_branch_over_open_release_master() {
        let found = discover_releases(&refs(&[
            "refs/heads/release/teak",
            "refs/heads/open-release/teak.master",
            "refs/heads/open-release/sumac.master",
        ]));
        let branches: Vec<_> = found
            .iter()
            .map(|r| (r.name.as_str(), r.branch.as_deref()))
            .collect();
        assert_eq!(
            branches,
            [
                ("sumac", Some("open-release/sumac.master")),
                ("teak", Some("release/teak"))
            ]
        );
    }

    #[test]
    fn orders_tags_by_version() {
        let found = discover_releases(&refs(&[
            "refs/tags/open-release/palm.10",
            "refs/tags/open-release/palm.2a",
            "refs/tags/open-release/palm.2",
            "refs/tags/open-release/palm.1",
            "refs/tags/open-release/palm.1^{}",
        ]));
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].branch, None);
        assert_eq!(
            found[0].tags,
            [
                "open-release/palm.1",
                "open-release/palm.2",
                "open-release/palm.2a",
                "open-release/palm.10"
            ]
        );
    }

    #[test]
    fn ignores_other_refs() {
        let found = discover_releases(&refs(&[
            "refs/heads/main",
            "refs/heads/master",
            "refs/heads/feature/x",
            "refs/heads/release/teak.1",
            "refs/heads/release/Teak",
            "refs/heads/release/teak2",
            "refs/heads/release/",
            "refs/heads/open-release/palm.nightly",
            "refs/heads/open-release/palm",
            "refs/tags/release/teak",
            "refs/tags/release/teak.",
            "refs/tags/release/Teak.1",
            "refs/tags/v1.0",
            "refs/pull/1/head",
        ]));
        assert_eq!(found, []);
    }

    #[test]
    fn compares_naturally() {
        assert_eq!(natural_cmp("2", "10"), Ordering::Less);
        assert_eq!(natural_cmp("02", "2"), Ordering::Equal);
        assert_eq!(natural_cmp("2a", "2"), Ordering::Greater);
        assert_eq!(natural_cmp("3.rc1", "3.rc2"), Ordering::Less);
    }
}
