//! [`LocalRepo`]: reading a file's content and history from a local working tree,
//! for `edx-matrix diff` and `edx-matrix history`.

pub(crate) mod git_error;
mod log;
mod repo_paths;
mod rev;

use crate::git::command;
use crate::git::command::{MAX_OUTPUT_BYTES, Output};
pub(super) use git_error::GitError;
pub(crate) use log::FileCommit;
use log::parse_log;
use repo_paths::{lexically_normal, normalize_repo_path, resolve_existing_prefix};
use rev::check_rev;
use std::ffi::OsStr;
use std::path::{Component, Path, PathBuf};

/// The largest blob read from a repository: the input limit of every file
/// (`crate::fsio::MAX_INPUT_BYTES`, 32 MiB), checked before the blob is read.
pub(crate) const MAX_BLOB_BYTES: u64 = MAX_OUTPUT_BYTES;

/// The most one `git cat-file --batch` (every revision of a file, for `history`) or one
/// `git log` may print: a file's whole history is read at once, so a hostile repository of
/// many just-under-the-limit revisions is bounded here (a real matrix's thousand revisions are
/// a few hundred megabytes at most).
const MAX_BATCH_BYTES: u64 = 512 * 1024 * 1024;

/// A local git working tree.
#[derive(Debug, Clone)]
pub struct LocalRepo {
    dir: PathBuf,
}

impl LocalRepo {
    /// Opens the working tree containing `dir`.
    ///
    /// # Errors
    ///
    /// Returns [`GitError::NotARepository`] when `dir` is not inside a working tree (a
    /// bare repository has none).
    pub fn open(dir: impl AsRef<Path>) -> Result<Self, GitError> {
        let dir = dir.as_ref();
        if !dir.is_dir() {
            return Err(GitError::NotARepository {
                dir: dir.to_owned(),
                reason: "not a directory".to_owned(),
            });
        }
        let output = run(dir, ["rev-parse", "--show-toplevel"])?;
        if !output.status.success() {
            return Err(GitError::NotARepository {
                dir: dir.to_owned(),
                reason: command::describe_failure(output.status, &output.stderr),
            });
        }
        let top = String::from_utf8_lossy(&output.stdout);
        let top = PathBuf::from(top.trim_end_matches(['\n', '\r']));
        let top = top
            .canonicalize()
            .map_err(|source| GitError::Io { path: top, source })?;
        Ok(Self { dir: top })
    }

    /// Returns the top-level directory of the working tree, canonicalised.
    #[must_use]
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Returns the full hash of the commit `rev` names (`git rev-parse --verify
    /// REV^{commit}`).
    ///
    /// # Errors
    ///
    /// Returns [`GitError::InvalidRev`] for a revision starting with `-`, and
    /// [`GitError::UnknownRev`] when it does not name a commit.
    pub fn resolve_rev(&self, rev: &str) -> Result<String, GitError> {
        check_rev(rev)?;
        let spec = format!("{rev}^{{commit}}");
        let output = self.git([
            "rev-parse",
            "--verify",
            "--quiet",
            "--end-of-options",
            spec.as_str(),
        ])?;
        if !output.status.success() {
            return Err(GitError::UnknownRev {
                rev: rev.to_owned(),
            });
        }
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
    }

    /// Returns the content of the file at `path` (relative to the top-level, forward
    /// slashes) in revision `rev`, or `None` if there is no such path there.
    ///
    /// This is what `git show REV:PATH` prints for a file, read as a blob: no
    /// text conversion filters apply.
    ///
    /// # Errors
    ///
    /// Returns an error when `rev` does not name a commit, `path` is not a relative path
    /// inside the repository, names a directory, or the content is not UTF-8.
    pub fn show_file(&self, rev: &str, path: &str) -> Result<Option<String>, GitError> {
        let hash = self.resolve_rev(rev)?;
        let path = normalize_repo_path(path)?;
        let output = self.git([
            "ls-tree",
            "-z",
            "--full-tree",
            hash.as_str(),
            "--",
            path.as_str(),
        ])?;
        let listing = Self::expect_success("ls-tree", output)?;
        // Each entry is `<mode> SP <type> SP <oid> TAB <path> NUL`.
        let entry = listing.split(|&b| b == 0).find_map(|entry| {
            let tab = entry.iter().position(|&b| b == b'\t')?;
            let (meta, name) = (&entry[..tab], &entry[tab + 1..]);
            (name == path.as_bytes()).then_some(meta)
        });
        let Some(meta) = entry else {
            return Ok(None);
        };
        let meta = String::from_utf8_lossy(meta);
        let mut fields = meta.split(' ');
        let (_mode, kind, oid) = (fields.next(), fields.next(), fields.next());
        let (Some("blob"), Some(oid)) = (kind, oid) else {
            return Err(GitError::NotAFile {
                rev: rev.to_owned(),
                path,
            });
        };
        // The size first: a blob is read only within the input limit (a 1 GiB matrix
        // compresses to a few MB in `.git`).
        let output = self.git(["cat-file", "-s", oid])?;
        let size = Self::expect_success("cat-file", output)?;
        let size: u64 = String::from_utf8_lossy(&size)
            .trim()
            .parse()
            .unwrap_or(u64::MAX);
        if size > MAX_BLOB_BYTES {
            return Err(GitError::TooLarge {
                what: format!("`{path}` at `{rev}`"),
                limit: MAX_BLOB_BYTES,
            });
        }
        let output = self.git(["cat-file", "blob", oid])?;
        let content = Self::expect_success("cat-file", output)?;
        String::from_utf8(content)
            .map(Some)
            .map_err(|_| GitError::NotUtf8 {
                rev: rev.to_owned(),
                path,
            })
    }

    /// Returns the paths (relative to the top-level, forward slashes) of the regular files
    /// under the directory `dir` in revision `rev`, recursively (`git ls-tree -r`); `""` is the
    /// top-level. Symbolic links and submodules are left out; a directory that does not exist
    /// there has no files.
    ///
    /// # Errors
    ///
    /// Returns an error when `rev` does not name a commit or `dir` is not a relative path
    /// inside the repository.
    pub fn list_files(&self, rev: &str, dir: &str) -> Result<Vec<String>, GitError> {
        let hash = self.resolve_rev(rev)?;
        let mut args = vec![
            "ls-tree".to_owned(),
            "-r".to_owned(),
            "-z".to_owned(),
            "--full-tree".to_owned(),
            hash,
            "--".to_owned(),
        ];
        if !dir.is_empty() {
            args.push(format!("{}/", normalize_repo_path(dir)?));
        }
        let output = self.git(args.iter().map(String::as_str))?;
        let listing = Self::expect_success("ls-tree", output)?;
        // Each entry is `<mode> SP <type> SP <oid> TAB <path> NUL`.
        Ok(listing
            .split(|&b| b == 0)
            .filter_map(|entry| {
                let tab = entry.iter().position(|&b| b == b'\t')?;
                let meta = String::from_utf8_lossy(&entry[..tab]);
                let regular = meta.starts_with("100644 blob") || meta.starts_with("100755 blob");
                let path = std::str::from_utf8(&entry[tab + 1..]).ok()?;
                regular.then(|| path.to_owned())
            })
            .collect())
    }

    /// Returns the content of each `(rev, path)` file, like [`LocalRepo::show_file`] for
    /// each but with one `git cat-file --batch` for all of them: reading a file's whole
    /// history costs one process instead of three per revision.
    ///
    /// Each result is `Ok(None)` when the revision has no such path, or an error when the
    /// path names a directory or submodule there, or the content is not UTF-8.
    ///
    /// # Errors
    ///
    /// Returns an error, before running git, when a revision starts with `-` or a path is
    /// not a relative path inside the repository; and when `git cat-file` fails or its
    /// output cannot be parsed.
    pub fn show_files(
        &self,
        files: &[(&str, &str)],
    ) -> Result<Vec<Result<Option<String>, GitError>>, GitError> {
        let mut input = Vec::new();
        let mut paths = Vec::with_capacity(files.len());
        for (rev, path) in files {
            check_rev(rev)?;
            let path = normalize_repo_path(path)?;
            input.extend_from_slice(format!("{rev}:{path}\n").as_bytes());
            paths.push(path);
        }
        if files.is_empty() {
            return Ok(Vec::new());
        }
        // The sizes first (`--batch-check`), then only the blobs within the input limit: an
        // oversized one is its own error, the others are still read.
        let sizes = self.batch("--batch-check", input.clone(), MAX_OUTPUT_BYTES)?;
        let mut sizes = sizes.split(|&b| b == b'\n');
        let mut wanted = Vec::new();
        let mut oversized = Vec::with_capacity(files.len());
        for line in input.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let header = String::from_utf8_lossy(sizes.next().unwrap_or_default()).into_owned();
            let size = header
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse::<u64>().ok());
            let over = header.contains(" blob ") && size.is_some_and(|s| s > MAX_BLOB_BYTES);
            if !over {
                wanted.extend_from_slice(line);
                wanted.push(b'\n');
            }
            oversized.push(over);
        }
        let stdout = self.batch("--batch", wanted, MAX_BATCH_BYTES)?;
        let malformed = || GitError::Failed {
            command: "cat-file".to_owned(),
            reason: "unexpected output".to_owned(),
        };
        let mut rest = stdout.as_slice();
        let mut results = Vec::with_capacity(files.len());
        for (((rev, _), path), over) in files.iter().zip(paths).zip(oversized) {
            if over {
                results.push(Err(GitError::TooLarge {
                    what: format!("`{path}` at `{rev}`"),
                    limit: MAX_BLOB_BYTES,
                }));
                continue;
            }
            let newline = rest
                .iter()
                .position(|&b| b == b'\n')
                .ok_or_else(malformed)?;
            let header = String::from_utf8_lossy(&rest[..newline]).into_owned();
            rest = &rest[newline + 1..];
            // `<object> missing` (or `ambiguous`) for a name that resolves to nothing.
            if header.ends_with(" missing") || header.ends_with(" ambiguous") {
                results.push(Ok(None));
                continue;
            }
            let mut fields = header.rsplitn(3, ' ');
            let (Some(size), Some(kind)) = (fields.next(), fields.next()) else {
                return Err(malformed());
            };
            let size: usize = size.parse().map_err(|_| malformed())?;
            let content = rest.get(..size).ok_or_else(malformed)?;
            rest = rest.get(size + 1..).ok_or_else(malformed)?;
            let rev = (*rev).to_owned();
            results.push(if kind != "blob" {
                Err(GitError::NotAFile { rev, path })
            } else {
                String::from_utf8(content.to_vec())
                    .map(Some)
                    .map_err(|_| GitError::NotUtf8 { rev, path })
            });
        }
        Ok(results)
    }

    /// Returns the commits reachable from `HEAD` that changed the file at `path`
    /// (relative to the top-level, forward slashes), newest first, following renames
    /// (`git log --follow --name-status`). An unborn `HEAD` has no history.
    ///
    /// # Errors
    ///
    /// Returns an error when `path` is not a relative path inside the repository or
    /// `git log` fails.
    pub fn file_log(&self, path: &str) -> Result<Vec<FileCommit>, GitError> {
        let path = normalize_repo_path(path)?;
        let head = self.git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])?;
        if !head.status.success() {
            return Ok(Vec::new());
        }
        let output = self.git([
            "-c",
            "log.showSignature=false",
            "log",
            "--follow",
            "--no-color",
            "--name-status",
            "-z",
            "--format=%x1e%H%x1f%h%x1f%aI%x1f%s",
            "--",
            path.as_str(),
        ])?;
        let stdout = Self::expect_success("log", output)?;
        Ok(parse_log(&String::from_utf8_lossy(&stdout), &path))
    }

    /// Returns the commits that changed any of `paths` (relative to the top-level), newest
    /// first, each with `label` as its `path_at_commit` (renames are not followed).
    ///
    /// # Errors
    ///
    /// Returns a [`GitError`] for an invalid path or when git fails.
    pub fn paths_log(&self, label: &str, paths: &[String]) -> Result<Vec<FileCommit>, GitError> {
        let mut args = vec![
            "-c".to_owned(),
            "log.showSignature=false".to_owned(),
            "log".to_owned(),
            "--no-color".to_owned(),
            "-z".to_owned(),
            "--format=%x1e%H%x1f%h%x1f%aI%x1f%s".to_owned(),
            "--".to_owned(),
        ];
        for path in paths {
            args.push(normalize_repo_path(path)?);
        }
        let head = self.git(["rev-parse", "--verify", "--quiet", "HEAD^{commit}"])?;
        if !head.status.success() {
            return Ok(Vec::new());
        }
        let output = self.git(&args)?;
        let stdout = Self::expect_success("log", output)?;
        Ok(parse_log(&String::from_utf8_lossy(&stdout), label))
    }

    /// Returns the path of `file` relative to the top-level, with forward slashes.
    ///
    /// A relative `file` is taken relative to the current directory. The file need not
    /// exist (it may have been deleted); symbolic links in its existing ancestors are
    /// resolved.
    ///
    /// # Errors
    ///
    /// Returns [`GitError::OutsideRepository`] when the file is not inside the working
    /// tree, or [`GitError::Io`] when the current directory cannot be read.
    pub fn relative_path(&self, file: impl AsRef<Path>) -> Result<String, GitError> {
        let file = file.as_ref();
        let absolute = if file.is_absolute() {
            file.to_owned()
        } else {
            let cwd = std::env::current_dir().map_err(|source| GitError::Io {
                path: PathBuf::from("."),
                source,
            })?;
            cwd.join(file)
        };
        let resolved = resolve_existing_prefix(&lexically_normal(&absolute));
        let outside = || GitError::OutsideRepository {
            path: file.to_owned(),
            top: self.dir.clone(),
        };
        let relative = resolved.strip_prefix(&self.dir).map_err(|_| outside())?;
        let parts: Vec<&str> = relative
            .components()
            .map(|c| match c {
                Component::Normal(part) => part.to_str(),
                _ => None,
            })
            .collect::<Option<_>>()
            .ok_or_else(outside)?;
        if parts.is_empty() {
            return Err(outside());
        }
        Ok(parts.join("/"))
    }

    fn git<I, S>(&self, args: I) -> Result<Output, GitError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run(&self.dir, args)
    }

    /// Runs `git cat-file MODE` (`--batch` or `--batch-check`) on `input`; its stdout.
    fn batch(&self, mode: &str, input: Vec<u8>, limit: u64) -> Result<Vec<u8>, GitError> {
        let cmd = command::git_command(Path::new("git"), Some(&self.dir));
        let output = command::run_with_input(cmd, ["cat-file", mode], input, limit)
            .map_err(|err| GitError::of_run("cat-file", err))?;
        Self::expect_success("cat-file", output)
    }

    fn expect_success(command: &str, output: Output) -> Result<Vec<u8>, GitError> {
        if output.status.success() {
            Ok(output.stdout)
        } else {
            Err(GitError::Failed {
                command: command.to_owned(),
                reason: command::describe_failure(output.status, &output.stderr),
            })
        }
    }
}

fn run<I, S>(cwd: &Path, args: I) -> Result<Output, GitError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let cmd = command::git_command(Path::new("git"), Some(cwd));
    // `git log` of a long history with long subjects is the largest output read here.
    command::run_bounded(cmd, args, None, MAX_BATCH_BYTES, None)
        .map_err(|err| GitError::of_run("git", err))
}
