//! What the served matrix changes against its committed version, for `/diff` and `/api/v1/diff`.
//!
//! The served matrix (the last version of the file that loaded without errors) is compared with
//! the file at `HEAD` through the `diff` use case of [`edx_matrix_project::diff`]: revisions load
//! through [`RepoFile::at`] and are required valid by its rule, and [`compare`] composes the
//! one [`ProjectDiff`] `edx-matrix diff --format json` prints, the served matrix standing as the
//! working-tree side.
//! The result is kept until `HEAD` moves or the served matrix is reloaded. The built-in example, a
//! file outside any git working tree, and a file never committed have nothing to compare with.
//!
//! `/diff?base=REV&head=REV` compares two revisions of the file instead, as `edx-matrix diff BASE
//! HEAD` does (`between`); `?head=REV` alone shows what that commit changed (against the
//! revision before it in the file's history, or an empty matrix for the first); `?base=REV`
//! alone compares that revision with the served matrix. For the built-in example the revisions
//! are those of its synthetic history.

use crate::history::{Unavailable, locate};
use crate::snapshot::Good;
use crate::state::AppState;
use axum::http::StatusCode;
use edx_matrix_model::CommitChange;
use edx_matrix_model::Lock;
use edx_matrix_model::Matrix;
use edx_matrix_pipeline::Settings;
use edx_matrix_pipeline::impact::{Change, PipelineImpact, Side};
use edx_matrix_project::MatrixSource;
use edx_matrix_project::git::CountSettings;
use edx_matrix_project::git::history::{Revision, example, load_text};
use edx_matrix_project::revision_label;
use edx_matrix_project::{
    Counting, DiffError, DiffSide, ProjectDiff, compare, count_commits, require_valid,
};
use edx_matrix_project::{LoadError, Project, RepoFile};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// A diff as the server keeps it: the document `edx-matrix diff --format json` prints
/// ([`ProjectDiff`], what `/api/v1/diff` serves), and what only the page needs.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct WorkingDiff {
    /// The document.
    pub diff: ProjectDiff,
    /// The generation of the served matrix that was compared (the page says it; the cache
    /// keys on it).
    pub generation: u64,
    /// Whether the head side is the served matrix (the working tree), not a revision.
    pub working_tree: bool,
    /// Whether this is the served matrix against `HEAD` (`/diff` without revisions).
    pub at_head: bool,
    /// The team and source of each pipeline to re-set, where known (for the page: the JSON of
    /// `edx-matrix diff` has neither), by name.
    pub pipeline_origins: BTreeMap<String, PipelineOrigin>,
}

impl std::ops::Deref for WorkingDiff {
    type Target = ProjectDiff;
    fn deref(&self) -> &ProjectDiff {
        &self.diff
    }
}

/// Where a generated pipeline is set and what made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PipelineOrigin {
    /// The Concourse team.
    pub team: String,
    /// `standard`, `meta`, or the path of the template that made it.
    pub source: String,
}

/// The pipelines of one side of a diff, for their origins.
enum Generated<'a> {
    /// The served matrix's, rendered when it was loaded.
    Served(&'a Good),
    /// A revision's: rendered only if a pipeline to re-set needs it (the impact rendered it
    /// once already, but keeps only the differences).
    Project(&'a Project),
    /// An empty side: no pipeline.
    Nothing,
}

impl Generated<'_> {
    fn find(&self, name: &str) -> Option<PipelineOrigin> {
        let origin = |info: &edx_matrix_pipeline::PipelineInfo| PipelineOrigin {
            team: info.team.clone(),
            source: info.source.clone(),
        };
        match self {
            Generated::Served(good) => good.pipeline_infos.iter().find(|i| i.name == name),
            Generated::Project(project) => (project.rendering().outcome.iter())
                .flat_map(|o| o.pipelines.iter().map(|p| &p.info))
                .find(|i| i.name == name),
            Generated::Nothing => None,
        }
        .map(origin)
    }
}

/// Returns the origin of every pipeline `impact` re-sets: a removed one's from `old`, the
/// others' from `new`.
fn origins(
    impact: &PipelineImpact,
    old: Generated<'_>,
    new: Generated<'_>,
) -> BTreeMap<String, PipelineOrigin> {
    (impact.changes.iter())
        .filter_map(|c| {
            let side = if c.change == Change::Removed {
                &old
            } else {
                &new
            };
            Some((c.name.clone(), side.find(&c.name)?))
        })
        .collect()
}

/// The last diff computed, with the `HEAD` commit and the generation it was computed at.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    last: Mutex<Option<Arc<WorkingDiff>>>,
}

/// Returns what the served matrix changes against `HEAD`.
pub(crate) async fn diff(state: &Arc<AppState>) -> Result<Arc<WorkingDiff>, Unavailable> {
    let file = match state.source() {
        MatrixSource::Example => {
            return Err(Unavailable::none(
                "diff is unavailable: the built-in example is not in a git repository".to_owned(),
            ));
        }
        MatrixSource::File(file) => file.clone(),
    };
    let snapshot = state.snapshot();
    let Some(good) = snapshot.good.clone() else {
        return Err(Unavailable {
            status: StatusCode::SERVICE_UNAVAILABLE,
            reason: format!(
                "`{}` has not loaded without errors yet",
                snapshot.latest.source_name
            ),
        });
    };
    // `HEAD`'s templates run too: one of the few revision loads at a time.
    let permit = state.revisions.permit().await?;
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        read(&state.diff, &file, &good, state.count_commits.as_ref())
    })
    .await
    .unwrap_or_else(|e| {
        Err(Unavailable {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            reason: format!("cannot compute the diff: {e}"),
        })
    })
}

fn read(
    cache: &Cache,
    file: &Path,
    served: &Good,
    counting: Option<&CountSettings>,
) -> Result<Arc<WorkingDiff>, Unavailable> {
    let generation = served.generation;
    let (repo, path, head) = locate("diff", file)?;
    let never = || {
        Unavailable::none(format!(
            "diff is unavailable: `{path}` has never been committed"
        ))
    };
    let Some(head) = head else {
        return Err(never());
    };
    // A poisoned lock only means another reader panicked; the cached value is still whole.
    let mut last = cache.last.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(diff) = last.as_ref() {
        if diff.commit.as_deref() == Some(head.as_str())
            && diff.generation == generation
            && diff.file.as_deref() == Some(path.as_str())
        {
            return Ok(Arc::clone(diff));
        }
    }
    let repo_file = RepoFile {
        repo,
        file: file.to_path_buf(),
        path: path.clone(),
    };
    // `HEAD`'s templates and lock from its tree; valid by the `diff` rule (a broken
    // `[pipelines]` at `HEAD` still gives the rest of the diff, as `edx-matrix diff`).
    let committed = match repo_file
        .at("HEAD")
        .map_err(DiffError::Load)
        .and_then(require_valid)
    {
        Ok(project) => project,
        Err(DiffError::Load(LoadError::Missing { .. })) => return Err(never()),
        Err(e) => return Err(unavailable(e)),
    };
    let mut committed = committed;
    // Redacted as the served matrix is, before its pipelines render: both sides alike.
    committed.redact();
    let head_name = repo_file.working_tree_name();
    let mut diff = compare(committed.diff_side(), served_side(served, &head_name));
    diff.file = Some(path);
    diff.commit = Some(head);
    let pipeline_origins = origins(
        &diff.pipelines,
        Generated::Project(&committed),
        Generated::Served(served),
    );
    count(counting, &mut diff.commits);
    let diff = Arc::new(WorkingDiff {
        diff,
        pipeline_origins,
        generation,
        working_tree: true,
        at_head: true,
    });
    *last = Some(Arc::clone(&diff));
    Ok(diff)
}

/// The served matrix as the new side of a diff, called `name`.
fn served_side<'a>(served: &'a Good, name: &'a str) -> DiffSide<'a> {
    DiffSide::served(
        name,
        &served.loaded.matrix,
        &served.pipelines,
        served.templates.as_ref(),
        &served.lock,
    )
}

/// Why a side could not be compared, as the page and the API say it (404; 500 when git failed).
fn unavailable(e: DiffError) -> Unavailable {
    match e {
        DiffError::Load(LoadError::Git(e)) => Unavailable::failed(&e),
        e => Unavailable::none(format!("diff is unavailable: {e}")),
    }
}

/// Counts the commit ranges of `commits` when the server was started to (`serve
/// --count-commits`). The served matrices are redacted: an origin with a credential is not
/// fetched (the server does not hold it).
fn count(counting: Option<&CountSettings>, commits: &mut [CommitChange]) {
    let Some(settings) = counting else {
        return;
    };
    let counting = Counting {
        settings: settings.clone(),
        credentials: false,
    };
    count_commits(&counting, &BTreeMap::new(), commits);
}

/// The revisions `/diff` and `/api/v1/diff` are asked to compare.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Revs {
    pub base: Option<String>,
    pub head: Option<String>,
}

impl Revs {
    /// Parses `?base=REV&head=REV`; the message says what is wrong.
    pub(crate) fn parse(query: Option<&str>) -> Result<Self, String> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or(""))
            .map_err(|e| format!("bad query string: {e}"))?;
        let mut revs = Revs::default();
        for (key, value) in pairs {
            let slot = match key.as_str() {
                "base" => &mut revs.base,
                "head" => &mut revs.head,
                _ => {
                    return Err(format!(
                        "unknown query parameter `{key}`; the parameters are `base` and `head`"
                    ));
                }
            };
            if value.is_empty() {
                return Err(format!("query parameter `{key}` is empty"));
            }
            if slot.replace(value).is_some() {
                return Err(format!("query parameter `{key}` is given twice"));
            }
        }
        Ok(revs)
    }

    /// Whether any revision is asked for (else `/diff` shows the uncommitted changes).
    pub(crate) fn any(&self) -> bool {
        self.base.is_some() || self.head.is_some()
    }
}

/// Where the revisions of the served file are read from.
enum Store {
    Example(Vec<Revision>),
    Git(RepoFile),
}

impl Store {
    fn file(&self) -> &str {
        match self {
            Store::Example(_) => example::FILE,
            Store::Git(repo_file) => &repo_file.path,
        }
    }

    /// Returns the full commit hash of `rev` (cheap: no file read, no template run).
    fn resolve(&self, rev: &str) -> Result<String, Unavailable> {
        let unknown =
            || Unavailable::none(format!("diff is unavailable: unknown revision `{rev}`"));
        match self {
            Store::Example(revisions) => Ok(Self::example(revisions, rev)
                .ok_or_else(unknown)?
                .commit
                .hash
                .clone()),
            Store::Git(repo_file) => repo_file.repo.resolve_rev(rev).map_err(|e| match e {
                edx_matrix_project::git::GitError::UnknownRev { .. }
                | edx_matrix_project::git::GitError::InvalidRev { .. } => unknown(),
                e => Unavailable::failed(&e),
            }),
        }
    }

    /// The example's revision `rev` (a hash, or a prefix of at least 4 digits).
    fn example<'r>(revisions: &'r [Revision], rev: &str) -> Option<&'r Revision> {
        revisions
            .iter()
            .find(|r| r.commit.hash == rev || (rev.len() >= 4 && r.commit.hash.starts_with(rev)))
    }

    /// Loads the file at `rev` as the `diff` use case does ([`RepoFile::at`], valid by its
    /// rule, redacted): the commit hash and the project, called `LABEL:FILE`.
    fn load(&self, rev: &str) -> Result<(String, Project), Unavailable> {
        let hash = self.resolve(rev)?;
        let project = match self {
            // The example's templates are embedded.
            Store::Example(revisions) => {
                let found = Self::example(revisions, rev).expect("resolved above");
                let text = found.text.clone().map_err(Unavailable::none)?;
                let name = format!("{}:{}", revision_label(rev), self.file());
                load_text(Path::new(self.file()), name, text)
                    .with_templates(&edx_matrix_project::Embedded)
            }
            Store::Git(repo_file) => repo_file.at(rev).map_err(|e| unavailable(e.into()))?,
        };
        let mut project = require_valid(project).map_err(unavailable)?;
        // A revision is served like the matrix itself: no credential in any URL it shows.
        project.redact();
        Ok((hash, project))
    }
}

/// Returns what changes between the revisions `revs` asks for (see the module documentation).
pub(crate) async fn between(
    state: &Arc<AppState>,
    revs: Revs,
) -> Result<Arc<WorkingDiff>, Unavailable> {
    // `?head=` alone: the revision before it in the file's history.
    let mut revs = revs;
    let mut first_revision = false;
    if let (None, Some(head)) = (&revs.base, &revs.head) {
        let history = crate::history::history(state).await?;
        let at = (history.commits.iter())
            .find(|c| c.hash == *head || (head.len() >= 4 && c.hash.starts_with(head.as_str())));
        match at {
            Some(commit) => match history.previous(&commit.hash) {
                Some(previous) => revs.base = Some(previous.hash.clone()),
                None => first_revision = true,
            },
            None => {
                return Err(Unavailable::none(format!(
                    "diff is unavailable: `{head}` is not a revision of `{}`",
                    history.file
                )));
            }
        }
    }
    let snapshot = state.snapshot();
    let served = snapshot.good.clone();
    let generation = snapshot.generation;
    let store = match state.source() {
        MatrixSource::Example => Store::Example(example::revisions()),
        MatrixSource::File(file) => {
            let (repo, path, _) = locate("diff", file)?;
            Store::Git(RepoFile {
                repo,
                file: file.clone(),
                path,
            })
        }
    };
    // One of a few revision loads at a time, off the async workers; the same revisions again
    // come from the cache.
    let permit = state.revisions.permit().await?;
    let loads = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        // The commits and the revisions as given: the sides are named as given (`HEAD~1`).
        let key_of = |rev: Option<&str>| -> Result<String, Unavailable> {
            rev.map_or(Ok(String::new()), |r| {
                Ok(format!("{} {}", store.resolve(r)?, revision_label(r)))
            })
        };
        let key = (
            key_of(revs.base.as_deref())?,
            key_of(revs.head.as_deref())?,
            generation,
        );
        if let Some(diff) = loads.revisions.get(&key) {
            return Ok(diff);
        }
        let (base_hash, base) = match &revs.base {
            Some(rev) => {
                let (hash, project) = store.load(rev)?;
                (Some(hash), Some(project))
            }
            None => {
                debug_assert!(first_revision);
                (None, None)
            }
        };
        // The first revision is compared with nothing: an empty matrix, default settings.
        let base_name = "(nothing: the first revision)";
        let (empty_matrix, default_settings) = (Matrix::default(), Settings::default());
        let base_side = || {
            base.as_ref().map_or(
                DiffSide {
                    matrix: &empty_matrix,
                    // The first revision has no lock to compare with: every locked commit is
                    // added.
                    lock: Lock::default(),
                    pipelines: Side {
                        name: base_name,
                        matrix: &empty_matrix,
                        settings: &default_settings,
                        templates: None,
                        errors: 0,
                        lock: None,
                    },
                },
                Project::diff_side,
            )
        };
        let old = base.as_ref().map_or(Generated::Nothing, Generated::Project);
        let head_name = store.served_name();
        let (mut diff, origins, working_tree) = match &revs.head {
            Some(rev) => {
                let (hash, project) = store.load(rev)?;
                let mut diff = compare(base_side(), project.diff_side());
                diff.commit = Some(hash);
                let origins = origins(&diff.pipelines, old, Generated::Project(&project));
                (diff, origins, false)
            }
            None => {
                let Some(good) = served else {
                    return Err(Unavailable {
                        status: StatusCode::SERVICE_UNAVAILABLE,
                        reason: "the served matrix has not loaded without errors yet".to_owned(),
                    });
                };
                let mut diff = compare(base_side(), served_side(&good, &head_name));
                // The newest commit compared: the base's (as `edx-matrix diff REV`).
                diff.commit = base_hash;
                let origins = origins(&diff.pipelines, old, Generated::Served(&good));
                (diff, origins, true)
            }
        };
        diff.file = Some(store.file().to_owned());
        count(loads.count_commits.as_ref(), &mut diff.commits);
        let diff = Arc::new(WorkingDiff {
            diff,
            generation,
            pipeline_origins: origins,
            working_tree,
            at_head: false,
        });
        loads.revisions.put(key, Arc::clone(&diff));
        Ok(diff)
    })
    .await
    .unwrap_or_else(|e| {
        Err(Unavailable {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            reason: format!("cannot compute the diff: {e}"),
        })
    })
}

impl Store {
    /// What the served side is called, as `edx-matrix diff` calls the working-tree file.
    fn served_name(&self) -> String {
        match self {
            Store::Example(_) => format!("{} (working tree)", example::FILE),
            Store::Git(repo_file) => repo_file.working_tree_name(),
        }
    }
}
