//! Git access for `edx-matrix`: listing remote refs, checking that the branches and
//! tags of a release matrix exist, discovering upstream Open edX releases, and reading
//! a file's history from a local repository (the releases every stage ran, in [`history`]).
//!
//! Everything runs the `git` program (never a shell) and works on plain strings; the
//! [`RemoteRefs`] trait keeps callers independent of how refs are listed.
//!
//! ```
//! use edx_matrix_project::git::{RemoteError, RemoteRef, RemoteRefs, WantedRef, verify_refs};
//!
//! /// A remote that knows one repository, standing in for [`edx_matrix_project::git::GitCli`].
//! struct OneRepo;
//!
//! impl RemoteRefs for OneRepo {
//!     fn list_refs(&self, url: &str) -> Result<Vec<RemoteRef>, RemoteError> {
//!         match url {
//!             "https://github.com/openedx/edx-platform" => Ok(vec![RemoteRef {
//!                 name: "refs/heads/release/ulmo".to_owned(),
//!                 oid: "0".repeat(40),
//!             }]),
//!             _ => Err(RemoteError::Unreachable { url: url.to_owned(), reason: "not found".to_owned() }),
//!         }
//!     }
//! }
//!
//! let wanted = [
//!     WantedRef::new("https://github.com/openedx/edx-platform", "release/ulmo"),
//!     WantedRef::new("https://github.com/openedx/edx-platform", "release/verawood"),
//! ];
//! let report = verify_refs(&OneRepo, &wanted, 4, 0, &|_progress| {});
//! assert_eq!(report.present, 1);
//! assert_eq!(report.missing, [wanted[1].clone()]);
//! ```
#![deny(missing_docs)]

mod command;
pub(crate) mod commit_counts;
mod discover;
mod git_cli;
pub mod history;
mod local_repo;
pub(crate) mod lock_history;
mod memory_limit;
mod on_branch;
pub(crate) mod package_history;
mod remote;
mod resolve_refs;
pub(crate) mod templates;
pub(crate) mod upstream;
mod url;
mod verify;
pub(crate) mod wanted;

pub use commit_counts::{CountSettings, Range, count_commits};
pub use discover::{
    Comparison, Standing, UpstreamRelease, compare_with, default_repository, discover_releases,
};
pub use git_cli::GitCli;
pub(crate) use local_repo::FileCommit;
pub use local_repo::{LocalRepo, git_error::GitError};
pub use lock_history::arrivals;
pub use on_branch::commit_on_branch;
pub use package_history::package_history;
pub use remote::{RemoteError, RemoteRef, RemoteRefs};
pub use resolve_refs::resolve_refs;
pub use templates::project_at;
pub use upstream::{
    DEFAULT_BASE, Fact, FactsError, FactsQuery, FactsReader, Redirect, ReleaseFacts,
};
pub use url::redact_url;
pub use verify::{Progress, WantedRef, verify_refs};
pub use wanted::{Reference, wanted_refs};
