//! What the served matrix changes against its committed version, for `/diff` and `/api/v1/diff`.
//!
//! The served matrix (the last version of the file that loaded without errors) is compared with
//! the file at `HEAD` by [`edx_matrix_model::compare`], the comparison behind `edx-matrix diff`.
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
use crate::source::MatrixSource;
use crate::state::AppState;
use axum::http::StatusCode;
use edx_matrix_model::Matrix;
use edx_matrix_model::compare::{Comparison, compare_locked};
use edx_matrix_pipeline::Settings;
use edx_matrix_pipeline::impact::{Change, PipelineImpact, Side, impact};
use edx_matrix_project::Project;
use edx_matrix_project::git::LocalRepo;
use edx_matrix_project::git::commit_counts::{CountSettings, count_changes};
use edx_matrix_project::git::history::{Revision, example, first_error, load_text};
use edx_matrix_project::git::templates::project_at;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The served matrix against the file at `HEAD`.
#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct WorkingDiff {
    /// The file's path in the repository.
    pub file: String,
    /// The commit `HEAD` points to.
    pub commit: String,
    /// The generation of the served matrix that was compared.
    pub generation: u64,
    /// What the base side is called: `HEAD:<file>`.
    pub base: String,
    /// What the head side is called: `<file> (working tree)`.
    pub head: String,
    /// The changes, as `edx-matrix diff --format json` has them.
    #[serde(flatten)]
    pub changes: Comparison,
    /// Whether the head side is the served matrix (the working tree), not a revision.
    #[serde(skip)]
    pub working_tree: bool,
    /// The generated pipelines to re-set, as `edx-matrix diff --format json` has them (left out
    /// when neither side has a `[pipelines]` section).
    #[serde(skip_serializing_if = "PipelineImpact::is_undeclared")]
    pub pipelines: PipelineImpact,
    /// The team and source of each pipeline to re-set, where known (for the page: the JSON of
    /// `edx-matrix diff` has neither), by name.
    #[serde(skip)]
    pub pipeline_origins: BTreeMap<String, PipelineOrigin>,
}

/// Where a generated pipeline is set and what made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipelineOrigin {
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
        if diff.commit == head && diff.generation == generation && diff.file == path {
            return Ok(Arc::clone(diff));
        }
    }
    let show = |file: &str| {
        repo.show_file(&head, file)
            .map_err(|e| Unavailable::failed(&e))
    };
    let (base, committed) = if edx_matrix_project::is_python_package(file) {
        use edx_matrix_formats::python_package::{TYPES, VERSION_MATRIX};
        let name = |f: &str| format!("{path}/{f}");
        let version_matrix = show(&name(VERSION_MATRIX))?.ok_or_else(never)?;
        let types = show(&name(TYPES))?;
        let text = edx_matrix_project::package_text(types.as_deref(), &version_matrix);
        let base = format!("HEAD:{path}");
        let mut loaded = edx_matrix_project::Project::from_text(
            base.clone(),
            edx_matrix_project::SourceFormat::PythonPackage,
            text,
        );
        edx_matrix_formats::terminal::redact_matrix(&mut loaded.loaded.matrix);
        (base, loaded)
    } else {
        let text = show(&path)?.ok_or_else(never)?;
        let base = format!("HEAD:{path}");
        // `HEAD`'s templates, from its tree.
        let mut loaded = project_at(&repo, &head, "HEAD", &path, base.clone(), text);
        // Redacted as the served matrix is, before its pipelines render: both sides alike.
        edx_matrix_formats::terminal::redact_matrix(&mut loaded.loaded.matrix);
        (base, loaded)
    };
    // Broken `[pipelines]` at `HEAD` still gives the rest of the diff (as `edx-matrix diff`).
    if committed.matrix_errors() > 0 {
        return Err(Unavailable::none(format!(
            "diff is unavailable: `{base}` has errors ({})",
            first_error(&committed.loaded)
        )));
    }
    let head_name = format!("{path} (working tree)");
    let pipelines = impact(
        committed.pipeline_side(),
        Side {
            name: &head_name,
            matrix: &served.loaded.matrix,
            settings: &served.pipelines,
            templates: served.templates.as_ref(),
            errors: 0,
            lock: Some(&served.lock),
        },
    );
    let pipeline_origins = origins(
        &pipelines,
        Generated::Project(&committed),
        Generated::Served(served),
    );
    let mut changes = compare_locked(
        committed.matrix(),
        &committed.locked(),
        &served.loaded.matrix,
        &served.lock,
    );
    count(counting, &mut changes);
    let diff = Arc::new(WorkingDiff {
        changes,
        pipelines,
        pipeline_origins,
        head: head_name,
        file: path,
        commit: head,
        generation,
        base,
        working_tree: true,
    });
    *last = Some(Arc::clone(&diff));
    Ok(diff)
}

/// Counts the commit ranges of `changes` when the server was started to (`serve
/// --count-commits`). The served matrices are redacted: an origin with a credential is not
/// fetched (the server does not hold it).
fn count(counting: Option<&CountSettings>, changes: &mut Comparison) {
    let Some(settings) = counting else {
        return;
    };
    let url_of = |origin: &str| {
        if edx_matrix_model::url::url_credentials(origin) {
            Err("the origin has a credential, which the server does not use".to_owned())
        } else {
            Ok(origin.to_owned())
        }
    };
    count_changes(settings, url_of, &mut changes.commits);
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
    Git { repo: LocalRepo, path: String },
}

impl Store {
    fn file(&self) -> &str {
        match self {
            Store::Example(_) => example::FILE,
            Store::Git { path, .. } => path,
        }
    }

    /// Returns the full commit hash of `rev` (cheap: no file read, no template run).
    fn resolve(&self, rev: &str) -> Result<String, Unavailable> {
        match self {
            Store::Example(_) => self.read(rev).map(|(hash, _)| hash),
            Store::Git { repo, .. } => repo.resolve_rev(rev).map_err(|e| match e {
                edx_matrix_project::git::GitError::UnknownRev { .. }
                | edx_matrix_project::git::GitError::InvalidRev { .. } => {
                    Unavailable::none(format!("diff is unavailable: unknown revision `{rev}`"))
                }
                e => Unavailable::failed(&e),
            }),
        }
    }

    /// Returns the full commit hash of `rev` and the file's text there.
    fn read(&self, rev: &str) -> Result<(String, String), Unavailable> {
        let unknown =
            || Unavailable::none(format!("diff is unavailable: unknown revision `{rev}`"));
        match self {
            Store::Example(revisions) => {
                let found = revisions.iter().find(|r| {
                    r.commit.hash == rev || (rev.len() >= 4 && r.commit.hash.starts_with(rev))
                });
                let r = found.ok_or_else(unknown)?;
                let text = r.text.clone().map_err(Unavailable::none)?;
                Ok((r.commit.hash.clone(), text))
            }
            Store::Git { repo, path } => {
                let hash = repo.resolve_rev(rev).map_err(|e| match e {
                    edx_matrix_project::git::GitError::UnknownRev { .. }
                    | edx_matrix_project::git::GitError::InvalidRev { .. } => unknown(),
                    e => Unavailable::failed(&e),
                })?;
                let text = repo
                    .show_file(&hash, path)
                    .map_err(|e| Unavailable::failed(&e))?
                    .ok_or_else(|| {
                        Unavailable::none(format!(
                            "diff is unavailable: `{path}` does not exist at `{rev}`"
                        ))
                    })?;
                Ok((hash, text))
            }
        }
    }

    /// Loads the file at `rev`: the commit hash, the name diagnostics use, the matrix.
    fn load(&self, rev: &str) -> Result<(String, String, Project), Unavailable> {
        let (hash, text) = self.read(rev)?;
        let short = hash.get(..7).unwrap_or(&hash);
        let name = format!("{short}:{}", self.file());
        // The revision's templates: the example's are embedded, a file's come from the
        // revision's tree.
        let mut loaded = match self {
            Store::Example(_) => load_text(Path::new(self.file()), name.clone(), text)
                .with_templates(&edx_matrix_project::Embedded),
            Store::Git { repo, path } => project_at(repo, &hash, short, path, name.clone(), text),
        };
        // A revision is served like the matrix itself: no credential in any URL it shows.
        edx_matrix_formats::terminal::redact_matrix(&mut loaded.loaded.matrix);
        if loaded.has_errors() {
            return Err(Unavailable::none(format!(
                "diff is unavailable: `{name}` has errors ({})",
                first_error(&loaded.loaded)
            )));
        }
        Ok((hash, name, loaded))
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
            Store::Git { repo, path }
        }
    };
    // One of a few revision loads at a time, off the async workers; the same revisions again
    // come from the cache.
    let permit = state.revisions.permit().await?;
    let loads = Arc::clone(state);
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let key = (
            revs.base
                .as_deref()
                .map(|r| store.resolve(r))
                .transpose()?
                .unwrap_or_default(),
            revs.head
                .as_deref()
                .map(|r| store.resolve(r))
                .transpose()?
                .unwrap_or_default(),
            generation,
        );
        if let Some(diff) = loads.revisions.get(&key) {
            return Ok(diff);
        }
        let (base_name, base) = match &revs.base {
            Some(rev) => {
                let (_, name, project) = store.load(rev)?;
                (name, Some(project))
            }
            None => {
                debug_assert!(first_revision);
                ("(nothing: the first revision)".to_owned(), None)
            }
        };
        // The first revision is compared with nothing: an empty matrix, default settings.
        let (empty_matrix, default_settings) = (Matrix::default(), Settings::default());
        let base_side = base.as_ref().map_or(
            Side {
                name: &base_name,
                matrix: &empty_matrix,
                settings: &default_settings,
                templates: None,
                errors: 0,
                lock: None,
            },
            Project::pipeline_side,
        );
        let old = base.as_ref().map_or(Generated::Nothing, Generated::Project);
        // The first revision has no lock to compare with: every locked commit is added.
        let base_lock = base.as_ref().map(Project::locked).unwrap_or_default();
        let (commit, head_name, changes, pipelines, origins, working_tree) = match &revs.head {
            Some(rev) => {
                let (hash, name, project) = store.load(rev)?;
                let changes = compare_locked(
                    base_side.matrix,
                    &base_lock,
                    project.matrix(),
                    &project.locked(),
                );
                let pipelines = impact(base_side, project.pipeline_side());
                let origins = origins(&pipelines, old, Generated::Project(&project));
                (hash, name, changes, pipelines, origins, false)
            }
            None => {
                let Some(good) = served else {
                    return Err(Unavailable {
                        status: StatusCode::SERVICE_UNAVAILABLE,
                        reason: "the served matrix has not loaded without errors yet".to_owned(),
                    });
                };
                let changes = compare_locked(
                    base_side.matrix,
                    &base_lock,
                    &good.loaded.matrix,
                    &good.lock,
                );
                let head = format!("{} (served)", store.file());
                let pipelines = impact(
                    base_side,
                    Side {
                        name: &head,
                        matrix: &good.loaded.matrix,
                        settings: &good.pipelines,
                        templates: good.templates.as_ref(),
                        errors: 0,
                        lock: Some(&good.lock),
                    },
                );
                let origins = origins(&pipelines, old, Generated::Served(&good));
                (String::new(), head, changes, pipelines, origins, true)
            }
        };
        let mut changes = changes;
        count(loads.count_commits.as_ref(), &mut changes);
        let diff = Arc::new(WorkingDiff {
            file: store.file().to_owned(),
            commit,
            generation,
            base: base_name,
            head: head_name,
            changes,
            pipelines,
            pipeline_origins: origins,
            working_tree,
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
