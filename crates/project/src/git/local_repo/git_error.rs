//! [`GitError`]: why reading from the local repository failed.

use std::io;
use std::path::PathBuf;

/// Why a local repository operation failed.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// The directory is not inside a git working tree.
    #[error("`{}` is not inside a git working tree: {reason}", dir.display())]
    NotARepository {
        /// The directory given to [`LocalRepo::open`](super::LocalRepo::open).
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
    /// A file (or git's output) is larger than edx-matrix reads (the 32 MiB input limit of
    /// every file, `crate::fsio::MAX_INPUT_BYTES`, applies to git blobs too).
    #[error("{what} is larger than the {} MiB edx-matrix reads", limit / (1024 * 1024))]
    TooLarge {
        /// What was too large: `` `PATH` at `REV` `` or the output of a git command.
        what: String,
        /// The limit, in bytes.
        limit: u64,
    },
}

impl GitError {
    /// The error of a `git COMMAND` run that produced no output.
    pub(crate) fn of_run(command: &str, err: crate::git::command::RunError) -> Self {
        use crate::git::command::RunError;
        match err {
            RunError::Spawn(err) => GitError::Spawn(err),
            RunError::Timeout => GitError::Failed {
                command: command.to_owned(),
                reason: "timed out".to_owned(),
            },
            RunError::TooLarge(limit) => GitError::TooLarge {
                what: format!("the output of `git {command}`"),
                limit,
            },
        }
    }
}
