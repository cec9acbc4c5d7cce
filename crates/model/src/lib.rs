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
pub mod calendar;
pub mod check;
pub mod code;
pub mod compare;
pub mod environment;
pub mod error_chain;
pub mod extra;
pub mod gate;
pub mod history;
pub mod known_names;
pub mod lock;
pub mod lookup;
pub mod matrix;
pub mod names;
pub mod order;
pub mod refname;
pub mod renames;
pub mod resolve;
pub mod suggest;
pub mod url;
pub mod vars;

pub use check::{MatrixProblem, Subject, check};
pub use code::{Code, Severity};
pub use extra::{Extra, ExtraValue};
pub use matrix::{
    AppKind, AppVersion, Application, Deployment, Matrix, Release, ReleaseMapEntry, StagePin,
};
pub use names::{
    ApplicationName, BranchName, DeploymentName, GitUrl, MfePath, ReleaseName, RuntimeVersion,
    StageName,
};
pub use resolve::{Filter, Index, Resolution, ResolvedApp, Row, resolve};
pub use vars::{VarValue, Vars};
