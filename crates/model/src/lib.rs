//! The Open edX release matrix as data: releases, applications, deployments and the release map,
//! the resolution rules that turn them into build rows, and the semantic checks.
//!
//! This crate does no I/O. Loading a file (and turning a [`check::Subject`] into a line and
//! column) is `edx-matrix-formats`'s job.
//!
//! ```
//! use edx_matrix_model::{Matrix, Release, Application, AppKind, Deployment, StagePin,
//!     ReleaseMapEntry, AppVersion, resolve, Filter};
//!
//! let matrix = Matrix {
//!     stages: vec!["CI".into()],
//!     releases: vec![Release { name: "ulmo".into(), branch: "release/ulmo".into(),
//!         python: Some("3.11".into()), node: Some("24".into()), rolling: false }],
//!     applications: vec![Application { name: "forum".into(), kind: AppKind::Ida,
//!         repository: Some("https://github.com/openedx/cs_comments_service".into()), path: None }],
//!     deployments: vec![Deployment { name: "campus".into(),
//!         stages: vec![StagePin { stage: "CI".into(), release: "ulmo".into(),
//!             vars: Default::default() }], vars: Default::default() }],
//!     release_map: vec![ReleaseMapEntry { release: "ulmo".into(), deployment: "campus".into(),
//!         apps: vec![AppVersion::plain("forum", "ulmo")] }],
//! };
//! assert!(edx_matrix_model::check(&matrix).is_empty());
//! let rows = resolve(&matrix, &Filter::default()).rows;
//! assert_eq!(rows[0].release_branch, "release/ulmo");
//! assert_eq!(rows[0].runtime_version, Some("3.11"));
//! ```
#![deny(missing_docs)]

pub mod brace_template;
mod calendar;
mod check;
mod code;
mod compare;
mod environment;
mod error_chain;
mod extra;
mod gate;
pub mod history;
pub mod known_names;
mod lock;
pub mod lookup;
mod matrix;
pub mod names;
mod order;
pub mod parallel;
mod refname;
mod renames;
mod resolve;
mod suggest;
pub mod url;
pub mod vars;

pub use calendar::{civil_from_days, day_of, days_from_civil};
pub use check::subject::{AppField, EntryField, ReleaseField};
pub use check::{check, problem::MatrixProblem, subject::Subject};
pub use code::{Code, Severity};
pub use compare::{
    Change, Comparison, Rebuild, Redeploy, ReleaseChange, ReleaseDef, RowChange, RowValues,
    StageDiff,
    commits::{CommitChange, CommitCount, LockedCommit, commit_changes},
    compare, compare_locked,
};
pub use environment::label;
pub use error_chain::error_chain;
pub use extra::name_problem;
pub use extra::{Extra, ExtraValue};
pub use gate::{Arrival, Freeze, Gates, Soak, StageGate, Verdict, freeze_verdict, soak_verdict};
pub use lock::{
    Lock, LockEntry, Stale, carry, commit_problem, format_timestamp, lock_origin, parse_timestamp,
    stale_entries,
};
pub use matrix::{
    AppKind, AppVersion, Application, Deployment, Matrix, Release, ReleaseMapEntry, StagePin,
};
pub use order::{compare_releases, promotion::PromotionOrder};
pub use refname::branch_name_problem;
pub use renames::renamed;
pub use resolve::{Filter, Index, ResolvedApp, Row, Unresolved, resolve, resolve_stream};
pub use resolve::{Overridden, resolve_entry};
pub use suggest::{UnknownName, did_you_mean, suggestions};
