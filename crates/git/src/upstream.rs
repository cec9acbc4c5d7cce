//! Release facts read from the upstream repositories, not from memory (`release add
//! --from-upstream`): a release's branch and tags under either naming scheme, the Python version
//! edx-platform declares, the Node version the MFEs declare, and which repositories redirect
//! (were renamed), each with where it was read.
//!
//! One `git ls-remote` of edx-platform finds the release's branch and tags
//! ([`discover_releases`]); then one shallow, filtered fetch per repository (`fetch`) and a
//! bounded read of the few files that declare the versions ([`python`], [`node`]). A fact that
//! cannot be read is reported as missing, with the flag that gives it: it is never guessed.

pub(crate) mod fetch;
pub mod node;
pub mod python;

use std::path::{Path, PathBuf};
use std::thread;

use serde::Serialize;

use crate::discover::discover_releases;
use crate::{GitCli, RemoteError, redact_url};
pub use fetch::MAX_FILE_BYTES;
use fetch::{CacheRepo, FetchError, FileError, Redirected};
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

    /// Reads what upstream says `query.release` is.
    ///
    /// # Errors
    ///
    /// [`FactsError::Remote`] when edx-platform cannot be listed or fetched;
    /// [`FactsError::Missing`] when it has no branch for the release.
    pub fn read(&self, query: &FactsQuery<'_>) -> Result<ReleaseFacts, FactsError> {
        let platform_url = join(query.base, query.platform);
        let (refs, listed) = fetch::list_refs(&self.git, &platform_url)?;
        let found = discover_releases(&refs)
            .into_iter()
            .find(|r| r.name == query.release);
        let tags = found.as_ref().map(|r| r.tags.clone()).unwrap_or_default();
        let platform_name = renamed(query.platform, &listed).unwrap_or(query.platform);
        let branch = match (query.branch, found.as_ref().and_then(|r| r.branch.clone())) {
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
                let name = query.release;
                let tagged = if tags.is_empty() {
                    String::new()
                } else {
                    format!(" (it has tags: {})", tags.join(", "))
                };
                return Err(FactsError::Missing {
                    reason: format!(
                        "{} has no branch `release/{name}` or `open-release/{name}.master`{tagged}",
                        redact_url(&platform_url)
                    ),
                    flag: "--branch",
                });
            }
        };
        let mut facts = ReleaseFacts {
            release: query.release.to_owned(),
            branch,
            tags,
            python: None,
            node: None,
            missing: Vec::new(),
            repositories: Vec::new(),
        };
        let branch = facts.branch.value.clone();
        if query.python {
            let repo = CacheRepo::open(&self.git, &self.cache, &platform_url)?;
            let fetched = match repo.fetch_branch(&branch) {
                Ok(redirected) => redirected,
                Err(FetchError::NoRef) => {
                    return Err(FactsError::Missing {
                        reason: format!("{} has no branch `{branch}`", redact_url(&platform_url)),
                        flag: "--branch",
                    });
                }
                Err(FetchError::Remote(e)) => return Err(e.into()),
            };
            let at = format!("{platform_name}@{branch}");
            match python_of(&repo, &at) {
                Ok(fact) => facts.python = Some(fact),
                Err(reason) => facts.missing.push(Missing {
                    flag: "--python",
                    reason,
                }),
            }
            let redirect = redirect(&platform_url, &merge(listed, fetched), query.platform);
            facts.repositories.push(RepositoryRead {
                name: query.platform.to_owned(),
                url: redact_url(&platform_url),
                outcome: "read".to_owned(),
                redirect,
            });
        } else {
            facts.repositories.push(RepositoryRead {
                name: query.platform.to_owned(),
                url: redact_url(&platform_url),
                outcome: "refs listed".to_owned(),
                redirect: redirect(&platform_url, &listed, query.platform),
            });
        }
        if query.node {
            let reads = self.read_mfes(query, &branch);
            let mut declared: Vec<(String, String)> = Vec::new();
            let mut problems: Vec<String> = Vec::new();
            for (read, nvmrc) in reads {
                match nvmrc {
                    Some(Ok(fact)) => declared.push(fact),
                    Some(Err(problem)) => problems.push(problem),
                    None => {}
                }
                facts.repositories.push(read);
            }
            match node_fact(&declared, &problems, query.mfes.len()) {
                Ok(fact) => facts.node = Some(fact),
                Err(reason) => facts.missing.push(Missing {
                    flag: "--node",
                    reason,
                }),
            }
        }
        Ok(facts)
    }

    /// Fetches every MFE at `branch`, a few at a time, and reads its `.nvmrc`: the repository
    /// read and `(version, source)` or the located problem (`None`: nothing to read).
    fn read_mfes(
        &self,
        query: &FactsQuery<'_>,
        branch: &str,
    ) -> Vec<(RepositoryRead, Option<NodeDeclared>)> {
        let mut out = Vec::new();
        for chunk in query.mfes.chunks(CONCURRENT_FETCHES) {
            thread::scope(|scope| {
                let handles: Vec<_> = chunk
                    .iter()
                    .map(|name| scope.spawn(|| self.read_mfe(query.base, name, branch)))
                    .collect();
                for handle in handles {
                    if let Ok(result) = handle.join() {
                        out.push(result);
                    }
                }
            });
        }
        out
    }

    fn read_mfe(
        &self,
        base: &str,
        name: &str,
        branch: &str,
    ) -> (RepositoryRead, Option<NodeDeclared>) {
        let url = join(base, name);
        let mut read = RepositoryRead {
            name: name.to_owned(),
            url: redact_url(&url),
            outcome: String::new(),
            redirect: redirect(&url, &Redirected(None), name),
        };
        let repo = match CacheRepo::open(&self.git, &self.cache, &url) {
            Ok(repo) => repo,
            Err(e) => {
                read.outcome = edx_matrix_model::error_chain::error_chain(&e);
                return (read, None);
            }
        };
        let redirected = match repo.fetch_branch(branch) {
            Ok(redirected) => redirected,
            Err(FetchError::NoRef) => {
                read.outcome = format!("no branch {branch}");
                return (read, None);
            }
            Err(FetchError::Remote(e)) => {
                read.outcome = edx_matrix_model::error_chain::error_chain(&e);
                return (read, None);
            }
        };
        read.redirect = redirect(&url, &redirected, name);
        let shown = renamed(name, &redirected).unwrap_or(name);
        let at = format!("{shown}@{branch}:{}", node::FILE);
        let nvmrc = match repo.read(node::FILE) {
            Ok(None) => {
                read.outcome = format!("read (no {})", node::FILE);
                None
            }
            Ok(Some(text)) => {
                read.outcome = "read".to_owned();
                Some(match node::declared(&text) {
                    Ok((version, _)) => Ok((version, at)),
                    Err((line, problem)) => Err(format!("{at}:{line}: {problem}")),
                })
            }
            Err(e) => {
                read.outcome = "read".to_owned();
                Some(Err(file_problem(&at, &e)))
            }
        };
        (read, nvmrc)
    }
}

/// Reads edx-platform's Python version from the first file of [`python::FILES`] that names
/// one; else the located reason.
fn python_of(repo: &CacheRepo<'_>, at: &str) -> Result<Fact, String> {
    let mut notes = Vec::new();
    for file in python::FILES {
        let place = format!("{at}:{file}");
        let text = match repo.read(file) {
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

/// The Node fact from the MFEs' declarations: one version all agree on.
fn node_fact(
    declared: &[(String, String)],
    problems: &[String],
    asked: usize,
) -> Result<Fact, String> {
    if let Some(problem) = problems.first() {
        return Err(problem.clone());
    }
    let Some((first, source)) = declared.first() else {
        return Err(if asked == 0 {
            "the matrix has no MFE to read `.nvmrc` from".to_owned()
        } else {
            format!("none of the {asked} MFE repositories has an `.nvmrc` on the release's branch")
        });
    };
    let differing: Vec<String> = declared
        .iter()
        .filter(|(version, _)| version != first)
        .map(|(version, at)| format!("{version} ({at})"))
        .collect();
    if !differing.is_empty() {
        return Err(format!(
            "the MFEs declare different Node versions: {first} ({source}), {}",
            differing.join(", ")
        ));
    }
    Ok(Fact {
        value: first.clone(),
        source: source.clone(),
        detail: Some(format!(
            "the same in {} of {asked} MFE repositories",
            declared.len()
        )),
    })
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
    fn node_facts_need_agreement() {
        let a = (
            "24".to_owned(),
            "frontend-app-a@release/x:.nvmrc".to_owned(),
        );
        let b = (
            "24".to_owned(),
            "frontend-app-b@release/x:.nvmrc".to_owned(),
        );
        let c = (
            "20".to_owned(),
            "frontend-app-c@release/x:.nvmrc".to_owned(),
        );
        let fact = node_fact(&[a.clone(), b], &[], 3).expect("they agree");
        assert_eq!(fact.value, "24");
        assert_eq!(fact.source, "frontend-app-a@release/x:.nvmrc");
        assert_eq!(
            fact.detail.as_deref(),
            Some("the same in 2 of 3 MFE repositories")
        );
        let err = node_fact(&[a.clone(), c], &[], 2).expect_err("they differ");
        assert!(
            err.contains("20 (frontend-app-c@release/x:.nvmrc)"),
            "{err}"
        );
        assert!(node_fact(&[], &[], 2).is_err());
        assert_eq!(
            node_fact(&[a], &["bad".to_owned()], 2),
            Err("bad".to_owned())
        );
    }

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
