//! The meta pipeline: watches the repository holding the matrix and, on every change, renders
//! every pipeline with a pinned `edx-matrix` and sets them, and itself.
//!
//! The generator runs from a released image, not one built from the matrix repository, so a
//! matrix change needs no image rebuild: the next commit is enough.

use crate::concourse::{
    GetStep, ImageResource, InParallelConfig, InParallelEnsureStep, Job, Pipeline, Resource,
    SetPipelineStep, Step, TaskConfig, TaskInput, TaskRun, TaskStep,
};
use crate::generate::{Generated, PipelineInfo};
use crate::settings::Settings;
use indexmap::IndexMap;
use serde_json::{Map, Value, json};

/// The name of the meta pipeline's job.
pub(crate) const JOB: &str = "set-pipelines";
/// The name of the git resource holding the matrix.
pub(crate) const RESOURCE: &str = "matrix";
/// The directory `render --all` writes into, inside the task.
pub(crate) const OUTPUT: &str = "pipelines";

/// Returns the meta pipeline that sets the pipelines `sets` describes (and itself).
///
/// Every pipeline is set by its own `set_pipeline` step, into its team when it is not the meta
/// pipeline's, side by side with `fail_fast: false`: one pipeline that fails to set does not
/// stop the others. The meta pipeline sets itself last, in an `ensure:`, whatever happened.
pub(crate) fn meta(settings: &Settings, sets: &[PipelineInfo]) -> Generated {
    let m = &settings.meta;
    let mut source = Map::new();
    source.insert("uri".to_owned(), json!(m.uri));
    source.insert("branch".to_owned(), json!(m.branch));
    source.insert("paths".to_owned(), json!(settings.meta_paths()));
    let mut image = Map::new();
    image.insert("repository".to_owned(), Value::String(m.image.clone()));
    image.insert("tag".to_owned(), Value::String(m.tag.clone()));
    let args = [
        "--file".to_owned(),
        format!("{RESOURCE}/{}", m.file),
        "pipeline".to_owned(),
        "render".to_owned(),
        "--all".to_owned(),
        "--format".to_owned(),
        "yaml".to_owned(),
        "--output".to_owned(),
        OUTPUT.to_owned(),
    ];
    let mut plan = vec![
        Step::Get(GetStep {
            get: RESOURCE.to_owned(),
            resource: None,
            trigger: true,
            passed: Vec::new(),
            params: Map::new(),
        }),
        Step::Task(Box::new(TaskStep {
            task: "render".to_owned(),
            file: None,
            config: Some(TaskConfig {
                platform: "linux".to_owned(),
                image_resource: ImageResource {
                    kind: "registry-image".to_owned(),
                    source: image,
                },
                inputs: vec![TaskInput {
                    name: RESOURCE.to_owned(),
                }],
                outputs: vec![TaskInput {
                    name: OUTPUT.to_owned(),
                }],
                run: TaskRun {
                    path: "edx-matrix".to_owned(),
                    args: args.to_vec(),
                },
            }),
            privileged: false,
            params: IndexMap::new(),
            output_mapping: IndexMap::new(),
        })),
    ];
    let own = Step::SetPipeline(SetPipelineStep {
        set_pipeline: "self".to_owned(),
        file: format!("{OUTPUT}/{}.yml", m.name),
        team: None,
    });
    let steps: Vec<Step> = sets
        .iter()
        .map(|info| {
            Step::SetPipeline(SetPipelineStep {
                set_pipeline: info.name.clone(),
                file: format!("{OUTPUT}/{}.yml", info.name),
                team: (info.team != settings.team).then(|| info.team.clone()),
            })
        })
        .collect();
    if steps.is_empty() {
        plan.push(own);
    } else {
        plan.push(Step::InParallelEnsure(InParallelEnsureStep {
            in_parallel: InParallelConfig {
                steps,
                fail_fast: false,
            },
            ensure: Some(Box::new(own)),
        }));
    }
    let pipeline = Pipeline {
        resource_types: Vec::new(),
        resources: vec![Resource {
            name: RESOURCE.to_owned(),
            kind: "git".to_owned(),
            icon: Some("source-branch".to_owned()),
            check_every: settings.check_every.clone(),
            source,
        }],
        jobs: vec![Job {
            name: JOB.to_owned(),
            serial: Some(true),
            plan,
        }],
        groups: Vec::new(),
    };
    Generated {
        info: PipelineInfo {
            name: m.name.clone(),
            team: settings.team.clone(),
            kind: "meta",
            family: None,
            applications: Vec::new(),
            releases: Vec::new(),
            jobs: 1,
            source: "meta".to_owned(),
        },
        pipeline,
    }
}
