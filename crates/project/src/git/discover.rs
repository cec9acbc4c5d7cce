//! [`discover_releases`]: finding named Open edX releases among a repository's refs; and
//! [`compare_with`]: how each stands against a matrix (`edx-matrix discover`).

use std::cmp::Ordering;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use edx_matrix_model::Matrix;
use edx_matrix_model::compare_releases;

use crate::git::RemoteRef;

/// How an upstream release relates to the matrix.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Standing {
    /// The matrix has it, on the same branch.
    InMatrix,
    /// The matrix has it on another branch.
    BranchDiffers,
    /// The matrix lacks it and it is newer than every named release of the matrix.
    New,
    /// The matrix lacks it, but it is older than the newest named release (retired or skipped).
    Older,
}

/// An upstream release and how it stands against the matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compared<'u> {
    /// The upstream release.
    pub upstream: &'u UpstreamRelease,
    /// How it stands.
    pub standing: Standing,
    /// The matrix's branch for the release, when the matrix has it.
    pub matrix_branch: Option<String>,
}

/// The upstream releases against a matrix. (No release of the matrix lends a new one its
/// Python or Node version: `discover` reads them upstream, issue 27.)
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison<'u> {
    /// Every upstream release, in the upstream order.
    pub releases: Vec<Compared<'u>>,
}

/// Compares the `upstream` releases with the releases of `matrix`.
///
/// A release the matrix lacks is [`Standing::New`] unless its name sorts at or before the
/// newest named (not rolling) release of the matrix, as Open edX names releases in
/// alphabetical order; then it is [`Standing::Older`].
pub fn compare_with<'u>(matrix: &Matrix, upstream: &'u [UpstreamRelease]) -> Comparison<'u> {
    let newest_named = matrix
        .releases
        .iter()
        .filter(|r| !r.rolling)
        .max_by(|a, b| compare_releases(a, b));
    let releases = upstream
        .iter()
        .map(|u| {
            let have = matrix.release(&u.name);
            let standing = match have {
                Some(r) if Some(r.branch.as_str()) == u.branch.as_deref() => Standing::InMatrix,
                Some(_) => Standing::BranchDiffers,
                None => match newest_named {
                    Some(newest) if u.name <= newest.name.as_str().to_ascii_lowercase() => {
                        Standing::Older
                    }
                    _ => Standing::New,
                },
            };
            Compared {
                upstream: u,
                standing,
                matrix_branch: have.map(|r| r.branch.to_string()),
            }
        })
        .collect();
    Comparison { releases }
}

/// The repository whose releases `discover` lists by default: edx-platform's in the matrix,
/// else the standard catalogue's.
pub fn default_repository(matrix: &Matrix) -> Option<String> {
    matrix
        .application("edx-platform")
        .and_then(|app| app.repository.as_ref())
        .map(ToString::to_string)
        .or_else(|| {
            edx_matrix_formats::standard("edx-platform")
                .and_then(|app| app.repository)
                .map(str::to_owned)
        })
}

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
/// use edx_matrix_project::git::{RemoteRef, discover_releases};
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

/// An upstream release name: lower-case letters, and a name `release add` accepts (at most
/// [`MAX_NAME_LEN`](edx_matrix_model::names::MAX_NAME_LEN) bytes), so `discover` never suggests
/// one the matrix would refuse (a 200-character branch used to be suggested, issue 22).
fn is_name(name: &str) -> bool {
    !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_lowercase())
        && edx_matrix_model::names::is_valid_name(name)
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
    fn ignores_names_release_add_refuses() {
        let long = "a".repeat(200);
        let found = discover_releases(&refs(&[
            &format!("refs/heads/release/{long}"),
            "refs/heads/release/ulmo",
        ]));
        let names: Vec<&str> = found.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["ulmo"]);
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

    /// A matrix with these releases and one application, `app = { ... }`.
    fn matrix(releases: &str, app: &str) -> Matrix {
        let name = app.split_whitespace().next().unwrap_or_default();
        let text = format!(
            "stages = [\"CI\"]\n[releases]\n{releases}\n[applications]\n{app}\n\
             [deployments]\nsite = {{ CI = \"ulmo\" }}\n\
             [[map]]\nreleases = [\"ulmo\"]\ndeployments = [\"site\"]\n[map.apps]\n{name} = {{}}\n"
        );
        let loaded = edx_matrix_formats::load_toml(edx_matrix_formats::Source::new("t.toml", text));
        assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
        loaded.matrix
    }

    fn upstream(name: &str, branch: Option<&str>) -> UpstreamRelease {
        UpstreamRelease {
            name: name.to_owned(),
            branch: branch.map(str::to_owned),
            tags: Vec::new(),
        }
    }

    #[test]
    fn upstream_releases_stand_against_the_matrix() {
        let m = matrix(
            "teak = { branch = \"release/teak\", python = \"3.11\", node = \"20\" }\n\
             ulmo = { branch = \"acme/ulmo\", python = \"3.12\", node = \"24\" }\n\
             master = { branch = \"master\", python = \"3.12\", node = \"24\", rolling = true }",
            "edx-platform = { kind = \"ida\", repository = \"https://example.org/edx-platform\" }",
        );
        let up = [
            upstream("sumac", Some("release/sumac")),
            upstream("teak", Some("release/teak")),
            upstream("ulmo", Some("release/ulmo")),
            upstream("verawood", Some("release/verawood")),
            upstream("willow", None),
        ];
        let compared = compare_with(&m, &up);
        let standings: Vec<(&str, Standing, Option<&str>)> = compared
            .releases
            .iter()
            .map(|c| {
                (
                    c.upstream.name.as_str(),
                    c.standing,
                    c.matrix_branch.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            standings,
            [
                ("sumac", Standing::Older, None),
                ("teak", Standing::InMatrix, Some("release/teak")),
                ("ulmo", Standing::BranchDiffers, Some("acme/ulmo")),
                ("verawood", Standing::New, None),
                ("willow", Standing::New, None),
            ]
        );
        assert_eq!(
            default_repository(&m).as_deref(),
            Some("https://example.org/edx-platform")
        );
    }

    #[test]
    fn without_named_releases_everything_missing_is_new_and_the_catalogue_gives_the_repository() {
        let m = matrix(
            "ulmo = { branch = \"release/ulmo\", python = \"3.12\", node = \"24\", rolling = true }",
            "forum = { kind = \"ida\", repository = \"https://example.org/forum\" }",
        );
        let up = [upstream("palm", Some("open-release/palm.master"))];
        let compared = compare_with(&m, &up);
        assert_eq!(compared.releases[0].standing, Standing::New);
        assert_eq!(
            default_repository(&m).as_deref(),
            edx_matrix_formats::standard("edx-platform").and_then(|a| a.repository)
        );
        assert!(default_repository(&m).is_some());
    }

    #[test]
    fn compares_naturally() {
        assert_eq!(natural_cmp("2", "10"), Ordering::Less);
        assert_eq!(natural_cmp("02", "2"), Ordering::Equal);
        assert_eq!(natural_cmp("2a", "2"), Ordering::Greater);
        assert_eq!(natural_cmp("3.rc1", "3.rc2"), Ordering::Less);
    }
}
