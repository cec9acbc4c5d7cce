//! Test support: a sandbox (a temporary directory with its own `HOME`) for the sealed `git`
//! of `edx_matrix_test_support::git`, and a remote that counts its calls.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use edx_matrix_project::git::{RemoteError, RemoteRef, RemoteRefs};
use edx_matrix_test_support::Git;
pub(super) use edx_matrix_test_support::{
    Daemon, TestResult, closed_port, file_url, silent_server,
};
use tempfile::TempDir;

/// A temporary directory with its own `HOME`, so no user or system git config is read
/// by the fixture commands.
pub(super) struct Sandbox {
    dir: TempDir,
    git: Git,
}

impl Sandbox {
    pub(super) fn new() -> TestResult<Self> {
        let dir = tempfile::tempdir()?;
        let home = dir.path().join("home");
        std::fs::create_dir(&home)?;
        Ok(Self {
            git: Git::new(home),
            dir,
        })
    }

    pub(super) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The sandbox's sealed `git`.
    pub(super) fn sealed_git(&self) -> &Git {
        &self.git
    }

    /// Runs `git ARGS` in `cwd` and returns its trimmed stdout; fails on a non-zero exit.
    pub(super) fn git(&self, cwd: &Path, args: &[&str]) -> TestResult<String> {
        self.git.try_run(cwd, None, args)
    }

    /// Runs `git ARGS` in `cwd` with both commit dates set to `date`.
    pub(super) fn git_at(&self, cwd: &Path, date: &str, args: &[&str]) -> TestResult<String> {
        self.git.try_run(cwd, Some(date), args)
    }

    /// Creates the bare repository `<sandbox>/<name>` whose branches all point at one
    /// empty commit and whose tags are annotated tags of it.
    pub(super) fn bare_repo(
        &self,
        name: &str,
        branches: &[&str],
        tags: &[&str],
    ) -> TestResult<PathBuf> {
        self.git.bare_repo(self.path(), name, branches, tags)
    }
}

/// Wraps a real remote and counts the calls per URL.
pub(super) struct Counting<R> {
    pub inner: R,
    pub calls: Mutex<Vec<String>>,
}

impl<R> Counting<R> {
    pub(super) fn new(inner: R) -> Self {
        Self {
            inner,
            calls: Mutex::new(Vec::new()),
        }
    }

    pub(super) fn calls_to(&self, url: &str) -> usize {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .filter(|u| *u == url)
            .count()
    }
}

impl<R: RemoteRefs> RemoteRefs for Counting<R> {
    fn list_refs(&self, url: &str) -> Result<Vec<RemoteRef>, RemoteError> {
        self.calls.lock().unwrap().push(url.to_owned());
        self.inner.list_refs(url)
    }
}
