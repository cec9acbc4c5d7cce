//! The [`RemoteRefs`] trait: listing the refs a remote repository advertises.

use std::io;

use serde::{Deserialize, Serialize};

/// One ref advertised by a remote repository.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct RemoteRef {
    /// The full ref name, such as `refs/heads/main` or `refs/tags/v1`.
    pub name: String,
    /// The object id the ref points at (for an annotated tag, the commit it peels to).
    pub oid: String,
}

/// Lists the refs of remote repositories.
///
/// [`GitCli`](crate::git::GitCli) implements it with `git ls-remote`; tests and callers may
/// wrap it (to count or cache calls) or replace it.
pub trait RemoteRefs: Send + Sync {
    /// Returns the branches and tags advertised by the repository at `url`.
    ///
    /// # Errors
    ///
    /// Returns a [`RemoteError`] when the URL is refused, the remote cannot be reached
    /// or does not answer in time, or `git` cannot be run.
    fn list_refs(&self, url: &str) -> Result<Vec<RemoteRef>, RemoteError>;
}

/// Why the refs of a remote could not be listed.
///
/// URLs in it never carry credentials: see [`redact_url`](crate::git::redact_url).
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    /// The remote did not answer within the timeout; `git` was killed.
    #[error("listing refs of `{url}` timed out after {seconds} s")]
    Timeout {
        /// The remote, without credentials.
        url: String,
        /// The timeout that expired, rounded up to whole seconds.
        seconds: u64,
    },
    /// `git` ran but failed: unknown host, refused connection, no such repository,
    /// authentication required, ...
    #[error("cannot list refs of `{url}`: {reason}")]
    Unreachable {
        /// The remote, without credentials.
        url: String,
        /// The last lines of git's error output, trimmed, without credentials.
        reason: String,
    },
    /// The URL was refused before running `git`.
    #[error("invalid remote url `{url}`: {reason}")]
    InvalidUrl {
        /// The URL, without credentials.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The `git` program could not be started.
    #[error("cannot run `git`")]
    Spawn(#[source] io::Error),
}

impl RemoteError {
    /// Tells whether trying again may succeed: true for timeouts and failed runs,
    /// false for refused URLs and a missing `git`.
    #[must_use]
    pub fn is_transient(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::Unreachable { .. })
    }
}

/// Serialises as the error message followed by its causes, for JSON reports.
impl Serialize for RemoteError {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&edx_matrix_model::error_chain(self))
    }
}
