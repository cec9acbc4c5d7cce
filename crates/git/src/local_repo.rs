//! [`LocalRepo`]: reading a file's content and history from a local working tree,
//! for `edx-matrix diff` and `edx-matrix history`.

use std::ffi::OsStr;
use std::io;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::command::{self, Output, RunError};

/// Why a local repository operation failed.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The directory is not inside a git working tree.
    #[error("`{}` is not inside a git working tree: {reason}", dir.display())]
    NotARepository {
        /// The directory given to [`LocalRepo::open`].
        dir: PathBuf,
        /// What git said.
        reason: String,
    },
    /// The revision was refused before running git (it would be read as an option).
    #[error("invalid revision `{rev}`: {reason}")]
    InvalidRev {
        /// The revision as given.
        rev: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The revision does not name a commit.
    #[error("unknown revision `{rev}`")]
    UnknownRev {
        /// The revision as given.
        rev: String,
    },
    /// The path is not a plain path inside the repository.
    #[error("invalid path `{path}`: {reason}")]
    InvalidPath {
        /// The path as given.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The path names a directory or a submodule at that revision, not a file.
    #[error("`{path}` is not a file at `{rev}`")]
    NotAFile {
        /// The revision as given.
        rev: String,
        /// The path inside the repository.
        path: String,
    },
    /// The file's content at that revision is not UTF-8 text.
    #[error("`{path}` at `{rev}` is not UTF-8 text")]
    NotUtf8 {
        /// The revision as given.
        rev: String,
        /// The path inside the repository.
        path: String,
    },
    /// The file is not inside the repository's working tree.
    #[error("`{}` is outside the repository `{}`", path.display(), top.display())]
    OutsideRepository {
        /// The file as given.
        path: PathBuf,
        /// The repository's top-level directory.
        top: PathBuf,
    },
    /// A file-system operation failed.
    #[error("cannot access `{}`", path.display())]
    Io {
        /// The path being accessed.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: io::Error,
    },
    /// A git command failed unexpectedly.
    #[error("`git {command}` failed: {reason}")]
    Failed {
        /// The git subcommand and its arguments.
        command: String,
        /// The last lines of git's error output.
        reason: String,
    },
    /// The `git` program could not be started.
    #[error("cannot run `git`")]
    Spawn(#[source] io::Error),
}

/// One commit that changed a file, as listed by [`LocalRepo::file_log`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileCommit {
    /// The full commit hash.
    pub hash: String,
    /// The abbreviated commit hash.
    pub short_hash: String,
    /// The committer date in strict ISO 8601 (`2024-06-01T12:00:00+02:00`).
    pub date: String,
    /// The first line of the commit message.
    pub subject: String,
    /// The file's path in this commit, relative to the top-level, with forward slashes.
    pub path_at_commit: String,
}

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
        let output = self.git(["cat-file", "blob", oid])?;
        let content = Self::expect_success("cat-file", output)?;
        String::from_utf8(content)
            .map(Some)
            .map_err(|_| GitError::NotUtf8 {
                rev: rev.to_owned(),
                path,
            })
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
        let cmd = command::git_command(Path::new("git"), Some(&self.dir));
        let output = command::run_with_input(cmd, ["cat-file", "--batch"], input).map_err(
            |err| match err {
                RunError::Spawn(err) => GitError::Spawn(err),
                RunError::Timeout => GitError::Failed {
                    command: "cat-file".to_owned(),
                    reason: "timed out".to_owned(),
                },
            },
        )?;
        let stdout = Self::expect_success("cat-file", output)?;
        let malformed = || GitError::Failed {
            command: "cat-file".to_owned(),
            reason: "unexpected output".to_owned(),
        };
        let mut rest = stdout.as_slice();
        let mut results = Vec::with_capacity(files.len());
        for ((rev, _), path) in files.iter().zip(paths) {
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
            "--format=%x1e%H%x1f%h%x1f%cI%x1f%s",
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
            "--format=%x1e%H%x1f%h%x1f%cI%x1f%s".to_owned(),
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
    command::run(cmd, args, None).map_err(|err| match err {
        RunError::Spawn(err) => GitError::Spawn(err),
        // Unreachable without a deadline; reported as a failure rather than a panic.
        RunError::Timeout => GitError::Failed {
            command: "git".to_owned(),
            reason: "timed out".to_owned(),
        },
    })
}

fn check_rev(rev: &str) -> Result<(), GitError> {
    let reason = if rev.is_empty() {
        "the revision is empty"
    } else if rev.starts_with('-') {
        "a revision must not start with `-`"
    } else if rev.chars().any(char::is_control) {
        "a revision must not contain control characters"
    } else {
        return Ok(());
    };
    Err(GitError::InvalidRev {
        rev: rev.to_owned(),
        reason: reason.to_owned(),
    })
}

/// Turns `./a//b/` into `a/b`; refuses absolute paths and `..`.
fn normalize_repo_path(path: &str) -> Result<String, GitError> {
    let invalid = |reason: &str| GitError::InvalidPath {
        path: path.to_owned(),
        reason: reason.to_owned(),
    };
    if path.starts_with('/') || Path::new(path).is_absolute() {
        return Err(invalid(
            "the path must be relative to the repository top-level",
        ));
    }
    if path.chars().any(char::is_control) {
        return Err(invalid("the path must not contain control characters"));
    }
    let mut parts = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(invalid("the path must not contain `..`")),
            part => parts.push(part),
        }
    }
    if parts.is_empty() {
        return Err(invalid("the path is empty"));
    }
    Ok(parts.join("/"))
}

/// Removes `.` and resolves `..` components without touching the file system.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Canonicalises the longest existing ancestor of `path` and appends the rest.
fn resolve_existing_prefix(path: &Path) -> PathBuf {
    let mut existing = path.to_owned();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut resolved = canonical;
            resolved.extend(rest.iter().rev());
            return resolved;
        }
        match existing.file_name() {
            Some(name) => {
                rest.push(name.to_owned());
                existing.pop();
            }
            None => return path.to_owned(),
        }
    }
}

/// Splits `git log` output at each `\x1e` that starts a record: one followed by a full commit
/// hash (40 or 64 hex digits) and `\x1f`. A commit subject may hold `\x1e` itself (git allows
/// any byte but NUL there); splitting at every one would cut that commit's record in two.
fn log_records(stdout: &str) -> impl Iterator<Item = &str> {
    let starts_record = |rest: &str| {
        let hex = rest.bytes().take_while(u8::is_ascii_hexdigit).count();
        matches!(hex, 40 | 64) && rest.as_bytes().get(hex) == Some(&0x1f)
    };
    let mut starts: Vec<usize> = stdout
        .match_indices('\x1e')
        .map(|(i, _)| i)
        .filter(|&i| starts_record(&stdout[i + 1..]))
        .collect();
    starts.push(stdout.len());
    let head = &stdout[..starts[0]];
    let records: Vec<&str> = starts.windows(2).map(|w| &stdout[w[0] + 1..w[1]]).collect();
    std::iter::once(head).chain(records)
}

/// Parses `git log -z --name-status --format=%x1e%H%x1f%h%x1f%cI%x1f%s` output.
fn parse_log(stdout: &str, path: &str) -> Vec<FileCommit> {
    let mut commits = Vec::new();
    let mut current_path = path.to_owned();
    for record in log_records(stdout).filter(|r| !r.trim().is_empty()) {
        let (header, changes) = record.split_once('\0').unwrap_or((record, ""));
        let mut fields = header.trim_end_matches('\n').splitn(4, '\x1f');
        let (Some(hash), Some(short_hash), Some(date), subject) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let mut tokens = changes
            .trim_start_matches('\n')
            .split('\0')
            .filter(|t| !t.is_empty());
        if let Some(status) = tokens.next() {
            // A rename or copy lists the old path, then the new one.
            let skip = usize::from(status.starts_with(['R', 'C']));
            if let Some(changed) = tokens.nth(skip) {
                changed.clone_into(&mut current_path);
            }
        }
        commits.push(FileCommit {
            hash: hash.to_owned(),
            short_hash: short_hash.to_owned(),
            date: date.to_owned(),
            subject: subject.unwrap_or_default().to_owned(),
            path_at_commit: current_path.clone(),
        });
    }
    commits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_log_with_rename() {
        let (a, b, c) = ("a".repeat(40), "b".repeat(40), "c".repeat(40));
        let out = format!(
            "\x1e{a}\x1fa\x1f2024-01-03T00:00:00+00:00\x1fedit\0\nM\0new/m.toml\0\
             \x1e{b}\x1fb\x1f2024-01-02T00:00:00+00:00\x1fmove\0\nR100\0m.toml\0new/m.toml\0\
             \x1e{c}\x1fc\x1f2024-01-01T00:00:00+00:00\x1fadd\0\nA\0m.toml\0"
        );
        let log = parse_log(&out, "new/m.toml");
        let summary: Vec<_> = log
            .iter()
            .map(|c| {
                (
                    c.hash.as_str(),
                    c.subject.as_str(),
                    c.path_at_commit.as_str(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                (a.as_str(), "edit", "new/m.toml"),
                (b.as_str(), "move", "new/m.toml"),
                (c.as_str(), "add", "m.toml")
            ]
        );
    }

    /// A subject holding the record and field separators (and an escape) stays one record, and
    /// the rename it made is still followed.
    #[test]
    fn a_subject_with_separators_is_one_record() {
        let (a, b) = ("a".repeat(40), "b".repeat(40));
        let subject = "evil\x1e\x1b[31m\x1fnot a field\x07";
        let out = format!(
            "\x1e{a}\x1fa\x1f2024-01-02T00:00:00+00:00\x1f{subject}\0\nR100\0m.toml\0new/m.toml\0\
             \x1e{b}\x1fb\x1f2024-01-01T00:00:00+00:00\x1fadd\0\nA\0m.toml\0"
        );
        let log = parse_log(&out, "new/m.toml");
        assert_eq!(log.len(), 2, "{log:?}");
        assert_eq!(log[0].subject, subject);
        assert_eq!(log[0].path_at_commit, "new/m.toml");
        assert_eq!(log[1].path_at_commit, "m.toml");
    }

    #[test]
    fn normalizes_repo_paths() {
        assert_eq!(normalize_repo_path("./a//b/").ok().as_deref(), Some("a/b"));
        for bad in ["", ".", "/etc/passwd", "../x", "a/../../x", "a\nb"] {
            assert!(
                matches!(normalize_repo_path(bad), Err(GitError::InvalidPath { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn refuses_option_like_revisions() {
        assert!(matches!(
            check_rev("--output=x"),
            Err(GitError::InvalidRev { .. })
        ));
        assert!(matches!(check_rev(""), Err(GitError::InvalidRev { .. })));
        assert!(check_rev("HEAD~1").is_ok());
    }

    #[test]
    fn normalizes_lexically() {
        assert_eq!(
            lexically_normal(Path::new("/a/./b/../c")),
            PathBuf::from("/a/c")
        );
    }
}
