//! Release facts read from the upstream repositories, not from memory (`release add
//! --from-upstream`): a release's branch and tags under either naming scheme, the Python version
//! edx-platform declares, the Node version the MFEs declare, and which repositories redirect
//! (were renamed), each with where it was read.
//!
//! One `git ls-remote` of edx-platform finds the release's branch and tags
//! ([`discover_releases`]); then one shallow, filtered fetch per repository (`fetch`) of every
//! release read (`discover` reads several at once: [`FactsReader::read_listed`]) and a bounded
//! read of the few files that declare the versions ([`python`], [`node`]; the MFEs: `mfes`). A fact that
//! cannot be read is reported as missing, with the flag that gives it: it is never guessed.

pub(crate) mod fetch;
mod mfes;
pub(crate) mod node;
pub(crate) mod python;

use mfes::node_fact;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::git::discover::{UpstreamRelease, discover_releases};
use crate::git::{GitCli, RemoteError, redact_url};
pub(crate) use fetch::MAX_FILE_BYTES;
use fetch::{CacheRepo, FileError, Redirected};
use python::Declared;

/// Where the upstream repositories are unless told otherwise: `<base>/<repository name>`.
pub const DEFAULT_BASE: &str = "https://github.com/openedx";

/// What one MFE's `.nvmrc` says: `(version, source)`, or the located problem.
type NodeDeclared = Result<(String, String), String>;

/// How many MFE repositories are fetched at once.
const CONCURRENT_FETCHES: usize = 4;

/// What to read.
#[derive(Debug, Clone)]
pub struct FactsQuery<'a> {
    /// The release name (`verawood`).
    pub release: &'a str,
    /// The base URL the repositories are under ([`DEFAULT_BASE`]).
    pub base: &'a str,
    /// The repository name of edx-platform under `base` (`openedx-platform`).
    pub platform: &'a str,
    /// The repository names of the MFEs whose `.nvmrc` gives the Node version.
    pub mfes: &'a [String],
    /// The branch to read, when the caller knows it (`--branch`); else the one upstream has.
    pub branch: Option<&'a str>,
    /// Read the Python version (false when the caller gives it).
    pub python: bool,
    /// Read the Node version (false when the caller gives it).
    pub node: bool,
}

/// A fact and where it was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    /// The value (`3.12`, `24`, `release/verawood`).
    pub value: String,
    /// Where it was read: `openedx-platform@release/verawood:.python-version`.
    pub source: String,
    /// What else was read to get it, for the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A fact that could not be read, and the flag that gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Missing {
    /// The `release add` flag (`--python`).
    pub flag: &'static str,
    /// Why it could not be read, located (`openedx-platform@release/verawood:.python-version:1: ...`).
    pub reason: String,
}

/// Whether a repository's URL redirects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Redirect {
    /// It answered without a redirect.
    None,
    /// Its `info/refs` answered a redirect, which git followed.
    To {
        /// The URL it redirects to (without credentials).
        url: String,
        /// The repository's new name, when the redirect renames it.
        #[serde(skip_serializing_if = "Option::is_none")]
        renamed_to: Option<String>,
    },
    /// Not checked: only HTTP remotes answer redirects.
    NotChecked {
        /// Why.
        reason: String,
    },
}

/// One repository read, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RepositoryRead {
    /// Its name under the base URL.
    pub name: String,
    /// Its URL (without credentials).
    pub url: String,
    /// What happened: `read`, `no branch release/verawood`, or the failure.
    pub outcome: String,
    /// Whether it redirects.
    pub redirect: Redirect,
}

/// What upstream says a release is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseFacts {
    /// The release name.
    pub release: String,
    /// The branch that carries it.
    pub branch: Fact,
    /// Its point-release tags, in version order.
    pub tags: Vec<String>,
    /// The Python version edx-platform declares, if read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub python: Option<Fact>,
    /// The Node version the MFEs declare, if read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<Fact>,
    /// The facts that could not be read.
    pub missing: Vec<Missing>,
    /// Every repository read.
    pub repositories: Vec<RepositoryRead>,
}

/// Why no facts could be read at all.
#[derive(Debug, thiserror::Error)]
pub enum FactsError {
    /// edx-platform could not be listed or fetched.
    #[error(transparent)]
    Remote(#[from] RemoteError),
    /// Upstream has no branch for the release: the flag gives it.
    #[error("{reason}")]
    Missing {
        /// What was looked for, and the flag that gives it.
        reason: String,
        /// The flag.
        flag: &'static str,
    },
}

/// edx-platform's refs, listed once ([`FactsReader::list`]).
#[derive(Debug, Clone)]
pub struct Listing {
    url: String,
    listed: Redirected,
    /// The releases upstream has, as [`discover_releases`] finds them.
    pub releases: Vec<UpstreamRelease>,
}

impl Listing {
    /// The URL listed (without credentials).
    #[must_use]
    pub fn url(&self) -> String {
        redact_url(&self.url)
    }
}

/// Reads release facts with `git`, keeping one cache repository per upstream URL.
#[derive(Debug, Clone)]
pub struct FactsReader {
    git: GitCli,
    cache: PathBuf,
}

impl FactsReader {
    /// A reader running `git` (with its timeout for every run) and caching under `cache`.
    #[must_use]
    pub fn new(git: GitCli, cache: impl Into<PathBuf>) -> Self {
        Self {
            git,
            cache: cache.into(),
        }
    }

    /// The cache directory.
    #[must_use]
    pub fn cache(&self) -> &Path {
        &self.cache
    }

    /// Lists edx-platform's refs (`<base>/<platform>`) once: the releases upstream has, for
    /// [`FactsReader::read_listed`] (and `discover`'s table).
    ///
    /// # Errors
    ///
    /// When the repository cannot be listed.
    pub fn list(&self, base: &str, platform: &str) -> Result<Listing, RemoteError> {
        let url = join(base, platform);
        let (refs, listed) = fetch::list_refs(&self.git, &url)?;
        Ok(Listing {
            releases: discover_releases(&refs),
            url,
            listed,
        })
    }

    /// Reads what upstream says `query.release` is.
    ///
    /// # Errors
    ///
    /// [`FactsError::Remote`] when edx-platform cannot be listed or fetched;
    /// [`FactsError::Missing`] when it has no branch for the release.
    pub fn read(&self, query: &FactsQuery<'_>) -> Result<ReleaseFacts, FactsError> {
        let listing = self.list(query.base, query.platform)?;
        let mut facts = self.read_releases(&listing, query, &[(query.release, query.branch)])?;
        facts.pop().ok_or_else(|| FactsError::Missing {
            reason: format!("nothing read for release `{}`", query.release),
            flag: "--branch",
        })
    }

    /// Reads several releases of one listing, each at the branch upstream has for it, with one
    /// fetch per repository for all their branches (`discover`). `query.release` and
    /// `query.branch` are not used.
    ///
    /// # Errors
    ///
    /// As [`FactsReader::read`], for any of `releases`.
    pub fn read_listed(
        &self,
        listing: &Listing,
        query: &FactsQuery<'_>,
        releases: &[&str],
    ) -> Result<Vec<ReleaseFacts>, FactsError> {
        let wanted: Vec<(&str, Option<&str>)> = releases.iter().map(|r| (*r, None)).collect();
        self.read_releases(listing, query, &wanted)
    }

    /// The one reading: the branch of each `(release, given branch)`, then one fetch of
    /// edx-platform and one of each MFE for all the branches, and the files read at each.
    fn read_releases(
        &self,
        listing: &Listing,
        query: &FactsQuery<'_>,
        wanted: &[(&str, Option<&str>)],
    ) -> Result<Vec<ReleaseFacts>, FactsError> {
        let platform_url = &listing.url;
        let platform_name = renamed(query.platform, &listing.listed).unwrap_or(query.platform);
        let mut all = Vec::with_capacity(wanted.len());
        for (release, given) in wanted {
            all.push(branch_facts(listing, platform_name, release, *given)?);
        }
        let branches: Vec<String> = all.iter().map(|f| f.branch.value.clone()).collect();
        let branches: Vec<&str> = branches.iter().map(String::as_str).collect();
        if query.python && !branches.is_empty() {
            let repo = CacheRepo::open(&self.git, &self.cache, platform_url)?;
            let (fetched, have) = repo.fetch_branches(&branches)?;
            if let Some(lacking) = branches.iter().zip(&have).find(|(_, had)| !**had) {
                return Err(FactsError::Missing {
                    reason: format!("{} has no branch `{}`", redact_url(platform_url), lacking.0),
                    flag: "--branch",
                });
            }
            let redirect = redirect(
                platform_url,
                &merge(listing.listed.clone(), fetched),
                query.platform,
            );
            for (index, facts) in all.iter_mut().enumerate() {
                let at = format!("{platform_name}@{}", facts.branch.value);
                match python_of(&repo, index, &at) {
                    Ok(fact) => facts.python = Some(fact),
                    Err(reason) => facts.missing.push(Missing {
                        flag: "--python",
                        reason,
                    }),
                }
                facts.repositories.push(RepositoryRead {
                    name: query.platform.to_owned(),
                    url: redact_url(platform_url),
                    outcome: "read".to_owned(),
                    redirect: redirect.clone(),
                });
            }
        } else {
            for facts in &mut all {
                facts.repositories.push(RepositoryRead {
                    name: query.platform.to_owned(),
                    url: redact_url(platform_url),
                    outcome: "refs listed".to_owned(),
                    redirect: redirect(platform_url, &listing.listed, query.platform),
                });
            }
        }
        if query.node && !branches.is_empty() {
            let mut declared: Vec<Vec<(String, String)>> = vec![Vec::new(); all.len()];
            let mut problems: Vec<Vec<String>> = vec![Vec::new(); all.len()];
            for per_branch in self.read_mfes(query, &branches) {
                for (index, (read, nvmrc)) in per_branch.into_iter().enumerate() {
                    match nvmrc {
                        Some(Ok(fact)) => declared[index].push(fact),
                        Some(Err(problem)) => problems[index].push(problem),
                        None => {}
                    }
                    all[index].repositories.push(read);
                }
            }
            for (index, facts) in all.iter_mut().enumerate() {
                match node_fact(&declared[index], &problems[index], query.mfes.len()) {
                    Ok(fact) => facts.node = Some(fact),
                    Err(reason) => facts.missing.push(Missing {
                        flag: "--node",
                        reason,
                    }),
                }
            }
        }
        Ok(all)
    }
}

/// The facts of `release` the listing gives: its branch (`given`, else upstream's) and tags.
fn branch_facts(
    listing: &Listing,
    platform_name: &str,
    release: &str,
    given: Option<&str>,
) -> Result<ReleaseFacts, FactsError> {
    let found = listing.releases.iter().find(|r| r.name == release);
    let tags = found.map(|r| r.tags.clone()).unwrap_or_default();
    let branch = match (given, found.and_then(|r| r.branch.clone())) {
        (Some(given), _) => Fact {
            value: given.to_owned(),
            source: "--branch".to_owned(),
            detail: None,
        },
        (None, Some(branch)) => Fact {
            source: format!("{platform_name}:refs/heads/{branch}"),
            detail: Some(scheme(&branch).to_owned()),
            value: branch,
        },
        (None, None) => {
            let tagged = if tags.is_empty() {
                String::new()
            } else {
                format!(" (it has tags: {})", tags.join(", "))
            };
            return Err(FactsError::Missing {
                reason: format!(
                    "{} has no branch `release/{release}` or `open-release/{release}.master`{tagged}",
                    redact_url(&listing.url)
                ),
                flag: "--branch",
            });
        }
    };
    Ok(ReleaseFacts {
        release: release.to_owned(),
        branch,
        tags,
        python: None,
        node: None,
        missing: Vec::new(),
        repositories: Vec::new(),
    })
}

/// Reads edx-platform's Python version from the first file of [`python::FILES`] that names
/// one; else the located reason.
fn python_of(repo: &CacheRepo<'_>, branch: usize, at: &str) -> Result<Fact, String> {
    let mut notes = Vec::new();
    for file in python::FILES {
        let place = format!("{at}:{file}");
        let text = match repo.read(branch, file) {
            Ok(Some(text)) => text,
            Ok(None) => {
                notes.push(format!("no {file}"));
                continue;
            }
            Err(e) => return Err(file_problem(&place, &e)),
        };
        match python::declared(file, &text) {
            Declared::Version { version, line } => {
                return Ok(Fact {
                    value: version,
                    source: place,
                    detail: (!notes.is_empty())
                        .then(|| format!("line {line}; {}", notes.join("; ")))
                        .or_else(|| Some(format!("line {line}"))),
                });
            }
            Declared::Undecided(reason) => notes.push(format!("{file}: {reason}")),
            Declared::Invalid { line, problem } => {
                return Err(format!("{place}:{line}: {problem}"));
            }
        }
    }
    Err(format!(
        "{at} declares no single Python version ({})",
        notes.join("; ")
    ))
}

fn file_problem(place: &str, e: &FileError) -> String {
    match e {
        FileError::TooLarge => format!(
            "{place}: larger than {} KiB, not read",
            MAX_FILE_BYTES / 1024
        ),
        FileError::NotUtf8 => format!("{place}: not UTF-8 text"),
        FileError::Unreadable(reason) => format!("{place}: cannot be read: {reason}"),
    }
}

/// Which naming scheme a release branch follows.
fn scheme(branch: &str) -> &'static str {
    if branch.starts_with("release/") {
        "release/<name> (Teak and later)"
    } else {
        "open-release/<name>.master (before Teak)"
    }
}

/// `<base>/<name>`.
fn join(base: &str, name: &str) -> String {
    format!("{}/{name}", base.trim_end_matches('/'))
}

/// The first redirect of two runs against one URL.
fn merge(a: Redirected, b: Redirected) -> Redirected {
    Redirected(a.0.or(b.0))
}

/// The new name of `name` when `redirected` points at another repository name.
fn renamed<'r>(name: &str, redirected: &'r Redirected) -> Option<&'r str> {
    let url = redirected.0.as_deref()?;
    let last = url
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit('/')
        .next()?;
    let old = name.trim_end_matches(".git");
    (last != old && !last.is_empty()).then_some(last)
}

fn redirect(url: &str, redirected: &Redirected, name: &str) -> Redirect {
    let http = url.starts_with("http://") || url.starts_with("https://");
    if !http {
        return Redirect::NotChecked {
            reason: "only HTTP remotes answer redirects".to_owned(),
        };
    }
    match &redirected.0 {
        None => Redirect::None,
        Some(to) => Redirect::To {
            url: to.clone(),
            renamed_to: renamed(name, redirected).map(str::to_owned),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renames_come_from_the_redirect_url() {
        let to = Redirected(Some(
            "https://github.com/openedx/openedx-platform.git/".to_owned(),
        ));
        assert_eq!(renamed("edx-platform", &to), Some("openedx-platform"));
        assert_eq!(renamed("openedx-platform", &to), None);
        assert_eq!(renamed("edx-platform", &Redirected(None)), None);
        assert!(matches!(
            redirect("git://h/edx-platform", &to, "edx-platform"),
            Redirect::NotChecked { .. }
        ));
        assert_eq!(
            redirect("https://h/edx-platform", &to, "edx-platform"),
            Redirect::To {
                url: "https://github.com/openedx/openedx-platform.git/".to_owned(),
                renamed_to: Some("openedx-platform".to_owned())
            }
        );
    }
}
