//! One consistent view of the served matrix: the last good matrix with its precomputed API
//! bodies, and the outcome of the latest load attempt (which may have failed).

use axum::body::Bytes;
use edx_matrix_formats::JsonDiagnostic;
use edx_matrix_formats::{Diagnostic, Loaded, Source, Summary, interchange};
use edx_matrix_model::{AppKind, Filter, resolve};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

/// A matrix without errors, ready to serve.
#[derive(Debug)]
pub struct Good {
    /// The loaded matrix (warnings only).
    pub loaded: Loaded,
    /// Its `[pipelines]` settings (for the pipeline impact of `/diff`).
    pub pipelines: edx_matrix_pipeline::Settings,
    /// Its pipeline templates as the loader read them (for the pipeline impact of `/diff`).
    pub templates: Option<edx_matrix_pipeline::TemplateFiles>,
    /// The warnings of its templates, each with its template file's source.
    pub template_warnings: Vec<(Source, Diagnostic)>,
    /// What `edx-matrix pipeline list` says of each pipeline it generates (team, source), for
    /// `/diff`.
    pub pipeline_infos: Vec<edx_matrix_pipeline::PipelineInfo>,
    /// The generation at which it was loaded.
    pub generation: u64,
    /// The well-formed entries of the lock beside the matrix (empty without one).
    pub lock: edx_matrix_model::Lock,
    /// Each locked (deployment, stage): how many of its rows carry a locked commit, and how
    /// many have no matching entry (stale), for the grid's marks.
    pub(crate) locked_stages: BTreeMap<(String, String), StageLock>,
    /// When it was loaded.
    pub loaded_at: SystemTime,
    /// Every resolved row, in the resolution order, with its JSON text.
    pub(crate) rows: Vec<RowRecord>,
    /// The interchange JSON of the matrix.
    pub(crate) model_body: Bytes,
    /// Every (repository key, branch) a row builds: the only heads push webhooks record.
    pub(crate) branch_keys: std::collections::HashSet<(String, String)>,
}

/// How much of a locked stage its lock still locks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct StageLock {
    /// Rows carrying a locked commit.
    pub locked: usize,
    /// Rows without a matching entry: their origin or branch changed, or they were added.
    pub stale: usize,
}

/// A resolved row's filter keys and its serialised form.
#[derive(Debug)]
pub(crate) struct RowRecord {
    pub deployment: Box<str>,
    pub stage: Box<str>,
    pub release: Box<str>,
    pub application: Box<str>,
    pub kind: AppKind,
    /// The row object as compact JSON, exactly as `edx-matrix resolve --format json` has it.
    pub json: Box<str>,
}

impl RowRecord {
    /// Returns whether the row passes `filter`.
    pub(crate) fn matches(&self, filter: &Filter) -> bool {
        filter.admits(
            &self.deployment,
            &self.stage,
            &self.release,
            &self.application,
            self.kind,
        )
    }
}

/// The API's lock fields of a row of a locked stage (its `commit` is `resolve --format json`'s):
/// `locked_at` beside the commit, or `lock_stale` when it has no matching entry.
fn lock_fields(
    lock: &edx_matrix_model::Lock,
    row: &edx_matrix_model::Row<'_>,
    json: &mut serde_json::Value,
) {
    let entry = lock.get(row.deployment, row.stage, row.application);
    match (row.commit, entry) {
        (Some(_), Some(entry)) => json["locked_at"] = entry.locked_at.clone().into(),
        _ => json["lock_stale"] = true.into(),
    }
}

impl Good {
    /// Precomputes what the API serves for `loaded`, which must have no errors (nor its
    /// templates).
    pub(crate) fn new(
        loaded: Loaded,
        pipelines: edx_matrix_pipeline::Settings,
        rendered: Rendered,
        generation: u64,
        lock: edx_matrix_model::Lock,
    ) -> Result<Self, serde_json::Error> {
        let mut resolved = resolve(&loaded.matrix, &Filter::default()).rows;
        lock.apply(&mut resolved);
        // The stages the lock has entries for, once (not a scan of the lock per row).
        let mut locked_stages: BTreeMap<(String, String), StageLock> = (lock.entries().iter())
            .map(|e| {
                (
                    (e.deployment.clone(), e.stage.clone()),
                    StageLock::default(),
                )
            })
            .collect();
        let rows = resolved
            .iter()
            .map(|row| {
                let mut json = interchange::row_json(&loaded.matrix, row);
                let key = (row.deployment.to_owned(), row.stage.to_owned());
                if let Some(stage) = locked_stages.get_mut(&key) {
                    lock_fields(&lock, row, &mut json);
                    match row.commit {
                        Some(_) => stage.locked += 1,
                        None => stage.stale += 1,
                    }
                }
                Ok(RowRecord {
                    deployment: row.deployment.into(),
                    stage: row.stage.into(),
                    release: row.release.into(),
                    application: row.application.into(),
                    kind: row.kind,
                    json: serde_json::to_string(&json)?.into(),
                })
            })
            .collect::<Result<Vec<_>, serde_json::Error>>()?;
        // Distinct (origin, branch) pairs first: far fewer than rows, one key each.
        let pairs: std::collections::HashSet<(&str, &str)> = (resolved.iter())
            .map(|r| (r.git_origin, r.release_branch))
            .collect();
        let branch_keys = (pairs.into_iter())
            .filter_map(|(origin, branch)| {
                Some((crate::branch_heads::repo_key(origin)?, branch.to_owned()))
            })
            .collect();
        let model_body = Bytes::from(serde_json::to_vec(&interchange::to_json(&loaded.matrix))?);
        Ok(Good {
            lock,
            locked_stages,
            loaded,
            pipelines,
            templates: rendered.templates,
            template_warnings: rendered.diagnostics,
            pipeline_infos: rendered.infos,
            generation,
            loaded_at: SystemTime::now(),
            rows,
            model_body,
            branch_keys,
        })
    }

    /// Returns the JSON array of the rows passing `filter`.
    pub(crate) fn rows_json(&self, filter: &Filter) -> Vec<u8> {
        let mut body = Vec::with_capacity(4096);
        body.push(b'[');
        for row in self.rows.iter().filter(|r| r.matches(filter)) {
            if body.len() > 1 {
                body.push(b',');
            }
            body.extend_from_slice(row.json.as_bytes());
        }
        body.push(b']');
        body
    }

    /// Returns the warnings of the served matrix and of its templates, each with its source.
    pub fn warnings(&self) -> impl Iterator<Item = (&Source, &Diagnostic)> {
        let in_matrix = self.loaded.diagnostics.iter().filter(|d| !d.is_error());
        (in_matrix.map(|d| (&self.loaded.source, d)))
            .chain(self.template_warnings.iter().map(|(s, d)| (s, d)))
    }
}

/// What running a project's templates gave, kept with its attempt and its good matrix.
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    /// The templates as read.
    pub templates: Option<edx_matrix_pipeline::TemplateFiles>,
    /// Their diagnostics, located in their files.
    pub diagnostics: Vec<(Source, Diagnostic)>,
    /// The pipelines generated, when they could be.
    pub infos: Vec<edx_matrix_pipeline::PipelineInfo>,
}

impl Rendered {
    /// Takes what the server keeps of `project`'s templates and their rendering.
    pub(crate) fn of(project: &edx_matrix_project::Project) -> Self {
        if !project.declares_pipelines() {
            return Rendered {
                templates: project.templates().map(|t| t.files.clone()),
                ..Rendered::default()
            };
        }
        let rendering = project.rendering();
        Rendered {
            templates: project.templates().map(|t| t.files.clone()),
            diagnostics: rendering.diagnostics.clone(),
            infos: (rendering.outcome.iter())
                .flat_map(|o| o.pipelines.iter().map(|p| p.info.clone()))
                .collect(),
        }
    }
}

/// The outcome of one attempt to load the source.
#[derive(Debug)]
pub struct Attempt {
    /// The source's display name.
    pub source_name: String,
    /// The generation this attempt produced.
    pub generation: u64,
    /// When it was made.
    pub at: SystemTime,
    /// The loaded matrix with its diagnostics, or why the source could not be read.
    pub outcome: Result<Arc<Loaded>, String>,
    /// The diagnostics of its pipeline templates, each with its template file's source (as
    /// `edx-matrix check` reports them); empty when they did not run (the matrix has errors).
    pub templates: Vec<(Source, Diagnostic)>,
}

impl Attempt {
    /// Returns whether the attempt produced a matrix without errors, its templates included.
    pub fn is_good(&self) -> bool {
        self.outcome.as_ref().is_ok_and(|l| !l.has_errors())
            && !self.templates.iter().any(|(_, d)| d.is_error())
    }

    /// Returns every diagnostic, each with its source: the matrix file's, then the templates'.
    pub fn diagnostics(&self) -> Vec<(&Source, &Diagnostic)> {
        let in_matrix = self.outcome.iter().flat_map(|l| {
            let source = &l.source;
            l.diagnostics.iter().map(move |d| (source, d))
        });
        in_matrix
            .chain(self.templates.iter().map(|(s, d)| (s, d)))
            .collect()
    }

    /// Returns why the attempt is not served, when it is not: the read failure, or its first
    /// error as `file:line:col: code: message` (what `/healthz` says).
    pub fn reason(&self) -> Option<String> {
        if let Err(e) = &self.outcome {
            return Some(e.clone());
        }
        let (source, d) = self.diagnostics().into_iter().find(|(_, d)| d.is_error())?;
        let d = d.to_json(source);
        let at = match (d.line, d.column, &d.json_path) {
            (Some(line), Some(column), _) => format!("{}:{line}:{column}", d.file),
            (_, _, Some(path)) => format!("{} at {path}", d.file),
            _ => d.file.clone(),
        };
        Some(format!("{at}: {}: {}", d.code, d.message))
    }

    /// Returns the error and warning counts (a read failure counts as one error).
    pub fn summary(&self) -> Summary {
        let mut summary = match &self.outcome {
            Ok(loaded) => loaded.summary(),
            Err(_) => Summary {
                errors: 1,
                warnings: 0,
            },
        };
        for (_, d) in &self.templates {
            if d.is_error() {
                summary.errors += 1;
            } else {
                summary.warnings += 1;
            }
        }
        summary
    }
}

/// Which matrix the server is serving, relative to the latest attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Serving {
    /// The latest attempt succeeded and is served.
    Latest,
    /// The latest attempt failed; an earlier good matrix is served.
    LastGood,
    /// No attempt has succeeded yet; nothing is served.
    None,
}

impl Serving {
    fn of(has_good: bool, latest_is_good: bool) -> Self {
        match (has_good, latest_is_good) {
            (true, true) => Serving::Latest,
            (true, false) => Serving::LastGood,
            (false, _) => Serving::None,
        }
    }
}

/// Everything a request sees, swapped atomically on reload.
#[derive(Debug)]
pub struct Snapshot {
    /// Increases by one with every load attempt that found something new.
    pub generation: u64,
    /// The last matrix that loaded without errors.
    pub good: Option<Arc<Good>>,
    /// The latest load attempt.
    pub latest: Arc<Attempt>,
    /// The body of `/api/v1/diagnostics`.
    pub(crate) diagnostics_body: Bytes,
}

#[derive(Serialize)]
struct DiagnosticsReport<'a> {
    file: &'a str,
    generation: u64,
    serving: Serving,
    #[serde(skip_serializing_if = "Option::is_none")]
    serving_generation: Option<u64>,
    read_error: Option<&'a str>,
    summary: Summary,
    diagnostics: Vec<JsonDiagnostic>,
}

impl Snapshot {
    /// Builds a snapshot from the latest attempt and the good matrix to serve.
    pub(crate) fn new(latest: Arc<Attempt>, good: Option<Arc<Good>>) -> Self {
        let serving = Serving::of(good.is_some(), latest.is_good());
        let read_error = latest.outcome.as_ref().err().map(String::as_str);
        let diagnostics = (latest.diagnostics().into_iter())
            .map(|(source, d)| d.to_json(source))
            .collect();
        let report = DiagnosticsReport {
            file: &latest.source_name,
            generation: latest.generation,
            serving,
            serving_generation: good.as_ref().map(|g| g.generation),
            read_error,
            summary: latest.summary(),
            diagnostics,
        };
        // Serialising plain structs of strings and numbers cannot fail.
        let diagnostics_body = Bytes::from(serde_json::to_vec(&report).unwrap_or_default());
        Snapshot {
            generation: latest.generation,
            good,
            latest,
            diagnostics_body,
        }
    }

    /// Returns which matrix is served.
    pub fn serving(&self) -> Serving {
        Serving::of(self.good.is_some(), self.latest.is_good())
    }
}
