//! The one shallow, filtered fetch per upstream repository, into a cache, and the bounded read
//! of a few files of the fetched commit.
//!
//! `git fetch --depth 1 --filter=blob:none` of the release branches read brings one commit per
//! branch and its trees, no file contents; `git cat-file blob` then fetches only the blobs read (the cache repository's remote
//! is a promisor). Every run has the reader's timeout, stdout is capped at
//! [`MAX_FILE_BYTES`] for a file, and on Linux every file git writes is capped
//! ([`crate::git::memory_limit::apply_file_size`]), so a hostile remote cannot fill the disk.

use std::path::{Path, PathBuf};

use crate::git::GitCli;
use crate::git::command::{self, RunError};
use crate::git::memory_limit::{LS_REMOTE_ADDRESS_SPACE, apply_file_size};
use crate::git::url::{redact_text, redact_url, validate_url};
use crate::git::{RemoteError, RemoteRef};

/// The most of one upstream file read: the files read (`.python-version`, `.nvmrc`,
/// `setup.cfg`, `pyproject.toml`, `tox.ini`) are a few KiB upstream.
pub(crate) const MAX_FILE_BYTES: u64 = 64 * 1024;

/// The largest file a fetch may write in the cache (a pack of one commit's trees: a few MiB for
/// edx-platform).
const MAX_CACHE_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The local refs a fetch stores its commits under: `<FETCHED>/<index of the branch>` (not the
/// branch's name, which could clash with another's as a directory; an older cache's
/// `refs/edx-matrix/fetched` would clash with this directory too).
const FETCHED: &str = "refs/edx-matrix/branch";

/// What a listing or a fetch learnt besides its result: where an HTTP remote redirected to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Redirected(pub(crate) Option<String>);

/// A cache repository for one upstream URL.
pub(crate) struct CacheRepo<'g> {
    git: &'g GitCli,
    dir: PathBuf,
    url: String,
}

/// Why one fetch failed.
#[derive(Debug)]
enum FetchError {
    /// The remote has no such ref.
    NoRef,
    /// The remote, the cache or `git` failed.
    Remote(RemoteError),
}

/// Why a file could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FileError {
    /// Bigger than [`MAX_FILE_BYTES`].
    TooLarge,
    /// Not UTF-8 text.
    NotUtf8,
    /// git failed to read it (the promisor fetch of its blob failed).
    Unreadable(String),
}

/// Lists the refs of `url` (`git ls-remote --heads --tags`), with the redirect git followed.
pub(crate) fn list_refs(
    git: &GitCli,
    url: &str,
) -> Result<(Vec<RemoteRef>, Redirected), RemoteError> {
    validate_url(url)?;
    let output = run(
        git,
        None,
        &["ls-remote", "--heads", "--tags", "--", url],
        command::MAX_OUTPUT_BYTES,
        url,
    )?;
    let refs = crate::git::git_cli::parse_ls_remote(&String::from_utf8_lossy(&output.stdout));
    Ok((refs, redirect_of(&output.stderr)))
}

impl<'g> CacheRepo<'g> {
    /// Opens (creating it if needed) the cache repository of `url` under `cache`.
    pub(crate) fn open(git: &'g GitCli, cache: &Path, url: &str) -> Result<Self, RemoteError> {
        validate_url(url)?;
        let dir = cache.join(cache_name(url));
        if !dir.join("HEAD").is_file() {
            std::fs::create_dir_all(&dir).map_err(RemoteError::Spawn)?;
            let dir_text = dir.to_string_lossy().into_owned();
            run(
                git,
                None,
                &["init", "-q", "--bare", "--", &dir_text],
                4096,
                url,
            )?;
        }
        let repo = Self {
            git,
            dir,
            url: url.to_owned(),
        };
        // The URL is stored, not passed on a command line git could read as an option.
        repo.git_in(&["config", "remote.upstream.url", url], 4096)?;
        Ok(repo)
    }

    /// Fetches `refs/heads/<branch>` of each of `branches` (depth 1, no blobs) in one run, and
    /// says which the remote has (the `n`th is then read with [`CacheRepo::read`]`(n, ..)`).
    /// When the remote lacks one, a run per branch finds which: the first run fails as a whole.
    pub(crate) fn fetch_branches(
        &self,
        branches: &[&str],
    ) -> Result<(Redirected, Vec<bool>), RemoteError> {
        let all: Vec<(usize, &str)> = branches.iter().copied().enumerate().collect();
        match self.fetch(&all) {
            Ok(redirected) => return Ok((redirected, vec![true; branches.len()])),
            Err(FetchError::NoRef) if branches.len() > 1 => {}
            Err(FetchError::NoRef) => return Ok((Redirected(None), vec![false])),
            Err(FetchError::Remote(e)) => return Err(e),
        }
        let mut redirected = Redirected(None);
        let mut fetched = Vec::with_capacity(branches.len());
        for one in all {
            match self.fetch(&[one]) {
                Ok(r) => {
                    redirected = Redirected(redirected.0.or(r.0));
                    fetched.push(true);
                }
                Err(FetchError::NoRef) => fetched.push(false),
                Err(FetchError::Remote(e)) => return Err(e),
            }
        }
        Ok((redirected, fetched))
    }

    fn fetch(&self, branches: &[(usize, &str)]) -> Result<Redirected, FetchError> {
        let refspecs: Vec<String> = branches
            .iter()
            .map(|(index, branch)| format!("+refs/heads/{branch}:{FETCHED}/{index}"))
            .collect();
        let mut args = vec![
            "fetch",
            "-q",
            "--no-tags",
            "--no-write-fetch-head",
            "--depth",
            "1",
            "--filter=blob:none",
            "upstream",
        ];
        args.extend(refspecs.iter().map(String::as_str));
        match self.git_in(&args, 64 * 1024) {
            Ok(output) => Ok(redirect_of(&output.stderr)),
            Err(RemoteError::Unreachable { reason, .. })
                if reason.contains("couldn't find remote ref") =>
            {
                Err(FetchError::NoRef)
            }
            Err(e) => Err(FetchError::Remote(e)),
        }
    }

    /// Reads `path` of the `branch`th fetched commit: `Ok(None)` when it has no such file.
    pub(crate) fn read(&self, branch: usize, path: &str) -> Result<Option<String>, FileError> {
        let fetched = format!("{FETCHED}/{branch}");
        let listed = self
            .git_in(&["ls-tree", "-z", &fetched, "--", path], 64 * 1024)
            .map_err(|e| FileError::Unreadable(e.to_string()))?;
        // `<mode> blob <oid>\t<path>\0`: only a regular file (or an executable) is read.
        let entry = String::from_utf8_lossy(&listed.stdout);
        let Some((meta, _)) = entry.split_once('\t') else {
            return Ok(None);
        };
        let mut fields = meta.split(' ');
        let (Some(mode), Some("blob"), Some(oid)) = (fields.next(), fields.next(), fields.next())
        else {
            return Ok(None);
        };
        if !matches!(mode, "100644" | "100755") || !oid.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let output = match self.run_in(&["cat-file", "blob", oid], MAX_FILE_BYTES) {
            Ok(output) => output,
            Err(RunError::TooLarge(_)) => return Err(FileError::TooLarge),
            Err(RunError::Timeout) => {
                return Err(FileError::Unreadable(format!(
                    "reading it timed out after {} s",
                    self.git.timeout().as_secs()
                )));
            }
            Err(RunError::Spawn(e)) => return Err(FileError::Unreadable(e.to_string())),
        };
        if !output.status.success() {
            return Err(FileError::Unreadable(redact_text(
                &command::describe_failure(output.status, &output.stderr),
            )));
        }
        String::from_utf8(output.stdout)
            .map(Some)
            .map_err(|_| FileError::NotUtf8)
    }

    /// The repository's directory (bare: its git directory).
    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    pub(crate) fn git_in(&self, args: &[&str], limit: u64) -> Result<command::Output, RemoteError> {
        run(self.git, Some(&self.dir), args, limit, &self.url)
    }

    fn run_in(&self, args: &[&str], limit: u64) -> Result<command::Output, RunError> {
        run_raw(self.git, Some(&self.dir), args, limit)
    }
}

/// Runs git with the reader's settings, turning failures into [`RemoteError`]s about `url`.
fn run(
    git: &GitCli,
    cwd: Option<&Path>,
    args: &[&str],
    limit: u64,
    url: &str,
) -> Result<command::Output, RemoteError> {
    let seconds = git.timeout().as_secs().max(1);
    let output = match run_raw(git, cwd, args, limit) {
        Ok(output) => output,
        Err(RunError::Spawn(e)) => return Err(RemoteError::Spawn(e)),
        Err(RunError::Timeout) => {
            return Err(RemoteError::Timeout {
                url: redact_url(url),
                seconds,
            });
        }
        Err(RunError::TooLarge(limit)) => {
            return Err(RemoteError::Unreachable {
                url: redact_url(url),
                reason: format!("git printed more than {limit} bytes"),
            });
        }
    };
    if !output.status.success() {
        return Err(RemoteError::Unreachable {
            url: redact_url(url),
            reason: redact_text(&command::describe_failure(output.status, &output.stderr)),
        });
    }
    Ok(output)
}

fn run_raw(
    git: &GitCli,
    cwd: Option<&Path>,
    args: &[&str],
    limit: u64,
) -> Result<command::Output, RunError> {
    let cmd = command::git_command(git.program(), cwd);
    let low_speed_time = format!("http.lowSpeedTime={}", git.timeout().as_secs().max(1));
    let mut all = vec![
        "-c",
        "protocol.ext.allow=never",
        "-c",
        "http.lowSpeedLimit=1",
        "-c",
        low_speed_time.as_str(),
        // A cache repository never runs maintenance in the background.
        "-c",
        "maintenance.auto=false",
        "-c",
        "gc.auto=0",
    ];
    all.extend_from_slice(args);
    command::run_limited(
        cmd,
        all,
        Some(git.timeout()),
        limit,
        Some(LS_REMOTE_ADDRESS_SPACE),
        |child| apply_file_size(child, MAX_CACHE_FILE_BYTES),
    )
}

/// The URL git says it was redirected to (`warning: redirecting to URL` on stderr, printed when
/// an HTTP remote's `info/refs` answers a redirect), without credentials.
fn redirect_of(stderr: &[u8]) -> Redirected {
    let text = String::from_utf8_lossy(stderr);
    Redirected(
        text.lines()
            .find_map(|line| line.trim().strip_prefix("warning: redirecting to "))
            .map(|url| redact_url(url.trim())),
    )
}

/// The cache directory name of `url`: its last path segment (letters, digits, `-`, `_`, `.`
/// only) and a 64-bit FNV-1a hash of the whole URL, so two URLs never share a repository.
fn cache_name(url: &str) -> String {
    let last: String = url
        .trim_end_matches('/')
        .rsplit(['/', ':'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .take(64)
        .collect();
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in url.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{}-{hash:016x}", last.trim_start_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_redirect_git_reports() {
        let stderr = b"warning: redirecting to https://github.com/openedx/openedx-platform.git/\n";
        assert_eq!(
            redirect_of(stderr).0.as_deref(),
            Some("https://github.com/openedx/openedx-platform.git/")
        );
        assert_eq!(redirect_of(b"fatal: nope\n"), Redirected(None));
    }

    #[test]
    fn cache_names_are_distinct_and_plain() {
        let a = cache_name("https://github.com/openedx/edx-platform");
        let b = cache_name("https://example.org/openedx/edx-platform");
        assert!(a.starts_with("edx-platform-"), "{a}");
        assert_ne!(a, b);
        assert!(cache_name("file:///x/../.git").starts_with("git-"));
    }
}
