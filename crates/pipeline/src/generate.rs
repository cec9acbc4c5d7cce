//! From a matrix and its settings to one Concourse pipeline per component family.
//!
//! For each (release, deployment, application) of a family that some stage runs — a *chain* —
//! the pipeline has a git resource (origin at branch), an artifact resource, a build job
//! triggered by new commits, and one deploy job per stage of that deployment on that release,
//! in promotion order, each taking only what `passed` the job before. Chains never cross
//! releases: a stage on another release is in that release's chain, and group.

use crate::concourse::{
    GetStep, ImageResource, InParallelStep, Pipeline, Step, TaskConfig, TaskInput, TaskRun,
    TaskStep,
};
use crate::identifier::{name as whole_name, part};
use crate::settings::{Settings, TaskSource, TaskSpec};
use crate::template::{self, PlaceholderValues};
use edx_matrix_model::{AppKind, Filter, Matrix, resolve};
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::HashMap;

mod outline;
pub(crate) use outline::{Outline, outline};

/// A component family: the applications one pipeline builds and deploys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct Family {
    /// The family's (and pipeline's) name.
    pub name: String,
    /// Its applications, in catalogue order.
    pub applications: Vec<String>,
}

/// Returns the families: those of the settings, then one per remaining application of the
/// catalogue (named after it, lower-cased).
pub(crate) fn families(matrix: &Matrix, settings: &Settings) -> Vec<Family> {
    let mut out: Vec<Family> = settings
        .families
        .iter()
        .map(|f| Family {
            name: f.name.clone(),
            applications: matrix
                .applications
                .iter()
                .filter(|a| f.applications.iter().any(|n| n == a.name.as_str()))
                .map(|a| a.name.to_string())
                .collect(),
        })
        .collect();
    for app in &matrix.applications {
        if !settings
            .families
            .iter()
            .any(|f| f.applications.iter().any(|n| n == app.name.as_str()))
        {
            out.push(Family {
                name: whole_name(app.name.as_str()),
                applications: vec![app.name.to_string()],
            });
        }
    }
    out
}

/// One (release, deployment, application) with its resolved values and the stages that run it.
#[derive(Clone, Debug)]
struct Chain<'m> {
    release: &'m str,
    deployment: &'m str,
    application: &'m str,
    kind: AppKind,
    git_origin: &'m str,
    release_branch: &'m str,
    runtime: Option<&'m str>,
    path: Option<&'m str>,
    translations: Option<&'m [String]>,
    /// Stage names in promotion order.
    stages: Vec<&'m str>,
}

/// What `pipeline list` shows about a pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PipelineInfo {
    /// The pipeline's name.
    pub name: String,
    /// The team it is set in.
    pub team: String,
    /// `component` for a family pipeline, `meta` for the meta pipeline.
    pub kind: &'static str,
    /// The family (`None` for the meta pipeline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The applications it builds.
    pub applications: Vec<String>,
    /// The releases it has groups for.
    pub releases: Vec<String>,
    /// How many jobs it has.
    pub jobs: usize,
    /// Where it comes from: `standard` (the `[pipelines]` settings), `meta`, or the path of
    /// the template that made it.
    pub source: String,
}

/// A generated pipeline with what `list` says about it.
#[derive(Clone, Debug)]
pub struct Generated {
    /// Its summary.
    pub info: PipelineInfo,
    /// Its configuration.
    pub pipeline: Pipeline,
}

fn chains<'m>(matrix: &'m Matrix, family: &Family) -> Vec<Chain<'m>> {
    let rows = resolve(matrix, &Filter::default()).rows;
    let mut out: Vec<Chain<'m>> = Vec::new();
    // Each chain's place in `out`, by (release, deployment, application): a scan of `out` per
    // row made rendering quadratic in the deployments (docs/benchmarks.md, issue 23).
    let mut index: HashMap<(&str, &str, &str), usize> = HashMap::new();
    for row in rows {
        if !family.applications.iter().any(|a| a == row.application) {
            continue;
        }
        let key = (row.release, row.deployment, row.application);
        match index.get(&key) {
            Some(&i) => out[i].stages.push(row.stage),
            None => {
                index.insert(key, out.len());
                out.push(Chain {
                    release: row.release,
                    deployment: row.deployment,
                    application: row.application,
                    kind: row.kind,
                    git_origin: row.git_origin,
                    release_branch: row.release_branch,
                    runtime: row.runtime_version,
                    path: row.path,
                    translations: row.translations,
                    stages: vec![row.stage],
                });
            }
        }
    }
    let pos = |list: &[&str], name: &str| list.iter().position(|n| *n == name);
    // Each name's first position, looked up: `sort_by_key` computes a key per comparison, and
    // scanning the deployments for it made the sort quadratic in them (issue 23).
    let first_positions = |names: Vec<&'m str>| {
        let mut at: HashMap<&'m str, usize> = HashMap::new();
        for (i, name) in names.into_iter().enumerate() {
            at.entry(name).or_insert(i);
        }
        at
    };
    let releases = first_positions(matrix.releases.iter().map(|r| r.name.as_str()).collect());
    let deployments = first_positions(matrix.deployments.iter().map(|d| d.name.as_str()).collect());
    let stages: Vec<&str> = matrix.stages.iter().map(|s| s.as_str()).collect();
    // Each deployment's own order of stages (the first of a name, as `Matrix::deployment`
    // finds it), looked up per chain rather than found by a scan of the deployments.
    let mut own_stages: HashMap<&str, Vec<&str>> = HashMap::new();
    for d in &matrix.deployments {
        own_stages
            .entry(d.name.as_str())
            .or_insert_with(|| d.stages.iter().map(|p| p.stage.as_str()).collect());
    }
    for chain in &mut out {
        // Promotion order: the deployment's own order of stages.
        let own = own_stages
            .get(chain.deployment)
            .map(Vec::as_slice)
            .unwrap_or_default();
        chain.stages.sort_by_key(|s| (pos(&stages, s), pos(own, s)));
    }
    out.sort_by_key(|c| {
        (
            releases.get(c.release).copied(),
            deployments.get(c.deployment).copied(),
            family.applications.iter().position(|a| a == c.application),
        )
    });
    out
}

/// The names of one chain's resources and jobs.
struct Names {
    git: String,
    artifact: String,
    build: String,
}

impl Names {
    fn of(chain: &Chain<'_>) -> Self {
        let id = format!(
            "{}-{}-{}",
            part(chain.application),
            part(chain.release),
            part(chain.deployment)
        );
        Names {
            git: format!("git-{id}"),
            artifact: format!("artifact-{id}"),
            build: format!("build-{id}"),
        }
    }

    fn deploy(&self, stage: &str) -> String {
        format!("deploy{}-{}", &self.build["build".len()..], part(stage))
    }
}

fn params(chain: &Chain<'_>, stage: Option<(&str, &str)>) -> IndexMap<String, String> {
    let mut p = IndexMap::new();
    let mut set = |k: &str, v: &str| {
        p.insert(k.to_owned(), v.to_owned());
    };
    set("RELEASE", chain.release);
    set("DEPLOYMENT", chain.deployment);
    if let Some((stage, environment)) = stage {
        set("STAGE", stage);
        set("ENVIRONMENT", environment);
    }
    set("APPLICATION", chain.application);
    set("APPLICATION_TYPE", chain.kind.as_str());
    set("GIT_ORIGIN", chain.git_origin);
    set("RELEASE_BRANCH", chain.release_branch);
    if let Some(runtime) = chain.runtime {
        set("RUNTIME_VERSION", runtime);
    }
    if let Some(path) = chain.path {
        set("MFE_PATH", path);
    }
    if let Some(commands) = chain.translations {
        if chain.kind == AppKind::Mfe && !commands.is_empty() {
            // One command per line: checks reject newlines inside a command.
            set("TRANSLATION_OVERRIDES", &commands.join("\n"));
        }
    }
    p
}

/// The task step for `spec`, with `inputs` for an inline task and `output` when it builds.
fn task_step(
    name: &str,
    spec: &TaskSpec,
    vars: &PlaceholderValues<'_>,
    inputs: &[&str],
    builds: bool,
    mut params: IndexMap<String, String>,
) -> TaskStep {
    for (k, v) in &spec.params {
        params.insert(k.clone(), template::render(v, vars));
    }
    let (file, config) = match &spec.source {
        TaskSource::File { resource, file } => (Some(format!("{resource}/{file}")), None),
        TaskSource::Inline { image, tag, run } => {
            let mut source = Map::new();
            source.insert("repository".to_owned(), Value::String(image.clone()));
            if let Some(tag) = tag {
                source.insert("tag".to_owned(), Value::String(template::render(tag, vars)));
            }
            let outputs = if builds {
                vec![TaskInput {
                    name: spec.output.clone(),
                }]
            } else {
                Vec::new()
            };
            let (path, args) = match run.split_first() {
                Some((path, args)) => (path.clone(), args.to_vec()),
                None => (String::new(), Vec::new()),
            };
            let config = TaskConfig {
                platform: "linux".to_owned(),
                image_resource: ImageResource {
                    kind: "registry-image".to_owned(),
                    source,
                },
                inputs: inputs
                    .iter()
                    .map(|n| TaskInput {
                        name: (*n).to_owned(),
                    })
                    .collect(),
                outputs,
                run: TaskRun { path, args },
            };
            (None, Some(config))
        }
    };
    let mut output_mapping = IndexMap::new();
    if builds && spec.output != "artifact" {
        output_mapping.insert(spec.output.clone(), "artifact".to_owned());
    }
    TaskStep {
        task: name.to_owned(),
        file,
        config,
        privileged: spec.privileged,
        params,
        output_mapping,
    }
}

fn task_resource(spec: &TaskSpec) -> Option<&str> {
    match &spec.source {
        TaskSource::File { resource, .. } => Some(resource),
        TaskSource::Inline { .. } => None,
    }
}

fn gets(steps: Vec<GetStep>) -> Vec<Step> {
    if steps.len() == 1 {
        steps.into_iter().map(Step::Get).collect()
    } else {
        vec![Step::InParallel(InParallelStep {
            in_parallel: steps.into_iter().map(Step::Get).collect(),
        })]
    }
}

fn get(name: &str, resource: &str) -> GetStep {
    GetStep {
        get: name.to_owned(),
        resource: (name != resource).then(|| resource.to_owned()),
        trigger: false,
        passed: Vec::new(),
        params: Map::new(),
    }
}

/// Generates the pipeline of `family`; `None` when no stage runs any of its applications.
pub(crate) fn generate(matrix: &Matrix, settings: &Settings, family: &Family) -> Option<Generated> {
    outline(matrix, settings, family).map(|o| o.generated(settings))
}

/// Generates the pipeline of every family that some stage runs, in family order.
pub(crate) fn generate_all(matrix: &Matrix, settings: &Settings) -> Vec<Generated> {
    families(matrix, settings)
        .iter()
        .filter_map(|f| generate(matrix, settings, f))
        .collect()
}
