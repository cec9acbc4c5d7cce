//! The `diff` use case — what a change to a project does: stage releases, resolved rows, the
//! builds and deployments it triggers, the locked commits and the pipelines to re-set — as one
//! document, [`ProjectDiff`], serialised here once: `edx-matrix diff --format json`,
//! `/api/v1/diff` and the `/diff` page all show it.
//!
//! [`RepoFile::diff`] is the whole use case: two versions named in, loaded through
//! [`Project`], both required valid by one rule ([`Scope::Matrix`]: a broken `[pipelines]`
//! leaves the pipeline impact not computed, not the diff undone), redacted (no credential in
//! any URL shown), compared ([`edx_matrix_model::compare`]) and their pipeline impact computed.

use crate::git::GitError;
use crate::git::commit_counts::{CountSettings, count_changes};
use crate::{Invalid, LoadError, Project, RepoFile, Scope, Version};
use edx_matrix_model::CommitChange;
use edx_matrix_model::{Comparison, Rebuild, Redeploy, ReleaseChange, RowChange, StageDiff};
use edx_matrix_model::{Filter, Matrix, resolve};
use edx_matrix_model::{Lock, lock_origin};
use edx_matrix_pipeline::impact::{PipelineImpact, Side, impact};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// Everything `diff` reports: the one document of the CLI and the server.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct ProjectDiff {
    /// The file's path in its git repository (absent when two files are compared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The full hash of the newest commit compared: the head revision's, or the base
    /// revision's when the head is the working tree (absent when two files are compared).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// What the old side is called.
    pub base: String,
    /// What the new side is called.
    pub head: String,
    /// The stages whose release changes.
    pub stages: Vec<StageDiff>,
    /// The releases added, removed or redefined.
    pub releases: Vec<ReleaseChange>,
    /// The resolved rows added, removed or changed.
    pub rows: Vec<RowChange>,
    /// The builds the change triggers.
    pub rebuild: Vec<Rebuild>,
    /// The deployments the change triggers.
    pub redeploy: Vec<Redeploy>,
    /// The locked commits that change (empty when neither side has a lock).
    pub commits: Vec<CommitChange>,
    /// The generated pipelines whose definition changes (left out when neither side has a
    /// `[pipelines]` section).
    #[serde(skip_serializing_if = "PipelineImpact::is_undeclared")]
    pub pipelines: PipelineImpact,
}

impl ProjectDiff {
    /// Returns whether the resolved matrix is unchanged (the pipelines may still change).
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
            && self.releases.is_empty()
            && self.rows.is_empty()
            && self.rebuild.is_empty()
            && self.redeploy.is_empty()
            && self.commits.is_empty()
    }
}

/// One side of a comparison: its name, matrix, locked commits and pipelines. A [`Project`]
/// gives one ([`Project::diff_side`]); so does what the server keeps of the last project it
/// loaded without errors ([`DiffSide::served`]).
pub struct DiffSide<'a> {
    /// The matrix.
    pub matrix: &'a Matrix,
    /// Its well-formed locked commits.
    pub lock: Lock,
    /// Its pipelines (its name is the side's name).
    pub pipelines: Side<'a>,
}

impl<'a> DiffSide<'a> {
    /// The side of a project that loaded without errors, kept as its parts (the server's
    /// served matrix: its matrix, `[pipelines]` settings, templates as read, and lock), called
    /// `name`.
    pub fn served(
        name: &'a str,
        matrix: &'a Matrix,
        settings: &'a edx_matrix_pipeline::Settings,
        templates: Option<&'a edx_matrix_pipeline::TemplateFiles>,
        lock: &'a Lock,
    ) -> DiffSide<'a> {
        DiffSide {
            matrix,
            lock: lock.clone(),
            pipelines: Side {
                name,
                matrix,
                settings,
                templates,
                errors: 0,
                lock: Some(lock),
            },
        }
    }
}

impl Project {
    /// Returns the project as one side of a diff.
    pub fn diff_side(&self) -> DiffSide<'_> {
        DiffSide {
            matrix: self.matrix(),
            lock: self.locked(),
            pipelines: self.pipeline_side(),
        }
    }
}

/// Compares two sides: the one composition of [`edx_matrix_model::compare_locked`]
/// and [`edx_matrix_pipeline::impact`] into a [`ProjectDiff`] (no `file`, no `commit`).
pub fn compare(old: DiffSide<'_>, new: DiffSide<'_>) -> ProjectDiff {
    let Comparison {
        stages,
        releases,
        rows,
        rebuild,
        redeploy,
        commits,
    } = edx_matrix_model::compare_locked(old.matrix, &old.lock, new.matrix, &new.lock);
    ProjectDiff {
        file: None,
        commit: None,
        base: old.pipelines.name.to_owned(),
        head: new.pipelines.name.to_owned(),
        stages,
        releases,
        rows,
        rebuild,
        redeploy,
        commits,
        pipelines: impact(old.pipelines, new.pipelines),
    }
}

/// Returns the pipelines to re-set between two projects (see
/// [`edx_matrix_pipeline::impact::impact`]).
pub fn pipeline_impact(old: &Project, new: &Project) -> PipelineImpact {
    impact(old.pipeline_side(), new.pipeline_side())
}

/// Compares two valid projects by meaning, their locks, and the pipelines generated from them.
pub(crate) fn diff(old: &Project, new: &Project) -> ProjectDiff {
    compare(old.diff_side(), new.diff_side())
}

/// Whether and how the commits of each changed locked range are counted (`--count-commits`).
pub struct Counting {
    /// Where and how to fetch.
    pub settings: CountSettings,
    /// Whether git may fetch an origin with the credential written in the matrix (the CLI,
    /// run by its owner), or not (the server, which serves without authentication).
    pub credentials: bool,
}

/// The URL git fetches for each origin as the lock records it (redacted): the matrix's own.
pub(crate) fn origin_urls(sides: &[&Project]) -> BTreeMap<String, String> {
    let mut urls = BTreeMap::new();
    for project in sides {
        for row in resolve(project.matrix(), &Filter::default()).rows {
            urls.insert(lock_origin(row.git_origin), row.git_origin.to_owned());
        }
    }
    urls
}

/// Counts the commits of every changed range of `commits` (see
/// `crate::git::commit_counts::count_changes`); `urls` are the fetchable URLs
/// (`origin_urls`); an origin not among them is fetched as written when it has no credential.
pub fn count_commits(
    counting: &Counting,
    urls: &BTreeMap<String, String>,
    commits: &mut [CommitChange],
) {
    let url_of = |origin: &str| {
        let url = urls.get(origin).map_or(origin, String::as_str);
        if edx_matrix_model::url::url_credentials(url) && !counting.credentials {
            Err("the origin has a credential, which the server does not use".to_owned())
        } else if edx_matrix_model::url::url_credentials(url) && urls.get(origin).is_none() {
            Err("the origin is not in the matrix".to_owned())
        } else {
            Ok(url.to_owned())
        }
    };
    count_changes(&counting.settings, url_of, commits);
}

/// Why the `diff` use case gives no document.
#[derive(Debug)]
pub enum DiffError {
    /// A side could not be loaded.
    Load(LoadError),
    /// A side's matrix has errors.
    Invalid(Invalid),
    /// A side's lock has errors: no side's commits are taken from half a lock.
    InvalidLock(Box<Project>),
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::Load(e) => write!(f, "{e}"),
            DiffError::Invalid(invalid) => write!(
                f,
                "`{}` has errors ({})",
                invalid.project.source().name,
                invalid.summary()
            ),
            DiffError::InvalidLock(project) => {
                let name = project
                    .lock()
                    .map_or("the lock", |l| l.source.name.as_str());
                write!(f, "the lock `{name}` has errors")
            }
        }
    }
}

impl std::error::Error for DiffError {}

impl From<LoadError> for DiffError {
    fn from(e: LoadError) -> Self {
        DiffError::Load(e)
    }
}

impl From<GitError> for DiffError {
    fn from(e: GitError) -> Self {
        DiffError::Load(LoadError::Git(e))
    }
}

/// Requires `project` valid for a diff: no error in [`Scope::Matrix`], its lock whole.
pub fn require_valid(project: Project) -> Result<Project, DiffError> {
    let project = project
        .require_valid(Scope::Matrix)
        .map_err(DiffError::Invalid)?;
    if project.lock().is_some_and(|l| l.has_errors()) {
        return Err(DiffError::InvalidLock(Box::new(project)));
    }
    Ok(project)
}

/// The `diff` use case on two loaded projects (two files, or two versions of one): both
/// required valid ([`require_valid`]), redacted, compared, their pipeline impact computed; the
/// locked ranges counted when `counting` says so.
pub fn diff_projects(
    old: Project,
    new: Project,
    counting: Option<&Counting>,
) -> Result<ProjectDiff, DiffError> {
    let mut old = require_valid(old)?;
    let mut new = require_valid(new)?;
    // The fetchable URLs before redaction: what `--count-commits` fetches.
    let urls = counting.map(|_| origin_urls(&[&old, &new]));
    old.redact();
    new.redact();
    let mut diff = diff(&old, &new);
    if let (Some(counting), Some(urls)) = (counting, urls) {
        count_commits(counting, &urls, &mut diff.commits);
    }
    Ok(diff)
}

impl RepoFile {
    /// The `diff` use case on two versions of the file: [`diff_projects`] of `base` and
    /// `head` as [`RepoFile::load`] reads them, with the file's path and the commit.
    pub fn diff(
        &self,
        base: &Version,
        head: &Version,
        counting: Option<&Counting>,
    ) -> Result<ProjectDiff, DiffError> {
        let old = self.load(base)?;
        let new = self.load(head)?;
        let mut diff = diff_projects(old, new, counting)?;
        diff.file = Some(self.path.clone());
        diff.commit = match (base, head) {
            (_, Version::Revision(rev)) | (Version::Revision(rev), Version::WorkingTree) => {
                Some(self.repo.resolve_rev(rev)?)
            }
            (Version::WorkingTree, Version::WorkingTree) => None,
        };
        Ok(diff)
    }
}
